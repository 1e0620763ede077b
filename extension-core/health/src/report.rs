//! The Tier 1 report: what `cc-health extract` prints and what the badge draws.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dom::Dom;
use crate::extract::{extract, ExtractOptions, Fields, Warning};
use crate::i18n::Text;
use crate::locale::{DateOrder, Locale};
use crate::page::{OpportunityPage, Ui};
use crate::score::{score, Band, Score};

/// Inputs besides the page.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// The user's locale, when known.
    pub locale: Option<Locale>,
    /// The date the score is computed for.
    pub today: NaiveDate,
}

/// One analysed Opportunity page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The record's Id, as the URL names it.
    pub opportunity_id: String,
    /// Lightning or Classic.
    pub ui: Ui,
    /// The seven fields, `null` where not read.
    pub fields: Fields,
    /// The Tier 1 score and its reasons.
    pub score: Score,
    /// What could not be read, and why.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Whether the Close Date was on the page but could be read either way round: an order
    /// an earlier page of the org settled would read it (the content script evaluates again
    /// when the worker's answer brings one, and only then).
    pub fn close_date_left_open(&self) -> bool {
        self.fields.close_date.is_none()
            && self
                .warnings
                .iter()
                .any(|w| w.code == "ambiguous_value" && w.field == Some("closeDate"))
    }
}

/// Extracts and scores the record `page` names from `dom`.
pub fn analyze<D: Dom>(dom: &D, page: &OpportunityPage, options: &AnalyzeOptions) -> Report {
    analyze_learning(dom, page, options, None).0
}

/// [`analyze`], plus the numeric date order the page settles on its own, when it does
/// ([`crate::extract::Extraction::date_order`]): the one fact the extension remembers per org
/// host for later pages (never anything about the deal). `known_date_order` is what an earlier
/// page of the same org settled; it reads a date this page leaves open (the CLI takes
/// `--locale` instead).
pub fn analyze_learning<D: Dom>(
    dom: &D,
    page: &OpportunityPage,
    options: &AnalyzeOptions,
    known_date_order: Option<DateOrder>,
) -> (Report, Option<DateOrder>) {
    let extraction = extract(
        dom,
        Some(page.id15()),
        &ExtractOptions {
            locale: options.locale.clone(),
            known_date_order,
        },
    );
    let score = score(&extraction, options.today);
    let report = Report {
        opportunity_id: page.record_id.clone(),
        ui: page.ui,
        fields: extraction.fields,
        score,
        warnings: extraction.warnings,
    };
    (report, extraction.date_order)
}

/// Parses `html` and analyses it as the page at `url`; `None` when `url` is not an
/// Opportunity record page.
#[cfg(feature = "html")]
pub fn analyze_html(html: &str, url: &str, options: &AnalyzeOptions) -> Option<Report> {
    let page = crate::page::recognize(url)?;
    let dom = crate::dom::parsed::ParsedDom::parse(html);
    Some(analyze(&dom, &page, options))
}

/// How many Tier 1 reasons a content script may report.
const MAX_REASONS: usize = 20;

/// The Tier 1 result a content script reports for its tab (kept in `chrome.storage.session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tier1Summary {
    /// The record the report is of.
    pub record_id: String,
    /// Its name, as read from the page.
    pub name: Option<String>,
    /// The score, 0–100; `None` for closed deals and thin data.
    pub value: Option<u8>,
    /// The score's band.
    pub band: Band,
    /// The reasons, most harmful first.
    pub reasons: Vec<Text>,
}

impl Tier1Summary {
    /// The summary of a report (all its reasons, most harmful first).
    pub fn from_report(report: &Report) -> Tier1Summary {
        Tier1Summary {
            record_id: report.opportunity_id.clone(),
            name: report.fields.name.clone(),
            value: report.score.value,
            band: report.score.band,
            reasons: report
                .score
                .reasons
                .iter()
                .take(MAX_REASONS)
                .map(|r| r.text.clone())
                .collect(),
        }
    }

    /// Bounds on what a content script can report.
    pub fn is_well_formed(&self) -> bool {
        crate::page::opportunity_id(&self.record_id).is_some()
            && self.name.as_ref().is_none_or(|n| n.chars().count() <= 1000)
            && self.value.is_none_or(|v| v <= 100)
            && self.reasons.len() <= MAX_REASONS
            && self.reasons.iter().all(Text::is_well_formed)
    }
}
