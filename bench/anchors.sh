#!/usr/bin/env bash
# anchors.sh - measure the "anchor" DNS programs a user would pick instead of our
# private-link shim, side by side, on this machine. See README.md.
#
#   bash anchors.sh            # generate data + configs, start everything, check, measure, clean up
#   bash anchors.sh check      # generate, start, record link-name answers only (no load)
#   bash anchors.sh gen        # generate data + configs only
#   bash anchors.sh install    # apt-get install the anchors (services are not started)
#
# Safety: the whole run re-executes itself inside a private network namespace that has
# only a loopback interface, so every packet any server or client sends can only go to
# 127.0.0.0/8; attempts to reach anything else fail with "no route" and are counted
# (IpOutNoRoutes) in the results. Every load run is bounded (-l DURATION plus timeout),
# the whole script is bounded by MAX_TOTAL_S, and it stops only the PIDs it started.
set -u -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODE=${1:-all}

# ------------------------------------------------------------------ knobs ----
RUN_DIR=${RUN_DIR:-/tmp/dnsbench}            # data, generated configs, logs (big files)
OUT_DIR=${OUT_DIR:-/tmp/dnsbench/results}       # results (small text files)
DURATION=${DURATION:-10}                     # seconds per dnsperf run
REPEATS=${REPEATS:-2}                        # runs per (anchor, case)
LINK_SETS=${LINK_SETS:-"1000 10000"}         # mapping-table sizes to test
CASES=${CASES:-"links hits miss"}            # cases for the first link set
CASES_BIG=${CASES_BIG:-"links hits"}         # cases for the other link sets
ANCHORS=${ANCHORS:-"dnsmasq unbound pdns kresd dnsdist dnsdist_rules bind"}
EXTRA_CHECK=${EXTRA_CHECK-"unbound_transparent"}   # started for the behaviour check only
DNSPERF_ARGS=${DNSPERF_ARGS:-"-c 4 -q 200"}  # dnsperf clients / outstanding queries
DNSPERF_TIMEOUT=${DNSPERF_TIMEOUT:-2}        # dnsperf -t (query timeout; also end wait)
SERVER_CPU=${SERVER_CPU:-1}                  # core for the server under test
CLIENT_CPU=${CLIENT_CPU:-0}                  # core for dnsperf
UPSTREAM_CPU=${UPSTREAM_CPU:-0}              # core for the fake upstream (nsd)
REFERENCES=${REFERENCES:-1}                  # 1: measure reflector + upstream-alone
MISS_NAMES=${MISS_NAMES:-1500000}            # unique names per cache-miss run
MAX_TOTAL_S=${MAX_TOTAL_S:-3000}             # hard bound for the whole script
UPSTREAM_PORT=5300
OURS_CMD=${OURS_CMD:-}                       # e.g. './shim -c "$BENCH_LINKS_YAML" -l 127.0.0.1:$BENCH_PORT'
OURS_PORT=${OURS_PORT:-5399}
OURS_NAME=${OURS_NAME:-ours}

declare -A PORT=( [dnsmasq]=5301 [unbound]=5302 [pdns]=5303 [kresd]=5304 [dnsdist]=5305
                  [bind]=5306 [dnsdist_rules]=5307 [unbound_transparent]=5308 )
PKGS="dnsperf dnsmasq unbound pdns-recursor knot-resolver dnsdist nsd knot bind9 bind9-dnsutils ldnsutils gcc python3 procps iproute2 time"

EXAMPLE_LINK=in01-abc123.aws-us-west-2.vectordb.zillizcloud.com

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ------------------------------------------------------------ install -------
if [ "$MODE" = install ]; then
    created=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created=1
    fi
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $PKGS
    rc=$?
    [ $created = 1 ] && rm -f /usr/sbin/policy-rc.d
    for s in dnsmasq unbound pdns-recursor dnsdist nsd knot named kresd.target kres-cache-gc; do
        systemctl disable "$s" >/dev/null 2>&1 || true
    done
    exit $rc
fi

# ----------------------------------------- re-exec in a loopback-only netns ----
if [ -z "${DNSBENCH_NETNS:-}" ]; then
    command -v unshare >/dev/null || { echo "need unshare (util-linux)" >&2; exit 1; }
    exec timeout --signal=TERM --kill-after=20 "$MAX_TOTAL_S" \
        unshare --net -- env DNSBENCH_NETNS=1 bash "${BASH_SOURCE[0]}" "$@"
fi
ip link set lo up
T0=$(date +%s)
DEADLINE=$((T0 + MAX_TOTAL_S - 60))

mkdir -p "$RUN_DIR" "$OUT_DIR"
STAMP=$(date +%Y%m%d-%H%M%S)
RES_TSV=$OUT_DIR/anchors-$STAMP.tsv
RES_MD=$OUT_DIR/anchors-$STAMP.md
BEHAV=$OUT_DIR/behaviour-$STAMP.txt

# ------------------------------------------------------------ processes -----
declare -A PID=()
cleanup() {
    trap - EXIT INT TERM
    for name in "${!PID[@]}"; do stop_server "$name"; done
}
trap cleanup EXIT
trap 'log "signal: cleaning up"; cleanup; exit 130' INT TERM

tree_pids() {   # PID and all its descendants
    local p=$1 c
    echo "$p"
    for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do tree_pids "$c"; done
}
cpu_ticks() {   # utime+stime (USER_HZ ticks) summed over the process tree of $1
    local t=0 p v
    for p in $(tree_pids "$1"); do
        v=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12+$13}')
        t=$((t + ${v:-0}))
    done
    echo $t
}
mem_kb() {      # $2 = VmRSS | VmHWM, summed over the process tree of $1
    local t=0 p v
    for p in $(tree_pids "$1"); do
        v=$(awk -v k="$2:" '$1==k {print $2}' "/proc/$p/status" 2>/dev/null)
        t=$((t + ${v:-0}))
    done
    echo $t
}
is_alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1); [ -n "$st" ] && [ "$st" != Z ]; }
stop_server() {  # TERM the server and the children it forked (by PID), KILL what is left after 5 s
    local name=$1 p=${PID[$1]:-} i q tree
    [ -n "$p" ] || return 0
    tree=$(tree_pids "$p")
    for q in $tree; do kill "$q" 2>/dev/null; done
    for i in $(seq 1 "${STOP_TENTHS:-50}"); do
        alive=""; for q in $tree; do is_alive "$q" && alive="$alive $q"; done
        [ -z "$alive" ] && break; sleep 0.1
    done
    for q in $alive; do kill -9 "$q" 2>/dev/null; done
    wait "$p" 2>/dev/null
    unset "PID[$name]"
}
wait_ready() {  # wait until PORT answers a forwarded name, at most 60 s
    local port=$1 i
    for i in $(seq 1 120); do
        dig +time=1 +tries=1 @127.0.0.1 -p "$port" h1.example.test A 2>/dev/null | grep -q 'status: NOERROR' && return 0
        sleep 0.5
    done
    return 1
}

# ------------------------------------------------------------ data ----------
gen_data() {
    if [ ! -s "$RUN_DIR/data/zones/example.test.zone" ] || [ "$BENCH_DIR/gen_data.py" -nt "$RUN_DIR/data/zones/example.test.zone" ]; then
        log "generating data in $RUN_DIR/data"
        LINK_SETS=$(echo $LINK_SETS | tr ' ' ',') python3 "$BENCH_DIR/gen_data.py" "$RUN_DIR/data" || exit 1
    fi
    [ -x "$RUN_DIR/reflector" ] && [ "$RUN_DIR/reflector" -nt "$BENCH_DIR/reflector.c" ] ||
        gcc -O2 -Wall -o "$RUN_DIR/reflector" "$BENCH_DIR/reflector.c" || exit 1
    echo "h1.example.test A" > "$RUN_DIR/data/q-one.txt"
}

# ------------------------------------------------------------ configs -------
# gen_conf N: writes $RUN_DIR/conf-N/<anchor>/... from data/links-N.tsv
gen_conf() {
    local n=$1 C=$RUN_DIR/conf-$1 TSV=$RUN_DIR/data/links-$1.tsv
    rm -rf "$C"; mkdir -p "$C"/{nsd,dnsmasq,unbound,unbound_transparent,pdns,kresd,dnsdist,dnsdist_rules,bind}

    # fake upstream: nsd, authoritative for the three zones, no rate limiting
    cat > "$C/nsd/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$UPSTREAM_PORT
    server-count: 1
    username: ""
    chroot: ""
    database: ""
    zonesdir: "$RUN_DIR/data/zones"
    pidfile: "$C/nsd/nsd.pid"
    xfrdfile: "$C/nsd/xfrd.state"
    zonelistfile: "$C/nsd/zone.list"
    xfrdir: "$C/nsd"
    logfile: "$C/nsd/nsd.log"
    verbosity: 1
    hide-version: yes
    refuse-any: yes
    reuseport: no
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "vpce.amazonaws.com"
    zonefile: "vpce.amazonaws.com.zone"
zone:
    name: "example.test"
    zonefile: "example.test.zone"
zone:
    name: "zillizcloud.com"
    zonefile: "zillizcloud.com.zone"
EOF

    # dnsmasq: cname= per link, server= upstream
    awk -F'\t' '{print "cname=" $1 "," $2}' "$TSV" > "$C/dnsmasq/links.conf"
    cat > "$C/dnsmasq/dnsmasq.conf" <<EOF
port=${PORT[dnsmasq]}
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
no-poll
server=127.0.0.1#$UPSTREAM_PORT
cache-size=10000
dns-forward-max=1000
user=root
group=root
keep-in-foreground
pid-file=$C/dnsmasq/dnsmasq.pid
log-facility=$C/dnsmasq/dnsmasq.log
conf-file=$C/dnsmasq/links.conf
EOF

    # unbound: one "redirect" local-zone per link (CNAME target is then resolved),
    # and the naive variant (implicit transparent zone) for the behaviour check
    awk -F'\t' '{print "    local-zone: \"" $1 ".\" redirect\n    local-data: \"" $1 ". 60 IN CNAME " $2 ".\""}' "$TSV" > "$C/unbound/links.conf"
    awk -F'\t' '{print "    local-data: \"" $1 ". 60 IN CNAME " $2 ".\""}' "$TSV" > "$C/unbound_transparent/links.conf"
    local v
    for v in unbound unbound_transparent; do
        cat > "$C/$v/unbound.conf" <<EOF
server:
    interface: 127.0.0.1@${PORT[$v]}
    port: ${PORT[$v]}
    do-ip6: no
    num-threads: 1
    username: ""
    chroot: ""
    directory: "$C/$v"
    pidfile: "$C/$v/unbound.pid"
    use-syslog: no
    logfile: "$C/$v/unbound.log"
    verbosity: 1
    module-config: "iterator"
    do-not-query-localhost: no
    access-control: 127.0.0.0/8 allow
    msg-cache-size: 64m
    rrset-cache-size: 128m
    num-queries-per-thread: 4096
    outgoing-range: 8192
    so-reuseport: no
    # unbound serves the special-use TLD test. itself (NXDOMAIN) by default; our fake
    # forwarded zone is example.test, so switch that default off
    local-zone: "test." nodefault
    include: "$C/$v/links.conf"
remote-control:
    control-enable: no
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$UPSTREAM_PORT
EOF
    done

    # pdns-recursor: Lua preresolve adds the CNAME and asks the recursor to follow it
    { echo 'links = {'; awk -F'\t' '{print "[\"" tolower($1) "\"]=\"" $2 ".\","}' "$TSV"; echo '}'; } > "$C/pdns/links-table.lua"
    cat > "$C/pdns/links.lua" <<EOF
-- private-link mappings: lowercase qname (no trailing dot) -> target (with dot)
dofile("$C/pdns/links-table.lua")
function preresolve(dq)
  local t = links[dq.qname:toStringNoDot():lower()]
  if t == nil then return false end
  dq:addAnswer(pdns.CNAME, t, 60)
  dq.rcode = pdns.NOERROR
  dq.followupFunction = "followCNAMERecords"
  return true
end
EOF
    cat > "$C/pdns/recursor.conf" <<EOF
local-address=127.0.0.1
local-port=${PORT[pdns]}
threads=1
pdns-distributes-queries=no
reuseport=no
socket-dir=$C/pdns
daemon=no
write-pid=no
forward-zones-recurse=.=127.0.0.1:$UPSTREAM_PORT
dont-query=
dnssec=off
hint-file=no
security-poll-suffix=
lua-dns-script=$C/pdns/links.lua
max-cache-entries=1000000
max-packetcache-entries=500000
max-mthreads=4096
quiet=yes
loglevel=4
EOF

    # kresd 5.6: custom policy action returning the CNAME (see notes inside)
    { echo 'links = {'; awk -F'\t' '{print "[\"" tolower($1) ".\"]=\"" $2 ".\","}' "$TSV"; echo '}'; } > "$C/kresd/links-table.lua"
    cat > "$C/kresd/kresd.conf" <<EOF
-- Knot Resolver 5.6 as a private-link shim: CNAME for mapped names, forward the rest
net.ipv6 = false
net.listen('127.0.0.1', ${PORT[kresd]}, { kind = 'dns' })
cache.open(256 * MB, 'lmdb://$C/kresd/cache')
-- the fake upstream is unsigned: no DNSSEC, and no jobs that query the root
trust_anchors.remove('.')
for _, m in ipairs({'priming', 'detect_time_skew', 'detect_time_jump', 'ta_signal_query', 'ta_sentinel', 'ta_update'}) do
    pcall(modules.unload, m)
end
local ffi = require('ffi')
dofile('$C/kresd/links-table.lua')
-- wire-format owner -> wire-format target (one Lua table lookup per query).
-- policy.ANSWER only answers when the qtype matches its table, and RPZ "CNAME with
-- custom target" is "not supported yet" in 5.6, so a small custom action is needed.
local cname_of = {}
for n, t in pairs(links) do cname_of[kres.str2dname(n)] = kres.str2dname(t) end
policy.add(function(_, query)
    local target = cname_of[query:name()]
    if target == nil then return nil end
    return function(_, req)
        local qry = req:current()
        local answer = req:ensure_answer()
        if answer == nil then return nil end
        ffi.C.kr_pkt_make_auth_header(answer)
        answer:rcode(kres.rcode.NOERROR)
        answer:begin(kres.section.ANSWER)
        answer:put(qry.sname, 60, qry.sclass, kres.type.CNAME, target)
        return kres.DONE
    end
end)
policy.add(policy.all(policy.FORWARD('127.0.0.1@$UPSTREAM_PORT')))
EOF

    # dnsdist 1.7: (a) one QNameSetRule + Lua table -> DNSAction.Spoof(CNAME string)
    #              (b) naive: one QNameRule + SpoofCNAMEAction per link (linear rule chain)
    { echo 'links = {'; awk -F'\t' '{print "[\"" tolower($1) ".\"]=\"" $2 ".\","}' "$TSV"; echo '}'; } > "$C/dnsdist/links-table.lua"
    cat > "$C/dnsdist/dnsdist.conf" <<EOF
-- dnsdist 1.7 as a private-link shim: spoofed CNAME for mapped names, the rest to the upstream
setSecurityPollSuffix('')           -- no secpoll lookups through the system resolver
setLocal('127.0.0.1:${PORT[dnsdist]}')
newServer({address = '127.0.0.1:$UPSTREAM_PORT', name = 'upstream', checkName = 'h1.example.test.', checkInterval = 5})
pc = newPacketCache(500000, {maxTTL = 86400, minTTL = 0, temporaryFailureTTL = 60, staleTTL = 60})
getPool(''):setCache(pc)
dofile('$C/dnsdist/links-table.lua')   -- links["name."] = "target."
local names = newDNSNameSet()
for n, _ in pairs(links) do names:add(newDNSName(n)) end
addAction(QNameSetRule(names), LuaAction(function(dq)
  return DNSAction.Spoof, links[dq.qname:toString():lower()]
end))
EOF
    awk -F'\t' '{print "addAction(QNameRule(\"" $1 ".\"), SpoofCNAMEAction(\"" $2 ".\"))"}' "$TSV" > "$C/dnsdist_rules/links-rules.lua"
    cat > "$C/dnsdist_rules/dnsdist.conf" <<EOF
-- dnsdist 1.7, naive config: one QNameRule + SpoofCNAMEAction per link
setSecurityPollSuffix('')
setLocal('127.0.0.1:${PORT[dnsdist_rules]}')
newServer({address = '127.0.0.1:$UPSTREAM_PORT', name = 'upstream', checkName = 'h1.example.test.', checkInterval = 5})
pc = newPacketCache(500000, {maxTTL = 86400, minTTL = 0, temporaryFailureTTL = 60, staleTTL = 60})
getPool(''):setCache(pc)
dofile('$C/dnsdist_rules/links-rules.lua')
EOF

    # BIND 9.18: forward only + response-policy zone with CNAME rewrites
    { printf '$TTL 60\n@ IN SOA localhost. root.localhost. 1 3600 900 604800 60\n@ IN NS localhost.\n'
      awk -F'\t' '{print $1 " CNAME " $2 "."}' "$TSV"; } > "$C/bind/links.rpz.zone"
    cat > "$C/bind/named.conf" <<EOF
options {
    directory "$C/bind";
    pid-file "$C/bind/named.pid";
    listen-on port ${PORT[bind]} { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion yes;
    allow-query { 127.0.0.0/8; };
    allow-recursion { 127.0.0.0/8; };
    forward only;
    forwarders { 127.0.0.1 port $UPSTREAM_PORT; };
    dnssec-validation no;
    max-cache-size 256m;
    notify no;
    recursive-clients 10000;
    response-policy { zone "links.rpz"; } qname-wait-recurse no break-dnssec yes;
};
controls { };
zone "links.rpz" { type primary; file "links.rpz.zone"; allow-query { none; }; };
EOF
}

# start_server NAME N: starts NAME pinned to its core, records PID[NAME]
start_server() {
    local name=$1 n=$2 C=$RUN_DIR/conf-$2 cpu=$SERVER_CPU lg
    lg=$RUN_DIR/logs/$name-$n.log
    mkdir -p "$RUN_DIR/logs"
    case $name in
        nsd)       taskset -c "$UPSTREAM_CPU" nsd -d -c "$C/nsd/nsd.conf" >"$lg" 2>&1 & ;;
        reflector) taskset -c "$cpu" "$RUN_DIR/reflector" 5390 1 >"$lg" 2>&1 & ;;
        reflector_mmsg) taskset -c "$cpu" "$RUN_DIR/reflector" 5391 32 >"$lg" 2>&1 & ;;
        dnsmasq)   taskset -c "$cpu" ${WRAP:-} dnsmasq -C "$C/dnsmasq/dnsmasq.conf" >"$lg" 2>&1 & ;;
        unbound|unbound_transparent)
                   taskset -c "$cpu" ${WRAP:-} unbound -d -c "$C/$name/unbound.conf" >"$lg" 2>&1 & ;;
        pdns)      taskset -c "$cpu" pdns_recursor --config-dir="$C/pdns" >"$lg" 2>&1 & ;;
        kresd)     rm -rf "$C/kresd/cache"
                   taskset -c "$cpu" kresd -n -q -c "$C/kresd/kresd.conf" "$C/kresd" >"$lg" 2>&1 & ;;
        dnsdist|dnsdist_rules)
                   taskset -c "$cpu" dnsdist --supervised --disable-syslog -C "$C/$name/dnsdist.conf" >"$lg" 2>&1 & ;;
        bind)      taskset -c "$cpu" named -g -n 1 -u root -c "$C/bind/named.conf" >"$lg" 2>&1 & ;;
        "$OURS_NAME")
                   BENCH_PORT=$OURS_PORT BENCH_LINKS_N=$n BENCH_LINKS_YAML=$RUN_DIR/data/links-$n.yaml \
                   BENCH_LINKS_TSV=$RUN_DIR/data/links-$n.tsv BENCH_UPSTREAM=127.0.0.1:$UPSTREAM_PORT LINKSHIM_WRAP="${WRAP:-}" \
                   taskset -c "$cpu" bash -c "exec $OURS_CMD" >"$lg" 2>&1 & ;;
        *) log "unknown server $name"; return 1 ;;
    esac
    PID[$name]=$!
}
port_of() { if [ "$1" = "$OURS_NAME" ]; then echo "$OURS_PORT"; else echo "${PORT[$1]}"; fi; }

# ------------------------------------------------------ behaviour check -----
# classify QNAME QTYPE: prints "<rcode> <class>" from dig output on stdin
classify() {
    awk -v q="$1" '
        /status:/ { s=$6; sub(",", "", s) }
        /^[^;]/ && NF>=5 { owner=tolower($1); t=$4
            if (t=="CNAME") { c++; tgt=tolower($5) }
            else if (t=="A" || t=="AAAA") { if (a1=="") a1=$5
                if (owner==tolower(q".")) flat++; else if (owner==tgt) chased++; else other++ } }
        END {
            cls="none"
            if (c>0 && chased>0) cls="CNAME+chased"
            else if (c>0) cls="CNAME-only"
            else if (flat>0) cls="A-at-qname"
            printf "%s %s %s (CNAME=%d chasedA=%d ownA=%d)\n", s, cls, (a1=="" ? "-" : a1), c, chased, flat }'
}
behaviour() {   # behaviour NAME N
    local name=$1 n=$2 port l2 t2 up out
    port=$(port_of "$name")
    l2=$(sed -n 2p "$RUN_DIR/data/links-$n.tsv" | cut -f1)
    t2=$(sed -n 2p "$RUN_DIR/data/links-$n.tsv" | cut -f2)
    up=$(echo "$EXAMPLE_LINK" | tr a-z A-Z)
    dq() { dig +time=2 +tries=1 @127.0.0.1 -p "$port" "$@" +noall +comments +answer +authority 2>&1 | grep -vE '^;; (Got answer|OPT PSEUDO|QUESTION)|^; EDNS|^$|^;; (WARNING|global)'; }
    {
        echo "=== $name (port $port, $n links)"
        for step in "cold:$l2:A" "again:$l2:A" "target:$t2:A" "warm:$l2:A" "aaaa:$l2:AAAA" \
                    "upper:$up:A" "example:$EXAMPLE_LINK:A" "sub:foo.$EXAMPLE_LINK:A" \
                    "samezone:api.zillizcloud.com:A" "fwd:h7.example.test:A" "nx:nope.example.test:A"; do
            IFS=: read -r tag q t <<< "$step"
            out=$(dq "$q" "$t")
            printf -- '--- %s: dig @127.0.0.1 -p %s %s %s\n%s\n' "$tag" "$port" "$q" "$t" "$out"
            printf 'SUMMARY %s %s %s %s\n' "$name" "$n" "$tag" "$(printf '%s\n' "$out" | classify "$q")"
        done
    } >> "$BEHAV"
}

# ------------------------------------------------------------ load ----------
read_cpu() { awk '/^cpu /{print $2+$3+$4, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }

# perf_run LABEL PORT QFILE SERVER_PID: one bounded dnsperf run, appends a TSV row
perf_run() {
    local label=$1 port=$2 qfile=$3 spid=$4 extra=${5:-}
    local dl=$RUN_DIR/logs/dnsperf-$label.log tf=$RUN_DIR/logs/time.$$
    local s0 s1 u0 u1 b0 t0 b1 t1 w0 w1 pc
    if [ "$(date +%s)" -gt "$DEADLINE" ]; then log "deadline reached, skipping $label"; return 0; fi
    s0=$(cpu_ticks "$spid"); u0=$(cpu_ticks "${PID[nsd]}"); read -r b0 t0 < <(read_cpu); w0=$(date +%s.%N)
    timeout $((DURATION + DNSPERF_TIMEOUT + 20)) taskset -c "$CLIENT_CPU" /usr/bin/time -f '%U %S' -o "$tf" \
        dnsperf -s 127.0.0.1 -p "$port" -d "$qfile" -l "$DURATION" -t "$DNSPERF_TIMEOUT" $DNSPERF_ARGS $extra > "$dl" 2>&1
    w1=$(date +%s.%N); read -r b1 t1 < <(read_cpu); s1=$(cpu_ticks "$spid"); u1=$(cpu_ticks "${PID[nsd]}")
    pc=$(awk '{printf "%d", ($1+$2)*100}' "$tf" 2>/dev/null)
    [ "$spid" = "${PID[nsd]}" ] && u1=$u0     # upstream measured alone: do not count it twice
    awk -v label="$label" -v w0="$w0" -v w1="$w1" -v srv=$((s1 - s0)) -v up=$((u1 - u0)) -v perf="${pc:-0}" \
        -v busy=$((b1 - b0)) -v rss="$(mem_kb "$spid" VmRSS)" -v hwm="$(mem_kb "$spid" VmHWM)" '
        /Queries sent:/      { sent=$3 }
        /Queries completed:/ { done_=$3 }
        /Queries lost:/      { lost=$3 }
        /Response codes:/    { rc=$0; sub(/.*Response codes: */, "", rc); gsub(/ /, "", rc) }
        /Queries per second:/ { qps=$4 }
        /Average Latency/    { avg=$4; mn=$6; sub(/,/, "", mn); mx=$8; sub(/\)/, "", mx) }
        END {
            wall = w1 - w0
            foreign = busy - srv - up - perf; if (foreign < 0) foreign = 0
            split(label, L, "|")
            # server CPU per answered query, us (USER_HZ ticks of 10 ms)
            cpq = done_ > 0 ? srv * 10000 / done_ : 0
            printf "%s\t%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t%s\t%.0f\t%.0f\t%.0f\t%.0f\t%d\t%d\t%.2f\n",
              L[1], L[2], L[3], L[4], qps, avg*1000, mn*1000, mx*1000, sent, done_, lost, rc,
              srv/wall, up/wall, perf/wall, foreign/wall, rss, hwm, cpq }' "$dl" >> "$RES_TSV"
    tail -n1 "$RES_TSV" | cut -f1-8,11,13-19 | tr '\t' ' ' >&2
}
warmup() {  # quiet single pass over a query file (fills caches for chasing anchors)
    timeout 60 taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$1" -d "$2" -n 1 -c 1 -q 20 -t 2 >/dev/null 2>&1
}
miss_file() {   # miss_file N REP: unique names below the upstream wildcard *.u.example.test
    local f=$RUN_DIR/data/q-miss-$1-r$2.txt
    [ -s "$f" ] || awk -v n="$MISS_NAMES" -v t="s$1r$2" 'BEGIN { for (i = 0; i < n; i++) printf "q%d.%s.u.example.test A\n", i, t }' > "$f"
    echo "$f"
}

# ------------------------------------------------------------ main ----------
gen_data
for n in $LINK_SETS; do gen_conf "$n"; done
# keep a copy of the generated configs (link tables only as short samples)
CONF_KEEP=${CONF_KEEP:-$RUN_DIR/conf-sample}
mkdir -p "$CONF_KEEP"
first=${LINK_SETS%% *}
( cd "$RUN_DIR/conf-$first" && for f in nsd/nsd.conf dnsmasq/dnsmasq.conf unbound/unbound.conf unbound_transparent/unbound.conf \
        pdns/recursor.conf pdns/links.lua kresd/kresd.conf dnsdist/dnsdist.conf dnsdist_rules/dnsdist.conf bind/named.conf; do
      mkdir -p "$CONF_KEEP/$(dirname "$f")"; sed "s#$RUN_DIR#\$RUN_DIR#g" "$f" > "$CONF_KEEP/$f"; done
  for f in dnsmasq/links.conf unbound/links.conf unbound_transparent/links.conf pdns/links-table.lua kresd/links-table.lua \
        dnsdist/links-table.lua dnsdist_rules/links-rules.lua bind/links.rpz.zone; do
      head -n 6 "$f" > "$CONF_KEEP/$f.sample"; done )
[ "$MODE" = gen ] && { log "generated in $RUN_DIR"; exit 0; }

ALL=$ANCHORS
[ -n "$OURS_CMD" ] && ALL="$ALL $OURS_NAME"
printf 'links_n\tcase\tserver\trep\tqps\tavg_ms\tmin_ms\tmax_ms\tsent\tcompleted\tlost\trcodes\tsrv_cpu%%\tup_cpu%%\tdnsperf_cpu%%\tforeign_cpu%%\trss_kb\thwm_kb\tcpu_us_q\n' > "$RES_TSV"
{
    echo "# anchors.sh run $STAMP"
    echo "host: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
    echo "versions: dnsperf $(dnsperf -h 2>&1 | awk '/^Version/{print $2}' | head -1); $(dnsmasq --version | head -1 | cut -d' ' -f1-3);" \
         "unbound $(unbound -V | awk 'NR==1{print $2}'); pdns-recursor $(dpkg-query -W -f='${Version}' pdns-recursor);" \
         "kresd $(kresd --version | awk '{print $NF}'); $(dnsdist --version | head -1 | cut -d' ' -f1-2);" \
         "named $(named -v | cut -d' ' -f2); nsd $(nsd -v 2>&1 | head -1 | awk '{print $3}')"
    echo "settings: DURATION=$DURATION REPEATS=$REPEATS DNSPERF_ARGS='$DNSPERF_ARGS' -t $DNSPERF_TIMEOUT SERVER_CPU=$SERVER_CPU CLIENT_CPU=$CLIENT_CPU UPSTREAM_CPU=$UPSTREAM_CPU"
} > "$RES_MD"
: > "$BEHAV"

# ------------------------------------------------------- callgrind ----------
# User-space instructions per query under valgrind --tool=callgrind, for
# cache hits and link answers, on the first link set: every server in
# CG_SERVERS is started under callgrind and asked by bench/cg_client.py,
# one query outstanding, CG_DELAY_MS apart (so each query is its own
# event-loop wakeup).  Two run lengths (CG_N1, CG_N2 queries after one
# warm-up pass) are differenced: startup, warm-up, readiness probes and
# shutdown cancel out.  Rows go to $CG_TSV.
CG_SERVERS=${CG_SERVERS:-"dnsmasq unbound $OURS_NAME"}
CG_CASES=${CG_CASES:-"hits links"}
CG_N1=${CG_N1:-1000}
CG_N2=${CG_N2:-3000}
CG_DELAY_MS=${CG_DELAY_MS:-2}
CG_TSV=$OUT_DIR/callgrind-$STAMP.tsv
cg_run() {      # cg_run NAME N CASE QUERIES: prints "<answered> <total Ir>"
    local name=$1 n=$2 c=$3 k=$4 d=$RUN_DIR/cg/$1-$3-$4 q port ok
    rm -rf "$d"; mkdir -p "$d"
    WRAP="valgrind --tool=callgrind --callgrind-out-file=$d/cg.%p" start_server "$name" "$n"
    port=$(port_of "$name")
    if ! wait_ready "$port"; then
        log "$name did not become ready under callgrind"; STOP_TENTHS=300 stop_server "$name"; echo "0 0"; return
    fi
    case $c in links) q=$RUN_DIR/data/q-links-$n.txt ;; *) q=$RUN_DIR/data/q-hits.txt ;; esac
    ok=$(timeout 600 taskset -c "$CLIENT_CPU" python3 "$BENCH_DIR/cg_client.py" "$port" "$q" "$k" "$CG_DELAY_MS")
    STOP_TENTHS=300 stop_server "$name"
    echo "${ok:-0} $(cat "$d"/cg.* 2>/dev/null | awk '/^summary:/ { t += $2 } END { printf "%d", t }')"
}
callgrind_runs() {
    local n=$1 a c r1 r2
    command -v valgrind >/dev/null || { log "valgrind missing: no instruction counts"; return 0; }
    printf 'server\tcase\tn1\tn2\tanswered1\tanswered2\tir1\tir2\tir_per_query\n' > "$CG_TSV"
    for c in $CG_CASES; do
        for a in $CG_SERVERS; do
            [ "$(date +%s)" -gt "$DEADLINE" ] && { log "deadline reached, skipping callgrind"; return 0; }
            r1=$(cg_run "$a" "$n" "$c" "$CG_N1"); r2=$(cg_run "$a" "$n" "$c" "$CG_N2")
            echo "$a $c $r1 $r2" | awk -v n1="$CG_N1" -v n2="$CG_N2" 'BEGIN { OFS = "\t" }
                { print $1, $2, n1, n2, $3, $5, $4, $6, ($4 > 0 && $6 > 0) ? sprintf("%.0f", ($6 - $4) / (n2 - n1)) : "-" }' >> "$CG_TSV"
            log "callgrind $(tail -n1 "$CG_TSV" | tr '\t' ' ')"
        done
    done
}
if [ "$MODE" = callgrind ]; then
    start_server nsd "$first"
    wait_ready $UPSTREAM_PORT || { log "upstream did not start"; exit 1; }
    callgrind_runs "$first"
    stop_server nsd
    OURS_NAME=$OURS_NAME python3 "$BENCH_DIR/summarize.py" "$RES_TSV" "$BEHAV" "$CG_TSV" >> "$RES_MD" 2>&1
    log "results: $RES_MD ($CG_TSV); total $(( $(date +%s) - T0 )) s"
    exit 0
fi

for n in $LINK_SETS; do
    log "=== link set $n"
    start_server nsd "$n"
    wait_ready $UPSTREAM_PORT || { log "upstream did not start"; exit 1; }
    if [ "$n" = "$first" ] && [ "$REFERENCES" = 1 ] && [ "$MODE" = all ]; then
        start_server reflector "$n"; start_server reflector_mmsg "$n"; sleep 0.5
        for rep in $(seq 1 "$REPEATS"); do
            perf_run "ref|one-name|reflector|$rep" 5390 "$RUN_DIR/data/q-one.txt" "${PID[reflector]}"
            perf_run "ref|one-name|reflector_mmsg|$rep" 5391 "$RUN_DIR/data/q-one.txt" "${PID[reflector_mmsg]}"
            # upstream alone, moved onto the server core for the measurement
            for p in $(tree_pids "${PID[nsd]}"); do taskset -a -pc "$SERVER_CPU" "$p" >/dev/null; done
            perf_run "ref|one-name|nsd-upstream|$rep" $UPSTREAM_PORT "$RUN_DIR/data/q-one.txt" "${PID[nsd]}"
            perf_run "ref|explicit-100k|nsd-upstream|$rep" $UPSTREAM_PORT "$RUN_DIR/data/q-upstream-explicit.txt" "${PID[nsd]}"
            perf_run "ref|wildcard-unique|nsd-upstream|$rep" $UPSTREAM_PORT "$(miss_file ref "$rep")" "${PID[nsd]}"
            for p in $(tree_pids "${PID[nsd]}"); do taskset -a -pc "$UPSTREAM_CPU" "$p" >/dev/null; done
        done
        stop_server reflector; stop_server reflector_mmsg
    fi
    started=""
    for a in $ALL $EXTRA_CHECK; do
        start_server "$a" "$n" || continue
        if wait_ready "$(port_of "$a")"; then started="$started $a"
        else log "$a did not become ready (see $RUN_DIR/logs/$a-$n.log)"; stop_server "$a"; fi
    done
    for a in $started; do
        echo "START $a $n rss_kb=$(mem_kb "${PID[$a]}" VmRSS) hwm_kb=$(mem_kb "${PID[$a]}" VmHWM)" >> "$BEHAV"
        behaviour "$a" "$n"
    done
    for a in $EXTRA_CHECK; do stop_server "$a"; started=$(echo " $started " | sed "s/ $a / /"); done
    [ "$MODE" = check ] && { for a in $started; do stop_server "$a"; done; stop_server nsd; continue; }

    if [ "$n" = "$first" ]; then cases=$CASES; else cases=$CASES_BIG; fi
    for rep in $(seq 1 "$REPEATS"); do
        order=""
        for a in $ALL; do case " $started " in *" $a "*) order="$order $a" ;; esac; done
        # alternate the order between repeats so no anchor always runs first
        [ $((rep % 2)) = 0 ] && order=$(echo $order | tr ' ' '\n' | tac | tr '\n' ' ')
        for c in $cases; do
            for a in $order; do
                port=$(port_of "$a")
                case $c in
                    links) q=$RUN_DIR/data/q-links-$n.txt; warmup "$port" "$q" ;;
                    hits)  q=$RUN_DIR/data/q-hits.txt;     warmup "$port" "$q" ;;
                    miss)  q=$(miss_file "$n" "$rep") ;;
                esac
                perf_run "$n|$c|$a|$rep" "$port" "$q" "${PID[$a]}"
            done
        done
    done
    for a in $started; do
        echo "END $a $n hwm_kb=$(mem_kb "${PID[$a]}" VmHWM) rss_kb=$(mem_kb "${PID[$a]}" VmRSS)" >> "$BEHAV"
        stop_server "$a"
    done
    stop_server nsd
done

noroute=$(nstat -az 2>/dev/null | awk '$1=="IpOutNoRoutes"{print $2}')
echo "non-loopback send attempts refused inside the bench netns (IpOutNoRoutes): ${noroute:-?}" >> "$RES_MD"
if [ "$MODE" = all ] && [ "${CALLGRIND:-1}" = 1 ]; then
    start_server nsd "$first"
    if wait_ready $UPSTREAM_PORT; then callgrind_runs "$first"; fi
    stop_server nsd
fi
OURS_NAME=$OURS_NAME python3 "$BENCH_DIR/summarize.py" "$RES_TSV" "$BEHAV" "$CG_TSV" >> "$RES_MD" 2>&1
log "results: $RES_MD ($RES_TSV, $BEHAV); total $(( $(date +%s) - T0 )) s"
