#!/usr/bin/env python3
"""Writes extension-core/health/src/locale/data.rs: how each supported Salesforce locale writes
numbers, percentages and numeric dates, and how each supported language names its months,
from the Unicode CLDR (through Babel, pinned below).

    python3 tests/tools/locale_data.py           rewrite the tables
    python3 tests/tools/locale_data.py --check   fail if the committed file differs (the test
                                                 command runs this)

Needs `pip install babel==2.18.0` (CLDR 47; tests/setup.sh installs it), as
currency_symbols.py does, and rustfmt (the output is formatted as `cargo fmt` leaves it). A
newer Babel brings a newer CLDR: bump BABEL in both, regenerate, and review the diff.

SUPPORTED below is the one list of supported locales: this generator writes it as
`locale::SUPPORTED_LOCALES`, and currency_symbols.py imports it.

Per supported locale (`LOCALE_FORMATS`, read by `locale::Locale::formats`):
  - the decimal and group separators of the Latin digits (NBSP and narrow NBSP as themselves);
  - the grouping, from the decimal pattern: digits in the first group, then in each further
    one (`[3, 2]` is the Indian lakh, `12,50,000`);
  - the numeric short date's field order and the separator between its fields (Korean `. `);
    Salesforce writes the year with four digits where CLDR's short date has two (`M/d/yy`),
    which changes neither;
  - what the percent pattern writes before and after the number (`60 %` with NBSP in de).
Currencies with three minor digits (`THREE_DECIMAL_CURRENCIES`, read by `value::parse_amount`:
there `1.250` may be one and a quarter), from CLDR's currency data for the currencies in use.

Per language (`MONTH_NAMES`, read by `value::parse_date`): each month's names from every
supported locale of the language, wide and abbreviated, format and stand-alone (Polish
`grudnia` and `grudzień`, Austrian `Jänner`), lower-cased and without a trailing dot: the
reader splits a date into words at punctuation, so `janv.` and `janv` read alike. Months
written as numbers (`12月`, `12월`, and Chinese `十二月`) are left out: the numeric reader folds
`年月日` / `년월일`, and no supported locale's dates spell a month as `十二月`. The generator
fails if a word would name two months.

Where Salesforce writes a locale otherwise than CLDR, `../shared/salesforce-dom.md` ("Values
by locale") wins: OVERRIDES below, each with its reason. THREE_DECIMAL_KEPT keeps IQD a
three-decimal currency, for the reason beside it. Nothing else is changed by hand.
"""
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "extension-core" / "health" / "src" / "locale" / "data.rs"
BABEL = "2.18.0"

# The Salesforce locales the extension reads formats for (issue 17), in the order the tests and
# the generated tables use. The one list: written as locale::SUPPORTED_LOCALES, imported by
# currency_symbols.py's.
SUPPORTED = [
    "en-US", "en-GB", "en-CA", "en-AU", "en-IN",
    "de-DE", "de-AT", "de-CH",
    "fr-FR", "fr-CA",
    "es-ES", "it-IT", "pt-BR", "nl-NL", "sv-SE", "pl-PL",
    "ja-JP", "zh-CN", "ko-KR",
]

# Salesforce over CLDR, per locale and field: (value, why). Only what salesforce-dom.md says
# Salesforce shows differently.
OVERRIDES = {
    # CLDR 47 groups de-CH with the right single quote (`1’250’000.00`); Salesforce's de_CH
    # writes the ASCII apostrophe (`CHF 1'250'000.00`; older data `’`: salesforce-dom.md).
    # The number reader accepts both.
    ("de-CH", "group"): ("'", "Salesforce writes `CHF 1'250'000.00` (CLDR `’`; salesforce-dom.md)"),
}

# Currencies CLDR gives fewer than three minor digits that stay three-decimal: (code, why).
THREE_DECIMAL_KEPT = {
    # CLDR 47 gives IQD no minor digits (cash practice); ISO 4217 gives it three. What
    # Salesforce shows is not documented (salesforce-dom.md): kept three-decimal, so that
    # `IQD 1.250` without a locale stays ambiguous (null and a warning) rather than read as
    # a thousand times one reading or the other.
    "IQD": "ISO 4217 gives it three minor digits, CLDR none; a wrong guess is a factor of 1000",
}
# Currencies in use: legal tender somewhere on this date (fixed, so the output is too); also
# currency_symbols.py's.
IN_USE_ON = (2026, 1, 1)

ORDERS = {"dMy": "DayMonthYear", "Mdy": "MonthDayYear", "yMd": "YearMonthDay"}


def babel_or_exit():
    """Babel, the pinned version (its CLDR decides the tables), or exit naming the generator."""
    tool = Path(sys.argv[0]).name
    try:
        import babel
    except ImportError:
        sys.exit(f"{tool}: needs Babel {BABEL} (pip install babel=={BABEL}; tests/setup.sh installs it)")
    if babel.__version__ != BABEL:
        sys.exit(f"{tool}: Babel {babel.__version__} found, {BABEL} expected (its CLDR decides the tables)")
    return babel


def pattern_fields(pattern):
    """A CLDR date pattern as [(letter, width)] fields and literal strings, in order."""
    items, index = [], 0
    while index < len(pattern):
        c = pattern[index]
        if c == "'":
            end = pattern.index("'", index + 1) if "'" in pattern[index + 1:] else len(pattern)
            items.append(pattern[index + 1:end] or "'")
            index = end + 1
        elif c.isascii() and c.isalpha():
            end = index
            while end < len(pattern) and pattern[end] == c:
                end += 1
            items.append((c, end - index))
            index = end
        else:
            end = index
            while end < len(pattern) and pattern[end] != "'" and not (pattern[end].isascii() and pattern[end].isalpha()):
                end += 1
            items.append(pattern[index:end])
            index = end
    return items


def numeric_date(tag, pattern):
    """(order, separator) of a numeric short date pattern (`dd.MM.yy` → dMy, `.`)."""
    items = pattern_fields(pattern)
    fields = [(i, item) for i, item in enumerate(items) if isinstance(item, tuple)]
    letters = "".join(letter for _, (letter, _) in fields)
    if letters not in ORDERS or any(letter == "M" and width > 2 for _, (letter, width) in fields):
        sys.exit(f"locale_data.py: {tag}'s short date {pattern!r} is not numeric day, month and year")
    between = [items[a + 1:b] for (a, _), (b, _) in zip(fields, fields[1:])]
    separators = {"".join(part) for part in between}
    if len(separators) != 1 or any(len(part) != 1 for part in between):
        sys.exit(f"locale_data.py: {tag}'s short date {pattern!r} has no single separator")
    return ORDERS[letters], separators.pop()


def locale_formats(tag):
    from babel import Locale
    locale = Locale.parse(tag.replace("-", "_"))
    symbols = locale.number_symbols["latn"]
    decimal_pattern = locale.decimal_formats[None]
    percent = locale.percent_formats[None]
    order, separator = numeric_date(tag, locale.date_formats["short"].pattern)
    formats = {
        "decimal": symbols["decimal"],
        "group": symbols["group"],
        "grouping": list(decimal_pattern.grouping),
        "date_order": order,
        "date_separator": separator,
        "percent_prefix": percent.prefix[0],
        "percent_suffix": percent.suffix[0],
    }
    if "%" not in formats["percent_prefix"] + formats["percent_suffix"]:
        sys.exit(f"locale_data.py: {tag}'s percent pattern {percent.pattern!r} has no %")
    notes = []
    for (where, field), (value, why) in OVERRIDES.items():
        if where == tag:
            if formats[field] == value:
                sys.exit(f"locale_data.py: CLDR now agrees on {tag} {field}: drop the override")
            notes.append(f"{field}: {why}")
            formats[field] = value
    return formats, notes


def month_forms(tag):
    """[[forms of January], ...] for one locale, as the date reader compares them."""
    from babel import Locale
    months = Locale.parse(tag.replace("-", "_")).months
    per_month = []
    for month in range(1, 13):
        forms = []
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                form = months[context][width][month].lower().rstrip(".")
                if "月" in form or "월" in form or any(c.isdigit() for c in form):
                    continue  # a numbered month: see the docstring
                if not form.isalpha():
                    sys.exit(f"locale_data.py: {tag} month {month} {form!r} is not one word")
                forms.append(form)
        per_month.append(forms)
    return per_month


def month_names():
    """{language: [forms per month]}, over the supported locales of each language."""
    names = {}
    for tag in SUPPORTED:
        language = tag.split("-")[0]
        merged = names.setdefault(language, [[] for _ in range(12)])
        for index, forms in enumerate(month_forms(tag)):
            for form in forms:
                if form not in merged[index]:
                    merged[index].append(form)
    names = {language: months for language, months in names.items() if any(months)}
    seen = {}
    for language, months in names.items():
        for index, forms in enumerate(months):
            for form in forms:
                if seen.setdefault(form, index) != index:
                    sys.exit(f"locale_data.py: {form!r} names months {seen[form] + 1} and {index + 1}")
    return names


def three_decimal_currencies():
    import datetime
    from babel.core import get_global
    from babel.numbers import get_currency_precision, get_territory_currencies
    in_use = {code for territory in get_global("territory_currencies")
              for code in get_territory_currencies(territory, datetime.date(*IN_USE_ON), tender=True)}
    codes = {code for code in in_use if get_currency_precision(code) == 3}
    for code in THREE_DECIMAL_KEPT:
        if code in codes:
            sys.exit(f"locale_data.py: CLDR now gives {code} three minor digits: drop it from THREE_DECIMAL_KEPT")
    return sorted(codes | set(THREE_DECIMAL_KEPT))


def rust_str(text):
    return '"' + "".join(rust_escape(c, '"') for c in text) + '"'


def rust_char(c):
    return "'" + rust_escape(c, "'") + "'"


def rust_escape(c, quote):
    if c in ("\\", quote):
        return "\\" + c
    if c.isascii() and c.isprintable():
        return c
    if c.isspace() or unicodedata.category(c) in ("Cf", "Zs", "Cc"):
        return "\\u{" + f"{ord(c):x}" + "}"
    return c


def rust(babel):
    from babel.core import get_global
    cldr = get_global("cldr")["version"]
    lines = [
        "//! Generated by `tests/tools/locale_data.py` from the Unicode CLDR "
        f"(Babel {babel.__version__}, CLDR {cldr}): do not edit.",
        "//! How each supported Salesforce locale writes numbers, percentages and numeric dates, and",
        "//! how each supported language names its months. Where Salesforce writes otherwise than",
        "//! CLDR, the generator's overrides say so here, beside the locale.",
        "",
        "use super::{DateOrder, LocaleFormats};",
        "",
        "/// The Salesforce locales whose formats the extension reads and tests (issue 17): their",
        "/// numbers, percentages, dates and currency symbols are held to a round trip by",
        "/// `tests/properties.rs`; `tests/tools/locale_data.py` and `currency_symbols.py` generate",
        "/// their CLDR data from this one list. Other locales are read by the fallback rules of",
        "/// [`crate::locale::Locale`], untested.",
        "pub const SUPPORTED_LOCALES: &[&str] = &[",
    ]
    line = "   "
    for tag in SUPPORTED:
        item = f" {rust_str(tag)},"
        if len(line) + len(item) > 100:
            lines.append(line)
            line = "   "
        line += item
    lines += [line, "];", ""]
    lines += [
        "/// Each supported locale's formats, in the order of [`SUPPORTED_LOCALES`].",
        "pub(crate) const LOCALE_FORMATS: &[LocaleFormats] = &[",
    ]
    for tag in SUPPORTED:
        formats, notes = locale_formats(tag)
        lines += [f"    // {tag}: {note}" for note in notes]
        lines += [
            "    LocaleFormats {",
            f"        tag: {rust_str(tag)},",
            f"        decimal: {rust_char(formats['decimal'])},",
            f"        group: {rust_char(formats['group'])},",
            f"        grouping: [{formats['grouping'][0]}, {formats['grouping'][1]}],",
            f"        date_order: DateOrder::{formats['date_order']},",
            f"        date_separator: {rust_str(formats['date_separator'])},",
            f"        percent_prefix: {rust_str(formats['percent_prefix'])},",
            f"        percent_suffix: {rust_str(formats['percent_suffix'])},",
            "    },",
        ]
    lines += [
        "];",
        "",
        "/// Currencies with three minor digits (CLDR's, and the generator's `THREE_DECIMAL_KEPT`),",
        "/// where `1.250` may be one and a quarter.",
    ]
    lines += [f"// {code}: {why}" for code, why in THREE_DECIMAL_KEPT.items()]
    lines += ["pub(crate) const THREE_DECIMAL_CURRENCIES: &[&str] = &["]
    lines += ["    " + " ".join(f"{rust_str(code)}," for code in three_decimal_currencies())]
    lines += [
        "];",
        "",
        "/// `(language, months)`: each supported language's month names as dates write them,",
        "/// lower-cased, without a trailing dot; `;` between months (January first), `|` between",
        "/// one month's forms. No word names two months. Languages whose months are numbered",
        "/// (ja, zh, ko) are left out.",
        "pub(crate) const MONTH_NAMES: &[(&str, &str)] = &[",
    ]
    for language, months in sorted(month_names().items()):
        text = ";".join("|".join(forms) for forms in months)
        lines.append(f"    ({rust_str(language)}, {rust_str(text)}),")
    lines.append("];")
    return rustfmt("\n".join(lines) + "\n")


def rustfmt(text):
    """The file as `cargo fmt` leaves it (the pinned toolchain's rustfmt), so that the format
    check and this generator's check agree whatever lengths a new CLDR brings."""
    import subprocess
    try:
        done = subprocess.run(["rustfmt", "--edition", "2021"], input=text, capture_output=True,
                              text=True, cwd=ROOT, check=False)
    except FileNotFoundError:
        sys.exit("locale_data.py: needs rustfmt (rustup component add rustfmt)")
    if done.returncode != 0:
        sys.exit(f"locale_data.py: rustfmt refused the generated file:\n{done.stderr}")
    return done.stdout


def main():
    babel = babel_or_exit()
    text = rust(babel)
    if sys.argv[1:] == ["--check"]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.relative_to(ROOT)} differs from CLDR: run python3 tests/tools/locale_data.py")
        print(f"{OUT.relative_to(ROOT)} matches CLDR")
        return
    if sys.argv[1:]:
        sys.exit(__doc__)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(SUPPORTED)} locales, {len(month_names())} languages' months")


if __name__ == "__main__":
    main()
