#!/usr/bin/env python3
"""scripts/po-set.py FILE.po TRANSLATIONS.json: set msgstr for the msgids given (a JSON object msgid ->
msgstr, or msgid -> [singular, plural forms...] for ngettext), clearing their fuzzy flag. A helper for
translators after scripts/update-po; it leaves every other entry as it is."""
import json, re, sys

def po_quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t') + '"'

def main():
    path, tr_path = sys.argv[1], sys.argv[2]
    tr = json.load(open(tr_path, encoding='utf-8'))
    text = open(path, encoding='utf-8').read()
    entries = text.split('\n\n')
    left = set(tr)
    for i, e in enumerate(entries):
        m = re.search(r'^msgid ((?:".*"\n?)+)', e, re.M)
        if not m:
            continue
        msgid = ''.join(json.loads(x) for x in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1)))
        if msgid not in tr or not msgid:
            continue
        left.discard(msgid)
        val = tr[msgid]
        lines = [l for l in e.split('\n') if not l.startswith('#~')]
        head = []
        for l in lines:
            if l.startswith('msgstr'):
                break
            if l.startswith('"') and head and head[-1].startswith('msgstr'):
                break
            head.append(l)
        # drop the old msgstr lines: everything from the first msgstr on
        k = next(j for j, l in enumerate(lines) if l.startswith('msgstr'))
        head = lines[:k]
        head = [re.sub(r'^#, (.*)', lambda mm: '#, ' + ', '.join(f for f in mm.group(1).split(', ') if f != 'fuzzy'), l) for l in head]
        head = [l for l in head if l != '#, ' and not l.startswith('#| ')]
        if isinstance(val, list):
            body = ['msgstr[%d] %s' % (n, po_quote(v)) for n, v in enumerate(val)]
        else:
            body = ['msgstr ' + po_quote(val)]
        entries[i] = '\n'.join(head + body)
    if left:
        sys.exit('po-set: not in %s: %s' % (path, ', '.join(sorted(left))))
    open(path, 'w', encoding='utf-8').write('\n\n'.join(entries))

main()
