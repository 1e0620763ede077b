//! `cc-health extract`: output equals the library's report for every fixture; exit statuses.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn cc_health() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cc-health"))
}

fn fixture(slug: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(slug)
}

fn meta(slug: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(slug).join("meta.json")).unwrap())
        .unwrap()
}

#[test]
fn prints_one_json_object_matching_the_fixture() {
    let slug = "lightning-record-layout-en-us";
    let meta = meta(slug);
    let output = cc_health()
        .args([
            "extract",
            fixture(slug).join("page.html").to_str().unwrap(),
            "--url",
            meta["url"].as_str().unwrap(),
        ])
        .args(["--today", meta["today"].as_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "exactly one JSON object on one line"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(slug).join("expected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["fields"], expected["fields"]);
    assert_eq!(report["score"]["value"], expected["score"]["value"]);
    assert_eq!(report["opportunityId"], expected["opportunityId"]);
    let positions: Vec<usize> = [
        "\"opportunityId\":",
        "\"ui\":",
        "\"fields\":",
        "\"score\":",
        "\"warnings\":",
    ]
    .iter()
    .map(|key| stdout.find(key).unwrap_or_else(|| panic!("{key} missing")))
    .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "keys in the documented order: {stdout}"
    );
    for reason in report["score"]["reasons"].as_array().unwrap() {
        assert!(
            reason["code"].is_string()
                && reason["points"].is_i64()
                && reason["message"].is_string()
        );
    }
}

#[test]
fn reads_the_page_from_stdin_and_honours_locale() {
    let slug = "lightning-ambiguous-date";
    let html = std::fs::read(fixture(slug).join("page.html")).unwrap();
    let mut child = cc_health()
        .args([
            "extract",
            "-",
            "--url",
            meta(slug)["url"].as_str().unwrap(),
            "--today",
            "2026-11-23",
            "--locale",
            "en-GB",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&html).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["fields"]["closeDate"], "2027-04-03",
        "en-GB reads 03/04/2027 day first"
    );
    // The locale also names the currency: en-GB writes the US dollar as US$, so the page's
    // "$90,000.00" is a dollar CLDR does not settle there (issue 17).
    let warnings: Vec<(&str, &str)> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["field"].as_str().unwrap()))
        .collect();
    assert_eq!(warnings, [("ambiguous_currency", "amount")]);
    assert_eq!(report["fields"]["amount"]["currency"], Value::Null);
}

#[test]
fn a_non_opportunity_url_exits_3_with_one_line() {
    let output = cc_health()
        .args([
            "extract",
            "/nonexistent.html",
            "--url",
            "https://acme.lightning.force.com/lightning/o/Opportunity/list",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr)
            .trim()
            .lines()
            .count(),
        1
    );
}

#[test]
fn unreadable_input_exits_1_naming_the_path() {
    let url = "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view";
    let output = cc_health()
        .args(["extract", "/nonexistent/page.html", "--url", url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/page.html") && stderr.contains("No such file"),
        "{stderr}"
    );
}

#[test]
fn bad_arguments_exit_1() {
    let url = "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view";
    let page = fixture("classic-en-us").join("page.html");
    for extra in [&["--today", "23/11/2026"][..], &["--locale", "english"][..]] {
        let output = cc_health()
            .args(["extract", page.to_str().unwrap(), "--url", url])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{extra:?}");
    }
    assert_eq!(
        cc_health().arg("extract").output().unwrap().status.code(),
        Some(1)
    );
}

#[test]
fn without_today_it_scores_as_of_the_clock() {
    let slug = "lightning-overdue-critical";
    let output = cc_health()
        .args([
            "extract",
            fixture(slug).join("page.html").to_str().unwrap(),
            "--url",
            meta(slug)["url"].as_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["score"]["band"], "critical",
        "the close date 2026-10-31 is past whenever this runs"
    );
}
