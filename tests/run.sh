#!/bin/sh
# Run every test group and print one closing line "N passed, N failed".
# Test programs report one line per test: "PASS: name", "FAIL: name" or
# "SKIP: name (why)"; cmocka binaries are counted from their own summary.
# ONLY=unit|conf|fuzz|integration|ctl|pkg runs one group.  Zero tests = failure.
B=${B:-build}
export B
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
LOG=$B/test-log
mkdir -p "$LOG"
pass=0 fail=0 skip=0

count() { # file
	np=$(grep -c '^PASS: ' "$1")
	nf=$(grep -c '^FAIL: ' "$1")
	ns=$(grep -c '^SKIP: ' "$1")
	pass=$((pass + np)) fail=$((fail + nf)) skip=$((skip + ns))
	grep -E '^(FAIL|SKIP): ' "$1"
}

want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

if want unit; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$(basename "$t")
		out="$LOG/$n.log"
		CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$out" 2>&1
		rc=$?
		# cmocka prints "[       OK ] name" and "[  FAILED  ] name" per test
		p=$(grep -c '^\[       OK \]' "$out")
		f=$(grep -cE '^\[  (FAILED|ERROR) +\] [a-z_]' "$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "FAIL: $n exited $rc (see $out)"
		fi
		grep -E '^\[  (FAILED|ERROR) +\] [a-z_]' "$out" | sed "s/^/FAIL: $n: /"
		pass=$((pass + p)) fail=$((fail + f))
		echo "unit $n: $p passed, $f failed"
	done
fi

for group in conf fuzz ctl integration pkg; do
	want "$group" || continue
	for s in tests/"$group"/*.sh tests/"$group"/*/run.sh; do
		[ -f "$s" ] || continue
		case "$s" in */lib.sh|*/update.sh) continue ;; esac
		n=$(echo "$s" | tr '/' '_')
		out="$LOG/$n.log"
		timeout 600 sh "$s" >"$out" 2>&1
		rc=$?
		count "$out"
		if [ "$rc" -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
			fail=$((fail + 1))
			echo "FAIL: $s exited $rc (see $out)"
		fi
		echo "$group $s: $np passed, $nf failed, $ns skipped"
	done
done

if [ $((pass + fail)) -eq 0 ]; then
	echo "no test ran"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
