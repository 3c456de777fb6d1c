//! Feed documents: sniffing, decoding (BOM, declaration, detection) and parsing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = svodka::ingest::feed::sniff(data);
    let _ = svodka::ingest::feed::parse_feed(data, None, Some("https://example.kz/rss"));
});
