//! Percentages: `60%`, `60 %` (NBSP), `60,5 %`, `%60` (Turkish), `60％` (full width).

use super::number::{normalize_spaces, parse_unsigned, ThreeDigitTail};
use super::ValueError;
use crate::locale::Locale;

/// Reads a probability in percent, rounded to a whole number, within 0 to 100.
pub fn parse_percent(raw: &str, locale: Option<&Locale>) -> Result<u8, ValueError> {
    let text = normalize_spaces(raw);
    let text = text.trim();
    let without_sign = text
        .strip_suffix('%')
        .or_else(|| text.strip_suffix('％'))
        .or_else(|| text.strip_prefix('%'))
        .unwrap_or(text)
        .trim();
    if without_sign.is_empty() || !without_sign.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(ValueError::Unparseable("no digits in the percentage"));
    }
    let tail = locale.map_or(ThreeDigitTail::Undecided, |l| {
        ThreeDigitTail::DecimalIs(l.decimal_separator())
    });
    let value = parse_unsigned(without_sign, tail)?;
    if !(0.0..=100.0).contains(&value) {
        return Err(ValueError::OutOfRange(
            "a probability lies between 0 and 100",
        ));
    }
    Ok(value.round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_percent_forms() {
        assert_eq!(parse_percent("60%", None), Ok(60));
        assert_eq!(parse_percent("60\u{00A0}%", None), Ok(60));
        assert_eq!(parse_percent("60,5 %", None), Ok(61));
        assert_eq!(parse_percent("%60", None), Ok(60));
        assert_eq!(parse_percent("60％", None), Ok(60));
        assert_eq!(parse_percent("0%", None), Ok(0));
        assert_eq!(parse_percent("100", None), Ok(100));
    }

    #[test]
    fn rejects_impossible_probabilities() {
        assert!(matches!(
            parse_percent("140%", None),
            Err(ValueError::OutOfRange(_))
        ));
        assert!(parse_percent("-5%", None).is_err());
        assert!(parse_percent("%", None).is_err());
        assert!(parse_percent("sixty", None).is_err());
    }
}
