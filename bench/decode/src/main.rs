//! Decode-only: the same `GET /session` bodies decoded by this library and by the usual Rust JSON
//! readers, every field read (the tags and env maps decoded from the JSON held in the labels, as
//! the library does), timed and with the peak heap counted. Run by bench/run.py:
//!
//!     gameye-bench-decode FILE...   # one line per decoder and file
//!
//! Each line: `decoder=<name> sessions=<n> bytes=<len> median_ns=<t> peak_heap=<b> checksum=<c>`.
//! The checksums of one file must agree (run.py checks): every decoder read the same data.
//!
//! Every decoder starts from the body already in a `Vec<u8>` of its own, made before the clock
//! and the heap count start (as a client has it after reading the response): the library decodes
//! in that buffer and keeps it, simd-json parses in it, serde_json reads it. The peak heap is what
//! the decode adds on top. "reusing its vectors" is the library in steady state (a client whose
//! previous list was freed): its time includes copying the body into its kept buffer.

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Deserialize;

/// Counts the bytes in use and their peak (the benchmark is single-threaded).
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grow(new_size - layout.size());
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What every reader adds up, field by field, the same way for every decoder.
#[derive(Default)]
struct Sum(u64);

impl Sum {
    fn text(&mut self, text: Option<&str>) {
        self.0 = self.0.wrapping_add(text.map_or(0, |t| t.len() as u64));
    }
    fn number(&mut self, n: u64) {
        self.0 = self.0.wrapping_add(n);
    }
    fn session(&mut self, created: i64, player_count: Option<i64>) {
        self.number((created % 1000) as u64);
        self.number(player_count.unwrap_or(-1) as u64);
    }
    /// A port named "<container>/<protocol>" mapped to `host`.
    fn port(&mut self, name: &str, host: u16) {
        let (container, protocol) = name.split_once('/').unwrap_or((name, ""));
        let protocol = matches!(protocol, "tcp" | "udp").then_some(protocol);
        self.number(container.parse::<u64>().unwrap_or(0) + u64::from(host) + name.len() as u64);
        self.text(protocol);
    }
}

fn read_gameye(list: &gameye::SessionList) -> u64 {
    let mut sum = Sum::default();
    for s in list {
        for text in [
            Some(s.id()),
            Some(s.image()),
            s.tag(),
            Some(s.location()),
            Some(s.host()),
            s.status(),
        ] {
            sum.text(text);
        }
        sum.session(s.created(), s.player_count());
        for port in s.ports() {
            sum.port(port.name(), port.host());
        }
        for (key, value) in s.tags().iter().chain(s.env().iter()) {
            sum.number((key.len() + value.len()) as u64);
        }
    }
    sum.0
}

#[derive(Deserialize)]
struct ListOwned {
    sessions: Vec<SessionOwned>,
}

#[derive(Deserialize)]
struct SessionOwned {
    id: String,
    image: String,
    tag: Option<String>,
    location: String,
    host: String,
    created: i64,
    status: Option<String>,
    #[serde(rename = "playerCount")]
    player_count: Option<i64>,
    #[serde(default)]
    port: HashMap<String, u16>,
    #[serde(default)]
    labels: HashMap<String, String>,
}

#[derive(Deserialize)]
struct ListBorrowed<'a> {
    #[serde(borrow)]
    sessions: Vec<SessionBorrowed<'a>>,
}

#[derive(Deserialize)]
struct SessionBorrowed<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    image: Cow<'a, str>,
    #[serde(borrow)]
    tag: Option<Cow<'a, str>>,
    #[serde(borrow)]
    location: Cow<'a, str>,
    #[serde(borrow)]
    host: Cow<'a, str>,
    created: i64,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(rename = "playerCount")]
    player_count: Option<i64>,
    #[serde(default, borrow)]
    port: HashMap<Cow<'a, str>, u16>,
    #[serde(default, borrow)]
    labels: HashMap<Cow<'a, str>, Cow<'a, str>>,
}

/// The fields of an owned or borrowed session, read the same way.
#[allow(clippy::too_many_arguments)]
fn read_fields<'s>(
    sum: &mut Sum,
    texts: [Option<&str>; 6],
    created: i64,
    player_count: Option<i64>,
    ports: impl Iterator<Item = (&'s str, u16)>,
) {
    for text in texts {
        sum.text(text);
    }
    sum.session(created, player_count);
    for (name, host) in ports {
        sum.port(name, host);
    }
}

fn map_sum<'a>(map: impl Iterator<Item = (&'a str, &'a str)>) -> u64 {
    map.map(|(k, v)| (k.len() + v.len()) as u64).sum()
}

/// Reads an owned list, its tags and env maps parsed by `map` (serde_json's or simd-json's).
fn read_owned(list: &ListOwned, map: impl Fn(&str) -> HashMap<String, String>) -> u64 {
    let mut sum = Sum::default();
    for s in &list.sessions {
        let texts = [
            Some(&*s.id),
            Some(&*s.image),
            s.tag.as_deref(),
            Some(&*s.location),
            Some(&*s.host),
            s.status.as_deref(),
        ];
        read_fields(
            &mut sum,
            texts,
            s.created,
            s.player_count,
            s.port.iter().map(|(k, v)| (k.as_str(), *v)),
        );
        for label in ["tags", "env"] {
            if let Some(json) = s.labels.get(label) {
                sum.number(map_sum(
                    map(json).iter().map(|(k, v)| (k.as_str(), v.as_str())),
                ));
            }
        }
    }
    sum.0
}

fn serde_owned(body: Vec<u8>) -> u64 {
    let list: ListOwned = serde_json::from_slice(&body).unwrap();
    read_owned(&list, |json| serde_json::from_str(json).unwrap_or_default())
}

fn serde_borrowed(body: Vec<u8>) -> u64 {
    let list: ListBorrowed<'_> = serde_json::from_slice(&body).unwrap();
    let mut sum = Sum::default();
    for s in &list.sessions {
        let texts = [
            Some(&*s.id),
            Some(&*s.image),
            s.tag.as_deref(),
            Some(&*s.location),
            Some(&*s.host),
            s.status.as_deref(),
        ];
        read_fields(
            &mut sum,
            texts,
            s.created,
            s.player_count,
            s.port.iter().map(|(k, v)| (&**k, *v)),
        );
        for label in ["tags", "env"] {
            if let Some(json) = s.labels.get(label) {
                let map: HashMap<Cow<'_, str>, Cow<'_, str>> =
                    serde_json::from_str(json).unwrap_or_default();
                sum.number(map_sum(map.iter().map(|(k, v)| (&**k, &**v))));
            }
        }
    }
    sum.0
}

fn simd_owned(mut body: Vec<u8>) -> u64 {
    // simd-json parses in place, in the body's own buffer.
    let list: ListOwned = simd_json::serde::from_slice(&mut body).unwrap();
    read_owned(&list, |json| {
        let mut bytes = json.as_bytes().to_vec();
        simd_json::serde::from_slice(&mut bytes).unwrap_or_default()
    })
}

/// A decoder's name, and the decode of one body that reads every field into a checksum.
type Contender<'a> = (&'static str, &'a mut dyn FnMut(Vec<u8>) -> u64);

/// Times `decode` over copies of `body`: (median ns, peak heap above what was in use before,
/// checksum).
fn measure(
    body: &[u8],
    iterations: usize,
    mut decode: impl FnMut(Vec<u8>) -> u64,
) -> (u64, usize, u64) {
    let checksum = decode(body.to_vec()); // warm-up
    let mut samples = Vec::with_capacity(iterations);
    let mut peak = 0;
    for _ in 0..iterations {
        let copy = body.to_vec();
        let before = CURRENT.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let sum = std::hint::black_box(decode(std::hint::black_box(copy)));
        samples.push(start.elapsed().as_nanos() as u64);
        peak = peak.max(PEAK.load(Ordering::Relaxed) - before);
        assert_eq!(sum, checksum);
    }
    samples.sort_unstable();
    (samples[samples.len() / 2], peak, checksum)
}

fn main() {
    let reusing = gameye::model::decoders::ReusingDecoder::default();
    for path in std::env::args().skip(1) {
        let body = std::fs::read(&path).unwrap();
        let sessions = gameye::model::decoders::decode_session_list(body.clone())
            .unwrap()
            .len();
        let iterations = std::env::var("BENCH_ITERATIONS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or((20_000 / (sessions + 10)).clamp(15, 2_000));
        // BENCH_DECODERS=gameye,... runs only those (for a profiler).
        let only = std::env::var("BENCH_DECODERS").ok();
        let decoders: [Contender<'_>; 5] = [
            ("gameye", &mut |b| {
                read_gameye(&gameye::model::decoders::decode_session_list(b).unwrap())
            }),
            ("gameye, reusing its vectors", &mut |b| {
                read_gameye(&reusing.decode(&b).unwrap())
            }),
            ("serde_json, owned", &mut serde_owned),
            ("serde_json, borrowing", &mut serde_borrowed),
            ("simd-json, owned", &mut simd_owned),
        ];
        for (name, decode) in decoders {
            if only
                .as_deref()
                .is_some_and(|only| !only.split(',').any(|o| o == name))
            {
                continue;
            }
            let (median, peak, checksum) = measure(&body, iterations, decode);
            println!(
                "decoder={} sessions={sessions} bytes={} median_ns={median} peak_heap={peak} checksum={checksum}",
                name.replace(' ', "_"),
                body.len()
            );
        }
    }
}
