//! `gameye_client_config` and `gameye_client`.

use std::time::Duration;

use super::boundary::{self, gameye_status, Out};
use crate::client::{Client, ClientConfig, Error};

/// Creates an empty client configuration. Values left unset come from the environment
/// (GAMEYE_API_ENDPOINT, GAMEYE_API_TOKEN) when the client is created, then from the defaults
/// (production URL, 30 s timeout).
///
/// Ownership: the caller owns the result and frees it with gameye_client_config_free; it may be
/// freed right after gameye_client_new. Returns NULL only if memory ran out.
/// Thread-safety: a config is not thread-safe; use it from one thread at a time.
#[no_mangle]
pub extern "C" fn gameye_client_config_new() -> *mut ClientConfig {
    boundary::new_handle(ClientConfig::new())
}

/// Sets the base URL, e.g. "https://api.sandbox-gameye.gameye.net" or "http://127.0.0.1:PORT" for
/// the emulator. Plain http:// is accepted for loopback hosts only, unless
/// gameye_client_config_set_allow_insecure_http allows it.
///
/// Ownership: `url` is copied; the caller keeps it. Thread-safety: not thread-safe (a builder).
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for a NULL argument, bad UTF-8,
/// or an unsafe URL (not http/https, credentials, a query or fragment, spaces).
#[no_mangle]
pub extern "C" fn gameye_client_config_set_base_url(
    config: *mut ClientConfig,
    url: *const std::ffi::c_char,
) -> gameye_status {
    boundary::run_status(|| {
        let config = boundary::handle_mut(config, "config")?;
        config.set_base_url(boundary::string(url, "url")?)?;
        Ok(())
    })
}

/// Sets the API token sent as "Authorization: Bearer <token>". A token works on one
/// environment only (sandbox or production).
///
/// Ownership: `token` is copied; the caller keeps it. Thread-safety: not thread-safe.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8, an empty
/// token, or one with spaces, control or non-ASCII characters.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_token(
    config: *mut ClientConfig,
    token: *const std::ffi::c_char,
) -> gameye_status {
    boundary::run_status(|| {
        let config = boundary::handle_mut(config, "config")?;
        config.set_token(boundary::string(token, "token")?)?;
        Ok(())
    })
}

/// Sets the timeout of a whole request (connect, send, and read the full response), in
/// milliseconds. Default 30000.
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT
/// for a NULL config or a timeout of 0.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_timeout_ms(
    config: *mut ClientConfig,
    timeout_ms: u32,
) -> gameye_status {
    boundary::run_status(|| {
        let config = boundary::handle_mut(config, "config")?;
        config.set_timeout(Duration::from_millis(u64::from(timeout_ms)))?;
        Ok(())
    })
}

/// Allows plain http:// to hosts other than loopback (e.g. a TLS-terminating proxy on a private
/// network). Off by default, because the token would travel unencrypted.
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT
/// for a NULL config.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_allow_insecure_http(
    config: *mut ClientConfig,
    allow: bool,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(config, "config")?.set_allow_insecure_http(allow);
        Ok(())
    })
}

/// Frees a configuration. NULL is a no-op. Clients created from it are not affected.
#[no_mangle]
pub extern "C" fn gameye_client_config_free(config: *mut ClientConfig) {
    boundary::free(config);
}

/// Creates a client. `config` may be NULL: then everything comes from the environment
/// (GAMEYE_API_ENDPOINT, GAMEYE_API_TOKEN) and the defaults. No request is made here.
///
/// Ownership: `config` is only read; the caller keeps it. On success `*out_client` receives a
/// client the caller frees with gameye_client_free; on failure it is set to NULL.
/// `out_error` may be NULL; see gameye_error_free.
/// Thread-safety: the client is thread-safe: share one among any number of threads.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT when `out_client` is NULL, no
/// token is set anywhere, a URL from the environment is unsafe, or http:// is used for a
/// non-loopback host without the opt-in.
#[no_mangle]
pub extern "C" fn gameye_client_new(
    config: *const ClientConfig,
    out_client: *mut *mut Client,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_client, "out_client")?;
        let default = ClientConfig::new();
        // SAFETY: NULL or a live config.
        let config = unsafe { config.as_ref() }.unwrap_or(&default);
        out.write(Client::new(config)?);
        Ok(())
    })
}

/// Frees a client and closes its connections. NULL is a no-op. Results it returned stay valid.
/// Must not be called while another thread is using the client.
#[no_mangle]
pub extern "C" fn gameye_client_free(client: *mut Client) {
    boundary::free(client);
}
