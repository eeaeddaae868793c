//! `gameye_completion` (the end of a non-blocking request, handed to its callback),
//! `gameye_request` (a handle to cancel it and read its progress), and the client's pump.

use std::ffi::c_void;
use std::ptr;
use std::time::Duration;

use super::boundary::{self, gameye_status, CallerData, OutValue};
use super::logs::LogStreamHandle;
use super::outcome::{Completion, FromOutcome, Outcome};
use crate::client::{Client, Connection, Error, Lane, Logs, Request, RequestState};
use crate::model::{DescribedSession, LocationList, Roster, Session, SessionList, StartedSession};
use crate::Status;

/// Called once per non-blocking request with its completion: in poll mode on the thread that
/// calls gameye_client_poll (or gameye_client_free), in callback mode on the client's callback
/// thread. The completion is borrowed for the duration of the call: take what you keep with the
/// gameye_completion_take_* functions. It must not unwind (no C++ exceptions, no longjmp) and
/// must not free the client.
#[allow(non_camel_case_types)]
pub type gameye_completion_callback =
    Option<unsafe extern "C" fn(completion: *mut Completion, user_data: *mut c_void)>;

/// The completion for a C callback: the result erased into an `Outcome` (here, at the C
/// boundary only) and lent to the callback; nothing runs when there is no callback.
fn c_completion(
    callback: gameye_completion_callback,
    user_data: *mut c_void,
) -> impl FnOnce(u64, Result<Outcome, Error>) + Send + 'static {
    let user_data = CallerData(user_data);
    move |id, result| {
        if let Some(callback) = callback {
            let mut completion = Completion::new(id, result);
            // SAFETY: the caller's callback, called as its documentation says.
            unsafe { callback(&mut completion, user_data.get()) }
        }
    }
}

/// Hands a queued request to the caller: `out_request` (may be NULL) receives its handle.
pub(crate) fn hand_out(request: Request, out_request: *mut *mut RequestHandle) {
    if !out_request.is_null() {
        // SAFETY: checked non-NULL; the caller passes a valid pointer.
        unsafe { *out_request = Box::into_raw(Box::new(RequestHandle(request))) };
    }
}

/// Clears `*out_request` (may be NULL) up front, so it is NULL on every failure.
pub(crate) fn clear(out_request: *mut *mut RequestHandle) {
    if !out_request.is_null() {
        // SAFETY: as in `hand_out`.
        unsafe { *out_request = ptr::null_mut() };
    }
}

/// A handle to a non-blocking request.
pub struct RequestHandle(Request);

fn take<T: FromOutcome>(completion: *mut Completion) -> *mut T {
    // SAFETY: NULL or the completion the library lent to the running callback.
    match unsafe { completion.as_mut() } {
        Some(completion) => boundary::guard(ptr::null_mut(), || {
            completion
                .take::<T>()
                .map_or(ptr::null_mut(), |value| Box::into_raw(Box::new(value)))
        }),
        None => ptr::null_mut(),
    }
}

/// The id of the request this completes (the same as gameye_request_id); 0 for NULL.
#[no_mangle]
pub extern "C" fn gameye_completion_request_id(completion: *const Completion) -> u64 {
    boundary::read(completion, 0, Completion::id)
}

/// GAMEYE_STATUS_OK, or why the request failed (GAMEYE_STATUS_CANCELLED when it was cancelled
/// or the client was freed first); GAMEYE_STATUS_INVALID_ARGUMENT for NULL.
#[no_mangle]
pub extern "C" fn gameye_completion_status(completion: *const Completion) -> gameye_status {
    boundary::read(completion, Status::InvalidArgument as gameye_status, |c| {
        c.status() as gameye_status
    })
}

/// The error of a failed request; NULL on success (or once taken). Borrowed from the completion:
/// valid during the callback only.
#[no_mangle]
pub extern "C" fn gameye_completion_error(completion: *const Completion) -> *const Error {
    boundary::read(completion, ptr::null(), |c| {
        c.error().map_or(ptr::null(), |e| e as *const Error)
    })
}

/// Takes the error to keep it past the callback; the caller frees it with gameye_error_free.
/// NULL on success or when taken already.
#[no_mangle]
pub extern "C" fn gameye_completion_take_error(completion: *mut Completion) -> *mut Error {
    // SAFETY: NULL or the completion lent to the running callback.
    match unsafe { completion.as_mut() } {
        Some(c) => boundary::guard(ptr::null_mut(), || {
            c.take_error()
                .map_or(ptr::null_mut(), |e| Box::into_raw(Box::new(e)))
        }),
        None => ptr::null_mut(),
    }
}

/// Takes the session list of a completed gameye_list_sessions_async; the caller frees it with
/// gameye_session_list_free. NULL when the request failed, is of another kind, or it was taken.
#[no_mangle]
pub extern "C" fn gameye_completion_take_session_list(
    completion: *mut Completion,
) -> *mut SessionList {
    take(completion)
}

/// Takes the session of a completed gameye_describe_session_async (free with
/// gameye_session_free). NULL when failed, of another kind, or taken.
#[no_mangle]
pub extern "C" fn gameye_completion_take_session(completion: *mut Completion) -> *mut Session {
    let described = take::<DescribedSession>(completion);
    if described.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `take` boxed it just now and gave up ownership.
    unsafe { Box::from_raw(described) }.into_raw()
}

/// Takes the started session of a completed gameye_start_session_async (free with
/// gameye_started_session_free). NULL when failed, of another kind, or taken.
#[no_mangle]
pub extern "C" fn gameye_completion_take_started_session(
    completion: *mut Completion,
) -> *mut StartedSession {
    take(completion)
}

/// Takes the roster of a completed gameye_join_session_async or gameye_leave_session_async
/// (free with gameye_roster_free). NULL when failed, of another kind, or taken.
#[no_mangle]
pub extern "C" fn gameye_completion_take_roster(completion: *mut Completion) -> *mut Roster {
    take(completion)
}

/// Takes the logs of a completed gameye_get_logs_async (free with gameye_logs_free). NULL when
/// failed, of another kind, or taken.
#[no_mangle]
pub extern "C" fn gameye_completion_take_logs(completion: *mut Completion) -> *mut Logs {
    take(completion)
}

/// Takes the open stream of a completed gameye_follow_logs_async (free with
/// gameye_log_stream_free). NULL when failed, of another kind, or taken.
#[no_mangle]
pub extern "C" fn gameye_completion_take_log_stream(
    completion: *mut Completion,
) -> *mut LogStreamHandle {
    // SAFETY: NULL or the completion lent to the running callback.
    match unsafe { completion.as_mut() } {
        Some(c) => boundary::guard(ptr::null_mut(), || {
            c.take().map_or(ptr::null_mut(), |stream| {
                Box::into_raw(Box::new(LogStreamHandle::new(stream)))
            })
        }),
        None => ptr::null_mut(),
    }
}

/// Takes the locations of a completed gameye_get_available_locations_async (free with
/// gameye_location_list_free). NULL when failed, of another kind, or taken.
#[no_mangle]
pub extern "C" fn gameye_completion_take_location_list(
    completion: *mut Completion,
) -> *mut LocationList {
    take(completion)
}

/// The answer of a completed gameye_tag_exists_async; false when it failed or is of another kind.
#[no_mangle]
pub extern "C" fn gameye_completion_tag_exists(completion: *const Completion) -> bool {
    boundary::read(completion, false, |c| {
        matches!(c.outcome(), Some(Outcome::TagExists(true)))
    })
}

/// The bytes written by a completed gameye_download_artifact_async; 0 when it failed or is of
/// another kind.
#[no_mangle]
pub extern "C" fn gameye_completion_artifact_bytes(completion: *const Completion) -> u64 {
    boundary::read(completion, 0, |c| match c.outcome() {
        Some(Outcome::Artifact(bytes)) => *bytes,
        _ => 0,
    })
}

/// The request's id, unique within its client (ids start at 1); 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_request_id(request: *const RequestHandle) -> u64 {
    boundary::read(request, 0, |r| r.0.id())
}

/// Cancels the request: it completes promptly with GAMEYE_STATUS_CANCELLED, and a running one
/// has its connection closed. Returns false when it had finished already (or for NULL).
/// Thread-safety: any thread, any time, also after the client was freed (then it returns false).
#[no_mangle]
pub extern "C" fn gameye_request_cancel(request: *const RequestHandle) -> bool {
    boundary::read(request, false, |r| r.0.cancel())
}

/// Whether the request has finished (its completion may still wait for gameye_client_poll);
/// true for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_request_is_finished(request: *const RequestHandle) -> bool {
    boundary::read(request, true, |r| r.0.is_finished())
}

/// Download progress of a gameye_download_artifact_async request: `*out_received` bytes so far,
/// `*out_total` the total when the server said (else 0). Both pointers may be NULL; both read 0
/// for other requests or a NULL request. Thread-safe: poll it from the game loop.
#[no_mangle]
pub extern "C" fn gameye_request_progress(
    request: *const RequestHandle,
    out_received: *mut u64,
    out_total: *mut u64,
) {
    let received = OutValue::optional(out_received, 0);
    let total = OutValue::optional(out_total, 0);
    boundary::read(request, (), |r| {
        let (so_far, of) = r.0.progress();
        received.write(so_far);
        total.write(of.unwrap_or(0));
    });
}

/// Frees a request handle. It does not cancel the request: its completion still runs. NULL is a
/// no-op. The handle may be freed before or after the client.
#[no_mangle]
pub extern "C" fn gameye_request_free(request: *mut RequestHandle) {
    boundary::free(request);
}

/// Runs up to `max` ready completions (0: all that are ready) on the calling thread, invoking
/// their callbacks, and returns how many ran. Never blocks. Call it once per frame from the
/// thread that should see completions (the game thread). Returns 0 in callback mode, or for NULL.
/// Thread-safety: thread-safe; completions run on whichever thread polls.
#[no_mangle]
pub extern "C" fn gameye_client_poll(client: *const Client, max: usize) -> usize {
    boundary::read(client, 0, |c| c.poll(max))
}

/// Waits up to `timeout_ms` until a completion is ready for gameye_client_poll; true when one
/// is. For tools and tests that have no frame loop; never call it on a game thread. Returns
/// false at once in callback mode or for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_client_wait(client: *const Client, timeout_ms: u32) -> bool {
    boundary::read(client, false, |c| {
        c.wait(Duration::from_millis(u64::from(timeout_ms)))
    })
}

/// Cancels the non-blocking request `request_id` (see gameye_request_cancel); false when no such
/// request is in flight, or for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_client_cancel(client: *const Client, request_id: u64) -> bool {
    boundary::read(client, false, |c| c.cancel(request_id))
}

/// The number of non-blocking requests whose completion has not run yet; 0 for NULL.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_client_in_flight(client: *const Client) -> usize {
    boundary::read(client, 0, Client::in_flight)
}

/// A Rust job with its result erased into an `Outcome`.
type ErasedJob = Box<dyn FnOnce(&Connection, &RequestState) -> Result<Outcome, Error> + Send>;

/// A job of the C ABI: the Rust job, its result erased into an `Outcome`, and the threads that
/// run it.
pub(crate) struct Job {
    run: ErasedJob,
    lane: Lane,
}

/// A Rust job (`client::jobs`) for the C ABI, its result wrapped by `wrap`; run on the client's
/// workers (a call that ends with one response).
pub(crate) fn c_job<T: 'static>(
    job: impl FnOnce(&Connection, &RequestState) -> Result<T, Error> + Send + 'static,
    wrap: fn(T) -> Outcome,
) -> Job {
    Job {
        run: Box::new(move |connection, state| job(connection, state).map(wrap)),
        lane: Lane::Short,
    }
}

/// [`c_job`] for a transfer or a wait that may take minutes: run on a thread of its own, so it
/// never holds a worker a short call needs.
pub(crate) fn c_long_job<T: 'static>(
    job: impl FnOnce(&Connection, &RequestState) -> Result<T, Error> + Send + 'static,
    wrap: fn(T) -> Outcome,
) -> Job {
    Job {
        lane: Lane::Long,
        ..c_job(job, wrap)
    }
}

/// Submits a job for a C caller: clears `out_request`, checks `client`, queues, hands the
/// request out.
pub(crate) fn submit(
    client: *const Client,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
    build: impl FnOnce() -> Result<Job, Error>,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
) -> gameye_status {
    clear(out_request);
    boundary::run(out_error, || {
        let client = boundary::handle(client, "client")?;
        let job = build()?;
        let request = client.submit_on(job.lane, job.run, c_completion(callback, user_data))?;
        hand_out(request, out_request);
        Ok(())
    })
}
