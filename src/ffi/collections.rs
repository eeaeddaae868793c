//! `gameye_port`, `gameye_string_map` and `gameye_string_list`: read-only views borrowed
//! from the handle that returned them.

use std::ffi::c_char;
use std::ptr;

use super::boundary;
use crate::model::{Port, StringList, StringMap, Text};

/// The port's name as the server sent it, e.g. "80/tcp". Borrowed from the owner of the port.
#[no_mangle]
pub extern "C" fn gameye_port_name(port: *const Port) -> *const c_char {
    boundary::read(port, ptr::null(), Port::c_name)
}

/// "tcp" or "udp"; NULL when the name has no known protocol. Static storage.
#[no_mangle]
pub extern "C" fn gameye_port_protocol(port: *const Port) -> *const c_char {
    boundary::read(port, ptr::null(), |p| {
        p.protocol()
            .map_or(ptr::null(), |proto| proto.c_name().as_ptr().cast())
    })
}

/// The container port (before the "/"); 0 when it is not a valid port number.
#[no_mangle]
pub extern "C" fn gameye_port_container(port: *const Port) -> u16 {
    boundary::read(port, 0, Port::container)
}

/// The host port players connect to; 0 when it is not a valid port number.
#[no_mangle]
pub extern "C" fn gameye_port_host(port: *const Port) -> u16 {
    boundary::read(port, 0, Port::host)
}

/// The number of entries; 0 for NULL.
#[no_mangle]
pub extern "C" fn gameye_string_map_len(map: *const StringMap) -> usize {
    boundary::read(map, 0, StringMap::len)
}

/// The key of entry `index` (in the order the server sent them); NULL when out of range.
/// Borrowed from the map's owner.
#[no_mangle]
pub extern "C" fn gameye_string_map_key(map: *const StringMap, index: usize) -> *const c_char {
    boundary::read(map, ptr::null(), |m| {
        m.entry_c(index).map_or(ptr::null(), |(k, _)| k)
    })
}

/// The value of entry `index`; NULL when out of range. Borrowed from the map's owner.
#[no_mangle]
pub extern "C" fn gameye_string_map_value(map: *const StringMap, index: usize) -> *const c_char {
    boundary::read(map, ptr::null(), |m| {
        m.entry_c(index).map_or(ptr::null(), |(_, v)| v)
    })
}

/// The value for `key` (exact, case-sensitive); NULL when missing, or `key` is NULL or not
/// UTF-8. Borrowed from the map's owner.
#[no_mangle]
pub extern "C" fn gameye_string_map_get(
    map: *const StringMap,
    key: *const c_char,
) -> *const c_char {
    boundary::read(map, ptr::null(), |m| match boundary::string(key, "key") {
        Ok(key) => m.get_c(key).unwrap_or(ptr::null()),
        Err(_) => ptr::null(),
    })
}

/// The number of strings; 0 for NULL.
#[no_mangle]
pub extern "C" fn gameye_string_list_len(list: *const StringList) -> usize {
    boundary::read(list, 0, StringList::len)
}

/// The string at `index`; NULL when out of range. Borrowed from the list's owner.
#[no_mangle]
pub extern "C" fn gameye_string_list_get(list: *const StringList, index: usize) -> *const c_char {
    boundary::read(list, ptr::null(), |l| {
        l.get(index).map_or(ptr::null(), Text::as_c_ptr)
    })
}
