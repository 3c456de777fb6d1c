//! The one HTTP client: every request svodka makes (feeds, article pages)
//! goes through here, so they share one agent setup, the size cap, the
//! redirect policy, the timeouts and decompression.
//!
//! HTTP is ureq with its own redirect following and decompression turned off:
//! redirects are followed here so a permanent one (301/308) can move a
//! subscription, and bodies are decompressed here (gzip, deflate, brotli)
//! so the size cap applies to what is finally parsed, not only to the wire.

use std::io::Read;
use std::time::{Duration, Instant};

use url::Url;

/// Knobs for HTTP work; `Default` is what `svodka fetch` uses.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests in flight to one host at once (politeness).
    pub per_host: usize,
    pub connect_timeout: Duration,
    /// Whole request, from connect to the last byte of the body, every
    /// redirect included.
    pub timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_bytes: u64,
    pub max_redirects: u32,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            concurrency: 8,
            per_host: 2,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: 16 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!("svodka/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Why one request failed (recorded on the feed, shown to the user).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpFailure {
    #[error("host not found (DNS)")]
    Dns,
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("timed out")]
    Timeout,
    #[error("HTTP {0}")]
    Status(u16),
    #[error("gone (HTTP 410)")]
    Gone,
    #[error("more than {0} redirects")]
    TooManyRedirects(u32),
    #[error("redirect without a usable Location")]
    BadRedirect,
    #[error("response larger than {0} bytes")]
    TooLarge(u64),
    #[error("cannot decompress the {0} body: {1}")]
    Decompress(&'static str, String),
    #[error("{0}")]
    Other(String),
    #[error("{0}")]
    Feed(String),
}

/// A response worth parsing, or "not modified".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    NotModified,
    Body {
        bytes: Vec<u8>,
        charset: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        /// The URL the body came from (after redirects).
        final_url: String,
        /// Where a chain of only permanent redirects led, if it moved.
        moved_to: Option<String>,
        /// `Cache-Control: max-age` in seconds (`no-cache`/`no-store`: none).
        max_age: Option<u64>,
    },
}

/// The `max-age` of a `Cache-Control` value; `None` when caching is off
/// (`no-cache`, `no-store`) or no age is given.
pub fn max_age_of(cache_control: &str) -> Option<u64> {
    let dirs: Vec<String> = cache_control.split(',').map(|d| d.trim().to_ascii_lowercase()).collect();
    if dirs.iter().any(|d| d == "no-cache" || d == "no-store") {
        return None;
    }
    dirs.iter().find_map(|d| d.strip_prefix("max-age=")?.trim_matches('"').parse().ok())
}

/// Builds the HTTP agent for `opts` (proxy from `http_proxy`/`https_proxy`/
/// `ALL_PROXY`, as ureq reads them).
pub fn agent(opts: &FetchOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_global(Some(opts.timeout))
        .user_agent(opts.user_agent.as_str())
        .accept_encoding("gzip, deflate, br")
        .accept("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
        .build()
        .into()
}

/// One conditional GET with redirects followed by hand.
pub fn fetch_url(
    agent: &ureq::Agent,
    url: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    opts: &FetchOptions,
) -> Result<Fetched, HttpFailure> {
    let mut current = url.to_string();
    let mut permanent = true;
    let mut moved_to = None;
    // One deadline for the whole chain: ureq's global timeout is per call,
    // so each hop gets what is left of it (body reading included).
    let deadline = Instant::now() + opts.timeout;
    for _ in 0..=opts.max_redirects {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HttpFailure::Timeout);
        }
        let mut req = agent.get(&current).config().timeout_global(Some(left)).build();
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(lm) = last_modified {
            req = req.header("If-Modified-Since", lm);
        }
        let resp = req.call().map_err(failure)?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        match status {
            200..=299 => {
                let charset = header("content-type").and_then(|ct| charset_of(&ct));
                let encoding = header("content-encoding").map(|e| e.to_ascii_lowercase());
                let etag = header("etag");
                let last_modified = header("last-modified");
                let max_age = header("cache-control").and_then(|c| max_age_of(&c));
                let raw = resp.into_body().with_config().limit(opts.max_bytes).read_to_vec().map_err(failure)?;
                let bytes = decompress(raw, encoding.as_deref(), opts.max_bytes)?;
                let final_url = current;
                return Ok(Fetched::Body { bytes, charset, etag, last_modified, final_url, moved_to, max_age });
            }
            304 => return Ok(Fetched::NotModified),
            301 | 302 | 303 | 307 | 308 => {
                let loc = header("location").ok_or(HttpFailure::BadRedirect)?;
                let next = Url::parse(&current)
                    .and_then(|base| base.join(&loc))
                    .map_err(|_| HttpFailure::BadRedirect)?
                    .to_string();
                permanent &= matches!(status, 301 | 308);
                if permanent {
                    moved_to = Some(next.clone());
                }
                current = next;
            }
            410 => return Err(HttpFailure::Gone),
            s => return Err(HttpFailure::Status(s)),
        }
    }
    Err(HttpFailure::TooManyRedirects(opts.max_redirects))
}

/// One POST of an `application/x-www-form-urlencoded` form (APIs such as
/// Fever take their key and commands so), without following redirects: the
/// decompressed body of a 2xx answer, else the failure. Form values never
/// appear in an error, so a key sent here cannot leak through one.
pub fn post_form(
    agent: &ureq::Agent,
    url: &str,
    form: &[(&str, &str)],
    opts: &FetchOptions,
) -> Result<Vec<u8>, HttpFailure> {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let resp = agent
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .send(body.as_bytes())
        .map_err(failure)?;
    let status = resp.status().as_u16();
    if !(200..=299).contains(&status) {
        return Err(HttpFailure::Status(status));
    }
    let encoding = resp
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty());
    let raw = resp.into_body().with_config().limit(opts.max_bytes).read_to_vec().map_err(failure)?;
    decompress(raw, encoding.as_deref(), opts.max_bytes)
}

fn failure(e: ureq::Error) -> HttpFailure {
    match e {
        ureq::Error::HostNotFound => HttpFailure::Dns,
        ureq::Error::ConnectionFailed => HttpFailure::Connect("refused or unreachable".into()),
        ureq::Error::Timeout(_) => HttpFailure::Timeout,
        ureq::Error::BodyExceedsLimit(n) => HttpFailure::TooLarge(n),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => HttpFailure::Timeout,
        // getaddrinfo failing reaches us as a bare io error, not HostNotFound.
        ureq::Error::Io(io) if io.to_string().contains("failed to lookup address") => HttpFailure::Dns,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            HttpFailure::Connect(io.to_string())
        }
        other => HttpFailure::Other(other.to_string()),
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Decodes a `Content-Encoding`, never producing more than `max` bytes.
fn decompress(raw: Vec<u8>, encoding: Option<&str>, max: u64) -> Result<Vec<u8>, HttpFailure> {
    let (name, reader): (&'static str, Box<dyn Read + '_>) = match encoding {
        None | Some("identity") => return Ok(raw),
        Some("gzip" | "x-gzip") => ("gzip", Box::new(flate2::read::MultiGzDecoder::new(&raw[..]))),
        // "deflate" is zlib-wrapped per the RFC, raw deflate in practice
        // from some servers: look at the zlib header to tell.
        Some("deflate") if raw.len() >= 2 && (u16::from(raw[0]) << 8 | u16::from(raw[1])) % 31 == 0 => {
            ("deflate", Box::new(flate2::read::ZlibDecoder::new(&raw[..])))
        }
        Some("deflate") => ("deflate", Box::new(flate2::read::DeflateDecoder::new(&raw[..]))),
        Some("br") => ("brotli", Box::new(brotli::Decompressor::new(&raw[..], 4096))),
        Some(other) => return Err(HttpFailure::Other(format!("unsupported Content-Encoding {other}"))),
    };
    let mut out = Vec::new();
    reader.take(max + 1).read_to_end(&mut out).map_err(|e| HttpFailure::Decompress(name, e.to_string()))?;
    if out.len() as u64 > max {
        return Err(HttpFailure::TooLarge(max));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_control_max_age() {
        assert_eq!(max_age_of("public, max-age=1800"), Some(1800));
        assert_eq!(max_age_of("Max-Age=60, must-revalidate"), Some(60));
        assert_eq!(max_age_of("no-cache, max-age=600"), None);
        assert_eq!(max_age_of("private"), None);
    }

    #[test]
    fn charset_and_decompression() {
        assert_eq!(charset_of("text/xml; charset=\"KOI8-R\"").as_deref(), Some("KOI8-R"));
        assert_eq!(charset_of("text/xml"), None);
        let data = "Новости ".repeat(100).into_bytes();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &data).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(decompress(gz.clone(), Some("gzip"), 1 << 20).unwrap(), data);
        assert_eq!(decompress(gz, Some("gzip"), 100), Err(HttpFailure::TooLarge(100)));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut z, &data).unwrap();
        assert_eq!(decompress(z.finish().unwrap(), Some("deflate"), 1 << 20).unwrap(), data);
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut d, &data).unwrap();
        assert_eq!(decompress(d.finish().unwrap(), Some("deflate"), 1 << 20).unwrap(), data);
        let mut br = Vec::new();
        brotli::BrotliCompress(&mut &data[..], &mut br, &Default::default()).unwrap();
        assert_eq!(decompress(br, Some("br"), 1 << 20).unwrap(), data);
        assert!(decompress(b"junk".to_vec(), Some("gzip"), 100).is_err());
    }
}
