/* textscan.h: what a customer's text names that an operator looks for: order numbers, phone numbers and
 * e-mail addresses (the rules are docs/protocol.md's, "Who the customer is"). Shared by the hub (the
 * customer's card) and the workstation (the {order} placeholder). */
#ifndef OPDESK_TEXTSCAN_H
#define OPDESK_TEXTSCAN_H

#include <stddef.h>

enum textscan_kind { TEXTSCAN_ORDER, TEXTSCAN_PHONE, TEXTSCAN_EMAIL };

/* Called for each thing found, in the order of the text: `s` points into the text, `len` bytes. */
typedef void textscan_fn(void *arg, enum textscan_kind kind, const char *s, size_t len);

void textscan(const char *text, textscan_fn *fn, void *arg);

/* The digits of a phone number as one key ("+7 (912) 555-01-23" and "89125550123" both "79125550123"), in
 * `out` of at least 16 bytes; returns its length. */
size_t textscan_phone_key(const char *s, size_t len, char *out);

#endif
