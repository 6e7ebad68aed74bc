/* test_ui_screen.c: screen tests at fixed sizes. The ui draws into a real ncurses screen whose output goes
 * to /dev/null; the test reads back what the terminal would show (curscr): the brief's screen texts,
 * sanitized untrusted text in the "marked" style, wide characters, popups and the too-small screen. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/cmd_keys.h"
#include "opdesk/cmd_popups.h"
#include "opdesk/ui_color.h"
#include "opdesk/ui_render.h"
#include "opdesk/ui_screen.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

struct rig {
	struct desk *desk;
	struct deskview view;
	struct cmd_keymap km;
	struct cmd_ctx ctx;
	struct ui ui;
	FILE *out, *in;
};

static void rig_changed(void *arg, unsigned what, int64_t dialog)
{
	struct rig *r = arg;
	cmd_desk_changed(&r->ctx, what, dialog);
}

static int rig_send(void *arg, const struct proto_msg *m)
{
	(void)arg;
	(void)m;
	return 0;
}

static struct rig *rig_new(int cols, int lines)
{
	setlocale(LC_ALL, "");
	cr_assert(MB_CUR_MAX > 1, "tests need a UTF-8 locale (LC_ALL=C.UTF-8)");
	char buf[16];
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof buf, "%d", lines);
	setenv("LINES", buf, 1);
	unsetenv("NO_COLOR");
	struct rig *r = xcalloc(1, sizeof *r);
	r->desk = desk_new("demo");
	deskview_init(&r->view, r->desk);
	cmd_keymap_init(&r->km);
	r->ctx = (struct cmd_ctx){.desk = r->desk, .view = &r->view};
	struct desk_observer obs = {.changed = rig_changed, .arg = r};
	struct desk_transport tr = {.send = rig_send, .arg = r};
	desk_set_observer(r->desk, &obs);
	desk_set_transport(r->desk, &tr);
	r->out = fopen("/dev/null", "w");
	r->in = fopen("/dev/null", "r");
	char *cause = NULL;
	int rc = ui_screen_init(&r->ui, r->desk, &r->view, &r->km, "xterm-256color", r->out, r->in, &cause);
	cr_assert_eq(rc, 0, "%s", cause ? cause : "");
	cr_assert_eq(COLS, cols);
	cr_assert_eq(LINES, lines);
	return r;
}

static void rig_free(struct rig *r)
{
	ui_screen_fini(&r->ui);
	cmd_keymap_free(&r->km);
	deskview_fini(&r->view);
	desk_free(r->desk);
	fclose(r->out);
	fclose(r->in);
	free(r);
}

static void render(struct rig *r)
{
	ui_render_if_dirty(&r->ui);
}

/* Row y as the terminal shows it (UTF-8); wide characters appear once. */
static char *row(int y)
{
	char *s = xmalloc((size_t)COLS * 4 * 5 + 1), *p = s;
	for (int x = 0; x < COLS; x++) {
		cchar_t cc;
		if (mvwin_wch(curscr, y, x, &cc) == ERR)
			break;
		wchar_t wch[CCHARW_MAX + 1];
		attr_t a;
		short pair;
		getcchar(&cc, wch, &a, &pair, NULL);
		for (int k = 0; wch[k]; k++)
			p += utf8_encode((uint32_t)wch[k], p);
		int w = wcwidth(wch[0]);
		if (w == 2)
			x++; /* the next column continues this character */
	}
	*p = '\0';
	return s;
}

static bool screen_has(const char *needle, int *where)
{
	for (int y = 0; y < LINES; y++) {
		char *s = row(y);
		bool found = strstr(s, needle) != NULL;
		free(s);
		if (found) {
			if (where)
				*where = y;
			return true;
		}
	}
	return false;
}

static void dump(void)
{
	for (int y = 0; y < LINES; y++) {
		char *s = row(y);
		fprintf(stderr, "%2d|%s|\n", y, s);
		free(s);
	}
}

#define assert_screen_has(text)                                                                              \
	do {                                                                                                 \
		if (!screen_has(text, NULL)) {                                                               \
			dump();                                                                              \
			cr_assert_fail("screen lacks \"%s\"", text);                                         \
		}                                                                                            \
	} while (0)

static struct proto_message pmsg(int64_t dialog, int64_t seq, enum proto_sender from, const char *author,
                                 const char *text)
{
	return (struct proto_message){.id = seq,
	                              .dialog = dialog,
	                              .seq = seq,
	                              .time = proto_now_ms() - 60000,
	                              .sender = from,
	                              .author = (char *)author,
	                              .text = (char *)text};
}

static void welcome(struct rig *r, struct proto_dialog *dls, size_t n, struct proto_queue_item *items,
                    size_t ni)
{
	struct proto_msg w = {.type = PROTO_WELCOME, .time = proto_now_ms()};
	w.op = (struct proto_operator){.user = "demo", .capacity = 4};
	w.dialogs = dls;
	w.n_dialogs = n;
	w.items = items;
	w.n_items = ni;
	desk_apply(r->desk, &w);
}

Test(ui_screen, status_queue_and_pane_texts)
{
	struct rig *r = rig_new(120, 40);
	render(r);
	assert_screen_has("demo");
	assert_screen_has("connecting");
	struct proto_queue_item items[] = {
	    {.dialog = 10,
	     .customer = "Пётр",
	     .channel = PROTO_CH_VK,
	     .since = proto_now_ms() - 75000,
	     .preview = "Здравствуйте, где заказ?"},
	    {.dialog = 11, .customer = "Ivan", .channel = PROTO_CH_WEB, .since = proto_now_ms() - 5000},
	};
	struct proto_message msgs[] = {
	    pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "Добрый день! Где мой заказ 12345?"),
	    pmsg(7, 2, PROTO_FROM_OPERATOR, "demo", "Сейчас проверю 中文 😀"),
	};
	struct proto_dialog dl = {.id = 7,
	                          .customer = "Ольга",
	                          .channel = PROTO_CH_TELEGRAM,
	                          .queue = "general",
	                          .state = PROTO_DS_ASSIGNED,
	                          .messages = msgs,
	                          .n_messages = 2,
	                          .last_seq = 2};
	welcome(r, &dl, 1, items, 2);
	render(r);
	assert_screen_has("online");
	assert_screen_has("queue: 2");
	assert_screen_has("Пётр");
	assert_screen_has("vk");
	assert_screen_has("1:15");
	assert_screen_has("Ольга · telegram");
	assert_screen_has("Добрый день! Где мой заказ 12345?");
	assert_screen_has("demo: Сейчас проверю 中文 😀");
	int y;
	cr_assert(screen_has("queue: 2", &y));
	cr_assert_eq(y, LINES - 1, "the status bar is the bottom line");
	rig_free(r);
}

Test(ui_screen, closed_and_rated)
{
	struct rig *r = rig_new(80, 24);
	struct proto_message msgs[] = {pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "Спасибо!")};
	struct proto_dialog dl = {.id = 7,
	                          .customer = "Ольга",
	                          .channel = PROTO_CH_WEB,
	                          .queue = "general",
	                          .state = PROTO_DS_ASSIGNED,
	                          .messages = msgs,
	                          .n_messages = 1};
	welcome(r, &dl, 1, NULL, 0);
	render(r);
	struct proto_msg cl = {.type = PROTO_CLOSED, .dialog = 7, .topic = "order", .by = PROTO_BY_OPERATOR};
	desk_apply(r->desk, &cl);
	render(r);
	assert_screen_has("closed");
	struct proto_msg rt = {.type = PROTO_RATING, .dialog = 7, .score = 5};
	desk_apply(r->desk, &rt);
	render(r);
	assert_screen_has("Customer rated 5/5");
	bool closed = false; /* the header: her name, and the state on its right */
	for (int y = 0; y < LINES && !closed; y++) {
		char *s = row(y);
		closed = strstr(s, "Ольга · web") && strstr(s, "closed");
		free(s);
	}
	cr_assert(closed, "Ольга's header does not say closed");
	rig_free(r);
}

Test(ui_screen, untrusted_text_is_sanitized_and_marked)
{
	struct rig *r = rig_new(100, 30);
	struct proto_queue_item items[] = {
	    {.dialog = 10, .customer = "\x1b[31mEvil", .channel = PROTO_CH_WEB, .since = proto_now_ms()},
	};
	struct proto_message msgs[] = {
	    pmsg(7, 1, PROTO_FROM_CUSTOMER, "x", "bell\x07 clear\x1b[2J rlo\u202Eevil"),
	};
	struct proto_dialog dl = {.id = 7,
	                          .customer = "Bad\x1b]0;title\x07Name",
	                          .channel = PROTO_CH_WEB,
	                          .queue = "general",
	                          .state = PROTO_DS_ASSIGNED,
	                          .messages = msgs,
	                          .n_messages = 1};
	welcome(r, &dl, 1, items, 1);
	render(r);
	assert_screen_has("^[[31mEvil");
	assert_screen_has("bell^G clear^[[2J rloevil");
	assert_screen_has("Bad^[]0;title^GName");
	/* the stand-in is drawn in the marked role */
	int y;
	cr_assert(screen_has("^[[31mEvil", &y));
	char *s = row(y);
	int x = (int)utf8_length(s, (size_t)(strstr(s, "^[[31mEvil") - s));
	free(s);
	cchar_t cc;
	mvwin_wch(curscr, y, x, &cc);
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a;
	short pair;
	getcchar(&cc, wch, &a, &pair, NULL);
	cr_assert_eq(wch[0], L'^');
	cr_assert_eq(pair, ui_color_pair(UI_C_MARKED));
	mvwin_wch(curscr, y, x + 2, &cc); /* '[' after the stand-in is plain */
	getcchar(&cc, wch, &a, &pair, NULL);
	cr_assert_neq(pair, ui_color_pair(UI_C_MARKED));
	rig_free(r);
}

Test(ui_screen, too_small_and_resize_back)
{
	struct rig *r = rig_new(60, 20);
	render(r);
	assert_screen_has("Terminal too small");
	resizeterm(24, 80);
	r->ui.lines = LINES;
	r->ui.cols = COLS;
	ui_screen_layout(&r->ui);
	render(r);
	cr_assert_not(screen_has("Terminal too small", NULL));
	assert_screen_has("connecting");
	rig_free(r);
}

Test(ui_screen, topic_picker_and_typing)
{
	struct rig *r = rig_new(100, 30);
	struct proto_dialog dl = {.id = 7,
	                          .customer = "Ольга",
	                          .channel = PROTO_CH_VK,
	                          .queue = "general",
	                          .state = PROTO_DS_ASSIGNED};
	welcome(r, &dl, 1, NULL, 0);
	render(r);
	const wchar_t *text = L"Привет, 世界";
	for (const wchar_t *p = text; *p; p++)
		cmd_keys_dispatch(&r->ctx, &r->km, (int)*p);
	render(r);
	assert_screen_has("> Привет, 世界");
	cr_assert_eq(r->ui.cursor_x, r->ui.pane_r[0].x + 2 + 12, "cursor after the text (世界 is 4 columns)");
	cmd_keys_dispatch(&r->ctx, &r->km, CMD_KEY_F(8));
	render(r);
	assert_screen_has("Close the dialog: Ольга");
	assert_screen_has("1  Order");
	assert_screen_has("7  Other");
	cmd_keys_dispatch(&r->ctx, &r->km, CMD_KEY_ESC);
	render(r);
	cr_assert_not(screen_has("Close the dialog:", NULL));
	rig_free(r);
}

Test(ui_screen, four_panes_and_long_history)
{
	struct rig *r = rig_new(80, 24);
	struct proto_message msgs[40];
	char texts[40][64];
	for (int i = 0; i < 40; i++) {
		snprintf(texts[i], sizeof texts[i], "message number %d with some words to wrap", i + 1);
		msgs[i] = pmsg(1, i + 1, i % 2 ? PROTO_FROM_OPERATOR : PROTO_FROM_CUSTOMER,
		               i % 2 ? "demo" : "Анна", texts[i]);
	}
	struct proto_dialog dls[4] = {
	    {.id = 1, .customer = "Анна", .state = PROTO_DS_ASSIGNED, .messages = msgs, .n_messages = 40},
	    {.id = 2, .customer = "Борис", .state = PROTO_DS_ASSIGNED},
	    {.id = 3, .customer = "Вера", .state = PROTO_DS_ASSIGNED},
	    {.id = 4, .customer = "Глеб", .state = PROTO_DS_ASSIGNED},
	};
	welcome(r, dls, 4, NULL, 0);
	render(r);
	assert_screen_has("Анна");
	assert_screen_has("Борис");
	assert_screen_has("Вера");
	assert_screen_has("Глеб");
	assert_screen_has("40 with some");
	cr_assert_not(screen_has(" 30 with", NULL));
	cmd_keys_dispatch(&r->ctx, &r->km, CMD_KEY_PPAGE);
	cmd_keys_dispatch(&r->ctx, &r->km, CMD_KEY_PPAGE);
	render(r);
	cr_assert_not(screen_has("40 with some", NULL));
	assert_screen_has(" newer");
	for (int i = 0; i < 40; i++)
		cmd_keys_dispatch(&r->ctx, &r->km, CMD_KEY_PPAGE);
	render(r);
	assert_screen_has("Анна: message number 1");
	cr_assert_not(screen_has("number 4", NULL), "scrolled to the oldest message");
	/* the count below says how far back the pane is: every message newer than the last one it shows */
	int newest = 0;
	char want[64];
	for (int y = 0; y < LINES; y++) {
		char *s = row(y);
		for (const char *p = s; (p = strstr(p, "number ")) != NULL; p++)
			if (atoi(p + 7) > newest)
				newest = atoi(p + 7);
		free(s);
	}
	snprintf(want, sizeof want, "↓ %d newer", 40 - newest);
	if (!screen_has(want, NULL))
		dump();
	cr_assert(screen_has(want, NULL), "no \"%s\" on the screen", want);
	rig_free(r);
}

/* At 80x24 with four panes a long name gives way: the wait (with its figure), the unread count and the state
 * stay whole in the header. */
Test(ui_screen, pane_headers_keep_the_wait_and_the_state)
{
	struct rig *r = rig_new(80, 24);
	struct proto_message m2 = pmsg(2, 1, PROTO_FROM_CUSTOMER, "x", "Где мой заказ?");
	struct proto_message m3 = pmsg(3, 1, PROTO_FROM_CUSTOMER, "x", "Алло");
	struct proto_dialog dls[4] = {
	    {.id = 1, .customer = "Вера", .state = PROTO_DS_ASSIGNED},
	    {.id = 2, .customer = "Виктория Александровна Константинопольская", .state = PROTO_DS_ASSIGNED,
	     .messages = &m2, .n_messages = 1},
	    {.id = 3, .customer = "Маргарита Вячеславовна Преображенская", .state = PROTO_DS_CLOSED,
	     .messages = &m3, .n_messages = 1},
	    {.id = 4, .customer = "Глеб", .state = PROTO_DS_ASSIGNED},
	};
	welcome(r, dls, 4, NULL, 0);
	/* a new message in pane 2, which is not in focus: "1 new" joins the wait in its header */
	struct proto_msg live = {.type = PROTO_MESSAGE, .msg = pmsg(2, 2, PROTO_FROM_CUSTOMER, "x", "Ау?")};
	desk_apply(r->desk, &live);
	render(r);
	if (!screen_has("1 new  waits 1:", NULL))
		dump();
	cr_assert(screen_has("1 new  waits 1:", NULL), "the unread count or the wait time was cut");
	cr_assert(screen_has("2 Викт", NULL), "the name is not shown at all");
	cr_assert(screen_has("closed", NULL), "the closed state was cut");
	rig_free(r);
}

/* The composer's height is settled before anything draws (ui_render_settle): a draft that wraps to more rows
 * marks its pane dirty and the pass draws the pane's history above the taller composer; no draw function
 * draws another window. */
Test(ui_screen, composer_height_is_settled_before_drawing)
{
	struct rig *r = rig_new(80, 24);
	struct proto_message msgs[] = {pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "последнее сообщение")};
	struct proto_dialog dl = {.id = 7,
	                          .customer = "Ольга",
	                          .channel = PROTO_CH_WEB,
	                          .queue = "general",
	                          .state = PROTO_DS_ASSIGNED,
	                          .messages = msgs,
	                          .n_messages = 1};
	welcome(r, &dl, 1, NULL, 0);
	render(r);
	cr_assert_eq(r->ui.composer_rows[0], 1);
	int before;
	cr_assert(screen_has("последнее сообщение", &before));
	for (int i = 0; i < 150; i++)
		cmd_keys_dispatch(&r->ctx, &r->km, 'a' + i % 26);
	cr_assert_eq(r->view.dirty & DESKVIEW_DIRTY_PANE(0), 0, "typing marks only the composer");
	ui_render_settle(&r->ui);
	cr_assert_eq(r->ui.composer_rows[0], 3, "150 letters in a 54-column composer take three rows");
	cr_assert_neq(r->view.dirty & DESKVIEW_DIRTY_PANE(0), 0, "the pane is to be drawn whole");
	render(r);
	int after;
	cr_assert(screen_has("последнее сообщение", &after));
	cr_assert_eq(after, before - 2, "the history moved up by the two rows the composer took");
	for (int i = 0; i < 150; i++)
		cmd_keys_dispatch(&r->ctx, &r->km, CMD_KEY_BACKSPACE);
	render(r);
	cr_assert_eq(r->ui.composer_rows[0], 1);
	cr_assert(screen_has("последнее сообщение", &after));
	cr_assert_eq(after, before);
	rig_free(r);
}
