//! What the content script is told of a list at each evaluation: only what changed since the
//! answer it drew last. A list is evaluated again at every change to the page (a cell edited,
//! ten rows scrolled in), and most of its rows are the same each time: sending each row's badge
//! again, and the content script comparing each, cost more than the change itself.
//!
//! A row is answered as **the same** (its record Id alone) when the content script still shows
//! the last answer ([`ListAnswer::epoch`], passed back as `drawn`), and this row is the same
//! item as then (the same node, unchanged: its reading was kept, [`super::cache`]), with the
//! same badge. Its badge then stays where it is, beside the same anchor. Any other row is
//! answered in full, with its anchor. Rows not answered are gone.
//!
//! The list's summary for the side panel ([`super::summary::ListSummary`], as JSON) is answered
//! only when it differs from the last one answered: never when every row is the same, in the
//! same order, nor while the reading is incomplete ([`ListReading::complete`]) unless partial
//! readings are summarised ([`ListCache::summarize_partial_readings`]: then marked `partial`).
//! A partial summary is only reported for its rows' Customer City scores, which the worker
//! matches by record: it is answered again only when the records read are others (a row read
//! anew), not when a row read changed (an inline edit would cost a message per edit).
//!
//! Anything else (a first evaluation, a content script that removed its badges or lost a
//! message, `drawn` of another answer) gets every row in full and the summary.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;

use super::cache::ListCache;
use super::summary::{summary_json, SummaryRows};
use super::view::RowView;
use super::ListReading;

/// What the last answer told the content script.
#[derive(Debug, Default)]
pub(super) struct Answered {
    /// The last answer's number (never 0: 0 is "nothing drawn").
    epoch: u32,
    /// Each answered row's item and badge key, by record Id.
    rows: HashMap<String, ((u64, u64), String)>,
    /// The answered rows' record Ids, in page order.
    order: Vec<String>,
    /// The last summary answered, as its JSON.
    summary: Option<String>,
    /// Each row's JSON in the last summary made.
    summary_rows: SummaryRows,
    /// Whether the last summary made is of the last answer's reading: `Some(partial)`, with
    /// whether that reading (and so the summary) was partial.
    summarized: Option<bool>,
}

impl Answered {
    /// Nothing answered, and an epoch that no answer given so far had.
    pub(super) fn forgotten(self) -> Answered {
        Answered {
            epoch: next_epoch(self.epoch),
            ..Answered::default()
        }
    }
}

/// The epoch after `epoch` (never 0).
fn next_epoch(epoch: u32) -> u32 {
    epoch.wrapping_add(1).max(1)
}

/// One row of an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RowAnswer {
    /// Drawn as it was: its badge and anchor are those of the last answer.
    Same(SameRow),
    /// Drawn anew.
    Drawn(Box<RowView>),
}

/// A row drawn as it was: `{recordId, same: true}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SameRow {
    /// The Opportunity's Id, as the row's link carries it.
    pub record_id: String,
    /// Always true.
    pub same: bool,
}

/// What the content script is told of the list this time.
#[derive(Debug, Clone, PartialEq)]
pub struct ListAnswer {
    /// This answer's number, which the content script passes back as `drawn` once it has
    /// drawn it.
    pub epoch: u32,
    /// Every row, in page order: the same, or drawn anew.
    pub rows: Vec<RowAnswer>,
    /// The summary to report to the worker (`summary::ListSummary`, as JSON), when it
    /// changed.
    pub summary: Option<String>,
}

impl<N: Clone> ListCache<N> {
    /// The answer for `reading` (made through this cache), to a content script that shows the
    /// answer numbered `drawn` (0: none).
    pub fn answer(&mut self, drawn: u32, reading: &ListReading<N>) -> ListAnswer {
        let last = std::mem::take(&mut self.answered);
        let current = drawn != 0 && drawn == last.epoch;
        let report = &reading.report;
        let mut rows = Vec::with_capacity(report.rows.len());
        let mut answered = HashMap::with_capacity_and_hasher(report.rows.len(), Default::default());
        let mut all_same = current;
        for (index, view) in reading.views.iter().enumerate() {
            let item = reading.items.get(index).copied().flatten();
            let kept = reading.kept.get(index).copied().unwrap_or(false);
            let same = current
                && kept
                && item.is_some_and(|item| {
                    last.rows
                        .get(&view.record_id)
                        .is_some_and(|(was, key)| *was == item && *key == view.key)
                });
            all_same &= same;
            if let Some(item) = item {
                answered.insert(view.record_id.clone(), (item, view.key.clone()));
            }
            rows.push(if same {
                RowAnswer::Same(SameRow {
                    record_id: view.record_id.clone(),
                    same: true,
                })
            } else {
                RowAnswer::Drawn(Box::new(RowView::clone(view)))
            });
        }
        let order: Vec<String> = report
            .rows
            .iter()
            .map(|row| row.record_id.clone())
            .collect();
        let mut summary_rows = last.summary_rows;
        let partial = !reading.complete;
        let (summary, summary_json, summarized) = if partial && !self.summarize_partial {
            // Not every row is read yet: the summary waits for them.
            (None, last.summary.filter(|_| current), None)
        } else if all_same && order == last.order && last.summarized == Some(partial) {
            (None, last.summary, Some(partial))
        } else if partial {
            // Reported for the rows' scores only: again when the records read are others. (Those
            // of the last answer are those of the last partial summary sent: a pass that sends
            // none reads the same records.)
            let same_records =
                current && last.summarized == Some(true) && records(&last.order) == records(&order);
            if same_records {
                (None, last.summary, Some(true))
            } else {
                let json = summary_json(report, &mut summary_rows, true);
                (Some(json.clone()), Some(json), Some(true))
            }
        } else {
            let json = summary_json(report, &mut summary_rows, partial);
            let changed = !current || last.summary.as_deref() != Some(json.as_str());
            (changed.then(|| json.clone()), Some(json), Some(partial))
        };
        let epoch = next_epoch(last.epoch);
        self.answered = Answered {
            epoch,
            rows: answered,
            order,
            summary: summary_json,
            summary_rows,
            summarized,
        };
        ListAnswer {
            epoch,
            rows,
            summary,
        }
    }
}

/// The distinct records of `ids`.
fn records(ids: &[String]) -> HashSet<&str> {
    ids.iter().map(String::as_str).collect()
}
