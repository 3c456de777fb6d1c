//! The command line: every subcommand, its flags and its JSON.
//!
//! Names, flags and JSON keys here are a contract scripts rely on: add
//! freely, never rename. Human output is aligned by display width so
//! Cyrillic, Kazakh and CJK titles line up.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use clap::{Args, Parser, Subcommand};

use crate::i18n::{self, Lang};
use crate::model::{Article, ArticleSummary};
use crate::store::{ListQuery, Store};
use crate::text::width::{display_width, pad};

#[derive(Debug, Parser)]
#[command(name = "svodka", version, about = "A terminal news reader with an offline archive")]
pub struct Cli {
    /// The archive file (default: the user's data directory).
    #[arg(long, global = true, env = "SVODKA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The config file (default: config.toml in the user's config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import page dumps, feed files (RSS, Atom, JSON Feed), OPML and newsboat urls files (or directories, recursively).
    Import(ImportArgs),
    /// List archived headlines, newest first.
    List(ListArgs),
    /// Show one article.
    Show(ShowArgs),
    /// Trending topics across the archive, newest capture first.
    Trending(TrendingArgs),
    /// Mark an article read, unread, starred or unstarred.
    Mark(MarkArgs),
    /// Print the lines the reading pane shows for an article.
    Render(RenderArgs),
    /// Subscribe to a feed.
    Add(AddArgs),
    /// Unsubscribe (the feed's articles stay in the archive).
    Remove(RemoveArgs),
    /// List subscriptions with their fetch state and counts.
    Feeds(FeedsArgs),
    /// Refresh subscriptions over HTTP (all of them, or the ones named).
    Fetch(FetchArgs),
    /// Write subscriptions out (OPML).
    Export(ExportArgs),
    /// Fetch one web page into the archive without subscribing (read it
    /// later): the article is extracted from the page and kept offline.
    Get(GetArgs),
    /// Search the archive: words (any form), "phrases", -exclusions, site:, tag:,
    /// after:/before:YYYY-MM-DD, is:unread, is:starred.
    Search(SearchArgs),
    /// Rebuild the full-text search index.
    Reindex(ReindexArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Feed URL (http or https).
    pub url: String,
    /// Tag the feed (repeatable).
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// A title to show instead of the feed's own.
    #[arg(long)]
    pub title: Option<String>,
    /// Fetch each new item's web page and keep the article's full text
    /// (the feed's teaser stays when extraction fails).
    #[arg(long)]
    pub full_text: bool,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Page URL (http or https).
    pub url: String,
    /// Whole-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Print {id, status, title, site, url} as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Feed URL or id (see `svodka feeds`).
    #[arg(value_name = "URL|ID")]
    pub feed: String,
}

#[derive(Debug, Args)]
pub struct FeedsArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Feed URLs or ids; all subscriptions when none is given.
    #[arg(value_name = "URL|ID")]
    pub feeds: Vec<String>,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Whole-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Print one JSON object per feed, then the summary.
    #[arg(long)]
    pub json: bool,
    /// Afterwards drop read, unstarred feed articles older than N days.
    #[arg(long, value_name = "N")]
    pub keep_days: Option<u32>,
    /// Afterwards keep at most N articles per feed (never starred or unread ones).
    #[arg(long, value_name = "N")]
    pub keep_per_feed: Option<u32>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write OPML 2.0 to stdout (the only format for now).
    #[arg(long, required = true)]
    pub opml: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (several arguments are joined with spaces; quote it, or put it
    /// after `--`, when it starts with a -exclusion).
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// Print a JSON array of {id, title, site, published, score, snippet}.
    #[arg(long)]
    pub json: bool,
    /// At most N results.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Do not rebuild: check the index thoroughly against the articles (FTS5
    /// integrity check, every article probed); exit 1 if they differ.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or directories to import.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
    /// At most N articles.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only unread articles.
    #[arg(long)]
    pub unread: bool,
    /// Only starred articles.
    #[arg(long)]
    pub starred: bool,
    /// Only articles from this site.
    #[arg(long, value_name = "S")]
    pub site: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (see `svodka list`).
    pub id: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrendingArgs {
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
    /// At most N entries (of each kind: computed and site).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: usize,
    /// The recent window for computed trends: 24h, 7d, 2w... It ends at the
    /// newest article (or now, if that is earlier).
    #[arg(long, value_name = "WINDOW", default_value = "24h", value_parser = crate::search::trending::parse_window)]
    pub window: i64,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true)))]
pub struct MarkArgs {
    /// Article id.
    pub id: i64,
    /// Mark it read.
    #[arg(long, group = "what", conflicts_with = "unread")]
    pub read: bool,
    /// Mark it unread.
    #[arg(long, group = "what")]
    pub unread: bool,
    /// Star it.
    #[arg(long, group = "what", conflicts_with = "unstar")]
    pub star: bool,
    /// Remove its star.
    #[arg(long, group = "what")]
    pub unstar: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Article id, or `-` to read a plain-text article from stdin (first line
    /// the title, then paragraphs separated by blank lines).
    pub id: String,
    /// Pane width in terminal columns.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub width: u16,
    /// Justify full lines (never a paragraph's last line).
    #[arg(long)]
    pub justify: bool,
    /// Do not hyphenate words.
    #[arg(long)]
    pub no_hyphenate: bool,
}

fn db_path(cli_db: &Option<PathBuf>) -> Result<PathBuf> {
    match cli_db {
        Some(p) => Ok(p.clone()),
        None => crate::config::default_db_path()
            .ok_or_else(|| anyhow!("cannot find the user's data directory; pass --db PATH or set SVODKA_DB")),
    }
}

fn open_store(cli_db: &Option<PathBuf>) -> Result<Store> {
    Ok(Store::open(&db_path(cli_db)?)?)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let lang = Lang::from_env();
    let mut out = std::io::stdout().lock();
    match cli.command {
        None => {
            // The whole config or nothing: a bad file stops here, before
            // the terminal is touched.
            let cfg = crate::config::Config::load(cli.config.as_deref())?;
            if !std::io::stdout().is_terminal() {
                // Not a terminal (a pipe, a script): print the headlines.
                let mut store = open_store(&cli.db)?;
                crate::bundled::seed_if_empty(&mut store)?;
                let rows = store.list(&ListQuery { limit: 50, ..ListQuery::default() })?;
                print_list(&mut out, &rows, cfg.lang)?;
                return Ok(ExitCode::SUCCESS);
            }
            drop(out);
            // Site rules for `F` (full text): a bad file stops here too.
            let rules = crate::extract::Rules::load_beside(cli.config.as_deref())?;
            crate::tui::run(&db_path(&cli.db)?, cfg, rules)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Import(a)) => {
            let rules = crate::extract::Rules::load_beside(cli.config.as_deref())?;
            let mut store = open_store(&cli.db)?;
            let report = crate::ingest::import_paths_with(&mut store, &a.paths, &rules)?;
            if a.json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                write!(out, "added {}, updated {}, refused {}", report.added, report.updated, report.refused.len())?;
                if report.subscribed > 0 {
                    write!(out, ", subscribed {}", report.subscribed)?;
                }
                writeln!(out)?;
            }
            for r in &report.refused {
                eprintln!("svodka: refused {}: {}", r.path, r.reason);
            }
            for r in &report.ignored {
                eprintln!("svodka: ignored {}: {}", r.path, r.reason);
            }
            Ok(if report.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Some(Command::Add(a)) => {
            let url = url::Url::parse(a.url.trim())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| anyhow!("{:?} is not an http(s) URL", a.url))?;
            let mut store = open_store(&cli.db)?;
            let (id, new) = store.add_feed(url.as_str(), a.title.as_deref(), &a.tags)?;
            if a.full_text {
                store.set_full_text(id, true, time::OffsetDateTime::now_utc())?;
            }
            let verb = if new { "subscribed" } else { "already subscribed" };
            let full = if a.full_text { " (full text)" } else { "" };
            writeln!(out, "{verb}: #{id} {url}{full}")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Remove(a)) => {
            let mut store = open_store(&cli.db)?;
            let feed = store.find_feed(&a.feed)?;
            store.remove_feed(feed.id)?;
            writeln!(
                out,
                "unsubscribed: #{} {} ({} articles kept)",
                feed.id,
                crate::text::sanitize(&feed.url),
                feed.article_count
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Feeds(a)) => {
            let store = open_store(&cli.db)?;
            let feeds = store.feeds()?;
            if a.json {
                serde_json::to_writer_pretty(&mut out, &feeds)?;
                writeln!(out)?;
            } else {
                print_feeds(&mut out, &feeds)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Fetch(a)) => {
            let store = open_store(&cli.db)?;
            let ids = a.feeds.iter().map(|k| store.find_feed(k).map(|f| f.id)).collect::<Result<Vec<_>, _>>()?;
            let path = store.path().to_path_buf();
            drop(store);
            let opts = crate::ingest::fetch::FetchOptions {
                concurrency: a.concurrency.into(),
                timeout: std::time::Duration::from_secs(a.timeout),
                ..Default::default()
            };
            let (tx, rx) = std::sync::mpsc::channel();
            let worker = {
                let opts = opts.clone();
                std::thread::spawn(move || crate::ingest::fetch::fetch_all(&path, &ids, &opts, tx))
            };
            for ev in rx {
                print_fetch_event(&mut out, &ev, a.json)?;
            }
            let summary = worker.join().map_err(|_| anyhow!("the fetcher thread panicked"))??;
            // Then the pages of new items of full-text feeds.
            let rules = crate::extract::Rules::load_beside(cli.config.as_deref())?;
            let full = crate::extract::page::fill_full_text(&db_path(&cli.db)?, &opts, &rules)?;
            if full.extracted + full.failed > 0 {
                if a.json {
                    writeln!(out, "{}", serde_json::json!({ "full_text": full }))?;
                } else {
                    writeln!(out, "full text: {} extracted, {} failed (teaser kept)", full.extracted, full.failed)?;
                    for (id, why) in &full.errors {
                        writeln!(out, "  #{id}: {}", crate::text::sanitize(why))?;
                    }
                }
            }
            if a.keep_days.is_some() || a.keep_per_feed.is_some() {
                let mut store = open_store(&cli.db)?;
                let n = store.apply_retention(a.keep_days, a.keep_per_feed, time::OffsetDateTime::now_utc())?;
                if !a.json {
                    writeln!(out, "retention: {n} read articles dropped")?;
                }
            }
            Ok(if summary.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Some(Command::Get(a)) => {
            let rules = crate::extract::Rules::load_beside(cli.config.as_deref())?;
            let mut store = open_store(&cli.db)?;
            let opts = crate::ingest::fetch::FetchOptions {
                timeout: std::time::Duration::from_secs(a.timeout),
                ..Default::default()
            };
            let r = crate::extract::page::get(&mut store, &a.url, &opts, &rules)?;
            let article = store.article(r.id())?;
            let status = if matches!(r, crate::store::Upsert::Added(_)) { "added" } else { "updated" };
            if a.json {
                let v = serde_json::json!({
                    "id": r.id(), "status": status, "title": article.summary.title,
                    "site": article.summary.site, "url": article.summary.url,
                });
                serde_json::to_writer_pretty(&mut out, &v)?;
                writeln!(out)?;
            } else {
                let title = crate::text::sanitize(&article.summary.title);
                writeln!(out, "{status}: #{} {title} ({} blocks)", r.id(), article.blocks.len())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export(_)) => {
            let store = open_store(&cli.db)?;
            let subs: Vec<_> = store
                .feeds()?
                .into_iter()
                .map(|f| crate::ingest::opml::Subscription { url: f.url, title: f.title, tags: f.tags })
                .collect();
            out.write_all(crate::ingest::opml::write_opml(&subs).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::List(a)) => {
            let store = open_store(&cli.db)?;
            let q = ListQuery {
                limit: a.limit.unwrap_or(usize::MAX),
                unread_only: a.unread,
                starred_only: a.starred,
                site: a.site,
                ..ListQuery::default()
            };
            let rows = store.list(&q)?;
            if a.json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                print_list(&mut out, &rows, lang)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Show(a)) => {
            let store = open_store(&cli.db)?;
            let article = store.article(a.id)?;
            if a.json {
                serde_json::to_writer_pretty(&mut out, &show_json(&article))?;
                writeln!(out)?;
            } else {
                print_article(&mut out, &article, lang)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Trending(a)) => {
            let store = open_store(&cli.db)?;
            let computed = crate::search::trending::computed(&store, a.window, a.limit)?;
            let rows = store.trending(a.limit)?;
            if a.json {
                let mut all: Vec<serde_json::Value> = Vec::with_capacity(computed.len() + rows.len());
                for t in &computed {
                    let mut v = serde_json::to_value(t)?;
                    v["source"] = "computed".into();
                    all.push(v);
                }
                for r in &rows {
                    let mut v = serde_json::to_value(r)?;
                    v["source"] = "site".into();
                    all.push(v);
                }
                serde_json::to_writer_pretty(&mut out, &all)?;
                writeln!(out)?;
            } else {
                let clean = crate::text::sanitize;
                let w = computed
                    .iter()
                    .map(|t| display_width(&t.topic))
                    .chain(rows.iter().map(|r| display_width(&r.topic)))
                    .max()
                    .unwrap_or(0)
                    .min(30);
                for t in &computed {
                    let n = t.articles;
                    writeln!(out, "{}  {n:>4}  {}  #{}", pad(&clean(&t.topic), w), clean(&t.headline), t.article_id)?;
                }
                if !computed.is_empty() && !rows.is_empty() {
                    writeln!(out)?;
                }
                for r in &rows {
                    let id = r.article_id.map(|i| format!("#{i}")).unwrap_or_default();
                    writeln!(out, "{}  {}  {}", pad(&clean(&r.topic), w), clean(&r.headline), id)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Mark(a)) => {
            let mut store = open_store(&cli.db)?;
            if a.read || a.unread {
                store.set_read(a.id, a.read)?;
            }
            if a.star || a.unstar {
                store.set_starred(a.id, a.star)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Search(a)) => {
            let store = open_store(&cli.db)?;
            let hits = crate::search::search(&store, &a.query.join(" "), a.limit)?;
            if a.json {
                serde_json::to_writer_pretty(&mut out, &hits)?;
                writeln!(out)?;
            } else {
                print_hits(&mut out, &hits, lang)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Reindex(a)) => {
            let mut store = open_store(&cli.db)?;
            if !a.check {
                let n = store.reindex().context("reindexing")?;
                writeln!(out, "indexed {n} articles")?;
            }
            let c = store.check_index(a.check).context("checking the index")?;
            write!(
                out,
                "articles {}, indexed {}, missing {}, orphans {}",
                c.articles,
                c.indexed,
                c.missing.len(),
                c.orphans.len()
            )?;
            if a.check {
                write!(out, ", stale {}", c.stale.len())?;
            }
            writeln!(out)?;
            Ok(if c.is_consistent() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Some(Command::Render(a)) => {
            let doc = if a.id == "-" {
                let mut buf = Vec::new();
                std::io::stdin().read_to_end(&mut buf).context("reading stdin")?;
                let text = crate::text::decode::decode(&buf, None).map_err(|e| anyhow!("stdin: {e}"))?.text;
                crate::view::document_from_text(&text)
            } else {
                let id: i64 = a.id.parse().map_err(|_| anyhow!("{:?} is not an article id (or - for stdin)", a.id))?;
                let store = open_store(&cli.db)?;
                crate::view::document(&store.article(id)?, lang)
            };
            let opts =
                crate::text::LayoutOptions { width: a.width as usize, justify: a.justify, hyphenate: !a.no_hyphenate };
            for line in crate::text::layout_document(&doc, &opts) {
                writeln!(out, "{}", line.text)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_feeds(out: &mut impl Write, feeds: &[crate::store::feeds::Feed]) -> Result<()> {
    let id_w = feeds.iter().map(|f| f.id.to_string().len()).max().unwrap_or(1);
    for f in feeds {
        let title = crate::text::sanitize(f.title.as_deref().unwrap_or(""));
        let counts = format!("{}/{}", f.unread_count, f.article_count);
        let tags = if f.tags.is_empty() { String::new() } else { format!(" [{}]", f.tags.join(", ")) };
        // URLs and tags come from OPML files and servers: untrusted too.
        let (url, tags) = (crate::text::sanitize(&f.url), crate::text::sanitize(&tags));
        let state = match (&f.last_error, f.gone, &f.last_fetch) {
            (_, true, _) => "gone".to_string(),
            (Some(e), _, _) => format!("error: {}", crate::text::sanitize(e)),
            (None, _, Some(t)) => format!("fetched {t}"),
            (None, _, None) => "never fetched".to_string(),
        };
        writeln!(out, "{:>id_w$} {:>9} {} {}{}  ({})", f.id, counts, pad(&title, 30), url, tags, state)?;
    }
    Ok(())
}

fn print_fetch_event(out: &mut impl Write, ev: &crate::ingest::fetch::FetchEvent, json: bool) -> Result<()> {
    let clean = crate::text::sanitize;
    use crate::ingest::fetch::{FetchEvent, FetchOutcome};
    match ev {
        FetchEvent::Finished { feed_id, url, outcome } if json => {
            let mut v = serde_json::to_value(outcome)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("feed_id".into(), (*feed_id).into());
                o.insert("url".into(), url.clone().into());
            }
            writeln!(out, "{v}")?;
        }
        FetchEvent::Finished { feed_id, url, outcome } => match outcome {
            // Redirect targets and error texts come from servers: sanitised.
            FetchOutcome::Updated { added, updated, moved_to } => {
                let moved = moved_to.as_ref().map(|m| format!(" (moved to {})", clean(m))).unwrap_or_default();
                writeln!(out, "#{feed_id} {}: {added} new, {updated} updated{moved}", clean(url))?;
            }
            FetchOutcome::NotModified => writeln!(out, "#{feed_id} {}: not modified", clean(url))?,
            FetchOutcome::Failed { error, .. } => writeln!(out, "#{feed_id} {}: FAILED: {}", clean(url), clean(error))?,
        },
        FetchEvent::Done(s) if json => writeln!(out, "{}", serde_json::to_string(s)?)?,
        FetchEvent::Done(s) => writeln!(
            out,
            "{} feeds: {} updated, {} not modified, {} failed; {} new articles, {} updated",
            s.feeds, s.updated, s.not_modified, s.failed, s.articles_added, s.articles_updated
        )?,
        FetchEvent::Planned { .. } | FetchEvent::Started { .. } => {}
    }
    Ok(())
}

fn show_json(a: &Article) -> serde_json::Value {
    let s = &a.summary;
    serde_json::json!({
        "id": s.id,
        "title": s.title,
        "site": s.site,
        "url": s.url,
        "published": s.published,
        "views": s.views,
        "read": s.read,
        "starred": s.starred,
        "captured": a.captured,
        "photo_credit": a.photo_credit,
        "author": a.author,
        "paragraphs": a.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(),
        "trending": a.trending,
        "links": a.links,
        "extracted": a.extracted.map(|t| crate::model::Stamp::DateTime(t).to_iso()),
    })
}

fn print_list(out: &mut impl Write, rows: &[ArticleSummary], lang: Lang) -> Result<()> {
    let id_w = rows.iter().map(|r| r.id.to_string().len()).max().unwrap_or(1);
    let site_w = rows.iter().map(|r| r.site.as_deref().map(display_width).unwrap_or(0)).max().unwrap_or(0).min(20);
    for r in rows {
        let flags = format!("{}{}", if r.read { ' ' } else { 'N' }, if r.starred { '*' } else { ' ' });
        let date = r.published.map(|p| i18n::date_short(&p, lang)).unwrap_or_default();
        writeln!(
            out,
            "{:>id_w$} {} {} {} {}",
            r.id,
            flags,
            pad(&date, 11),
            pad(&crate::text::sanitize(r.site.as_deref().unwrap_or("")), site_w),
            crate::text::sanitize(&r.title)
        )?;
    }
    Ok(())
}

fn print_hits(out: &mut impl Write, hits: &[crate::search::Hit], lang: Lang) -> Result<()> {
    let id_w = hits.iter().map(|h| h.id.to_string().len()).max().unwrap_or(1);
    for h in hits {
        let date = h.published.map(|p| i18n::date_short(&p, lang)).unwrap_or_default();
        let site = h.site.as_deref().map(crate::text::sanitize).unwrap_or_default();
        writeln!(out, "{:>id_w$} {} {}  {}", h.id, pad(&date, 11), crate::text::sanitize(&h.title), site)?;
        if !h.snippet.is_empty() {
            writeln!(out, "{:id_w$} {}", "", crate::text::sanitize(&h.snippet))?;
        }
    }
    Ok(())
}

fn print_article(out: &mut impl Write, a: &Article, lang: Lang) -> Result<()> {
    let clean = crate::text::sanitize;
    writeln!(out, "{}", clean(&a.summary.title))?;
    let meta = crate::view::meta_line(a, lang);
    if !meta.is_empty() {
        writeln!(out, "{}", clean(&meta))?;
    }
    for b in &a.blocks {
        writeln!(out)?;
        writeln!(out, "{}", clean(&b.text))?;
    }
    if !a.trending.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", if lang == Lang::Ru { "В тренде:" } else { "Trending:" })?;
        let w = a.trending.iter().map(|t| display_width(&t.topic)).max().unwrap_or(0).min(30);
        for t in &a.trending {
            writeln!(out, "  {}  {}", pad(&clean(&t.topic), w), clean(&t.headline))?;
        }
    }
    Ok(())
}
