/* cmd.h: operator commands. A command is a const descriptor {name, help, exec} in one table (cmd.c);
 * keys are bound to command names as data (cmd_keys.h), so the help, the settings file, the command prompt
 * (cmdline.h) and a replay script drive the same commands by name. Commands work on the model and the view state only:
 * no curses here. A handler returns what must happen next as a bitmask. */
#ifndef OPDESK_CMD_H
#define OPDESK_CMD_H

#include <stddef.h>

#include "opdesk/desk.h"
#include "opdesk/deskview.h"

enum cmd_result {
	CMD_HANDLED = 1 << 0, /* the command ran (whether or not it could do anything) */
	CMD_REDRAW = 1 << 1,  /* something on screen changed beyond the view's dirty bits */
	CMD_QUIT = 1 << 2,    /* leave the program */
};

struct replay;

struct cmd_ctx {
	struct desk *desk;
	struct deskview *view;
	struct replay *replay; /* the replay being played, or NULL */
	/* Called for every command a key runs (not for the commands those run in turn): the recorder. */
	void (*on_cmd)(void *arg, const char *cmd, const char *cmd_arg);
	void *on_cmd_arg;
	const char *const *theme_dirs; /* the shipped themes' folders, for the theme command's Tab */
};

/* What a command acts on: the help overlay lists keys under these headings. */
enum cmd_group {
	CMD_GROUP_POPUP,    /* keys of a popup (listed with that popup's keys) */
	CMD_GROUP_DIALOG,   /* the dialog in focus and the operator's work */
	CMD_GROUP_COMPOSER, /* writing a message */
	CMD_GROUP_PANES,    /* panes, scrolling and search */
	CMD_GROUP_SCREEN,   /* help, messages, the command prompt, quitting */
	CMD_GROUP_REPLAY,   /* a replay being played (listed only then) */
	CMD_GROUP_COUNT
};

struct cmdline_offer;

struct cmd_entry {
	const char *name;
	enum cmd_group group;
	const char *usage; /* argument synopsis, "" if none */
	const char *help;  /* N_() text: translate when shown */
	unsigned (*exec)(struct cmd_ctx *ctx, const char *arg);
	/* The arguments the command takes now, for the prompt's Tab (cmdline_offer_add each); NULL: none known. */
	void (*args)(struct cmd_ctx *ctx, struct cmdline_offer *o);
};

/* All commands, NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

/* The command of that name, or of a short name the prompt and the settings file accept too ("take" for
 * take-next); NULL if none. */
const struct cmd_entry *cmd_find(const char *name);
/* Run a command by name; an unknown name returns 0 and sets the desk's last error. arg may be NULL. */
unsigned cmd_run(struct cmd_ctx *ctx, const char *name, const char *arg);

/* The prompt's text changed (cmd_edit.c edits it while it is open): a search looks again. */
void cmd_prompt_edited(struct cmd_ctx *ctx);

/* descriptors, one per command */
extern const struct cmd_entry cmd_take_next_entry, cmd_send_entry, cmd_close_entry, cmd_focus_entry,
    cmd_next_dialog_entry, cmd_prev_dialog_entry, cmd_scroll_up_entry, cmd_scroll_down_entry;
extern const struct cmd_entry cmd_insert_entry, cmd_type_entry, cmd_edit_left_entry, cmd_edit_right_entry,
    cmd_edit_home_entry, cmd_edit_end_entry, cmd_edit_backspace_entry, cmd_edit_delete_entry,
    cmd_edit_kill_end_entry, cmd_edit_kill_start_entry, cmd_edit_kill_word_entry, cmd_edit_yank_entry, cmd_edit_newline_entry,
    cmd_edit_word_left_entry, cmd_edit_word_right_entry, cmd_history_prev_entry, cmd_history_next_entry;
extern const struct cmd_entry cmd_away_entry, cmd_away_now_entry, cmd_reconnect_entry;
extern const struct cmd_entry cmd_requests_entry, cmd_request_up_entry, cmd_request_down_entry,
    cmd_request_take_entry, cmd_request_answer_entry, cmd_answer_request_entry;
extern const struct cmd_entry cmd_quit_entry, cmd_quit_now_entry, cmd_cancel_entry, cmd_help_entry,
    cmd_topic_up_entry, cmd_topic_down_entry, cmd_topic_pick_entry;
extern const struct cmd_entry cmd_canned_entry, cmd_kill_end_or_canned_entry, cmd_canned_type_entry,
    cmd_canned_erase_entry, cmd_canned_clear_entry, cmd_canned_up_entry, cmd_canned_down_entry,
    cmd_canned_insert_entry, cmd_canned_send_entry;
extern const struct cmd_entry cmd_note_entry, cmd_transfer_entry, cmd_claim_entry, cmd_choice_up_entry,
    cmd_choice_down_entry, cmd_choice_pick_entry, cmd_choice_type_entry, cmd_choice_erase_entry;
extern const struct cmd_entry cmd_messages_entry, cmd_pager_up_entry, cmd_pager_down_entry,
    cmd_pager_page_up_entry, cmd_pager_page_down_entry, cmd_pager_top_entry, cmd_pager_bottom_entry;
extern const struct cmd_entry cmd_prompt_entry, cmd_search_entry, cmd_prompt_type_entry, cmd_prompt_run_entry,
    cmd_prompt_complete_entry, cmd_prompt_cancel_entry, cmd_prompt_prev_entry, cmd_prompt_next_entry,
    cmd_theme_entry, cmd_queue_pick_entry, cmd_queue_up_entry, cmd_queue_down_entry, cmd_queue_take_entry;
extern const struct cmd_entry cmd_zoom_entry, cmd_swap_entry, cmd_sidebar_entry;
extern const struct cmd_entry cmd_board_entry, cmd_board_up_entry, cmd_board_down_entry, cmd_board_page_up_entry,
    cmd_board_page_down_entry, cmd_board_first_entry, cmd_board_last_entry, cmd_board_switch_entry,
    cmd_board_sort_entry, cmd_board_filter_entry, cmd_board_filter_type_entry, cmd_board_filter_erase_entry,
    cmd_board_filter_done_entry, cmd_board_open_entry, cmd_board_takeover_entry;
extern const struct cmd_entry cmd_file_save_entry, cmd_file_open_entry, cmd_file_link_entry, cmd_file_send_entry;
extern const struct cmd_entry cmd_watch_entry, cmd_unwatch_entry, cmd_takeover_entry, cmd_takeover_yes_entry;
extern const struct cmd_entry cmd_customer_entry, cmd_card_up_entry, cmd_card_down_entry, cmd_card_read_entry,
    cmd_block_entry;
extern const struct cmd_entry cmd_replay_pause_entry, cmd_replay_step_entry, cmd_replay_faster_entry,
    cmd_replay_slower_entry;

#endif
