#!/bin/sh
# Replay every committed fuzz corpus (tests/fuzz/corpus/<target>/) through
# its target's standalone driver.  Each input prints PASS/FAIL; a crash
# (ASan abort) makes the script fail.
B=${B:-build}
cd "$(dirname "$0")/../.." || exit 1
rc=0
for bin in "$B"/fuzz/replay_fuzz_*; do
	[ -x "$bin" ] || continue
	t=${bin##*/replay_fuzz_}
	dir=tests/fuzz/corpus/$t
	if [ ! -d "$dir" ]; then
		echo "FAIL: fuzz_$t has no corpus in $dir"
		rc=1
		continue
	fi
	"$bin" "$dir" || { echo "FAIL: fuzz_$t crashed or failed"; rc=1; }
done
exit $rc
