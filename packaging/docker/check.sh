#!/bin/sh
# What can be checked of packaging/docker/Dockerfile without a Docker
# engine (none runs in CI):
#  1. static rules: both stages FROM debian:bookworm-slim, the final stage
#     runs as a non-root USER, EXPOSE 53/udp 53/tcp, a HEALTHCHECK,
#     --no-install-recommends and apt lists removed in every apt-get RUN;
#  2. every apt package named exists in this machine's Debian archive
#     (apt-cache, local metadata only) and the builder's ones are installed;
#  3. the build stage's command line (the RUN after "build-stage commands")
#     runs as a script in a temporary copy of the tree, with /out mapped to
#     a temporary directory;
#  4. every shared library the installed binaries need (objdump NEEDED ->
#     dpkg -S) comes from a package the runtime stage installs, or from
#     the base image (libc6, libgcc-s1);
#  5. every COPY --from=build source exists in the staged /out;
#  6. the image's config passes `linkshimd -n`, and the HEALTHCHECK
#     command succeeds against the built daemon running that config (in a
#     private network namespace, so port 53 is free and nothing leaves it)
#     and fails once it is stopped;
#  7. hadolint, when installed.
# Prints PASS:/FAIL:/SKIP: lines.  Run from anywhere.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
D=$TOP/packaging/docker/Dockerfile
ok() { echo "PASS: docker $1"; }
ko() { echo "FAIL: docker $1"; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# Logical lines (continuations joined), then split by stage.
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$D" | grep -v '^[[:space:]]*#' >"$T/lines"
awk '/^FROM /{n++} {print > ("'"$T"'/stage" n)}' "$T/lines"

# 1. static rules
[ "$(grep -c '^FROM debian:bookworm-slim' "$T/lines")" -eq 2 ] &&
	ok "two stages on debian:bookworm-slim" || ko "FROM lines: $(grep '^FROM' "$T/lines" | tr '\n' ';')"
u=$(awk '$1 == "USER" { u = $2 } END { print u }' "$T/stage2")
[ -n "$u" ] && [ "$u" != root ] && [ "$u" != 0 ] && ok "runs as non-root user '$u'" || ko "final USER '$u'"
grep -q '^EXPOSE 53/udp 53/tcp' "$T/stage2" && ok "EXPOSE 53/udp 53/tcp" || ko "EXPOSE"
grep -q '^HEALTHCHECK .*CMD' "$T/stage2" && ok "HEALTHCHECK" || ko "no HEALTHCHECK"
bad=
while IFS= read -r l; do
	case "$l" in *--no-install-recommends*"rm -rf /var/lib/apt/lists/*"*) ;; *) bad=1 ;; esac
done <<EOT
$(grep '^RUN .*apt-get install' "$T/lines")
EOT
[ -z "$bad" ] && ok "apt-get: no recommends, lists removed" || ko "an apt-get RUN keeps recommends or lists"

# 2. packages
pkgs_of() { # stage file -> package names of its apt-get install
	grep '^RUN .*apt-get install' "$1" | sed 's/.*apt-get install[^&]*-y --no-install-recommends//; s/&&.*//' |
		tr ' ' '\n' | grep -v '^$'
}
pkgs_of "$T/stage1" >"$T/build.pkgs"
pkgs_of "$T/stage2" >"$T/run.pkgs"
unknown=
for p in $(cat "$T/build.pkgs" "$T/run.pkgs"); do
	apt-cache show "$p" >/dev/null 2>&1 || unknown="$unknown $p"
done
[ -z "$unknown" ] && ok "$(wc -l <"$T/run.pkgs") runtime + $(wc -l <"$T/build.pkgs") build packages exist" ||
	ko "unknown packages:$unknown"
missing=
for p in $(cat "$T/build.pkgs"); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "SKIP: docker build stage (not installed here:$missing)"
	exit 0
fi

# 3. the build stage's commands, in a copy of the tree
cmd=$(awk '/build-stage commands/ { getline; sub(/^RUN /, ""); print; exit }' "$D")
[ -n "$cmd" ] || { ko "no build-stage RUN line found"; exit 1; }
mkdir "$T/src" "$T/out"
(cd "$TOP" && tar --exclude=./build --exclude='./build-*' --exclude=./.git -cf - .) | tar -C "$T/src" -xf -
cmd=$(echo "$cmd" | sed "s|DESTDIR=/out|DESTDIR=$T/out|g")
if (cd "$T/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh -c "$cmd") >"$T/build.log" 2>&1; then
	ok "build stage commands: $cmd" | sed "s|$T|/tmp|g"
else
	ko "build stage failed: $(tail -10 "$T/build.log")"
	exit 1
fi

# 4. runtime libraries
needed_pkgs=
for f in "$T/out/usr/sbin/linkshimd" "$T/out/usr/bin/linkshimctl"; do
	for lib in $(objdump -p "$f" | awk '$1 == "NEEDED" { print $2 }'); do
		path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
		real=$(readlink -f "$path")
		pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null)
		needed_pkgs="$needed_pkgs ${pkg%%:*}"
	done
done
uncovered=
for p in $(echo "$needed_pkgs" | tr ' ' '\n' | sort -u); do
	case "$p" in libc6 | libgcc-s1) continue ;; esac
	grep -qx "$p" "$T/run.pkgs" || uncovered="$uncovered $p"
done
[ -n "$needed_pkgs" ] && [ -z "$uncovered" ] &&
	ok "runtime stage installs every needed library ($(echo $needed_pkgs | tr ' ' '\n' | sort -u | tr '\n' ' '))" ||
	ko "needed but not installed by the runtime stage:$uncovered"

# 5. COPY --from=build sources
gone=
for s in $(awk '$1 == "COPY" && $2 == "--from=build" { print $3 }' "$T/stage2"); do
	[ -e "$T$s" ] || gone="$gone $s"
done
[ -z "$gone" ] && ok "COPY --from=build sources exist" || ko "missing in /out:$gone"
for s in $(awk '$1 == "COPY" && $2 !~ /^--/ && $2 != "." { print $2 }' "$T/stage2"); do
	[ -e "$TOP/$s" ] || gone="$gone $s"
done
[ -z "$gone" ] && ok "COPY sources exist in the tree" || ko "missing in tree:$gone"

# 6. the image's config
if "$T/out/usr/sbin/linkshimd" -n -c "$TOP/packaging/docker/linkshim.yaml" >"$T/n" 2>&1; then
	ok "image config passes linkshimd -n"
else
	ko "image config: $(cat "$T/n")"
fi

hc=$(sed -n 's/.*CMD \[\(.*\)\]$/\1/p' "$T/stage2" | grep drill | head -n 1 | tr -d '",')
if [ -z "$hc" ]; then
	ko "HEALTHCHECK command not found"
elif [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
	echo "SKIP: docker HEALTHCHECK run (needs root and unshare -n)"
else
	unshare -n sh -c "ip link set lo up
		'$T/out/usr/sbin/linkshimd' -d -c '$TOP/packaging/docker/linkshim.yaml' >'$T/d.log' 2>&1 & p=\$!
		i=0; until $hc >/dev/null 2>&1 || [ \$i -ge 50 ]; do sleep 0.1; i=\$((i + 1)); done
		$hc >/dev/null 2>&1; up=\$?
		kill \$p; wait \$p
		$hc >/dev/null 2>&1; down=\$?
		echo up=\$up down=\$down" >"$T/hc" 2>&1
	grep -qx 'up=0 down=[1-9][0-9]*' "$T/hc" && ok "HEALTHCHECK ($hc): healthy when up, unhealthy when down" ||
		ko "HEALTHCHECK: $(cat "$T/hc" "$T/d.log")"
fi

# 7. hadolint
if command -v hadolint >/dev/null 2>&1; then
	hadolint "$D" >"$T/h" 2>&1 && ok "hadolint" || ko "hadolint: $(cat "$T/h")"
else
	echo "SKIP: docker hadolint (not installed)"
fi
