/* test_client_desk_log.c: the status line's priorities and the message log (desk_log.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "opdesk/desk.h"

Test(desk_log, an_error_outranks_information_and_both_are_kept)
{
	struct desk *d = desk_new("anna");
	desk_info(d, "rated %d/5: %s", 5, "Дарья");
	desk_set_error(d, "there is no operator \"%s\"", "ivan");
	cr_assert_str_eq(d->last_error, "there is no operator \"ivan\"");
	cr_assert_str_eq(desk_info_now(d, proto_now_ms()), "rated 5/5: Дарья",
	                 "the information stays underneath");
	cr_assert_eq(d->n_notices, 2);
	cr_assert_eq(d->notices[0].kind, DESK_NOTICE_INFO);
	cr_assert_eq(d->notices[1].kind, DESK_NOTICE_ERROR);
	cr_assert_str_eq(d->notices[1].text, "there is no operator \"ivan\"");
	desk_clear_error(d);
	cr_assert_null(d->last_error);
	cr_assert_eq(d->n_notices, 2, "a cleared error stays in the log");
	desk_free(d);
}

Test(desk_log, information_fades)
{
	struct desk *d = desk_new("anna");
	desk_info(d, "connected");
	int64_t now = proto_now_ms();
	cr_assert_not_null(desk_info_now(d, now));
	cr_assert_null(desk_info_now(d, d->info_until), "gone after DESK_INFO_MS");
	cr_assert_geq(d->info_until - now, DESK_INFO_MS - 1000);
	desk_free(d);
}

Test(desk_log, the_log_keeps_the_full_text_and_drops_the_oldest)
{
	struct desk *d = desk_new("anna");
	char longer[2048];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	desk_set_error(d, "%s", longer);
	cr_assert_eq(strlen(d->notices[0].text), sizeof longer - 1, "never cut");
	for (int i = 0; i < DESK_NOTICES_MAX + 5; i++)
		desk_log(d, DESK_NOTICE_INFO, "line %d", i);
	cr_assert_eq(d->n_notices, DESK_NOTICES_MAX);
	cr_assert_str_eq(d->notices[DESK_NOTICES_MAX - 1].text, "line 1004");
	cr_assert_str_eq(d->notices[0].text, "line 5");
	desk_free(d);
}

Test(desk_log, connection_changes_go_to_the_log)
{
	struct desk *d = desk_new("anna");
	desk_set_conn(d, DESK_CONN_ONLINE, NULL, 0);
	desk_set_conn(d, DESK_CONN_OFFLINE, "the hub closed the connection", 0);
	cr_assert_eq(d->n_notices, 2);
	cr_assert_str_eq(d->notices[0].text, "connected");
	cr_assert(strstr(d->notices[1].text, "the hub closed the connection"));
	cr_assert_eq(d->notices[1].kind, DESK_NOTICE_ERROR);
	desk_free(d);
}
