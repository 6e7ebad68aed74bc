/* hub_web.c: the customer web chat's files (web/, compiled in by cmake/embed.cmake), served by the hub's HTTP
 * answer: / is the chat page, /widget.js and /widget.css the widget a shop puts on its own pages. */
#include <stddef.h>
#include <string.h>

#include "hub_web.h"
#include "opdesk/xalloc.h"

struct hub_web_file {
	const char *path;
	const char *data;
	size_t len;
};
extern const struct hub_web_file hub_web_files[]; /* web_assets.c, generated */

static const char *web_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	return "text/html; charset=utf-8";
}

int hub_web(const char *path, char **body, const char **type)
{
	if (strcmp(path, "/") == 0 || strcmp(path, "/chat") == 0)
		path = "/index.html";
	for (const struct hub_web_file *f = hub_web_files; f->path; f++) {
		if (strcmp(f->path, path) == 0) {
			*body = xstrdup(f->data);
			*type = web_type(path);
			return 200;
		}
	}
	return 404;
}
