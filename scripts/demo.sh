#!/usr/bin/env bash
# Builds the library and runs the C example: against the real API when GAMEYE_API_ENDPOINT and
# GAMEYE_API_TOKEN are set, else against the local emulator (gameye-mock).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh

cargo build --quiet --features mock --lib --bin gameye-mock
mkdir -p target/examples
# shellcheck disable=SC2086
gcc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/sessions.c target/debug/libgameye.a \
    $NATIVE_LIBS -o target/examples/sessions

if [[ -n "${GAMEYE_API_ENDPOINT:-}" && -n "${GAMEYE_API_TOKEN:-}" ]]; then
    echo "Using the real API at $GAMEYE_API_ENDPOINT"
    target/examples/sessions "$@"
else
    start_emulator demo-token
    echo "Using the local emulator at $GAMEYE_API_ENDPOINT (set GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN for the real API)"
    target/examples/sessions "$@"
fi
