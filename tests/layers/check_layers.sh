#!/usr/bin/env bash
# tests/layers/check_layers.sh SOURCE_DIR: scripts/check-layers on small trees made here fails on an include
# that goes up a layer, on another library's internal header, on a circle of modules and on a module
# docs/architecture.md does not name; passes a clean tree, and passes opdesk's own sources.
set -u
src=$1
check=$src/scripts/check-layers
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

tree() { # a clean tree: core's a, the client's b using a, the client's internal p
	rm -rf "$tmp/t" && mkdir -p "$tmp/t/include/core/opdesk" "$tmp/t/include/client/opdesk" "$tmp/t/src/core" \
		"$tmp/t/src/client"
	printf '#include "opdesk/a.h"\n' >"$tmp/t/src/core/a.c"
	printf '\n' >"$tmp/t/include/core/opdesk/a.h"
	printf '#include "opdesk/b.h"\n#include "opdesk/a.h"\n#include "p.h"\n' >"$tmp/t/src/client/b.c"
	printf '#include "opdesk/a.h"\n' >"$tmp/t/include/client/opdesk/b.h"
	printf '\n' >"$tmp/t/src/client/p.h"
	printf '#include "p.h"\n' >"$tmp/t/src/client/p.c"
}

expect() { # expect WANT_RC WANT_TEXT WHAT
	local out rc
	out=$(python3 "$check" "$tmp/t" 2>&1)
	rc=$?
	if [ "$rc" != "$1" ] || ! grep -qF -- "$2" <<<"$out$([ "$1" = 0 ] && echo "$2")"; then
		echo "FAIL: $3: exit $rc, wanted $1 with \"$2\":"
		echo "$out"
		fail=1
	else
		echo "ok: $3"
	fi
}

tree
expect 0 "" "a clean tree"
tree
printf '#include "opdesk/b.h"\n' >>"$tmp/t/src/core/a.c"
expect 1 'core may not use client ("opdesk/b.h")' "core including a client header"
tree
printf '#include "p.h"\n' >>"$tmp/t/src/core/a.c"
expect 1 '"p.h" is no public header' "core including the client's internal header"
tree
printf '#include "p.h"\n' >>"$tmp/t/include/client/opdesk/b.h"
expect 1 'a public header includes the internal "p.h"' "a public header including an internal one"
tree
printf '#include "q.h"\n' >>"$tmp/t/src/client/p.c"
printf '\n' >"$tmp/t/src/client/q.h"
printf '#include "p.h"\n' >"$tmp/t/src/client/q.c"
expect 1 'in a circle: p -> q -> p' "a circle of two modules"
tree
mkdir -p "$tmp/t/include/opdesk" && printf '\n' >"$tmp/t/include/opdesk/c.h"
expect 1 'include/opdesk/ holds headers' "a header outside its library"
tree
mkdir -p "$tmp/t/docs" && printf 'core: `a`; client: `p`\n' >"$tmp/t/docs/architecture.md"
expect 1 'docs/architecture.md does not name `b`' "a module the architecture page does not name"

if out=$(python3 "$check" "$src" 2>&1); then
	echo "ok: opdesk's own sources"
else
	echo "FAIL: opdesk's own sources:"
	echo "$out"
	fail=1
fi
exit $fail
