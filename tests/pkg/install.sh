#!/bin/sh
# `make install` into a staging DESTDIR with PREFIX=/usr/local: every file
# where the layout says, the library symlink chain (.so -> .so.0 ->
# .so.VERSION), the unit and pkg-config file rewritten for the prefix, and
# an embedder compiled against the staged headers and library alone.
B=${B:-build}
ok() { echo "PASS: install $1"; }
ko() { echo "FAIL: install $1"; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! make --no-print-directory install B="$B" DESTDIR="$T" PREFIX=/usr/local >"$T/log" 2>&1; then
	ko "make install failed: $(tail -5 "$T/log")"
	exit 1
fi
R=$T/usr/local
missing=
for f in sbin/linkshimd bin/linkshimctl lib/liblinkshim.a lib/liblinkshim.so \
	lib/liblinkshim.so.0 lib/pkgconfig/linkshim.pc include/linkshim/linkshim.h \
	include/linkshim/conf.h share/man/man8/linkshimd.8 share/man/man1/linkshimctl.1 \
	share/man/man5/linkshim.yaml.5 etc/linkshim/linkshim.yaml \
	lib/systemd/system/linkshimd.service; do
	[ -e "$R/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "every file installed under PREFIX" || ko "missing:$missing"
[ "$(readlink "$R/lib/liblinkshim.so")" = liblinkshim.so.0 ] &&
	readlink "$R/lib/liblinkshim.so.0" | grep -qx 'liblinkshim\.so\.[0-9][0-9.]*' &&
	[ -f "$R/lib/$(readlink "$R/lib/liblinkshim.so.0")" ] &&
	ok "symlinks .so -> .so.0 -> $(readlink "$R/lib/liblinkshim.so.0")" || ko "library symlinks"
U=$R/lib/systemd/system/linkshimd.service
grep -qx 'ExecStart=/usr/local/sbin/linkshimd -d -c /usr/local/etc/linkshim/linkshim.yaml' "$U" &&
	! grep -q '/usr/sbin/\|=/etc/' "$U" && ok "unit paths rewritten for the prefix" ||
	ko "unit: $(grep '^Exec' "$U" | tr '\n' ' ')"
c=$(PKG_CONFIG_PATH=$R/lib/pkgconfig pkg-config --cflags --libs linkshim 2>&1)
case "$c" in
*-I/usr/local/include*-L/usr/local/lib*-llinkshim*) ok "pkg-config: $c" ;;
*) ko "pkg-config: $c" ;;
esac
if cc -std=c11 -D_DEFAULT_SOURCE -I"$R/include" -o "$T/embed" tests/helpers/embed.c \
	-L"$R/lib" -llinkshim -levent_core >"$T/cc" 2>&1 &&
	LD_LIBRARY_PATH=$R/lib ldd "$T/embed" | grep -q "liblinkshim.so.0 => $R/lib/"; then
	ok "embedder builds and links against the staged library"
else
	ko "embedder: $(cat "$T/cc")"
fi
