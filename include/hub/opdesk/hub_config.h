/* hub_config.h: what the hub is started with (opdesk-hub's options, hub_new): its language, capacity, grace
 * period, sign-in limit, return window, queue modes and the supervisors' SLA thresholds, with their defaults. */
#ifndef OPDESK_HUB_CONFIG_H
#define OPDESK_HUB_CONFIG_H

#include <stddef.h>

#include "opdesk/hub_hours.h"
#include "opdesk/hub_router.h"

/* Seconds an operator may stay disconnected before the dialogs it holds go back to the queue. */
#ifndef HUB_DEFAULT_GRACE_S
#define HUB_DEFAULT_GRACE_S 120
#endif

/* Failed sign-ins (wrong user, secret, role; disabled) one peer address may make in a minute before its
 * further hellos are refused without checking a secret, until that minute is over. */
#ifndef HUB_DEFAULT_SIGNIN_FAILURES
#define HUB_DEFAULT_SIGNIN_FAILURES 10
#endif
#define HUB_SIGNIN_WINDOW_S 60

/* The supervisors' thresholds (docs/protocol.md, "Supervisors"): a chat waiting in the queue longer than this
 * raises an alert and counts against the service level... */
#ifndef HUB_DEFAULT_SLA_WAIT_S
#define HUB_DEFAULT_SLA_WAIT_S 13
#endif
/* ... and a held chat's customer unanswered longer than this raises one. */
#ifndef HUB_DEFAULT_SLA_ANSWER_S
#define HUB_DEFAULT_SLA_ANSWER_S 300
#endif

/* Mail (docs/hub.md, "Mail"): the sendmail command (split on blanks, run without a shell; the message on its
 * stdin), the sender's address, how long one attempt may take, and the waits before each further attempt. */
#define HUB_DEFAULT_SENDMAIL "/usr/sbin/sendmail -t -i"
#define HUB_DEFAULT_MAIL_TIMEOUT_S 60
#define HUB_MAIL_MAX_RETRIES 8
#define HUB_DEFAULT_MAIL_RETRY "60,300,1800,7200"

/* Auto-close (docs/hub.md, "Auto-close"): the grace between the warning and the close. */
#define HUB_DEFAULT_AUTO_CLOSE_GRACE_S 120

struct hub_config {
	const char *lang;   /* "ru" or "en": canned replies sent in welcome and the language of system messages */
	int capacity;       /* > 0: every operator handles at most this many chats (overrides the stored capacity) */
	int grace_s;        /* see HUB_DEFAULT_GRACE_S; 0 = release at once */
	int signin_failures; /* see HUB_DEFAULT_SIGNIN_FAILURES; 0 = no limit */
	int return_window_s; /* a customer back within this many seconds of their last chat goes first; 0 = off */
	int sla_wait_s;     /* see HUB_DEFAULT_SLA_WAIT_S (0: the default) */
	int sla_answer_s;   /* see HUB_DEFAULT_SLA_ANSWER_S (0: the default) */
	const struct hub_queue_config {
		const char *name;
		enum hub_queue_mode mode;
	} *queues;          /* queues routed other than least-loaded */
	size_t n_queues;
	const char *files_dir; /* the uploaded files' folder (docs/hub.md, "Files"); NULL: no uploads */
	long long max_upload;  /* bytes (0: HUB_DEFAULT_MAX_UPLOAD) */
	long long link_ttl_ms; /* how long a signed link and an upload ticket live (<0: HUB_DEFAULT_LINK_TTL_S) */
	const char *sendmail;   /* NULL: HUB_DEFAULT_SENDMAIL */
	const char *mail_from;  /* NULL: opdesk@ and the host's name */
	int mail_timeout_s;     /* 0: HUB_DEFAULT_MAIL_TIMEOUT_S */
	int mail_retry_s[HUB_MAIL_MAX_RETRIES]; /* the waits before the 2nd, 3rd... attempt */
	/* auto-close: a held chat whose customer has not written for this long after the operator's last message
	 * is warned, and closed after the grace; per queue, else auto_close_all_s; 0: off (the default) */
	const struct hub_auto_close {
		const char *queue;
		int seconds;
	} *auto_close;
	size_t n_auto_close;
	int auto_close_all_s;
	int auto_close_grace_s; /* 0: HUB_DEFAULT_AUTO_CLOSE_GRACE_S */
	/* working hours per queue (none: always); outside them the web chat says so and takes requests */
	const struct hub_queue_hours {
		const char *queue;
		struct hub_hours hours;
	} *hours;
	size_t n_hours;
	int n_mail_retry;       /* how many (at most n + 1 attempts); 0: the default list, -1: no retry */
};

#endif
