//! Bytes → text for feeds, pages and files, whatever they were written in.
//!
//! Russian pages and dumps still come in windows-1251, KOI8-R and friends,
//! some in DOS code pages WHATWG never had (IBM855, CP1125). Order of
//! evidence: a BOM, then bytes that are UTF-8 (a few invalid sequences are
//! damage and become U+FFFD, never a reason to read the whole document in
//! another encoding), then a declared charset, then chardetng with a
//! Cyrillic scorer as second opinion. [`looks_like_mojibake`] checks the
//! result, so that a misreading is never stored as news.

use encoding_rs::Encoding;

mod codepages;
mod plausible;
mod tables;

pub use codepages::{CP1125, Charset, CodePage, IBM855, KOI8_RU, charset_for_label};
pub use plausible::looks_like_mojibake;
use plausible::{Utf8Stats, cyrillic_guess};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text")]
    Binary,
}

/// The decoded text and the character set that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Charset,
}

/// Decodes `bytes`, trusting `declared` (an HTTP or XML charset label) only
/// when there is no BOM and the bytes do not look like UTF-8. Bytes that are
/// UTF-8 but for a few invalid sequences (or declared UTF-8 and mostly so)
/// are UTF-8, with U+FFFD in place of the damage.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return check_text(text.into_owned(), enc.into());
    }
    // NUL bytes never occur in text in any single-byte or UTF-8 encoding.
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let declared = declared.and_then(charset_for_label);
    let utf8 = Utf8Stats::of(bytes);
    if utf8.looks_utf8(declared == Some(Charset::UTF_8)) {
        return check_text(Charset::UTF_8.decode(bytes), Charset::UTF_8);
    }
    let cs = declared.filter(|c| !is_unicode(*c)).unwrap_or_else(|| detect(bytes, false));
    check_text(cs.decode(bytes), cs)
}

fn is_unicode(cs: Charset) -> bool {
    [encoding_rs::UTF_8, encoding_rs::UTF_16LE, encoding_rs::UTF_16BE].iter().any(|e| cs == *e)
}

/// Decodes a document fetched or read as a feed, deciding the encoding in
/// the order the feed issue sets: BOM, then the HTTP `Content-Type` charset,
/// then the XML declaration (or an HTML page's `<meta charset>`), then
/// detection.
///
/// A declared label that the bytes contradict is not trusted: UTF-8 declared
/// over bytes that are not UTF-8 is dropped, a legacy label over bytes that
/// are UTF-8 (but for a few invalid sequences) is dropped, and when the
/// header and the declaration disagree chardetng arbitrates between the two
/// (servers often send a default `charset=utf-8` or `windows-1251` over a
/// feed that declares its real encoding). A declared legacy charset whose
/// text looks like mojibake gives way to detection when that reads clean.
pub fn decode_document(bytes: &[u8], http_charset: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return check_text(text.into_owned(), enc.into());
    }
    let utf8 = Utf8Stats::of(bytes);
    let utf8_ok = utf8.is_valid();
    let inner = xml_declared_encoding(bytes).or_else(|| html_meta_charset(bytes));
    let labels = [http_charset, inner.as_deref()].map(|l| {
        // Without a BOM a UTF-16 label on ASCII-readable bytes is a lie.
        l.and_then(charset_for_label).map(|c| if is_unicode(c) { Charset::UTF_8 } else { c })
    });
    let declared_utf8 = labels.contains(&Some(Charset::UTF_8));
    let cs = if utf8.multi > 0 && utf8.looks_utf8(declared_utf8) {
        Charset::UTF_8
    } else if utf8_ok {
        // ASCII reads the same in every label: keep the declared name.
        declared_charset(bytes, labels[0], labels[1], true).unwrap_or(Charset::UTF_8)
    } else {
        let usable = |l: Option<Charset>| l.filter(|c| *c != Charset::UTF_8);
        declared_charset(bytes, usable(labels[0]), usable(labels[1]), false).unwrap_or_else(|| detect(bytes, false))
    };
    if cs != Charset::UTF_8 && bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    check_text(cs.decode(bytes), cs)
}

/// The declared charset the bytes agree with: the header's, unless it and
/// the document's own disagree and detection sides with the document; a
/// label whose reading looks like mojibake gives way to a clean detection.
fn declared_charset(bytes: &[u8], http: Option<Charset>, inner: Option<Charset>, utf8_ok: bool) -> Option<Charset> {
    let chosen = match (http, inner) {
        (Some(h), Some(x)) if h != x => {
            // Encodings that decode these bytes to the same text count as
            // agreeing (chardetng says KOI8-U for Russian KOI8-R text).
            let guess = detect(bytes, utf8_ok);
            let same = |a: Charset| a == guess || a.decode(bytes) == guess.decode(bytes);
            if !same(h) && same(x) { x } else { h }
        }
        (Some(h), _) => h,
        (None, Some(x)) => x,
        (None, None) => return None,
    };
    if !utf8_ok && looks_like_mojibake(&chosen.decode(bytes)) {
        // Only for a clearly Cyrillic reading: that is what the scorer knows.
        let guess = detect(bytes, false);
        if cyrillic_guess(bytes) == Some(guess) && !looks_like_mojibake(&guess.decode(bytes)) {
            return Some(guess);
        }
    }
    Some(chosen)
}

/// An encoding label as feeds write it, for callers that need an
/// encoding_rs encoding: the WHATWG labels plus the spellings Russian feeds
/// used that WHATWG dropped. Code pages outside the WHATWG set (IBM855,
/// CP1125, KOI8-RU) are `None` here; see [`charset_for_label`].
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    charset_for_label(label).and_then(Charset::whatwg)
}

fn detect(bytes: &[u8], allow_utf8: bool) -> Charset {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess =
        det.guess(None, if allow_utf8 { chardetng::Utf8Detection::Allow } else { chardetng::Utf8Detection::Deny });
    let guess = Charset::Whatwg(guess);
    // Second opinion where chardetng's answer is Cyrillic or the Western
    // fallback it gives for MacCyrillic, or where its reading looks like
    // mojibake (IBM855 and CP1125 are unknown to it); a clean Greek,
    // Hebrew or CJK reading stands.
    let cyrillic_or_fallback = plausible::CYRILLIC.contains(&guess)
        || [encoding_rs::KOI8_U, encoding_rs::WINDOWS_1252, encoding_rs::WINDOWS_1250].iter().any(|e| guess == *e);
    if (cyrillic_or_fallback || looks_like_mojibake(&guess.decode(bytes)))
        && let Some(cs) = cyrillic_guess(bytes)
    {
        return cs;
    }
    guess
}

/// The charset of an HTML page's `<meta charset>` or `http-equiv`
/// Content-Type in its first 4 KiB; only for documents that start as HTML,
/// so a feed quoting markup in CDATA is not misread.
fn html_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let start = lower.iter().position(|b| !b.is_ascii_whitespace())?;
    if !(lower[start..].starts_with(b"<!doctype html") || lower[start..].starts_with(b"<html")) {
        return None;
    }
    let mut from = start;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end = find(&lower[tag_start..], b">").map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(c) = find(tag, b"charset=") {
            let value = &tag[c + b"charset=".len()..];
            let value = value.strip_prefix(b"\"").or_else(|| value.strip_prefix(b"'")).unwrap_or(value);
            let end = value.iter().position(|b| matches!(b, b'"' | b'\'' | b';' | b'/') || b.is_ascii_whitespace());
            let label = std::str::from_utf8(&value[..end.unwrap_or(value.len())]).ok()?;
            return (!label.is_empty()).then(|| label.to_string());
        }
        from = tag_end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The `encoding` pseudo-attribute of a leading `<?xml ...?>` declaration,
/// read from the ASCII-compatible bytes before any decoding.
pub fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let close = value.find(quote)?;
    Some(value[..close].to_string())
}

/// Rewrites the `encoding` of a leading XML declaration in already decoded
/// text to UTF-8, so an XML parser that honours it does not decode twice.
pub fn relabel_xml_utf8(text: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with("<?xml") {
        return text.into();
    }
    let Some(end) = trimmed.find("?>") else { return text.into() };
    let offset = text.len() - trimmed.len();
    let decl = &trimmed[..end];
    let Some(at) = decl.find("encoding") else { return text.into() };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..offset + at]);
    out.push_str(&text[offset + end..]);
    out.into()
}

/// Refuses "text" that is mostly control characters or replacement marks:
/// that is a binary file that happened to decode.
fn check_text(text: String, encoding: Charset) -> Result<Decoded, DecodeError> {
    let (total, bad) = char_counts(&text);
    if total == 0 || text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if bad * 20 > total {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded { text, encoding })
}

/// (chars, bad chars: U+FFFD and controls but `\n \r \t \x0C`) of
/// `text`, counted on its UTF-8 bytes with vectorised passes and searches
/// (a char loop was a tenth of parsing a feed; an earlier byte count, an
/// indexed look-ahead per byte, cost more than that loop): C0 controls and
/// DEL are one byte, C1 controls C2 80–9F, U+FFFD EF BF BD (C2 and EF only
/// ever lead a char).
fn char_counts(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let c0 = plausible::count_bytes(b, |x| (x < 0x20 && !matches!(x, b'\n' | b'\r' | b'\t' | 0x0C)) || x == 0x7F);
    let c1 = memchr::memchr_iter(0xC2, b).filter(|&i| matches!(b.get(i + 1), Some(0x80..=0x9F))).count();
    let fffd = memchr::memmem::find_iter(b, "\u{FFFD}").count();
    (text.chars().count(), c0 + c1 + fffd)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn byte_counts_are_char_counts(t in "([\u{0}-\u{a0}\u{fffd}\u{fffc}\u{fffe}\u{ffff}\u{effd}жё«]|\\PC){0,40}") {
            let bad = |c: char| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}'));
            let chars = (t.chars().count(), t.chars().filter(|&c| bad(c)).count());
            proptest::prop_assert_eq!(char_counts(&t), chars);
        }
    }

    #[test]
    fn one_bad_char_in_twenty_is_binary() {
        for t in ["Привет, мир", "a\u{0}b\u{85}c\u{FFFD}d\u{9f}\u{7f}", "«ёлка» \u{a0}—\u{FEFF}", "日本語 😀\t\n\u{c}"]
        {
            let chars = t.chars().count();
            let bad = t
                .chars()
                .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}')))
                .count();
            // One bad char in twenty is refused: pad to just under and just over.
            let under = format!("{t}{}", "x".repeat(bad * 20 - chars.min(bad * 20)));
            let over = format!("{t}{}", "x".repeat((bad * 20).saturating_sub(chars + 1)));
            if bad > 0 {
                assert!(check_text(under, Charset::UTF_8).is_ok(), "{t:?}");
                assert!(matches!(check_text(over, Charset::UTF_8), Err(DecodeError::Binary)), "{t:?}");
            } else {
                assert!(check_text(t.to_string(), Charset::UTF_8).is_ok());
            }
            assert_eq!(plausible::Utf8Stats::of(t.as_bytes()).multi, t.chars().filter(|c| !c.is_ascii()).count());
        }
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode("\u{FEFF}Привет".as_bytes(), None).unwrap();
        assert_eq!(d.text, "Привет");
    }

    #[test]
    fn windows_1251_is_detected() {
        let text = "Местные власти в Казахстане признали существование проблемы незаконного трафика.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1251);
        assert_eq!(d.text, text);
    }

    #[test]
    fn koi8r_declared_is_used() {
        let text = "Новости Казахстана";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(text);
        assert_eq!(decode(&bytes, Some("koi8-r")).unwrap().text, text);
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t", None), Err(DecodeError::Empty));
        assert_eq!(decode(b"\x7fELF\x02\x01\x01\x00\x00", None), Err(DecodeError::Binary));
        let noise: Vec<u8> = (0u8..=255).cycle().skip(1).take(2000).filter(|b| *b != 0).collect();
        assert!(decode(&noise, None).is_err());
    }
    #[test]
    fn every_russian_single_byte_encoding_is_detected() {
        let text = "<rss><title>Новости Казахстана и мира</title>\
                    <description>Местные власти признали существование проблемы незаконного трафика.</description></rss>";
        for enc in plausible::CYRILLIC {
            let bytes = enc.encode(text).unwrap();
            assert_eq!(decode_document(&bytes, None).unwrap().text, text, "{enc}");
            let decl = format!("<?xml version=\"1.0\" encoding=\"MacCyrillic\"?>{text}");
            let (bytes, _, _) = encoding_rs::X_MAC_CYRILLIC.encode(&decl);
            assert_eq!(decode_document(&bytes, None).unwrap().text, decl);
        }
        assert_eq!(cyrillic_guess("Zürich, Genève".repeat(5).as_bytes()), None);
        // Latin-1 text never becomes Cyrillic, nor does Hebrew.
        let french = "L'été a été très chaud à Genève, où l'on a noté des températures élevées.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(french);
        assert_eq!(decode_document(&bytes, None).unwrap().text, french);
        let hebrew = "<rss><title>חדשות היום בישראל ובעולם, כל הכותרות</title></rss>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1255.encode(hebrew);
        assert_eq!(decode_document(&bytes, None).unwrap().text, hebrew);
    }

    #[test]
    fn ukrainian_and_koi8_ru_are_detected_by_their_own_letters() {
        let ukr = "<rss><title>Новини України та світу</title><description>Їжак і ґанок: \
                   українська мова має свої літери, яких немає в російській.</description></rss>";
        for label in ["CP1125", "koi8-u", "windows-1251", "x-mac-ukrainian"] {
            let cs = charset_for_label(label).unwrap();
            let bytes = cs.encode(ukr).unwrap();
            assert_eq!(decode_document(&bytes, None).unwrap().text, ukr, "{label}");
        }
        let quoted = "<rss><title>«Новости» — №1 в мире</title><description>Местные власти признали \
                      «существование» проблемы — незаконного трафика.</description></rss>";
        let bytes = Charset::Extra(&KOI8_RU).encode(quoted).unwrap();
        assert_eq!(decode_document(&bytes, None).unwrap().text, quoted);
    }

    #[test]
    fn utf8_beats_a_legacy_label_and_damage_is_replaced_in_place() {
        let text = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><title>Новости Казахстана</title></rss>";
        // Re-saved as UTF-8 with the old declaration kept.
        let d = decode_document(text.as_bytes(), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, Charset::UTF_8));
        let mut damaged = text.as_bytes().to_vec();
        let at = text.find("Казах").unwrap();
        damaged.insert(at, 0xFF);
        let want = text.replacen("Казах", "\u{FFFD}Казах", 1);
        assert_eq!(decode_document(&damaged, None).unwrap().text, want);
        assert_eq!(decode_document(&damaged, Some("koi8-r")).unwrap().text, want);
        assert_eq!(decode(&damaged, None).unwrap().text, want);
        assert_eq!(decode(&damaged, Some("utf-8")).unwrap().text, want);
        // A page's meta charset counts as a declaration; a feed's CDATA does not.
        let page = "<!DOCTYPE html><html><head><meta charset=\"IBM855\"><title>Новости мира и страны</title>";
        let bytes = Charset::Extra(&IBM855).encode(page).unwrap();
        assert_eq!(decode_document(&bytes, None).unwrap().encoding, Charset::Extra(&IBM855));
        assert_eq!(html_meta_charset(b"<rss><![CDATA[<meta charset=utf-8>]]></rss>"), None);
        assert_eq!(
            html_meta_charset(b"<html><meta http-equiv=content-type content='text/html; charset=koi8-r'>").as_deref(),
            Some("koi8-r")
        );
    }

    #[test]
    fn a_declaration_that_reads_as_mojibake_gives_way_to_detection() {
        let text = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><title>Новости Казахстана и мира</title>\
                    <description>Местные власти признали существование проблемы незаконного трафика.</description></rss>";
        let (koi, _, _) = encoding_rs::KOI8_R.encode(text);
        let d = decode_document(&koi, None).unwrap();
        assert_eq!(d.text, text);
        assert!(!looks_like_mojibake(&d.text));
    }

    #[test]
    fn document_order_bom_http_xml_detection() {
        let text = "<?xml version=\"1.0\" encoding=\"koi8-r\"?><rss><title>Новости Казахстана и мира</title>\
                    <description>Местные власти признали существование проблемы незаконного трафика.</description></rss>";
        let (koi, _, _) = encoding_rs::KOI8_R.encode(text);
        // Declaration alone.
        assert_eq!(decode_document(&koi, None).unwrap().encoding, encoding_rs::KOI8_R);
        // A header that the bytes contradict (not UTF-8) is dropped.
        assert_eq!(decode_document(&koi, Some("utf-8")).unwrap().text, text);
        // Header and declaration disagree: detection picks the declaration.
        assert_eq!(decode_document(&koi, Some("windows-1251")).unwrap().text, text);
        // Header agrees with the bytes and there is no declaration.
        let plain = "<rss><title>Новости Казахстана и мира, всё о главном</title></rss>";
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode(plain);
        assert_eq!(decode_document(&cp, Some("windows-1251")).unwrap().text, plain);
        assert_eq!(decode_document(&cp, None).unwrap().text, plain);
        assert_eq!(
            xml_declared_encoding(b"  <?xml version='1.0' encoding = 'KOI8-R' ?><a/>").as_deref(),
            Some("KOI8-R")
        );
        assert_eq!(relabel_xml_utf8("<?xml version=\"1.0\" encoding=\"koi8-r\"?><a/>"), "<?xml version=\"1.0\" ?><a/>");
    }
}
