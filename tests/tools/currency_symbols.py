#!/usr/bin/env python3
"""Writes extension-core/src/value/currency_symbols.rs: which currency a displayed currency
symbol stands for, per Salesforce locale, from the Unicode CLDR (through Babel, pinned below).

    python3 tests/tools/currency_symbols.py           rewrite the table
    python3 tests/tools/currency_symbols.py --check   fail if the committed table differs (the
                                                      test command runs this)

Needs `pip install babel==2.18.0` (CLDR 47; tests/setup.sh installs it). A newer Babel brings
a newer CLDR: bump BABEL, regenerate, and review the diff.

The table has three scopes, looked up from the most specific (see `value::amount`):
  - a supported locale (`de-DE`): the symbols CLDR gives that locale, for the currencies in
    use today;
  - a language (`de`): what its supported locales agree on (a page whose region is unknown);
  - any locale (``): every symbol CLDR gives any locale for a currency in use, with its
    currency when all of CLDR's locales agree on it, else none (`$`, `¥`, `£`, `kr`).
A symbol that names two currencies in a scope is listed with no currency there: the parser
then gives `null` and a warning. A scope lists only what differs from its parent, and symbols
are compared as displayed: Unicode compatibility forms folded (NFKC: `￥` is `¥`), spaces
collapsed, direction and zero-width marks removed (value::normalize_spaces does the same to
the page's text).
"""
import datetime
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "extension-core" / "src" / "value" / "currency_symbols.rs"
BABEL = "2.18.0"

# The Salesforce locales the extension reads formats for (issue 17): their CLDR data, and only
# theirs, decides per-locale and per-language symbols. The one list is locale_data.py's, which
# also writes it as locale::SUPPORTED_LOCALES.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
from locale_data import SUPPORTED  # noqa: E402
# Currencies in use: legal tender somewhere on this date (fixed, so the output is too).
IN_USE_ON = datetime.date(2026, 1, 1)


def babel_or_exit():
    try:
        import babel
    except ImportError:
        sys.exit(f"currency_symbols.py: needs Babel {BABEL} (pip install babel=={BABEL}; tests/setup.sh installs it)")
    if babel.__version__ != BABEL:
        sys.exit(f"currency_symbols.py: Babel {babel.__version__} found, {BABEL} expected (its CLDR decides the table)")
    return babel


def fold(symbol):
    """A symbol as the parser compares it."""
    text = unicodedata.normalize("NFKC", symbol)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def usable(symbol, code):
    """A symbol the parser can tell from the number and from an ISO code."""
    return (symbol and symbol != code
            and not any(c.isdigit() for c in symbol)
            and not (len(symbol) == 3 and symbol.isascii() and symbol.isupper() and symbol.isalpha())
            and "=" not in symbol and "|" not in symbol and "-" not in symbol)


def symbols_of(babel, locale_id, currencies):
    """{symbol: {currencies}} for one CLDR locale."""
    from babel import Locale
    found = {}
    data = Locale.parse(locale_id).currency_symbols
    for code in currencies:
        if code in data:
            symbol = fold(data[code])
            if usable(symbol, code):
                found.setdefault(symbol, set()).add(code)
    return found


def merge(maps):
    merged = {}
    for one in maps:
        for symbol, codes in one.items():
            merged.setdefault(symbol, set()).update(codes)
    return merged


def meaning(codes):
    return next(iter(codes)) if len(codes) == 1 else ""


def table():
    babel = babel_or_exit()
    from babel.core import get_global
    from babel.localedata import locale_identifiers
    from babel.numbers import get_territory_currencies
    in_use = sorted({code for territory in get_global("territory_currencies")
                     for code in get_territory_currencies(territory, IN_USE_ON, tender=True)})
    per_locale = {tag: symbols_of(babel, tag.replace("-", "_"), in_use) for tag in SUPPORTED}
    everywhere = merge(symbols_of(babel, identifier, in_use) for identifier in sorted(locale_identifiers()))
    scopes = {"": {symbol: meaning(codes) for symbol, codes in everywhere.items()}}
    languages = sorted({tag.split("-")[0] for tag in SUPPORTED})
    for language in languages:
        agreed = merge(per_locale[tag] for tag in SUPPORTED if tag.split("-")[0] == language)
        scopes[language] = {s: meaning(c) for s, c in agreed.items() if scopes[""].get(s) != meaning(c)}
    for tag in SUPPORTED:
        language = tag.split("-")[0]
        inherited = lambda s: scopes[language][s] if s in scopes[language] else scopes[""].get(s)
        scopes[tag] = {s: meaning(c) for s, c in per_locale[tag].items() if inherited(s) != meaning(c)}
    return babel, scopes


def rust(babel, scopes):
    from babel.core import get_global
    cldr = get_global("cldr")["version"]
    lines = [
        "//! Generated by `tests/tools/currency_symbols.py` from the Unicode CLDR "
        f"(Babel {babel.__version__}, CLDR {cldr}): do not edit.",
        "//! Each scope is `symbol=CODE` entries joined by `|`; an empty code means the symbol names",
        "//! more than one currency there. See the generator for what each scope holds.",
        "",
        "/// `(scope, entries)`: any locale (``) first, then languages, then locales (`de-AT`); a",
        "/// supported locale or language with nothing of its own is left out.",
        "pub(crate) const SYMBOLS: &[(&str, &str)] = &[",
    ]
    order = [""] + sorted(k for k in scopes if k and "-" not in k) + sorted(k for k in scopes if "-" in k)
    for scope in (scope for scope in order if scopes[scope]):
        entries = "|".join(f"{s}={c}" for s, c in sorted(scopes[scope].items()))
        lines.append(f"    ({rust_str(scope)}, {rust_str(entries)}),")
    lines.append("];")
    return "\n".join(lines) + "\n"


def rust_str(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    babel, scopes = table()
    text = rust(babel, scopes)
    if sys.argv[1:] == ["--check"]:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.relative_to(ROOT)} differs from CLDR: run python3 tests/tools/currency_symbols.py")
        print(f"{OUT.relative_to(ROOT)} matches CLDR")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {sum(len(s) for s in scopes.values())} entries in {len(scopes)} scopes")


if __name__ == "__main__":
    main()
