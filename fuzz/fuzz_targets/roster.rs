#![no_main]
//! Fuzzes the `roster` response decoder: any input must give a result or an error, never a panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gameye::model::decoders::roster(data);
});
