#!/bin/sh
# SPDX-License-Identifier: MIT
# html_report.sh FNPROP - `fnprop report --html DIR` opened in a real
# headless browser (Debian chromium, started offline: no sandbox, no GPU,
# no background networking, a fresh profile):
#  - a function's page loads and its witness path picture, drawn by
#    Graphviz dot ($DOT), renders: the screenshot is not blank and holds
#    the picture's edge colour, and the DOM holds the SVG with the path's
#    functions;
#  - every link to a source line has its anchor in the target page;
#  - the index sorts its findings by check and by file (#sort=...);
#  - hostile file names and source text are escaped everywhere: no markup
#    of theirs reaches a page, and no page loads anything from a network;
#  - without dot the report is still written and says the pictures are
#    missing.
# shellcheck source=tests/integration/common
. "$(dirname "$0")/common"
need DOT graphviz
need CHROMIUM chromium

# A project whose directory and file names and comments are markup.
odd="we<i>rd & 'dir\""
src=$TMP/$odd
mkdir -p "$src"
cat >"$src/lib <b>.h" <<'C'
#include <fnprop.h>
int safe_id(int x) FNPROP_NOTLS FNPROP_NOPANIC;
int counted(void) FNPROP_NOTLS;
C
cat >"$src/a\"<svg onload=alert(1)>.c" <<'C'
/* </pre><script>alert("comment")</script><img src="http://example.invalid/x.png"> */
#include <stdlib.h>
#include "lib <b>.h"
static _Thread_local int hits;
static void bump(void) { hits++; }
static void check(int ok) { if (!ok) abort(); }
int counted(void) { bump(); return 1; }
int safe_id(int x) { check(x > 0); return x; }
C
main_c="a\"<svg onload=alert(1)>.c"
mkcdb "$TMP/build" "$src" "$main_c"
out=$TMP/report

# ---- the report, written ------------------------------------------------------
status "$FNPROP" report -p "$TMP/build" --html "$out" --dot="$DOT"
[ "$rc" = 0 ] || fail "fnprop report: exit $rc"
for f in index.html functions.html; do [ -s "$out/$f" ] || fail "no $f"; done
ls "$out"/fn/*.html >/dev/null 2>&1 || fail "no function pages"
ls "$out"/src/*.html >/dev/null 2>&1 || fail "no source pages"
# the function pages by name (the page of counted: a tls path of two calls)
page_of() { grep -l "<h1>function <code>$1</code></h1>" "$out"/fn/*.html | head -n 1; }
counted=$(page_of counted)
[ -n "$counted" ] || fail "no page for counted"

# ---- escaping and no network ----------------------------------------------------
grep -rlE '<script>alert|<svg onload' "$out" >"$TMP/bad" && fail "unescaped markup from names or sources in: $(cat "$TMP/bad")"
grep -rl '<img' "$out" >"$TMP/bad" && fail "an <img> from the sources reached: $(cat "$TMP/bad")"
grep -rl '<b>' "$out" >"$TMP/bad" && fail "the header's name as markup in: $(cat "$TMP/bad")"
grep -q 'a&quot;&lt;svg onload=alert(1)&gt;.c' "$out/index.html" || fail "the file name is not shown escaped"
grep -rEl '(src|href|action)="(https?:|//)|url\(|@import' "$out" >"$TMP/bad" && fail "a page loads from a network: $(cat "$TMP/bad")"

# ---- in the browser -----------------------------------------------------------------
# browse WHAT ARGS...: chromium offline on a fresh profile
n=0
browse() {
	n=$((n + 1))
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/profile$n" \
		--window-size=1200,900 "$@" 2>>"$TMP/chromium.log"
}
browse --screenshot="$TMP/counted.png" "file://$counted" >/dev/null
[ -s "$TMP/counted.png" ] || fail "chromium took no screenshot: $(tail -5 "$TMP/chromium.log")"
# not blank, and the picture's tls edges (#b00000) are on the screen
python3 - "$TMP/counted.png" <<'PY' || fail "the screenshot is blank or shows no path picture"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
colours, red, white = set(), 0, 0
for line in rows:
    for x in range(0, stride, bpp):
        px = line[x:x + 3]
        colours.add(px)
        red += px == b"\xb0\x00\x00"
        white += px == b"\xff\xff\xff"
assert len(colours) > 8 and white < w * h * 0.995, ("blank", len(colours))
assert red > 40, ("no tls edge of the picture on the screen", red)
PY
browse --dump-dom "file://$counted" >"$TMP/counted.dom"
grep -q '<svg' "$TMP/counted.dom" || fail "the DOM of counted's page holds no SVG"
for name in counted bump; do
	grep -q "<text[^>]*>$name</text>" "$TMP/counted.dom" || fail "the picture lacks the node '$name'"
done
grep -q 'class="edge"' "$TMP/counted.dom" || fail "the picture has no edges"

# links to source lines: every anchor they name exists in its target
python3 - "$out" <<'PY' || fail "links to source lines without their anchors"
import os, re, sys
root, bad, seen = sys.argv[1], [], 0
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".html"):
            continue
        text = open(os.path.join(d, f), encoding="utf-8").read()
        for target, line in re.findall(r'href="([^"#]*src/\d+\.html)#L(\d+)"', text):
            seen += 1
            path = os.path.normpath(os.path.join(d, target))
            if not os.path.exists(path) or f'id="L{line}"' not in open(path, encoding="utf-8").read():
                bad.append(f"{f} -> {target}#L{line}")
assert seen > 10, seen
assert not bad, bad[:5]
PY
# ... and the browser follows one: the target line is the :target row
line=$(grep -o 'src/[0-9]*\.html#L[0-9]*' "$counted" | head -n 1)
browse --dump-dom "file://$out/${line#../}" >"$TMP/line.dom"
grep -q "id=\"L${line##*#L}\"" "$TMP/line.dom" || fail "the source page of $line has no line ${line##*#L} in the browser"

# the index sorts by check and by file
for key in check file; do
	browse --dump-dom "file://$out/index.html#sort=$key" >"$TMP/sort-$key.dom"
	grep -q "data-sorted=\"$key\"" "$TMP/sort-$key.dom" || fail "index.html#sort=$key did not sort"
done
python3 - "$TMP/sort-check.dom" "$TMP/sort-file.dom" <<'PY' || fail "the findings are not sorted as asked"
import html, re, sys
for path, key in ((sys.argv[1], "check"), (sys.argv[2], "file")):
    dom = open(path, encoding="utf-8").read()
    table = dom[dom.index('<table class="sortable"'):]
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    vals = [html.unescape(v) for v in re.findall(r'<tr[^>]* data-%s="([^"]*)"' % key, body)]
    assert len(vals) >= 2, (key, vals)
    assert vals == sorted(vals), (key, vals)
PY

# ---- without dot ----------------------------------------------------------------------
status "$FNPROP" report -p "$TMP/build" --html "$TMP/nodot" --dot="$TMP/no-such-dot" 2>"$TMP/err"
[ "$rc" = 0 ] || fail "report without dot: exit $rc"
grep -q 'call-graph pictures not drawn' "$TMP/err" || fail "no warning without dot: $(cat "$TMP/err")"
grep -q 'install the Debian package graphviz' "$TMP/nodot/index.html" || fail "the index does not say why the pictures are missing"
grep -l '<h1>function <code>counted</code></h1>' "$TMP/nodot"/fn/*.html | head -n 1 | xargs grep -q 'Not drawn' ||
	fail "the function page does not say its picture is missing"
status "$FNPROP" report -p "$TMP/build" --html "$TMP/report2" --dot="$DOT"
diff -r "$out" "$TMP/report2" >/dev/null || fail "the report differs between two runs"
status "$FNPROP" report -p "$TMP/build"
[ "$rc" = 2 ] || fail "report without --html: exit $rc, want 2"
finish
