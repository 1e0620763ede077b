//! Page recognition: is this URL a Salesforce Opportunity record page, and which record?
//!
//! Only the URL decides here; the DOM is consulted later, by [`crate::extract`]. The parser is
//! hand-written because it needs only scheme, host, path, query and fragment of URLs that
//! Salesforce itself produces, and a general URL crate (with IDNA tables) would cost the
//! content script's wasm more than this whole module.

use serde::Serialize;

/// The Salesforce user interface a record page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ui {
    /// Lightning Experience, including console apps and the old `one.app` form.
    Lightning,
    /// Salesforce Classic (Aloha).
    Classic,
}

/// A recognised Opportunity record page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpportunityPage {
    /// The record Id exactly as the URL carries it (15 or 18 characters).
    pub record_id: String,
    /// Which UI renders the page.
    pub ui: Ui,
    /// The host, lower-cased; used to key caches per org.
    pub host: String,
}

impl OpportunityPage {
    /// The case-sensitive 15-character form of the Id, for comparing Ids of either length.
    pub fn id15(&self) -> &str {
        &self.record_id[..15]
    }
}

/// Host suffixes the product runs on (PRODUCT.md: `*.salesforce.com` and `*.force.com`).
const SALESFORCE_HOST_SUFFIXES: &[&str] = &[".salesforce.com", ".force.com"];

/// Hosts under those suffixes that never show record pages.
const NON_RECORD_HOST_MARKERS: &[&str] = &[
    ".visual.force.com",  // Visualforce page domains
    ".vf.force.com",      // enhanced-domain Visualforce
    ".content.force.com", // file previews
    ".documentforce.com", // never matched, kept for clarity of intent
    ".builder.salesforce-experience.com",
];

/// Whether `host` is a Salesforce host the extension is allowed to read.
pub fn is_salesforce_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    SALESFORCE_HOST_SUFFIXES
        .iter()
        .any(|suffix| host.ends_with(suffix))
        && !NON_RECORD_HOST_MARKERS
            .iter()
            .any(|marker| host.ends_with(marker))
}

/// Recognises an Opportunity record page from its URL, or returns `None`.
///
/// Recognised forms (Id 15 or 18 characters, prefix `006`):
/// - `/lightning/r/Opportunity/<Id>/view` and `/edit`, with or without a console `?ws=`;
/// - the objectless `/lightning/r/<Id>/view` and `/edit`;
/// - the old `/one/one.app#/sObject/<Id>/view`;
/// - Classic `/<Id>` (the Id is the first and only path segment).
///
/// Related lists (`/related/X/view`), list views, other objects and other hosts are not
/// record pages.
pub fn recognize(url: &str) -> Option<OpportunityPage> {
    let parts = UrlParts::split(url)?;
    if parts.scheme != "https" && parts.scheme != "http" {
        return None;
    }
    if !is_salesforce_host(&parts.host) {
        return None;
    }
    let segments: Vec<&str> = parts.path.split('/').filter(|s| !s.is_empty()).collect();
    let (candidate, ui) = match segments.as_slice() {
        ["lightning", "r", "Opportunity", id, action] if is_record_action(action) => {
            (*id, Ui::Lightning)
        }
        ["lightning", "r", id, action] if is_record_action(action) => (*id, Ui::Lightning),
        ["one", "one.app"] => (sobject_id_in_fragment(parts.fragment)?, Ui::Lightning),
        [id] => (*id, Ui::Classic),
        _ => return None,
    };
    let record_id = opportunity_id(candidate)?;
    Some(OpportunityPage {
        record_id: record_id.to_string(),
        ui,
        host: parts.host.to_ascii_lowercase(),
    })
}

fn is_record_action(action: &str) -> bool {
    action == "view" || action == "edit"
}

/// `#/sObject/<Id>/view` (the fragment may carry a query of its own).
fn sobject_id_in_fragment(fragment: &str) -> Option<&str> {
    let path = fragment.split('?').next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["sObject", id, action] if is_record_action(action) => Some(id),
        ["sObject", id] => Some(id),
        _ => None,
    }
}

/// Returns the Id if `text` is a syntactically valid Opportunity Id.
pub fn opportunity_id(text: &str) -> Option<&str> {
    if !text.starts_with("006") {
        return None;
    }
    // Bytes, not `str` slices: a multi-byte character must not split a slice (found by fuzzing).
    let bytes = text.as_bytes();
    let valid = match bytes.len() {
        15 => bytes.iter().all(u8::is_ascii_alphanumeric),
        18 => {
            bytes[..15].iter().all(u8::is_ascii_alphanumeric)
                && bytes[15..]
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || (b'0'..=b'5').contains(b))
        }
        _ => false,
    };
    valid.then_some(text)
}

/// The parts of a URL this module needs; everything is borrowed from the input.
struct UrlParts<'a> {
    scheme: String,
    host: String,
    path: &'a str,
    fragment: &'a str,
}

impl<'a> UrlParts<'a> {
    fn split(url: &'a str) -> Option<Self> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://")?;
        let (before_fragment, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (before_query, _query) = before_fragment
            .split_once('?')
            .unwrap_or((before_fragment, ""));
        let (authority, path) = match before_query.find('/') {
            Some(index) => before_query.split_at(index),
            None => (before_query, "/"),
        };
        let host_and_port = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let host = host_and_port.split(':').next().unwrap_or("");
        if host.is_empty() {
            return None;
        }
        Some(UrlParts {
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_ascii_lowercase(),
            path,
            fragment,
        })
    }
}

/// The My Domain name of a Salesforce host: its first label, lowercased
/// (`acme.my.salesforce.com`, `acme.lightning.force.com`, `acme.file.force.com` → `acme`;
/// a sandbox keeps its suffix: `acme--uat.sandbox.my.salesforce.com` → `acme--uat`). A bare
/// name (`acme`) is its own. `None` for anything that is not a host name.
pub fn my_domain_name(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("https://").unwrap_or(&host);
    let host = host.strip_suffix('/').unwrap_or(host);
    let valid = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    let name = host.split('.').next()?;
    valid.then(|| name.to_string())
}

/// Whether the badge may show on a page of `page_host` under the administrator's list
/// (`allowedOrgHosts`, as written in the policy): no list, or an empty one, limits nothing;
/// otherwise the page's org must be one of the listed (compared by My Domain name, so that a
/// listed `acme.my.salesforce.com` covers `acme.lightning.force.com`). An entry that is not a
/// host name matches nothing. The content script asks this before it reads a page.
pub fn badge_allowed_on<'a>(
    listed: Option<impl IntoIterator<Item = &'a str>>,
    page_host: &str,
) -> bool {
    let Some(listed) = listed else {
        return true;
    };
    let page = my_domain_name(page_host);
    let mut empty = true;
    for entry in listed {
        empty = false;
        if page.is_some() && my_domain_name(entry) == page {
            return true;
        }
    }
    empty
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID15: &str = "0065g00000AbCdE";
    const ID18: &str = "0065g00000AbCdEAAV";

    fn id_of(url: &str) -> Option<(String, Ui)> {
        recognize(url).map(|page| (page.record_id, page.ui))
    }

    #[test]
    fn lightning_forms_are_recognised() {
        for (url, id) in [
            (format!("https://acme.lightning.force.com/lightning/r/Opportunity/{ID18}/view"), ID18),
            (format!("https://acme.lightning.force.com/lightning/r/Opportunity/{ID15}/view"), ID15),
            (format!("https://acme.lightning.force.com/lightning/r/Opportunity/{ID18}/edit"), ID18),
            (format!("https://acme.lightning.force.com/lightning/r/{ID18}/view"), ID18),
            (
                format!("https://acme.lightning.force.com/lightning/r/Opportunity/{ID18}/view?ws=%2Flightning%2Fr%2FAccount%2F0015g00000XyZabAAB%2Fview"),
                ID18,
            ),
            (format!("https://acme--uat.sandbox.lightning.force.com/lightning/r/Opportunity/{ID18}/view"), ID18),
            (format!("https://acme-dev-ed.develop.lightning.force.com/lightning/r/Opportunity/{ID18}/view"), ID18),
            (format!("https://acme.my.salesforce.com/one/one.app#/sObject/{ID18}/view"), ID18),
            (format!("https://acme.my.salesforce.com/lightning/r/Opportunity/{ID18}/view/"), ID18),
        ] {
            assert_eq!(id_of(&url), Some((id.to_string(), Ui::Lightning)), "{url}");
        }
    }

    #[test]
    fn classic_forms_are_recognised() {
        for url in [
            format!("https://acme.my.salesforce.com/{ID15}"),
            format!("https://na42.salesforce.com/{ID15}?srPos=0"),
            format!("https://acme--uat.sandbox.my.salesforce.com/{ID18}"),
            format!("https://ci-scratch.scratch.my.salesforce.com/{ID15}"),
        ] {
            assert_eq!(id_of(&url).map(|(_, ui)| ui), Some(Ui::Classic), "{url}");
        }
    }

    #[test]
    fn other_pages_are_not_opportunity_records() {
        for url in [
            "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=Recent".to_string(),
            format!("https://acme.lightning.force.com/lightning/r/Opportunity/{ID18}/related/OpportunityLineItems/view"),
            "https://acme.lightning.force.com/lightning/r/Account/0015g00000XyZabAAB/view".to_string(),
            "https://acme.lightning.force.com/lightning/r/0015g00000XyZabAAB/view".to_string(),
            format!("https://example.com/lightning/r/Opportunity/{ID18}/view"),
            format!("https://acme.my.salesforce.com.evil.example/{ID15}"),
            format!("https://acme.my.salesforce.com/{ID15}/e?retURL=%2F{ID15}"),
            format!("https://acme--c.visualforce.com/{ID15}"),
            format!("https://acme--c.vf.force.com/{ID15}"),
            "https://acme.my.salesforce.com/006".to_string(),
            format!("https://acme.my.salesforce.com/{}", &ID18[..17]),
            "https://acme.my.salesforce.com/0065g00000AbCdEaav".to_string(),
            format!("ftp://acme.my.salesforce.com/{ID15}"),
            // 18 bytes with a multi-byte character across byte 15 (found by fuzzing: it panicked).
            "https://acme.my.force.com/0065g[,+\0\0\0\"Cd\u{fffd}E".to_string(),
            "not a url".to_string(),
            String::new(),
        ] {
            assert_eq!(recognize(&url), None, "{url}");
        }
    }

    #[test]
    fn id15_is_the_case_sensitive_prefix() {
        let page = recognize(&format!("https://acme.my.salesforce.com/{ID18}")).unwrap();
        assert_eq!(page.id15(), ID15);
        assert_eq!(page.host, "acme.my.salesforce.com");
    }

    #[test]
    fn the_badge_is_limited_to_the_listed_orgs_by_my_domain_name() {
        let listed = [
            "acme.my.salesforce.com",
            "Globex--UAT.sandbox.my.salesforce.com",
        ];
        let on = |host: &str| badge_allowed_on(Some(listed), host);
        assert!(on("acme.lightning.force.com"));
        assert!(on("acme.my.salesforce.com"));
        assert!(on("ACME.file.force.com"));
        assert!(on("globex--uat.sandbox.lightning.force.com"));
        assert!(
            !on("globex.lightning.force.com"),
            "production is not its sandbox"
        );
        assert!(
            !on("acme--uat.sandbox.lightning.force.com"),
            "nor the other way round"
        );
        assert!(!on("initech.lightning.force.com"));
        assert!(!on("na42.salesforce.com"), "an instance host names no org");
        assert!(!on(""));
        assert!(
            badge_allowed_on(None::<[&str; 0]>, "initech.lightning.force.com"),
            "no list: every org"
        );
        assert!(
            badge_allowed_on(Some([]), "initech.lightning.force.com"),
            "an empty list limits nothing"
        );
        assert!(!badge_allowed_on(
            Some(["not a host"]),
            "initech.lightning.force.com"
        ));
        assert!(badge_allowed_on(
            Some(["https://acme.my.salesforce.com/"]),
            "acme.lightning.force.com"
        ));
        assert!(
            badge_allowed_on(Some(["acme"]), "acme.lightning.force.com"),
            "a bare My Domain name"
        );
    }
}
