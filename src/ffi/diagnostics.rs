//! `gameye_client_endpoint`, `gameye_client_tls_roots`, `gameye_client_probe` and
//! `gameye_client_check_access`: the client's connection rules, for diagnostics (the CLI's
//! doctor, an editor's "check" button).

use std::ffi::{c_char, CString};
use std::ptr;

use super::boundary::{self, gameye_status, Out};
use crate::client::{Access, Client, Error, Grant, Probe, TlsRoots};

/// How a client trusts TLS servers (gameye_client_tls_roots).
#[allow(non_camel_case_types)]
pub type gameye_tls_roots = i32;
/// Plain http:// (loopback, or allowed with gameye_client_config_set_allow_insecure_http).
pub const GAMEYE_TLS_ROOTS_NONE: gameye_tls_roots = 0;
/// The bundled Mozilla roots.
pub const GAMEYE_TLS_ROOTS_BUNDLED: gameye_tls_roots = 1;
/// The CA certificates set with gameye_client_config_set_ca_certificates_pem, in their place.
pub const GAMEYE_TLS_ROOTS_CUSTOM: gameye_tls_roots = 2;

/// Whether a token may call an operation (gameye_access_grant).
#[allow(non_camel_case_types)]
pub type gameye_grant = i32;
/// The request passed authorization (any answer but 401 and 403).
pub const GAMEYE_GRANT_GRANTED: gameye_grant = 0;
/// 401 (the token is not accepted) or 403 (it lacks the scope): gameye_access_error says which.
pub const GAMEYE_GRANT_REFUSED: gameye_grant = 1;
/// No answer, or one that says nothing about access (a transport error, a 5xx).
pub const GAMEYE_GRANT_UNKNOWN: gameye_grant = 2;

/// One operation's access check (gameye_client_check_access).
pub struct AccessEntry {
    scope: CString,
    operation: CString,
    grant: gameye_grant,
    error: Option<Error>,
}

/// The access checks of gameye_client_check_access, one per scope.
pub struct AccessList(Vec<AccessEntry>);

impl From<Access> for AccessEntry {
    fn from(access: Access) -> AccessEntry {
        let (grant, error) = match access.grant {
            Grant::Granted => (GAMEYE_GRANT_GRANTED, None),
            Grant::Refused(error) => (GAMEYE_GRANT_REFUSED, Some(error)),
            Grant::Unknown(error) => (GAMEYE_GRANT_UNKNOWN, Some(error)),
        };
        AccessEntry {
            scope: CString::new(access.scope).expect("a scope has no NUL"),
            operation: CString::new(access.operation).expect("an operation has no NUL"),
            grant,
            error,
        }
    }
}

/// The base URL the client sends to, as its config checked it (no trailing slash; never with
/// credentials: a URL holding them is refused). Borrowed from the client: valid until
/// gameye_client_free. NULL only for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_client_endpoint(client: *const Client) -> *const c_char {
    boundary::read(client, ptr::null(), |c| c.endpoint_c().as_ptr())
}

/// The TLS trust the client uses: GAMEYE_TLS_ROOTS_NONE (plain http), _BUNDLED or _CUSTOM;
/// `*out_custom_count` (may be NULL) receives the number of custom CA certificates (0 unless
/// _CUSTOM). -1 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_client_tls_roots(
    client: *const Client,
    out_custom_count: *mut usize,
) -> gameye_tls_roots {
    boundary::read(client, -1, |c| {
        let (roots, count) = match c.tls_roots() {
            TlsRoots::None => (GAMEYE_TLS_ROOTS_NONE, 0),
            TlsRoots::Bundled => (GAMEYE_TLS_ROOTS_BUNDLED, 0),
            TlsRoots::Custom(n) => (GAMEYE_TLS_ROOTS_CUSTOM, n),
        };
        if !out_custom_count.is_null() {
            // SAFETY: the caller passes a writable size_t or NULL (checked above).
            unsafe { *out_custom_count = count };
        }
        roots
    })
}

/// One `GET /session` on the client's own connection settings (TLS roots, proxy, resolver),
/// once, without retries, with the token when `authorized`: for a diagnosis ("check" buttons,
/// `gameye doctor`), never needed by calls. Any HTTP answer is a success: read its status, time,
/// the server's clock and, over https, that the handshake and certificate check passed. No
/// answer is the error a call would give, said more exactly for TLS: a port that speaks plain
/// HTTP, or the certificate the server presented (its subject and issuer).
///
/// On success `*out_probe` receives a probe freed with gameye_probe_free; on failure NULL.
/// `out_error` may be NULL. Blocking (at most the client's timeout). Thread-safe.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL); _TRANSPORT, _TIMEOUT; _CANCELLED once
/// gameye_client_close has begun.
#[no_mangle]
pub extern "C" fn gameye_client_probe(
    client: *const Client,
    authorized: bool,
    out_probe: *mut *mut Probe,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_probe, "out_probe")?;
        let client = boundary::handle(client, "client")?;
        out.write(client.probe(authorized)?);
        Ok(())
    })
}

/// The HTTP status of the probe's answer; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_probe_http_status(probe: *const Probe) -> u16 {
    boundary::read(probe, 0, |p| p.http_status)
}

/// Milliseconds from sending the probe to its response head; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_probe_elapsed_ms(probe: *const Probe) -> u64 {
    boundary::read(probe, 0, |p| p.elapsed.as_millis() as u64)
}

/// The server's clock from its Date header, Unix milliseconds (one-second resolution); 0 when
/// it sent none that reads, and for NULL. Compare with the local clock for the offset.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_probe_server_time_unix_ms(probe: *const Probe) -> i64 {
    boundary::read(probe, 0, |p| {
        p.server_time
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as i64)
    })
}

/// Whether the probe went over TLS, its handshake done and the server's certificate verified
/// against the client's roots; false for plain http and for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_probe_tls_verified(probe: *const Probe) -> bool {
    boundary::read(probe, false, |p| p.tls_verified)
}

/// Frees a probe. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_probe_free(probe: *mut Probe) {
    boundary::free(probe);
}

/// Which operations the client's token may call, one entry per scope (session:read,
/// session:start, session:stop, logs:read, artifact:read, regions:read), each asked with a
/// request that changes nothing: a list; a start with an empty body (refused by validation
/// after authorization); a stop, logs and artifacts of the nil session id, which no session
/// has; the locations of an image that cannot exist. Six requests, each once.
///
/// On success `*out_list` receives a list freed with gameye_access_list_free (a refused scope
/// is an entry, not a failure); on failure NULL. `out_error` may be NULL. Blocking. Thread-safe.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL); _CANCELLED once gameye_client_close has
/// begun.
#[no_mangle]
pub extern "C" fn gameye_client_check_access(
    client: *const Client,
    out_list: *mut *mut AccessList,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_list, "out_list")?;
        let client = boundary::handle(client, "client")?;
        let entries = client.check_access()?.into_iter().map(AccessEntry::from);
        out.write(AccessList(entries.collect()));
        Ok(())
    })
}

/// The number of entries; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_access_list_len(list: *const AccessList) -> usize {
    boundary::read(list, 0, |l| l.0.len())
}

/// The entry at `index`; NULL when out of range. Borrowed from the list: valid until
/// gameye_access_list_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_access_list_get(
    list: *const AccessList,
    index: usize,
) -> *const AccessEntry {
    boundary::read(list, ptr::null(), |l| boundary::element(&l.0, index))
}

/// Frees an access list and everything borrowed from it. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_access_list_free(list: *mut AccessList) {
    boundary::free(list);
}

/// The scope the entry is about, e.g. "session:stop". Borrowed from the list. NULL only for
/// NULL.
#[no_mangle]
pub extern "C" fn gameye_access_scope(access: *const AccessEntry) -> *const c_char {
    boundary::read(access, ptr::null(), |a| a.scope.as_ptr())
}

/// The operation that needs the scope, e.g. "stop a session". Borrowed from the list. NULL only
/// for NULL.
#[no_mangle]
pub extern "C" fn gameye_access_operation(access: *const AccessEntry) -> *const c_char {
    boundary::read(access, ptr::null(), |a| a.operation.as_ptr())
}

/// GAMEYE_GRANT_GRANTED, _REFUSED or _UNKNOWN; -1 for NULL.
#[no_mangle]
pub extern "C" fn gameye_access_grant(access: *const AccessEntry) -> gameye_grant {
    boundary::read(access, -1, |a| a.grant)
}

/// Why the entry is _REFUSED (401 or 403) or _UNKNOWN: the server's or the transport's error,
/// read with the gameye_error_* accessors. NULL when granted, and for NULL. Borrowed from the
/// list: never free it.
#[no_mangle]
pub extern "C" fn gameye_access_error(access: *const AccessEntry) -> *const Error {
    boundary::read(access, ptr::null(), |a| {
        a.error.as_ref().map_or(ptr::null(), |e| e as *const Error)
    })
}
