//! What a content script reports of a list page for its tab: the riskiest rows' records,
//! names, scores and most harmful reasons, for the side panel's "this list, riskiest first".
//! It crosses from the page's renderer to the worker in one message (at most 64 KiB), so it is
//! bounded ([`ListSummary::is_well_formed`]) like [`crate::report::Tier1Summary`]: at most
//! [`MAX_SUMMARY_ROWS`] rows, names as long as Salesforce allows. The rows read beyond those
//! are named by their record Ids alone ([`ListSummary::others`], at most [`MAX_OTHER_IDS`]):
//! signed in, the worker matches every row reported to the Customer City portfolio it has
//! cached, not only the riskiest hundred.

use serde::{Deserialize, Serialize};

use super::{ListReport, MAX_ROWS};
use crate::i18n::Text;
use crate::page::opportunity_id;
use crate::score::Band;

/// One row as the side panel lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowSummary {
    /// The Opportunity's Id, as the row's link carries it.
    pub record_id: String,
    /// Its name, as the row shows it.
    pub name: Option<String>,
    /// The score, 0–100; `None` for closed deals and thin data.
    pub value: Option<u8>,
    /// The score's band.
    pub band: Band,
    /// The most harmful reason, if any.
    pub reason: Option<Text>,
}

/// The riskiest rows of one list page, riskiest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSummary {
    /// At most [`MAX_SUMMARY_ROWS`], riskiest first ([`ListSummary::riskiest_first`]'s order).
    pub rows: Vec<RowSummary>,
    /// How many rows the page showed (at most [`MAX_ROWS`]); of a partial summary, how many
    /// were read.
    pub total: usize,
    /// Whether only the rows read so far are listed (those near the view: a signed-in rep's
    /// list, reported for its rows' Customer City scores). The side panel lists no partial
    /// summary: it asks for the whole list instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// The record Ids of the rows read that `rows` leaves out (past the riskiest
    /// [`MAX_SUMMARY_ROWS`], or past the bytes they may take), in page order, at most
    /// [`MAX_OTHER_IDS`]: matched for their Customer City scores (`client::list_scores`), never
    /// listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<String>,
}

/// The most rows reported: the panel lists the riskiest, and a message stays far below 64 KiB.
pub const MAX_SUMMARY_ROWS: usize = 100;

/// The most bytes the rows take as the message carries them: the message that carries them is
/// refused over 64 KiB (`protocol::route`), and a list of long stage names must not lose the
/// whole report. The summary travels as a JSON string inside the message, so each quote and
/// backslash of its JSON counts twice.
pub const MAX_SUMMARY_BYTES: usize = 48 * 1024;

/// The most record Ids named besides the rows ([`ListSummary::others`]): with the rows' bytes,
/// the message stays below 64 KiB (an Id takes at most 23 bytes in it, quotes escaped), and a
/// list of up to 500 rows whose riskiest hundred fit the report gets every row's score.
pub const MAX_OTHER_IDS: usize = 400;

/// The longest name kept: an Opportunity's Name holds at most 120 characters.
const MAX_NAME_CHARS: usize = 120;

impl ListSummary {
    /// The summary of an analysed list: its [`MAX_SUMMARY_ROWS`] riskiest rows.
    pub fn from_report(report: &ListReport) -> ListSummary {
        let (mut rows, total) = summary_rows(report);
        // The riskiest rows that fit the budget (a row that cannot be serialised fits nothing).
        let fitting = fitting(rows.iter().map(|row| {
            serde_json::to_string(row).map_or(usize::MAX / 2, |json| escaped_len(&json))
        }));
        rows.truncate(fitting);
        let others = other_ids(report, rows.iter().map(|row| row.record_id.as_str()));
        ListSummary {
            rows,
            total,
            partial: false,
            others,
        }
    }

    /// Bounds on what a content script can report: valid Ids, each once, scores in range,
    /// well-formed reasons, at most [`MAX_SUMMARY_ROWS`] rows of at most [`MAX_ROWS`].
    pub fn is_well_formed(&self) -> bool {
        let mut seen = std::collections::BTreeSet::new();
        let mut once = |id: &str| {
            opportunity_id(id).is_some()
                && seen.insert(id.get(..15).unwrap_or_default().to_string())
        };
        self.rows.len() <= MAX_SUMMARY_ROWS
            && self.others.len() <= MAX_OTHER_IDS
            && self.total <= MAX_ROWS
            && self.rows.len() + self.others.len() <= self.total
            && self.rows.iter().all(|row| {
                once(&row.record_id)
                    && row
                        .name
                        .as_ref()
                        .is_none_or(|n| n.chars().count() <= MAX_NAME_CHARS)
                    && row.value.is_none_or(|v| v <= 100)
                    && row.reason.as_ref().is_none_or(Text::is_well_formed)
            })
            && self.others.iter().all(|id| once(id))
    }

    /// The rows riskiest first: the lowest score first, rows without a score (closed, or too
    /// little shown) last; page order among equals.
    pub fn riskiest_first(&self) -> Vec<&RowSummary> {
        let mut rows: Vec<&RowSummary> = self.rows.iter().collect();
        rows.sort_by_key(|row| row.risk_order());
        rows
    }
}

/// Each row's JSON in the last summary made by [`summary_json`], by record Id, with the row it
/// was made from.
pub type SummaryRows = rustc_hash::FxHashMap<String, (RowSummary, String)>;

/// [`ListSummary::from_report`] as JSON (with `partial` when the report holds only the rows
/// read so far), each row's JSON taken from `known` where that row is the same as then (a list
/// evaluated again after one cell's edit serialises one row, not fifty); `known` is left
/// holding this summary's rows.
pub fn summary_json(report: &ListReport, known: &mut SummaryRows, partial: bool) -> String {
    let (rows, total) = summary_rows(report);
    let mut now = SummaryRows::with_capacity_and_hasher(rows.len(), Default::default());
    let mut jsons = Vec::with_capacity(rows.len());
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        let json = match known.remove(&row.record_id) {
            Some((was, json)) if was == row => json,
            _ => serde_json::to_string(&row).unwrap_or_default(),
        };
        jsons.push(json.clone());
        ids.push(row.record_id.clone());
        now.insert(row.record_id.clone(), (row, json));
    }
    *known = now;
    // An empty JSON (a row that could not be serialised) fits nothing.
    let fitting = fitting(jsons.iter().map(|json| {
        if json.is_empty() {
            usize::MAX / 2
        } else {
            escaped_len(json)
        }
    }));
    jsons.truncate(fitting);
    ids.truncate(fitting);
    let others = other_ids(report, ids.iter().map(String::as_str));
    // Opportunity Ids only (letters and digits, `other_ids`): quoted as they are.
    let others = if others.is_empty() {
        String::new()
    } else {
        format!(r#","others":["{}"]"#, others.join(r#"",""#))
    };
    let partial = if partial { r#","partial":true"# } else { "" };
    format!(
        r#"{{"rows":[{}],"total":{total}{partial}{others}}}"#,
        jsons.join(",")
    )
}

/// The record Ids of `report`'s rows whose record `listed` (the rows' Ids) leaves out, each
/// record once, in page order, at most [`MAX_OTHER_IDS`] ([`ListSummary::others`]); only
/// well-formed Opportunity Ids, which JSON quotes as they are.
fn other_ids<'a>(report: &'a ListReport, listed: impl Iterator<Item = &'a str>) -> Vec<String> {
    fn prefix(id: &str) -> &str {
        id.get(..15).unwrap_or_default()
    }
    // Inserted one by one: collecting sorts first, which adds a sort to the wasm for nothing.
    let mut seen = std::collections::BTreeSet::new();
    for id in listed {
        seen.insert(prefix(id));
    }
    report
        .rows
        .iter()
        .take(MAX_ROWS)
        .filter(|row| {
            opportunity_id(&row.record_id).is_some() && seen.insert(prefix(&row.record_id))
        })
        .take(MAX_OTHER_IDS)
        .map(|row| row.record_id.clone())
        .collect()
}

/// The rows a summary may list, riskiest first, each record once (a page may name one record
/// by both its 15- and 18-character Id: the first in page order is kept), at most
/// [`MAX_SUMMARY_ROWS`]; and how many rows the page showed.
fn summary_rows(report: &ListReport) -> (Vec<RowSummary>, usize) {
    let mut seen = std::collections::BTreeSet::new();
    let mut rows: Vec<RowSummary> = report
        .rows
        .iter()
        .take(MAX_ROWS)
        .filter(|row| seen.insert(row.record_id.get(..15).unwrap_or_default()))
        .map(|row| RowSummary {
            record_id: row.record_id.clone(),
            name: row
                .fields
                .name
                .as_ref()
                .map(|n| n.chars().take(MAX_NAME_CHARS).collect()),
            value: row.score.value,
            band: row.score.band,
            reason: row.score.reasons.first().map(|r| r.text.clone()),
        })
        .collect();
    rows.sort_by_key(RowSummary::risk_order);
    rows.truncate(MAX_SUMMARY_ROWS);
    (rows, report.rows.len().min(MAX_ROWS))
}

/// The bytes `json` takes as a JSON string's contents: each quote and backslash escaped.
fn escaped_len(json: &str) -> usize {
    json.len() + json.bytes().filter(|b| matches!(b, b'"' | b'\\')).count()
}

/// How many of the rows, whose JSON takes `sizes` bytes each in the message, fit
/// [`MAX_SUMMARY_BYTES`] (a comma or bracket each besides).
fn fitting(sizes: impl Iterator<Item = usize>) -> usize {
    let mut bytes = 0usize;
    sizes
        .take_while(|size| {
            bytes = bytes.saturating_add(size + 1);
            bytes <= MAX_SUMMARY_BYTES
        })
        .count()
}

impl RowSummary {
    /// Lower is riskier: the score, and rows without one after every scored row.
    fn risk_order(&self) -> u16 {
        self.value.map_or(u16::MAX, u16::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn row(id: &str, value: Option<u8>) -> RowSummary {
        RowSummary {
            record_id: id.to_string(),
            name: Some(format!("Deal {id}")),
            value,
            band: Band::AtRisk,
            reason: None,
        }
    }

    #[test]
    fn riskiest_first_puts_unscored_rows_last_and_keeps_page_order_among_equals() {
        let summary = ListSummary {
            rows: vec![
                row("0065g00000AB1CD", None),
                row("0065g00000AB2CD", Some(70)),
                row("0065g00000AB3CD", Some(20)),
                row("0065g00000AB4CD", Some(70)),
            ],
            total: 4,
            partial: false,
            others: Vec::new(),
        };
        assert!(summary.is_well_formed());
        let order: Vec<&str> = summary
            .riskiest_first()
            .iter()
            .map(|r| &r.record_id[12..13])
            .collect();
        assert_eq!(order, ["3", "2", "4", "1"]);
    }

    #[test]
    fn the_riskiest_rows_are_kept_within_the_message_budget() {
        let long = "Ü".repeat(1000);
        let report = report_of(MAX_ROWS, Some(&long), Some(&long));
        let summary = ListSummary::from_report(&report);
        assert_same_as_json(&report, &summary);
        assert_eq!(summary.total, MAX_ROWS);
        assert!(!summary.rows.is_empty() && summary.rows.len() < MAX_SUMMARY_ROWS);
        // The rows within their budget, the Ids named alone (at most 21 bytes each as JSON)
        // besides, and the whole well below the 64 KiB a message may take.
        let bytes = serde_json::to_vec(&summary).unwrap().len();
        assert!(
            bytes <= MAX_SUMMARY_BYTES + MAX_OTHER_IDS * 22 + 64,
            "{bytes}"
        );
        assert!(bytes < 60 * 1024, "{bytes}");
        assert_eq!(summary.others.len(), MAX_OTHER_IDS);
        let values: Vec<Option<u8>> = summary.rows.iter().map(|r| r.value).collect();
        assert!(
            values.is_sorted() && values[0] == Some(0),
            "the riskiest first: {values:?}"
        );
        assert_eq!(
            summary.rows[0].name.as_ref().unwrap().chars().count(),
            MAX_NAME_CHARS
        );
        assert!(summary.is_well_formed());
    }

    #[test]
    fn one_record_named_by_both_its_ids_is_one_row() {
        use crate::extract::Fields;
        use crate::score::Score;
        let row = |id: &str| super::super::RowReport {
            record_id: id.to_string(),
            fields: Fields::default(),
            shown: Vec::new(),
            score: Score {
                value: Some(50),
                band: Band::AtRisk,
                reasons: Vec::new(),
            },
            warnings: Vec::new(),
        };
        let report = ListReport {
            layout: None,
            rows: vec![
                row("0065g00000QqQqQAAV").into(),
                row("0065g00000QqQqQ").into(),
            ],
            date_order: None,
            warnings: Vec::new(),
        };
        let summary = ListSummary::from_report(&report);
        assert_same_as_json(&report, &summary);
        assert_eq!(summary.rows.len(), 1);
        assert_eq!(summary.rows[0].record_id, "0065g00000QqQqQAAV");
        assert!(summary.is_well_formed());
    }

    /// `summary_json` gives `summary` (`report`'s), made afresh and from the rows it kept.
    fn assert_same_as_json(report: &ListReport, summary: &ListSummary) {
        let mut known = SummaryRows::default();
        for pass in ["afresh", "from the rows kept"] {
            let json = summary_json(report, &mut known, false);
            let parsed: ListSummary = serde_json::from_str(&json).expect(pass);
            assert_eq!(&parsed, summary, "{pass}");
        }
        assert_eq!(known.len(), summary_rows(report).0.len());
    }

    #[test]
    fn a_summary_made_again_takes_the_changed_rows_anew() {
        use crate::extract::Fields;
        use crate::score::{Reason, Score};
        let row = |id: &str, value: u8| super::super::RowReport {
            record_id: id.to_string(),
            fields: Fields {
                name: Some(format!("Deal {id}")),
                ..Fields::default()
            },
            shown: Vec::new(),
            score: Score {
                value: Some(value),
                band: Band::AtRisk,
                reasons: vec![Reason {
                    code: "close_date_passed",
                    points: -10,
                    text: Text::new("reason_close_date_passed").arg(value.to_string()),
                }],
            },
            warnings: Vec::new(),
        };
        let mut report = ListReport {
            layout: None,
            rows: vec![
                row("0065g00000AB1CD", 40).into(),
                row("0065g00000AB2CD", 60).into(),
            ],
            date_order: None,
            warnings: Vec::new(),
        };
        let mut known = SummaryRows::default();
        summary_json(&report, &mut known, false);
        // One row's score and reason change, another row comes, one goes.
        report.rows[1] = row("0065g00000AB2CD", 10).into();
        report.rows[0] = row("0065g00000AB3CD", 90).into();
        let json = summary_json(&report, &mut known, false);
        let parsed: ListSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed, ListSummary::from_report(&report));
        assert_eq!(parsed.rows[0].value, Some(10));
        assert_eq!(known.len(), 2);
        assert!(
            !known.contains_key("0065g00000AB1CD"),
            "a row gone is forgotten"
        );
    }

    /// A list report of `count` rows, the `i`th scored `i % 101`, named `name`, with one reason
    /// whose argument is `argument` when given; their Ids fall in page order (so that page order
    /// is not the Ids' order).
    fn report_of(count: usize, name: Option<&str>, argument: Option<&str>) -> ListReport {
        use crate::extract::Fields;
        use crate::score::{Reason, Score};
        ListReport {
            layout: None,
            rows: (0..count)
                .map(|i| super::super::RowReport {
                    record_id: format!("0065g{:010}AAA", count - i),
                    fields: Fields {
                        name: name.map(str::to_string),
                        ..Fields::default()
                    },
                    shown: Vec::new(),
                    score: Score {
                        value: Some((i % 101) as u8),
                        band: Band::AtRisk,
                        reasons: argument
                            .map(|argument| Reason {
                                code: "stage_stalled",
                                points: -10,
                                text: Text::new("reason_close_date_passed")
                                    .arg(argument.to_string()),
                            })
                            .into_iter()
                            .collect(),
                    },
                    warnings: Vec::new(),
                })
                .map(Arc::new)
                .collect(),
            date_order: None,
            warnings: Vec::new(),
        }
    }

    // Issue 19: signed in, every row read gets its Customer City score, so the rows past the
    // riskiest hundred are named too, by Id alone, each once, in page order, and bounded.
    #[test]
    fn rows_past_the_riskiest_are_named_by_id_alone() {
        let report = report_of(150, None, None);
        let summary = ListSummary::from_report(&report);
        assert_eq!(summary.rows.len(), MAX_SUMMARY_ROWS);
        assert_eq!(summary.others.len(), 50);
        assert!(summary.is_well_formed());
        let mut all: Vec<&str> = summary
            .rows
            .iter()
            .map(|row| row.record_id.as_str())
            .chain(summary.others.iter().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 150, "every row once");
        assert!(
            summary.others.windows(2).all(|pair| pair[0] > pair[1]),
            "in page order"
        );
        // The JSON the content script reports says the same.
        let json = summary_json(&report, &mut SummaryRows::default(), false);
        let parsed: ListSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed, summary);
        // A short list names no row twice, and sends no empty field.
        let short = summary_json(
            &report_of(3, None, None),
            &mut SummaryRows::default(),
            false,
        );
        assert!(!short.contains("others"), "{short}");
        // The longest list the message carries: within its bound, and below 64 KiB with the rows.
        let longest = report_of(MAX_ROWS, None, None);
        let summary = ListSummary::from_report(&longest);
        assert_eq!(summary.others.len(), MAX_OTHER_IDS);
        assert!(summary.is_well_formed());
        let json = summary_json(&longest, &mut SummaryRows::default(), true);
        assert!(json.len() < 60 * 1024, "{}", json.len());
    }

    // As the message carries it (a JSON string in JSON: each quote and backslash escaped again),
    // the largest report stays within the 64 KiB the worker takes, whatever the names hold.
    #[test]
    fn the_largest_report_fits_its_message_whatever_the_names_hold() {
        for name in [
            "x".repeat(MAX_NAME_CHARS),
            "\"\\".repeat(MAX_NAME_CHARS / 2),
        ] {
            let report = report_of(MAX_ROWS, Some(&name), Some(&name.repeat(3)));
            for partial in [false, true] {
                let json = summary_json(&report, &mut SummaryRows::default(), partial);
                // What content/main.js sends, as the worker measures it (`protocol::route`).
                let message =
                    serde_json::json!({"type": "listReport", "summary": json}).to_string();
                assert!(message.len() <= 62 * 1024, "{} bytes", message.len());
                let summary: ListSummary = serde_json::from_str(&json).unwrap();
                assert!(summary.is_well_formed());
                assert!(!summary.rows.is_empty());
                assert_eq!(summary.others.len(), MAX_OTHER_IDS);
            }
        }
    }

    #[test]
    fn a_hostile_summary_is_refused() {
        let good = ListSummary {
            rows: vec![row("0065g00000AB1CD", Some(40))],
            total: 1,
            partial: false,
            others: Vec::new(),
        };
        assert!(good.is_well_formed());
        let mut bad_id = good.clone();
        bad_id.rows[0].record_id = "001000000000001".into();
        assert!(!bad_id.is_well_formed(), "an Account Id is no Opportunity");
        let mut twice = good.clone();
        twice.rows.push(row("0065g00000AB1CDAAA", Some(10)));
        twice.total = 2;
        assert!(!twice.is_well_formed(), "one record twice (15 and 18)");
        let mut high = good.clone();
        high.rows[0].value = Some(101);
        assert!(!high.is_well_formed());
        let mut long = good.clone();
        long.rows[0].name = Some("x".repeat(MAX_NAME_CHARS + 1));
        assert!(!long.is_well_formed());
        let many = ListSummary {
            rows: (0..=MAX_SUMMARY_ROWS)
                .map(|i| row(&format!("0065g{i:010}"), Some(50)))
                .collect(),
            total: MAX_ROWS,
            partial: false,
            others: Vec::new(),
        };
        assert!(!many.is_well_formed());
        let mut fewer = good.clone();
        fewer.total = 0;
        assert!(!fewer.is_well_formed(), "more rows than the page had");
        let mut beyond = good.clone();
        beyond.total = MAX_ROWS + 1;
        assert!(!beyond.is_well_formed());
        // Ids named alone: Opportunity Ids, each record once across rows and others, as many
        // as the page had, at most MAX_OTHER_IDS.
        let mut other = good.clone();
        other.others = vec!["0065g00000AB2CD".into()];
        other.total = 2;
        assert!(other.is_well_formed());
        let mut account = other.clone();
        account.others = vec!["001000000000001".into()];
        assert!(!account.is_well_formed(), "an Account Id is no Opportunity");
        let mut again = other.clone();
        again.others = vec!["0065g00000AB1CDAAA".into()];
        assert!(!again.is_well_formed(), "a row listed named again");
        let mut over = other.clone();
        over.total = 1;
        assert!(!over.is_well_formed(), "more rows than the page had");
        let mut flood = good.clone();
        flood.others = (0..=MAX_OTHER_IDS)
            .map(|i| format!("0065g{:010}", i + 1))
            .collect();
        flood.total = MAX_ROWS;
        assert!(!flood.is_well_formed());
        flood.others.pop();
        assert!(flood.is_well_formed());
    }
}
