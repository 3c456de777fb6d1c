//! The words of the feeds view, bulk marking and the one-line prompt, in
//! Russian and English.
//!
//! Kept beside `i18n`'s table rather than in it while another branch
//! reworks that table's messages: the same shape (one row per text, both
//! languages), so moving these rows into `i18n::Text` later is mechanical.

use crate::i18n::Lang;
use crate::reader::keymap::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    Feeds,
    NoFeedsYet,
    NoTag,
    Offline,
    Gone,
    Never,
    Starred,
    FeedUrl,
    NewName,
    RemoveAsk,
    Yes,
    No,
    NotUrl,
    Added,
    AlreadyAdded,
    Removed,
    Renamed,
    Marked,
    UndoHint,
    NothingToMark,
    Unmarked,
    NothingToUndo,
    NoUnreadFeed,
    NotFromFeed,
    OpenFeedsFirst,
    UnknownCommand,
    CommandsHint,
    AddUsage,
    NoSuchTag,
    Exported,
    NoArticleOpen,
    Piping,
    PipeDone,
    PipeExit,
    PipeFailed,
    Commands,
    TopicHint,
    TopicCount,
}

pub fn t(t: T, lang: Lang) -> &'static str {
    use T::*;
    let (ru, en) = match t {
        Feeds => ("Ленты", "Feeds"),
        NoFeedsYet => ("Подписок нет: a — добавить ленту по адресу", "No subscriptions: a adds a feed by URL"),
        NoTag => ("без тега", "untagged"),
        Offline => ("офлайн", "offline"),
        Gone => ("удалена на сервере", "gone from the server"),
        Never => ("ещё не обновлялась", "never fetched"),
        Starred => ("со звёздами", "starred"),
        FeedUrl => ("Адрес ленты", "Feed URL"),
        NewName => ("Новое имя", "New name"),
        RemoveAsk => ("Удалить подписку", "Unsubscribe from"),
        Yes => ("статьи останутся в архиве", "its articles stay in the archive"),
        No => ("отменено", "cancelled"),
        NotUrl => ("нужен адрес http(s)://…", "an http(s):// URL is needed"),
        Added => ("подписка добавлена, обновляю", "subscribed, fetching"),
        AlreadyAdded => ("уже в подписках", "already subscribed"),
        Removed => ("подписка удалена, статьи остались в архиве", "unsubscribed; its articles stay in the archive"),
        Renamed => ("переименовано", "renamed"),
        Marked => ("отмечено прочитанными", "marked read"),
        UndoHint => ("отменить", "undo"),
        NothingToMark => ("всё уже прочитано", "everything is read already"),
        Unmarked => ("снова непрочитанные", "unread again"),
        NothingToUndo => ("нечего отменять", "nothing to undo"),
        NoUnreadFeed => ("непрочитанных лент нет", "no feed has unread articles"),
        NotFromFeed => ("статья не из подписки", "the article is not from a subscription"),
        OpenFeedsFirst => ("это действие в списке лент", "that works in the feeds view"),
        UnknownCommand => ("неизвестная команда", "unknown command"),
        CommandsHint => ("Tab дополняет, :help — все команды", "Tab completes, :help lists them"),
        AddUsage => (":add АДРЕС [тег…]", ":add URL [tag…]"),
        NoSuchTag => ("нет лент с тегом", "no feed is tagged"),
        Exported => ("подписки выгружены в OPML", "subscriptions exported as OPML"),
        NoArticleOpen => ("сначала откройте статью (Enter)", "open an article first (Enter)"),
        Piping => ("передаю статью:", "piping the article to"),
        PipeDone => ("готово", "done"),
        PipeExit => ("завершилась с кодом", "exited with status"),
        PipeFailed => ("не удалось запустить", "could not run"),
        Commands => ("Команды", "Commands"),
        TopicHint => ("Enter — статьи архива по этой теме", "Enter: the archive's articles on this topic"),
        TopicCount => ("статей за период", "articles in the window"),
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// The help overlay's line for the actions this module's features added.
pub fn action(a: Action, lang: Lang) -> Option<&'static str> {
    let (ru, en) = match a {
        Action::Feeds => ("список лент", "feeds view"),
        Action::StarredOnly => ("только со звёздами", "starred only"),
        Action::NextUnreadFeed => ("к непрочитанной ленте", "next unread feed"),
        Action::MarkFeedRead => ("прочитать ленту", "mark the feed read"),
        Action::MarkListRead => ("прочитать показанное", "mark the shown list read"),
        Action::MarkAllRead => ("прочитать всё", "mark everything read"),
        Action::UndoMark => ("отменить отметку", "undo the bulk mark"),
        Action::AddFeed => ("добавить ленту", "add a feed"),
        Action::RenameFeed => ("переименовать ленту", "rename the feed"),
        Action::RemoveFeed => ("удалить ленту", "remove the feed"),
        Action::PipeArticle => ("текст статьи команде", "pipe the text to a command"),
        Action::PipeUrl => ("адрес статьи команде", "pipe the URL to a command"),
        Action::Command => ("командная строка (:help)", "command line (:help)"),
        _ => return None,
    };
    Some(match lang {
        Lang::Ru => ru,
        Lang::En => en,
    })
}

/// The `:help` overlay: each command as typed and what it does.
pub fn commands(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let rows = [
        (":add URL [tag…]", "подписаться (теги — и к имеющейся)", "subscribe (tags go to an existing one too)"),
        (":tag TAG", "только ленты с тегом; :tag — все", "only feeds tagged TAG; :tag — all"),
        (":export [PATH]", "подписки в OPML (svodka.opml)", "subscriptions as OPML (svodka.opml)"),
        (":pipe CMD", "текст статьи на вход CMD", "the article's text to CMD's stdin"),
        (":pipe-url CMD", "адрес статьи на вход CMD", "the article's URL to CMD's stdin"),
        (":feeds :unread :starred", "виды списка, как L u S", "the views, as L u S"),
        (":refresh", "обновить все ленты", "refresh every feed"),
        (":help", "эта справка", "this help"),
        (":q :quit", "выход", "quit"),
        ("Tab  Esc", "дополнить имя · отмена", "complete the name · cancel"),
    ];
    rows.iter().map(|&(c, ru, en)| (c, if lang == Lang::Ru { ru } else { en })).collect()
}
