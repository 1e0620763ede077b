//! Property tests: parsers never panic, values formatted the way each locale formats them read
//! back exactly, and the score keeps its documented invariants for any extraction.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{Datelike, Duration, NaiveDate};
use extension_core::extract::rules::Field;
use extension_core::extract::{Extraction, Fields, PathOutcome};
use extension_core::locale::{DateOrder, Locale};
use extension_core::page::recognize;
use extension_core::score::{score, stage_default_probability, Band, BASE};
use extension_core::value::{parse_amount, parse_date, parse_percent, Amount};
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

    #[test]
    fn number_like_strings_never_panic(text in "[-(]?[$€£¥￥₹A-Z]{0,3} ?[0-9.,' \u{00A0}\u{202F}’]{0,24} ?[€%A-Z)]{0,3}") {
        let _ = parse_amount(&text, None);
        let _ = parse_percent(&text, None);
        let _ = parse_date(&text, None);
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
    fn dates_round_trip_per_locale(days in 0i64..40_000, which in 0usize..LOCALE_FORMATS.len()) {
        let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(days);
        let format = &LOCALE_FORMATS[which];
        let text = format.date(date);
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
    fn analytics_records_only_allow_listed_keys_and_values(
        name in prop_oneof![Just("badge_viewed".to_string()), Just("analysis_refreshed".to_string()), "[a-z_]{1,20}"],
        properties in proptest::collection::btree_map(
            prop_oneof![Just("band".to_string()), Just("ui".to_string()), Just("cached".to_string()), "[a-zA-Z]{1,12}"],
            prop_oneof![Just(serde_json::json!("healthy")), Just(serde_json::json!(true)), any::<String>().prop_map(serde_json::Value::from), any::<i64>().prop_map(serde_json::Value::from)],
            0..4,
        ),
    ) {
        use extension_core::analytics::{validate, Queue};
        let mut queue = Queue::default();
        let at = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_milli_opt(12, 34, 56, 789).unwrap().and_utc();
        let recorded = queue.record(&name, properties.clone(), at, false).is_ok();
        prop_assert_eq!(recorded, validate(&name, &properties).is_ok());
        for event in &queue.waiting {
            prop_assert_eq!(event.at, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc(), "recorded at the hour only");
            let allowed_keys: &[&str] = match event.name.as_str() {
                "badge_viewed" => &["ui"],
                "analysis_refreshed" => &["trigger", "cached"],
                other => panic!("recorded an event off the allow-list: {other}"),
            };
            for (key, value) in &event.properties {
                prop_assert!(allowed_keys.contains(&key.as_str()), "key {}", key);
                prop_assert!(value.is_boolean() || value.as_str().is_some_and(|v| v.len() <= 16), "value {}", value);
            }
        }
        let mut opted_out = Queue::default();
        prop_assert!(opted_out.record(&name, properties, at, true).is_err());
        prop_assert!(opted_out.waiting.is_empty());
    }

    #[test]
    fn score_invariants_hold(extraction in arbitrary_extraction(), today_offset in 0i64..3000) {
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(today_offset);
        let result = score(&extraction, today);
        let fields = &extraction.fields;
        let closed = extraction.path_outcome.is_some()
            || fields.stage.as_deref().is_some_and(|s| extension_core::score::closed_outcome(s).is_some());
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

/// How one locale writes amounts, dates and percentages (salesforce-dom.md's table).
struct LocaleFormat {
    locale: &'static str,
    currency: &'static str,
    prefix: &'static str,
    suffix: &'static str,
    group: &'static str,
    decimal: &'static str,
    decimals: u32,
    indian_grouping: bool,
    date_order: DateOrder,
    date_separator: &'static str,
    percent_suffix: &'static str,
}

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
        date_order: DateOrder::MonthDayYear,
        date_separator: "/",
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
        date_order: DateOrder::DayMonthYear,
        date_separator: "/",
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
        date_order: DateOrder::DayMonthYear,
        date_separator: ".",
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
        date_order: DateOrder::DayMonthYear,
        date_separator: ".",
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
        date_order: DateOrder::DayMonthYear,
        date_separator: "/",
        percent_suffix: "\u{00A0}%",
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
        date_order: DateOrder::YearMonthDay,
        date_separator: "/",
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "nl-NL",
        currency: "EUR",
        prefix: "€ ",
        suffix: "",
        group: ".",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        date_order: DateOrder::DayMonthYear,
        date_separator: "-",
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
        date_order: DateOrder::YearMonthDay,
        date_separator: "-",
        percent_suffix: "%",
    },
    LocaleFormat {
        locale: "sv-SE",
        currency: "SEK",
        prefix: "",
        suffix: " kr",
        group: "\u{00A0}",
        decimal: ",",
        decimals: 2,
        indian_grouping: false,
        date_order: DateOrder::YearMonthDay,
        date_separator: "-",
        percent_suffix: "\u{00A0}%",
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
        date_order: DateOrder::DayMonthYear,
        date_separator: "/",
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
        let grouped = if self.indian_grouping {
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

    fn date(&self, date: NaiveDate) -> String {
        let (y, m, d) = (date.year(), date.month(), date.day());
        let s = self.date_separator;
        match self.date_order {
            DateOrder::MonthDayYear => format!("{m}{s}{d}{s}{y}"),
            DateOrder::DayMonthYear => format!("{d:02}{s}{m:02}{s}{y}"),
            DateOrder::YearMonthDay => format!("{y}{s}{m:02}{s}{d:02}"),
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
