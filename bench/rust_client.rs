//! Contender (c): the Rust API directly (what the C ABI costs on top of it); and (e), the floor:
//! the same list exchange on a kept-alive connection (ureq, the library's transport), its body
//! read into a reused buffer and not decoded.
//! Usage: bench_rust BASE_URL list|describe|concurrent|floor ITERATIONS

use std::io::Read;
use std::time::Instant;

use gameye::client::RetryPolicy;
use gameye::{Client, ClientConfig, ListOptions, Session};

fn read_session(s: &Session) -> u64 {
    let len = |text: Option<&str>| text.map_or(0, |t| t.len() as u64);
    let mut sum = len(Some(s.id()))
        + len(Some(s.image()))
        + len(s.tag())
        + len(Some(s.location()))
        + len(Some(s.host()))
        + len(s.status())
        + (s.created() % 1000) as u64
        + s.player_count().unwrap_or(-1) as u64;
    for port in s.ports() {
        sum += port.container() as u64
            + port.host() as u64
            + port.name().len() as u64
            + port.protocol().map_or(0, |p| p.name().len() as u64);
    }
    for (key, value) in s.tags().iter().chain(s.env().iter()) {
        sum += (key.len() + value.len()) as u64;
    }
    sum
}

/// Prints the samples (sorted) and checksum for the orchestrator.
fn report(mut samples: Vec<u64>, checksum: u64) {
    samples.sort_unstable();
    let joined: Vec<String> = samples.iter().map(u64::to_string).collect();
    println!("checksum={checksum} samples={}", joined.join(","));
}

/// (e): receiving the list without decoding it. Its checksum is the body's length.
fn floor(base: &str, iterations: usize) {
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let url = format!("{base}/session");
    let mut body = Vec::new();
    let mut samples = Vec::with_capacity(iterations);
    for i in 0..=iterations {
        let start = Instant::now();
        body.clear();
        let mut response = agent
            .get(&url)
            .header("Authorization", "Bearer bench")
            .call()
            .unwrap();
        let reader = response.body_mut().with_config().limit(u64::MAX).reader();
        reader.take(u64::MAX).read_to_end(&mut body).unwrap();
        if i > 0 {
            samples.push(start.elapsed().as_nanos() as u64);
        }
    }
    report(samples, body.len() as u64);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args[2] == "floor" {
        return floor(&args[1], args[3].parse().unwrap());
    }
    let describe = args[2] == "describe";
    let iterations: usize = args[3].parse().unwrap();
    let mut config = ClientConfig::new();
    config
        .set_base_url(&args[1])
        .unwrap()
        .set_token("bench")
        .unwrap();
    config.set_retry(RetryPolicy::NONE).unwrap();
    config.set_worker_threads(8).unwrap();
    let client = Client::new(&config).unwrap();
    let options = ListOptions::new();
    let mut samples = Vec::with_capacity(iterations);
    let mut checksum = 0;
    if args[2] == "concurrent" {
        // 64 non-blocking lists per batch, delivered by polling.
        for i in 0..=iterations {
            let start = Instant::now();
            let total = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            for _ in 0..64 {
                let (total, done) = (total.clone(), done.clone());
                client
                    .list_sessions_async(&options, move |list| {
                        let sum = list
                            .unwrap()
                            .iter()
                            .map(read_session)
                            .fold(0u64, u64::wrapping_add);
                        total.fetch_add(sum, std::sync::atomic::Ordering::Relaxed);
                        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    })
                    .unwrap();
            }
            while done.load(std::sync::atomic::Ordering::Relaxed) < 64 {
                client.wait(std::time::Duration::from_secs(1));
                client.poll(0);
            }
            if i > 0 {
                samples.push(start.elapsed().as_nanos() as u64);
                checksum = total.load(std::sync::atomic::Ordering::Relaxed);
            }
        }
        return report(samples, checksum);
    }
    for i in 0..=iterations {
        let start = Instant::now();
        let sum = if describe {
            read_session(&client.describe_session("bench-describe").unwrap())
        } else {
            client
                .list_sessions(&options)
                .unwrap()
                .iter()
                .map(read_session)
                .fold(0u64, u64::wrapping_add)
        };
        if i > 0 {
            samples.push(start.elapsed().as_nanos() as u64);
            checksum = sum;
        }
    }
    report(samples, checksum);
}
