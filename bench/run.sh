#!/bin/sh
# make bench: linkshimd beside dnsmasq, Unbound and dnsdist in one run of
# the anchor harness (anchors.sh, inside its own loopback-only network
# namespace).  Knobs are anchors.sh's (DURATION, REPEATS, LINK_SETS, ...).
# Needs root (network namespace) and the anchors installed:
# `bash bench/anchors.sh install` installs them with their services off.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
for p in dnsperf dnsmasq unbound nsd dnsdist; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || {
		echo "bench: $p missing: run 'bash bench/anchors.sh install' first" >&2
		exit 1
	}
done
export ANCHORS=${ANCHORS:-"dnsmasq unbound dnsdist"}
export EXTRA_CHECK=${EXTRA_CHECK-""}
export OURS_NAME=${OURS_NAME:-linkshim}
export OURS_CMD="env LINKSHIMD=$top/build/linkshimd sh $top/bench/linkshimd-bench.sh"
exec bash bench/anchors.sh "$@"
