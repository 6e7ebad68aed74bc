/* harness.h: the end-to-end test harness: runs the real opdesk, opdesk-hub and opdesk-sim binaries
 * in a per-test temporary directory, drives the client in a pseudo-terminal read back through libvterm,
 * speaks raw WebSocket to the hub, reads the hub's database (SQLite, or PostgreSQL with OPDESK_TEST_PG) and the
 * simulator's events file.
 *
 * Every wait is bounded and sleeps in poll() on the thing it waits for (pty, socket, pidfd, inotify).
 * Everything started here is registered and torn down by e2e_teardown() (the suites' .fini), which
 * kills and reaps the processes and removes the temporary directory, also after a failed assertion.
 * Children get PR_SET_PDEATHSIG, so they die with a test that crashed or timed out.
 *
 * Helpers that cannot continue (a binary missing, a hub that does not start) fail the test with a
 * message that shows what happened (the program's stderr, the screen). Set OPDESK_E2E_KEEP=1 to keep
 * the temporary directories for a look afterwards. */
#ifndef OPDESK_E2E_HARNESS_H
#define OPDESK_E2E_HARNESS_H

#include <criterion/criterion.h> /* before the poison below */
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define E2E_WAIT_MS 20000 /* the default deadline of one wait: generous, yet every wait ends */

/* ---- the test's context (harness.c) ---- */

void e2e_setup(void);                           /* Criterion .init: temp dir under $OPDESK_TEST_TMP */
void e2e_teardown(void);                        /* Criterion .fini: kill, reap, close, remove */
const char *e2e_dir(void);                      /* this test's temporary directory */
char *e2e_path(const char *name);               /* "<dir>/<name>" */
char *e2e_bin(const char *prog);                /* "$OPDESK_BIN_DIR/<prog>"; fails the test if missing */
int64_t e2e_now_ms(void);                       /* CLOCK_MONOTONIC in ms */
char *e2e_slurp(const char *path, size_t *len); /* whole file, NUL-terminated; NULL if unreadable */
void e2e_write_file(const char *path, const char *text);
/* The environment children get: ours without OPDESK_SECRET, plus HOME, XDG_*, TMPDIR inside the
 * test directory, TERM=xterm-256color, LC_ALL=C.UTF-8, then `extra` ("NAME=value", NULL-terminated). */
char **e2e_env(const char *const extra[]);

/* Ownership: heap strings, JSON objects and handles the harness returns belong to the harness and are
 * freed at teardown (tests never free them). e2e_own* hand more memory to the same list. */
void e2e_defer(void (*fn)(void *), void *arg); /* run at teardown, last registered first */
void *e2e_own(void *p);                        /* free(p) at teardown; returns p */
json_t *e2e_own_json(json_t *j);               /* json_decref(j) at teardown; returns j */
char *e2e_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* owned asprintf */

/* Wait until pred(contents) is true for the file at path (inotify on its directory, bounded). */
typedef bool e2e_file_pred(const char *data, size_t len, void *arg);
bool e2e_file_wait(const char *path, e2e_file_pred *pred, void *arg, int timeout_ms);
bool e2e_file_wait_text(const char *path, const char *needle, int timeout_ms);
size_t e2e_count(const char *hay, const char *needle); /* non-overlapping occurrences */

/* ---- processes (harness.c) ---- */

struct e2e_proc {
	char *name;
	pid_t pid;
	int pidfd;
	bool exited;
	int status;     /* waitpid status once exited */
	char *out_path; /* stdout goes here (or to the pty) */
	char *err_path; /* stderr goes here */
	bool daemon;    /* runs until stopped (hub, sim, client): e2e_finish checks it ends cleanly */
};

struct e2e_spawn_opts {
	char *const *env;       /* NULL: e2e_env(NULL) */
	const char *stdin_text; /* fed through a pipe, then closed; NULL: /dev/null (or stdin_fd) */
	int stdin_fd;           /* > 0: the child's stdin (the test keeps writing to the other end of a pipe) */
	int fd3;                /* > 0: passed to the child as fd 3 (for --ready-fd); 0 or -1: none */
};

/* Start argv[0] (a path) with stdout and stderr captured to files named after `name`. */
struct e2e_proc *e2e_spawn(const char *name, char *const argv[], const struct e2e_spawn_opts *o);
bool e2e_proc_wait(struct e2e_proc *p, int timeout_ms); /* true once exited (reaped) */
bool e2e_proc_alive(struct e2e_proc *p);
void e2e_proc_stop(struct e2e_proc *p);          /* SIGTERM, bounded wait, SIGKILL; reaps */
char *e2e_proc_stderr(const struct e2e_proc *p); /* "" if none */
char *e2e_proc_stdout(const struct e2e_proc *p);
/* A human description of how it ended: "exit 0", "signal 9", "running". Static buffer. */
const char *e2e_proc_how(const struct e2e_proc *p);
int e2e_proc_exit_code(const struct e2e_proc *p); /* exit code, 128+signal, or -1 if running */

/* At the end of a test that went well: stop every program still running with SIGTERM and check that
 * each long-running one (hub, sim, client) ended with exit 0, and that no program's stderr holds a
 * sanitizer report (ASan, LSan, UBSan "runtime error"). Failures are reported with the program's stderr. */
void e2e_finish(void);

/* An end-to-end test: Criterion's Test() whose body, when it returns, is followed by e2e_finish(), so every
 * test ends by checking that each program it started exited cleanly with no sanitizer report (Criterion
 * cannot fail a test from .fini). Plain Test() is poisoned in e2e files: a new test cannot forget the check.
 * A program a test stops on purpose in an unclean way (kill -9, an expected failure) is marked
 * `proc->daemon = false` by that test; its stderr is still searched for sanitizer reports. */
#define E2E_TEST(suite, name, ...)                                                                           \
	static void e2e_body_##suite##_##name(void);                                                         \
	CR_EXPAND(CR_TEST_BASE(suite, name, ##__VA_ARGS__, .sentinel_ = 0)) /* Criterion's Test() */          \
	{                                                                                                    \
		e2e_body_##suite##_##name();                                                                 \
		e2e_finish();                                                                                \
	}                                                                                                    \
	static void e2e_body_##suite##_##name(void)

/* For harness files: track a child started some other way (forkpty); in a new child, reset the signal
 * state and arrange to die with the test process (`parent` = getpid() before the fork). */
struct e2e_proc *e2e_proc_adopt(const char *name, pid_t pid);
void e2e_child_common(pid_t parent);

/* Run to completion (bounded): returns the process, exited, with its output in files. */
struct e2e_proc *e2e_run(const char *name, char *const argv[], const struct e2e_spawn_opts *o,
                         int timeout_ms);

/* ---- hub and simulator (harness.c) ---- */

struct e2e_hub {
	struct e2e_proc *proc;
	char *db;  /* what its --db is: the database path, or its PostgreSQL conninfo (e2e_db_target) */
	char *url; /* ws://127.0.0.1:PORT */
	int port;  /* once it serves */
	int ready_fd; /* its --ready-fd pipe until it serves (e2e_hub_serving), then -1 */
};

/* opdesk-hub user add NAME --db DB [extra...] with the secret on stdin; returns the process (exited). */
struct e2e_proc *e2e_hub_user_add(const char *db, const char *name, const char *secret,
                                  const char *const extra[]);
/* A hub on a free port with its own database; `users` is NULL or {"name", "secret", ..., NULL}, added
 * before it starts. `extra` are more hub arguments (NULL-terminated) or NULL. Fails the test if the hub
 * does not report its port in time. */
struct e2e_hub *e2e_hub_start(const char *const users[], const char *const extra[]);
struct e2e_hub *e2e_hub_start_db(const char *db, const char *const users[], const char *const extra[]);
/* The same without waiting until it serves (then e2e_hub_serving). */
struct e2e_hub *e2e_hub_spawn(const char *db, const char *const users[], const char *const extra[]);
/* Wait until the hub reports its port (fails the test if it does not in time, or exits). */
void e2e_hub_serving(struct e2e_hub *h);
/* A hub started with --standby on a free port (url is set now, port once it serves) on database `db`
 * (PostgreSQL), which another hub serves: it takes over when that one stops. */
struct e2e_hub *e2e_hub_standby(const char *db, const char *const extra[]);
int e2e_free_port(void); /* a loopback port nobody listens on now */
bool e2e_hub_log_wait(struct e2e_hub *h, const char *needle, int timeout_ms);
/* opdesk-sim --url HUB --events EVENTS [args...] */
struct e2e_proc *e2e_sim_start(struct e2e_hub *h, const char *events, const char *const args[]);

/* ---- the simulator's events file (harness_events.c) ---- */

/* Wait for a line containing `substr`; returns it or NULL on timeout. */
char *e2e_events_wait_line(const char *path, const char *substr, int timeout_ms);
/* Wait for a JSON line with "ev" == ev and, if key, the string or integer field key equal to value
 * (integers compared in decimal). Returns the object or NULL on timeout. */
json_t *e2e_events_wait(const char *path, const char *ev, const char *key, const char *value, int timeout_ms);
/* How many JSON lines have "ev" == ev and (if key) key == value. */
size_t e2e_events_count(const char *path, const char *ev, const char *key, const char *value);

/* An HTTP request to 127.0.0.1:port (body NULL: none; else sent as JSON); the whole response (status line,
 * headers, body), harness-owned. e2e_http_get: GET with the default deadline. */
char *e2e_http(int port, const char *method, const char *path, const char *body, int timeout_ms);
char *e2e_http_get(int port, const char *path);
long long e2e_metric(int port, const char *name); /* a sample without labels read from GET /metrics */

/* ---- a real browser: headless Chromium through ChromeDriver (harness_webdriver.c) ---- */

struct e2e_browser;
/* Start ChromeDriver and a headless Chromium whose language is `lang` ("ru-RU"); closed at teardown.
 * $OPDESK_CHROMEDRIVER and $OPDESK_CHROMIUM override /usr/bin/chromedriver and /usr/bin/chromium. */
struct e2e_browser *wd_start(const char *lang);
void wd_open(struct e2e_browser *b, const char *url);
void wd_type(struct e2e_browser *b, const char *css, const char *text); /* keys into the element, once shown */
void wd_click(struct e2e_browser *b, const char *css); /* once it is shown and enabled */
const char *wd_text(struct e2e_browser *b, const char *css); /* its visible text */
json_t *wd_script(struct e2e_browser *b, const char *script, json_t *args); /* what the script returned */
/* Wait (in the page, on its mutations) until the element's text holds `text` / no element matches css. */
bool wd_wait_text(struct e2e_browser *b, const char *css, const char *text, int timeout_ms);
bool wd_wait_none(struct e2e_browser *b, const char *css, int timeout_ms);
#define wd_expect(b, css, text)                                                                              \
	cr_assert(wd_wait_text((b), (css), (text), E2E_WAIT_MS), "\"%s\" did not show in %s; it shows:\n%s",  \
	          (text), (css), wd_text((b), (css)))

/* ---- the hub's database (harness_db.c) ---- */

/* With OPDESK_TEST_PG (a libpq conninfo without dbname; the CTest label pg), a database path stands for a
 * PostgreSQL database of its own, made empty on first use, and the hub runs on it; else it is the SQLite file. */
bool e2e_db_is_pg(void);
/* What to give the hub's --db for `path`: the path, or its PostgreSQL database's conninfo. */
const char *e2e_db_target(const char *path);
struct e2e_db;
struct e2e_db *e2e_db_open(const char *path); /* read-only on SQLite, registered for teardown */
/* sqlite3_mprintf-style SQL (use %Q for strings, %lld for int64), plain SQL both engines run. The first
 * column of the first row; `missing` when there is no row. Fails the test on an SQL error. */
long long e2e_db_int(struct e2e_db *db, long long missing, const char *fmt, ...);
char *e2e_db_text(struct e2e_db *db, const char *fmt, ...); /* NULL when there is no row or it is NULL */
struct e2e_term;
/* Wait until the query's integer is `want`, reading terminal t's output meanwhile, within E2E_WAIT_MS (a
 * bound: it returns as soon as the row is there). Returns the last value read (-1 for no row). */
long long e2e_db_wait_int(struct e2e_db *db, struct e2e_term *t, long long want, const char *fmt, ...);
/* The engine's expression for the text at `key` of the JSON object in `column`. */
const char *e2e_db_json(struct e2e_db *db, const char *column, const char *key);
/* "ok" when the database is sound (SQLite: PRAGMA integrity_check; PostgreSQL: amcheck of every index), else
 * what is wrong. */
char *e2e_db_check(struct e2e_db *db);
/* Write to the database at `path` (fixture rows), committed when it returns; fails the test on an error. */
void e2e_db_exec(const char *path, const char *fmt, ...);

/* A PostgreSQL cluster of the test's own (scripts/pg-cluster start DIR --fast, DIR under /tmp), stopped and
 * removed at teardown: for tests that stop or kill the server. */
struct e2e_pg;
struct e2e_pg *e2e_pg_start(void);
void e2e_pg_stop(struct e2e_pg *pg, bool immediate); /* fast shutdown, or immediate: as if it crashed */
void e2e_pg_restart(struct e2e_pg *pg);
const char *e2e_pg_db(struct e2e_pg *pg, const char *name); /* create database NAME; its conninfo */
/* A streaming standby of PRIMARY named NAME, synchronous (the primary's commits wait for it), started. */
struct e2e_pg *e2e_pg_standby(struct e2e_pg *primary, const char *name);
void e2e_pg_promote(struct e2e_pg *pg); /* the standby becomes a primary */
/* The conninfo of database NAME on whichever of A and B takes writes (libpq tries them in order). */
const char *e2e_pg_either_db(struct e2e_pg *a, struct e2e_pg *b, const char *name);

/* ---- the client in a pseudo-terminal (harness_term.c) ---- */

struct e2e_term;

/* Run argv in a new pty of rows x cols; stderr goes to a file unless stderr_to_pty. */
struct e2e_term *term_spawn(char *const argv[], char *const env[], int rows, int cols, bool stderr_to_pty);
/* opdesk --url HUB --user USER --secret-file FILE --log FILE [extra...] */
struct e2e_term *term_client(struct e2e_hub *h, const char *user, const char *secret, int rows, int cols,
                             const char *const extra[]);
/* The same under a Russian locale (LANG=ru_RU.UTF-8, nothing overriding it). */
struct e2e_term *term_client_ru(struct e2e_hub *h, const char *user, const char *secret, int rows, int cols);
struct e2e_proc *term_proc(struct e2e_term *t);

void term_send(struct e2e_term *t, const char *bytes);
void term_send_n(struct e2e_term *t, const void *bytes, size_t len);
#define TK_F1    "\x1bOP"
#define TK_F2    "\x1bOQ"
#define TK_F3    "\x1bOR"
#define TK_F8    "\x1b[19~"
#define TK_F10   "\x1b[21~"
#define TK_ENTER "\r"
#define TK_ESC   "\x1b"
#define TK_TAB   "\t"
#define TK_UP    "\x1bOA" /* as xterm sends it in keypad-transmit mode, which curses turns on */
#define TK_DOWN  "\x1bOB"
void term_key_alt(struct e2e_term *t, char c); /* Alt-c = ESC c */

/* Read what the program wrote for timeout_ms: for pacing a test's input, never as a wait for a result (wait
 * for what the screen should show instead: term_wait_text, term_wait_until, term_wait_gone). */
void term_pump(struct e2e_term *t, int timeout_ms);
bool term_wait_text(struct e2e_term *t, const char *text, int timeout_ms);
/* Look out for `text` from now on (on the screen as read so far, or in any output not read yet): a later
 * term_wait_gone counts it as seen even if the program drew it and took it away again before the test
 * looked (a "(sending)" mark acknowledged at once). */
void term_watch(struct e2e_term *t, const char *text);
/* Wait until `text` has been on the screen (now, or since term_watch) and is gone. False when it was never
 * drawn (a wait for something to go cannot pass on something that never came) or did not go in time. */
bool term_wait_gone(struct e2e_term *t, const char *text, int timeout_ms);
bool term_wait_row(struct e2e_term *t, int y, const char *text, int timeout_ms); /* y < 0: from the bottom */
/* Wait until pred(t, arg) holds for the screen (checked after every read of the program's output). */
bool term_wait_until(struct e2e_term *t, bool (*pred)(struct e2e_term *t, void *arg), void *arg, int timeout_ms);
/* A row shows a, then b in the same pane (a pane header with its name, and its state on the right) / wait
 * until one does. */
bool term_row_has_both(struct e2e_term *t, const char *a, const char *b);
bool term_wait_both(struct e2e_term *t, const char *a, const char *b, int timeout_ms);
/* Wait for any of texts (NULL-terminated); returns its index or -1. */
int term_wait_any(struct e2e_term *t, const char *const texts[], int timeout_ms);
bool term_has_text(struct e2e_term *t, const char *text);
/* The screen as UTF-8 rows joined by '\n' (trailing blanks cut). The buffer belongs to t and is
 * overwritten by the next call; term_row likewise. */
const char *term_screen_text(struct e2e_term *t);
const char *term_row(struct e2e_term *t, int y);
int term_find_row(struct e2e_term *t, const char *text);      /* first row holding text, or -1 */
/* 1 when the first occurrence of text is drawn highlighted (reverse, bold, or a colour of its own), 0 when
 * plain, -1 when it is not on the screen. */
int term_text_highlighted(struct e2e_term *t, const char *text);
/* The cell at row y, column x as libvterm holds it: its characters (a base, then the zero-width ones it
 * carries: combining marks, VS16, ZWJ) into chars[0..max), their number as the result (0 for a blank cell
 * or the right half of a wide one), its width in *width (1 or 2). */
int term_cell(struct e2e_term *t, int y, int x, uint32_t *chars, int max, int *width);
const char *term_raw_output(struct e2e_term *t, size_t *len); /* every byte the program wrote */
void term_resize(struct e2e_term *t, int rows, int cols);
int term_bells(struct e2e_term *t);         /* BELs the terminal rang */
const char *term_title(struct e2e_term *t); /* window title set by the program, "" */
/* Wait for the program to exit (pumping its output meanwhile); true once exited. */
bool term_wait_exit(struct e2e_term *t, int timeout_ms);
char *term_stderr(struct e2e_term *t);
/* Log the screen under `label` when OPDESK_E2E_SCREENS=1 (to see what a passing test saw). */
void term_log_screen(struct e2e_term *t, const char *label); /* "" if none */

/* Fail the test with the screen when the text does not show up in time. */
#define term_expect(t, text, ms)                                                                             \
	cr_assert(term_wait_text((t), (text), (ms)), "\"%s\" did not show up within %d ms; screen:\n%s",     \
	          (text), (int)(ms), term_screen_text(t))

/* ---- a minimal WebSocket client (harness_ws.c) ---- */

struct e2e_ws;

enum { WS_CONT = 0x0, WS_TEXT = 0x1, WS_BINARY = 0x2, WS_CLOSE = 0x8, WS_PING = 0x9, WS_PONG = 0xA };

struct e2e_ws_frame {
	int opcode; /* WS_TEXT, WS_BINARY or WS_CLOSE (pings are answered, never returned) */
	char *data; /* payload, NUL-terminated (heap) */
	size_t len;
	int close_code; /* WS_CLOSE: status code, or 1005 when none was given */
};

/* Connect and upgrade with the given subprotocol (NULL: none). NULL with *why when refused. */
struct e2e_ws *ws_connect(int port, const char *subprotocol, int timeout_ms, char **why);
struct e2e_ws *ws_connect_ok(int port, const char *subprotocol); /* fails the test when refused */
void ws_close(struct e2e_ws *ws);                                /* also done by teardown */
/* The hub's side, for tests of the client against a scripted fake hub: a loopback listening socket
 * (*port 0: an ephemeral one, written back), and the upgrade of the next connection on it. Frames sent on
 * an accepted connection go out unmasked, as a server's must. */
int ws_listen(int *port);
struct e2e_ws *ws_accept(int listen_fd, const char *subprotocol, int timeout_ms, char **why);
/* Send one frame as given: opcode, FIN bit and masking are the caller's choice (a client MUST mask). */
int ws_send_frame(struct e2e_ws *ws, int opcode, bool fin, bool mask, const void *data, size_t len);
int ws_send_text(struct e2e_ws *ws, const char *text);
/* Hold what is sent (TCP_CORK) until ws_cork(ws, false): frames sent between reach the hub in one piece. */
void ws_cork(struct e2e_ws *ws, bool on);
int ws_sendf(struct e2e_ws *ws, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ws_send_raw(struct e2e_ws *ws, const void *bytes, size_t len); /* bytes on the socket, no framing */
/* Next whole message: 1 got one, 0 timeout, -1 the connection ended (EOF or error). */
int ws_recv(struct e2e_ws *ws, struct e2e_ws_frame *f, int timeout_ms);
void ws_frame_free(struct e2e_ws_frame *f);
/* Next text frame whose JSON "type" is `type`, skipping others; NULL on timeout or close. */
json_t *ws_expect_type(struct e2e_ws *ws, const char *type, int timeout_ms);
/* A customer opens a chat on the hub's customer endpoint and waits for its opened (failing the test without
 * one); *dialog (may be NULL) gets the chat's dialog id. */
struct e2e_ws *e2e_customer_open(int port, const char *channel, const char *name, const char *text, long long *dialog);
/* Like ws_expect_type(ws, "error"), failing the test unless it comes and its "code" is `code`. */
json_t *ws_expect_error(struct e2e_ws *ws, const char *code, const char *what);
/* Wait for the hub to close: true with *code when a close frame (or EOF: code 1006) came in time. */
bool ws_wait_closed(struct e2e_ws *ws, int timeout_ms, int *code);
bool ws_is_closed(struct e2e_ws *ws);
/* The frames skipped by ws_expect_type so far, one per line (for failure messages). */
const char *ws_skipped(struct e2e_ws *ws);
/* Stop reading (the test simply does not call ws_recv) with a small socket receive buffer, as a client that
 * hangs or sits behind a dead link. */
void ws_stall(struct e2e_ws *ws);
/* Sign in on an agent connection; fails the test unless a welcome comes. Returns the welcome. */
json_t *ws_hello(struct e2e_ws *ws, const char *user, const char *secret);
/* A web customer's chat on a new connection (*cust) to `port`: opened as `name` with `text`, and assigned to
 * `agent` (fails the test otherwise). Returns the dialog; *token is its resume token (owned by the test). */
long long ws_web_chat(int port, struct e2e_ws *agent, const char *name, const char *text, struct e2e_ws **cust,
                      const char **token);

/* json helpers */
const char *e2e_json_str(json_t *o, const char *key); /* "" when absent or not a string */
long long e2e_json_int(json_t *o, const char *key, long long missing);

/* ---- more helpers (harness_ws.c, harness_http.c) ---- */

/* ws_connect with more request headers: `extra` is "Name: value\r\n" lines (NULL: none). */
struct e2e_ws *ws_connect_headers(int port, const char *subprotocol, const char *extra, int timeout_ms,
                                  char **why);
/* Send `request` (len bytes, as given) to 127.0.0.1:port and return what came back before the connection
 * ended or a whole response came (harness-owned, NUL-terminated; "" when nothing came). */
char *e2e_http_raw(int port, const char *request, size_t len, int timeout_ms);

#undef Test /* use E2E_TEST */
#pragma GCC poison Test

#endif
