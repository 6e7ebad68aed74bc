/* canned.c: fuzzy search, grouping and placeholder filling for canned replies (see canned.h). */
#include "opdesk/canned.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wctype.h>

#include "opdesk/i18n.h"
#include "opdesk/utf8.h"
#include "opdesk/textscan.h"
#include "opdesk/xalloc.h"

/* Lower-cased code points of s (NUL-terminated array, caller frees). */
static wint_t *fold(const char *s, size_t *n)
{
	size_t len = strlen(s), k = 0;
	wint_t *out = xmalloc((len + 1) * sizeof *out);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		out[k++] = towlower((wint_t)cp);
	}
	out[k] = 0;
	*n = k;
	return out;
}

static bool word_start(const wint_t *f, size_t i)
{
	return i == 0 || !iswalnum(f[i - 1]);
}

/* Score one field: a prefix beats a word start beats a substring beats a scattered subsequence. */
static int field_score(const wint_t *q, size_t nq, const char *field)
{
	if (!field || !*field)
		return -1;
	size_t nf;
	wint_t *f = fold(field, &nf);
	int best = -1;
	for (size_t i = 0; i + nq <= nf && best < 1000; i++) {
		if (memcmp(f + i, q, nq * sizeof *q) != 0)
			continue;
		int s = i == 0 ? 1000 : word_start(f, i) ? 800 : 600;
		if (s > best)
			best = s;
	}
	if (best < 0) { /* a subsequence: every query letter in order, fewer gaps better */
		size_t qi = 0, gaps = 0, last = 0;
		for (size_t i = 0; i < nf && qi < nq; i++) {
			if (f[i] != q[qi])
				continue;
			if (qi > 0 && i > last + 1)
				gaps++;
			last = i;
			qi++;
		}
		if (qi == nq)
			best = 300 - (int)(gaps > 100 ? 100 : gaps) * 3;
	}
	free(f);
	return best;
}

/* The text without {placeholders}: "{customer}" must not match a search for "st". */
static char *without_placeholders(const char *text)
{
	char *out = xstrdup(text ? text : ""), *o = out;
	for (const char *p = out; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close && close - p < 32 && strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") == (size_t)(close - p - 1)) {
			p = close + 1;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

int canned_score(const char *query, const struct proto_canned *c)
{
	size_t nq;
	wint_t *q = fold(query ? query : "", &nq);
	int best = -1;
	if (nq == 0) {
		best = 0;
	} else {
		int s;
		if ((s = field_score(q, nq, c->shortcut)) >= 0 && s + 200 > best)
			best = s + 200;
		if ((s = field_score(q, nq, c->title)) >= 0 && s + 100 > best)
			best = s + 100;
		char *plain = without_placeholders(c->text);
		if ((s = field_score(q, nq, plain)) >= 0 && s > best)
			best = s;
		free(plain);
	}
	free(q);
	return best;
}

static const struct {
	const char *id, *label;
} canned_categories[] = {
	{"greeting", N_("Greetings")},     {"order", N_("Order")},       {"company", N_("Delivery, payment, hours")},
	{"product", N_("Product")},        {"returns", N_("Returns")},  {"site", N_("The web site")},
	{"stylist", N_("Stylist")},        {"closing", N_("Closing")},        {"own", N_("My replies")},
};
#define N_CATEGORIES (int)(sizeof canned_categories / sizeof *canned_categories)

int canned_category_rank(const char *category)
{
	for (int i = 0; i < N_CATEGORIES; i++)
		if (category && strcmp(category, canned_categories[i].id) == 0)
			return i;
	return N_CATEGORIES;
}

const char *canned_category_label(const char *category)
{
	int r = canned_category_rank(category);
	return r < N_CATEGORIES ? _(canned_categories[r].label) : category ? category : "";
}

struct ranked {
	size_t idx;
	int group_best, rank, score;
};

/* The group holding the best match comes first, so the highlight starts on it; then the usual order. */
static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->group_best != y->group_best)
		return y->group_best - x->group_best;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->score != y->score)
		return y->score - x->score;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

size_t canned_filter(const struct proto_canned *all, size_t n, const char *query, size_t *idx, size_t max)
{
	struct ranked *r = xmalloc((n ? n : 1) * sizeof *r);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int s = canned_score(query, &all[i]);
		if (s >= 0)
			r[k++] = (struct ranked){.idx = i, .rank = canned_category_rank(all[i].category), .score = s};
	}
	for (size_t i = 0; i < k; i++) {
		r[i].group_best = r[i].score;
		for (size_t j = 0; j < k; j++)
			if (r[j].rank == r[i].rank && r[j].score > r[i].group_best)
				r[i].group_best = r[j].score;
	}
	qsort(r, k, sizeof *r, ranked_cmp);
	size_t out = k < max ? k : max;
	for (size_t i = 0; i < out; i++)
		idx[i] = r[i].idx;
	free(r);
	return out;
}

/* The last order number (textscan's: 4+ digits, dashes allowed inside, not a phone number) in the customer's
 * messages, or NULL. */
struct last_order {
	const char *s;
	size_t len;
};

static void order_seen(void *arg, enum textscan_kind kind, const char *s, size_t len)
{
	struct last_order *o = arg;
	if (kind == TEXTSCAN_ORDER)
		*o = (struct last_order){ s, len };
}

static char *last_order_number(const struct desk_dialog *dl)
{
	for (size_t m = dl->n_msgs; m-- > 0;) {
		if (dl->msgs[m]->sender != PROTO_FROM_CUSTOMER)
			continue;
		struct last_order o = { NULL, 0 };
		textscan(dl->msgs[m]->text, order_seen, &o);
		if (o.s)
			return xstrndup(o.s, o.len);
	}
	return NULL;
}

static const char *const canned_placeholders[] = {"{customer}", "{operator}", "{order}", "{queue}", "{date}"};

const char *canned_unfilled(const char *text, size_t *len)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{'))
		for (size_t i = 0; i < sizeof canned_placeholders / sizeof *canned_placeholders; i++)
			if (strncmp(p, canned_placeholders[i], strlen(canned_placeholders[i])) == 0) {
				*len = strlen(canned_placeholders[i]);
				return p;
			}
	return NULL;
}

size_t canned_placeholder_at(const wchar_t *s, size_t n)
{
	for (size_t i = 0; i < sizeof canned_placeholders / sizeof *canned_placeholders; i++) {
		size_t k = 0, len = strlen(canned_placeholders[i]);
		while (k < len && k < n && s[k] == (wchar_t)canned_placeholders[i][k])
			k++;
		if (k == len)
			return len;
	}
	return 0;
}

char *canned_fill(const char *text, const struct desk *d, const struct desk_dialog *dl)
{
	char date[16];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(date, sizeof date, "%d.%m.%Y", &tm);
	char *order = dl ? last_order_number(dl) : NULL;
	const struct {
		const char *name, *value;
	} ph[] = { /* in the order of canned_placeholders */
		{canned_placeholders[0], dl ? dl->customer : NULL},
		{canned_placeholders[1], d ? (d->display && *d->display ? d->display : d->user) : NULL},
		{canned_placeholders[2], order},
		{canned_placeholders[3], dl ? dl->queue : NULL},
		{canned_placeholders[4], date},
	};
	size_t cap = strlen(text) + 1, len = 0;
	char *out = xmalloc(cap);
	for (const char *p = text; *p;) {
		const char *value = NULL;
		size_t skip = 1;
		for (size_t i = 0; i < sizeof ph / sizeof *ph && *p == '{'; i++) {
			size_t n = strlen(ph[i].name);
			if (strncmp(p, ph[i].name, n) == 0 && ph[i].value) {
				value = ph[i].value;
				skip = n;
				break;
			}
		}
		const char *src = value ? value : p;
		size_t n = value ? strlen(value) : 1;
		out = xgrow(out, &cap, len + n + 1, 1);
		memcpy(out + len, src, n);
		len += n;
		p += skip;
	}
	out[len] = '\0';
	free(order);
	return out;
}
