#!/bin/sh
# linkshim as the resolver of containers (issue 6).  Inside a private
# network namespace of its own ("host", via unshare -n), the test creates two
# named namespaces standing for a container and a stranger, each joined to
# the host by a veth pair with private 10.203.x.y/24 addresses that exist
# only inside these namespaces.  linkshimd listens on the host side of the
# container's veth and allows only the container subnet; the container's
# /etc/netns/NAME/resolv.conf names it (ip netns exec bind-mounts it over
# /etc/resolv.conf).  Inside the container glibc's stub resolver (getent)
# resolves a link to the endpoint's addresses, which come from a loopback
# fake upstream (ldns-testns) on the host side, and a forwarded name; from
# the stranger the same query is REFUSED.  Everything created is removed.
B=${B:-build}
if [ -z "$LINKSHIM_CONTAINERS_NS" ]; then
	if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
		echo "SKIP: containers (needs root and unshare -n)"
		exit 0
	fi
	exec unshare -n env LINKSHIM_CONTAINERS_NS=1 sh "$0" "$@"
fi

ok() { echo "PASS: containers $1"; }
ko() { echo "FAIL: containers $1"; }
D=$(cd "$B" 2>/dev/null && pwd)/linkshimd
if [ ! -x "$D" ]; then
	ko "$B/linkshimd not built"
	exit 1
fi
for t in ip getent dig ldns-testns; do
	command -v "$t" >/dev/null 2>&1 || { echo "SKIP: containers ($t missing)"; exit 0; }
done

C=lsctr$$ S=lsstr$$ # namespace names, unique per run
T=$(mktemp -d)
DPID= UPID= NETNS_DIR_MADE=
cleanup() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	[ -n "$UPID" ] && kill "$UPID" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$C" 2>/dev/null
	ip netns del "$S" 2>/dev/null
	rm -rf "/etc/netns/$C" "/etc/netns/$S"
	[ -n "$NETNS_DIR_MADE" ] && rmdir /etc/netns 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM PIPE

ip link set lo up
[ -d /etc/netns ] || NETNS_DIR_MADE=1

# ns_join NS HOSTIF NSIF SUBNET(a.b.c): a veth pair, .1 on the host side,
# .2 in the namespace, default route in the namespace via the host.
ns_join() {
	ip netns add "$1" &&
		ip link add "$2" type veth peer name "$3" &&
		ip link set "$3" netns "$1" &&
		ip addr add "$4.1/24" dev "$2" && ip link set "$2" up &&
		ip netns exec "$1" ip link set lo up &&
		ip netns exec "$1" ip addr add "$4.2/24" dev "$3" &&
		ip netns exec "$1" ip link set "$3" up &&
		ip netns exec "$1" ip route add default via "$4.1"
}
if ns_join "$C" vh$$c vn$$c 10.203.1 && ns_join "$S" vh$$s vn$$s 10.203.2; then
	ok "namespaces and veth pairs"
else
	ko "could not create namespaces"
	exit 1
fi
mkdir -p "/etc/netns/$C" "/etc/netns/$S"
printf 'nameserver 10.203.1.1\noptions timeout:2 attempts:1\n' >"/etc/netns/$C/resolv.conf"
printf 'nameserver 10.203.1.1\noptions timeout:2 attempts:1\n' >"/etc/netns/$S/resolv.conf"

TARGET=vpce-0ctr-ngbq.vpce-svc-0b62.us-west-2.vpce.amazonaws.com
LINK=in01-containers.aws-us-west-2.vectordb.zillizcloud.com
# answer NAME TYPE RR...: one ldns-testns entry (no RR = NODATA)
answer() {
	n=$1 t=$2
	shift 2
	printf 'ENTRY_BEGIN\nMATCH opcode qtype qname\nADJUST copy_id\n'
	printf 'REPLY QR RD RA NOERROR\nSECTION QUESTION\n%s. IN %s\nSECTION ANSWER\n' "$n" "$t"
	for rr in "$@"; do printf '%s\n' "$rr"; done
	printf 'ENTRY_END\n\n'
}
{
	answer "$TARGET" A "$TARGET. 60 IN A 10.0.7.10" "$TARGET. 60 IN A 10.0.7.11"
	answer "$TARGET" AAAA
	answer www.forward.test A "www.forward.test. 300 IN A 10.9.9.9"
	answer www.forward.test AAAA
} >"$T/upstream.testns"
ldns-testns -p 5300 "$T/upstream.testns" >"$T/upstream.log" 2>&1 &
UPID=$!

cat >"$T/linkshim.yaml" <<EOT
listen: [10.203.1.1:53]
upstreams: [127.0.0.1:5300]
allow: [10.203.1.0/24]
links:
  - name: $LINK
    target: $TARGET
EOT
"$D" -d -c "$T/linkshim.yaml" >"$T/daemon.log" 2>&1 &
DPID=$!

cq() { # ns name: status line of a dig in namespace ns
	ip netns exec "$1" dig +tries=1 +time=2 @10.203.1.1 "$2" A 2>&1 |
		sed -n 's/.*status: \([A-Z]*\).*/\1/p'
}
i=0
while [ "$(cq "$C" "$LINK")" != NOERROR ] && [ $i -lt 30 ]; do
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.2
	i=$((i + 1))
done
if kill -0 "$DPID" 2>/dev/null; then
	ok "linkshimd listening on the container's veth"
else
	ko "linkshimd exited: $(tail -5 "$T/daemon.log")"
	exit 1
fi

got=$(ip netns exec "$C" getent hosts "$LINK" | awk '{ print $1 }' | sort | tr '\n' ' ')
[ "$got" = "10.0.7.10 10.0.7.11 " ] && ok "getent hosts <link> in the container: $got" ||
	ko "getent hosts $LINK: '$got'"
got=$(ip netns exec "$C" getent ahostsv4 "$LINK" | awk '$2 == "STREAM" { print $1 }' | sort | tr '\n' ' ')
[ "$got" = "10.0.7.10 10.0.7.11 " ] && ok "getaddrinfo (getent ahostsv4) <link>" ||
	ko "getent ahostsv4 $LINK: '$got'"
got=$(ip netns exec "$C" getent hosts www.forward.test | awk '{ print $1 }')
[ "$got" = "10.9.9.9" ] && ok "forwarded name resolves in the container" ||
	ko "forwarded name: '$got'"
st=$(cq "$S" "$LINK")
[ "$st" = REFUSED ] && ok "stranger gets REFUSED" || ko "stranger got '$st'"
st=$(cq "$S" www.forward.test)
[ "$st" = REFUSED ] && ok "stranger gets REFUSED for forwarded names too" || ko "stranger forward got '$st'"
got=$(ip netns exec "$S" getent hosts "$LINK")
[ -z "$got" ] && ok "stranger's getent finds nothing" || ko "stranger resolved: $got"
# The container's resolv.conf is the one ip netns exec shows it.
ip netns exec "$C" cat /etc/resolv.conf | grep -qx 'nameserver 10.203.1.1' &&
	ok "/etc/netns resolv.conf seen inside the container" || ko "container resolv.conf"
