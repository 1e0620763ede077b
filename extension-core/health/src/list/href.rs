//! What a link in a list names: an Opportunity's own page, another object's record, an action
//! on a record (its edit form, a delete, a clone), or nothing. Plain text in, no DOM.
//!
//! A row is told by the link that names its record, so an action column's "Edit | Del"
//! (Classic `/006…/e?retURL=…`, Lightning `/lightning/r/Opportunity/006…/edit`) must never
//! count as the record's link, and a link to another object's record (a Quote's name, a Task's
//! subject) must be told from a link to nothing at all (`javascript:void(0)`).

use crate::page::{opportunity_id, record_shaped};

/// What a link names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An Opportunity's own page: its Id as the link carries it (15 or 18 characters).
    Opportunity(String),
    /// Another object's record (an Account, a Quote, a Task, a custom object's record).
    OtherRecord,
    /// A page about a record that is not the record itself: its edit form (`/e`, `/edit`), a
    /// clone, a delete, one of its related lists.
    Action,
    /// No record: a script, a fragment, a page of no record (`/setup/own/deleteredirect.jsp`).
    Nothing,
}

/// The path segments that show a record itself after its Id: none (Classic `/<Id>`), or
/// `view` (Lightning, `one.app`).
const VIEW: &str = "view";

/// What `href` names: absolute or relative, Lightning (`/lightning/r/Opportunity/<Id>/view`,
/// `/lightning/r/<Id>/view`), `one.app` (`#/sObject/<Id>/view`) or Classic (`/<Id>`). Only the
/// path (and `one.app`'s fragment) is read: an Id in a query parameter (`retURL`, `delID`)
/// names another page. The first segment that is a record Id decides; anything after it but
/// `view` makes the link an action on that record.
pub fn target(href: &str) -> Target {
    match record_segment(href) {
        None => Target::Nothing,
        Some((_, false)) => Target::Action,
        Some((id, true)) => target_of_id(id),
    }
}

/// The first path (then fragment) segment of `href` that is a record Id, and whether the link
/// shows that record itself (nothing after the Id but `view`).
fn record_segment(href: &str) -> Option<(&str, bool)> {
    let href = href.trim();
    let after_scheme = href.split_once("://").map_or(href, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, path)| path)
    });
    let (before_fragment, fragment) = after_scheme.split_once('#').unwrap_or((after_scheme, ""));
    let path = before_fragment.split('?').next().unwrap_or("");
    let fragment_path = fragment.split('?').next().unwrap_or("");
    [path, fragment_path].into_iter().find_map(|part| {
        let segments: Vec<&str> = part.split('/').take(16).collect();
        let index = segments.iter().position(|segment| record_shaped(segment))?;
        let mut rest = segments[index + 1..]
            .iter()
            .filter(|segment| !segment.is_empty());
        let shows_the_record = match rest.next() {
            None => true,
            Some(&segment) => segment == VIEW && rest.next().is_none(),
        };
        Some((segments[index], shows_the_record))
    })
}

/// What a record Id names: an Opportunity ([`opportunity_id`]), another object's record (15
/// letters and digits, at least one a digit, or 18 with the 3-character checksum suffix), or
/// nothing (a word, `HEADER`, a row number).
pub fn target_of_id(text: &str) -> Target {
    if let Some(id) = opportunity_id(text) {
        Target::Opportunity(id.to_string())
    } else if record_shaped(text) {
        Target::OtherRecord
    } else {
        Target::Nothing
    }
}

/// The relationship a related list's link names (`/lightning/r/Account/<Id>/related/
/// Opportunities/view`: `Opportunities`), at most 80 characters.
pub fn related_list_name(href: &str) -> Option<&str> {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.split('/');
    segments.find(|segment| *segment == "related")?;
    segments
        .next()
        .filter(|name| !name.is_empty() && name.len() <= 80)
}

/// The Opportunity Id a link points to when it shows that Opportunity itself ([`target`]):
/// never an action on it (`/006…/e?retURL=…`, `/lightning/r/Opportunity/006…/edit`).
pub fn opportunity_id_in_href(href: &str) -> Option<&str> {
    match record_segment(href)? {
        (id, true) => opportunity_id(id),
        (_, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPPORTUNITY: &str = "0065g00000AbCdEAAV";

    fn opportunity(id: &str) -> Target {
        Target::Opportunity(id.to_string())
    }

    #[test]
    fn a_link_to_the_record_itself_names_it() {
        for (href, expected) in [
            (
                "/lightning/r/Opportunity/0065g00000AbCdEAAV/view",
                opportunity(OPPORTUNITY),
            ),
            (
                "https://acme.lightning.force.com/lightning/r/0065g00000AbCdE/view",
                opportunity("0065g00000AbCdE"),
            ),
            ("/0065g00000AbCdE", opportunity("0065g00000AbCdE")),
            ("/0065g00000AbCdE/", opportunity("0065g00000AbCdE")),
            (
                "/one/one.app#/sObject/0065g00000AbCdEAAV/view",
                opportunity(OPPORTUNITY),
            ),
            (
                "/lightning/r/Opportunity/0065g00000AbCdEAAV/view?ws=%2Flightning%2Fr%2F0015g00000XyZabAAB%2Fview",
                opportunity(OPPORTUNITY),
            ),
            // A Classic link back with a return URL is still the record's own page.
            ("/0065g00000AbCdE?srPos=0&srKp=006", opportunity("0065g00000AbCdE")),
        ] {
            assert_eq!(target(href), expected, "{href}");
        }
    }

    /// Regression (list review, defect 1): Classic's action column ("Edit | Del") and
    /// Lightning's edit page link to the row's record but are not its name.
    #[test]
    fn actions_on_a_record_are_not_its_link() {
        for href in [
            "/0065g00000AbCdE/e?retURL=%2F006%3Ffcf%3D00B5g00000AbCdE",
            "/0065g00000AbCdE/e?clone=1&retURL=%2F0065g00000AbCdE",
            "/0065g00000AbCdE/a?retURL=%2F0065g00000AbCdE",
            "/lightning/r/Opportunity/0065g00000AbCdEAAV/edit",
            "/lightning/r/Opportunity/0065g00000AbCdEAAV/clone",
            "/lightning/r/0065g00000AbCdEAAV/related/OpportunityLineItems/view",
            "/one/one.app#/sObject/0065g00000AbCdEAAV/edit",
        ] {
            assert_eq!(target(href), Target::Action, "{href}");
            assert_eq!(opportunity_id_in_href(href), None, "{href}");
        }
        for href in [
            "/setup/own/deleteredirect.jsp?delID=0065g00000AbCdE&retURL=%2F006%3Ffcf%3D00B5g00000AbCdE",
            "javascript:void(0);",
            "#",
            "",
            "/lightning/o/Opportunity/new",
            "/006/e?retURL=%2F006%2Fo",
            "/lightning/r/ActivityHistory/view",
        ] {
            assert_eq!(target(href), Target::Nothing, "{href}");
        }
    }

    #[test]
    fn other_objects_records_are_told_apart() {
        for href in [
            "/lightning/r/Account/0015g00000XyZabAAB/view",
            "/lightning/r/0Q05g00000Qt001AAA/view",
            "/lightning/r/Task/00T5g00000Tk001AAA/view",
            "/a0B5g00000Dr001",
            "/0015g00000XyZab?retURL=%2F0065g00000AbCdE",
            "/lightning/r/User/0055g00000JdOeAAAY/view",
        ] {
            assert_eq!(target(href), Target::OtherRecord, "{href}");
            assert_eq!(opportunity_id_in_href(href), None, "{href}");
        }
        // Words are no records, even 15 letters long.
        assert_eq!(target_of_id("ActivityHistory"), Target::Nothing);
        assert_eq!(target_of_id("HEADER"), Target::Nothing);
        assert_eq!(target_of_id("row-1"), Target::Nothing);
        // Bytes, not slices: a multi-byte character must not split one.
        assert_eq!(target_of_id("0Q05g00000Qt001ééé"), Target::Nothing);
    }

    #[test]
    fn related_lists_are_named_by_their_link() {
        assert_eq!(
            related_list_name("/lightning/r/Account/0015g00000XyZabAAB/related/Opportunities/view"),
            Some("Opportunities")
        );
        assert_eq!(
            related_list_name("/lightning/r/0015g00000XyZabAAB/related/Quotes/view?ws=x"),
            Some("Quotes")
        );
        assert_eq!(
            related_list_name("/lightning/r/Account/0015g00000XyZabAAB/view"),
            None
        );
    }
}
