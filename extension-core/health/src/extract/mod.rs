//! Field extraction: one rule set ([`rules`]) over any [`Dom`].
//!
//! For each field the engine tries the field's anchors in order. An anchor yields candidate
//! containers; a candidate counts only if it belongs to the visible record (see
//! `Engine::out_of_scope`); the first one that counts gives the raw text, which the value
//! parsers in [`crate::value`] read per locale. Extraction never fails: it returns what it
//! found plus [`Warning`]s.

pub mod rules;
pub mod text;

use std::cell::{Cell, OnceCell};

use chrono::NaiveDate;
use serde::Serialize;

use crate::dom::{first_composed, has_class, query_composed, Ancestor, Dom, Trees};
use crate::locale::{DateOrder, Locale};
use crate::value::{
    date_order_evidence, parse_date, parse_percent, read_amount, Amount, ValueError,
};
use rules::{anchors, exclusions, label_matches, selectors, Anchor, Field};
use text::{is_hidden, visible_text, visible_text_checked, MAX_DEPTH};

/// What the caller knows beyond the page.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// The user's Salesforce locale, when known (the CLI's `--locale`).
    pub locale: Option<Locale>,
    /// The numeric date order an earlier page of the same org settled (the extension keeps it
    /// per org host, see [`Extraction::date_order`]); used for a date this page leaves open.
    pub known_date_order: Option<DateOrder>,
}

/// A problem met while reading the page, never fatal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Stable machine-readable code.
    pub code: &'static str,
    /// The field concerned (JSON name), if any.
    pub field: Option<&'static str>,
    /// The raw text that could not be read, if any.
    pub raw: Option<String>,
    /// A plain-language explanation.
    pub message: String,
}

/// The seven fields, each `None` when absent or unreadable.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fields {
    /// Opportunity Name.
    pub name: Option<String>,
    /// Amount with its currency.
    pub amount: Option<Amount>,
    /// Stage, as shown.
    pub stage: Option<String>,
    #[serde(serialize_with = "serialize_date")]
    /// Close Date.
    pub close_date: Option<NaiveDate>,
    /// Probability (%), 0–100.
    pub probability: Option<u8>,
    /// Opportunity Owner's name.
    pub owner: Option<String>,
    /// Next Step.
    pub next_step: Option<String>,
}

fn serialize_date<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        // NaiveDate's Display is ISO 8601 (`YYYY-MM-DD` for the years a value parser accepts)
        // and, unlike `format`, brings no strftime machinery into the content script.
        Some(date) => serializer.serialize_str(&date.to_string()),
        None => serializer.serialize_none(),
    }
}

/// How a closed stage was recognised on the Path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathOutcome {
    /// A closed-won stage.
    Won,
    /// A closed-lost stage.
    Lost,
}

/// Everything extraction learned about the visible record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// The parsed fields.
    pub fields: Fields,
    /// Fields whose container was found on the page (even if empty or unreadable).
    pub found: Vec<Field>,
    /// Won/lost markers on the Path's current step.
    pub path_outcome: Option<PathOutcome>,
    /// Position of the current Path step, 0.0 (first) to 1.0 (last), for custom stages.
    pub path_progress: Option<f64>,
    /// The numeric date order this page settles on its own (`MonthDayYear` or `DayMonthYear`):
    /// from the Close Date itself (`11/14/2026`), or, when the Close Date could be read either
    /// way, from the page's other dates. A fact about the user's locale, never about the deal:
    /// the extension keeps it per org host for later pages.
    pub date_order: Option<DateOrder>,
    /// Problems met.
    pub warnings: Vec<Warning>,
}

impl Extraction {
    /// Whether the field's container was on the page.
    pub fn was_found(&self, field: Field) -> bool {
        self.found.contains(&field)
    }
}

/// Reads the visible record's fields. `record_id15` (the URL's Id, 15-character form) keeps
/// stale pages of other records out.
pub fn extract<D: Dom>(dom: &D, record_id15: Option<&str>, options: &ExtractOptions) -> Extraction {
    Engine::new(dom, record_id15).run(options)
}

/// The element the badge is placed beside: the visible record's name in its header
/// (Lightning highlights panel, or Classic's page title), in scope like every field.
pub fn header_anchor<D: Dom>(dom: &D, record_id15: Option<&str>) -> Option<D::Node> {
    let engine = Engine::new(dom, record_id15);
    selectors::HEADER_ANCHORS
        .iter()
        .find_map(|selector| engine.first_in_scope(selector, |_| true))
}

/// One extraction pass: candidate lists are computed once and shared by all fields.
struct Engine<'d, D: Dom> {
    dom: &'d D,
    /// The document's trees; its shadow roots are found only if a question needs them.
    trees: Trees<D>,
    record_id15: Option<String>,
    path_items: OnceCell<Vec<D::Node>>,
    /// Set when text read since it was last cleared lay deeper than [`MAX_DEPTH`] and was left out.
    text_too_deep: Cell<bool>,
}

impl<'d, D: Dom> Engine<'d, D> {
    fn new(dom: &'d D, record_id15: Option<&str>) -> Self {
        Engine {
            dom,
            trees: Trees::new(dom),
            record_id15: record_id15.map(str::to_string),
            path_items: OnceCell::new(),
            text_too_deep: Cell::new(false),
        }
    }

    fn run(&self, options: &ExtractOptions) -> Extraction {
        let mut extraction = Extraction::default();
        let mut raw: Vec<(Field, String)> = Vec::new();
        for field in Field::ALL {
            self.text_too_deep.set(false);
            if let Some(text) = self.read_field(field) {
                extraction.found.push(field);
                raw.push((field, text));
            }
            if self.text_too_deep.get() {
                extraction.warnings.push(Warning {
                    code: "nesting_too_deep",
                    field: Some(field.json_name()),
                    raw: None,
                    message: format!(
                        "{}: text nested more than {MAX_DEPTH} elements deep was not read; the field may be missing or incomplete",
                        field.json_name()
                    ),
                });
            }
        }
        self.read_path(&mut extraction);

        let page_locale = self.page_language_locale();
        let currency_locale = options.locale.clone().or(page_locale);
        for (field, text) in raw {
            if text.is_empty() {
                continue;
            }
            let fields = &mut extraction.fields;
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
                    fields.owner = clean_owner(&text);
                    Ok(())
                }
                Field::NextStep => {
                    fields.next_step = Some(text.clone());
                    Ok(())
                }
                Field::Amount => {
                    let locale = currency_locale.as_ref();
                    read_amount(&text, locale).map(|reading| {
                        let mut amount = reading.amount;
                        if amount.currency.is_none() {
                            if let Some((code, source)) = self.record_currency(&text, locale) {
                                extraction
                                    .warnings
                                    .push(currency_source_warning(&text, &code, &source));
                                amount.currency = Some(code);
                            }
                        }
                        if let (None, Some(symbol)) = (&amount.currency, reading.open_symbol) {
                            extraction
                                .warnings
                                .push(open_symbol_warning(&text, symbol, locale));
                        }
                        extraction.fields.amount = Some(amount);
                    })
                }
                Field::Probability => parse_percent(&text, options.locale.as_ref())
                    .map(|value| fields.probability = Some(value)),
                Field::CloseDate => {
                    let (date, settled) = self.parse_close_date(&text, options);
                    extraction.date_order = settled;
                    date.map(|date| fields.close_date = Some(date))
                }
            };
            if let Err(error) = outcome {
                extraction
                    .warnings
                    .push(value_warning(field, &text, &error));
            }
        }
        if extraction.found.is_empty() && extraction.path_outcome.is_none() {
            extraction.warnings.push(Warning {
                code: "no_record_fields",
                field: None,
                raw: None,
                message: "No Opportunity fields were found in the visible record; the page may still be loading."
                    .to_string(),
            });
        }
        extraction
    }

    /// Close Date: the locale's order if given; else the order the page settles (the date
    /// itself, or the page's other dates when it could be read either way); else the order an
    /// earlier page of the org settled. Also returns the order this page settles, if any.
    /// The page's other dates are read only for a date that needs them: that is a pass over
    /// the whole page's text.
    fn parse_close_date(
        &self,
        text: &str,
        options: &ExtractOptions,
    ) -> (Result<NaiveDate, ValueError>, Option<DateOrder>) {
        let given: Option<DateOrder> = options.locale.as_ref().and_then(Locale::date_order);
        match parse_date(text, given) {
            Err(ValueError::Ambiguous(_)) if given.is_none() => {
                let page_text = self.visible_text(self.trees.document(), &|_| false);
                let settled = date_order_evidence([page_text.as_str()]);
                (
                    parse_date(text, settled.or(options.known_date_order)),
                    settled,
                )
            }
            Ok(date) => (Ok(date), date_order_evidence([text])),
            other => (other, None),
        }
    }

    /// `<html lang="en-US">`: the UI language, used only to name the currency of an
    /// ambiguous symbol (`$`), never to order a date.
    fn page_language_locale(&self) -> Option<Locale> {
        let html = self
            .dom
            .query_tree(self.trees.document(), "html")
            .into_iter()
            .next()?;
        Locale::parse(&self.dom.attribute(&html, "lang")?)
    }

    /// The currency of an amount whose own text does not settle it (an inline-edit input
    /// showing `347.850,00`, a formula or custom component showing a bare number, a symbol the
    /// locale leaves open), from the record's other evidence, best first: the Currency field of
    /// multi-currency orgs; the same Amount shown elsewhere on the record (the highlights
    /// panel); the record's other amounts (an org has one currency unless it shows a Currency
    /// field). Within a kind every reading must agree. Returns the code and where it came from.
    fn record_currency(&self, own_text: &str, locale: Option<&Locale>) -> Option<(String, String)> {
        if let Some(code) = self.record_currency_code() {
            return Some((code, "the record's Currency field".to_string()));
        }
        let currency_of = |text: &str| {
            (text != own_text)
                .then(|| read_amount(text, locale).ok()?.amount.currency)
                .flatten()
        };
        let same_amount: Vec<(String, Anchor)> = anchors(Field::Amount)
            .iter()
            .filter_map(|anchor| {
                let text = self.read_anchor(Field::Amount, *anchor)?;
                Some((currency_of(&text)?, *anchor))
            })
            .collect();
        if let Some(code) = agreed(same_amount.iter().map(|(code, _)| code)) {
            let anchor = same_amount[0].1;
            let place = if anchor == Anchor::HighlightsDetailLabel {
                "the highlights panel"
            } else {
                "another part of the record page"
            };
            return Some((code, format!("the Amount shown in {place}")));
        }
        if !same_amount.is_empty() {
            return None; // the record's own displays disagree: nothing else is better evidence
        }
        let mut others: Vec<(String, String)> = Vec::new();
        for selector in [selectors::LAYOUT_ITEM, selectors::DYNAMIC_FORMS_FIELD] {
            for container in self.query(selector) {
                if self.out_of_scope(&container) {
                    continue;
                }
                let Some(text) = self.container_value(Field::Amount, &container) else {
                    continue;
                };
                if let Some(code) = currency_of(&text) {
                    let label = self
                        .dom
                        .attribute(&container, "field-label")
                        .map(|label| crate::value::normalize_spaces(&label))
                        .unwrap_or_default();
                    others.push((code, label));
                }
            }
        }
        let code = agreed(others.iter().map(|(code, _)| code))?;
        let labels: Vec<&str> = others
            .iter()
            .map(|(_, label)| label.as_str())
            .filter(|label| !label.is_empty())
            .collect();
        let source = if labels.is_empty() {
            "the record's other amounts".to_string()
        } else {
            format!("the record's other amounts ({})", labels.join(", "))
        };
        Some((code, source))
    }

    /// The Opportunity Currency field (`USD - U.S. Dollar`) of multi-currency orgs.
    fn record_currency_code(&self) -> Option<String> {
        let container = self.first_in_scope(selectors::CURRENCY_ISO_CODE, |_| true)?;
        let text = self.container_value(Field::Name, &container)?;
        let code = text.get(..3)?;
        (code.bytes().all(|b| b.is_ascii_uppercase())
            && text[3..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric()))
        .then(|| code.to_string())
    }

    /// The raw text of a field from the first anchor that finds it in scope; `Some("")` when
    /// the field is on the page but empty.
    fn read_field(&self, field: Field) -> Option<String> {
        anchors(field)
            .iter()
            .find_map(|anchor| self.read_anchor(field, *anchor))
    }

    fn read_anchor(&self, field: Field, anchor: Anchor) -> Option<String> {
        let dom = self.dom;
        match anchor {
            Anchor::TargetSelectionName => self
                .first_in_scope(field.target_selection_selector(), |node| {
                    dom.attribute(node, "data-target-selection-name").as_deref()
                        == Some(field.target_selection_name())
                })
                .and_then(|container| self.container_value(field, &container)),
            Anchor::DynamicFormsField => self
                .first_in_scope(field.dynamic_forms_selector(), |node| {
                    dom.attribute(node, "data-field-id").as_deref()
                        == Some(field.dynamic_forms_id())
                })
                .and_then(|container| self.container_value(field, &container)),
            Anchor::LayoutItemLabel => self
                .first_in_scope(selectors::LAYOUT_ITEM, |node| {
                    dom.attribute(node, "field-label")
                        .is_some_and(|label| label_matches(field, &label))
                })
                .and_then(|container| self.container_value(field, &container)),
            Anchor::HighlightsPrimaryField => self
                .first_in_scope(selectors::PRIMARY_FIELD, |_| true)
                .map(|node| self.visible_text(&node, &|_| false)),
            Anchor::HighlightsDetailLabel => self
                .first_in_scope(selectors::HIGHLIGHTS_ITEM, |item| {
                    first_composed(dom, item, selectors::HIGHLIGHTS_LABEL).is_some_and(|label| {
                        let text = dom
                            .attribute(&label, "title")
                            .unwrap_or_else(|| visible_text(dom, &label, &|_| false));
                        label_matches(field, &text)
                    })
                })
                .and_then(|item| self.container_value(field, &item)),
            Anchor::FieldLabelText => self
                .first_in_scope(selectors::FIELD_LABEL, |label| {
                    label_matches(field, &visible_text(dom, label, &|_| false))
                })
                .and_then(|label| self.enclosing_form_element(&label))
                .and_then(|container| self.container_value(field, &container)),
            Anchor::FormElementLabel => {
                let mut values = self
                    .query(selectors::FORM_ELEMENT_LABEL)
                    .into_iter()
                    .filter(|label| label_matches(field, &visible_text(dom, label, &|_| false)))
                    .filter_map(|label| self.enclosing_form_element(&label))
                    .filter(|container| !self.out_of_scope(container))
                    .filter_map(|container| self.container_value(field, &container));
                let first = values.next()?;
                values.all(|other| other == first).then_some(first)
            }
            Anchor::ClassicCellId => self
                .first_in_scope("[id$=\"_ileinner\"]", |node| {
                    dom.attribute(node, "id").as_deref() == Some(field.classic_cell_id())
                })
                .map(|cell| self.classic_cell_value(field, &cell)),
            Anchor::ClassicPageDescription => self
                .first_in_scope(selectors::CLASSIC_PAGE_DESCRIPTION, |_| true)
                .map(|node| self.visible_text(&node, &|_| false)),
            Anchor::ClassicLabelCell => self
                .first_in_scope(selectors::CLASSIC_LABEL_CELL, |cell| {
                    label_matches(field, &visible_text(dom, cell, &|_| false))
                })
                .and_then(|cell| dom.next_element_sibling(&cell))
                .map(|cell| self.classic_cell_value(field, &cell)),
            Anchor::PathCurrentStep => self
                .current_path_item()
                .map(|item| self.path_item_name(&item)),
        }
    }

    /// The first match of `selector` (in composed order) that `wanted` accepts and that lies
    /// in the visible record; the shadow roots are read only if the document's tree has none.
    fn first_in_scope(
        &self,
        selector: &'static str,
        wanted: impl Fn(&D::Node) -> bool,
    ) -> Option<D::Node> {
        self.trees.find_map(self.dom, selector, |node| {
            (wanted(&node) && !self.out_of_scope(&node)).then_some(node)
        })
    }

    /// The visible text of a value under `node`; notes in `text_too_deep` when nesting cut some
    /// of it. (Labels are read with plain `visible_text`: a deep label elsewhere is no field's.)
    fn visible_text(&self, node: &D::Node, extra_skip: &dyn Fn(&D::Node) -> bool) -> String {
        let (text, too_deep) = visible_text_checked(self.dom, node, extra_skip);
        if too_deep {
            self.text_too_deep.set(true);
        }
        text
    }

    /// Every match of `selector`, composed (shadow roots included).
    fn query(&self, selector: &'static str) -> Vec<D::Node> {
        self.trees.query_all(self.dom, selector)
    }

    /// The visible record's Path steps (in scope, composed order). When the document's own tree
    /// has the current step, its steps are the Path (one list in one tree) and shadow roots are
    /// not searched; otherwise every tree's steps are read.
    fn path_items(&self) -> &[D::Node] {
        self.path_items.get_or_init(|| {
            let in_scope = |item: &D::Node| !self.out_of_scope(item);
            let mut items: Vec<D::Node> = self
                .dom
                .query_tree(self.trees.document(), selectors::PATH_ITEM)
                .into_iter()
                .filter(in_scope)
                .collect();
            if !items
                .iter()
                .any(|item| has_class(self.dom, item, "slds-is-current"))
            {
                items.extend(
                    self.trees
                        .query_shadow_trees(self.dom, selectors::PATH_ITEM)
                        .into_iter()
                        .filter(in_scope),
                );
            }
            items
        })
    }

    fn current_path_item(&self) -> Option<D::Node> {
        self.path_items()
            .iter()
            .find(|item| has_class(self.dom, item, "slds-is-current"))
            .cloned()
    }

    fn path_item_name(&self, item: &D::Node) -> String {
        let dom = self.dom;
        if let Some(name) = dom
            .attribute(item, "data-name")
            .filter(|n| !n.trim().is_empty())
        {
            return crate::value::normalize_spaces(&name);
        }
        if let Some(title) = first_composed(dom, item, selectors::PATH_TITLE) {
            let text = self.visible_text(&title, &|_| false);
            if !text.is_empty() {
                return text;
            }
        }
        dom.attribute(item, "title")
            .map(|t| crate::value::normalize_spaces(&t))
            .unwrap_or_else(|| self.visible_text(item, &|_| false))
    }

    /// Won/lost markers and the current step's position.
    fn read_path(&self, extraction: &mut Extraction) {
        let items = self.path_items();
        let Some(index) = items
            .iter()
            .position(|item| has_class(self.dom, item, "slds-is-current"))
        else {
            return;
        };
        let current = &items[index];
        extraction.path_outcome = if has_class(self.dom, current, "slds-is-won") {
            Some(PathOutcome::Won)
        } else if has_class(self.dom, current, "slds-is-lost") {
            Some(PathOutcome::Lost)
        } else {
            None
        };
        if items.len() > 1 {
            extraction.path_progress = Some(index as f64 / (items.len() - 1) as f64);
        }
    }

    /// The nearest composed ancestor that is a whole field (label plus value).
    fn enclosing_form_element(&self, label: &D::Node) -> Option<D::Node> {
        let dom = self.dom;
        let mut current = dom.parent(label);
        let mut steps = 0;
        while let Some(node) = current {
            if steps > 12 || dom.tag_name(&node).is_none() && !dom.is_shadow_root(&node) {
                return None;
            }
            if dom.tag_name(&node).is_some()
                && (has_class(dom, &node, "slds-form-element")
                    || dom.attribute(&node, "data-target-selection-name").is_some()
                    || matches!(
                        dom.tag_name(&node).as_deref(),
                        Some("records-record-layout-item" | "flexipage-field")
                    ))
            {
                return Some(node);
            }
            current = dom.parent(&node);
            steps += 1;
        }
        None
    }

    /// The value text inside a field container.
    fn container_value(&self, field: Field, container: &D::Node) -> Option<String> {
        let dom = self.dom;
        if field == Field::Owner {
            if let Some(link) = query_composed(dom, container, selectors::USER_LINK)
                .into_iter()
                .find(|l| !is_hidden(dom, l))
            {
                let text = self.visible_text(&link, &|_| false);
                if !text.is_empty() {
                    return Some(text);
                }
            }
        }
        for selector in selectors::VALUE_NODES {
            if let Some(node) = first_composed(dom, container, selector) {
                return Some(self.visible_text(&node, &|_| false));
            }
        }
        if let Some(control) = first_composed(dom, container, selectors::EDIT_CONTROLS) {
            let value = dom
                .attribute(&control, "data-value")
                .or_else(|| dom.form_value(&control))
                .unwrap_or_default();
            return Some(crate::value::normalize_spaces(&value));
        }
        let is_label = |node: &D::Node| {
            [
                "test-id__field-label",
                "slds-form-element__label",
                "slds-text-title",
            ]
            .iter()
            .any(|c| has_class(dom, node, c))
                || dom.tag_name(node).as_deref() == Some("label")
        };
        Some(self.visible_text(container, &is_label))
    }

    /// A Classic `dataCol` or `_ileinner` cell: the owner is its User link, the rest its text.
    fn classic_cell_value(&self, field: Field, cell: &D::Node) -> String {
        let dom = self.dom;
        if field == Field::Owner {
            if let Some(link) = query_composed(dom, cell, selectors::USER_LINK)
                .into_iter()
                .next()
            {
                return self.visible_text(&link, &|_| false);
            }
        }
        self.visible_text(cell, &|_| false)
    }

    /// Whether `node` lies outside the visible record: hidden, on a stale page host, in a
    /// related list, activity, feed or hover card, or under another Opportunity's container.
    /// A chain deeper than 4,096 nodes is out of scope (a hostile page's nesting).
    fn out_of_scope(&self, node: &D::Node) -> bool {
        match self.dom.ancestry(node, SCOPE_ATTRIBUTES, 4096) {
            Some(chain) => chain.iter().any(|ancestor| self.excludes(ancestor)),
            None => true,
        }
    }

    /// Whether one element of a node's ancestry puts the node out of scope; `ancestor.values`
    /// are [`SCOPE_ATTRIBUTES`], in order.
    fn excludes(&self, ancestor: &Ancestor) -> bool {
        let [hidden, style, class, record_ids @ ..] = ancestor.values.as_slice() else {
            return false;
        };
        if hidden.is_some() {
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
        let tag = ancestor.tag.as_str();
        if exclusions::TAG_FRAGMENTS
            .iter()
            .any(|fragment| tag.contains(fragment))
        {
            return true;
        }
        if let Some(classes) = class {
            let classes: Vec<&str> = classes.split_ascii_whitespace().collect();
            if exclusions::CLASSES
                .iter()
                .any(|class| classes.contains(class))
            {
                return true;
            }
            if classes.iter().any(|class| {
                let class = class.to_ascii_lowercase();
                exclusions::CLASS_FRAGMENTS
                    .iter()
                    .any(|fragment| class.contains(fragment))
            }) {
                return true;
            }
            let is_page_host = exclusions::PAGE_HOST_CLASSES
                .iter()
                .any(|class| classes.contains(class));
            if is_page_host && !classes.contains(&"active") {
                return true;
            }
        }
        if let Some(record_id15) = &self.record_id15 {
            for value in record_ids.iter().flatten() {
                let value = value.trim();
                if value.starts_with("006")
                    && value.len() >= 15
                    && value.get(..15) != Some(record_id15.as_str())
                {
                    return true;
                }
            }
        }
        false
    }
}

/// The attributes [`Engine::excludes`] reads of each ancestor: `hidden`, `style`, `class`, then
/// [`exclusions::RECORD_ID_ATTRIBUTES`] (a test keeps the two lists in step).
const SCOPE_ATTRIBUTES: &[&str] = &[
    "hidden",
    "style",
    "class",
    "data-recordid",
    "data-record-id",
    "record-id",
    "recordid",
];

/// Owner: the person's name only; Classic's " [Change]" and any leftover "Open <Name>
/// Preview" hover text removed.
fn clean_owner(text: &str) -> Option<String> {
    let mut name = text.trim().to_string();
    if let Some(index) = name.find(" [") {
        if name.ends_with(']') {
            name.truncate(index);
        }
    }
    if let Some(rest) = name.strip_prefix("Open ") {
        if let Some(index) = rest.find(" Preview") {
            let inner = rest[..index].trim();
            let after = rest[index + " Preview".len()..].trim();
            name = if after.is_empty() {
                inner.to_string()
            } else {
                after.to_string()
            };
        }
    }
    let name = name.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// The one value all of `codes` share, if there is at least one and they agree.
fn agreed<'a>(mut codes: impl Iterator<Item = &'a String>) -> Option<String> {
    let first = codes.next()?;
    codes.all(|code| code == first).then(|| first.clone())
}

/// The amount's text carried no currency of its own; the record's other evidence gave it.
fn currency_source_warning(raw: &str, code: &str, source: &str) -> Warning {
    let mut shown: String = raw.chars().take(200).collect();
    if shown.len() < raw.len() {
        shown.push('…');
    }
    Warning {
        code: "currency_from_record",
        field: Some(Field::Amount.json_name()),
        raw: Some(shown.clone()),
        message: format!(
            "amount: \"{shown}\" does not say its currency; {code} is taken from {source}"
        ),
    }
}

/// A currency symbol the page's locale leaves open (CLDR gives it to several currencies there):
/// the amount is read, its currency is `null`.
fn open_symbol_warning(raw: &str, symbol: &str, locale: Option<&Locale>) -> Warning {
    let mut shown: String = raw.chars().take(200).collect();
    if shown.len() < raw.len() {
        shown.push('…');
    }
    let locale = match locale {
        Some(locale) => match &locale.region {
            Some(region) => format!("the locale {}-{region}", locale.language),
            None => format!("the language {}", locale.language),
        },
        None => "an unknown locale".to_string(),
    };
    Warning {
        code: "ambiguous_currency",
        field: Some(Field::Amount.json_name()),
        raw: Some(shown),
        message: format!(
            "amount: \"{symbol}\" stands for more than one currency in {locale}; the currency is unknown"
        ),
    }
}

fn value_warning(field: Field, raw: &str, error: &ValueError) -> Warning {
    let code = match error {
        ValueError::Ambiguous(_) => "ambiguous_value",
        ValueError::Unparseable(_) => "unreadable_value",
        ValueError::OutOfRange(_) => "out_of_range_value",
    };
    let mut shown: String = raw.chars().take(200).collect();
    if shown.len() < raw.len() {
        shown.push('…');
    }
    Warning {
        code,
        field: Some(field.json_name()),
        raw: Some(shown.clone()),
        message: format!("{}: \"{}\" is {}", field.json_name(), shown, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Path whose steps each render in their own native shadow root, and one in the
    /// document's tree with no current step (an org's own component): the current step and the
    /// progress come from every tree, as a composed query reads them.
    #[cfg(feature = "html")]
    #[test]
    fn path_steps_in_separate_shadow_roots_are_read_together() {
        use crate::dom::parsed::ParsedDom;
        let step = |class: &str, name: &str| {
            format!(
                r#"<x-step><template shadowrootmode="open"><li class="slds-path__item {class}" data-name="{name}"></li></template></x-step>"#
            )
        };
        let html = format!(
            r#"<html><body><ul><li class="slds-path__item" data-name="Own step"></li></ul><div class="slds-path__nav">{}{}{}</div></body></html>"#,
            step("slds-is-complete", "Prospecting"),
            step("slds-is-current", "Qualification"),
            step("", "Closed Won"),
        );
        let dom = ParsedDom::parse(&html);
        let extraction = extract(&dom, None, &ExtractOptions::default());
        assert_eq!(extraction.fields.stage.as_deref(), Some("Qualification"));
        assert_eq!(extraction.path_progress, Some(2.0 / 3.0));
    }

    #[test]
    fn scope_attributes_name_every_record_id_attribute() {
        assert_eq!(&SCOPE_ATTRIBUTES[..3], &["hidden", "style", "class"]);
        assert_eq!(&SCOPE_ATTRIBUTES[3..], exclusions::RECORD_ID_ATTRIBUTES);
    }

    #[test]
    fn owner_names_are_cleaned() {
        assert_eq!(
            clean_owner("Jane Doe [Change]").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            clean_owner("Open Jane Doe Preview").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            clean_owner("Open Jane Doe PreviewJane Doe").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(clean_owner("  ").as_deref(), None);
        assert_eq!(
            clean_owner("Opal Preview-Smith").as_deref(),
            Some("Opal Preview-Smith")
        );
    }
}
