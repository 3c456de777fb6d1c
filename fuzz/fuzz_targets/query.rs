//! The search query language, and highlighting with what it parsed.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let (q, text) = s.split_once('\u{0}').unwrap_or((&s, "Казахстан и Алматы: новости"));
    if let Ok(parsed) = svodka::search::parse(q) {
        let _ = parsed.fts_must();
        let _ = parsed.fts_must_not();
        for r in parsed.highlight(text) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end) && r.start <= r.end);
        }
    }
});
