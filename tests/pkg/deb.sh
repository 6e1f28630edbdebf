#!/bin/sh
# Debian package end to end: `make deb` (timed; budget 180 s), install the
# three binary packages with dpkg -i, check what they put where (binaries,
# unit, man pages, conffile, shared library and soname, headers,
# pkg-config), build tests/helpers/embed.c against the installed -dev
# package, run the autopkgtest smoke test (packaging/debian/tests/smoke)
# inside a private network namespace, then purge and check that nothing is
# left.  Needs root and dpkg-buildpackage; leaves a system that already had
# linkshim installed alone (SKIP).
B=${B:-build}
ok() { echo "PASS: deb $1"; }
ko() { echo "FAIL: deb $1"; }
if [ "$(id -u)" -ne 0 ] || ! command -v dpkg-buildpackage >/dev/null 2>&1; then
	echo "SKIP: deb (needs root and dpkg-buildpackage)"
	exit 0
fi
PKGS="liblinkshim-dev linkshim liblinkshim0"
for p in $PKGS; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		echo "SKIP: deb ($p already installed here; not touching it)"
		exit 0
	fi
done
T=$(mktemp -d)
INSTALLED=
cleanup() {
	[ -n "$INSTALLED" ] && dpkg --purge $PKGS >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM PIPE

t0=$(date +%s)
if make --no-print-directory deb B="$B" >"$T/build.log" 2>&1; then
	secs=$(($(date +%s) - t0))
	ok "make deb built ($secs s)"
else
	ko "make deb failed: $(tail -15 "$T/build.log")"
	exit 1
fi
[ "$secs" -le 180 ] && ok "build time $secs s <= 180 s" || ko "build took $secs s (> 180 s)"
V=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
A=$(dpkg --print-architecture)
DEBS=
for p in $PKGS; do
	f="$B/deb/${p}_${V}_${A}.deb"
	[ -f "$f" ] || { ko "$f not built"; exit 1; }
	DEBS="$DEBS $f"
done

INSTALLED=1
if dpkg -i $DEBS >"$T/install.log" 2>&1; then
	ok "dpkg -i"
elif apt-get -f install -y --no-download >>"$T/install.log" 2>&1; then
	# Missing dependencies, satisfied from the local apt cache only (no
	# network: tests talk to loopback only).
	ok "dpkg -i (dependencies from the apt cache)"
else
	ko "dpkg -i: $(tail -5 "$T/install.log")"
	exit 1
fi

MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
missing=
for f in /usr/sbin/linkshimd /usr/bin/linkshimctl \
	/lib/systemd/system/linkshimd.service /etc/linkshim/linkshim.yaml \
	/usr/share/man/man8/linkshimd.8.gz /usr/share/man/man1/linkshimctl.1.gz \
	/usr/share/man/man5/linkshim.yaml.5.gz \
	/usr/lib/$MA/liblinkshim.so.0 /usr/lib/$MA/liblinkshim.so \
	/usr/lib/$MA/liblinkshim.a /usr/lib/$MA/pkgconfig/linkshim.pc \
	/usr/include/linkshim/linkshim.h /usr/include/linkshim/conf.h; do
	[ -e "$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "installed files present" || ko "missing:$missing"
dpkg-query -W -f='${Conffiles}\n' linkshim | grep -q '^ /etc/linkshim/linkshim.yaml ' &&
	ok "linkshim.yaml is a conffile" || ko "linkshim.yaml is not a conffile"
so=$(objdump -p /usr/lib/$MA/liblinkshim.so.0 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
[ "$so" = "liblinkshim.so.0" ] && ok "soname liblinkshim.so.0" || ko "soname '$so'"
dpkg -S /usr/lib/$MA/liblinkshim.so.0 2>/dev/null | grep -q '^liblinkshim0' &&
	ok "shared library in liblinkshim0" || ko "shared library owner: $(dpkg -S /usr/lib/$MA/liblinkshim.so.0 2>&1)"
v=$(pkg-config --modversion linkshim 2>&1)
[ "$v" = "${V%%-*}" ] && ok "pkg-config linkshim $v" || ko "pkg-config: $v"
"/usr/sbin/linkshimd" -n -c /etc/linkshim/linkshim.yaml >"$T/conf.out" 2>&1 &&
	ok "shipped conffile passes linkshimd -n" || ko "shipped conffile: $(cat "$T/conf.out")"

# An embedder builds against the installed package alone.
if [ -f tests/helpers/embed.c ]; then
	if cc -std=c11 -D_DEFAULT_SOURCE -o "$T/embed" tests/helpers/embed.c \
		$(pkg-config --cflags --libs linkshim) -levent_core >"$T/cc.log" 2>&1; then
		ok "embed.c builds with pkg-config against the installed -dev"
		ldd "$T/embed" | grep -Eq "liblinkshim.so.0 => (/usr)?/lib/$MA/liblinkshim.so.0 " &&
			ok "embed links the installed liblinkshim.so.0" || ko "embed: $(ldd "$T/embed" | grep linkshim)"
		# It answers its config-built link (private namespace, fixed port).
		unshare -n sh -c "ip link set lo up
			'$T/embed' 25353 25354 >'$T/embed.out' 2>&1 & p=\$!
			i=0; while ! grep -qx ready '$T/embed.out' && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
			dig +short +tries=1 +time=2 @127.0.0.1 -p 25353 in01-embed.example.test
			kill \$p; wait \$p" >"$T/embed.dig" 2>&1
		grep -qx 192.0.2.10 "$T/embed.dig" && ok "installed-library embed answers its link" ||
			ko "installed-library embed: $(cat "$T/embed.dig" "$T/embed.out")"
	else
		ko "embed.c against the installed -dev: $(tail -5 "$T/cc.log")"
	fi
fi

# The autopkgtest smoke test, in a private network namespace when allowed.
SMOKE=packaging/debian/tests/smoke
if unshare -n true 2>/dev/null; then
	unshare -n sh -c "ip link set lo up && sh $SMOKE" >"$T/smoke.log" 2>&1
else
	sh "$SMOKE" >"$T/smoke.log" 2>&1
fi
rc=$?
grep -E '^(PASS|FAIL|SKIP): ' "$T/smoke.log"
[ $rc -eq 0 ] && ok "autopkgtest smoke exit 0" || ko "autopkgtest smoke exit $rc"

if dpkg --purge $PKGS >"$T/purge.log" 2>&1; then
	INSTALLED=
	left=
	for f in /usr/sbin/linkshimd /etc/linkshim /usr/lib/$MA/liblinkshim.so.0 \
		/usr/include/linkshim /etc/systemd/system/multi-user.target.wants/linkshimd.service; do
		[ -e "$f" ] && left="$left $f"
	done
	[ -z "$left" ] && ok "purge leaves nothing" || ko "left after purge:$left"
else
	ko "dpkg --purge: $(tail -5 "$T/purge.log")"
fi
