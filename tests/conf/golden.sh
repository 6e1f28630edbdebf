#!/bin/sh
# Config golden tests (style.md §8.6, the bgpd regress model):
#  - tests/conf/ok/X.yaml: `linkshimd -nv` must print exactly X.ok, and
#    that output must load again and print identically (via /dev/stdin);
#  - tests/conf/bad/X.yaml: `linkshimd -n` must exit 1 and print exactly
#    the one line in X.err (too_large.yaml is generated, not committed);
#  - conf/linkshim.yaml, the shipped example, must parse and round-trip.
# Regenerate the expected files with `make conf-update`.
B=${B:-build}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. tests/conf/lib.sh
BIN=$(conf_bin "$B/linkshimd")
if [ ! -x "$BIN" ]; then
	echo "SKIP: conf golden (no $B/linkshimd)"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
rc=0

pass() { echo "PASS: $1"; }
fail() {
	echo "FAIL: $1"
	rc=1
}

# roundtrip NAME FILE: FILE is canonical output; it must reprint as itself.
roundtrip() {
	if "$BIN" -nv -c /dev/stdin <"$2" >"$tmp/rt" 2>"$tmp/rt.err" &&
		cmp -s "$2" "$tmp/rt"; then
		pass "conf roundtrip $1"
	else
		fail "conf roundtrip $1"
		diff "$2" "$tmp/rt" | head -20
		cat "$tmp/rt.err"
	fi
}

for f in tests/conf/ok/*.yaml; do
	n=$(basename "$f" .yaml)
	out=$tmp/$n.out
	if [ ! -f "tests/conf/ok/$n.ok" ]; then
		fail "conf ok $n (no $n.ok; run make conf-update)"
		continue
	fi
	if (cd tests/conf/ok && "$BIN" -nv -c "$n.yaml") >"$out" \
		2>"$tmp/$n.err" && cmp -s "$out" "tests/conf/ok/$n.ok"; then
		pass "conf ok $n"
	else
		fail "conf ok $n"
		diff "tests/conf/ok/$n.ok" "$out" | head -20
		cat "$tmp/$n.err"
		continue
	fi
	roundtrip "$n" "$out"
done

conf_gen_large "$tmp"
for f in tests/conf/bad/*.yaml "$tmp/too_large.yaml"; do
	n=$(basename "$f" .yaml)
	d=$(dirname "$f")
	if [ ! -f "tests/conf/bad/$n.err" ]; then
		fail "conf bad $n (no $n.err; run make conf-update)"
		continue
	fi
	(cd "$d" && "$BIN" -n -c "$n.yaml") >/dev/null 2>"$tmp/$n.got"
	st=$?
	if [ "$st" -eq 1 ] && cmp -s "$tmp/$n.got" "tests/conf/bad/$n.err"; then
		pass "conf bad $n"
	else
		fail "conf bad $n (exit $st)"
		diff "tests/conf/bad/$n.err" "$tmp/$n.got" | head -5
	fi
done

if "$BIN" -n -c conf/linkshim.yaml >/dev/null 2>"$tmp/shipped.err"; then
	pass "conf shipped conf/linkshim.yaml parses"
	"$BIN" -nv -c conf/linkshim.yaml >"$tmp/shipped.out" 2>/dev/null
	roundtrip shipped "$tmp/shipped.out"
else
	fail "conf shipped conf/linkshim.yaml parses"
	cat "$tmp/shipped.err"
fi
exit $rc
