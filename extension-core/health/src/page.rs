//! Page recognition: is this URL a Salesforce Opportunity record page, and which record
//! ([`recognize`])? Or a page that lists Opportunities, and which kind ([`recognize_list`])?
//!
//! Only the URL decides here; the DOM is consulted later, by [`crate::extract`] and
//! [`crate::list`] (a Kanban board and a split view share their grid's URL: the DOM tells). The parser is
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
    (text.starts_with("006") && record_shaped(text)).then_some(text)
}

/// Whether `text` has a record Id's shape, of any object: 15 letters and digits, at least one a
/// digit, or 18 with the 3-character checksum suffix.
pub(crate) fn record_shaped(text: &str) -> bool {
    // Bytes, not `str` slices: a multi-byte character must not split a slice (found by fuzzing).
    let bytes = text.as_bytes();
    let shaped = match bytes.len() {
        15 => bytes.iter().all(u8::is_ascii_alphanumeric),
        18 => {
            bytes[..15].iter().all(u8::is_ascii_alphanumeric)
                && bytes[15..]
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || (b'0'..=b'5').contains(b))
        }
        _ => false,
    };
    shaped && bytes[..15].iter().any(u8::is_ascii_digit)
}

/// Returns the Id if `text` is a syntactically valid Account Id (prefix `001`, 15 or 18
/// characters, checked like [`opportunity_id`]).
pub fn account_id(text: &str) -> Option<&str> {
    let as_opportunity = format!("006{}", text.get(3..)?);
    (text.starts_with("001") && opportunity_id(&as_opportunity).is_some()).then_some(text)
}

/// What a page that lists Opportunities lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ListSource {
    /// A list view of the Opportunity tab (Lightning `/lightning/o/Opportunity/list`, its
    /// object home, `one.app`'s `#/sObject/Opportunity/list`; Classic `/006?fcf=`). The same URL
    /// shows the grid, the split view or the Kanban board: the DOM tells them apart.
    ListView {
        /// The list view's `filterName` (Lightning) or `fcf` (Classic), as the URL gives it;
        /// `Recent` (or `__Recent`) is Recently Viewed.
        filter: Option<String>,
    },
    /// Classic's Opportunities tab (`/006/o`): the recently viewed Opportunities.
    Tab,
    /// An Account record page, whose Opportunities related list is read (`/lightning/r/Account/
    /// <Id>/view`, Classic `/<001 Id>`), or that related list in full
    /// (`/lightning/r/Account/<Id>/related/Opportunities/view`).
    AccountRelated {
        /// The Account's Id, as the URL carries it.
        account_id: String,
        /// Whether the page is the related list in full rather than the Account's record page.
        full_list: bool,
    },
}

/// A recognised page that lists Opportunities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpportunityListPage {
    /// What it lists.
    pub source: ListSource,
    /// Which UI renders it.
    pub ui: Ui,
    /// The host, lower-cased.
    pub host: String,
}

impl OpportunityListPage {
    /// Whether the list view is Recently Viewed (`filterName=Recent`, `__Recent`; Classic's tab).
    pub fn is_recently_viewed(&self) -> bool {
        match &self.source {
            ListSource::ListView { filter } => filter
                .as_deref()
                .is_some_and(|name| name.trim_start_matches('_').eq_ignore_ascii_case("recent")),
            ListSource::Tab => true,
            ListSource::AccountRelated { .. } => false,
        }
    }
}

/// Recognises a page that lists Opportunities from its URL, or returns `None`. Same hosts and
/// schemes as [`recognize`]; a URL [`recognize`] accepts is never a list page here.
///
/// Recognised forms:
/// - `/lightning/o/Opportunity/list` (any `filterName`: a list view, Recently Viewed; the grid,
///   the split view and the Kanban board alike) and `/lightning/o/Opportunity/home`;
/// - the old `/one/one.app#/sObject/Opportunity/list?filterName=...` and `.../home`;
/// - an Account record page (`/lightning/r/Account/<Id>/view`, `/one/one.app#/sObject/<Id>/view`
///   with an Account Id) and its Opportunities related list in full
///   (`/lightning/r/Account/<Id>/related/Opportunities/view`);
/// - Classic list views `/006?fcf=<Id>` (also `/006` with other parameters), the
///   Opportunities tab `/006/o`, and an Account page `/<001 Id>`.
pub fn recognize_list(url: &str) -> Option<OpportunityListPage> {
    let parts = UrlParts::split(url)?;
    if parts.scheme != "https" && parts.scheme != "http" {
        return None;
    }
    if !is_salesforce_host(&parts.host) {
        return None;
    }
    let segments: Vec<&str> = parts.path.split('/').filter(|s| !s.is_empty()).collect();
    let list_view = |query: &str| ListSource::ListView {
        filter: query_parameter(query, "filterName"),
    };
    let (source, ui) = match segments.as_slice() {
        ["lightning", "o", "Opportunity", "list" | "home"] => {
            (list_view(parts.query), Ui::Lightning)
        }
        ["lightning", "r", "Account", id, "view"] => (account_related(id, false)?, Ui::Lightning),
        ["lightning", "r", id, "view"] => (account_related(id, false)?, Ui::Lightning),
        ["lightning", "r", "Account", id, "related", "Opportunities", "view"] => {
            (account_related(id, true)?, Ui::Lightning)
        }
        ["one", "one.app"] => {
            let (path, query) = parts
                .fragment
                .split_once('?')
                .unwrap_or((parts.fragment, ""));
            let fragment: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            match fragment.as_slice() {
                ["sObject", "Opportunity", "list" | "home"] => (list_view(query), Ui::Lightning),
                ["sObject", id, "view"] | ["sObject", id] => {
                    (account_related(id, false)?, Ui::Lightning)
                }
                _ => return None,
            }
        }
        ["006"] => (
            ListSource::ListView {
                filter: query_parameter(parts.query, "fcf"),
            },
            Ui::Classic,
        ),
        ["006", "o"] => (ListSource::Tab, Ui::Classic),
        [id] => (account_related(id, false)?, Ui::Classic),
        _ => return None,
    };
    Some(OpportunityListPage {
        source,
        ui,
        host: parts.host.to_ascii_lowercase(),
    })
}

fn account_related(id: &str, full_list: bool) -> Option<ListSource> {
    Some(ListSource::AccountRelated {
        account_id: account_id(id)?.to_string(),
        full_list,
    })
}

/// The value of `name` in a query string (`a=1&b=2`), percent-decoded where it is plain ASCII;
/// at most 200 characters (a list view's name or Id is short; a hostile URL is not).
fn query_parameter(query: &str, name: &str) -> Option<String> {
    let raw = query
        .split('&')
        .find_map(|pair| pair.split_once('=').filter(|(key, _)| *key == name))?
        .1;
    let mut decoded = String::new();
    let bytes = raw.as_bytes();
    let mut index = 0;
    while index < bytes.len() && decoded.len() < 200 {
        let byte = bytes[index];
        let escaped = (byte == b'%')
            .then(|| raw.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(u8::is_ascii);
        match escaped {
            Some(value) => {
                decoded.push(char::from(value));
                index += 3;
            }
            None if byte == b'+' => {
                decoded.push(' ');
                index += 1;
            }
            None => {
                let character = raw[index..].chars().next()?;
                decoded.push(character);
                index += character.len_utf8();
            }
        }
    }
    (!decoded.is_empty()).then_some(decoded)
}

/// The parts of a URL this module needs; everything is borrowed from the input.
struct UrlParts<'a> {
    scheme: String,
    host: String,
    path: &'a str,
    query: &'a str,
    fragment: &'a str,
}

impl<'a> UrlParts<'a> {
    fn split(url: &'a str) -> Option<Self> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://")?;
        let (before_fragment, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (before_query, query) = before_fragment
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
            query,
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
    fn list_pages_are_recognised() {
        let lightning = |path: &str| format!("https://acme.lightning.force.com{path}");
        let list = |filter: Option<&str>| ListSource::ListView {
            filter: filter.map(str::to_string),
        };
        let account = |full_list| ListSource::AccountRelated {
            account_id: "0015g00000XyZabAAB".to_string(),
            full_list,
        };
        for (url, source, ui) in [
            (lightning("/lightning/o/Opportunity/list?filterName=Recent"), list(Some("Recent")), Ui::Lightning),
            (lightning("/lightning/o/Opportunity/list?filterName=00B5g00000AbCdEEAZ&navigationLocation=LIST_VIEW"), list(Some("00B5g00000AbCdEEAZ")), Ui::Lightning),
            (lightning("/lightning/o/Opportunity/list?filterName=My%20Deals"), list(Some("My Deals")), Ui::Lightning),
            (lightning("/lightning/o/Opportunity/list"), list(None), Ui::Lightning),
            (lightning("/lightning/o/Opportunity/home"), list(None), Ui::Lightning),
            ("https://acme--uat.sandbox.my.salesforce.com/one/one.app#/sObject/Opportunity/list?filterName=AllOpportunities".to_string(), list(Some("AllOpportunities")), Ui::Lightning),
            (lightning("/lightning/r/Account/0015g00000XyZabAAB/view"), account(false), Ui::Lightning),
            (lightning("/lightning/r/0015g00000XyZabAAB/view"), account(false), Ui::Lightning),
            (lightning("/lightning/r/Account/0015g00000XyZabAAB/related/Opportunities/view"), account(true), Ui::Lightning),
            ("https://acme.my.salesforce.com/one/one.app#/sObject/0015g00000XyZabAAB/view".to_string(), account(false), Ui::Lightning),
            ("https://acme.my.salesforce.com/006?fcf=00B5g00000AbCdE".to_string(), list(Some("00B5g00000AbCdE")), Ui::Classic),
            ("https://acme.my.salesforce.com/006/o".to_string(), ListSource::Tab, Ui::Classic),
            ("https://acme.my.salesforce.com/0015g00000XyZabAAB".to_string(), account(false), Ui::Classic),
        ] {
            let page = recognize_list(&url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!((page.source, page.ui), (source, ui), "{url}");
            assert_eq!(recognize(&url), None, "{url} is no record page");
        }
        assert!(recognize_list(&lightning(
            "/lightning/o/Opportunity/list?filterName=__Recent"
        ))
        .unwrap()
        .is_recently_viewed());
        assert!(recognize_list("https://acme.my.salesforce.com/006/o")
            .unwrap()
            .is_recently_viewed());
    }

    #[test]
    fn other_pages_are_not_opportunity_lists() {
        for url in [
            format!("https://acme.lightning.force.com/lightning/r/Opportunity/{ID18}/view"),
            format!("https://acme.my.salesforce.com/{ID15}"),
            "https://acme.lightning.force.com/lightning/o/Account/list?filterName=Recent".to_string(),
            "https://acme.lightning.force.com/lightning/o/Opportunity/new".to_string(),
            "https://acme.lightning.force.com/lightning/r/Account/0015g00000XyZabAAB/related/Contacts/view".to_string(),
            "https://acme.lightning.force.com/lightning/r/Account/0035g00000XyZabAAB/view".to_string(),
            "https://acme.lightning.force.com/lightning/r/Contact/0015g00000XyZabAAB/view".to_string(),
            "https://example.com/lightning/o/Opportunity/list?filterName=Recent".to_string(),
            "https://acme.my.salesforce.com.evil.example/006/o".to_string(),
            "https://acme--c.vf.force.com/006/o".to_string(),
            "https://acme.my.salesforce.com/006/e".to_string(),
            "https://acme.my.salesforce.com/001".to_string(),
            "https://acme.my.salesforce.com/0015g00000XyZab\u{e9}AB".to_string(),
            "ftp://acme.my.salesforce.com/006/o".to_string(),
            "not a url".to_string(),
        ] {
            assert_eq!(recognize_list(&url), None, "{url}");
        }
        // A hostile filter name is bounded and never panics on multi-byte text.
        let long = format!(
            "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName={}%E2%82%AC%",
            "é".repeat(500)
        );
        let page = recognize_list(&long).unwrap();
        let ListSource::ListView {
            filter: Some(filter),
        } = page.source
        else {
            panic!()
        };
        assert!(filter.len() <= 204);
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
