//! Every string the extension shows is a message of `_locales/<lang>/messages.json`, named here
//! by id with its arguments; the content script and the side panel render it through
//! `chrome.i18n.getMessage`, so the browser's language decides. An argument is plain text
//! (data from the page or the server: rendered as text, never markup) or a message of its own
//! ("3 days", "an unknown stage"). [`Text::english`] renders the English catalog for the CLI and
//! the tests (the extension's builds never call it, so it is not linked into them).
//!
//! `tests/i18n.rs` checks that every id used in the code exists in every locale, with the
//! same placeholders.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// A message to show: its id in `messages.json` and its arguments (`$1`, `$2`, …). It crosses
/// the message protocol (the content script reports its Tier 1 reasons to the side panel), so
/// it deserializes too; [`Text::is_well_formed`] bounds what a sender can put in one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The `_locales` message id.
    pub id: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The message's `$1`, `$2`, … in order.
    pub args: Vec<Arg>,
    /// A plural message: `id` is the stem and the catalog holds `<id>_one` and `<id>_other`;
    /// the renderer picks by the language's plural rules for this count (`Intl.PluralRules` in
    /// the side panel), falling back to `_other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
}

/// One argument: plain text, a message rendered first, or a value the renderer formats for the
/// user's locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// Text shown as is (page data: a stage, a name).
    Plain(String),
    /// Another message, rendered first.
    Text(Text),
    /// A value formatted in the user's locale.
    Value(Value),
}

/// A value formatted for the user's locale by the renderer (the side panel uses the browser's
/// `Intl`: grouping, currency, calendar, at no size cost), never shown raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "camelCase")]
pub enum Value {
    /// A count: `1,250` / `1.250` / `1 250`.
    Count {
        /// The number.
        value: i64,
    },
    /// An amount in hundredths of its ISO 4217 currency, shown with the currency.
    Money {
        /// Hundredths of the currency unit.
        cents: i64,
        /// ISO 4217 code.
        currency: String,
    },
    /// A calendar date (`YYYY-MM-DD`), shown in the locale's medium form, as written (no time
    /// zone shift).
    Date {
        /// `YYYY-MM-DD`.
        date: String,
    },
    /// A time this many minutes ago, shown relative (`Intl.RelativeTimeFormat`): minutes under
    /// an hour, hours under two days, then days.
    Ago {
        /// Minutes before now.
        minutes: i64,
    },
}

impl Value {
    /// An amount in a currency (rounded to hundredths); `None` for an amount that is not finite
    /// or a currency that is not three capital letters.
    pub fn money(amount: f64, currency: &str) -> Option<Value> {
        let valid = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase());
        (amount.is_finite() && amount.abs() < 1e15 && valid).then(|| Value::Money {
            cents: (amount * 100.0).round() as i64,
            currency: currency.to_string(),
        })
    }

    /// A calendar date; `None` unless `YYYY-MM-DD` (a longer RFC 3339 instant gives its date).
    pub fn date(text: &str) -> Option<Value> {
        let date = text.get(..10)?;
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .ok()
            .map(|_| Value::Date {
                date: date.to_string(),
            })
    }

    fn is_well_formed(&self) -> bool {
        match self {
            Value::Count { .. } => true,
            Value::Money { currency, .. } => {
                currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase())
            }
            Value::Date { date } => Value::date(date).is_some() && date.len() == 10,
            Value::Ago { minutes } => *minutes >= 0,
        }
    }
}

impl From<Value> for Arg {
    fn from(value: Value) -> Self {
        Arg::Value(value)
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Plain(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Plain(value.to_string())
    }
}

impl From<Text> for Arg {
    fn from(value: Text) -> Self {
        Arg::Text(value)
    }
}

impl Text {
    /// A message without arguments.
    pub const fn new(id: &'static str) -> Text {
        Text {
            id: Cow::Borrowed(id),
            args: Vec::new(),
            count: None,
        }
    }

    /// A plural message (`<stem>_one`, `<stem>_other`) whose first argument is `count`,
    /// formatted for the locale.
    pub fn plural(stem: &'static str, count: i64) -> Text {
        Text {
            count: Some(count),
            ..Text::new(stem)
        }
        .arg(Value::Count { value: count })
    }

    /// The id the English catalog uses for this text (a plural's form for its count).
    fn english_id(&self) -> Cow<'_, str> {
        match self.count {
            Some(1) => Cow::Owned(format!("{}_one", self.id)),
            Some(_) => Cow::Owned(format!("{}_other", self.id)),
            None => Cow::Borrowed(self.id.as_ref()),
        }
    }

    /// A plausible message: a short id of `[a-z0-9_]`, at most nine arguments, nested at most
    /// twice, each plain argument at most 1,000 characters. (The browser shows an unknown id as
    /// nothing.)
    pub fn is_well_formed(&self) -> bool {
        fn check(text: &Text, depth: usize) -> bool {
            depth <= 2
                && !text.id.is_empty()
                && text.id.len() <= 64
                && text
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && text.args.len() <= 9
                && text.args.iter().all(|arg| match arg {
                    Arg::Plain(plain) => plain.chars().count() <= 1000,
                    Arg::Text(inner) => check(inner, depth + 1),
                    Arg::Value(value) => value.is_well_formed(),
                })
        }
        check(self, 0)
    }

    /// Adds the next argument.
    pub fn arg(mut self, arg: impl Into<Arg>) -> Text {
        self.args.push(arg.into());
        self
    }

    /// Text from outside the catalog (a server's blind-spot summary), shown as is.
    pub fn literal(text: impl Into<String>) -> Text {
        Text::new("literal").arg(text.into())
    }

    /// "1 day" / "N days".
    pub fn days(days: i64) -> Text {
        Text::new(if days == 1 { "days_one" } else { "days_other" }).arg(days.to_string())
    }

    /// A stable key for "did anything drawn change".
    pub fn key(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|arg| match arg {
                Arg::Plain(text) => text.clone(),
                Arg::Text(text) => text.key(),
                Arg::Value(value) => format!("{value:?}"),
            })
            .collect();
        let count = self.count.map(|c| format!("#{c}")).unwrap_or_default();
        format!("{}{count}({})", self.id, args.join(","))
    }

    /// Every message id this text uses, its own (both forms of a plural) and its arguments'.
    pub fn ids(&self) -> Vec<String> {
        let mut ids = match self.count {
            Some(_) => vec![format!("{}_one", self.id), format!("{}_other", self.id)],
            None => vec![self.id.to_string()],
        };
        for arg in &self.args {
            if let Arg::Text(text) = arg {
                ids.extend(text.ids());
            }
        }
        ids
    }
}

mod english {
    use super::{Arg, Text, Value};
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    /// The English catalog, the one the extension ships.
    pub const CATALOG: &str = include_str!("../../../_locales/en/messages.json");

    fn catalog() -> &'static BTreeMap<String, String> {
        static PARSED: OnceLock<BTreeMap<String, String>> = OnceLock::new();
        PARSED.get_or_init(|| {
            let raw: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(CATALOG).expect("_locales/en/messages.json is valid JSON");
            raw.into_iter()
                .map(|(id, entry)| (id, entry["message"].as_str().unwrap_or("").to_string()))
                .collect()
        })
    }

    /// Substitutes `$1`…`$9` as `chrome.i18n.getMessage` does; `$$` is a dollar sign.
    pub fn substitute(template: &str, args: &[String]) -> String {
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '$' {
                out.push(c);
                continue;
            }
            match chars.peek().copied() {
                Some('$') => {
                    chars.next();
                    out.push('$');
                }
                Some(d @ '1'..='9') => {
                    chars.next();
                    let index = d as usize - '1' as usize;
                    out.push_str(args.get(index).map(String::as_str).unwrap_or(""));
                }
                _ => out.push('$'),
            }
        }
        out
    }

    impl Text {
        /// The English rendering (what an English browser shows).
        pub fn english(&self) -> String {
            let args: Vec<String> = self
                .args
                .iter()
                .map(|arg| match arg {
                    Arg::Plain(text) => text.clone(),
                    Arg::Text(text) => text.english(),
                    Arg::Value(value) => value.english(),
                })
                .collect();
            let id = self.english_id();
            let template = catalog()
                .get(id.as_ref())
                .map(String::as_str)
                .unwrap_or(&id);
            substitute(template, &args)
        }
    }

    /// `1250000` → `1,250,000`.
    fn grouped(value: i64) -> String {
        let digits = value.unsigned_abs().to_string();
        let mut out = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                out.push(',');
            }
            out.push(digit);
        }
        if value < 0 {
            out.insert(0, '-');
        }
        out
    }

    impl Value {
        /// As an English browser shows it (`en-US` conventions), for the CLI and the tests.
        pub fn english(&self) -> String {
            match self {
                Value::Count { value } => grouped(*value),
                Value::Money { cents, currency } => {
                    let whole = grouped(cents / 100);
                    match cents.rem_euclid(100) {
                        0 => format!("{currency} {whole}"),
                        rest => format!("{currency} {whole}.{rest:02}"),
                    }
                }
                Value::Date { date } => chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .map(|d| d.format("%b %-d, %Y").to_string())
                    .unwrap_or_default(),
                Value::Ago { minutes } => {
                    let (count, unit) = match minutes {
                        0..=59 => (*minutes, "minute"),
                        60..=2879 => (minutes / 60, "hour"),
                        _ => (minutes / 1440, "day"),
                    };
                    let plural = if count == 1 { "" } else { "s" };
                    format!("{count} {unit}{plural} ago")
                }
            }
        }
    }
}

pub use english::{substitute, CATALOG as ENGLISH_CATALOG};
