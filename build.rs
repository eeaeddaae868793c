//! Gives the Linux shared library its SONAME, `libgameye.so.<major>` (`libgameye.so.0` now):
//! programs linked against it record that name, so a compatible release (same major version, see
//! abi/gameye.abi) replaces it in place. Nothing else is built here.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libgameye.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
