//! Decoding never stores mojibake: UTF-8 with damage stays UTF-8, every
//! Cyrillic code page a feed declares decodes exactly, undeclared ones are
//! detected or flagged, and the plausibility check tells text from garbage.
//! Feeds are built here from real Russian and Bulgarian text (see
//! tests/fixtures/decode/README.md).

use std::path::{Path, PathBuf};

use svodka::ingest::decode::{self, Charset, charset_for_label, looks_like_mojibake};
use svodka::ingest::feed;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn lines(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("decode").join(name)).unwrap();
    text.lines().map(str::to_owned).collect()
}

fn titles(f: &feed::ParsedFeed) -> Vec<String> {
    f.items.iter().map(|a| a.title.clone()).collect()
}

/// A real Russian feed (newsru.com, windows-1251) re-encoded as UTF-8, its
/// declaration replaced by `decl`.
fn newsru_utf8(decl: &str) -> (Vec<u8>, Vec<String>) {
    let bytes = std::fs::read(root().join("feeds/chardet/windows-1251-russian/newsru.com.xml")).unwrap();
    let reference = titles(&feed::parse_feed(&bytes, None, None).unwrap());
    let text = encoding_rs::WINDOWS_1251.decode_without_bom_handling(&bytes).0;
    let body = &text[text.find("?>").unwrap() + 2..];
    (format!("{decl}{body}").into_bytes(), reference)
}

/// `bytes` with an 0xFF inserted before the `nth` Cyrillic letter of the
/// title `title`, and that title as it must come out.
fn damage(bytes: &[u8], title: &str, nth: usize) -> (Vec<u8>, String) {
    let title_at = find(bytes, format!("<title>{title}").as_bytes()).unwrap() + "<title>".len();
    let (char_at, _) = title.char_indices().filter(|(_, c)| !c.is_ascii()).nth(nth).unwrap();
    let mut out = bytes.to_vec();
    out.insert(title_at + char_at, 0xFF);
    let mut want = title.to_string();
    want.insert(char_at, '\u{FFFD}');
    (out, want)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn one_bad_byte_in_a_utf8_feed_is_one_replacement_character() {
    let cases = [
        ("declared", "<?xml version=\"1.0\" encoding=\"utf-8\"?>", None),
        ("http header", "<?xml version=\"1.0\"?>", Some("utf-8")),
        ("undeclared", "<?xml version=\"1.0\"?>", None),
        ("no declaration at all", "", None),
        // Re-saved as UTF-8, the old declaration kept.
        ("declared windows-1251", "<?xml version=\"1.0\" encoding=\"windows-1251\"?>", None),
        ("header windows-1251", "<?xml version=\"1.0\"?>", Some("windows-1251")),
    ];
    for (what, decl, http) in cases {
        let (utf8, reference) = newsru_utf8(decl);
        assert_eq!(titles(&feed::parse_feed(&utf8, http, None).unwrap()), reference, "{what}: clean");
        // One bad byte, then two more further on: still damage, not
        // another encoding.
        let mut bytes = utf8;
        let mut want = reference.clone();
        for (i, nth) in [(0, 3), (10, 0), (15, 5)] {
            (bytes, want[i]) = damage(&bytes, &reference[i], nth);
        }
        let parsed = feed::parse_feed(&bytes, http, None).unwrap();
        assert_eq!(parsed.encoding, "UTF-8", "{what}");
        let got = titles(&parsed);
        assert_eq!(got, want, "{what}");
        assert!(got.iter().all(|t| !looks_like_mojibake(t)), "{what}: {got:?}");
    }
}

#[test]
fn damaged_utf8_pages_and_files_stay_utf8_too() {
    let (utf8, reference) = newsru_utf8("");
    let (bytes, want) = damage(&utf8, &reference[0], 0);
    let text = decode::decode(&bytes, None).unwrap().text;
    assert!(text.contains(&want), "decode()");
    assert!(!looks_like_mojibake(&text));
    let page =
        format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head></html>", reference[0]);
    let (bytes, want) = damage(page.as_bytes(), &reference[0], 1);
    assert!(svodka::extract::decode_page(&bytes, None).unwrap().contains(&want), "decode_page");
    // The damage is counted per bad sequence, not per document: a page that
    // is mostly damage is not UTF-8.
    let cp1251 = encoding_rs::WINDOWS_1251.encode(&reference.join("\n")).0.into_owned();
    assert_eq!(decode::decode(&cp1251, None).unwrap().text, reference.join("\n"));
}

/// Every label a feed may declare, with the charset it means.
const CODE_PAGES: &[&str] = &[
    "windows-1251",
    "cp1251",
    "windows1251",
    "win-1251",
    "x-cp1251",
    "koi8-r",
    "koi8-u",
    "KOI8-RU",
    "IBM866",
    "cp866",
    "iso-8859-5",
    "x-mac-cyrillic",
    "x-mac-ukrainian",
    "IBM855",
    "CP1125",
];

fn build_feed(lines: &[String], decl: Option<&str>) -> String {
    let decl = decl.map_or(String::new(), |l| format!(" encoding=\"{l}\""));
    let mut xml = format!(
        "<?xml version=\"1.0\"{decl}?>\n<rss version=\"2.0\"><channel><title>{}</title>\
         <link>http://example.org/</link><description>{}</description>\n",
        lines[0], lines[1]
    );
    for (i, pair) in lines[2..].chunks(2).enumerate() {
        let desc = pair.get(1).map_or("", String::as_str);
        xml.push_str(&format!(
            "<item><title>{}</title><link>http://example.org/{i}</link><description>{desc}</description></item>\n",
            pair[0]
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// Item titles as the feed parser gives them: runs of spaces collapsed.
fn item_titles(lines: &[String]) -> Vec<String> {
    lines[2..].iter().step_by(2).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

#[test]
fn every_declared_code_page_decodes_to_exactly_the_original() {
    for (lang, text) in [("ru", lines("ru.txt")), ("bg", lines("bg.txt"))] {
        for label in CODE_PAGES {
            let cs = charset_for_label(label).unwrap_or_else(|| panic!("{label}"));
            let xml = build_feed(&text, Some(label));
            let bytes = cs.encode(&xml).unwrap_or_else(|| panic!("{lang} in {label}"));
            let decoded = decode::decode_document(&bytes, None).unwrap();
            assert_eq!(decoded.encoding, cs, "{lang} {label}");
            assert_eq!(decoded.text, xml, "{lang} {label}");
            let parsed = feed::parse_feed(&bytes, None, None).unwrap();
            assert_eq!(titles(&parsed), item_titles(&text), "{lang} {label}");
            assert_eq!(parsed.title.as_deref(), Some(text[0].as_str()));
            // The same label as an HTTP charset over an undeclared body.
            let bare = cs.encode(&build_feed(&text, None)).unwrap();
            assert_eq!(titles(&feed::parse_feed(&bare, Some(label), None).unwrap()), item_titles(&text), "{label}");
        }
    }
}

/// What detection gets right with no declaration at all. CP1125 reads
/// Russian and Bulgarian exactly as IBM866 does and KOI8-RU as KOI8-R/U,
/// so for those the text must come out right, not the name.
#[test]
fn undeclared_code_pages_are_detected_or_flagged_never_silent_mojibake() {
    let mut right = Vec::new();
    for (lang, text) in [("ru", lines("ru.txt")), ("bg", lines("bg.txt"))] {
        for label in CODE_PAGES {
            let cs = charset_for_label(label).unwrap();
            let xml = build_feed(&text, None);
            let bytes = cs.encode(&xml).unwrap();
            let decoded = decode::decode_document(&bytes, None).unwrap();
            if decoded.text == xml {
                right.push(format!("{lang}:{label}"));
            } else {
                assert!(looks_like_mojibake(&decoded.text), "{lang} {label} read as {}, not flagged", decoded.encoding);
            }
        }
    }
    assert_eq!(right.len(), 2 * CODE_PAGES.len(), "detected right: {right:?}");
}

#[test]
fn real_feeds_read_clean_and_their_misreadings_do_not() {
    let dir = root().join("feeds/chardet");
    for enc in ["IBM866", "KOI8-R", "MacCyrillic", "iso-8859-5-russian", "windows-1251-russian"] {
        for file in std::fs::read_dir(dir.join(enc)).unwrap() {
            let path = file.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let good = decode::decode_document(&bytes, None).unwrap();
            assert!(!looks_like_mojibake(&good.text), "{}", path.display());
            for wrong in ["windows-1251", "koi8-r", "IBM866", "IBM855", "gbk", "windows-1252"] {
                let cs: Charset = charset_for_label(wrong).unwrap();
                let misread = cs.decode(&bytes);
                if misread != good.text {
                    assert!(looks_like_mojibake(&misread), "{} as {wrong}", path.display());
                }
            }
            // UTF-8 of the right text, read as a legacy charset.
            let utf8 = good.text.as_bytes();
            for wrong in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R, encoding_rs::GBK, encoding_rs::WINDOWS_1252] {
                let misread = wrong.decode_without_bom_handling(utf8).0;
                assert!(looks_like_mojibake(&misread), "{} utf-8 as {}", path.display(), wrong.name());
            }
        }
    }
}
