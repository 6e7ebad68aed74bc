/* test_i18n.c: a text in a language other than the locale's (the hub's system lines are in its --lang): Russian
 * from the catalogue in the C locale too, English and a language without a catalogue give the source text,
 * and the process's LANGUAGE is left as it was. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>

#include "opdesk/i18n.h"

Test(i18n, gettext_in_a_language_other_than_the_locale)
{
	setlocale(LC_ALL, "C"); /* as a hub started without LANG: gettext alone would ignore LANGUAGE here */
	unsetenv("LANGUAGE");
	i18n_bind();
	cr_expect_str_eq(i18n_gettext_in("ru", "Customer left the chat"), "Клиент покинул чат");
	cr_expect_str_eq(i18n_gettext_in("ru", "Operator %s joined the chat"), "Оператор %s подключился к чату");
	cr_expect_str_eq(i18n_gettext_in("en", "Customer left the chat"), "Customer left the chat");
	cr_expect_str_eq(i18n_gettext_in("xx", "Customer left the chat"), "Customer left the chat");
	cr_expect_null(getenv("LANGUAGE"));
	cr_expect_str_eq(gettext("Customer left the chat"), "Customer left the chat"); /* the locale's own: C */
	setenv("LANGUAGE", "de", 1);
	cr_expect_str_eq(i18n_gettext_in("ru", "Customer left the chat"), "Клиент покинул чат");
	cr_expect_str_eq(getenv("LANGUAGE"), "de");
}
