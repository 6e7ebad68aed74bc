/* test_hub_router.c: routing decisions of hub_router, case by case. Each case builds operators and
 * chats, replays events and checks the decisions made and the resulting loads and queue. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "opdesk/hub_router.h"

static struct hub_router *r;
static struct hub_decisions dec;

static void setup(void)
{
	r = hub_router_new();
	dec = (struct hub_decisions){ 0 };
}

static void teardown(void)
{
	hub_decisions_free(&dec);
	hub_router_free(r);
}

TestSuite(hub_router, .init = setup, .fini = teardown);

/* An online operator with `cap` chats, idle since `since`. */
static void online(int64_t op, int cap, int64_t since)
{
	hub_router_operator(r, op, cap, true);
	hub_router_set_presence(r, op, HUB_ONLINE, since, &dec);
}

static void arrive(int64_t dialog, int64_t since, int64_t now)
{
	hub_router_chat_arrived(r, dialog, "general", since, now, &dec);
}

/* The decisions made since the last check, as "dialog>op" pairs, then forget them. */
static void expect(const char *want)
{
	char got[512] = "";
	for (size_t i = 0; i < dec.n; i++) {
		char one[64];
		snprintf(one, sizeof one, "%s%lld>%lld", i ? " " : "", (long long)dec.v[i].dialog,
			 (long long)dec.v[i].op);
		strncat(got, one, sizeof got - strlen(got) - 1);
	}
	cr_expect_str_eq(got, want);
	hub_decisions_clear(&dec);
}

Test(hub_router, chat_goes_to_least_loaded)
{
	online(1, 4, 100);
	online(2, 4, 200);
	arrive(10, 1000, 1000);
	expect("10>1"); /* both empty: 1 idle longer */
	arrive(11, 1001, 1001);
	expect("11>2"); /* 2 has fewer chats */
	arrive(12, 1002, 1002);
	expect("12>1"); /* both 1 chat: 1 got its chat at 1000, earlier than 2 at 1001 */
	cr_expect_eq(hub_router_load(r, 1), 2);
	cr_expect_eq(hub_router_load(r, 2), 1);
}

Test(hub_router, tie_goes_to_the_one_idle_longest)
{
	online(1, 4, 500);
	online(2, 4, 100);
	online(3, 4, 300);
	arrive(10, 1000, 1000);
	expect("10>2");
	arrive(11, 1000, 1001);
	expect("11>3");
	arrive(12, 1000, 1002);
	expect("12>1");
}

Test(hub_router, same_idle_time_lowest_id_wins)
{
	online(7, 4, 100);
	online(3, 4, 100);
	arrive(10, 1000, 1000);
	expect("10>3");
}

Test(hub_router, full_capacity_waits)
{
	online(1, 4, 100);
	for (int i = 0; i < 5; i++)
		arrive(10 + i, 1000 + i, 1000 + i);
	expect("10>1 11>1 12>1 13>1");
	cr_expect_eq(hub_router_load(r, 1), 4);
	cr_expect_eq(hub_router_queue_length(r), 1);
	cr_expect_eq(hub_router_position(r, 14), 1);
	cr_expect_eq(hub_router_holder(r, 14), 0);
}

Test(hub_router, away_and_offline_get_none)
{
	hub_router_operator(r, 1, 4, true);
	hub_router_operator(r, 2, 4, true);
	hub_router_set_presence(r, 1, HUB_AWAY, 10, &dec);
	arrive(10, 1000, 1000);
	expect("");
	cr_expect_eq(hub_router_queue_length(r), 1);
	cr_expect_eq(hub_router_presence(r, 2), HUB_OFFLINE);
}

Test(hub_router, coming_online_drains_oldest_first)
{
	hub_router_operator(r, 1, 2, true);
	arrive(30, 3000, 3000);
	arrive(10, 1000, 3001); /* arrives later but waited longer (e.g. restored) */
	arrive(20, 2000, 3002);
	expect("");
	cr_expect_eq(hub_router_queue_at(r, 0), 10);
	cr_expect_eq(hub_router_queue_at(r, 1), 20);
	cr_expect_eq(hub_router_queue_at(r, 2), 30);
	hub_router_set_presence(r, 1, HUB_ONLINE, 4000, &dec);
	expect("10>1 20>1");
	cr_expect_eq(hub_router_position(r, 30), 1);
}

Test(hub_router, going_away_keeps_chats_and_stops_new_ones)
{
	online(1, 4, 100);
	arrive(10, 1000, 1000);
	expect("10>1");
	hub_router_set_presence(r, 1, HUB_AWAY, 1100, &dec);
	arrive(11, 1200, 1200);
	expect("");
	cr_expect_eq(hub_router_holder(r, 10), 1);
	hub_router_set_presence(r, 1, HUB_ONLINE, 1300, &dec);
	expect("11>1");
}

Test(hub_router, close_frees_capacity_and_pulls_next)
{
	online(1, 1, 100);
	arrive(10, 1000, 1000);
	arrive(11, 1001, 1001);
	arrive(12, 1002, 1002);
	expect("10>1");
	hub_router_dialog_closed(r, 10, 2000, &dec);
	expect("11>1");
	cr_expect_eq(hub_router_load(r, 1), 1);
	cr_expect_eq(hub_router_holder(r, 10), 0);
	hub_router_dialog_closed(r, 12, 2100, &dec); /* a waiting chat closed: just leaves the queue */
	expect("");
	cr_expect_eq(hub_router_queue_length(r), 0);
}

Test(hub_router, take_specific_and_oldest)
{
	hub_router_operator(r, 1, 4, true);
	hub_router_set_presence(r, 1, HUB_AWAY, 100, &dec); /* away: nothing automatic, take still works */
	arrive(10, 1000, 1000);
	arrive(11, 1001, 1001);
	arrive(12, 1002, 1002);
	int64_t got = 0;
	cr_expect_eq(hub_router_take(r, 1, 11, 2000, &got), HUB_ROUTE_OK);
	cr_expect_eq(got, 11);
	cr_expect_eq(hub_router_take(r, 1, 0, 2001, &got), HUB_ROUTE_OK);
	cr_expect_eq(got, 10);
	cr_expect_eq(hub_router_take(r, 1, 11, 2002, &got), HUB_ROUTE_NOT_QUEUED); /* already taken */
	cr_expect_eq(hub_router_take(r, 1, 99, 2002, &got), HUB_ROUTE_NOT_QUEUED);
	cr_expect_eq(hub_router_take(r, 9, 0, 2002, &got), HUB_ROUTE_UNKNOWN_OP);
	cr_expect_eq(hub_router_load(r, 1), 2);
	cr_expect_eq(hub_router_queue_at(r, 0), 12);
	expect("");
}

Test(hub_router, take_refused_at_capacity_and_empty_queue)
{
	online(1, 1, 100);
	arrive(10, 1000, 1000);
	expect("10>1");
	arrive(11, 1001, 1001);
	int64_t got = 0;
	cr_expect_eq(hub_router_take(r, 1, 0, 2000, &got), HUB_ROUTE_CAPACITY);
	cr_expect_eq(hub_router_queue_length(r), 1);
	hub_router_dialog_closed(r, 10, 2001, &dec);
	expect("11>1");
	cr_expect_eq(hub_router_take(r, 1, 0, 2002, &got), HUB_ROUTE_NOT_QUEUED);
}

Test(hub_router, transfer_to_operator)
{
	online(1, 4, 100);
	online(2, 1, 200);
	arrive(10, 1000, 1000);
	expect("10>1");
	cr_expect_eq(hub_router_transfer_to_operator(r, 10, 2, 2000, &dec), HUB_ROUTE_OK);
	expect("10>2");
	cr_expect_eq(hub_router_load(r, 1), 0);
	cr_expect_eq(hub_router_load(r, 2), 1);
	cr_expect_eq(hub_router_holder(r, 10), 2);
}

Test(hub_router, transfer_to_operator_refusals)
{
	online(1, 4, 100);
	online(2, 1, 200);
	hub_router_operator(r, 3, 4, true);
	hub_router_set_presence(r, 3, HUB_AWAY, 300, &dec);
	arrive(10, 1000, 1000);
	arrive(11, 1001, 1001);
	expect("10>1 11>2");
	cr_expect_eq(hub_router_transfer_to_operator(r, 10, 2, 2000, &dec), HUB_ROUTE_CAPACITY);
	cr_expect_eq(hub_router_transfer_to_operator(r, 10, 3, 2000, &dec), HUB_ROUTE_OFFLINE);
	cr_expect_eq(hub_router_transfer_to_operator(r, 10, 9, 2000, &dec), HUB_ROUTE_UNKNOWN_OP);
	cr_expect_eq(hub_router_transfer_to_operator(r, 10, 1, 2000, &dec), HUB_ROUTE_SAME_OP);
	cr_expect_eq(hub_router_transfer_to_operator(r, 99, 2, 2000, &dec), HUB_ROUTE_NOT_ASSIGNED);
	expect("");
	cr_expect_eq(hub_router_holder(r, 10), 1);
	cr_expect_eq(hub_router_load(r, 1), 1);
}

Test(hub_router, transfer_frees_capacity_for_waiting_chat)
{
	online(1, 1, 100);
	online(2, 2, 200);
	arrive(10, 1000, 1000);
	arrive(11, 1001, 1001);
	expect("10>1 11>2");
	cr_expect_eq(hub_router_transfer_to_queue(r, 11, NULL, 1100, &dec), HUB_ROUTE_OK);
	expect(""); /* 11 avoids 2 and 1 is full: it waits */
	cr_expect_eq(hub_router_transfer_to_operator(r, 10, 2, 1200, &dec), HUB_ROUTE_OK);
	expect("10>2 11>1"); /* the move first, then 1's freed place pulls the waiting chat */
	cr_expect_eq(hub_router_queue_length(r), 0);
}

Test(hub_router, transfer_to_queue_keeps_waiting_time_and_avoids_sender)
{
	online(1, 4, 100);
	arrive(10, 1000, 1000);
	expect("10>1");
	hub_router_set_presence(r, 1, HUB_AWAY, 1050, &dec);
	arrive(11, 1100, 1100);
	arrive(12, 1200, 1200);
	hub_router_set_presence(r, 1, HUB_ONLINE, 1250, &dec);
	expect("11>1 12>1");
	cr_expect_eq(hub_router_transfer_to_queue(r, 10, "stylist", 2000, &dec), HUB_ROUTE_OK);
	expect(""); /* 1 sent it back, nobody else online */
	cr_expect_eq(hub_router_position(r, 10), 1);
	arrive(13, 1900, 2001);
	expect("13>1"); /* a different chat may go to 1 */
	cr_expect_eq(hub_router_queue_at(r, 0), 10); /* waited since 1000: still first */
	online(2, 4, 2100);
	expect("10>2");
	cr_expect_eq(hub_router_transfer_to_queue(r, 99, NULL, 2200, &dec), HUB_ROUTE_NOT_ASSIGNED);
}

Test(hub_router, avoided_chat_does_not_block_the_queue)
{
	online(1, 2, 100);
	arrive(10, 1000, 1000);
	expect("10>1");
	hub_router_set_presence(r, 1, HUB_AWAY, 1010, &dec);
	arrive(11, 1100, 1100);
	cr_expect_eq(hub_router_transfer_to_queue(r, 10, NULL, 1200, &dec), HUB_ROUTE_OK);
	hub_router_set_presence(r, 1, HUB_ONLINE, 1300, &dec);
	expect("11>1"); /* 10 is first but avoids 1; 11 behind it is routed */
	int64_t got = 0;
	cr_expect_eq(hub_router_take(r, 1, 10, 1400, &got), HUB_ROUTE_OK); /* a deliberate take is allowed */
}

Test(hub_router, supervisors_are_not_routed_automatically)
{
	hub_router_operator(r, 1, 4, false);
	hub_router_set_presence(r, 1, HUB_ONLINE, 100, &dec);
	arrive(10, 1000, 1000);
	expect("");
	int64_t got = 0;
	cr_expect_eq(hub_router_take(r, 1, 0, 1100, &got), HUB_ROUTE_OK);
	cr_expect_eq(got, 10);
}

Test(hub_router, restore_counts_load_and_release_requeues)
{
	hub_router_operator(r, 1, 2, true);
	hub_router_restore(r, 10, "general", 1000, 1);
	hub_router_restore(r, 11, "general", 1100, 1);
	hub_router_restore(r, 11, "general", 1100, 1); /* twice: counted once */
	arrive(12, 900, 2000);
	hub_router_set_presence(r, 1, HUB_ONLINE, 2100, &dec);
	expect(""); /* full */
	cr_expect_eq(hub_router_load(r, 1), 2);
	int64_t held[4];
	cr_expect_eq(hub_router_held(r, 1, held, 4), 2);
	online(2, 4, 2200);
	expect("12>2");
	hub_router_set_presence(r, 1, HUB_OFFLINE, 2900, &dec); /* 1 disconnects and stays away */
	hub_router_release_operator(r, 1, 3000, &dec);
	expect("10>2 11>2");
	cr_expect_eq(hub_router_load(r, 1), 0);
	cr_expect_eq(hub_router_load(r, 2), 3);
}

Test(hub_router, released_chats_may_return_to_their_operator)
{
	hub_router_operator(r, 1, 4, true);
	hub_router_restore(r, 10, "general", 1000, 1);
	hub_router_release_operator(r, 1, 2000, &dec);
	expect("");
	cr_expect_eq(hub_router_position(r, 10), 1);
	hub_router_set_presence(r, 1, HUB_ONLINE, 3000, &dec);
	expect("10>1");
}

Test(hub_router, zero_capacity_never_routed)
{
	online(1, 0, 100);
	arrive(10, 1000, 1000);
	expect("");
	int64_t got;
	cr_expect_eq(hub_router_take(r, 1, 10, 1100, &got), HUB_ROUTE_CAPACITY);
}

Test(hub_router, skills_keep_a_queue_to_the_operators_who_serve_it)
{
	hub_router_set_skills(r, 1, "general");
	hub_router_set_skills(r, 2, "general,stylist");
	online(1, 4, 100);
	online(2, 4, 200);
	hub_router_chat_arrived(r, 10, "stylist", 1000, 1000, &dec);
	expect("10>2"); /* 1 idles longer but does not serve the stylist queue */
	hub_router_chat_arrived(r, 11, "stylist", 1001, 1001, &dec);
	expect("11>2");
	cr_assert(!hub_router_serves(r, 1, "stylist"));
	cr_assert(hub_router_serves(r, 1, "general"));
	cr_assert(hub_router_serves(r, 2, "stylist"));
	/* a name that only contains a served one is not served */
	hub_router_set_skills(r, 3, "stylist-senior");
	online(3, 4, 50);
	cr_assert(!hub_router_serves(r, 3, "stylist"));
	/* nobody online serves "vip": it waits without blocking the general chat behind it */
	hub_router_chat_arrived(r, 12, "vip", 1002, 1002, &dec);
	arrive(13, 1003, 1003);
	expect("13>1");
	cr_assert_eq(hub_router_queue_length(r), 1);
	/* an operator with no skills set serves every queue */
	online(4, 4, 10);
	expect("12>4");
}

Test(hub_router, take_next_takes_the_oldest_chat_of_a_served_queue)
{
	hub_router_set_queue_mode(r, "general", HUB_QUEUE_MANUAL);
	hub_router_set_queue_mode(r, "stylist", HUB_QUEUE_MANUAL);
	hub_router_set_skills(r, 1, "general");
	online(1, 4, 100);
	hub_router_chat_arrived(r, 10, "stylist", 1000, 1000, &dec);
	hub_router_chat_arrived(r, 11, "general", 1001, 1001, &dec);
	expect("");
	int64_t taken = 0;
	cr_assert_eq(hub_router_take(r, 1, 10, 1002, &taken), HUB_ROUTE_NOT_SERVED);
	cr_assert_eq(hub_router_take(r, 1, 0, 1002, &taken), HUB_ROUTE_OK);
	cr_assert_eq(taken, 11, "took %lld, not the oldest chat it serves", (long long)taken);
	cr_assert_eq(hub_router_take(r, 1, 0, 1003, &taken), HUB_ROUTE_NOT_QUEUED);
}

Test(hub_router, round_robin_gives_each_in_turn_whatever_the_load)
{
	hub_router_set_queue_mode(r, "general", HUB_QUEUE_ROUND_ROBIN);
	online(1, 4, 100);
	online(2, 4, 200);
	online(3, 4, 300);
	for (int i = 0; i < 6; i++)
		arrive(10 + i, 1000 + i, 1000 + i);
	expect("10>1 11>2 12>3 13>1 14>2 15>3");
	/* 1 closes a chat: least-loaded would pick 1 now, round-robin still goes on in turn */
	hub_router_dialog_closed(r, 10, 2000, &dec);
	expect("");
	arrive(16, 2001, 2001);
	expect("16>1");
	arrive(17, 2002, 2002);
	expect("17>2");
}

Test(hub_router, a_manual_queue_waits_for_someone_to_take_it)
{
	hub_router_set_queue_mode(r, "stylist", HUB_QUEUE_MANUAL);
	cr_assert_eq(hub_router_queue_mode(r, "stylist"), HUB_QUEUE_MANUAL);
	cr_assert_eq(hub_router_queue_mode(r, "general"), HUB_QUEUE_LEAST_LOADED);
	online(1, 4, 100);
	hub_router_chat_arrived(r, 10, "stylist", 1000, 1000, &dec);
	arrive(11, 1001, 1001);
	expect("11>1"); /* the general chat is routed, the stylist one waits */
	online(2, 4, 1500);
	expect("");
	cr_assert_eq(hub_router_position(r, 10), 1);
	int64_t taken = 0;
	cr_assert_eq(hub_router_take(r, 2, 10, 1600, &taken), HUB_ROUTE_OK);
	cr_assert_eq(hub_router_holder(r, 10), 2);
}

Test(hub_router, a_returning_customer_goes_first_and_to_the_operator_they_had)
{
	online(1, 1, 100);
	online(2, 1, 200);
	arrive(10, 1000, 1000);
	arrive(11, 1001, 1001);
	expect("10>1 11>2");
	arrive(12, 1002, 1002); /* both busy: 12 waits */
	arrive(13, 1003, 1003);
	cr_assert_eq(hub_router_arrival_position(r, true), 1);
	cr_assert_eq(hub_router_arrival_position(r, false), 3);
	/* the customer who had operator 2 comes back: first in the queue, though 12 and 13 waited longer */
	hub_router_chat_returned(r, 14, "general", 1004, 2, 1004, &dec);
	cr_assert_eq(hub_router_position(r, 14), 1);
	cr_assert_eq(hub_router_position(r, 12), 2);
	cr_assert_eq(hub_router_arrival_position(r, true), 2, "a second returning customer comes after the first");
	/* operator 1 frees a place first: the returning customer does not wait for the one they had */
	hub_router_dialog_closed(r, 10, 2000, &dec);
	expect("14>1");
	/* with both free, the one they had wins over the one idle longer */
	hub_router_dialog_closed(r, 14, 2100, &dec);
	expect("12>1");
	hub_router_dialog_closed(r, 11, 2200, &dec);
	expect("13>2");
	hub_router_dialog_closed(r, 12, 2300, &dec);
	hub_router_dialog_closed(r, 13, 2400, &dec);
	expect("");
	hub_router_chat_returned(r, 15, "general", 2500, 2, 2500, &dec);
	expect("15>2"); /* 1 has been idle longer, but 2 served this customer */
}

Test(hub_router, the_longest_wait_is_not_always_at_the_front)
{
	cr_assert_eq(hub_router_oldest_since(r), 0);
	arrive(1, 1000, 1000);
	arrive(2, 1500, 1500);
	hub_router_chat_returned(r, 3, "general", 2000, 0, 2000, &dec); /* goes first, but waits least */
	cr_assert_eq(hub_router_queue_at(r, 0), 3);
	cr_assert_eq(hub_router_oldest_since(r), 1000);
}

/* A customer's message asks the router, not the store, whether its chat is open: waiting or held is open,
 * closed or never seen is not (the hub then asks the store). */
Test(hub_router, routes_waiting_and_held_dialogs_only)
{
	online(1, 1, 100);
	arrive(10, 1000, 1000);
	arrive(11, 1001, 1001);
	expect("10>1");
	cr_expect(hub_router_routes(r, 10)); /* held by 1 */
	cr_expect(hub_router_routes(r, 11)); /* waiting: 1 is full */
	cr_expect(!hub_router_routes(r, 12));
	hub_router_dialog_closed(r, 10, 2000, &dec);
	expect("11>1");
	cr_expect(!hub_router_routes(r, 10));
	cr_expect(hub_router_routes(r, 11));
}
