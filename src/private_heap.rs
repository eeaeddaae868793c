//! The private heap of the C builds (feature `private-heap`): every allocation the library makes
//! comes from a mimalloc heap of its own instead of the host's `malloc`.
//!
//! Why: glibc consolidates its fastbins whenever a free coalesces into a chunk of 64 KiB or more.
//! In a busy host (a game server or a matchmaker that has just freed many small blocks of its
//! own) the library's next such free paid for consolidating the host's chunks: a 10,000-session
//! list took about 1.4× as long interleaved with cJSON work as alone (BENCHMARKS.md, "A busy
//! process"). On a heap of its own, the library's frees never touch the host's bins, nor the host's
//! frees ours.
//!
//! Why mimalloc: it is well kept, has per-thread heaps (the library's workers and callers'
//! threads never queue on one lock, as a pure-Rust dlmalloc would make them) and is one C file.
//! It is built with `local_dynamic_tls` because the shared library is loaded by `dlopen` (Unity's
//! P/Invoke, plugins); initial-exec TLS in a late-loaded library can exhaust the static TLS block.
//! Which mimalloc (v2) and why it gives no huge-page advice: the comment on the dependency in
//! `Cargo.toml`.
//!
//! Scope: only the release C libraries enable it (`scripts/package.sh`, Linux only: the problem
//! is glibc's, and only the Linux static libraries are localized so that none of mimalloc's
//! symbols is visible to the host; see the README's "Memory" notes). A Rust program that depends
//! on this crate never gets it: the feature is off by default, so its `#[global_allocator]` stays
//! the program's own choice.

/// The library's allocator in the C builds (see the module docs).
#[global_allocator]
static HEAP: mimalloc::MiMalloc = mimalloc::MiMalloc;
