#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# hotpath.sh: user-space instructions per query on the pure-core paths
# (issue 3 targets), from valgrind --tool=callgrind.  Runs
# build/bench/hotpath for each path at two lengths (N1, N2 queries) and
# divides the difference by N2-N1, which subtracts startup (zonetab build,
# cache fill, the dynamic loader) exactly.  The same differencing per
# function (self cost, callgrind_annotate) gives the top functions per
# query.  Not a test: prints numbers, asserts none.
#   tests/bench/hotpath.sh [path...]  (default: local hit fwdhit cname compose miss)
#   N1=10000 N2=20000 NLINKS=1000 EDNS=edns TOP=12 OUT=/tmp/dir
set -e
export LC_ALL=C
cd "$(dirname "$0")/../.."
B=${B:-build}
BIN=$B/bench/hotpath
N1=${N1:-10000}
N2=${N2:-20000}
NLINKS=${NLINKS:-1000}
EDNS=${EDNS:-}
TOP=${TOP:-12}
OUT=${OUT:-$(mktemp -d /tmp/hotpath.XXXXXX)}
[ -x "$BIN" ] || { echo "hotpath.sh: build $BIN first (make bench-hotpath)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "hotpath.sh: valgrind not installed" >&2; exit 1; }
paths=${*:-local hit fwdhit cname compose miss}

# total Ir of a callgrind output file
total() {
	awk '/^(summary|totals):/ { print $2; exit }' "$1"
}

# "function<TAB>Ir" for every function of a callgrind output file: self
# cost, or inclusive with $2 = yes
fncost() {
	callgrind_annotate --auto=no --threshold=100 --inclusive="${2:-no}" \
	    "$1" 2>/dev/null |
	    awk -v inc="${2:-no}" '/^ *[0-9,]+ +\( *[0-9.]+%\) +/ { n = $1; gsub(",", "", n);
	        n += 0;
	        f = $0; sub(/^[^)]*\) +/, "", f); sub(/ \[.*$/, "", f);
	        sub(/^.*:/, "", f);
	        if (f == "PROGRAM TOTALS") next
	        # self cost is split by source file (inlined headers): add;
	        # inclusive cost is repeated per file: take the largest
	        if (inc == "yes") { if (n > s[f]) s[f] = n } else s[f] += n }
	        END { for (f in s) printf "%s\t%s\n", f, s[f] }'
}

printf 'path\tIr/query\t(N1=%s N2=%s links=%s %s)\n' "$N1" "$N2" "$NLINKS" "${EDNS:-no-edns}"
for p in $paths; do
	for n in "$N1" "$N2"; do
		valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.$p.$n" \
		    "$BIN" "$p" "$n" "$NLINKS" $EDNS >/dev/null 2>"$OUT/vg.$p.$n"
	done
	t1=$(total "$OUT/cg.$p.$N1")
	t2=$(total "$OUT/cg.$p.$N2")
	echo "$p $t1 $t2" | awk -v d=$((N2 - N1)) '{ printf "%s\t%.1f\n", $1, ($3 - $2) / d }'
	for k in no yes; do
		fncost "$OUT/cg.$p.$N1" $k | sort >"$OUT/fn.$k.$p.$N1"
		fncost "$OUT/cg.$p.$N2" $k | sort >"$OUT/fn.$k.$p.$N2"
		join -t "$(printf '\t')" -a 2 -e 0 -o 0,1.2,2.2 \
		    "$OUT/fn.$k.$p.$N1" "$OUT/fn.$k.$p.$N2" |
		    awk -F '\t' -v d=$((N2 - N1)) '{ c = ($3 - $2) / d;
		        if (c >= 0.5) printf "%.1f\t%s\n", c, $1 }' |
		    sort -rn >"$OUT/perq.$k.$p"
	done
	# the stages, inclusive, then the top functions by self cost
	awk -F '\t' '$2 ~ /^(query_check|zonetab_lookup|cache_(lookup|store)|upstream_(query_build|reply_check)|hp_upstream|answer_(local|relay|chased))$/ {
	    printf "%s%s %.0f", sep, $2, $1; sep = ", " } END { print "" }' \
	    "$OUT/perq.yes.$p" | sed 's/^/\tinclusive: /'
	head -n "$TOP" "$OUT/perq.no.$p" | awk -F '\t' '{ printf "\t%8.1f  %s\n", $1, $2 }'
done
echo "callgrind files: $OUT"
