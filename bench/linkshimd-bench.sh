#!/bin/sh
# OURS_CMD for anchors.sh: write a linkshim config for the bench's link
# table ($BENCH_LINKS_TSV, "link<TAB>target" lines) and exec linkshimd on
# it.  Links use cname mode with the target chased, the work the anchors
# are configured for; LINKSHIM_BENCH_MODE=alias measures flattening.
set -e
: "${BENCH_PORT:?}" "${BENCH_LINKS_TSV:?}" "${BENCH_UPSTREAM:?}"
mode=${LINKSHIM_BENCH_MODE:-cname}
bin=${LINKSHIMD:-$(dirname "$0")/../build/linkshimd}
conf=${RUN_DIR:-/tmp/dnsbench}/linkshim-$BENCH_LINKS_N.yaml
{
	echo "listen: [127.0.0.1:$BENCH_PORT]"
	echo "upstreams: [$BENCH_UPSTREAM]"
	echo "allow: [127.0.0.0/8]"
	echo "cache: { size: 64MiB }"
	echo "workers: ${LINKSHIM_BENCH_WORKERS:-1}"
	echo "links:"
	awk -v m="$mode" -F '\t' '{ printf "  - { name: %s, target: %s, mode: %s }\n", $1, $2, m }' "$BENCH_LINKS_TSV"
} >"$conf"
# LINKSHIM_WRAP: a command prefix (anchors.sh callgrind mode: valgrind)
exec ${LINKSHIM_WRAP:-} "$bin" -c "$conf"
