#!/bin/sh
# Install the Debian packages linkshim needs to build and test, if any are
# missing.  As root: apt-get update (once) + install.  Otherwise print the
# exact command and fail.
PKGS="build-essential pkgconf libldns-dev libevent-dev libyaml-dev libbsd-dev \
libcurl4-openssl-dev libjansson-dev libexpat1-dev libssl-dev \
libcmocka-dev ldnsutils knot-dnsutils bind9-dnsutils python3 python3-dnspython \
iproute2 nftables mandoc clang clang-format cppcheck libclang-rt-14-dev util-linux procps awscli \
debhelper dpkg-dev"
[ -n "$LINKSHIM_EXTRA_DEPS" ] && PKGS="$PKGS $LINKSHIM_EXTRA_DEPS"
missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$s" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "linkshim: missing packages:$missing" >&2
	echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "linkshim: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null
