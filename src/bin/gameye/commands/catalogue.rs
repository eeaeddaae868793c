//! `gameye locations IMAGE` and `gameye tag exists REGION IMAGE VERSION`.

use gameye::Client;
use serde_json::{json, Value};

use crate::cli::Format;
use crate::failure::Failure;
use crate::render;

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
    let mut table = render::table(&["LOCATION", "IPS"]);
    for location in locations.iter() {
        table.add_row([
            location.id.to_string(),
            location.ips.iter().collect::<Vec<_>>().join(", "),
        ]);
    }
    if locations.is_empty() {
        eprintln!("no location can host {image} now");
    } else {
        println!("{table}");
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
        println!(
            "{image}:{version} {} in {region}",
            if exists { "exists" } else { "does not exist" }
        );
    }
    Ok(exists)
}
