/* harness_term.c: a program in a pseudo-terminal (forkpty) whose output is fed into a libvterm screen,
 * so tests read the screen as a user sees it, type keys as xterm sends them, keep every raw byte the
 * program wrote (to look for escape sequences that should never be there), and resize it. Waits poll()
 * on the pty master; the terminal's answers to queries go back through the pty like a real terminal's. */
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vterm.h>

#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

struct e2e_term {
	struct e2e_proc *proc;
	int master;
	bool eof; /* the slave side is gone (EIO) */
	VTerm *vt;
	VTermScreen *vs;
	int rows, cols;
	char *raw;
	size_t raw_len, raw_cap;
	char *text, *row; /* term_screen_text / term_row buffers */
	size_t text_cap, row_cap;
	int bells;
	char title[256];
	/* texts being looked out for (term_watch): seen once any row showed them, however briefly */
	struct term_watch {
		char *text;
		bool seen;
	} watch[8];
	size_t n_watch;
	char *wrow; /* the damage callback's row buffer */
	size_t wrow_cap;
};

static void term_row_into(struct e2e_term *t, int y, char **buf, size_t *cap, size_t *len);

/* ---- libvterm callbacks ---- */

/* The terminal's replies (device attributes, cursor reports...) go back to the program. */
static void term_output_cb(const char *s, size_t len, void *user)
{
	struct e2e_term *t = user;
	size_t off = 0;
	int64_t end = e2e_now_ms() + 2000;
	while (off < len && !t->eof) {
		ssize_t n = write(t->master, s + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && e2e_now_ms() < end) {
			struct pollfd p = {.fd = t->master, .events = POLLOUT};
			poll(&p, 1, 100);
			continue;
		}
		break;
	}
}

static int term_bell_cb(void *user)
{
	struct e2e_term *t = user;
	t->bells++;
	return 1;
}

static int term_prop_cb(VTermProp prop, VTermValue *val, void *user)
{
	struct e2e_term *t = user;
	if (prop == VTERM_PROP_TITLE && val->string)
		snprintf(t->title, sizeof t->title, "%s", val->string);
	return 1;
}

/* Every changed cell: do the rows it touched show a watched text now? This sees a text that a program
 * draws and removes again within one read of its output, which a look at the screen afterwards cannot. */
static int term_damage_cb(VTermRect rect, void *user)
{
	struct e2e_term *t = user;
	bool unseen = false;
	for (size_t i = 0; i < t->n_watch; i++)
		unseen |= !t->watch[i].seen;
	for (int y = rect.start_row; unseen && y < rect.end_row && y < t->rows; y++) {
		size_t len = 0;
		term_row_into(t, y, &t->wrow, &t->wrow_cap, &len);
		for (size_t i = 0; i < t->n_watch; i++)
			if (!t->watch[i].seen && strstr(t->wrow, t->watch[i].text))
				t->watch[i].seen = true;
	}
	return 1;
}

static const VTermScreenCallbacks term_screen_cbs = {
    .damage = term_damage_cb,
    .bell = term_bell_cb,
    .settermprop = term_prop_cb,
};

/* ---- life cycle ---- */

static void term_release(void *arg)
{
	struct e2e_term *t = arg;
	if (t->proc && !t->proc->exited) {
		kill(t->proc->pid, SIGTERM);
		if (!term_wait_exit(t, 5000))
			e2e_proc_stop(t->proc);
	}
	if (t->master >= 0)
		close(t->master);
	if (t->raw && t->proc) { /* for a look with OPDESK_E2E_KEEP=1 */
		char *path = e2e_strf("%s.raw", t->proc->err_path);
		FILE *f = fopen(path, "w");
		if (f) {
			fwrite(t->raw, 1, t->raw_len, f);
			fclose(f);
		}
	}
	vterm_free(t->vt);
	free(t->raw);
	free(t->text);
	free(t->row);
	free(t->wrow);
	for (size_t i = 0; i < t->n_watch; i++)
		free(t->watch[i].text);
	free(t);
}

struct e2e_term *term_spawn(char *const argv[], char *const env[], int rows, int cols, bool stderr_to_pty)
{
	struct e2e_term *t = xcalloc(1, sizeof *t);
	t->master = -1;
	t->rows = rows;
	t->cols = cols;
	t->vt = vterm_new(rows, cols);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, term_output_cb, t);
	t->vs = vterm_obtain_screen(t->vt);
	vterm_screen_set_callbacks(t->vs, &term_screen_cbs, t);
	vterm_screen_enable_altscreen(t->vs, 1);
	vterm_screen_reset(t->vs, 1);

	static unsigned seq;
	char *err_path = e2e_strf("%s/term.%u.err", e2e_dir(), ++seq);
	int errfd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	cr_assert(errfd >= 0, "cannot create %s: %s", err_path, strerror(errno));
	if (!env)
		env = e2e_env(NULL);
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	pid_t parent = getpid();
	pid_t pid = forkpty(&t->master, NULL, NULL, &ws);
	cr_assert(pid >= 0, "forkpty: %s", strerror(errno));
	if (pid == 0) {
		e2e_child_common(parent);
		if (!stderr_to_pty)
			dup2(errfd, 2);
		execve(argv[0], argv, env);
		dprintf(2, "e2e: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(errfd);
	fcntl(t->master, F_SETFD, FD_CLOEXEC);
	fcntl(t->master, F_SETFL, fcntl(t->master, F_GETFL) | O_NONBLOCK);
	const char *base = strrchr(argv[0], '/');
	t->proc = e2e_proc_adopt(base ? base + 1 : argv[0], pid);
	t->proc->err_path = err_path;
	t->proc->daemon = true;
	e2e_defer(term_release, t); /* runs before the process's own release (last in, first out) */
	return t;
}

static struct e2e_term *term_client_env(struct e2e_hub *h, const char *user, const char *secret, int rows, int cols,
                                        const char *const extra[], char *const env[])
{
	static unsigned n;
	n++;
	char *secret_file = e2e_strf("%s/secret.%u", e2e_dir(), n);
	e2e_write_file(secret_file, e2e_strf("%s\n", secret));
	char *argv[40];
	size_t i = 0;
	argv[i++] = e2e_bin("opdesk");
	argv[i++] = "--url";
	argv[i++] = h->url;
	argv[i++] = "--user";
	argv[i++] = (char *)user;
	argv[i++] = "--secret-file";
	argv[i++] = secret_file;
	argv[i++] = "--log";
	argv[i++] = e2e_strf("%s/client.%u.log", e2e_dir(), n);
	argv[i++] = "--log-level";
	argv[i++] = "debug";
	for (size_t k = 0; extra && extra[k] && i < 39; k++)
		argv[i++] = (char *)extra[k];
	argv[i] = NULL;
	return term_spawn(argv, env, rows, cols, false);
}

struct e2e_term *term_client(struct e2e_hub *h, const char *user, const char *secret, int rows, int cols,
                             const char *const extra[])
{
	return term_client_env(h, user, secret, rows, cols, extra, NULL);
}

struct e2e_term *term_client_ru(struct e2e_hub *h, const char *user, const char *secret, int rows, int cols)
{
	static const char *const russian[] = {"LC_ALL=", "LANGUAGE=", "LANG=ru_RU.UTF-8", NULL};
	return term_client_env(h, user, secret, rows, cols, NULL, e2e_env(russian));
}

struct e2e_proc *term_proc(struct e2e_term *t)
{
	return t->proc;
}

/* ---- output ---- */

/* Read whatever is there now; returns bytes read (0: nothing, or EOF). */
static size_t term_read_some(struct e2e_term *t)
{
	size_t total = 0;
	char buf[8192];
	while (!t->eof) {
		ssize_t n = read(t->master, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			t->eof = true; /* EIO: every slave fd is closed */
			break;
		}
		t->raw = xgrow(t->raw, &t->raw_cap, t->raw_len + (size_t)n + 1, 1);
		memcpy(t->raw + t->raw_len, buf, (size_t)n);
		t->raw_len += (size_t)n;
		t->raw[t->raw_len] = '\0';
		vterm_input_write(t->vt, buf, (size_t)n);
		total += (size_t)n;
	}
	return total;
}

/* Wait up to timeout_ms for output and read it; returns bytes read. */
static size_t term_poll_read(struct e2e_term *t, int timeout_ms)
{
	if (t->eof)
		return 0;
	struct pollfd p = {.fd = t->master, .events = POLLIN};
	int r = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (r <= 0)
		return 0;
	size_t n = term_read_some(t);
	if (n == 0 && (p.revents & (POLLHUP | POLLERR)))
		t->eof = true;
	return n;
}

void term_pump(struct e2e_term *t, int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		int left = (int)(end - e2e_now_ms());
		if (left <= 0 || t->eof)
			break;
		term_poll_read(t, left);
	}
}

/* ---- input ---- */

void term_send_n(struct e2e_term *t, const void *bytes, size_t len)
{
	const char *s = bytes;
	size_t off = 0;
	int64_t end = e2e_now_ms() + E2E_WAIT_MS;
	while (off < len) {
		cr_assert(!t->eof, "the program has closed its terminal (%s); screen:\n%s",
		          e2e_proc_how(t->proc), term_screen_text(t));
		ssize_t n = write(t->master, s + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		cr_assert(n < 0 && errno == EAGAIN, "writing to the pty: %s", strerror(errno));
		cr_assert(e2e_now_ms() < end, "the program does not read its terminal; screen:\n%s",
		          term_screen_text(t));
		/* it may be blocked writing to us: read while we wait for room */
		struct pollfd p = {.fd = t->master, .events = POLLOUT | POLLIN};
		if (poll(&p, 1, 100) > 0 && (p.revents & POLLIN))
			term_read_some(t);
	}
}

void term_send(struct e2e_term *t, const char *bytes)
{
	term_send_n(t, bytes, strlen(bytes));
}

void term_key_alt(struct e2e_term *t, char c)
{
	char k[2] = {'\x1b', c};
	term_send_n(t, k, 2);
}

/* ---- the screen ---- */

static void term_buf_put(char **buf, size_t *cap, size_t *len, const char *s, size_t n)
{
	*buf = xgrow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Row y as UTF-8 into (*buf, *cap) at *len, trailing blanks cut. */
static void term_row_into(struct e2e_term *t, int y, char **buf, size_t *cap, size_t *len)
{
	size_t start = *len, keep = *len;
	for (int x = 0; x < t->cols;) {
		VTermScreenCell cell;
		VTermPos pos = {.row = y, .col = x};
		if (!vterm_screen_get_cell(t->vs, pos, &cell)) {
			x++;
			continue;
		}
		if (cell.chars[0] == (uint32_t)-1) { /* the right half of a wide character */
			x++;
			continue;
		}
		if (cell.chars[0] == 0) {
			term_buf_put(buf, cap, len, " ", 1);
		} else {
			for (int k = 0; k < VTERM_MAX_CHARS_PER_CELL && cell.chars[k]; k++) {
				char u[4];
				size_t n = utf8_encode(cell.chars[k], u);
				term_buf_put(buf, cap, len, u, n);
			}
			if (cell.chars[0] != ' ')
				keep = *len;
		}
		x += cell.width > 0 ? cell.width : 1;
	}
	if (keep < start)
		keep = start;
	*len = keep;
	term_buf_put(buf, cap, len, "", 0);
}

int term_cell(struct e2e_term *t, int y, int x, uint32_t *chars, int max, int *width)
{
	term_read_some(t);
	VTermScreenCell cell;
	*width = 1;
	if (y < 0 || y >= t->rows || x < 0 || x >= t->cols ||
	    !vterm_screen_get_cell(t->vs, (VTermPos){.row = y, .col = x}, &cell) || cell.chars[0] == (uint32_t)-1)
		return 0;
	*width = cell.width > 0 ? cell.width : 1;
	int n = 0;
	while (n < max && n < VTERM_MAX_CHARS_PER_CELL && cell.chars[n])
		chars[n] = cell.chars[n], n++;
	return n;
}

const char *term_screen_text(struct e2e_term *t)
{
	term_read_some(t);
	size_t len = 0;
	for (int y = 0; y < t->rows; y++) {
		term_row_into(t, y, &t->text, &t->text_cap, &len);
		if (y + 1 < t->rows)
			term_buf_put(&t->text, &t->text_cap, &len, "\n", 1);
	}
	if (!t->text)
		term_buf_put(&t->text, &t->text_cap, &len, "", 0);
	return t->text;
}

/* The style of the cells under the first occurrence of text: 1 if all are highlighted (reverse video, bold,
 * or a colour of their own), 0 if not, -1 if the text is not on the screen. */
int term_text_highlighted(struct e2e_term *t, const char *text)
{
	int y = term_find_row(t, text);
	if (y < 0)
		return -1;
	const char *row = term_row(t, y), *at = strstr(row, text);
	size_t from = (size_t)(at - row), to = from + strlen(text), bytes = 0;
	int all = 1;
	for (int x = 0; x < t->cols && bytes < to;) {
		VTermScreenCell cell;
		VTermPos pos = {.row = y, .col = x};
		if (!vterm_screen_get_cell(t->vs, pos, &cell) || cell.chars[0] == (uint32_t)-1) {
			x++;
			continue;
		}
		size_t n = 0;
		if (cell.chars[0] == 0) {
			n = 1;
		} else {
			for (int k = 0; k < VTERM_MAX_CHARS_PER_CELL && cell.chars[k]; k++) {
				char u[4];
				n += utf8_encode(cell.chars[k], u);
			}
		}
		if (bytes >= from && !(cell.attrs.reverse || cell.attrs.bold || !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg) ||
		                       !VTERM_COLOR_IS_DEFAULT_FG(&cell.fg)))
			all = 0;
		bytes += n;
		x += cell.width > 0 ? cell.width : 1;
	}
	return all;
}

const char *term_row(struct e2e_term *t, int y)
{
	size_t len = 0;
	term_buf_put(&t->row, &t->row_cap, &len, "", 0);
	if (y >= 0 && y < t->rows)
		term_row_into(t, y, &t->row, &t->row_cap, &len);
	return t->row;
}

int term_find_row(struct e2e_term *t, const char *text)
{
	term_read_some(t);
	for (int y = 0; y < t->rows; y++)
		if (strstr(term_row(t, y), text))
			return y;
	return -1;
}

bool term_has_text(struct e2e_term *t, const char *text)
{
	return strstr(term_screen_text(t), text) != NULL;
}

bool term_wait_until(struct e2e_term *t, bool (*pred)(struct e2e_term *t, void *arg), void *arg, int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		term_read_some(t);
		if (pred(t, arg))
			return true;
		int left = (int)(end - e2e_now_ms());
		if (left <= 0 || t->eof)
			return false;
		term_poll_read(t, left);
	}
}

bool term_row_has_both(struct e2e_term *t, const char *a, const char *b)
{
	term_read_some(t);
	for (int y = 0; y < t->rows; y++) {
		const char *r = term_row(t, y), *at = strstr(r, a);
		if (!at)
			continue;
		/* b after a, in the same pane: before the next pane's separator */
		const char *found = strstr(at + strlen(a), b), *sep = strstr(at + strlen(a), "│");
		if (found && (!sep || found < sep))
			return true;
	}
	return false;
}

static bool term_both_pred(struct e2e_term *t, void *arg)
{
	const char *const *ab = arg;
	return term_row_has_both(t, ab[0], ab[1]);
}

bool term_wait_both(struct e2e_term *t, const char *a, const char *b, int timeout_ms)
{
	const char *ab[] = {a, b};
	return term_wait_until(t, term_both_pred, ab, timeout_ms);
}

int term_wait_any(struct e2e_term *t, const char *const texts[], int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		const char *screen = term_screen_text(t);
		for (int i = 0; texts[i]; i++)
			if (strstr(screen, texts[i]))
				return i;
		int left = (int)(end - e2e_now_ms());
		if (left <= 0 || t->eof)
			return -1;
		term_poll_read(t, left);
	}
}

bool term_wait_text(struct e2e_term *t, const char *text, int timeout_ms)
{
	const char *const texts[] = {text, NULL};
	return term_wait_any(t, texts, timeout_ms) == 0;
}

bool term_wait_row(struct e2e_term *t, int y, const char *text, int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		term_read_some(t);
		if (strstr(term_row(t, y < 0 ? t->rows + y : y), text))
			return true;
		int left = (int)(end - e2e_now_ms());
		if (left <= 0 || t->eof)
			return false;
		term_poll_read(t, left);
	}
}

static struct term_watch *term_watch_find(struct e2e_term *t, const char *text)
{
	for (size_t i = 0; i < t->n_watch; i++)
		if (strcmp(t->watch[i].text, text) == 0)
			return &t->watch[i];
	return NULL;
}

void term_watch(struct e2e_term *t, const char *text)
{
	struct term_watch *w = term_watch_find(t, text);
	if (!w) {
		cr_assert(t->n_watch < sizeof t->watch / sizeof *t->watch, "too many watched texts");
		w = &t->watch[t->n_watch++];
		w->text = xstrdup(text);
	}
	/* the screen as read so far (no read here: output still unread is looked at as it comes) */
	size_t len = 0;
	w->seen = false;
	for (int y = 0; y < t->rows && !w->seen; y++) {
		len = 0;
		term_row_into(t, y, &t->wrow, &t->wrow_cap, &len);
		w->seen = strstr(t->wrow, text) != NULL;
	}
}

static void term_unwatch(struct e2e_term *t, struct term_watch *w)
{
	free(w->text);
	*w = t->watch[--t->n_watch];
}

bool term_wait_gone(struct e2e_term *t, const char *text, int timeout_ms)
{
	if (!term_watch_find(t, text))
		term_watch(t, text);
	struct term_watch *w = term_watch_find(t, text);
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		bool seen = w->seen, gone = !term_has_text(t, text);
		if (seen && gone) {
			term_unwatch(t, w);
			return true;
		}
		int left = (int)(end - e2e_now_ms());
		if (left <= 0 || t->eof) {
			cr_log_info("\"%s\" %s", text, seen ? "did not go" : "was never drawn");
			term_unwatch(t, w);
			return false;
		}
		term_poll_read(t, left);
		w = term_watch_find(t, text);
	}
}

const char *term_raw_output(struct e2e_term *t, size_t *len)
{
	term_read_some(t);
	if (len)
		*len = t->raw_len;
	return t->raw ? t->raw : "";
}

void term_resize(struct e2e_term *t, int rows, int cols)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	term_read_some(t); /* what was drawn for the old size goes to the old screen */
	t->rows = rows;
	t->cols = cols;
	vterm_set_size(t->vt, rows, cols);
	cr_assert(ioctl(t->master, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ: %s", strerror(errno));
}

int term_bells(struct e2e_term *t)
{
	term_read_some(t);
	return t->bells;
}

const char *term_title(struct e2e_term *t)
{
	term_read_some(t);
	return t->title;
}

bool term_wait_exit(struct e2e_term *t, int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		if (!e2e_proc_alive(t->proc)) {
			term_read_some(t); /* what it wrote last */
			return true;
		}
		int left = (int)(end - e2e_now_ms());
		if (left <= 0)
			return false;
		struct pollfd p[2] = {{.fd = t->proc->pidfd, .events = POLLIN},
		                      {.fd = t->eof ? -1 : t->master, .events = POLLIN}};
		if (poll(p, 2, left) > 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (term_read_some(t) == 0 && (p[1].revents & (POLLHUP | POLLERR)))
				t->eof = true;
		}
	}
}

void term_log_screen(struct e2e_term *t, const char *label)
{
	const char *on = getenv("OPDESK_E2E_SCREENS");
	if (on && *on && strcmp(on, "0") != 0)
		cr_log_info("screen %s (%dx%d):\n%s", label, t->cols, t->rows, term_screen_text(t));
}

char *term_stderr(struct e2e_term *t)
{
	return e2e_proc_stderr(t->proc);
}
