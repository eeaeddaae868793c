//! Contender (c): the Rust API directly (what the C ABI costs on top of it).
//! Usage: bench_rust BASE_URL list|describe|concurrent ITERATIONS

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
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
        samples.sort_unstable();
        let joined: Vec<String> = samples.iter().map(u64::to_string).collect();
        println!("checksum={checksum} samples={}", joined.join(","));
        return;
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
    samples.sort_unstable();
    let joined: Vec<String> = samples.iter().map(u64::to_string).collect();
    println!("checksum={checksum} samples={}", joined.join(","));
}
