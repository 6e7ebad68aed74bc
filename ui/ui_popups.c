/* ui_popups.c: which popup each mode draws, as a table: adding a popup is a mode, a key table (cmd_keys.c)
 * and a row here. The popups themselves know nothing of each other. */
#include "opdesk/ui_popup.h"

#include "opdesk/ui_canned.h"
#include "opdesk/ui_choice.h"
#include "opdesk/ui_help.h"
#include "opdesk/ui_log.h"
#include "opdesk/ui_prompt.h"
#include "opdesk/ui_topic.h"

static void (*const ui_popup_kinds[DESKVIEW_MODE_COUNT])(struct ui *ui) = {
    [DESKVIEW_TOPIC] = ui_topic_draw,   [DESKVIEW_CONFIRM_QUIT] = ui_help_confirm_draw,
    [DESKVIEW_HELP] = ui_help_draw,     [DESKVIEW_CANNED] = ui_canned_draw,
    [DESKVIEW_CHOICE] = ui_choice_draw, [DESKVIEW_LOG] = ui_log_draw,
    [DESKVIEW_PROMPT] = ui_prompt_draw,
};

void ui_popup_draw(struct ui *ui)
{
	enum deskview_mode m = ui->view->mode;
	if (m < DESKVIEW_MODE_COUNT && ui_popup_kinds[m])
		ui_popup_kinds[m](ui);
	else
		ui_popup_close(ui);
}
