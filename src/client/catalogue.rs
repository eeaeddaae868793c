//! Available locations and image tags.

use ureq::http::Method;

use super::{path_with, push_segment, Connection, Error, Payload};
use crate::model::{LocationList, TagAnswer};

impl Connection {
    /// The locations that can host `image` now, with addresses to ping for latency
    /// (`GET /available-location/{image}`). Do not cache the answer: it changes.
    pub(crate) fn available_locations(&self, image: &str) -> Result<LocationList, Error> {
        let path = path_with("/available-location/", image, "the image")?;
        self.call_json(Method::GET, &path, Payload::None, "the available locations")
    }

    /// Whether `image:version` is available in `region` (`GET /tag/{region}/{image}/{version}`).
    pub(crate) fn tag_exists(
        &self,
        region: &str,
        image: &str,
        version: &str,
    ) -> Result<bool, Error> {
        let mut path = String::from("/tag/");
        push_segment(&mut path, region, "the region")?;
        path.push('/');
        push_segment(&mut path, image, "the image")?;
        path.push('/');
        push_segment(&mut path, version, "the version")?;
        let answer: TagAnswer =
            self.call_json(Method::GET, &path, Payload::None, "the tag answer")?;
        Ok(answer.exists)
    }
}
