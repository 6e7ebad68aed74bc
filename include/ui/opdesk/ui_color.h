/* ui_color.h: colour roles. Every element that has a colour is listed once in UI_COLOR_ROLES, which
 * expands into the enum and the table (name, foreground, background, attributes with colour, attributes
 * without colour). NO_COLOR (https://no-color.org) or a terminal without colours gives attributes only.
 * A theme (themes/NAME.theme, docs/themes.md) overrides colours and attributes by role name. */
#ifndef OPDESK_UI_COLOR_H
#define OPDESK_UI_COLOR_H

#include <stdbool.h>

#include <ncursesw/curses.h>

/* X(ID, "name", fg, bg, attrs with colour, attrs without colour); -1 = the terminal's default colour */
#define UI_COLOR_ROLES(X)                                                                                    \
	X(DEFAULT, "default", -1, -1, A_NORMAL, A_NORMAL)                                                    \
	X(MARKED, "text.marked", COLOR_RED, -1, A_BOLD, A_REVERSE)                                           \
	X(STATUS, "status", COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE)                                    \
	X(STATUS_USER, "status.user", COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD)                   \
	X(STATUS_ONLINE, "status.online", COLOR_GREEN, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD)               \
	X(STATUS_CONNECTING, "status.connecting", COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE)               \
	X(STATUS_OFFLINE, "status.offline", COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD)              \
	X(STATUS_ERROR, "status.error", COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD)                \
	X(STATUS_HOTLIST, "status.hotlist", COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE) \
	X(STATUS_KEYS, "status.keys", COLOR_CYAN, COLOR_BLUE, A_NORMAL, A_REVERSE)                           \
	X(QUEUE_TITLE, "queue.title", COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE)                 \
	X(QUEUE_NAME, "queue.item.name", -1, -1, A_BOLD, A_BOLD)                                             \
	X(QUEUE_CHANNEL, "queue.item.channel", COLOR_CYAN, -1, A_NORMAL, A_NORMAL)                           \
	X(QUEUE_PREVIEW, "queue.item.preview", -1, -1, A_DIM, A_DIM)                                         \
	X(QUEUE_WAIT, "queue.item.wait", COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                                \
	X(QUEUE_WAIT_WARN, "queue.item.wait.warn", COLOR_YELLOW, -1, A_BOLD, A_BOLD)                         \
	X(QUEUE_WAIT_LATE, "queue.item.wait.late", COLOR_RED, -1, A_BOLD, A_BOLD)                            \
	X(QUEUE_EMPTY, "queue.empty", -1, -1, A_DIM, A_DIM)                                                  \
	X(SEPARATOR, "separator", COLOR_BLUE, -1, A_NORMAL, A_DIM)                                           \
	X(PANE_HEADER, "pane.header", COLOR_WHITE, COLOR_BLACK, A_BOLD, A_UNDERLINE)                         \
	X(PANE_HEADER_FOCUS, "pane.header.focus", COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD)       \
	X(PANE_HEADER_CLOSED, "pane.header.closed", COLOR_WHITE, COLOR_BLACK, A_DIM, A_DIM)                  \
	X(PANE_HEADER_WARN, "pane.header.warn", COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_BOLD)                   \
	X(PANE_HEADER_LATE, "pane.header.late", COLOR_RED, COLOR_BLACK, A_BOLD, A_BOLD)                      \
	X(PANE_HEADER_WATCHED, "pane.header.watched", COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_ITALIC) \
	X(PANE_EMPTY, "pane.empty", -1, -1, A_DIM, A_DIM)                                                    \
	X(MSG_TIME, "message.time", -1, -1, A_DIM, A_DIM)                                                    \
	X(MSG_CUSTOMER_NAME, "message.customer.name", COLOR_YELLOW, -1, A_BOLD, A_BOLD)                      \
	X(MSG_CUSTOMER, "message.customer", -1, -1, A_NORMAL, A_NORMAL)                                      \
	X(MSG_OPERATOR_NAME, "message.operator.name", COLOR_GREEN, -1, A_BOLD, A_BOLD)                       \
	X(MSG_OPERATOR, "message.operator", -1, -1, A_NORMAL, A_NORMAL)                                      \
	X(MSG_PENDING, "message.pending", -1, -1, A_DIM, A_DIM)                                              \
	X(MSG_FAILED, "message.failed", COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE)                         \
	X(MSG_SYSTEM, "message.system", COLOR_MAGENTA, -1, A_NORMAL, A_DIM)                                  \
	X(MSG_NOTE, "message.note", COLOR_BLUE, -1, A_NORMAL, A_UNDERLINE)                                   \
	X(MSG_WHISPER, "message.whisper", COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_ITALIC)                     \
	X(UNREAD, "message.unread", COLOR_RED, -1, A_NORMAL, A_BOLD)                                         \
	X(MSG_MORE, "message.more", COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE)                          \
	X(COMPOSER, "composer", -1, -1, A_NORMAL, A_NORMAL)                                                  \
	X(COMPOSER_PROMPT, "composer.prompt", COLOR_CYAN, -1, A_BOLD, A_BOLD)                                \
	X(COMPOSER_OFF, "composer.disabled", -1, -1, A_DIM, A_DIM)                                           \
	X(POPUP, "popup", COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_NORMAL)                                      \
	X(POPUP_TITLE, "popup.title", COLOR_BLUE, COLOR_WHITE, A_BOLD, A_BOLD)                               \
	X(POPUP_SELECTED, "popup.selected", COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE)                      \
	X(POPUP_KEY, "popup.key", COLOR_RED, COLOR_WHITE, A_BOLD, A_BOLD)                                    \
	X(PROMPT, "prompt", -1, -1, A_NORMAL, A_NORMAL)                                                      \
	X(PROMPT_LABEL, "prompt.label", COLOR_CYAN, -1, A_BOLD, A_BOLD)                                      \
	X(PROMPT_OFFER, "prompt.offer", COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE)                       \
	X(SEARCH_HIT, "search.hit", COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE)                          \
	X(SEARCH_CURRENT, "search.current", COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE)    \
	X(BOARD_TITLE, "board.title", COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD)                   \
	X(BOARD_HEADER, "board.header", COLOR_WHITE, COLOR_BLACK, A_BOLD, A_UNDERLINE)                       \
	X(BOARD_LABEL, "board.label", COLOR_CYAN, -1, A_NORMAL, A_NORMAL)                                    \
	X(BOARD_VALUE, "board.value", -1, -1, A_BOLD, A_BOLD)                                                \
	X(BOARD_GOOD, "board.good", COLOR_GREEN, -1, A_BOLD, A_NORMAL)                                       \
	X(BOARD_WARN, "board.warn", COLOR_YELLOW, -1, A_BOLD, A_BOLD)                                        \
	X(BOARD_LATE, "board.late", COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE)                             \
	X(BOARD_OFFLINE, "board.offline", -1, -1, A_DIM, A_DIM)                                              \
	X(BOARD_SELECTED, "board.selected", COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE)                      \
	X(BOARD_ALERT, "board.alert", COLOR_RED, -1, A_BOLD, A_BOLD)

enum ui_color_role {
#define UI_COLOR_ENUM(id, name, fg, bg, attr, mono) UI_C_##id,
	UI_COLOR_ROLES(UI_COLOR_ENUM)
#undef UI_COLOR_ENUM
	    UI_C_COUNT
};

struct theme;
/* The role names, in enum order (for theme_parse's check of role names). */
const char *const *ui_color_role_names(size_t *n);
/* Use this theme (kept by the caller) when ui_color_init sets up the pairs. */
void ui_color_use_theme(const struct theme *t);
/* Find theme `name` (theme_find, with the shipped folders `dirs`) and read it into *out. Returns 0, or -1
 * with *why (heap) saying what is wrong: no such theme (and where it looked), or FILE:LINE: what. */
int ui_color_load_theme(const char *name, const char *const *dirs, struct theme *out, char **why);
/* The role for a wait of `waited` ms: normal, warning (>= warn_ms) or late (>= late_ms). */
enum ui_color_role ui_color_sla(long long waited, int warn_ms, int late_ms, enum ui_color_role normal,
                                enum ui_color_role warn, enum ui_color_role late);
/* Set up colour pairs (after initscr). Colours are used unless NO_COLOR is set or the terminal has none. */
void ui_color_init(void);
bool ui_color_enabled(void);
/* Draw with ASCII instead of block and box characters (sparklines, slots): NO_COLOR, no colours, the mono theme. */
bool ui_color_ascii(void);
const char *ui_color_name(enum ui_color_role r);
/* The attributes and colour pair of a role, for setcchar()/wattr_set(). */
attr_t ui_color_attr(enum ui_color_role r);
short ui_color_pair(enum ui_color_role r);

#endif
