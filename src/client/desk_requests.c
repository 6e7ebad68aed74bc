/* desk_requests.c: the model's offline requests (docs/protocol.md, `requests`): the list of those not yet
 * answered as the hub last sent it (copies), found by id, and the operator taking one and answering it (the
 * hub's next list shows who has it; an answered one leaves it). No curses here: ui_requests.c draws them. */
#include <stdlib.h>
#include <string.h>

#include "desk_int.h"
#include "opdesk/desk.h"
#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

void desk_requests_free(struct desk *d)
{
	for (size_t i = 0; i < d->n_requests; i++)
		proto_request_free(&d->requests[i]);
	free(d->requests);
	d->requests = NULL;
	d->n_requests = 0;
	d->requests_total = 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void desk_requests_apply(struct desk *d, const struct proto_msg *m)
{
	if (m->type == PROTO_REQUEST_ANSWERED) {
		/* answered: it leaves the list now, not only with the hub's next one */
		for (size_t i = 0; i < d->n_requests; i++)
			if (d->requests[i].id == m->request) {
				proto_request_free(&d->requests[i]);
				memmove(&d->requests[i], &d->requests[i + 1], (d->n_requests - i - 1) * sizeof *d->requests);
				d->n_requests--;
				if (d->requests_total > 0)
					d->requests_total--;
				break;
			}
		desk_info(d, _("request %lld answered"), (long long)m->request);
		desk_notify(d, DESK_CH_REQUESTS | DESK_CH_STATUS, 0);
		return;
	}
	size_t before = d->n_requests;
	desk_requests_free(d);
	d->requests = xcalloc(m->n_requests ? m->n_requests : 1, sizeof *d->requests);
	for (size_t i = 0; i < m->n_requests; i++) {
		const struct proto_request *r = &m->requests[i];
		d->requests[i] = (struct proto_request){ .id = r->id,
							 .time = r->time,
							 .name = dup_or_null(r->name),
							 .email = dup_or_null(r->email),
							 .phone = dup_or_null(r->phone),
							 .text = dup_or_null(r->text),
							 .queue = dup_or_null(r->queue),
							 .taken_by = dup_or_null(r->taken_by) };
	}
	d->n_requests = m->n_requests;
	d->requests_total = m->total;
	if (d->n_requests > before && before == 0)
		desk_info(d, _("offline requests waiting for an answer: %lld (Alt-R)"), (long long)d->requests_total);
	desk_notify(d, DESK_CH_REQUESTS | DESK_CH_STATUS, 0);
}

const struct proto_request *desk_request_find(const struct desk *d, int64_t id)
{
	for (size_t i = 0; i < d->n_requests; i++)
		if (d->requests[i].id == id)
			return &d->requests[i];
	return NULL;
}

/* The request is there and not a colleague's: true, else an error was set. */
static bool request_ours(struct desk *d, int64_t id)
{
	const struct proto_request *r = desk_request_find(d, id);
	if (!r) {
		desk_set_error(d, _("there is no open request %lld"), (long long)id);
		return false;
	}
	if (r->taken_by && strcmp(r->taken_by, d->user) != 0) {
		desk_set_error(d, _("request %lld is being answered by %s"), (long long)id, r->taken_by);
		return false;
	}
	return desk_check_online(d);
}

int desk_request_take(struct desk *d, int64_t id)
{
	if (!request_ours(d, id))
		return -1;
	struct proto_msg out = { .type = PROTO_TAKE_REQUEST, .request = id };
	if (desk_send(d, &out) < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	return 0;
}

int desk_request_answer(struct desk *d, int64_t id, const char *text)
{
	if (!request_ours(d, id) || !desk_text_ok(d, text))
		return -1;
	struct proto_msg out = { .type = PROTO_ANSWER_REQUEST, .request = id, .text = (char *)text };
	if (desk_send(d, &out) < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	return 0;
}
