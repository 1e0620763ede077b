//! Shared by the native and the browser fixture tests: how a report is compared with a
//! fixture's expected.json, and the pages some tests build.
//!
//! Compared exactly: `opportunityId`, `ui`, every field, the score's value and band, each
//! reason's code and points (in order), each warning's code and field, and `dateOrder`: the
//! numeric date order the page settles on its own (absent when it settles none; the report
//! proper does not carry it, the test adds it from `analyze_learning`). Reason and warning
//! messages are prose for people and are not part of the fixture contract.
// Each test file uses the part it needs.
#![allow(dead_code)]

use serde_json::{json, Value};

/// The parts of a report (as JSON) that fixtures pin down.
pub fn comparable(report: &Value) -> Value {
    let reasons: Vec<Value> = report["score"]["reasons"]
        .as_array()
        .map(|reasons| {
            reasons
                .iter()
                .map(|r| json!({"code": r["code"], "points": r["points"]}))
                .collect()
        })
        .unwrap_or_default();
    let warnings: Vec<Value> = report["warnings"]
        .as_array()
        .map(|warnings| {
            warnings
                .iter()
                .map(|w| json!({"code": w["code"], "field": w["field"]}))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "opportunityId": report["opportunityId"],
        "ui": report["ui"],
        "fields": report["fields"],
        "score": {"value": report["score"]["value"], "band": report["score"]["band"], "reasons": reasons},
        "warnings": warnings,
        "dateOrder": report["dateOrder"],
    })
}

/// The report as JSON with the date order the page settled added as `dateOrder` (left out when
/// it settled none, as in expected.json).
pub fn with_date_order(
    report: &deal_health::report::Report,
    date_order: Option<deal_health::locale::DateOrder>,
) -> Value {
    let mut value = serde_json::to_value(report).expect("serialisable");
    if let Some(order) = date_order {
        value["dateOrder"] = Value::from(order.name());
    }
    value
}

/// A fixture's `knownDateOrder` (meta.json): the order an earlier page of the org settled.
pub fn known_date_order(meta: &Value) -> Option<deal_health::locale::DateOrder> {
    meta["knownDateOrder"].as_str().map(|name| {
        deal_health::locale::DateOrder::from_name(name)
            .unwrap_or_else(|| panic!("knownDateOrder {name:?} is not a date order"))
    })
}

/// A readable diff of two comparable reports.
pub fn explain(slug: &str, actual: &Value, expected: &Value) -> String {
    format!(
        "fixture {slug}\n  actual:   {}\n  expected: {}",
        serde_json::to_string(actual).unwrap_or_default(),
        serde_json::to_string(expected).unwrap_or_default()
    )
}

/// Whether a fixture is a list page (`list-*`: `tests/list_fixtures.rs` and the browser test
/// read those; the record tests leave them out).
pub fn is_list_fixture(slug: &str) -> bool {
    slug.starts_with("list-")
}

/// The parts of a list page's analysis that fixtures pin down: the layout, every row's record,
/// fields, shown columns, score (value, band, reason codes and points in order) and warning
/// codes, the list's warnings and the date order its Close Dates settle.
pub fn list_comparable(report: &deal_health::list::ListReport) -> Value {
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|row| serde_json::to_value(&**row).expect("serialisable"))
        .collect();
    let warnings: Vec<Value> = report
        .warnings
        .iter()
        .map(|w| json!({"code": w.code, "field": w.field}))
        .collect();
    let mut value = json!({
        "layout": report.layout,
        "rows": rows,
        "warnings": warnings,
    });
    if let Some(order) = report.date_order {
        value["dateOrder"] = Value::from(order.name());
    }
    list_expected(&value)
}

/// An expected.json of a list page (or [`list_comparable`]'s draft) reduced to what is compared.
pub fn list_expected(expected: &Value) -> Value {
    let rows: Vec<Value> = expected["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    let reasons: Vec<Value> = row["score"]["reasons"]
                        .as_array()
                        .map(|reasons| {
                            reasons
                                .iter()
                                .map(|r| json!({"code": r["code"], "points": r["points"]}))
                                .collect()
                        })
                        .unwrap_or_default();
                    let warnings: Vec<Value> = row["warnings"]
                        .as_array()
                        .map(|warnings| {
                            warnings
                                .iter()
                                .map(|w| json!({"code": w["code"], "field": w["field"]}))
                                .collect()
                        })
                        .unwrap_or_default();
                    json!({
                        "recordId": row["recordId"],
                        "fields": row["fields"],
                        "shown": row["shown"],
                        "score": {"value": row["score"]["value"], "band": row["score"]["band"], "reasons": reasons},
                        "warnings": warnings,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "layout": expected["layout"],
        "rows": rows,
        "warnings": expected["warnings"],
        "dateOrder": expected["dateOrder"],
    })
}

/// A Classic page as Salesforce builds it: the tab bar, `table#bodyTable` (the sidebar and the
/// body in one row), a layout table in the body, a page block's header table, and the list
/// (`table.list`: a header row and `rows` rows). Each table's own rows, in total, are
/// `rows + 5`.
pub fn classic_nested_list_page(rows: usize) -> String {
    let data_rows: String = (0..rows)
        .map(|index| {
            format!(
                "<tr class=\"dataRow\"><th scope=\"row\" class=\"dataCell\">\
                 <a href=\"/0065g0000{index:06}\">Deal {index}</a></th>\
                 <td class=\"dataCell\">Prospecting</td><td class=\"dataCell\">12/15/2026</td></tr>"
            )
        })
        .collect();
    format!(
        "<html lang=\"en-US\"><body>\
         <table id=\"tabBar\"><tr><td><a href=\"/006/o\">Opportunities</a></td></tr></table>\
         <table id=\"bodyTable\"><tr><td id=\"sidebarCell\"><a href=\"/0065g00000Zz001\">Recent</a></td>\
         <td id=\"bodyCell\"><table class=\"layout\"><tr><td>\
         <div class=\"bPageBlock\"><div class=\"pbHeader\"><table><tr><td class=\"pbTitle\">\
         <h3>Opportunities</h3></td><td class=\"pbButton\"></td></tr></table></div>\
         <div class=\"pbBody\"><table class=\"list\">\
         <tr class=\"headerRow\"><th scope=\"col\">Opportunity Name</th><th scope=\"col\">Stage</th>\
         <th scope=\"col\">Close Date</th></tr>{data_rows}</table></div></div>\
         </td></tr></table></td></tr></table></body></html>"
    )
}
