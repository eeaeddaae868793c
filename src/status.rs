//! The status of a finished call: the Rust side of `gameye_status`.

/// Why a call failed (or `Ok`). The numeric values are a stable ABI: never renumber them,
/// and keep a retired value reserved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// NULL where not allowed, bad UTF-8, out-of-range option, unsafe URL.
    InvalidArgument = 1,
    /// DNS, connect, TLS, connection reset, truncated body.
    Transport = 2,
    /// The configured timeout elapsed.
    Timeout = 3,
    /// A 2xx body that could not be understood.
    Decode = 4,
    /// HTTP 401.
    Unauthorized = 5,
    /// HTTP 402.
    QuotaExhausted = 6,
    /// HTTP 403.
    Forbidden = 7,
    /// HTTP 404.
    NotFound = 8,
    /// HTTP 409.
    Conflict = 9,
    /// HTTP 420 or 429.
    RateLimited = 10,
    /// HTTP 400 or 422.
    InvalidRequest = 11,
    /// HTTP 5xx.
    Server = 12,
    /// Any other non-2xx HTTP status.
    Http = 13,
    /// The call was cancelled.
    Cancelled = 14,
    /// A bug inside the library (a caught panic).
    Internal = 15,
    /// A waited-for session ended before it reached the state asked for (it died while
    /// starting, was stopped, exited, or is gone).
    SessionEnded = 16,
}

impl Status {
    /// Every status, in numeric order.
    pub const ALL: [Status; 17] = [
        Status::Ok,
        Status::InvalidArgument,
        Status::Transport,
        Status::Timeout,
        Status::Decode,
        Status::Unauthorized,
        Status::QuotaExhausted,
        Status::Forbidden,
        Status::NotFound,
        Status::Conflict,
        Status::RateLimited,
        Status::InvalidRequest,
        Status::Server,
        Status::Http,
        Status::Cancelled,
        Status::Internal,
        Status::SessionEnded,
    ];

    /// The status for a raw value, `None` for a value no status has.
    pub fn from_code(code: i32) -> Option<Status> {
        usize::try_from(code)
            .ok()
            .and_then(|index| Status::ALL.get(index).copied())
    }

    /// The status an HTTP response status maps to (`Ok` for 2xx).
    pub fn from_http(http_status: u16) -> Status {
        match http_status {
            200..=299 => Status::Ok,
            400 | 422 => Status::InvalidRequest,
            401 => Status::Unauthorized,
            402 => Status::QuotaExhausted,
            403 => Status::Forbidden,
            404 => Status::NotFound,
            409 => Status::Conflict,
            420 | 429 => Status::RateLimited,
            500..=599 => Status::Server,
            _ => Status::Http,
        }
    }

    /// The C constant's name, e.g. `"GAMEYE_STATUS_NOT_FOUND"`, NUL-terminated for the C ABI.
    pub fn c_name(self) -> &'static str {
        match self {
            Status::Ok => "GAMEYE_STATUS_OK\0",
            Status::InvalidArgument => "GAMEYE_STATUS_INVALID_ARGUMENT\0",
            Status::Transport => "GAMEYE_STATUS_TRANSPORT\0",
            Status::Timeout => "GAMEYE_STATUS_TIMEOUT\0",
            Status::Decode => "GAMEYE_STATUS_DECODE\0",
            Status::Unauthorized => "GAMEYE_STATUS_UNAUTHORIZED\0",
            Status::QuotaExhausted => "GAMEYE_STATUS_QUOTA_EXHAUSTED\0",
            Status::Forbidden => "GAMEYE_STATUS_FORBIDDEN\0",
            Status::NotFound => "GAMEYE_STATUS_NOT_FOUND\0",
            Status::Conflict => "GAMEYE_STATUS_CONFLICT\0",
            Status::RateLimited => "GAMEYE_STATUS_RATE_LIMITED\0",
            Status::InvalidRequest => "GAMEYE_STATUS_INVALID_REQUEST\0",
            Status::Server => "GAMEYE_STATUS_SERVER\0",
            Status::Http => "GAMEYE_STATUS_HTTP\0",
            Status::Cancelled => "GAMEYE_STATUS_CANCELLED\0",
            Status::Internal => "GAMEYE_STATUS_INTERNAL\0",
            Status::SessionEnded => "GAMEYE_STATUS_SESSION_ENDED\0",
        }
    }

    /// The C constant's name without the trailing NUL.
    pub fn name(self) -> &'static str {
        let c = self.c_name();
        &c[..c.len() - 1]
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_the_documented_ones() {
        for (index, status) in Status::ALL.iter().enumerate() {
            assert_eq!(*status as i32, index as i32);
            assert_eq!(Status::from_code(index as i32), Some(*status));
        }
        assert_eq!(Status::from_code(17), None);
        assert_eq!(Status::from_code(-1), None);
        assert_eq!(Status::Internal as i32, 15);
        assert_eq!(Status::SessionEnded as i32, 16);
    }

    #[test]
    fn http_statuses_map_as_the_contract_says() {
        let table = [
            (200, Status::Ok),
            (204, Status::Ok),
            (400, Status::InvalidRequest),
            (401, Status::Unauthorized),
            (402, Status::QuotaExhausted),
            (403, Status::Forbidden),
            (404, Status::NotFound),
            (409, Status::Conflict),
            (420, Status::RateLimited),
            (422, Status::InvalidRequest),
            (429, Status::RateLimited),
            (500, Status::Server),
            (503, Status::Server),
            (302, Status::Http),
            (418, Status::Http),
        ];
        for (http, status) in table {
            assert_eq!(Status::from_http(http), status, "HTTP {http}");
        }
    }

    #[test]
    fn names_match_the_constants() {
        assert_eq!(Status::NotFound.name(), "GAMEYE_STATUS_NOT_FOUND");
        assert!(Status::ALL.iter().all(|s| s.c_name().ends_with('\0')));
    }
}
