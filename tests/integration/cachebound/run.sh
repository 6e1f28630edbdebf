#!/bin/sh
# Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
#
# cachebound: memory stays bounded by cache.size under a unique-name
# flood (issue 3).  With a 128 KiB cache, 3,000 never-seen names (about
# four times what fits) are all answered; afterwards /metrics shows the
# cache at or under its size, with evictions; the first names were
# evicted (asked again, they go upstream a second time) while the last
# ones are still hits; and the daemon's resident memory grew by less
# than the flood would need unbounded.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data" --synth-a 192.0.2.9
ls_start

metric() {
	curl -s -m 5 --unix-socket "$T/admin.sock" http://localhost/metrics |
		awk -v m="linkshim_$1" '$1 == m { print $2 }'
}
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$LS_PID/status"; }

n=3000
for ((i = 0; i < n; i++)); do echo "flood$i.example A"; done >"$T/names"
rss0=$(rss_kb)
o=$(dig @"$ADDR" -p "$PORT" +tries=2 +time=2 +noall +comments -f "$T/names" 2>&1)
ok=$(printf '%s\n' "$o" | grep -c 'status: NOERROR')
check "$n unique names: all answered" eq "$ok" "$n"
bytes=$(metric cache_bytes)
entries=$(metric cache_entries)
ev=$(metric cache_evictions_total)
check "cache bytes within cache.size (${bytes:-none} <= 131072)" le "${bytes:-999999999}" 131072
check "cache holds entries after the flood (${entries:-none})" ge "${entries:-0}" 100
check "evictions happened (${ev:-none})" ge "${ev:-0}" $((n / 2))
# the first names are gone (LRU), the last are still cached
before=$(qlog_count up1 "qname=flood0.example.")
o=$(q flood0.example A)
check "an evicted name is answered again" ans_has "$o" "192\.0\.2\.9$"
check "an evicted name goes upstream again" qlog_is up1 $((before + 1)) "qname=flood0.example."
last=$((n - 1))
before=$(qlog_count up1 "qname=flood$last.example.")
o=$(q "flood$last.example" A)
check "a recent name is answered" ans_has "$o" "192\.0\.2\.9$"
check "a recent name is a cache hit (no upstream query)" qlog_is up1 "$before" "qname=flood$last.example."
rss1=$(rss_kb)
# unbounded, 3,000 entries would take about a megabyte more than the
# cache holds; allow allocator slack but not the flood
if grep -q __asan_init "$B/linkshimd" 2>/dev/null; then
	skip "resident memory bound" "AddressSanitizer keeps freed memory in quarantine"
else
	check "resident memory grew by < 1 MiB ($((rss1 - rss0)) KiB)" lt $((rss1 - rss0)) 1024
fi
ls_finish
