/* desk_files.h: the operator's side of files (docs/protocol.md, "Files"; the model, no curses): a dialog's
 * file messages, saving one into the download folder (never over another file: "photo (1).jpg"), opening it
 * with the desktop's opener when the session is local, a short-lived link shown as the client's own line, and
 * sending a file to the customer. Each asks the hub first (file_link, upload_ticket), then moves the bytes over
 * the transport's HTTP. */
#ifndef OPDESK_DESK_FILES_H
#define OPDESK_DESK_FILES_H

#include <stdbool.h>

#include "opdesk/desk.h"

enum desk_file_action { DESK_FILE_SAVE, DESK_FILE_OPEN, DESK_FILE_LINK, DESK_FILE_SEND };

/* The dialog's newest file message, or the one with that seq (seq > 0); NULL when there is none. */
const struct desk_message *desk_files_find(const struct desk_dialog *dl, int64_t seq);
/* Save, open or link `m` (a file message of dialog `dl`): asks the hub for a link. 0, or -1 with the error set. */
int desk_files_act(struct desk *d, const struct desk_dialog *dl, const struct desk_message *m,
                   enum desk_file_action a);
/* Send the file at `path` to the dialog's customer: asks the hub for a ticket. 0, or -1 with the error set. */
int desk_files_send(struct desk *d, const struct desk_dialog *dl, const char *path);
/* A child exited (SIGCHLD): reap the openers that did. */
void desk_files_reap(struct desk *d);
/* desk_files_apply, desk_files_detach and desk_files_free are declared in desk.h (the desk calls them). */

/* A file's name to save it under: the hub's name if it is a safe one, with the extension its type has, else
 * "file-HASH.EXT" (heap). */
char *desk_files_local_name(const char *name, const char *type, const char *hash);
/* A name not yet taken in `dir`: "DIR/photo.jpg", else "DIR/photo (1).jpg", ... (heap). */
char *desk_files_unique(const char *dir, const char *name);
/* The download folder by default: $XDG_DOWNLOAD_DIR, else ~/Downloads (heap; NULL without HOME). */
char *desk_files_default_dir(void);

#endif
