//! The article-extraction benchmark's measure (scrapinghub's
//! article-extraction-benchmark, `evaluate.py`): tokens are Unicode `\w+`,
//! each text becomes a multiset of 4-token shingles, and precision/recall
//! count the shingles both texts share. Kept in the library (not only in
//! the bench) so unit tests pin the arithmetic down.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Precision, recall and F1 of one extracted text against the expected one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn word_re() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    // A literal pattern: it always compiles.
    RE.get_or_init(|| regex::Regex::new(r"\w+").unwrap_or_else(|_| unreachable!()))
}

/// The `\w+` tokens of `text`, as Python's `re.findall(r'\w+', text)`.
pub fn tokens(text: &str) -> Vec<&str> {
    word_re().find_iter(text).map(|m| m.as_str()).collect()
}

/// Shingles of `n` tokens joined by a space; a text shorter than `n` tokens
/// is one shingle (none when it has no tokens), as in the benchmark.
pub fn shingles(text: &str, n: usize) -> HashMap<String, usize> {
    let toks = tokens(text);
    let mut out = HashMap::new();
    let count = toks.len().saturating_sub(n - 1).max(1);
    for i in 0..count {
        let s = toks[i.min(toks.len())..(i + n).min(toks.len())].join(" ");
        if !s.is_empty() {
            *out.entry(s).or_insert(0) += 1;
        }
    }
    out
}

/// Scores `extracted` against `expected` with 4-token shingles.
pub fn score(extracted: &str, expected: &str) -> Score {
    let pred = shingles(extracted, 4);
    let truth = shingles(expected, 4);
    let mut tp = 0usize;
    let mut fp = 0usize;
    for (s, &n) in &pred {
        let t = truth.get(s).copied().unwrap_or(0);
        tp += n.min(t);
        fp += n.saturating_sub(t);
    }
    let fn_ = truth.iter().map(|(s, &n)| n.saturating_sub(pred.get(s).copied().unwrap_or(0))).sum::<usize>();
    let (precision, recall) = if fp == 0 && fn_ == 0 {
        (1.0, 1.0)
    } else if tp == 0 {
        (0.0, 0.0)
    } else {
        (tp as f64 / (tp + fp) as f64, tp as f64 / (tp + fn_) as f64)
    };
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    Score { precision, recall, f1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unicode_words() {
        assert_eq!(tokens("Привет, мир! it's 2024_x — 東京"), ["Привет", "мир", "it", "s", "2024_x", "東京"]);
    }

    #[test]
    fn shingle_multisets_and_scores() {
        let s = shingles("a b c d a b c d", 4);
        assert_eq!(s.get("a b c d"), Some(&2));
        assert_eq!(s.values().sum::<usize>(), 5);
        assert_eq!(shingles("a b", 4).into_iter().collect::<Vec<_>>(), [("a b".to_string(), 1)]);
        assert!(shingles("  ,. ", 4).is_empty());

        let same = score("one two three four five", "one two three four five");
        assert_eq!((same.precision, same.recall, same.f1), (1.0, 1.0, 1.0));
        // Extra boilerplate halves precision, recall stays whole.
        let extra = score("one two three four five six seven eight", "one two three four five");
        assert_eq!(extra.recall, 1.0);
        assert!((extra.precision - 2.0 / 5.0).abs() < 1e-9);
        assert_eq!(score("", "").f1, 1.0);
        assert_eq!(score("x y z w", "a b c d").f1, 0.0);
        assert_eq!(score("", "a b c d").f1, 0.0);
    }
}
