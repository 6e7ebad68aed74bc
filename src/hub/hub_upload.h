/* hub_upload.h: files over HTTP and the agent's file requests (hub_upload.c; docs/protocol.md, "Files"):
 * the hub_server_ops callbacks for plain HTTP requests with a body, and two rows of the agent endpoint. Not for
 * use outside src/hub. */
#ifndef OPDESK_HUB_UPLOAD_H
#define OPDESK_HUB_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/hub_server.h"
#include "opdesk/proto.h"

struct hub;
struct hub_session;

bool hub_upload_request(void *app, const struct hub_http_req *req, struct hub_http_answer *a);
bool hub_upload_data(void *app, void *upload, const void *buf, size_t len, struct hub_http_answer *a);
void hub_upload_end(void *app, void *upload, struct hub_http_answer *a);
void hub_upload_abort(void *app, void *upload);

void hub_upload_file_link(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now);
void hub_upload_ticket(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now);

#endif
