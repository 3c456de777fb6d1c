//! Untrusted text (feeds, pages, dumps) must never drive the terminal.
//!
//! Everything that could move the cursor, change colours, set the window
//! title, open hyperlinks or reorder the screen is removed here: C0/C1
//! controls, whole escape sequences (CSI, OSC, DCS, SOS, PM, APC and the short
//! ESC forms, in both their 7-bit and 8-bit spellings), bidi embeddings,
//! overrides and isolates, and invisible format characters. Only ZWJ/ZWNJ
//! (they shape emoji and scripts) and emoji tag sequences survive. Removing
//! just the ESC byte would leave payloads such as `]0;title` on screen, so
//! each sequence goes as a whole.

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
const CAN: char = '\u{18}';
const SUB: char = '\u{1a}';
/// 8-bit String Terminator.
const ST8: char = '\u{9c}';

/// Soft hyphen: a break point the layout may use.
pub(crate) const SHY: char = '\u{ad}';
/// Zero-width space: a break opportunity that is never shown.
pub(crate) const ZWSP: char = '\u{200b}';
/// Word joiner: forbids a break, never shown.
pub(crate) const WJ: char = '\u{2060}';

/// What [`clean`] keeps besides ordinary visible text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keep {
    /// Keep soft hyphen, ZWSP and word joiner (U+FEFF becomes WJ) as layout hints.
    pub hints: bool,
    /// Keep line ends as `\n` (CR LF, CR, VT, FF, NEL, LS, PS all become `\n`);
    /// otherwise they become a space.
    pub newlines: bool,
    /// Keep tabs (for preformatted text that expands them itself); otherwise a space.
    pub tabs: bool,
}

/// Text safe to print on a terminal: one line, no controls, no escape
/// sequences, no bidi or invisible format characters. Tabs and line ends
/// become spaces; soft hyphens and zero-width spaces are dropped.
pub fn sanitize(s: &str) -> String {
    clean(s, Keep { hints: false, newlines: false, tabs: false })
}

/// Whether [`sanitize`] would change `s`: most text has nothing to
/// remove, and one cheap pass says so before any copy is made.
pub(crate) fn needs_sanitizing(s: &str) -> bool {
    let b = s.as_bytes();
    let mut at = 0;
    while let Some(&lead) = b.get(at) {
        // Printable ASCII and U+00C0–U+05FF (lead bytes C3–D7: Latin,
        // Greek, Cyrillic letters) pass on their first byte, undecoded.
        if (0x20..0x7f).contains(&lead) {
            at += 1;
            continue;
        }
        if (0xc3..=0xd7).contains(&lead) {
            at += 2;
            continue;
        }
        let Some(c) = s.get(at..).and_then(|t| t.chars().next()) else { return false };
        if touches(c) {
            return true;
        }
        at += c.len_utf8();
    }
    false
}

/// Whether [`sanitize`] changes or drops `c`.
pub(crate) fn touches(c: char) -> bool {
    let u = u32::from(c);
    // ASCII and the Latin/Greek/Cyrillic blocks (bar the soft hyphen)
    // decide without the full table.
    !((0x20..0x7f).contains(&u) || ((0xa0..0x600).contains(&u) && u != 0xad)) && is_invisible(c)
}

/// The sanitiser behind [`sanitize`], with the layout's extra needs.
pub(crate) fn clean(s: &str, keep: Keep) -> String {
    if !needs_sanitizing(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            ESC => skip_escape(&mut it),
            '\u{9b}' => skip_csi(&mut it),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut it),
            '\t' => out.push(if keep.tabs { '\t' } else { ' ' }),
            '\r' => {
                if it.peek() == Some(&'\n') {
                    it.next();
                }
                out.push(if keep.newlines { '\n' } else { ' ' });
            }
            '\n' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                out.push(if keep.newlines { '\n' } else { ' ' })
            }
            SHY | ZWSP | WJ => {
                if keep.hints {
                    out.push(c)
                }
            }
            '\u{feff}' => {
                if keep.hints {
                    out.push(WJ)
                }
            }
            // Emoji tag sequences (subdivision flags) are tags after U+1F3F4.
            '\u{e0020}'..='\u{e007f}' => {
                if matches!(out.chars().next_back(), Some('\u{1f3f4}' | '\u{e0020}'..='\u{e007f}')) {
                    out.push(c)
                }
            }
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` is invisible or controls the terminal or the text direction:
/// everything [`sanitize`] removes, plus the layout hints it drops (soft
/// hyphen, ZWSP, word joiner, BOM), line/paragraph separators and emoji
/// tags. `--json` writes these as `\uXXXX` so a reader of the JSON sees them.
pub fn is_invisible(c: char) -> bool {
    is_removed(c)
        || matches!(c, SHY | ZWSP | WJ | '\u{85}' | '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{e0020}'..='\u{e007f}')
}

/// Controls and invisible format characters that are simply dropped.
fn is_removed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Arabic/Syriac prepended format marks, Mongolian vowel separator
        | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{890}' | '\u{891}' | '\u{8e2}' | '\u{180e}'
        // LRM, RLM; bidi embeddings/overrides; invisible operators; isolates; deprecated format controls
        | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2061}'..='\u{206f}'
        // interlinear annotation, noncharacters
        | '\u{fff9}'..='\u{fffb}' | '\u{fdd0}'..='\u{fdef}' | '\u{fffe}' | '\u{ffff}'
        | '\u{110bd}' | '\u{110cd}' | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}')
        || (c as u32 & 0xfffe) == 0xfffe
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: the whole sequence, whatever its kind.
fn skip_escape(it: &mut Chars) {
    match it.peek().copied() {
        Some('[') => {
            it.next();
            skip_csi(it);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            it.next();
            skip_string(it);
        }
        // nF: intermediates then one final byte.
        Some('\u{20}'..='\u{2f}') => {
            while it.next_if(|c| ('\u{20}'..='\u{2f}').contains(c)).is_some() {}
            it.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
        }
        // Fp/Fe/Fs: a single final byte (ESC 7, ESC c, ESC \ ...).
        Some('\u{30}'..='\u{7e}') => {
            it.next();
        }
        _ => {}
    }
}

/// CSI body: parameter and intermediate bytes, then the final byte. A
/// malformed sequence ends at the first byte that cannot belong to it.
fn skip_csi(it: &mut Chars) {
    while it.next_if(|c| ('\u{20}'..='\u{3f}').contains(c)).is_some() {}
    it.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
}

/// OSC/DCS/SOS/PM/APC payload up to its terminator (BEL or ST; CAN/SUB abort
/// it). An unterminated payload ends at the next ESC or line end, so a broken
/// sequence cannot swallow the rest of the article.
fn skip_string(it: &mut Chars) {
    while let Some(&c) = it.peek() {
        match c {
            BEL | ST8 | CAN | SUB => {
                it.next();
                return;
            }
            ESC | '\n' => return,
            _ => {
                it.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_go_whole() {
        assert_eq!(sanitize("a\u{1b}[31;1mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}]0;pwned\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]8;;http://e.com\u{1b}\\link\u{1b}]8;;\u{1b}\\y"), "xlinky");
        assert_eq!(sanitize("x\u{1b}Pq#0;2;0;0;0\u{1b}\\y"), "xy");
        assert_eq!(sanitize("x\u{9b}2Jy\u{9d}title\u{9c}z"), "xyz");
        assert_eq!(sanitize("x\u{1b}(By\u{1b}7z\u{1b}"), "xyz");
        // unterminated OSC stops at the line end, the next line survives
        assert_eq!(sanitize("x\u{1b}]0;never ends\nnext"), "x next");
    }

    #[test]
    fn controls_bidi_and_invisibles() {
        assert_eq!(sanitize("a\u{0}b\u{7}c\u{8}d\u{7f}e\u{85}f"), "abcde f");
        assert_eq!(sanitize("\u{202e}txt.exe\u{202c} \u{2066}x\u{2069}\u{200f}"), "txt.exe x");
        assert_eq!(sanitize("при\u{ad}мер\u{200b}да\u{feff}\u{2060}"), "примерда");
        assert_eq!(sanitize("a\tb\r\nc"), "a b c");
        // kept: ZWJ emoji, stress marks, combining marks, variation selectors
        assert_eq!(sanitize("👨\u{200d}👩\u{200d}👧 е\u{301} ❤\u{fe0f}"), "👨\u{200d}👩\u{200d}👧 е\u{301} ❤\u{fe0f}");
        // tags only inside a subdivision flag
        let flag = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}";
        assert_eq!(sanitize(flag), flag);
        assert_eq!(sanitize("a\u{e0067}b"), "ab");
    }

    #[test]
    fn layout_mode_keeps_hints() {
        let k = Keep { hints: true, newlines: true, tabs: true };
        assert_eq!(clean("a\u{ad}b\u{200b}c\u{feff}d\r\ne\tf", k), "a\u{ad}b\u{200b}c\u{2060}d\ne\tf");
    }

    #[test]
    fn the_quick_check_agrees_with_the_sanitiser() {
        // Every character alone, beside a letter: the check says "changes"
        // exactly when sanitize does change the text.
        for u in (0..0x3_0000).chain(0xe_0000..0xe_0100) {
            let Some(c) = char::from_u32(u) else { continue };
            let s = format!("ж{c}a");
            assert_eq!(needs_sanitizing(&s), sanitize(&s) != s, "U+{u:04X}");
        }
    }
}
