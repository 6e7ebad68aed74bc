/* test_client_cmd.c: commands, key tables and the view state, driven by keys exactly as the ui does:
 * typing into the focused composer, Enter sends, F2 takes, F8 opens the topic picker, digits/arrows pick,
 * Esc cancels, Alt-N and Tab move the focus, F10 asks before quitting with open dialogs. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/cmd_keys.h"
#include "opdesk/cmd_popups.h"
#include "opdesk/xalloc.h"

static void setup(void)
{
	setlocale(LC_ALL, "");
}

TestSuite(cmd, .init = setup);

#define MAX_SENT 32
struct rig {
	struct desk *desk;
	struct deskview view;
	struct cmd_keymap km;
	struct cmd_ctx ctx;
	enum proto_type sent[MAX_SENT];
	int64_t sent_dialog[MAX_SENT];
	char *sent_text[MAX_SENT];
	enum proto_status sent_status[MAX_SENT];
	size_t n_sent;
};

static int rig_send(void *arg, const struct proto_msg *m)
{
	struct rig *r = arg;
	cr_assert(r->n_sent < MAX_SENT);
	r->sent[r->n_sent] = m->type;
	r->sent_dialog[r->n_sent] = m->dialog;
	r->sent_status[r->n_sent] = m->status;
	r->sent_text[r->n_sent] = m->text ? xstrdup(m->text) : m->topic ? xstrdup(m->topic) : NULL;
	r->n_sent++;
	return 0;
}

static void rig_changed(void *arg, unsigned what, int64_t dialog)
{
	struct rig *r = arg;
	cmd_desk_changed(&r->ctx, what, dialog);
}

static struct rig *rig_new(size_t n_dialogs)
{
	struct rig *r = xcalloc(1, sizeof *r);
	r->desk = desk_new("op");
	deskview_init(&r->view, r->desk);
	cmd_keymap_init(&r->km);
	r->ctx = (struct cmd_ctx){.desk = r->desk, .view = &r->view};
	struct desk_transport tr = {.send = rig_send, .arg = r};
	struct desk_observer obs = {.changed = rig_changed, .arg = r};
	desk_set_transport(r->desk, &tr);
	desk_set_observer(r->desk, &obs);
	struct proto_dialog dls[8];
	static const char *const names[] = {"Анна", "Борис", "Вера", "Глеб", "Дина", "Егор", "Жанна", "Зоя"};
	for (size_t i = 0; i < n_dialogs; i++)
		dls[i] = (struct proto_dialog){.id = (int64_t)i + 1,
		                               .customer = (char *)names[i],
		                               .state = PROTO_DS_ASSIGNED,
		                               .queue = "general"};
	struct proto_queue_item q = {.dialog = 50, .customer = "Ждущий", .since = 1};
	struct proto_msg w = {
	    .type = PROTO_WELCOME, .dialogs = dls, .n_dialogs = n_dialogs, .items = &q, .n_items = 1};
	w.op = (struct proto_operator){.user = "op", .capacity = 8};
	desk_apply(r->desk, &w);
	return r;
}

static void rig_free(struct rig *r)
{
	for (size_t i = 0; i < r->n_sent; i++)
		free(r->sent_text[i]);
	cmd_keymap_free(&r->km);
	deskview_fini(&r->view);
	desk_free(r->desk);
	free(r);
}

static unsigned key(struct rig *r, int k)
{
	return cmd_keys_dispatch(&r->ctx, &r->km, k);
}

static void keys_text(struct rig *r, const wchar_t *s)
{
	for (; *s; s++)
		key(r, (int)*s);
}

static char *draft(struct rig *r)
{
	struct desk_dialog *dl = deskview_focused(&r->view);
	cr_assert_not_null(dl);
	return textedit_utf8(&dl->draft, false);
}

Test(cmd, defaults_name_existing_commands)
{
	for (size_t i = 0; i < cmd_n_default_bindings; i++)
		cr_assert_not_null(cmd_find(cmd_default_bindings[i].command), "%s",
		                   cmd_default_bindings[i].command);
	for (size_t i = 0; cmd_table[i]; i++) {
		cr_assert(cmd_table[i]->help && *cmd_table[i]->help);
		for (size_t k = i + 1; cmd_table[k]; k++)
			cr_assert_str_neq(cmd_table[i]->name, cmd_table[k]->name);
	}
}

Test(cmd, key_names_round_trip)
{
	/* the names the help overlay shows, as the man page writes them */
	const char *names[] = {"F2",  "F10",  "Alt-1",     "Alt-4",     "Enter", "Tab",       "Shift-Tab",
	                       "Esc", "PgUp", "PgDn",      "Ctrl-A",    "Ctrl-W", "Backspace", "Delete",
	                       "x",   "ж",    "Up",        "Alt-Enter", "Space",  "Shift-F1",  "Shift-F4",
	                       "Alt-Shift-F2", "Ctrl-Left"};
	char buf[32];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		int k = cmd_key_parse(names[i]);
		cr_assert(k >= 0, "%s", names[i]);
		cr_assert_str_eq(cmd_key_name(k, buf, sizeof buf), names[i]);
	}
	cr_assert_eq(cmd_key_parse("F2"), CMD_KEY_F(2));
	/* the older tmux-like spellings still read */
	cr_assert_eq(cmd_key_parse("BTab"), CMD_KEY_BTAB);
	cr_assert_eq(cmd_key_parse("C-a"), 1);
	cr_assert_eq(cmd_key_parse("ctrl-a"), 1);
	cr_assert_eq(cmd_key_parse("M-S-F2"), CMD_KEY_META | CMD_KEY_F(14));
	cr_assert_eq(cmd_key_parse("Escape"), CMD_KEY_ESC);
	cr_assert_eq(cmd_key_parse("M-1"), CMD_KEY_META | '1');
	cr_assert_eq(cmd_key_parse("nonsense"), -1);
	cr_assert_eq(cmd_key_parse("F99"), -1);
	cr_assert_eq(cmd_key_parse("S-F1"), CMD_KEY_F(13)); /* what curses calls Shift-F1 on xterm */
	cr_assert_eq(cmd_key_parse("F13"), CMD_KEY_F(13));
	cr_assert_eq(cmd_key_parse("S-F13"), -1);
	cr_assert_eq(cmd_key_parse(""), -1);
}

Test(cmd, brief_keys_are_bound)
{
	struct cmd_keymap km;
	cmd_keymap_init(&km);
	struct {
		int key;
		const char *cmd;
	} want[] = {
	    {CMD_KEY_F(2), "take"},   {CMD_KEY_ENTER, "send"},       {CMD_KEY_TAB, "next-dialog"},
	    {CMD_KEY_META | '1', "focus"}, {CMD_KEY_META | '4', "focus"},
	    {CMD_KEY_F(13), "focus"},      {CMD_KEY_F(16), "focus"}, {CMD_KEY_F(8), "close"},
	    {CMD_KEY_F(10), "quit"},       {CMD_KEY_PPAGE, "scroll-up"},  {CMD_KEY_NPAGE, "scroll-down"},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const struct cmd_binding *b = cmd_keymap_lookup(&km, CMD_TABLE_NORMAL, want[i].key);
		cr_assert_not_null(b);
		cr_assert_str_eq(b->command, want[i].cmd);
	}
	char *cause = NULL;
	cr_assert_eq(cmd_keymap_bind(&km, CMD_TABLE_NORMAL, CMD_KEY_F(3), "no-such-command", NULL, &cause),
	             -1);
	cr_assert_not_null(cause);
	free(cause);
	cr_assert_eq(cmd_keymap_bind(&km, CMD_TABLE_NORMAL, CMD_KEY_F(2), "help", NULL, &cause), 0);
	cr_assert_str_eq(cmd_keymap_lookup(&km, CMD_TABLE_NORMAL, CMD_KEY_F(2))->command, "help");
	cmd_keymap_free(&km);
}

Test(cmd, typing_and_enter_sends_to_focused_dialog)
{
	struct rig *r = rig_new(2);
	cr_assert_eq(r->view.n_slots, 2);
	cr_assert_eq(r->view.focus, 0);
	keys_text(r, L"Добрый день");
	char *s = draft(r);
	cr_assert_str_eq(s, "Добрый день");
	free(s);
	cr_assert_eq(r->sent[0], PROTO_TYPING);
	key(r, CMD_KEY_BACKSPACE);
	key(r, CMD_KEY_ENTER);
	size_t last = r->n_sent - 1;
	cr_assert_eq(r->sent[last - 1], PROTO_SEND);
	cr_assert_str_eq(r->sent_text[last - 1], "Добрый ден");
	cr_assert_eq(r->sent[last], PROTO_TYPING); /* typing off */
	s = draft(r);
	cr_assert_str_eq(s, "");
	free(s);
	/* Enter on an empty composer sends nothing */
	size_t before = r->n_sent;
	key(r, CMD_KEY_ENTER);
	cr_assert_eq(r->n_sent, before);
	rig_free(r);
}

Test(cmd, drafts_are_per_dialog_and_focus_keys)
{
	struct rig *r = rig_new(3);
	keys_text(r, L"first");
	key(r, CMD_KEY_META | '2');
	cr_assert_eq(r->view.focus, 1);
	keys_text(r, L"second");
	key(r, CMD_KEY_TAB);
	cr_assert_eq(r->view.focus, 2);
	key(r, CMD_KEY_TAB);
	cr_assert_eq(r->view.focus, 0);
	char *s = draft(r);
	cr_assert_str_eq(s, "first");
	free(s);
	key(r, CMD_KEY_BTAB);
	cr_assert_eq(r->view.focus, 2);
	key(r, CMD_KEY_META | '2');
	s = draft(r);
	cr_assert_str_eq(s, "second");
	free(s);
	key(r, CMD_KEY_META | '4'); /* no fourth pane: an error, focus unchanged */
	cr_assert_eq(r->view.focus, 1);
	cr_assert_not_null(r->desk->last_error);
	rig_free(r);
}

Test(cmd, editing_keys)
{
	struct rig *r = rig_new(1);
	keys_text(r, L"hello world");
	key(r, 0x17); /* C-w */
	char *s = draft(r);
	cr_assert_str_eq(s, "hello ");
	free(s);
	key(r, 0x01); /* C-a */
	key(r, CMD_KEY_DC);
	key(r, CMD_KEY_RIGHT);
	key(r, 0x0B); /* C-k */
	s = draft(r);
	cr_assert_str_eq(s, "e");
	free(s);
	key(r, 0x15); /* C-u */
	s = draft(r);
	cr_assert_str_eq(s, "");
	free(s);
	/* escape and other controls never reach the draft */
	key(r, 0x07);
	key(r, CMD_KEY_META | 'x');
	s = draft(r);
	cr_assert_str_eq(s, "");
	free(s);
	rig_free(r);
}

Test(cmd, f8_topic_picker_digit_and_arrows)
{
	struct rig *r = rig_new(2);
	key(r, CMD_KEY_F(8));
	cr_assert_eq(r->view.mode, DESKVIEW_TOPIC);
	cr_assert_eq(r->view.topic.dialog, 1);
	keys_text(r, L"x"); /* not typed into the composer while the picker is open */
	char *s = draft(r);
	cr_assert_str_eq(s, "");
	free(s);
	key(r, CMD_KEY_ESC);
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);
	cr_assert_eq(r->n_sent, 0);

	key(r, CMD_KEY_F(8));
	key(r, '4');
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);
	cr_assert_eq(r->sent[0], PROTO_CLOSE);
	cr_assert_eq(r->sent_dialog[0], 1);
	cr_assert_str_eq(r->sent_text[0], "returns");

	key(r, CMD_KEY_META | '2');
	key(r, CMD_KEY_F(8));
	key(r, CMD_KEY_DOWN);
	key(r, CMD_KEY_DOWN);
	key(r, CMD_KEY_UP);
	key(r, CMD_KEY_ENTER);
	cr_assert_eq(r->sent[1], PROTO_CLOSE);
	cr_assert_eq(r->sent_dialog[1], 2);
	cr_assert_str_eq(r->sent_text[1], "company");
	rig_free(r);
}

/* F3 twice before the hub echoes the first: away, then back online (it sent away twice, and a loaded
 * machine's operator stayed away) */
Test(cmd, f3_twice_quickly_is_away_and_back)
{
	struct rig *r = rig_new(0);
	key(r, CMD_KEY_F(3));
	key(r, CMD_KEY_F(3));
	cr_assert_eq(r->n_sent, 2);
	cr_assert_eq(r->sent[0], PROTO_STATUS);
	cr_assert_eq(r->sent_status[0], PROTO_ST_AWAY);
	cr_assert_eq(r->sent_status[1], PROTO_ST_ONLINE);
	/* the echoes come: the third F3 goes away again */
	struct proto_msg st = {.type = PROTO_STATUS, .status = PROTO_ST_AWAY};
	desk_apply(r->desk, &st);
	st.status = PROTO_ST_ONLINE;
	desk_apply(r->desk, &st);
	key(r, CMD_KEY_F(3));
	cr_assert_eq(r->sent_status[2], PROTO_ST_AWAY);
	rig_free(r);
}

Test(cmd, take_next_focuses_the_assigned_dialog)
{
	struct rig *r = rig_new(1);
	key(r, CMD_KEY_F(2));
	cr_assert_eq(r->sent[0], PROTO_TAKE);
	cr_assert(r->view.take_requested);
	struct proto_dialog dl = {.id = 50, .customer = "Ждущий", .state = PROTO_DS_ASSIGNED};
	struct proto_msg a = {.type = PROTO_ASSIGNED, .dialogs = &dl, .n_dialogs = 1};
	desk_apply(r->desk, &a);
	cr_assert_eq(r->view.n_slots, 2);
	cr_assert_eq(deskview_focused(&r->view)->id, 50);
	cr_assert_not(r->view.take_requested);
	rig_free(r);
}

Test(cmd, closed_dialog_pane_is_reused_when_needed)
{
	struct rig *r = rig_new(4);
	cr_assert_eq(r->view.n_slots, 4);
	struct proto_msg cl = {.type = PROTO_CLOSED, .dialog = 3, .by = PROTO_BY_CUSTOMER};
	desk_apply(r->desk, &cl);
	cr_assert_eq(r->view.n_slots, 4, "a closed dialog stays visible");
	cr_assert_eq(deskview_slot_of(&r->view, 3), 2);
	struct proto_dialog dl = {.id = 60, .customer = "Новый", .state = PROTO_DS_ASSIGNED};
	struct proto_msg a = {.type = PROTO_ASSIGNED, .dialogs = &dl, .n_dialogs = 1};
	desk_apply(r->desk, &a);
	cr_assert_eq(deskview_slot_of(&r->view, 60), 2);
	cr_assert_not_null(desk_dialog_find(r->desk, 3), "kept (without a pane) until its rating comes");
	cr_assert_eq(deskview_slot_of(&r->view, 3), -1);
	struct proto_msg rt = {.type = PROTO_RATING, .dialog = 3, .score = 4};
	desk_apply(r->desk, &rt);
	cr_assert_null(desk_dialog_find(r->desk, 3), "forgotten once rated");
	cr_assert_str_eq(desk_info_now(r->desk, proto_now_ms()), "rated 4/5: Вера", "the rating is on the status bar");
	rig_free(r);
}

Test(cmd, f10_asks_when_dialogs_are_open)
{
	struct rig *r = rig_new(1);
	unsigned res = key(r, CMD_KEY_F(10));
	cr_assert_not(res & CMD_QUIT);
	cr_assert_eq(r->view.mode, DESKVIEW_CONFIRM_QUIT);
	key(r, 'n');
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);
	key(r, CMD_KEY_F(10));
	res = key(r, 'y');
	cr_assert(res & CMD_QUIT);
	rig_free(r);

	r = rig_new(0);
	res = key(r, CMD_KEY_F(10));
	cr_assert(res & CMD_QUIT, "nothing open: quit at once");
	rig_free(r);
}

Test(cmd, help_overlay_any_key_closes)
{
	struct rig *r = rig_new(1);
	key(r, CMD_KEY_F(1));
	cr_assert_eq(r->view.mode, DESKVIEW_HELP);
	key(r, 'q');
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);
	char *s = draft(r);
	cr_assert_str_eq(s, "", "the key that closed the help is not typed");
	free(s);
	rig_free(r);
}

Test(cmd, typing_without_dialog_hints)
{
	struct rig *r = rig_new(0);
	key(r, 'a');
	cr_assert_not_null(r->desk->last_error);
	cr_assert_eq(cmd_run(&r->ctx, "no-such", NULL), 0);
	rig_free(r);
}

Test(cmd, unrated_closed_dialogs_are_bounded)
{
	struct rig *r = rig_new(4);
	for (int64_t i = 0; i < 20; i++) {
		int64_t victim = r->view.slot[i % 4];
		struct proto_msg cl = {.type = PROTO_CLOSED, .dialog = victim, .by = PROTO_BY_CUSTOMER};
		desk_apply(r->desk, &cl);
		struct proto_dialog dl = {.id = 100 + i, .customer = "Новый", .state = PROTO_DS_ASSIGNED};
		struct proto_msg a = {.type = PROTO_ASSIGNED, .dialogs = &dl, .n_dialogs = 1};
		desk_apply(r->desk, &a);
		cr_assert_eq(deskview_slot_of(&r->view, 100 + i), (int)(i % 4));
	}
	cr_assert_eq(desk_open_count(r->desk), 4);
	cr_assert(r->desk->n_dialogs <= 4 + 8, "%zu dialogs kept", r->desk->n_dialogs);
	rig_free(r);
}

/* The popups are a table of kinds: every mode has its row, each row's key table has bindings and its typing
 * command exists; a mode out of range reads as the normal one. */
Test(cmd, popups_table_has_a_row_per_mode)
{
	for (int m = 0; m < DESKVIEW_MODE_COUNT; m++) {
		const struct cmd_popup *p = cmd_popup_of((enum deskview_mode)m);
		cr_assert_eq((int)p->mode, m, "mode %d has no row of its own", m);
		bool bound = false;
		for (size_t i = 0; i < cmd_n_default_bindings; i++)
			bound |= cmd_default_bindings[i].table == p->keys;
		cr_assert(bound, "mode %d: table %s has no keys", m, cmd_table_name(p->keys));
		cr_assert(!p->type || cmd_find(p->type), "mode %d types with an unknown command", m);
	}
	cr_assert_eq(cmd_popup_of((enum deskview_mode)(DESKVIEW_MODE_COUNT + 3))->mode, DESKVIEW_NORMAL);
}

/* A popup about a dialog follows it (its row's desk_changed): the topic picker closes when the customer
 * finishes the dialog under it, not when another dialog finishes; the transfer list when its dialog goes. */
Test(cmd, popups_follow_their_dialog)
{
	struct rig *r = rig_new(2);
	key(r, CMD_KEY_F(8));
	cr_assert_eq(r->view.mode, DESKVIEW_TOPIC);
	struct proto_msg closed = {.type = PROTO_CLOSED, .dialog = 2, .by = PROTO_BY_CUSTOMER};
	desk_apply(r->desk, &closed);
	cr_assert_eq(r->view.mode, DESKVIEW_TOPIC, "another dialog finished: the picker stays");
	closed.dialog = 1;
	desk_apply(r->desk, &closed);
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL, "its dialog finished: the picker closed");

	rig_free(r);

	r = rig_new(2);
	key(r, CMD_KEY_F(5));
	cr_assert_eq(r->view.mode, DESKVIEW_CHOICE);
	cr_assert_eq(r->view.choice.dialog, 1);
	closed.dialog = 2;
	desk_apply(r->desk, &closed);
	closed.dialog = 1;
	desk_apply(r->desk, &closed);
	cr_assert_eq(r->view.mode, DESKVIEW_CHOICE);
	desk_forget(r->desk, 2);
	cr_assert_eq(r->view.mode, DESKVIEW_CHOICE, "another dialog went: the list stays");
	desk_forget(r->desk, 1);
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL, "its dialog went: the list closed");
	rig_free(r);
}

/* A supervisor's watched dialog: Alt-W asks for its number, the answer gets a pane and the focus even with
 * every pane taken, Enter whispers, F8 says why not, Alt-O asks before taking over and y takes it over. */
Test(cmd, a_watched_pane_whispers_refuses_and_takes_over_after_asking)
{
	struct rig *r = rig_new(4);
	r->desk->role = PROTO_ROLE_SUPERVISOR;
	key(r, CMD_KEY_META | 'w');
	cr_assert_eq(r->view.mode, DESKVIEW_PROMPT, "watch without a number asks for it");
	keys_text(r, L"12");
	key(r, CMD_KEY_ENTER);
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);
	cr_assert_eq(r->sent[r->n_sent - 1], PROTO_WATCH);
	cr_assert_eq(r->sent_dialog[r->n_sent - 1], 12);
	struct proto_dialog pd = {.id = 12, .customer = "Ирина", .state = PROTO_DS_ASSIGNED, .queue = "general"};
	struct proto_msg watching = {.type = PROTO_WATCHING, .dialogs = &pd, .n_dialogs = 1};
	desk_apply(r->desk, &watching);
	struct desk_dialog *dl = deskview_focused(&r->view);
	cr_assert(dl && dl->id == 12, "the watched dialog is in focus");
	cr_assert_eq(r->view.n_slots, 4);

	size_t before = r->n_sent;
	keys_text(r, L"промокод");
	cr_assert_eq(r->n_sent, before, "no typing frames for a watched dialog");
	key(r, CMD_KEY_ENTER);
	cr_assert_eq(r->n_sent, before + 1);
	cr_assert_eq(r->sent[before], PROTO_WHISPER);
	cr_assert_str_eq(r->sent_text[before], "промокод");
	cr_assert(textedit_empty(&dl->draft));

	key(r, CMD_KEY_F(8));
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL, "no topic picker for a watched dialog");
	cr_assert_not_null(strstr(r->desk->last_error, "watched"), "%s", r->desk->last_error);
	key(r, CMD_KEY_F(5));
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL, "no transfer either");
	cr_assert_eq(r->n_sent, before + 1);

	key(r, CMD_KEY_META | 'o');
	cr_assert_eq(r->view.mode, DESKVIEW_CONFIRM_TAKEOVER);
	cr_assert_eq(r->view.takeover.dialog, 12);
	key(r, 'n');
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);
	cr_assert_eq(r->n_sent, before + 1, "no: nothing sent");
	key(r, CMD_KEY_META | 'o');
	key(r, 0x434); /* д */
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);
	cr_assert_eq(r->sent[r->n_sent - 1], PROTO_TAKEOVER);
	cr_assert_eq(r->sent_dialog[r->n_sent - 1], 12);

	/* the question goes if the customer leaves under it */
	key(r, CMD_KEY_META | 'o');
	struct proto_msg closed = {.type = PROTO_CLOSED, .dialog = 12, .by = PROTO_BY_CUSTOMER};
	desk_apply(r->desk, &closed);
	cr_assert_eq(r->view.mode, DESKVIEW_NORMAL);

	key(r, CMD_KEY_META | 'u');
	cr_assert_null(desk_dialog_find(r->desk, 12), "closing the watched pane forgets it");
	cr_assert_eq(r->sent[r->n_sent - 1], PROTO_WATCH);
	cr_assert_eq(r->view.n_slots, 3);
	key(r, CMD_KEY_META | 'u');
	cr_assert_not_null(strstr(r->desk->last_error, "not a watched"), "%s", r->desk->last_error);
	rig_free(r);
}
