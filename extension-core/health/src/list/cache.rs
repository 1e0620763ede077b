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
//! Bounded: an evaluation keeps only the items it met; the others are forgotten as it ends.

use std::collections::HashMap;

use super::RawRow;
use crate::extract::rules::Field;

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
}

struct Entry<N> {
    print: String,
    outcome: Outcome<N>,
    /// The open shadow roots the item was found in (none for an item of the document's tree).
    shadow_roots: Vec<N>,
    pass: u64,
}

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
            entries: HashMap::new(),
            pass: 0,
            read: 0,
            reused: 0,
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

    /// Forgets every item (the page is another, or is left).
    pub fn clear(&mut self) {
        self.entries.clear();
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
        print: &str,
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
        print: String,
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
                pass,
            },
        );
    }

    /// Ends an evaluation: the items it did not meet are forgotten (rows scrolled away, the
    /// nodes of a list left).
    pub(super) fn sweep(&mut self) {
        let pass = self.pass;
        self.entries.retain(|_, entry| entry.pass == pass);
    }
}
