#!/usr/bin/env bash
# Release binaries: cross-compiles static iamq binaries (CGO_ENABLED=0; the
# SQLite driver is pure Go) for linux and darwin, amd64 and arm64, into dist/
# (gitignored; DIST=dir to change it), with SHA256SUMS and VERSION.
#
#   scripts/release.sh               # every platform
#   scripts/release.sh linux/amd64   # only the ones named
#
# A release is a commit: the binaries are built from a clean clone of HEAD, so
# uncommitted changes are not in them (the script says so when there are any).
# The version is stamped by the Go toolchain, not by -ldflags: -buildvcs=true
# (this machine's go env sets GOFLAGS=-buildvcs=false) embeds the module's
# version (the git tag, or a pseudo-version of the commit), vcs.revision and
# vcs.time, which 'go version -m' shows and runtime/debug.ReadBuildInfo reads.
# (Go finds the VCS only where .git is a directory, not in a 'git worktree':
# the clone is one more reason to build from a clone.) -trimpath keeps the
# build machine's paths out, so two builds of one commit are the same bytes.
# Files are named iamq-VERSION-OS-ARCH, VERSION being 'git describe'.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dist=${DIST:-$root/dist}

platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64)

commit=$(git rev-parse HEAD)
version=$(git describe --tags --always "$commit")
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "warning: uncommitted changes are not in the release; it is $version ($commit)" >&2
fi

src=$(mktemp -d /tmp/iamq-release.XXXXXX)
trap 'rm -rf "$src"' EXIT
git clone --quiet --shared --no-checkout "$root" "$src"
git -C "$src" -c advice.detachedHead=false checkout --quiet "$commit"

mkdir -p "$dist"
rm -f "$dist"/iamq-* "$dist/SHA256SUMS" "$dist/VERSION"
for p in "${platforms[@]}"; do
	os=${p%/*} arch=${p#*/}
	out="$dist/iamq-$version-$os-$arch"
	echo "building $out"
	(cd "$src" && CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=true \
		-ldflags='-s -w' -o "$out" ./cmd/iamq)
	# What was stamped, read back; a binary without its revision is no release.
	go version -m "$out" | grep -q "vcs.revision=$commit" || {
		echo "$out: no vcs.revision=$commit in its build info" >&2
		exit 1
	}
done

(cd "$dist" && sha256sum iamq-* >SHA256SUMS)
echo "$version" >"$dist/VERSION"
cat "$dist/SHA256SUMS"
go version -m "$dist/iamq-$version-${platforms[0]%/*}-${platforms[0]#*/}" |
	grep -E '^\s+(mod\s|build\s+(vcs\.|CGO_ENABLED|-trimpath))'
