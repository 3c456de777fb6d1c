//! A page → the article: decoding, Readability, the candidate choice and
//! every boilerplate pass (`svodka get`, `F`, full-text feeds). The html
//! target stops at the block model; this one runs what sits above it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://example.kz/news/2026/a.html").ok();
    let rules = svodka::extract::Rules::default();
    if let Ok(page) = svodka::extract::extract_bytes(data, None, url.as_ref(), &rules) {
        let _ = page.plain_text();
    }
});
