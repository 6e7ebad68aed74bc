/* ui_notify.h: desktop notifications beside the bell, as terminal escape sequences (OSC 9 or OSC 777,
 * wrapped for tmux's passthrough when inside tmux). The text is reduced to plain printable characters
 * first: a customer's name must never be able to end the sequence and drive the terminal. */
#ifndef OPDESK_UI_NOTIFY_H
#define OPDESK_UI_NOTIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "opdesk/config.h"

/* The escape sequence announcing title/body (heap), NULL for CONFIG_NOTIFY_OFF. */
char *ui_notify_sequence(enum config_notify kind, bool tmux, const char *title, const char *body);
/* Write it to the terminal (tmux: $TMUX is set). */
void ui_notify_send(FILE *out, enum config_notify kind, const char *title, const char *body);

#endif
