#!/usr/bin/env bash
# Writes the release bundles to dist/. Today: the C/C++ SDK for Linux x86_64, built against
# glibc 2.17 with cargo-zigbuild (so it loads on old distributions), as
# dist/gameye-<version>-linux-x86_64.tar.gz. Installs what it needs (scripts/setup.sh package).
# The other platforms and the Unity and Unreal bundles are not built yet.
#
#   scripts/package.sh            # then: scripts/check-sdk.sh dist/gameye-*-linux-x86_64.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh package

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
major=${version%%.*}
target=x86_64-unknown-linux-gnu
name="gameye-$version-linux-x86_64"

echo "package.sh: building the library for $target against glibc 2.17"
cargo zigbuild --quiet --release --lib --target "$target.2.17"
built="target/$target/release"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/include/gameye" "$root/lib/cmake/gameye" "$root/lib/pkgconfig"
cp include/gameye.h bindings/cpp/gameye.hpp "$root/include/"
cp bindings/cpp/gameye/*.hpp "$root/include/gameye/"
cp "$built/libgameye.so" "$root/lib/libgameye.so.$major"
ln -s "libgameye.so.$major" "$root/lib/libgameye.so"
cp "$built/libgameye.a" "$root/lib/"
strip --strip-debug "$root/lib/libgameye.a"
strip "$root/lib/libgameye.so.$major"
fill() { sed -e "s/@VERSION@/$version/g" -e "s/@MAJOR@/$major/g" -e "s/@PLATFORM@/Linux x86_64/g" "$1" >"$2"; }
fill scripts/sdk/gameyeConfig.cmake "$root/lib/cmake/gameye/gameyeConfig.cmake"
fill scripts/sdk/gameyeConfigVersion.cmake "$root/lib/cmake/gameye/gameyeConfigVersion.cmake"
fill scripts/sdk/gameye.pc "$root/lib/pkgconfig/gameye.pc"
fill scripts/sdk/README.md "$root/README.md"
cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md "$root/"

mkdir -p dist
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -czf "dist/$name.tar.gz" "$name"
echo "package.sh: wrote dist/$name.tar.gz"
