//! Dates as sources write them: feeds (RFC 3339 / W3CDTF, RFC 822 and its
//! zone names, asctime, day-month-year in English, Russian and Kazakh) and
//! page dumps (`14 августа 2001, 14:05`, `Сегодня`, `14.08.2001`).
//!
//! One module and one month table, so a feed, a dump and an extracted page
//! agree on what a date is. Month names match whole words only (with their
//! case endings and the usual abbreviations), never by prefix: «маршрут» is
//! not March and «Казахстан» is not October (Kazakh «қазан»).

use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

use crate::model::Stamp;

const MONTHS: [Month; 12] = [
    Month::January,
    Month::February,
    Month::March,
    Month::April,
    Month::May,
    Month::June,
    Month::July,
    Month::August,
    Month::September,
    Month::October,
    Month::November,
    Month::December,
];

/// English names and abbreviations.
const EN: [&[&str]; 12] = [
    &["january", "jan"],
    &["february", "feb"],
    &["march", "mar"],
    &["april", "apr"],
    &["may"],
    &["june", "jun"],
    &["july", "jul"],
    &["august", "aug"],
    &["september", "sep", "sept"],
    &["october", "oct"],
    &["november", "nov"],
    &["december", "dec"],
];

/// Russian: every case form a date is written in (nominative, genitive,
/// prepositional, instrumental) and the usual abbreviations.
const RU: [&[&str]; 12] = [
    &["январь", "января", "январе", "январем", "янв"],
    &["февраль", "февраля", "феврале", "февралем", "фев", "февр"],
    &["март", "марта", "марте", "мартом", "мар"],
    &["апрель", "апреля", "апреле", "апрелем", "апр"],
    &["май", "мая", "мае", "маем"],
    &["июнь", "июня", "июне", "июнем", "июн"],
    &["июль", "июля", "июле", "июлем", "июл"],
    &["август", "августа", "августе", "августом", "авг"],
    &["сентябрь", "сентября", "сентябре", "сентябрем", "сен", "сент"],
    &["октябрь", "октября", "октябре", "октябрем", "окт"],
    &["ноябрь", "ноября", "ноябре", "ноябрем", "ноя", "нояб"],
    &["декабрь", "декабря", "декабре", "декабрем", "дек"],
];

/// Kazakh names and the three-letter abbreviations that are no Russian word; case endings are
/// stripped by [`KK_ENDINGS`] before the lookup.
const KK: [&[&str]; 12] = [
    &["қаңтар", "қаң"],
    &["ақпан", "ақп"],
    &["наурыз"],
    &["сәуір", "сәу"],
    &["мамыр"],
    &["маусым"],
    &["шілде", "шіл"],
    &["тамыз"],
    &["қыркүйек", "қыр"],
    &["қазан", "қаз"],
    &["қараша", "қар"],
    &["желтоқсан"],
];

/// Kazakh case endings a month name takes in a date («қазанның», «шілдеде»).
const KK_ENDINGS: &[&str] = &[
    "ның", "нің", "дың", "дің", "тың", "тің", "да", "де", "та", "те", "нан", "нен", "дан", "ден", "тан", "тен", "ға",
    "ге", "қа", "ке", "ы", "і",
];

fn find(table: &[&[&str]; 12], w: &str) -> Option<Month> {
    table.iter().position(|forms| forms.contains(&w)).map(|i| MONTHS[i])
}

/// A month name in English, Russian or Kazakh, in any letter case, as a
/// whole word (a trailing dot of an abbreviation is allowed).
pub fn month_name(word: &str) -> Option<Month> {
    let w: String = word
        .trim_end_matches('.')
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect();
    if w.chars().count() < 3 {
        return None;
    }
    if let Some(m) = find(&EN, &w).or_else(|| find(&RU, &w)).or_else(|| find(&KK, &w)) {
        return Some(m);
    }
    // Only full Kazakh names take endings: «қаз» + «ақ…» must stay unknown.
    KK_ENDINGS
        .iter()
        .filter_map(|e| w.strip_suffix(e))
        .find_map(|stem| KK.iter().position(|forms| forms[0] == stem).map(|i| MONTHS[i]))
}

/// Parses a feed date in any form feeds use: RFC 3339 / W3CDTF (year,
/// year-month, date, date-time, with or without seconds and offset colon),
/// RFC 822/2822/1123 with any zone name, asctime, and day-month-year with
/// Russian or English month names. A date without a time stays a bare date;
/// a time without a zone is taken as UTC (as RFC 822 readers do).
pub fn parse_date(raw: &str) -> Option<Stamp> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    w3cdtf(s).or_else(|| words(s))
}

fn w3cdtf(s: &str) -> Option<Stamp> {
    let b = s.as_bytes();
    if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year: i32 = s[..4].parse().ok()?;
    let rest = &s[4..];
    if rest.is_empty() {
        return Date::from_calendar_date(year, Month::January, 1).ok().map(Stamp::Date);
    }
    let rest = rest.strip_prefix('-')?;
    let (month, rest) = take_num(rest, 2)?;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    if rest.is_empty() {
        return Date::from_calendar_date(year, month, 1).ok().map(Stamp::Date);
    }
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = take_num(rest, 2)?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    if rest.trim().is_empty() {
        return Some(Stamp::Date(date));
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (h, rest) = take_num(rest, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (m, mut rest) = take_num(rest, 2)?;
    let mut sec = 0;
    if let Some(r) = rest.strip_prefix(':') {
        let (sv, r) = take_num(r, 2)?;
        sec = sv;
        rest = r;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    let offset = zone(rest.trim())?;
    make(date, h, m, sec, offset)
}

fn take_num(s: &str, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

fn make(date: Date, h: u32, m: u32, sec: u32, offset: UtcOffset) -> Option<Stamp> {
    // Feeds write 24:00 for the end of a day; a leap second is the 59th.
    let (date, h) = if h == 24 { (date.next_day()?, 0) } else { (date, h) };
    let t = Time::from_hms(u8::try_from(h).ok()?, u8::try_from(m).ok()?, u8::try_from(sec.min(59)).ok()?).ok()?;
    Some(Stamp::DateTime(PrimitiveDateTime::new(date, t).assume_offset(offset)))
}

/// A zone: empty (UTC), `Z`, `±hh:mm`, `±hhmm`, `±hh` or a name.
fn zone(z: &str) -> Option<UtcOffset> {
    let z = z.trim().trim_matches(|c| c == '(' || c == ')');
    if z.is_empty() {
        return Some(UtcOffset::UTC);
    }
    if let Some(sign) = z.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 => (digits[..1].parse::<i32>().ok()?, digits[1..].parse::<i32>().ok()?),
            4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
            _ => return None,
        };
        let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        return UtcOffset::from_whole_seconds(secs).ok();
    }
    let hours = match z.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "AST" => -4,
        "ADT" => -3,
        "CET" | "BST" | "WEST" => 1,
        "CEST" | "EET" => 2,
        "EEST" => 3,
        "MSK" => 3,
        "MSD" => 4,
        "ALMT" => 5,
        "JST" | "KST" => 9,
        // RFC 822 military zones other than Z are famously unreliable.
        s if s.len() == 1 && s.chars().all(|c| c.is_ascii_alphabetic()) => 0,
        _ => return None,
    };
    UtcOffset::from_hms(hours, 0, 0).ok()
}

/// Token-based parser for day-month-year forms (RFC 822 and friends,
/// asctime, `14 августа 2001 14:05`).
fn words(s: &str) -> Option<Stamp> {
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let mut time: Option<(u32, u32, u32)> = None;
    let mut offset = None;
    let tokens: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()).collect();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        i += 1;
        if t.contains(':') && t.starts_with(|c: char| c.is_ascii_digit()) {
            // 14:05[:09][+0300]
            let (clock, zone_part) = match t.find(['+', '-']) {
                Some(p) => (&t[..p], Some(&t[p..])),
                None => (t, None),
            };
            let parts: Vec<u32> = clock.split(':').map(|p| p.parse().ok()).collect::<Option<Vec<_>>>()?;
            time = Some((*parts.first()?, *parts.get(1)?, parts.get(2).copied().unwrap_or(0)));
            if let Some(z) = zone_part {
                offset = Some(zone(z)?);
            }
        } else if t.starts_with(['+', '-']) && t.len() > 1 {
            offset = Some(zone(t)?);
        } else if t.bytes().all(|b| b.is_ascii_digit()) {
            let v: u32 = t.parse().ok()?;
            if t.len() >= 3 {
                year = Some(v as i32);
            } else if day.is_none() && v <= 31 && !(month.is_some() && year.is_some()) {
                day = Some(v);
            } else if year.is_none() {
                // Two-digit years: RFC 822's 19xx/20xx pivot.
                year = Some(if v < 50 { 2000 + v as i32 } else { 1900 + v as i32 });
            }
        } else if let Some(m) = month_name(t).filter(|_| month.is_none()) {
            month = Some(m);
        } else if t.chars().next().is_some_and(|c| c.is_alphabetic()) && month.is_some() {
            // A zone name after the month (GMT, MSK, EST); weekday names come
            // first and are ignored, as is the Russian "г." for "year".
            if let Some(z) = zone(t).filter(|_| time.is_some()) {
                offset = Some(z);
            } else if !matches!(t, "г" | "г." | "года" | "год") {
                return None;
            }
        }
    }
    let date = Date::from_calendar_date(year?, month?, u8::try_from(day?).ok()?).ok()?;
    match time {
        Some((h, m, sec)) => make(date, h, m, sec, offset.unwrap_or(UtcOffset::UTC)),
        None => Some(Stamp::Date(date)),
    }
}

/// Times in dumps carry no zone; they are the site's local time. Kazakhstan
/// has used one zone, UTC+5, since 2024, and svodka's sites are Kazakh.
pub const DUMP_OFFSET_HOURS: i8 = 5;

fn parse_time(s: &str) -> Option<Time> {
    let (h, m) = s.trim_matches(|c: char| c == ',' || c.is_whitespace()).split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

fn with_time(date: Date, time: Option<Time>) -> Stamp {
    match time {
        None => Stamp::Date(date),
        Some(t) => {
            let off = UtcOffset::from_hms(DUMP_OFFSET_HOURS, 0, 0).unwrap_or(UtcOffset::UTC);
            Stamp::DateTime(PrimitiveDateTime::new(date, t).assume_offset(off))
        }
    }
}

/// Parses a publication date as dumps print it: `14 Августа 2001`,
/// `14 августа 2001, 14:05`, `14:05 14.08.2001`, `Сегодня, 14:05`, `Вчера`.
/// Relative words need the capture date.
pub fn parse_russian_date(s: &str, captured: Option<Date>) -> Option<Stamp> {
    let cleaned: String = s.replace(['\u{a0}', ','], " ");
    let words: Vec<&str> = cleaned.split_whitespace().filter(|w| *w != "в" && *w != "г." && *w != "года").collect();
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    let time = words.iter().find_map(|w| parse_time(w));
    let rest: Vec<&str> = words.iter().copied().filter(|w| parse_time(w).is_none()).collect();
    let lower: Vec<String> = rest.iter().map(|w| w.to_lowercase()).collect();
    match lower.as_slice() {
        [w] if w == "сегодня" => return captured.map(|d| with_time(d, time)),
        [w] if w == "вчера" => return captured.and_then(|d| d.previous_day()).map(|d| with_time(d, time)),
        [w] if w == "позавчера" => {
            return captured.and_then(|d| d.previous_day()?.previous_day()).map(|d| with_time(d, time));
        }
        _ => {}
    }
    match rest.as_slice() {
        [day, month, year] => {
            let day: u8 = day.parse().ok()?;
            let year: i32 = year.parse().ok().filter(|y| (1900..=2200).contains(y))?;
            let date = Date::from_calendar_date(year, month_name(month)?, day).ok()?;
            Some(with_time(date, time))
        }
        [dotted] => {
            let mut it = dotted.split('.');
            let (d, m, y) = (it.next()?, it.next()?, it.next()?);
            if it.next().is_some() || y.len() != 4 {
                return None;
            }
            let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
            let date = Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
            Some(with_time(date, time))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn months_are_whole_words() {
        assert_eq!(month_name("Августа"), Some(Month::August));
        assert_eq!(month_name("янв."), Some(Month::January));
        assert_eq!(month_name("September"), Some(Month::September));
        assert_eq!(month_name("сентябрём"), Some(Month::September));
        assert_eq!(month_name("қазанның"), Some(Month::October));
        assert_eq!(month_name("ШІЛДЕ"), Some(Month::July));
        for not in ["маршрут", "марки", "марк", "Казахстан", "қазақ", "маяк", "июнька", "decade", "janitor", "ма"]
        {
            assert_eq!(month_name(not), None, "{not}");
        }
        assert_eq!(parse_date("12 маршрут 2020"), None);
    }

    #[test]
    fn dates_in_every_form() {
        let dt = |s| parse_date(s).map(|x| x.to_iso());
        assert_eq!(dt("Tue, 3 Jan 2006 19:57:00 +0300").as_deref(), Some("2006-01-03T19:57:00+03:00"));
        assert_eq!(dt("Tue, 03 Jan 2006 16:57:00 GMT").as_deref(), Some("2006-01-03T16:57:00Z"));
        assert_eq!(dt("Sun, 11 Jul 2004 12:00:00 EST").as_deref(), Some("2004-07-11T12:00:00-05:00"));
        assert_eq!(dt("2003-12-31T10:14:55Z").as_deref(), Some("2003-12-31T10:14:55Z"));
        assert_eq!(dt("2003-12-31T10:14:55.123-08:00").as_deref(), Some("2003-12-31T10:14:55-08:00"));
        assert_eq!(dt("2003-12-31T10:14+0600").as_deref(), Some("2003-12-31T10:14:00+06:00"));
        assert_eq!(parse_date("2003-12-31"), Some(Stamp::Date(date!(2003 - 12 - 31))));
        assert_eq!(parse_date("2003-12"), Some(Stamp::Date(date!(2003 - 12 - 01))));
        assert_eq!(parse_date("14 августа 2001"), Some(Stamp::Date(date!(2001 - 08 - 14))));
        assert_eq!(
            parse_date("Вторник, 14 АВГУСТА 2001 г. 14:05 +0600"),
            Some(Stamp::DateTime(datetime!(2001-08-14 14:05 +06:00)))
        );
        assert_eq!(dt("14 мая 2024 09:30 MSK").as_deref(), Some("2024-05-14T09:30:00+03:00"));
        assert_eq!(dt("Sun Jan  4 16:29:06 2004").as_deref(), Some("2004-01-04T16:29:06Z"));
        assert_eq!(dt("Thu, 01 Jan 04 19:48:21 GMT").as_deref(), Some("2004-01-01T19:48:21Z"));
        assert_eq!(parse_date("not a date"), None);
        assert_eq!(parse_date("2004-02-30"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn russian_dates() {
        let cap = Some(date!(2026 - 03 - 14));
        let d = |s| parse_russian_date(s, cap);
        assert_eq!(d("14 Августа 2001"), Some(Stamp::Date(date!(2001 - 08 - 14))));
        assert_eq!(d("14 августа 2001"), Some(Stamp::Date(date!(2001 - 08 - 14))));
        assert_eq!(d("14 АВГУСТ 2001"), Some(Stamp::Date(date!(2001 - 08 - 14))));
        assert_eq!(d("3 мая 2024, 14:05"), Some(Stamp::DateTime(datetime!(2024-05-03 14:05 +05:00))));
        assert_eq!(d("14:05 3 мая 2024"), Some(Stamp::DateTime(datetime!(2024-05-03 14:05 +05:00))));
        assert_eq!(d("1 март 2020"), Some(Stamp::Date(date!(2020 - 03 - 01))));
        assert_eq!(d("Сегодня, 09:30"), Some(Stamp::DateTime(datetime!(2026-03-14 09:30 +05:00))));
        assert_eq!(d("Вчера"), Some(Stamp::Date(date!(2026 - 03 - 13))));
        assert_eq!(parse_russian_date("Сегодня", None), None);
        assert_eq!(d("14.08.2001"), Some(Stamp::Date(date!(2001 - 08 - 14))));
        assert_eq!(d("31 февраля 2001"), None);
        assert_eq!(d("14 марки 2001"), None);
        assert_eq!(d("954"), None);
    }
}
