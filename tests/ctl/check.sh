#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# linkshimctl check uses the daemon's loader: it must accept the shipped
# example, print the same canonical form as linkshimd -nv for every
# tests/conf/ok case, and print exactly linkshimd -n's error line for
# every tests/conf/bad case (the goldens in tests/conf/bad/*.err).
NAME=check
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

"$CTL" check -c conf/linkshim.yaml >"$T/ok.out" 2>&1
rc=$?
check "shipped example: configuration OK" sh -c "test $rc -eq 0 && \
grep -q '^conf/linkshim.yaml: configuration OK' '$T/ok.out'"
n=0 bad=0
for f in tests/conf/ok/*.yaml; do
	b=$(basename "$f" .yaml)
	n=$((n + 1))
	(cd tests/conf/ok && "$CTL" check --print -c "$b.yaml") >"$T/p.out" 2>&1 &&
	    cmp -s "$T/p.out" "tests/conf/ok/$b.ok" || { bad=$((bad + 1)); echo "# differs: $b"; }
done
check "check --print == linkshimd -nv golden for $n ok configs" test "$bad" -eq 0
n=0 bad=0
for f in tests/conf/bad/*.yaml; do
	b=$(basename "$f" .yaml)
	n=$((n + 1))
	(cd tests/conf/bad && "$CTL" check -c "$b.yaml") >/dev/null 2>"$T/e.out"
	st=$?
	[ "$st" -eq 1 ] && cmp -s "$T/e.out" "tests/conf/bad/$b.err" ||
	    { bad=$((bad + 1)); echo "# differs: $b (exit $st)"; }
done
check "check error == linkshimd -n golden for $n bad configs" test "$bad" -eq 0
"$CTL" --json check -c tests/conf/bad/bad_bool.yaml >"$T/j.out" 2>&1
check "check --json reports the error" "$DPY" -c "import json,sys; d=json.load(open('$T/j.out')); \
sys.exit(not (d['ok'] is False and d['error'].startswith('tests/conf/bad/bad_bool.yaml:')))"
"$CTL" check -c "$T/missing.yaml" >"$T/m.out" 2>&1
check "missing file: exit 1" test $? -eq 1
