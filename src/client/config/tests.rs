//! Tests of the client config.

use super::*;

#[test]
fn setters_reject_bad_values() {
    let mut config = ClientConfig::new();
    assert!(config.set_token("").is_err());
    assert!(config.set_token("a b").is_err());
    assert!(config.set_token("a\r\nX-Evil: 1").is_err());
    assert!(config.set_token("tökén").is_err());
    assert!(config.set_timeout(Duration::ZERO).is_err());
    assert!(config.set_base_url("https://u:p@h").is_err());
    assert!(config.set_token("good-token").is_ok());
}

#[test]
fn a_failed_setter_poisons_the_config() {
    let mut config = ClientConfig::new();
    config.set_token("good-token").unwrap();
    assert!(config.set_base_url("ftp://nowhere").is_err());
    // Without the poison, the production default would stand in for the failed URL.
    let error = config.resolve().unwrap_err();
    assert_eq!(error.status(), crate::Status::InvalidArgument);
    assert!(error.message().contains("a setter failed"), "{error}");
    // A later good setting does not heal it: the caller ignored a failure.
    config
        .set_base_url("https://api.sandbox-gameye.gameye.net")
        .unwrap();
    assert!(config.resolve().is_err());
}

#[test]
fn plain_http_needs_loopback_or_an_opt_in() {
    let mut config = ClientConfig::new();
    config.set_token("t").unwrap();
    config.set_base_url("http://10.0.0.1").unwrap();
    let error = config.resolve().unwrap_err();
    assert!(error.message().contains("unencrypted"));
    config.set_allow_insecure_http(true);
    assert!(config.resolve().is_ok());
    config
        .set_base_url("http://127.0.0.1:1")
        .unwrap()
        .set_allow_insecure_http(false);
    assert!(config.resolve().is_ok());
}

#[test]
fn debug_never_shows_the_token() {
    let mut config = ClientConfig::new();
    config.set_token("secret-token-value").unwrap();
    assert!(!format!("{config:?}").contains("secret-token-value"));
}
