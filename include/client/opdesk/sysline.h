/* sysline.h: the lines the hub writes itself (someone joined, the customer left, a transfer, a takeover, a
 * claim), rendered from their kind and args in the operator's language (docs/protocol.md, "System lines");
 * a kind this client does not know, or one without what it needs, shows the hub's text. No curses. */
#ifndef OPDESK_SYSLINE_H
#define OPDESK_SYSLINE_H

#include "opdesk/desk.h"

/* The line in the operator's language (heap), or NULL when m has no kind this client can render. */
char *sysline_render(const struct desk_message *m);
/* What the operator reads for m (heap): the rendering, else m's text as the hub wrote it. */
char *sysline_text(const struct desk_message *m);
/* "whisper from Светлана" (heap) for a supervisor's whisper (its args' name, else its author), else NULL; its
 * text is the supervisor's own words. */
char *sysline_whisper_label(const struct desk_message *m);
/* A claim category ("delivery") in the operator's language, the word itself if unknown. */
const char *sysline_claim_label(const char *category);

#endif
