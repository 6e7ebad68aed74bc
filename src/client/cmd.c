/* cmd.c: the command table and running commands by name (see cmd.h). */
#include "opdesk/cmd.h"

#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"

const struct cmd_entry *const cmd_table[] = {
    &cmd_take_next_entry,
    &cmd_board_entry,
    &cmd_board_up_entry,
    &cmd_board_down_entry,
    &cmd_board_page_up_entry,
    &cmd_board_page_down_entry,
    &cmd_board_first_entry,
    &cmd_board_last_entry,
    &cmd_board_switch_entry,
    &cmd_board_sort_entry,
    &cmd_board_filter_entry,
    &cmd_board_filter_type_entry,
    &cmd_board_filter_erase_entry,
    &cmd_board_filter_done_entry,
    &cmd_board_open_entry,
    &cmd_board_takeover_entry,
    &cmd_away_entry,
    &cmd_away_now_entry,
    &cmd_requests_entry,
    &cmd_request_up_entry,
    &cmd_request_down_entry,
    &cmd_request_take_entry,
    &cmd_request_answer_entry,
    &cmd_answer_request_entry,
    &cmd_reconnect_entry,
    &cmd_send_entry,
    &cmd_close_entry,
    &cmd_focus_entry,
    &cmd_next_dialog_entry,
    &cmd_prev_dialog_entry,
    &cmd_scroll_up_entry,
    &cmd_scroll_down_entry,
    &cmd_insert_entry,
    &cmd_type_entry,
    &cmd_edit_left_entry,
    &cmd_edit_right_entry,
    &cmd_edit_home_entry,
    &cmd_edit_end_entry,
    &cmd_edit_backspace_entry,
    &cmd_edit_delete_entry,
    &cmd_edit_kill_end_entry,
    &cmd_edit_kill_start_entry,
    &cmd_edit_kill_word_entry,
    &cmd_edit_yank_entry,
    &cmd_edit_newline_entry,
    &cmd_edit_word_left_entry,
    &cmd_edit_word_right_entry,
    &cmd_history_prev_entry,
    &cmd_history_next_entry,
    &cmd_topic_up_entry,
    &cmd_topic_down_entry,
    &cmd_topic_pick_entry,
    &cmd_cancel_entry,
    &cmd_help_entry,
    &cmd_messages_entry,
    &cmd_pager_up_entry,
    &cmd_pager_down_entry,
    &cmd_pager_page_up_entry,
    &cmd_pager_page_down_entry,
    &cmd_pager_top_entry,
    &cmd_pager_bottom_entry,
    &cmd_quit_entry,
    &cmd_quit_now_entry,
    &cmd_canned_entry,
    &cmd_kill_end_or_canned_entry,
    &cmd_canned_type_entry,
    &cmd_canned_erase_entry,
    &cmd_canned_clear_entry,
    &cmd_canned_up_entry,
    &cmd_canned_down_entry,
    &cmd_canned_insert_entry,
    &cmd_canned_send_entry,
    &cmd_note_entry,
    &cmd_transfer_entry,
    &cmd_claim_entry,
    &cmd_file_save_entry,
    &cmd_file_open_entry,
    &cmd_file_link_entry,
    &cmd_file_send_entry,
    &cmd_choice_up_entry,
    &cmd_choice_down_entry,
    &cmd_choice_pick_entry,
    &cmd_choice_type_entry,
    &cmd_choice_erase_entry,
    &cmd_prompt_entry,
    &cmd_search_entry,
    &cmd_prompt_type_entry,
    &cmd_prompt_run_entry,
    &cmd_prompt_complete_entry,
    &cmd_prompt_cancel_entry,
    &cmd_prompt_prev_entry,
    &cmd_prompt_next_entry,
    &cmd_theme_entry,
    &cmd_queue_pick_entry,
    &cmd_queue_up_entry,
    &cmd_queue_down_entry,
    &cmd_queue_take_entry,
    &cmd_zoom_entry,
    &cmd_swap_entry,
    &cmd_sidebar_entry,
    &cmd_watch_entry,
    &cmd_unwatch_entry,
    &cmd_takeover_entry,
    &cmd_takeover_yes_entry,
    &cmd_customer_entry,
    &cmd_card_up_entry,
    &cmd_card_down_entry,
    &cmd_card_read_entry,
    &cmd_block_entry,
    &cmd_replay_pause_entry,
    &cmd_replay_step_entry,
    &cmd_replay_faster_entry,
    &cmd_replay_slower_entry,
    NULL,
};

/* Short names, for the prompt and the settings file alike. */
static const struct {
	const char *alias, *name;
} cmd_aliases[] = {
    {"take-next", "take"}, /* its name until 0.x; settings files and replays still say it */
};

const struct cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; i < sizeof cmd_aliases / sizeof *cmd_aliases; i++)
		if (strcmp(cmd_aliases[i].alias, name) == 0)
			name = cmd_aliases[i].name;
	for (size_t i = 0; cmd_table[i]; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

unsigned cmd_run(struct cmd_ctx *ctx, const char *name, const char *arg)
{
	const struct cmd_entry *e = cmd_find(name);
	if (!e) {
		desk_set_error(ctx->desk, _("unknown command \"%s\""), name);
		return 0;
	}
	log_debug("%s %s", name, arg ? arg : "");
	return e->exec(ctx, arg ? arg : "") | CMD_HANDLED;
}
