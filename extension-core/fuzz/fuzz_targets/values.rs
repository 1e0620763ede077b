//! Value parsers: amounts, percentages and dates as a page may show them, under any locale.
#![no_main]

use deal_health::locale::{DateOrder, Locale};
use deal_health::value::{
    date_order_evidence, normalize_spaces, parse_amount, parse_date, parse_percent,
};
use libfuzzer_sys::fuzz_target;

const LOCALES: &[&str] = &[
    "en_US", "de_DE", "fr_CH", "ja_JP", "en_IN", "ar_EG", "he_IL", "x",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let locale = Locale::parse(LOCALES[selector as usize % LOCALES.len()]);
    let _ = Locale::parse(&text);
    let _ = normalize_spaces(&text);
    if let Ok(percent) = parse_percent(&text, locale.as_ref()) {
        assert!(percent <= 100, "a probability is a percentage");
    }
    let _ = parse_amount(&text, locale.as_ref());
    let _ = parse_amount(&text, None);
    for order in [
        None,
        Some(DateOrder::MonthDayYear),
        Some(DateOrder::DayMonthYear),
        Some(DateOrder::YearMonthDay),
    ] {
        let _ = parse_date(&text, order);
    }
    let _ = date_order_evidence(text.split('\n'));
});
