//! `gameye_get_available_locations`, `gameye_location_list`, `gameye_location` and
//! `gameye_tag_exists`.

use std::ffi::c_char;
use std::ptr;

use super::boundary::{self, gameye_status, Out, OutValue};
use crate::client::{Client, Error};
use crate::model::{Location, LocationList, StringList};

/// The locations that can host `image` now, each with IPv4 addresses to ping for latency
/// (GET /available-location/{image}; scope regions:read). Do not cache the answer: it changes.
///
/// On success `*out_list` receives a list the caller frees with gameye_location_list_free; on
/// failure it is set to NULL. `out_error` may be NULL.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, bad UTF-8, an image that is empty, "." or
/// ".."); _NOT_FOUND (the image does not exist or the token may not use it: 404); _UNAUTHORIZED,
/// _FORBIDDEN, _TRANSPORT, _TIMEOUT, _DECODE, _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_get_available_locations(
    client: *const Client,
    image: *const c_char,
    out_list: *mut *mut LocationList,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_list, "out_list")?;
        let client = boundary::handle(client, "client")?;
        out.write(client.available_locations(boundary::string(image, "image")?)?);
        Ok(())
    })
}

/// The number of locations; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_location_list_len(list: *const LocationList) -> usize {
    boundary::read(list, 0, LocationList::len)
}

/// The location at `index`; NULL when out of range. Borrowed from the list: valid until
/// gameye_location_list_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_location_list_get(
    list: *const LocationList,
    index: usize,
) -> *const Location {
    boundary::read(list, ptr::null(), |l| {
        boundary::element(l.as_slice(), index)
    })
}

/// Frees a location list and everything borrowed from it. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_location_list_free(list: *mut LocationList) {
    boundary::free(list);
}

/// The location id, e.g. "europe": pass it to gameye_start_options_set_location. Borrowed from
/// the list. NULL only for NULL.
#[no_mangle]
pub extern "C" fn gameye_location_id(location: *const Location) -> *const c_char {
    boundary::read(location, ptr::null(), |l| l.id.as_c_ptr())
}

/// The addresses to ping for this location. Never NULL for a non-NULL location. Borrowed from
/// the list.
#[no_mangle]
pub extern "C" fn gameye_location_ips(location: *const Location) -> *const StringList {
    boundary::read(location, ptr::null(), |l| &l.ips as *const StringList)
}

/// Whether the image tag `version` of `image` is available in `region`
/// (GET /tag/{region}/{image}/{version}; scope regions:read). Check before a start that pins a
/// version.
///
/// `*out_exists` receives the answer (false on failure). `out_error` may be NULL.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, bad UTF-8, a string that is empty, "." or
/// ".."); _INVALID_REQUEST (400, e.g. an unknown region); _NOT_FOUND (unknown image: 404);
/// _UNAUTHORIZED, _FORBIDDEN, _TRANSPORT, _TIMEOUT, _DECODE, _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_tag_exists(
    client: *const Client,
    region: *const c_char,
    image: *const c_char,
    version: *const c_char,
    out_exists: *mut bool,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = OutValue::new(out_exists, "out_exists", false)?;
        let client = boundary::handle(client, "client")?;
        let exists = client.tag_exists(
            boundary::string(region, "region")?,
            boundary::string(image, "image")?,
            boundary::string(version, "version")?,
        )?;
        out.write(exists);
        Ok(())
    })
}
