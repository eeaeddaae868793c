#!/usr/bin/env bash
# Fuzzes every response decoder (fuzz/fuzz_targets) for SECONDS each (default 60) with cargo-fuzz
# on the nightly toolchain. Each target starts from its seeds (fuzz/seeds/<target>) and keeps what
# it finds in target/fuzz-corpus/<target>, so later runs go on from there. Prints one line per
# target: executions, corpus entries, result. A crash fails the script; libFuzzer's reproducer is
# in fuzz/artifacts/<target>/ (turn it into a regression test in src/model/decoders.rs).
#
#   scripts/fuzz.sh 300        # five minutes per target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
root="$(pwd)"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz.sh: the nightly toolchain is missing: rustup toolchain install nightly" >&2
    exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
    exit 1
fi

targets=$(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' fuzz/Cargo.toml | grep -vx gameye-fuzz)
mkdir -p target/fuzz-logs
# One build of every target (release, with the sanitizer), shared by the runs below.
cargo +nightly fuzz build --release >target/fuzz-logs/build.log 2>&1 || {
    tail -n 30 target/fuzz-logs/build.log >&2
    exit 1
}
status=0
for target in $targets; do
    corpus="$root/target/fuzz-corpus/$target"
    log="$root/target/fuzz-logs/$target.log"
    mkdir -p "$corpus"
    cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    if cargo +nightly fuzz run --release "$target" "$corpus" -- \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        >"$log" 2>&1; then
        result=ok
    else
        result="CRASH (see $log and fuzz/artifacts/$target/)"
        status=1
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    entries=$(find "$corpus" -type f | wc -l)
    printf '%-13s %12s executions %6s corpus entries  %s\n' \
        "$target" "${executions:-?}" "$entries" "$result"
done
exit "$status"
