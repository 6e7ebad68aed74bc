/* hub_metrics.h: the hub's plain-HTTP answers (hub_metrics.c): GET /health and GET /metrics, else the web chat's
 * files (hub_web.h); see hub_server_ops.http. Not for use outside src/hub. */
#ifndef OPDESK_HUB_METRICS_H
#define OPDESK_HUB_METRICS_H

int hub_http(void *app, const char *path, char **body, const char **type);

#endif
