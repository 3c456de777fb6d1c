//! Status-bar messages for failures that come from lower layers in English
//! (`PageError`, `HttpFailure`, a browser that cannot start): the reader
//! speaks the interface's language, so they are said again here, in
//! `Lang::Ru` or `Lang::En`, with what to do where there is something to do.

use crate::extract::page::PageError;
use crate::i18n::{Lang, Text, tr};
use crate::net::HttpFailure;
use crate::text::sanitize;

/// A network failure in the interface's language.
pub fn http_failure(f: &HttpFailure, lang: Lang) -> String {
    if lang == Lang::En {
        return f.to_string();
    }
    match f {
        HttpFailure::Dns => "адрес сайта не найден (нет сети или DNS)".into(),
        HttpFailure::Connect(why) => format!("не удалось соединиться: {}", sanitize(why)),
        HttpFailure::Timeout => "сайт не ответил вовремя".into(),
        HttpFailure::Status(code) => format!("сайт ответил HTTP {code}"),
        HttpFailure::Gone => "страницы больше нет (HTTP 410)".into(),
        HttpFailure::TooManyRedirects(n) => format!("больше {n} перенаправлений"),
        HttpFailure::BadRedirect => "перенаправление без адреса".into(),
        HttpFailure::TooLarge(n) => format!("ответ больше {n} байт"),
        HttpFailure::Decompress(what, _) => format!("не удалось распаковать ответ ({what})"),
        HttpFailure::Other(why) | HttpFailure::Feed(why) => sanitize(why),
    }
}

/// A refresh failure as the fetcher records it (the English text of
/// [`HttpFailure`] or of a feed error, kept in `feeds.last_error`, older
/// archives' raw I/O errors too) in the interface's language. `HTTP 404`
/// and the like stay as they are: they read the same in any language.
pub fn feed_error(raw: &str, lang: Lang) -> String {
    let raw = sanitize(raw);
    if lang == Lang::En {
        return raw;
    }
    let after = |p: &str| raw.strip_prefix(p).map(str::trim);
    if raw == "host not found (DNS)" {
        return "нет сети или адрес не найден (DNS)".into();
    }
    if raw.contains("failed to lookup address") || raw.contains("Name or service not known") {
        return format!("нет сети ({})", raw.trim_start_matches("io: "));
    }
    if let Some(why) = after("connection failed:") {
        return match why {
            "refused or unreachable" => "сервер недоступен (соединение отклонено)".into(),
            _ if why.contains("refused") => format!("сервер недоступен ({why})"),
            _ => format!("не удалось соединиться ({why})"),
        };
    }
    if let Some(n) = after("more than").and_then(|r| r.strip_suffix("redirects")) {
        return format!("больше {} перенаправлений", n.trim());
    }
    if let Some(n) = after("response larger than").and_then(|r| r.strip_suffix("bytes")) {
        return format!("ответ больше {} байт", n.trim());
    }
    if let Some(why) = after("malformed feed:") {
        return format!("лента повреждена ({why})");
    }
    if let Some(why) = after("io:") {
        return format!("ошибка сети ({why})");
    }
    match raw.as_str() {
        "timed out" => "сайт не ответил вовремя".into(),
        "gone (HTTP 410)" => "лента удалена на сервере (HTTP 410)".into(),
        "redirect without a usable Location" => "перенаправление без адреса".into(),
        "not a feed (no RSS, Atom or JSON Feed in the response)" => "это не лента (нет RSS, Atom или JSON Feed)".into(),
        "an HTML page that names no feed, not a feed" => "это веб-страница, а не лента".into(),
        _ if raw.starts_with("cannot decompress") => "не удалось распаковать ответ".into(),
        _ if raw.contains("mojibake") => "лента в неверной кодировке; ничего не сохранено".into(),
        _ => raw,
    }
}

/// One feed of a refresh failed: `url: error` as the fetch worker reports
/// it, the error in the interface's language.
pub fn refresh_failure(report: &str, lang: Lang) -> String {
    // The URL has no ": " in it; the error may.
    match report.find("://").and_then(|s| report[s..].find(": ").map(|i| s + i)) {
        Some(i) => format!("{}: {}", sanitize(&report[..i]), feed_error(&report[i + 2..], lang)),
        None => feed_error(report, lang),
    }
}

/// Why `F` (full text) failed, in the interface's language.
pub fn page_error(e: &PageError, lang: Lang) -> String {
    match (e, lang) {
        (PageError::NoUrl(_), _) => tr(Text::NoUrl, lang).to_string(),
        (PageError::Http { url, source }, _) => format!("{}: {}", sanitize(url), http_failure(source, lang)),
        (PageError::IsFeed(url), Lang::Ru) => format!("{} — лента, а не статья: svodka add {0}", sanitize(url)),
        (PageError::BadUrl(url), Lang::Ru) => format!("{}: {}", tr(Text::NotWebAddress, lang), sanitize(url)),
        (PageError::Extract { url, .. }, Lang::Ru) => format!("{}: статью на странице не найти", sanitize(url)),
        _ => sanitize(&e.to_string()),
    }
}

/// A file could not be written (`:export`): the path and why, in the
/// interface's language for the reasons a user can act on.
pub fn write_failed(path: &str, kind: std::io::ErrorKind, detail: &str, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    let why = match (kind, lang) {
        (_, Lang::En) => detail.to_string(),
        (K::NotFound, Lang::Ru) => "нет такой папки".to_string(),
        (K::PermissionDenied | K::ReadOnlyFilesystem, Lang::Ru) => "нет прав на запись".to_string(),
        (K::IsADirectory, Lang::Ru) => "это папка, а не файл".to_string(),
        (K::StorageFull | K::QuotaExceeded, Lang::Ru) => "нет места на диске".to_string(),
        (_, Lang::Ru) => format!("не удалось записать ({detail})"),
    };
    format!("{}: {why}", sanitize(path))
}

/// The browser command could not start: name it and say to set `$BROWSER`
/// when it does not exist.
pub fn browser_failed(prog: &str, e: &std::io::Error, lang: Lang) -> String {
    let prog = sanitize(prog);
    match (e.kind() == std::io::ErrorKind::NotFound, lang) {
        (true, Lang::Ru) => format!("{prog}: программа не найдена; задайте браузер в $BROWSER"),
        (true, Lang::En) => format!("{prog}: not found; set $BROWSER to your browser"),
        (false, Lang::Ru) => format!("{prog}: не удалось запустить ({e})"),
        (false, Lang::En) => format!("{prog}: cannot start ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_speak_the_interface_language() {
        assert_eq!(page_error(&PageError::NoUrl(1), Lang::Ru), "у статьи нет адреса");
        let dns = PageError::Http { url: "https://x.kz/".into(), source: HttpFailure::Dns };
        assert_eq!(page_error(&dns, Lang::Ru), "https://x.kz/: адрес сайта не найден (нет сети или DNS)");
        assert_eq!(page_error(&dns, Lang::En), "https://x.kz/: host not found (DNS)");
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(browser_failed("xdg-open", &missing, Lang::Ru).contains("$BROWSER"));
        assert!(browser_failed("xdg-open", &missing, Lang::En).contains("set $BROWSER"));
    }

    #[test]
    fn refresh_failures_speak_the_interface_language() {
        for (raw, ru) in [
            (
                "io: failed to lookup address information: Name or service not known",
                "нет сети (failed to lookup address information: Name or service not known)",
            ),
            ("host not found (DNS)", "нет сети или адрес не найден (DNS)"),
            ("connection failed: refused or unreachable", "сервер недоступен (соединение отклонено)"),
            ("timed out", "сайт не ответил вовремя"),
            ("HTTP 404", "HTTP 404"),
            ("gone (HTTP 410)", "лента удалена на сервере (HTTP 410)"),
            ("more than 5 redirects", "больше 5 перенаправлений"),
            ("not a feed (no RSS, Atom or JSON Feed in the response)", "это не лента (нет RSS, Atom или JSON Feed)"),
            ("malformed feed: unexpected end", "лента повреждена (unexpected end)"),
            ("something new", "something new"),
        ] {
            assert_eq!(feed_error(raw, Lang::Ru), ru, "{raw}");
            assert_eq!(feed_error(raw, Lang::En), raw);
        }
        assert_eq!(
            refresh_failure("http://127.0.0.1:9/rss: timed out", Lang::Ru),
            "http://127.0.0.1:9/rss: сайт не ответил вовремя"
        );
        assert_eq!(refresh_failure("timed out", Lang::Ru), "сайт не ответил вовремя");
    }
}
