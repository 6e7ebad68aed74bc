/* test_client_system_lines.c: the lines the hub writes (an operator joined, a claim, a transfer) read in each
 * workstation's own language, whatever the hub's: an English workstation and a Russian one on the same
 * Russian-speaking hub see the same chat's lines each in its language (the hub writes claims in English). */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_system_lines, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define TK_F5 "\x1b[15~"
#define TK_F7 "\x1b[18~"

E2E_TEST(client_system_lines, an_english_and_a_russian_workstation_each_read_the_lines_in_their_language)
{
	const char *users[] = {"anna", "s3cret-anna", "boris", "s3cret-boris", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL); /* the hub speaks Russian (its default) */
	struct e2e_term *en = term_client(h, "anna", "s3cret-anna", 30, 140, NULL);
	term_expect(en, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ирина\",\"text\":\"Курьер не приехал\"}");
	term_expect(en, "Ирина · web", E2E_WAIT_MS);
	term_expect(en, "Operator anna joined the chat", E2E_WAIT_MS);
	cr_assert(!term_has_text(en, "Оператор"), "the hub's Russian line on an English screen:\n%s",
	          term_screen_text(en));

	/* a claim: the hub writes "claim (delivery)" in English; the English screen says it so */
	term_send(en, "опоздал на день");
	term_send(en, TK_F7);
	term_expect(en, "Claim by Ирина", E2E_WAIT_MS);
	term_send(en, "3");
	term_expect(en, "claim (delivery): опоздал на день", E2E_WAIT_MS);

	/* the transfer to boris, whose workstation is Russian */
	struct e2e_term *ru = term_client_ru(h, "boris", "s3cret-boris", 30, 140);
	term_expect(ru, "на линии", E2E_WAIT_MS);
	term_send(en, TK_F5);
	term_send(en, "boris");
	term_expect(en, "boris", E2E_WAIT_MS);
	term_send(en, TK_ENTER);
	term_expect(en, "released", E2E_WAIT_MS);
	term_expect(ru, "Ирина · web", E2E_WAIT_MS);
	term_expect(ru, "Оператор boris подключился к чату", E2E_WAIT_MS);
	term_expect(ru, "Оператор anna подключился к чату", E2E_WAIT_MS);
	term_expect(ru, "претензия (доставка): опоздал на день", E2E_WAIT_MS);
	term_expect(ru, "Передан оператору boris", E2E_WAIT_MS);
	cr_assert(!term_has_text(ru, "claim (") && !term_has_text(ru, "joined the chat"),
	          "English lines on a Russian screen:\n%s", term_screen_text(ru));
}
