/* test_client_canned.c: the canned-reply search (ranking, Cyrillic case folding, subsequences), grouping
 * by category, and placeholder filling from a dialog (customer, operator, the order number the customer
 * wrote, queue). */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

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
