//! Launch to first frame and peak memory of the reader, on the bundled
//! archive and on a 100 000-article archive, with newsboat on the same
//! articles in the same run.
//!
//! `cargo bench --bench first_frame` (add `-- --quick` for one run per case,
//! `-- --in-process` for part 1 only, `-- --no-newsboat` to skip newsboat).
//! Two parts:
//! 1. in process: open the archive, `init`, run the workers' effects, draw one
//!    frame on ratatui's TestBackend (the reader's own cost, no terminal);
//! 2. the real binaries in a 120×40 tmux pane via
//!    `../shared/bench/tui_first_frame.sh` (time to the first headline on
//!    screen, peak RSS from `/usr/bin/time -v`), svodka and newsboat.
//!
//! The 100k svodka archive is built through `Store::upsert_articles` with the
//! same shape as `gen_feeds.py 200 500` (200 sites × 500 items, 3–7
//! paragraphs of Russian words from the seed page); newsboat reads the feeds
//! `gen_feeds.py` writes. Both are cached under `target/bench-first-frame/`.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use svodka::model::{Block, NewArticle, Stamp};
use svodka::reader::{Effect, Saved, Settings, State, update};
use svodka::store::Store;

const FEEDS: usize = 200;
const ITEMS: usize = 500;

/// xorshift64*: deterministic test text without another dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

fn sentence(rng: &mut Rng, words: &[String], lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    let mut s: Vec<String> = (0..n).map(|_| words[rng.range(0, words.len() - 1)].clone()).collect();
    let first: String = s[0].chars().flat_map(char::to_uppercase).take(1).chain(s[0].chars().skip(1)).collect();
    s[0] = first;
    let end = [".", ".", ".", "!", "?"][rng.range(0, 4)];
    format!("{}{end}", s.join(" "))
}

fn vocabulary(root: &Path) -> Vec<String> {
    let seed = std::fs::read_to_string(root.join("data/caravan-trafficking-2001.txt")).unwrap_or_default();
    let words: Vec<String> = seed
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| {
            w.chars().count() >= 2 && w.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
        })
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() { vec!["новости".into()] } else { words }
}

fn build_100k(path: &Path, root: &Path) {
    let done = path.with_extension("done");
    if done.exists() {
        return;
    }
    let _ = std::fs::remove_file(path);
    eprintln!("building the 100 000-article archive at {} …", path.display());
    let t = Instant::now();
    let words = vocabulary(root);
    let mut rng = Rng(74);
    let mut store = Store::open(path).expect("open bench archive");
    let base = time::OffsetDateTime::from_unix_timestamp(1_764_000_000).expect("valid timestamp");
    for f in 0..FEEDS {
        let batch: Vec<NewArticle> = (0..ITEMS)
            .map(|i| {
                let published = base - time::Duration::seconds(((f * ITEMS + i) * 37) as i64);
                let blocks = (0..rng.range(3, 7))
                    .map(|_| {
                        let n = rng.range(2, 5);
                        Block::paragraph(
                            (0..n).map(|_| sentence(&mut rng, &words, 6, 16)).collect::<Vec<_>>().join(" "),
                        )
                    })
                    .collect();
                NewArticle {
                    title: sentence(&mut rng, &words, 5, 11),
                    site: Some(format!("Лента {f}")),
                    url: Some(format!("http://127.0.0.1:1/site{f}/news/{i}")),
                    published: Some(Stamp::DateTime(published)),
                    blocks,
                    ..NewArticle::default()
                }
            })
            .collect();
        store.upsert_articles(&batch, base).expect("insert");
    }
    std::fs::write(&done, "").expect("mark done");
    eprintln!("  built in {:.1} s", t.elapsed().as_secs_f64());
}

/// Open, init, load the first page and the previewed article, draw one
/// 120×40 frame (what the user sees first); then the counts and trending
/// topics the status bar and the trending section fill in next. Returns
/// (first frame, everything settled).
fn first_frame_in_process(db: &Path) -> (Duration, Duration) {
    let t = Instant::now();
    let mut store = Store::open(db).expect("open");
    let saved = Saved::from_pairs(|k| store.state_get(k).ok().flatten());
    let mut state =
        State::new(Settings::default(), (120, 40), time::macros::date!(2026 - 03 - 14), String::new(), &saved);
    let mut later = VecDeque::new();
    let mut queue: VecDeque<Effect> = svodka::reader::update::init(&mut state, saved.selected).into();
    while let Some(e) = queue.pop_front() {
        if matches!(e, Effect::LoadCounts | Effect::LoadTrending) {
            later.push_back(e);
            continue;
        }
        for m in svodka::reader::effects::perform(&mut store, &e) {
            queue.extend(update(&mut state, m));
        }
    }
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    term.draw(|f| svodka::reader::render(&state, f)).expect("draw");
    let first = t.elapsed();
    assert!(!state.list.rows.is_empty());
    while let Some(e) = later.pop_front() {
        for m in svodka::reader::effects::perform(&mut store, &e) {
            later.extend(update(&mut state, m));
        }
    }
    term.draw(|f| svodka::reader::render(&state, f)).expect("draw");
    (first, t.elapsed())
}

/// Where the in-process time goes, per step, for one archive.
fn breakdown(db: &Path) -> String {
    let mut parts = Vec::new();
    let t = Instant::now();
    let mut store = Store::open(db).expect("open");
    parts.push(format!("open={:.2}", t.elapsed().as_secs_f64() * 1000.0));
    let mut state = State::new(
        Settings::default(),
        (120, 40),
        time::macros::date!(2026 - 03 - 14),
        String::new(),
        &Saved::default(),
    );
    let mut queue: VecDeque<Effect> = svodka::reader::update::init(&mut state, None).into();
    while let Some(e) = queue.pop_front() {
        let name = format!("{e:?}").split([' ', '(', '{']).next().unwrap_or("?").to_string();
        let t = Instant::now();
        let msgs = svodka::reader::effects::perform(&mut store, &e);
        parts.push(format!("{name}={:.2}", t.elapsed().as_secs_f64() * 1000.0));
        for m in msgs {
            queue.extend(update(&mut state, m));
        }
    }
    parts.join(" ")
}

/// Peak RSS (KiB) of svodka after a walk through the archive: the first
/// frame, `G` (the oldest page), 40 × PgUp, `g`, 40 × PgDn, quit. The list
/// keeps a bounded window of rows, so this stays near the first-frame figure.
fn scroll_rss(cmd: &[String], pattern: &str) -> Option<u64> {
    let sock = format!("svodka-bench-{}", std::process::id());
    let tf = std::env::temp_dir().join(format!("svodka-bench-time-{}", std::process::id()));
    let t = |args: &[&str]| {
        Command::new("tmux")
            .env("LC_CTYPE", "C.UTF-8")
            .args(["-u", "-L", &sock, "-f", "/dev/null"])
            .args(args)
            .output()
            .ok()
    };
    let quoted: Vec<String> = cmd.iter().map(|a| format!("'{}'", a.replace('\'', "'\\''"))).collect();
    let line = format!("/usr/bin/time -v -o {} {}", tf.display(), quoted.join(" "));
    t(&["new-session", "-d", "-s", "s", "-x", "120", "-y", "40", &line])?;
    let wait = |needle: &str| {
        for _ in 0..600 {
            let out = t(&["capture-pane", "-p", "-t", "s"]).map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
            if out.is_some_and(|s| s.contains(needle)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    let ok = wait(pattern);
    let key = |k: &str, n: usize| {
        for _ in 0..n {
            t(&["send-keys", "-t", "s", k]);
            std::thread::sleep(Duration::from_millis(30));
        }
    };
    if ok {
        key("G", 1);
        std::thread::sleep(Duration::from_millis(500));
        key("PPage", 40);
        key("g", 1);
        std::thread::sleep(Duration::from_millis(500));
        key("NPage", 40);
        std::thread::sleep(Duration::from_millis(500));
        key("q", 1);
    }
    for _ in 0..100 {
        if t(&["has-session", "-t", "s"]).is_none_or(|o| !o.status.success()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    t(&["kill-server"]);
    let text = std::fs::read_to_string(&tf).ok()?;
    let _ = std::fs::remove_file(&tf);
    if !ok {
        return None;
    }
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Runs the shared tmux script `runs` times: (median seconds, max peak KiB).
fn in_tmux(script: &Path, pattern: &str, timeout: u32, cmd: &[String], runs: usize) -> Option<(f64, u64)> {
    let mut times = Vec::new();
    let mut rss = 0;
    for _ in 0..runs {
        let out = Command::new("bash")
            .env("LC_CTYPE", "C.UTF-8")
            .arg(script)
            .arg(pattern)
            .arg(timeout.to_string())
            .args(cmd)
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |k: &str| text.split_whitespace().find_map(|w| w.strip_prefix(k).map(str::to_string));
        let t: f64 = field("first_frame_s=")?.parse().ok()?;
        times.push(t);
        rss = rss.max(field("peak_rss_kib=")?.parse().unwrap_or(0));
    }
    Some((median(times), rss))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 1 } else { 3 };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/bench-first-frame");
    std::fs::create_dir_all(&work).expect("work dir");
    let bin = env!("CARGO_BIN_EXE_svodka");

    // The bundled archive, imported once.
    let bundled = work.join("bundled.db");
    if !bundled.exists() {
        let mut s = Store::open(&bundled).expect("open");
        svodka::bundled::import(&mut s).expect("import bundled");
    }
    let big = work.join("svodka-100k.db");
    build_100k(&big, &root);

    println!("## in process (open + first page + article + one 120x40 frame; then counts + trending), median of 20");
    for (name, db) in [("bundled", &bundled), ("100k", &big)] {
        let v: Vec<(Duration, Duration)> = (0..20).map(|_| first_frame_in_process(db)).collect();
        let ms =
            |f: fn(&(Duration, Duration)) -> Duration| median(v.iter().map(|x| f(x).as_secs_f64() * 1000.0).collect());
        println!("svodka {name:8} first_frame_ms={:.2} settled_ms={:.2}", ms(|x| x.0), ms(|x| x.1));
    }
    for (name, db) in [("bundled", &bundled), ("100k", &big)] {
        println!("  {name} steps (ms): {}", breakdown(db));
    }

    if std::env::args().any(|a| a == "--in-process") {
        return;
    }
    let script = root.join("../shared/bench/tui_first_frame.sh");
    let have = |p: &str| Command::new("which").arg(p).output().is_ok_and(|o| o.status.success());
    if !script.exists() || !have("tmux") || !Path::new("/usr/bin/time").exists() {
        println!("MISSING: {} or tmux or /usr/bin/time; the terminal part was NOT run (not a pass)", script.display());
        return;
    }
    println!("## real binaries in a 120x40 tmux pane, median of {runs} (peak RSS: max)");
    let home = work.join("home");
    let env = |db: &Path| -> Vec<String> {
        let h = home.display();
        vec![
            "env".into(),
            format!("HOME={h}"),
            format!("XDG_CONFIG_HOME={h}/config"),
            format!("XDG_STATE_HOME={h}/state"),
            "LANG=ru_RU.UTF-8".into(),
            bin.into(),
            "--db".into(),
            db.display().to_string(),
        ]
    };
    for (name, db) in [("bundled", &bundled), ("100k", &big)] {
        match in_tmux(&script, "●", 60, &env(db), runs) {
            Some((t, rss)) => println!("svodka   {name:8} first_frame_s={t:.3} peak_rss_kib={rss}"),
            None => println!("svodka   {name:8} FAILED (no first frame within 60 s)"),
        }
    }

    for (name, db) in [("bundled", &bundled), ("100k", &big)] {
        match scroll_rss(&env(db), "●") {
            Some(rss) => println!("svodka   {name:8} after G, 40×PgUp, g, 40×PgDn: peak_rss_kib={rss}"),
            None => println!("svodka   {name:8} scroll walk FAILED"),
        }
    }
    if std::env::args().any(|a| a == "--no-newsboat") {
        return;
    }
    if !have("newsboat") || !have("python3") {
        println!("MISSING: newsboat or python3; the newsboat comparison was NOT run (apt-get install newsboat)");
        return;
    }
    let gen_feeds = root.join("../shared/bench/gen_feeds.py");
    let feeds = work.join("feeds");
    if !feeds.join("urls").exists() {
        eprintln!("generating {FEEDS}×{ITEMS} feeds with gen_feeds.py …");
        let ok =
            Command::new("python3").arg(&gen_feeds).arg(&feeds).arg(FEEDS.to_string()).arg(ITEMS.to_string()).status();
        if !ok.is_ok_and(|s| s.success()) {
            println!("MISSING: {} failed; newsboat NOT run", gen_feeds.display());
            return;
        }
    }
    let nb_home = work.join("nbhome");
    std::fs::create_dir_all(&nb_home).expect("newsboat home");
    let cache = work.join("newsboat-100k.db");
    let urls = feeds.join("urls").display().to_string();
    if !cache.exists() {
        eprintln!("filling newsboat's cache (newsboat -x reload) …");
        let t = Instant::now();
        let _ = Command::new("newsboat")
            .env("HOME", &nb_home)
            .env("LANG", "C.UTF-8")
            .args(["-u", &urls, "-c", &cache.display().to_string(), "-x", "reload"])
            .status();
        eprintln!("  reloaded in {:.1} s", t.elapsed().as_secs_f64());
    }
    let nb = |extra: &[&str]| -> Vec<String> {
        let mut v =
            vec!["env".to_string(), format!("HOME={}", nb_home.display()), "LANG=C.UTF-8".into(), "newsboat".into()];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    // One run: newsboat takes tens of seconds to its first frame here.
    match in_tmux(&script, "Your feeds", 600, &nb(&["-u", &urls, "-c", &cache.display().to_string()]), 1) {
        Some((t, rss)) => println!("newsboat 100k     first_frame_s={t:.3} peak_rss_kib={rss}"),
        None => println!("newsboat 100k     FAILED (no first frame within 600 s)"),
    }
}
