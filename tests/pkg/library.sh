#!/bin/sh
# liblinkshim as built: build/liblinkshim.so.0 has the soname
# liblinkshim.so.0 and exports nothing but the embedding API (linkshim_*)
# and the conf_* functions listed in packaging/liblinkshim.map, with every
# linkshim.h function present; build/liblinkshim.a is the whole library
# (io + core + common objects); the .so has no undefined symbols of its own.
B=${B:-build}
SO=$B/liblinkshim.so.0
A=$B/liblinkshim.a
ok() { echo "PASS: library $1"; }
ko() { echo "FAIL: library $1"; }
if [ ! -f "$SO" ] || [ ! -f "$A" ]; then
	ko "$SO or $A not built (make lib)"
	exit 1
fi
so=$(objdump -p "$SO" | awk '$1 == "SONAME" { print $2 }')
[ "$so" = liblinkshim.so.0 ] && ok "soname $so" || ko "soname '$so'"

# Exported (defined, dynamic) function and data symbols.
nm -D --defined-only "$SO" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
	sed 's/@.*//' | sort -u >"${TMPDIR:-/tmp}/lib.$$.syms"
S="${TMPDIR:-/tmp}/lib.$$.syms"
trap 'rm -f "$S"' EXIT
allowed=$(sed -n 's/^[[:space:]]*\(conf_[a-z_]*\);$/\1/p' packaging/liblinkshim.map | tr '\n' ' ')
extra=
while read -r s; do
	case "$s" in
	linkshim_*) ;;
	LIBLINKSHIM_0) ;; # the version node itself
	*) case " $allowed " in *" $s "*) ;; *) extra="$extra $s" ;; esac ;;
	esac
done <"$S"
[ -z "$extra" ] && ok "only linkshim_* and the mapped conf_* are exported ($(wc -l <"$S") symbols)" ||
	ko "unexpected exports:$extra"
want=$(sed -n 's/^[a-z].*[ *]\(linkshim_[a-z_]*\)(.*/\1/p' include/linkshim/linkshim.h | sort -u)
missing=
for f in $want; do grep -qx "$f" "$S" || missing="$missing $f"; done
[ -n "$want" ] && [ -z "$missing" ] && ok "every linkshim.h function exported ($(echo $want | wc -w))" ||
	ko "linkshim.h functions not exported:$missing"
missing=
for f in $allowed; do grep -qx "$f" "$S" || missing="$missing $f"; done
[ -z "$missing" ] && ok "mapped conf_* functions exported" || ko "mapped but absent:$missing"
nm -D "$SO" | grep -q ' [Tt] \(cache\|query\|answer\|dnswire\|upstream\|log\|notify\)_' &&
	ko "internal symbols visible" || ok "internal symbols (cache_, query_, log_, ...) hidden"

# The static library holds every io, core and common object.
missing=
for c in src/io/*.c src/core/*.c src/common/*.c; do
	[ -f "$c" ] || continue
	o=$(basename "$c" .c).o
	ar t "$A" | grep -qx "$o" || missing="$missing $o"
done
[ -z "$missing" ] && ok "liblinkshim.a holds io + core + common ($(ar t "$A" | wc -l) objects)" ||
	ko "liblinkshim.a lacks:$missing"
