/* bench_replayfile.c: writes the benchmarks' replay files (see bench_replayfile.h). */
#include "bench_replayfile.h"

#include <stdio.h>
#include <string.h>

static const char *const texts[] = {
	"Здравствуйте! Где мой заказ 3902-1184? Обещали доставить вчера",
	"Спасибо, буду ждать курьера 🚚",
	"Можно оплатить картой при получении?",
	"Платье из новой коллекции маломерит? Обычно ношу M",
	"Вернула товар две недели назад, деньги так и не пришли",
};

size_t bench_write_replay(const char *path, int n_dialogs, long n_messages, int per_ms)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return 0;
	const long long t0 = 1763877600000LL;
	fprintf(f, "{\"opdesk_replay\":1,\"title\":\"bench\",\"t0\":%lld}\n", t0);
	fprintf(f, "{\"at\":0,\"frame\":{\"type\":\"welcome\",\"operator\":{\"user\":\"demo\",\"role\":\"operator\","
	           "\"status\":\"online\",\"capacity\":4},\"dialogs\":[],\"items\":[],\"canned\":[],\"time\":%lld}}\n",
	        t0);
	for (int d = 1; d <= n_dialogs; d++)
		fprintf(f, "{\"at\":0,\"frame\":{\"type\":\"assigned\",\"dialog\":{\"id\":%d,\"customer\":\"Клиент %d\","
		           "\"channel\":\"web\",\"queue\":\"general\",\"state\":\"assigned\",\"opened\":%lld,\"last_seq\":0,"
		           "\"messages\":[]}}}\n",
		        d, d, t0);
	size_t text_bytes = 0;
	for (long i = 0; i < n_messages; i++) {
		int d = 1 + (int)(i % n_dialogs);
		const char *t = texts[i % 5];
		long at = i / per_ms;
		text_bytes += strlen(t);
		fprintf(f, "{\"at\":%ld,\"frame\":{\"type\":\"message\",\"id\":%ld,\"dialog\":%d,\"seq\":%ld,\"time\":%lld,"
		           "\"sender\":\"%s\",\"author\":\"Клиент %d\",\"text\":\"%s\"}}\n",
		        at, 100 + i, d, 1 + i / n_dialogs, t0 + at, i % 3 ? "customer" : "operator", d, t);
	}
	fclose(f);
	return text_bytes;
}
