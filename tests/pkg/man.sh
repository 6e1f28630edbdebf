#!/bin/sh
# Man pages: `mandoc -Tlint -Wwarning` clean, one check per page; every
# config key of the schema (src/core/conf_schema.c, once it exists) is an
# `.It Ic key` of linkshim.yaml(5); every getopt letter of linkshimd
# (src/daemon/main.c) is an `.It Fl x` of linkshimd(8).
ok() { echo "PASS: man $1"; }
ko() { echo "FAIL: man $1"; }
if ! command -v mandoc >/dev/null 2>&1; then
	echo "SKIP: man (mandoc not installed)"
	exit 0
fi
for p in man/linkshimd.8 man/linkshimctl.1 man/linkshim.yaml.5; do
	if [ ! -f "$p" ]; then
		ko "$p missing"
		continue
	fi
	out=$(mandoc -Tlint -Wwarning "$p" 2>&1)
	if [ $? -eq 0 ] && [ -z "$out" ]; then ok "lint $p"; else ko "lint $p: $out"; fi
done

S=src/core/conf_schema.c
if [ -f "$S" ]; then
	missing=
	for k in $(grep -o '{ *"[a-z_]*"' "$S" | tr -dc 'a-z_\n' | sort -u); do
		grep -q "^\.It Ic $k\( \|$\)" man/linkshim.yaml.5 || missing="$missing $k"
	done
	[ -z "$missing" ] && ok "every schema key in linkshim.yaml.5" ||
		ko "keys not in linkshim.yaml.5:$missing"
else
	echo "SKIP: man schema keys ($S not there yet)"
fi

M=src/daemon/main.c
if [ -f "$M" ] && grep -q 'getopt(' "$M"; then
	opts=$(sed -n 's/.*getopt([^"]*"\([^"]*\)".*/\1/p' "$M" | head -n 1 | tr -d ':')
	missing=
	for o in $(echo "$opts" | sed 's/./& /g'); do
		grep -q "^\.It Fl $o\( \|$\)" man/linkshimd.8 || missing="$missing -$o"
	done
	[ -n "$opts" ] && [ -z "$missing" ] && ok "every linkshimd option ($opts) in linkshimd.8" ||
		ko "linkshimd options not documented:$missing (getopt \"$opts\")"
else
	echo "SKIP: man linkshimd options ($M not there yet)"
fi
