//! Salesforce user locales: what they mean for dates, numbers and currency symbols.
//!
//! Formats on a record page follow the user's Salesforce *locale* (`de_DE`, `en_GB`...), which
//! is distinct from the UI language in `<html lang>`. The locale is either given (the CLI's
//! `--locale`) or inferred from the page (see [`crate::extract`]); this module only answers
//! questions about a locale once it is known. What the supported locales write (separators,
//! grouping, numeric date order, percent signs, month names) comes from CLDR, generated into
//! `locale/data.rs` by `tests/tools/locale_data.py` ([`Locale::formats`]); which currency a
//! symbol names in a locale from CLDR's tables too, generated into `value/currency_symbols.rs`
//! ([`crate::value::symbol_currency`]). Hand-written rules remain only for locales outside the
//! supported list.

pub(crate) mod data;

use data::LOCALE_FORMATS;
pub use data::SUPPORTED_LOCALES;

/// Order of day, month and year in a numeric date. Serialised as `monthDayYear`,
/// `dayMonthYear`, `yearMonthDay` (the names the extension stores and passes around).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DateOrder {
    /// `12/31/2025` (United States and a few others).
    MonthDayYear,
    /// `31/12/2025`, `31.12.2025`, `31-12-2025`.
    DayMonthYear,
    /// `2025/12/31`, `2025-12-31`.
    YearMonthDay,
}

impl DateOrder {
    /// The serialised name (`monthDayYear`...).
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::MonthDayYear => "monthDayYear",
            DateOrder::DayMonthYear => "dayMonthYear",
            DateOrder::YearMonthDay => "yearMonthDay",
        }
    }

    /// Reads a serialised name; anything else is `None`. (The content script's build has no
    /// generic deserialiser: this is how its bindings read a remembered order.)
    pub fn from_name(name: &str) -> Option<DateOrder> {
        [
            DateOrder::MonthDayYear,
            DateOrder::DayMonthYear,
            DateOrder::YearMonthDay,
        ]
        .into_iter()
        .find(|order| order.name() == name)
    }

    /// Whether a page can teach this order: only the two orders a day-and-month date can be
    /// read either way in (`03/04/2027`). Year-first dates are never ambiguous.
    pub fn is_learnable(self) -> bool {
        matches!(self, DateOrder::MonthDayYear | DateOrder::DayMonthYear)
    }
}

/// A user locale such as `en-US` or `de_CH` (language and optional region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    /// Lower-case ISO 639 language code.
    pub language: String,
    /// Upper-case ISO 3166 region code, when given.
    pub region: Option<String>,
}

/// How a supported locale writes numbers, percentages and numeric dates: CLDR's data, and
/// Salesforce's where `../shared/salesforce-dom.md` says it writes otherwise (the generator's
/// overrides). One entry per [`SUPPORTED_LOCALES`], generated into `locale/data.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocaleFormats {
    /// The locale, `de-DE`.
    pub tag: &'static str,
    /// The decimal separator.
    pub decimal: char,
    /// The group separator (NBSP U+00A0 and narrow NBSP U+202F as themselves).
    pub group: char,
    /// Digits in the group left of the decimal separator, then in each further group: `[3, 3]`,
    /// or `[3, 2]` for the Indian lakh grouping (`12,50,000`).
    pub grouping: [u8; 2],
    /// The field order of numeric dates.
    pub date_order: DateOrder,
    /// What joins a numeric date's fields (`/`, `.`, `-`, Korean `. `).
    pub date_separator: &'static str,
    /// What a percentage writes before its number (`%60` in some locales; none supported).
    pub percent_prefix: &'static str,
    /// What a percentage writes after its number (`%`, or NBSP and `%`).
    pub percent_suffix: &'static str,
}

// The fallback rules below answer for locales outside SUPPORTED_LOCALES only (`en-NZ`, `fr-BE`,
// a bare `de`): the supported ones are answered from the generated CLDR data
// (`Locale::formats`), which a unit test also holds these rules to. Untested beyond that, and
// approximate: over CLDR 47's 605 language-region locales they give another numeric date order
// for 101 (`es-US`, `en-BZ`: day first) and another decimal separator for 110 (`fr-CH`,
// `en-ZA`, `en-DE`: a comma). Adding a locale to the supported list
// (tests/tools/locale_data.py) makes CLDR answer for it; a table of every CLDR locale would
// cost the content script about 600 entries.

/// Regions whose numeric dates put the month first (fallback).
const MONTH_FIRST_REGIONS: &[&str] = &["US", "PH", "FM", "MH", "PW", "BZ"];
/// Regions whose numeric dates put the year first (fallback).
const YEAR_FIRST_REGIONS: &[&str] = &[
    "JP", "CN", "TW", "KR", "HU", "LT", "MN", "SE", "CA", "ZA", "IR", "BT",
];
/// Languages whose locales write the decimal separator as a comma, outside the exceptions below
/// (fallback).
const COMMA_DECIMAL_LANGUAGES: &[&str] = &[
    "de", "fr", "es", "it", "nl", "pt", "sv", "da", "fi", "nb", "no", "nn", "is", "ru", "uk", "pl",
    "cs", "sk", "sl", "hr", "sr", "bs", "bg", "ro", "hu", "tr", "el", "lt", "lv", "et", "ca", "eu",
    "gl", "id", "vi", "az", "kk", "be", "sq", "mk", "ka",
];
/// Regions that write the decimal point as `.` whatever the language (Switzerland, Mexico...;
/// fallback).
const POINT_DECIMAL_REGIONS: &[&str] = &[
    "CH", "LI", "MX", "US", "GB", "IE", "AU", "NZ", "PR", "GT", "DO", "HN", "NI", "PA", "SV", "PE",
];

impl Locale {
    /// Parses `xx`, `xx-YY` or `xx_YY` (case-insensitive); anything else is `None`.
    pub fn parse(text: &str) -> Option<Locale> {
        let mut parts = text.trim().split(['-', '_']);
        let language = parts.next()?.to_ascii_lowercase();
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return None;
        }
        let region = match parts.next() {
            None => None,
            Some(region)
                if region.len() == 2 && region.bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                Some(region.to_ascii_uppercase())
            }
            // Script subtags (`zh-Hant-TW`) come before the region.
            Some(script) if script.len() == 4 => parts
                .next()
                .filter(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
                .map(|r| r.to_ascii_uppercase()),
            Some(_) => return None,
        };
        Some(Locale { language, region })
    }

    fn region_is(&self, list: &[&str]) -> bool {
        self.region
            .as_deref()
            .is_some_and(|region| list.contains(&region))
    }

    /// The formats of a supported locale (CLDR's, generated), `None` for any other.
    pub fn formats(&self) -> Option<&'static LocaleFormats> {
        let region = self.region.as_deref()?;
        LOCALE_FORMATS
            .iter()
            .find(|formats| formats.tag.split_once('-') == Some((self.language.as_str(), region)))
    }

    /// The numeric date order this locale uses, when the region says it; `None` for a bare
    /// language, whose regions disagree (`en` is US or British).
    pub fn date_order(&self) -> Option<DateOrder> {
        match self.formats() {
            Some(formats) => Some(formats.date_order),
            None => self.fallback_date_order(),
        }
    }

    /// The date order of a locale outside the supported list, by its region.
    fn fallback_date_order(&self) -> Option<DateOrder> {
        let region = self.region.as_deref()?;
        Some(if MONTH_FIRST_REGIONS.contains(&region) {
            DateOrder::MonthDayYear
        } else if YEAR_FIRST_REGIONS.contains(&region) {
            DateOrder::YearMonthDay
        } else {
            DateOrder::DayMonthYear
        })
    }

    /// The decimal separator of numbers in this locale.
    pub fn decimal_separator(&self) -> char {
        match self.formats() {
            Some(formats) => formats.decimal,
            None => self.fallback_decimal_separator(),
        }
    }

    /// The decimal separator of a locale outside the supported list, by its language and
    /// region.
    fn fallback_decimal_separator(&self) -> char {
        if self.region_is(POINT_DECIMAL_REGIONS) {
            '.'
        } else if COMMA_DECIMAL_LANGUAGES.contains(&self.language.as_str()) {
            ','
        } else {
            '.'
        }
    }
}

/// Currencies with three minor digits, where `1.250` may be one and a quarter (CLDR's, and IQD:
/// see the generator).
pub(crate) use data::THREE_DECIMAL_CURRENCIES;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_language_and_region() {
        let locale = Locale::parse("de_CH").unwrap();
        assert_eq!(
            (locale.language.as_str(), locale.region.as_deref()),
            ("de", Some("CH"))
        );
        assert_eq!(
            Locale::parse("EN-us").unwrap().region.as_deref(),
            Some("US")
        );
        assert_eq!(
            Locale::parse("zh-Hant-TW").unwrap().region.as_deref(),
            Some("TW")
        );
        assert_eq!(Locale::parse("ja").unwrap().region, None);
        assert_eq!(Locale::parse(""), None);
        assert_eq!(Locale::parse("english"), None);
        assert_eq!(Locale::parse("en-USA"), None);
    }

    #[test]
    fn formats_follow_the_salesforce_table() {
        let order = |l: &str| Locale::parse(l).unwrap().date_order();
        assert_eq!(order("en-US"), Some(DateOrder::MonthDayYear));
        assert_eq!(order("en-GB"), Some(DateOrder::DayMonthYear));
        assert_eq!(order("de-DE"), Some(DateOrder::DayMonthYear));
        assert_eq!(order("ja-JP"), Some(DateOrder::YearMonthDay));
        assert_eq!(order("en-CA"), Some(DateOrder::YearMonthDay));
        assert_eq!(order("sv-SE"), Some(DateOrder::YearMonthDay));
        assert_eq!(order("nl-NL"), Some(DateOrder::DayMonthYear));
        assert_eq!(order("en"), None);
        let decimal = |l: &str| Locale::parse(l).unwrap().decimal_separator();
        assert_eq!(decimal("de-DE"), ',');
        assert_eq!(decimal("de-CH"), '.');
        assert_eq!(decimal("fr-FR"), ',');
        assert_eq!(decimal("en-IN"), '.');
        assert_eq!(decimal("ja-JP"), '.');
    }

    /// The locales issue 17 added, as CLDR's short dates and numbers write them.
    #[test]
    fn the_added_locales_follow_cldr() {
        let order = |l: &str| Locale::parse(l).unwrap().date_order();
        let decimal = |l: &str| Locale::parse(l).unwrap().decimal_separator();
        for (locale, date_order, decimal_separator) in [
            ("es-ES", DateOrder::DayMonthYear, ','), // 15/12/2026, 1.250.000,00 €
            ("it-IT", DateOrder::DayMonthYear, ','), // 15/12/2026
            ("pt-BR", DateOrder::DayMonthYear, ','), // 15/12/2026, R$ 1.250.000,00
            ("nl-NL", DateOrder::DayMonthYear, ','), // 15-12-2026
            ("sv-SE", DateOrder::YearMonthDay, ','), // 2026-12-15, 1 250 000,00 kr
            ("pl-PL", DateOrder::DayMonthYear, ','), // 15.12.2026, 1 250 000,00 zł
            ("zh-CN", DateOrder::YearMonthDay, '.'), // 2026/12/15
            ("ko-KR", DateOrder::YearMonthDay, '.'), // 2026. 12. 15.
            ("en-IN", DateOrder::DayMonthYear, '.'), // 15/12/2026, ₹12,50,000.00
            ("de-AT", DateOrder::DayMonthYear, ','), // 15.12.2026, € 1.250.000,00
            ("fr-CA", DateOrder::YearMonthDay, ','), // 2026-12-15, 1 250 000,00 $
            ("en-AU", DateOrder::DayMonthYear, '.'), // 15/12/2026, $1,250,000.00
        ] {
            assert_eq!(order(locale), Some(date_order), "{locale}");
            assert_eq!(decimal(locale), decimal_separator, "{locale}");
            assert!(SUPPORTED_LOCALES.contains(&locale), "{locale}");
        }
        for locale in SUPPORTED_LOCALES {
            assert!(
                Locale::parse(locale).unwrap().date_order().is_some(),
                "{locale}"
            );
        }
    }

    /// Every supported locale has its generated formats, and the hand-written fallback rules,
    /// which answer for the other locales, agree with them on the supported ones.
    #[test]
    fn the_fallback_rules_agree_with_cldr_on_the_supported_locales() {
        assert_eq!(LOCALE_FORMATS.len(), SUPPORTED_LOCALES.len());
        for tag in SUPPORTED_LOCALES {
            let locale = Locale::parse(tag).unwrap();
            let formats = locale.formats().expect("generated formats");
            assert_eq!(formats.tag, *tag);
            assert_eq!(
                locale.fallback_date_order(),
                Some(formats.date_order),
                "{tag}"
            );
            assert_eq!(
                locale.fallback_decimal_separator(),
                formats.decimal,
                "{tag}"
            );
        }
        assert_eq!(Locale::parse("en-NZ").unwrap().formats(), None);
        assert_eq!(Locale::parse("de").unwrap().formats(), None);
        assert_eq!(
            Locale::parse("en-NZ").unwrap().date_order(),
            Some(DateOrder::DayMonthYear)
        );
        assert_eq!(Locale::parse("de").unwrap().decimal_separator(), ',');
    }

    /// What the generated data says where Salesforce and CLDR meet the doc's table
    /// (`../shared/salesforce-dom.md`, "Values by locale").
    #[test]
    fn the_generated_formats_follow_the_salesforce_table() {
        let formats = |tag: &str| *Locale::parse(tag).unwrap().formats().unwrap();
        assert_eq!(formats("de-CH").group, '\'', "CHF 1'250'000.00");
        assert_eq!(formats("fr-FR").group, '\u{202F}', "narrow NBSP groups");
        assert_eq!(formats("de-DE").percent_suffix, "\u{A0}%", "60 % (NBSP)");
        assert_eq!(formats("de-CH").percent_suffix, "%");
        assert_eq!(formats("en-IN").grouping, [3, 2], "₹12,50,000.00");
        assert_eq!(formats("en-US").grouping, [3, 3]);
        assert_eq!(formats("nl-NL").date_separator, "-", "31-12-2025");
        assert_eq!(formats("ko-KR").date_separator, ". ", "2025. 12. 31.");
        assert_eq!(formats("ja-JP").date_order, DateOrder::YearMonthDay);
    }
}
