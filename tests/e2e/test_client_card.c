/* test_client_card.c: who the customer is, in the workstation. A returning customer's pane header carries the
 * dialog's number and how many chats she had before; Alt-I shows her card (a popup at 80x24, a side panel on a
 * wide screen) with the earlier chat's number, topic and order number and the phone she left; Enter reads that
 * chat read-only; b asks for a reason and blocks her: the chat closes and the hub refuses her next one. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_card, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static json_t *expect(struct e2e_ws *ws, const char *type)
{
	json_t *m = ws_expect_type(ws, type, E2E_WAIT_MS);
	cr_assert(m, "no %s: %s", type, ws_skipped(ws));
	return m;
}

/* Людмила's first chat, served and closed by anna over a raw connection; returns her customer_token. */
static const char *earlier_chat(struct e2e_hub *h, long long *dialog)
{
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Людмила\",\"text\":\"Пришла куртка с браком, "
		       "заказ 5120-7731. Телефон +7 912 555-01-23\"}");
	json_t *o = expect(cust, "opened");
	*dialog = e2e_json_int(o, "dialog", 0);
	const char *token = e2e_strf("%s", e2e_json_str(o, "customer_token"));
	expect(anna, "assigned");
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"returns\"}", *dialog);
	expect(cust, "closed");
	ws_close(cust);
	ws_close(anna);
	return token;
}

static struct e2e_ws *come_back(struct e2e_hub *h, const char *token)
{
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Людмила\",\"text\":\"Где мой возврат?\","
		       "\"customer_token\":\"%s\"}", token);
	expect(cust, "opened");
	return cust;
}

E2E_TEST(client_card, the_card_shows_the_earlier_chat_and_blocks_at_80x24)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	long long first;
	const char *token = earlier_chat(h, &first);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	/* away: she waits in the queue, marked as a returning customer; F2 takes her */
	term_send(t, TK_F3);
	term_expect(t, "away", E2E_WAIT_MS);
	struct e2e_ws *cust = come_back(h, token);
	term_expect(t, "Людмила ↺1", E2E_WAIT_MS);
	term_send(t, TK_F2);
	term_expect(t, "Где мой возврат?", E2E_WAIT_MS);
	/* the header: her name, marked returning with one chat before, and the dialog's number */
	cr_assert(term_wait_both(t, "Людмила ↺1", "#2", E2E_WAIT_MS), "%s", term_screen_text(t));

	term_key_alt(t, 'i');
	term_expect(t, "Earlier chats", E2E_WAIT_MS);
	cr_assert(term_wait_both(t, e2e_strf("#%lld", first), "5120-7731", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(term_row_has_both(t, "returns", "anna"), "%s", term_screen_text(t));
	cr_assert(term_has_text(t, "+7 912 555-01-23"), "the phone she left:\n%s", term_screen_text(t));
	cr_assert(term_has_text(t, "1 earlier chat"), "%s", term_screen_text(t));

	/* Enter reads it, read-only; any key goes back */
	term_send(t, TK_ENTER);
	term_expect(t, "(read-only)", E2E_WAIT_MS);
	term_expect(t, "Пришла куртка с браком", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "(read-only)", E2E_WAIT_MS), "%s", term_screen_text(t));

	/* b on the card asks why, Enter blocks: the chat closes, the customer is told, the hub refuses her */
	term_key_alt(t, 'i');
	term_expect(t, "Earlier chats", E2E_WAIT_MS);
	term_send(t, "b");
	term_expect(t, ":block", E2E_WAIT_MS); /* the prompt, the command typed (its space trails) */
	term_send(t, "оскорбления");
	term_send(t, TK_ENTER);
	term_expect(t, "customer blocked", E2E_WAIT_MS);
	expect(cust, "closed");
	struct e2e_ws *again = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(again, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Людмила\",\"text\":\"Снова\","
			"\"customer_token\":\"%s\"}", token);
	ws_expect_error(again, "not_allowed", "a blocked customer's next chat");
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_str_eq(e2e_db_text(db, "SELECT reason FROM blocks WHERE by_user = 'anna'"), "оскорбления");
	term_send(t, TK_F10);
	term_wait_exit(t, E2E_WAIT_MS);
}

E2E_TEST(client_card, a_wide_screen_shows_the_card_beside_the_panes)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	long long first;
	const char *token = earlier_chat(h, &first);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 40, 160, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	come_back(h, token);
	term_expect(t, "Где мой возврат?", E2E_WAIT_MS);
	term_key_alt(t, 'i');
	term_expect(t, "Earlier chats", E2E_WAIT_MS);
	/* a panel down the right edge: its title on the top row, the pane's text still readable on the left */
	int y = term_find_row(t, "Customer Людмила");
	cr_assert_eq(y, 0, "the card is not a panel from the top:\n%s", term_screen_text(t));
	const char *top = term_row(t, 0);
	cr_assert_gt(strstr(top, "Customer Людмила") - top, 100, "the card is not at the right edge:\n%s",
		     term_screen_text(t));
	cr_assert(term_has_text(t, "Где мой возврат?"), "the card covers the dialog:\n%s", term_screen_text(t));
	term_expect(t, "5120-7731", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "Earlier chats", E2E_WAIT_MS));
	term_send(t, TK_F10);
	term_wait_exit(t, E2E_WAIT_MS);
}
