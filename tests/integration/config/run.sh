#!/bin/sh
# config: `linkshimd -n` exits 0 on a good file and 1 on bad ones with a
# "file:line:col: message" naming the right line (an upstream or forward
# server that is our own listen address is such an error: a loop); `-nv` prints a canonical
# config that parses again and is a fixed point; several listen addresses
# (IPv4 and IPv6) are served; SIGHUP picks up a new and a changed link
# (local data wins over what the cache holds), a bad reload is logged and
# the old config keeps serving, a later good reload works; SIGTERM and
# SIGINT stop the daemon cleanly (exit 0).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

D="$B/linkshimd"
ls_conf
rc() { "$@" >"$T/rc.out" 2>&1; echo $?; }
check "-n good config: exit 0" eq "$(rc "$D" -n -c "$T/linkshim.yaml")" 0

# bad configs: "name|line|yaml"; every one must exit 1 with file:line:col
bad() {
	local name=$1 line=$2 f=$T/$1.yaml r
	cat >"$f"
	r=$(rc "$D" -n -c "$f")
	check "-n $name: exit 1" eq "$r" 1
	check "-n $name: message is $name.yaml:$line:COL: ..." match "$(cat "$T/rc.out")" "$name\.yaml:$line:[0-9]+: [^ ]"
}
bad unknown-key 3 <<'Y'
listen: ["127.0.0.1:5353"]
upstreams: ["127.0.0.1:5301"]
bogus_key: 1
Y
check "-n unknown top-level key: column 1" match "$(cat "$T/rc.out")" "unknown-key\.yaml:3:1: "
bad unknown-link-key 5 <<'Y'
upstreams: ["127.0.0.1:5301"]
links:
  - name: a.cfg.test
    addresses: [10.0.0.1]
    colour: blue
Y
bad bad-address 4 <<'Y'
upstreams: ["127.0.0.1:5301"]
links:
  - name: a.cfg.test
    addresses: [10.0.0.300]
Y
bad bad-duration 3 <<'Y'
listen: ["127.0.0.1:5353"]
upstreams: ["127.0.0.1:5301"]
timeouts: { upstream: 5 parsecs }
Y
bad bad-mode 5 <<'Y'
upstreams: ["127.0.0.1:5301"]
links:
  - name: a.cfg.test
    target: vpce-1.vpce-svc-2.us-west-2.vpce.amazonaws.com
    mode: flatten
Y
bad bad-name 3 <<'Y'
upstreams: ["127.0.0.1:5301"]
links:
  - name: bad..name.cfg.test
    addresses: [10.0.0.1]
Y
bad bad-listen 1 <<'Y'
listen: ["127.0.0.1:99999"]
upstreams: ["127.0.0.1:5301"]
Y
bad wrong-type 2 <<'Y'
listen: ["127.0.0.1:5353"]
upstreams: { a: b }
Y
bad yaml-syntax "[34]" <<'Y'
listen: ["127.0.0.1:5353"]
upstreams: ["127.0.0.1:5301"]
links: [ { name: a.cfg.test, addresses: [10.0.0.1] }
Y
bad self-upstream 2 <<'Y'
listen: ["127.0.0.1:5353"]
upstreams: ["127.0.0.1:5353"]
Y
bad self-forward 4 <<'Y'
listen: ["127.0.0.1:5353"]
upstreams: ["127.0.0.1:5301"]
forward:
  - { zone: a.test, to: ["127.0.0.1:5353"] }
Y
# a link whose name is also a record of a zone: whatever the daemon does
# with it, `-n` must agree with it (exit 1 if and only if the daemon
# refuses to start; issue 2: -n checks a config).
cat >"$T/dup.yaml" <<Y
listen: ["127.0.0.1:$PORT"]
upstreams: ["127.0.0.1:$UP1"]
api: { socket: "$T/dup-admin.sock" }
state: "$T/dup-state.yaml"
zones:
  - name: z.cfg.test
    records:
      - { name: www.z.cfg.test., type: A, values: [10.0.0.1] }
links:
  - name: www.z.cfg.test
    addresses: [10.0.0.2]
Y
nrc=$(rc "$D" -n -c "$T/dup.yaml")
timeout 1.5 "$D" -c "$T/dup.yaml" >"$T/dup.out" 2>&1
drc=$?
[ "$drc" -eq 124 ] && started=yes || started=no
[ "$nrc" -eq 0 ] && nok=yes || nok=no
check "-n agrees with the daemon on a link that is also a zone record (-n ok: $nok, daemon started: $started: $(tr '\n' ' ' <"$T/dup.out"))" eq "$nok" "$started"
r=$(rc "$D" -n -c "$T/does-not-exist.yaml")
check "-n missing file: exit 1" eq "$r" 1
check "-n missing file: names the file" match "$(cat "$T/rc.out")" "does-not-exist\.yaml"

"$D" -nv -c "$T/linkshim.yaml" >"$T/canon1.yaml" 2>"$T/nv.err"
check "-nv: exit 0" eq "$?" 0
check "-nv: prints the link" match "$(cat "$T/canon1.yaml")" "one\.cfg\.test"
check "-nv output parses again (-n)" eq "$(rc "$D" -n -c "$T/canon1.yaml")" 0
"$D" -nv -c "$T/canon1.yaml" >"$T/canon2.yaml" 2>/dev/null
check "-nv is a fixed point (canonical of canonical is the same)" diff "$T/canon1.yaml" "$T/canon2.yaml"
if [ -f "$LS_TOP/conf/linkshim.yaml" ]; then
	check "-n the shipped conf/linkshim.yaml: exit 0" eq "$(rc "$D" -n -c "$LS_TOP/conf/linkshim.yaml")" 0
else
	skip "-n the shipped conf/linkshim.yaml" "conf/linkshim.yaml not on this branch yet"
fi

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
up_start up2 "$UP2" --data "$CDIR/../upstream.data" --synth-a 192.0.2.2
ls_start
o=$(q one.cfg.test A)
check "serving: the first link" sect_count "$o" ANSWER 1 "10\.6\.0\.1$"
o=$(dig @::1 -p "$PORT" +tries=1 +time=2 one.cfg.test A 2>&1)
check "serving on [::1] too (two listen addresses)" sect_count "$o" ANSWER 1 "10\.6\.0\.1$"
o=$(dig @::1 -p "$PORT" +tries=1 +time=2 +tcp one.cfg.test A 2>&1)
check "serving TCP on [::1] too" sect_count "$o" ANSWER 1 "10\.6\.0\.1$"
o=$(q two.cfg.test A)
check "before reload: the new link is not there" sect_none "$o" ANSWER "10\.6\.0\.2$"

ls_conf "$CDIR/reload.yaml" "$T/linkshim.yaml"
kill -HUP "$LS_PID"
got=
for ((i = 0; i < 30; i++)); do
	got=$(q +short two.cfg.test A)
	[ "$got" = 10.6.0.2 ] && break
	sleep 0.1
done
check "SIGHUP: the new link answers" eq "$got" 10.6.0.2
o=$(q one.cfg.test A)
check "SIGHUP: the changed link answers its new address" sect_count "$o" ANSWER 1 "10\.6\.0\.11$"
check "SIGHUP: the old address is gone" sect_none "$o" ANSWER "10\.6\.0\.1$"
check "SIGHUP: daemon still running" ls_alive
o=$(q after-reload.example A)
check "SIGHUP: the new upstream is used" sect_count "$o" ANSWER 1 "192\.0\.2\.2$"
check "SIGHUP: the old upstream is not" qlog_is up1 0 "qname=after-reload.example."

cp "$T/linkshim.yaml" "$T/good-reload.yaml"
printf 'links:\n  - name: broken\n    adresses: [1.2.3\n' >"$T/linkshim.yaml"
kill -HUP "$LS_PID"
sleep 1
check "bad reload: daemon still running" ls_alive
o=$(q two.cfg.test A)
check "bad reload: the old config keeps serving" sect_count "$o" ANSWER 1 "10\.6\.0\.2$"
o=$(q one.cfg.test A)
check "bad reload: the old config keeps serving (changed link)" sect_count "$o" ANSWER 1 "10\.6\.0\.11$"
check "bad reload: the error is logged with file:line" match "$(cat "$T/linkshimd.log")" "linkshim\.yaml:[0-9]+:[0-9]+:"

cp "$T/good-reload.yaml" "$T/linkshim.yaml"
printf '  - name: three.cfg.test\n    addresses: [10.6.0.3]\n' >>"$T/linkshim.yaml"
kill -HUP "$LS_PID"
got=
for ((i = 0; i < 30; i++)); do
	got=$(q +short three.cfg.test A)
	[ "$got" = 10.6.0.3 ] && break
	sleep 0.1
done
check "good reload after a bad one: picked up" eq "$got" 10.6.0.3

q +time=4 slow600-reload.example A >"$T/inflight.out" &
qpid=$!
sleep 0.2
kill -HUP "$LS_PID"
wait "$qpid"
check "SIGHUP during an in-flight forwarded query: it is still answered" match "$(cat "$T/inflight.out")" "slow600-reload\.example\.[[:space:]].*192\.0\.2\.[12]$"
for i in 1 2 3 4 5 6 7 8 9 10; do kill -HUP "$LS_PID"; done
sleep 0.5
check "ten SIGHUPs in a row: still running" ls_alive
o=$(q three.cfg.test A)
check "ten SIGHUPs in a row: still serving the config" sect_count "$o" ANSWER 1 "10\.6\.0\.3$"

q +time=4 slow1500-term.example A >/dev/null 2>&1 &
sleep 0.2
t0=$(now_ms)
ls_stop
dt=$(($(now_ms) - t0))
check "SIGTERM: exit 0" eq "$LS_RC" 0
check "SIGTERM with a query in flight: stopped within 2 s (${dt} ms)" lt "$dt" 2000
check "SIGTERM: port released (nothing answers)" eval '! ls_answers'
check "no sanitizer report" no_sanitizer_report

ls_start
kill -INT "$LS_PID"
rcint=-1
for ((i = 0; i < 30; i++)); do
	kill -0 "$LS_PID" 2>/dev/null || { wait "$LS_PID"; rcint=$?; break; }
	sleep 0.1
done
check "SIGINT: stops with exit 0" eq "$rcint" 0
LS_PID=
check "no sanitizer report after SIGINT" no_sanitizer_report
ls_finish
