/* desk_int.h: what desk.c shares with desk_watch.c (the supervisor's side of the model) and desk_card.c (who
 * the customer is), and nobody else.
 * Include it after opdesk/desk.h (it names desk.h's structs without including it: no circle of modules). */
#ifndef OPDESK_DESK_INT_H
#define OPDESK_DESK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "opdesk/proto.h"

struct desk;
struct desk_dialog;
struct desk_message;

void desk_replace(char **dst, const char *src);
/* A message and its strings in one block; `pm` gives the optional ones (author, client_msg_id, kind, args);
 * the author is the desk's one copy of the name. */
struct desk_message *desk_message_pack(struct desk *d, int64_t seq, int64_t time, enum proto_sender sender,
                                       const char *text, const struct proto_message *pm);
/* m joins dl as one of our messages waiting for the hub's ack (after the others). */
void desk_add_pending(struct desk_dialog *dl, struct desk_message *m);
void desk_recalc_unanswered(struct desk_dialog *dl);
/* Add or refresh a dialog from a snapshot (welcome, assigned, watching); *added says if it is new. */
struct desk_dialog *desk_merge_dialog(struct desk *d, const struct proto_dialog *pd, bool *added);
/* Drop dialog `i` of the desk (the observer is told DESK_CH_REMOVED). */
void desk_dialog_remove(struct desk *d, size_t i);
void desk_dialog_free(struct desk_dialog *dl);
/* Hand a frame to the transport: 0 when it goes out on the live, welcomed connection, else -1. */
int desk_send(struct desk *d, const struct proto_msg *m);
char *desk_next_cmid(struct desk *d);
/* A message's text can be sent (not empty, not over PROTO_MAX_TEXT); else false with the error set. */
bool desk_text_ok(struct desk *d, const char *text);
bool desk_check_online(struct desk *d);
bool desk_message_has_cmid(const struct desk_dialog *dl, const char *cmid);

/* desk_card.c's part: the card, a chat read from it and a block's answer applied; freed with the desk */
void desk_card_apply(struct desk *d, const struct proto_msg *m);
void desk_card_free(struct desk *d);

/* desk_watch.c's part of applying frames and of the life cycle */
void desk_apply_watching(struct desk *d, const struct proto_msg *m);
void desk_apply_watchers(struct desk *d, const struct proto_msg *m);
void desk_apply_released(struct desk *d, struct desk_dialog *dl, const struct proto_msg *m);
/* An `assigned` for dl came: a dialog watched or taken over is the supervisor's own now. */
void desk_watch_assigned(struct desk *d, struct desk_dialog *dl);
/* After the welcome: watch again every dialog asked for (the hub forgot them with the connection). */
void desk_watch_again(struct desk *d);
/* An error with ref "watch": the oldest watch not answered was refused. True if there was one. */
bool desk_watch_refused(struct desk *d, const char *why);
/* A live message came into dl: count a whisper for the hotlist and the bell. */
void desk_whisper_arrived(struct desk *d, struct desk_dialog *dl, const struct desk_message *m);
/* The frame that sends pending message m of dl again (whisper or send). */
void desk_pending_frame(const struct desk_dialog *dl, const struct desk_message *m, struct proto_msg *out);
void desk_watch_free(struct desk_dialog *dl); /* the supervising fields of a dialog being freed */

#endif
