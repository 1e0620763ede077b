//! Currency amounts: `$1,250,000.00`, `1.250.000,00 €`, `CHF 1'250'000.00`,
//! `EUR 100,000.00 (USD 108,000.00)`, `￥1,250,000`, `₹12,50,000.00`.

use serde::Serialize;

use super::currency_symbols::SYMBOLS;
use super::number::{normalize_spaces, parse_unsigned, ThreeDigitTail};
use super::ValueError;
use crate::locale::{Locale, THREE_DECIMAL_CURRENCIES};

/// An amount and the ISO 4217 code of its currency, when the page settles it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amount {
    /// The amount in the record's currency.
    pub value: f64,
    /// ISO 4217 code, or `None` when only an ambiguous symbol (`$` without a locale) was shown.
    pub currency: Option<String>,
}

/// Where a currency marker came from.
enum Marker {
    Iso(String),
    Symbol(&'static str),
}

/// Reads a displayed amount. In multi-currency orgs the record's own amount comes first and the
/// user's currency may follow in parentheses: the parenthetical is ignored.
pub fn parse_amount(raw: &str, locale: Option<&Locale>) -> Result<Amount, ValueError> {
    read_amount(raw, locale).map(|reading| reading.amount)
}

/// An amount as read, with what its text left open about the currency.
#[derive(Debug, Clone, PartialEq)]
pub struct AmountReading {
    /// The amount (`currency` is `None` when the text does not settle it).
    pub amount: Amount,
    /// The currency symbol shown, when the locale leaves open which currency it stands for
    /// (`$` with no region, `¥` with none, `£` with no locale at all).
    pub open_symbol: Option<&'static str>,
}

/// [`parse_amount`], also saying whether a symbol was shown that the locale leaves open.
pub fn read_amount(raw: &str, locale: Option<&Locale>) -> Result<AmountReading, ValueError> {
    let text = normalize_spaces(&fold_full_width(raw));
    let mut text = text.as_str();
    let mut negative = false;
    if text.starts_with('(') && text.ends_with(')') && !text[1..].contains('(') {
        // Accounting style: `($5,000.00)`.
        negative = true;
        text = text[1..text.len() - 1].trim();
    } else if let Some(index) = text.find('(') {
        text = text[..index].trim();
    }
    if text.is_empty() {
        return Err(ValueError::Unparseable("no amount"));
    }

    let (marker, number_text, marker_sign) = split_currency_marker(text);
    negative |= marker_sign;
    let mut number_text = number_text.trim();
    for minus in ['-', '−', '\u{2012}', '\u{2013}'] {
        if let Some(rest) = number_text.strip_prefix(minus) {
            negative = true;
            number_text = rest.trim_start();
        } else if let Some(rest) = number_text.strip_suffix(minus) {
            negative = true;
            number_text = rest.trim_end();
        }
    }
    if number_text.is_empty() || !number_text.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(ValueError::Unparseable("no digits in the amount"));
    }

    let mut open_symbol = None;
    let currency = match &marker {
        Some(Marker::Iso(code)) => Some(code.clone()),
        Some(Marker::Symbol(symbol)) => {
            let currency = symbol_currency(symbol, locale);
            if currency.is_none() {
                open_symbol = Some(*symbol);
            }
            currency.map(str::to_string)
        }
        None => None,
    };
    let three_decimal = currency
        .as_deref()
        .is_some_and(|c| THREE_DECIMAL_CURRENCIES.contains(&c));
    // Salesforce shows an amount with its currency's minor digits (two, or none for yen), so a
    // lone separator before three digits is grouping, except for three-decimal currencies.
    let tail = if !three_decimal && currency.is_some() {
        ThreeDigitTail::Grouping
    } else if let Some(locale) = locale {
        ThreeDigitTail::DecimalIs(locale.decimal_separator())
    } else if three_decimal {
        ThreeDigitTail::Undecided
    } else {
        ThreeDigitTail::Grouping
    };
    let magnitude = parse_unsigned(number_text, tail)?;
    Ok(AmountReading {
        amount: Amount {
            value: if negative { -magnitude } else { magnitude },
            currency,
        },
        open_symbol,
    })
}

/// Full-width forms as their ordinary ones (`￥` is `¥`, `１` is `1`): Unicode's compatibility
/// folding for the two blocks a formatted amount can use, as the generated symbol table is
/// folded.
fn fold_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FFE0}' => '¢',
            '\u{FFE1}' => '£',
            '\u{FFE5}' => '¥',
            '\u{FFE6}' => '₩',
            other => other,
        })
        .collect()
}

/// The currency a symbol stands for on a page in `locale`, from CLDR's tables
/// (`currency_symbols.rs`): the locale's own entry, else its language's, else what every
/// locale agrees on. `None` when the first scope that knows the symbol leaves it open.
pub fn symbol_currency(symbol: &str, locale: Option<&Locale>) -> Option<&'static str> {
    let mut scopes: Vec<String> = Vec::with_capacity(3);
    if let Some(locale) = locale {
        if let Some(region) = &locale.region {
            scopes.push(format!("{}-{}", locale.language, region));
        }
        scopes.push(locale.language.clone());
    }
    scopes.push(String::new());
    scopes.iter().find_map(|scope| {
        SYMBOLS
            .iter()
            .filter(|(name, _)| name == scope)
            .find_map(|(_, entries)| scope_entry(entries, symbol))
            .map(|code| (!code.is_empty()).then_some(code))
    })?
}

/// The code listed for `symbol` in one scope's `symbol=CODE|...` entries (`""`: left open).
fn scope_entry(entries: &'static str, symbol: &str) -> Option<&'static str> {
    entries.split('|').find_map(|entry| {
        let (shown, code) = entry.split_once('=')?;
        (shown == symbol).then_some(code)
    })
}

/// Splits a leading or trailing currency marker off the text. Returns the marker, the rest,
/// and whether a minus sign sat before the marker (`-$5.00`).
fn split_currency_marker(text: &str) -> (Option<Marker>, &str, bool) {
    let (leading_minus, body) = match text.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    if let Some((code, rest)) = iso_prefix(body) {
        return (Some(Marker::Iso(code)), rest, leading_minus);
    }
    if let Some((symbol, rest)) = symbol_prefix(body) {
        return (Some(Marker::Symbol(symbol)), rest, leading_minus);
    }
    if let Some((code, rest)) = iso_suffix(text) {
        return (Some(Marker::Iso(code)), rest, false);
    }
    if let Some((symbol, rest)) = symbol_suffix(text) {
        return (Some(Marker::Symbol(symbol)), rest, false);
    }
    (None, text, false)
}

/// Every symbol CLDR gives any locale (the any-locale scope lists them all), in the table's
/// order: split once, since every amount read (fifty in a list) asks twice.
fn all_symbols() -> impl Iterator<Item = &'static str> {
    static ALL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        SYMBOLS
            .iter()
            .filter(|(scope, _)| scope.is_empty())
            .flat_map(|(_, entries)| entries.split('|'))
            .filter_map(|entry| entry.split_once('=').map(|(symbol, _)| symbol))
            .filter(|symbol| !symbol.is_empty())
            .collect()
    })
    .iter()
    .copied()
}

fn is_iso_code(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
}

fn iso_prefix(text: &str) -> Option<(String, &str)> {
    let code = text.get(..3)?;
    let rest = &text[3..];
    (is_iso_code(code) && rest.starts_with(|c: char| c == ' ' || c.is_ascii_digit() || c == '-'))
        .then(|| (code.to_string(), rest))
}

fn iso_suffix(text: &str) -> Option<(String, &str)> {
    let split = text.len().checked_sub(3)?;
    let code = text.get(split..)?;
    let rest = &text[..split];
    (is_iso_code(code) && rest.ends_with(|c: char| c == ' ' || c.is_ascii_digit()))
        .then(|| (code.to_string(), rest))
}

/// The longest known symbol at the start (so `US$` wins over `$`).
fn symbol_prefix(text: &str) -> Option<(&'static str, &str)> {
    all_symbols()
        .filter(|symbol| text.starts_with(symbol))
        .max_by_key(|symbol| symbol.len())
        .map(|symbol| (symbol, &text[symbol.len()..]))
        .filter(|(symbol, rest)| {
            !symbol.chars().all(|c| c.is_alphabetic()) || !rest.starts_with(char::is_alphabetic)
        })
}

fn symbol_suffix(text: &str) -> Option<(&'static str, &str)> {
    all_symbols()
        .filter(|symbol| text.ends_with(symbol))
        .max_by_key(|symbol| symbol.len())
        .map(|symbol| (symbol, &text[..text.len() - symbol.len()]))
        .filter(|(symbol, rest)| {
            !symbol.chars().all(|c| c.is_alphabetic()) || !rest.ends_with(char::is_alphabetic)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(raw: &str, locale: Option<&str>) -> Result<(f64, Option<String>), ValueError> {
        let locale = locale.and_then(Locale::parse);
        parse_amount(raw, locale.as_ref()).map(|a| (a.value, a.currency))
    }

    fn ok(value: f64, currency: Option<&str>) -> Result<(f64, Option<String>), ValueError> {
        Ok((value, currency.map(str::to_string)))
    }

    #[test]
    fn reads_the_salesforce_locale_table() {
        assert_eq!(
            amount("$1,250,000.00", Some("en-US")),
            ok(1_250_000.0, Some("USD"))
        );
        assert_eq!(
            amount("£1,250,000.00", Some("en-GB")),
            ok(1_250_000.0, Some("GBP"))
        );
        assert_eq!(
            amount("1.250.000,00\u{00A0}€", Some("de-DE")),
            ok(1_250_000.0, Some("EUR"))
        );
        assert_eq!(
            amount("CHF 1'250'000.00", Some("de-CH")),
            ok(1_250_000.0, Some("CHF"))
        );
        assert_eq!(
            amount("CHF 1’250’000.00", Some("de-CH")),
            ok(1_250_000.0, Some("CHF"))
        );
        assert_eq!(
            amount("1\u{202F}250\u{202F}000,00\u{00A0}€", Some("fr-FR")),
            ok(1_250_000.0, Some("EUR"))
        );
        assert_eq!(
            amount("￥1,250,000", Some("ja-JP")),
            ok(1_250_000.0, Some("JPY"))
        );
        assert_eq!(
            amount("₹12,50,000.00", Some("en-IN")),
            ok(1_250_000.0, Some("INR"))
        );
    }

    #[test]
    fn multi_currency_takes_the_record_amount() {
        assert_eq!(
            amount("USD 1,733,104.35", None),
            ok(1_733_104.35, Some("USD"))
        );
        assert_eq!(
            amount("EUR 100,000.00 (USD 108,000.00)", None),
            ok(100_000.0, Some("EUR"))
        );
        assert_eq!(
            amount("100.000,00 EUR (108.000,00 USD)", None),
            ok(100_000.0, Some("EUR"))
        );
    }

    #[test]
    fn ambiguous_symbols_need_a_locale() {
        assert_eq!(amount("$1,250,000.00", None), ok(1_250_000.0, None));
        assert_eq!(
            amount("$1,250,000.00", Some("en-CA")),
            ok(1_250_000.0, Some("CAD"))
        );
        assert_eq!(amount("¥1,250,000", None), ok(1_250_000.0, None));
        assert_eq!(amount("US$1,250.00", None), ok(1_250.0, Some("USD")));
    }

    /// The examples of issue 17, as CLDR defines them (generated table, not a hand list).
    #[test]
    fn symbols_follow_cldr_per_locale() {
        let code =
            |symbol: &str, locale: &str| symbol_currency(symbol, Locale::parse(locale).as_ref());
        // de-DE: `$` is USD, CAD and AUD are CA$ and AU$.
        assert_eq!(code("$", "de-DE"), Some("USD"));
        assert_eq!(code("CA$", "de-DE"), Some("CAD"));
        assert_eq!(code("AU$", "de-DE"), Some("AUD"));
        // en-AU: `$` is AUD, US$ is USD.
        assert_eq!(code("$", "en-AU"), Some("AUD"));
        assert_eq!(code("US$", "en-AU"), Some("USD"));
        // fr-CA: `$` is CAD, `$ US` is USD.
        assert_eq!(code("$", "fr-CA"), Some("CAD"));
        assert_eq!(code("$ US", "fr-CA"), Some("USD"));
        // `¥` is JPY in Japanese, CNY in Chinese, open with no locale.
        assert_eq!(code("¥", "ja-JP"), Some("JPY"));
        assert_eq!(code("¥", "ja"), Some("JPY"));
        assert_eq!(code("¥", "zh-CN"), Some("CNY"));
        assert_eq!(symbol_currency("¥", None), None);
        // A region the language's supported locales disagree on, or none: left open.
        assert_eq!(code("$", "en"), None);
        assert_eq!(
            code("$", "en-GB"),
            None,
            "en-GB writes US$, so $ is no currency of its own"
        );
        assert_eq!(
            code("$", "en-NZ"),
            None,
            "not a supported locale: its language decides"
        );
        assert_eq!(code("$", "en-CA"), Some("CAD"));
        assert_eq!(code("$", "en-US"), Some("USD"));
        assert_eq!(code("kr", "sv-SE"), Some("SEK"));
        assert_eq!(symbol_currency("kr", None), None, "SEK, NOK, DKK, ISK");
        // Symbols every locale agrees on.
        for (symbol, currency) in [
            ("€", "EUR"),
            ("US$", "USD"),
            ("R$", "BRL"),
            ("₹", "INR"),
            ("zł", "PLN"),
            ("₩", "KRW"),
        ] {
            assert_eq!(symbol_currency(symbol, None), Some(currency), "{symbol}");
        }
    }

    #[test]
    fn an_open_symbol_is_reported() {
        let read = |raw: &str, locale: Option<&str>| {
            let locale = locale.and_then(Locale::parse);
            read_amount(raw, locale.as_ref()).expect("an amount")
        };
        let reading = read("$1,250.00", Some("en"));
        assert_eq!(
            (reading.amount.currency, reading.open_symbol),
            (None, Some("$"))
        );
        let reading = read("1.250,00 ¥", None);
        assert_eq!(reading.open_symbol, Some("¥"));
        let reading = read("$1,250.00", Some("en-AU"));
        assert_eq!(
            (reading.amount.currency.as_deref(), reading.open_symbol),
            (Some("AUD"), None)
        );
        assert_eq!(
            read("1,250.00", Some("en")).open_symbol,
            None,
            "no symbol, nothing open"
        );
        assert_eq!(read("EUR 1,250.00", None).open_symbol, None);
        // Full-width forms read as their ordinary ones.
        assert_eq!(
            amount("￥１，２５０，０００", Some("ja-JP")),
            ok(1_250_000.0, Some("JPY"))
        );
        assert_eq!(
            amount("347\u{A0}850,00\u{A0}$\u{A0}US", Some("fr-CA")),
            ok(347_850.0, Some("USD"))
        );
    }

    #[test]
    fn signs_and_accounting_negatives() {
        assert_eq!(
            amount("-$5,000.00", Some("en-US")),
            ok(-5_000.0, Some("USD"))
        );
        assert_eq!(
            amount("($5,000.00)", Some("en-US")),
            ok(-5_000.0, Some("USD"))
        );
        assert_eq!(amount("-5.000,00 €", None), ok(-5_000.0, Some("EUR")));
    }

    #[test]
    fn three_decimal_currencies_are_not_guessed() {
        assert!(matches!(
            amount("KWD 1.250", None),
            Err(ValueError::Ambiguous(_))
        ));
        assert_eq!(amount("KWD 1.250", Some("en-US")), ok(1.25, Some("KWD")));
        assert_eq!(amount("1.250 €", None), ok(1250.0, Some("EUR")));
    }

    #[test]
    fn rejects_text_that_is_not_an_amount() {
        for raw in [
            "",
            "   ",
            "N/A",
            "$",
            "€ abc",
            "Amount changed from $1 to $2",
            "1.2.3,4,5",
        ] {
            assert!(amount(raw, Some("en-US")).is_err(), "{raw}");
        }
    }
}
