/* ui_log.c: the message log popup (see ui_log.h). */
#include "opdesk/ui_log.h"

#include <time.h>

#include "opdesk/i18n.h"
#include "opdesk/ui_pager.h"
#include "opdesk/ui_text.h"

void ui_log_draw(struct ui *ui)
{
	const struct desk *d = ui->desk;
	struct ui_pager p;
	ui_pager_init(&p, ui->cols - 6);
	struct textsafe_buf when, text;
	textsafe_init(&when);
	textsafe_init(&text);
	for (size_t i = 0; i < d->n_notices; i++) {
		const struct desk_notice *n = &d->notices[i];
		time_t t = (time_t)(n->time / 1000);
		struct tm tm;
		localtime_r(&t, &tm);
		char hms[16];
		strftime(hms, sizeof hms, "%H:%M:%S", &tm);
		textsafe_reset(&when);
		textsafe_reset(&text);
		ui_text_add(&when, hms, UI_C_POPUP_KEY);
		ui_text_add(&text, n->text, n->kind == DESK_NOTICE_ERROR ? UI_C_POPUP_KEY : UI_C_POPUP);
		ui_pager_add(&p, &when, 10, &text);
	}
	if (d->n_notices == 0) {
		ui_text_add(&text,
		            _("Nothing yet: errors and information of this session will be listed here."),
		            UI_C_POPUP);
		ui_pager_add(&p, NULL, 0, &text);
	}
	ui_pager_draw(ui, &p, _("Messages"),
	              _("Up, Down, PgUp, PgDn, Home, End: scroll · any other key closes"));
	textsafe_free(&when);
	textsafe_free(&text);
	ui_pager_free(&p);
}
