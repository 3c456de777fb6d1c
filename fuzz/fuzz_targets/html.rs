//! HTML → blocks, the path every feed item body and extracted page takes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let base = url::Url::parse("https://example.kz/a/b.html").ok();
    let _ = svodka::text::html::html_to_blocks(&html, base.as_ref());
});
