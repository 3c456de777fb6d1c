//! The search query language: words, "phrases", `-exclusions` and the
//! operators `site:`, `tag:`, `after:`, `before:`, `is:`.
//!
//! Parsing is separate from SQL so the TUI can parse once, highlight with the
//! same terms the index matched, and report a bad operator before searching.

use std::collections::HashSet;
use std::ops::Range;

use time::{Date, Month};

use crate::lang;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("{op}:{value}: not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")]
    BadDate { op: String, value: String },
    #[error("is:{0}: unknown (use is:unread, is:read or is:starred)")]
    BadIs(String),
    #[error("{0}: needs a value, as in site:caravan.kz")]
    EmptyOperator(String),
}

/// A sequence of terms that must appear in this order; one term for a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub terms: Vec<String>,
    /// `word*`: the last term is a prefix (live search as you type).
    pub prefix: bool,
}

/// A parsed query. Dates are `sort_key` bounds (seconds, UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub must: Vec<Phrase>,
    pub must_not: Vec<Phrase>,
    /// Folded site names (substring match on the folded site name).
    pub sites: Vec<String>,
    /// Folded feed tags.
    pub tags: Vec<String>,
    /// `after:D`: published on or after D (midnight UTC).
    pub after: Option<i64>,
    /// `before:D`: published before D (midnight UTC).
    pub before: Option<i64>,
    pub unread: bool,
    pub read: bool,
    pub starred: bool,
}

impl Query {
    /// True when the query asks for nothing at all.
    pub fn is_empty(&self) -> bool {
        self.must.is_empty() && self.must_not.is_empty() && !self.has_filters()
    }

    pub fn has_filters(&self) -> bool {
        !self.sites.is_empty()
            || !self.tags.is_empty()
            || self.after.is_some()
            || self.before.is_some()
            || self.unread
            || self.read
            || self.starred
    }

    /// The FTS5 expression for the wanted phrases, or None when there are none.
    pub fn fts_must(&self) -> Option<String> {
        fts_join(&self.must, " AND ")
    }

    /// The FTS5 expression matching any excluded phrase.
    pub fn fts_must_not(&self) -> Option<String> {
        fts_join(&self.must_not, " OR ")
    }

    /// Every term the wanted phrases contain (for highlighting).
    pub fn terms(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.must.iter().flat_map(|p| p.terms.iter()).filter(|t| seen.insert(t.as_str())).cloned().collect()
    }

    /// Byte ranges of the words of `text` that match a wanted term, in order.
    pub fn highlight(&self, text: &str) -> Vec<Range<usize>> {
        self.matches(text).collect()
    }

    /// The first word of `text` that matches a wanted term.
    pub fn first_match(&self, text: &str) -> Option<Range<usize>> {
        self.matches(text).next()
    }

    fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        let exact: HashSet<&str> = self.must.iter().flat_map(|p| p.terms.iter().map(String::as_str)).collect();
        let prefixes: Vec<&str> =
            self.must.iter().filter(|p| p.prefix).filter_map(|p| p.terms.last().map(String::as_str)).collect();
        let any = !exact.is_empty();
        lang::tokens(text)
            .take_while(move |_| any)
            .filter(move |t| exact.contains(t.term.as_str()) || prefixes.iter().any(|p| t.term.starts_with(p)))
            .map(|t| t.range)
    }
}

fn fts_phrase(p: &Phrase) -> String {
    let mut s = String::from("\"");
    for (i, t) in p.terms.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&t.replace('"', "\"\""));
    }
    s.push('"');
    if p.prefix {
        s.push_str(" *");
    }
    s
}

fn fts_join(phrases: &[Phrase], op: &str) -> Option<String> {
    if phrases.is_empty() {
        return None;
    }
    Some(phrases.iter().map(fts_phrase).collect::<Vec<_>>().join(op))
}

/// One lexical piece of a query.
struct Piece {
    negated: bool,
    quoted: bool,
    text: String,
}

/// Splits on whitespace, keeping "quoted phrases" (and `op:"quoted value"`)
/// whole; an unclosed quote runs to the end.
fn lex(q: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else { break };
        let mut negated = false;
        if c == '-' {
            chars.next();
            if chars.peek().is_none_or(|c| c.is_whitespace()) {
                continue;
            }
            negated = true;
        }
        let mut text = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            chars.next();
            quoted = true;
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                text.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '"' && text.ends_with(':') {
                    for c in chars.by_ref() {
                        if c == '"' {
                            break;
                        }
                        text.push(c);
                    }
                    break;
                }
                text.push(c);
            }
        }
        out.push(Piece { negated, quoted, text });
    }
    out
}

fn parse_date(op: &str, value: &str) -> Result<i64, QueryError> {
    let bad = || QueryError::BadDate { op: op.to_string(), value: value.to_string() };
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str| s.parse::<i32>().map_err(|_| bad());
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y)?, 1, 1),
        [y, m] => (num(y)?, num(m)?, 1),
        [y, m, d] => (num(y)?, num(m)?, num(d)?),
        _ => return Err(bad()),
    };
    let month = u8::try_from(m).ok().and_then(|m| Month::try_from(m).ok()).ok_or_else(bad)?;
    let day = u8::try_from(d).map_err(|_| bad())?;
    let date = Date::from_calendar_date(y, month, day).map_err(|_| bad())?;
    Ok(date.midnight().assume_utc().unix_timestamp())
}

/// Words of `text` as a phrase of terms; None when it has no words.
fn phrase(text: &str, prefix: bool) -> Option<Phrase> {
    let terms: Vec<String> = lang::tokens(text).map(|t| t.term).collect();
    let prefix = prefix && text.ends_with('*');
    (!terms.is_empty()).then_some(Phrase { terms, prefix })
}

fn is_stop(text: &str) -> bool {
    let words: Vec<_> = lang::word_ranges(text).collect();
    words.len() == 1 && lang::is_stop_word(&lang::fold_word(&text[words[0].clone()]))
}

/// Parses a query. Unknown `name:value` pieces are ordinary words (so «10:30»
/// still searches); a known operator with a bad value is an error.
pub fn parse(q: &str) -> Result<Query, QueryError> {
    let mut query = Query::default();
    let mut stop_phrases = Vec::new();
    for piece in lex(q) {
        if !piece.quoted
            && let Some((op, value)) = piece.text.split_once(':')
        {
            let op_l = op.to_lowercase();
            if matches!(op_l.as_str(), "site" | "tag" | "after" | "before" | "is") {
                let value = value.trim();
                if value.is_empty() {
                    return Err(QueryError::EmptyOperator(op_l));
                }
                match op_l.as_str() {
                    "site" => query.sites.push(crate::model::fold_key(value)),
                    "tag" => query.tags.push(crate::model::fold_key(value)),
                    "after" => query.after = Some(parse_date(&op_l, value)?),
                    "before" => query.before = Some(parse_date(&op_l, value)?),
                    _ => match value.to_lowercase().as_str() {
                        "unread" | "new" => query.unread = true,
                        "read" => query.read = true,
                        "starred" | "star" => query.starred = true,
                        other => return Err(QueryError::BadIs(other.to_string())),
                    },
                }
                continue;
            }
        }
        let Some(p) = phrase(&piece.text, !piece.quoted) else { continue };
        if piece.negated {
            query.must_not.push(p);
        } else if !piece.quoted && is_stop(&piece.text) {
            // Function words would demand «в» in every hit; dropped unless
            // they are all the query has.
            stop_phrases.push(p);
        } else {
            query.must.push(p);
        }
    }
    if query.must.is_empty() && !query.has_filters() && query.must_not.is_empty() {
        query.must = stop_phrases;
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        lang::term(s)
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse(r#"Казахстана "пенсионные отчисления" -Россия"#).unwrap();
        assert_eq!(q.must.len(), 2);
        assert_eq!(q.must[0].terms, [t("казахстан")]);
        assert_eq!(q.must[1].terms, [t("пенсионные"), t("отчисления")]);
        assert_eq!(q.must_not[0].terms, [t("россии")]);
        assert_eq!(q.fts_must().unwrap(), r#""казахстан" AND "пенсионный отчислен""#);
    }

    #[test]
    fn operators() {
        let q = parse(r#"site:"Караван" after:2026-01-02 before:2026-02 is:unread is:starred tag:Спорт"#).unwrap();
        assert_eq!(q.sites, ["караван"]);
        assert_eq!(q.tags, ["спорт"]);
        assert_eq!(q.after, Some(1_767_312_000));
        assert_eq!(q.before, Some(1_769_904_000));
        assert!(q.unread && q.starred && q.must.is_empty());
        assert!(matches!(parse("after:вчера"), Err(QueryError::BadDate { .. })));
        assert!(matches!(parse("is:nothing"), Err(QueryError::BadIs(_))));
        assert!(matches!(parse("site:"), Err(QueryError::EmptyOperator(_))));
        // Not an operator: an ordinary word pair.
        assert_eq!(parse("10:30").unwrap().must[0].terms, ["10", "30"]);
    }

    #[test]
    fn stop_words_dropped_unless_alone() {
        let q = parse("новости о Казахстане").unwrap();
        assert_eq!(q.must.len(), 2);
        assert_eq!(parse("о").unwrap().must.len(), 1);
    }

    #[test]
    fn highlight_uses_the_same_terms() {
        let q = parse("казахстан").unwrap();
        let text = "В Казахстане и Казахстана, но не казахи.";
        let hl: Vec<&str> = q.highlight(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(hl, ["Казахстане", "Казахстана"]);
    }
}
