#!/bin/sh
# stale: with cache.serve_stale set, an expired answer is served when the
# upstream cannot be reached (RFC 8767, design §4), within the total
# timeout and with a small TTL (RFC 8767 §4 recommends 30 s); a name never
# seen gets SERVFAIL in bounded time.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
uppid=${PIDS[-1]}
ls_start

o=$(q stale.example A)
check "fresh answer (TTL 1) relayed" sect_count "$o" ANSWER 1 "192\.0\.2\.40$"
kill "$uppid"
wait "$uppid" 2>/dev/null
sleep 1.6
t0=$(now_ms)
o=$(q +time=5 stale.example A)
dt=$(($(now_ms) - t0))
check "upstream gone, entry expired: the stale answer is served" sect_count "$o" ANSWER 1 "192\.0\.2\.40$"
check "stale answer: NOERROR" is_status "$o" NOERROR
check "stale answer within the total timeout (${dt} ms < 2000)" lt "$dt" 2000
t=$(ttl_of "$o" stale.example. A)
check "stale answer: TTL small and positive (${t:-none} in 1..30)" eval '[ "${t:-0}" -ge 1 ] && [ "${t:-999}" -le 30 ]'
t0=$(now_ms)
o=$(q +time=5 never-seen.example A)
dt=$(($(now_ms) - t0))
check "upstream gone, name never seen: SERVFAIL" is_status "$o" SERVFAIL
check "SERVFAIL in bounded time (${dt} ms < 3000)" lt "$dt" 3000

ls_finish
