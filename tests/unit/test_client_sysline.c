/* test_client_sysline.c: the hub's own lines as the model keeps them (kind and args with the message) and as
 * the operator reads them: each kind rendered in the operator's language (English here), with the note when
 * there is one; a kind this client does not know, or one lacking what it needs, reads as the hub's text. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/desk.h"
#include "opdesk/desk_files.h"
#include "opdesk/sysline.h"

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
}

TestSuite(sysline, .init = setup);

/* A dialog whose messages are `v` (seq 1..n), applied as an assigned frame; the caller frees the desk. */
static struct desk *desk_with(struct proto_message *v, size_t n)
{
	struct desk *d = desk_new("anna");
	for (size_t i = 0; i < n; i++) {
		v[i].id = (int64_t)i + 1;
		v[i].dialog = 7;
		v[i].seq = (int64_t)i + 1;
		v[i].time = 1000;
	}
	struct proto_dialog pd = {.id = 7, .customer = "Ирина", .queue = "general", .state = PROTO_DS_ASSIGNED,
	                          .last_seq = (int64_t)n, .messages = v, .n_messages = n};
	struct proto_msg m = {.type = PROTO_ASSIGNED, .dialogs = &pd, .n_dialogs = 1};
	desk_apply(d, &m);
	return d;
}

static void expect_text(const struct desk_message *m, const char *want)
{
	char *s = sysline_text(m);
	cr_expect_str_eq(s, want);
	free(s);
}

Test(sysline, each_kind_reads_in_the_operators_language_and_others_as_the_hubs_text)
{
	struct proto_message v[] = {
	    {.sender = PROTO_FROM_SYSTEM, .text = "Оператор Ольга подключилась", .kind = "joined",
	     .args = {.name = "Ольга Смирнова", .user = "olga"}},
	    {.sender = PROTO_FROM_SYSTEM, .text = "Клиент покинул чат", .kind = "left"},
	    {.sender = PROTO_FROM_SYSTEM, .text = "Клиент вернулся в чат", .kind = "back"},
	    {.sender = PROTO_FROM_NOTE, .author = "anna", .text = "Передан в очередь «stylist»", .kind = "transferred_queue",
	     .args = {.queue = "stylist"}},
	    {.sender = PROTO_FROM_NOTE, .author = "anna", .text = "нужна замена", .kind = "transferred_operator",
	     .args = {.name = "Борис", .user = "boris", .note = "нужна замена"}},
	    {.sender = PROTO_FROM_NOTE, .author = "sveta", .text = "Чат принял супервизор Света", .kind = "taken_over",
	     .args = {.user = "sveta"}},
	    {.sender = PROTO_FROM_NOTE, .author = "anna", .text = "claim (delivery): опоздал", .kind = "claim",
	     .args = {.category = "delivery", .note = "опоздал"}},
	    {.sender = PROTO_FROM_NOTE, .author = "anna", .text = "claim (service)", .kind = "claim",
	     .args = {.category = "service"}},
	    {.sender = PROTO_FROM_SYSTEM, .text = "Что-то новое", .kind = "a_kind_from_a_newer_hub",
	     .args = {.name = "x"}},
	    {.sender = PROTO_FROM_SYSTEM, .text = "Оператор ? подключился к чату", .kind = "joined"}, /* no name */
	    {.sender = PROTO_FROM_CUSTOMER, .author = "Ирина", .text = "Здравствуйте"},
	    {.sender = PROTO_FROM_SYSTEM, .text = "Вы ещё с нами?", .kind = "idle_warning"},
	    {.sender = PROTO_FROM_SYSTEM, .text = "Чат закрыт: нет ответа", .kind = "idle_closed"},
	};
	size_t n = sizeof v / sizeof *v;
	struct desk *d = desk_with(v, n);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert(dl);
	cr_assert_eq(dl->n_msgs, n);
	cr_expect_str_eq(desk_message_line(dl->msgs[0])->kind, "joined");
	cr_expect_str_eq(desk_message_line(dl->msgs[0])->args.user, "olga");
	cr_expect_null(desk_message_line(dl->msgs[1])->args.name);
	expect_text(dl->msgs[0], "Operator Ольга Смирнова joined the chat");
	expect_text(dl->msgs[1], "The customer left the chat");
	expect_text(dl->msgs[2], "The customer is back in the chat");
	expect_text(dl->msgs[3], "Transferred to queue \"stylist\"");
	expect_text(dl->msgs[4], "Transferred to operator Борис: нужна замена");
	expect_text(dl->msgs[5], "Supervisor sveta took over the chat"); /* no display name: the user name */
	expect_text(dl->msgs[6], "claim (delivery): опоздал");
	expect_text(dl->msgs[7], "claim (service)");
	expect_text(dl->msgs[8], "Что-то новое");
	cr_expect_null(sysline_render(dl->msgs[8]));
	expect_text(dl->msgs[9], "Оператор ? подключился к чату");
	expect_text(dl->msgs[10], "Здравствуйте");
	cr_expect_null(desk_message_line(dl->msgs[10])->kind);
	expect_text(dl->msgs[11], "To the customer: are you still with us? The chat closes soon without a reply.");
	expect_text(dl->msgs[12], "Closed by the hub: the customer did not reply");
	cr_expect_str_eq(sysline_claim_label("completeness"), "completeness");
	cr_expect_str_eq(sysline_claim_label("warranty"), "warranty");
	desk_free(d);
}

/* A whisper reads as the supervisor's words, labelled by its args' name (else its user, else its author); a
 * note that is no whisper has no label. */
Test(sysline, a_whisper_is_labelled_with_its_supervisor)
{
	struct proto_message v[] = {
	    {.sender = PROTO_FROM_NOTE, .author = "sveta", .text = "Предложи промокод", .kind = "whisper",
	     .args = {.name = "Светлана", .user = "sveta"}},
	    {.sender = PROTO_FROM_NOTE, .author = "sveta", .text = "без имени", .kind = "whisper"},
	    {.sender = PROTO_FROM_NOTE, .author = "olga", .text = "a note"},
	};
	struct desk *d = desk_with(v, 3);
	const struct desk_dialog *dl = desk_dialog_find(d, 7);
	char *l = sysline_whisper_label(dl->msgs[0]);
	cr_expect_str_eq(l, "whisper from Светлана");
	free(l);
	expect_text(dl->msgs[0], "Предложи промокод");
	l = sysline_whisper_label(dl->msgs[1]);
	cr_expect_str_eq(l, "whisper from sveta");
	free(l);
	cr_expect_null(sysline_whisper_label(dl->msgs[2]));
	desk_free(d);
}

/* A file message (docs/protocol.md, "Files"): kept with its file's id, name, type and size, read as
 * "📎 NAME · TYPE · SIZE"; the desk finds the newest one; its name is made safe to save under. */
Test(sysline, a_file_message_reads_as_its_name_type_and_size)
{
	struct proto_message v[] = {
	    {.sender = PROTO_FROM_CUSTOMER, .author = "Ирина", .text = "📎 photo.jpg (1.2 MB)", .kind = "file",
	     .args = {.file = "ab12", .filename = "photo.jpg", .type = "jpeg", .size = 1234567}},
	    {.sender = PROTO_FROM_OPERATOR, .author = "anna", .text = "ok"},
	    {.sender = PROTO_FROM_CUSTOMER, .author = "Ирина", .text = "📎 x", .kind = "file",
	     .args = {.file = "cd34", .filename = "../../.bashrc", .type = "pdf", .size = 812}},
	};
	struct desk *d = desk_with(v, 3);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert(dl && dl->n_msgs == 3);
	expect_text(dl->msgs[0], "📎 photo.jpg · JPEG · 1.2 MB");
	cr_expect_eq(desk_message_line(dl->msgs[0])->args.size, 1234567);
	cr_expect_str_eq(desk_message_line(dl->msgs[0])->args.file, "ab12");
	expect_text(dl->msgs[2], "📎 ../../.bashrc · PDF · 812 B"); /* shown (through textsafe), never a path */
	cr_expect_eq(desk_files_find(dl, 0), dl->msgs[2], "the newest file");
	cr_expect_eq(desk_files_find(dl, 1), dl->msgs[0]);
	cr_expect_null(desk_files_find(dl, 2), "message 2 is no file");
	char *n = desk_files_local_name("../../.bashrc", "pdf", "cd34ef");
	cr_expect_str_eq(n, "file-cd34ef.pdf");
	free(n);
	n = desk_files_local_name("invoice.exe", "png", "00");
	cr_expect_str_eq(n, "invoice.exe.png", "the extension its content has");
	free(n);
	n = desk_files_local_name("IMG_1.JPEG", "jpeg", "00");
	cr_expect_str_eq(n, "IMG_1.JPEG");
	free(n);
	desk_free(d);
}
