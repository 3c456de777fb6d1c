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
    }
}
