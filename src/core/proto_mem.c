/* proto_mem.c: freeing and deep-copying protocol structs. */
#include "opdesk/proto.h"
#include "opdesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void proto_sysargs_free(struct proto_sysargs *a)
{
	free(a->name);
	free(a->user);
	free(a->queue);
	free(a->category);
	free(a->note);
	free(a->file);
	free(a->filename);
	free(a->type);
	memset(a, 0, sizeof *a);
}

void proto_message_free(struct proto_message *m)
{
	free(m->author);
	free(m->text);
	free(m->client_msg_id);
	free(m->kind);
	proto_sysargs_free(&m->args);
	memset(m, 0, sizeof *m);
}

void proto_dialog_free(struct proto_dialog *d)
{
	free(d->customer);
	free(d->queue);
	free(d->topic);
	for (size_t i = 0; i < d->n_messages; i++)
		proto_message_free(&d->messages[i]);
	free(d->messages);
	memset(d, 0, sizeof *d);
}

void proto_queue_item_free(struct proto_queue_item *q)
{
	free(q->customer);
	free(q->queue);
	free(q->preview);
	memset(q, 0, sizeof *q);
}

void proto_canned_free(struct proto_canned *c)
{
	free(c->id);
	free(c->shortcut);
	free(c->category);
	free(c->title);
	free(c->text);
	memset(c, 0, sizeof *c);
}

void proto_board_op_free(struct proto_board_op *o)
{
	free(o->user);
	free(o->display);
	for (size_t i = 0; i < o->n_chats; i++) {
		free(o->chats[i].customer);
		free(o->chats[i].queue);
	}
	free(o->chats);
	memset(o, 0, sizeof *o);
}

void proto_person_free(struct proto_person *p)
{
	free(p->user);
	free(p->display);
	memset(p, 0, sizeof *p);
}

void proto_card_chat_free(struct proto_card_chat *c)
{
	free(c->queue);
	free(c->topic);
	free(c->operator_name);
	free(c->orders);
	free(c->preview);
	memset(c, 0, sizeof *c);
}

void proto_request_free(struct proto_request *r)
{
	free(r->name);
	free(r->email);
	free(r->phone);
	free(r->text);
	free(r->queue);
	free(r->taken_by);
	memset(r, 0, sizeof *r);
}

void proto_msg_free(struct proto_msg *msg)
{
	char **strs[] = { &msg->user, &msg->secret, &msg->client, &msg->client_msg_id, &msg->text,
			  &msg->topic, &msg->queue, &msg->operator_name, &msg->note_text, &msg->comment,
			  &msg->name, &msg->code, &msg->message, &msg->ref, &msg->reason, &msg->contact, &msg->token,
			  &msg->email, &msg->phone, &msg->op.user, &msg->op.display, &msg->kind, &msg->customer, &msg->alert_category,
			  &msg->customer_token, &msg->file, &msg->path };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		free(*strs[i]);
	proto_message_free(&msg->msg);
	for (size_t i = 0; i < msg->n_dialogs; i++)
		proto_dialog_free(&msg->dialogs[i]);
	free(msg->dialogs);
	for (size_t i = 0; i < msg->n_items; i++)
		proto_queue_item_free(&msg->items[i]);
	free(msg->items);
	for (size_t i = 0; i < msg->n_canned; i++)
		proto_canned_free(&msg->canned[i]);
	free(msg->canned);
	free(msg->resume);
	for (size_t i = 0; i < msg->n_board_ops; i++)
		proto_board_op_free(&msg->board_ops[i]);
	free(msg->board_ops);
	for (size_t i = 0; i < msg->n_queue_loads; i++)
		free(msg->queue_loads[i].queue);
	free(msg->queue_loads);
	for (size_t i = 0; i < msg->n_board_queues; i++)
		free(msg->board_queues[i].queue);
	free(msg->board_queues);
	free(msg->trend);
	for (size_t i = 0; i < msg->n_people; i++)
		proto_person_free(&msg->people[i]);
	free(msg->people);
	proto_sysargs_free(&msg->args);
	for (size_t i = 0; i < msg->n_names; i++)
		free(msg->names[i].name);
	free(msg->names);
	for (size_t i = 0; i < msg->n_contacts; i++)
		free(msg->contacts[i].value);
	free(msg->contacts);
	for (size_t i = 0; i < msg->n_chats; i++)
		proto_card_chat_free(&msg->chats[i]);
	free(msg->chats);
	for (size_t i = 0; i < msg->n_messages; i++)
		proto_message_free(&msg->messages[i]);
	free(msg->messages);
	for (size_t i = 0; i < msg->n_requests; i++)
		proto_request_free(&msg->requests[i]);
	free(msg->requests);
	memset(msg, 0, sizeof *msg);
}

void proto_message_copy(struct proto_message *dst, const struct proto_message *src)
{
	*dst = *src;
	dst->author = dup_or_null(src->author);
	dst->text = dup_or_null(src->text);
	dst->client_msg_id = dup_or_null(src->client_msg_id);
	dst->kind = dup_or_null(src->kind);
	proto_sysargs_copy(&dst->args, &src->args);
}

void proto_sysargs_copy(struct proto_sysargs *dst, const struct proto_sysargs *src)
{
	struct proto_sysargs a = {
		.name = dup_or_null(src->name),
		.user = dup_or_null(src->user),
		.queue = dup_or_null(src->queue),
		.category = dup_or_null(src->category),
		.note = dup_or_null(src->note),
		.file = dup_or_null(src->file),
		.filename = dup_or_null(src->filename),
		.type = dup_or_null(src->type),
		.size = src->size,
	};
	*dst = a;
}

void proto_dialog_copy(struct proto_dialog *dst, const struct proto_dialog *src)
{
	*dst = *src;
	dst->customer = dup_or_null(src->customer);
	dst->queue = dup_or_null(src->queue);
	dst->topic = dup_or_null(src->topic);
	dst->messages = src->n_messages ? xcalloc(src->n_messages, sizeof *dst->messages) : NULL;
	for (size_t i = 0; i < src->n_messages; i++)
		proto_message_copy(&dst->messages[i], &src->messages[i]);
}

void proto_queue_item_copy(struct proto_queue_item *dst, const struct proto_queue_item *src)
{
	*dst = *src;
	dst->customer = dup_or_null(src->customer);
	dst->queue = dup_or_null(src->queue);
	dst->preview = dup_or_null(src->preview);
}

void proto_board_op_copy(struct proto_board_op *dst, const struct proto_board_op *src)
{
	*dst = *src;
	dst->user = dup_or_null(src->user);
	dst->display = dup_or_null(src->display);
	dst->chats = src->n_chats ? xcalloc(src->n_chats, sizeof *dst->chats) : NULL;
	for (size_t i = 0; i < src->n_chats; i++) {
		dst->chats[i] = src->chats[i];
		dst->chats[i].customer = dup_or_null(src->chats[i].customer);
		dst->chats[i].queue = dup_or_null(src->chats[i].queue);
	}
}
