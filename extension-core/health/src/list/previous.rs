//! After the URL moves from one list to another: whether the page still shows the list the URL
//! left. Lightning pushes the next list view's URL before it renders that list's rows, and
//! sometimes renders them in place: until it does, the rows on the page are the previous list's,
//! and read as the new URL's list they would be drawn and reported (the side panel's "this
//! list") as rows of a list they are not in. The record page has the same rule
//! ([`crate::badge::still_shows_previous_record`]).
//!
//! The content script hands in what it drew for the list it left (the rows' records and the
//! elements their badges stood after) and the time since the URL changed; [`decide`] answers
//! whether to draw the rows read now or to wait, and when to look again. Only the very nodes it
//! drew beside count as the previous list's: a row rendered anew is another node, whatever it
//! shows.

use crate::badge::{required, JsField};
use crate::page::{recognize_list, OpportunityListPage};

/// How long after a URL change the rows of the list it left may hold back the new list's badges
/// (Lightning renders a list view in well under that). Past it the rows read are drawn whatever
/// they are: a list view whose rows Lightning keeps, node for node (another view of the same
/// records), is not left without badges.
pub const LIST_WAIT_AT_MOST_MS: u32 = 5_000;

/// What the content script drew of the list shown before the URL changed, kept until it draws
/// a list again (a second URL change before that keeps the first list's rows: they are still the
/// ones on the page).
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousList<N> {
    /// The URL the rows were drawn for.
    pub url: String,
    /// Each row drawn: its record and the element its badge stood after.
    pub rows: Vec<(String, N)>,
    /// Milliseconds since the URL last changed (the content script's monotonic clock, never
    /// the wall clock).
    pub waited_ms: f64,
}

impl<N> PreviousList<N> {
    /// From the object `{url, recordIds, waitedMs}` and the anchors drawn, in the order of
    /// `recordIds`; `None` if malformed (a time that is not a finite number of milliseconds at
    /// least 0, or not one anchor per record).
    pub fn from_fields(
        field: impl Fn(&str) -> Option<JsField>,
        anchors: Vec<N>,
    ) -> Option<PreviousList<N>> {
        let url = required(&field, "url", JsField::text).ok()?;
        let record_ids = required(&field, "recordIds", |f| match f {
            JsField::Texts(texts) => Ok(texts),
            _ => Err(()),
        })
        .ok()?;
        let waited_ms = required(&field, "waitedMs", |f| match f {
            JsField::Number(n) if n.is_finite() && n >= 0.0 => Ok(n),
            _ => Err(()),
        })
        .ok()?;
        if record_ids.len() != anchors.len() {
            return None;
        }
        Some(PreviousList {
            url,
            rows: record_ids.into_iter().zip(anchors).collect(),
            waited_ms,
        })
    }
}

/// What the content script does with the rows it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListDecision {
    /// Draw them and report the list.
    Show,
    /// The page still shows the list the URL left: draw nothing, report nothing, and evaluate
    /// again at the next change of the page or after `recheck_ms`, whichever comes first.
    Wait {
        /// When the wait ends though nothing changed ([`LIST_WAIT_AT_MOST_MS`] after the URL
        /// change), at least 1.
        recheck_ms: u32,
    },
}

fn same_record(a: &str, b: &str) -> bool {
    a.get(..15).is_some() && a.get(..15) == b.get(..15)
}

/// Whether to draw the rows read on `page` (`rows`: each row's record and its anchor, in page
/// order), given what was drawn before the URL changed. Waits while all of these hold: the
/// previous URL was a list of another identity than `page` (another list view, `filterName`;
/// another Account), less than [`LIST_WAIT_AT_MOST_MS`] ago; and at least one row read has an
/// anchor, and every row read with one is a row drawn before: the same node, showing the same
/// record. One row that is a new node (or a node re-rendered with another record) ends the wait:
/// the list has been rendered. No previous list (a first list, one after a record page or any
/// other page), the same list (a change of the URL's other parameters), or no anchored row read
/// (nothing of the previous list is drawn): [`ListDecision::Show`].
pub fn decide<'a, N: PartialEq + 'a>(
    previous: Option<&PreviousList<N>>,
    page: &OpportunityListPage,
    rows: impl IntoIterator<Item = (&'a str, Option<&'a N>)>,
) -> ListDecision {
    let Some(previous) = previous else {
        return ListDecision::Show;
    };
    let bound = f64::from(LIST_WAIT_AT_MOST_MS);
    if previous.waited_ms.is_nan() || previous.waited_ms >= bound {
        return ListDecision::Show;
    }
    if recognize_list(&previous.url).is_none_or(|left| left == *page) {
        return ListDecision::Show;
    }
    let mut anchored = 0;
    for (index, (record_id, anchor)) in rows.into_iter().enumerate() {
        let Some(anchor) = anchor else { continue };
        anchored += 1;
        let drawn_here = |(drawn_record, drawn_anchor): &(String, N)| {
            drawn_anchor == anchor && same_record(drawn_record, record_id)
        };
        // The same place first: a list left on the page is read in the order it was drawn (and
        // on the live DOM every comparison is a call into the page).
        let drawn = previous.rows.get(index).is_some_and(drawn_here)
            || previous.rows.iter().any(drawn_here);
        if !drawn {
            return ListDecision::Show;
        }
    }
    if anchored == 0 {
        return ListDecision::Show;
    }
    ListDecision::Wait {
        // At least 1 ms: a fraction left still needs a later look.
        recheck_ms: ((bound - previous.waited_ms).ceil() as u32).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &str =
        "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=AllOpportunities";
    const MINE: &str =
        "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=MyOpportunities";

    fn page(url: &str) -> OpportunityListPage {
        recognize_list(url).unwrap()
    }

    /// The list `url` drawn with rows `(record, node)` (nodes as numbers), `waited_ms` ago.
    fn drawn(url: &str, rows: &[(&str, u32)], waited_ms: f64) -> PreviousList<u32> {
        PreviousList {
            url: url.to_string(),
            rows: rows
                .iter()
                .map(|(record, node)| (record.to_string(), *node))
                .collect(),
            waited_ms,
        }
    }

    fn read<'a>(rows: &'a [(&'a str, Option<u32>)]) -> Vec<(&'a str, Option<&'a u32>)> {
        rows.iter()
            .map(|(record, node)| (*record, node.as_ref()))
            .collect()
    }

    const A: &str = "0065g00000Ls001AAA";
    const B: &str = "0065g00000Ls002AAA";
    const C: &str = "0065g00000Lt001AAA";

    #[test]
    fn the_list_left_on_the_page_after_the_url_moved_to_another_list_is_not_shown() {
        let previous = drawn(ALL, &[(A, 1), (B, 2)], 40.0);
        let left = [(A, Some(1)), (B, Some(2))];
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&left)),
            ListDecision::Wait { recheck_ms: 4_960 }
        );
        // Some of its rows gone already (the rest still the old nodes), or read in another order.
        let fewer = [(B, Some(2))];
        assert!(matches!(
            decide(Some(&previous), &page(MINE), read(&fewer)),
            ListDecision::Wait { .. }
        ));
        let reordered = [(B, Some(2)), (A, Some(1))];
        assert!(matches!(
            decide(Some(&previous), &page(MINE), read(&reordered)),
            ListDecision::Wait { .. }
        ));
        // A row the reader found no anchor for is no sign either way.
        let unanchored = [(A, Some(1)), (C, None)];
        assert!(matches!(
            decide(Some(&previous), &page(MINE), read(&unanchored)),
            ListDecision::Wait { .. }
        ));
    }

    #[test]
    fn one_row_rendered_anew_ends_the_wait() {
        let previous = drawn(ALL, &[(A, 1), (B, 2)], 40.0);
        let new_node = [(A, Some(1)), (C, Some(3))];
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&new_node)),
            ListDecision::Show
        );
        // The same record on a new node (the new list shows it too), and a node Lightning
        // re-rendered in place with another record.
        let same_record_new_node = [(A, Some(3))];
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&same_record_new_node)),
            ListDecision::Show
        );
        let reused_node = [(C, Some(1)), (B, Some(2))];
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&reused_node)),
            ListDecision::Show
        );
        // A record drawn with its 18-character Id read again with 15 is the same record.
        let short = [(&A[..15], Some(1))];
        assert!(matches!(
            decide(Some(&previous), &page(MINE), read(&short)),
            ListDecision::Wait { .. }
        ));
    }

    #[test]
    fn the_wait_ends_after_five_seconds() {
        let left = [(A, Some(1))];
        let previous = drawn(ALL, &[(A, 1)], 4_999.5);
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&left)),
            ListDecision::Wait { recheck_ms: 1 }
        );
        let previous = drawn(ALL, &[(A, 1)], f64::from(LIST_WAIT_AT_MOST_MS));
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&left)),
            ListDecision::Show
        );
        let previous = drawn(ALL, &[(A, 1)], f64::NAN);
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&left)),
            ListDecision::Show
        );
    }

    #[test]
    fn the_same_list_a_first_list_and_an_empty_reading_never_wait() {
        let left = [(A, Some(1))];
        // The same list view: another parameter, the same filter.
        let previous = drawn(ALL, &[(A, 1)], 10.0);
        let same = format!("{ALL}&0.source=alohaHeader");
        assert_eq!(
            decide(Some(&previous), &page(&same), read(&left)),
            ListDecision::Show
        );
        // No list drawn before (the first list of the document, or one after a record page or
        // another page: the content script forgets what it drew there).
        assert_eq!(
            decide(None::<&PreviousList<u32>>, &page(MINE), read(&left)),
            ListDecision::Show
        );
        // A previous URL that is no list (never handed in, but decided all the same).
        let record = drawn(
            "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000Ls001AAA/view",
            &[(A, 1)],
            10.0,
        );
        assert_eq!(
            decide(Some(&record), &page(MINE), read(&left)),
            ListDecision::Show
        );
        // Nothing read, or no row with an anchor: nothing of the previous list would be drawn.
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&[])),
            ListDecision::Show
        );
        assert_eq!(
            decide(Some(&previous), &page(MINE), read(&[(A, None)])),
            ListDecision::Show
        );
    }

    #[test]
    fn other_identities_wait_too() {
        let left = [(A, Some(1))];
        let account =
            |id: &str| format!("https://acme.lightning.force.com/lightning/r/Account/{id}/view");
        let previous = drawn(&account("0015g00000AbCdEAAV"), &[(A, 1)], 10.0);
        assert!(matches!(
            decide(
                Some(&previous),
                &page(&account("0015g00000XyZaBAAV")),
                read(&left)
            ),
            ListDecision::Wait { .. }
        ));
        let home = "https://acme.lightning.force.com/lightning/o/Opportunity/home";
        let previous = drawn(ALL, &[(A, 1)], 10.0);
        assert!(matches!(
            decide(Some(&previous), &page(home), read(&left)),
            ListDecision::Wait { .. }
        ));
    }

    #[test]
    fn the_content_scripts_object_is_read_strictly() {
        use serde_json::{json, Value};
        fn fields(value: &Value) -> impl Fn(&str) -> Option<JsField> + '_ {
            move |name| match value.get(name)? {
                Value::Null => None,
                Value::String(text) => Some(JsField::Text(text.clone())),
                Value::Number(n) => Some(JsField::Number(n.as_f64().unwrap())),
                Value::Bool(flag) => Some(JsField::Flag(*flag)),
                Value::Array(items) => Some(
                    items
                        .iter()
                        .map(|item| item.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .map_or(JsField::Other, JsField::Texts),
                ),
                Value::Object(_) => Some(JsField::Other),
            }
        }
        let good = json!({"url": ALL, "recordIds": [A, B], "waitedMs": 12.5, "extra": 1});
        assert_eq!(
            PreviousList::from_fields(fields(&good), vec![1, 2]),
            Some(drawn(ALL, &[(A, 1), (B, 2)], 12.5))
        );
        assert_eq!(
            PreviousList::from_fields(fields(&good), vec![1]),
            None,
            "an anchor per record"
        );
        for bad in [
            json!({"recordIds": [A], "waitedMs": 1}),
            json!({"url": 3, "recordIds": [A], "waitedMs": 1}),
            json!({"url": ALL, "waitedMs": 1}),
            json!({"url": ALL, "recordIds": [A, 3], "waitedMs": 1}),
            json!({"url": ALL, "recordIds": A, "waitedMs": 1}),
            json!({"url": ALL, "recordIds": [A]}),
            json!({"url": ALL, "recordIds": [A], "waitedMs": -1}),
            json!({"url": ALL, "recordIds": [A], "waitedMs": "1"}),
        ] {
            assert_eq!(
                PreviousList::from_fields(fields(&bad), vec![1]),
                None,
                "{bad}"
            );
        }
    }
}
