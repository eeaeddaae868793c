#![no_main]
//! Fuzzes the `tag` response decoder: any input must give a result or an error, never a panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gameye::model::decoders::tag(data);
});
