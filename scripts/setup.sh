#!/usr/bin/env bash
# The one place that knows what the tests need from the system, and installs what is missing.
# Idempotent, and quick when everything is there (it only looks). Called by scripts/test.sh and
# .ci/run; run it by hand to prepare a machine.
#
#   scripts/setup.sh          what scripts/test.sh needs
#   scripts/setup.sh fuzz     also what scripts/fuzz.sh needs (nightly Rust, cargo-fuzz)
#
# What it installs, when missing:
#   Debian packages  gcc, g++ (the C and C++ suites), tar (artifact checks), openssl (the TLS
#                    test makes its certificates with it), valgrind (memcheck runs of the C
#                    suites), cmake (the C++ package test), clang-format (the C++ style check),
#                    mono-devel and nunit-console (the C# binding's tests), doxygen (the C API
#                    reference)
#   Rust components  rustfmt, clippy
#   for package      pkg-config, binutils and llvm (reading the libraries), the MinGW-w64 and
#                    aarch64 cross compilers (with the arm64 libc), qemu-user and wine64 (to run
#                    the arm64 and Windows builds) (Debian); ziglang and cargo-zigbuild (PyPI:
#                    builds against an old glibc, and for macOS); the Rust targets of the bundles
#   for fuzz         the nightly toolchain (minimal profile, with rustfmt) and cargo-fuzz (from
#                    crates.io)
#
# When a step needs root or the network and cannot have it, it stops with the exact command to
# run instead, and a non-zero status.
set -euo pipefail

want_fuzz=0
want_package=0
for arg in "$@"; do
    case "$arg" in
        fuzz) want_fuzz=1 ;;
        package) want_package=1 ;;
        *) echo "setup.sh: unknown argument $arg (use: setup.sh [fuzz] [package])" >&2; exit 2 ;;
    esac
done

fail() {
    printf 'setup.sh: %s\n' "$1" >&2
    printf 'setup.sh: run this, then try again:\n    %s\n' "$2" >&2
    exit 1
}

# --- Debian packages: command -> package.
packages=()
need_package() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need_package gcc gcc
need_package g++ g++
need_package tar tar
need_package openssl openssl
need_package valgrind valgrind
need_package cmake cmake
need_package clang-format clang-format
need_package mcs mono-devel
need_package nunit-console nunit-console
need_package doxygen doxygen
if ((want_package)); then
    need_package pkg-config pkg-config
    need_package objdump binutils
    need_package llvm-nm llvm
    need_package x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
    need_package aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
    need_package aarch64-linux-gnu-g++ g++-aarch64-linux-gnu
    [[ -e /usr/aarch64-linux-gnu/include/stdio.h ]] || packages+=(libc6-dev-arm64-cross)
    need_package qemu-aarch64 qemu-user
    [[ -x /usr/lib/wine/wine64 ]] || packages+=(wine64)
fi

if ((${#packages[@]})); then
    install="apt-get install -y --no-install-recommends ${packages[*]}"
    if [[ $(id -u) -eq 0 ]]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo)
    else
        fail "missing Debian packages (${packages[*]}), and installing them needs root." \
            "sudo apt-get update && sudo $install"
    fi
    echo "setup.sh: installing ${packages[*]} (the first time takes a few minutes)"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get update -qq >/dev/null ||
        ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; then
        fail "could not install ${packages[*]} (no network, or no Debian mirror reachable)." \
            "sudo apt-get update && sudo $install"
    fi
fi

# --- Rust components of the stable toolchain.
need_component() {
    if ! cargo "$1" --version >/dev/null 2>&1; then
        rustup component add "$2" >/dev/null 2>&1 ||
            fail "cargo $1 is missing and rustup could not add it." "rustup component add $2"
    fi
}
command -v cargo >/dev/null 2>&1 ||
    fail "Rust is not installed." "curl https://sh.rustup.rs -sSf | sh   (then open a new shell)"
need_component fmt rustfmt
need_component clippy clippy

# --- Fuzzing: nightly Rust and cargo-fuzz.
if ((want_fuzz)); then
    if ! cargo +nightly --version >/dev/null 2>&1; then
        echo "setup.sh: installing the nightly toolchain"
        rustup toolchain install nightly --profile minimal --component rustfmt >/dev/null 2>&1 ||
            fail "the nightly toolchain is missing and could not be installed." \
                "rustup toolchain install nightly --profile minimal --component rustfmt"
    fi
    # Nightly's rustfmt checks that every line is formatted (error_on_line_overflow, unstable).
    if ! cargo +nightly fmt --version >/dev/null 2>&1; then
        rustup component add rustfmt --toolchain nightly >/dev/null 2>&1 ||
            fail "nightly rustfmt is missing." "rustup component add rustfmt --toolchain nightly"
    fi
    if ! cargo fuzz --version >/dev/null 2>&1; then
        echo "setup.sh: installing cargo-fuzz (builds from crates.io, about 3 minutes)"
        cargo install cargo-fuzz --locked --quiet ||
            fail "cargo-fuzz is missing and could not be installed." \
                "cargo install cargo-fuzz --locked"
    fi
fi

# --- Packaging: zig as the linker, for a glibc-2.17 floor.
if ((want_package)); then
    if ! command -v cargo-zigbuild >/dev/null 2>&1 || ! python3 -m ziglang version >/dev/null 2>&1; then
        echo "setup.sh: installing ziglang and cargo-zigbuild (PyPI)"
        python3 -m pip install --quiet ziglang cargo-zigbuild >/dev/null 2>&1 ||
            fail "ziglang and cargo-zigbuild are missing and pip could not install them." \
                "python3 -m pip install ziglang cargo-zigbuild"
    fi
    targets=(aarch64-unknown-linux-gnu x86_64-pc-windows-gnu x86_64-apple-darwin aarch64-apple-darwin)
    installed=$(rustup target list --installed)
    for target in "${targets[@]}"; do
        if ! grep -qx "$target" <<<"$installed"; then
            echo "setup.sh: adding the Rust target $target"
            rustup target add "$target" >/dev/null 2>&1 ||
                fail "the Rust target $target is missing and rustup could not add it." "rustup target add $target"
        fi
    done
fi
