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
}
