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
	# Rows are {.key = "name", ...} or STR("name", ...).
	keys=$(grep -oE '(\.key = |STR\()"[a-z_]+"' "$S" | sed 's/.*"\(.*\)"/\1/' | sort -u)
	missing=
	for k in $keys; do
		grep -q "^\.It Ic $k\( \|$\)" man/linkshim.yaml.5 || missing="$missing $k"
	done
	n=$(echo $keys | wc -w)
	[ "$n" -ge 40 ] && [ -z "$missing" ] && ok "all $n schema keys in linkshim.yaml.5" ||
		ko "schema keys ($n found) not in linkshim.yaml.5:$missing"
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

# linkshimctl: every long option of every command and every command name.
if ls src/ctl/*.c >/dev/null 2>&1 && grep -q 'commands\[\]' src/ctl/main.c 2>/dev/null; then
	opts=$(cat src/ctl/*.c src/ctl/*.h | grep -oE '\{"[a-z0-9-]+", *(no|required|optional)_argument' |
		sed 's/{"\([^"]*\)".*/\1/' | sort -u)
	cmds=$(grep -oE '\{"[a-z0-9-]+", *cmd_[a-z0-9_]+\}' src/ctl/main.c |
		sed 's/{"\([^"]*\)", *cmd_\([a-z0-9_]*\)}/\1 \2/' | awk '$1 == $2 { print $1 }')
	missing=
	for o in $opts; do
		grep -q "Fl -$o\\b" man/linkshimctl.1 || missing="$missing --$o"
	done
	for c in $cmds; do
		grep -q "Cm $c\\b" man/linkshimctl.1 || missing="$missing $c"
	done
	n=$(echo $opts $cmds | wc -w)
	[ "$n" -ge 10 ] && [ -z "$missing" ] && ok "every linkshimctl command and option ($n) in linkshimctl.1" ||
		ko "linkshimctl.1 lacks:$missing ($n names found)"
else
	echo "SKIP: man linkshimctl options (src/ctl not there yet)"
fi
