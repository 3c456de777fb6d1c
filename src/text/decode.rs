//! Bytes → text for files whose encoding nobody declared.
//!
//! Russian pages and dumps still come in windows-1251, KOI8-R and friends.
//! Order of evidence: a BOM, then valid UTF-8, then (for callers that have
//! one) a declared charset, then statistical detection by chardetng.

use encoding_rs::Encoding;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text")]
    Binary,
}

/// The decoded text and the encoding that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Decodes `bytes`, trusting `declared` (an HTTP or XML charset label) only
/// when there is no BOM and the bytes are not valid UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return check_text(text.into_owned(), enc);
    }
    // NUL bytes never occur in text in any single-byte or UTF-8 encoding.
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_owned(), encoding_rs::UTF_8);
    }
    let enc = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or_else(|| {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            det.guess(None, chardetng::Utf8Detection::Deny)
        });
    let (text, _, _) = enc.decode(bytes);
    check_text(text.into_owned(), enc)
}

/// Decodes a document fetched or read as a feed, deciding the encoding in
/// the order the feed issue sets: BOM, then the HTTP `Content-Type` charset,
/// then the XML declaration, then detection.
///
/// A declared label that the bytes contradict is not trusted: UTF-8 declared
/// over bytes that are not UTF-8 is dropped, and when the header and the
/// declaration disagree chardetng arbitrates between the two (servers often
/// send a default `charset=utf-8` or `windows-1251` over a feed that declares
/// its real encoding).
pub fn decode_document(bytes: &[u8], http_charset: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return check_text(text.into_owned(), enc);
    }
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    let usable = |label: Option<&str>| {
        label
            .and_then(encoding_for_label)
            // Without a BOM a UTF-16 label on ASCII-readable bytes is a lie.
            .map(|e| if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE { encoding_rs::UTF_8 } else { e })
            .filter(|e| *e != encoding_rs::UTF_8 || utf8_ok)
    };
    let http = usable(http_charset);
    let xml = usable(xml_declared_encoding(bytes).as_deref());
    let enc = match (http, xml) {
        (Some(h), Some(x)) if h != x => {
            // Encodings that decode these bytes to the same text count as
            // agreeing (chardetng says KOI8-U for Russian KOI8-R text).
            let guess = detect(bytes, utf8_ok);
            let same = |a: &'static Encoding| {
                a == guess || a.decode_without_bom_handling(bytes).0 == guess.decode_without_bom_handling(bytes).0
            };
            if !same(h) && same(x) { x } else { h }
        }
        (Some(h), _) => h,
        (None, Some(x)) => x,
        (None, None) if utf8_ok => encoding_rs::UTF_8,
        (None, None) => detect(bytes, false),
    };
    if enc != encoding_rs::UTF_8 && bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let (text, _) = enc.decode_without_bom_handling(bytes);
    check_text(text.into_owned(), enc)
}

/// An encoding label as feeds write it: the WHATWG labels encoding_rs knows,
/// plus the names Russian feeds used that WHATWG dropped.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().trim_matches(['"', '\'']);
    Encoding::for_label(l.as_bytes()).or_else(|| match l.to_ascii_lowercase().as_str() {
        "maccyrillic" | "mac-cyrillic" | "cp10007" | "x-mac-ukrainian" | "macukrainian" => {
            Some(encoding_rs::X_MAC_CYRILLIC)
        }
        "win-1251" | "win1251" | "windows1251" | "cp-1251" => Some(encoding_rs::WINDOWS_1251),
        "cp-866" | "dos-866" | "alt" => Some(encoding_rs::IBM866),
        "koi8" | "koi-8" | "koi8r" => Some(encoding_rs::KOI8_R),
        _ => None,
    })
}

/// The single-byte encodings Russian text has been published in.
const CYRILLIC: [&Encoding; 5] = [
    encoding_rs::WINDOWS_1251,
    encoding_rs::KOI8_R,
    encoding_rs::IBM866,
    encoding_rs::ISO_8859_5,
    encoding_rs::X_MAC_CYRILLIC,
];

/// Picks among [`CYRILLIC`] by how Russian the decoded text looks. Written
/// by hand because chardetng has no MacCyrillic at all and may take
/// KOI8-R for KOI8-U: the right decoding yields mostly lowercase Russian
/// letters, a wrong one yields capitals, symbols and other alphabets.
/// `None` unless one candidate is clearly Russian text.
fn cyrillic_guess(bytes: &[u8]) -> Option<&'static Encoding> {
    let high = bytes.iter().filter(|b| **b >= 0x80).count() as i64;
    if high < 8 {
        return None;
    }
    let score = |enc: &'static Encoding| -> i64 {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        let mut total = 0;
        let mut prev = ' ';
        for c in text.chars() {
            let cyr = matches!(c, 'а'..='я' | 'ё' | 'А'..='Я' | 'Ё');
            // Russian words are wholly Cyrillic; a Latin accented letter
            // read as Cyrillic sits inside a Latin word ("йtй" for "été").
            if (cyr && prev.is_ascii_alphabetic()) || (c.is_ascii_alphabetic() && ('а'..='я').contains(&prev)) {
                total -= 4;
            }
            prev = c;
            if !c.is_ascii() {
                total += match c {
                    'а'..='я' | 'ё' => 2,
                    'А'..='Я' | 'Ё' => 1,
                    '«' | '»' | '—' | '–' | '№' | '\u{a0}' => 0,
                    _ => -3,
                };
            }
        }
        total
    };
    let (best, s) = CYRILLIC.iter().map(|e| (*e, score(e))).max_by_key(|(_, s)| *s)?;
    // Mostly lowercase Russian: an average above 1.5 per non-ASCII character.
    (s * 2 > high * 3).then_some(best)
}

fn detect(bytes: &[u8], allow_utf8: bool) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess =
        det.guess(None, if allow_utf8 { chardetng::Utf8Detection::Allow } else { chardetng::Utf8Detection::Deny });
    // Second opinion only where chardetng's answer is Cyrillic or the
    // Western fallback it gives for MacCyrillic; Greek, Hebrew, CJK stand.
    let cyrillic_or_fallback = CYRILLIC.contains(&guess)
        || [encoding_rs::KOI8_U, encoding_rs::WINDOWS_1252, encoding_rs::WINDOWS_1250].contains(&guess);
    if cyrillic_or_fallback && let Some(enc) = cyrillic_guess(bytes) {
        return enc;
    }
    guess
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
fn check_text(text: String, encoding: &'static Encoding) -> Result<Decoded, DecodeError> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}')) {
            bad += 1;
        }
    }
    if total == 0 || text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if bad * 20 > total {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded { text, encoding })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for enc in CYRILLIC {
            let (bytes, _, _) = enc.encode(text);
            assert_eq!(decode_document(&bytes, None).unwrap().text, text, "{}", enc.name());
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
