#!/usr/bin/env bash
# Checks every bundle that scripts/package.sh wrote, using only the unpacked bundles (never the
# repository's libraries or headers; the example programs are copied out of it). Each consumer
# runs against the emulator on loopback, and must end with "stopped <session id>".
#
#   Linux x86_64  glibc floor 2.17, SONAME, only gameye_* exported; the C example through CMake
#                 (shared and static) and pkg-config, the C++ example through CMake; the static
#                 library defines only gameye_* globals, and links and runs beside another Rust
#                 static library built by stable and by nightly; both allocate from the
#                 library's private heap, not the host's malloc
#   Linux arm64   the same floor, SONAME, exports, static globals and private heap; the C
#                 example cross-compiled (shared and static) and run under qemu-user
#   Windows       only gameye_* exported; gameye.dll.debug symbolicates an address in the DLL;
#                 the C example built with MinGW against the DLL's MinGW import library, against
#                 the static library, and with lld against the MSVC import library gameye.lib,
#                 each run under Wine
#   macOS         the dylib, static library, gameye and gameye-mock hold x86_64 and arm64; the
#                 dylib exports only gameye_* (none can run here)
#   Tools         gameye and gameye-mock from each Linux and the Windows archive (arm64 under
#                 qemu-user, Windows under Wine): the version, a session started and stopped on
#                 the emulator, and the bundled emulator serving the bundled tool
#   Unity         every file has a .meta; the Runtime compiles from the unpacked package, and
#                 the C# example runs on Mono with the bundled Linux plugin
#   Unreal        the drift guard passes on the unpacked plugin; its static libraries define only
#                 gameye_* globals; the C++ example links with the Linux and LinuxArm64 static
#                 libraries and their recorded system libraries, and runs (arm64 under qemu-user)
#
#   scripts/check-bundles.sh [DIST]       # default: dist
set -euo pipefail
cd "$(dirname "$0")/.."
dist="$(realpath "${1:-dist}")"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
major=${version%%.*}
repo="$PWD"
bash scripts/setup.sh package
cargo build --quiet --features mock --bin gameye-mock

work="$(mktemp -d)"
source scripts/emulator.sh
start_emulator bundle-check-token
trap 'kill "$EMULATOR_PID" 2>/dev/null; rm -rf "$work" "$EMULATOR_OUT"' EXIT
fail() { echo "check-bundles.sh: $*" >&2; exit 1; }
say() { echo "check-bundles.sh: $*"; }
mkdir -p "$work/app"
cp examples/c/sessions.c examples/cpp/matchmaker.cpp examples/csharp/Program.cs "$work/app/"
app="$work/app"

# expect_run LABEL COMMAND...: the consumer runs against the emulator and stops its session.
expect_run() {
    local label="$1"
    shift
    "$@" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "$label failed"; }
    grep -q "^stopped " "$work/out.txt" || { cat "$work/out.txt"; fail "$label printed nothing expected"; }
    say "$label ran against the emulator"
}

# glibc_floor_only FILE OBJDUMP: no symbol version above GLIBC_2.17 (an executable has no SONAME);
# sets newest.
glibc_floor_only() {
    newest=$($2 -T "$1" | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -n 1)
    [[ "$(printf '%s\n%s\n' "$newest" GLIBC_2.17 | sort -V | tail -n 1)" == GLIBC_2.17 ]] ||
        fail "$1 needs $newest, above the GLIBC_2.17 floor"
}

# glibc_floor SO OBJDUMP: no symbol version above GLIBC_2.17, and the SONAME.
glibc_floor() {
    glibc_floor_only "$1" "$2"
    readelf -d "$1" | grep -q "SONAME.*\[libgameye.so.$major\]" || fail "$1: no SONAME libgameye.so.$major"
    say "$(basename "$(dirname "$(dirname "$1")")"): newest glibc $newest, SONAME libgameye.so.$major"
}

# only_gameye LABEL SYMBOL...: every exported symbol is a gameye_ function; prints the count.
only_gameye() {
    local label="$1"
    shift
    local others
    others=$(printf '%s\n' "$@" | grep -v '^gameye_' || true)
    [[ -z "$others" ]] || fail "$label exports more than gameye_*: $others"
    [[ $# -gt 100 ]] || fail "$label exports only $# symbols"
    say "$label exports $# symbols, all gameye_*"
    exports=$#
}

# static_globals LABEL READELF ARCHIVE: the archive defines no global symbol but gameye_* (the Rust
# runtime inside is local, see localize in package.sh), and as many as the shared library exports.
static_globals() {
    local symbols others count
    symbols=$("$2" -sW "$3")
    others=$(awk '($5 == "GLOBAL" || $5 == "WEAK") && $7 != "UND" && $8 !~ /^gameye_/ {print $8}' <<<"$symbols" | sort -u)
    [[ -z "$others" ]] || fail "$1 defines global symbols besides gameye_*: $(echo "$others" | head -n 5 | tr '\n' ' ')"
    count=$(awk '$5 == "GLOBAL" && $7 != "UND" && $8 ~ /^gameye_/' <<<"$symbols" | wc -l)
    [[ $count -eq $linux_exports ]] || fail "$1 defines $count gameye_* symbols, the shared library exports $linux_exports"
    say "$1: $count global symbols, all gameye_*"
}

# beside_other_rust LABEL ARCHIVE TOOLCHAINS TRIPLE CC RUNNER SYSTEM_LIBS...: the archive links into
# one program with another Rust static library built by each of TOOLCHAINS (e.g. "stable
# nightly": two rustc versions) for TRIPLE, and the program runs (through RUNNER, e.g. qemu).
beside_other_rust() {
    local label="$1" archive="$2" toolchains="$3" triple="$4" cc="$5" runner="$6" toolchain
    shift 6
    for toolchain in $toolchains; do
        cargo "+$toolchain" build --quiet --release --target "$triple" --target-dir "$work/other-$toolchain" \
            --manifest-path "$repo/tests/fixtures/other-rust-staticlib/Cargo.toml"
        $cc -std=c11 -Wall -Wextra -Werror -I"$(dirname "$archive")/../include" \
            "$repo/tests/fixtures/other-rust-staticlib/both.c" "$archive" \
            "$work/other-$toolchain/$triple/release/libother_rust_staticlib.a" "$@" -o "$work/both-$toolchain-$triple"
        $runner "$work/both-$toolchain-$triple" | grep -qx "gameye $version, other 42" ||
            fail "$label beside $toolchain's Rust static library: wrong output"
        say "$label links and runs beside a Rust static library of $toolchain ($(rustc "+$toolchain" --version | cut -d' ' -f2))"
    done
}

# cli_run LABEL RUNNER... -- TOOLS EXE: the bundled gameye and gameye-mock (in TOOLS, with suffix
# EXE), run through RUNNER (nothing, qemu or Wine): the tool's version, a session started and
# stopped on the repository's emulator, then the bundled emulator started (and stopped by its
# pid) and the tool run against it.
cli_run() {
    local label="$1" runner=() tools exe id url pid
    shift
    while [[ $1 != -- ]]; do runner+=("$1"); shift; done
    tools="$2" exe="$3"
    "${runner[@]}" "$tools/gameye$exe" --version | tr -d '\r' | grep -q "^gameye $version " ||
        fail "$label gameye --version"
    id=$("${runner[@]}" "$tools/gameye$exe" sessions start --location europe --image nginx -o name | tr -d '\r')
    "${runner[@]}" "$tools/gameye$exe" sessions stop "$id" | tr -d '\r' | grep -qx "stopped $id" ||
        fail "$label gameye could not start and stop a session"
    "${runner[@]}" "$tools/gameye-mock$exe" --port 0 --token bundled-token >"$work/mock.txt" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do grep -q '^listening on ' "$work/mock.txt" && break; sleep 0.1; done
    url=$(tr -d '\r' <"$work/mock.txt" | sed -n 's/^listening on //p')
    [[ -n "$url" ]] || { kill "$pid"; cat "$work/mock.txt"; fail "$label gameye-mock did not start"; }
    id=$(GAMEYE_API_ENDPOINT="$url" GAMEYE_API_TOKEN=bundled-token "${runner[@]}" "$tools/gameye$exe" \
        sessions start --location europe --image nginx -o name | tr -d '\r')
    GAMEYE_API_ENDPOINT="$url" GAMEYE_API_TOKEN=bundled-token "${runner[@]}" "$tools/gameye$exe" \
        sessions list -o name | tr -d '\r' | grep -qx "$id" || { kill "$pid"; fail "$label: no session on gameye-mock"; }
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    say "$label: gameye $version started and stopped a session; gameye-mock served it"
}

# sdk_pkg_config SDK ARGS...: pkg-config on the SDK's own gameye.pc.
sdk_pkg_config() {
    local sdk="$1"
    shift
    PKG_CONFIG_PATH="$sdk/lib/pkgconfig" pkg-config "$@" gameye
}

# static_system_libs SDK: the system libraries the SDK's static library needs (its pkg-config
# file's --static libraries, without -lgameye itself).
static_system_libs() {
    sdk_pkg_config "$1" --libs-only-other --libs-only-l --static | sed 's/-lgameye//'
}

# private_heap LABEL CC SDK [RUNNER...]: the library allocates from its private heap, in the shared
# and the static library: while it holds a client and a 128 KiB list, the host's malloc has handed
# out no more than 4 KiB (scripts/package/private_heap.c); the host's MIMALLOC_* variables are not
# read by it (MIMALLOC_VERBOSE would print its options).
private_heap() {
    local label="$1" cc="$2" sdk="$3"
    shift 3
    "$cc" -std=c11 -Wall -Wextra -Werror "$repo/scripts/package/private_heap.c" -I"$sdk/include" -L"$sdk/lib" \
        -l:libgameye.so.$major -o "$work/private_heap_shared"
    "$cc" -std=c11 -Wall -Wextra -Werror "$repo/scripts/package/private_heap.c" -I"$sdk/include" "$sdk/lib/libgameye.a" \
        $(static_system_libs "$sdk") \
        -o "$work/private_heap_static"
    for kind in shared static; do
        expect_run "$label private heap ($kind)" env LD_LIBRARY_PATH="$sdk/lib" MIMALLOC_VERBOSE=1 "$@" \
            "$work/private_heap_$kind" 4096
        ! grep -q mimalloc "$work/out.txt" || { cat "$work/out.txt"; fail "$label ($kind) read MIMALLOC_VERBOSE"; }
        grep "host malloc" "$work/out.txt"
    done
}

unpack_tar() { mkdir -p "$work/$1" && tar -C "$work/$1" -xzf "$dist/$2" && echo "$work/$1/${2%.tar.gz}"; }
unpack_zip() { mkdir -p "$work/$1" && python3 -m zipfile -e "$dist/$2" "$work/$1"; }

# --- Linux x86_64
sdk=$(unpack_tar linux-x86_64 "gameye-$version-linux-x86_64.tar.gz")
glibc_floor "$sdk/lib/libgameye.so.$major" objdump
only_gameye "Linux x86_64 libgameye.so" $(nm -D --defined-only "$sdk/lib/libgameye.so.$major" | awk '{print $3}')
linux_exports=$exports
cat >"$app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(consumer C CXX)
set(CMAKE_CXX_STANDARD 17)
find_package(gameye 0.1 REQUIRED)
add_executable(sessions_shared sessions.c)
target_link_libraries(sessions_shared PRIVATE gameye::gameye)
add_executable(sessions_static sessions.c)
target_link_libraries(sessions_static PRIVATE gameye::gameye_static)
add_executable(matchmaker matchmaker.cpp)
target_link_libraries(matchmaker PRIVATE gameye::gameye)
CMAKE
cmake -S "$app" -B "$work/build" -DCMAKE_PREFIX_PATH="$sdk" >/dev/null
cmake --build "$work/build" >/dev/null
gcc -std=c11 -Wall -Wextra -Werror "$app/sessions.c" $(sdk_pkg_config "$sdk" --cflags --libs) -o "$work/sessions_pc"
for program in sessions_shared sessions_static matchmaker; do
    expect_run "Linux x86_64 $program (CMake)" env LD_LIBRARY_PATH="$sdk/lib" "$work/build/$program"
done
expect_run "Linux x86_64 sessions (pkg-config)" env LD_LIBRARY_PATH="$sdk/lib" "$work/sessions_pc"
static_globals "Linux x86_64 libgameye.a" readelf "$sdk/lib/libgameye.a"
beside_other_rust "Linux x86_64 libgameye.a" "$sdk/lib/libgameye.a" "stable nightly" x86_64-unknown-linux-gnu gcc "" \
    $(static_system_libs "$sdk")
glibc_floor_only "$sdk/bin/gameye" objdump
cli_run "Linux x86_64 tools" -- "$sdk/bin" ""
private_heap "Linux x86_64" gcc "$sdk"

# --- Linux arm64: cross-compiled, run under qemu-user with the Debian arm64 libc as its sysroot.
sdk=$(unpack_tar linux-arm64 "gameye-$version-linux-arm64.tar.gz")
glibc_floor "$sdk/lib/libgameye.so.$major" aarch64-linux-gnu-objdump
only_gameye "Linux arm64 libgameye.so" $(aarch64-linux-gnu-nm -D --defined-only "$sdk/lib/libgameye.so.$major" | awk '{print $3}')
aarch64-linux-gnu-gcc -std=c11 -Wall -Wextra -Werror "$app/sessions.c" \
    $(sdk_pkg_config "$sdk" --cflags --libs) -o "$work/sessions_arm64"
aarch64-linux-gnu-gcc -std=c11 -Wall -Wextra -Werror "$app/sessions.c" -I"$sdk/include" "$sdk/lib/libgameye.a" \
    $(static_system_libs "$sdk") \
    -o "$work/sessions_arm64_static"
qemu=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
expect_run "Linux arm64 sessions (shared, qemu)" "${qemu[@]}" -E LD_LIBRARY_PATH="$sdk/lib" "$work/sessions_arm64"
expect_run "Linux arm64 sessions (static, qemu)" "${qemu[@]}" "$work/sessions_arm64_static"
glibc_floor_only "$sdk/bin/gameye" aarch64-linux-gnu-objdump
cli_run "Linux arm64 tools (qemu)" "${qemu[@]}" -- "$sdk/bin" ""
private_heap "Linux arm64" aarch64-linux-gnu-gcc "$sdk" "${qemu[@]}"
static_globals "Linux arm64 libgameye.a" aarch64-linux-gnu-readelf "$sdk/lib/libgameye.a"
# Stable only: nightly has no arm64 standard library here (the same rustc clashes all the same).
beside_other_rust "Linux arm64 libgameye.a" "$sdk/lib/libgameye.a" stable aarch64-unknown-linux-gnu \
    aarch64-linux-gnu-gcc "${qemu[*]}" \
    $(static_system_libs "$sdk")

# --- Windows x86_64: MinGW and lld builds of the C example, run under Wine.
unpack_zip windows "gameye-$version-windows-x86_64.zip"
sdk="$work/windows/gameye-$version-windows-x86_64"
exported=$(x86_64-w64-mingw32-objdump -p "$sdk/bin/gameye.dll" |
    sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/s/^\t\[ *[0-9]*\] //p')
only_gameye "Windows gameye.dll" $exported
[[ $exports -eq $linux_exports ]] || fail "gameye.dll exports $exports functions, the Linux library $linux_exports"
imports=$(llvm-nm "$sdk/lib/gameye.lib" 2>/dev/null | grep -c ' __imp_gameye_' || true)
[[ $imports -eq $exports ]] || fail "gameye.lib imports $imports functions, gameye.dll exports $exports"
say "Windows gameye.lib (MSVC import library) covers all $imports functions"
# The debug file symbolicates an address inside the DLL: gameye_version's, to its Rust source line.
x86_64-w64-mingw32-objdump -h "$sdk/bin/gameye.dll" | grep -q gnu_debuglink || fail "gameye.dll has no .gnu_debuglink"
address=$(x86_64-w64-mingw32-nm "$sdk/bin/gameye.dll.debug" | awk '$3 == "gameye_version" {print $1}')
[[ -n "$address" ]] || fail "gameye.dll.debug has no symbol gameye_version"
# Line tables only: addr2line names the file and line (not the function).
where=$(x86_64-w64-mingw32-addr2line -e "$sdk/bin/gameye.dll.debug" "0x$address")
[[ $where == */src/ffi/version.rs:[0-9]* ]] || fail "gameye.dll.debug does not symbolicate gameye_version: $where"
say "Windows gameye.dll.debug symbolicates 0x$address: $where"
winlibs=$(sed -n 's/.*INTERFACE_LINK_LIBRARIES "\(.*\)")/\1/p' "$sdk/lib/cmake/gameye/gameyeConfig.cmake" | tr ';' '\n' | sed 's/^/-l/')
mkdir -p "$work/win"
cp "$sdk/bin/gameye.dll" "$work/win/"
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror "$app/sessions.c" -I"$sdk/include" -L"$sdk/lib" -lgameye \
    -o "$work/win/sessions_mingw.exe"
x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror "$app/sessions.c" -I"$sdk/include" "$sdk/lib/libgameye.a" \
    $winlibs -o "$work/win/sessions_static.exe"
python3 -m ziglang cc -target x86_64-windows-gnu -std=c11 -Wall -Wextra -Werror "$app/sessions.c" -I"$sdk/include" \
    "$sdk/lib/gameye.lib" -o "$work/win/sessions_msvc_implib.exe"
# Wine 8 lacks bcryptprimitives.dll (Rust's std calls its ProcessPrng): a test-only stand-in.
x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -o "$work/win/bcryptprimitives.dll" \
    tests/wine/bcryptprimitives.c tests/wine/bcryptprimitives.def -ladvapi32
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
for program in sessions_mingw sessions_static sessions_msvc_implib; do
    expect_run "Windows $program.exe (Wine)" timeout 120 /usr/lib/wine/wine64 "$work/win/$program.exe"
done
cp "$sdk/bin/gameye.exe" "$sdk/bin/gameye-mock.exe" "$work/win/"
cli_run "Windows tools (Wine)" timeout 120 /usr/lib/wine/wine64 -- "$work/win" .exe
/usr/lib/wine/wineserver -k 2>/dev/null || true
/usr/lib/wine/wineserver -k 2>/dev/null || true

# --- macOS: cannot run here; its architectures and exports are checked.
sdk=$(unpack_tar macos "gameye-$version-macos-universal.tar.gz")
for file in lib/libgameye.dylib lib/libgameye.a bin/gameye bin/gameye-mock; do
    archs=$(python3 scripts/package/macho.py archs "$sdk/$file")
    [[ $archs == "x86_64 arm64" ]] || fail "macOS $file holds '$archs', not x86_64 and arm64"
done
for arch in x86_64 arm64; do
    # The linker defines __mh_dylib_header and ___dso_handle in every dylib.
    symbols=$(llvm-nm --arch="$arch" -gU "$sdk/lib/libgameye.dylib" | awk '{print $3}' |
        grep -vx '__mh_dylib_header\|___dso_handle' | sed 's/^_//')
    only_gameye "macOS libgameye.dylib ($arch)" $symbols
    [[ $exports -eq $linux_exports ]] || fail "the $arch dylib exports $exports functions, the Linux library $linux_exports"
done
llvm-objdump --macho --dylib-id "$sdk/lib/libgameye.dylib" | grep -qx '@rpath/libgameye.dylib' ||
    fail "macOS libgameye.dylib: install name is not @rpath/libgameye.dylib"
say "macOS: universal (x86_64 arm64) dylib, static library, gameye and gameye-mock; install name @rpath/libgameye.dylib"

# --- Unity: the package as Unity imports it, and the Runtime on Mono with the bundled plugin.
mkdir -p "$work/unity"
tar -C "$work/unity" -xzf "$dist/com.gameye.sdk-$version.tgz"
package="$work/unity/package"
missing=$(cd "$package" && find . -mindepth 1 -not -name '*.meta' -not -path '*~*' | while read -r path; do
    [[ -e "$path.meta" ]] || echo "$path"
done)
[[ -z "$missing" ]] || fail "Unity package: no .meta for: $missing"
for plugin in Linux/x86_64/libgameye.so Windows/x86_64/gameye.dll macOS/libgameye.dylib; do
    [[ -s "$package/Plugins/$plugin" ]] || fail "Unity package: Plugins/$plugin is missing"
done
for file in LICENSE.md CHANGELOG.md "Third Party Notices.md" LICENSE-MIT LICENSE-APACHE; do
    [[ -s "$package/$file" ]] || fail "Unity package: $file is missing"
done
grep -q '"license": "MIT OR Apache-2.0"' "$package/package.json" || fail "Unity package: package.json has no license"
grep -q '^| ureq |' "$package/Third Party Notices.md" || fail "Unity package: the notices do not list ureq"
say "Unity package: every file and folder has a .meta; the Linux, Windows and macOS plugins are in place; licence, changelog and notices"
mcs -nologo -target:library -langversion:7 -warnaserror+ -out:"$work/unity/Gameye.dll" "$package"/Runtime/*.cs
mcs -nologo -langversion:7 -r:"$work/unity/Gameye.dll" -out:"$work/unity/sessions.exe" "$app/Program.cs"
(cd "$work/unity" && expect_run "Unity Runtime (Mono, bundled Linux plugin)" \
    env LD_LIBRARY_PATH="$package/Plugins/Linux/x86_64" mono "$work/unity/sessions.exe")

# --- Unreal: the drift guard on the unpacked plugin, and the libraries with their recorded
# system libraries, as GameyeLibrary.Build.cs links them.
unpack_zip unreal "gameye-unreal-$version.zip"
plugin="$work/unreal/Gameye"
third="$plugin/Source/ThirdParty/GameyeLibrary"
for file in Linux/libgameye.a Linux/libgameye.so.$major Linux/native-static-libs.txt \
    LinuxArm64/libgameye.a LinuxArm64/libgameye.so.$major LinuxArm64/native-static-libs.txt \
    Win64/gameye.dll Win64/gameye.dll.debug Win64/gameye.lib; do
    [[ -s "$third/lib/$file" ]] || fail "Unreal plugin: lib/$file is missing"
done
for file in Resources/Icon128.png Config/FilterPlugin.ini LICENSE-MIT LICENSE-APACHE THIRD-PARTY-NOTICES.md; do
    [[ -s "$plugin/$file" ]] || fail "Unreal plugin: $file is missing"
done
! grep -q PlatformAllowList "$plugin/Gameye.uplugin" || fail "Unreal plugin: the .uplugin has a platform allow-list"
python3 tests/unreal/drift_guard.py --plugin "$plugin"
static_globals "Unreal Linux libgameye.a" readelf "$third/lib/Linux/libgameye.a"
static_globals "Unreal LinuxArm64 libgameye.a" aarch64-linux-gnu-readelf "$third/lib/LinuxArm64/libgameye.a"
g++ -std=c++20 -fno-exceptions -Wall -Wextra -Werror -I"$third/include" "$app/matchmaker.cpp" \
    "$third/lib/Linux/libgameye.a" $(cat "$third/lib/Linux/native-static-libs.txt") -o "$work/unreal/matchmaker"
expect_run "Unreal Linux static library (recorded system libraries)" "$work/unreal/matchmaker"
aarch64-linux-gnu-g++ -std=c++20 -fno-exceptions -Wall -Wextra -Werror -I"$third/include" "$app/matchmaker.cpp" \
    "$third/lib/LinuxArm64/libgameye.a" $(cat "$third/lib/LinuxArm64/native-static-libs.txt") \
    -o "$work/unreal/matchmaker_arm64"
expect_run "Unreal LinuxArm64 static library (qemu)" "${qemu[@]}" "$work/unreal/matchmaker_arm64"

say "passed"

