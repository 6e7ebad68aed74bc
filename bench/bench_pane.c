/* bench_pane.c: the bytes an incoming message costs the operator's terminal, against the ncurses floor.
 * Runs the real opdesk (--replay, no hub) in a 200x60 pseudo-terminal with 2, 3 and 4 dialogs side by side,
 * each with a history; one customer message (Russian, an emoji, two rows) arrives in pane 2. The client's
 * output is read through libvterm; the bytes of the burst the message causes are counted, and the floor is
 * the bytes a minimal ncurses program writes to turn the screen before into the screen after (bench_floor.c,
 * in the same run). libvterm 0.1 keeps no dim attribute: the stream it reads has SGR 2 (dim) turned into
 * SGR 11 (font 1, which it keeps) so that the floor draws dim cells dim too.
 * Usage: bench_pane PATH-TO-opdesk */
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vterm.h>

#include "bench_floor.h"
#include "bench_pty.h"

#define ROWS    60
#define COLS    200
#define HISTORY 40
#define RUNS    3

static const char *const texts[] = {
	"Здравствуйте! Где мой заказ 3902-1184? Обещали доставить вчера",
	"Добрый день! Сейчас проверю, минутку",
	"Спасибо, буду ждать курьера 🚚",
	"Курьер будет у вас завтра с 10 до 14, номер отслеживания пришлём в SMS",
};
static const char *incoming = "Подскажите ещё: можно ли оплатить картой при получении? И если платье не подойдёт "
                              "по размеру, как его вернуть 🙏";

static void write_replay(const char *path, int n)
{
	FILE *f = fopen(path, "w");
	const long long t0 = 1763877600000LL;
	fprintf(f, "{\"opdesk_replay\":1,\"title\":\"pane\",\"t0\":%lld}\n", t0);
	fprintf(f, "{\"at\":0,\"frame\":{\"type\":\"welcome\",\"operator\":{\"user\":\"demo\",\"role\":\"operator\","
	           "\"status\":\"online\",\"capacity\":4},\"dialogs\":[");
	for (int d = 1; d <= n; d++) {
		fprintf(f, "%s{\"id\":%d,\"customer\":\"Клиент %d\",\"channel\":\"web\",\"queue\":\"general\","
		           "\"state\":\"assigned\",\"opened\":%lld,\"last_seq\":%d,\"messages\":[",
		        d > 1 ? "," : "", d, d, t0, HISTORY);
		for (int i = 0; i < HISTORY; i++) /* the operator's last: no wait counts on screen */
			fprintf(f, "%s{\"id\":%d,\"dialog\":%d,\"seq\":%d,\"time\":%lld,\"sender\":\"%s\",%s\"text\":\"%s\"}",
			        i ? "," : "", d * 1000 + i, d, i + 1, t0, i % 2 ? "operator" : "customer",
			        i % 2 ? "\"author\":\"demo\"," : "", texts[i % 4]);
		fprintf(f, "]}");
	}
	fprintf(f, "],\"items\":[],\"canned\":[],\"time\":%lld}}\n", t0);
	fprintf(f, "{\"at\":2000,\"frame\":{\"type\":\"message\",\"id\":9000,\"dialog\":2,\"seq\":%d,\"time\":%lld,"
	           "\"sender\":\"customer\",\"text\":\"%s\"}}\n", HISTORY + 1, t0 + 2000, incoming);
	/* a last event far off, so that "finished" does not come with the message */
	fprintf(f, "{\"at\":600000,\"frame\":{\"type\":\"typing\",\"dialog\":1,\"on\":false}}\n");
	fclose(f);
}

static int color_index(const VTermColor *c, int is_fg)
{
	if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
		return -1;
	return VTERM_COLOR_IS_INDEXED(c) ? c->indexed.idx : -1;
}

static void snapshot(VTerm *vt, struct bench_screen *s)
{
	VTermScreen *vs = vterm_obtain_screen(vt);
	VTermPos cur;
	vterm_state_get_cursorpos(vterm_obtain_state(vt), &cur);
	s->rows = ROWS, s->cols = COLS, s->cy = cur.row, s->cx = cur.col;
	for (int y = 0; y < ROWS; y++)
		for (int x = 0; x < COLS; x++) {
			VTermScreenCell c;
			struct bench_cell *b = &s->cells[y * COLS + x];
			memset(b, 0, sizeof *b);
			vterm_screen_get_cell(vs, (VTermPos){.row = y, .col = x}, &c);
			b->width = c.chars[0] == (uint32_t)-1 ? 0 : c.width;
			for (int k = 0; k < 6 && k < VTERM_MAX_CHARS_PER_CELL && c.chars[k] && c.chars[0] != (uint32_t)-1; k++)
				b->ch[k] = c.chars[k];
			b->fg = color_index(&c.fg, 1);
			b->bg = color_index(&c.bg, 0);
			b->attrs = (c.attrs.bold ? BENCH_BOLD : 0) | (c.attrs.underline ? BENCH_UNDERLINE : 0) |
			           (c.attrs.italic ? BENCH_ITALIC : 0) | (c.attrs.reverse ? BENCH_REVERSE : 0) |
			           (c.attrs.font == 1 ? BENCH_DIM : 0);
		}
}

/* Write buf into vt with SGR 2 / 22 (dim on / off) as 11 / 22;10 (font 1 / font 0). A CSI cut by the end
 * of buf is kept in `part` for the next call. */
static void vt_write(VTerm *vt, const char *buf, size_t n)
{
	static char part[64];
	static size_t np;
	char out[4 * 65536];
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (np == 0 && buf[i] != '\x1b') {
			out[o++] = buf[i];
			continue;
		}
		part[np++] = buf[i];
		if (np == 2 && part[1] != '[') { /* not a CSI */
			memcpy(out + o, part, np), o += np, np = 0;
			continue;
		}
		if (np < 3 || (part[np - 1] >= 0x30 && part[np - 1] <= 0x3f && np < sizeof part))
			continue;
		if (part[np - 1] != 'm') { /* another CSI: as it is */
			memcpy(out + o, part, np), o += np, np = 0;
			continue;
		}
		o += (size_t)sprintf(out + o, "\x1b[");
		int skip = 0; /* the parameters of a 38;5;N or 48;5;N colour */
		for (char *q = part + 2, *end; q < part + np - 1; q = end + 1) {
			long v = strtol(q, &end, 10);
			bool empty = end == q;
			const char *sep = q == part + 2 ? "" : ";";
			if (skip > 0 || empty || (v != 2 && v != 22)) {
				o += (size_t)sprintf(out + o, "%s%.*s", sep, (int)(end - q), q);
				skip = skip > 0 ? skip - 1 : (v == 38 || v == 48) ? 2 : 0;
			} else
				o += (size_t)sprintf(out + o, "%s%s", sep, v == 2 ? "11" : "22;10");
		}
		out[o++] = 'm';
		np = 0;
	}
	vterm_input_write(vt, out, o);
}

/* Read into vt until quiet_ms pass with nothing; returns the bytes and counts the bells. */
static size_t feed(int fd, VTerm *vt, int first_ms, int quiet_ms, int *bells)
{
	size_t total = 0;
	char buf[65536];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	for (int wait = first_ms; poll(&p, 1, wait) > 0; wait = quiet_ms) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		for (ssize_t i = 0; bells && i < n; i++)
			*bells += buf[i] == '\a';
		vt_write(vt, buf, (size_t)n);
		total += (size_t)n;
	}
	return total;
}

/* One run with n panes: the message's bytes and the floor. */
static int run(const char *opdesk, int n, size_t *bytes, size_t *floor)
{
	char path[] = "/tmp/opdesk-pane-XXXXXX";
	close(mkstemp(path));
	write_replay(path, n);
	char *argv[] = {(char *)opdesk, "--replay", path, "--log", "/dev/null", NULL};
	int m;
	pid_t pid = bench_spawn(argv, ROWS, COLS, &m);
	VTerm *vt = vterm_new(ROWS, COLS);
	vterm_set_utf8(vt, 1);
	VTermScreen *vs = vterm_obtain_screen(vt);
	vterm_screen_enable_altscreen(vs, 1);
	vterm_screen_reset(vs, 1);
	struct bench_screen before = {.cells = calloc(ROWS * COLS, sizeof(struct bench_cell))};
	struct bench_screen after = {.cells = calloc(ROWS * COLS, sizeof(struct bench_cell))};
	int bells = 0;
	size_t first = feed(m, vt, 1500, 300, NULL); /* the first frame, then quiet until the message */
	snapshot(vt, &before);
	*bytes = feed(m, vt, 3000, 150, &bells);
	snapshot(vt, &after);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(m);
	unlink(path);
	vterm_free(vt);
	*floor = bench_floor_bytes(&before, &after, bells);
	free(before.cells);
	free(after.cells);
	return first > 0 && *bytes > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_pane PATH-TO-opdesk\n");
		return 2;
	}
	setlocale(LC_ALL, "C.UTF-8"); /* the floor's ncurses writes the same UTF-8 as the client */
	printf("an incoming customer message in pane 2 of N side by side (200x60, %d messages of history each; "
	       "floor: a minimal ncurses program making the same screen change, same run):\n", HISTORY);
	for (int n = 2; n <= 4; n++) {
		printf("  %d panes:", n);
		for (int r = 0; r < RUNS; r++) {
			size_t bytes, floor;
			if (run(argv[1], n, &bytes, &floor) < 0) {
				printf(" (no frame)");
				continue;
			}
			printf("  %zu bytes, floor %zu (%.2fx)", bytes, floor, floor ? (double)bytes / (double)floor : 0.0);
		}
		printf("  (target <= 1.20x)\n");
	}
	return 0;
}
