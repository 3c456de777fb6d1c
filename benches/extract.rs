//! Full-text extraction quality on the three public corpora (readability,
//! newspaper4k, wceb-2026), scored the way scrapinghub's
//! article-extraction-benchmark scores: 4-token shingles over Unicode `\w+`
//! tokens, precision and recall per page averaged per corpus, F1 of the two
//! averages. Also printed: the mean of the per-page F1s and the time per page.
//!
//! Every corpus is split once into dev and held-out (a fifth, chosen by a
//! hash of the page id, fixed before any page was looked at): tune on dev,
//! confirm on held-out (an `all` line adds the two together). trafilatura (PyPI) runs on the same pages in the same
//! run through `benches/trafilatura_extract.py` when a Python with it is
//! found (`$TRAFILATURA_PYTHON`, else `../venv-traf/bin/python3`, else
//! `python3`), scored by the same scorer; otherwise it is reported MISSING.
//!
//! `cargo bench --bench extract` (from the repo root; the corpora are read
//! from `../shared/corpus/`). A missing corpus is reported as MISSING and
//! the run exits with status 2: it is never counted as a pass.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
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
    url: String,
}

/// FNV-1a of `corpus/name`: the split must not depend on anything that
/// can change (file order, std's hasher seed, the page's content).
fn held_out(corpus: &str, name: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in corpus.bytes().chain(*b"/").chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h.is_multiple_of(5)
}

fn read_page(p: &Path) -> Vec<u8> {
    let raw = std::fs::read(p).unwrap_or_default();
    if p.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).is_ok() {
            return out;
        }
    }
    raw
}

/// One extractor's scores over a set of pages.
#[derive(Default)]
struct Tally {
    p: f64,
    r: f64,
    f1: f64,
    n: usize,
}

impl Tally {
    fn add(&mut self, s: &score::Score) {
        self.p += s.precision;
        self.r += s.recall;
        self.f1 += s.f1;
        self.n += 1;
    }
    fn cells(&self) -> String {
        let n = self.n.max(1) as f64;
        let (p, r) = (self.p / n, self.r / n);
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        format!("P {p:.3} R {r:.3} F1 {f:.3} (page F1 {:.3})", self.f1 / n)
    }
}

/// trafilatura's text for every case, or why there is none.
fn trafilatura(cases: &[Case]) -> Result<(String, HashMap<String, String>), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/trafilatura_extract.py");
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../venv-traf/bin/python3");
    let python = std::env::var("TRAFILATURA_PYTHON")
        .ok()
        .unwrap_or_else(|| if venv.exists() { venv.to_string_lossy().into_owned() } else { "python3".into() });
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let list: String = cases.iter().map(|c| format!("{}\t{}\t{}\n", c.name, c.source.display(), c.url)).collect();
    // A writer thread: the script answers while it reads.
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let mut out = HashMap::new();
    let mut version = String::from("?");
    for line in BufReader::new(child.stdout.take().ok_or("no stdout")?).lines().map_while(|l| l.ok()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        if let Some(ver) = v["version"].as_str() {
            version = ver.to_string();
        } else if let Some(id) = v["id"].as_str() {
            out.insert(id.to_string(), v["text"].as_str().unwrap_or("").to_string());
        }
    }
    let _ = writer.join();
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        return Err(format!("{python} exited with {status}: {}", err.trim()));
    }
    Ok((version, out))
}

/// `EXTRACT_DUMP=DIR` writes, for dev pages only, each page's text
/// (ours, expected, trafilatura's) and a TSV of scores, for diffing runs.
fn dump(corpus: &str, name: &str, files: &[(&str, &str)], s: &score::Score) {
    let Some(dir) = std::env::var_os("EXTRACT_DUMP").map(PathBuf::from) else { return };
    let sub = dir.join(corpus);
    let _ = std::fs::create_dir_all(&sub);
    for (ext, text) in files {
        let _ = std::fs::write(sub.join(format!("{name}.{ext}.txt")), text);
    }
    let line = format!("{name}\t{:.4}\t{:.4}\t{:.4}\n", s.precision, s.recall, s.f1);
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(format!("{corpus}.tsv"))) {
        let _ = f.write_all(line.as_bytes());
    }
}

fn run(corpus: &str, cases: Vec<Case>, traf: &Result<(String, HashMap<String, String>), String>) {
    let rules = Rules::default();
    let mut spent = Duration::ZERO;
    // dev, held-out, and all pages together.
    let mut ours = [Tally::default(), Tally::default(), Tally::default()];
    let mut theirs = [Tally::default(), Tally::default(), Tally::default()];
    let mut worst = Vec::new();
    for c in &cases {
        let bytes = read_page(&c.source);
        let url = url::Url::parse(&c.url).ok();
        let t = Instant::now();
        let got = extract::extract_bytes(&bytes, None, url.as_ref(), &rules);
        spent += t.elapsed();
        let text = got.map(|ex| ex.plain_text()).unwrap_or_default();
        let split = usize::from(held_out(corpus, &c.name));
        let s = score::score(&text, &c.expected);
        ours[split].add(&s);
        ours[2].add(&s);
        if split == 0 {
            let theirs = traf.as_ref().ok().and_then(|(_, t)| t.get(&c.name)).map_or("", String::as_str);
            dump(corpus, &c.name, &[("got", &text), ("want", &c.expected), ("traf", theirs)], &s);
        }
        if let Ok((_, texts)) = traf {
            let t = texts.get(&c.name).map_or("", String::as_str);
            let ts = score::score(t, &c.expected);
            theirs[split].add(&ts);
            theirs[2].add(&ts);
            if split == 0 {
                worst.push((c.name.clone(), s, ts.f1));
            }
        } else if split == 0 {
            worst.push((c.name.clone(), s, f64::NAN));
        }
    }
    let ms = spent.as_secs_f64() * 1000.0 / cases.len().max(1) as f64;
    println!("{corpus}: {} pages, {ms:.1} ms/page", cases.len());
    for (i, split) in ["dev", "held-out", "all"].iter().enumerate() {
        println!("  {split:<8} {:>3} svodka       {}", ours[i].n, ours[i].cells());
        match traf {
            Ok((v, _)) => println!("  {split:<8} {:>3} trafilatura  {}  [{v}]", theirs[i].n, theirs[i].cells()),
            Err(_) => println!("  {split:<8}     trafilatura  MISSING"),
        }
    }
    worst.sort_by(|a, b| a.1.f1.total_cmp(&b.1.f1));
    println!("  worst dev pages (svodka; trafilatura F1 beside):");
    for (name, s, tf) in worst.iter().take(12) {
        println!("    {name:<45} F1 {:.3}  P {:.3}  R {:.3}   traf {tf:.3}", s.f1, s.precision, s.recall);
    }
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
                url: "http://fakehost/test/page.html".into(),
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
            Some(Case { name: stem, source: p, expected, url: "http://example.com/article".into() })
        })
        .collect();
    (!cases.is_empty()).then_some(cases)
}

fn wceb(root: &Path) -> Option<Vec<Case>> {
    let dir = root.join("wceb-2026");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json")).ok()?).ok()?;
    let mut cases: Vec<Case> = truth
        .as_object()?
        .iter()
        .filter_map(|(key, v)| {
            let source = dir.join("html").join(format!("{key}.html.gz"));
            source.exists().then(|| Case {
                name: key.clone(),
                source,
                expected: v["articleBody"].as_str().unwrap_or("").to_string(),
                url: v["url"].as_str().unwrap_or("http://example.com/article").to_string(),
            })
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    (!cases.is_empty()).then_some(cases)
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; an extra argument names one corpus.
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut missing = false;
    let corpora = [("readability", readability(&root)), ("newspaper4k", newspaper(&root)), ("wceb-2026", wceb(&root))];
    for (name, cases) in corpora {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        match cases {
            Some(c) => {
                // `EXTRACT_NO_TRAF=1` skips trafilatura (a faster dev loop).
                let traf = if std::env::var_os("EXTRACT_NO_TRAF").is_some() {
                    Err("skipped (EXTRACT_NO_TRAF)".to_string())
                } else {
                    trafilatura(&c)
                };
                if let Err(e) = &traf {
                    println!("trafilatura: MISSING ({e}); only svodka is scored");
                }
                run(name, c, &traf);
            }
            None => {
                println!("{name}: MISSING (no corpus under {}): NOT scored, not a pass", root.display());
                missing = true;
            }
        }
    }
    if missing { ExitCode::from(2) } else { ExitCode::SUCCESS }
}
