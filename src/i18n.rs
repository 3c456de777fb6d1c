//! Interface strings and date formats in Russian and English, from one table.

use crate::model::Stamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    /// From the locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`): Russian
    /// for `ru_*`, English otherwise.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if v.to_lowercase().starts_with("ru") || v.to_lowercase().starts_with("kk") {
                    Lang::Ru
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }
}

const RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const RU_SHORT: [&str; 12] = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
const EN_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const EN_SHORT: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `14 августа 2001` / `14 August 2001`, with `, 14:05` when the time is known.
pub fn date_long(s: &Stamp, lang: Lang) -> String {
    let d = s.date();
    let m = u8::from(d.month()) as usize - 1;
    let base = match lang {
        Lang::Ru => format!("{} {} {}", d.day(), RU_GENITIVE[m], d.year()),
        Lang::En => format!("{} {} {}", d.day(), EN_LONG[m], d.year()),
    };
    match s {
        Stamp::Date(_) => base,
        Stamp::DateTime(t) => format!("{base}, {:02}:{:02}", t.hour(), t.minute()),
    }
}

/// `14 авг 2001` / `14 Aug 2001` for the list pane.
pub fn date_short(s: &Stamp, lang: Lang) -> String {
    let d = s.date();
    let m = u8::from(d.month()) as usize - 1;
    match lang {
        Lang::Ru => format!("{:>2} {} {}", d.day(), RU_SHORT[m], d.year()),
        Lang::En => format!("{:>2} {} {}", d.day(), EN_SHORT[m], d.year()),
    }
}

/// A stamp as the user's clock shows it: a time moved into `tz` (a date
/// alone has no zone and stays). Sources write their own zones, so without
/// this «08:00 UTC» would list under «12:00 +05».
pub fn in_zone(s: Stamp, tz: time::UtcOffset) -> Stamp {
    match s {
        Stamp::DateTime(t) => Stamp::DateTime(t.to_offset(tz)),
        d => d,
    }
}

/// The system's UTC offset now, UTC when it cannot be told (the `time`
/// crate refuses to read it once other threads run).
pub fn local_offset() -> time::UtcOffset {
    time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC)
}

/// A `timezone` setting: `local`, `UTC`, or a fixed offset such as `+05:00`,
/// `-03:30`, `+0500` or `+5`. IANA names (`Asia/Almaty`) are not read: no
/// tz database is bundled.
pub fn parse_zone(s: &str) -> Option<time::UtcOffset> {
    let s = s.trim();
    match s.to_ascii_lowercase().as_str() {
        "local" => return Some(local_offset()),
        "utc" | "z" | "gmt" => return Some(time::UtcOffset::UTC),
        _ => {}
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..=23).contains(&h) || !(0..60).contains(&m) || h.to_string().len() > 2 {
        return None;
    }
    time::UtcOffset::from_hms(sign * h, sign * m, 0).ok()
}

/// Russian plural form: 1 просмотр, 2 просмотра, 5 просмотров.
pub fn plural_ru<'a>(n: i64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let n = n.abs();
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}

/// `954 просмотра` / `954 views`.
pub fn views(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{n} {}", plural_ru(n, "просмотр", "просмотра", "просмотров")),
        Lang::En => format!("{n} {}", if n == 1 { "view" } else { "views" }),
    }
}

/// `Фото: Caravan.kz` / `Photo: Caravan.kz`.
pub fn photo(credit: &str, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("Фото: {credit}"),
        Lang::En => format!("Photo: {credit}"),
    }
}

/// The reading pane's stand-in for a picture: `[изображение: alt]` /
/// `[image: alt]`, the caption when there is no alt, both when they differ.
pub fn image(alt: Option<&str>, caption: Option<&str>, lang: Lang) -> String {
    let word = if lang == Lang::Ru { "изображение" } else { "image" };
    match (alt, caption) {
        (Some(a), Some(c)) if a != c => format!("[{word}: {a} — {c}]"),
        (Some(a), _) | (None, Some(a)) => format!("[{word}: {a}]"),
        (None, None) => format!("[{word}]"),
    }
}

/// Interface strings of the reader. One table: every string the TUI shows
/// comes from [`tr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Headlines,
    Trending,
    NoArticles,
    NoTrending,
    Loading,
    Offline,
    Filter,
    UnreadOnly,
    Topic,
    Help,
    HelpClose,
    TooSmall,
    NoUrl,
    Copied,
    Opening,
    Today,
    Empty,
    // Help descriptions, one per action.
    KeyDown,
    KeyUp,
    KeyScrollDown,
    KeyScrollUp,
    KeyPageDown,
    KeyPageUp,
    KeyFirst,
    KeyLast,
    KeyOpen,
    KeyBack,
    KeySwitchPane,
    KeyTrending,
    KeyNextUnread,
    KeyToggleRead,
    KeyToggleStar,
    KeyUnreadOnly,
    KeyFilter,
    KeyOpenBrowser,
    KeyCopyUrl,
    KeyWiderList,
    KeyNarrowerList,
    KeyHelp,
    KeyQuit,
    KeyMouse,
    Mouse,
    NotWebAddress,
    TodayHeader,
    NoDate,
    KeyPrevMatch,
    KeySearch,
    KeyRefresh,
    KeyRefreshAll,
    KeyFullText,
    FullTextLoading,
    FullTextSaved,
    Search,
    Updating,
    Updated,
    Syncing,
    Synced,
    LastSyncFailed,
    AlreadyUpdating,
    NothingToRefresh,
    NoFeeds,
    NoMatches,
    Wrapped,
    FetchFailures,
    Hits,
    Searching,
    EmptyArchive,
}

/// The string for `t` in `lang`.
pub fn tr(t: Text, lang: Lang) -> &'static str {
    use Text::*;
    let (ru, en) = match t {
        Headlines => ("Новости", "Headlines"),
        Trending => ("В тренде", "Trending"),
        NoArticles => ("Нет статей", "No articles"),
        NoTrending => ("Тем нет", "No topics"),
        Loading => ("Загрузка…", "Loading…"),
        Offline => ("офлайн", "offline"),
        Filter => ("фильтр", "filter"),
        UnreadOnly => ("непрочитанные", "unread only"),
        Topic => ("тема", "topic"),
        Help => ("Клавиши", "Keys"),
        HelpClose => ("любая клавиша закроет", "any key closes"),
        TooSmall => ("окно слишком мало", "window too small"),
        NoUrl => ("у статьи нет адреса", "the article has no URL"),
        Copied => ("адрес скопирован", "URL copied"),
        Opening => ("открываю в браузере", "opening in the browser"),
        Today => ("сегодня", "today"),
        Empty => ("Выберите статью", "Choose an article"),
        KeyDown => ("вниз по списку", "next headline"),
        KeyUp => ("вверх по списку", "previous headline"),
        KeyScrollDown => ("прокрутить статью вниз", "scroll the article down"),
        KeyScrollUp => ("прокрутить статью вверх", "scroll the article up"),
        KeyPageDown => ("страница вниз", "page down"),
        KeyPageUp => ("страница вверх", "page up"),
        KeyFirst => ("в начало", "first"),
        KeyLast => ("в конец", "last"),
        KeyOpen => ("открыть", "open"),
        KeyBack => ("назад / сбросить фильтр", "back / clear the filter"),
        KeySwitchPane => ("сменить панель", "switch pane"),
        KeyTrending => ("темы в тренде", "trending topics"),
        KeyNextUnread => ("непрочитанная / совпадение", "next unread / next match"),
        KeyToggleRead => ("прочитано / не прочитано", "toggle read"),
        KeyToggleStar => ("отметить звездой", "toggle star"),
        KeyUnreadOnly => ("только непрочитанные", "unread only"),
        KeyFilter => ("фильтр заголовков", "filter headlines"),
        KeyOpenBrowser => ("открыть в браузере", "open in the browser"),
        KeyCopyUrl => ("скопировать адрес", "copy the URL"),
        KeyWiderList => ("шире список", "wider list"),
        KeyNarrowerList => ("уже список", "narrower list"),
        KeyHelp => ("эта справка", "this help"),
        KeyQuit => ("выход", "quit"),
        KeyMouse => ("колесо прокручивает, щелчок выбирает", "wheel scrolls, click selects"),
        Mouse => ("мышь", "mouse"),
        NotWebAddress => ("не веб-адрес", "not a web address"),
        TodayHeader => ("Сегодня", "Today"),
        NoDate => ("Без даты", "Undated"),
        KeyPrevMatch => ("предыдущее совпадение", "previous match"),
        KeySearch => ("поиск по архиву", "search the archive"),
        KeyRefresh => ("обновить ленту статьи", "refresh the article's feed"),
        KeyRefreshAll => ("обновить все ленты", "refresh all feeds"),
        KeyFullText => ("полный текст статьи с сайта", "the article's full text from its page"),
        FullTextLoading => ("загрузка полного текста…", "fetching the full text…"),
        FullTextSaved => ("полный текст сохранён", "full text saved"),
        Search => ("поиск", "search"),
        Updating => ("обновление", "updating"),
        Updated => ("ленты обновлены", "feeds refreshed"),
        Syncing => ("синхронизация", "syncing"),
        Synced => ("синхронизировано, новых", "synced, new items"),
        LastSyncFailed => ("последняя синхронизация не удалась", "the last sync failed"),
        AlreadyUpdating => ("обновление уже идёт", "a refresh is already running"),
        NothingToRefresh => ("у статьи нет ленты: обновлять нечего", "the article has no feed to refresh"),
        NoFeeds => ("нет подписок (svodka add URL)", "no subscriptions (svodka add URL)"),
        NoMatches => ("совпадений в статье нет", "no matches in this article"),
        Wrapped => ("с начала статьи", "from the top"),
        FetchFailures => ("лент с ошибкой", "feeds failed"),
        Hits => ("найдено", "found"),
        Searching => ("ищу…", "searching…"),
        EmptyArchive => (
            "архив пуст: `svodka` откроет пример, `svodka add URL` подпишет на ленту, `svodka import FILE` загрузит файлы",
            "the archive is empty: `svodka` opens the sample, `svodka add URL` subscribes to a feed, `svodka import FILE` imports files",
        ),
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// `12 статей` / `12 articles`.
pub fn articles(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{n} {}", plural_ru(n, "статья", "статьи", "статей")),
        Lang::En => format!("{n} {}", if n == 1 { "article" } else { "articles" }),
    }
}

/// `3 непрочитанных` / `3 unread`.
pub fn unread(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{n} {}", plural_ru(n, "непрочитанная", "непрочитанных", "непрочитанных")),
        Lang::En => format!("{n} unread"),
    }
}

/// The status line when the archive could only be opened for reading;
/// `why` is one of `StoreError::write_blocked`'s reasons.
pub fn read_only(why: &str, lang: Lang) -> String {
    match lang {
        Lang::Ru => {
            let why = match why {
                "the disk is full" => "диск заполнен",
                "the file or its directory is read-only" => "файл или папка только для чтения",
                "its directory cannot be created" => "нельзя создать его папку",
                _ => "запись не удаётся: диск заполнен или ошибка ввода-вывода",
            };
            format!("архив открыт только для чтения ({why}): читать можно, отметки не сохранятся")
        }
        Lang::En => format!("archive opened read-only ({why}): reading works, marks will not be saved"),
    }
}

/// `3 отметки ждут записи` / `3 marks waiting to be saved`: read/star
/// marks the archive has not taken yet (a refresh holds it).
pub fn marks_waiting(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Ru => {
            let (mark, wait) = match plural_ru(n, "1", "2", "5") {
                "1" => ("отметка", "ждёт"),
                "2" => ("отметки", "ждут"),
                _ => ("отметок", "ждут"),
            };
            format!("{n} {mark} {wait} записи")
        }
        Lang::En => format!("{n} {} waiting to be saved", if n == 1 { "mark" } else { "marks" }),
    }
}

/// `2 новых ↑` / `2 new ↑`: articles a refresh put above the visible rows.
pub fn new_above(n: usize, lang: Lang) -> String {
    let n = n as i64;
    match lang {
        Lang::Ru => format!("{n} {} ↑", plural_ru(n, "новая", "новых", "новых")),
        Lang::En => format!("{n} new ↑"),
    }
}

/// `3 непрочитанных из 20` / `3 unread of 20`.
pub fn unread_of(unread_n: i64, total: i64, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("{} из {total}", unread(unread_n, lang)),
        Lang::En => format!("{} of {total}", unread(unread_n, lang)),
    }
}

/// The list pane's date: the time (or «сегодня») for `today`, else
/// [`date_short`].
pub fn date_list(s: &Stamp, today: time::Date, lang: Lang) -> String {
    match s {
        Stamp::DateTime(t) if t.date() == today => format!("{:02}:{:02}", t.hour(), t.minute()),
        Stamp::Date(d) if *d == today => tr(Text::Today, lang).to_string(),
        _ => date_short(s, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn formats() {
        let s = Stamp::Date(date!(2001 - 08 - 14));
        assert_eq!(date_long(&s, Lang::Ru), "14 августа 2001");
        assert_eq!(date_short(&s, Lang::Ru), "14 авг 2001");
        assert_eq!(date_long(&s, Lang::En), "14 August 2001");
        assert_eq!(views(954, Lang::Ru), "954 просмотра");
        assert_eq!(views(11, Lang::Ru), "11 просмотров");
        assert_eq!(views(21, Lang::Ru), "21 просмотр");
        assert_eq!(articles(1, Lang::Ru), "1 статья");
        assert_eq!(articles(3, Lang::Ru), "3 статьи");
        assert_eq!(unread(5, Lang::Ru), "5 непрочитанных");
        assert_eq!(date_list(&s, date!(2001 - 08 - 14), Lang::Ru), "сегодня");
        assert_eq!(date_list(&s, date!(2001 - 08 - 15), Lang::Ru), "14 авг 2001");
        let t = Stamp::DateTime(time::macros::datetime!(2001-08-14 09:05 +06:00));
        assert_eq!(date_list(&t, date!(2001 - 08 - 14), Lang::En), "09:05");
    }

    #[test]
    fn zones() {
        use time::UtcOffset;
        let five = UtcOffset::from_hms(5, 0, 0).unwrap();
        assert_eq!(parse_zone("+05:00"), Some(five));
        assert_eq!(parse_zone("+0500"), Some(five));
        assert_eq!(parse_zone("+5"), Some(five));
        assert_eq!(parse_zone("-03:30"), UtcOffset::from_hms(-3, -30, 0).ok());
        assert_eq!(parse_zone("UTC"), Some(UtcOffset::UTC));
        assert!(parse_zone("local").is_some());
        for bad in ["Asia/Almaty", "+25:00", "+05:60", "5", ""] {
            assert_eq!(parse_zone(bad), None, "{bad}");
        }
        // 08:00 UTC and 12:00 +05 are 13:00 and 12:00 on a +05 clock.
        let utc = Stamp::DateTime(time::macros::datetime!(2026-03-14 08:00 UTC));
        let almaty = Stamp::DateTime(time::macros::datetime!(2026-03-14 12:00 +05:00));
        let shown = |s| date_list(&in_zone(s, five), date!(2026 - 03 - 14), Lang::Ru);
        assert_eq!((shown(utc), shown(almaty)), ("13:00".into(), "12:00".into()));
        let d = Stamp::Date(date!(2001 - 08 - 14));
        assert_eq!(in_zone(d, five), d);
    }
}
