//! `cc-health extract` on hostile input (issue 15, item 11): it reads at most 16 MiB, decodes
//! UTF-16 and drops a UTF-8 byte-order mark, refuses what would make html5ever take minutes,
//! and warns when a field's text lies deeper than the text reader goes. Each case runs under a
//! 120 s watchdog that only catches a hang (before the fix some took minutes or never ended);
//! nothing asserts how fast a machine is.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use deal_health::dom::limits::{check, MAX_NESTING, MAX_NESTING_WORK};
use serde_json::Value;

const URL: &str =
    "https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000AbCdEAAV/view";
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

fn fixture_file(slug: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(slug)
        .join(name)
}

fn fixture_page(slug: &str) -> String {
    std::fs::read_to_string(fixture_file(slug, "page.html")).unwrap()
}

fn expected_fields(slug: &str) -> Value {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_file(slug, "expected.json")).unwrap(),
    )
    .unwrap();
    expected["fields"].clone()
}

/// Runs `cc-health extract PAGE --url URL --today 2026-11-23`, feeding `stdin` when PAGE is
/// `-`; panics if it has not finished after 120 s (a hang, not a slow machine).
fn extract(page: &str, stdin: Option<Vec<u8>>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cc-health"))
        .args(["extract", page, "--url", URL, "--today", "2026-11-23"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A refused page may close standard input before all of it is written.
    let writer = std::thread::spawn(move || {
        if let Some(bytes) = stdin {
            let _ = input.write_all(&bytes);
        }
    });
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let (stdout, stderr) = (read(Box::new(stdout)), read(Box::new(stderr)));
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cc-health extract {page} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    writer.join().unwrap();
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn assert_refused(output: &Output, reason: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(reason), "{reason:?} not in {stderr}");
}

fn report(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_page_over_16_mib_is_refused_from_stdin_and_from_dev_zero() {
    let output = extract("-", Some(vec![b' '; MAX_PAGE_BYTES + 1]));
    assert_refused(&output, "standard input is larger than 16 MiB");
    let just_fits = extract("-", Some(vec![b' '; MAX_PAGE_BYTES]));
    assert!(just_fits.status.success(), "16 MiB itself is read");
    if Path::new("/dev/zero").exists() {
        assert_refused(
            &extract("/dev/zero", None),
            "/dev/zero is larger than 16 MiB",
        );
    }
}

fn utf16(text: &str, little_endian: bool, byte_order_mark: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    let units = byte_order_mark
        .then_some(0xFEFF)
        .into_iter()
        .chain(text.encode_utf16());
    for unit in units {
        bytes.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn utf16_pages_are_decoded_and_a_utf8_byte_order_mark_is_dropped() {
    let slug = "lightning-record-layout-en-us";
    let page = fixture_page(slug);
    let mut with_mark = b"\xEF\xBB\xBF".to_vec();
    with_mark.extend(page.as_bytes());
    let mut inputs = vec![("UTF-8 with a byte-order mark", with_mark)];
    for (name, little_endian, mark) in [
        ("UTF-16LE with a byte-order mark", true, true),
        ("UTF-16BE with a byte-order mark", false, true),
        ("UTF-16LE without a byte-order mark", true, false),
    ] {
        inputs.push((name, utf16(&page, little_endian, mark)));
    }
    for (name, bytes) in inputs {
        let report = report(&extract("-", Some(bytes)));
        assert_eq!(report["fields"], expected_fields(slug), "{name}");
        assert_eq!(report["warnings"], Value::Array(vec![]), "{name}");
    }
}

#[test]
fn a_page_neither_utf8_nor_utf16_is_refused() {
    let mut latin1 = fixture_page("lightning-record-layout-en-us").into_bytes();
    latin1.extend(b"<p>Caf\xE9</p>");
    assert_refused(&extract("-", Some(latin1)), "is not UTF-8");
    let mut broken = vec![0xFF, 0xFE];
    broken.extend([0x00, 0xD8, b'<', 0]);
    assert_refused(&extract("-", Some(broken)), "not valid UTF-16");
}

/// The shapes from the issue that took html5ever from 36 s to forever, and their kin.
#[test]
fn pathological_nesting_is_refused_quickly() {
    let body = |inner: String| format!("<html><body>{inner}</body></html>");
    let cases = [
        (
            "misnested formatting",
            body("<b><i><div></b></i>x".repeat(10_000)),
        ),
        (
            "misnested formatting, open",
            body("<b><div></b>".repeat(16_000)),
        ),
        ("reopened formatting", body("<p><b></p>x".repeat(10_000))),
        (
            "distinct formatting never closed",
            body((0..10_000).map(|n| format!("<b id={n}>x")).collect()),
        ),
        ("16,000 nested divs", body("<div>".repeat(16_000))),
        ("300,000 nested divs", body("<div>".repeat(300_000))),
        ("self-closed divs", body("<div/>".repeat(16_000))),
        (
            "deep, then many tags",
            body(format!(
                "{}{}",
                "<div>".repeat(MAX_NESTING - 20),
                "<i></i>".repeat(400_000)
            )),
        ),
    ];
    for (name, page) in cases {
        let output = extract("-", Some(page.into_bytes()));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("standard input was refused:") && stderr.contains("html5ever"),
            "{name}: {stderr}"
        );
    }
}

/// A 5 MB page made of a real one: the large fixture with copies of its body hidden after it.
#[test]
fn a_five_megabyte_real_page_is_well_inside_the_limits() {
    let slug = "lightning-large-page-en-us";
    let page = fixture_page(slug);
    let body_start = page.find("<body").unwrap();
    let body_end = page.rfind("</body>").unwrap();
    let body = &page[page[body_start..].find('>').unwrap() + body_start + 1..body_end];
    let copies = 5_000_000 / body.len() + 1;
    let padded = format!(
        "{}<div hidden>{}</div>{}",
        &page[..body_end],
        body.repeat(copies),
        &page[body_end..]
    );
    assert!(padded.len() > 5_000_000);
    let nesting = check(&padded).unwrap();
    assert!(
        nesting.max_depth < MAX_NESTING / 4 && nesting.work < MAX_NESTING_WORK / 4,
        "{nesting:?}"
    );
    let report = report(&extract("-", Some(padded.into_bytes())));
    assert_eq!(report["fields"], expected_fields(slug));
}

#[test]
fn every_fixture_is_well_inside_the_nesting_limits() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let page = entry.unwrap().path().join("page.html");
        if let Ok(html) = std::fs::read_to_string(&page) {
            let nesting = check(&html).unwrap();
            assert!(nesting.max_depth < MAX_NESTING / 4, "{page:?}: {nesting:?}");
        }
    }
}

#[test]
fn a_field_nested_past_the_text_reader_depth_is_a_warning_not_a_silent_null() {
    let slug = "lightning-record-layout-en-us";
    let value = "Send redlined MSA to legal";
    let page = fixture_page(slug).replacen(
        value,
        &format!("{}{value}{}", "<span>".repeat(300), "</span>".repeat(300)),
        1,
    );
    let report = report(&extract("-", Some(page.into_bytes())));
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["code"], "nesting_too_deep");
    assert_eq!(warnings[0]["field"], "nextStep");
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("more than 256 elements deep"),
        "{warnings:?}"
    );
    let mut fields = expected_fields(slug);
    fields["nextStep"] = report["fields"]["nextStep"].clone();
    assert_eq!(report["fields"], fields, "only the deep field is affected");
}

#[test]
fn the_help_names_the_limits() {
    let output = Command::new(env!("CARGO_BIN_EXE_cc-health"))
        .args(["extract", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for limit in ["16 MiB", "UTF-16", "512 deep", "100 million"] {
        assert!(help.contains(limit), "{limit} not in {help}");
    }
}
