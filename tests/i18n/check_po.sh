#!/usr/bin/env bash
# check_po.sh: every UI string in src/ and ui/ has a Russian translation: the strings extracted now equal
# the msgids in po/ru.po, and msgfmt finds no untranslated or fuzzy entry and no format mismatch.
set -euo pipefail
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --msgid-bugs-address=x -o "$tmp/now.pot" \
	$(find src ui -name '*.c' | LC_ALL=C sort)
msgcomm --unique --no-location "$tmp/now.pot" po/ru.po -o "$tmp/diff.po" 2>/dev/null || true
if [[ -s $tmp/diff.po ]] && grep -q '^msgid "[^"]' "$tmp/diff.po"; then
	echo "po/ru.po and the sources disagree (run scripts/update-po and translate):" >&2
	grep '^msgid' "$tmp/diff.po" >&2
	exit 1
fi
stats=$(msgfmt --check --statistics -o /dev/null po/ru.po 2>&1)
echo "po/ru.po: $stats"
if grep -qE 'untranslated|fuzzy' <<<"$stats"; then
	echo "po/ru.po is not complete" >&2
	exit 1
fi
