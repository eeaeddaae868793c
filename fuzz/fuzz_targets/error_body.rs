#![no_main]
//! Fuzzes the `error_body` response decoder: any input must give a result or an error, never a panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gameye::model::decoders::error_body(data);
});
