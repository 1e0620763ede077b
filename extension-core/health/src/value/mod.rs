//! Parsers for the values a record page displays: amounts, percentages and dates, per locale.
//!
//! Every parser takes the raw display text and returns either a value or a [`ValueError`] that
//! says why not. Nothing here panics on any input (a property test holds us to it), and no
//! parser guesses: text that two locales would read differently is [`ValueError::Ambiguous`]
//! unless the caller supplies what settles it.

mod amount;
mod currency_symbols;
mod date;
mod number;
mod percent;

pub use amount::{parse_amount, read_amount, symbol_currency, Amount, AmountReading};
pub use date::{
    date_order_evidence, date_order_marks, parse_date, parse_iso_date, settled_order,
    DateOrderMarks,
};
pub use number::normalize_spaces;
pub use percent::parse_percent;

use thiserror::Error;

/// Why a display value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    /// The text is well formed but could mean more than one thing.
    #[error("ambiguous: {0}")]
    Ambiguous(&'static str),
    /// The text is not a value of the expected kind.
    #[error("not understood: {0}")]
    Unparseable(&'static str),
    /// The value is well formed but impossible (a 13th month, a probability of 140 %).
    #[error("out of range: {0}")]
    OutOfRange(&'static str),
}
