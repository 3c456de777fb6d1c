//! Full-text extraction quality on the two public corpora, scored the way
//! scrapinghub's article-extraction-benchmark scores (4-token shingles over
//! Unicode `\w+` tokens; precision, recall and F1 per page, averaged per
//! corpus), plus the extraction time per page.
//!
//! `cargo bench --bench extract` (from the repo root; the corpora are read
//! from `../shared/corpus/`). A missing corpus is reported as MISSING and
//! the run exits with status 2: it is never counted as a pass.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use scraper::{Html, Node};
use svodka::extract::{self, Rules, score};

/// Block-level elements: their edges separate words when stripping the
/// expected HTML to text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "pre",
    "section",
    "article",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "header",
    "footer",
    "aside",
    "hr",
    "main",
];

/// `expected.html` → text: every text node, blocks on their own lines.
fn strip_html(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = String::new();
    for edge in doc.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => match n.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if BLOCK.contains(&e.name()) => out.push('\n'),
                _ => {}
            },
            ego_tree::iter::Edge::Close(n) => {
                if let Node::Element(e) = n.value()
                    && BLOCK.contains(&e.name())
                {
                    out.push('\n');
                }
            }
        }
    }
    out
}

struct Case {
    name: String,
    source: PathBuf,
    expected: String,
    url: &'static str,
}

struct Result {
    name: String,
    score: score::Score,
    error: Option<String>,
}

fn run(corpus: &str, cases: Vec<Case>) -> (f64, usize) {
    let rules = Rules::default();
    let mut results = Vec::with_capacity(cases.len());
    let mut spent = Duration::ZERO;
    for c in &cases {
        let bytes = std::fs::read(&c.source).unwrap_or_default();
        let url = url::Url::parse(c.url).ok();
        let t = Instant::now();
        let got = extract::extract_bytes(&bytes, None, url.as_ref(), &rules);
        spent += t.elapsed();
        let (text, error) = match got {
            Ok(ex) => (ex.plain_text(), None),
            Err(e) => (String::new(), Some(e.to_string())),
        };
        results.push(Result { name: c.name.clone(), score: score::score(&text, &c.expected), error });
    }
    let n = results.len().max(1) as f64;
    let f1 = results.iter().map(|r| r.score.f1).sum::<f64>() / n;
    let p = results.iter().map(|r| r.score.precision).sum::<f64>() / n;
    let r = results.iter().map(|r| r.score.recall).sum::<f64>() / n;
    println!(
        "{corpus}: {} pages  F1 {f1:.3}  (precision {p:.3}, recall {r:.3})  {:.1} ms/page",
        results.len(),
        spent.as_secs_f64() * 1000.0 / n
    );
    results.sort_by(|a, b| a.score.f1.total_cmp(&b.score.f1));
    println!("  worst:");
    for r in results.iter().take(10) {
        let err = r.error.as_deref().map(|e| format!("  [{e}]")).unwrap_or_default();
        println!("    {:<45} F1 {:.3}  P {:.3}  R {:.3}{err}", r.name, r.score.f1, r.score.precision, r.score.recall);
    }
    (f1, results.len())
}

fn readability(root: &Path) -> Option<Vec<Case>> {
    let dir = root.join("readability/test/test-pages");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).ok()?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let cases: Vec<Case> = names
        .into_iter()
        .filter_map(|d| {
            let expected = std::fs::read_to_string(d.join("expected.html")).ok()?;
            Some(Case {
                name: d.file_name()?.to_string_lossy().into_owned(),
                source: d.join("source.html"),
                expected: strip_html(&expected),
                // Readability's own tests run every page at this URL.
                url: "http://fakehost/test/page.html",
            })
        })
        .collect();
    (!cases.is_empty()).then_some(cases)
}

fn newspaper(root: &Path) -> Option<Vec<Case>> {
    let dir = root.join("newspaper4k/tests/data");
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(dir.join("html")).ok()?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let cases: Vec<Case> = names
        .into_iter()
        .filter_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            let expected = std::fs::read_to_string(dir.join("txt").join(format!("{stem}.txt"))).ok()?;
            Some(Case { name: stem, source: p, expected, url: "http://example.com/article" })
        })
        .collect();
    (!cases.is_empty()).then_some(cases)
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; there is nothing to configure.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut missing = false;
    for (name, cases) in [("readability", readability(&root)), ("newspaper4k", newspaper(&root))] {
        match cases {
            Some(c) => {
                run(name, c);
            }
            None => {
                println!("{name}: MISSING (no corpus under {}): NOT scored, not a pass", root.display());
                missing = true;
            }
        }
    }
    if missing { ExitCode::from(2) } else { ExitCode::SUCCESS }
}
