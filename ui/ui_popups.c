/* ui_popups.c: what each mode draws, as a table (see ui_popups.h): one row per kind, naming its draw
 * function. The kinds know nothing of each other, nor the frame (ui_popup.c) of them. */
#include "opdesk/ui_popups.h"

#include "opdesk/ui_canned.h"
#include "opdesk/ui_card.h"
#include "opdesk/ui_choice.h"
#include "opdesk/ui_help.h"
#include "opdesk/ui_log.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_prompt.h"
#include "opdesk/ui_requests.h"
#include "opdesk/ui_takeover.h"
#include "opdesk/ui_topic.h"

static const struct ui_popup_kind ui_popup_kinds[DESKVIEW_MODE_COUNT] = {
    [DESKVIEW_NORMAL] = {NULL, false},
    [DESKVIEW_CANNED] = {ui_canned_draw, false},
    [DESKVIEW_CHOICE] = {ui_choice_draw, false},
    [DESKVIEW_TOPIC] = {ui_topic_draw, false},
    [DESKVIEW_PROMPT] = {ui_prompt_draw, true},
    [DESKVIEW_QUEUE] = {NULL, false}, /* the sidebar highlights the pick (ui_queue.c) */
    [DESKVIEW_HELP] = {ui_help_draw, false},
    [DESKVIEW_LOG] = {ui_log_draw, false},
    [DESKVIEW_CONFIRM_QUIT] = {ui_help_confirm_draw, false},
    [DESKVIEW_BOARD] = {NULL, false},        /* the board is its own screen (ui_board.c) */
    [DESKVIEW_BOARD_FILTER] = {NULL, false}, /* ... with the filter on its title line */
    [DESKVIEW_CONFIRM_TAKEOVER] = {ui_takeover_draw, false},
    [DESKVIEW_CARD] = {ui_card_draw, false},
    [DESKVIEW_CARD_READ] = {ui_card_history_draw, false},
    [DESKVIEW_CONFIRM_AWAY] = {ui_help_confirm_away_draw, false},
    [DESKVIEW_REQUESTS] = {ui_requests_draw, false},
};

static const struct ui_popup_kind *ui_popups_current(const struct ui *ui)
{
	unsigned m = ui->view->mode;
	return &ui_popup_kinds[m < DESKVIEW_MODE_COUNT ? m : DESKVIEW_NORMAL];
}

void ui_popups_draw(struct ui *ui)
{
	const struct ui_popup_kind *k = ui_popups_current(ui);
	if (k->draw)
		k->draw(ui);
	else
		ui_popup_close(ui);
}

bool ui_popups_cursor(const struct ui *ui)
{
	return ui_popups_current(ui)->cursor && ui->popup;
}
