/* fuzz_config.c: the settings-file parser (config.h, config_parse) on arbitrary text: no memory error or
 * leak, accepted numbers are in range, and every key binding has a key and a command. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct config c;
	char err[512];
	config_init(&c);
	if (config_parse(&c, text, err, sizeof err) == 0) {
		if (c.sla_warn_s < 0 || c.sla_warn_s > 86400 || c.sla_late_s < 0 || c.sla_late_s > 86400 || c.bell < -1 ||
		    c.bell > 1)
			abort();
		for (size_t i = 0; i < c.n_binds; i++)
			if (!c.binds[i].key || !c.binds[i].command)
				abort();
	}
	config_free(&c);
	free(text);
	return 0;
}
