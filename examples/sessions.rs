//! Start a session, list the running ones, describe it and stop it, with the Rust API.
//!
//! Configuration comes from the environment: GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN.
//! Usage: cargo run --example sessions [-- LOCATION IMAGE]   (default: europe nginx)

use gameye::{Client, ListOptions, StartOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (location, image) = match args.as_slice() {
        [location, image, ..] => (location.as_str(), image.as_str()),
        _ => ("europe", "nginx"),
    };
    let client = Client::from_env()?;
    let mut options = StartOptions::for_image(location, image)?;
    options
        .set_label("example", "sessions.rs")?
        .set_ttl("10m")?;
    let started = client.start_session(&options)?;
    println!("started {} on {}", started.id, started.host);

    let result = (|| -> Result<(), gameye::Error> {
        let list = client.list_sessions(&ListOptions::new())?;
        println!("{} running session(s):", list.len());
        for session in &list {
            println!(
                "  {} {}:{} in {}",
                session.id(),
                session.image(),
                session.tag().unwrap_or("?"),
                session.location()
            );
            for port in session.ports() {
                println!(
                    "    port {:<9} -> {}:{}",
                    port.name(),
                    session.host(),
                    port.host()
                );
            }
        }
        let described = client.describe_session(&started.id)?;
        let players = described.players().map_or(0, |p| p.joined.len());
        println!(
            "described {}: status {:?}, {players} joined player(s)",
            described.id(),
            described.status()
        );
        Ok(())
    })();
    client.stop_session(&started.id)?;
    println!("stopped {}", started.id);
    Ok(result?)
}
