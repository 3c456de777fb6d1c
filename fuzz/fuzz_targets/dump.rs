//! Page-dump import: bytes of any encoding → decode → the dump parser.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = svodka::ingest::Source { name: "fuzz.txt".into(), bytes: data.into() };
    let _ = svodka::ingest::parse_source(&src);
});
