//! Property tests: parsers never panic, values formatted the way each locale formats them read
//! back exactly, and the score keeps its documented invariants for any extraction.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{Datelike, Duration, NaiveDate};
use deal_health::extract::rules::Field;
use deal_health::extract::{Extraction, Fields, PathOutcome};
use deal_health::locale::{DateOrder, Locale, SUPPORTED_LOCALES};
use deal_health::page::recognize;
use deal_health::score::{score, stage_default_probability, Band, BASE};
use deal_health::value::{parse_amount, parse_date, parse_percent, Amount};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_string_makes_a_parser_panic(text in any::<String>(), locale in "[a-z]{2}(-[A-Z]{2})?") {
        let locale = Locale::parse(&locale);
        let _ = parse_amount(&text, locale.as_ref());
        let _ = parse_percent(&text, locale.as_ref());
        let _ = parse_date(&text, Some(DateOrder::MonthDayYear));
        let _ = parse_date(&text, None);
        let _ = recognize(&text);
        let _ = Locale::parse(&text);
    }

    // A row's copy comes from the page (`Dom::item_copy`): whatever it says, reading it never
    // panics, and a value or text escaped as the browser escapes it reads back exactly.
    #[test]
    fn a_serialised_row_never_panics_and_reads_back_its_values(
        noise in any::<String>(),
        value in any::<String>(),
        text in any::<String>(),
    ) {
        use deal_health::dom::snapshot::Snapshot;
        use deal_health::dom::{Child, Dom};
        const NAMES: &[&str] = &["class", "data-label"];
        let _ = Snapshot::parse_html(&noise, NAMES);
        let _ = Snapshot::parse_html(&format!("0{noise}"), NAMES);
        let _ = Snapshot::parse_html(&format!("0<tr class=\"{noise}\">{noise}</tr>"), NAMES);
        let escape = |raw: &str, attribute: bool| {
            let mut out = String::new();
            for c in raw.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '\u{a0}' => out.push_str("&nbsp;"),
                    '"' if attribute => out.push_str("&quot;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    c => out.push(c),
                }
            }
            out
        };
        let html = format!(
            "0<tr data-label=\"{}\"><td>{}</td></tr>",
            escape(&value, true),
            escape(&text, false)
        );
        let copy = Snapshot::parse_html(&html, NAMES).expect("a well-formed serialisation");
        prop_assert_eq!(copy.attribute(&copy.root(), "data-label"), Some(value));
        let cell = copy.query_tree(&copy.root(), "td")[0];
        let read: String = copy
            .children(&cell)
            .into_iter()
            .map(|child| match child {
                Child::Text(text) => text,
                Child::Node(_) => String::new(),
            })
            .collect();
        prop_assert_eq!(read, text);
    }

    #[test]
    fn no_string_makes_a_parser_panic_in_a_supported_locale(text in any::<String>(), which in 0usize..SUPPORTED_LOCALES.len()) {
        let locale = Locale::parse(SUPPORTED_LOCALES[which]).expect("a supported locale parses");
        let _ = parse_amount(&text, Some(&locale));
        let _ = parse_percent(&text, Some(&locale));
        let _ = parse_date(&text, locale.date_order());
    }

    #[test]
    fn number_like_strings_never_panic(text in "[-(]?[$€£¥￥₹A-Z]{0,3} ?[0-9.,' \u{00A0}\u{202F}’]{0,24} ?[€%A-Z)]{0,3}") {
        let _ = parse_amount(&text, None);
        let _ = parse_percent(&text, None);
        let _ = parse_date(&text, None);
    }

    #[test]
    fn date_like_strings_never_panic(text in "[0-9]{0,4}[ .,/-]{0,2}(de |del )?(dic|gru|Jän|paź|mars|sept|Dec)?[.]?[ ,/-]{0,2}[0-9년월일年月日 .]{0,9}") {
        let _ = parse_date(&text, None);
        let _ = parse_date(&text, Some(DateOrder::DayMonthYear));
    }

    #[test]
    fn urls_near_salesforce_never_panic(path in "[/a-zA-Z0-9#?=%._-]{0,80}") {
        let _ = recognize(&format!("https://acme.lightning.force.com{path}"));
        let _ = recognize(&format!("https://acme.my.salesforce.com{path}"));
    }

    #[test]
    fn amounts_round_trip_per_locale(cents in 0u64..100_000_000_000_000, which in 0usize..LOCALE_FORMATS.len()) {
        let format = &LOCALE_FORMATS[which];
        let (text, expected_value) = format.amount(cents);
        let locale = Locale::parse(format.locale).unwrap();
        let parsed = parse_amount(&text, Some(&locale));
        prop_assert_eq!(parsed, Ok(Amount { value: expected_value, currency: Some(format.currency.to_string()) }), "{}", text);
    }

    #[test]
    fn dates_round_trip_per_locale(days in 0i64..40_000, which in 0usize..LOCALE_FORMATS.len(), style in 0usize..12) {
        let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(days);
        let format = &LOCALE_FORMATS[which];
        let text = format.date(date, style);
        let locale = Locale::parse(format.locale).unwrap();
        prop_assert_eq!(parse_date(&text, locale.date_order()), Ok(date), "{}", text);
    }

    #[test]
    fn percentages_round_trip(value in 0u8..=100, which in 0usize..LOCALE_FORMATS.len()) {
        let format = &LOCALE_FORMATS[which];
        let locale = Locale::parse(format.locale).unwrap();
        prop_assert_eq!(parse_percent(&format.percent(value), Some(&locale)), Ok(value));
    }

    #[test]
    fn score_invariants_hold(extraction in arbitrary_extraction(), today_offset in 0i64..3000) {
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(today_offset);
        let result = score(&extraction, today);
        let fields = &extraction.fields;
        let closed = extraction.path_outcome.is_some()
            || fields.stage.as_deref().is_some_and(|s| deal_health::score::closed_outcome(s).is_some());
        for reason in &result.reasons {
            prop_assert!(!reason.code.is_empty() && !reason.text.english().is_empty());
        }
        if closed {
            prop_assert!(matches!(result.band, Band::Won | Band::Lost));
            prop_assert_eq!(result.value, None);
        } else if fields.stage.is_none() && fields.close_date.is_none() {
            prop_assert_eq!(result.band, Band::Unknown);
            prop_assert_eq!(result.value, None);
        } else {
            let value = result.value.expect("open deals with data have a value");
            let sum: i32 = result.reasons.iter().map(|r| r.points).sum();
            prop_assert_eq!(i32::from(value), (BASE + sum).clamp(0, 100));
            let band = if value >= 70 { Band::Healthy } else if value >= 40 { Band::AtRisk } else { Band::Critical };
            prop_assert_eq!(result.band, band);
            if fields.close_date.is_some_and(|d| d < today) {
                prop_assert_eq!(result.band, Band::Critical, "an open deal past its close date is critical");
            }
            if fields.next_step.is_none() && extraction.found.contains(&Field::NextStep) {
                prop_assert!(result.reasons.iter().any(|r| r.code == "next_step_missing" && r.points < 0));
            }
            if let (Some(probability), Some(default)) =
                (fields.probability, fields.stage.as_deref().and_then(stage_default_probability))
            {
                let costs = result.reasons.iter().any(|r| r.code == "probability_stage_mismatch" && r.points < 0);
                prop_assert_eq!(costs, probability.abs_diff(default) >= 30);
            }
        }
        prop_assert_eq!(score(&extraction, today), result, "deterministic for a given date");
    }
}

/// Every supported locale has its formats above. (The CLDR generators, `locale_data.py` and
/// `currency_symbols.py`, work from the one list `SUPPORTED_LOCALES` is generated from.)
#[test]
fn every_supported_locale_has_its_formats() {
    let formats: Vec<&str> = LOCALE_FORMATS.iter().map(|format| format.locale).collect();
    assert_eq!(
        formats, SUPPORTED_LOCALES,
        "one format per supported locale, in order"
    );
}

/// The formats above are written by hand, so that the parsers are checked against the locales
/// and not against the data they read; here they are held to the generated CLDR data
/// (`Locale::formats`, with Salesforce's overrides), so that neither drifts: separators,
/// grouping, percent sign, and the first numeric date style's order and separator.
#[test]
fn the_formats_above_are_cldrs() {
    for format in LOCALE_FORMATS {
        let cldr = Locale::parse(format.locale)
            .unwrap()
            .formats()
            .unwrap_or_else(|| panic!("{}: no generated formats", format.locale));
        let locale = format.locale;
        assert_eq!(format.decimal, cldr.decimal.to_string(), "{locale} decimal");
        assert_eq!(format.group, cldr.group.to_string(), "{locale} group");
        assert_eq!(
            format.indian_grouping,
            cldr.grouping == [3, 2],
            "{locale} grouping"
        );
        assert_eq!(
            (cldr.percent_prefix, cldr.percent_suffix),
            ("", format.percent_suffix),
            "{locale} percent"
        );
        let (order, separator) = match &format.dates[0] {
            Numeric {
                order, separator, ..
            } => (*order, *separator),
            KoreanDots => (DateOrder::YearMonthDay, ". "),
            _ => panic!("{locale}: its first date style is not numeric"),
        };
        assert_eq!(
            (order, separator),
            (cldr.date_order, cldr.date_separator),
            "{locale} numeric date"
        );
    }
}

/// Every date style of every locale reads back on a fixed day whose day and month could be
/// swapped (3 April), with the locale's order (the round trip above draws them at random).
#[test]
fn every_date_style_reads_a_swappable_day() {
    let date = NaiveDate::from_ymd_opt(2027, 4, 3).unwrap();
    for format in LOCALE_FORMATS {
        let locale = Locale::parse(format.locale).unwrap();
        for style in 0..format.dates.len() {
            let text = format.date(date, style);
            assert_eq!(
                parse_date(&text, locale.date_order()),
                Ok(date),
                "{}: {text}",
                format.locale
            );
        }
    }
}

/// How one locale writes amounts, dates and percentages: salesforce-dom.md's table, and for
/// the locales issue 17 added CLDR's forms (what Salesforce's ICU locale formats and the base
/// components such as `lightning-formatted-number` / `-date-time` write), written out here by
/// hand so that the parsers are checked against the locales, not against themselves.
struct LocaleFormat {
    locale: &'static str,
    currency: &'static str,
    prefix: &'static str,
    suffix: &'static str,
    group: &'static str,
    decimal: &'static str,
    decimals: u32,
    indian_grouping: bool,
    /// Four-digit integers written without a group separator (CLDR's minimum grouping
    /// digits of 2: es, it, pl write `1250,00 €` but `12.500,00 €`).
    min_grouping_two: bool,
    /// Every way the locale writes a date on a record page.
    dates: &'static [DateStyle],
    percent_suffix: &'static str,
}

/// One way of writing a date.
enum DateStyle {
    /// Numbers in `order` joined by `separator`; `padded` writes day and month with two digits.
    Numeric {
        order: DateOrder,
        separator: &'static str,
        padded: bool,
    },
    /// Korean short dates: `2026. 12. 5.`
    KoreanDots,
    /// Chinese and Japanese: `2026年12月5日`.
    Han,
    /// Korean medium and long dates: `2026년 12월 5일`.
    Hangul,
    /// A medium date naming its month: `pattern` with `{d}`, `{m}` and `{y}`, `months` the
    /// locale's abbreviations (or names).
    Named {
        pattern: &'static str,
        months: &'static [&'static str; 12],
    },
}

use DateStyle::{Han, Hangul, KoreanDots, Named, Numeric};

const DAY_FIRST_SLASH: DateStyle = Numeric {
    order: DateOrder::DayMonthYear,
    separator: "/",
    padded: true,
};
const DAY_FIRST_SLASH_UNPADDED: DateStyle = Numeric {
    order: DateOrder::DayMonthYear,
    separator: "/",
    padded: false,
};
const DAY_FIRST_DOTS: DateStyle = Numeric {
    order: DateOrder::DayMonthYear,
    separator: ".",
    padded: true,
};
const DAY_FIRST_DOTS_UNPADDED: DateStyle = Numeric {
    order: DateOrder::DayMonthYear,
    separator: ".",
    padded: false,
};
const ISO: DateStyle = Numeric {
    order: DateOrder::YearMonthDay,
    separator: "-",
    padded: true,
};

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const EN_AU_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
];
const DE_MONTHS: [&str; 12] = [
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
];
const DE_AT_MONTHS: [&str; 12] = [
    "Jän.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez.",
];
const FR_MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const FR_CA_MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juill.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const ES_MONTHS: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];
const ES_LONG_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const IT_MONTHS: [&str; 12] = [
    "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
];
const PT_MONTHS: [&str; 12] = [
    "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez.",
];
const NL_MONTHS: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];
const SV_MONTHS: [&str; 12] = [
    "jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec.",
];
const PL_MONTHS: [&str; 12] = [
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
];
const PL_GENITIVE_MONTHS: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

const LOCALE_FORMATS: &[LocaleFormat] = &[
    LocaleFormat {
        locale: "en-US",
        currency: "USD",
        prefix: "$",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            Numeric {
                order: DateOrder::MonthDayYear,
                separator: "/",
                padded: false,
            },
            Named {
                pattern: "{m} {d}, {y}",
                months: &EN_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "en-GB",
        currency: "GBP",
        prefix: "£",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            DAY_FIRST_SLASH,
            Named {
                pattern: "{d} {m} {y}",
                months: &EN_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "en-CA",
        currency: "CAD",
        prefix: "$",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            ISO,
            Named {
                pattern: "{m} {d}, {y}",
                months: &EN_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "en-AU",
        currency: "AUD",
        prefix: "$",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            DAY_FIRST_SLASH,
            Named {
                pattern: "{d} {m} {y}",
                months: &EN_AU_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "en-IN",
        currency: "INR",
        prefix: "₹",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 2,
        indian_grouping: true,
        min_grouping_two: false,
        dates: &[
            DAY_FIRST_SLASH,
            DAY_FIRST_SLASH_UNPADDED,
            Named {
                pattern: "{d} {m} {y}",
                months: &EN_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "de-DE",
        currency: "EUR",
        prefix: "",
        suffix: "\u{00A0}€",
        group: ".",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            DAY_FIRST_DOTS,
            Named {
                pattern: "{d}. {m} {y}",
                months: &DE_MONTHS,
            },
        ],
        percent_suffix: "\u{00A0}%",
    },
    LocaleFormat {
        locale: "de-AT",
        currency: "EUR",
        prefix: "€\u{00A0}",
        suffix: "",
        group: ".",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            DAY_FIRST_DOTS,
            DAY_FIRST_DOTS_UNPADDED,
            Named {
                pattern: "{d}. {m} {y}",
                months: &DE_AT_MONTHS,
            },
        ],
        percent_suffix: "\u{00A0}%",
    },
    LocaleFormat {
        locale: "de-CH",
        currency: "CHF",
        prefix: "CHF ",
        suffix: "",
        group: "'",
        decimal: ".",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[DAY_FIRST_DOTS],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "fr-FR",
        currency: "EUR",
        prefix: "",
        suffix: "\u{00A0}€",
        group: "\u{202F}",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            DAY_FIRST_SLASH,
            Named {
                pattern: "{d} {m} {y}",
                months: &FR_MONTHS,
            },
        ],
        percent_suffix: "\u{00A0}%",
    },
    LocaleFormat {
        locale: "fr-CA",
        currency: "CAD",
        prefix: "",
        suffix: "\u{00A0}$",
        group: "\u{00A0}",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            ISO,
            Named {
                pattern: "{d} {m} {y}",
                months: &FR_CA_MONTHS,
            },
        ],
        percent_suffix: "\u{00A0}%",
    },
    LocaleFormat {
        locale: "es-ES",
        currency: "EUR",
        prefix: "",
        suffix: "\u{00A0}€",
        group: ".",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: true,
        dates: &[
            DAY_FIRST_SLASH,
            DAY_FIRST_SLASH_UNPADDED,
            Named {
                pattern: "{d} {m} {y}",
                months: &ES_MONTHS,
            },
            Named {
                pattern: "{d} de {m}. de {y}",
                months: &ES_MONTHS,
            },
            Named {
                pattern: "{d} de {m} de {y}",
                months: &ES_LONG_MONTHS,
            },
        ],
        percent_suffix: "\u{00A0}%",
    },
    LocaleFormat {
        locale: "it-IT",
        currency: "EUR",
        prefix: "",
        suffix: "\u{00A0}€",
        group: ".",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: true,
        dates: &[
            DAY_FIRST_SLASH,
            Named {
                pattern: "{d} {m} {y}",
                months: &IT_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "pt-BR",
        currency: "BRL",
        prefix: "R$\u{00A0}",
        suffix: "",
        group: ".",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            DAY_FIRST_SLASH,
            Named {
                pattern: "{d} de {m} de {y}",
                months: &PT_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "nl-NL",
        currency: "EUR",
        prefix: "€\u{00A0}",
        suffix: "",
        group: ".",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            Numeric {
                order: DateOrder::DayMonthYear,
                separator: "-",
                padded: true,
            },
            Numeric {
                order: DateOrder::DayMonthYear,
                separator: "-",
                padded: false,
            },
            Named {
                pattern: "{d} {m} {y}",
                months: &NL_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "sv-SE",
        currency: "SEK",
        prefix: "",
        suffix: "\u{00A0}kr",
        group: "\u{00A0}",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            ISO,
            Named {
                pattern: "{d} {m} {y}",
                months: &SV_MONTHS,
            },
        ],
        percent_suffix: "\u{00A0}%",
    },
    LocaleFormat {
        locale: "pl-PL",
        currency: "PLN",
        prefix: "",
        suffix: "\u{00A0}zł",
        group: "\u{00A0}",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: true,
        dates: &[
            DAY_FIRST_DOTS,
            DAY_FIRST_DOTS_UNPADDED,
            Named {
                pattern: "{d} {m} {y}",
                months: &PL_MONTHS,
            },
            Named {
                pattern: "{d} {m} {y}",
                months: &PL_GENITIVE_MONTHS,
            },
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "ja-JP",
        currency: "JPY",
        prefix: "￥",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 0,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            Numeric {
                order: DateOrder::YearMonthDay,
                separator: "/",
                padded: true,
            },
            Han,
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "zh-CN",
        currency: "CNY",
        prefix: "¥",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 2,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[
            Numeric {
                order: DateOrder::YearMonthDay,
                separator: "/",
                padded: true,
            },
            Numeric {
                order: DateOrder::YearMonthDay,
                separator: "/",
                padded: false,
            },
            Numeric {
                order: DateOrder::YearMonthDay,
                separator: "-",
                padded: true,
            },
            Han,
        ],
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "ko-KR",
        currency: "KRW",
        prefix: "₩",
        suffix: "",
        group: ",",
        decimal: ".",
        decimals: 0,
        indian_grouping: false,
        min_grouping_two: false,
        dates: &[KoreanDots, Hangul],
        percent_suffix: "%",
    },
];

impl LocaleFormat {
    /// Formats `cents` (hundredths) as this locale shows an amount; returns the text and the value it stands for.
    fn amount(&self, cents: u64) -> (String, f64) {
        let (integer, fraction) = if self.decimals == 0 {
            (cents / 100, None)
        } else {
            (cents / 100, Some(cents % 100))
        };
        let digits = integer.to_string();
        let grouped = if self.min_grouping_two && digits.len() == 4 {
            digits.clone()
        } else if self.indian_grouping {
            group_indian(&digits, self.group)
        } else {
            group_thousands(&digits, self.group)
        };
        let number = match fraction {
            Some(fraction) => format!("{grouped}{}{fraction:02}", self.decimal),
            None => grouped,
        };
        let value = match fraction {
            Some(_) => format!("{integer}.{:02}", cents % 100).parse().unwrap(),
            None => integer as f64,
        };
        (format!("{}{number}{}", self.prefix, self.suffix), value)
    }

    /// The date in the locale's `style`-th way of writing dates (wrapping around).
    fn date(&self, date: NaiveDate, style: usize) -> String {
        let (y, m, d) = (date.year(), date.month(), date.day());
        match &self.dates[style % self.dates.len()] {
            Numeric {
                order,
                separator: s,
                padded: true,
            } => match order {
                DateOrder::MonthDayYear => format!("{m:02}{s}{d:02}{s}{y}"),
                DateOrder::DayMonthYear => format!("{d:02}{s}{m:02}{s}{y}"),
                DateOrder::YearMonthDay => format!("{y}{s}{m:02}{s}{d:02}"),
            },
            Numeric {
                order,
                separator: s,
                padded: false,
            } => match order {
                DateOrder::MonthDayYear => format!("{m}{s}{d}{s}{y}"),
                DateOrder::DayMonthYear => format!("{d}{s}{m}{s}{y}"),
                DateOrder::YearMonthDay => format!("{y}{s}{m}{s}{d}"),
            },
            KoreanDots => format!("{y}. {m}. {d}."),
            Han => format!("{y}年{m}月{d}日"),
            Hangul => format!("{y}년 {m}월 {d}일"),
            Named { pattern, months } => pattern
                .replace("{d}", &d.to_string())
                .replace("{m}", months[m as usize - 1])
                .replace("{y}", &y.to_string()),
        }
    }

    fn percent(&self, value: u8) -> String {
        format!("{value}{}", self.percent_suffix)
    }
}

fn group_thousands(digits: &str, separator: &str) -> String {
    let mut out = String::new();
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

fn group_indian(digits: &str, separator: &str) -> String {
    if digits.len() <= 3 {
        return digits.to_string();
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut out = String::new();
    for (index, c) in head.chars().enumerate() {
        if index > 0 && (head.len() - index) % 2 == 0 {
            out.push_str(separator);
        }
        out.push(c);
    }
    format!("{out}{separator}{last3}")
}

fn arbitrary_extraction() -> impl Strategy<Value = Extraction> {
    let stage = prop_oneof![
        Just(None),
        Just(Some("Prospecting".to_string())),
        Just(Some("Needs Analysis".to_string())),
        Just(Some("Negotiation/Review".to_string())),
        Just(Some("Closed Won".to_string())),
        Just(Some("Closed Lost".to_string())),
        "[A-Za-z /]{1,20}".prop_map(Some),
    ];
    let date = proptest::option::of(
        (0i64..3500).prop_map(|d| NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + Duration::days(d)),
    );
    let amount = proptest::option::of((-1000.0f64..10_000_000.0).prop_map(|value| Amount {
        value,
        currency: None,
    }));
    let outcome = prop_oneof![4 => Just(None), 1 => Just(Some(PathOutcome::Won)), 1 => Just(Some(PathOutcome::Lost))];
    (
        stage,
        date,
        proptest::option::of(0u8..=100),
        proptest::option::of("[a-z ]{1,30}"),
        amount,
        proptest::collection::vec(
            prop_oneof![
                Just(Field::NextStep),
                Just(Field::CloseDate),
                Just(Field::Probability)
            ],
            0..3,
        ),
        outcome,
        proptest::option::of(0.0f64..=1.0),
    )
        .prop_map(
            |(
                stage,
                close_date,
                probability,
                next_step,
                amount,
                found,
                path_outcome,
                path_progress,
            )| Extraction {
                fields: Fields {
                    name: None,
                    amount,
                    stage,
                    close_date,
                    probability,
                    owner: None,
                    next_step,
                },
                found,
                path_outcome,
                path_progress,
                date_order: None,
                warnings: Vec::new(),
            },
        )
}
