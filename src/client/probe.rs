//! The client's connection rules, exposed for diagnostics (`gameye doctor`, editor tools): the
//! endpoint as the client checked it, the TLS roots it trusts, one probe request on the client's
//! own agent (its TLS settings, proxy and resolver), and a check of the token's access operation
//! by operation that changes nothing. A diagnosis built on these can never approve what the
//! client would refuse: it asks the client.
//!
//! Naming the certificate a TLS failure is about needs the server's chain, which neither ureq
//! nor rustls hands back from a failed handshake; so after a failed probe, a second handshake
//! with a verifier that only records the chain (and then fails it) reads the leaf's subject and
//! issuer, with the dozen lines of DER reading below (no x509 crate is in the build).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ureq::http::{self, Method};

use super::transport::Connection;
use super::Error;
use crate::Status;

/// The TLS trust a client uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsRoots {
    /// Plain `http://`: no TLS (loopback, or allowed with `set_allow_insecure_http`).
    None,
    /// The bundled Mozilla roots (webpki-roots).
    Bundled,
    /// The CA certificates the config set, this many, in place of the bundled roots.
    Custom(usize),
}

/// What one probe request found.
#[derive(Clone, Debug)]
pub struct Probe {
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// From sending the request to the response head.
    pub elapsed: Duration,
    /// The server's clock, from its `Date` header (one-second resolution).
    pub server_time: Option<SystemTime>,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// `https`: the TLS handshake completed and the server's certificate was verified against
    /// the client's roots (a probe over TLS has no answer otherwise).
    pub tls_verified: bool,
}

/// Whether the token may call an operation, as the server said.
#[derive(Clone, Debug)]
pub enum Grant {
    /// The request passed authorization (any answer other than 401 and 403).
    Granted,
    /// 401 (the token is not accepted) or 403 (it lacks the scope); the server's error.
    Refused(Error),
    /// No answer, or one that says nothing about access (a transport error, a 5xx).
    Unknown(Error),
}

/// One operation's access check.
#[derive(Clone, Debug)]
pub struct Access {
    /// The scope the operation needs, e.g. `session:stop`.
    pub scope: &'static str,
    /// The operation, e.g. "stop a session".
    pub operation: &'static str,
    /// Whether the token has the scope, as the server said.
    pub grant: Grant,
}

/// For each scope, a request that needs it and can change nothing: a list; a start whose body
/// lacks every required field (authorization is checked before validation); a stop, logs and
/// artifacts of the nil UUID, which no session has (the API's ids are version 4); the locations
/// of an image that cannot exist.
const CHECKS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    ("session:read", "list sessions", "GET", "/session", None),
    (
        "session:start",
        "start a session",
        "POST",
        "/session",
        Some("{}"),
    ),
    (
        "session:stop",
        "stop a session",
        "DELETE",
        "/session/00000000-0000-0000-0000-000000000000",
        None,
    ),
    (
        "logs:read",
        "read logs",
        "GET",
        "/logs?id=00000000-0000-0000-0000-000000000000",
        None,
    ),
    (
        "artifact:read",
        "download artifacts",
        "GET",
        "/artifacts?session=00000000-0000-0000-0000-000000000000&path=%2F",
        None,
    ),
    (
        "regions:read",
        "list locations and tags",
        "GET",
        "/available-location/gameye-doctor-no-such-image",
        None,
    ),
];

impl Connection {
    pub(crate) fn tls_roots(&self) -> TlsRoots {
        if !self.core.base.https {
            return TlsRoots::None;
        }
        match &self.core.roots {
            Some(ureq::tls::RootCerts::Specific(certificates)) => {
                TlsRoots::Custom(certificates.len())
            }
            _ => TlsRoots::Bundled,
        }
    }

    /// One request (`method` `path`, once, no retry), its answer whatever its status.
    fn probe_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorized: bool,
    ) -> Result<(http::Response<ureq::Body>, Duration), Error> {
        let mut request = http::Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a known method"))
            .uri(format!("{}{path}", self.core.base.url))
            .header("Accept", "application/json");
        if authorized {
            request = request.header("Authorization", &self.core.authorization);
        }
        let started = Instant::now();
        let sent = match body {
            Some(body) => request
                .header("Content-Type", "application/json")
                .body(body.as_bytes().to_vec())
                .map(|r| self.agent.run(r)),
            None => request.body(()).map(|r| self.agent.run(r)),
        };
        let response = sent
            .map_err(|e| self.transport_error(e.into()))?
            .map_err(|e| self.transport_error(e))?;
        Ok((response, started.elapsed()))
    }

    /// `GET /session` once, with the token or without; see [`super::Client::probe`].
    pub(crate) fn probe(&self, authorized: bool) -> Result<Probe, Error> {
        let (response, elapsed) = self
            .probe_request("GET", "/session", None, authorized)
            .map_err(|error| self.explain_tls(error))?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let server_time = header("date")
            .and_then(|d| super::retry::parse_imf_fixdate(&d))
            .map(|s| UNIX_EPOCH + Duration::from_secs(s));
        Ok(Probe {
            http_status: response.status().as_u16(),
            elapsed,
            server_time,
            content_type: header("content-type"),
            tls_verified: self.core.base.https,
        })
    }

    /// See [`super::Client::check_access`].
    pub(crate) fn check_access(&self) -> Vec<Access> {
        CHECKS
            .iter()
            .map(|&(scope, operation, method, path, body)| {
                let grant = match self.probe_request(method, path, body, true) {
                    Ok((response, _)) => match response.status().as_u16() {
                        401 | 403 => Grant::Refused(self.answer_error(response)),
                        500.. => Grant::Unknown(self.answer_error(response)),
                        _ => Grant::Granted,
                    },
                    Err(error) => Grant::Unknown(error),
                };
                Access {
                    scope,
                    operation,
                    grant,
                }
            })
            .collect()
    }

    /// The error a non-2xx answer amounts to, as any call would report it.
    fn answer_error(&self, mut response: http::Response<ureq::Body>) -> Error {
        let status = response.status().as_u16();
        let mut body = Vec::new();
        let _ = response
            .body_mut()
            .with_config()
            .reader()
            .take(64 * 1024)
            .read_to_end(&mut body);
        Error::from_response(status, &body, &self.core.base.url, None).redact(self.core.token())
    }

    /// A failed TLS probe, said more exactly: a port that answers plain HTTP, or the
    /// certificate the server presented (subject and issuer).
    fn explain_tls(&self, error: Error) -> Error {
        if !self.core.base.https || error.status() != Status::Transport {
            return error;
        }
        let Some((host, port)) = host_port(&self.core.base.authority) else {
            return error;
        };
        let timeout = self.core.timeout.min(Duration::from_secs(10));
        let connect = || {
            let address = (host.as_str(), port).to_socket_addrs().ok()?.next()?;
            let stream = TcpStream::connect_timeout(&address, timeout).ok()?;
            stream.set_read_timeout(Some(timeout)).ok()?;
            stream.set_write_timeout(Some(timeout)).ok()?;
            Some(stream)
        };
        // Through a proxy the server's port is not ours to dial.
        if ureq::Proxy::try_from_env().is_some() && !self.core.base.loopback {
            return error;
        }
        if let Some(mut stream) = connect() {
            let mut head = [0u8; 5];
            let plain = stream
                .write_all(b"HEAD / HTTP/1.0\r\n\r\n")
                .and_then(|()| stream.read_exact(&mut head))
                .is_ok_and(|()| &head == b"HTTP/");
            if plain {
                return Error::new(
                    Status::Transport,
                    format!(
                        "{}: the port answers plain HTTP, not TLS (use http:// for a local \
                         emulator, or the port that serves https)",
                        self.core.base.authority
                    ),
                );
            }
        }
        match connect().and_then(|stream| presented_certificate(stream, &host)) {
            Some(certificate) => Error::new(
                Status::Transport,
                format!("{}; the server presented {certificate}", error.message()),
            ),
            None => error,
        }
    }
}

/// `host` and `port` of an authority (`host[:port]`, `[v6][:port]`), https's 443 by default.
fn host_port(authority: &str) -> Option<(String, u16)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .map_or(Some(443), |p| p.parse().ok())?;
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_owned(), port.parse().ok()?)),
        None => Some((authority.to_owned(), 443)),
    }
}

/// How the recording handshake ends: never verified (only the certificate's names are wanted).
fn recorded() -> rustls::Error {
    rustls::Error::General("recorded".into())
}

/// Records the server's leaf certificate and fails the handshake: only its names are wanted.
#[derive(Debug)]
struct Recorder {
    leaf: Mutex<Option<Vec<u8>>>,
    schemes: Vec<rustls::SignatureScheme>,
}

impl rustls::client::danger::ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        *self.leaf.lock().unwrap_or_else(|e| e.into_inner()) = Some(end_entity.to_vec());
        Err(recorded())
    }

    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Err(recorded())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &rustls::pki_types::CertificateDer<'_>,
        signature: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.verify_tls12_signature(message, certificate, signature)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.schemes.clone()
    }
}

/// "the certificate CN=... issued by CN=..." of the server at the end of `stream`.
fn presented_certificate(mut stream: TcpStream, host: &str) -> Option<String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let recorder = Arc::new(Recorder {
        leaf: Mutex::new(None),
        schemes: provider
            .signature_verification_algorithms
            .supported_schemes(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned()).ok()?;
    let mut connection = rustls::ClientConnection::new(Arc::new(config), name).ok()?;
    while connection.is_handshaking() {
        if connection.complete_io(&mut stream).is_err() {
            break;
        }
    }
    let leaf = recorder.leaf.lock().ok()?.take()?;
    let (subject, issuer) = der::names(&leaf)?;
    Some(format!("the certificate {subject}, issued by {issuer}"))
}

/// Just enough DER to read a certificate's subject and issuer common names.
mod der {
    /// The tag, the contents and the rest after one DER element.
    fn element(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = bytes.split_first()?;
        let (&first, mut rest) = rest.split_first()?;
        let length = if first < 0x80 {
            first as usize
        } else {
            let count = (first & 0x7f) as usize;
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (digits, after) = rest.split_at(count);
            rest = after;
            digits.iter().fold(0usize, |n, &b| (n << 8) | b as usize)
        };
        (rest.len() >= length).then(|| (tag, &rest[..length], &rest[length..]))
    }

    /// A Name's attributes as "CN=a, O=b" (CN, O and OU only; others skipped).
    fn name(mut set: &[u8]) -> String {
        let mut parts = Vec::new();
        while let Some((_, rdn, rest)) = element(set) {
            set = rest;
            let Some((_, pair, _)) = element(rdn) else {
                continue;
            };
            let Some((_, oid, after)) = element(pair) else {
                continue;
            };
            let Some((_, value, _)) = element(after) else {
                continue;
            };
            let label = match oid {
                [0x55, 0x04, 0x03] => "CN",
                [0x55, 0x04, 0x0a] => "O",
                [0x55, 0x04, 0x0b] => "OU",
                _ => continue,
            };
            let text: String = String::from_utf8_lossy(value)
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            parts.push(format!("{label}={text}"));
        }
        if parts.is_empty() {
            "(no name)".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// (subject, issuer) of a DER certificate.
    pub fn names(certificate: &[u8]) -> Option<(String, String)> {
        let (_, body, _) = element(certificate)?;
        let (_, tbs, _) = element(body)?;
        let mut rest = tbs;
        // [0] version, when present.
        if rest.first() == Some(&0xa0) {
            rest = element(rest)?.2;
        }
        let (_, _serial, rest) = element(rest)?;
        let (_, _algorithm, rest) = element(rest)?;
        let (_, issuer, rest) = element(rest)?;
        let (_, _validity, rest) = element(rest)?;
        let (_, subject, _) = element(rest)?;
        Some((name(subject), name(issuer)))
    }
}
