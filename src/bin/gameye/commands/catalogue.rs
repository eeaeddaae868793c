//! `gameye locations IMAGE` and `gameye tag exists REGION IMAGE VERSION`.

use gameye::Client;
use serde_json::{json, Value};

use crate::cli::Format;
use crate::failure::Failure;
use crate::output::escape;
use crate::render;
use crate::table::{Fit, Table};
use crate::{errln, outln};

pub fn locations(client: &Client, image: &str, format: Format) -> Result<(), Failure> {
    let locations = client.available_locations(image)?;
    if format == Format::Json {
        let list = locations
            .iter()
            .map(|l| json!({"id": &*l.id, "ips": l.ips.iter().collect::<Vec<_>>()}))
            .collect();
        render::print_json(&Value::Array(list));
        return Ok(());
    }
    if format == Format::Name {
        for location in locations.iter() {
            outln!("{}", escape(&location.id));
        }
        return Ok(());
    }
    let mut table = Table::new(&[("LOCATION", Fit::Keep), ("IPS", Fit::Shrink)]);
    for location in locations.iter() {
        table.row([
            location.id.to_string(),
            location.ips.iter().collect::<Vec<_>>().join(", "),
        ]);
    }
    if table.is_empty() {
        errln!("no location can host {} now", escape(image));
    } else {
        table.print();
    }
    Ok(())
}

/// Whether the tag exists; the caller turns `false` into exit status 1.
pub fn tag_exists(
    client: &Client,
    region: &str,
    image: &str,
    version: &str,
    format: Format,
) -> Result<bool, Failure> {
    let exists = client.tag_exists(region, image, version)?;
    if format == Format::Json {
        render::print_json(
            &json!({"region": region, "image": image, "version": version, "exists": exists}),
        );
    } else {
        outln!(
            "{}:{} {} in {}",
            escape(image),
            escape(version),
            if exists { "exists" } else { "does not exist" },
            escape(region)
        );
    }
    Ok(exists)
}
