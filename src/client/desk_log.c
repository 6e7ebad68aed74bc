/* desk_log.c: what the operator is told, kept: the status bar's error (until the next key) and information
 * (until it fades), and the message log that holds every one of them with its time and full text, the way
 * WeeChat's core buffer and irssi's status window do. */
#include "opdesk/desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/log.h"
#include "opdesk/xalloc.h"

static char *desk_vfmt(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup(fmt);
	return s;
}

static void desk_log_add(struct desk *d, enum desk_notice_kind kind, const char *text, int64_t now)
{
	if (d->n_notices == DESK_NOTICES_MAX) {
		free(d->notices[0].text);
		memmove(d->notices, d->notices + 1, (d->n_notices - 1) * sizeof *d->notices);
		d->n_notices--;
	}
	d->notices = xgrow(d->notices, &d->cap_notices, d->n_notices + 1, sizeof *d->notices);
	d->notices[d->n_notices++] = (struct desk_notice){.time = now, .kind = kind, .text = xstrdup(text)};
}

void desk_log(struct desk *d, enum desk_notice_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = desk_vfmt(fmt, ap);
	va_end(ap);
	desk_log_add(d, kind, s, proto_now_ms());
	free(s);
}

/* A new text for one of the status line's places (error, information, fatal), also into the log. */
static void desk_keep(struct desk *d, char **place, enum desk_notice_kind kind, char *s, int64_t now)
{
	free(*place);
	*place = s;
	desk_log_add(d, kind, s, now);
}

void desk_set_error(struct desk *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = desk_vfmt(fmt, ap);
	va_end(ap);
	desk_keep(d, &d->last_error, DESK_NOTICE_ERROR, s, proto_now_ms());
	log_info("%s", s);
	desk_notify(d, DESK_CH_STATUS, 0);
}

void desk_clear_error(struct desk *d)
{
	if (!d->last_error)
		return;
	free(d->last_error);
	d->last_error = NULL;
	desk_notify(d, DESK_CH_STATUS, 0);
}

void desk_info(struct desk *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = desk_vfmt(fmt, ap);
	va_end(ap);
	int64_t now = proto_now_ms();
	desk_keep(d, &d->info, DESK_NOTICE_INFO, s, now);
	d->info_until = now + DESK_INFO_MS;
	log_info("%s", s);
	desk_notify(d, DESK_CH_STATUS, 0);
}

const char *desk_info_now(const struct desk *d, int64_t now_ms)
{
	return d->info && now_ms < d->info_until ? d->info : NULL;
}

void desk_set_fatal(struct desk *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = desk_vfmt(fmt, ap);
	va_end(ap);
	desk_keep(d, &d->fatal, DESK_NOTICE_ERROR, s, proto_now_ms());
	log_error("%s", s);
	desk_notify(d, DESK_CH_FATAL | DESK_CH_STATUS, 0);
}

void desk_notices_free(struct desk *d)
{
	for (size_t i = 0; i < d->n_notices; i++)
		free(d->notices[i].text);
	free(d->notices);
	d->notices = NULL;
	d->n_notices = d->cap_notices = 0;
	free(d->last_error);
	free(d->info);
	free(d->fatal);
	d->last_error = d->info = d->fatal = NULL;
}
