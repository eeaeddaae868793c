#!/usr/bin/env bash
# Writes every release bundle to dist/, for <v> the version in Cargo.toml:
#
#   gameye-<v>-linux-x86_64.tar.gz    C/C++ SDK, glibc 2.17 floor (cargo-zigbuild)
#   gameye-<v>-linux-arm64.tar.gz     C/C++ SDK, glibc 2.17 floor (cargo-zigbuild)
#   gameye-<v>-windows-x86_64.zip     C/C++ SDK: gameye.dll, MSVC and MinGW import libraries,
#                                     the MinGW static library (MinGW-w64)
#   gameye-<v>-macos-universal.tar.gz C/C++ SDK: one universal (x86_64 + arm64) dylib and static
#                                     library (cargo-zigbuild; see scripts/package/macho.py)
#   com.gameye.sdk-<v>.tgz            the Unity package (npm pack layout), with the Linux, Windows
#                                     and macOS plugins
#   gameye-unreal-<v>.zip             the Unreal plugin, with the libraries for Linux, LinuxArm64
#                                     and Win64
#
# Each library is built once, in release, and every bundle that needs it takes the same file.
# rustc's note of the system libraries a static library needs (--print native-static-libs) is
# recorded with it. Installs what it needs (scripts/setup.sh package). Check the result from the
# unpacked bundles alone with scripts/check-bundles.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh package

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
major=${version%%.*}
built=target/package   # one folder per platform: the libraries and rustc's note
rm -rf "$built"
mkdir -p "$built" dist
rm -f dist/gameye-*.tar.gz dist/gameye-*.zip dist/com.gameye.sdk-*.tgz
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# build PLATFORM TRIPLE CARGO_COMMAND [CARGO_TARGET]: the library for TRIPLE into $built/PLATFORM.
# The Linux libraries have the private heap (src/private_heap.rs): glibc's bins are what it keeps
# the library out of, and only the Linux static libraries are localized (below), so none of
# mimalloc's symbols is visible to a host. MI_NO_GETENV: the host's MIMALLOC_* variables (a host
# may use mimalloc itself) do not configure the library's heap.
build() {
    local platform="$1" triple="$2" command="$3" target="${4:-$2}" features=""
    echo "package.sh: building the library for $platform ($target)"
    mkdir -p "$built/$platform"
    [[ $platform == linux-* ]] && features="--features private-heap"
    env "CFLAGS_${triple//-/_}=-DMI_NO_GETENV" \
        GAMEYE_SONAME=1 RUSTFLAGS="--print=native-static-libs" cargo $command --quiet --release --lib --target "$target" \
        $features 2>"$built/$platform/rustc.txt" || { cat "$built/$platform/rustc.txt"; exit 1; }
    python3 scripts/package/native_libs.py raw "$built/$platform/rustc.txt" >"$built/$platform/native-static-libs.txt"
    from="target/$triple/release"
}

# cli PLATFORM TRIPLE CARGO_COMMAND [CARGO_TARGET]: the gameye and gameye-mock binaries for TRIPLE
# into $built/PLATFORM/bin. Run after the platform's library is copied out: this build has the
# cli and mock features, and rebuilds the library's own files in target/ with them. It uses the
# cli profile (release without LTO), which builds in a fraction of the time and costs a tool
# nothing that matters.
cli() {
    local platform="$1" triple="$2" command="$3" target="${4:-$2}" exe=""
    [[ $triple == *windows* ]] && exe=.exe
    echo "package.sh: building gameye and gameye-mock for $platform ($target)"
    mkdir -p "$built/$platform/bin"
    cargo $command --quiet --profile cli --features cli,mock --bin gameye --bin gameye-mock --target "$target"
    cp "target/$triple/cli/gameye$exe" "target/$triple/cli/gameye-mock$exe" "$built/$platform/bin/"
}

# localize BINUTILS_PREFIX IN OUT: the static library IN as OUT, one object whose only global
# symbols are gameye_*. A Rust static library carries the whole Rust runtime as globals
# (rust_eh_personality, __rust_alloc, ...), so two of them in one binary fail to link; this makes
# them local: a relocatable link of every member (--force-group-allocation turns COMDAT groups
# into plain sections, so no group names a symbol made local), then every defined global but
# gameye_* made local. Debug info goes, and so do LLVM's bitcode and address-significance
# sections (a host whose linker plugin is an older LLVM cannot read them).
localize() {
    local tools="$1" object="$stage/localized.o"
    "${tools}ld" -r --force-group-allocation -o "$object" --whole-archive "$2"
    "${tools}objcopy" --wildcard --keep-global-symbol='gameye_*' --strip-debug \
        --remove-section=.llvmbc --remove-section=.llvmcmd --remove-section=.llvm_addrsig "$object"
    rm -f "$3"
    "${tools}ar" rcs "$3" "$object"
    rm "$object"
}

build linux-x86_64 x86_64-unknown-linux-gnu zigbuild x86_64-unknown-linux-gnu.2.17
cp "$from/libgameye.so" "$built/linux-x86_64/libgameye.so.$major"
strip "$built/linux-x86_64/libgameye.so.$major"
localize "" "$from/libgameye.a" "$built/linux-x86_64/libgameye.a"
cli linux-x86_64 x86_64-unknown-linux-gnu zigbuild x86_64-unknown-linux-gnu.2.17

build linux-arm64 aarch64-unknown-linux-gnu zigbuild aarch64-unknown-linux-gnu.2.17
cp "$from/libgameye.so" "$built/linux-arm64/libgameye.so.$major"
aarch64-linux-gnu-strip "$built/linux-arm64/libgameye.so.$major"
localize aarch64-linux-gnu- "$from/libgameye.a" "$built/linux-arm64/libgameye.a"
cli linux-arm64 aarch64-unknown-linux-gnu zigbuild aarch64-unknown-linux-gnu.2.17

# Windows: MinGW-w64 links the DLL; an MSVC import library is made from its export table. It is
# built with line tables, which go to gameye.dll.debug (DWARF: the GNU toolchain writes no PDB),
# linked from the stripped DLL by a .gnu_debuglink, to symbolicate a crash inside the library.
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only build windows-x86_64 x86_64-pc-windows-gnu build
win="$built/windows-x86_64"
cp "$from/gameye.dll" "$from/libgameye.dll.a" "$from/libgameye.a" "$win/"
x86_64-w64-mingw32-objcopy --only-keep-debug "$win/gameye.dll" "$win/gameye.dll.debug"
x86_64-w64-mingw32-strip "$win/gameye.dll"
x86_64-w64-mingw32-objcopy --add-gnu-debuglink="$win/gameye.dll.debug" "$win/gameye.dll"
{
    echo "LIBRARY gameye.dll"
    echo "EXPORTS"
    x86_64-w64-mingw32-objdump -p "$win/gameye.dll" |
        sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/s/^\t\[ *[0-9]*\] /    /p'
} >"$win/gameye.def"
python3 -m ziglang dlltool -m i386:x86-64 -d "$win/gameye.def" -D gameye.dll -l "$win/gameye.lib"
cli windows-x86_64 x86_64-pc-windows-gnu build

# macOS: zig's Mach-O linker ignores the export list, so the dylib is linked here from the static
# library with every symbol but gameye_* made private (macho.py), for each architecture, and the
# two are combined into one universal file.
mac="$built/macos-universal"
mkdir -p "$mac"
for arch in x86_64 aarch64; do
    build "macos-$arch" "$arch-apple-darwin" zigbuild
    minimum=11.0
    [[ $arch == x86_64 ]] && minimum=10.12
    python3 scripts/package/macho.py hide "$from/libgameye.a" _gameye_ "$stage/hidden-$arch.a"
    # -liconv comes from rustc's note; cargo-zigbuild leaves a stub for it beside the build.
    python3 -m ziglang cc -target "$arch-macos.$minimum" -dynamiclib -o "$stage/libgameye-$arch.dylib" \
        -Wl,-install_name,@rpath/libgameye.dylib -Wl,-force_load,"$stage/hidden-$arch.a" -Wl,-dead_strip \
        -L"$from/deps" $(python3 scripts/package/native_libs.py flags "$built/macos-$arch/rustc.txt") \
        2> >(grep -v 'xcrun\|MacOSX.sdk\|^ *|\|= note\|= help\|^$' >&2)
    cp "$from/libgameye.a" "$stage/libgameye-$arch.a"
    cli "macos-$arch" "$arch-apple-darwin" zigbuild
done
python3 scripts/package/macho.py fat "$mac/libgameye.dylib" "$stage/libgameye-x86_64.dylib" "$stage/libgameye-aarch64.dylib"
python3 scripts/package/macho.py fat "$mac/libgameye.a" "$stage/libgameye-x86_64.a" "$stage/libgameye-aarch64.a"
mkdir -p "$mac/bin"
for tool in gameye gameye-mock; do
    python3 scripts/package/macho.py fat "$mac/bin/$tool" "$built/macos-x86_64/bin/$tool" "$built/macos-aarch64/bin/$tool"
    chmod +x "$mac/bin/$tool"
done
cp "$built/macos-aarch64/native-static-libs.txt" "$mac/"
cp "$built/macos-aarch64/rustc.txt" "$mac/"

# The crates whose code the library contains, for every bundle (scripts/package/notices.py).
python3 scripts/package/notices.py x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-pc-windows-gnu \
    x86_64-apple-darwin aarch64-apple-darwin >"$built/THIRD-PARTY-NOTICES.md"

# --- The C/C++ SDK archives.
# sdk PLATFORM OS LABEL FILES: stages gameye-<v>-PLATFORM/ with the headers, CMake and pkg-config
# files, licenses and README; the caller adds the libraries.
sdk() {
    local platform="$1" os="$2" label="$3" files="$4"
    root="$stage/gameye-$version-$platform"
    mkdir -p "$root/include/gameye" "$root/lib/cmake/gameye"
    cp include/gameye.h bindings/cpp/gameye.hpp "$root/include/"
    cp bindings/cpp/gameye/*.hpp "$root/include/gameye/"
    cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md "$built/THIRD-PARTY-NOTICES.md" "$root/"
    local note="$built/$platform/rustc.txt"
    local fill=(VERSION="$version" MAJOR="$major" PLATFORM="$label" OS="$os"
        STATIC_LIBS="$(python3 scripts/package/native_libs.py cmake "$note")"
        STATIC_FLAGS="$(python3 scripts/package/native_libs.py flags "$note")" FILES="$files")
    python3 scripts/package/fill.py scripts/sdk/gameyeConfig.cmake "$root/lib/cmake/gameye/gameyeConfig.cmake" "${fill[@]}"
    python3 scripts/package/fill.py scripts/sdk/gameyeConfigVersion.cmake "$root/lib/cmake/gameye/gameyeConfigVersion.cmake" "${fill[@]}"
    python3 scripts/package/fill.py scripts/sdk/README.md "$root/README.md" "${fill[@]}"
    if [[ $os != windows ]]; then
        mkdir -p "$root/lib/pkgconfig"
        python3 scripts/package/fill.py scripts/sdk/gameye.pc "$root/lib/pkgconfig/gameye.pc" "${fill[@]}"
    fi
}
tarball() {
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -czf "dist/$1.tar.gz" "$1"
    echo "package.sh: wrote dist/$1.tar.gz"
}
zipped() { # zipped NAME DIR FOLDER: dist/NAME.zip holding DIR/FOLDER as FOLDER
    (cd "$2" && python3 -m zipfile -c "$OLDPWD/dist/$1.zip" "$3")
    echo "package.sh: wrote dist/$1.zip"
}

for arch in x86_64 arm64; do
    sdk "linux-$arch" linux "Linux $arch" "- \`lib/libgameye.so.$major\` (SONAME \`libgameye.so.$major\`; \`libgameye.so\` links to it) and
  \`lib/libgameye.a\`. Built against glibc 2.17, so it loads on every distribution game servers
  still run. It exports only \`gameye_*\` symbols and links no OpenSSL. The static library's
  only global symbols are \`gameye_*\` too (the Rust runtime inside is local), so it links
  beside other Rust static libraries, of any rustc.
- pkg-config: \`PKG_CONFIG_PATH=<this folder>/lib/pkgconfig pkg-config --cflags --libs gameye\`
  (add \`--static\` for the static library)."
    cp "$built/linux-$arch/libgameye.so.$major" "$built/linux-$arch/libgameye.a" "$root/lib/"
    ln -s "libgameye.so.$major" "$root/lib/libgameye.so"
    mkdir -p "$root/bin"
    cp "$built/linux-$arch/bin/gameye" "$built/linux-$arch/bin/gameye-mock" "$root/bin/"
    tarball "gameye-$version-linux-$arch"
done

sdk windows-x86_64 windows "Windows x86_64" "- \`bin/gameye.dll\`: put it beside your executable. It exports only \`gameye_*\` functions.
- \`bin/gameye.dll.debug\`: its line tables (DWARF; the GNU toolchain writes no PDB). For a crash
  at \`gameye.dll+0xOFFSET\`: \`x86_64-w64-mingw32-addr2line -e gameye.dll.debug <ImageBase + OFFSET>\`
  (ImageBase from \`x86_64-w64-mingw32-objdump -p gameye.dll\`).
- \`lib/gameye.lib\`: the import library for MSVC (and clang-cl, lld-link); \`lib/libgameye.dll.a\`
  the one for MinGW; \`lib/gameye.def\` the export list they were made from.
- \`lib/libgameye.a\`: a static library for MinGW-w64 only (MSVC cannot link it; use the DLL)."
mkdir -p "$root/bin"
cp "$win/gameye.dll" "$win/gameye.dll.debug" "$built/windows-x86_64/bin/gameye.exe" \
    "$built/windows-x86_64/bin/gameye-mock.exe" "$root/bin/"
cp "$win/gameye.lib" "$win/libgameye.dll.a" "$win/gameye.def" "$win/libgameye.a" "$root/lib/"
zipped "gameye-$version-windows-x86_64" "$stage" "gameye-$version-windows-x86_64"

sdk macos-universal macos "macOS universal (x86_64 + arm64)" "- \`lib/libgameye.dylib\`: one universal file for Intel and Apple silicon (macOS 10.12 and
  11.0 or later), install name \`@rpath/libgameye.dylib\`; it exports only \`gameye_*\`.
  It is not signed: sign it with your application.
- \`lib/libgameye.a\`: the universal static library.
- pkg-config: \`PKG_CONFIG_PATH=<this folder>/lib/pkgconfig pkg-config --cflags --libs gameye\`."
cp "$mac/libgameye.dylib" "$mac/libgameye.a" "$root/lib/"
mkdir -p "$root/bin"
cp "$mac/bin/gameye" "$mac/bin/gameye-mock" "$root/bin/"
tarball "gameye-$version-macos-universal"

# --- The Unity package: the binding with its .meta files, and the native plugins in the folders
# whose .meta files hold their import settings.
unity="$stage/unity/package"
mkdir -p "$unity"
cp -r bindings/csharp/. "$unity/"
cp "$built/linux-x86_64/libgameye.so.$major" "$unity/Plugins/Linux/x86_64/libgameye.so"
cp "$win/gameye.dll" "$unity/Plugins/Windows/x86_64/gameye.dll"
cp "$mac/libgameye.dylib" "$unity/Plugins/macOS/libgameye.dylib"
# Unity's package layout: LICENSE.md, CHANGELOG.md and "Third Party Notices.md" at the root.
cp LICENSE-MIT LICENSE-APACHE "$unity/"
printf '%s\n' "Licensed under either of the Apache License, Version 2.0 (LICENSE-APACHE) or the MIT" \
    "license (LICENSE-MIT), at your option (SPDX: MIT OR Apache-2.0)." >"$unity/LICENSE.md"
cp CHANGELOG.md "$unity/CHANGELOG.md"
cp "$built/THIRD-PARTY-NOTICES.md" "$unity/Third Party Notices.md"
python3 scripts/unity_meta.py "$unity" >/dev/null # the .meta files of what was added here
tar -C "$stage/unity" --sort=name --owner=0 --group=0 --numeric-owner -czf "dist/com.gameye.sdk-$version.tgz" package
echo "package.sh: wrote dist/com.gameye.sdk-$version.tgz"

# --- The Unreal plugin: the library as its External module (see its GameyeLibrary.Build.cs).
plugin="$stage/unreal/Gameye"
mkdir -p "$stage/unreal"
cp -r bindings/unreal/Gameye "$plugin"
third="$plugin/Source/ThirdParty/GameyeLibrary"
rm -rf "$third/include" "$third/lib"
mkdir -p "$third/include/gameye" "$third/lib/Linux" "$third/lib/LinuxArm64" "$third/lib/Win64"
cp include/gameye.h bindings/cpp/gameye.hpp "$third/include/"
cp bindings/cpp/gameye/*.hpp "$third/include/gameye/"
for pair in Linux:linux-x86_64 LinuxArm64:linux-arm64; do
    cp "$built/${pair#*:}/libgameye.a" "$built/${pair#*:}/libgameye.so.$major" \
        "$built/${pair#*:}/native-static-libs.txt" "$third/lib/${pair%%:*}/"
done
cp "$win/gameye.dll" "$win/gameye.dll.debug" "$win/gameye.lib" "$third/lib/Win64/"
cp LICENSE-MIT LICENSE-APACHE "$built/THIRD-PARTY-NOTICES.md" "$plugin/"
zipped "gameye-unreal-$version" "$stage/unreal" Gameye
