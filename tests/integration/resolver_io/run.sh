#!/bin/sh
# resolver_io: behaviours of the I/O shell (src/io/) not covered by the
# protocol cases: a wildcard (0.0.0.0) UDP listener answers from the
# address the client asked (IP_PKTINFO; secondary loopback addresses);
# CH TXT version.bind gives the configured string, and REFUSED once the
# string is removed by a reload; with serve_stale, an expired answer is
# served (TTL 30, RFC 8767) when the only upstream is gone, within the
# total timeout; SIGHUP while a query waits upstream: the query is still
# answered, the UDP socket of the unchanged address is kept, the new
# address is bound, changed data is served; a bad config on SIGHUP keeps
# the old one serving; the daemon exits 0 with no sanitizer report.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data" --synth-a 192.0.2.2
ls_start || ls_finish

# 1. wildcard listener: the answer comes from the address asked
o=$(dig @127.0.0.2 -p "$PORT" +tries=1 +time=2 first.io.test A 2>&1)
check "wildcard listener: answered on 127.0.0.2" ans_has "$o" "10\.7\.0\.1$"
o=$(dig @127.0.0.3 -p "$PORT" +tries=1 +time=2 +tcp first.io.test A 2>&1)
check "wildcard listener: TCP on 127.0.0.3" ans_has "$o" "10\.7\.0\.1$"

# 2. CH TXT version.bind
o=$(q version.bind CH TXT)
check "version.bind: the configured string" ans_has "$o" '"linkshim-it"'
o=$(q hostname.bind CH TXT)
check "hostname.bind: REFUSED" is_status "$o" REFUSED

# 3. serve_stale: cached with TTL 1, then the upstream goes away
o=$(q io-stale.example A)
check "stale: first answer from upstream" ans_has "$o" "192\.0\.2\.2$"
sleep 2.2
kill "${PIDS[0]}" 2>/dev/null
wait "${PIDS[0]}" 2>/dev/null
t0=$(now_ms)
o=$(q +time=4 io-stale.example A)
dt=$(($(now_ms) - t0))
check "stale: expired answer served when the upstream is gone" ans_has "$o" "192\.0\.2\.2$"
check "stale: TTL 30 (RFC 8767)" ans_has "$o" "[[:space:]]30[[:space:]]"
check "stale: within the total timeout (${dt} ms < 2000)" lt "$dt" 2000
o=$(q +time=4 never-seen.example A)
check "no stale entry: SERVFAIL" is_status "$o" SERVFAIL

# 4. SIGHUP while a query waits upstream
up_start up1b "$UP1" --data "$CDIR/../upstream.data" --synth-a 192.0.2.2
q +time=4 slow250-inflight.example A >"$T/inflight.out" &
QPID=$!
PIDS+=($QPID)
sleep 0.1
ls_conf "$CDIR/reload.yaml"
kill -HUP "$LS_PID"
wait "$QPID"
check "reload: the query waiting upstream is answered" ans_has "$(cat "$T/inflight.out")" "192\.0\.2\.2$"
sleep 0.3
o=$(q first.io.test A)
check "reload: changed link served on the kept socket" ans_has "$o" "10\.7\.0\.2$"
o=$(dig @::1 -p "$PORT" +tries=1 +time=2 second.io.test A 2>&1)
check "reload: new listen address [::1] answers" ans_has "$o" "10\.7\.0\.3$"
o=$(q version.bind CH TXT)
check "reload: empty version is REFUSED" is_status "$o" REFUSED

# 5. a bad config keeps the old one
printf 'listen: [\n' >"$T/linkshim.yaml"
kill -HUP "$LS_PID"
sleep 0.3
o=$(q second.io.test A)
check "bad reload: old config still serving" ans_has "$o" "10\.7\.0\.3$"
check "bad reload: logged with file:line" grep -q "linkshim.yaml:[0-9]*:[0-9]*:" "$T/linkshimd.log"
ls_finish
