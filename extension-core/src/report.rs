//! The Tier 1 report: what `cc-health extract` prints and what the badge draws.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dom::Dom;
use crate::extract::{extract, ExtractOptions, Fields, Warning};
use crate::locale::Locale;
use crate::page::{OpportunityPage, Ui};
use crate::score::{score, Score};

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
    pub opportunity_id: String,
    pub ui: Ui,
    pub fields: Fields,
    pub score: Score,
    pub warnings: Vec<Warning>,
}

/// Extracts and scores the record `page` names from `dom`.
pub fn analyze<D: Dom>(dom: &D, page: &OpportunityPage, options: &AnalyzeOptions) -> Report {
    let extraction = extract(
        dom,
        Some(page.id15()),
        &ExtractOptions {
            locale: options.locale.clone(),
        },
    );
    let score = score(&extraction, options.today);
    Report {
        opportunity_id: page.record_id.clone(),
        ui: page.ui,
        fields: extraction.fields,
        score,
        warnings: extraction.warnings,
    }
}

/// Parses `html` and analyses it as the page at `url`; `None` when `url` is not an
/// Opportunity record page.
#[cfg(feature = "html")]
pub fn analyze_html(html: &str, url: &str, options: &AnalyzeOptions) -> Option<Report> {
    let page = crate::page::recognize(url)?;
    let dom = crate::dom::parsed::ParsedDom::parse(html);
    Some(analyze(&dom, &page, options))
}
