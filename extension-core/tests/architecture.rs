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
