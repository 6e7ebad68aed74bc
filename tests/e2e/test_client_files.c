/* test_client_files.c: photos and files end to end (docs/protocol.md, "Files"). In headless Chromium a customer
 * attaches a PNG in the web chat; the operator's workstation (the real opdesk in a pty) shows it as
 * "📎 NAME · PNG · SIZE" and saves it with Alt-D into the download folder, exactly those bytes, and a second
 * save never overwrites the first ("photo (1).png"); a short-lived link shows as the client's own line; the
 * operator sends a PDF with file-send and the customer's widget shows it. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

TestSuite(client_files, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

/* A PNG as far as its header and chunks go (IHDR of 640x480, IEND): what the hub checks. */
static size_t png(unsigned char *b)
{
	static const unsigned char f[] = {0x89, 'P',  'N',  'G',  '\r', '\n', 0x1a, '\n', 0,    0,    0,    13,
					  'I',  'H',  'D',  'R',  0,    0,    2,    0x80, 0,    0,    1,    0xe0,
					  8,    6,    0,    0,    0,    0x35, 0xd1, 0xdc, 0xe4, 0,    0,    0,
					  0,    'I',  'E',  'N',  'D',  0xae, 0x42, 0x60, 0x82};
	memcpy(b, f, sizeof f);
	return sizeof f;
}

static bool same_file(const char *path, const unsigned char *b, size_t n)
{
	size_t len = 0;
	char *got = e2e_slurp(path, &len);
	bool same = got && len == n && memcmp(got, b, n) == 0;
	return same;
}

E2E_TEST(client_files, a_customers_photo_from_chromium_is_shown_and_saved_byte_for_byte)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);

	struct e2e_browser *b = wd_start("ru-RU");
	wd_open(b, e2e_strf("http://127.0.0.1:%d/", h->port));
	wd_expect(b, "#od-status", "на связи");
	wd_type(b, "#od-name", "Ирина");
	wd_type(b, "#od-first", "Пришла куртка с браком");
	wd_click(b, "#od-start");
	term_expect(t, "Пришла куртка с браком", E2E_WAIT_MS);

	unsigned char bytes[64];
	size_t n = png(bytes);
	const char *photo = e2e_path("photo.png");
	FILE *f = fopen(photo, "wb");
	cr_assert(f && fwrite(bytes, 1, n, f) == n && fclose(f) == 0);
	wd_type(b, "#od-file", photo); /* what choosing the file in the dialog does */
	wd_expect(b, "#od-log", "📎 photo.png · 45 B");
	term_expect(t, "📎 photo.png · PNG · 45 B", E2E_WAIT_MS);

	/* Alt-D saves the newest file of the focused dialog: exactly the customer's bytes */
	const char *dir = e2e_path("home/Downloads");
	term_key_alt(t, 'd');
	term_expect(t, "saved", E2E_WAIT_MS);
	cr_assert(same_file(e2e_strf("%s/photo.png", dir), bytes, n), "the saved file differs");
	/* again: a second file beside it, the first untouched */
	term_key_alt(t, 'd');
	term_expect(t, "photo (1).png", E2E_WAIT_MS);
	cr_assert(same_file(e2e_strf("%s/photo (1).png", dir), bytes, n));
	cr_assert(same_file(e2e_strf("%s/photo.png", dir), bytes, n));

	/* Alt-G: a link, drawn as the client's own line from the hub's address */
	term_key_alt(t, 'g');
	term_expect(t, e2e_strf("http://127.0.0.1:%d/f/", h->port), E2E_WAIT_MS);

	/* the operator sends a PDF: the widget shows it */
	const char *pdf = e2e_path("label.pdf");
	e2e_write_file(pdf, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
	term_key_alt(t, 'a');
	term_expect(t, "file-send", E2E_WAIT_MS);
	term_send(t, pdf);
	term_send(t, TK_ENTER);
	term_expect(t, "file sent", E2E_WAIT_MS);
	wd_expect(b, "#od-log", "📎 label.pdf");
	term_expect(t, "📎 label.pdf · PDF", E2E_WAIT_MS);
}
