#!/usr/bin/env bash
# Checks a Linux x86_64 C/C++ SDK archive using only the unpacked archive (never the
# repository's paths): the glibc floor (2.17), the SONAME, only gameye_* exported, and consumers
# built through CMake (shared and static) and through pkg-config, each running the C example
# (and the C++ example through CMake) against the emulator.
#
#   scripts/check-sdk.sh dist/gameye-<version>-linux-x86_64.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
archive="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"; [[ -n "${EMULATOR_PID:-}" ]] && kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
tar -C "$work" -xzf "$archive"
sdk="$(echo "$work"/gameye-*)"
so="$(echo "$sdk"/lib/libgameye.so.*)"
fail() { echo "check-sdk.sh: $*" >&2; exit 1; }

# glibc floor: no symbol version above GLIBC_2.17.
newest=$(objdump -T "$so" | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -n 1)
[[ "$(printf '%s\n%s\n' "$newest" GLIBC_2.17 | sort -V | tail -n 1)" == GLIBC_2.17 ]] ||
    fail "$so needs $newest, above the GLIBC_2.17 floor"
readelf -d "$so" | grep -q "SONAME.*\[$(basename "$so")\]" || fail "no SONAME $(basename "$so")"
others=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^gameye_' || true)
[[ -z "$others" ]] || fail "exports more than gameye_*: $others"
echo "check-sdk.sh: $(basename "$so"): newest glibc $newest, SONAME set, only gameye_* exported"

# The consumers: the examples, copied out, built against the unpacked SDK only.
mkdir -p "$work/app"
cp examples/c/sessions.c examples/cpp/matchmaker.cpp "$work/app/"
cat >"$work/app/CMakeLists.txt" <<'CMAKE'
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
cmake -S "$work/app" -B "$work/build" -DCMAKE_PREFIX_PATH="$sdk" >/dev/null
cmake --build "$work/build" >/dev/null
PKG_CONFIG_PATH="$sdk/lib/pkgconfig" gcc -std=c11 -Wall -Wextra -Werror "$work/app/sessions.c" \
    $(PKG_CONFIG_PATH="$sdk/lib/pkgconfig" pkg-config --cflags --libs gameye) -o "$work/sessions_pc"

source scripts/emulator.sh
start_emulator sdk-check-token
for program in "$work/build/sessions_shared" "$work/build/sessions_static" "$work/build/matchmaker" "$work/sessions_pc"; do
    LD_LIBRARY_PATH="$sdk/lib" "$program" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "$program failed"; }
    grep -q "^stopped " "$work/out.txt" || { cat "$work/out.txt"; fail "$program printed nothing expected"; }
    echo "check-sdk.sh: $(basename "$program") ran against the emulator"
done
echo "check-sdk.sh: passed"
