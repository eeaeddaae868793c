//! The transport under every agent: ureq's own (TCP, TLS, proxies), watched for a lost
//! connection.
//!
//! ureq reads a reset, an abort or (over TLS) a close without `close_notify` as the clean end of
//! a body that has neither Content-Length nor chunked framing, so a truncated log or artifact
//! would pass for a whole one: the classic truncation attack. Here those failures become a
//! [`ConnectionLost`] error that ureq passes on as it is, and a clean end (a TCP FIN on plain
//! HTTP, `close_notify` over TLS) stays the end. The same wrapper records whether the connection
//! had carried an earlier exchange and whether any byte of the response had arrived, so that a
//! request that is otherwise sent once (join, leave) may be sent again after the one failure
//! that says the server never read it: a kept-alive connection it closed while we were sending.
//!
//! Written here because ureq offers no hook for either: its body reader maps these errors
//! itself, and its `Transport` trait is the documented place to wrap the connection.

use std::fmt;
use std::io;

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// Why a connection ended badly, carried inside the `io::Error` ureq passes on.
#[derive(Debug)]
pub(crate) struct ConnectionLost {
    /// The failure as the system or TLS reported it.
    pub kind: io::ErrorKind,
    /// The connection had carried an earlier request and response (it came from the pool).
    pub reused: bool,
    /// No byte of this request's response had arrived.
    pub before_response: bool,
    /// Over TLS, the peer closed without `close_notify`.
    pub tls: bool,
}

impl ConnectionLost {
    /// The failure that says the server never read the request: a pooled connection it closed
    /// (or reset) before any byte of the answer, as an idle timeout does while we send.
    pub fn is_stale_reuse(&self) -> bool {
        self.reused && self.before_response
    }

    /// The `ConnectionLost` inside an error ureq returned, if that is what it carries.
    pub fn of(error: &io::Error) -> Option<&ConnectionLost> {
        error.get_ref()?.downcast_ref::<ConnectionLost>()
    }
}

impl fmt::Display for ConnectionLost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.tls, self.kind) {
            (true, io::ErrorKind::UnexpectedEof) => "closed without TLS close_notify",
            (_, io::ErrorKind::UnexpectedEof) => "closed by the server",
            (_, io::ErrorKind::ConnectionReset) => "reset by the server",
            (_, io::ErrorKind::ConnectionAborted) => "aborted",
            (_, io::ErrorKind::BrokenPipe) => "closed while sending",
            _ => "lost",
        };
        let when = if self.before_response {
            "before any byte of the response"
        } else {
            "before the response was complete"
        };
        let reused = if self.reused {
            " (a kept-alive one)"
        } else {
            ""
        };
        write!(f, "the connection{reused} was {what} {when}")
    }
}

impl std::error::Error for ConnectionLost {}

/// The last link of every agent's connector chain: wraps each new connection in [`Watched`].
#[derive(Debug, Default)]
pub(crate) struct Watch;

impl Connector<Box<dyn Transport>> for Watch {
    type Out = Watched;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<Box<dyn Transport>>,
    ) -> Result<Option<Watched>, ureq::Error> {
        Ok(chained.map(|inner| Watched {
            inner,
            received: false,
            reused: false,
        }))
    }
}

/// One connection, and what the watch needs to know of it.
#[derive(Debug)]
pub(crate) struct Watched {
    inner: Box<dyn Transport>,
    /// A byte arrived since the last request was sent.
    received: bool,
    /// The request being sent or answered is not the connection's first.
    reused: bool,
}

impl Watched {
    /// A lost connection as [`ConnectionLost`]; every other error as it was.
    fn lost(&self, error: ureq::Error) -> ureq::Error {
        let ureq::Error::Io(io) = &error else {
            return error;
        };
        let kind = io.kind();
        let lost = matches!(
            kind,
            io::ErrorKind::UnexpectedEof
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
        );
        if !lost || ConnectionLost::of(io).is_some() {
            return error;
        }
        self.marked(kind)
    }

    fn marked(&self, kind: io::ErrorKind) -> ureq::Error {
        ureq::Error::Io(io::Error::other(ConnectionLost {
            kind,
            reused: self.reused,
            before_response: !self.received,
            tls: self.inner.is_tls(),
        }))
    }
}

impl Transport for Watched {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.received {
            // The previous exchange was answered: this is the next request on a kept connection.
            self.received = false;
            self.reused = true;
        }
        self.inner
            .transmit_output(amount, timeout)
            .map_err(|e| self.lost(e))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        match self.inner.await_input(timeout) {
            Ok(true) => {
                self.received = true;
                Ok(true)
            }
            // A clean close before any byte of the answer: ureq fails the request anyway
            // ("disconnected"); marked, the failure says whether the connection was reused.
            Ok(false) if !self.received => Err(self.marked(io::ErrorKind::UnexpectedEof)),
            Ok(false) => Ok(false),
            Err(error) => Err(self.lost(error)),
        }
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
