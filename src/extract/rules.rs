//! Per-site extraction rules, kept as data in the config dir
//! (`sites.toml` beside `config.toml`): for sites where the generic
//! extractor fails, CSS selectors say where the body, title, byline and
//! date are and what to strip.
//!
//! ```toml
//! [[site]]
//! host = "example.ru"              # the host and its subdomains
//! body = "div.article__text"       # required; every match, in page order
//! title = "h1.article__title"
//! byline = ".article__author"
//! date = "time.article__date"      # datetime/content attribute, else text
//! strip = [".share", ".related", ".banner"]
//! ```

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use serde::Deserialize;
use url::Url;

use super::Extracted;

/// The file name in the config dir.
pub const FILE_NAME: &str = "sites.toml";

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{path}: cannot read the site rules: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: bad site rules: {message}")]
    Parse { path: PathBuf, message: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    site: Vec<RuleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    host: String,
    body: String,
    title: Option<String>,
    byline: Option<String>,
    date: Option<String>,
    #[serde(default)]
    strip: Vec<String>,
}

/// One site's rule, selectors already parsed.
#[derive(Debug, Clone)]
pub struct Rule {
    pub host: String,
    body: Selector,
    title: Option<Selector>,
    byline: Option<Selector>,
    date: Option<Selector>,
    strip: Vec<Selector>,
}

/// All site rules; empty when the user has none.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    /// The rules file in the directory of `config` (the `--config` file, or
    /// the default config path); no file means no rules.
    pub fn load_beside(config: Option<&Path>) -> Result<Rules, RulesError> {
        let dir = match config {
            Some(c) => c.parent().map(Path::to_path_buf),
            None => crate::paths::default_config_path().and_then(|p| p.parent().map(Path::to_path_buf)),
        };
        match dir {
            Some(d) => Rules::load(&d.join(FILE_NAME)),
            None => Ok(Rules::default()),
        }
    }

    /// Reads a rules file; a missing file is no rules, anything wrong in
    /// it is an error naming the file and the rule.
    pub fn load(path: &Path) -> Result<Rules, RulesError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Rules::parse(&text).map_err(|message| RulesError::Parse { path: path.to_path_buf(), message }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Rules::default()),
            Err(source) => Err(RulesError::Read { path: path.to_path_buf(), source }),
        }
    }

    /// Parses the TOML text of a rules file.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut rules = Vec::with_capacity(file.site.len());
        for (i, r) in file.site.into_iter().enumerate() {
            let host = r.host.trim().trim_start_matches("www.").to_ascii_lowercase();
            let parse = |what: &str, s: &str| {
                Selector::parse(s).map_err(|e| format!("site #{} ({host}): bad {what} selector {s:?}: {e}", i + 1))
            };
            let opt = |what: &str, s: &Option<String>| s.as_deref().map(|s| parse(what, s)).transpose();
            rules.push(Rule {
                body: parse("body", &r.body)?,
                title: opt("title", &r.title)?,
                byline: opt("byline", &r.byline)?,
                date: opt("date", &r.date)?,
                strip: r.strip.iter().map(|s| parse("strip", s)).collect::<Result<_, _>>()?,
                host,
            });
        }
        Ok(Rules { rules })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule for `url`'s host (or a parent domain of it).
    pub fn for_url(&self, url: &Url) -> Option<&Rule> {
        let host = url.host_str()?.to_ascii_lowercase();
        let host = host.trim_start_matches("www.");
        self.rules.iter().find(|r| host == r.host || host.ends_with(&format!(".{}", r.host)))
    }
}

/// Applies a rule; `None` when its body selector matches nothing (the page
/// changed its layout: the generic extractor gets its turn).
pub fn apply(rule: &Rule, page: &str, url: Option<&Url>) -> Option<Extracted> {
    let mut doc = Html::parse_document(page);
    let doomed: Vec<_> = rule.strip.iter().flat_map(|s| doc.select(s).map(|e| e.id()).collect::<Vec<_>>()).collect();
    for id in doomed {
        if let Some(mut node) = doc.tree.get_mut(id) {
            node.detach();
        }
    }
    let body: String = doc.select(&rule.body).map(|e| e.html()).collect();
    if body.is_empty() {
        return None;
    }
    let converted = crate::text::html::html_to_blocks(&body, url);
    let text_of = |s: &Option<Selector>| {
        let s = s.as_ref()?;
        let e = doc.select(s).next()?;
        let t = e.text().collect::<Vec<_>>().join(" ");
        let t = crate::text::sanitize(&t).split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    let date = rule.date.as_ref().and_then(|s| {
        let e = doc.select(s).next()?;
        let raw = e.value().attr("datetime").or_else(|| e.value().attr("content")).map(String::from);
        raw.or_else(|| Some(e.text().collect::<String>()))
    });
    let published =
        date.and_then(|d| crate::dates::parse_date(&d).or_else(|| crate::dates::parse_russian_date(&d, None)));
    Some(Extracted {
        title: text_of(&rule.title).unwrap_or_default(),
        byline: text_of(&rule.byline),
        published,
        site_name: None,
        image_alt: None,
        blocks: converted.blocks,
        links: converted.links,
        method: "rule",
        own_text: super::own_text(&body),
    })
}
