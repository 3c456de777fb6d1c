//! Character sets as feeds declare them: encoding_rs's WHATWG set plus the
//! Cyrillic code pages real feeds still use that WHATWG never had (IBM855,
//! CP1125, KOI8-RU), and the label spellings the wild uses for them all.

use encoding_rs::Encoding;

use super::tables;

/// A single-byte code page outside the WHATWG set: ASCII below 0x80, a
/// table above.
#[derive(Debug)]
pub struct CodePage {
    name: &'static str,
    high: &'static [char; 128],
}

impl PartialEq for CodePage {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for CodePage {}

/// IBM855 (DOS Cyrillic, all Slavic letters; `encoding="IBM855"` is real).
pub static IBM855: CodePage = CodePage { name: "IBM855", high: &oem_cp::code_table::DECODING_TABLE_CP855 };
/// CP1125 (RST 2018-91, Ukrainian DOS): IBM866 with Ґ Є І Ї at 0xF2..=0xF9.
pub static CP1125: CodePage = CodePage { name: "CP1125", high: &tables::CP1125 };
/// KOI8-RU (RFC 1489's KOI8-R plus Ukrainian and Belarusian letters).
pub static KOI8_RU: CodePage = CodePage { name: "KOI8-RU", high: &tables::KOI8_RU };

/// The character set a document was decoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Whatwg(&'static Encoding),
    Extra(&'static CodePage),
}

impl From<&'static Encoding> for Charset {
    fn from(e: &'static Encoding) -> Self {
        Charset::Whatwg(e)
    }
}

impl PartialEq<&'static Encoding> for Charset {
    fn eq(&self, other: &&'static Encoding) -> bool {
        matches!(self, Charset::Whatwg(e) if e == other)
    }
}

impl std::fmt::Display for Charset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Charset {
    pub const UTF_8: Charset = Charset::Whatwg(encoding_rs::UTF_8);

    /// The canonical name: encoding_rs's for WHATWG encodings.
    pub fn name(self) -> &'static str {
        match self {
            Charset::Whatwg(e) => e.name(),
            Charset::Extra(cp) => cp.name,
        }
    }

    /// The encoding_rs encoding, when this is one.
    pub fn whatwg(self) -> Option<&'static Encoding> {
        match self {
            Charset::Whatwg(e) => Some(e),
            Charset::Extra(_) => None,
        }
    }

    /// Decodes without BOM handling; malformed input becomes U+FFFD.
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Charset::Whatwg(e) => e.decode_without_bom_handling(bytes).0.into_owned(),
            Charset::Extra(cp) => {
                bytes.iter().map(|&b| if b < 0x80 { char::from(b) } else { cp.high[usize::from(b - 0x80)] }).collect()
            }
        }
    }

    /// Encodes `text`, or `None` when a character has no byte here (or the
    /// encoding is UTF-16, which encoding_rs will not produce).
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Charset::Whatwg(e) => {
                let (bytes, used, unmappable) = e.encode(text);
                (used == e && !unmappable).then(|| bytes.into_owned())
            }
            Charset::Extra(cp) => text
                .chars()
                .map(|c| {
                    if c.is_ascii() {
                        u8::try_from(c).ok()
                    } else {
                        let at = cp.high.iter().position(|h| *h == c)?;
                        u8::try_from(at + 0x80).ok()
                    }
                })
                .collect(),
        }
    }
}

/// A charset label as feeds write it: the WHATWG labels, then the spellings
/// WHATWG does not know (`win-1251`, `windows1251`, `cp-866`, `IBM855`,
/// `cp1125`, `koi8-ru`, `mac-ukrainian`, …), compared with case, `-`, `_`
/// and spaces ignored.
pub fn charset_for_label(label: &str) -> Option<Charset> {
    let l = label.trim().trim_matches(['"', '\'']).trim();
    let compact: String = l.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    // `x-cp1251`, `csIBM855`, `ms-cp866`: vendor prefixes carry no meaning.
    let mut name = compact.as_str();
    for prefix in ["x", "cs", "ms"] {
        if let Some(rest) = name.strip_prefix(prefix)
            && rest.starts_with(|c: char| {
                c.is_ascii_digit() || ["cp", "ibm", "win", "mac", "koi"].iter().any(|p| rest.starts_with(p))
            })
        {
            name = rest;
        }
    }
    // WHATWG folds `koi8-ru` into KOI8-U, which reads its quotes, dashes
    // and № (0x93..=0x9F) as math symbols.
    if name == "koi8ru" {
        return Some(Charset::Extra(&KOI8_RU));
    }
    if let Some(e) = Encoding::for_label(l.as_bytes()) {
        return Some(Charset::Whatwg(e));
    }
    let whatwg = |e| Some(Charset::Whatwg(e));
    match name {
        "windows1251" | "win1251" | "cp1251" | "ibm1251" | "ansi1251" | "1251" | "wincyrillic" | "windowscyrillic" => {
            whatwg(encoding_rs::WINDOWS_1251)
        }
        "ibm866" | "cp866" | "866" | "dos866" | "oem866" | "alt" | "dosrussian" => whatwg(encoding_rs::IBM866),
        "koi8" | "koi8r" | "cp20866" => whatwg(encoding_rs::KOI8_R),
        "koi8u" | "cp21866" => whatwg(encoding_rs::KOI8_U),
        "iso88595" | "cp28595" | "isocyrillic" => whatwg(encoding_rs::ISO_8859_5),
        "maccyrillic" | "maccyr" | "cp10007" | "macukrainian" | "macukraine" | "macuk" => {
            whatwg(encoding_rs::X_MAC_CYRILLIC)
        }
        "ibm855" | "cp855" | "855" | "oem855" | "dos855" => Some(Charset::Extra(&IBM855)),
        "cp1125" | "ibm1125" | "1125" | "cp866u" | "cp866nav" | "ruscii" | "rst201891" => Some(Charset::Extra(&CP1125)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_the_wild() {
        let w1251 = Some(Charset::Whatwg(encoding_rs::WINDOWS_1251));
        for l in ["cp1251", "windows1251", "win-1251", "x-cp1251", "WIN1251", " 'Windows-1251' ", "CP_1251", "ms-1251"]
        {
            assert_eq!(charset_for_label(l), w1251, "{l}");
        }
        for l in ["cp866", "CP-866", "ibm-866", "dos-866", "alt"] {
            assert_eq!(charset_for_label(l), Some(Charset::Whatwg(encoding_rs::IBM866)), "{l}");
        }
        for l in ["IBM855", "cp855", "csIBM855", "855"] {
            assert_eq!(charset_for_label(l), Some(Charset::Extra(&IBM855)), "{l}");
        }
        for l in ["CP1125", "ibm-1125", "RUSCII"] {
            assert_eq!(charset_for_label(l), Some(Charset::Extra(&CP1125)), "{l}");
        }
        assert_eq!(charset_for_label("KOI8-RU"), Some(Charset::Extra(&KOI8_RU)));
        for l in ["x-mac-ukrainian", "mac-ukrainian", "MacCyrillic"] {
            assert_eq!(charset_for_label(l), Some(Charset::Whatwg(encoding_rs::X_MAC_CYRILLIC)), "{l}");
        }
        assert_eq!(charset_for_label("x-no-such"), None);
        assert_eq!(charset_for_label("ebcdic-1251x"), None);
    }

    #[test]
    fn extra_tables_agree_with_their_relatives_on_letters() {
        // CP1125 is IBM866 but for 0xF2..=0xF9; KOI8-RU is KOI8-U's letters.
        for b in 0x80u8..=0xFF {
            let cp = Charset::Extra(&CP1125).decode(&[b]);
            if !(0xF2..=0xF9).contains(&b) {
                assert_eq!(cp, Charset::Whatwg(encoding_rs::IBM866).decode(&[b]), "{b:#x}");
            }
            let koi = Charset::Extra(&KOI8_RU).decode(&[b]);
            if koi.chars().all(char::is_alphabetic) {
                assert_eq!(koi, Charset::Whatwg(encoding_rs::KOI8_U).decode(&[b]), "{b:#x}");
            }
        }
        assert_eq!(Charset::Extra(&CP1125).decode(&[0xF2, 0xF6, 0xF7, 0xF9]), "ҐІії");
        assert_eq!(Charset::Extra(&IBM855).decode(&[0xE2, 0xA0, 0xE1]), "Рар");
        let quotes = Charset::Extra(&KOI8_RU).decode(&[0x9D, 0x97, 0x98, 0x9B]);
        assert_eq!(quotes, "«—№»");
        for (cs, text) in [(Charset::Extra(&CP1125), "Їжак і Ґанок, Єва"), (Charset::Extra(&KOI8_RU), "«Ўсё» — №1")]
        {
            let bytes = cs.encode(text).unwrap_or_else(|| panic!("{cs}"));
            assert_eq!(cs.decode(&bytes), text, "{cs}");
        }
        assert_eq!(Charset::Extra(&IBM855).encode("日本"), None);
        assert_eq!(Charset::Whatwg(encoding_rs::WINDOWS_1251).encode("日本"), None);
    }
}
