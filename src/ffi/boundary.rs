//! The rules every exported function follows, in one place: panics are caught and become
//! `GAMEYE_STATUS_INTERNAL`, NULL is never dereferenced, out-pointers are cleared first,
//! incoming strings are checked UTF-8, and errors reach the optional `out_error`.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use crate::client::Error;
use crate::model::Text;
use crate::Status;

/// A caller's `user_data` for a callback the library calls from its own threads (a log hook,
/// a reporter's failure callback, a watch's events). The caller promises, in the header, that
/// its callback and data may be used from those threads.
#[derive(Clone, Copy)]
pub(crate) struct CallerData(pub *mut std::ffi::c_void);

// SAFETY: the pointer is only handed back to the caller's own callback, as documented.
unsafe impl Send for CallerData {}
// SAFETY: as above.
unsafe impl Sync for CallerData {}

impl CallerData {
    pub fn get(&self) -> *mut std::ffi::c_void {
        self.0
    }
}

/// `gameye_status` on the C side: a plain 32-bit integer, so a value a newer library adds can
/// never be undefined behaviour in an older caller (see the `GAMEYE_STATUS_*` constants).
#[allow(non_camel_case_types)]
pub type gameye_status = i32;

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic")
}

fn internal_error(payload: &(dyn std::any::Any + Send)) -> Error {
    Error::new(
        Status::Internal,
        format!(
            "internal error in gameye (please report it): {}",
            panic_message(payload)
        ),
    )
}

/// Runs a fallible exported function: catches panics, stores the error in `out_error`
/// (NULL on success) and returns the status.
pub(crate) fn run(
    out_error: *mut *mut Error,
    body: impl FnOnce() -> Result<(), Error>,
) -> gameye_status {
    if !out_error.is_null() {
        // SAFETY: the caller passes NULL or a valid pointer to write a handle to.
        unsafe { *out_error = ptr::null_mut() };
    }
    let result = catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|payload| Err(internal_error(&*payload)));
    match result {
        Ok(()) => Status::Ok as gameye_status,
        Err(error) => {
            let status = error.status() as gameye_status;
            if !out_error.is_null() {
                // SAFETY: as above.
                unsafe { *out_error = Box::into_raw(Box::new(error)) };
            }
            status
        }
    }
}

/// Runs an exported setter that reports a status only.
pub(crate) fn run_status(body: impl FnOnce() -> Result<(), Error>) -> gameye_status {
    run(ptr::null_mut(), body)
}

/// Runs an infallible exported function (an accessor): `fallback` on a panic.
pub(crate) fn guard<R>(fallback: R, body: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Reads a handle through an accessor: `fallback` when the handle is NULL or on a panic.
pub(crate) fn read<T, R>(handle: *const T, fallback: R, body: impl FnOnce(&T) -> R) -> R {
    // SAFETY: the caller passes NULL or a live handle of this type.
    match unsafe { handle.as_ref() } {
        Some(handle) => guard(fallback, || body(handle)),
        None => fallback,
    }
}

/// The error for a NULL required argument.
pub(crate) fn null_argument(name: &str) -> Error {
    Error::new(Status::InvalidArgument, format!("`{name}` is NULL"))
}

/// A required handle argument.
pub(crate) fn handle<'a, T>(pointer: *const T, name: &str) -> Result<&'a T, Error> {
    // SAFETY: the caller passes NULL or a live handle of this type.
    unsafe { pointer.as_ref() }.ok_or_else(|| null_argument(name))
}

/// An optional handle argument: `None` for NULL.
pub(crate) fn optional<'a, T>(pointer: *const T) -> Option<&'a T> {
    // SAFETY: the caller passes NULL or a live handle of this type.
    unsafe { pointer.as_ref() }
}

/// A required mutable handle argument (builders).
pub(crate) fn handle_mut<'a, T>(pointer: *mut T, name: &str) -> Result<&'a mut T, Error> {
    // SAFETY: the caller passes NULL or a live handle that no other thread uses now.
    unsafe { pointer.as_mut() }.ok_or_else(|| null_argument(name))
}

/// A required NUL-terminated UTF-8 string argument.
pub(crate) fn string<'a>(pointer: *const c_char, name: &str) -> Result<&'a str, Error> {
    if pointer.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives the call.
    unsafe { CStr::from_ptr(pointer) }.to_str().map_err(|_| {
        Error::new(
            Status::InvalidArgument,
            format!("`{name}` is not valid UTF-8"),
        )
    })
}

/// Sets a string on a builder handle: `set(handle, value)` inside the panic boundary;
/// GAMEYE_STATUS_INVALID_ARGUMENT for a NULL handle, a NULL or non-UTF-8 value, or whatever `set`
/// refuses. `handle_name` and `value_name` name them in the error.
pub(crate) fn set_string<T>(
    handle: *mut T,
    handle_name: &str,
    value: *const c_char,
    value_name: &str,
    set: impl FnOnce(&mut T, &str) -> Result<(), Error>,
) -> gameye_status {
    run_status(|| set(handle_mut(handle, handle_name)?, string(value, value_name)?))
}

/// [`set_string`] for a key and a value (named "key" and "value" in errors).
pub(crate) fn set_pair<T>(
    handle: *mut T,
    handle_name: &str,
    key: *const c_char,
    value: *const c_char,
    set: impl FnOnce(&mut T, &str, &str) -> Result<(), Error>,
) -> gameye_status {
    run_status(|| {
        let handle = handle_mut(handle, handle_name)?;
        set(handle, string(key, "key")?, string(value, "value")?)
    })
}

/// An out-pointer for a handle: cleared to NULL up front, so it is NULL on every failure.
pub(crate) struct Out<T>(*mut *mut T);

impl<T> Out<T> {
    pub fn new(pointer: *mut *mut T, name: &str) -> Result<Out<T>, Error> {
        if pointer.is_null() {
            return Err(null_argument(name));
        }
        // SAFETY: the caller passes a valid pointer to write a handle to.
        unsafe { *pointer = ptr::null_mut() };
        Ok(Out(pointer))
    }

    /// Hands `value` to the caller, who owns it from now on.
    pub fn write(self, value: T) {
        self.write_raw(Box::into_raw(Box::new(value)));
    }

    /// Hands a handle made otherwise to the caller.
    pub fn write_raw(self, handle: *mut T) {
        // SAFETY: checked non-NULL in `new`.
        unsafe { *self.0 = handle };
    }
}

/// An out-pointer for a plain value (bool, count, borrowed pointer): set to `zero` up front;
/// an optional one may be NULL.
pub(crate) struct OutValue<T: Copy>(*mut T);

impl<T: Copy> OutValue<T> {
    /// A required out-pointer.
    pub fn new(pointer: *mut T, name: &str, zero: T) -> Result<OutValue<T>, Error> {
        if pointer.is_null() {
            return Err(null_argument(name));
        }
        Ok(OutValue::optional(pointer, zero))
    }

    /// An out-pointer the caller may leave NULL.
    pub fn optional(pointer: *mut T, zero: T) -> OutValue<T> {
        if !pointer.is_null() {
            // SAFETY: the caller passes NULL or a valid pointer to write to.
            unsafe { *pointer = zero };
        }
        OutValue(pointer)
    }

    pub fn write(&self, value: T) {
        if !self.0.is_null() {
            // SAFETY: as in `optional`.
            unsafe { *self.0 = value };
        }
    }
}

/// An array of `count` NUL-terminated UTF-8 strings; NULL is allowed only with `count == 0`.
pub(crate) fn string_array<'a>(
    items: *const *const c_char,
    count: usize,
    name: &str,
) -> Result<Vec<&'a str>, Error> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if items.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: the caller passes `count` valid pointers.
    let pointers = unsafe { std::slice::from_raw_parts(items, count) };
    pointers
        .iter()
        .enumerate()
        .map(|(index, pointer)| string(*pointer, &format!("{name}[{index}]")))
        .collect()
}

/// Creates a handle the caller owns (builders).
pub(crate) fn new_handle<T>(value: T) -> *mut T {
    guard(ptr::null_mut(), || Box::into_raw(Box::new(value)))
}

/// Frees a handle made by `Out::write` or `new_handle`; NULL is a no-op.
pub(crate) fn free<T>(pointer: *mut T) {
    if !pointer.is_null() {
        // SAFETY: the caller passes a handle this library gave out, not yet freed.
        guard((), || drop(unsafe { Box::from_raw(pointer) }));
    }
}

/// A borrowed C string for an optional field.
pub(crate) fn opt_text(text: Option<&Text>) -> *const c_char {
    text.map_or(ptr::null(), Text::as_c_ptr)
}

/// A pointer to an element of a slice, NULL when out of range.
pub(crate) fn element<T>(items: &[T], index: usize) -> *const T {
    items
        .get(index)
        .map_or(ptr::null(), |item| item as *const T)
}
