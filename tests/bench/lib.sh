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

# BENCH_EVENTS as agent_bench takes it, refused here before anything is
# built or booted: 2 or more (its own bound), and even, or the last raise
# has no clear and the phases after the latency run with the fault on.
check_bench_events() {
	[[ $1 =~ ^[1-9][0-9]{0,4}$ ]] && (($1 >= 2 && $1 % 2 == 0)) ||
		die "BENCH_EVENTS: an even number (each raise and its clear), 2 to 99998"
}

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

# tap_result OK DESCRIPTION [DETAIL]: one result of a TAP suite written
# in shell; OK is 1 or 0, DETAIL (text) is shown as comments on a failure.
# Counts in the caller's n (results) and fails.
tap_result() {
	n=$((n + 1))
	if (($1)); then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[[ -n ${3:-} ]] && sed 's/^/# /' <<< "$3"
		fails=$((fails + 1))
	fi
}

# cache_lock_own NAME: a lock of its own, for a long build (the debug
# kernel's quarter of an hour) that must not hold up the rest of the cache
# (cache_lock). Released when the script exits.
cache_lock_own() {
	mkdir -p "$CHARGERD_CACHE"
	exec 8>"$CHARGERD_CACHE/.lock-$1"
	flock 8
}

# --- the kernels the bench supports ----------------------------------------
# By the names CHARGERD_VM_KERNEL and the matrix use. Each is Debian 12's
# own kernel, found through the meta-package of its headers, so that a
# point release of Debian moves the bench with it.
SUPPORTED_KERNELS=(6.1 6.12 6.12-rt)

# kernel_resolve NAME [ARCH]: set K_NAME, K_ARCH (amd64 or arm64), K_ABI
# ("6.12.117+deb12"), K_FLAVOUR ("rt-amd64"), K_RELEASE (uname -r,
# "6.12.117+deb12-rt-amd64") and K_VERSION (the Debian version of the
# packages). 6.1 is the host's installed headers (make deps); the others
# are read from the host's package lists, refreshed once when they lack
# the package. Dies, naming the supported kernels or the missing package.
kernel_resolve() {
	local name=$1 arch=${2:-amd64} meta dep
	K_NAME=$name
	K_ARCH=$arch
	case $arch in
	amd64 | arm64) ;;
	*) die "architecture '$arch' is not supported (amd64, arm64)" ;;
	esac
	case $name in
	6.1)
		K_ABI=$(kernel_abi)
		K_FLAVOUR=$arch
		K_VERSION=$(kernel_pkg_version "$K_ABI")
		;;
	6.12 | 6.12-rt)
		meta=linux-headers-$name-amd64
		dep=$(apt_depends "$meta") || exit 1
		dep=${dep#linux-headers-}		# 6.12.117+deb12-rt-amd64
		K_FLAVOUR=${dep#*-}			# rt-amd64
		K_ABI=${dep%%-*}			# 6.12.117+deb12
		K_FLAVOUR=${K_FLAVOUR%amd64}$arch
		[[ $K_ABI =~ ^6\.12\.[0-9]+ ]] ||
			die "cannot read the kernel ABI from $meta ('$dep')"
		K_VERSION=$(apt_version "linux-headers-$K_ABI-${K_FLAVOUR%$arch}amd64") || exit 1
		;;
	*)
		die "kernel '$name' is not supported; the bench knows: ${SUPPORTED_KERNELS[*]} (and debug)"
		;;
	esac
	K_RELEASE=$K_ABI-$K_FLAVOUR
}

# apt_field PKG FIELD: a field of the candidate version of PKG in the
# host's package lists, refreshing them once if PKG is not there.
apt_field() {
	local out
	out=$(apt-cache show --no-all-versions "$1" 2>/dev/null) ||
		{ apt-get update -qq >&2 && out=$(apt-cache show --no-all-versions "$1" 2>/dev/null); } ||
		die "package $1 is not in the archive: not in the package lists, even after apt-get update (is the archive reachable? apt's sources are in /etc/apt/sources.list.d/)"
	sed -n "s/^$2: //p" <<<"$out" | head -n1
}

apt_version() {
	apt_field "$1" Version
}

# The first package a meta-package depends on.
apt_depends() {
	local dep
	dep=$(apt_field "$1" Depends) || exit 1
	dep=${dep%%[ ,]*}
	[[ -n $dep ]] || die "$1 depends on nothing"
	printf '%s\n' "$dep"
}

# apt_download_or_retry DIR PKG=VERSION...: download into DIR with the
# host's apt. Lists older than the archive name a version it no longer
# has: then update them once and run the calling script again from the
# start, so that every version is resolved anew (CHARGERD_APT_UPDATED
# marks the second run). Needs SCRIPT_ARGS, the script's arguments.
apt_download_or_retry() {
	local dir=$1
	shift
	(cd "$dir" && apt-get download -q "$@" >/dev/null 2>&1) && return 0
	[[ -n ${CHARGERD_APT_UPDATED:-} ]] && die "cannot download $* (is it in the archive?)"
	say "cannot download $*: updating the package lists, then resolving again"
	apt-get update -qq >&2 || die "apt-get update failed"
	rm -rf "$dir"
	exec env CHARGERD_APT_UPDATED=1 "$0" "${SCRIPT_ARGS[@]}"
}
