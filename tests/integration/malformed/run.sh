#!/bin/sh
# malformed: bad input never crashes or wedges the daemon.  Every
# hand-built bad packet (label overruns, pointer loops and pointers out of
# the packet, bad label types, names over 255 bytes, lying counts, cut or
# lying OPT records and options, an 11-byte packet, all-0xff / all-zero
# packets, trailing junk) and 20 random plus 20 mutated ones are sent over
# UDP and TCP, each followed by a good query that must be answered; the
# malformed ones get FORMERR or nothing, never an answer.  Then a burst of
# 3000 random packets, TCP framing abuse, and 60 half-open/slow TCP
# clients (over the cap of 16) held while UDP and, afterwards, TCP must
# still be answered promptly; so must they while a TCP client pipelines
# 3000 queries and never reads the replies.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../lib.sh"

up_start up1 "$UP1" --data "$CDIR/../upstream.data"
ls_start

MALFORMED=" short11 hdr-only-qd1 label-overrun name-too-long ptr-loop ptr-loop2 ptr-beyond ptr-forward label-type-40 label-type-80 qtype-cut ancount-lie nscount-lie arcount-lie qdcount-max opt-cut opt-rdlen-lie opt-option-overrun opt-option-cut all-ff all-zero "
rawq --name m.bad.test malformed >"$T/malformed.out" 2>"$T/malformed.err"
check "raw client ran" eval '[ -s "$T/malformed.out" ] || { cat "$T/malformed.err"; false; }'
rnd_dead=0 rnd_n=0
check "malformed run completed (daemon kept answering)" nomatch "$(cat "$T/malformed.out")" "^ABORT"
while read -r kp reply alive; do
	[ "$kp" = ABORT ] && continue
	kind=${kp%/*} proto=${kp#*/}
	case "$kind" in
	random* | mutated*)
		rnd_n=$((rnd_n + 1))
		[ "$alive" = alive=1 ] || rnd_dead=$((rnd_dead + 1))
		continue ;;
	esac
	check "$kind over $proto: still answering afterwards" eq "$alive" alive=1
	case "$MALFORMED" in *" $kind "*)
		check "$kind over $proto: FORMERR or dropped" match "$reply" "^reply=(FORMERR|none)$" ;;
	esac
done <"$T/malformed.out"
check "random/mutated packets: $rnd_n sent, daemon answered after every one" eq "$rnd_dead" 0
check "random/mutated packets: all 80 were sent" eq "$rnd_n" 80

o=$(rawq --name m.bad.test burst 3000)
check "burst of 3000 random packets sent" match "$o" "sent=[0-9]+"
# the burst may still sit in the (1 MiB) receive queue: a client that
# retries, as every stub does, must get its answer
o=$(dig @"$ADDR" -p "$PORT" +tries=3 +time=3 m.bad.test A 2>&1)
check "after the burst: answered" sect_count "$o" ANSWER 1 "10\.7\.0\.1$"

rawq --name m.bad.test hold 60 4 >"$T/hold.out" 2>&1 &
holdpid=$!
for ((i = 0; i < 40; i++)); do [ -s "$T/hold.out" ] && break; sleep 0.1; done
check "60 half-open TCP clients connected (or refused at the cap)" match "$(cat "$T/hold.out")" "holding [0-9]+"
slow=0 okq=0
for i in $(seq 1 10); do
	t0=$(now_ms)
	o=$(q m.bad.test A)
	dt=$(($(now_ms) - t0))
	[ "$dt" -lt 300 ] || slow=$((slow + 1))
	printf '%s\n' "$o" | grep -q '10\.7\.0\.1$' && okq=$((okq + 1))
done
check "half-open TCP clients held: 10 UDP queries answered" eq "$okq" 10
check "half-open TCP clients held: none of them slower than 300 ms" eq "$slow" 0
o=$(q other-$RANDOM.example A)
check "half-open TCP clients held: forwarding works" is_status "$o" NOERROR
wait "$holdpid"
ok=0
for ((i = 0; i < 20; i++)); do
	o=$(q +tcp m.bad.test A)
	printf '%s\n' "$o" | grep -q '10\.7\.0\.1$' && { ok=1; break; }
	sleep 0.2
done
check "after the half-open clients leave: TCP answered" eq "$ok" 1

# a reader that never reads: 3000 pipelined queries for an ~850-byte
# answer (~2.5 MB of replies) pile up; UDP must not notice.
rawq --timeout 3 noread 3000 big.bulk.bad.test:TXT 4 >"$T/noread.out" 2>&1 &
nrpid=$!
sleep 1
slow=0 okq=0
for i in $(seq 1 10); do
	t0=$(now_ms)
	o=$(q m.bad.test A)
	dt=$(($(now_ms) - t0))
	[ "$dt" -lt 300 ] || slow=$((slow + 1))
	printf '%s\n' "$o" | grep -q '10\.7\.0\.1$' && okq=$((okq + 1))
done
check "TCP client that never reads 3000 replies: UDP still answered (10/10)" eq "$okq" 10
check "TCP client that never reads: no UDP answer slower than 300 ms" eq "$slow" 0
o=$(q +tcp m.bad.test A)
check "TCP client that never reads: other TCP clients answered" sect_count "$o" ANSWER 1 "10\.7\.0\.1$"
wait "$nrpid"

check "daemon alive at the end" ls_alive
ls_finish
