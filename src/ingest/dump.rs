//! Page dumps: the plain text of a saved news page.
//!
//! A dump mixes the article with the site's chrome (tickers, weather, font
//! buttons, the page's own date). Parts are recognised by their *shape*
//! (a bullet followed by a number, a Russian date, «Фото - …») and by their
//! position (the header before the article text, the meta block, the
//! «В тренде:» block), never by the strings of one particular site, so dumps
//! from other sites and damaged dumps import with whatever they have.

use time::{Date, Month};

use crate::dates::parse_russian_date;

use crate::model::{Block, NewArticle, Stamp, TrendingPair};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DumpError {
    #[error("not a page dump: {0}")]
    NotADump(&'static str),
    #[error("{0} bytes of text: more than a page dump holds (at most {max} bytes)", max = crate::text::cap::MAX_TEXT_BYTES)]
    TooLarge(usize),
}

/// A line that starts with a list bullet (`•`, `·`, `*`, `-`), with the
/// bullet removed.
fn debullet(line: &str) -> Option<&str> {
    let t = line.trim();
    for b in ['•', '·', '▪', '●'] {
        if let Some(rest) = t.strip_prefix(b) {
            return Some(rest.trim());
        }
    }
    None
}

fn is_number(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// Currency and index tickers: `$ 491.29`, `562.92`, `€ 1 012,5`.
fn is_ticker(s: &str) -> bool {
    let t = s.trim_start_matches(['$', '€', '₽', '₸', '£', '¥']).trim();
    let t = t.trim_end_matches(['$', '€', '₽', '₸', '%']).trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '+' | '-' | '−'))
        && (t.contains('.') || t.contains(',') || s.trim() != t)
}

/// Weather: `+4 °C`, `-12°`, `−3 °С`.
fn is_weather(s: &str) -> bool {
    let t = s.trim();
    let Some(idx) = t.find('°') else { return false };
    let (num, unit) = t.split_at(idx);
    let num = num.trim().trim_start_matches(['+', '-', '−']);
    let unit = unit.trim_start_matches('°').trim();
    !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()) && matches!(unit, "" | "C" | "С" | "F")
}

/// Font-size buttons and similar one-glyph controls: `A`, `А`, `A+`, `A-`.
fn is_button(s: &str) -> bool {
    let t = s.trim();
    t.chars().count() <= 2 && t.chars().next().is_some_and(|c| c.is_alphabetic())
}

/// The year line of the page's own date: `2026 Год`.
fn page_year(s: &str) -> Option<i32> {
    let mut it = s.split_whitespace();
    let (y, w) = (it.next()?, it.next()?);
    if it.next().is_some() || !w.to_lowercase().starts_with("год") {
        return None;
    }
    y.parse().ok().filter(|y| (1900..=2200).contains(y))
}

/// The day line of the page's own date: `14 Марта` (no year).
fn page_day(s: &str) -> Option<(u8, Month)> {
    let mut it = s.split_whitespace();
    let (d, m) = (it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some((d.parse().ok().filter(|d| (1..=31).contains(d))?, crate::dates::month_name(m)?))
}

/// The first `n` characters of `s`, lower-cased: enough to test a prefix
/// without lower-casing a whole paragraph (import speed).
fn lower_prefix(s: &str, n: usize) -> String {
    s.chars().take(n).flat_map(char::to_lowercase).collect()
}

/// Photo credit lines: `Фото - Caravan.kz`, `Фото: Reuters`, `Photo: AP`.
fn photo_credit(s: &str) -> Option<String> {
    let t = s.trim();
    let lower = lower_prefix(t, 12);
    for p in ["фото", "photo", "фотография"] {
        if lower.starts_with(p) {
            // Lower-casing keeps these prefixes' byte lengths.
            let rest_orig = t.get(p.len()..).unwrap_or("");
            let credit = rest_orig.trim_start_matches([' ', '-', '–', '—', ':', '\u{a0}']).trim();
            // «Фотографии…» as the first word of a sentence is body text.
            let sep = rest_orig.starts_with([' ', '-', '–', '—', ':', '\u{a0}']);
            if sep && !credit.is_empty() && credit.chars().count() <= 80 {
                return Some(credit.to_string());
            }
        }
    }
    None
}

/// Author lines: `Автор: Иван Петров`.
fn author(s: &str) -> Option<String> {
    let t = s.trim();
    let lower = lower_prefix(t, 8);
    for p in ["автор:", "автор -", "автор —", "author:"] {
        if lower.starts_with(p) {
            let rest = t.get(p.len()..).unwrap_or("").trim();
            if !rest.is_empty() && rest.chars().count() <= 80 {
                return Some(rest.to_string());
            }
        }
    }
    None
}

/// Prose, as opposed to chrome: long enough or shaped like a sentence.
fn is_prose(s: &str) -> bool {
    let t = s.trim();
    t.split_whitespace().count() >= 6 || t.ends_with(['.', '!', '?', '…', '»', '"', '”'])
}

/// `Title - Site` → (title, site). Only a short trailing part counts as a
/// site name, so titles with dashes inside stay whole.
fn split_site(line: &str) -> (String, Option<String>) {
    let line = line.trim();
    for sep in [" - ", " | ", " — "] {
        if let Some((title, site)) = line.rsplit_once(sep) {
            let site = site.trim();
            let words = site.split_whitespace().count();
            if !title.trim().is_empty()
                && (1..=3).contains(&words)
                && site.chars().count() <= 30
                && !site.ends_with(['.', '!', '?', '…'])
            {
                return (title.trim().to_string(), Some(site.to_string()));
            }
        }
    }
    (line.to_string(), None)
}

fn is_trending_header(s: &str) -> bool {
    let t = s.trim().trim_end_matches(':').trim();
    if t.len() > 40 {
        return false;
    }
    let t = t.to_lowercase();
    t == "в тренде" || t == "в тренде сейчас" || t == "тренды"
}

/// A trending topic: a short label, not a sentence.
fn is_topic(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= 40 && t.split_whitespace().count() <= 5 && !t.ends_with(['.', '!', '?'])
}

/// Parses a decoded dump. `Сегодня`/`Вчера` resolve against the page's own
/// (capture) date; without one the publication date stays unknown.
///
/// A dump is a title line followed by the article's text: input with no
/// prose after its first line (a stray note, a file that is no dump) is
/// refused rather than imported as an empty article titled with the junk.
pub fn parse_dump(text: &str) -> Result<NewArticle, DumpError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // Refused, not cut: a dump this big is not one news page.
    if text.len() > crate::text::cap::MAX_TEXT_BYTES {
        return Err(DumpError::TooLarge(text.len()));
    }
    if text.trim_start().starts_with('<') {
        return Err(DumpError::NotADump("it looks like markup (HTML or XML), not a page's text"));
    }
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return Err(DumpError::NotADump("no text"));
    };
    let (title, site) = split_site(lines[first]);
    if title.chars().count() > 500 {
        return Err(DumpError::NotADump("the first line is too long to be a page title"));
    }
    let end = lines.iter().position(|l| is_trending_header(l)).unwrap_or(lines.len());
    let mut page = DumpReader::new(title, site);
    for (i, raw) in lines.iter().enumerate().take(end).skip(first + 1) {
        page.line(i, raw.trim());
    }
    if page.body.is_empty() {
        return Err(DumpError::NotADump("no article text after the title line"));
    }
    Ok(page.finish(parse_trending(&lines[end.min(lines.len())..])))
}

/// What a dump's lines have said so far, read top to bottom.
struct DumpReader {
    title_key: String,
    title_len: usize,
    article: NewArticle,
    /// The page's own date: its year line and its day line.
    year: Option<i32>,
    day: Option<(u8, Month)>,
    published_line: Option<String>,
    /// The line index of the publication date (views follow it closely).
    date_at: Option<usize>,
    /// Still in the chrome before the article's first paragraph.
    in_header: bool,
    body: Vec<Block>,
}

impl DumpReader {
    fn new(title: String, site: Option<String>) -> DumpReader {
        DumpReader {
            title_key: crate::model::fold_key(&title),
            title_len: title.len(),
            article: NewArticle { title, site, ..NewArticle::default() },
            year: None,
            day: None,
            published_line: None,
            date_at: None,
            in_header: true,
            body: Vec::new(),
        }
    }

    /// One trimmed line `i` of the dump.
    fn line(&mut self, i: usize, line: &str) {
        if line.is_empty() {
            return;
        }
        // Folding is costly; only lines of about the title's length can match.
        let near = line.len().abs_diff(self.title_len) <= self.title_len / 4 + 8;
        if near && crate::model::fold_key(line) == self.title_key {
            return; // the title repeated as the article's heading
        }
        if let Some(item) = debullet(line)
            && self.bullet(i, item)
        {
            return;
        }
        if self.in_header && self.page_chrome(line) {
            return;
        }
        if self.meta(i, line) {
            return;
        }
        if self.in_header && !is_prose(line) {
            return; // city names, navigation: chrome before the article starts
        }
        self.in_header = false;
        self.body.push(Block::paragraph(line));
    }

    /// A bulleted line: the date, the view count or chrome. True when used.
    fn bullet(&mut self, i: usize, item: &str) -> bool {
        if self.published_line.is_none()
            && (parse_russian_date(item, None).is_some()
                || ["сегодня", "вчера", "позавчера"].iter().any(|w| item.to_lowercase().starts_with(w)))
        {
            self.published_line = Some(item.to_string());
            self.date_at = Some(i);
            return true;
        }
        let near_date = self.date_at.is_some_and(|d| i <= d + 3);
        if is_number(item) && near_date && self.article.views.is_none() {
            self.article.views = item.chars().filter(char::is_ascii_digit).collect::<String>().parse().ok();
            return true;
        }
        if self.in_header && (is_ticker(item) || is_button(item) || is_number(item) || is_weather(item)) {
            return true;
        }
        is_ticker(item) && !self.in_header && self.body.is_empty()
    }

    /// Header chrome: weather, tickers, buttons and the page's own date.
    fn page_chrome(&mut self, line: &str) -> bool {
        if is_weather(line) || is_ticker(line) || is_button(line) {
            return true;
        }
        if let Some(y) = page_year(line) {
            self.year = Some(y);
            return true;
        }
        if let Some(d) = page_day(line) {
            self.day = Some(d);
            return true;
        }
        false
    }

    /// The meta block: photo credit, author, an unbulleted date line.
    fn meta(&mut self, i: usize, line: &str) -> bool {
        if self.article.photo_credit.is_none()
            && let Some(c) = photo_credit(line)
        {
            self.article.photo_credit = Some(c);
            return true;
        }
        if self.article.author.is_none()
            && let Some(a) = author(line)
        {
            self.article.author = Some(a);
            return true;
        }
        if self.published_line.is_none()
            && self.date_at.is_none()
            && !is_prose(line)
            && parse_russian_date(line, None).is_some()
        {
            self.published_line = Some(line.to_string());
            self.date_at = Some(i);
            return true;
        }
        false
    }

    fn finish(self, trending: Vec<TrendingPair>) -> NewArticle {
        let captured = match (self.year, self.day) {
            (Some(y), Some((d, m))) => Date::from_calendar_date(y, m, d).ok(),
            _ => None,
        };
        let mut article = self.article;
        article.captured = captured.map(Stamp::Date);
        article.published = self.published_line.as_deref().and_then(|p| parse_russian_date(p, captured));
        article.blocks = self.body;
        article.trending = trending;
        article
    }
}

/// Pairs the lines after «В тренде:» into (topic, headline); stops at the
/// first line that does not fit the shape (page footer).
fn parse_trending(lines: &[&str]) -> Vec<TrendingPair> {
    let items: Vec<&str> = lines.iter().skip(1).map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < items.len() {
        let (topic, headline) = (items[i], items[i + 1]);
        if !is_topic(topic) || is_trending_header(headline) {
            break;
        }
        out.push(TrendingPair { topic: topic.to_string(), headline: headline.to_string() });
        i += 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(is_ticker("$ 491.29"));
        assert!(is_ticker("562.92"));
        assert!(!is_ticker("954"));
        assert!(is_weather("+4 °C"));
        assert!(is_weather("−12°"));
        assert!(is_button("A"));
        assert_eq!(page_year("2026 Год"), Some(2026));
        assert_eq!(page_day("14 Марта"), Some((14, Month::March)));
        assert_eq!(photo_credit("Фото - Caravan.kz").as_deref(), Some("Caravan.kz"));
        assert_eq!(photo_credit("Фотографии показали"), None);
        assert_eq!(parse_dump("not really feed\n"), Err(DumpError::NotADump("no article text after the title line")));
        assert_eq!(split_site("A – b - Караван"), ("A – b".to_string(), Some("Караван".to_string())));
        assert_eq!(
            split_site("Итоги года - что дальше будет с экономикой страны"),
            ("Итоги года - что дальше будет с экономикой страны".to_string(), None)
        );
    }
}
