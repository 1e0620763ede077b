//! Locale-tolerant number reading: digit groups, grouping and decimal separators.

use super::ValueError;

/// Replaces the space variants Salesforce and browsers use in formatted numbers (NBSP U+00A0,
/// NNBSP U+202F, thin and figure spaces) with a plain space, and trims.
pub fn normalize_spaces(text: &str) -> String {
    let replaced: String = text
        .chars()
        .map(|c| match c {
            '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}' | '\u{2002}' | '\u{2003}'
            | '\u{3000}' | '\t' | '\n' | '\r' => ' ',
            // Zero-width characters and direction controls (marks, embeddings, overrides,
            // isolates) carry nothing for a number or a name, and an override could make
            // shown text read backwards.
            '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => '\u{0}',
            other => other,
        })
        .filter(|c| *c != '\u{0}')
        .collect();
    let mut collapsed = String::with_capacity(replaced.len());
    for word in replaced.split(' ').filter(|w| !w.is_empty()) {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// How to read a single `,` or `.` followed by exactly three digits (`1,250`), the one shape
/// that is a thousands separator in one locale and a decimal separator in another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThreeDigitTail {
    /// Read it as grouping (the display would have shown the usual decimals otherwise).
    Grouping,
    /// This character is the decimal separator.
    DecimalIs(char),
    /// Nothing settles it.
    Undecided,
}

fn is_group_only(separator: char) -> bool {
    matches!(separator, ' ' | '\'' | '’')
}

/// Reads an unsigned number made of digits and separators (`1.250.000,00`, `12,50,000.00`,
/// `1'250'000.00`, `1 250 000,00`). Spaces must already be normalised to `' '`.
pub(crate) fn parse_unsigned(text: &str, tail: ThreeDigitTail) -> Result<f64, ValueError> {
    let mut groups: Vec<&str> = Vec::new();
    let mut separators: Vec<char> = Vec::new();
    let mut start = 0;
    for (index, c) in text.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        if !matches!(c, ',' | '.' | ' ' | '\'' | '’') {
            return Err(ValueError::Unparseable("unexpected character in a number"));
        }
        groups.push(&text[start..index]);
        separators.push(c);
        start = index + c.len_utf8();
    }
    groups.push(&text[start..]);
    if groups.iter().any(|g| g.is_empty()) {
        return Err(ValueError::Unparseable("misplaced separator in a number"));
    }
    if groups.iter().map(|g| g.len()).sum::<usize>() > 18 {
        return Err(ValueError::OutOfRange("too many digits"));
    }

    let decimal_index = decimal_separator_index(&groups, &separators, tail)?;
    let (integer_groups, fraction) = match decimal_index {
        Some(index) => (&groups[..=index], Some(groups[index + 1])),
        None => (&groups[..], None),
    };
    validate_grouping(integer_groups)?;
    if let Some(index) = decimal_index {
        if separators[..index].contains(&separators[index]) {
            return Err(ValueError::Unparseable(
                "decimal separator also used for grouping",
            ));
        }
    }
    let mut digits: String = integer_groups.concat();
    if let Some(fraction) = fraction {
        digits.push('.');
        digits.push_str(fraction);
    }
    digits
        .parse::<f64>()
        .map_err(|_| ValueError::Unparseable("not a number"))
}

/// Finds which separator (by index) is the decimal one, if any.
fn decimal_separator_index(
    groups: &[&str],
    separators: &[char],
    tail: ThreeDigitTail,
) -> Result<Option<usize>, ValueError> {
    let Some(&last) = separators.last() else {
        return Ok(None);
    };
    let last_index = separators.len() - 1;
    if is_group_only(last) {
        return Ok(None);
    }
    let distinct_kinds = {
        let mut kinds: Vec<char> = separators
            .iter()
            .map(|c| if is_group_only(*c) { ' ' } else { *c })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds.len()
    };
    if distinct_kinds > 1 {
        // `1.250.000,00`, `1,250,000.00`, `1 250 000,00`: the last separator is the decimal one.
        return Ok(Some(last_index));
    }
    let occurrences = separators.iter().filter(|c| **c == last).count();
    if occurrences > 1 {
        // `1.250.000` or `1,250,000`: grouping only.
        return Ok(None);
    }
    if groups[last_index + 1].len() != 3 {
        return Ok(Some(last_index));
    }
    match tail {
        ThreeDigitTail::Grouping => Ok(None),
        ThreeDigitTail::DecimalIs(decimal) if decimal == last => Ok(Some(last_index)),
        ThreeDigitTail::DecimalIs(_) => Ok(None),
        ThreeDigitTail::Undecided => Err(ValueError::Ambiguous(
            "one separator before three digits may be grouping or decimal",
        )),
    }
}

/// Integer digit groups: the first has 1 to 3 digits, the last 3, those between 2 or 3 (the
/// Indian lakh grouping `12,50,000` has twos). A single group may have any length.
fn validate_grouping(groups: &[&str]) -> Result<(), ValueError> {
    if groups.len() == 1 {
        return Ok(());
    }
    let first_ok = (1..=3).contains(&groups[0].len());
    let last_ok = groups[groups.len() - 1].len() == 3;
    let middle_ok = groups[1..groups.len() - 1]
        .iter()
        .all(|g| g.len() == 2 || g.len() == 3);
    if first_ok && last_ok && middle_ok {
        Ok(())
    } else {
        Err(ValueError::Unparseable("digit groups of the wrong size"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<f64, ValueError> {
        parse_unsigned(text, ThreeDigitTail::Undecided)
    }

    #[test]
    fn reads_grouped_numbers_of_every_locale() {
        assert_eq!(read("1,250,000.00"), Ok(1_250_000.0));
        assert_eq!(read("1.250.000,00"), Ok(1_250_000.0));
        assert_eq!(read("1'250'000.00"), Ok(1_250_000.0));
        assert_eq!(read("1’250’000.00"), Ok(1_250_000.0));
        assert_eq!(read("1 250 000,00"), Ok(1_250_000.0));
        assert_eq!(read("12,50,000.00"), Ok(1_250_000.0));
        assert_eq!(read("1,250,000"), Ok(1_250_000.0));
        assert_eq!(read("1250000"), Ok(1_250_000.0));
        assert_eq!(read("60,5"), Ok(60.5));
        assert_eq!(read("0.75"), Ok(0.75));
    }

    #[test]
    fn single_separator_before_three_digits_needs_a_rule() {
        assert!(matches!(read("1,250"), Err(ValueError::Ambiguous(_))));
        assert_eq!(
            parse_unsigned("1,250", ThreeDigitTail::Grouping),
            Ok(1250.0)
        );
        assert_eq!(
            parse_unsigned("1,250", ThreeDigitTail::DecimalIs(',')),
            Ok(1.25)
        );
        assert_eq!(
            parse_unsigned("1,250", ThreeDigitTail::DecimalIs('.')),
            Ok(1250.0)
        );
        assert_eq!(
            parse_unsigned("1 250", ThreeDigitTail::Undecided),
            Ok(1250.0)
        );
    }

    #[test]
    fn rejects_malformed_numbers() {
        for text in [
            "",
            "1,,0",
            "1,2,3",
            ",5",
            "5,",
            "12a",
            "1.250,000.00",
            "1,2500,000",
            "99999999999999999999",
        ] {
            assert!(read(text).is_err(), "{text}");
        }
    }

    #[test]
    fn normalizes_every_space_kind() {
        assert_eq!(
            normalize_spaces("\u{00A0}1\u{202F}250\u{2009}000,00 \u{00A0}€ "),
            "1 250 000,00 €"
        );
        assert_eq!(normalize_spaces("a\u{200B}b"), "ab");
        assert_eq!(
            normalize_spaces("\u{202E}abc\u{202C} \u{2067}d\u{2069}"),
            "abc d"
        );
    }
}
