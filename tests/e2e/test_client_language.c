/* test_client_language.c: under LANG=ru_RU.UTF-8 the operator meets a Russian workstation (status bar,
 * help overlay, --help, errors), and under an English locale the English source strings. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_language, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static const char *const russian[] = {"LC_ALL=", "LANGUAGE=", "LANG=ru_RU.UTF-8", NULL};

/* A hub with anna, and her workstation under a Russian locale. */
static struct e2e_term *russian_client(struct e2e_hub **hp)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = *hp = e2e_hub_start(users, NULL);
	return term_client_ru(h, "anna", "s3cret-anna", 30, 120);
}

E2E_TEST(client_language, the_russian_ui)
{
	struct e2e_hub *h;
	struct e2e_term *t = russian_client(&h);
	term_expect(t, "на линии", E2E_WAIT_MS);
	term_expect(t, "очередь: 0", E2E_WAIT_MS);
	term_expect(t, "Нет открытых диалогов", E2E_WAIT_MS);
	term_expect(t, "F2 взять", E2E_WAIT_MS);
	term_send(t, TK_F3);
	term_expect(t, "(отошёл)", E2E_WAIT_MS);
	term_send(t, TK_F1);
	term_expect(t, "Клавиши", E2E_WAIT_MS);
	term_expect(t, "Взять чат, который ждёт дольше всех", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Take the chat"), "English left in the Russian help:\n%s", term_screen_text(t));
}

/* The quit question in Russian, with a real plural, answered with the keys where y and n are on a Russian layout */
E2E_TEST(client_language, the_quit_question_takes_the_russian_layout)
{
	struct e2e_hub *h;
	struct e2e_term *t = russian_client(&h);
	term_expect(t, "на линии", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Зоя\",\"text\":\"Алло\"}");
	term_expect(t, "Зоя · vk", E2E_WAIT_MS);
	/* the topic picker's title is Russian that reads right ("с тематикой Зоя" did not) */
	term_send(t, TK_F8);
	term_expect(t, "Закрыть диалог: Зоя", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "Закрыть диалог: Зоя", E2E_WAIT_MS), "Esc did not close the topics");
	term_send(t, TK_F10);
	term_expect(t, "Открыт 1 диалог", E2E_WAIT_MS);
	term_send(t, "т"); /* the n key */
	cr_assert(term_wait_gone(t, "Открыт 1 диалог", E2E_WAIT_MS), "т did not cancel:\n%s", term_screen_text(t));
	cr_assert(e2e_proc_alive(term_proc(t)), "the client quit on т");
	term_send(t, TK_F10);
	term_expect(t, "Открыт 1 диалог", E2E_WAIT_MS);
	term_send(t, "н"); /* the y key */
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "the client did not quit on н:\n%s", term_screen_text(t));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0);
}

E2E_TEST(client_language, russian_help_and_errors_on_the_command_line)
{
	char *argv[] = {e2e_bin("opdesk"), "--help", NULL};
	struct e2e_spawn_opts o = {.env = e2e_env(russian)};
	struct e2e_proc *p = e2e_run("opdesk", argv, &o, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 0);
	cr_assert(strstr(e2e_proc_stdout(p), "Использование: opdesk"), "%s", e2e_proc_stdout(p));
	char *argv2[] = {e2e_bin("opdesk"), "--bell", "loud", NULL};
	p = e2e_run("opdesk", argv2, &o, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "неверный --bell «loud»"), "%s", e2e_proc_stderr(p));
}

E2E_TEST(client_language, english_under_an_english_locale)
{
	const char *const english[] = {"LC_ALL=", "LANGUAGE=", "LANG=en_US.UTF-8", NULL};
	char *argv[] = {e2e_bin("opdesk"), "--help", NULL};
	struct e2e_spawn_opts o = {.env = e2e_env(english)};
	struct e2e_proc *p = e2e_run("opdesk", argv, &o, E2E_WAIT_MS);
	cr_assert(strstr(e2e_proc_stdout(p), "Usage: opdesk"), "%s", e2e_proc_stdout(p));
}
