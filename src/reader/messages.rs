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
}
