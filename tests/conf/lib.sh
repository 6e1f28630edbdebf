# Shared by tests/conf/golden.sh and tests/conf/update.sh (sourced; not a
# test itself: tests/run.sh skips lib.sh).

# conf_bin PATH: an absolute path to the daemon given relative to the top.
conf_bin() {
	case "$1" in
	/*) echo "$1" ;;
	*) echo "$TOP/$1" ;;
	esac
}

# conf_gen_large DIR: write DIR/too_large.yaml, one byte too large to be
# committed sensibly (CONF_MAX_BYTES, 64 MiB, + a few bytes).
conf_gen_large() {
	{
		printf 'version: "'
		head -c 67108864 /dev/zero | tr '\0' x
		printf '"\n'
	} >"$1/too_large.yaml"
}
