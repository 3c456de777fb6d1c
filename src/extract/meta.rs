//! What a page says about itself: title, author, published date, site
//! name and lead image alt, read from the markup made for machines
//! (OpenGraph and `article:*` meta tags, JSON-LD, microdata, `<time
//! datetime>`) rather than guessed from the text.
//!
//! Why apart from the body extractor: these are stated, not scored, and
//! they are the same for a site rule and for the generic layer. The body
//! layer's own findings go first where it has them (`extract::extract`);
//! this fills what it left empty. Only language-independent signals: the
//! pages are in every language.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use url::Url;

use crate::model::Stamp;

/// The page's own metadata; `None`/empty where it states nothing.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub byline: Option<String>,
    pub published: Option<Stamp>,
    pub site_name: Option<String>,
    pub image_alt: Option<String>,
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

/// One line of clean text, `None` when nothing is left.
fn tidy(s: &str) -> Option<String> {
    let s = crate::text::sanitize(s).split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn first_attr(doc: &Html, selectors: &[&str], attr: &str) -> Option<String> {
    selectors.iter().filter_map(|s| sel(s)).find_map(|s| {
        doc.select(&s).find_map(|e| e.value().attr(attr).map(str::trim).filter(|v| !v.is_empty()).map(String::from))
    })
}

fn first_text(doc: &Html, selectors: &[&str]) -> Option<String> {
    selectors
        .iter()
        .filter_map(|s| sel(s))
        .find_map(|s| doc.select(&s).find_map(|e| tidy(&e.text().collect::<String>())))
}

/// Reads everything; `url` gives the host, the site name of last resort.
pub fn read(doc: &Html, url: Option<&Url>) -> Meta {
    let ld = json_ld(doc);
    let stated_title = first_attr(doc, &["meta[property='og:title']", "meta[name='twitter:title']"], "content")
        .or_else(|| ld.as_ref().and_then(|a| text_of(a.get("headline")?)))
        .and_then(|t| tidy(&t));
    let head_title = first_text(doc, &["head title", "title"]);
    let site_name = first_attr(doc, &["meta[property='og:site_name']"], "content")
        .or_else(|| ld.as_ref().and_then(|a| name_of(a.get("publisher")?)))
        .or_else(|| first_attr(doc, &["meta[name='application-name']"], "content"))
        .and_then(|s| tidy(&s))
        .or_else(|| head_title.as_deref().and_then(|t| title_suffix(t, stated_title.as_deref())).map(|(_, s)| s))
        .or_else(|| url.and_then(|u| u.host_str()).map(|h| h.trim_start_matches("www.").to_string()));
    let title = stated_title
        .or_else(|| {
            let t = head_title?;
            let same = |s: &str| {
                let (s, site) = (crate::model::fold_key(s), site_name.as_deref().map(crate::model::fold_key));
                site.is_some_and(|site| site.contains(&s) || s.contains(&site))
            };
            Some(title_suffix(&t, None).filter(|(_, s)| same(s)).map_or(t.clone(), |(p, _)| p))
        })
        .unwrap_or_default();
    Meta {
        title,
        byline: byline(doc, ld.as_ref()),
        published: published(doc, ld.as_ref()),
        site_name,
        image_alt: image_alt(doc),
    }
}

/// `Title | Site`, `Title — Site`, `Title - Site`…: (title, site) when the
/// last part is short enough to be a name and is not part of the title
/// the page states elsewhere.
fn title_suffix(t: &str, stated: Option<&str>) -> Option<(String, String)> {
    let (at, sep) = [" | ", " — ", " – ", " - ", " :: ", " · ", " // "]
        .iter()
        .filter_map(|sep| t.rfind(sep).map(|at| (at, *sep)))
        .max_by_key(|(at, _)| *at)?;
    let (head, site) = (t[..at].trim(), t[at + sep.len()..].trim());
    let short = site.split_whitespace().count() <= 5 && site.chars().count() <= 40;
    let in_title = stated.is_some_and(|s| s.contains(site));
    (short && !head.is_empty() && !site.is_empty() && !in_title).then(|| (head.to_string(), site.to_string()))
}

/// The first JSON-LD object that describes the article (an `…Article`,
/// `BlogPosting` or `WebPage` type, or anything with `datePublished`),
/// looking inside arrays and `@graph`.
fn json_ld(doc: &Html) -> Option<Value> {
    let s = sel("script[type='application/ld+json']")?;
    let mut found: Vec<Value> = Vec::new();
    for script in doc.select(&s) {
        let Ok(v) = serde_json::from_str::<Value>(script.text().collect::<String>().trim()) else { continue };
        flatten_ld(v, &mut found, 0);
    }
    let is_article = |v: &Value| {
        let types: Vec<&str> = match v.get("@type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        types.iter().any(|t| t.ends_with("Article") || *t == "BlogPosting" || *t == "Report")
    };
    let pos = found.iter().position(is_article).or_else(|| found.iter().position(|v| v.get("datePublished").is_some()));
    pos.map(|i| found.swap_remove(i))
}

fn flatten_ld(v: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(a) => a.into_iter().for_each(|x| flatten_ld(x, out, depth + 1)),
        Value::Object(mut m) => {
            if let Some(g) = m.remove("@graph") {
                flatten_ld(g, out, depth + 1);
            }
            out.push(Value::Object(m));
        }
        _ => {}
    }
}

fn text_of(v: &Value) -> Option<String> {
    v.as_str().and_then(tidy)
}

/// A person or organisation: a string, `{"name"}`, or a list of them.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => tidy(s).filter(|s| !s.starts_with("http")),
        Value::Object(m) => m.get("name").and_then(name_of),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

fn byline(doc: &Html, ld: Option<&Value>) -> Option<String> {
    ld.and_then(|a| name_of(a.get("author")?))
        .or_else(|| {
            first_attr(
                doc,
                &["meta[name='author']", "meta[property='article:author']", "meta[name='parsely-author']"],
                "content",
            )
            .filter(|a| !a.starts_with("http"))
        })
        .or_else(|| {
            first_text(doc, &["[itemprop='author'] [itemprop='name']", "[itemprop='author']", "a[rel='author']"])
        })
        .and_then(|a| tidy(&a))
}

fn published(doc: &Html, ld: Option<&Value>) -> Option<Stamp> {
    let parse = |d: String| crate::dates::parse_date(&d);
    first_attr(doc, &["meta[property='article:published_time']"], "content")
        .and_then(parse)
        .or_else(|| ld.and_then(|a| a.get("datePublished")?.as_str().map(String::from)).and_then(parse))
        .or_else(|| {
            first_attr(
                doc,
                &[
                    "meta[itemprop='datePublished']",
                    "meta[property='og:published_time']",
                    "meta[name='pubdate']",
                    "meta[name='publish-date']",
                    "meta[name='date']",
                    "meta[name='DC.date.issued']",
                ],
                "content",
            )
            .and_then(parse)
        })
        .or_else(|| {
            first_attr(doc, &["[itemprop='datePublished']", "time[pubdate]", "article time[datetime]"], "datetime")
                .and_then(parse)
        })
        .or_else(|| only_time(doc))
}

/// A page with a single `<time datetime>` dates its article with it; with
/// several (related teasers, comments) none is trusted.
fn only_time(doc: &Html) -> Option<Stamp> {
    let s = sel("time[datetime]")?;
    let mut times = doc.select(&s);
    let first: ElementRef<'_> = times.next()?;
    if times.next().is_some() {
        return None;
    }
    crate::dates::parse_date(first.value().attr("datetime")?)
}

/// The lead image's alt: stated (`og:image:alt`), else the alt of the
/// `<img>` that shows the `og:image` file.
fn image_alt(doc: &Html) -> Option<String> {
    let image = first_attr(doc, &["meta[property='og:image']", "meta[name='twitter:image']"], "content");
    first_attr(doc, &["meta[property='og:image:alt']", "meta[name='twitter:image:alt']"], "content")
        .or_else(|| {
            let image = image?;
            let file = image.rsplit('/').next().unwrap_or(&image).split('?').next().unwrap_or("").to_string();
            let s = sel("img[alt]")?;
            doc.select(&s).find_map(|img| {
                let src = img.value().attr("src").unwrap_or("");
                let alt = img.value().attr("alt").unwrap_or("").trim();
                (!file.is_empty() && src.contains(&file) && !alt.is_empty()).then(|| alt.to_string())
            })
        })
        .and_then(|a| tidy(&a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(head: &str, body: &str) -> Meta {
        let html = format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>");
        read(&Html::parse_document(&html), Url::parse("https://www.vesti.kz/a/1").ok().as_ref())
    }

    #[test]
    fn opengraph_and_article_tags() {
        let m = meta(
            r#"<title>Мост открыли | Вести</title><meta property="og:title" content="Мост  открыли">
               <meta property="og:site_name" content="Вести.kz"><meta name="author" content="А. Иванов">
               <meta property="article:published_time" content="2026-03-01T10:00:00+05:00">"#,
            "<time datetime='2020-01-01'>old</time>",
        );
        assert_eq!(m.title, "Мост открыли");
        assert_eq!(m.site_name.as_deref(), Some("Вести.kz"));
        assert_eq!(m.byline.as_deref(), Some("А. Иванов"));
        assert_eq!(m.published.map(|p| p.to_iso()).as_deref(), Some("2026-03-01T10:00:00+05:00"));
    }

    #[test]
    fn json_ld_in_a_graph_with_authors_and_publisher() {
        let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"Ignored"},
            {"@type":["NewsArticle"],"headline":"Bridge opens","datePublished":"2026-02-03",
             "author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chen"}],
             "publisher":{"@type":"Organization","name":"The Daily"}}]}</script>
            <script type="application/ld+json">not json</script>"#;
        let m = meta(ld, "");
        assert_eq!(m.title, "Bridge opens");
        assert_eq!(m.byline.as_deref(), Some("Ann Lee, Bo Chen"));
        assert_eq!(m.published.map(|p| p.to_iso()).as_deref(), Some("2026-02-03"));
        assert_eq!(m.site_name.as_deref(), Some("The Daily"));
    }

    #[test]
    fn site_from_the_title_suffix_else_the_host() {
        let m = meta("<title>Mост открыли — Вести</title>", "<time datetime='2026-03-04T05:06:00Z'>4 марта</time>");
        assert_eq!((m.title.as_str(), m.site_name.as_deref()), ("Mост открыли", Some("Вести")));
        assert_eq!(m.published.map(|p| p.to_iso()).as_deref(), Some("2026-03-04T05:06:00Z"));
        // A dash inside the stated title is no site; two times date nothing.
        let m = meta(
            r#"<title>Итоги - 2026</title><meta property="og:title" content="Итоги - 2026">"#,
            "<time datetime='2026-01-01'>a</time><time datetime='2026-01-02'>b</time>",
        );
        assert_eq!((m.title.as_str(), m.site_name.as_deref(), m.published), ("Итоги - 2026", Some("vesti.kz"), None));
        let m = meta("<title>Просто заголовок страницы</title>", "");
        assert_eq!((m.title.as_str(), m.site_name.as_deref()), ("Просто заголовок страницы", Some("vesti.kz")));
    }

    #[test]
    fn microdata_and_rel_author() {
        let m = meta(
            "",
            r#"<article><span itemprop="author" itemscope><span itemprop="name">Дана Ким</span></span>
               <time itemprop="datePublished" datetime="2026-05-06">6 мая</time><time datetime="2026-05-07">x</time></article>"#,
        );
        assert_eq!(m.byline.as_deref(), Some("Дана Ким"));
        assert_eq!(m.published.map(|p| p.to_iso()).as_deref(), Some("2026-05-06"));
        let m = meta("", r#"<p>By <a rel="author" href="/u/1">Sam Roe</a></p>"#);
        assert_eq!(m.byline.as_deref(), Some("Sam Roe"));
    }
}
