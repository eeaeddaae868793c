#!/usr/bin/env bash
# Builds the library and runs the C example, then does the same with the `gameye` command-line
# tool: against the real API when GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN are set, else against
# the local emulator (gameye-mock).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh

cargo build --quiet --features mock,cli --lib --bin gameye-mock --bin gameye
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

# The same operations with the CLI (the C example above stopped its session).
location="${1:-europe}"
image="${2:-nginx}"
gameye=target/debug/gameye
echo
echo "The same with the command-line tool:"
echo "\$ gameye doctor"
$gameye doctor
echo "\$ gameye sessions start --location $location --image $image --label example=demo.sh"
id=$($gameye sessions start --location "$location" --image "$image" --label example=demo.sh -o json |
    sed -n 's/^  "id": "\(.*\)",$/\1/p')
echo "started $id"
echo "\$ gameye sessions list --filter example=demo.sh"
$gameye sessions list --filter example=demo.sh
echo "\$ gameye logs $id"
$gameye logs "$id"
echo "\$ gameye sessions stop $id"
$gameye sessions stop "$id"
