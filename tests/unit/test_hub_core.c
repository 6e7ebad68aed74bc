/* test_hub_core.c: the hub's glue below its server: the endpoints' tables (every frame a client may send has
 * exactly one row; which rows the group commit may hold, which are for supervisors, which sign in), and
 * hub_core on a real store with no connection: a new chat routed and assigned (stored with the operator's
 * "joined" line), then the operator's grace period over (the chat back in the queue, its line and audit row). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub_core.h"
#include "hub_endpoint.h"
#include "opdesk/hub.h"
#include "opdesk/xalloc.h"
#include "unit_db.h"

static const enum hub_endpoint eps[] = { HUB_EP_AGENT, HUB_EP_CUSTOMER, HUB_EP_BRIDGE };

Test(hub_endpoints, every_frame_a_client_may_send_has_one_row)
{
	for (size_t e = 0; e < sizeof eps / sizeof *eps; e++) {
		const struct hub_ep_table *t = hub_ep_table_of(eps[e]);
		for (int type = 0; type < PROTO_TYPE_COUNT; type++) {
			size_t rows = 0;
			for (size_t i = 0; i < t->n_rows; i++)
				rows += t->rows[i].type == (enum proto_type)type;
			bool travels = proto_travels(t->in, (enum proto_type)type);
			cr_expect_eq(rows, travels ? 1u : 0u, "%s endpoint, %s: %zu row(s), %s", t->name,
				     proto_type_name((enum proto_type)type), rows,
				     travels ? "a client may send it" : "it does not travel to the hub there");
			if (travels)
				cr_expect_eq(hub_ep_row(t, (enum proto_type)type)->type, (enum proto_type)type);
		}
		cr_expect_not_null(t->closed, "%s endpoint", t->name);
	}
}

/* Which frames of an endpoint carry a flag, as "type type ..." in table order. */
static char *flagged(const struct hub_ep_table *t, unsigned flag)
{
	static char out[256];
	out[0] = '\0';
	for (size_t i = 0; i < t->n_rows; i++) {
		if (!(t->rows[i].flags & flag))
			continue;
		if (out[0])
			strcat(out, " ");
		strcat(out, proto_type_name(t->rows[i].type));
	}
	return out;
}

Test(hub_endpoints, the_checks_each_row_asks_for)
{
	const struct hub_ep_table *a = hub_ep_table_of(HUB_EP_AGENT), *c = hub_ep_table_of(HUB_EP_CUSTOMER),
				  *b = hub_ep_table_of(HUB_EP_BRIDGE);
	/* the group commit holds only message appends and typing (no write): anything else commits it first */
	cr_expect_str_eq(flagged(a, HUB_FRAME_BATCHED), "send typing");
	cr_expect_str_eq(flagged(c, HUB_FRAME_BATCHED), "message typing");
	cr_expect_str_eq(flagged(b, HUB_FRAME_BATCHED), "message typing");
	cr_expect_str_eq(flagged(a, HUB_FRAME_SUPERVISOR), "monitor watch whisper takeover dialogs");
	cr_expect_str_eq(flagged(c, HUB_FRAME_SUPERVISOR), "");
	cr_expect_str_eq(flagged(b, HUB_FRAME_SUPERVISOR), "");
	cr_expect_str_eq(flagged(a, HUB_FRAME_SIGNIN), "hello");
	cr_expect_str_eq(flagged(b, HUB_FRAME_SIGNIN), "hello");
	cr_expect_str_eq(flagged(c, HUB_FRAME_SIGNIN), "");
	/* an operator's sign-in takes its turn (one secret a loop pass); customers never sign in */
	cr_expect_str_eq(flagged(a, HUB_FRAME_ONE_SECRET), "hello");
	cr_expect_not_null(a->signin_first);
	cr_expect_not_null(b->signin_first);
	cr_expect_null(c->signin_first);
	cr_expect_eq(a->in, PROTO_AGENT_TO_HUB);
	cr_expect_eq(c->in, PROTO_CUSTOMER_TO_HUB);
	cr_expect_eq(b->in, PROTO_BRIDGE_TO_HUB);
}

static struct unit_db u; /* the names below are the tests' short names for its members */
#define dir (u.dir)
#define path (u.path)
#define db (u.db)

static void setup(void)
{
	unit_db_open(&u);
}

static void teardown(void)
{
	unit_db_close(&u);
}

TestSuite(hub_core, .init = setup, .fini = teardown);

/* The newest message of `dialog` (free with hub_db_message_clear). */
static struct proto_message newest(int64_t dialog)
{
	struct proto_message *v;
	size_t n;
	cr_assert_eq(hub_db_history_last(db, dialog, 1, &v, &n), HUB_DB_OK);
	cr_assert_eq(n, 1u);
	struct proto_message m = v[0];
	free(v);
	return m;
}

static int count_requeues(void *arg, int64_t time_ms, const char *actor, const char *action, int64_t dialog,
			  const char *detail)
{
	(void)time_ms;
	(void)detail;
	if (strcmp(actor, "hub") == 0 && strcmp(action, "requeue") == 0 && dialog > 0)
		++*(int *)arg;
	return 0;
}

Test(hub_core, a_chat_is_assigned_then_requeued_when_its_operator_stays_away)
{
	int64_t now = proto_now_ms(), op, dialog;
	cr_assert_eq(hub_db_operator_add(db, "anna", "Анна", PROTO_ROLE_OPERATOR, "-", 4, now, &op), HUB_DB_OK);
	struct hub_config cfg = { .lang = "en", .grace_s = 0 };
	char *cause = NULL;
	struct hub *h = hub_new(db, &cfg, &cause);
	cr_assert_not_null(h, "%s", cause ? cause : "");
	struct hub_decisions d = { 0 };
	hub_router_set_presence(h->router, op, HUB_ONLINE, now, &d);
	cr_expect_eq(d.n, 0u);

	struct proto_message first;
	cr_assert_eq(hub_db_dialog_open(db, "Мария", PROTO_CH_WEB, "general", "Где мой заказ?", "c1", now, &dialog,
					&first),
		     HUB_DB_OK);
	hub_db_message_clear(&first);
	cr_expect_eq(hub_chat_route(h, dialog, "Олег", "general", false, 0, now, &d), 1u); /* first in the queue */
	cr_assert_eq(d.n, 1u);
	cr_expect_eq(d.v[0].dialog, dialog);
	cr_expect_eq(d.v[0].op, op);
	hub_apply(h, &d, now);
	cr_expect_eq(d.n, 0u);
	cr_expect_eq(hub_router_holder(h->router, dialog), op);
	struct hub_db_dialog row;
	cr_assert_eq(hub_db_dialog_get(db, dialog, &row), HUB_DB_OK);
	cr_expect_eq(row.d.state, PROTO_DS_ASSIGNED);
	cr_expect_eq(row.operator_id, op);
	hub_db_dialog_free(&row);
	struct proto_message m = newest(dialog);
	cr_expect_eq(m.sender, PROTO_FROM_SYSTEM);
	cr_expect_str_eq(m.kind, HUB_KIND_JOINED);
	cr_expect_str_eq(m.text, "Operator Анна joined the chat");
	hub_db_message_clear(&m);

	/* the operator's connection goes: offline, and after the grace period (0 s here) the chat is queued */
	hub_router_set_presence(h->router, op, HUB_OFFLINE, now, &d);
	hub_grace_start(h, op, now);
	cr_expect_eq(h->n_grace, 1u);
	hub_grace_expired(h, now - 1); /* not yet */
	cr_expect_eq(hub_router_holder(h->router, dialog), op);
	hub_grace_expired(h, now);
	cr_expect_eq(h->n_grace, 0u);
	cr_expect_eq(hub_router_holder(h->router, dialog), 0);
	cr_expect_eq(hub_router_position(h->router, dialog), 1u);
	cr_assert_eq(hub_db_dialog_get(db, dialog, &row), HUB_DB_OK);
	cr_expect_eq(row.d.state, PROTO_DS_QUEUED);
	cr_expect_eq(row.operator_id, 0);
	hub_db_dialog_free(&row);
	m = newest(dialog);
	cr_expect_str_eq(m.kind, HUB_KIND_REQUEUED);
	hub_db_message_clear(&m);
	int requeues = 0;
	cr_expect_eq(hub_db_audit_read(db, 0, now + 1000, NULL, count_requeues, &requeues), HUB_DB_OK);
	cr_expect_eq(requeues, 1);
	hub_decisions_free(&d);
	hub_free(h);
}
