/* textscan.c: order numbers, phone numbers and e-mail addresses in a customer's text (see textscan.h). Bytes
 * only: every character these rules name is ASCII, so UTF-8 around them needs no decoding. */
#include "opdesk/textscan.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_local(char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static bool is_domain(char c)
{
	return is_alnum(c) || c == '.' || c == '-';
}

/* An e-mail address around the '@' at t[at]: its start and length, 0 when it is none. */
static size_t email_at(const char *t, size_t at, size_t *start)
{
	size_t b = at, e = at + 1;
	while (b > 0 && is_local(t[b - 1]))
		b--;
	while (t[e] && is_domain(t[e]))
		e++;
	while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-'))
		e--;
	while (b < at && t[b] == '.')
		b++;
	if (b == at || e <= at + 1)
		return 0;
	const char *dot = NULL;
	for (size_t i = at + 1; i < e; i++)
		if (t[i] == '.')
			dot = t + i;
	if (!dot || dot == t + at + 1 || t + e - dot - 1 < 2)
		return 0;
	for (const char *p = dot + 1; p < t + e; p++)
		if (is_digit(*p) || *p == '-')
			return 0;
	*start = b;
	return e - b;
}

/* A run of digits and the separators a phone number is written with, from t[i]: its end (a separator is
 * taken only between digits or before a bracketed group). */
static size_t number_run(const char *t, size_t i, size_t *digits)
{
	size_t j = i, last = i;
	*digits = 0;
	if (t[j] == '+')
		j++;
	while (t[j]) {
		if (is_digit(t[j])) {
			(*digits)++;
			last = ++j;
			continue;
		}
		char c = t[j];
		bool sep = c == ' ' || c == '-' || c == '(' || c == ')';
		if (!sep || !(is_digit(t[j + 1]) || (c != '(' && t[j + 1] == '(') || (c == ')' && t[j + 1] == ' ')))
			break;
		j++;
	}
	return last;
}

static bool phone_like(const char *t, size_t i, size_t digits)
{
	if (t[i] == '+')
		return digits >= 10 && digits <= 15;
	return digits == 11 && (t[i] == '8' || t[i] == '7');
}

/* The order numbers in [i, end): runs of 4 or more digits with single dashes inside. */
static void orders_in(const char *t, size_t i, size_t end, textscan_fn *fn, void *arg)
{
	while (i < end) {
		if (!is_digit(t[i])) {
			i++;
			continue;
		}
		size_t j = i, digits = 0;
		while (j < end && is_digit(t[j])) {
			while (j < end && is_digit(t[j])) {
				j++;
				digits++;
			}
			if (j + 1 < end && t[j] == '-' && is_digit(t[j + 1]))
				j++;
		}
		if (digits >= 4)
			fn(arg, TEXTSCAN_ORDER, t + i, j - i);
		i = j;
	}
}

void textscan(const char *t, textscan_fn *fn, void *arg)
{
	if (!t)
		return;
	size_t i = 0;
	while (t[i]) {
		if (t[i] == '@') {
			size_t b, n = email_at(t, i, &b);
			if (n) {
				fn(arg, TEXTSCAN_EMAIL, t + b, n);
				i = b + n;
				continue;
			}
			i++;
			continue;
		}
		bool starts = is_digit(t[i]) || (t[i] == '+' && is_digit(t[i + 1]));
		if (!starts || (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '@' || t[i - 1] == '.'))) {
			i++;
			continue;
		}
		/* inside an e-mail address's local part ("ivan1985@mail.ru")? leave it to the '@' */
		size_t k = i;
		while (t[k] && is_local(t[k]))
			k++;
		if (t[k] == '@' && email_at(t, k, &(size_t){0})) {
			i = k;
			continue;
		}
		size_t digits;
		size_t end = number_run(t, i, &digits);
		if (phone_like(t, i, digits))
			fn(arg, TEXTSCAN_PHONE, t + i, end - i);
		else
			orders_in(t, i, end, fn, arg);
		i = end > i ? end : i + 1;
	}
}

size_t textscan_phone_key(const char *s, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n < 15; i++)
		if (is_digit(s[i]))
			out[n++] = s[i];
	if (n == 11 && out[0] == '8')
		out[0] = '7';
	out[n] = '\0';
	return n;
}
