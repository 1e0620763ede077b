//! `cc-health list`: one JSON array per page, equal to every list fixture's expected rows;
//! exit statuses for pages that are not lists and for bad arguments.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn cc_health() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cc-health"))
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn read_json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A row as the fixtures pin it: record, fields, shown columns, score (value, band, reason
/// codes and points), warning codes.
fn comparable(row: &Value) -> Value {
    let pairs = |items: &Value, keys: [&str; 2]| -> Vec<Value> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|item| json!({keys[0]: item[keys[0]], keys[1]: item[keys[1]]}))
            .collect()
    };
    json!({
        "recordId": row["recordId"],
        "fields": row["fields"],
        "shown": row["shown"],
        "score": {"value": row["score"]["value"], "band": row["score"]["band"],
                  "reasons": pairs(&row["score"]["reasons"], ["code", "points"])},
        "warnings": pairs(&row["warnings"], ["code", "field"]),
    })
}

#[test]
fn prints_one_json_array_matching_every_list_fixture() {
    let mut slugs: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|slug| slug.starts_with("list-"))
        .collect();
    slugs.sort();
    assert!(slugs.len() >= 10);
    for slug in slugs {
        let folder = fixtures().join(&slug);
        let meta = read_json(folder.join("meta.json"));
        let mut command = cc_health();
        command.args([
            "list",
            folder.join("page.html").to_str().unwrap(),
            "--url",
            meta["url"].as_str().unwrap(),
            "--today",
            meta["today"].as_str().unwrap(),
        ]);
        if let Some(locale) = meta["locale"].as_str() {
            command.args(["--locale", locale]);
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{slug}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(stdout.trim().lines().count(), 1, "{slug}: one line");
        let rows: Value = serde_json::from_str(&stdout).unwrap();
        let expected = read_json(folder.join("expected.json"));
        let actual: Vec<Value> = rows.as_array().unwrap().iter().map(comparable).collect();
        let expected: Vec<Value> = expected["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(comparable)
            .collect();
        assert_eq!(actual, expected, "{slug}");
        for row in rows.as_array().unwrap() {
            for reason in row["score"]["reasons"].as_array().unwrap() {
                assert!(reason["message"].is_string() && reason["text"]["id"].is_string());
            }
        }
    }
}

#[test]
fn the_partial_data_reason_says_what_to_add() {
    let folder = fixtures().join("list-split-view-en-us");
    let meta = read_json(folder.join("meta.json"));
    let output = cc_health()
        .args(["list", folder.join("page.html").to_str().unwrap()])
        .args([
            "--url",
            meta["url"].as_str().unwrap(),
            "--today",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&output.stdout).unwrap();
    let last = rows[0]["score"]["reasons"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["code"], "list_partial_fields");
    assert_eq!(
        last["message"],
        "Scored from 3 of 5 fields: add Next Step to this list view for a fuller score."
    );
}

/// Regression (list review, defect 2): on an Account page whose Quotes, Open Activities and a
/// custom object's related lists link to Opportunities (the renewal among them, before its own
/// row), only the Opportunities related list's rows are printed, each with its own cells.
#[test]
fn an_account_page_prints_only_its_opportunities_related_list() {
    let folder = fixtures().join("list-account-related-other-objects-en-us");
    let meta = read_json(folder.join("meta.json"));
    let output = cc_health()
        .args(["list", folder.join("page.html").to_str().unwrap()])
        .args([
            "--url",
            meta["url"].as_str().unwrap(),
            "--today",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let ids: Vec<&str> = rows
        .iter()
        .map(|row| row["recordId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "0065g00000Ao001AAA",
            "0065g00000Ao002AAA",
            "0065g00000Ao007AAA"
        ]
    );
    // The renewal's own row, not the Quote's ("Draft") nor the task's.
    assert_eq!(rows[2]["fields"]["stage"], "Prospecting");
    assert_eq!(rows[2]["fields"]["name"], "Acme — Renewal 2027");
}

/// Regression (list review, defect 1): a Classic list view whose Action column ("Edit | Del")
/// and Parent Opportunity lookup come before the Name prints each row as its Name's record,
/// the read-only row (no Edit link) included, not as its parent.
#[test]
fn a_classic_list_with_an_action_column_prints_each_row_once() {
    let folder = fixtures().join("list-classic-action-column-en-us");
    let meta = read_json(folder.join("meta.json"));
    let output = cc_health()
        .args(["list", folder.join("page.html").to_str().unwrap()])
        .args([
            "--url",
            meta["url"].as_str().unwrap(),
            "--today",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows: Value = serde_json::from_slice(&output.stdout).unwrap();
    let named: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["recordId"].as_str().unwrap(),
                row["fields"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("0065g00000Pa001", "Acme — Phase 2"),
            ("0065g00000Pa002", "Globex Expansion"),
            ("0065g00000Pa003", "Acme — Phase 3"),
        ]
    );
}

#[test]
fn a_page_that_lists_no_opportunities_exits_3_and_bad_arguments_exit_1() {
    let page = fixtures().join("list-lightning-grid-en-us/page.html");
    let page = page.to_str().unwrap();
    let record = cc_health()
        .args(["list", page, "--url"])
        .arg("https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view")
        .output()
        .unwrap();
    assert_eq!(record.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&record.stderr).contains("lists Opportunities"));
    let url = "https://acme.lightning.force.com/lightning/o/Opportunity/list?filterName=Recent";
    let bad_date = cc_health()
        .args(["list", page, "--url", url, "--today", "23/11/2026"])
        .output()
        .unwrap();
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("--today"));
    let missing = cc_health()
        .args(["list", "/nonexistent/page.html", "--url", url])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    // A page with no list prints an empty array, not an error.
    let empty = cc_health()
        .args(["list", "-", "--url", url, "--today", "2026-11-23"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(empty.status.success());
    assert_eq!(String::from_utf8_lossy(&empty.stdout).trim(), "[]");
}
