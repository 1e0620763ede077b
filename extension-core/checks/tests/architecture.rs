//! Architecture invariants, checked (see ARCHITECTURE.md):
//! 1. The library crates are plain Rust: natively, nothing depends on web-sys, js-sys or
//!    wasm-bindgen.
//! 2. The content script's wasm (`deal-health-content`) depends on the Tier 1 core
//!    (`deal-health`) alone: no Tier 2 code, no HTML parser, no crypto. The worker's wasm
//!    (`deal-health-worker`) on Tier 1 and Tier 2's decisions: no engine, no HTML parser.
//! 3. Only the live DOM backend and the two binding crates name browser APIs.
//! 4. Every reason code is explained in docs/scoring.md.
//! 5. build.sh builds those two crates, without default features.
//! 6. No module of a library crate depends on itself through others (no import cycle).
//! 7. The JavaScript reads every storage key from the core.
//! 8. The browser is called from one JavaScript file per context.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `extension-core/` folder, which holds every crate.
fn crates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cargo_tree(package: &str, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // Dates play no part here, and cargo stalls under libfaketime (tests/tools/any-day.sh
        // runs the native tests with the system date moved).
        .env_remove("LD_PRELOAD")
        .env_remove("FAKETIME")
        .args(["tree", "--locked", "-e", "normal", "-p", package])
        .args(extra)
        .output()
        .expect("cargo tree runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The packages in `package`'s native dependency tree (its normal dependencies).
fn native_tree(package: &str) -> BTreeSet<String> {
    let report = cargo_tree(package, &["--prefix", "none", "--format", "{p}"]);
    let packages: BTreeSet<String> = report
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect();
    // A misspelt or renamed package would give an empty tree and prove nothing.
    assert!(
        packages.contains(package) && packages.contains("serde"),
        "the tree of {package} was read:\n{report}"
    );
    packages
}

#[test]
fn the_native_build_has_no_browser_bindings() {
    for core in [
        "deal-health",
        "deal-health-client",
        "deal-health-engine",
        "cc-health",
    ] {
        let tree = native_tree(core);
        for package in ["web-sys", "js-sys", "wasm-bindgen"] {
            assert!(
                !tree.contains(package),
                "{package} is in {core}'s native dependency tree"
            );
        }
    }
}

/// The packages in `package`'s wasm32 dependency tree, and those of them that are this
/// workspace's (path packages: cargo prints their folder).
fn wasm_tree(package: &str) -> (BTreeSet<String>, BTreeSet<String>, String) {
    let report = cargo_tree(
        package,
        &[
            "--target",
            "wasm32-unknown-unknown",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ],
    );
    let name = |line: &str| line.split_whitespace().next().map(str::to_string);
    let all: BTreeSet<String> = report.lines().filter_map(name).collect();
    let ours: BTreeSet<String> = report
        .lines()
        .filter(|line| line.contains(" (/"))
        .filter_map(name)
        .collect();
    assert!(
        all.contains("deal-health") && all.contains("wasm-bindgen"),
        "the tree was read:\n{report}"
    );
    (all, ours, report)
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|name| name.to_string()).collect()
}

#[test]
fn the_content_wasm_depends_on_the_tier1_core_alone() {
    let (all, ours, report) = wasm_tree("deal-health-content");
    assert_eq!(
        ours,
        names(&["deal-health", "deal-health-content"]),
        "the content wasm links more than the Tier 1 core:\n{report}"
    );
    for foreign in ["scraper", "html5ever", "gloo-storage", "sha2", "base64"] {
        assert!(
            !all.contains(foreign),
            "{foreign} is in the content script's wasm:\n{report}"
        );
    }
}

#[test]
fn the_worker_wasm_has_no_engine_and_no_html_parser() {
    let (all, ours, report) = wasm_tree("deal-health-worker");
    assert_eq!(
        ours,
        names(&["deal-health", "deal-health-client", "deal-health-worker"]),
        "the worker's wasm links another of our crates:\n{report}"
    );
    for foreign in ["scraper", "html5ever"] {
        assert!(
            !all.contains(foreign),
            "{foreign} is in the worker's wasm:\n{report}"
        );
    }
}

/// Every `.rs` file under `dir`, as (path relative to extension-core/, text).
fn sources(dir: &Path) -> Vec<(String, String)> {
    let root = crates();
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn browser_apis_live_only_in_the_binding_modules() {
    let allowed = [
        "health/src/dom/live.rs",
        "content/src/lib.rs",
        "worker/src/lib.rs",
    ];
    let root = crates();
    let mut offenders = Vec::new();
    let mut checked = 0;
    for dir in [
        "health/src",
        "client/src",
        "engine/src",
        "content/src",
        "worker/src",
        "cli/src",
    ] {
        for (relative, text) in sources(&root.join(dir)) {
            checked += 1;
            if allowed.contains(&relative.as_str()) {
                continue;
            }
            if ["web_sys::", "js_sys::", "wasm_bindgen::", "#[wasm_bindgen"]
                .iter()
                .any(|needle| text.contains(needle))
            {
                offenders.push(relative);
            }
        }
    }
    assert!(checked > 30, "the sources were read ({checked})");
    assert!(
        offenders.is_empty(),
        "browser APIs outside the binding modules: {offenders:?}"
    );
}

/// The top-level modules of the crate whose sources are under `src` and the modules each one
/// names (`crate::name`, outside comments); a module's own files (`name.rs`, `name/…`) are
/// one module.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (relative, text) in sources(src) {
        let inside = Path::new(&relative)
            .strip_prefix(src.strip_prefix(crates()).unwrap())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let first = inside.split('/').next().unwrap().trim_end_matches(".rs");
        if first == "lib" || first == "bin" {
            continue;
        }
        let uses = graph.entry(first.to_string()).or_default();
        for line in text.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + 7..];
                // `crate::{a, b::C}` names each module in the braces (on this line).
                let names: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => group
                        .split(['}', ','])
                        .map(|item| item.trim().split("::").next().unwrap_or_default())
                        .collect(),
                    None => vec![rest],
                };
                for name in names {
                    let name: String = name
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != first {
                        uses.insert(name);
                    }
                }
            }
        }
    }
    graph
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_depends_on_itself() {
    let root = crates();
    for src in ["health/src", "client/src", "engine/src"] {
        let graph = module_graph(&root.join(src));
        assert!(graph.len() >= 4, "{src}: the modules were read: {graph:?}");
        assert_eq!(find_cycle(&graph), None, "{src}: an import cycle");
    }
    // The check finds one when there is one.
    let mut looped = BTreeMap::new();
    looped.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    looped.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(find_cycle(&looped).is_some());
}

#[test]
fn every_reason_code_is_documented() {
    let doc = std::fs::read_to_string(crates().join("../docs/scoring.md")).unwrap();
    let missing: Vec<&str> = deal_health::score::REASON_CODES
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
fn build_sh_builds_the_two_wasm_crates_without_default_features() {
    let build = std::fs::read_to_string(crates().join("../build.sh")).unwrap();
    assert!(
        build.contains("--no-default-features ${3:+--features \"$3\"}"),
        "build.sh builds the wasm without default features"
    );
    assert!(
        build.contains("build_wasm deal-health-content deal_health_content \"\" ")
            && build.contains("build_wasm deal-health-worker deal_health_worker \"\" "),
        "build.sh builds the content and the worker crates, with no features"
    );
}

/// The content script's gate (`PAGE_HINT` in content/gate.js, which imports content/main.js,
/// and again in main.js, which imports the core) in Rust: an Opportunity (006) or Account (001)
/// Id's prefix and twelve more ASCII letters or digits somewhere in the URL, `/Opportunity/`,
/// or `/006` followed by `/`, `?`, `#` or the end.
fn passes_page_hint(url: &str) -> bool {
    let bytes = url.as_bytes();
    let id = (0..bytes.len()).any(|start| {
        (bytes[start..].starts_with(b"006") || bytes[start..].starts_with(b"001"))
            && bytes.len() >= start + 15
            && bytes[start + 3..start + 15]
                .iter()
                .all(u8::is_ascii_alphanumeric)
    });
    let segment = url
        .match_indices("/006")
        .any(|(at, _)| matches!(url.as_bytes().get(at + 4), None | Some(b'/' | b'?' | b'#')));
    id || segment || url.contains("/Opportunity/")
}

/// 6. The content script imports itself and the core only where the URL passes its gate, so the gate must
///    never refuse a URL the core recognises: every URL form `page::recognize` or
///    `page::recognize_list` accepts, in every fixture (record and list), in both Id lengths,
///    with console and query decorations; and it stays shut on other objects' pages.
#[test]
fn the_content_gate_never_refuses_an_opportunity_url() {
    for script in ["content/gate.js", "content/main.js"] {
        let source = std::fs::read_to_string(crates().join("..").join(script)).expect(script);
        assert!(
            source.contains(
                r"const PAGE_HINT = /00[16][0-9A-Za-z]{12}|\/Opportunity\/|\/006(?:[/?#]|$)/;"
            ),
            "{script}'s gate changed: update passes_page_hint to match it"
        );
    }
    let fixtures = crates().join("../tests/fixtures");
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
    for account in ["0015g00000XyZab", "0015g00000XyZabAAB", "001000000000001"] {
        for host in ["acme.lightning.force.com", "acme.my.salesforce.com"] {
            for form in [
                format!("/lightning/r/Account/{account}/view"),
                format!("/lightning/r/{account}/view"),
                format!("/lightning/r/Account/{account}/related/Opportunities/view"),
                format!("/one/one.app#/sObject/{account}/view"),
                format!("/{account}"),
            ] {
                urls.push(format!("https://{host}{form}"));
            }
        }
    }
    for host in [
        "acme.lightning.force.com",
        "acme.my.salesforce.com",
        "acme--uat.sandbox.my.salesforce.com",
    ] {
        for form in [
            "/lightning/o/Opportunity/list",
            "/lightning/o/Opportunity/list?filterName=Recent",
            "/lightning/o/Opportunity/list?filterName=00B5g00000AbCdEEAZ&navigationLocation=LIST_VIEW",
            "/lightning/o/Opportunity/home",
            "/one/one.app#/sObject/Opportunity/list?filterName=AllOpportunities",
            "/one/one.app#/sObject/Opportunity/home",
            "/006",
            "/006?fcf=00B5g00000AbCdE",
            "/006?fcf=00B5g00000AbCdE&rolodexIndex=-1&page=2",
            "/006/o",
            "/006/o?nooverride=1",
        ] {
            urls.push(format!("https://{host}{form}"));
        }
    }
    let mut recognised = 0;
    let mut lists = 0;
    for url in &urls {
        let record = deal_health::page::recognize(url).is_some();
        let list = deal_health::page::recognize_list(url).is_some();
        if record || list {
            recognised += 1;
            lists += usize::from(list);
            assert!(passes_page_hint(url), "the gate refuses {url}");
        }
    }
    assert!(recognised >= 80, "{recognised} URLs recognised");
    assert!(lists >= 40, "{lists} list URLs recognised");
    // Cheap where it matters: other objects' lists, Home, Setup load nothing.
    for url in [
        "https://acme.lightning.force.com/lightning/o/Account/list?filterName=Recent",
        "https://acme.lightning.force.com/lightning/page/home",
        "https://acme.lightning.force.com/lightning/setup/SetupOneHome/home",
        "https://acme.lightning.force.com/lightning/r/Contact/0035g00000XyZabAAB/view",
        "https://acme.my.salesforce.com/001/o",
        "https://acme.my.salesforce.com/0060",
    ] {
        assert!(
            deal_health::page::recognize(url).is_none()
                && deal_health::page::recognize_list(url).is_none(),
            "{url}"
        );
        assert!(!passes_page_hint(url), "the gate opens for {url}");
    }
}

/// 7. The JavaScript spells no storage key, prefix or alarm name: it reads them from the core
///    (`storageKeys`, `deal_health_client::storage::KEYS`), so each is named once.
#[test]
fn the_javascript_reads_every_storage_key_from_the_core() {
    let keys = serde_json::to_value(deal_health_client::storage::KEYS).unwrap();
    let names: Vec<&str> = keys
        .as_object()
        .unwrap()
        .values()
        .filter_map(|value| value.as_str())
        .collect();
    assert!(names.len() >= 20, "the keys were read: {names:?}");
    let root = crates().join("..");
    let mut checked = 0;
    let mut offenders = Vec::new();
    for dir in ["background", "sidepanel", "content"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "js") {
                continue;
            }
            checked += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            for name in &names {
                // A key or prefix as the start of a string literal ('cc.tab.', "session").
                for quote in ['\'', '"', '`'] {
                    let literal = format!("{quote}{name}");
                    let whole = *name == "session";
                    let found = if whole {
                        text.contains(&format!("{literal}{quote}"))
                    } else {
                        text.contains(&literal)
                    };
                    if found {
                        offenders.push(format!("{}: {name}", path.display()));
                    }
                }
            }
        }
    }
    assert!(checked >= 5, "the scripts were read ({checked})");
    assert!(
        offenders.is_empty(),
        "storage names spelt in JavaScript: {offenders:?}"
    );
}

/// A script's code with its comments left out (whole-line `//` comments and trailing ` // `
/// ones): what a comment says about the browser is not a call to it.
fn code_of(script: &str) -> String {
    script
        .lines()
        .filter(|line| !line.trim_start().starts_with("//") && !line.trim_start().starts_with('*'))
        .map(|line| line.split(" // ").next().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// 8. The browser's API (`chrome.*`, and the worker's `fetch`) is called from one file per
///    context: `background/browser.js` in the worker, `sidepanel/panel.js` in the side panel,
///    `content/main.js` in the content script (and the gate's one URL lookup, which loads it).
///    Every other script is handed what it needs.
#[test]
fn the_browser_is_called_from_one_file_per_context() {
    let root = crates().join("..");
    let allowed: BTreeMap<&str, &[&str]> = [
        ("background", &["browser.js"][..]),
        ("sidepanel", &["panel.js"][..]),
        ("content", &["main.js", "gate.js"][..]),
    ]
    .into_iter()
    .collect();
    let mut checked = 0;
    let mut offenders = Vec::new();
    for (dir, files) in &allowed {
        for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.extension().is_none_or(|e| e != "js") {
                continue;
            }
            checked += 1;
            let code = code_of(&std::fs::read_to_string(&path).unwrap());
            let calls = code.contains("chrome.") || code.contains("fetch(");
            if calls && !files.contains(&name.as_str()) {
                offenders.push(format!("{dir}/{name}"));
            }
        }
    }
    assert!(checked >= 10, "the scripts were read ({checked})");
    assert!(
        offenders.is_empty(),
        "browser calls outside the one file of their context: {offenders:?}"
    );
    // And the gate's is the one URL lookup.
    let gate = code_of(&std::fs::read_to_string(root.join("content/gate.js")).unwrap());
    assert_eq!(gate.matches("chrome.").count(), 1, "{gate}");
    assert!(gate.contains("chrome.runtime.getURL('content/main.js')"));
}
