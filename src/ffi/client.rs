//! `gameye_client_config` and `gameye_client`.

use std::ffi::{c_char, c_void, CString};
use std::time::Duration;

use super::boundary::{self, gameye_status, CallerData, Out};
use crate::client::{Client, ClientConfig, Delivery, Error, LogLevel, RetryPolicy};

/// Where completions of non-blocking calls run: a plain 32-bit integer (see GAMEYE_DELIVERY_*).
#[allow(non_camel_case_types)]
pub type gameye_delivery = i32;
/// Completions wait until the caller runs gameye_client_poll, and run on the thread that polls
/// (the default: the game thread ticks it).
pub const GAMEYE_DELIVERY_POLL: gameye_delivery = 0;
/// Completions run on one library thread of the client, one at a time, in completion order.
pub const GAMEYE_DELIVERY_CALLBACK_THREAD: gameye_delivery = 1;

/// A log level: a plain 32-bit integer (see GAMEYE_LOG_*); each level includes those above it.
#[allow(non_camel_case_types)]
pub type gameye_log_level = i32;
/// No log lines.
pub const GAMEYE_LOG_OFF: gameye_log_level = 0;
/// Failures of the library itself.
pub const GAMEYE_LOG_ERROR: gameye_log_level = 1;
/// Requests that failed.
pub const GAMEYE_LOG_WARN: gameye_log_level = 2;
/// Every request: one line each with method, path, outcome, duration and attempt count.
pub const GAMEYE_LOG_INFO: gameye_log_level = 3;
/// Detail for debugging.
pub const GAMEYE_LOG_DEBUG: gameye_log_level = 4;

/// Receives one log line (NUL-terminated UTF-8, valid during the call only; it never holds the
/// token). Called on the thread that made the request: the caller's for blocking calls, a
/// library worker thread for non-blocking ones, so it must be thread-safe, must not unwind, and
/// must not call back into the client.
#[allow(non_camel_case_types)]
pub type gameye_log_callback = Option<
    unsafe extern "C" fn(level: gameye_log_level, message: *const c_char, user_data: *mut c_void),
>;

/// Runs a config setter inside the boundary. Any failure, including a NULL or non-UTF-8 argument
/// caught before the setter runs, poisons the config: gameye_client_new then refuses it.
fn configure(
    config: *mut ClientConfig,
    set: impl FnOnce(&mut ClientConfig) -> Result<(), Error>,
) -> gameye_status {
    boundary::run_status(|| {
        let config = boundary::handle_mut(config, "config")?;
        let result = set(config);
        if let Err(error) = &result {
            config.poison(error);
        }
        result
    })
}

/// [`configure`] for a setter that takes a string argument named `name`.
fn configure_string(
    config: *mut ClientConfig,
    value: *const c_char,
    name: &str,
    set: impl FnOnce(&mut ClientConfig, &str) -> Result<(), Error>,
) -> gameye_status {
    configure(config, |c| set(c, boundary::string(value, name)?))
}

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
/// or an unsafe URL (not http/https, credentials, a query or fragment, spaces). Every check a
/// request would make is made here, so a URL no request could use is refused at once: longer than
/// 2048 bytes, non-ASCII (write an international domain name in its xn-- form), a port that is not
/// digits alone in 1-65535 ("+80"), or characters a URL may not hold (a backtick).
#[no_mangle]
pub extern "C" fn gameye_client_config_set_base_url(
    config: *mut ClientConfig,
    url: *const std::ffi::c_char,
) -> gameye_status {
    configure_string(config, url, "url", |c, v| c.set_base_url(v).map(drop))
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
    configure_string(config, token, "token", |c, v| c.set_token(v).map(drop))
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
    configure(config, |c| {
        c.set_timeout(Duration::from_millis(u64::from(timeout_ms)))
            .map(drop)
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
    configure(config, |c| {
        c.set_allow_insecure_http(allow);
        Ok(())
    })
}

/// Where completions of non-blocking calls run: GAMEYE_DELIVERY_POLL (the default; they run
/// inside gameye_client_poll on the thread that calls it) or GAMEYE_DELIVERY_CALLBACK_THREAD (they
/// run on one library thread, one at a time).
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// a NULL config or an unknown mode.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_delivery(
    config: *mut ClientConfig,
    delivery: gameye_delivery,
) -> gameye_status {
    configure(config, |config| {
        let delivery = match delivery {
            GAMEYE_DELIVERY_POLL => Delivery::Poll,
            GAMEYE_DELIVERY_CALLBACK_THREAD => Delivery::CallbackThread,
            other => {
                return Err(Error::invalid_argument(format!(
                    "unknown delivery mode {other}"
                )))
            }
        };
        config.set_delivery(delivery);
        Ok(())
    })
}

/// How many worker threads run non-blocking calls: 1 to 64, default 4. They start with the first
/// non-blocking call (a client used only for blocking calls starts none) and are joined by
/// gameye_client_free. More calls than workers wait in a queue. Downloads
/// (gameye_download_artifact_async) and waits (gameye_wait_for_session_async,
/// gameye_start_session_and_wait_async, gameye_stop_session_and_wait_async) do not use the
/// workers: each runs on a thread of its own, started for it and ended with it, so a stop never
/// queues behind them (their number is bounded by gameye_client_config_set_max_in_flight).
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// a NULL config or a number out of range.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_worker_threads(
    config: *mut ClientConfig,
    threads: u32,
) -> gameye_status {
    configure(config, |c| c.set_worker_threads(threads as usize).map(drop))
}

/// The most non-blocking requests the client holds at once: queued, running, or completed but not
/// yet delivered (each costs about 0.5 KB). Default 10000, at most 1000000. Past it a *_async
/// call is refused with GAMEYE_STATUS_RATE_LIMITED, queues nothing and never runs its callback,
/// so a caller that floods the client (or stops polling) learns it at once instead of growing
/// memory without bound; poll to deliver completions and make room.
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// a NULL config or a number out of range.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_max_in_flight(
    config: *mut ClientConfig,
    requests: u32,
) -> gameye_status {
    configure(config, |c| c.set_max_in_flight(requests as usize).map(drop))
}

/// Sets a log hook: `callback` receives one line per request up to `max_level`
/// (GAMEYE_LOG_INFO: every request; GAMEYE_LOG_WARN: failed ones), e.g.
/// "GET /session?location=europe -> 200 in 12 ms (attempt 1)". Never the token. A NULL
/// callback or GAMEYE_LOG_OFF removes the hook. `user_data` is passed to it untouched.
///
/// Thread-safety: the config is not thread-safe; the callback is called from several threads (see
/// gameye_log_callback). Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for a NULL
/// config or an unknown level.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_log_callback(
    config: *mut ClientConfig,
    max_level: gameye_log_level,
    callback: gameye_log_callback,
    user_data: *mut c_void,
) -> gameye_status {
    configure(config, |config| {
        let level = LogLevel::from_code(max_level)
            .ok_or_else(|| Error::invalid_argument(format!("unknown log level {max_level}")))?;
        let user_data = CallerData(user_data);
        match callback {
            Some(callback) => config.set_log(level, move |level, line| {
                // A log line never holds a NUL; if one did, it is cut there rather than lost.
                let line =
                    CString::new(line.split('\0').next().unwrap_or_default()).unwrap_or_default();
                // SAFETY: the caller's callback, called as its documentation says.
                unsafe { callback(level as gameye_log_level, line.as_ptr(), user_data.get()) }
            }),
            None => config.set_log(LogLevel::Off, |_, _| {}),
        };
        Ok(())
    })
}

fn policy(retries: u32, base_delay_ms: u32, max_delay_ms: u32) -> RetryPolicy {
    RetryPolicy {
        retries,
        base_delay: Duration::from_millis(u64::from(base_delay_ms)),
        max_delay: Duration::from_millis(u64::from(max_delay_ms)),
    }
}

/// How failed requests that are safe to repeat are retried: reads, stop, and start (which always
/// carries its id, so a retry can never start a second server; see gameye_start_session for a
/// retry told the id is taken). Retried after a lost connection, HTTP 5xx, 420 or 429, up to
/// `retries` times (0 turns retries off), waiting a random time up to
/// min(max_delay_ms, base_delay_ms * 2^n) before retry n+1 (exponential backoff, full jitter),
/// or exactly the wait a Retry-After header asks for (seconds or an HTTP date). A Retry-After
/// longer than max_delay_ms, or past the call's deadline (its timeout from its start), ends the
/// call at once with the server's answer; gameye_error_hint names the wait.
/// Join and leave are not retried, timeouts neither; but join and leave are sent again once, at
/// once, when a kept-alive connection was closed before any byte of the answer (the server never
/// read them). Idle connections are dropped after 4 s. The default is 2 retries, 200 ms, 5000 ms.
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// a NULL config, more than 100 retries, or (with retries) not 0 < base_delay_ms <= max_delay_ms.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_retry(
    config: *mut ClientConfig,
    retries: u32,
    base_delay_ms: u32,
    max_delay_ms: u32,
) -> gameye_status {
    configure(config, |c| {
        c.set_retry(policy(retries, base_delay_ms, max_delay_ms))
            .map(drop)
    })
}

/// Limits connecting (DNS, TCP and TLS) to `timeout_ms`, within the whole-request timeout; unset,
/// connecting may take the whole request's budget.
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// a NULL config or 0.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_connect_timeout_ms(
    config: *mut ClientConfig,
    timeout_ms: u32,
) -> gameye_status {
    configure(config, |c| {
        c.set_connect_timeout(Duration::from_millis(u64::from(timeout_ms)))
            .map(drop)
    })
}

/// The largest JSON response body read (default 64 MiB): a larger one fails with
/// GAMEYE_STATUS_DECODE instead of growing memory without bound. Logs and artifacts have their own
/// limits (see gameye_download_artifact).
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// a NULL config or less than 1024.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_max_body_bytes(
    config: *mut ClientConfig,
    max_bytes: u64,
) -> gameye_status {
    configure(config, |c| c.set_max_body_bytes(max_bytes).map(drop))
}

/// Trusts the CA certificates in `pem` (one or more PEM blocks, NUL-terminated) instead of the
/// bundled Mozilla roots: for a TLS-inspecting proxy or a private deployment. Certificates are
/// always verified; there is no way to turn verification off. `pem` is copied.
///
/// Thread-safety: not thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// NULL, bad UTF-8, or text without a valid certificate.
#[no_mangle]
pub extern "C" fn gameye_client_config_set_ca_certificates_pem(
    config: *mut ClientConfig,
    pem: *const c_char,
) -> gameye_status {
    configure_string(config, pem, "pem", |c, v| {
        c.set_ca_certificates_pem(v.as_bytes()).map(drop)
    })
}

/// Creates a client for the same account that retries with another policy (see
/// gameye_client_config_set_retry): a per-call retry setting, e.g. no retries for a call that
/// must fail fast. It has connections of its own (so freeing one of the two never interrupts the
/// other's calls), and its non-blocking calls run on workers of its own (started on first use).
/// Free it with gameye_client_free, before or after `client`.
///
/// On success `*out_client` receives the new client; on failure it is set to NULL. `out_error`
/// may be NULL. Thread-safe. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL
/// or a policy gameye_client_config_set_retry would refuse.
#[no_mangle]
pub extern "C" fn gameye_client_with_retry(
    client: *const Client,
    retries: u32,
    base_delay_ms: u32,
    max_delay_ms: u32,
    out_client: *mut *mut Client,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_client, "out_client")?;
        let client = boundary::handle(client, "client")?;
        out.write(client.with_retry(policy(retries, base_delay_ms, max_delay_ms))?);
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
/// A config whose setter ever failed (any status but GAMEYE_STATUS_OK, a NULL or non-UTF-8
/// argument included) is poisoned: it is refused with GAMEYE_STATUS_INVALID_ARGUMENT and that
/// first failure's message, so a caller that ignored a setter's status never sends its token to an
/// endpoint it did not name (such as the production default in place of a rejected URL).
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
        let config = boundary::optional(config).unwrap_or(&default);
        out.write(Client::new(config)?);
        Ok(())
    })
}

/// Closes a client without freeing it: the first half of gameye_client_free. New calls are
/// refused from now on (GAMEYE_STATUS_CANCELLED); blocking calls that other threads are inside
/// are interrupted (each returns GAMEYE_STATUS_CANCELLED, a start naming the session id it sent)
/// and waited for; non-blocking requests still in flight are cancelled, the client's threads are
/// joined, and every completion not yet delivered runs before this returns. The client stays
/// valid: its getters and gameye_client_free may still be called, and a second close does
/// nothing more (it waits for what the first one waits for). Free it with gameye_client_free.
///
/// For a binding whose handle cannot be freed while another thread still holds it (C#'s
/// SafeHandle postpones the free until that thread's call returns): close at once, so that the
/// call returns, then free. NULL is a no-op.
/// Thread-safety: any thread, also while others are inside calls on the client; not from one of
/// the client's own callbacks (it would wait for itself).
#[no_mangle]
pub extern "C" fn gameye_client_close(client: *const Client) {
    boundary::read(client, (), Client::shutdown);
}

/// Frees a client: new calls are refused from now on (GAMEYE_STATUS_CANCELLED). Blocking calls
/// that other threads are inside (a worker in gameye_start_session while the game thread shuts
/// down) are interrupted, their connections closed: each returns GAMEYE_STATUS_CANCELLED (a start
/// still reports the session id it sent, through gameye_error_session_id, and the failure it had
/// met is in gameye_error_hint), and this waits until every one has returned before it releases
/// anything. Non-blocking requests still in flight are cancelled (their connections closed), the
/// client's threads are joined, and every completion not yet delivered runs before this returns
/// (on this thread in poll mode; on the callback thread otherwise). No completion runs after it
/// returns. Results and request handles the client gave out stay valid. The storage it kept from a
/// freed session list is freed too. NULL is a no-op.
///
/// fork(): a client belongs to the process that made it. In a child made by fork(), every call
/// on an inherited client (and on its request handles and followed logs) is refused with
/// GAMEYE_STATUS_INVALID_ARGUMENT before it touches anything: its threads do not exist in the
/// child, and its kept-alive connections are shared with the parent, which would read the
/// child's responses. There this free releases only the client's record and leaves the rest (its
/// threads' state and the parent's connections) untouched. A child makes a client of its own.
///
/// Re-entrancy: a completion callback that runs during the free may call gameye_client_poll,
/// gameye_client_wait (it returns at once once nothing more can arrive), gameye_request_cancel,
/// gameye_client_cancel, or submit a new request: that submit returns GAMEYE_STATUS_CANCELLED and
/// queues nothing (its callback never runs). The client stays valid until the last such
/// callback has returned.
/// Thread-safety: a call that has begun on another thread is interrupted and waited for, as
/// above; but no thread may start a call once the free has begun (the client's memory is released
/// when it returns), and it must not be called from one of the client's own callbacks.
#[no_mangle]
pub extern "C" fn gameye_client_free(client: *mut Client) {
    // Shut down through a shared reference first: callbacks that run meanwhile may use the
    // client, so it must stay whole until they are done. Only then is it dropped.
    boundary::read(client, (), Client::shutdown);
    boundary::free(client);
}
