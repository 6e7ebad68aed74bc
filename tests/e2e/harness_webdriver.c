/* harness_webdriver.c: a real browser for the tests: Debian's headless Chromium driven through ChromeDriver
 * with the W3C WebDriver protocol (JSON over HTTP on loopback). Enough of it to open a page, type into and
 * click elements found by CSS selector, and wait for text to show up (the wait runs inside the page, on a
 * MutationObserver, so nothing polls). */
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"

#define WD_ELEMENT "element-6066-11e4-a52e-4f735466cecf" /* the W3C key of an element reference */

struct e2e_browser {
	struct e2e_proc *driver;
	int port;
	char *session; /* "/session/ID" (heap: used at teardown, after the harness-owned strings are gone) */
};

static const char *chromedriver_path(void)
{
	const char *p = getenv("OPDESK_CHROMEDRIVER");
	return p && *p ? p : "/usr/bin/chromedriver";
}

/* Send one command; returns its "value" (harness-owned) or fails the test with WebDriver's error. */
static json_t *wd_call(struct e2e_browser *b, const char *method, const char *path, json_t *args)
{
	char *body = args ? json_dumps(args, JSON_COMPACT) : NULL;
	if (args)
		json_decref(args);
	char *resp = e2e_http(b->port, method, path, body, E2E_WAIT_MS + 10000);
	free(body);
	const char *json = strstr(resp, "\r\n\r\n");
	json_error_t err;
	json_t *r = json ? json_loads(json + 4, 0, &err) : NULL;
	cr_assert(r, "WebDriver %s %s: no JSON answer:\n%s", method, path, resp);
	e2e_own_json(r);
	json_t *value = json_object_get(r, "value");
	json_t *error = json_is_object(value) ? json_object_get(value, "error") : NULL;
	cr_assert(!error, "WebDriver %s %s: %s: %s", method, path, json_string_value(error),
		  json_string_value(json_object_get(value, "message")));
	return value;
}

static void wd_quit(void *arg)
{
	struct e2e_browser *b = arg;
	if (b->session && e2e_proc_alive(b->driver))
		e2e_http(b->port, "DELETE", b->session, NULL, 10000); /* closes the browser window */
	free(b->session);
	/* Chromium leaves helper processes behind (utility services); they are all in the driver's session */
	kill(-b->driver->pid, SIGKILL);
	e2e_proc_stop(b->driver);
}

struct e2e_browser *wd_start(const char *lang)
{
	const char *driver = chromedriver_path();
	cr_assert(access(driver, X_OK) == 0,
		  "%s is missing: the web chat test needs Debian's chromium and chromium-driver "
		  "(scripts/setup --tests installs them)", driver);
	struct e2e_browser *b = e2e_own(calloc(1, sizeof *b));
	/* setsid: the driver, the browser and every helper in a session of their own, killed together */
	char *argv[] = {"/usr/bin/setsid", (char *)driver, "--port=0", NULL};
	b->driver = e2e_spawn("chromedriver", argv, NULL);
	cr_assert(e2e_file_wait_text(b->driver->out_path, "started successfully on port", E2E_WAIT_MS),
		  "chromedriver did not start:\n%s%s", e2e_proc_stdout(b->driver), e2e_proc_stderr(b->driver));
	const char *at = strstr(e2e_proc_stdout(b->driver), "successfully on port ");
	b->port = atoi(at + strlen("successfully on port "));
	e2e_defer(wd_quit, b);

	const char *chromium = getenv("OPDESK_CHROMIUM");
	json_t *opts = json_pack("{s:s, s:[s,s,s,s,s,s,s,s]}", "binary", chromium && *chromium ? chromium : "/usr/bin/chromium",
				 "args", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				 "--no-first-run", "--window-size=800,900", e2e_strf("--lang=%s", lang),
				 e2e_strf("--user-data-dir=%s", e2e_path("chromium")));
	json_t *prefs = json_pack("{s:{s:s}}", "intl", "accept_languages", lang);
	json_object_set_new(opts, "prefs", prefs);
	json_t *caps = json_pack("{s:{s:{s:s, s:o}}}", "capabilities", "alwaysMatch", "browserName", "chrome",
				 "goog:chromeOptions", opts);
	json_t *v = wd_call(b, "POST", "/session", caps);
	const char *id = json_string_value(json_object_get(v, "sessionId"));
	cr_assert(id, "WebDriver gave no session id");
	if (asprintf(&b->session, "/session/%s", id) < 0)
		cr_assert_fail("out of memory");
	wd_call(b, "POST", e2e_strf("%s/timeouts", b->session), json_pack("{s:i}", "script", E2E_WAIT_MS + 5000));
	return b;
}

void wd_open(struct e2e_browser *b, const char *url)
{
	wd_call(b, "POST", e2e_strf("%s/url", b->session), json_pack("{s:s}", "url", url));
}

static const char *wd_element(struct e2e_browser *b, const char *css)
{
	json_t *v = wd_call(b, "POST", e2e_strf("%s/element", b->session),
			    json_pack("{s:s, s:s}", "using", "css selector", "value", css));
	const char *id = json_string_value(json_object_get(v, WD_ELEMENT));
	cr_assert(id, "no element %s", css);
	return id;
}

static bool wd_wait(struct e2e_browser *b, const char *cond, const char *css, const char *want, int timeout_ms);

/* Wait until the element can take input: it is there, shown (laid out: a hidden form's fields are not) and
 * enabled, as a person waits for a field to appear before typing into it. A file input is the exception: the
 * page hides it behind its own button, and typing a path into it is what choosing a file does. */
static void wd_wait_usable(struct e2e_browser *b, const char *css)
{
	cr_assert(wd_wait(b, "(function (e) { return !!e && (e.type === 'file' || e.getClientRects().length > 0) "
			     "&& !e.disabled; })"
			     "(document.querySelector(css))", css, "", E2E_WAIT_MS),
		  "%s never became visible and enabled", css);
}

void wd_type(struct e2e_browser *b, const char *css, const char *text)
{
	wd_wait_usable(b, css);
	wd_call(b, "POST", e2e_strf("%s/element/%s/value", b->session, wd_element(b, css)),
		json_pack("{s:s}", "text", text));
}

void wd_click(struct e2e_browser *b, const char *css)
{
	wd_wait_usable(b, css);
	wd_call(b, "POST", e2e_strf("%s/element/%s/click", b->session, wd_element(b, css)), json_object());
}

/* Run a script in the page (its arguments as a JSON array); returns what it returned. */
json_t *wd_script(struct e2e_browser *b, const char *script, json_t *args)
{
	return wd_call(b, "POST", e2e_strf("%s/execute/sync", b->session),
		       json_pack("{s:s, s:o}", "script", script, "args", args ? args : json_array()));
}

/* The element's visible text ("" when hidden); an input's or text box's value. */
const char *wd_text(struct e2e_browser *b, const char *css)
{
	json_t *v = wd_script(b, "var e = document.querySelector(arguments[0]);"
			      "return !e ? null : /^(INPUT|TEXTAREA)$/.test(e.tagName) ? e.value : e.innerText;",
			      json_pack("[s]", css));
	cr_assert(json_is_string(v), "no element %s", css);
	return json_string_value(v);
}

/* Wait in the page, on a MutationObserver, until `cond` (a JS expression over css = arguments[0] and
 * want = arguments[1]) is true; false after timeout_ms. */
static bool wd_wait(struct e2e_browser *b, const char *cond, const char *css, const char *want, int timeout_ms)
{
	char *script = e2e_strf(
		"var css = arguments[0], want = arguments[1], done = arguments[arguments.length - 1];"
		"function ok() { return %s; }"
		"if (ok()) return done(true);"
		"var t = setTimeout(function () { o.disconnect(); done(false); }, arguments[2]);"
		"var o = new MutationObserver(function () {"
		"  if (ok()) { clearTimeout(t); o.disconnect(); done(true); } });"
		"o.observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true});",
		cond);
	json_t *v = wd_call(b, "POST", e2e_strf("%s/execute/async", b->session),
			    json_pack("{s:s, s:[s,s,i]}", "script", script, "args", css, want, timeout_ms));
	return json_is_true(v);
}

bool wd_wait_text(struct e2e_browser *b, const char *css, const char *text, int timeout_ms)
{
	return wd_wait(b, "(function (e) { return !!e && e.innerText.indexOf(want) >= 0; })(document.querySelector(css))",
		       css, text, timeout_ms);
}

bool wd_wait_none(struct e2e_browser *b, const char *css, int timeout_ms)
{
	return wd_wait(b, "document.querySelectorAll(css).length === 0", css, "", timeout_ms);
}
