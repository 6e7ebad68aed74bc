/* test_client_replay.c: the replay file reader (every kind of mistake named with its line) and the player's
 * model side: frames applied with their times moved to now, the operator's messages acknowledged locally. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/cmd.h"
#include "opdesk/desk_card.h"
#include "opdesk/replay.h"

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/opdesk-replay-XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static bool known(const char *name)
{
	return cmd_find(name) != NULL;
}

#define HEADER "{\"opdesk_replay\":1,\"title\":\"t\",\"t0\":1763877600000}\n"
#define WELCOME                                                                                                  \
	"{\"at\":0,\"frame\":{\"type\":\"welcome\",\"operator\":{\"user\":\"demo\",\"role\":\"operator\",\"status\":" \
	"\"online\",\"capacity\":4},\"dialogs\":[],\"items\":[],\"canned\":[],\"time\":1763877600000}}\n"
#define ASSIGNED                                                                                                 \
	"{\"at\":1000,\"frame\":{\"type\":\"assigned\",\"dialog\":{\"id\":7,\"customer\":\"Ольга\",\"channel\":\"vk\"," \
	"\"queue\":\"general\",\"state\":\"assigned\",\"opened\":1763877600500,\"last_seq\":1,\"messages\":[{\"id\":1," \
	"\"dialog\":7,\"seq\":1,\"time\":1763877600500,\"sender\":\"customer\",\"text\":\"Где заказ?\"}]}}}\n"

Test(replay, a_good_file_loads)
{
	char *p = write_tmp(HEADER "# a comment\n" WELCOME ASSIGNED "{\"at\":2000,\"cmd\":\"insert\",\"arg\":\"Добрый день\"}\n"
	                           "{\"at\":2500,\"cmd\":\"send\"}\n");
	struct replay r;
	char err[512];
	cr_assert_eq(replay_load(&r, p, known, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(r.title, "t");
	cr_assert_eq(r.n, 4);
	struct replay_item it[4];
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(replay_read(&r, i, &it[i], err, sizeof err), 0, "%s", err);
	cr_assert(it[0].is_frame && it[0].frame.type == PROTO_WELCOME);
	cr_assert_str_eq(it[2].cmd, "insert");
	cr_assert_str_eq(it[2].arg, "Добрый день");
	cr_assert_null(it[3].arg);
	cr_assert_eq(replay_event_line(&r, 3), 6);
	/* read back out of order, as a step after a pause may */
	struct replay_item again;
	cr_assert_eq(replay_read(&r, 1, &again, err, sizeof err), 0, "%s", err);
	cr_assert_eq(again.frame.type, PROTO_ASSIGNED);
	replay_item_free(&again);
	for (size_t i = 0; i < 4; i++)
		replay_item_free(&it[i]);
	replay_free(&r);
	unlink(p);
	free(p);
}

Test(replay, mistakes_are_named_with_their_line)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{"", ":1: empty: no header"},
		{WELCOME, ":1: the first line must be the header"},
		{"{\"opdesk_replay\":2,\"t0\":1}\n", ":1: format 2 is not supported"},
		{"{\"opdesk_replay\":1}\n", ":1: \"t0\""},
		{HEADER "not json\n", ":2: not a JSON object"},
		{HEADER "{\"at\":5,\"frame\":{\"type\":\"teleport\"}}\n", ":2: bad frame: "},
		{HEADER "{\"at\":5,\"frame\":{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"x\",\"text\":\"y\"}}\n",
		 ":2: bad frame: "},
		{HEADER "{\"at\":5,\"cmd\":\"teleport\"}\n", ":2: unknown command \"teleport\""},
		{HEADER "{\"at\":5,\"cmd\":\"send\"}\n{\"at\":4,\"cmd\":\"send\"}\n", ":3: \"at\" goes back in time"},
		{HEADER "{\"cmd\":\"send\"}\n", ":2: \"at\""},
		{HEADER "{\"at\":1}\n", ":2: a line has either"},
		{HEADER "{\"at\":1,\"cmd\":\"send\",\"frame\":{}}\n", ":2: a line has either"},
		{HEADER "{\"at\":1,\"cmd\":\"send\",\"speed\":2}\n", ":2: unknown field \"speed\""},
		{HEADER "{\"at\":1,\"cmd\":\"insert\",\"arg\":5}\n", ":2: \"cmd\" and \"arg\" must be strings"},
		{HEADER "{\"at\":4294967296,\"cmd\":\"send\"}\n", ":2: the file is too large"}, /* 49.7 days in */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *p = write_tmp(bad[i].text);
		struct replay r;
		char err[512] = "";
		cr_expect_eq(replay_load(&r, p, known, err, sizeof err), -1, "#%zu accepted", i);
		cr_expect(strncmp(err, p, strlen(p)) == 0 && strstr(err, bad[i].want), "#%zu: \"%s\", want \"%s\"", i, err,
		          bad[i].want);
		unlink(p);
		free(p);
	}
}

static int cmds_run;
static void count_cmd(void *arg, const char *cmd, const char *cmd_arg)
{
	(void)arg;
	(void)cmd;
	(void)cmd_arg;
	cmds_run++;
}

Test(replay, frames_come_with_times_moved_to_now_and_sends_are_acknowledged)
{
	char *p = write_tmp(HEADER WELCOME ASSIGNED "{\"at\":2000,\"cmd\":\"send\"}\n");
	struct replay r;
	char err[512];
	cr_assert_eq(replay_load(&r, p, known, err, sizeof err), 0, "%s", err);
	struct desk *d = desk_new("demo");
	replay_attach(&r, d, count_cmd, NULL, NULL);
	int64_t now = proto_now_ms();
	for (size_t i = 0; i < r.n; i++)
		replay_apply(&r, i, now);
	cr_assert_eq(cmds_run, 1);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert_not_null(dl);
	/* the customer wrote 500 ms before the assignment that is delivered "now" */
	cr_assert(dl->msgs[0]->time > now - 1000 && dl->msgs[0]->time <= now, "time %lld, now %lld",
	          (long long)dl->msgs[0]->time, (long long)now);
	/* the file itself is left as it was, so that playing it twice gives the same */
	struct replay_item it;
	cr_assert_eq(replay_read(&r, 1, &it, err, sizeof err), 0, "%s", err);
	cr_assert_eq(it.frame.dialogs[0].messages[0].time, 1763877600500);
	replay_item_free(&it);
	cr_assert_eq(desk_send_text(d, 7, "Здравствуйте!"), 0);
	cr_assert_eq(dl->n_msgs, 2);
	cr_assert_eq(dl->msgs[1]->seq, 2, "the operator's message was not acknowledged with the next seq");
	cr_assert_eq(dl->msgs[1]->delivery, DESK_DLV_ACKED);
	desk_free(d);
	replay_free(&r);
	unlink(p);
	free(p);
}

Test(replay, a_replayed_send_takes_the_seq_the_hub_gave_it)
{
	/* in the session the customer's "thanks" (seq 2) overtook the operator's answer, which got seq 3 */
	char *p = write_tmp(HEADER WELCOME ASSIGNED
	                    "{\"at\":3000,\"frame\":{\"type\":\"message\",\"id\":9,\"dialog\":7,\"seq\":2,\"time\":"
	                    "1763877603000,\"sender\":\"customer\",\"text\":\"Спасибо\"}}\n");
	struct replay r;
	char err[512];
	cr_assert_eq(replay_load(&r, p, known, err, sizeof err), 0, "%s", err);
	struct desk *d = desk_new("demo");
	replay_attach(&r, d, NULL, NULL, NULL);
	int64_t now = proto_now_ms();
	r.next = 2;
	replay_apply(&r, 0, now);
	replay_apply(&r, 1, now);
	cr_assert_eq(desk_send_text(d, 7, "Уже едет"), 0); /* sent before the customer's frame is played */
	replay_apply(&r, 2, now);
	r.next = 3;
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert_eq(dl->n_msgs, 3, "a message was lost");
	cr_assert_eq(dl->msgs[1]->seq, 2);
	cr_assert_str_eq(dl->msgs[1]->text, "Спасибо");
	cr_assert_eq(dl->msgs[2]->seq, 3);
	cr_assert_str_eq(dl->msgs[2]->text, "Уже едет");
	desk_free(d);
	replay_free(&r);
	unlink(p);
	free(p);
}

Test(replay, a_full_disk_stops_the_recording_with_an_error_not_the_session)
{
	char err[512];
	struct recorder *rec = recorder_open("/dev/full", "t", false, err, sizeof err);
	cr_assert_not_null(rec, "%s", err);
	for (int i = 0; i < 10; i++)
		recorder_cmd(rec, "insert", "text");
	cr_assert(recorder_failed(rec));
	cr_assert_eq(recorder_close(rec, err, sizeof err), -1);
	cr_assert(strstr(err, "/dev/full") && strstr(err, "incomplete"), "%s", err);
}

Test(replay, a_recording_reads_back)
{
	char path[] = "/tmp/opdesk-rec-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	char err[512];
	struct recorder *rec = recorder_open(path, "запись", false, err, sizeof err);
	cr_assert_not_null(rec);
	const char *w = strchr(WELCOME, 'f') + 7; /* the frame object inside the WELCOME line */
	size_t wl = strlen(w) - 2;                /* without the closing "}\n" of the line */
	recorder_frame(rec, w, wl);
	recorder_cmd(rec, "insert", "Привет");
	recorder_cmd(rec, "send", NULL);
	cr_assert_eq(recorder_close(rec, err, sizeof err), 0, "%s", err);
	struct replay r;
	cr_assert_eq(replay_load(&r, path, known, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(r.title, "запись");
	cr_assert_eq(r.n, 3);
	struct replay_item it[2];
	cr_assert_eq(replay_read(&r, 0, &it[0], err, sizeof err), 0, "%s", err);
	cr_assert_eq(replay_read(&r, 1, &it[1], err, sizeof err), 0, "%s", err);
	cr_assert(it[0].is_frame);
	cr_assert_str_eq(it[1].arg, "Привет");
	replay_item_free(&it[0]);
	replay_item_free(&it[1]);
	replay_free(&r);
	unlink(path);
}

Test(replay, a_file_cut_short_while_playing_stops_the_player_with_an_error)
{
	/* a file larger than the reader's buffer, so that later lines are read from the disk when played */
	size_t cap = 200000, len = 0;
	char *text = malloc(cap);
	len += (size_t)snprintf(text + len, cap - len, "%s%s%s", HEADER, WELCOME, ASSIGNED);
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(text + len, cap - len,
		                        "{\"at\":%d,\"frame\":{\"type\":\"message\",\"id\":%d,\"dialog\":7,\"seq\":%d,\"time\":"
		                        "1763877603000,\"sender\":\"customer\",\"text\":\"Сообщение номер %d\"}}\n",
		                        2000 + i, 10 + i, 2 + i, i);
	char *p = write_tmp(text);
	struct replay r;
	char err[512];
	cr_assert_eq(replay_load(&r, p, known, err, sizeof err), 0, "%s", err);
	cr_assert_eq(r.n, 302);
	struct desk *d = desk_new("demo");
	replay_attach(&r, d, NULL, NULL, NULL);
	cr_assert_eq(replay_apply(&r, 0, proto_now_ms()), 0);
	cr_assert_eq(replay_apply(&r, 1, proto_now_ms()), 0);
	cr_assert_eq(truncate(p, (off_t)(strlen(HEADER) + strlen(WELCOME) + strlen(ASSIGNED))), 0);
	cr_assert_eq(replay_apply(&r, 250, proto_now_ms()), -1);
	cr_assert_not_null(d->last_error);
	cr_assert(strstr(d->last_error, ":252: the file got shorter") != NULL, "%s", d->last_error);
	cr_assert_eq(desk_dialog_find(d, 7)->n_msgs, 1, "a message came from a file that no longer has it");
	desk_free(d);
	replay_free(&r);
	unlink(p);
	free(p);
	free(text);
}

Test(replay, a_file_replaced_while_playing_plays_on_as_it_was_loaded)
{
	char *p = write_tmp(HEADER WELCOME ASSIGNED);
	struct replay r;
	char err[512];
	cr_assert_eq(replay_load(&r, p, known, err, sizeof err), 0, "%s", err);
	struct desk *d = desk_new("demo");
	replay_attach(&r, d, NULL, NULL, NULL);
	cr_assert_eq(replay_apply(&r, 0, proto_now_ms()), 0);
	char *other = write_tmp(HEADER WELCOME); /* an editor saves by writing a new file and renaming it */
	cr_assert_eq(rename(other, p), 0);
	cr_assert_eq(replay_apply(&r, 1, proto_now_ms()), 0);
	cr_assert_not_null(desk_dialog_find(d, 7));
	desk_free(d);
	replay_free(&r);
	unlink(p);
	free(p);
	free(other);
}

/* A recorded customer card and a chat read from it look as live as the rest: their times move with the frame's. */
Test(replay, a_recorded_card_and_earlier_chat_move_to_now)
{
	char *p = write_tmp(HEADER WELCOME ASSIGNED
			    "{\"at\":1500,\"frame\":{\"type\":\"customer\",\"dialog\":7,\"id\":3,\"channel\":\"web\","
			    "\"since\":1763877000000,\"names\":[{\"name\":\"Ольга\",\"time\":1763877600000}],"
			    "\"contacts\":[{\"kind\":\"phone\",\"value\":\"+7 912 555-01-23\",\"time\":1763877000000}],"
			    "\"chats\":[{\"dialog\":5,\"opened\":1763877000000,\"closed\":1763877300000,\"state\":\"closed\","
			    "\"queue\":\"general\",\"preview\":\"\"}],\"total\":1}}\n"
			    "{\"at\":1600,\"frame\":{\"type\":\"history\",\"dialog\":{\"id\":5,\"customer\":\"Ольга\","
			    "\"channel\":\"web\",\"queue\":\"general\",\"state\":\"closed\",\"opened\":1763877000000,"
			    "\"last_seq\":1,\"messages\":[]},\"messages\":[{\"id\":1,\"dialog\":5,\"seq\":1,"
			    "\"time\":1763877000000,\"sender\":\"customer\",\"text\":\"Здравствуйте\"}]}}\n");
	struct replay r;
	char err[512];
	cr_assert_eq(replay_load(&r, p, known, err, sizeof err), 0, "%s", err);
	struct desk *d = desk_new("demo");
	replay_attach(&r, d, count_cmd, NULL, NULL);
	int64_t now = proto_now_ms();
	replay_apply(&r, 0, now);
	replay_apply(&r, 1, now);
	replay_apply(&r, 2, now);
	desk_card_read(d, 5); /* the operator asked (the player sends nothing) */
	replay_apply(&r, 3, now);
	const struct desk_card *c = d->card;
	cr_assert(c && c->known && c->n_chats == 1 && c->read_known && c->n_msgs == 1);
	/* recorded 1500 ms into the session, played "now": since was 600 s before that */
	int64_t delta = now - (1763877600000 + 1500);
	cr_expect_eq(c->since, 1763877000000 + delta);
	cr_expect_eq(c->names[0].time, 1763877600000 + delta);
	cr_expect_eq(c->contacts[0].time, 1763877000000 + delta);
	cr_expect_eq(c->chats[0].opened, 1763877000000 + delta);
	cr_expect_eq(c->chats[0].closed, 1763877300000 + delta);
	cr_expect_eq(c->msgs[0].time, 1763877000000 + (now - (1763877600000 + 1600)));
	desk_free(d);
	replay_free(&r);
	unlink(p);
	free(p);
}
