#!/usr/bin/env python3
"""The store package agrees with the code (store/README.md): python3 tests/tools/store-check.py

- every permission and host permission of manifest.json has its section in store/permissions.md,
  and every section there names one of the manifest (no more, no fewer);
- each section's "Code:" line names files that exist, and each API it names beside a file is
  used in that file;
- the listings (store/listing/<lang>.md) exist for every catalog and repeat its name and short
  description exactly (the store's limit: 132 characters);
- the version lives in Cargo.toml only: the manifest template has none, and Cargo.lock's
  workspace crates carry Cargo.toml's;
- the manifest has an https homepage_url; PRIVACY.md and LICENSE exist.

Exits 1 with every disagreement listed. First it proves it can: each of a few broken copies of
the files (a permission added, an API no longer used, a version in the manifest, a listing out
of date) must be refused.
"""
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["en", "de", "fr", "ja"]


def sections(text, heading):
    """The `### `name`` sections under `## heading`: {name: body}."""
    part = re.split(r"^## ", text, flags=re.M)
    body = next((p for p in part if p.startswith(heading + "\n")), None)
    if body is None:
        return None
    found = {}
    for chunk in re.split(r"^### ", body, flags=re.M)[1:]:
        title, _, rest = chunk.partition("\n")
        name = re.fullmatch(r"`([^`]+)`\s*", title)
        if name:
            found[name.group(1)] = rest
    return found


def code_claims(body):
    """The "Code:" line as [(file, [api, ...])]; None when there is no such line."""
    line = next((l for l in body.splitlines() if l.startswith("Code:")), None)
    if line is None:
        return None
    claims = []
    for match in re.finditer(r"`([^`]+)`(?:\s*\(([^)]*)\))?", line[len("Code:"):]):
        apis = re.findall(r"`([^`]+)`", match.group(2) or "")
        claims.append((match.group(1), apis))
    return claims


def check(root=ROOT):
    problems = []
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    justified = (root / "store" / "permissions.md").read_text(encoding="utf-8")
    for heading, key in (("Permissions", "permissions"), ("Host permissions", "host_permissions")):
        asked = set(manifest.get(key, []))
        named = sections(justified, heading)
        if named is None:
            problems.append(f"store/permissions.md: no '## {heading}' section")
            continue
        for missing in sorted(asked - named.keys()):
            problems.append(f"manifest.json {key} has {missing!r}, store/permissions.md does not justify it")
        for extra in sorted(named.keys() - asked):
            problems.append(f"store/permissions.md justifies {extra!r}, manifest.json {key} does not ask for it")
        for name, body in sorted(named.items()):
            claims = code_claims(body)
            if not claims:
                problems.append(f"store/permissions.md {name!r}: no 'Code:' line naming the files that use it")
                continue
            for path, apis in claims:
                file = root / path
                if not file.is_file():
                    problems.append(f"store/permissions.md {name!r}: {path} does not exist")
                    continue
                source = file.read_text(encoding="utf-8")
                for api in apis:
                    if not re.search(re.escape(api) + r"(?![A-Za-z0-9_$])", source):
                        problems.append(f"store/permissions.md {name!r}: {path} does not use {api}")

    for lang in LANGUAGES:
        catalog = json.loads((root / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))
        listing_path = root / "store" / "listing" / f"{lang}.md"
        if not listing_path.is_file():
            problems.append(f"store/listing/{lang}.md is missing")
            continue
        listing = listing_path.read_text(encoding="utf-8")
        for label, key, limit in (("Name", "extensionName", 75), ("Short description", "extensionDescription", 132)):
            expected = catalog[key]["message"]
            line = re.search(rf"^{label}: (.*)$", listing, flags=re.M)
            if not line or line.group(1).strip() != expected:
                problems.append(f"store/listing/{lang}.md: '{label}:' must be the catalog's {key}: {expected!r}")
            if len(expected) > limit:
                problems.append(f"_locales/{lang} {key}: {len(expected)} characters, the store allows {limit}")
        if "## Detailed description" not in listing:
            problems.append(f"store/listing/{lang}.md: no '## Detailed description'")

    if "version" in manifest:
        problems.append("manifest.json: the version lives in Cargo.toml ([workspace.package]); remove it here")
    cargo = (root / "Cargo.toml").read_text(encoding="utf-8")
    workspace = re.search(r"^\[workspace\.package\]\n(?:[^\[].*\n)*?version = \"([^\"]+)\"", cargo, flags=re.M)
    if not workspace:
        problems.append("Cargo.toml: [workspace.package] has no version")
    else:
        version = workspace.group(1)
        if not re.fullmatch(r"\d+(\.\d+){0,3}", version):
            problems.append(f"Cargo.toml version {version!r}: Chrome takes 1 to 4 dot-separated numbers only")
        lock = (root / "Cargo.lock").read_text(encoding="utf-8")
        for crate in ("deal-health", "deal-health-client", "deal-health-engine", "deal-health-content", "deal-health-worker", "deal-health-checks", "cc-health", "cc-reference-server"):
            locked = re.search(rf'^name = "{crate}"\nversion = "([^"]+)"', lock, flags=re.M)
            if not locked or locked.group(1) != version:
                problems.append(f"Cargo.lock: {crate} is not at Cargo.toml's version {version}")
    homepage = manifest.get("homepage_url", "")
    if not homepage.startswith("https://"):
        problems.append("manifest.json: homepage_url must be an https:// address")
    for required in ("PRIVACY.md", "LICENSE", "store/README.md", "store/data-use.md", "docs/admin.md"):
        if not (root / required).is_file():
            problems.append(f"{required} is missing")
    return problems


def self_test():
    """Each mutation of a copy of the checked files must give at least one problem."""
    files = ["manifest.json", "Cargo.toml", "Cargo.lock", "PRIVACY.md", "LICENSE", "docs/admin.md",
             "background/browser.js", "sidepanel/panel.js", "content/main.js"]
    files += [str(p.relative_to(ROOT)) for p in (ROOT / "store").rglob("*.md")]
    files += [f"_locales/{lang}/messages.json" for lang in LANGUAGES]

    def edit_json(path, change):
        def apply(root):
            data = json.loads((root / path).read_text(encoding="utf-8"))
            change(data)
            (root / path).write_text(json.dumps(data), encoding="utf-8")
        return apply

    def edit_text(path, old, new):
        def apply(root):
            text = (root / path).read_text(encoding="utf-8")
            assert old in text, f"self-test: {old!r} not in {path}"
            (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")
        return apply

    mutations = {
        "a permission without a justification": edit_json("manifest.json", lambda m: m["permissions"].append("activeTab")),
        "a host without a justification": edit_json("manifest.json", lambda m: m["host_permissions"].append("https://app.customercity.com/*")),
        "a justification for a permission not asked for": edit_json("manifest.json", lambda m: m["permissions"].remove("alarms")),
        "an API the code no longer uses": edit_text("background/browser.js", "chrome.alarms.onAlarm", "chrome.alarms.onAlarmGone"),
        "a version in the manifest": edit_json("manifest.json", lambda m: m.update(version="0.1.0")),
        "a listing behind its catalog": edit_json("_locales/de/messages.json", lambda c: c["extensionDescription"].update(message="Neu.")),
    }
    failures = []
    for name, mutate in mutations.items():
        with tempfile.TemporaryDirectory() as temp:
            root = Path(temp)
            for file in files:
                (root / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(ROOT / file, root / file)
            if check(root):
                failures.append(f"self-test: the unchanged copy already fails: {check(root)}")
                break
            mutate(root)
            if not check(root):
                failures.append(f"self-test: {name} was not caught")
    return failures


def main():
    problems = self_test() + check()
    for problem in problems:
        print(f"store-check: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print("store-check: the manifest, the justifications and the listings agree")


if __name__ == "__main__":
    main()
