//! Helpers every integration test shares: the binary on a given archive in a
//! clean environment, and a local HTTP server. One copy, so a change to how
//! svodka is started (a new environment variable, a required flag) is made
//! once. Each test crate uses a subset, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;

/// svodka on the archive `db`, in an English locale, with nothing from the
/// caller's environment that would change what it does: no `$SVODKA_DB`,
/// no proxy, and the user's config directory out of reach (an XDG dir
/// beside the archive that does not exist).
pub fn svodka(db: &Path) -> Command {
    let mut c = Command::cargo_bin("svodka").expect("binary built");
    let xdg = db.parent().unwrap_or(Path::new(".")).join("xdg");
    c.arg("--db").arg(db).env("LANG", "C").env("XDG_CONFIG_HOME", xdg);
    let proxies =
        ["http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"];
    for var in ["SVODKA_DB", "LC_ALL", "LC_MESSAGES"].into_iter().chain(proxies) {
        c.env_remove(var);
    }
    c
}

/// What the test server answers for a path.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>, content_type: &str) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
    pub fn status(status: u16) -> Reply {
        Reply { status, headers: vec![], body: vec![], delay: Duration::ZERO }
    }
    pub fn redirect(status: u16, to: &str) -> Reply {
        Reply { status, headers: vec![("Location".into(), to.into())], body: vec![], delay: Duration::ZERO }
    }
    /// Answers only after `delay` (slow servers, timeouts).
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
}

type Routes = Arc<Mutex<HashMap<String, Reply>>>;
type Seen = Arc<Mutex<Vec<(String, HashMap<String, String>)>>>;

/// A real HTTP server on 127.0.0.1 (tiny_http), one thread per request so a
/// slow route does not hold up the others. Unknown paths are 404. Answers
/// 304 itself when the route has an ETag the client sent back.
pub struct Server {
    pub base: String,
    routes: Routes,
    pub seen: Seen,
}

impl Server {
    pub fn start() -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let routes: Routes = Arc::default();
        let seen: Seen = Arc::default();
        let (r, s) = (routes.clone(), seen.clone());
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let (routes, seen) = (r.clone(), s.clone());
                std::thread::spawn(move || answer(req, &routes, &seen));
            }
        });
        Server { base, routes, seen }
    }

    /// Serves `reply` at `path` (replacing any earlier reply); the full URL.
    pub fn route(&self, path: &str, reply: Reply) -> String {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
        format!("{}{path}", self.base)
    }

    /// The headers of every request to `path`, oldest first.
    pub fn requests_to(&self, path: &str) -> Vec<HashMap<String, String>> {
        self.seen.lock().unwrap().iter().filter(|(p, _)| p == path).map(|(_, h)| h.clone()).collect()
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests_to(path).len()
    }
}

fn answer(req: tiny_http::Request, routes: &Routes, seen: &Seen) {
    let headers: HashMap<String, String> = req
        .headers()
        .iter()
        .map(|h| (h.field.as_str().as_str().to_ascii_lowercase(), h.value.as_str().to_string()))
        .collect();
    let path = req.url().to_string();
    seen.lock().unwrap().push((path.clone(), headers.clone()));
    let reply = routes.lock().unwrap().get(&path).cloned().unwrap_or_else(|| Reply::status(404));
    std::thread::sleep(reply.delay);
    let etag = reply.headers.iter().find(|(k, _)| k == "ETag").map(|(_, v)| v.clone());
    let not_modified = etag.is_some() && headers.get("if-none-match") == etag.as_ref();
    let (status, body) = if not_modified { (304, vec![]) } else { (reply.status, reply.body) };
    let mut resp = tiny_http::Response::from_data(body).with_status_code(status);
    for (k, v) in &reply.headers {
        resp.add_header(tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap());
    }
    let _ = req.respond(resp);
}

/// A TestBackend buffer as text, one line per row, trailing spaces cut; a
/// wide character's second cell is skipped, so Cyrillic, CJK and emoji
/// read as written.
pub fn screen_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = svodka::text::width::display_width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A temporary archive: the directory lives as long as this.
pub struct Archive {
    pub _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
}

impl Archive {
    pub fn new() -> Archive {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        svodka::store::Store::open(&path).unwrap();
        Archive { _dir: dir, path }
    }
    pub fn store(&self) -> svodka::store::Store {
        svodka::store::Store::open(&self.path).unwrap()
    }
    pub fn add(&self, url: &str) -> i64 {
        self.store().add_feed(url, None, &[]).unwrap().0
    }
}
