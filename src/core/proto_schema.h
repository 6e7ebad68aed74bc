/* proto_schema.h: internal to the codec: the table that describes every v1 message, field by field.
 * Decoding and encoding both walk these tables, so what one accepts the other produces. */
#ifndef OPDESK_PROTO_SCHEMA_H
#define OPDESK_PROTO_SCHEMA_H

#include "opdesk/proto.h"

/* PF_ONE is a JSON object held as a one-element array (assigned.dialog -> dialogs[0]). */
enum pf_kind { PF_INT, PF_INT32, PF_BOOL, PF_STR, PF_ENUM, PF_ARRAY, PF_ONE, PF_OBJECT };

/* Ids, sequence numbers and times stay within JavaScript's exact integers (2^53 - 1), so a browser
 * widget reads them without rounding. */
#define PF_MAX_SAFE INT64_C(9007199254740991)

#define PF_REQ 0x1u      /* must be present */
#define PF_USERNAME 0x2u /* [A-Za-z0-9._-] only */

struct pf_schema;

struct pf_field {
	const char *name;
	enum pf_kind kind;
	size_t off;         /* offset of the member in the enclosing struct */
	unsigned flags;
	int64_t min, max;   /* INT: value range; STR: byte length range (min 0 = may be empty) */
	const char *const *words; /* ENUM: names indexed by value */
	int n_words;
	const struct pf_schema *sub; /* ARRAY element / OBJECT member layout */
	size_t count_off;   /* ARRAY: offset of the size_t count */
	size_t elem_size;   /* ARRAY: element size */
};

struct pf_schema {
	const char *name;
	const struct pf_field *fields;
	size_t n_fields;
};

#define PROTO_DIR_BIT(d) (1u << (d))

struct pf_type {
	enum proto_type type;
	unsigned dirs;      /* PROTO_DIR_BIT of each direction it travels */
	struct pf_schema schema;
};

extern const struct pf_type pf_types[];
extern const size_t pf_n_types;

extern const char *const pf_channel_words[PROTO_CH_COUNT];
extern const char *const pf_sender_words[PROTO_FROM_COUNT];
extern const char *const pf_role_words[PROTO_ROLE_COUNT];
extern const char *const pf_status_words[PROTO_ST_COUNT];
extern const char *const pf_dstate_words[PROTO_DS_COUNT];
extern const char *const pf_closer_words[PROTO_BY_COUNT];
extern const char *const pf_claim_words[PROTO_CLAIM_COUNT];
extern const char *const pf_contact_words[PROTO_CONTACT_COUNT];
extern const char *const pf_rstate_words[PROTO_RS_COUNT];
extern const char *const pf_errcode_words[PROTO_E_COUNT];

/* The entry for (dir, JSON type name), or NULL. */
const struct pf_type *pf_type_find(enum proto_dir dir, const char *name);
/* The entry for (dir, C type), or NULL. */
const struct pf_type *pf_type_lookup(enum proto_dir dir, enum proto_type type);

#endif
