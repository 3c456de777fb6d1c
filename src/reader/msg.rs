//! Messages into [`update`](super::update()) and the effects it asks for.
//!
//! Worker results carry the generation of the request that caused them; a
//! result whose generation is no longer current (the filter changed, another
//! article was chosen) is dropped. Fetch progress and search results arrive
//! the same way.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::model::{Article, ArticleSummary, TrendingEntry};
use crate::store::Counts;

use super::state::{FeedRow, Filter};
pub use crate::store::paging::Cursor;

/// One page request: the filter, where to start, how many rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageQuery {
    pub filter: Filter,
    pub cursor: Cursor,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// A list page. `anchor` is the index of the `Around` article in `rows`.
    Page {
        generation: u64,
        cursor: Cursor,
        limit: usize,
        rows: Vec<ArticleSummary>,
        anchor: Option<usize>,
    },
    PageFailed {
        generation: u64,
        error: String,
    },
    Article {
        generation: u64,
        article: Arc<Article>,
    },
    ArticleFailed {
        generation: u64,
        error: String,
    },
    Counts(Counts),
    Trending(Vec<TrendingEntry>),
    /// A write (UI state) failed.
    WriteFailed(String),
    /// A read/star mark reached the archive.
    MarkWritten(Mark),
    /// A mark could not be written yet (the archive is busy): it stays
    /// pending and the mark writer tries again.
    MarkFailed {
        mark: Mark,
        error: String,
    },
    /// A mark can never be written (its article is gone): it is given up.
    MarkDropped {
        mark: Mark,
        error: String,
    },
    /// Something outside the archive failed (opening the browser).
    Error(String),
    /// Whether a fetch succeeded lately, from the feeds table at start
    /// (see [`ONLINE_WITHIN`](super::effects::ONLINE_WITHIN)), and how many subscriptions.
    FeedStatus {
        recent_success: bool,
        feeds: usize,
    },
    /// A refresh: `done` of `total` feeds fetched so far.
    FetchProgress {
        generation: u64,
        done: usize,
        total: usize,
    },
    /// One feed of a refresh finished: `changed` when articles were added or
    /// updated (the list reloads), `error` when it failed.
    FetchFeed {
        generation: u64,
        changed: bool,
        error: Option<String>,
    },
    /// The last sync, maybe in an earlier session, failed with this.
    LastSyncError(String),
    /// A sync ended: the new items, or the error (one line, naming the server).
    SyncFinished {
        generation: u64,
        result: Result<usize, String>,
    },
    /// A refresh ended; `ok` when at least one feed answered (200 or 304).
    FetchFinished {
        generation: u64,
        ok: bool,
        error: Option<String>,
    },
    /// Search results (ranked rows) for the query of `generation`.
    SearchResults {
        generation: u64,
        rows: Vec<ArticleSummary>,
    },
    SearchFailed {
        generation: u64,
        error: String,
    },
    /// Computed trending topics (`search::trending`).
    ComputedTrending(Vec<crate::search::trending::Topic>),
    /// The full text of article `id` was fetched and stored (`error`: why
    /// not; the teaser stays).
    FullText {
        id: i64,
        error: Option<String>,
    },
    /// The subscriptions with their counts, for the feeds view.
    Feeds(Vec<FeedRow>),
    /// A bulk mark changed these articles (ascending ids; empty: none).
    Marked(Vec<i64>),
    /// An undo made `n` articles unread again.
    Unmarked(usize),
    /// A subscription was added (`new`: it was not there before), removed
    /// or renamed; `id` is the feed.
    FeedAdded {
        id: i64,
        new: bool,
    },
    FeedRemoved(i64),
    FeedRenamed(i64),
    /// `A` on an article that came from no subscription (a page dump).
    NotFromFeed,
    /// `refresh_every` elapsed: refresh the subscriptions that are due.
    RefreshTimer,
    /// `:export` wrote `feeds` subscriptions as OPML to `path`.
    Exported {
        path: String,
        feeds: usize,
    },
    /// `:export` could not write `path`; said in the interface's language
    /// by `update` (effects do not know it).
    ExportFailed {
        path: String,
        kind: std::io::ErrorKind,
        detail: String,
    },
    /// A pipe command ended: its exit code (`None`: it could not start or
    /// was killed) and the first line it printed (stdout when it
    /// succeeded, stderr when not; the reason when it could not start).
    Piped {
        command: String,
        code: Option<i32>,
        output: String,
    },
}

/// What a bulk mark covers, as the reader knows it; the worker resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkTarget {
    Feeds(Vec<i64>),
    /// The feed this article came from.
    FeedOf(i64),
    /// Everything the filter matches (not only the rows in memory).
    Filter(Filter),
    /// These articles (search hits).
    Ids(Vec<i64>),
    All,
}

/// Which flag of an article a mark sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    Read,
    Starred,
}

/// One read/star mark: article `id`'s `flag` set to `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mark {
    pub id: i64,
    pub flag: Flag,
    pub value: bool,
}

impl Mark {
    /// Whether `other` sets the same flag of the same article (a later one
    /// replaces it).
    pub fn same_target(&self, other: &Mark) -> bool {
        self.id == other.id && self.flag == other.flag
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadPage {
        generation: u64,
        query: PageQuery,
    },
    LoadArticle {
        generation: u64,
        id: i64,
    },
    LoadCounts,
    /// Site and computed trending topics.
    LoadTrending,
    /// Last fetch success and subscription count (for «офлайн»).
    LoadFeedStatus,
    /// The error the last sync (in any session) ended with, if any.
    LoadSyncError,
    /// Refresh the feed of this article, or every subscription (`None`),
    /// on a fetch thread that never blocks the UI.
    Fetch {
        generation: u64,
        article: Option<i64>,
    },
    /// Fetch the article's page and store its extracted full text, on a
    /// thread of its own.
    FullText {
        id: i64,
        /// The language its failure is told in.
        lang: crate::i18n::Lang,
    },
    /// Search the archive (debounced by the search worker).
    Search {
        generation: u64,
        query: String,
    },
    /// Read/star marks go to the mark writer, which retries until they land.
    SetRead {
        id: i64,
        read: bool,
    },
    SetStarred {
        id: i64,
        starred: bool,
    },
    /// Subscriptions with counts and offline state.
    LoadFeeds,
    /// Refresh the subscriptions that are due (see
    /// [`ingest::fetch::is_due`](crate::ingest::fetch::is_due)): none fetched
    /// within `every` seconds nor within their own `ttl`/`max-age`.
    FetchDue {
        generation: u64,
        every: u64,
    },
    /// Write the subscriptions as OPML to this path (`None`: `svodka.opml`
    /// in the working directory; `~/` is the home directory).
    ExportOpml(Option<String>),
    /// Run `command` with `sh -c`, `input` on its stdin, off the UI thread;
    /// its output is captured, never drawn over the screen.
    Pipe {
        command: String,
        input: String,
    },
    /// Sync with the `[sync]` server instead of fetching (`r`, `R` when
    /// one is configured), on a thread of its own; progress comes as
    /// `FetchProgress` (items so far, total 0), the end as `SyncFinished`.
    Sync {
        generation: u64,
        config: crate::sync::SyncConfig,
    },
    /// Refresh these subscriptions, like `Fetch`.
    FetchFeeds {
        generation: u64,
        feeds: Vec<i64>,
    },
    /// Mark the unread articles of a target read, in one transaction.
    MarkRead(MarkTarget),
    /// Undo a bulk mark: exactly these articles become unread.
    MarkUnread(Vec<i64>),
    /// Subscribe to a feed URL with these tags (a refresh follows).
    AddFeed(String, Vec<String>),
    RemoveFeed(i64),
    RenameFeed {
        id: i64,
        title: String,
    },
    /// UI state users expect back (selection, filter, pane sizes).
    SaveState(Vec<(String, String)>),
    /// Open in `$BROWSER` / `xdg-open` (never through a shell).
    OpenUrl(String),
    /// Copy to the clipboard with OSC 52.
    CopyUrl(String),
    Quit,
}

impl Effect {
    /// The mark this effect writes, if it is one.
    pub fn mark(&self) -> Option<Mark> {
        match *self {
            Effect::SetRead { id, read } => Some(Mark { id, flag: Flag::Read, value: read }),
            Effect::SetStarred { id, starred } => Some(Mark { id, flag: Flag::Starred, value: starred }),
            _ => None,
        }
    }
}
