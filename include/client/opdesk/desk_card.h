/* desk_card.h: who the customer is, model side (docs/protocol.md, "Who the customer is", "Blocking"): the card
 * of a dialog's customer as the hub answered it (names, contacts, its other chats), one of those chats read
 * read-only, and blocking the customer. No curses. */
#ifndef OPDESK_DESK_CARD_H
#define OPDESK_DESK_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/desk.h"

struct desk_card {
	int64_t dialog; /* the dialog whose customer was asked about */
	bool known;     /* the hub's answer for it came */
	int64_t id, since, total;
	enum proto_channel channel;
	char *contact; /* a bridged customer's, NULL otherwise */
	bool blocked;
	struct proto_card_name *names;
	size_t n_names;
	struct proto_card_contact *contacts;
	size_t n_contacts;
	struct proto_card_chat *chats; /* newest first */
	size_t n_chats;
	/* a chat read from the card: its dialog (messages empty) and its messages, oldest first */
	int64_t read_dialog; /* 0: none asked */
	bool read_known;     /* its first answer came */
	struct proto_dialog read;
	struct proto_message *msgs;
	size_t n_msgs;
};

/* Ask the hub for the card of `dialog`'s customer (the answer replaces desk->card; DESK_CH_CARD). */
int desk_card_ask(struct desk *d, int64_t dialog);
/* Ask for chat `dialog` read-only (one of the card's; the answer fills desk->card's read part). */
int desk_card_read(struct desk *d, int64_t dialog);
/* Block `dialog`'s customer for `reason` (the hub closes the dialog and answers `blocked`). */
int desk_block(struct desk *d, int64_t dialog, const char *reason);

#endif
