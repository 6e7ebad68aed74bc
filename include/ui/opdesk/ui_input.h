/* ui_input.h: reading keys: drain wget_wch() until ERR (stdin is non-blocking), turn curses key codes and
 * ESC-prefixed Alt keys into cmd_keys codes, and dispatch them through the key table. */
#ifndef OPDESK_UI_INPUT_H
#define OPDESK_UI_INPUT_H

#include <stdbool.h>

#include "opdesk/cmd.h"
#include "opdesk/ui_screen.h"

/* Translate one wget_wch() result (rc OK or KEY_CODE_YES) into a cmd_keys code; -1 if it means nothing. */
int ui_input_translate(int rc, wint_t ch);

/* Read and dispatch every key waiting. Returns the OR of the commands' result bits; *eof is set when the
 * terminal is gone (readable but no key and a hang-up). */
unsigned ui_input_drain(struct ui *ui, struct cmd_ctx *ctx, bool *eof);

#endif
