//! What a content script reports of a list page for its tab: each row's record, name, score
//! and most harmful reason, for the side panel's "this list, riskiest first". It crosses from
//! the page's renderer to the worker, so it is bounded ([`ListSummary::is_well_formed`]) like
//! [`crate::report::Tier1Summary`].

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

/// The rows of one list page, in page order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSummary {
    /// At most [`MAX_ROWS`].
    pub rows: Vec<RowSummary>,
}

/// The longest name kept (as a record's report).
const MAX_NAME_CHARS: usize = 1000;

impl ListSummary {
    /// The summary of an analysed list.
    pub fn from_report(report: &ListReport) -> ListSummary {
        ListSummary {
            rows: report
                .rows
                .iter()
                .take(MAX_ROWS)
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
                .collect(),
        }
    }

    /// Bounds on what a content script can report: valid Ids, each once, scores in range,
    /// well-formed reasons, at most [`MAX_ROWS`] rows.
    pub fn is_well_formed(&self) -> bool {
        let mut seen = std::collections::BTreeSet::new();
        self.rows.len() <= MAX_ROWS
            && self.rows.iter().all(|row| {
                opportunity_id(&row.record_id).is_some()
                    && seen.insert(row.record_id.get(..15).unwrap_or_default().to_string())
                    && row
                        .name
                        .as_ref()
                        .is_none_or(|n| n.chars().count() <= MAX_NAME_CHARS)
                    && row.value.is_none_or(|v| v <= 100)
                    && row.reason.as_ref().is_none_or(Text::is_well_formed)
            })
    }

    /// The rows riskiest first: the lowest score first, rows without a score (closed, or too
    /// little shown) last; page order among equals.
    pub fn riskiest_first(&self) -> Vec<&RowSummary> {
        let mut rows: Vec<&RowSummary> = self.rows.iter().collect();
        rows.sort_by_key(|row| row.value.map_or(u16::MAX, u16::from));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_hostile_summary_is_refused() {
        let good = ListSummary {
            rows: vec![row("0065g00000AB1CD", Some(40))],
        };
        assert!(good.is_well_formed());
        let mut bad_id = good.clone();
        bad_id.rows[0].record_id = "001000000000001".into();
        assert!(!bad_id.is_well_formed(), "an Account Id is no Opportunity");
        let mut twice = good.clone();
        twice.rows.push(row("0065g00000AB1CDAAA", Some(10)));
        assert!(!twice.is_well_formed(), "one record twice (15 and 18)");
        let mut high = good.clone();
        high.rows[0].value = Some(101);
        assert!(!high.is_well_formed());
        let mut long = good.clone();
        long.rows[0].name = Some("x".repeat(MAX_NAME_CHARS + 1));
        assert!(!long.is_well_formed());
        let many = ListSummary {
            rows: (0..=MAX_ROWS)
                .map(|i| row(&format!("0065g{i:010}"), Some(50)))
                .collect(),
        };
        assert!(!many.is_well_formed());
    }
}
