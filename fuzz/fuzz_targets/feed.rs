//! Feed documents: sniffing, decoding (BOM, declaration, detection) and parsing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // svodka runs feed-rs under catch_unwind (a panic there is that feed's
    // error); libFuzzer's hook would abort on it before the catch. A panic
    // that escapes svodka still aborts: fuzz_target! aborts on unwinding.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = svodka::ingest::feed::sniff(data);
    let _ = svodka::ingest::feed::parse_feed(data, None, Some("https://example.kz/rss"));
});
