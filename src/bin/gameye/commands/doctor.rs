//! `gameye doctor`: every check asks the library's own rules, so it can never approve what a
//! call would refuse. In order: the endpoint (checked as the client checks it), the token
//! (where it came from, its length and last four characters), the client built from both (plain
//! HTTP off loopback is refused there), name resolution, one probe without the token (does it
//! answer, and how fast), TLS (reported only after that probe's handshake and certificate check,
//! naming the failing certificate or a port that speaks plain HTTP), the clock against the
//! server's `Date`, and the token's access scope by scope with requests that change nothing. One
//! line each (ok, warn, FAIL), with advice for each failure.

use std::net::ToSocketAddrs;
use std::time::SystemTime;

use gameye::client::{Grant, TlsRoots};
use gameye::{Client, ClientConfig, Status};
use serde_json::{json, Value};

use crate::cli::Format;
use crate::failure::{exit, exit_code, Failure};
use crate::output::escape;
use crate::settings::Settings;
use crate::{outln, render};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

struct Check {
    name: &'static str,
    verdict: Verdict,
    detail: String,
    advice: Option<String>,
    /// The exit code a failure of this check gives.
    code: u8,
}

fn check(name: &'static str, verdict: Verdict, detail: impl Into<String>) -> Check {
    Check {
        name,
        verdict,
        detail: detail.into(),
        advice: None,
        code: exit::USAGE,
    }
}

impl Check {
    fn advise(mut self, advice: impl Into<String>) -> Check {
        self.advice = Some(advice.into());
        self
    }

    fn exit(mut self, code: u8) -> Check {
        self.code = code;
        self
    }
}

/// A library error as a check's detail: its message (the hint goes to the advice).
fn failed(name: &'static str, error: &gameye::Error) -> Check {
    let http = match error.http_status() {
        0 => String::new(),
        status => format!(" (HTTP {status})"),
    };
    let status = error.status().name().trim_start_matches("GAMEYE_STATUS_");
    let detail = format!("{status}{http}: {}", error.message());
    let checked = check(name, Verdict::Fail, detail).exit(exit_code(error.status()));
    match error.hint() {
        Some(hint) => checked.advise(hint),
        None => checked,
    }
}

/// The host of a checked base URL (`scheme://host[:port][/prefix]`).
fn host_of(endpoint: &str) -> (String, u16) {
    let https = endpoint.starts_with("https://");
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let default = if https { 443 } else { 80 };
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, tail) = bracketed.split_once(']').unwrap_or((bracketed, ""));
        let port = tail.strip_prefix(':').and_then(|p| p.parse().ok());
        return (host.to_owned(), port.unwrap_or(default));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host.to_owned(), port.parse().unwrap_or(default)),
        None => (authority.to_owned(), default),
    }
}

/// The client `settings` make, or the check that says why the library refuses it.
fn client(settings: &Settings, out: &mut Vec<Check>) -> Option<Client> {
    let mut config = ClientConfig::new();
    if let Err(error) = config.set_base_url(&settings.endpoint) {
        out.push(
            failed("endpoint", &error)
                .advise("pass --endpoint https://api.production-gameye.gameye.net (or --sandbox)"),
        );
        return None;
    }
    let token = settings
        .token
        .as_deref()
        .unwrap_or("doctor-without-a-token");
    let built = config
        .set_token(token)
        .and_then(|c| c.set_timeout(settings.timeout))
        .and_then(|c| match &settings.ca_pem {
            Some(pem) => c.set_ca_certificates_pem(pem),
            None => Ok(c),
        })
        .and_then(|c| Client::new(c));
    match built {
        Ok(client) => {
            out.push(check(
                "endpoint",
                Verdict::Ok,
                format!(
                    "{} (from {})",
                    escape(client.endpoint()),
                    settings.endpoint_source
                ),
            ));
            Some(client)
        }
        Err(error) => {
            out.push(failed("client", &error));
            None
        }
    }
}

fn token(settings: &Settings) -> Check {
    match settings.token_summary() {
        Some(summary) => check(
            "token",
            Verdict::Ok,
            format!("{summary} (from {})", settings.token_source),
        ),
        None => check(
            "token",
            Verdict::Fail,
            format!("none (from {})", settings.token_source),
        )
        .advise("set GAMEYE_API_TOKEN, or pass --token-file PATH or --token-stdin"),
    }
}

fn checks(settings: &Settings) -> Vec<Check> {
    let mut out = Vec::new();
    let Some(client) = client(settings, &mut out) else {
        out.push(token(settings));
        return out;
    };
    out.push(token(settings));
    let endpoint = client.endpoint().to_owned();
    let (host, port) = host_of(&endpoint);
    match (host.as_str(), port).to_socket_addrs() {
        Ok(mut addresses) => match addresses.next() {
            Some(address) => out.push(check(
                "resolve",
                Verdict::Ok,
                format!("{} resolves to {}", escape(&host), address.ip()),
            )),
            None => out.push(
                check(
                    "resolve",
                    Verdict::Fail,
                    format!("{} has no address", escape(&host)),
                )
                .exit(exit::TRANSPORT),
            ),
        },
        Err(e) => {
            out.push(
                check(
                    "resolve",
                    Verdict::Fail,
                    format!("{} does not resolve: {e}", escape(&host)),
                )
                .advise("check the endpoint's spelling, and this machine's DNS")
                .exit(exit::TRANSPORT),
            );
            return out;
        }
    }

    // One request without the token: does it answer (any status will do), through TLS?
    let roots = client.tls_roots();
    let probe = match client.probe(false) {
        Ok(probe) => probe,
        Err(error) => {
            let advice = if roots == TlsRoots::None {
                "a firewall or proxy in the way? HTTPS_PROXY is used when set"
            } else {
                "a firewall or proxy in the way? HTTPS_PROXY is used when set; a TLS-inspecting \
                 proxy needs its CA certificate in --ca-file"
            };
            let message = error.message();
            let plain = message.contains("plain HTTP");
            let tls = plain || message.contains("certificate") || message.contains("TLS");
            let name = if tls { "tls" } else { "answers" };
            let mut failure = failed(name, &error).exit(exit::TRANSPORT);
            // A plain-HTTP port's message says what to do; others get the usual suspects.
            if !plain {
                failure = failure.advise(advice);
            }
            out.push(failure);
            return out;
        }
    };
    let detail = format!(
        "HTTP {} without a token, in {} ms",
        probe.http_status,
        probe.elapsed.as_millis()
    );
    let html = probe
        .content_type
        .as_deref()
        .is_some_and(|t| t.contains("html"));
    out.push(if html {
        check(
            "answers",
            Verdict::Warn,
            format!("{detail}, as an HTML page"),
        )
        .advise("an API answers JSON: a proxy or captive portal may be in the way")
    } else {
        check("answers", Verdict::Ok, detail)
    });
    out.push(match (roots, probe.tls_verified) {
        (TlsRoots::None, _) => check(
            "tls",
            Verdict::Warn,
            "none: plain HTTP to loopback (the emulator?)",
        ),
        (TlsRoots::Bundled, true) => check(
            "tls",
            Verdict::Ok,
            "handshake done, certificate verified against the bundled Mozilla roots",
        ),
        (TlsRoots::Custom(n), true) => check(
            "tls",
            Verdict::Ok,
            format!(
                "handshake done, certificate verified against the {n} CA certificate(s) in {} \
                 (not the bundled roots)",
                settings.ca_source.as_deref().unwrap_or("--ca-file")
            ),
        ),
        (_, false) => check("tls", Verdict::Fail, "the answer came without TLS"),
    });
    out.push(clock(probe.server_time));

    if settings.token.is_none() {
        return out;
    }
    match client.check_access() {
        Ok(access) => out.extend(access_checks(&access)),
        Err(error) => out.push(failed("access", &error)),
    }
    out
}

/// The token's access: one line per scope, or one failure when no token is accepted at all.
fn access_checks(access: &[gameye::client::Access]) -> Vec<Check> {
    let unauthorized = access.iter().find_map(|a| match &a.grant {
        Grant::Refused(error) if error.status() == Status::Unauthorized => Some(error),
        _ => None,
    });
    if let Some(error) = unauthorized {
        let mut failure = failed("accepted", error);
        if failure.advice.is_none() {
            failure = failure.advise(
                "a sandbox token on production, or the reverse? Check --sandbox/--production",
            );
        }
        return vec![failure];
    }
    let granted = access
        .iter()
        .filter(|a| matches!(a.grant, Grant::Granted))
        .count();
    let mut out = vec![if granted == 0 {
        check(
            "accepted",
            Verdict::Fail,
            "the token is refused every operation",
        )
        .advise("give the token the scopes it needs in the Gameye dashboard")
        .exit(exit::AUTH)
    } else {
        check(
            "accepted",
            Verdict::Ok,
            format!(
                "the token is accepted ({granted} of {} scopes)",
                access.len()
            ),
        )
    }];
    for a in access {
        let what = format!("{} ({})", a.scope, a.operation);
        out.push(match &a.grant {
            Grant::Granted => check("access", Verdict::Ok, what),
            Grant::Refused(error) => check(
                "access",
                Verdict::Warn,
                format!("{what}: refused (HTTP {})", error.http_status()),
            )
            .advise(format!(
                "the token lacks {}: add it if this tool must {}",
                a.scope, a.operation
            )),
            Grant::Unknown(error) => check(
                "access",
                Verdict::Warn,
                format!("{what}: unknown ({})", escape(error.message())),
            ),
        });
    }
    out
}

/// The clock offset from the server's `Date` header (one-second resolution).
fn clock(server: Option<SystemTime>) -> Check {
    let Some(server) = server else {
        return check(
            "clock",
            Verdict::Warn,
            "the server sent no readable Date header",
        );
    };
    let now = SystemTime::now();
    let offset = now
        .duration_since(server)
        .or_else(|_| server.duration_since(now))
        .map_or(0, |d| d.as_secs());
    let detail = format!("this machine is {offset} s from the server's clock");
    if offset <= 5 {
        check("clock", Verdict::Ok, detail)
    } else {
        check("clock", Verdict::Warn, detail)
            .advise("sync the clock (NTP): session times and TTLs will look shifted by as much")
    }
}

pub fn run(settings: &Settings, format: Format) -> Result<(), Failure> {
    let checks = checks(settings);
    if format == Format::Json {
        let list: Vec<Value> = checks
            .iter()
            .map(|c| {
                json!({
                    "check": c.name,
                    "result": c.verdict.name(),
                    "detail": c.detail,
                    "advice": c.advice,
                })
            })
            .collect();
        render::print_json(
            &json!({"ok": checks.iter().all(|c| c.verdict != Verdict::Fail), "checks": list}),
        );
    } else {
        for c in &checks {
            let verdict = match c.verdict {
                Verdict::Fail => "FAIL",
                other => other.name(),
            };
            outln!("{verdict:<4}  {:<9} {}", c.name, escape(&c.detail));
            if let Some(advice) = &c.advice {
                outln!("      {:<9} \u{2192} {}", "", escape(advice));
            }
        }
    }
    match checks.iter().find(|c| c.verdict == Verdict::Fail) {
        Some(failed) => Err(Failure {
            code: failed.code,
            reported: true,
            ..Failure::usage(format!("doctor: {} failed", failed.name))
        }),
        None => Ok(()),
    }
}
