/* sim_events.c: the --events file: one JSON object per line for what simulated customers see and do. */
#include "opdesk/sim.h"

#include <jansson.h>

void sim_event(FILE *f, const char *ev, json_t *fields)
{
	if (!f) {
		json_decref(fields);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "ev", json_string(ev));
	json_object_update(o, fields);
	json_decref(fields);
	json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	fflush(f);
	json_decref(o);
}
