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
        _ => return None,
    };
    Some(match lang {
        Lang::Ru => ru,
        Lang::En => en,
    })
}
