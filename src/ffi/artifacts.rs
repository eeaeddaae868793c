//! `gameye_download_artifact`.

use std::ffi::{c_char, c_void};
use std::path::Path;

use super::boundary::{self, gameye_status, OutValue};
use crate::client::{ArtifactOptions, Client, Error, DEFAULT_MAX_ARTIFACT_BYTES};

/// Reports download progress: `received` bytes so far, `total` bytes when the server said (else
/// 0). Return true to go on, false to cancel the download (GAMEYE_STATUS_CANCELLED). It is called
/// on the thread that called gameye_download_artifact, and must not unwind (no C++ exceptions,
/// no longjmp) through the library.
#[allow(non_camel_case_types)]
pub type gameye_progress_callback =
    Option<unsafe extern "C" fn(received: u64, total: u64, user_data: *mut c_void) -> bool>;

/// Downloads an artifact (GET /artifacts; scope artifact:read): the .tar.gz of the absolute `path`
/// (a file or folder) inside a stopped session's container, written to the file `destination`,
/// replacing any file there. Available only after the session has stopped, while its container
/// still exists on its host (404 otherwise).
///
/// The download streams to disk, so memory stays flat whatever the size. It fails with
/// GAMEYE_STATUS_DECODE past `max_bytes` (0: the default, a little over the 100 MB the API
/// allows). The response head must arrive within the client's timeout; after that it lasts as
/// long as data keeps coming, failing after a silence as long as that timeout. The archive is
/// written to a partial file beside `destination` and moved into place only once it is whole (a
/// body cut short by a lost connection is GAMEYE_STATUS_TRANSPORT). On any failure `destination`
/// is untouched (a file already there is kept) and no partial file is left.
///
/// `progress` may be NULL; `user_data` is passed to it untouched. `out_bytes` (may be NULL)
/// receives the size written, 0 on failure. `out_error` may be NULL. All strings are only read.
/// Thread-safety: any number of threads may call this on one client at once (to different files).
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, bad UTF-8, empty id, a relative `path`, a
/// destination that cannot be written); _NOT_FOUND (404); _CANCELLED (progress returned false);
/// _DECODE (over the size cap); _UNAUTHORIZED, _FORBIDDEN, _TRANSPORT, _TIMEOUT, _SERVER, _HTTP.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn gameye_download_artifact(
    client: *const Client,
    session_id: *const c_char,
    path: *const c_char,
    destination: *const c_char,
    max_bytes: u64,
    progress: gameye_progress_callback,
    user_data: *mut c_void,
    out_bytes: *mut u64,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out_bytes = OutValue::optional(out_bytes, 0);
        let client = boundary::handle(client, "client")?;
        let session = boundary::string(session_id, "session_id")?;
        let path = boundary::string(path, "path")?;
        let destination = boundary::string(destination, "destination")?;
        let mut report = |received: u64, total: Option<u64>| match progress {
            // SAFETY: the caller's callback, called as its documentation says.
            Some(callback) => unsafe { callback(received, total.unwrap_or(0), user_data) },
            None => true,
        };
        let options = ArtifactOptions {
            max_bytes: if max_bytes == 0 {
                DEFAULT_MAX_ARTIFACT_BYTES
            } else {
                max_bytes
            },
            progress: progress
                .is_some()
                .then_some(&mut report as &mut dyn FnMut(u64, Option<u64>) -> bool),
            before_commit: None,
        };
        out_bytes.write(client.download_artifact(
            session,
            path,
            Path::new(destination),
            options,
        )?);
        Ok(())
    })
}
