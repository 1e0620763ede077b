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
    pub id: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Arg>,
}

/// One argument: plain text, or a message rendered first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Plain(String),
    Text(Text),
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
            })
            .collect();
        format!("{}({})", self.id, args.join(","))
    }

    /// Every message id this text uses, its own and its arguments'.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids = vec![self.id.as_ref()];
        for arg in &self.args {
            if let Arg::Text(text) = arg {
                ids.extend(text.ids());
            }
        }
        ids
    }
}

mod english {
    use super::{Arg, Text};
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    /// The English catalog, the one the extension ships.
    pub const CATALOG: &str = include_str!("../../_locales/en/messages.json");

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
                })
                .collect();
            let template = catalog()
                .get(self.id.as_ref())
                .map(String::as_str)
                .unwrap_or(&self.id);
            substitute(template, &args)
        }
    }
}

pub use english::{substitute, CATALOG as ENGLISH_CATALOG};
