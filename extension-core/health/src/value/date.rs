//! Dates in every form Salesforce locales show them: numeric in every order (`12/31/2025`,
//! `31/12/2025`, `31.12.2025`, `2025/12/31`, `31-12-2025`, `2025-12-31`, `2025. 12. 31.`,
//! `2025年12月31日`, `2025년 12월 31일`), and with the month named as the supported languages'
//! medium dates write it (`Dec 31, 2025`, `31 dic 2025`, `31 de dez. de 2025`, `31. Dez. 2025`,
//! `31 grudnia 2025`), which base components such as `lightning-formatted-date-time` show.

use chrono::NaiveDate;

use super::number::normalize_spaces;
use super::ValueError;
use crate::locale::data::MONTH_NAMES;
use crate::locale::DateOrder;

/// A date as three numbers in display order, with the separator that joined them.
struct DateParts {
    numbers: [u32; 3],
    lengths: [usize; 3],
    separator: char,
}

/// Finds the first date-shaped token in `text` (a time may follow it).
fn date_parts(text: &str) -> Option<DateParts> {
    let text = normalize_spaces(text);
    // Hungarian and Korean `2025. 12. 31.`, CJK `2025年12月31日` and Korean `2025년 12월 31일`:
    // fold into dotted / slashed forms.
    let folded: String = text
        .replace(". ", ".")
        .replace(['年', '月', '년', '월'], "/")
        .replace("/ ", "/")
        .replace(['日', '일'], " ");
    let start = folded.find(|c: char| c.is_ascii_digit())?;
    let token: String = folded[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
        .collect();
    let token = token.trim_end_matches(['.', '/', '-']);
    let separator = token.chars().find(|c| !c.is_ascii_digit())?;
    let pieces: Vec<&str> = token.split(separator).collect();
    if pieces.len() != 3 || pieces.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let mut numbers = [0u32; 3];
    let mut lengths = [0usize; 3];
    for (index, piece) in pieces.iter().enumerate() {
        numbers[index] = piece.parse().ok()?;
        lengths[index] = piece.len();
    }
    Some(DateParts {
        numbers,
        lengths,
        separator,
    })
}

fn full_year(year: u32, length: usize) -> u32 {
    if length <= 2 {
        2000 + year
    } else {
        year
    }
}

/// Reads a date. `order` is the date order of the page's locale, when known; without it a date
/// whose day and month could be swapped is [`ValueError::Ambiguous`].
pub fn parse_date(raw: &str, order: Option<DateOrder>) -> Result<NaiveDate, ValueError> {
    let Some(parts) = date_parts(raw) else {
        return named_date(raw).unwrap_or(Err(ValueError::Unparseable("not a date")));
    };
    let [a, b, c] = parts.numbers;
    let (year, month, day) = if parts.lengths[0] == 4 {
        (a, b, c)
    } else if parts.lengths[2] == 4 || parts.lengths[2] == 2 {
        let year = full_year(c, parts.lengths[2]);
        if parts.separator == '.' {
            // Every locale writing dates with dots puts the day first (de, ru, pl, cs, ...).
            (year, b, a)
        } else if a > 12 && b <= 12 {
            (year, b, a)
        } else if b > 12 && a <= 12 {
            (year, a, b)
        } else if a == b {
            (year, a, a)
        } else {
            match order {
                Some(DateOrder::MonthDayYear) => (year, a, b),
                Some(DateOrder::DayMonthYear) => (year, b, a),
                _ => {
                    return Err(ValueError::Ambiguous(
                        "day and month could be either way round",
                    ))
                }
            }
        }
    } else {
        return Err(ValueError::Unparseable("no year in the date"));
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or(ValueError::OutOfRange("no such calendar date"))
}

/// A date whose month is named (`Dec 31, 2025`, `31 dic 2025`, `31 de dez. de 2025`,
/// `31. Dez. 2025`, `31-Dec-2025`): `None` when the text names no month. The day sits either
/// just before the month's name (every supported language) or just after it (English month
/// first), and a four-digit year follows; the Spanish and Portuguese `de` between them is no
/// word of the date. Such a date is never ambiguous, so no date order is needed.
fn named_date(raw: &str) -> Option<Result<NaiveDate, ValueError>> {
    let text = normalize_spaces(raw).to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !matches!(*word, "de" | "del"))
        .collect();
    let index = words.iter().position(|word| month_number(word).is_some())?;
    let month = month_number(words[index])?;
    let day_and_year = |day: Option<&&str>, year: Option<&&str>| {
        let day = day
            .filter(|word| is_day_number(word))?
            .parse::<u32>()
            .ok()?;
        let year = year
            .filter(|word| word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))?
            .parse::<i32>()
            .ok()?;
        Some((day, year))
    };
    let before = index.checked_sub(1).and_then(|i| words.get(i));
    let found = day_and_year(before, words.get(index + 1))
        .or_else(|| day_and_year(words.get(index + 1), words.get(index + 2)));
    Some(match found {
        Some((day, year)) => NaiveDate::from_ymd_opt(year, month, day)
            .ok_or(ValueError::OutOfRange("no such calendar date")),
        None => Err(ValueError::Unparseable(
            "a month's name without its day and year",
        )),
    })
}

/// What a page's other dates say about day/month order: `Some` when at least one date on the
/// page can only be read one way and none contradicts it. A date settles the order when its
/// day is past 12 (`11/14/2026`, `14/11/2026`), or when it names its month in English and puts
/// the day after it (`Nov 14, 2026`: the locales that write that put the month first in numeric
/// dates too) or before it (`14 Nov 2026`, `14-Nov-2026`: day first).
pub fn date_order_evidence<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<DateOrder> {
    settled_order(texts.into_iter().map(date_order_marks))
}

/// What one text says of day/month order ([`date_order_evidence`]): whether it holds a date
/// that can only be read day first, and one that can only be read month first.
pub fn date_order_marks(text: &str) -> DateOrderMarks {
    let mut day_first = false;
    let mut month_first = false;
    {
        let mut rest = text;
        // A text may hold several dates ("Created 3/14/2026 ... Modified 4/2/2026").
        while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
            let candidate = &rest[start..];
            let token_len = candidate
                .find(|c: char| !(c.is_ascii_digit() || c == '/' || c == '-'))
                .unwrap_or(candidate.len());
            if let Some(parts) = date_parts(&candidate[..token_len]) {
                let [a, b, _] = parts.numbers;
                if parts.lengths[0] != 4 && parts.lengths[2] == 4 && parts.separator != '.' {
                    day_first |= a > 12 && a <= 31 && b <= 12;
                    month_first |= b > 12 && b <= 31 && a <= 12;
                }
            }
            rest = &candidate[token_len.max(1)..];
        }
        match month_name_order(text) {
            Some(DateOrder::DayMonthYear) => day_first = true,
            Some(DateOrder::MonthDayYear) => month_first = true,
            _ => {}
        }
    }
    DateOrderMarks {
        day_first,
        month_first,
    }
}

/// What a text's dates say of day/month order ([`date_order_marks`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateOrderMarks {
    /// A date in it can only be read day first (`14/11/2026`, `14 Nov 2026`).
    pub day_first: bool,
    /// A date in it can only be read month first (`11/14/2026`, `Nov 14, 2026`).
    pub month_first: bool,
}

/// The order several texts' marks settle: one way, with none the other way.
pub fn settled_order(marks: impl IntoIterator<Item = DateOrderMarks>) -> Option<DateOrder> {
    let all = marks
        .into_iter()
        .fold(DateOrderMarks::default(), |all, marks| DateOrderMarks {
            day_first: all.day_first || marks.day_first,
            month_first: all.month_first || marks.month_first,
        });
    match (all.day_first, all.month_first) {
        (true, false) => Some(DateOrder::DayMonthYear),
        (false, true) => Some(DateOrder::MonthDayYear),
        _ => None,
    }
}

/// The month (1 to 12) a lower-cased word names in a date, in any supported language: CLDR's
/// month names (wide and abbreviated, format and stand-alone: Polish `grudnia` and `grudzień`,
/// Austrian `jänner`), generated into `locale/data.rs` by `tests/tools/locale_data.py`, which
/// fails if a word would name two months.
fn month_number(word: &str) -> Option<u32> {
    MONTH_NAMES
        .iter()
        .find_map(|(_, months)| month_in(months, word))
}

/// The month a word names in one language's generated `name|abbreviation;...` list.
fn month_in(months: &str, word: &str) -> Option<u32> {
    months
        .split(';')
        .position(|forms| forms.split('|').any(|form| form == word))
        .map(|index| index as u32 + 1)
}

/// English month names and abbreviations (CLDR's, over the supported English locales: `Sep`
/// and `Sept`, `June`), as Salesforce's English locales write medium dates (`Nov 14, 2026` in
/// en_US, `14 Nov 2026` in en_GB and en_AU): the only names that teach a page's numeric date
/// order (see [`date_order_evidence`]).
fn is_month_name(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    MONTH_NAMES
        .iter()
        .filter(|(language, _)| *language == "en")
        .any(|(_, months)| month_in(months, &word).is_some())
}

fn is_day_number(word: &str) -> bool {
    (1..=2).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_digit())
        && word.parse::<u32>().is_ok_and(|day| (1..=31).contains(&day))
}

/// The order the month-named dates in `text` show: day before the name is day first, a name
/// followed by its day is month first; both seen is `None`.
fn month_name_order(text: &str) -> Option<DateOrder> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let mut day_first = false;
    let mut month_first = false;
    for (index, word) in words.iter().enumerate() {
        if !word.bytes().all(|b| b.is_ascii_alphabetic()) || !is_month_name(word) {
            continue;
        }
        let before = index.checked_sub(1).and_then(|i| words.get(i));
        let after = words.get(index + 1);
        if before.is_some_and(|word| is_day_number(word)) {
            day_first = true;
        } else if after.is_some_and(|word| is_day_number(word)) {
            month_first = true;
        }
    }
    match (day_first, month_first) {
        (true, false) => Some(DateOrder::DayMonthYear),
        (false, true) => Some(DateOrder::MonthDayYear),
        _ => None,
    }
}

/// A strict ISO 8601 calendar date, `YYYY-MM-DD` (the extension's own dates, such as "today"
/// from the content script), read by hand: chrono's format parser would bring its whole
/// machinery into the content script for this (16 KB gzip of `content/core.js`).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let number = |part: &str, width: usize| {
        (part.len() == width && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let mut parts = text.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    NaiveDate::from_ymd_opt(number(year, 4)? as i32, number(month, 2)?, number(day, 2)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_dates_strictly() {
        use super::parse_iso_date;
        assert_eq!(
            parse_iso_date("2026-11-23"),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        );
        assert_eq!(
            parse_iso_date("2024-02-29"),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "",
            "2026-11",
            "2026-11-23-1",
            "26-11-23",
            "2026-1-23",
            "2026-11-3",
            "2026-13-01",
            "2025-02-29",
            "2026-11-2x",
            "+026-11-23",
            "２０２６-11-23",
            "2026/11/23",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad:?}");
        }
        // Every date round-trips through the serialised form the reports use.
        let mut date = chrono::NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(parse_iso_date(&date.to_string()), Some(date));
            date += chrono::Duration::days(17);
        }
    }

    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, ValueError> {
        Ok(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn reads_every_listed_order() {
        assert_eq!(parse_date("12/31/2025", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("31/12/2025", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("31.12.2025", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("2025/12/31", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("31-12-2025", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("2025-12-31", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("2025. 12. 31.", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("2025年12月31日", None), ymd(2025, 12, 31));
        assert_eq!(parse_date("1.2.2026", None), ymd(2026, 2, 1));
        assert_eq!(parse_date(" 12/31/2025, 10:15 AM", None), ymd(2025, 12, 31));
    }

    /// The numeric forms of the locales issue 17 added (CLDR short dates, as Salesforce's
    /// ICU formats and `lightning-formatted-date-time` write them).
    #[test]
    fn reads_the_added_locales_numeric_forms() {
        assert_eq!(parse_date("2026. 12. 5.", None), ymd(2026, 12, 5), "ko-KR");
        assert_eq!(
            parse_date("2026. 12. 15.", None),
            ymd(2026, 12, 15),
            "ko-KR"
        );
        assert_eq!(parse_date("2026/12/5", None), ymd(2026, 12, 5), "zh-CN");
        assert_eq!(parse_date("2026年12月5日", None), ymd(2026, 12, 5), "zh-CN");
        assert_eq!(
            parse_date("2026년 12월 15일", None),
            ymd(2026, 12, 15),
            "ko-KR"
        );
        assert_eq!(
            parse_date("2026년 1월 5일 오전 9:41", None),
            ymd(2026, 1, 5)
        );
        assert_eq!(
            parse_date("5.12.2026", None),
            ymd(2026, 12, 5),
            "pl-PL, de-AT"
        );
        assert_eq!(
            parse_date("5-12-2026", Some(DateOrder::DayMonthYear)),
            ymd(2026, 12, 5),
            "nl-NL"
        );
        assert_eq!(
            parse_date("5/12/2026", Some(DateOrder::DayMonthYear)),
            ymd(2026, 12, 5),
            "es-ES, en-IN"
        );
        assert_eq!(
            parse_date("2026-12-05", None),
            ymd(2026, 12, 5),
            "sv-SE, fr-CA"
        );
    }

    /// Medium dates with the month named, as CLDR writes them in every supported language.
    #[test]
    fn reads_month_names_in_every_supported_language() {
        for (text, language) in [
            ("Dec 15, 2026", "en-US"),
            ("15 Dec 2026", "en-GB, en-AU, en-IN"),
            ("15-Dec-2026", "en, Classic"),
            ("15 December 2026", "en long"),
            ("15. Dez. 2026", "de"),
            ("15. Dezember 2026", "de long"),
            ("15 déc. 2026", "fr"),
            ("15 décembre 2026", "fr long"),
            ("15 dic 2026", "es, it"),
            ("15 de dic. de 2026", "es"),
            ("15 de diciembre de 2026", "es long"),
            ("15 dicembre 2026", "it long"),
            ("15 de dez. de 2026", "pt-BR"),
            ("15 de dezembro de 2026", "pt-BR long"),
            ("15 dec 2026", "nl"),
            ("15 dec. 2026", "sv"),
            ("15 december 2026", "nl, sv long"),
            ("15 gru 2026", "pl"),
            ("15 grudnia 2026", "pl long"),
            ("15 dic 2026, 9:41", "with a time"),
        ] {
            assert_eq!(
                parse_date(text, None),
                ymd(2026, 12, 15),
                "{language}: {text}"
            );
        }
        for (text, month) in [
            ("15. Jän. 2026", 1),
            ("15 janv. 2026", 1),
            ("15 ene 2026", 1),
            ("15 gen 2026", 1),
            ("15 sty 2026", 1),
            ("15 févr. 2026", 2),
            ("15 de fev. de 2026", 2),
            ("15 lut 2026", 2),
            ("15. März 2026", 3),
            ("15 mrt 2026", 3),
            ("15 mars 2026", 3),
            ("15 kwi 2026", 4),
            ("15 mag 2026", 5),
            ("15 mei 2026", 5),
            ("15 maj 2026", 5),
            ("15 de mai. de 2026", 5),
            ("15 June 2026", 6),
            ("15 juin 2026", 6),
            ("15 giu 2026", 6),
            ("15 cze 2026", 6),
            ("15 juill. 2026", 7),
            ("15 lug 2026", 7),
            ("15 lip 2026", 7),
            ("15 août 2026", 8),
            ("15 ago 2026", 8),
            ("15 sie 2026", 8),
            ("15 Sept 2026", 9),
            ("15 set 2026", 9),
            ("15 wrz 2026", 9),
            ("15 de out. de 2026", 10),
            ("15 ott 2026", 10),
            ("15 paź 2026", 10),
            ("15 okt. 2026", 10),
            ("15 lis 2026", 11),
        ] {
            assert_eq!(parse_date(text, None), ymd(2026, month, 15), "{text}");
        }
    }

    #[test]
    fn a_month_name_needs_its_day_and_year() {
        for text in [
            "Dec 2026",
            "dic",
            "15 dic",
            "15 dic 26",
            "December",
            "32 dic 2026",
        ] {
            assert!(parse_date(text, None).is_err(), "{text}");
        }
        assert!(matches!(
            parse_date("31 de fev. de 2026", None),
            Err(ValueError::OutOfRange(_))
        ));
    }

    #[test]
    fn no_word_names_two_months() {
        let mut seen = std::collections::HashMap::new();
        for (language, months) in MONTH_NAMES {
            assert_eq!(months.split(';').count(), 12, "{language}");
            for (index, forms) in months.split(';').enumerate() {
                for word in forms.split('|') {
                    assert_eq!(word.to_lowercase(), word, "lower-cased: {word}");
                    assert!(
                        !word.is_empty() && !word.ends_with('.'),
                        "{language}: {word:?}"
                    );
                    if let Some(other) = seen.insert(word, index) {
                        assert_eq!(other, index, "{word} names two months");
                    }
                }
            }
        }
    }

    /// The English names that teach a page's order: CLDR's en names and abbreviations over the
    /// supported English locales, and no longer prefixes or other languages' names.
    #[test]
    fn english_month_names_are_cldrs() {
        for word in [
            "January", "jan", "Feb", "may", "June", "Jun", "July", "Sep", "Sept", "SEPT",
            "december",
        ] {
            assert!(is_month_name(word), "{word}");
        }
        for word in ["ja", "janu", "septem", "dic", "mai", "marching", "déc"] {
            assert!(!is_month_name(word), "{word}");
        }
    }

    #[test]
    fn ambiguous_dates_need_the_locale() {
        assert!(matches!(
            parse_date("03/04/2027", None),
            Err(ValueError::Ambiguous(_))
        ));
        assert_eq!(
            parse_date("03/04/2027", Some(DateOrder::MonthDayYear)),
            ymd(2027, 3, 4)
        );
        assert_eq!(
            parse_date("03/04/2027", Some(DateOrder::DayMonthYear)),
            ymd(2027, 4, 3)
        );
        assert_eq!(parse_date("04/04/2027", None), ymd(2027, 4, 4));
        assert!(parse_date("03/04/2027", Some(DateOrder::YearMonthDay)).is_err());
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(matches!(
            parse_date("02/30/2026", None),
            Err(ValueError::OutOfRange(_))
        ));
        assert!(parse_date("13/13/2026", None).is_err());
        assert!(parse_date("tomorrow", None).is_err());
        assert!(parse_date("12/2025", None).is_err());
        assert!(parse_date("", None).is_err());
    }

    #[test]
    fn other_dates_on_the_page_settle_the_order() {
        assert_eq!(
            date_order_evidence(["Created 3/14/2026, 9:02 AM", "4/2/2026"]),
            Some(DateOrder::MonthDayYear)
        );
        assert_eq!(
            date_order_evidence(["14/03/2026 09:02"]),
            Some(DateOrder::DayMonthYear)
        );
        assert_eq!(date_order_evidence(["3/4/2026"]), None);
        assert_eq!(date_order_evidence(["14/03/2026", "3/14/2026"]), None);
        assert_eq!(date_order_evidence(["31.12.2025"]), None);
    }

    #[test]
    fn month_names_settle_the_order() {
        assert_eq!(
            date_order_evidence(["Created by Jane Doe, Nov 4, 2026, 9:41 AM"]),
            Some(DateOrder::MonthDayYear)
        );
        assert_eq!(
            date_order_evidence(["Last modified 4 Nov 2026 09:41"]),
            Some(DateOrder::DayMonthYear)
        );
        assert_eq!(
            date_order_evidence(["Due 04-Sept-2026"]),
            Some(DateOrder::DayMonthYear)
        );
        // "14 Nov 12:30": the day is before the name; the time after it is no day.
        assert_eq!(
            date_order_evidence(["14 Nov 12:30"]),
            Some(DateOrder::DayMonthYear)
        );
        // A month with its year only, a word that merely starts like a month, or both orders.
        assert_eq!(date_order_evidence(["March 2027 forecast"]), None);
        assert_eq!(date_order_evidence(["Marching 12 bands"]), None);
        assert_eq!(date_order_evidence(["Nov 4, 2026", "4 Nov 2026"]), None);
        // A numeric date and a named one that disagree settle nothing.
        assert_eq!(date_order_evidence(["14/11/2026", "Nov 4, 2026"]), None);
    }
}
