/* hub_web.h: the customer chat page and widget files (web/, embedded at build time): 200 with *body (heap) and
 * *type, or 404. Not for use outside src/hub. */
#ifndef OPDESK_HUB_WEB_H
#define OPDESK_HUB_WEB_H

int hub_web(const char *path, char **body, const char **type);

#endif
