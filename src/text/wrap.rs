//! Filling one paragraph into lines of a given display width.
//!
//! Written by hand rather than with textwrap: textwrap cannot cut a too-long
//! word at grapheme boundaries, bind one-letter prepositions to the next word,
//! or treat U+00AD as a break that shows «-» only when taken. The fill is
//! first-fit (what e-readers do): each line takes everything that fits, ending
//! at the last allowed break; if the word that overflows can be hyphenated so
//! that more fits, it is; a line with no break at all is cut at a grapheme
//! boundary as the last resort.
//!
//! Break opportunities are UAX #14 (unicode-linebreak) restricted to grapheme
//! boundaries, with three Russian typographic tailorings: no break after a
//! one-letter preposition or conjunction (в к с и а о у я), none after an
//! initial («А. С. Пушкин»), and none between a space and a following dash
//! «—»/«–» (the dash ends the line, never starts one).

use unicode_linebreak::{BreakClass, break_property, linebreaks};

use super::hyphenate;
use super::sanitize::{SHY, WJ, ZWSP};
use super::width::{PLACEHOLDER, grapheme_indices, grapheme_width};

/// How a wrapped line ends, i.e. what joins it to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// At a space, which was dropped.
    Space,
    /// Hyphenated (soft hyphen or dictionary): the line ends with an inserted «-».
    Hyphen,
    /// At a break that needs nothing between the lines (after «-» or «—», a
    /// ZWSP, between CJK ideographs).
    Direct,
    /// Cut at a grapheme boundary because no break fitted (a long URL), or
    /// after a [`PLACEHOLDER`] that stands for a grapheme wider than the pane.
    Forced,
    /// The paragraph's last line.
    End,
}

/// One line of a wrapped paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapLine {
    pub text: String,
    /// Display width of `text` (never more than the wrap width).
    pub width: usize,
    pub end: LineEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// U+0020
    Space,
    /// SHY, ZWSP, WJ: steer breaking, never shown.
    Hint,
    /// Starts with a Russian letter (hyphenatable).
    Ru,
    /// Any other letter or digit.
    Alnum,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brk {
    None,
    Space,
    Shy,
    Direct,
}

#[derive(Debug, Clone, Copy)]
struct G {
    start: u32,
    end: u32,

    kind: Kind,
    first: char,
}

/// A paragraph ready to be filled at any width: normalised text, its
/// graphemes with widths, and the allowed breaks. Independent of the width,
/// so a resize only re-runs [`Paragraph::wrap`].
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    text: String,
    gs: Vec<G>,
    /// cum[i] = width of graphemes 0..i.
    cum: Vec<u32>,
    /// brk[i]: break allowed before grapheme i (i in 1..n).
    brk: Vec<Brk>,
}

/// Spaces that only differ in width become one ordinary space.
fn is_plain_space(c: char) -> bool {
    matches!(c, ' ' | '\u{1680}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200a}' | '\u{205f}')
}

/// Collapses runs of spaces into one and trims the ends. Input must already
/// be cleaned (no controls); NBSP and U+202F are not spaces here.
pub(crate) fn normalize_spaces(s: &str) -> String {
    let out = collapse_spaces(s);
    // Single-char searches are memchr-fast; a char-set pattern is not.
    if !(out.contains(SHY) || out.contains(ZWSP) || out.contains(WJ)) {
        return out;
    }
    // A break hint next to a space adds nothing; dropping it lets the spaces merge.
    let cs: Vec<char> = out.chars().collect();
    let kept: String = cs
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            !(matches!(c, SHY | ZWSP | WJ) && (cs.get(i.wrapping_sub(1)) == Some(&' ') || cs.get(i + 1) == Some(&' ')))
        })
        .map(|(_, &c)| c)
        .collect();
    collapse_spaces(&kept)
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run: Option<usize> = None;
    let mut pending = false;
    for (i, c) in s.char_indices() {
        if is_plain_space(c) {
            if let Some(r) = run.take() {
                out.push_str(&s[r..i]);
            }
            pending = !out.is_empty();
        } else if run.is_none() {
            if pending {
                out.push(' ');
                pending = false;
            }
            run = Some(i);
        }
    }
    if let Some(r) = run {
        out.push_str(&s[r..]);
    }
    out
}

/// Longest letter run that is still treated as a word for hyphenation.
const MAX_WORD: usize = 64;
/// Longest space-free token scanned for URL signs.
const MAX_TOKEN: usize = 256;

const ONE_LETTER_WORDS: &[char] = &['в', 'к', 'с', 'и', 'а', 'о', 'у', 'я', 'В', 'К', 'С', 'И', 'А', 'О', 'У', 'Я'];

fn opens(c: char) -> bool {
    matches!(c, '«' | '„' | '“' | '‘' | '‚' | '"' | '\'' | '(' | '[' | '{')
}

/// Characters that must not begin a line: UAX #14 classes CL, CP, EX, IS,
/// SY, NS, HY and closing quotes. Used when a forced cut can choose.
fn bad_line_start(c: char) -> bool {
    matches!(
        break_property(c as u32),
        BreakClass::ClosePunctuation
            | BreakClass::CloseParenthesis
            | BreakClass::Exclamation
            | BreakClass::InfixSeparator
            | BreakClass::Symbol
            | BreakClass::NonStarter
            | BreakClass::Hyphen
    ) || matches!(c, '»' | '”' | '’' | '›')
}

impl Paragraph {
    /// Prepares `text`, which must already be cleaned by the sanitiser (hints
    /// kept) and hold no line ends.
    pub fn new(text: &str) -> Paragraph {
        // Break hints at either end of a paragraph mean nothing.
        let hint_or_space = |c: char| matches!(c, ' ' | SHY | ZWSP | WJ) || is_plain_space(c);
        let text = normalize_spaces(text.trim_matches(hint_or_space));
        let mut gs = Vec::with_capacity(text.len() / 2);
        let mut cum = Vec::with_capacity(text.len() / 2 + 1);
        cum.push(0u32);
        let mut total = 0u32;
        for (start, g) in grapheme_indices(&text) {
            let first = g.chars().next().unwrap_or(' ');
            let (kind, w) = match first {
                ' ' if g.len() == 1 => (Kind::Space, 1),
                SHY | ZWSP | WJ if g.len() == first.len_utf8() => (Kind::Hint, 0),
                c if hyphenate::is_russian_letter(c) => (Kind::Ru, grapheme_width(g)),
                c if c.is_alphanumeric() => (Kind::Alnum, grapheme_width(g)),
                _ => (Kind::Other, grapheme_width(g)),
            };
            total += w as u32;
            cum.push(total);
            gs.push(G { start: start as u32, end: (start + g.len()) as u32, kind, first });
        }
        if gs.iter().all(|g| g.kind == Kind::Hint) {
            return Paragraph::default();
        }
        let n = gs.len();
        let mut brk = vec![Brk::None; n + 1];
        let mut gi = 0;
        for (pos, _) in linebreaks(&text) {
            if pos >= text.len() {
                break;
            }
            while gi < n && (gs[gi].start as usize) < pos {
                gi += 1;
            }
            if gi == 0 || gi >= n || gs[gi].start as usize != pos {
                continue; // inside a grapheme cluster: never split one
            }
            let prev = gs[gi - 1];
            brk[gi] = match prev.kind {
                Kind::Space => Brk::Space,
                Kind::Hint if prev.first == SHY => Brk::Shy,
                _ => Brk::Direct,
            };
        }
        // Russian tailorings of space breaks.
        for i in 1..n {
            if brk[i] != Brk::Space {
                continue;
            }
            let dash_follows = matches!(gs[i].first, '—' | '–');
            // The letter alone: «й» written и + U+0306 starts with «и» but is not it.
            let bare = |k: usize| gs[k + 1].start as usize - gs[k].start as usize == gs[k].first.len_utf8();
            let one_letter = i >= 2
                && gs[i - 2].kind == Kind::Ru
                && ONE_LETTER_WORDS.contains(&gs[i - 2].first)
                && bare(i - 2)
                && (i == 2 || gs[i - 3].kind == Kind::Space || opens(gs[i - 3].first));
            // An initial («Г. Тлегенова», «А. С. Пушкин») stays with what follows.
            let initial = i >= 3
                && gs[i - 2].first == '.'
                && gs[i - 3].first.is_uppercase()
                && gs[i - 3].kind != Kind::Other
                && (i == 3 || gs[i - 4].kind == Kind::Space || opens(gs[i - 4].first));
            if dash_follows || one_letter || initial {
                brk[i] = Brk::None;
            }
        }
        Paragraph { text, gs, cum, brk }
    }

    /// The normalised text the lines are cut from (spaces collapsed; soft
    /// hyphens, ZWSP and WJ still in it).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.gs.is_empty()
    }

    fn w(&self, from: usize, to: usize) -> usize {
        (self.cum[to] - self.cum[from]) as usize
    }

    /// Fills the paragraph into lines no wider than `width` (≥ 1).
    pub fn wrap(&self, width: usize, hyphenate: bool) -> Vec<WrapLine> {
        let width = width.max(1);
        let n = self.gs.len();
        if n == 0 {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(self.cum[n] as usize / width + 1);
        let mut s = 0;
        while s < n {
            s = self.next_line(s, width, hyphenate, &mut out);
        }
        out
    }

    /// Ends the line that starts at grapheme `s` (pushing one line, two for a
    /// placeholder, none when only hints are left) and returns where the next
    /// one starts.
    fn next_line(&self, s: usize, width: usize, hyphenate: bool, out: &mut Vec<WrapLine>) -> usize {
        let n = self.gs.len();
        let (last, overflow) = self.scan(s, width);
        let Some(i) = overflow else {
            out.push(self.line(s, n, LineEnd::End));
            return n;
        };
        let after = last.map_or(s, |(b, _)| b);
        if hyphenate && let Some(h) = self.hyphen_point(s, i, width, last.is_some()).filter(|&h| h > after) {
            out.push(self.line(s, h, LineEnd::Hyphen));
            return h;
        }
        if let Some((b, kind)) = last {
            let (end, le) = match kind {
                Brk::Space => (b - 1, LineEnd::Space),
                Brk::Shy => (b, LineEnd::Hyphen),
                _ => (b, LineEnd::Direct),
            };
            out.push(self.line(s, end, le));
            return b;
        }
        if i == s || self.w(s, i) == 0 {
            return self.placeholder_line(s, i, out);
        }
        self.forced_cut(s, i, out)
    }

    /// From grapheme `s`: the last break at which a line would fit, and the
    /// first grapheme that does not fit (None when the rest fits).
    fn scan(&self, s: usize, width: usize) -> (Option<(usize, Brk)>, Option<usize>) {
        let mut last = None;
        for i in s..self.gs.len() {
            if i > s {
                let b = self.brk[i];
                // A line must show something: never break after invisible hints alone.
                let fits = match b {
                    Brk::None => false,
                    Brk::Space => (1..=width).contains(&self.w(s, i - 1)),
                    Brk::Shy => (1..width).contains(&self.w(s, i)),
                    Brk::Direct => (1..=width).contains(&self.w(s, i)),
                };
                if fits {
                    last = Some((i, b));
                }
            }
            // A space never overflows: it is dropped if the line ends there.
            if self.gs[i].kind != Kind::Space && self.w(s, i + 1) > width {
                return (last, Some(i));
            }
        }
        (last, None)
    }

    /// Grapheme `i` alone is wider than the whole pane (width 1, a wide
    /// char): it becomes a [`PLACEHOLDER`] line. Zero-width graphemes before
    /// it (a stray combining mark) keep a line of their own.
    fn placeholder_line(&self, s: usize, i: usize, out: &mut Vec<WrapLine>) -> usize {
        if self.gs[s..i].iter().any(|g| g.kind != Kind::Hint) {
            out.push(self.line(s, i, LineEnd::Forced));
        }
        let j = i + 1;
        let next = self.skip_spaces(j);
        let end = match next {
            k if k >= self.gs.len() => LineEnd::End,
            k if k > j => LineEnd::Space,
            _ => LineEnd::Forced,
        };
        out.push(WrapLine { text: PLACEHOLDER.to_string(), width: 1, end });
        next
    }

    /// Last resort when no break fits before the overflow at `i`: cut at a
    /// grapheme boundary, preferring one that does not start the next line
    /// with closing punctuation.
    fn forced_cut(&self, s: usize, i: usize, out: &mut Vec<WrapLine>) -> usize {
        let ok = |c: usize| {
            !bad_line_start(self.gs[c].first)
                && self.gs[c].kind != Kind::Space
                && self.gs[c - 1].kind != Kind::Space
                && self.w(s, c) > 0
        };
        let cut = (s + 1..=i).rev().find(|&c| ok(c)).unwrap_or(i);
        let mut end = cut;
        while end > s && matches!(self.gs[end - 1].kind, Kind::Space | Kind::Hint) {
            end -= 1;
        }
        let next = self.skip_spaces(cut);
        if self.gs[s..end].iter().all(|g| g.kind == Kind::Hint) {
            return next; // only spaces and hints before the cut: nothing to show
        }
        let spaced = (s..next).any(|k| k >= end && self.gs[k].kind == Kind::Space);
        out.push(self.line(s, end, if spaced { LineEnd::Space } else { LineEnd::Forced }));
        next
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while i < self.gs.len() && self.gs[i].kind == Kind::Space {
            i += 1;
        }
        i
    }

    /// The furthest dictionary hyphenation point in the word that overflows at
    /// grapheme `i` such that the line from `s` plus «-» fits. A word part
    /// next to a ZWSP is hyphenated only when no other break fits
    /// (`other_break` false): the author's break comes first.
    fn hyphen_point(&self, s: usize, i: usize, width: usize, other_break: bool) -> Option<usize> {
        let gs = &self.gs;
        // The Russian word containing i, or ending just before the punctuation that overflowed.
        let mut probe = i;
        while gs[probe].kind == Kind::Other && probe > s && i - probe < 4 {
            probe -= 1;
        }
        if gs[probe].kind != Kind::Ru || probe < s {
            return None;
        }
        // Bounded scans: a run longer than any real word is not hyphenated,
        // and a huge run must not make every line rescan it.
        let mut a = probe;
        while a > 0 && gs[a - 1].kind == Kind::Ru {
            a -= 1;
            if probe - a > MAX_WORD {
                return None;
            }
        }
        let mut b = probe + 1;
        while b < gs.len() && gs[b].kind == Kind::Ru {
            b += 1;
            if b - a > MAX_WORD {
                return None;
            }
        }
        // Glued to other letters, digits or an author's soft hyphen: not a plain word.
        let glued = |k: usize| gs[k].kind == Kind::Alnum || (gs[k].kind == Kind::Hint && gs[k].first == SHY);
        if (a > 0 && glued(a - 1)) || (b < gs.len() && glued(b)) {
            return None;
        }
        let zwsp = |k: usize| gs[k].kind == Kind::Hint && gs[k].first == ZWSP;
        if other_break && ((a > 0 && zwsp(a - 1)) || (b < gs.len() && zwsp(b))) {
            return None;
        }
        // Cheap checks first: the earliest point leaves two letters before it.
        let first = (a + 2).max(s + 1);
        if b - a < 4 || first > i || self.w(s, first) >= width || self.in_url(a, b) {
            return None;
        }
        let base = gs[a].start as usize;
        let word = &self.text[base..gs[b - 1].end as usize];
        let mut best = None;
        let mut k = a;
        for p in hyphenate::points(word) {
            let off = (base + p) as u32;
            while k < b && gs[k].start < off {
                k += 1;
            }
            if k > s && k <= i && self.w(s, k) < width {
                best = Some(k);
            }
        }
        best
    }

    /// Whether graphemes a..b sit in a URL, path or address (a space-delimited
    /// token with `/`, `@`, `://` or `www.`): hyphens there would corrupt it.
    fn in_url(&self, a: usize, b: usize) -> bool {
        let n = self.gs.len();
        let mut from = a;
        while from > 0 && self.gs[from - 1].kind != Kind::Space {
            from -= 1;
            if a - from > MAX_TOKEN {
                return true; // no such words in prose
            }
        }
        let mut to = b;
        while to < n && self.gs[to].kind != Kind::Space {
            to += 1;
            if to - b > MAX_TOKEN {
                return true;
            }
        }
        let token = &self.text[self.gs[from].start as usize..self.gs[to - 1].end as usize];
        token.contains(['/', '@', '\\']) || token.contains("www.")
    }

    /// The text of graphemes from..to (hints dropped), «-» appended for a
    /// hyphenated end.
    fn line(&self, from: usize, to: usize, end: LineEnd) -> WrapLine {
        let span = if to > from { (self.gs[to - 1].end - self.gs[from].start) as usize } else { 0 };
        let mut text = String::with_capacity(span + 1);
        let mut run_start = None;
        for g in &self.gs[from..to] {
            if g.kind == Kind::Hint {
                if let Some(rs) = run_start.take() {
                    text.push_str(&self.text[rs..g.start as usize]);
                }
            } else if run_start.is_none() {
                run_start = Some(g.start as usize);
            }
        }
        if let Some(rs) = run_start {
            text.push_str(&self.text[rs..self.gs[to - 1].end as usize]);
        }
        let mut width = self.w(from, to);
        if end == LineEnd::Hyphen {
            text.push('-');
            width += 1;
        }
        WrapLine { text, width, end }
    }
}

/// Wraps cleaned paragraph text (see [`Paragraph::new`]) at `width`.
pub fn wrap(text: &str, width: usize, hyphenate: bool) -> Vec<WrapLine> {
    Paragraph::new(text).wrap(width, hyphenate)
}

/// UAX #14 break opportunities exactly as the engine receives them from
/// unicode-linebreak: byte offsets of the character after each allowed
/// break, the end of text included. For conformance tests.
pub fn uax14_breaks(text: &str) -> Vec<usize> {
    linebreaks(text).map(|(i, _)| i).collect()
}

/// Break opportunities the engine actually uses in `text` (already
/// normalised: see [`Paragraph::text`]): UAX #14 at grapheme boundaries, minus
/// the Russian tailorings. Byte offsets, end of text included.
pub fn engine_breaks(p: &Paragraph) -> Vec<usize> {
    let mut v: Vec<usize> =
        (1..p.gs.len()).filter(|&i| p.brk[i] != Brk::None).map(|i| p.gs[i].start as usize).collect();
    v.push(p.text.len());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, w: usize) -> Vec<String> {
        wrap(text, w, true).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn fills_and_hyphenates() {
        assert_eq!(lines("Мама мыла раму", 9), ["Мама мыла", "раму"]);
        assert_eq!(lines("это государство", 10), ["это госу-", "дарство"]);
        assert_eq!(
            wrap("это государство", 10, false).into_iter().map(|l| l.text).collect::<Vec<_>>(),
            ["это", "государств", "о"]
        );
    }

    #[test]
    fn word_before_closing_punctuation_is_hyphenated() {
        assert_eq!(lines("это «государства».", 14), ["это «государ-", "ства»."]);
        assert_eq!(lines("это «государства».", 17), ["это «государ-", "ства»."]);
    }

    #[test]
    fn a_decomposed_letter_is_not_a_preposition() {
        // «й» as и + U+0306 is a word of its own, not the conjunction «и».
        assert_eq!(lines("и\u{306} в а", 3), ["и\u{306}", "в а"]);
    }

    #[test]
    fn prepositions_and_dashes() {
        assert_eq!(lines("шёл в дом", 6), ["шёл", "в дом"]);
        assert_eq!(lines("он — там", 4), ["он —", "там"]);
    }

    #[test]
    fn initials_stay_with_the_name() {
        assert_eq!(lines("По словам Г. Тлегеновой", 13), ["По словам", "Г. Тлегеновой"]);
        assert_eq!(lines("поэт А. С. Пушкин", 10), ["поэт", "А. С. Пуш-", "кин"]);
    }

    #[test]
    fn huge_runs_stay_linear() {
        // 60,000 letters without a space: each line must not rescan the run.
        let run = "абвгд".repeat(12_000);
        let l = wrap(&format!("{run} конец"), 40, true);
        assert_eq!(l.len(), 1501);
        assert!(l[..1499].iter().all(|l| l.end == LineEnd::Forced && l.width == 40));
        assert_eq!((l[1499].end, l[1500].text.as_str()), (LineEnd::Space, "конец"));
    }

    #[test]
    fn soft_hyphen() {
        assert_eq!(lines("при\u{ad}мер", 10), ["пример"]);
        assert_eq!(lines("при\u{ad}мер", 5), ["при-", "мер"]);
    }
}
