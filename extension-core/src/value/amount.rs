//! Currency amounts: `$1,250,000.00`, `1.250.000,00 €`, `CHF 1'250'000.00`,
//! `EUR 100,000.00 (USD 108,000.00)`, `￥1,250,000`, `₹12,50,000.00`.

use serde::Serialize;

use super::number::{normalize_spaces, parse_unsigned, ThreeDigitTail};
use super::ValueError;
use crate::locale::{
    Locale, LOCALE_DEPENDENT_SYMBOLS, THREE_DECIMAL_CURRENCIES, UNAMBIGUOUS_SYMBOLS,
};

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
    let text = normalize_spaces(raw);
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

    let currency = match &marker {
        Some(Marker::Iso(code)) => Some(code.clone()),
        Some(Marker::Symbol(symbol)) => symbol_currency(symbol, locale),
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
    Ok(Amount {
        value: if negative { -magnitude } else { magnitude },
        currency,
    })
}

fn symbol_currency(symbol: &str, locale: Option<&Locale>) -> Option<String> {
    if let Some((_, code)) = UNAMBIGUOUS_SYMBOLS.iter().find(|(s, _)| *s == symbol) {
        return Some((*code).to_string());
    }
    locale
        .and_then(|l| l.currency_for_symbol(symbol))
        .map(str::to_string)
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

fn all_symbols() -> impl Iterator<Item = &'static str> {
    UNAMBIGUOUS_SYMBOLS
        .iter()
        .map(|(symbol, _)| *symbol)
        .chain(LOCALE_DEPENDENT_SYMBOLS.iter().copied())
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
