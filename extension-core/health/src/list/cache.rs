//! What reading each item of a list gave, kept from one evaluation of a page to the next, so
//! that a change to one row (an inline edit, ten rows scrolled in) re-reads that row, not the
//! list.
//!
//! An item (a table row, a card, a split view item) is read again unless the backend's
//! [`Dom::fingerprints`](crate::dom::Dom::fingerprints) say it is the same node with the same
//! elements, links and text as when it was read, in the same context (its table and that
//! table's header). What a fingerprint leaves out is what the content script's observer does not
//! report either (attribute changes), with one exception that the reader handles: the contents of
//! open shadow roots, which no fingerprint sees, so an item read through one is never reused.
//! Values are parsed from the kept texts again at every evaluation (with the date order and
//! locale of that evaluation), so only the page's reading is reused, never a decision.
//!
//! An item's entry also keeps the open shadow roots its reading was found in (a split view item,
//! a tile, a Classic row met in a shadow root: `list::ListReading::shadow_roots`), so that a
//! reused item still names the trees the content script watches, without asking the page again.
//!
//! A row's score is kept with its reading: a row whose texts are the same, scored with the same
//! options (locale, date order, the day), is not parsed and scored again. The date order the
//! list's Close Dates settle is kept too, with the texts it was settled from.
//!
//! Bounded: an evaluation keeps only the items it met; the others are forgotten as it ends.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::NaiveDate;

use super::answer::Answered;
use super::view::RowView;
use super::{RawRow, RowReport};
use crate::extract::rules::Field;
use crate::locale::{DateOrder, Locale};
use crate::value::{date_order_marks, settled_order, DateOrderMarks};

/// Readings of list items by node, from the last evaluation of the page.
pub struct ListCache<N> {
    /// By node number and context (a row's table and header, which a row moved to another
    /// table or a header changed since make another).
    entries: HashMap<(u64, u64), Entry<N>>,
    /// The evaluation under way (entries not met in it go at its end).
    pass: u64,
    /// Items read and reused in the last evaluation, for tests and diagnostics.
    read: usize,
    reused: usize,
    /// What the rows' scores were computed with; a change forgets every kept score.
    scoring: Option<Scoring>,
    /// What each Close Date text of the last evaluation says of day/month order.
    date_marks: HashMap<String, DateOrderMarks>,
    /// What the content script was last answered ([`super::answer`]).
    pub(super) answered: Answered,
    /// What the last evaluation found around the list's items.
    pub(super) frame: Frame<N>,
    /// At most this many items read afresh per evaluation ([`ListCache::limit_fresh_reads`]).
    fresh_reads: Option<usize>,
    /// Whether items far from view are left unread ([`ListCache::defer_far_items`]).
    defer_far: bool,
    /// Whether the view moved since the last evaluation ([`ListCache::view_moved`]).
    moved: bool,
    /// Whether the next evaluation reads every item whatever [`ListCache::defer_far_items`]
    /// says ([`ListCache::read_whole_next`]).
    whole_next: bool,
    /// How many evaluations in a row left items unread.
    partial_passes: usize,
    /// Whether an incomplete reading's answer summarises the rows read so far
    /// ([`ListCache::summarize_partial_readings`]).
    pub(super) summarize_partial: bool,
}

/// After this many evaluations in a row that left items unread (a page that changes more items
/// between two evaluations than one may read), the next reads every item.
const MAX_PARTIAL_PASSES: usize = 8;

/// What a reading found of the page around the list's items: the answers of its document-wide
/// questions (the lists, boards and related lists there, the page's language) and the items
/// that gave rows or were left unread far from view. Where the backend tells that the page
/// changed nowhere but inside those items since ([`crate::dom::Dom::changes_within`]: an
/// inline edit, a value re-rendered), the next reading takes these answers instead of asking
/// the whole page again; any other change (rows added or removed, another part of the page)
/// asks again.
pub(super) struct Frame<N> {
    /// Each document-wide query (its selector, and whether in shadow trees) and its matches.
    pub queries: Vec<((&'static str, bool), Vec<N>)>,
    /// The parts of related lists of other objects, in the document's tree or in shadow trees.
    pub other_objects: Vec<(bool, Vec<N>)>,
    /// The locale the page's language names, once asked.
    pub language: Option<Option<Locale>>,
    /// Whether the page has related lists (a record page's): then what tells a related list's
    /// object is part of the page around the list's items too.
    pub related_lists: bool,
    /// The items (rows, cards) that gave rows, and those left unread far from view.
    pub rows: Vec<N>,
    /// The items of [`Frame::rows`] that gave rows.
    pub read: Vec<N>,
    /// The items left unread because they lay far from view, by number
    /// ([`ListCache::defer_far_items`]): while the page changed only inside the rows and the
    /// view did not move ([`ListCache::view_moved`]), they are where they were.
    pub far: HashSet<u64>,
    /// What was asked of each part of the list (a table, a Kanban column) outside its items:
    /// whether it is skipped, its own items, its number, its stage. Taken by the next pass
    /// that keeps the frame.
    pub parts: RefCell<HashMap<PartKey, PartAnswer<N>>>,
}

impl<N: Clone> Frame<N> {
    /// Every node the document-wide questions found (lists, boards, related lists' parts).
    pub fn found(&self) -> Vec<N> {
        self.queries
            .iter()
            .flat_map(|(_, found)| found.iter())
            .chain(
                self.other_objects
                    .iter()
                    .flat_map(|(_, parts)| parts.iter()),
            )
            .cloned()
            .collect()
    }
}

impl<N> Default for Frame<N> {
    fn default() -> Self {
        Frame {
            queries: Vec::new(),
            other_objects: Vec::new(),
            language: None,
            related_lists: false,
            rows: Vec::new(),
            read: Vec::new(),
            far: HashSet::default(),
            parts: RefCell::default(),
        }
    }
}

/// A question asked of one part of the list: the part is the `.2`th match of the document-wide
/// query `.0` (in shadow trees: `.1`), and `.3` names the question. Where the frame is kept, the
/// same query has the same matches in the same order, so the key names the same part.
pub(super) type PartKey = (&'static str, bool, usize, &'static str);

/// An answer about one part of the list ([`PartKey`]).
pub(super) enum PartAnswer<N> {
    Flag(bool),
    Nodes(Vec<N>),
    Number(Option<u64>),
    Text(Option<String>),
}

/// A value kept as a [`PartAnswer`].
pub(super) trait PartValue<N>: Sized {
    fn into_answer(self) -> PartAnswer<N>;
    fn from_answer(answer: PartAnswer<N>) -> Option<Self>;
}

impl<N> PartValue<N> for bool {
    fn into_answer(self) -> PartAnswer<N> {
        PartAnswer::Flag(self)
    }
    fn from_answer(answer: PartAnswer<N>) -> Option<Self> {
        match answer {
            PartAnswer::Flag(flag) => Some(flag),
            _ => None,
        }
    }
}

impl<N> PartValue<N> for Vec<N> {
    fn into_answer(self) -> PartAnswer<N> {
        PartAnswer::Nodes(self)
    }
    fn from_answer(answer: PartAnswer<N>) -> Option<Self> {
        match answer {
            PartAnswer::Nodes(nodes) => Some(nodes),
            _ => None,
        }
    }
}

impl<N> PartValue<N> for Option<u64> {
    fn into_answer(self) -> PartAnswer<N> {
        PartAnswer::Number(self)
    }
    fn from_answer(answer: PartAnswer<N>) -> Option<Self> {
        match answer {
            PartAnswer::Number(number) => Some(number),
            _ => None,
        }
    }
}

impl<N> PartValue<N> for Option<String> {
    fn into_answer(self) -> PartAnswer<N> {
        PartAnswer::Text(self)
    }
    fn from_answer(answer: PartAnswer<N>) -> Option<Self> {
        match answer {
            PartAnswer::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// What a row's score depends on besides its texts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scoring {
    pub locale: Option<Locale>,
    pub currency_locale: Option<Locale>,
    pub date_order: Option<DateOrder>,
    pub today: NaiveDate,
}

struct Entry<N> {
    print: u64,
    outcome: Outcome<N>,
    /// The open shadow roots the item was found in (none for an item of the document's tree).
    shadow_roots: Vec<N>,
    /// The row's texts as last scored, its report and its badge.
    scored: Option<(RowTexts, Arc<RowReport>, Arc<RowView>)>,
    pass: u64,
}

/// What a row's report is computed from: its record, its link's text, its cells' texts.
pub(super) type RowTexts = (String, Option<String>, Vec<(Field, String)>);

/// What reading one item gave.
#[derive(Clone)]
pub(super) enum Outcome<N> {
    /// Not an Opportunity row (hidden, another table's, another object's, a layout row).
    Skip,
    /// A table's header row: each column's field.
    Header(Vec<Option<Field>>),
    /// A row.
    Row(RawRow<N>),
}

impl<N> Default for ListCache<N> {
    fn default() -> Self {
        ListCache {
            entries: HashMap::default(),
            pass: 0,
            read: 0,
            reused: 0,
            scoring: None,
            date_marks: HashMap::default(),
            answered: Answered::default(),
            frame: Frame::default(),
            fresh_reads: None,
            defer_far: false,
            moved: false,
            whole_next: false,
            partial_passes: 0,
            summarize_partial: false,
        }
    }
}

impl<N: Clone> ListCache<N> {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many items the last evaluation read, and how many of those it reused.
    pub fn last_pass(&self) -> (usize, usize) {
        (self.read, self.reused)
    }

    /// How many items are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets every item and answer (the page is another, or is left). The next answer is in
    /// full whatever the content script says it shows.
    pub fn clear(&mut self) {
        let answered = std::mem::take(&mut self.answered);
        let fresh_reads = self.fresh_reads;
        let defer_far = self.defer_far;
        let summarize_partial = self.summarize_partial;
        *self = Self::default();
        self.answered = answered.forgotten();
        self.fresh_reads = fresh_reads;
        self.defer_far = defer_far;
        self.summarize_partial = summarize_partial;
    }

    /// Lets an evaluation read afresh (and keep) at most `items` items; the others wait for the
    /// next evaluation, which reads on from what this one kept (`ListReading::complete` is
    /// false meanwhile). So the first evaluation of a 200-card board is several short tasks of
    /// the page's main thread, not one long one. Items read through open shadow roots, which
    /// are never kept, are not counted (nor limited).
    pub fn limit_fresh_reads(&mut self, items: usize) {
        self.fresh_reads = Some(items.max(1));
    }

    /// Whether the answer to a reading that left rows unread (far from view, or for the next
    /// evaluation) summarises the rows read so far, marked `partial`: a signed-in rep's list
    /// is reported for its rows' scores without being read whole. Off, only a complete
    /// reading is summarised.
    pub fn summarize_partial_readings(&mut self, on: bool) {
        self.summarize_partial = on;
    }

    /// Whether the next evaluations leave unread the items laid out far from view
    /// ([`crate::dom::Dom::far_from_view`]; `ListReading::out_of_view` says when some were):
    /// a list of 200 cards, of which a screenful is seen, is read a screenful at a time as the
    /// user scrolls. Off when every row is wanted (a report of the whole list). An item read
    /// once is reused wherever it is, while unchanged.
    pub fn defer_far_items(&mut self, on: bool) {
        self.defer_far = on;
    }

    /// Whether items far from view are left unread ([`ListCache::defer_far_items`]).
    pub(super) fn far_items_deferred(&self) -> bool {
        self.defer_far && !self.whole_next
    }

    /// Whether the next evaluation reads every item (the rows read left the Close Dates' order
    /// open, and the rows far from view may settle it).
    pub(super) fn read_whole_next(&mut self, on: bool) {
        self.whole_next = on;
    }

    /// Notes that the view moved (a scroll, a resize) since the last evaluation: the next one
    /// asks again which items lie far from view, where it would otherwise take the last
    /// evaluation's answer for the items it left unread (the page changed only inside its rows).
    pub fn view_moved(&mut self) {
        self.moved = true;
    }

    /// Whether the view moved since the last evaluation ([`ListCache::view_moved`]); the next
    /// evaluation starts afresh.
    pub(super) fn take_view_moved(&mut self) -> bool {
        std::mem::take(&mut self.moved)
    }

    /// The limit on this evaluation's fresh readings: the one [`ListCache::limit_fresh_reads`]
    /// set, unless [`MAX_PARTIAL_PASSES`] evaluations in a row left items unread.
    pub(super) fn fresh_reads(&self) -> Option<usize> {
        self.fresh_reads
            .filter(|_| self.partial_passes < MAX_PARTIAL_PASSES)
    }

    /// Notes whether an evaluation read every item.
    pub(super) fn completed(&mut self, complete: bool) {
        self.partial_passes = if complete { 0 } else { self.partial_passes + 1 };
    }

    /// Starts an evaluation.
    pub(super) fn begin(&mut self) {
        self.pass += 1;
        self.read = 0;
        self.reused = 0;
    }

    /// The reading of the node numbered `number` when it was made of the same `print` in the
    /// same `context`, with the shadow roots it was found in; marks it met.
    pub(super) fn reuse(
        &mut self,
        number: u64,
        print: u64,
        context: u64,
    ) -> Option<(Outcome<N>, Vec<N>)> {
        self.read += 1;
        let entry = self.entries.get_mut(&(number, context))?;
        if entry.print != print {
            return None;
        }
        entry.pass = self.pass;
        self.reused += 1;
        Some((entry.outcome.clone(), entry.shadow_roots.clone()))
    }

    /// Keeps a reading, and the shadow roots the item was found in.
    pub(super) fn keep(
        &mut self,
        number: u64,
        print: u64,
        context: u64,
        outcome: Outcome<N>,
        shadow_roots: Vec<N>,
    ) {
        let pass = self.pass;
        self.entries.insert(
            (number, context),
            Entry {
                print,
                outcome,
                shadow_roots,
                scored: None,
                pass,
            },
        );
    }

    /// Starts scoring this evaluation's rows with `scoring`: scores kept under other options
    /// are forgotten.
    pub(super) fn score_with(&mut self, scoring: Scoring) {
        if self.scoring.as_ref() != Some(&scoring) {
            for entry in self.entries.values_mut() {
                entry.scored = None;
            }
            self.scoring = Some(scoring);
        }
    }

    /// The report and badge kept for the item at `key` when its row's texts were `raw`'s.
    pub(super) fn scored(
        &self,
        key: (u64, u64),
        raw: &RawRow<N>,
    ) -> Option<(Arc<RowReport>, Arc<RowView>)> {
        let ((record_id, link_text, cells), report, view) =
            self.entries.get(&key)?.scored.as_ref()?;
        (*record_id == raw.record_id && *link_text == raw.link_text && *cells == raw.cells)
            .then(|| (report.clone(), view.clone()))
    }

    /// Keeps the report and badge of the item at `key`, scored from `texts`.
    pub(super) fn keep_scored(
        &mut self,
        key: (u64, u64),
        texts: RowTexts,
        report: Arc<RowReport>,
        view: Arc<RowView>,
    ) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.scored = Some((texts, report, view));
        }
    }

    /// The date order the Close Date `texts` of this evaluation settle
    /// ([`crate::value::date_order_evidence`]), each text's marks kept for the next.
    pub(super) fn settled_order<'t>(
        &mut self,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> Option<DateOrder> {
        let mut now = HashMap::default();
        for text in texts {
            if !now.contains_key(text) {
                let marks = self
                    .date_marks
                    .get(text)
                    .copied()
                    .unwrap_or_else(|| date_order_marks(text));
                now.insert(text.to_string(), marks);
            }
        }
        let settled = settled_order(now.values().copied());
        self.date_marks = now;
        settled
    }

    /// Ends an evaluation: the items it did not meet are forgotten (rows scrolled away, the
    /// nodes of a list left).
    pub(super) fn sweep(&mut self) {
        let pass = self.pass;
        self.entries.retain(|_, entry| entry.pass == pass);
    }
}
