//! Architecture invariants, checked (see ARCHITECTURE.md):
//! 1. The core is plain Rust: natively, nothing depends on web-sys, js-sys or wasm-bindgen.
//! 2. The content-script wasm (`web` feature) does not link the HTML parser.
//! 3. Only the live DOM backend and the bindings module name browser APIs.
//! 4. Every reason code is explained in docs/scoring.md.
//! 5. The enriched engine never enters the extension: neither `web` nor `worker` enables it,
//!    and build.sh builds the wasm without default features.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

fn cargo_tree_inverted(package: &str, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // Dates play no part here, and cargo stalls under libfaketime (tests/tools/any-day.sh
        // runs the native tests with the system date moved).
        .env_remove("LD_PRELOAD")
        .env_remove("FAKETIME")
        .args([
            "tree",
            "--offline",
            "-e",
            "normal",
            "-p",
            "extension-core",
            "-i",
            package,
        ])
        .args(extra)
        .output()
        .expect("cargo tree runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn not_in_tree(report: &str) -> bool {
    report.contains("did not match any packages") || report.contains("nothing to print")
}

#[test]
fn the_native_build_has_no_browser_bindings() {
    for package in ["web-sys", "js-sys", "wasm-bindgen"] {
        let report = cargo_tree_inverted(package, &[]);
        assert!(
            not_in_tree(&report),
            "{package} is in the native dependency tree:\n{report}"
        );
    }
}

#[test]
fn the_wasm_build_has_no_html_parser() {
    for package in ["scraper", "html5ever"] {
        let report = cargo_tree_inverted(
            package,
            &[
                "--target",
                "wasm32-unknown-unknown",
                "--no-default-features",
                "--features",
                "web",
            ],
        );
        assert!(
            not_in_tree(&report),
            "{package} is in the content-script wasm:\n{report}"
        );
    }
}

#[test]
fn browser_apis_live_only_in_the_binding_modules() {
    let allowed = ["src/dom/live.rs", "src/bindings.rs"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offenders = Vec::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if allowed.contains(&relative.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if ["web_sys::", "js_sys::", "wasm_bindgen::", "#[wasm_bindgen"]
                .iter()
                .any(|needle| text.contains(needle))
            {
                offenders.push(relative);
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "browser APIs outside the binding modules: {offenders:?}"
    );
}

#[test]
fn every_reason_code_is_documented() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/scoring.md"))
            .unwrap();
    let missing: Vec<&str> = extension_core::score::REASON_CODES
        .iter()
        .copied()
        .filter(|code| !doc.contains(&format!("`{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/scoring.md does not explain {missing:?}"
    );
}

#[test]
fn the_extension_wasm_does_not_carry_the_enriched_engine() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for feature in ["web = [", "worker = ["] {
        let line = manifest
            .lines()
            .find(|line| line.trim_start().starts_with(feature))
            .expect("the feature exists");
        assert!(
            !line.contains("engine") && !line.contains("html"),
            "{line}: no engine, no HTML parser"
        );
    }
    let build = std::fs::read_to_string(root.join("../build.sh")).unwrap();
    assert!(
        build.contains("--no-default-features --features \"$1\""),
        "build.sh builds the wasm without default features"
    );
    assert!(
        build.contains("build_core web ") && build.contains("build_core worker "),
        "only the web and worker feature sets"
    );
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("#[cfg(feature = \"engine\")]\npub mod enriched;"),
        "the engine is gated"
    );
}

/// The content script's gate (`RECORD_ID_HINT` in content/gate.js, which imports
/// content/main.js, and again in main.js, which imports the core) in Rust: an Opportunity Id's
/// prefix and twelve more ASCII letters or digits somewhere in the URL.
fn passes_record_id_hint(url: &str) -> bool {
    let bytes = url.as_bytes();
    (0..bytes.len()).any(|start| {
        bytes[start..].starts_with(b"006")
            && bytes.len() >= start + 15
            && bytes[start + 3..start + 15]
                .iter()
                .all(u8::is_ascii_alphanumeric)
    })
}

/// 6. The content script imports itself and the core only where the URL passes its gate, so the gate must
///    never refuse a URL the core recognises: every URL form `page::recognize` accepts, in every
///    fixture, in both Id lengths, with console and query decorations.
#[test]
fn the_content_gate_never_refuses_an_opportunity_url() {
    for script in ["content/gate.js", "content/main.js"] {
        let source = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(script),
        )
        .expect(script);
        assert!(
            source.contains("const RECORD_ID_HINT = /006[0-9A-Za-z]{12}/;"),
            "{script}'s gate changed: update passes_record_id_hint to match it"
        );
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut urls: Vec<String> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .filter_map(|entry| {
            let meta = std::fs::read_to_string(entry.ok()?.path().join("meta.json")).ok()?;
            let meta: serde_json::Value = serde_json::from_str(&meta).ok()?;
            Some(meta["url"].as_str()?.to_string())
        })
        .collect();
    assert!(urls.len() > 20, "the fixture corpus is read");
    for id in ["0065g00000AbCdE", "0065g00000AbCdEAAV", "006000000000001"] {
        for host in ["acme.lightning.force.com", "acme.my.salesforce.com"] {
            for form in [
                format!("/lightning/r/Opportunity/{id}/view"),
                format!("/lightning/r/Opportunity/{id}/edit?navigationLocation=LIST_VIEW"),
                format!("/lightning/r/{id}/view"),
                format!("/lightning/r/Opportunity/{id}/view?ws=%2Flightning%2Fr%2FAccount%2F0015g00000XyZabAAB%2Fview"),
                format!("/one/one.app#/sObject/{id}/view"),
                format!("/one/one.app#/sObject/{id}?a=1"),
                format!("/{id}"),
                format!("/{id}?srPos=0&srKp=006"),
            ] {
                urls.push(format!("https://{host}{form}"));
            }
        }
    }
    let mut recognised = 0;
    for url in &urls {
        if extension_core::page::recognize(url).is_some() {
            recognised += 1;
            assert!(passes_record_id_hint(url), "the gate refuses {url}");
        }
    }
    assert!(recognised >= 40, "{recognised} URLs recognised");
}
