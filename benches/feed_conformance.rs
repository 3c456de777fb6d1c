//! Conformance runs over the shared corpora (not a timing benchmark):
//!
//! - `../shared/corpus/feedparser/tests/`: Python feedparser's test feeds.
//!   Each file's `Expect:` line is a Python expression over feedparser's
//!   result; the clauses that map onto svodka's model (bozo, encoding, feed
//!   and entry title, link, description/summary/content text, author, entry
//!   dates) are evaluated, files with any other clause are counted as
//!   "not mapped" and left out of the rate.
//! - `../shared/corpus/chardet-cyrillic/tests/`: every real Russian feed in
//!   every encoding: decoded with the right encoding, no replacement
//!   characters, titles equal to the windows-1251 copy's.
//!
//! Run: `cargo bench --bench feed_conformance` (prints rates per directory and
//! every failure with its reason; exits non-zero when a corpus is missing).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use svodka::ingest::feed::{self, ParsedFeed};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to configure.
    let mut missing = false;
    missing |= !feedparser();
    missing |= !chardet();
    if missing {
        std::process::exit(2);
    }
}

// ------------------------------------------------------------------ feedparser

#[derive(Default)]
struct Tally {
    files: usize,
    mapped: usize,
    passed: usize,
}

fn feedparser() -> bool {
    let root = corpus().join("feedparser/tests");
    if !root.is_dir() {
        println!("feedparser corpus MISSING at {}: not run, NOT a pass", root.display());
        return false;
    }
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut by_dir: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json")) {
        let rel = path.strip_prefix(&root).unwrap_or(path);
        let mut comps = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
        let top = comps.next().unwrap_or_default();
        let dir = match (top.as_str(), comps.next()) {
            ("wellformed" | "illformed", Some(sub)) if rel.components().count() > 2 => format!("{top}/{sub}"),
            _ => top,
        };
        let Ok(bytes) = std::fs::read(path) else { continue };
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
        let Some(expect) = header_value(&head, "Expect:") else { continue };
        let t = by_dir.entry(dir).or_default();
        t.files += 1;
        let mut charset = None;
        let mut base = None;
        for line in head.lines() {
            if let Some(h) = line.trim().strip_prefix("Header:") {
                let (k, v) = h.split_once(':').unwrap_or(("", ""));
                match k.trim().to_ascii_lowercase().as_str() {
                    "content-type" => charset = svodka::ingest::fetch::charset_of(v.trim()),
                    "content-location" => base = Some(v.trim().to_string()),
                    _ => {}
                }
            }
        }
        let result = std::panic::catch_unwind(|| feed::parse_feed(&bytes, charset.as_deref(), base.as_deref()));
        let parsed = match result {
            Ok(r) => r,
            Err(_) => {
                t.mapped += 1;
                failures.push(format!("{}: PANIC", rel.display()));
                continue;
            }
        };
        match evaluate(&expect, &parsed) {
            Eval::Unmapped(what) => *unmapped.entry(what).or_default() += 1,
            Eval::Pass => {
                t.mapped += 1;
                t.passed += 1;
            }
            Eval::Fail(why) => {
                t.mapped += 1;
                failures.push(format!("{}: {why}   [Expect: {expect}]", rel.display()));
            }
        }
    }
    println!("== feedparser corpus ({})", root.display());
    println!("{:<28} {:>6} {:>7} {:>7} {:>7}", "directory", "files", "mapped", "passed", "rate");
    let (mut f, mut m, mut p) = (0, 0, 0);
    for (dir, t) in &by_dir {
        let rate =
            if t.mapped == 0 { "-".to_string() } else { format!("{:.1}%", 100.0 * t.passed as f64 / t.mapped as f64) };
        println!("{dir:<28} {:>6} {:>7} {:>7} {rate:>7}", t.files, t.mapped, t.passed);
        f += t.files;
        m += t.mapped;
        p += t.passed;
    }
    println!("{:<28} {f:>6} {m:>7} {p:>7} {:>6.1}%", "TOTAL", 100.0 * p as f64 / m.max(1) as f64);
    println!("-- not mapped to svodka's model (files, by first unmapped clause target):");
    let mut um: Vec<_> = unmapped.into_iter().collect();
    um.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (what, n) in um.iter().take(25) {
        println!("   {n:>4}  {what}");
    }
    println!("-- failures ({}):", failures.len());
    for fl in &failures {
        println!("   {fl}");
    }
    true
}

fn header_value(head: &str, key: &str) -> Option<String> {
    head.lines().find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_string()))
}

enum Eval {
    Pass,
    Fail(String),
    Unmapped(String),
}

/// Splits on ` and ` outside string literals.
fn clauses(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                }
                cur.push(c);
                if cur.ends_with(" and ") {
                    cur.truncate(cur.len() - 5);
                    out.push(cur.trim().to_string());
                    cur.clear();
                }
            }
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn evaluate(expr: &str, parsed: &Result<ParsedFeed, feed::FeedError>) -> Eval {
    let bozo = match parsed {
        Ok(f) => f.recovered.is_some(),
        Err(_) => true,
    };
    let clauses = clauses(expr);
    // `bozo` is feedparser's "was not well-formed" flag; svodka reads such
    // feeds when it can, so an expected `bozo` is not checked, and a file
    // whose only expectation is `bozo` is not mapped.
    if clauses.iter().all(|c| c == "bozo") {
        return Eval::Unmapped("bozo only".into());
    }
    let mut first_fail = None;
    for clause in clauses.iter().filter(|c| *c != "bozo") {
        let r = match clause.as_str() {
            "not bozo" => check(!bozo, &format!("svodka: {}", err_text(parsed))),
            _ => match clause.split_once(" == ") {
                Some((lhs, rhs)) => compare(lhs.trim(), rhs.trim(), parsed),
                None => Eval::Unmapped(clause.chars().take(40).collect()),
            },
        };
        match r {
            Eval::Unmapped(_) => return r,
            Eval::Fail(_) if first_fail.is_none() => first_fail = Some(r),
            _ => {}
        }
    }
    first_fail.unwrap_or(Eval::Pass)
}

fn err_text(parsed: &Result<ParsedFeed, feed::FeedError>) -> String {
    match parsed {
        Ok(f) => format!("recovered from {}", f.recovered.as_deref().unwrap_or("")),
        Err(e) => e.to_string(),
    }
}

fn check(ok: bool, why: &str) -> Eval {
    if ok { Eval::Pass } else { Eval::Fail(why.to_string()) }
}

fn norm(s: &str) -> String {
    let text = if s.contains('<') || s.contains('&') {
        let c = svodka::text::html::html_to_blocks(s, None);
        c.blocks.into_iter().map(|b| b.text).collect::<Vec<_>>().join(" ")
    } else {
        svodka::text::sanitize(s)
    };
    // Link numbers are svodka's rendering, not content.
    svodka::extract::strip_link_markers(&text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `entries[3]['title']` → (Some(3), ["title"]); `feed['title_detail']['value']` → (None, [..]).
fn target(lhs: &str) -> Option<(Option<usize>, Vec<String>)> {
    let (idx, mut rest) = if let Some(r) = lhs.strip_prefix("entries[") {
        let close = r.find(']')?;
        (Some(r[..close].parse().ok()?), &r[close + 1..])
    } else if let Some(r) = lhs.strip_prefix("feed") {
        (None, r)
    } else {
        return None;
    };
    let mut keys = Vec::new();
    while let Some(r) = rest.strip_prefix('[') {
        let close = r.find(']')?;
        keys.push(r[..close].trim_matches(['\'', '"']).to_string());
        rest = &r[close + 1..];
    }
    rest.is_empty().then_some((idx, keys))
}

fn compare(lhs: &str, rhs: &str, parsed: &Result<ParsedFeed, feed::FeedError>) -> Eval {
    if lhs == "encoding" {
        let Some(want) = py_string(rhs) else { return Eval::Unmapped("encoding (non-string)".into()) };
        return match parsed {
            Ok(f) => {
                let want_enc = encoding_rs::Encoding::for_label(want.as_bytes());
                // us-ascii is read as UTF-8; WHATWG's GBK decoder is gb18030's.
                let same = want_enc.map(|e| e.name()) == Some(f.encoding)
                    || (want.eq_ignore_ascii_case("us-ascii") && f.encoding == "UTF-8")
                    || (want.eq_ignore_ascii_case("gb18030") && f.encoding == "GBK");
                check(same, &format!("encoding {} != {want}", f.encoding))
            }
            Err(e) => Eval::Fail(format!("refused: {e}")),
        };
    }
    let Some((idx, keys)) = target(lhs) else { return Eval::Unmapped(lhs.chars().take(40).collect()) };
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let f = match parsed {
        Ok(f) => f,
        Err(e) => return Eval::Fail(format!("refused: {e}")),
    };
    let item = match idx {
        Some(i) => match f.items.get(i) {
            Some(it) => Some(it),
            None => return Eval::Fail(format!("no entry {i} ({} entries)", f.items.len())),
        },
        None => None,
    };
    let got: Option<String> = match (item, keys.as_slice()) {
        (None, ["title"] | ["title_detail", "value"]) => f.title.clone(),
        (None, ["link"]) => f.site_url.clone(),
        (Some(it), ["title"] | ["title_detail", "value"]) => Some(it.title.clone()).filter(|t| !t.is_empty()),
        (Some(it), ["link"]) => it.url.clone(),
        (Some(it), ["author"]) => it.author.clone(),
        (
            Some(it),
            ["description"] | ["summary"] | ["summary_detail", "value"] | ["content", "0", "value"] | ["content"],
        ) if !keys.is_empty() && rhs.starts_with(['\'', '"', 'u']) => {
            Some(it.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join(" "))
        }
        (Some(it), [k]) if k.ends_with("_parsed") => {
            let Some(want) = py_tuple(rhs) else { return Eval::Unmapped(format!("{lhs} (non-tuple)")) };
            let got = it.published.map(|s| {
                let t = match s {
                    svodka::model::Stamp::DateTime(t) => t.to_offset(time::UtcOffset::UTC),
                    svodka::model::Stamp::Date(d) => d.midnight().assume_utc(),
                };
                vec![
                    i64::from(t.year()),
                    i64::from(u8::from(t.month())),
                    i64::from(t.day()),
                    i64::from(t.hour()),
                    i64::from(t.minute()),
                    i64::from(t.second()),
                ]
            });
            return check(got.as_deref() == Some(&want[..want.len().min(6)]), &format!("date {got:?} != {want:?}"));
        }
        _ => return Eval::Unmapped(format!("{}[{}]", if idx.is_some() { "entries" } else { "feed" }, keys.join("]["))),
    };
    let Some(want) = py_string(rhs) else { return Eval::Unmapped(format!("{lhs} == non-string")) };
    let got = got.map(|g| norm(&g)).unwrap_or_default();
    let want_n = norm(&want);
    // Link targets compare as URLs (feedparser keeps them as written).
    let same = got == want_n || (keys == ["link"] && url_eq(&got, &want));
    check(same, &format!("{lhs}: svodka {got:?} != {want_n:?}"))
}

fn url_eq(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// A Python string literal (`'x'`, `u"x"`, escapes `\n \t \\ \' \" \xNN \uNNNN \UNNNNNNNN`).
fn py_string(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix(['u', 'U', 'b']).unwrap_or(s);
    let q = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = s.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'x' => {
                out.push(char::from_u32(u32::from_str_radix(&chars.by_ref().take(2).collect::<String>(), 16).ok()?)?)
            }
            'u' => {
                out.push(char::from_u32(u32::from_str_radix(&chars.by_ref().take(4).collect::<String>(), 16).ok()?)?)
            }
            'U' => {
                out.push(char::from_u32(u32::from_str_radix(&chars.by_ref().take(8).collect::<String>(), 16).ok()?)?)
            }
            other => out.push(other),
        }
    }
    Some(out)
}

fn py_tuple(s: &str) -> Option<Vec<i64>> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    inner.split(',').map(|p| p.trim().parse().ok()).collect()
}

// ------------------------------------------------------------------ chardet

fn chardet() -> bool {
    let root = corpus().join("chardet-cyrillic/tests");
    if !root.is_dir() {
        println!("chardet-cyrillic corpus MISSING at {}: not run, NOT a pass", root.display());
        return false;
    }
    let dirs = [
        ("IBM866", "IBM866"),
        ("KOI8-R", "KOI8-R"),
        ("MacCyrillic", "x-mac-cyrillic"),
        ("iso-8859-5-russian", "ISO-8859-5"),
        ("windows-1251-russian", "windows-1251"),
    ];
    println!("== chardet-cyrillic corpus ({})", root.display());
    println!("{:<22} {:>6} {:>7} {:>10} {:>9} {:>7}", "encoding", "feeds", "parsed", "recovered", "reported", "right");
    let mut failures = Vec::new();
    let reference = |name: &str| {
        let bytes = std::fs::read(root.join("windows-1251-russian").join(name)).ok()?;
        feed::parse_feed(&bytes, None, None).ok()
    };
    for (dir, want) in dirs {
        let mut files = Vec::new();
        walk(&root.join(dir), &mut files);
        let (mut n, mut ok, mut rec, mut rep, mut right) = (0, 0, 0, 0, 0);
        for p in files.iter().filter(|p| p.extension().is_some_and(|e| e == "xml")) {
            n += 1;
            let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let bytes = std::fs::read(p).unwrap_or_default();
            match std::panic::catch_unwind(|| feed::parse_feed(&bytes, None, None)) {
                Err(_) => failures.push(format!("{dir}/{name}: PANIC")),
                Ok(Err(e)) => {
                    rep += 1;
                    failures.push(format!("{dir}/{name}: reported: {e}"));
                }
                Ok(Ok(f)) => {
                    ok += 1;
                    if f.recovered.is_some() {
                        rec += 1;
                    }
                    let enc_ok = f.encoding.eq_ignore_ascii_case(want) || (want == "KOI8-R" && f.encoding == "KOI8-U");
                    let clean = f.items.iter().all(|a| !a.title.contains('\u{FFFD}'));
                    let agrees = reference(&name).is_none_or(|r| {
                        let n = r.items.len().min(f.items.len());
                        r.items[..n].iter().zip(&f.items[..n]).all(|(a, b)| a.title == b.title)
                    });
                    if enc_ok && clean && agrees {
                        right += 1;
                    } else {
                        failures.push(format!(
                            "{dir}/{name}: decoded as {} (clean {clean}, agrees with windows-1251 copy {agrees})",
                            f.encoding
                        ));
                    }
                }
            }
        }
        println!("{dir:<22} {n:>6} {ok:>7} {rec:>10} {rep:>9} {right:>7}");
    }
    println!("-- not parsed or wrong ({}):", failures.len());
    for f in &failures {
        println!("   {f}");
    }
    true
}
