//! `gameye doctor`: where the endpoint and the token came from, whether the endpoint resolves and
//! answers, the TLS mode, the clock offset from the server's `Date`, and whether the token is
//! accepted; one line each (ok, warn, fail), with advice for each failure.

use std::net::ToSocketAddrs;
use std::time::{Duration, Instant};

use gameye::{ListOptions, Status};
use jiff::Timestamp;
use serde_json::{json, Value};

use crate::cli::Format;
use crate::failure::{exit, exit_code, Failure};
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

/// The host and port of an http(s) URL.
fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let default = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, tail) = bracketed.split_once(']')?;
        let port = tail
            .strip_prefix(':')
            .map_or(Some(default), |p| p.parse().ok())?;
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_owned(), port.parse().ok()?)),
        None => Some((authority.to_owned(), default)),
    }
}

/// An agent for the probe, trusting what the client would (the custom CA certificates or the
/// bundled roots) and using a proxy from the environment as the client does.
fn probe_agent(settings: &Settings, loopback: bool) -> ureq::Agent {
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(pem) = &settings.ca_pem {
        let certificates: Vec<_> = ureq::tls::parse_pem(pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&certificates));
    }
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(if loopback {
            None
        } else {
            ureq::Proxy::try_from_env()
        })
        .timeout_global(Some(settings.timeout.min(Duration::from_secs(15))))
        .tls_config(tls.build())
        .build();
    config.into()
}

fn checks(settings: &Settings) -> Vec<Check> {
    let mut out = Vec::new();
    let endpoint = &settings.endpoint;
    out.push(check(
        "endpoint",
        Verdict::Ok,
        format!("{endpoint} (from {})", settings.endpoint_source),
    ));
    match settings.token_summary() {
        Some(summary) => out.push(check(
            "token",
            Verdict::Ok,
            format!("{summary} (from {})", settings.token_source),
        )),
        None => out.push(
            check(
                "token",
                Verdict::Fail,
                format!("none ({} is empty or unset)", settings.token_source),
            )
            .advise("set GAMEYE_API_TOKEN, or pass --token-file PATH or --token-stdin"),
        ),
    }
    let https = endpoint.to_ascii_lowercase().starts_with("https://");
    let Some((host, port)) = host_port(endpoint) else {
        out.push(
            check(
                "resolve",
                Verdict::Fail,
                format!("{endpoint} is not an http(s) URL"),
            )
            .advise("pass --endpoint https://api.production-gameye.gameye.net (or --sandbox)"),
        );
        return out;
    };
    let loopback = host == "localhost" || host.starts_with("127.") || host == "::1";
    out.push(match (&settings.ca_source, https) {
        (_, false) if loopback => check(
            "tls",
            Verdict::Warn,
            "plain HTTP to loopback (the emulator?)",
        ),
        (_, false) => check(
            "tls",
            Verdict::Fail,
            "plain HTTP: the token would travel unencrypted",
        )
        .advise("use the https:// endpoint"),
        (Some(file), true) => check(
            "tls",
            Verdict::Ok,
            format!("verified against the CA certificates in {file} (not the bundled roots)"),
        ),
        (None, true) => check(
            "tls",
            Verdict::Ok,
            "verified against the bundled Mozilla roots",
        ),
    });

    match (host.as_str(), port).to_socket_addrs() {
        Ok(mut addresses) => match addresses.next() {
            Some(address) => out.push(check(
                "resolve",
                Verdict::Ok,
                format!("{host} resolves to {}", address.ip()),
            )),
            None => out.push(
                check("resolve", Verdict::Fail, format!("{host} has no address"))
                    .exit(exit::TRANSPORT),
            ),
        },
        Err(e) => {
            out.push(
                check(
                    "resolve",
                    Verdict::Fail,
                    format!("{host} does not resolve: {e}"),
                )
                .advise("check the endpoint's spelling, and this machine's DNS")
                .exit(exit::TRANSPORT),
            );
            return out;
        }
    }

    // The endpoint answers (any HTTP status will do: no token is sent), and its Date header.
    let url = format!("{}/session", endpoint.trim_end_matches('/'));
    let started = Instant::now();
    let answer = probe_agent(settings, loopback).get(&url).call();
    match answer {
        Ok(response) => {
            let elapsed = started.elapsed().as_millis();
            let html = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("html"));
            let detail = format!(
                "HTTP {} without a token, in {elapsed} ms",
                response.status().as_u16()
            );
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
            let date = response
                .headers()
                .get("date")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            out.push(clock(date.as_deref()));
        }
        Err(e) => {
            out.push(
                check(
                    "answers",
                    Verdict::Fail,
                    format!("no answer from {url}: {e}"),
                )
                .advise(
                    "a firewall or proxy in the way? HTTPS_PROXY is used when set; a \
                         TLS-inspecting proxy needs its CA certificate in --ca-file",
                )
                .exit(exit::TRANSPORT),
            );
            return out;
        }
    }

    if settings.token.is_none() {
        return out;
    }
    let accepted = settings.client().and_then(|client| {
        client
            .list_sessions(&ListOptions::new())
            .map_err(Failure::from)
    });
    out.push(match accepted {
        Ok(sessions) => {
            let detail = format!("the token lists sessions ({} running)", sessions.len());
            check("accepted", Verdict::Ok, detail)
        }
        Err(failure) => {
            let advice = match failure.status {
                Some(Status::Unauthorized) => failure.hint.clone().unwrap_or_else(|| {
                    "a sandbox token on production, or the reverse? Check --sandbox/--production"
                        .to_owned()
                }),
                Some(Status::Forbidden) => "the token lacks the session:read scope".to_owned(),
                _ => failure
                    .hint
                    .clone()
                    .unwrap_or_else(|| "see the message".to_owned()),
            };
            let detail = failure.line().trim_start_matches("gameye: ").to_owned();
            check("accepted", Verdict::Fail, detail)
                .advise(advice)
                .exit(failure.status.map_or(exit::USAGE, exit_code))
        }
    });
    out
}

/// The clock offset from the server's `Date` header (one-second resolution).
fn clock(date: Option<&str>) -> Check {
    let Some(date) = date else {
        return check("clock", Verdict::Warn, "the server sent no Date header");
    };
    let Ok(server) = jiff::fmt::rfc2822::parse(date) else {
        return check(
            "clock",
            Verdict::Warn,
            format!("the server's Date {date:?} could not be read"),
        );
    };
    let offset = (Timestamp::now().as_second() - server.timestamp().as_second()).abs();
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
            outln!("{verdict:<4}  {:<9} {}", c.name, c.detail);
            if let Some(advice) = &c.advice {
                outln!("      {:<9} \u{2192} {advice}", "");
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
