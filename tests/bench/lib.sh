# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the bench scripts. Source it; do not run it.
#
# Everything the bench downloads or builds lives in one cache folder outside
# the repository, keyed by what it was built from, so a second run reuses it
# and a changed input rebuilds only what depends on it.

CHARGERD_CACHE=${CHARGERD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chargerd}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$BENCH_DIR/../.." && pwd)

# Progress goes to stderr so that it never mixes with a command's output.
say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# The kernel ABI of Debian's current kernel, for example "6.1.0-56", read
# from what linux-headers-amd64 depends on. Nothing here names a version.
kernel_abi() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) ||
		die "linux-headers-amd64 is not installed (run: make deps)"
	dep=${dep%% *}				# linux-headers-6.1.0-56-amd64
	dep=${dep#linux-headers-}
	dep=${dep%-amd64}
	[[ $dep =~ ^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+$ ]] ||
		die "cannot read the kernel ABI from linux-headers-amd64 ('$dep')"
	printf '%s\n' "$dep"
}

# The exact Debian version of the headers package, so that the image we
# boot is the build the modules were compiled against.
kernel_pkg_version() {
	dpkg-query -W -f='${Version}' "linux-headers-$1-amd64"
}

# Content hash of files (the "recipe" of a cached artefact).
recipe_hash() {
	cat "$@" | sha256sum | cut -c1-16
}

# Write a file atomically: the cache never holds a half-written artefact,
# even when a run is interrupted.
publish() {
	local tmp=$1 dst=$2
	mkdir -p "$(dirname "$dst")"
	mv -f "$tmp" "$dst"
}

# Serialise builders of the cache: two runs at once must not both rebuild
# (or delete) the same artefact. The lock is released when the script exits.
cache_lock() {
	mkdir -p "$CHARGERD_CACHE"
	exec 9>"$CHARGERD_CACHE/.lock"
	flock 9
}

# tap_one NAME RC TEXT [DETAILS]: a one-test TAP suite, on stdout, for a
# step that has no TAP of its own (a build, a VM boot). RC 0 passes;
# DETAILS (text) is kept as comments.
tap_one() {
	echo "# chargerd-suite: $1"
	echo "1..1"
	[[ -n ${4:-} ]] && sed 's/^/# /' <<<"$4"
	if (($2 == 0)); then
		echo "ok 1 $3"
	else
		echo "not ok 1 $3"
	fi
	echo "# chargerd-suite-exit: $1 0"
}

# cache_lock_own NAME: a lock of its own, for a long build (the debug
# kernel's quarter of an hour) that must not hold up the rest of the cache
# (cache_lock). Released when the script exits.
cache_lock_own() {
	mkdir -p "$CHARGERD_CACHE"
	exec 8>"$CHARGERD_CACHE/.lock-$1"
	flock 8
}
