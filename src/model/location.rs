//! The answer to `GET /available-location/{image}`.

use serde::Deserialize;

use super::collections::StringList;
use super::Text;

/// A location that can host an image now.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Location {
    /// The location id, e.g. `"europe"`: pass it as a start's location.
    pub id: Text,
    /// IPv4 addresses to ping to measure latency to this location.
    #[serde(default)]
    pub ips: StringList,
}

/// The locations of one response. Do not cache it: availability changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct LocationList {
    locations: Vec<Location>,
}

impl LocationList {
    /// The number of locations.
    pub fn len(&self) -> usize {
        self.locations.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.locations.is_empty()
    }

    /// The locations as a slice.
    pub fn as_slice(&self) -> &[Location] {
        &self.locations
    }

    /// The locations in the order the server sent them.
    pub fn iter(&self) -> std::slice::Iter<'_, Location> {
        self.locations.iter()
    }
}

/// The answer to `GET /tag/{region}/{image}/{version}`.
#[derive(Deserialize)]
pub(crate) struct TagAnswer {
    pub exists: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_locations() {
        let list: LocationList = serde_json::from_str(
            r#"{"locations":[{"id":"europe","ips":["1.2.3.4"]},{"id":"asia"}]}"#,
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            list.as_slice()[0].ips.iter().collect::<Vec<_>>(),
            vec!["1.2.3.4"]
        );
        assert!(list.as_slice()[1].ips.is_empty());
    }
}
