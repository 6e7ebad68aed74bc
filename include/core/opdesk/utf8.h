/* utf8.h: strict UTF-8 validation and decoding (no overlongs, no surrogates, nothing above U+10FFFF). */
#ifndef OPDESK_UTF8_H
#define OPDESK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when buf[0..len) is well-formed UTF-8. */
bool utf8_valid(const char *buf, size_t len);
/* Decode one code point at s[0..len). Returns the bytes used (1..4); on a malformed sequence
 * stores U+FFFD in *cp and returns the length of the maximal invalid prefix (at least 1). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encode cp into out (at least 4 bytes); returns the bytes written. */
size_t utf8_encode(uint32_t cp, char *out);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s, size_t len);

#endif
