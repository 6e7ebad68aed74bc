/* hub_mail_msg.c: one mail message as the sendmail command takes it (RFC 5322 with MIME, RFC 2045-2047): From,
 * To, a Subject as UTF-8 encoded words, Date, Message-ID, and a UTF-8 text/plain body in base64, with LF line
 * ends (sendmail -t -i turns them into CRLF). Addresses are checked so that nothing can add a header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub_mail.h"
#include "opdesk/xalloc.h"

bool hub_mail_addr_valid(const char *addr)
{
	if (!addr)
		return false;
	size_t n = strlen(addr);
	if (n < 3 || n > 254)
		return false;
	const char *at = strchr(addr, '@');
	if (!at || strchr(at + 1, '@') || at == addr || at - addr > 64 || !at[1])
		return false;
	for (const char *p = addr; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("<>()[],;:\"\\", c))
			return false;
	}
	if (addr[0] == '.' || at[-1] == '.')
		return false;
	char prev = '.';
	for (const char *p = at + 1; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
			  c == '.';
		if (!ok || (c == '.' && prev == '.'))
			return false;
		prev = c;
	}
	return prev != '.';
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Append the base64 of n bytes of s to out (room for 4 * ((n + 2) / 3) + 1). */
static size_t base64(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

char *hub_mail_subject(const char *subject)
{
	/* one line: controls (CR, LF, tabs...) become spaces */
	size_t n = strlen(subject);
	unsigned char *s = xmalloc(n + 1);
	bool plain = n <= 60;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)subject[i];
		s[i] = (c && (c < ' ' || c == 0x7f)) ? ' ' : c;
		if (c >= 0x7f || (i + 1 < n && c == '=' && subject[i + 1] == '?'))
			plain = false;
	}
	if (plain)
		return (char *)s;
	/* encoded words of at most 39 bytes each (52 base64 characters, 64 with the frame: 73 after "Subject: "),
	 * never splitting a UTF-8 character, joined by a fold (CRLF SP; LF SP here) */
	char *out = xmalloc(n / 39 * 80 + n * 2 + 80);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t len = n - i < 39 ? n - i : 39;
		while (i + len < n && (s[i + len] & 0xc0) == 0x80)
			len--;
		if (o)
			out[o++] = '\n', out[o++] = ' ';
		memcpy(out + o, "=?UTF-8?B?", 10);
		o += 10;
		o += base64(s + i, len, out + o);
		memcpy(out + o, "?=", 3);
		o += 2;
		i += len;
	}
	out[o] = '\0';
	free(s);
	return out;
}

char *hub_mail_build(const struct hub_mail_msg *m, char **cause)
{
	if (!hub_mail_addr_valid(m->from)) {
		*cause = xasprintf("the sender's address is not a plain address local@domain");
		return NULL;
	}
	if (!hub_mail_addr_valid(m->to)) {
		*cause = xasprintf("the recipient's address is not a plain address local@domain");
		return NULL;
	}
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(m->date_ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	long off = tm.tm_gmtoff / 60;
	char date[64];
	snprintf(date, sizeof date, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
	char *subject = hub_mail_subject(m->subject);
	/* the body in base64, lines of 76 */
	size_t n = strlen(m->body);
	char *body = xmalloc((n + 2) / 3 * 4 + (n + 56) / 57 + 2);
	size_t o = 0;
	for (size_t i = 0; i < n; i += 57) {
		o += base64((const unsigned char *)m->body + i, n - i < 57 ? n - i : 57, body + o);
		body[o++] = '\n';
	}
	body[o] = '\0';
	char *msg = xasprintf("From: %s\n"
			      "To: %s\n"
			      "Subject: %s\n"
			      "Date: %s\n"
			      "Message-ID: <%s%s>\n"
			      "MIME-Version: 1.0\n"
			      "Content-Type: text/plain; charset=utf-8\n"
			      "Content-Transfer-Encoding: base64\n"
			      "Auto-Submitted: auto-generated\n"
			      "\n"
			      "%s",
			      m->from, m->to, subject, date, m->id_left, strchr(m->from, '@'), body);
	free(subject);
	free(body);
	return msg;
}
