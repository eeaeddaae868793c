# Sourced by the scripts: starts the emulator in the background and exports its URL.
# start_emulator TOKEN [ARGS...]  -> sets GAMEYE_API_ENDPOINT, GAMEYE_API_TOKEN; stops on exit.

start_emulator() {
    local token="$1"
    shift
    EMULATOR_OUT="$(mktemp)"
    target/debug/gameye-mock --port 0 --token "$token" "$@" >"$EMULATOR_OUT" &
    EMULATOR_PID=$!
    trap 'kill "$EMULATOR_PID" 2>/dev/null; rm -f "$EMULATOR_OUT"' EXIT
    for _ in $(seq 1 100); do
        if grep -q '^listening on ' "$EMULATOR_OUT"; then
            GAMEYE_API_ENDPOINT="$(sed -n 's/^listening on //p' "$EMULATOR_OUT")"
            GAMEYE_API_TOKEN="$token"
            export GAMEYE_API_ENDPOINT GAMEYE_API_TOKEN
            return 0
        fi
        sleep 0.1
    done
    echo "the emulator did not start" >&2
    return 1
}

# The system libraries a Rust static library needs when linked into a C program on Linux.
NATIVE_LIBS="-lpthread -ldl -lm -lrt"
