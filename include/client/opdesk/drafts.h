/* drafts.h: what the operator typed and sent survives a crash: the composer drafts and the messages the hub
 * has not acknowledged yet are kept in a file in the XDG state folder (written atomically, at most once a
 * second while typing, at once when a message is sent or acknowledged), and put back when the client starts
 * again and the hub gives it the same dialogs; the pending messages then go out again with their old client
 * message ids, so the hub stores each once. Curses-free. */
#ifndef OPDESK_DRAFTS_H
#define OPDESK_DRAFTS_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "opdesk/desk.h"

struct drafts;

/* $XDG_STATE_HOME/opdesk/drafts/USER@HOST_PORT.json (~/.local/state/...); NULL without HOME. */
char *drafts_default_path(const char *user, const char *url);
/* Read what a previous run left (a missing file is fine; an unreadable one is set aside as PATH.bad and
 * logged). */
struct drafts *drafts_open(const char *path, struct desk *d);
void drafts_close(struct drafts *s); /* saves a last time */
/* The event loop's context, for the save timer. */
void drafts_attach(struct drafts *s, struct lws_context *ctx);
/* A supervisor's watched dialogs of the last run: watch them again (their whispers pending come back with
 * them, through drafts_dialog_added, and go out again). */
void drafts_watch_again(struct drafts *s);
/* A dialog appeared: give it back its saved draft and pending messages (once). */
void drafts_dialog_added(struct drafts *s, int64_t dialog);
/* Something the file holds may have changed: save soon (urgent: now). */
void drafts_touch(struct drafts *s, bool urgent);
/* Write the file now (tmp + fsync + rename). Returns 0 or -1 (logged). */
int drafts_save(struct drafts *s);

#endif
