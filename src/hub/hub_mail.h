/* hub_mail.h: the hub's mail (docs/hub.md, "Mail"): hub_mail_msg.c builds one RFC 5322 + MIME message (UTF-8
 * text/plain, base64 body, RFC 2047 subject, Date, Message-ID) for one checked address; hub_mail.c sends the
 * outbox through the sendmail command, one mail at a time, off the hub's loop's back (a child process fed
 * through a pipe, reaped through a pidfd, timed out, retried with back-off). Not for use outside src/hub. */
#ifndef OPDESK_HUB_MAIL_H
#define OPDESK_HUB_MAIL_H

#include <stdbool.h>
#include <stdint.h>

struct hub;

/* ---- hub_mail_msg.c ---- */

/* Is `addr` one plain address local@domain that can go into a header as it is: 3..254 bytes, printable ASCII,
 * no spaces, no <>()[],;:"\ and no CR/LF, one '@' with a local part of 1..64 and a domain of letters, digits,
 * '-' and '.' (no empty label)? */
bool hub_mail_addr_valid(const char *addr);

struct hub_mail_msg {
	const char *from, *to;  /* checked with hub_mail_addr_valid */
	const char *subject;    /* UTF-8, one line (controls become spaces) */
	const char *body;       /* UTF-8 text, LF line ends */
	int64_t date_ms;        /* the Date, in the hub's local time zone */
	const char *id_left;    /* the Message-ID's left part (unique: e.g. time and random hex) */
};
/* The message with LF line ends (heap), or NULL with *cause (heap) when an address is bad. */
char *hub_mail_build(const struct hub_mail_msg *m, char **cause);
/* The subject as an RFC 2047 encoded-word header value (folded, each line <= 76 bytes), or as it is when it is
 * short printable ASCII (heap). */
char *hub_mail_subject(const char *subject);

/* ---- hub_mail.c ---- */

/* Queue a mail to `to` (checked) with `subject` and `body`, built now; kind and dialog label it in the outbox.
 * Then the sender starts if idle. 0, or -1 (logged) when it was not queued. */
int hub_mail_queue(struct hub *h, const char *to, const char *kind, int64_t dialog, const char *subject,
		   const char *body, int64_t now);
/* Look at the outbox: start the next due mail, or wait for it with a timer (none when nothing is pending). */
void hub_mail_kick(struct hub *h);
/* ---- hub_transcript.c ---- */

/* Queue the transcript of closed `dialog` (its customer's name, when it opened) to `to`. 0, or -1. */
int hub_transcript_queue(struct hub *h, int64_t dialog, const char *customer, int64_t opened, const char *to,
			 int64_t now);

/* At exit: a running command is killed and reaped, its mail stays pending. */
void hub_mail_free(struct hub *h);

#endif
