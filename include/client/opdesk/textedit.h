/* textedit.h: the composer's line-editing buffer, curses-free: wide characters, a cursor that moves by
 * whole clusters (a character with its combining marks), readline-like editing, and a byte limit so a
 * draft always fits in one protocol message. Only characters textsafe draws unchanged are accepted, so
 * the cursor column computed here matches what the composer shows. */
#ifndef OPDESK_TEXTEDIT_H
#define OPDESK_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct textedit {
	wchar_t *buf; /* not NUL-terminated */
	size_t len, cap;
	size_t cursor;    /* index into buf, always at a cluster boundary */
	size_t bytes;     /* UTF-8 length of buf */
	size_t max_bytes; /* 0 = PROTO_MAX_TEXT */
};

void textedit_init(struct textedit *e);
void textedit_free(struct textedit *e);
void textedit_clear(struct textedit *e);
bool textedit_empty(const struct textedit *e);

/* Insert one character at the cursor. Returns false (and changes nothing) for characters that are not
 * printable text (controls, format characters) or when the draft would exceed its byte limit. */
bool textedit_insert(struct textedit *e, wchar_t c);
/* Insert a line break at the cursor (Alt-Enter): a message may have several lines. */
bool textedit_newline(struct textedit *e);
/* Replace the whole draft with UTF-8 text (invalid or unprintable characters are skipped); cursor at end. */
void textedit_set_utf8(struct textedit *e, const char *s);

/* Editing and motion. Each returns true when it changed something (text or cursor). */
bool textedit_backspace(struct textedit *e); /* delete the cluster before the cursor */
bool textedit_delete(struct textedit *e);    /* delete the cluster at the cursor */
bool textedit_left(struct textedit *e);
bool textedit_right(struct textedit *e);
bool textedit_home(struct textedit *e);
bool textedit_end(struct textedit *e);
bool textedit_kill_end(struct textedit *e);   /* Ctrl-K */
bool textedit_kill_start(struct textedit *e); /* Ctrl-U */
bool textedit_kill_word(struct textedit *e);  /* Ctrl-W: spaces, then the word before the cursor */
/* The three kills above keep what they cut (one slot shared by all drafts, as readline's kill ring). */
bool textedit_yank(struct textedit *e);       /* Ctrl-Y: insert the last text cut */
void textedit_forget_kill(void);              /* free the kept text (at exit) */
bool textedit_word_left(struct textedit *e);  /* Alt-B, Ctrl-Left: to the start of this or the previous word */
bool textedit_word_right(struct textedit *e); /* Alt-F, Ctrl-Right: to the end of this or the next word */

/* The draft as UTF-8 (heap string). With trim, leading and trailing white space is left out. */
char *textedit_utf8(const struct textedit *e, bool trim);
/* Display width of buf[0..cursor) and of the whole draft. */
int textedit_cursor_col(const struct textedit *e);
int textedit_width(const struct textedit *e);

#endif
