//! What the emulated account may run: locations (with capacity and pingable IPs) and images
//! (with tags and the container ports each exposes).

use serde::Deserialize;

/// A location (region).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// The location id, e.g. `"europe"`.
    pub id: String,
    /// How many sessions may run here at once; a start past it gets 420.
    #[serde(default = "default_capacity")]
    pub capacity: usize,
    /// Addresses to ping for latency; the first is also the sessions' host address.
    /// Loopback addresses by default, so latency probes work on a developer's machine.
    #[serde(default = "default_ips")]
    pub ips: Vec<String>,
}

/// An image (application).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// The image name, e.g. `"my-game"`.
    pub id: String,
    /// Its tags, highest priority first (the one a start without `version` runs).
    pub tags: Vec<String>,
    /// The container ports it exposes, e.g. `"7777/udp"`.
    pub ports: Vec<String>,
}

/// The whole catalogue. `gameye-mock --catalogue FILE` reads it as JSON.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The locations.
    pub locations: Vec<Location>,
    /// The images.
    pub images: Vec<Image>,
}

fn default_capacity() -> usize {
    100
}

fn default_ips() -> Vec<String> {
    vec!["127.0.0.1".into()]
}

impl Default for Catalogue {
    fn default() -> Catalogue {
        let location = |id: &str, ip: &str| Location {
            id: id.into(),
            capacity: default_capacity(),
            ips: vec![ip.into()],
        };
        let image = |id: &str, tags: &[&str], ports: &[&str]| Image {
            id: id.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ports: ports.iter().map(|p| p.to_string()).collect(),
        };
        Catalogue {
            locations: vec![
                location("europe", "127.0.0.1"),
                location("north-america", "127.0.0.2"),
                location("asia", "127.0.0.3"),
            ],
            images: vec![
                image("nginx", &["latest", "1.25"], &["80/tcp"]),
                image(
                    "my-game",
                    &["1.1.0", "1.0.0", "latest"],
                    &["7777/udp", "7778/tcp"],
                ),
            ],
        }
    }
}

impl Catalogue {
    /// The location named `id`.
    pub fn location(&self, id: &str) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }

    /// The image named `id`.
    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.id == id)
    }

    /// Checks what JSON cannot: every location has an address, every image a tag.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(l) = self.locations.iter().find(|l| l.ips.is_empty()) {
            return Err(format!("location {} has no ips", l.id));
        }
        if let Some(i) = self.images.iter().find(|i| i.tags.is_empty()) {
            return Err(format!("image {} has no tags", i.id));
        }
        Ok(())
    }
}
