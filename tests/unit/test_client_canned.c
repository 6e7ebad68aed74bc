/* test_client_canned.c: the canned-reply search (ranking, Cyrillic case folding, subsequences), grouping
 * by category, and placeholder filling from a dialog (customer, operator, the order number the customer
 * wrote, queue). */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/canned.h"

static struct proto_canned set[] = {
	{"ru.bye", "/bye", "closing", "Прощание", "Спасибо за обращение, {customer}! Хорошего дня."},
	{"ru.st", "/st", "order", "Заказ передан в доставку", "Ваш заказ {order} передан в доставку."},
	{"ru.hi", "/hi", "greeting", "Приветствие", "Здравствуйте, {customer}! Меня зовут {operator}."},
	{"ru.ret", "/ret", "returns", "Возврат денег", "Деньги за заказ {order} вернутся за 3–10 дней."},
	{"ru.quiz", "/anketa", "stylist", "Анкета стилиста", "Заполните анкету: https://shop.example/stylist"},
	{"x.odd", "", "loyalty", "Бонусы", "Бонусы начисляются через 14 дней."},
};
#define N (sizeof set / sizeof *set)

/* the client runs under the user's UTF-8 locale (i18n_init); so do these tests (ctest sets C.UTF-8) */
static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, ""), "no locale from the environment");
}

TestSuite(canned, .init = utf8_locale);

Test(canned, an_empty_filter_lists_everything_grouped_in_order)
{
	size_t idx[N];
	cr_assert_eq(canned_filter(set, N, "", idx, N), N);
	/* greeting, order, returns, stylist, closing, then categories the picker does not know */
	const char *want[] = {"ru.hi", "ru.st", "ru.ret", "ru.quiz", "ru.bye", "x.odd"};
	for (size_t i = 0; i < N; i++)
		cr_assert_str_eq(set[idx[i]].id, want[i], "position %zu", i);
}

Test(canned, cyrillic_is_matched_without_regard_to_case)
{
	size_t idx[N];
	size_t n = canned_filter(set, N, "ВОЗВРАТ", idx, N);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(set[idx[0]].id, "ru.ret");
	n = canned_filter(set, N, "анкет", idx, N);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(set[idx[0]].id, "ru.quiz");
}

Test(canned, a_shortcut_beats_a_title_beats_the_text)
{
	struct proto_canned a = {"a", "/st", "order", "Статус", "x"};
	struct proto_canned b = {"b", "/z", "order", "Заказ st", "x"};
	struct proto_canned c = {"c", "/y", "order", "y", "the st text"};
	cr_assert_gt(canned_score("st", &a), canned_score("st", &b));
	cr_assert_gt(canned_score("st", &b), canned_score("st", &c));
	cr_assert_geq(canned_score("st", &c), 0);
}

Test(canned, the_best_match_comes_first_and_placeholders_do_not_match)
{
	size_t idx[N];
	/* "st" is in "{customer}" of the greeting, which must not count; the /st shortcut leads */
	size_t n = canned_filter(set, N, "st", idx, N);
	cr_assert_geq(n, 1);
	cr_assert_str_eq(set[idx[0]].id, "ru.st");
	for (size_t i = 0; i < n; i++)
		cr_assert_str_neq(set[idx[i]].id, "ru.hi");
}

Test(canned, scattered_letters_match_but_rank_below_a_substring)
{
	struct proto_canned a = {"a", "", "order", "Доставка", "x"};
	struct proto_canned b = {"b", "", "order", "Дата вставки", "x"};
	int sa = canned_score("дост", &a), sb = canned_score("дст", &b);
	cr_assert_geq(sb, 0, "a subsequence did not match");
	cr_assert_gt(sa, sb);
	cr_assert_eq(canned_score("xyz", &a), -1);
}

Test(canned, placeholders_are_filled_from_the_dialog)
{
	struct desk *d = desk_new("anna");
	struct proto_msg w = {.type = PROTO_WELCOME,
	                      .op = {.user = "anna", .display = "Анна", .role = PROTO_ROLE_OPERATOR, .capacity = 4}};
	struct proto_message msgs[] = {
		{.id = 1, .dialog = 7, .seq = 1, .time = 1, .sender = PROTO_FROM_CUSTOMER, .text = "Заказ 3902-1184 где?"},
		{.id = 2, .dialog = 7, .seq = 2, .time = 2, .sender = PROTO_FROM_CUSTOMER, .text = "Ой, номер 55512, и ещё 12"},
	};
	struct proto_dialog dl = {.id = 7, .customer = "Ольга", .channel = PROTO_CH_VK, .queue = "general",
	                          .state = PROTO_DS_ASSIGNED, .opened = 1, .last_seq = 2, .messages = msgs, .n_messages = 2};
	w.dialogs = &dl;
	w.n_dialogs = 1;
	desk_apply(d, &w);
	struct desk_dialog *x = desk_dialog_find(d, 7);
	cr_assert_not_null(x);
	char *s = canned_fill("Здравствуйте, {customer}! Я {operator}. Заказ {order}, очередь {queue}.", d, x);
	cr_assert_str_eq(s, "Здравствуйте, Ольга! Я Анна. Заказ 55512, очередь general.");
	free(s);
	s = canned_fill("{unknown} и {customer", d, x);
	cr_assert_str_eq(s, "{unknown} и {customer");
	free(s);
	s = canned_fill("Заказ {order}", d, NULL); /* nothing to fill it from: left for the operator */
	cr_assert_str_eq(s, "Заказ {order}");
	free(s);
	desk_free(d);
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/opdesk-canned-XXXXXX");
	int fd = mkstemp(path);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

Test(canned, the_operators_own_file)
{
	char *p = write_tmp("[{\"shortcut\":\"/vip\",\"title\":\"Постоянной клиентке\",\"text\":\"{customer}, для вас скидка 10%!\"},"
	                    "{\"title\":\"Без ярлыка\",\"text\":\"Текст\",\"category\":\"order\"}]");
	struct proto_canned *v;
	size_t n;
	char err[512];
	cr_assert_eq(canned_load_file(p, true, &v, &n, err, sizeof err), 0, "%s", err);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].category, "own");
	cr_assert_str_eq(v[0].id, "own.1");
	cr_assert_str_eq(v[1].category, "order");
	cr_assert_str_eq(canned_category_label("own"), "My replies");
	/* kept after the hub's replies through a welcome */
	struct desk *d = desk_new("anna");
	desk_set_personal_canned(d, v, n);
	struct proto_canned hub = {"ru.hi", "/hi", "greeting", "Привет", "Здравствуйте!"};
	struct proto_msg w = {.type = PROTO_WELCOME, .canned = &hub, .n_canned = 1,
	                      .op = {.user = "anna", .role = PROTO_ROLE_OPERATOR, .capacity = 4}};
	desk_apply(d, &w);
	cr_assert_eq(d->n_canned, 3);
	cr_assert_str_eq(d->canned[0].id, "ru.hi");
	cr_assert_str_eq(d->canned[1].title, "Постоянной клиентке");
	desk_free(d);
	for (size_t i = 0; i < n; i++)
		proto_canned_free(&v[i]);
	free(v);
	unlink(p);
	free(p);
}

Test(canned, mistakes_in_the_own_file_are_named)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{"{}", "must hold a JSON array"},
		{"[1]", "reply 1 is not an object"},
		{"[{\"title\":\"a\",\"text\":\"b\"},{\"title\":\"a\"}]", "reply 2 needs a \"title\" and a \"text\""},
		{"[{\"title\":\"a\",\"text\":\"b\",\"colour\":\"red\"}]", "reply 1: unknown field \"colour\""},
		{"[{\"title\":\"a\",\"text\":5}]", "reply 1: not a string: \"text\""},
		{"[{\"title\":", ":1: "},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *p = write_tmp(bad[i].text);
		struct proto_canned *v;
		size_t n;
		char err[512] = "";
		cr_expect_eq(canned_load_file(p, true, &v, &n, err, sizeof err), -1, "#%zu accepted", i);
		cr_expect(strstr(err, bad[i].want) && strncmp(err, p, strlen(p)) == 0, "#%zu: %s", i, err);
		unlink(p);
		free(p);
	}
	struct proto_canned *v;
	size_t n;
	char err[512];
	cr_assert_eq(canned_load_file("/nonexistent/canned.json", false, &v, &n, err, sizeof err), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(canned_load_file("/nonexistent/canned.json", true, &v, &n, err, sizeof err), -1);
}
