/* ui_requests.c: the offline requests popup (see ui_requests.h). Everything in a request came from a customer:
 * drawn through textsafe (ui_text_add). */
#include "opdesk/ui_requests.h"

#include <string.h>
#include <time.h>

#include "opdesk/i18n.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

#define UI_REQ_LIST_MAX 8  /* requests listed at once (the highlighted one stays in view) */
#define UI_REQ_TEXT_ROWS 6 /* rows of the highlighted request's text */

static void ui_requests_line(struct textsafe_buf *b, const struct proto_request *r, const char *me, bool sel)
{
	enum ui_color_role role = sel ? UI_C_POPUP_SELECTED : UI_C_POPUP;
	char when[32];
	time_t t = (time_t)(r->time / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%d.%m %H:%M", &tm);
	ui_text_addf(b, sel ? UI_C_POPUP_SELECTED : UI_C_POPUP_KEY, "%s", when);
	ui_text_add(b, "  ", role);
	ui_text_add(b, r->name, role);
	if (r->email) {
		ui_text_add(b, " · ", role);
		ui_text_add(b, r->email, role);
	}
	if (r->phone) {
		ui_text_add(b, " · ", role);
		ui_text_add(b, r->phone, role);
	}
	if (r->taken_by) {
		ui_text_add(b, "  ", role);
		if (me && strcmp(r->taken_by, me) == 0)
			ui_text_add(b, _("(yours)"), role);
		else
			ui_text_addf(b, role, _("(taken by %s)"), r->taken_by);
	}
}

void ui_requests_draw(struct ui *ui)
{
	const struct desk *d = ui->desk;
	size_t n = d->n_requests, sel = ui->view->requests.sel < n ? ui->view->requests.sel : 0;
	size_t shown = n < UI_REQ_LIST_MAX ? n : UI_REQ_LIST_MAX;
	size_t first = sel >= shown ? sel - shown + 1 : 0;
	int w = ui->cols - 6 > 100 ? 100 : ui->cols - 6;
	int h = UI_REQ_LIST_MAX + UI_REQ_TEXT_ROWS + 5; /* one size: a shorter list leaves no remains behind */
	char title[96];
	snprintf(title, sizeof title, _("Offline requests: %lld"), (long long)d->requests_total);
	if (!ui_popup_open(ui, h, w, title))
		return;
	struct textsafe_buf b;
	textsafe_init(&b);
	for (size_t i = 0; i < shown; i++) {
		textsafe_reset(&b);
		ui_requests_line(&b, &d->requests[first + i], d->user, first + i == sel);
		textsafe_truncate(&b, w - 4, L'…');
		ui_popup_row(ui, (int)i + 1, &b, first + i == sel ? UI_C_POPUP_SELECTED : UI_C_POPUP);
	}
	/* the highlighted request's text, line by line */
	int row = UI_REQ_LIST_MAX + 2;
	const char *p = n ? d->requests[sel].text : "";
	for (int k = 0; k < UI_REQ_TEXT_ROWS && p && *p; k++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line - 1 ? len : sizeof line - 1), p);
		textsafe_reset(&b);
		ui_text_add(&b, line, UI_C_POPUP);
		textsafe_truncate(&b, w - 4, L'…');
		ui_popup_row(ui, row + k, &b, UI_C_POPUP);
		p = nl ? nl + 1 : NULL;
	}
	textsafe_reset(&b);
	ui_text_add(&b, _("Up/Down: move · t: take · a or Enter: answer · Esc: close"), UI_C_POPUP_KEY);
	ui_popup_row(ui, h - 2, &b, UI_C_POPUP);
	textsafe_free(&b);
}
