//! Rows of Opportunity lists: every row's record Id and the fields its columns show, from any
//! [`Dom`], so that the parsed and the live backend run the same code.
//!
//! One engine reads every list Salesforce draws, each by the markup that names its columns:
//!
//! - **grids** (a `<table>`): Lightning list views and full related lists (`lightning-datatable`:
//!   header cells `th[scope=col]` with `aria-label`, cells with `data-label` and
//!   `data-col-key-value`), related list tables on an Account page, Classic's plain lists
//!   (`table.list`, header labels only): a cell's own `data-label`/API name first, else its
//!   header's, by position;
//! - **Classic enhanced lists** (`div.x-grid3-row`): each cell names its column in its class
//!   (`x-grid3-col-OPPORTUNITY_STAGE_NAME`);
//! - **Kanban boards**: a column per stage (the column's title is every card's stage), cards
//!   with label/value pairs;
//! - **split views**: list items with label/value pairs, or bare values, each kept only where its
//!   kind is unmistakable (an amount with its currency, a percentage, a date, a known stage);
//! - **tiles** (related lists as cards, Aura list records): label/value pairs.
//!
//! ## Which row is which
//!
//! A row is an Opportunity's when its **name** says so, not merely any link in it: Classic
//! views put an action column ("Edit | Del", `/006…/e?retURL=…`) first, and any list may show a
//! lookup to another Opportunity (a "Parent Opportunity" column, a Quote's "Opportunity Name",
//! an activity's "Related To") before or instead of the name.
//!
//! - The name is the row header (`th[scope=row]` in Lightning's datatable and Classic's tables,
//!   `role=rowheader`), else the cell of the Name column (by API name or label, [`columns`]);
//!   in Classic's enhanced list the `x-grid3-col-OPPORTUNITY_NAME` (or `NAME`) cell; on a card
//!   its title. The first of these that links to a record decides: an Opportunity's own page
//!   makes the row that Opportunity's, another object's record (a Quote, a Task, a Contact)
//!   makes it no row at all.
//! - A row that carries its own key (`data-row-key-value`, `data-recordid`) is that record's:
//!   another object's key is no row; an Opportunity's key is the row's record, and its anchor
//!   is the name's link only when it names the same record (same first 15 characters), else
//!   another link to that record, else none.
//! - Only a row with no name that links anywhere takes its first link to an Opportunity.
//! - An action on a record is never its link ([`href::Target::Action`]: `/e`, `/edit`,
//!   `/clone`, a delete; Ids in query parameters such as `retURL` are not read).
//! - On a record page, a related list whose own marks name another object (Lightning's header
//!   icon, `slds-icon-standard-quotes`; Classic's `listRelatedObject caseBlock`) is not read at
//!   all; the Opportunities related list (`slds-icon-standard-opportunity`,
//!   `/related/Opportunities/view`, `opportunityBlock`) and lists without marks are, row by row.
//!
//! Values are parsed by [`crate::value`] exactly as on a record page, with the numeric
//! date order settled by the list's own Close Dates when the locale does not give it. What a
//! row does not show is `None`, and [`ListRow::shown`] says which columns it had, for the
//! score's partial-data rules ([`score`]). Like record extraction this never fails: values plus
//! warnings; rows, columns and text are bounded ([`MAX_ROWS`], [`MAX_COLUMNS`],
//! [`MAX_CELL_CHARS`]).
//!
//! ## Which shadow roots hold the list
//!
//! A page observer on the document does not see changes inside shadow roots. Where Lightning
//! draws a list in native shadow DOM (mixed mode), [`analyze_list_with_shadow_roots`] also
//! names the open shadow roots the list was read in, for the content script to watch: the trees
//! its tables, Kanban columns and items were found in, with the shadow roots around those up to
//! the document, and every open shadow root under a row or card read through (a cell's
//! formatted value). Each root once, at most [`MAX_WATCHED_SHADOW_ROOTS`]; none for a list of
//! the document's own tree without shadow roots in its rows (synthetic shadow DOM). They come
//! from what the reading asks anyway: the roots it finds under each table row or card it reads
//! (and, for watching, those nested in them), and one question of the tree a part was found in; a reused item ([`cache`]) brings the roots kept
//! with it, so an unchanged list names the same roots without asking the page again.

pub mod answer;
pub mod cache;
pub mod columns;
pub mod href;
pub mod previous;
pub mod score;
pub mod summary;
pub mod view;

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::dom::snapshot::Snapshot;
use crate::dom::{has_class, query_composed, Ancestor, Dom, Trees};
use crate::extract::rules::Field;
use crate::extract::text::{is_hidden, visible_text_plain};
use crate::extract::{ExtractOptions, Fields, Warning};
use crate::locale::{DateOrder, Locale};
use crate::value::{date_order_evidence, parse_date, parse_percent, read_amount, ValueError};
pub use cache::ListCache;
use cache::{Outcome, PartKey, PartValue};
pub use href::opportunity_id_in_href;
use href::Target;

/// The most rows read from one page (a list view shows 50 a scroll, a board 200 cards); more
/// are left out with a `list_truncated` warning.
pub const MAX_ROWS: usize = 1000;
/// The most columns read from one list (a list view shows at most 15).
pub const MAX_COLUMNS: usize = 60;
/// The most characters kept of one cell (a long Next Step is a few hundred).
pub const MAX_CELL_CHARS: usize = 1000;
/// The most open shadow roots named for watching ([`ListReading::shadow_roots`]): a native-shadow
/// list view holds a few per row (a cell's component, its formatted value), so 50 rows of 15
/// columns stay well within; those past it are not watched (their changes wait for another).
pub const MAX_WATCHED_SHADOW_ROOTS: usize = 2000;
/// The most shadow roots noted in one reading before duplicates are dropped (a Kanban column's
/// roots are met again under each of its cards).
const MAX_SHADOW_ROOTS_NOTED: usize = 4 * MAX_WATCHED_SHADOW_ROOTS;
/// The most shadow trees climbed from a list's tree to the document (a hostile page nests more).
const MAX_TREE_NESTING: usize = 64;

/// Which kind of list the rows came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Layout {
    /// A table: a Lightning list view's grid, a related list table, a Classic plain list.
    Grid,
    /// Classic's enhanced list (`x-grid3`).
    ClassicGrid,
    /// The Kanban board.
    Kanban,
    /// The split view's list.
    SplitView,
    /// Cards: related lists as tiles, Aura list records.
    Tiles,
}

/// One row: its record, the fields its columns show, which columns it had.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    /// The Opportunity's Id as the row's link carries it (15 or 18 characters).
    pub record_id: String,
    /// The fields, `None` where the list has no such column or the cell could not be read.
    pub fields: Fields,
    /// The fields whose column (or card label) the row has, even when its cell is empty.
    pub shown: Vec<Field>,
    /// Values that could not be read.
    pub warnings: Vec<Warning>,
}

/// Everything read from a list page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListExtraction {
    /// Which list the rows came from; `None` when there were none.
    pub layout: Option<Layout>,
    /// The rows, in page order, each record once.
    pub rows: Vec<ListRow>,
    /// The numeric date order the list's own Close Dates settle, if they do.
    pub date_order: Option<DateOrder>,
    /// Problems met that concern the whole list.
    pub warnings: Vec<Warning>,
}

/// One row as `cc-health list` prints it and the content script draws it: the record, its
/// fields (the record report's schema, `null` where the list has no column), which fields the
/// row shows, its score and what could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowReport {
    /// The Opportunity's Id, as the row's link carries it.
    pub record_id: String,
    /// The seven fields, `null` where not shown or not read.
    pub fields: Fields,
    /// The JSON names of the fields the row shows (its columns), in the list's order.
    pub shown: Vec<&'static str>,
    /// The score from the shown fields, with its reasons.
    pub score: crate::score::Score,
    /// What could not be read, and why.
    pub warnings: Vec<Warning>,
}

/// A list page analysed: its rows, scored.
#[derive(Debug, Clone, PartialEq)]
pub struct ListReport {
    /// Which list the rows came from.
    pub layout: Option<Layout>,
    /// The rows in page order (shared: a list evaluated again keeps each unchanged row's
    /// report, [`cache`], rather than a copy).
    pub rows: Vec<Arc<RowReport>>,
    /// The numeric date order the list's Close Dates settle (the one fact kept per org).
    pub date_order: Option<DateOrder>,
    /// Problems that concern the whole list (no rows, too many rows).
    pub warnings: Vec<Warning>,
}

impl ListReport {
    /// Whether a row's Close Date was left unread because its numeric order is open (a date
    /// such as 03/04/2026 on a page whose locale does not settle it).
    pub fn close_dates_left_open(&self) -> bool {
        close_dates_left_open(&self.rows)
    }
}

fn close_dates_left_open(rows: &[Arc<RowReport>]) -> bool {
    rows.iter().any(|row| {
        row.warnings
            .iter()
            .any(|w| w.code == "ambiguous_value" && w.field == Some("closeDate"))
    })
}

/// A list read for the content script: what [`analyze_list_anchored`] gives, and the open
/// shadow roots to watch for changes to it (see "Which shadow roots hold the list" above).
#[derive(Debug, Clone, PartialEq)]
pub struct ListReading<N> {
    /// The rows, scored.
    pub report: ListReport,
    /// Each row's anchor, in the same order ([`extract_list_anchored`]).
    pub anchors: Vec<Option<N>>,
    /// The open shadow roots the list was found in or read through, each once, at most
    /// [`MAX_WATCHED_SHADOW_ROOTS`]: the trees of its tables, Kanban columns and items found in
    /// shadow roots (the datatable's own, in native shadow DOM), the shadow roots around them up
    /// to the document, then those under its rows and cards. Empty for a list the document's
    /// own tree holds whole.
    pub shadow_roots: Vec<N>,
    /// Each row's badge ([`view::row_view`]), in the same order.
    pub views: Vec<Arc<view::RowView>>,
    /// Each row's item as the cache knows it (its node's number and context), where its reading
    /// was kept; `None` without a cache, or for an item read through an open shadow root.
    pub items: Vec<Option<(u64, u64)>>,
    /// Whether each row's reading is the one kept from the last evaluation (its item unchanged).
    pub kept: Vec<bool>,
    /// False when items were left unread (`read_on`, `out_of_view`). Then `report.date_order`
    /// is `None` (the rows read so far may not settle what all do).
    pub complete: bool,
    /// Whether the next pass should come at once: items were left unread past the cache's
    /// budget of fresh readings per pass ([`ListCache::limit_fresh_reads`]), or far from view
    /// while the rows read leave the Close Dates' order open (the next pass reads them all).
    pub read_on: bool,
    /// Whether items were left unread because they lie far from view
    /// ([`ListCache::defer_far_items`]): a pass after the view moves reads those it brought near.
    pub out_of_view: bool,
}

/// Extracts and scores every row of the list on `dom`. `known_date_order` is what an earlier
/// page of the same org settled.
pub fn analyze_list<D: Dom>(
    dom: &D,
    options: &crate::report::AnalyzeOptions,
    known_date_order: Option<DateOrder>,
) -> ListReport {
    let extraction = extract_list(
        dom,
        &ExtractOptions {
            locale: options.locale.clone(),
            known_date_order,
        },
    );
    report_of(extraction, options.today)
}

/// Scores every row of an extraction.
fn report_of(extraction: ListExtraction, today: NaiveDate) -> ListReport {
    let rows = extraction
        .rows
        .into_iter()
        .map(|row| Arc::new(row_report(row, today)))
        .collect();
    ListReport {
        layout: extraction.layout,
        rows,
        date_order: extraction.date_order,
        warnings: extraction.warnings,
    }
}

/// Scores one row.
fn row_report(row: ListRow, today: NaiveDate) -> RowReport {
    RowReport {
        score: score::score_row(&row, today),
        shown: row.shown.iter().map(|field| field.json_name()).collect(),
        record_id: row.record_id,
        fields: row.fields,
        warnings: row.warnings,
    }
}

/// Parses and scores the rows read through `cache`, as [`parse_rows`] and [`report_of`] do,
/// reusing the report (and badge) kept for a row whose texts are the same as when it was last
/// scored, under the same options: the list's settled date order, the locales, the day. Gives
/// the reports, each row's badge, and the date order the Close Dates settle.
fn score_rows_cached<N: Clone>(
    raw_rows: Vec<RawRow<N>>,
    options: &ExtractOptions,
    currency_locale: Option<&Locale>,
    today: NaiveDate,
    cache: &RefCell<ListCache<N>>,
) -> (
    Vec<Arc<RowReport>>,
    Vec<Arc<view::RowView>>,
    Option<DateOrder>,
) {
    let close_dates = || {
        raw_rows.iter().flat_map(|row| {
            row.cells
                .iter()
                .filter(|(field, _)| *field == Field::CloseDate)
                .map(|(_, text)| text.as_str())
        })
    };
    let settled = cache.borrow_mut().settled_order(close_dates());
    let given = options.locale.as_ref().and_then(Locale::date_order);
    let order = given.or(settled).or(options.known_date_order);
    cache.borrow_mut().score_with(cache::Scoring {
        locale: options.locale.clone(),
        currency_locale: currency_locale.cloned(),
        date_order: order,
        today,
    });
    let mut reports = Vec::with_capacity(raw_rows.len());
    let mut views = Vec::with_capacity(raw_rows.len());
    for raw in raw_rows {
        let item = raw.item;
        let kept = item.and_then(|item| cache.borrow().scored(item, &raw));
        let (report, view) = kept.unwrap_or_else(|| {
            let texts = (
                raw.record_id.clone(),
                raw.link_text.clone(),
                raw.cells.clone(),
            );
            let report = Arc::new(row_report(
                parse_row(raw, options, currency_locale, order),
                today,
            ));
            let view = Arc::new(view::row_view(&report));
            if let Some(item) = item {
                cache
                    .borrow_mut()
                    .keep_scored(item, texts, report.clone(), view.clone());
            }
            (report, view)
        });
        reports.push(report);
        views.push(view);
    }
    (reports, views, settled)
}

/// Parses `html` and analyses it as the list page at `url`; `None` when `url` is not a page
/// that lists Opportunities ([`crate::page::recognize_list`]).
#[cfg(feature = "html")]
pub fn analyze_list_html(
    html: &str,
    url: &str,
    options: &crate::report::AnalyzeOptions,
) -> Option<ListReport> {
    crate::page::recognize_list(url)?;
    let dom = crate::dom::parsed::ParsedDom::parse(html);
    Some(analyze_list(&dom, options, None))
}

/// Reads the rows of the visible Opportunity list. `options` are the record extraction's: the
/// user's locale, and the date order an earlier page of the org settled.
pub fn extract_list<D: Dom>(dom: &D, options: &ExtractOptions) -> ListExtraction {
    extract_list_anchored(dom, options).0
}

/// Extracts and scores every row as [`analyze_list`] does, and gives each row's anchor: the
/// element its badge goes beside ([`extract_list_anchored`]), one per row, in the same order.
pub fn analyze_list_anchored<D: Dom>(
    dom: &D,
    options: &crate::report::AnalyzeOptions,
    known_date_order: Option<DateOrder>,
) -> (ListReport, Vec<Option<D::Node>>) {
    let (extraction, anchors) = extract_list_anchored(
        dom,
        &ExtractOptions {
            locale: options.locale.clone(),
            known_date_order,
        },
    );
    (report_of(extraction, options.today), anchors)
}

/// [`analyze_list_anchored`] (with `cache`: [`analyze_list_cached`]), naming also the open
/// shadow roots the list was found in or read through ([`ListReading::shadow_roots`]). The
/// reading and its answer are the same; finding the roots asks, besides, each open shadow root
/// under a row read through for those nested in it, and a few questions per tree the list was
/// found in.
pub fn analyze_list_with_shadow_roots<D: Dom>(
    dom: &D,
    options: &crate::report::AnalyzeOptions,
    known_date_order: Option<DateOrder>,
    cache: Option<&RefCell<ListCache<D::Node>>>,
) -> ListReading<D::Node> {
    let Some(cache) = cache else {
        let reader = Reader::new(dom, None, true);
        let (extraction, anchors) = reader.read(&ExtractOptions {
            locale: options.locale.clone(),
            known_date_order,
        });
        let report = report_of(extraction, options.today);
        let rows = report.rows.len();
        return ListReading {
            complete: true,
            read_on: false,
            out_of_view: false,
            views: report
                .rows
                .iter()
                .map(|row| Arc::new(view::row_view(row)))
                .collect(),
            items: vec![None; rows],
            kept: vec![false; rows],
            report,
            anchors,
            shadow_roots: reader.watched_shadow_roots(),
        };
    };
    read_cached(dom, options, known_date_order, cache, true)
}

/// A reading through `cache` (see [`cache`]): items unchanged since the last evaluation are not
/// read again, rows whose texts are the same are not scored again. With `watch`, the shadow
/// roots to watch are named ([`analyze_list_with_shadow_roots`]).
fn read_cached<D: Dom>(
    dom: &D,
    options: &crate::report::AnalyzeOptions,
    known_date_order: Option<DateOrder>,
    cache: &RefCell<ListCache<D::Node>>,
    watch: bool,
) -> ListReading<D::Node> {
    let extract_options = ExtractOptions {
        locale: options.locale.clone(),
        known_date_order,
    };
    let mut reader = Reader::new(dom, Some(cache), watch);
    // Nothing outside the items of the last reading (read, or left unread far from view)
    // changed: the list is where it was. Or items were only added or removed beside them (rows
    // rendered as the rep scrolls, a column's cards): the document-wide answers hold, and each
    // part of the list is asked again, where its items lie too.
    // A change inside an item left unread far from view (a placeholder filled in, a row
    // re-rendered taller) may have moved the items after it nearer: where the items lie is
    // asked again (one question of the layout), though the page around them is as it was.
    let (stable, beside, far_changed) = {
        let frame = &cache.borrow().frame;
        let stable = dom.changes_within(&frame.rows);
        // What tells a related list's object matters only where the page has related lists
        // (and the plain selector is a third of the cost per row added).
        let parts = if frame.related_lists {
            selectors::ANY_PART
        } else {
            selectors::ANY_LIST_PART
        };
        // (And what the document-wide questions found is still on the page: a part removed
        // with an item's parent and taken out of it since is seen in no record.)
        let beside =
            !stable && dom.changes_beside(&frame.rows, parts) && dom.all_connected(&frame.found());
        let far_changed =
            stable && frame.read.len() < frame.rows.len() && !dom.changes_within(&frame.read);
        (stable, beside, far_changed)
    };
    reader.last_frame = (stable || beside).then(|| std::mem::take(&mut cache.borrow_mut().frame));
    if let Some(frame) = reader.last_frame.as_mut().filter(|_| beside) {
        frame.parts.get_mut().clear();
        frame.far.clear();
    }
    reader.view_moved = cache.borrow_mut().take_view_moved() || beside || far_changed;
    reader.fresh_left.set(cache.borrow().fresh_reads());
    cache.borrow_mut().begin();
    let RawList {
        layout,
        mut rows,
        warnings,
        currency_locale,
    } = reader.read_raw(&extract_options);
    let anchors = rows.iter_mut().map(|row| row.anchor.take()).collect();
    let items = rows.iter().map(|row| row.item).collect();
    let kept = rows.iter().map(|row| row.kept).collect();
    let (rows, views, date_order) = score_rows_cached(
        rows,
        &extract_options,
        currency_locale.as_ref(),
        options.today,
        cache,
    );
    cache.borrow_mut().sweep();
    cache.borrow_mut().frame = reader.frame.take();
    let out_of_view = reader.out_of_view.get();
    let budget_spent = reader.incomplete.get();
    // Rows left far from view may hold the one Close Date that settles the others' order
    // (`11/14/2026`): while it is open, the next pass reads every item, at once.
    let dates_open = out_of_view && known_date_order.is_none() && close_dates_left_open(&rows);
    cache.borrow_mut().read_whole_next(dates_open);
    let read_on = budget_spent || dates_open;
    let complete = !budget_spent && !out_of_view;
    cache.borrow_mut().completed(!budget_spent);
    ListReading {
        report: ListReport {
            layout,
            rows,
            // Settled by some rows only, the order could be contradicted by the others.
            date_order: date_order.filter(|_| complete),
            warnings,
        },
        complete,
        read_on,
        out_of_view,
        anchors,
        shadow_roots: if watch {
            reader.watched_shadow_roots()
        } else {
            Vec::new()
        },
        views,
        items,
        kept,
    }
}

/// [`analyze_list_anchored`], reusing what an earlier evaluation of the same page read of each
/// item that has not changed since ([`cache`]); `cache` is left holding this evaluation's.
/// The answer is the one [`analyze_list_anchored`] gives for the page as it is now.
pub fn analyze_list_cached<D: Dom>(
    dom: &D,
    options: &crate::report::AnalyzeOptions,
    known_date_order: Option<DateOrder>,
    cache: &RefCell<ListCache<D::Node>>,
) -> (ListReport, Vec<Option<D::Node>>) {
    let reading = read_cached(dom, options, known_date_order, cache, false);
    (reading.report, reading.anchors)
}

/// [`extract_list`], with each row's anchor (one per row, in the same order): the element a
/// row's badge goes right after. It is the row's name as a link to its record (the link that
/// named the row); in a split view, whose link wraps the whole item, the name's own element;
/// `None` for a row keyed by an attribute with no link to its record.
pub fn extract_list_anchored<D: Dom>(
    dom: &D,
    options: &ExtractOptions,
) -> (ListExtraction, Vec<Option<D::Node>>) {
    Reader::new(dom, None, false).read(options)
}

impl<'d, D: Dom> Reader<'d, D> {
    fn new(dom: &'d D, cache: Option<&'d RefCell<ListCache<D::Node>>>, watch: bool) -> Self {
        Reader {
            dom,
            trees: Trees::new(dom),
            full: Cell::new(false),
            flat: Cell::new(false),
            cache,
            watch,
            found_in: RefCell::new(Vec::new()),
            read_through: RefCell::new(Vec::new()),
            last_frame: None,
            frame: RefCell::new(cache::Frame::default()),
            fresh_left: Cell::new(None),
            incomplete: Cell::new(false),
            defer_far: cache.is_some_and(|cache| cache.borrow().far_items_deferred()),
            out_of_view: Cell::new(false),
            part: RefCell::new(PartInView {
                items: Vec::new(),
                numbers: Vec::new(),
                far: HashMap::default(),
            }),
            view_moved: true,
            header_pending: Cell::new(false),
            copy_misses: Cell::new(0),
        }
    }

    /// Reads the list: its rows and their anchors.
    fn read(&self, options: &ExtractOptions) -> (ListExtraction, Vec<Option<D::Node>>) {
        let RawList {
            layout,
            mut rows,
            warnings,
            currency_locale,
        } = self.read_raw(options);
        let anchors = rows.iter_mut().map(|row| row.anchor.take()).collect();
        let (rows, date_order) = parse_rows(rows, options, currency_locale.as_ref());
        let extraction = ListExtraction {
            layout,
            rows,
            date_order,
            warnings,
        };
        (extraction, anchors)
    }

    /// Reads the list's rows, their values unparsed.
    fn read_raw(&self, options: &ExtractOptions) -> RawList<D::Node> {
        let reader = self;
        // The document's own tree first (synthetic shadow DOM is plain DOM there); open shadow
        // roots only when it has no list (native shadow, "mixed mode").
        let found = [false, true].into_iter().find_map(|in_shadow| {
            // Lightning's list views are grids: one query tells that no board, split view or
            // Classic grid is there, where three would ask each in turn.
            let others = !reader
                .candidates(selectors::BOARD_SPLIT_OR_CLASSIC, in_shadow)
                .is_empty();
            [
                Layout::Kanban,
                Layout::SplitView,
                Layout::ClassicGrid,
                Layout::Grid,
                Layout::Tiles,
            ]
            .into_iter()
            .filter(|layout| {
                others
                    || !matches!(
                        layout,
                        Layout::Kanban | Layout::SplitView | Layout::ClassicGrid
                    )
            })
            .find_map(|layout| {
                let rows = match layout {
                    Layout::Kanban => reader.kanban(in_shadow),
                    Layout::SplitView => reader.split_view(in_shadow),
                    Layout::ClassicGrid => reader.classic_grid(in_shadow),
                    Layout::Grid => reader.tables(in_shadow),
                    Layout::Tiles => reader.tiles(in_shadow),
                };
                (!rows.is_empty()).then_some((layout, rows))
            })
        });
        let Some((layout, rows)) = found else {
            return RawList {
                layout: None,
                rows: Vec::new(),
                warnings: vec![Warning {
                    code: "no_list_rows",
                    field: None,
                    raw: None,
                    message: "No Opportunity rows were found in a visible list; the list may still be loading or empty.".to_string(),
                }],
                currency_locale: None,
            };
        };
        let mut warnings = Vec::new();
        if reader.full.get() {
            warnings.push(Warning {
                code: "list_truncated",
                field: None,
                raw: None,
                message: format!(
                    "The list has more than {MAX_ROWS} rows; only the first {MAX_ROWS} were read."
                ),
            });
        }
        let currency_locale = options
            .locale
            .clone()
            .or_else(|| reader.page_language_locale());
        RawList {
            layout: Some(layout),
            rows,
            warnings,
            currency_locale,
        }
    }
}

/// A list as read, its values not parsed yet.
struct RawList<N> {
    layout: Option<Layout>,
    rows: Vec<RawRow<N>>,
    /// Problems that concern the whole list.
    warnings: Vec<Warning>,
    /// The locale amounts are read in: the user's, else the page's language.
    currency_locale: Option<Locale>,
}

/// A row as read from the page, before its values are parsed.
#[derive(Clone)]
struct RawRow<N> {
    /// Where the row's badge goes (see [`extract_list_anchored`]).
    anchor: Option<N>,
    record_id: String,
    /// The record's link text, the name when the list has no Name column of its own.
    link_text: Option<String>,
    /// Each shown field's text (empty when the cell is), first occurrence first.
    cells: Vec<(Field, String)>,
    /// The item it was read from, as the cache knows it (its number and context), when the
    /// reading is kept ([`Reader::reading`]).
    item: Option<(u64, u64)>,
    /// Whether the reading is the one kept from the last evaluation (the item is unchanged).
    kept: bool,
}

/// The rows a layout read so far, in page order, and the records they name (one row per
/// record: a set, since a 200-card board asks for each card).
struct Rows<N> {
    rows: Vec<RawRow<N>>,
    seen: rustc_hash::FxHashSet<String>,
}

impl<N> Default for Rows<N> {
    fn default() -> Self {
        Rows {
            rows: Vec::new(),
            seen: Default::default(),
        }
    }
}

/// A table cell and its kind.
struct TableCell<N> {
    node: N,
    kind: CellKind,
}

/// What a table cell is: a header of its row (`th`, `role=rowheader`: in a data row, where
/// the name is), of its column (`role=columnheader`), or data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellKind {
    RowHeader,
    ColumnHeader,
    Data,
}

impl CellKind {
    /// Whether the cell is a header of any kind (a header row has only these).
    fn is_header(self) -> bool {
        self != CellKind::Data
    }
}

/// A row's record, its link's text and the link (the row's anchor).
type Identified<N> = (String, Option<String>, Option<N>);
/// A text and the element that shows it.
type Named<N> = (String, N);
/// A row's shown fields, each with its cell's text.
type Cells = Vec<(Field, String)>;

/// Selectors, each with the variant it serves.
mod selectors {
    /// Every table: Lightning's datatable (in its own tree when native shadow), SLDS related
    /// list tables, Classic's `table.list`.
    pub const TABLE: &str = "table";
    /// A table's own rows: those of its `thead`, `tbody` and `tfoot` (the HTML parser puts a
    /// table's rows in one) and its `tr` children (a script may add one), not the rows of a
    /// table nested in it, which are read when that table is. Classic's layout tables
    /// (`table#bodyTable` and those nested in its body) hold the whole page: their descendant
    /// rows are the list's rows again, and rows whose text is the page (issue 19).
    pub const TABLE_ROW: &str =
        ":scope > tr, :scope > thead > tr, :scope > tbody > tr, :scope > tfoot > tr";
    /// A link that may name the row's record.
    pub const LINK: &str = "a[href], [data-recordid]";
    /// Classic enhanced list rows (ExtJS grid).
    pub const CLASSIC_GRID_ROW: &str = ".x-grid3-row";
    /// Classic enhanced list cells: the inner `div` whose class names the column.
    pub const CLASSIC_GRID_CELL: &str = "[class*=\"x-grid3-col-\"]";
    /// Kanban columns: Lightning's board (`forceKanbanColumn`, LWC `.kanban-column`) and the
    /// SLDS blueprint's.
    pub const KANBAN_COLUMN: &str = ".forceKanbanColumn, .kanban-column, .slds-kanban__column";
    /// A Kanban column's title: the stage (its `title` attribute when it has one).
    pub const KANBAN_TITLE: &str =
        ".kanbanColumnTitle, .slds-kanban__column-title, [data-stage], header h2";
    /// Kanban cards.
    pub const KANBAN_CARD: &str = ".forceKanbanCard, .kanban-card, .slds-kanban__card";
    /// Any Kanban column, split view item or Classic grid row: [`KANBAN_COLUMN`],
    /// [`SPLIT_ITEM`] and [`CLASSIC_GRID_ROW`] in one selector (a unit test keeps them equal).
    pub const BOARD_SPLIT_OR_CLASSIC: &str = ".forceKanbanColumn, .kanban-column, \
        .slds-kanban__column, .slds-split-view__list-item, .forceSplitViewListItem, .x-grid3-row";
    /// Split view list items (SLDS `slds-split-view__list-item`, Lightning's own wrapper).
    pub const SPLIT_ITEM: &str = ".slds-split-view__list-item, .forceSplitViewListItem";
    /// Values in a split view item, which carries no labels.
    pub const SPLIT_VALUE: &str = ".slds-truncate, [title]";
    /// What a fingerprint of a row or card numbers ([`super::Reader::prints`]): every element a
    /// reading may keep (its links), and the elements hidden from its text (so that hiding or
    /// showing one is a change).
    pub const ITEM_MARKS: &str =
        "a[href], [data-recordid], [hidden], [aria-hidden=\"true\"], [class*=\"hide\"]";
    /// The same for a split view item, whose anchor may be its name's element (a value).
    pub const SPLIT_MARKS: &str = "a[href], [data-recordid], [hidden], [aria-hidden=\"true\"], \
        [class*=\"hide\"], .slds-truncate, [title]";
    /// Cards of related lists shown as tiles, Aura list records.
    pub const TILE: &str = ".forceListRecord, lst-template-list-item-factory, .slds-tile";
    /// Labels in a card, each followed by its value: SLDS description lists (`dt`/`dd`,
    /// `.slds-item_label`), Aura's `.slds-item--label`.
    pub const CARD_LABEL: &str = ".slds-item_label, .slds-item--label, dt";
    /// A card's title (Kanban cards, tiles): where it shows its record's name. SLDS tiles'
    /// `.slds-tile__title`, Aura list records' `.itemTitle`, cards' headings.
    pub const CARD_TITLE: &str = ".slds-tile__title, .itemTitle, h1, h2, h3, h4";
    /// Related lists on a record page, each of one object: Lightning's LWC container, its Aura
    /// predecessor, Classic's (`div.listRelatedObject.opportunityBlock`).
    pub const RELATED_LIST: &str = "lst-related-list-single-container, \
        force-related-list-single-container, .forceRelatedListSingleContainer, .listRelatedObject";
    /// What names a related list's object in Lightning: its header's icon
    /// (`lightning-icon.slds-icon-standard-opportunity`), its header's and "View All" links
    /// (`/lightning/r/Account/<Id>/related/Opportunities/view`).
    pub const RELATED_LIST_MARK: &str =
        "[class*=\"slds-icon-standard-\"], [class*=\"slds-icon-custom-\"], a[href*=\"/related/\"]";
    /// The parts of a list a related list of another object holds: its tables, its tiles.
    pub const LIST_PART: &str =
        "table, .forceListRecord, lst-template-list-item-factory, .slds-tile";
    /// The root element (`<html lang>`: the currency's locale).
    pub const HTML: &str = "html";
    /// Whatever a document-wide question of a reading finds ([`BOARD_SPLIT_OR_CLASSIC`],
    /// [`TABLE`], [`TILE`], [`RELATED_LIST`], [`HTML`]), in one selector (a unit test keeps it
    /// whole): an element added beside the list's items that matches or holds none of these
    /// leaves their answers as they were (`Dom::changes_beside`), on a page without related
    /// lists.
    pub const ANY_LIST_PART: &str = "table, .forceKanbanColumn, .kanban-column, \
        .slds-kanban__column, .slds-split-view__list-item, .forceSplitViewListItem, .x-grid3-row, \
        .forceListRecord, lst-template-list-item-factory, .slds-tile, \
        lst-related-list-single-container, force-related-list-single-container, \
        .forceRelatedListSingleContainer, .listRelatedObject, html";
    /// [`ANY_LIST_PART`] and what tells a related list's object ([`RELATED_LIST_MARK`]): the
    /// same on a page with related lists.
    pub const ANY_PART: &str = "table, .forceKanbanColumn, .kanban-column, \
        .slds-kanban__column, .slds-split-view__list-item, .forceSplitViewListItem, .x-grid3-row, \
        .forceListRecord, lst-template-list-item-factory, .slds-tile, \
        lst-related-list-single-container, force-related-list-single-container, \
        .forceRelatedListSingleContainer, .listRelatedObject, html, \
        [class*=\"slds-icon-standard-\"], [class*=\"slds-icon-custom-\"], a[href*=\"/related/\"]";
}

/// The attributes a copy of a row or card holds (the reader's copies, [`Dom::item_copy`]): those
/// its text is read by ([`crate::dom::snapshot::SNAPSHOT_ATTRIBUTES`], first), then those its
/// cells', links' and own reading asks. Public for the benchmarks.
pub const COPIED_ATTRIBUTES: &[&str] = &[
    "hidden",
    "aria-hidden",
    "class",
    "style",
    "slot",
    "name",
    "role",
    "data-col-key-value",
    "data-label",
    "aria-label",
    "title",
    "href",
    "data-row-key-value",
    "data-recordid",
    "data-record-id",
    "data-stage",
];
/// The items of one pass whose copy may fail to stand for the page before the pass stops
/// copying (a list drawn in native shadow DOM: every row holds a shadow root).
const MAX_COPY_MISSES: u32 = 3;
/// A row's own key, where it has one: Lightning datatable rows, Kanban cards, Aura records.
const ROW_KEY_ATTRIBUTES: &[&str] = &["data-row-key-value", "data-recordid", "data-record-id"];
/// A link's record: its `href`, else its `data-recordid` (Aura lookups).
const LINK_ATTRIBUTES: &[&str] = &["href", "data-recordid"];
/// The most rows of one table looked at (fingerprinted, read): a list's ([`MAX_ROWS`]) and a
/// header row. A table of more is cut there, and its list with it (`list_truncated`).
const MAX_TABLE_ROWS: usize = MAX_ROWS + 1;
/// The most links looked at in one row or cell.
const MAX_LINKS: usize = 40;
/// The most related lists looked at on one page (an Account page shows a dozen or two).
const MAX_RELATED_LISTS: usize = 100;
/// The attributes of a list item (a row, a card) its reading depends on: in its fingerprint
/// ([`cache`]), with everything under it.
const ITEM_ATTRIBUTES: &[&str] = &[
    "hidden",
    "style",
    "class",
    "aria-hidden",
    "role",
    "data-row-key-value",
    "data-recordid",
    "data-record-id",
];
/// The attributes read of each ancestor to tell whether a list is on the visible page.
const SCOPE_ATTRIBUTES: &[&str] = &["hidden", "style", "class", "aria-hidden"];
/// Page hosts Lightning keeps after navigating away; only the one with class `active` shows.
const PAGE_HOST_CLASSES: &[&str] = &["lafPageHost", "oneConsoleTab", "tabContent"];
/// Subtrees that show other records than the page's list: hover cards, search results.
const EXCLUDED_CLASSES: &[&str] = &[
    "slds-hide",
    "forceHoverPanel",
    "slds-popover",
    "search-dialog",
    "oneUtilityBar",
];
/// Tag-name fragments of the same.
const EXCLUDED_TAG_FRAGMENTS: &[&str] = &[
    "hover-panel",
    "record-preview",
    "global-search",
    "search-dialog",
    "utility-bar",
];

struct Reader<'d, D: Dom> {
    dom: &'d D,
    trees: Trees<D>,
    /// Set once [`MAX_ROWS`] rows were read.
    full: Cell<bool>,
    /// Whether the list part being read holds no open shadow root ([`Reader::enter`]).
    flat: Cell<bool>,
    /// Readings of an earlier evaluation to reuse ([`cache`]).
    cache: Option<&'d RefCell<ListCache<D::Node>>>,
    /// Whether the shadow roots to watch are wanted ([`analyze_list_with_shadow_roots`]): then
    /// [`Reader::enter`] also notes the roots nested in those it finds.
    watch: bool,
    /// The shadow roots list parts were found in (tables, Kanban columns, items met in shadow
    /// trees), in the order met, duplicates included.
    found_in: RefCell<Vec<D::Node>>,
    /// The shadow roots under the parts read through ([`Reader::enter`]), duplicates included.
    read_through: RefCell<Vec<D::Node>>,
    /// What the last pass found around the list's items, when nothing outside them changed
    /// since ([`cache::Frame`]): its document-wide answers are this pass's.
    last_frame: Option<cache::Frame<D::Node>>,
    /// What this pass finds around the items, for the next.
    frame: RefCell<cache::Frame<D::Node>>,
    /// How many more items this pass may read afresh and keep ([`ListCache::limit_fresh_reads`]);
    /// `None`: any number.
    fresh_left: Cell<Option<usize>>,
    /// Set when an item was left for the next pass.
    incomplete: Cell<bool>,
    /// Whether an item far from view is left unread ([`ListCache::defer_far_items`]).
    defer_far: bool,
    /// Set when an item was left unread because it lies far from view.
    out_of_view: Cell<bool>,
    /// The part read now, while `defer_far` ([`Reader::prints`]).
    part: RefCell<PartInView<D::Node>>,
    /// Whether the view moved since the last pass ([`ListCache::view_moved`]).
    view_moved: bool,
    /// Set while a table row is read before the table's header row was found: it is read
    /// whatever its place.
    header_pending: Cell<bool>,
    /// Items of this pass the backend made no copy of that could stand for the page
    /// ([`Reader::read_copied`]); past [`MAX_COPY_MISSES`], the pass reads every item from the
    /// page.
    copy_misses: Cell<u32>,
}

/// The items of the list part read now and their numbers; whether each is far from view, by
/// number, as asked so far ([`Reader::far_from_view_now`]).
struct PartInView<N> {
    items: Vec<N>,
    numbers: Vec<u64>,
    far: HashMap<u64, bool>,
}

/// How many items one question of where they lie asks about ([`Reader::far_from_view_now`]):
/// the item that needs an answer and those after it. A pass after a change reads one row or
/// two, and asking about every row of a 60-row list for them cost half a millisecond (a box
/// per row); a first pass asks a few times instead of once.
const FAR_ASKED_AT_ONCE: usize = 16;

impl<D: Dom> Reader<'_, D> {
    /// The matches of `selector` in the document's own tree, or in its shadow roots.
    /// The last pass's answer when nothing outside the list's items changed since
    /// ([`Reader::last_frame`]).
    fn candidates(&self, selector: &'static str, in_shadow: bool) -> Vec<D::Node> {
        let key = (selector, in_shadow);
        let known = self.last_frame.as_ref().and_then(|frame| {
            frame
                .queries
                .iter()
                .find(|(asked, _)| *asked == key)
                .map(|(_, found)| found.clone())
        });
        let found = known.unwrap_or_else(|| {
            if in_shadow {
                self.trees.query_shadow_trees(self.dom, selector)
            } else {
                self.dom.query_tree(self.trees.document(), selector)
            }
        });
        self.frame.borrow_mut().queries.push((key, found.clone()));
        found
    }

    /// The answer to the question `key` names about one part of the list: the last pass's
    /// when its frame is kept ([`Reader::last_frame`]), else `ask`'s. `ask` also says whether
    /// its answer may be kept for the next pass: not one that looked into shadow roots, which
    /// notes them for watching as it does.
    fn part<T: PartValue<D::Node> + Clone>(
        &self,
        key: PartKey,
        ask: impl FnOnce() -> (T, bool),
    ) -> T {
        let known = self
            .last_frame
            .as_ref()
            .and_then(|frame| frame.parts.borrow_mut().remove(&key))
            .and_then(T::from_answer);
        let (answer, keep) = match known {
            Some(known) => (known, true),
            None => ask(),
        };
        if keep {
            let kept = answer.clone().into_answer();
            self.frame.borrow_mut().parts.get_mut().insert(key, kept);
        }
        answer
    }

    /// [`Reader::own_or_composed`] of the part `key` names, kept when found in its own tree.
    fn part_items(&self, key: PartKey, part: &D::Node, selector: &'static str) -> Vec<D::Node> {
        self.part(key, || {
            let own = self.dom.query_tree(part, selector);
            if !own.is_empty() {
                return (own, true);
            }
            self.enter(part);
            (self.composed(part, selector), false)
        })
    }

    /// [`query_composed`] under `scope`, an element of the list part being read (a table, a
    /// Kanban column, a row or card): its own tree's matches alone when that part holds no open
    /// shadow root ([`Reader::enter`]), which is then the same answer without a walk of each
    /// row's subtree for shadow roots.
    fn composed(&self, scope: &D::Node, selector: &'static str) -> Vec<D::Node> {
        self.composed_in(self.dom, scope, selector)
    }

    /// [`Reader::composed`] in `dom`: the page's, or a copy of the item being read
    /// ([`Reader::read_copied`]).
    fn composed_in<R: Dom>(
        &self,
        dom: &R,
        scope: &R::Node,
        selector: &'static str,
    ) -> Vec<R::Node> {
        if self.flat.get() {
            dom.query_tree(scope, selector)
        } else {
            query_composed(dom, scope, selector)
        }
    }

    /// Starts reading `part` (a table, column, row or card of the list): whether its tree holds
    /// an open shadow root is found once (the live backend keeps the answer for the pass), for
    /// [`Reader::composed`] under any element of `part`'s own tree.
    ///
    /// The roots found are noted for watching, and when the watch is wanted, those nested in
    /// them too (one call per root: a cell's component holds its formatted value in a root of
    /// its own, which the text walk reads through without naming it).
    fn enter(&self, part: &D::Node) {
        self.flat.set(false);
        let roots = self.dom.shadow_roots_in_tree(part);
        let flat = roots.is_empty();
        if !flat {
            self.note_read_through(roots);
        }
        self.flat.set(flat);
    }

    /// `read` over a copy of `item`, a row or card, made in one call ([`Dom::item_copy`]: on the
    /// live DOM a row read from the page is some thirty calls); `None` where the backend makes
    /// no copy, or the copy cannot stand for the page: it holds an open shadow root (read from
    /// the page, whose roots are noted for watching), slots filled from outside it, or `read`
    /// asked what it does not hold (a parent outside it, an attribute not copied). Then the
    /// item is read from the page: the same reading, so the same answer.
    fn read_copied(
        &self,
        item: &D::Node,
        read: impl FnOnce(&Snapshot) -> Outcome<u32>,
    ) -> Option<Outcome<D::Node>> {
        if self.copy_misses.get() >= MAX_COPY_MISSES {
            return None;
        }
        let copy = self
            .dom
            .item_copy(item, COPIED_ATTRIBUTES, selectors::LINK)
            .filter(|copy| !copy.snapshot.has_shadow_root() && copy.snapshot.is_faithful());
        let Some(copy) = copy else {
            self.copy_misses.set(self.copy_misses.get() + 1);
            return None;
        };
        let snapshot = &copy.snapshot;
        // No open shadow root under the item: what `enter` finds for it.
        self.flat.set(true);
        let outcome = read(snapshot);
        // A question the copy could not answer (a header row's parent): read from the page.
        if snapshot.missed() {
            return None;
        }
        match outcome {
            Outcome::Skip => Some(Outcome::Skip),
            Outcome::Header(fields) => Some(Outcome::Header(fields)),
            Outcome::Row(row) => {
                let anchor = match row.anchor {
                    Some(node) => copy.original(node).map(Some),
                    None => Some(None),
                };
                anchor.map(|anchor| {
                    Outcome::Row(RawRow {
                        anchor,
                        record_id: row.record_id,
                        link_text: row.link_text,
                        cells: row.cells,
                        item: None,
                        kept: false,
                    })
                })
            }
        }
    }

    /// Notes `roots`, shadow roots under a part being read, and with [`Reader::watch`] those
    /// nested in them, depth first; bounded by [`MAX_SHADOW_ROOTS_NOTED`].
    fn note_read_through(&self, roots: Vec<D::Node>) {
        let mut pending = roots;
        pending.reverse();
        while let Some(root) = pending.pop() {
            let mut noted = self.read_through.borrow_mut();
            if noted.len() >= MAX_SHADOW_ROOTS_NOTED {
                return;
            }
            noted.push(root.clone());
            drop(noted);
            if self.watch {
                let mut nested = self.dom.shadow_roots_in_tree(&root);
                nested.reverse();
                pending.extend(nested);
            }
        }
    }

    /// Notes the shadow root `part` was found in: `part` is a table, a Kanban column or an item
    /// that gave rows in the pass over the shadow trees, whose own tree is a shadow root.
    fn note_found_in(&self, part: &D::Node) {
        let mut noted = self.found_in.borrow_mut();
        if noted.len() < MAX_SHADOW_ROOTS_NOTED {
            noted.push(self.dom.tree_root(part));
        }
    }

    /// The shadow roots to watch ([`ListReading::shadow_roots`]), from what the reading noted:
    /// the trees the list was found in, the shadow trees around those up to the document, the
    /// roots read through; each once, at most [`MAX_WATCHED_SHADOW_ROOTS`].
    fn watched_shadow_roots(&self) -> Vec<D::Node> {
        let found_in = distinct(self.dom, self.found_in.take());
        let mut roots = found_in.clone();
        for root in &found_in {
            // A shadow root's parent is its host; the host's own tree is the next one out.
            let mut current = root.clone();
            for _ in 0..MAX_TREE_NESTING {
                let Some(host) = self.dom.parent(&current) else {
                    break;
                };
                let outer = self.dom.tree_root(&host);
                if !self.dom.is_shadow_root(&outer) {
                    break;
                }
                roots.push(outer.clone());
                current = outer;
            }
        }
        roots.extend(self.read_through.take());
        let mut roots = distinct(self.dom, roots);
        roots.truncate(MAX_WATCHED_SHADOW_ROOTS);
        roots
    }

    /// The fingerprints of `items` (the rows or cards of a list part) when a cache is given:
    /// one call for all of them. `anchors` matches every element a reading of one may keep
    /// (its anchor), so that a reading holding a node since replaced is not reused.
    fn prints(&self, items: &[D::Node], anchors: &'static str) -> Option<Vec<(u64, u64)>> {
        if self.cache.is_none() || items.is_empty() {
            return None;
        }
        let prints = self.dom.fingerprints(items, ITEM_ATTRIBUTES, anchors);
        if self.defer_far && self.asks_layout() {
            let numbers = prints.iter().flatten().map(|(number, _)| *number).collect();
            *self.part.borrow_mut() = PartInView {
                items: items.to_vec(),
                numbers,
                far: HashMap::default(),
            };
        }
        prints
    }

    /// Whether the item numbered `number`, of the part read now, lies far from view: the last
    /// pass's answer while the page changed only inside the rows read and the view did not move
    /// (an item read since is near); else asked of the page ([`Reader::far_from_view_now`]).
    /// Noted for the next pass.
    fn far_from_view(&self, number: u64) -> bool {
        let far = match self.last_frame.as_ref().filter(|_| !self.asks_layout()) {
            Some(frame) => frame.far.contains(&number),
            None => self.far_from_view_now(number),
        };
        if far {
            self.frame.borrow_mut().far.insert(number);
        }
        far
    }

    /// Whether this pass asks the layout where its items lie: the view moved, or the page
    /// changed outside the rows read last (no frame kept).
    fn asks_layout(&self) -> bool {
        self.view_moved || self.last_frame.is_none()
    }

    /// Whether the item numbered `number` lies far from view, asked of the page with the
    /// [`FAR_ASKED_AT_ONCE`] items from it on the first time one of them needs it.
    fn far_from_view_now(&self, number: u64) -> bool {
        let mut part = self.part.borrow_mut();
        let PartInView {
            items,
            numbers,
            far,
        } = &mut *part;
        if let Some(known) = far.get(&number) {
            return *known;
        }
        let Some(at) = numbers.iter().position(|known| *known == number) else {
            return false;
        };
        let end = (at + FAR_ASKED_AT_ONCE).min(items.len()).min(numbers.len());
        let answers = self.dom.far_from_view(&items[at..end]);
        far.extend(numbers[at..end].iter().copied().zip(answers));
        far.get(&number).copied().unwrap_or(false)
    }

    /// The reading of one item: the cache's when the item is the same node, unchanged, read in
    /// the same `context`; else `read`'s, which starts with [`Reader::enter`] of the item, kept
    /// for the next evaluation unless the item holds an open shadow root (no fingerprint sees
    /// into one). A kept item is reused without looking for shadow roots again: its elements are
    /// the same (the fingerprint numbers them), and Lightning's components and declarative
    /// shadow DOM attach a shadow root as an element is made, never later.
    fn reading(
        &self,
        item: &D::Node,
        print: Option<&(u64, u64)>,
        context: u64,
        read: impl FnOnce() -> Outcome<D::Node>,
    ) -> Outcome<D::Node> {
        let outcome = self.reading_of(item, print, context, read);
        if matches!(outcome, Outcome::Row(_)) {
            let mut frame = self.frame.borrow_mut();
            frame.rows.push(item.clone());
            frame.read.push(item.clone());
        }
        outcome
    }

    fn reading_of(
        &self,
        item: &D::Node,
        print: Option<&(u64, u64)>,
        context: u64,
        read: impl FnOnce() -> Outcome<D::Node>,
    ) -> Outcome<D::Node> {
        let (Some(cache), Some((number, print))) = (self.cache, print) else {
            return read();
        };
        let reused = cache.borrow_mut().reuse(*number, *print, context);
        if let Some((mut outcome, found_in)) = reused {
            let mut noted = self.found_in.borrow_mut();
            let room = MAX_SHADOW_ROOTS_NOTED.saturating_sub(noted.len());
            noted.extend(found_in.into_iter().take(room));
            if let Outcome::Row(row) = &mut outcome {
                row.item = Some((*number, context));
                row.kept = true;
            }
            return outcome;
        }
        // Far from what the user sees, the item waits until it comes near (the content script
        // evaluates again when the view moves), or until every item is wanted.
        if self.defer_far && !self.header_pending.get() && self.far_from_view(*number) {
            self.out_of_view.set(true);
            // Part of the frame: a change inside it (a row re-rendered, a value edited off
            // screen) leaves the list where it was, and the next pass leaves it unread again
            // without asking the page.
            self.frame.borrow_mut().rows.push(item.clone());
            return Outcome::Skip;
        }
        // Past the pass's budget of fresh readings, the item waits for the next pass.
        let left = self.fresh_left.get();
        if left == Some(0) {
            self.incomplete.set(true);
            return Outcome::Skip;
        }
        let before = self.found_in.borrow().len();
        let mut outcome = read();
        if self.flat.get() {
            // Counted only when kept: an item read through a shadow root is read at every pass,
            // and a budget spent on those would never let the reading complete.
            self.fresh_left.set(left.map(|left| left - 1));
            if let Outcome::Row(row) = &mut outcome {
                row.item = Some((*number, context));
            }
            // The trees the item was found in, noted by `read`, kept with its reading.
            let found_in = self
                .found_in
                .borrow()
                .get(before..)
                .unwrap_or_default()
                .to_vec();
            cache
                .borrow_mut()
                .keep(*number, *print, context, outcome.clone(), found_in);
        }
        outcome
    }

    /// The matches of `selector` under `part` (a Kanban column): those of its own tree, found
    /// without looking for shadow roots; only where there are none, those in the open shadow
    /// roots under it too (a board drawn in native shadow DOM).
    fn own_or_composed(&self, part: &D::Node, selector: &'static str) -> Vec<D::Node> {
        let own = self.dom.query_tree(part, selector);
        if !own.is_empty() {
            return own;
        }
        self.enter(part);
        self.composed(part, selector)
    }

    fn page_language_locale(&self) -> Option<Locale> {
        let language = match self
            .last_frame
            .as_ref()
            .and_then(|frame| frame.language.clone())
        {
            Some(known) => known,
            None => self.page_language_locale_now(),
        };
        self.frame.borrow_mut().language = Some(language.clone());
        language
    }

    fn page_language_locale_now(&self) -> Option<Locale> {
        let html = self
            .dom
            .query_tree(self.trees.document(), selectors::HTML)
            .into_iter()
            .next()?;
        Locale::parse(&self.dom.attribute(&html, "lang")?)
    }

    /// Whether `node` is off the visible page: hidden, on an inactive page host, in a hover
    /// card or search results. A chain deeper than 4,096 nodes is out (a hostile page).
    fn out_of_scope(&self, node: &D::Node) -> bool {
        match self.dom.ancestry(node, SCOPE_ATTRIBUTES, 4096) {
            Some(chain) => chain.iter().any(excludes),
            None => true,
        }
    }

    fn text(&self, node: &D::Node) -> String {
        text_in(self.dom, node)
    }

    /// Adds `row` unless its record is already listed (by either Id form: the first 15
    /// characters name the record); false once the list is full.
    fn push(&self, rows: &mut Rows<D::Node>, row: RawRow<D::Node>) -> bool {
        if rows.rows.len() >= MAX_ROWS {
            self.full.set(true);
            return false;
        }
        if rows.seen.insert(record_key(&row.record_id).to_string()) {
            rows.rows.push(row);
        }
        true
    }

    /// The row's record, its link's text and the link (the row's anchor): see "Which row is
    /// which" in the module docs. `name_cells` are where the row shows its name, best first (a
    /// table's row header and Name column, a Classic grid's Name cell, a card's titles).
    fn record_of<R: Dom>(
        &self,
        dom: &R,
        row: &R::Node,
        name_cells: &[R::Node],
    ) -> Option<Identified<R::Node>> {
        let key = dom
            .attributes(row, ROW_KEY_ATTRIBUTES)
            .into_iter()
            .flatten()
            .find_map(|value| match href::target_of_id(value.trim()) {
                Target::Nothing => None,
                target => Some(target),
            });
        match key {
            // Another object's row (a Quote's, a Task's): never an Opportunity row.
            Some(Target::OtherRecord) => None,
            // The row names its record: the link is the name's, else any link to that record.
            Some(Target::Opportunity(id)) => {
                let link = name_cells
                    .iter()
                    .find_map(|cell| match self.first_record_link(dom, cell) {
                        Some((Target::Opportunity(linked), link)) if same_record(&linked, &id) => {
                            Some(link)
                        }
                        _ => None,
                    })
                    .or_else(|| {
                        self.opportunity_link(dom, row, Some(&id))
                            .map(|(_, link)| link)
                    });
                let text = link.as_ref().map(|link| text_in(dom, link));
                Some((id, text, link))
            }
            _ => {
                // The first name cell that links to a record decides: an Opportunity's is the
                // row's; another record's (a Quote's name, a Task's subject) is no Opportunity
                // row, whatever else the row links to.
                let named = name_cells
                    .iter()
                    .find_map(|cell| self.first_record_link(dom, cell));
                let (id, link) = match named {
                    Some((Target::Opportunity(id), link)) => (id, link),
                    Some(_) => return None,
                    None => self.opportunity_link(dom, row, None)?,
                };
                let text = Some(text_in(dom, &link)).filter(|text| !text.is_empty());
                Some((id, text, Some(link)))
            }
        }
    }

    /// What a link (or an element with `data-recordid`) names: its `href` decides; the
    /// attribute where the `href` names no record (`javascript:void(0)`, `#`).
    fn link_target<R: Dom>(dom: &R, link: &R::Node) -> Target {
        let values = dom.attributes(link, LINK_ATTRIBUTES);
        let from_href = values[0].as_deref().map_or(Target::Nothing, href::target);
        match (from_href, &values[1]) {
            (Target::Nothing, Some(record_id)) => href::target_of_id(record_id.trim()),
            (target, _) => target,
        }
    }

    /// The first link under `scope` that names a record (an Opportunity's or another object's;
    /// actions and links to no record are passed over).
    fn first_record_link<R: Dom>(&self, dom: &R, scope: &R::Node) -> Option<(Target, R::Node)> {
        self.composed_in(dom, scope, selectors::LINK)
            .into_iter()
            .take(MAX_LINKS)
            .find_map(|link| match Self::link_target(dom, &link) {
                Target::Nothing | Target::Action => None,
                target => Some((target, link)),
            })
    }

    /// The first link under `scope` to an Opportunity's own page (to `wanted`'s record when
    /// given), never an action on it.
    fn opportunity_link<R: Dom>(
        &self,
        dom: &R,
        scope: &R::Node,
        wanted: Option<&str>,
    ) -> Option<(String, R::Node)> {
        self.composed_in(dom, scope, selectors::LINK)
            .into_iter()
            .take(MAX_LINKS)
            .find_map(|link| match Self::link_target(dom, &link) {
                Target::Opportunity(id) if wanted.is_none_or(|wanted| same_record(wanted, &id)) => {
                    Some((id, link))
                }
                _ => None,
            })
    }

    /// The tables and cards of the related lists that list another object than Opportunities
    /// (an Account page's Contacts, Quotes, Cases, activities, custom objects), by the marks
    /// each related list carries ([`related_list_object`]): asked once per reading of a
    /// layout, never per row.
    fn other_objects_parts(&self, in_shadow: bool) -> Vec<D::Node> {
        let known = self.last_frame.as_ref().and_then(|frame| {
            frame
                .other_objects
                .iter()
                .find(|(asked, _)| *asked == in_shadow)
                .map(|(_, parts)| (parts.clone(), frame.related_lists))
        });
        let parts = match known {
            Some((parts, related_lists)) => {
                self.frame.borrow_mut().related_lists |= related_lists;
                parts
            }
            None => self.other_objects_parts_now(in_shadow),
        };
        self.frame
            .borrow_mut()
            .other_objects
            .push((in_shadow, parts.clone()));
        parts
    }

    fn other_objects_parts_now(&self, in_shadow: bool) -> Vec<D::Node> {
        let containers = if in_shadow {
            self.trees.query_all(self.dom, selectors::RELATED_LIST)
        } else {
            self.dom
                .query_tree(self.trees.document(), selectors::RELATED_LIST)
        };
        if !containers.is_empty() {
            self.frame.borrow_mut().related_lists = true;
        }
        let mut parts = Vec::new();
        for container in containers.into_iter().take(MAX_RELATED_LISTS) {
            if self.related_list_object(&container) != Some(false) {
                continue;
            }
            if in_shadow {
                parts.extend(query_composed(self.dom, &container, selectors::LIST_PART));
            } else {
                parts.extend(self.dom.query_tree(&container, selectors::LIST_PART));
            }
        }
        parts
    }

    /// Whether a related list lists Opportunities: `Some(true)` when its marks say so,
    /// `Some(false)` when they name another object, `None` without marks (then each row's name
    /// alone decides). Classic names the object in a class (`listRelatedObject
    /// opportunityBlock`); Lightning in the header's icon (`slds-icon-standard-opportunity`;
    /// another object's `slds-icon-standard-quotes`, `slds-icon-custom-custom18`), and in the
    /// header's and "View All" links (`/related/Opportunities/view`, which an org's own
    /// relationship to Opportunities names otherwise: only a positive mark).
    fn related_list_object(&self, container: &D::Node) -> Option<bool> {
        let class = self.dom.attribute(container, "class").unwrap_or_default();
        let classes: Vec<&str> = class.split_ascii_whitespace().collect();
        if classes.contains(&"listRelatedObject") {
            return classes
                .iter()
                .find(|class| class.ends_with("Block") && **class != "bPageBlock")
                .map(|class| *class == "opportunityBlock");
        }
        // (Composed: the container is outside the list part being read, [`Reader::composed`].)
        for mark in query_composed(self.dom, container, selectors::RELATED_LIST_MARK)
            .into_iter()
            .take(8)
        {
            let [class, link] =
                <[Option<String>; 2]>::try_from(self.dom.attributes(&mark, &["class", "href"]))
                    .unwrap_or_default();
            if let Some(object) = class.as_deref().and_then(icon_object) {
                return Some(object == "opportunity");
            }
            if link.as_deref().and_then(href::related_list_name) == Some("Opportunities") {
                return Some(true);
            }
        }
        None
    }

    /// Grids: every visible table whose rows name Opportunities, but those of related lists of
    /// other objects.
    fn tables(&self, in_shadow: bool) -> Vec<RawRow<D::Node>> {
        let mut rows = Rows::default();
        let mut other_objects: Option<Vec<D::Node>> = None;
        for (index, table) in self
            .candidates(selectors::TABLE, in_shadow)
            .into_iter()
            .enumerate()
        {
            let key = |question| (selectors::TABLE, in_shadow, index, question);
            let skipped = self.part(key("skipped"), || {
                let skipped = has_class(self.dom, &table, "x-grid3-row-table")
                    || has_class(self.dom, &table, "x-grid3-hd-row-table")
                    || self.out_of_scope(&table)
                    || other_objects
                        .get_or_insert_with(|| self.other_objects_parts(in_shadow))
                        .iter()
                        .any(|part| self.dom.same_node(part, &table));
                (skipped, true)
            });
            if skipped {
                continue;
            }
            let before = rows.rows.len();
            let more = self.read_table(&table, key, &mut rows);
            if in_shadow && rows.rows.len() > before {
                self.note_found_in(&table);
            }
            if !more {
                break;
            }
        }
        rows.rows
    }

    /// One table's rows into `rows`; false once the list is full, or cut at this table.
    fn read_table(
        &self,
        table: &D::Node,
        key: impl Fn(&'static str) -> PartKey,
        rows: &mut Rows<D::Node>,
    ) -> bool {
        let mut header: Vec<Option<Field>> = Vec::new();
        // The table's own rows alone ([`selectors::TABLE_ROW`]), at most [`MAX_TABLE_ROWS`]:
        // only these are fingerprinted and read. They are in its own tree (a row in a shadow root
        // under it is never the table's): found without looking for shadow roots, which each row
        // read is then looked into for alone.
        let mut trs = self.part(key("rows"), || {
            (self.dom.query_tree(table, selectors::TABLE_ROW), true)
        });
        let cut = trs.len() > MAX_TABLE_ROWS;
        trs.truncate(MAX_TABLE_ROWS);
        let before = rows.rows.len();
        // A row's reading holds for the table it was read in, under the header it was read with.
        let table_number = self.part(key("number"), || {
            let number = self
                .cache
                .and_then(|_| self.dom.numbers(std::slice::from_ref(table)))
                .and_then(|numbers| numbers.first().copied());
            (number, true)
        });
        let prints = table_number.and_then(|_| self.prints(&trs, selectors::ITEM_MARKS));
        for (index, tr) in trs.iter().enumerate() {
            let print = prints.as_ref().map(|prints| &prints[index]);
            let context = context_of(&(table_number, &header));
            let read = || {
                let copied =
                    self.read_copied(tr, |copy| self.table_row(copy, &copy.root(), &header));
                copied.unwrap_or_else(|| {
                    self.enter(tr);
                    self.table_row(self.dom, tr, &header)
                })
            };
            // Until the table's header row is read, no row is left for being far from view:
            // it may be the header (scrolled above the view), which every row's columns need.
            self.header_pending.set(header.is_empty());
            let outcome = self.reading(tr, print, context, read);
            self.header_pending.set(false);
            match outcome {
                Outcome::Skip => {}
                // The first row without a record that has header cells is the header.
                Outcome::Header(fields) => {
                    if header.is_empty() {
                        header = fields;
                    }
                }
                Outcome::Row(row) => {
                    if !self.push(rows, row) {
                        return false;
                    }
                }
            }
        }
        if cut && rows.rows.len() > before {
            // A list of more rows than were looked at: it is cut here (the rows of the tables
            // after it would not follow its own in page order).
            self.full.set(true);
            return false;
        }
        true
    }

    /// What one of a table's own rows is, its columns' fields from `header` where its cells do
    /// not name them.
    fn table_row<R: Dom>(
        &self,
        dom: &R,
        tr: &R::Node,
        header: &[Option<Field>],
    ) -> Outcome<R::Node> {
        if is_hidden(dom, tr) {
            return Outcome::Skip;
        }
        let cells = Self::cells_of(dom, tr);
        // A layout table's row (Classic's `bodyTable`: the sidebar, the body) holds tables
        // of its own: those are read for themselves.
        // (Asked of the row first: a row without a table has no cell with one.)
        if !dom.query_tree(tr, selectors::TABLE).is_empty()
            && cells
                .iter()
                .any(|cell| !dom.query_tree(&cell.node, selectors::TABLE).is_empty())
        {
            return Outcome::Skip;
        }
        // A row of header cells only (a header row) has no name cell.
        let all_headers = !cells.is_empty() && cells.iter().all(|cell| cell.kind.is_header());
        let fields: Vec<Option<Field>> = if all_headers {
            Vec::new()
        } else {
            cells
                .iter()
                .enumerate()
                .map(|(index, cell)| {
                    Self::own_field(dom, &cell.node)
                        .or_else(|| header.get(index).copied().flatten())
                })
                .collect()
        };
        // Where the row shows its name: its row header (the datatable's `th[scope=row]`,
        // Classic's `th.dataCell`), then its Name column.
        let mut name_cells: Vec<R::Node> = Vec::new();
        if !all_headers {
            let row_header = cells
                .iter()
                .position(|cell| cell.kind == CellKind::RowHeader);
            let name_column = fields.iter().position(|field| *field == Some(Field::Name));
            name_cells.extend(row_header.map(|index| cells[index].node.clone()));
            if name_column != row_header {
                name_cells.extend(name_column.map(|index| cells[index].node.clone()));
            }
        }
        let Some((record_id, link_text, anchor)) = self.record_of(dom, tr, &name_cells) else {
            return if Self::is_header_row(dom, tr, &cells) {
                Outcome::Header(
                    cells
                        .iter()
                        .map(|cell| Self::header_field(dom, &cell.node))
                        .collect(),
                )
            } else {
                Outcome::Skip
            };
        };
        let mut shown = Vec::new();
        for (cell, field) in cells.iter().zip(&fields) {
            if let Some(field) = *field {
                if !shown.iter().any(|(known, _)| *known == field) {
                    shown.push((field, text_in(dom, &cell.node)));
                }
            }
        }
        Outcome::Row(RawRow {
            anchor,
            record_id,
            link_text,
            cells: shown,
            item: None,
            kept: false,
        })
    }

    /// A row's cells: its element children that are cells, at most [`MAX_COLUMNS`], each with
    /// its kind.
    fn cells_of<R: Dom>(dom: &R, row: &R::Node) -> Vec<TableCell<R::Node>> {
        dom.children(row)
            .into_iter()
            .filter_map(|child| match child {
                crate::dom::Child::Node(node) => Some(node),
                crate::dom::Child::Text(_) => None,
            })
            .filter_map(|node| {
                let kind = match dom.tag_name(&node).as_deref() {
                    Some("th") => CellKind::RowHeader,
                    Some("td") => CellKind::Data,
                    _ => match dom.attribute(&node, "role").as_deref() {
                        Some("gridcell") => CellKind::Data,
                        Some("rowheader") => CellKind::RowHeader,
                        Some("columnheader") => CellKind::ColumnHeader,
                        _ => return None,
                    },
                };
                Some(TableCell { node, kind })
            })
            .take(MAX_COLUMNS)
            .collect()
    }

    fn is_header_row<R: Dom>(dom: &R, row: &R::Node, cells: &[TableCell<R::Node>]) -> bool {
        dom.attribute(row, "data-row-key-value").as_deref() == Some("HEADER")
            || has_class(dom, row, "headerRow")
            || dom
                .parent(row)
                .and_then(|parent| dom.tag_name(&parent))
                .as_deref()
                == Some("thead")
            || (!cells.is_empty() && cells.iter().all(|cell| cell.kind.is_header()))
    }

    /// The field a cell names itself: its API name (the datatable's column key), then its
    /// `data-label` (the datatable's column label on every cell).
    fn own_field<R: Dom>(dom: &R, cell: &R::Node) -> Option<Field> {
        let [key, label] = <[Option<String>; 2]>::try_from(
            dom.attributes(cell, &["data-col-key-value", "data-label"]),
        )
        .unwrap_or_default();
        key.and_then(|key| columns::field_of_api_name(&key))
            .or_else(|| label.and_then(|label| columns::field_of_label(&label)))
    }

    /// The field a header cell names: its API name, its `aria-label` or `title`, its text.
    fn header_field<R: Dom>(dom: &R, cell: &R::Node) -> Option<Field> {
        Self::own_field(dom, cell)
            .or_else(|| {
                ["aria-label", "title"]
                    .into_iter()
                    .find_map(|attribute| columns::field_of_label(&dom.attribute(cell, attribute)?))
            })
            .or_else(|| columns::field_of_label(&text_in(dom, cell)))
    }

    /// Classic's enhanced list: every cell names its column; the row is its Name cell's
    /// record (an action column's "Edit | Del" and a lookup to another Opportunity come first
    /// in many views).
    fn classic_grid(&self, in_shadow: bool) -> Vec<RawRow<D::Node>> {
        let mut rows = Rows::default();
        let candidates = self.candidates(selectors::CLASSIC_GRID_ROW, in_shadow);
        let prints = self.prints(&candidates, selectors::ITEM_MARKS);
        for (index, row) in candidates.iter().enumerate() {
            if self.out_of_scope(row) {
                continue;
            }
            let print = prints.as_ref().map(|prints| &prints[index]);
            let read = || {
                self.enter(row);
                let outcome = self.classic_row(self.dom, row);
                if in_shadow && matches!(outcome, Outcome::Row(_)) {
                    self.note_found_in(row);
                }
                outcome
            };
            let Outcome::Row(row) =
                self.reading(row, print, context_of(&Layout::ClassicGrid), read)
            else {
                continue;
            };
            if !self.push(&mut rows, row) {
                break;
            }
        }
        rows.rows
    }

    /// One row of Classic's enhanced list.
    fn classic_row<R: Dom>(&self, dom: &R, row: &R::Node) -> Outcome<R::Node> {
        let cells: Vec<(Option<Field>, R::Node)> = self
            .composed_in(dom, row, selectors::CLASSIC_GRID_CELL)
            .into_iter()
            .take(MAX_COLUMNS)
            .map(|cell| {
                let class = dom.attribute(&cell, "class").unwrap_or_default();
                let field =
                    columns::classic_grid_column(&class).and_then(columns::field_of_api_name);
                (field, cell)
            })
            .collect();
        let name_cells: Vec<R::Node> = cells
            .iter()
            .find(|(field, _)| *field == Some(Field::Name))
            .map(|(_, cell)| cell.clone())
            .into_iter()
            .collect();
        let Some((record_id, link_text, anchor)) = self.record_of(dom, row, &name_cells) else {
            return Outcome::Skip;
        };
        let mut fields: Vec<(Field, String)> = Vec::new();
        for (field, cell) in &cells {
            let Some(field) = *field else {
                continue;
            };
            if !fields.iter().any(|(known, _)| *known == field) {
                fields.push((field, text_in(dom, cell)));
            }
        }
        Outcome::Row(RawRow {
            anchor,
            record_id,
            link_text,
            cells: fields,
            item: None,
            kept: false,
        })
    }

    /// The Kanban board: each column's title is its cards' stage.
    fn kanban(&self, in_shadow: bool) -> Vec<RawRow<D::Node>> {
        let mut rows = Rows::default();
        for (index, column) in self
            .candidates(selectors::KANBAN_COLUMN, in_shadow)
            .into_iter()
            .enumerate()
        {
            let key = |question| (selectors::KANBAN_COLUMN, in_shadow, index, question);
            if self.part(key("skipped"), || (self.out_of_scope(&column), true)) {
                continue;
            }
            let stage = self.part(key("stage"), || {
                let titles = self.dom.query_tree(&column, selectors::KANBAN_TITLE);
                let flat = !titles.is_empty();
                let titles = if flat {
                    titles
                } else {
                    self.own_or_composed(&column, selectors::KANBAN_TITLE)
                };
                let stage = titles.into_iter().next().map(|title| {
                    self.dom
                        .attribute(&title, "data-stage")
                        .or_else(|| self.dom.attribute(&title, "title"))
                        .map(|text| bounded(crate::value::normalize_spaces(&text)))
                        .unwrap_or_else(|| self.text(&title))
                });
                (stage, flat)
            });
            let cards = self.part_items(key("cards"), &column, selectors::KANBAN_CARD);
            let prints = self.prints(&cards, selectors::ITEM_MARKS);
            if in_shadow && !cards.is_empty() {
                self.note_found_in(&column);
            }
            for (index, card) in cards.iter().enumerate() {
                // A card's reading holds in any column (its stage is the column's, added here).
                let print = prints.as_ref().map(|prints| &prints[index]);
                let outcome = self.reading(card, print, context_of(&Layout::Kanban), || {
                    let copied = self.read_copied(card, |copy| {
                        let root = copy.root();
                        if is_hidden(copy, &root) {
                            return Outcome::Skip;
                        }
                        self.card(copy, &root).map_or(Outcome::Skip, Outcome::Row)
                    });
                    copied.unwrap_or_else(|| {
                        self.enter(card);
                        if is_hidden(self.dom, card) {
                            return Outcome::Skip;
                        }
                        self.card(self.dom, card)
                            .map_or(Outcome::Skip, Outcome::Row)
                    })
                });
                let Outcome::Row(mut row) = outcome else {
                    continue;
                };
                if let Some(stage) = &stage {
                    if !row.cells.iter().any(|(field, _)| *field == Field::Stage) {
                        row.cells.push((Field::Stage, stage.clone()));
                    }
                }
                if !self.push(&mut rows, row) {
                    return rows.rows;
                }
            }
        }
        rows.rows
    }

    /// The split view's list: labelled values, else values of an unmistakable kind.
    fn split_view(&self, in_shadow: bool) -> Vec<RawRow<D::Node>> {
        let mut rows = Rows::default();
        let items = self.candidates(selectors::SPLIT_ITEM, in_shadow);
        let prints = self.prints(&items, selectors::SPLIT_MARKS);
        for (index, item) in items.iter().enumerate() {
            if self.out_of_scope(item) {
                continue;
            }
            let print = prints.as_ref().map(|prints| &prints[index]);
            let outcome = self.reading(item, print, context_of(&Layout::SplitView), || {
                self.enter(item);
                let Some(mut row) = self.card(self.dom, item) else {
                    return Outcome::Skip;
                };
                if row.cells.is_empty() {
                    let (name, cells) = self.typed_values(item);
                    if let Some((name, node)) = name {
                        row.link_text = Some(name);
                        row.anchor = Some(node);
                    }
                    row.cells = cells;
                }
                if in_shadow {
                    self.note_found_in(item);
                }
                Outcome::Row(row)
            });
            let Outcome::Row(row) = outcome else {
                continue;
            };
            if !self.push(&mut rows, row) {
                break;
            }
        }
        rows.rows
    }

    /// Related lists as tiles and Aura list records.
    fn tiles(&self, in_shadow: bool) -> Vec<RawRow<D::Node>> {
        let mut rows = Rows::default();
        let mut other_objects: Option<Vec<D::Node>> = None;
        let tiles = self.candidates(selectors::TILE, in_shadow);
        let prints = self.prints(&tiles, selectors::ITEM_MARKS);
        for (index, tile) in tiles.iter().enumerate() {
            if self.out_of_scope(tile) {
                continue;
            }
            let other_objects =
                other_objects.get_or_insert_with(|| self.other_objects_parts(in_shadow));
            if other_objects
                .iter()
                .any(|part| self.dom.same_node(part, tile))
            {
                continue;
            }
            let print = prints.as_ref().map(|prints| &prints[index]);
            let outcome = self.reading(tile, print, context_of(&Layout::Tiles), || {
                self.enter(tile);
                let outcome = self
                    .card(self.dom, tile)
                    .map_or(Outcome::Skip, Outcome::Row);
                if in_shadow && matches!(outcome, Outcome::Row(_)) {
                    self.note_found_in(tile);
                }
                outcome
            });
            let Outcome::Row(row) = outcome else {
                continue;
            };
            if !self.push(&mut rows, row) {
                break;
            }
        }
        rows.rows
    }

    /// A card's record (its title's) and its label/value pairs.
    fn card<R: Dom>(&self, dom: &R, card: &R::Node) -> Option<RawRow<R::Node>> {
        let titles: Vec<R::Node> = self
            .composed_in(dom, card, selectors::CARD_TITLE)
            .into_iter()
            .take(4)
            .collect();
        let (record_id, link_text, anchor) = self.record_of(dom, card, &titles)?;
        let mut cells: Vec<(Field, String)> = Vec::new();
        for label in self
            .composed_in(dom, card, selectors::CARD_LABEL)
            .into_iter()
            .take(MAX_COLUMNS)
        {
            let text = dom
                .attribute(&label, "title")
                .filter(|title| !title.trim().is_empty())
                .unwrap_or_else(|| text_in(dom, &label));
            let Some(field) = columns::field_of_label(&text) else {
                continue;
            };
            let value = dom
                .next_element_sibling(&label)
                .map(|value| text_in(dom, &value))
                .unwrap_or_default();
            if !cells.iter().any(|(known, _)| *known == field) {
                cells.push((field, value));
            }
        }
        Some(RawRow {
            anchor,
            record_id,
            link_text,
            cells,
            item: None,
            kept: false,
        })
    }

    /// A split view item's name (its first value: the link wraps the whole item) and its other
    /// values, each kept only where its kind is unmistakable: a known stage name, an amount with
    /// its currency, a percentage, a date (only when it is the only one).
    fn typed_values(&self, item: &D::Node) -> (Option<Named<D::Node>>, Cells) {
        let mut name: Option<Named<D::Node>> = None;
        let mut found: Vec<(Field, String)> = Vec::new();
        let mut dates = Vec::new();
        for node in self
            .composed(item, selectors::SPLIT_VALUE)
            .into_iter()
            .take(MAX_COLUMNS)
        {
            // Leaves only: a wrapper's text is its children's.
            if !self.composed(&node, selectors::SPLIT_VALUE).is_empty() {
                continue;
            }
            let text = self.text(&node);
            if text.is_empty() {
                continue;
            }
            if name.is_none() {
                name = Some((text, node));
                continue;
            }
            let field = if crate::score::closed_outcome(&text).is_some()
                || crate::score::stage_default_probability(&text).is_some()
            {
                Some(Field::Stage)
            } else if text.contains('%') && parse_percent(&text, None).is_ok() {
                Some(Field::Probability)
            } else if read_amount(&text, None).is_ok_and(|reading| {
                reading.amount.currency.is_some() || reading.open_symbol.is_some()
            }) {
                Some(Field::Amount)
            } else if text.chars().any(|c| c.is_ascii_digit())
                && text.chars().filter(|c| c.is_alphabetic()).count() <= 12
                && date_like(&text)
            {
                dates.push(text.clone());
                None
            } else {
                None
            };
            if let Some(field) = field {
                if !found.iter().any(|(known, _)| *known == field) {
                    found.push((field, text));
                }
            }
        }
        if let [date] = dates.as_slice() {
            found.push((Field::CloseDate, date.clone()));
        }
        (name, found)
    }
}

/// The visible text of `node` in `dom` (the page, or a copy of a row), bounded.
fn text_in<R: Dom>(dom: &R, node: &R::Node) -> String {
    bounded(visible_text_plain(dom, node))
}

/// `nodes` without repeats, first occurrence first: by the backend's node numbers (one call),
/// else node by node.
fn distinct<D: Dom>(dom: &D, nodes: Vec<D::Node>) -> Vec<D::Node> {
    if nodes.len() < 2 {
        return nodes;
    }
    match dom.numbers(&nodes) {
        Some(numbers) if numbers.len() == nodes.len() => {
            let mut seen = std::collections::HashSet::new();
            nodes
                .into_iter()
                .zip(numbers)
                .filter(|(_, number)| seen.insert(*number))
                .map(|(node, _)| node)
                .collect()
        }
        _ => {
            let mut kept: Vec<D::Node> = Vec::new();
            for node in nodes {
                if !kept.iter().any(|known| dom.same_node(known, &node)) {
                    kept.push(node);
                }
            }
            kept
        }
    }
}

/// Whether a text reads as a date in some order (numeric or with a month name).
fn date_like(text: &str) -> bool {
    !matches!(
        parse_date(text, Some(DateOrder::MonthDayYear)),
        Err(ValueError::Unparseable(_))
    ) || !matches!(
        parse_date(text, Some(DateOrder::DayMonthYear)),
        Err(ValueError::Unparseable(_))
    )
}

/// Whether one ancestor puts a list off the visible page; `values` are [`SCOPE_ATTRIBUTES`].
fn excludes(ancestor: &Ancestor) -> bool {
    let [hidden, style, class, aria_hidden] = ancestor.values.as_slice() else {
        return false;
    };
    if hidden.is_some() || aria_hidden.as_deref() == Some("true") {
        return true;
    }
    if let Some(style) = style {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if compact.contains("display:none") || compact.contains("visibility:hidden") {
            return true;
        }
    }
    if EXCLUDED_TAG_FRAGMENTS
        .iter()
        .any(|fragment| ancestor.tag.contains(fragment))
    {
        return true;
    }
    if let Some(classes) = class {
        let classes: Vec<&str> = classes.split_ascii_whitespace().collect();
        if EXCLUDED_CLASSES.iter().any(|class| classes.contains(class)) {
            return true;
        }
        let is_page_host = PAGE_HOST_CLASSES
            .iter()
            .any(|class| classes.contains(class));
        if is_page_host && !classes.contains(&"active") {
            return true;
        }
    }
    false
}

/// A number for the context an item was read in ([`cache`]).
fn context_of(context: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    context.hash(&mut hasher);
    hasher.finish()
}

/// Whether two Ids name the same record: their first 15 characters (an 18-character Id adds a
/// checksum to the 15-character one).
fn same_record(one: &str, other: &str) -> bool {
    record_key(one) == record_key(other)
}

/// What names a record in either Id form: its first 15 characters.
fn record_key(id: &str) -> &str {
    id.get(..15).unwrap_or(id)
}

/// The object an SLDS icon's class names (`slds-icon-standard-opportunity`: `opportunity`;
/// `slds-icon-custom-custom18`: `custom18`), if it names one.
fn icon_object(class_attribute: &str) -> Option<&str> {
    class_attribute.split_ascii_whitespace().find_map(|class| {
        ["slds-icon-standard-", "slds-icon-custom-"]
            .iter()
            .find_map(|prefix| class.strip_prefix(prefix))
            .filter(|object| !object.is_empty())
    })
}

/// `text` cut to [`MAX_CELL_CHARS`] characters.
fn bounded(mut text: String) -> String {
    if let Some((index, _)) = text.char_indices().nth(MAX_CELL_CHARS) {
        text.truncate(index);
    }
    text
}

/// Parses every row's values. The Close Date's numeric order: the locale's; else what the
/// list's own Close Dates settle (`11/14/2026` says month first for every row); else the order
/// an earlier page of the org settled.
fn parse_rows<N>(
    raw_rows: Vec<RawRow<N>>,
    options: &ExtractOptions,
    currency_locale: Option<&Locale>,
) -> (Vec<ListRow>, Option<DateOrder>) {
    let given = options.locale.as_ref().and_then(Locale::date_order);
    let settled = date_order_evidence(raw_rows.iter().flat_map(|row| {
        row.cells
            .iter()
            .filter(|(field, _)| *field == Field::CloseDate)
            .map(|(_, text)| text.as_str())
    }));
    let order = given.or(settled).or(options.known_date_order);
    let rows = raw_rows
        .into_iter()
        .map(|raw| parse_row(raw, options, currency_locale, order))
        .collect();
    (rows, settled)
}

fn parse_row<N>(
    raw: RawRow<N>,
    options: &ExtractOptions,
    currency_locale: Option<&Locale>,
    order: Option<DateOrder>,
) -> ListRow {
    let mut fields = Fields::default();
    let mut warnings = Vec::new();
    let mut shown = Vec::new();
    for (field, text) in &raw.cells {
        shown.push(*field);
        if text.is_empty() {
            continue;
        }
        let outcome: Result<(), ValueError> = match field {
            Field::Name => {
                fields.name = Some(text.clone());
                Ok(())
            }
            Field::Stage => {
                fields.stage = Some(text.clone());
                Ok(())
            }
            Field::Owner => {
                fields.owner = Some(text.clone());
                Ok(())
            }
            Field::NextStep => {
                fields.next_step = Some(text.clone());
                Ok(())
            }
            Field::Amount => read_amount(text, currency_locale).map(|reading| {
                if let (None, Some(symbol)) = (&reading.amount.currency, reading.open_symbol) {
                    warnings.push(Warning {
                        code: "ambiguous_currency",
                        field: Some(field.json_name()),
                        raw: Some(shown_raw(text)),
                        message: format!(
                            "amount: \"{symbol}\" stands for more than one currency here; the currency is unknown"
                        ),
                    });
                }
                fields.amount = Some(reading.amount);
            }),
            Field::Probability => parse_percent(text, options.locale.as_ref())
                .map(|value| fields.probability = Some(value)),
            Field::CloseDate => {
                parse_date(text, order).map(|date: NaiveDate| fields.close_date = Some(date))
            }
        };
        if let Err(error) = outcome {
            let code = match error {
                ValueError::Ambiguous(_) => "ambiguous_value",
                ValueError::Unparseable(_) => "unreadable_value",
                ValueError::OutOfRange(_) => "out_of_range_value",
            };
            warnings.push(Warning {
                code,
                field: Some(field.json_name()),
                raw: Some(shown_raw(text)),
                message: format!(
                    "{}: \"{}\" is {}",
                    field.json_name(),
                    shown_raw(text),
                    error
                ),
            });
        }
    }
    if fields.name.is_none() {
        if let Some(name) = raw.link_text.filter(|name| !name.is_empty()) {
            fields.name = Some(name);
            shown.push(Field::Name);
        }
    }
    ListRow {
        record_id: raw.record_id,
        fields,
        shown,
        warnings,
    }
}

/// A raw value as a warning quotes it: at most 200 characters.
fn shown_raw(raw: &str) -> String {
    let mut shown: String = raw.chars().take(200).collect();
    if shown.len() < raw.len() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_their_opportunity() {
        for (href, id) in [
            (
                "/lightning/r/Opportunity/0065g00000AbCdEAAV/view",
                Some("0065g00000AbCdEAAV"),
            ),
            (
                "https://acme.lightning.force.com/lightning/r/0065g00000AbCdE/view",
                Some("0065g00000AbCdE"),
            ),
            ("/0065g00000AbCdE", Some("0065g00000AbCdE")),
            (
                "/one/one.app#/sObject/0065g00000AbCdEAAV/view",
                Some("0065g00000AbCdEAAV"),
            ),
            ("/lightning/r/Account/0015g00000XyZabAAB/view", None),
            ("/0015g00000XyZab?retURL=%2F0065g00000AbCdE", None),
            ("/lightning/r/User/0055g00000JdOeAAAY/view", None),
            ("javascript:void(0)", None),
            ("", None),
        ] {
            assert_eq!(opportunity_id_in_href(href), id, "{href}");
        }
    }

    /// The rows of `html`, each as its record, its name and its anchor's `href`.
    #[cfg(feature = "html")]
    fn rows_of(html: &str) -> Vec<(String, Option<String>, Option<String>)> {
        let dom = crate::dom::parsed::ParsedDom::parse(html);
        let (extraction, anchors) = extract_list_anchored(&dom, &ExtractOptions::default());
        extraction
            .rows
            .into_iter()
            .zip(anchors)
            .map(|(row, anchor)| {
                let href = anchor.and_then(|anchor| dom.attribute(&anchor, "href"));
                (row.record_id, row.fields.name, href)
            })
            .collect()
    }

    #[cfg(feature = "html")]
    fn row(id: &str, name: &str, href: &str) -> (String, Option<String>, Option<String>) {
        (
            id.to_string(),
            Some(name.to_string()),
            Some(href.to_string()),
        )
    }

    /// Regression (list review, defect 1): Classic's enhanced list with "Edit | Del" and a
    /// "Parent Opportunity" lookup before the Name: the row is its Name cell's record, its badge
    /// goes after the name, and a read-only row (no Edit link) is not taken for its parent.
    #[cfg(feature = "html")]
    #[test]
    fn a_classic_rows_action_and_lookup_columns_do_not_name_it() {
        let row_html = |id: &str, actions: bool, parent: Option<&str>, name: &str| {
            let actions = if actions {
                format!(
                    "<a href=\"/{id}/e?retURL=%2F006%3Ffcf%3D00B5g00000PaRnT\" class=\"actionLink\">Edit</a>&nbsp;|&nbsp;\
                     <a href=\"javascript:void(0);\" class=\"actionLink\">Del</a>"
                )
            } else {
                "&nbsp;".to_string()
            };
            let parent = parent.map_or("&nbsp;".to_string(), |parent| {
                format!("<a href=\"/{parent}\">Parent deal</a>")
            });
            format!(
                "<div class=\"x-grid3-row\"><table class=\"x-grid3-row-table\"><tr>\
                 <td><div class=\"x-grid3-cell-inner x-grid3-col-ACTION_COLUMN\">{actions}</div></td>\
                 <td><div class=\"x-grid3-cell-inner x-grid3-col-00N5g00000PaRnT\">{parent}</div></td>\
                 <td><div class=\"x-grid3-cell-inner x-grid3-col-OPPORTUNITY_NAME\"><a href=\"/{id}\"><span>{name}</span></a></div></td>\
                 <td><div class=\"x-grid3-cell-inner x-grid3-col-OPPORTUNITY_STAGE_NAME\">Prospecting</div></td>\
                 </tr></table></div>"
            )
        };
        let html = [
            row_html("0065g00000Pa001", true, Some("0065g00000Pp900"), "First"),
            row_html("0065g00000Pa002", true, None, "Second"),
            row_html("0065g00000Pa003", false, Some("0065g00000Pa001"), "Third"),
        ]
        .concat();
        assert_eq!(
            rows_of(&html),
            [
                row("0065g00000Pa001", "First", "/0065g00000Pa001"),
                row("0065g00000Pa002", "Second", "/0065g00000Pa002"),
                row("0065g00000Pa003", "Third", "/0065g00000Pa003"),
            ]
        );
    }

    /// Regression (list review, defect 1): a lookup to another Opportunity before the Name
    /// column, in a table without row keys (a Classic related list, an org's own table) and in a
    /// keyed datatable, where the anchor must link to the row's own record.
    #[cfg(feature = "html")]
    #[test]
    fn a_lookup_before_the_name_does_not_name_the_row() {
        let head = "<thead><tr><th>Parent Opportunity</th><th>Opportunity Name</th><th>Stage</th></tr></thead>";
        let unkeyed = format!(
            "<table>{head}<tbody>\
             <tr><td><a href=\"/0065g00000Pp900\">Master</a></td><th scope=\"row\"><a href=\"/0065g00000Ch001\">Child one</a></th><td>Prospecting</td></tr>\
             <tr><td><a href=\"/0065g00000Ch001\">Child one</a></td><th scope=\"row\"><a href=\"/0065g00000Ch002\">Child two</a></th><td>Prospecting</td></tr>\
             </tbody></table>"
        );
        assert_eq!(
            rows_of(&unkeyed),
            [
                row("0065g00000Ch001", "Child one", "/0065g00000Ch001"),
                row("0065g00000Ch002", "Child two", "/0065g00000Ch002"),
            ]
        );
        // No row header: the Name column (by its header) is the name.
        let by_column = unkeyed
            .replace("<th scope=\"row\">", "<td>")
            .replace("</a></th>", "</a></td>");
        assert_eq!(rows_of(&by_column), rows_of(&unkeyed));
        // Keyed rows: the key is the record; the anchor is the link to it, wherever it is.
        let keyed = "<table><tbody>\
             <tr data-row-key-value=\"0065g00000Ch001AAA\"><td data-label=\"Parent Opportunity\"><a href=\"/lightning/r/0065g00000Pp900AAA/view\">Master</a></td>\
             <th scope=\"row\" data-label=\"Opportunity Name\"><a href=\"/lightning/r/0065g00000Ch001AAA/view\">Child one</a></th></tr>\
             <tr data-row-key-value=\"0065g00000Ch002AAA\"><td data-label=\"Parent Opportunity\"><a href=\"/lightning/r/0065g00000Ch002AAA/view\">Child two</a></td>\
             <th scope=\"row\" data-label=\"Opportunity Name\"><a href=\"/lightning/r/0065g00000Ch001AAA/view\">Child one</a></th></tr>\
             </tbody></table>";
        assert_eq!(
            rows_of(keyed),
            [
                row(
                    "0065g00000Ch001AAA",
                    "Child one",
                    "/lightning/r/0065g00000Ch001AAA/view"
                ),
                // A name that links elsewhere than the key: the key wins, the anchor is the
                // link to the key's record.
                row(
                    "0065g00000Ch002AAA",
                    "Child one",
                    "/lightning/r/0065g00000Ch002AAA/view"
                ),
            ]
        );
    }

    /// Regression (list review, defect 2): rows of other objects that link to Opportunities
    /// (a Quote's "Opportunity Name", an activity's "Related To", a card whose title is a
    /// custom record) are no Opportunity rows, without any related-list mark around them.
    #[cfg(feature = "html")]
    #[test]
    fn rows_named_by_another_object_are_not_opportunity_rows() {
        let quotes = "<table><thead><tr><th>Quote Name</th><th>Opportunity Name</th><th>Expiration Date</th></tr></thead><tbody>\
             <tr><th scope=\"row\"><a href=\"/lightning/r/0Q05g00000Qt001AAA/view\">Q-00012</a></th>\
             <td><a href=\"/lightning/r/0065g00000Ac001AAA/view\">Acme — 500 Widgets</a></td><td>12/31/2026</td></tr></tbody></table>";
        assert_eq!(rows_of(quotes), []);
        let keyed_activity = "<table><tbody><tr data-row-key-value=\"00T5g00000Tk001AAA\">\
             <td data-label=\"Subject\">Call</td><td data-label=\"Related To\"><a href=\"/lightning/r/0065g00000Ac001AAA/view\">Acme</a></td></tr></tbody></table>";
        assert_eq!(rows_of(keyed_activity), []);
        let tile = "<article class=\"slds-tile\"><h3 class=\"slds-tile__title\"><a href=\"/lightning/r/a0B5g00000Dr001AAA/view\">DR-0001</a></h3>\
             <dl><dt class=\"slds-item_label\">Opportunity</dt><dd><a href=\"/lightning/r/0065g00000Ac001AAA/view\">Acme</a></dd></dl></article>";
        assert_eq!(rows_of(tile), []);
        // A name cell that links nowhere names no record: the row's first link does.
        let plain_name =
            "<table><thead><tr><th>Opportunity Name</th><th>Stage</th></tr></thead><tbody>\
             <tr><td>Acme</td><td><a href=\"/0065g00000Ac001\">open</a></td></tr></tbody></table>";
        assert_eq!(rows_of(plain_name).len(), 1);
    }

    /// Regression (list review, defect 2): a related list whose marks name another object is
    /// not read even where its rows have no name to tell them by; the Opportunities list is.
    #[cfg(feature = "html")]
    #[test]
    fn related_lists_of_other_objects_are_not_read() {
        let table = "<table><tbody><tr><td><a href=\"/lightning/r/0065g00000Ac001AAA/view\">Acme</a></td><td>$10.00</td></tr></tbody></table>";
        let lightning = |icon: &str, related: &str| {
            format!(
                "<lst-related-list-single-container><article class=\"slds-card\"><lightning-icon class=\"slds-icon_container {icon}\"></lightning-icon>\
                 <a class=\"slds-card__header-link\" href=\"/lightning/r/Account/0015g00000XyZabAAB/related/{related}/view\">List</a>\
                 {table}</article></lst-related-list-single-container>"
            )
        };
        let classic = |object: &str| {
            format!("<div class=\"bRelatedList\"><div class=\"listRelatedObject {object}Block\"><div class=\"bPageBlock\">{table}</div></div></div>")
        };
        for other in [
            lightning("slds-icon-standard-quotes", "Quotes"),
            lightning("slds-icon-custom-custom18", "Deal_Registrations__r"),
            // The icon names the object, whatever the relationship is called.
            lightning("slds-icon-standard-case", "Opportunities"),
            classic("case"),
        ] {
            assert_eq!(rows_of(&other), [], "{other}");
        }
        for opportunities in [
            lightning("slds-icon-standard-opportunity", "Opportunities"),
            lightning("", "Opportunities"),
            lightning("", "Partner_Opportunities__r"),
            classic("opportunity"),
        ] {
            assert_eq!(rows_of(&opportunities).len(), 1, "{opportunities}");
        }
    }

    /// A table's own rows ([`selectors::TABLE_ROW`]) are the rows whose parent is the table, or
    /// its `thead`, `tbody` or `tfoot`: never those of a table nested in it, in any section.
    #[cfg(feature = "html")]
    #[test]
    fn a_tables_own_rows_are_those_of_its_sections() {
        let nested = |id: &str| {
            format!("<table><tbody><tr id=\"{id}\"><td>nested</td></tr></tbody></table>")
        };
        let html = format!(
            "<table><caption>{}</caption><thead><tr id=\"head\"><th>{}</th></tr></thead>\
             <tbody><tr id=\"body\"><td>{}</td></tr></tbody><tfoot><tr id=\"foot\"><td></td></tr>\
             </tfoot></table><table><tr id=\"implied\"><td>{}</td></tr></table>",
            nested("in-caption"),
            nested("in-head"),
            nested("in-body"),
            nested("in-implied")
        );
        let dom = crate::dom::parsed::ParsedDom::parse(&html);
        let id = |node: &_| dom.attribute(node, "id").unwrap_or_default();
        let tables = dom.query_tree(&dom.document(), "table");
        assert_eq!(tables.len(), 6);
        for table in &tables {
            let by_parent: Vec<String> = dom
                .query_tree(table, "tr")
                .iter()
                .filter(|row| {
                    let Some(parent) = dom.parent(row) else {
                        return false;
                    };
                    dom.same_node(&parent, table)
                        || matches!(
                            dom.tag_name(&parent).as_deref(),
                            Some("thead" | "tbody" | "tfoot")
                        ) && dom
                            .parent(&parent)
                            .is_some_and(|grand| dom.same_node(&grand, table))
                })
                .map(id)
                .collect();
            let own: Vec<String> = dom
                .query_tree(table, selectors::TABLE_ROW)
                .iter()
                .map(id)
                .collect();
            assert_eq!(own, by_parent);
            assert!(!own.is_empty());
        }
        let outer: Vec<String> = dom
            .query_tree(&tables[0], selectors::TABLE_ROW)
            .iter()
            .map(id)
            .collect();
        assert_eq!(outer, ["head", "body", "foot"]);
    }

    #[test]
    fn one_selector_names_every_board_split_view_and_classic_grid() {
        let joined = [
            selectors::KANBAN_COLUMN,
            selectors::SPLIT_ITEM,
            selectors::CLASSIC_GRID_ROW,
        ]
        .join(", ");
        assert_eq!(selectors::BOARD_SPLIT_OR_CLASSIC, joined);
    }

    #[test]
    fn one_selector_names_whatever_a_document_wide_question_finds() {
        let alternatives = |selector: &str| -> Vec<String> {
            selector
                .split(',')
                .map(|part| part.trim().to_string())
                .collect()
        };
        assert_eq!(
            selectors::ANY_PART,
            [selectors::ANY_LIST_PART, selectors::RELATED_LIST_MARK].join(", ")
        );
        let any = alternatives(selectors::ANY_LIST_PART);
        for asked in [
            selectors::BOARD_SPLIT_OR_CLASSIC,
            selectors::TABLE,
            selectors::CLASSIC_GRID_ROW,
            selectors::KANBAN_COLUMN,
            selectors::SPLIT_ITEM,
            selectors::TILE,
            selectors::RELATED_LIST,
            selectors::HTML,
        ] {
            for alternative in alternatives(asked) {
                assert!(
                    any.contains(&alternative),
                    "{alternative} is in ANY_LIST_PART"
                );
            }
        }
    }

    #[test]
    fn cells_are_bounded_on_character_boundaries() {
        let text = "é".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(bounded(text).chars().count(), MAX_CELL_CHARS);
    }
}
