//! TLS is always verified: a server whose certificate was issued by an unknown CA is refused;
//! trusting that CA (gameye_client_config_set_ca_certificates_pem) lets it through. The CA and
//! certificate are made for the test with the openssl command line; the server is rustls on
//! loopback.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use gameye::client::RetryPolicy;
use gameye::{Client, ClientConfig, ListOptions, Status};

/// Runs openssl in `dir`, failing the test with its output.
fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is missing: run scripts/setup.sh");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A CA, and a certificate for 127.0.0.1 it issued; returns the directory holding ca.pem,
/// server.der and server.key.der.
fn make_pki(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gameye-tls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    openssl(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=gameye test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ],
    );
    openssl(
        &dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-in",
            "server.pem",
            "-outform",
            "DER",
            "-out",
            "server.der",
        ],
    );
    openssl(
        &dir,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "server.key",
            "-outform",
            "DER",
            "-out",
            "server.key.der",
        ],
    );
    dir
}

/// Serves `{"sessions":[]}` over TLS to each connection, closing with close_notify; returns
/// the port.
fn serve(pki: &Path) -> u16 {
    serve_with(pki, |tls| {
        let body = r#"{"sessions":[]}"#;
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = tls.write_all(response.as_bytes());
        let _ = tls.flush();
        tls.conn.send_close_notify();
        let _ = tls.flush();
    })
}

type TlsStream = rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>;

/// Serves TLS on loopback: `respond` answers each connection once its request head was read.
fn serve_with(pki: &Path, respond: fn(&mut TlsStream)) -> u16 {
    let certificate =
        rustls::pki_types::CertificateDer::from(std::fs::read(pki.join("server.der")).unwrap());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(
        std::fs::read(pki.join("server.key.der")).unwrap().into(),
    );
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
                let Ok(connection) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(connection, tcp);
                let mut reader = BufReader::new(&mut tls);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                respond(&mut tls);
            });
        }
    });
    port
}

fn client(port: u16, ca: Option<&Path>) -> Client {
    let mut config = ClientConfig::new();
    config
        .set_base_url(&format!("https://127.0.0.1:{port}"))
        .unwrap()
        .set_token("t")
        .unwrap();
    config.set_retry(RetryPolicy::NONE).unwrap();
    config.set_timeout(Duration::from_secs(10)).unwrap();
    if let Some(ca) = ca {
        config
            .set_ca_certificates_pem(&std::fs::read(ca).unwrap())
            .unwrap();
    }
    Client::new(&config).unwrap()
}

#[test]
fn certificates_are_verified_and_a_configured_ca_is_trusted() {
    let pki = make_pki("server");
    let other = make_pki("other");
    let port = serve(&pki);

    let refused = client(port, None)
        .list_sessions(&ListOptions::new())
        .unwrap_err();
    assert_eq!(refused.status(), Status::Transport, "{refused}");
    assert!(
        refused.message().contains("TLS")
            || refused.message().to_lowercase().contains("certificate"),
        "{refused}"
    );

    let trusted = client(port, Some(&pki.join("ca.pem"))).list_sessions(&ListOptions::new());
    assert!(trusted.unwrap().is_empty());

    let wrong_ca = client(port, Some(&other.join("ca.pem")))
        .list_sessions(&ListOptions::new())
        .unwrap_err();
    assert_eq!(wrong_ca.status(), Status::Transport, "{wrong_ca}");

    let mut config = ClientConfig::new();
    assert!(config.set_ca_certificates_pem(b"no pem here").is_err());
    let garbage = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assert!(config.set_ca_certificates_pem(garbage).is_err());
    std::fs::remove_dir_all(pki).unwrap();
    std::fs::remove_dir_all(other).unwrap();
}

/// Over TLS, a body without Content-Length or chunked framing ends only with close_notify: a
/// close without it (the truncation attack: an attacker on the path can send a FIN) is a
/// `Transport` failure, never a success with what arrived before it.
#[test]
fn a_close_delimited_body_without_close_notify_is_truncated() {
    let pki = make_pki("truncation");
    fn half(tls: &mut TlsStream) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
        let _ = tls.write_all(head.as_bytes());
        let _ = tls.write_all(b"line one\nline t");
        let _ = tls.flush();
    }
    fn whole(tls: &mut TlsStream) {
        half(tls);
        tls.conn.send_close_notify();
        let _ = tls.flush();
    }
    let truncated = client(serve_with(&pki, half), Some(&pki.join("ca.pem")));
    let error = truncated.logs("s").expect_err("no close_notify: truncated");
    assert_eq!(error.status(), Status::Transport, "{error}");
    assert!(error.message().contains("close_notify"), "{error}");

    let complete = client(serve_with(&pki, whole), Some(&pki.join("ca.pem")));
    assert_eq!(complete.logs("s").unwrap().as_bytes(), b"line one\nline t");
    std::fs::remove_dir_all(pki).unwrap();
}

#[test]
fn a_probe_reports_tls_only_after_a_verified_handshake_and_names_a_refused_certificate() {
    let pki = make_pki("probe");
    let port = serve(&pki);

    let refused = client(port, None).probe(false).unwrap_err();
    assert_eq!(refused.status(), Status::Transport);
    assert!(
        refused
            .message()
            .contains("the certificate CN=127.0.0.1, issued by CN=gameye test CA"),
        "{}",
        refused.message()
    );

    let trusted = client(port, Some(&pki.join("ca.pem")));
    assert_eq!(trusted.tls_roots(), gameye::client::TlsRoots::Custom(1));
    let probe = trusted.probe(false).unwrap();
    assert!(probe.tls_verified);
    assert_eq!(probe.http_status, 200);
    assert!(probe.elapsed < Duration::from_secs(10));
}
