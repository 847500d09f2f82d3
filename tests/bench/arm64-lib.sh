# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the arm64 bench scripts. Source it after lib.sh.
#
# Debian's arm64 packages are fetched through a private apt configuration
# in the cache: its own package lists, an empty dpkg status and arm64 as
# the only architecture. The host's dpkg architectures, lists and status
# are never touched.

ARM64_CACHE=$CHARGERD_CACHE/arm64
ARM64_APT=$ARM64_CACHE/apt

# Write the private configuration, with copies of the host's sources, and
# fetch its package lists: once, and again when the host's sources change.
# Call with cache_lock held.
arm64_apt_init() {
	local d=$ARM64_APT srcs f sum
	mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial" "$d/sources.list.d"
	: >>"$d/status"
	cat > "$d/apt.conf" <<-EOF
	Dir::State "$d/state";
	Dir::State::status "$d/status";
	Dir::Cache "$d/cache";
	Dir::Etc::SourceList "$d/sources.list";
	Dir::Etc::SourceParts "$d/sources.list.d";
	APT::Architecture "arm64";
	APT::Architectures { "arm64"; };
	// The cache may sit under a home that apt's _apt user cannot enter.
	APT::Sandbox::User "root";
	EOF
	# Only the files apt itself would read (*.list, *.sources).
	srcs=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
	sum=$(for f in "${srcs[@]}"; do [[ -f $f ]] && printf '%s\n' "$f" && cat "$f"; done |
	      sha256sum | cut -c1-16)
	[[ -f $d/.updated-$sum ]] && return 0
	rm -f "$d"/sources.list "$d"/sources.list.d/* "$d"/.updated-*
	for f in "${srcs[@]}"; do
		[[ -f $f ]] || continue
		case $f in
		*/sources.list) cp "$f" "$d/sources.list" ;;
		*) cp "$f" "$d/sources.list.d/" ;;
		esac
	done
	arm64_apt_update
	touch "$d/.updated-$sum"
}

arm64_apt_update() {
	say "updating the arm64 package lists (private apt configuration)"
	# A host source without arm64 (or unreachable) must not stop the rest.
	APT_CONFIG=$ARM64_APT/apt.conf apt-get update -qq >&2 ||
		say "warning: apt-get update reported errors (see above)"
}

# arm64_download DIR PKG[=VERSION]...: download .deb files into DIR. The
# lists are refreshed once if a package is not in them (a newer kernel).
arm64_download() {
	local dir=$1
	shift
	arm64_apt_init
	(cd "$dir" && APT_CONFIG=$ARM64_APT/apt.conf apt-get download -qq "$@" >/dev/null 2>&1) && return 0
	arm64_apt_update
	(cd "$dir" && APT_CONFIG=$ARM64_APT/apt.conf apt-get download -qq "$@" >&2) ||
		die "cannot download $* for arm64"
}
