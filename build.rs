//! Gives the packaged Linux shared library its SONAME, `libgameye.so.<major>` (`libgameye.so.0`
//! now), so that programs linked against a release bundle record that name and a compatible
//! release (same major version, see abi/gameye.abi) replaces it in place.
//!
//! Only when `GAMEYE_SONAME=1` is set (scripts/package.sh sets it, and ships the
//! `libgameye.so.<major>` file with a `libgameye.so` link to it). A plain `cargo build` leaves the
//! SONAME out: its output has no `libgameye.so.<major>` file, and a program linked to
//! `target/<profile>/libgameye.so` must find that very file when it starts. Nothing else is built
//! here.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=GAMEYE_SONAME");
    let packaged = std::env::var("GAMEYE_SONAME").as_deref() == Ok("1");
    if packaged && std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libgameye.so.{major}");
    }
}
