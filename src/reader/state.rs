//! Everything the screen shows, and the geometry both `update` and `render`
//! derive from the terminal size (one source, so a click lands where the
//! row was drawn).

use std::sync::Arc;

use ratatui::layout::Rect;

use super::msg::{Flag, Mark};
use super::settings::Settings;
use crate::model::{Article, ArticleSummary};
use crate::store::{Counts, ListQuery};
use crate::text::Line;

/// Rows per list page.
pub const PAGE: usize = 200;
/// Most rows kept in memory; scrolling further drops the far end.
pub const WINDOW_MAX: usize = 3 * PAGE;
/// Narrower than this, one pane at a time.
pub const WIDE_MIN: u16 = 80;
/// Smaller than this, only «окно слишком мало».
pub const MIN_SIZE: (u16, u16) = (20, 5);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Headline text (live `/`), matched case-insensitively.
    pub title: String,
    pub unread_only: bool,
    /// A trending topic: only articles whose headline is listed under it
    /// (site topics) or that match its terms (computed topics, with `query`).
    pub topic: Option<String>,
    /// The search query of a computed topic.
    pub topic_query: Option<String>,
    /// Only starred articles (`S`).
    pub starred_only: bool,
    /// Only the articles of these subscriptions (Enter in the feeds view).
    pub feed: Option<FeedFilter>,
}

/// A feed (or every feed of a tag) the list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedFilter {
    pub feeds: Vec<i64>,
    /// The feed's title or `#tag`, for the list header.
    pub label: String,
}

impl Filter {
    pub fn is_active(&self) -> bool {
        !self.title.trim().is_empty()
            || self.unread_only
            || self.topic.is_some()
            || self.starred_only
            || self.feed.is_some()
    }

    /// The store query for this filter (the topic resolves to `ids` in the
    /// worker).
    pub fn query(&self, limit: usize) -> ListQuery {
        ListQuery {
            limit,
            unread_only: self.unread_only,
            starred_only: self.starred_only,
            title_contains: Some(self.title.clone()).filter(|t| !t.trim().is_empty()),
            ..ListQuery::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Trending,
    Reader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a title filter (`f`).
    Filter,
    /// Typing a `/` search.
    Search,
    Help,
}

/// A `/` search over the whole archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub query: String,
    /// The generation of the newest request; older results are dropped.
    pub generation: u64,
    /// Results for the current query have arrived.
    pub loaded: bool,
    /// The headline list as it was before the search (Esc restores it).
    pub saved_list: ListView,
}

impl Search {
    /// Whether the query asks for anything (an empty one shows the normal list).
    pub fn is_active(&self) -> bool {
        !self.query.trim().is_empty()
    }
}

/// A window of headline rows, paged in from the archive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListView {
    pub rows: Vec<ArticleSummary>,
    pub selected: usize,
    /// First row on screen.
    pub offset: usize,
    /// Whether the window reaches the newest / oldest row of the filter.
    pub at_start: bool,
    pub at_end: bool,
    pub loading_fwd: bool,
    pub loading_back: bool,
    /// The first page has arrived.
    pub loaded: bool,
    /// Rows a refresh added above the top of the pane: «N новых ↑» until
    /// the list scrolls up to them.
    pub new_above: usize,
}

impl ListView {
    pub fn selected_row(&self) -> Option<&ArticleSummary> {
        self.rows.get(self.selected)
    }
}

/// A trending topic as the section lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub topic: String,
    pub headline: String,
    /// Computed from the archive (`search::trending`): its search query and
    /// article count. `None` for a site's «В тренде» topic.
    pub computed: Option<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    pub id: i64,
    pub article: Option<Arc<Article>>,
    pub lines: Arc<[Line]>,
    /// The text width `lines` were laid out for.
    pub width: u16,
    pub scroll: usize,
    /// The line of the search match `n`/`N` last jumped to.
    pub current_match: Option<usize>,
}

/// What the last session left (from the archive's `ui_state`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub selected: Option<i64>,
    pub filter: Filter,
    pub split: Option<u16>,
}

impl Saved {
    pub const KEYS: [&'static str; 7] = [
        "tui.selected",
        "tui.filter.title",
        "tui.filter.unread",
        "tui.filter.starred",
        "tui.filter.topic",
        "tui.filter.topic_query",
        "tui.split",
    ];

    pub fn from_pairs(get: impl Fn(&str) -> Option<String>) -> Saved {
        Saved {
            selected: get("tui.selected").and_then(|v| v.parse().ok()),
            filter: Filter {
                title: get("tui.filter.title").unwrap_or_default(),
                unread_only: get("tui.filter.unread").as_deref() == Some("1"),
                topic: get("tui.filter.topic").filter(|t| !t.is_empty()),
                topic_query: get("tui.filter.topic_query").filter(|t| !t.is_empty()),
                starred_only: get("tui.filter.starred").as_deref() == Some("1"),
                feed: None,
            },
            split: get("tui.split").and_then(|v| v.parse().ok()).filter(|s| (20..=70).contains(s)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// Laid-out articles for the reading pane: the text engine's cache (keyed by
/// article and layout options, and keeping each article's width-independent
/// preparation, so a resize only re-fills lines), fed with the reader's
/// settings.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutCache(crate::text::LayoutCache);

impl Default for LayoutCache {
    fn default() -> LayoutCache {
        LayoutCache(crate::text::LayoutCache::new(64))
    }
}

impl LayoutCache {
    pub fn get(&mut self, article: &Article, width: u16, cfg: &Settings) -> Arc<[Line]> {
        let doc = super::document::pane_document(article, cfg);
        let opts = super::document::layout_options(width, cfg);
        self.0.get_or_layout(article.summary.id, &doc, &opts)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Drops an article's layouts (its text changed).
    pub fn forget(&mut self, id: i64) {
        self.0.invalidate(id);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The generation of the newest request of each kind. A request takes the
/// current value; a result whose generation is no longer current is dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generations {
    /// List pages (bumped when the filter or the window's start changes).
    pub list: u64,
    /// The article in the reading pane.
    pub article: u64,
    /// A refresh.
    pub fetch: u64,
    /// A `/` search query.
    pub search: u64,
}

/// Refreshes and whether the reader is online.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchState {
    /// A refresh is running: `(done, total)` feeds.
    pub progress: Option<(usize, usize)>,
    /// The running refresh is for one article's feed (`r`), not all (`R`).
    pub one: bool,
    /// The running refresh is a sync with the `[sync]` server.
    pub sync: bool,
    /// Failures in the running refresh.
    pub failed: usize,
    /// A fetch succeeded in this session, or one is recorded in the feeds
    /// table within [`ONLINE_WITHIN`](super::effects::ONLINE_WITHIN); else «офлайн».
    pub online: bool,
    /// Subscriptions in the archive (from the feeds table).
    pub feeds: usize,
    /// The running refresh was started by the refresh policy (on start,
    /// `refresh_every`), not by a key: it stays quiet when nothing was due.
    pub auto: bool,
}

/// The trending section: its topics, the selected one and the first shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicList {
    pub items: Vec<Topic>,
    pub selected: usize,
    pub offset: usize,
}

/// What the next list page should do besides showing its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pending {
    /// On a reload that keeps the selection (a refresh), the selected row's
    /// line on screen, so the list does not jump.
    pub keep_row: Option<usize>,
    /// `n` reached the end of the window: continue when the next page comes.
    pub next_unread: bool,
    /// The article selected (and its screen line) when a topic filter was
    /// chosen: Esc clearing the filter goes back to it, not to the top.
    pub back_to: Option<(i64, usize)>,
    /// A refresh reload: rows it adds above the pane are counted
    /// ([`ListView::new_above`]).
    pub count_new: bool,
}

/// Marks the archive has not confirmed yet. The screen shows them as made
/// (rows and articles arriving from the archive get them laid over), and
/// the mark writer keeps trying until each lands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// The intended value of each (article, flag), oldest first; a later
    /// mark of the same target replaces the earlier one.
    pub pending: Vec<Mark>,
    /// A write failed and has not landed since: the status bar says how
    /// many marks wait.
    pub waiting: bool,
}

impl Marks {
    pub fn note(&mut self, mark: Mark) {
        match self.pending.iter_mut().find(|m| m.same_target(&mark)) {
            Some(m) => m.value = mark.value,
            None => self.pending.push(mark),
        }
    }

    /// `mark` landed: it is no longer pending unless a newer value for the
    /// same target is still on its way.
    pub fn landed(&mut self, mark: Mark) {
        self.pending.retain(|m| *m != mark);
        if self.pending.is_empty() {
            self.waiting = false;
        }
    }

    /// Gives `mark`'s target up (it can never be written).
    pub fn drop_target(&mut self, mark: Mark) {
        self.pending.retain(|m| !m.same_target(&mark));
        if self.pending.is_empty() {
            self.waiting = false;
        }
    }

    /// Lays the pending marks over a row read from the archive.
    pub fn overlay(&self, row: &mut ArticleSummary) {
        for m in self.pending.iter().filter(|m| m.id == row.id) {
            match m.flag {
                Flag::Read => row.read = m.value,
                Flag::Starred => row.starred = m.value,
            }
        }
    }

    /// How many marks the status bar reports as waiting (none until a write failed).
    pub fn waiting_count(&self) -> usize {
        if self.waiting { self.pending.len() } else { 0 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub cfg: Settings,
    /// Today's date in local time (list dates show the time for today).
    pub today: time::Date,
    pub size: (u16, u16),
    pub focus: Focus,
    pub mode: Mode,
    pub list: ListView,
    pub filter: Filter,
    /// The filter text before `/` began, restored by Esc.
    pub filter_before: String,
    pub topics: TopicList,
    pub reader: Option<Reader>,
    pub cache: LayoutCache,
    pub counts: Counts,
    pub status: Option<(StatusKind, String)>,
    pub fetch: FetchState,
    /// A `/` search: the list shows its ranked hits while the query is not empty.
    pub search: Option<Search>,
    pub generations: Generations,
    pub pending: Pending,
    /// Read/star marks not yet in the archive.
    pub marks: Marks,
    /// Where the archive is, shown in the status bar.
    pub db_hint: String,
    /// List pane width in percent (wide mode).
    pub split: u16,
    /// The feeds view (`L`): subscriptions with their counts.
    pub feeds: FeedsView,
    /// A one-line question in the status bar (a URL, a name, y/n).
    pub prompt: Option<Prompt>,
    /// The articles the last bulk mark changed (`U` makes them unread again).
    pub undo: Option<Vec<i64>>,
    /// The help overlay lists the `:` commands (`:help`) instead of the keys.
    pub help_commands: bool,
    pub quit: bool,
}

/// A subscription as the feeds view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    pub feed: crate::store::feeds::Feed,
    /// No successful fetch within [`ONLINE_WITHIN`](super::effects::ONLINE_WITHIN):
    /// what it shows is what the archive kept.
    pub offline: bool,
}

impl FeedRow {
    /// The feed's title, else its URL.
    pub fn name(&self) -> String {
        self.feed.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| self.feed.url.clone())
    }
}

/// One line of the feeds view: a tag heading its feeds, or a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedLine {
    Tag(String),
    Feed(usize),
}

/// The feeds view: every subscription, grouped under its first tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedsView {
    /// Shown instead of the panes.
    pub open: bool,
    pub rows: Vec<FeedRow>,
    pub lines: Vec<FeedLine>,
    /// The selected line and the first on screen.
    pub selected: usize,
    pub offset: usize,
    /// The rows have arrived at least once.
    pub loaded: bool,
    /// `Ctrl-n` waits for the rows to continue.
    pub next_unread: bool,
    /// `:tag TAG` waits for the rows to narrow the list to the tag's feeds.
    pub want_tag: Option<String>,
}

/// What the one-line prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    AddFeed(String),
    Rename {
        id: i64,
        text: String,
    },
    /// The `:` command line.
    Command(String),
    /// y/n before unsubscribing.
    Remove {
        id: i64,
        name: String,
    },
}

/// Where everything is on screen for the current size, focus and topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Geometry {
    pub too_small: bool,
    pub wide: bool,
    /// The list pane, its first row being the header.
    pub list: Option<Rect>,
    /// The trending section, its first row being the header.
    pub trending: Option<Rect>,
    /// The reading pane: text area plus one footer row (scroll position).
    pub reader: Option<Rect>,
    pub divider: Option<Rect>,
    pub status: Rect,
}

impl Geometry {
    pub fn list_rows(&self) -> usize {
        self.list.map(|r| r.height.saturating_sub(1) as usize).unwrap_or(0)
    }
    pub fn trending_rows(&self) -> usize {
        self.trending.map(|r| r.height.saturating_sub(1) as usize).unwrap_or(0)
    }
    /// The rectangle the reading text is drawn in.
    pub fn reader_text(&self, max_width: u16) -> Option<Rect> {
        let r = self.reader?;
        let pad = if r.width >= 30 { 1 } else { 0 };
        let w = super::document::text_width(r.width.saturating_sub(2 * pad), max_width);
        Some(Rect { x: r.x + pad, y: r.y, width: w.max(1), height: r.height.saturating_sub(1) })
    }
}

impl State {
    pub fn new(cfg: Settings, size: (u16, u16), today: time::Date, db_hint: String, saved: &Saved) -> State {
        State {
            cfg,
            today,
            size,
            focus: Focus::List,
            mode: Mode::Normal,
            list: ListView::default(),
            filter: saved.filter.clone(),
            filter_before: String::new(),
            topics: TopicList::default(),
            reader: None,
            cache: LayoutCache::default(),
            counts: Counts::default(),
            status: None,
            fetch: FetchState::default(),
            search: None,
            generations: Generations::default(),
            pending: Pending::default(),
            marks: Marks::default(),
            db_hint,
            split: saved.split.unwrap_or(40),
            feeds: FeedsView::default(),
            prompt: None,
            undo: None,
            help_commands: false,
            quit: false,
        }
    }

    /// Lines of feeds the feeds view has room for (a header above, the
    /// status bar below).
    pub fn feeds_rows(&self) -> usize {
        self.size.1.saturating_sub(2).max(1) as usize
    }

    /// The query of a search whose results the list shows.
    pub fn search_query(&self) -> Option<&str> {
        self.search.as_ref().filter(|s| s.is_active()).map(|s| s.query.as_str())
    }

    pub fn wide(&self) -> bool {
        self.size.0 >= WIDE_MIN
    }

    pub fn geometry(&self) -> Geometry {
        let (w, h) = self.size;
        let status = Rect { x: 0, y: h.saturating_sub(1), width: w, height: 1.min(h) };
        if w < MIN_SIZE.0 || h < MIN_SIZE.1 {
            return Geometry { too_small: true, status, ..Geometry::default() };
        }
        let body = Rect { x: 0, y: 0, width: w, height: h - 1 };
        let mut g = Geometry { status, wide: self.wide(), ..Geometry::default() };
        if g.wide {
            let left_w = (u32::from(w) * u32::from(self.split) / 100).clamp(20, u32::from(w) - 30) as u16;
            let left = Rect { width: left_w, ..body };
            g.divider = Some(Rect { x: left_w, width: 1, ..body });
            g.reader = Some(Rect { x: left_w + 1, width: w - left_w - 1, ..body });
            // Trending below the headlines: a third of the column at most.
            if self.topics.items.is_empty() || left.height < 8 {
                g.list = Some(left);
            } else {
                // Focused, the section grows to two thirds.
                let share = if self.focus == Focus::Trending { left.height * 2 / 3 } else { left.height / 3 };
                let th = (self.topics.items.len() as u16 + 1).min(share).max(2);
                g.list = Some(Rect { height: left.height - th, ..left });
                g.trending = Some(Rect { y: left.y + left.height - th, height: th, ..left });
            }
        } else {
            match self.focus {
                Focus::List => g.list = Some(body),
                Focus::Trending => g.trending = Some(body),
                Focus::Reader => g.reader = Some(body),
            }
        }
        g
    }

    /// Text width of the reading pane for the current geometry.
    pub fn reader_width(&self) -> u16 {
        let mut g = self.geometry();
        if g.reader.is_none() && !g.too_small {
            // Narrow mode showing another pane: the reader would fill the body.
            g.reader = Some(Rect { x: 0, y: 0, width: self.size.0, height: self.size.1.saturating_sub(1) });
        }
        g.reader_text(self.cfg.max_width).map(|r| r.width).unwrap_or(1)
    }

    pub fn reader_rows(&self) -> usize {
        let rows = match self.geometry().reader {
            Some(r) => r.height,
            None => self.size.1.saturating_sub(1),
        };
        rows.saturating_sub(1).max(1) as usize
    }

    /// The article the `o`, `y`, `m`, `s` keys act on: the open article in
    /// the reading pane, else the selected headline.
    pub fn current_id(&self) -> Option<i64> {
        match (self.focus, &self.reader) {
            (Focus::Reader, Some(r)) => Some(r.id),
            _ => self.list.selected_row().map(|r| r.id).or(self.reader.as_ref().map(|r| r.id)),
        }
    }

    /// What the list pane's lines show from `list.offset` on, for `height`
    /// lines: `None` is a day header (the day of the row after it), `Some(i)`
    /// row `i`. The first line is always a header, so the day is never off
    /// screen; a header never sits on the last line without its row.
    pub fn list_lines(&self, height: usize) -> Vec<Option<usize>> {
        let rows = &self.list.rows;
        let day = |i: usize| rows[i].published.map(|p| p.date());
        let mut out = Vec::with_capacity(height);
        let mut i = self.list.offset;
        // Too low for headers: rows only.
        let headers = height >= 3;
        while out.len() < height && i < rows.len() {
            if headers && (i == self.list.offset || day(i) != day(i - 1)) {
                if out.len() + 1 >= height {
                    break;
                }
                out.push(None);
            }
            out.push(Some(i));
            i += 1;
        }
        out
    }

    /// Scroll position of the reading pane in percent.
    pub fn scroll_percent(&self) -> Option<u16> {
        let r = self.reader.as_ref()?;
        let total = r.lines.len();
        let rows = self.reader_rows();
        if total <= rows {
            return Some(100);
        }
        let max = total - rows;
        Some(((r.scroll.min(max) * 100) / max) as u16)
    }

    pub fn saved(&self) -> Vec<(String, String)> {
        let mut v = vec![
            ("tui.filter.title".to_string(), self.filter.title.clone()),
            ("tui.filter.unread".to_string(), if self.filter.unread_only { "1" } else { "0" }.to_string()),
            ("tui.filter.starred".to_string(), if self.filter.starred_only { "1" } else { "0" }.to_string()),
            ("tui.filter.topic".to_string(), self.filter.topic.clone().unwrap_or_default()),
            ("tui.filter.topic_query".to_string(), self.filter.topic_query.clone().unwrap_or_default()),
            ("tui.split".to_string(), self.split.to_string()),
        ];
        if let Some(id) = self.current_id() {
            v.push(("tui.selected".to_string(), id.to_string()));
        }
        v
    }
}
