#!/bin/sh
# Regenerate the expected outputs of the config golden tests:
# tests/conf/ok/X.ok (`linkshimd -nv`) and tests/conf/bad/X.err (the error
# line of `linkshimd -n`).  Usage: sh tests/conf/update.sh [path/to/linkshimd]
# (make conf-update passes $(DAEMON)).  Review the diff before committing.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. tests/conf/lib.sh
BIN=$(conf_bin "${1:-build/linkshimd}")
if [ ! -x "$BIN" ]; then
	echo "update.sh: no daemon at $BIN" >&2
	exit 1
fi
for f in tests/conf/ok/*.yaml; do
	n=$(basename "$f" .yaml)
	(cd tests/conf/ok && "$BIN" -nv -c "$n.yaml") >"tests/conf/ok/$n.ok" \
		2>/dev/null ||
		echo "update.sh: ok/$n.yaml does not load" >&2
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
conf_gen_large "$tmp"
for f in tests/conf/bad/*.yaml "$tmp/too_large.yaml"; do
	n=$(basename "$f" .yaml)
	(cd "$(dirname "$f")" && "$BIN" -n -c "$n.yaml") \
		>/dev/null 2>"tests/conf/bad/$n.err" &&
		echo "update.sh: bad/$n.yaml loads" >&2
done
exit 0
