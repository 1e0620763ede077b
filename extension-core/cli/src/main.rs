//! `cc-health`: the support tool for "why does the badge say that on my page".
//!
//! `cc-health extract PAGE.html --url URL [--today YYYY-MM-DD] [--locale xx-YY]` prints one
//! JSON object: the same extraction and score the extension computes. PAGE may be `-` (stdin).
//!
//! `cc-health list PAGE.html --url URL [--today YYYY-MM-DD] [--locale xx-YY]` prints one JSON
//! array for a page that lists Opportunities (a list view, Recently Viewed, the split view, the
//! Kanban board, an Account's related list, Classic lists): per row `recordId`, `fields` (the
//! `extract` schema, `null` where the list has no column), `shown` (the fields it has columns
//! for), `score` (from those columns only) and `warnings`.
//!
//! Exit status: 0 success, 1 unreadable, refused input or bad arguments, 3 not an Opportunity
//! page (for `list`: not a page that lists Opportunities).
//!
//! Limits (issue 15, item 11), each refused with one line on stderr and exit 1: at most
//! 16 MiB (a saved Lightning page is 1–5 MB), read through a cap so that
//! `/dev/zero` or an endless pipe stops there; text in UTF-8 (a byte-order mark is dropped) or
//! UTF-16 (with a byte-order mark, or plain NUL-interleaved ASCII), which is decoded; and
//! nesting within `deal_health::dom::limits` (512 levels deep, and a bound on deep tags),
//! which keeps html5ever's parse to seconds at most.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};
use deal_health::dom::limits;
use deal_health::list::{analyze_list_html, RowReport};
use deal_health::locale::Locale;
use deal_health::page::{recognize, recognize_list};
use deal_health::report::{analyze_html, AnalyzeOptions};

#[derive(Parser)]
#[command(
    name = "cc-health",
    version,
    about = "Deal health for Salesforce Opportunity pages, offline",
    after_help = LIMITS
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The input limits, in both help texts (`dom::limits` has the nesting model).
const LIMITS: &str = "Limits: a page of at most 16 MiB, in UTF-8 (a byte-order mark is dropped) \
    or UTF-16 (decoded); elements nested at most 512 deep, and at most 100 million \
    tag-levels of nesting in all (a 5 MB page made of a real one needs 4 million). Anything \
    else exits 1 with the reason. A saved page is 1-5 MB.";

#[derive(Subcommand)]
enum Command {
    /// Extract the fields of a saved Opportunity page and score it.
    #[command(after_help = LIMITS)]
    Extract {
        /// The saved page (HTML, at most 16 MiB, UTF-8 or UTF-16), or `-` for standard input.
        page: String,
        /// The URL the page was shown at.
        #[arg(long)]
        url: String,
        /// Score as of this date (YYYY-MM-DD); today by default.
        #[arg(long)]
        today: Option<String>,
        /// The user's Salesforce locale (for example en-US, de-DE); the page decides by default.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Read every row of a saved Opportunity list (list view, Kanban board, related list) and
    /// score each from the columns it shows.
    #[command(after_help = LIMITS)]
    List {
        /// The saved page (HTML, at most 16 MiB, UTF-8 or UTF-16), or `-` for standard input.
        page: String,
        /// The URL the page was shown at.
        #[arg(long)]
        url: String,
        /// Score as of this date (YYYY-MM-DD); today by default.
        #[arg(long)]
        today: Option<String>,
        /// The user's Salesforce locale (for example en-US, de-DE); the page decides by default.
        #[arg(long)]
        locale: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("cc-health: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract {
            page,
            url,
            today,
            locale,
        } => {
            let options = options(today, locale)?;
            if recognize(&url).is_none() {
                eprintln!("cc-health: {url} is not a Salesforce Opportunity record page");
                return Ok(ExitCode::from(3));
            }
            let html = read_checked(&page)?;
            let report = analyze_html(&html, &url, &options)
                .context("the URL stopped being an Opportunity record page")?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::List {
            page,
            url,
            today,
            locale,
        } => {
            let options = options(today, locale)?;
            if recognize_list(&url).is_none() {
                eprintln!(
                    "cc-health: {url} is not a Salesforce page that lists Opportunities \
                     (a list view, the Kanban board, an Account's related list)"
                );
                return Ok(ExitCode::from(3));
            }
            let html = read_checked(&page)?;
            let report = analyze_list_html(&html, &url, &options)
                .context("the URL stopped being an Opportunity list page")?;
            let rows: Vec<&RowReport> = report.rows.iter().map(|row| &**row).collect();
            println!("{}", serde_json::to_string(&rows)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The score's date and the locale, from the arguments.
fn options(today: Option<String>, locale: Option<String>) -> Result<AnalyzeOptions> {
    let today = match today {
        Some(text) => deal_health::value::parse_iso_date(&text)
            .with_context(|| format!("--today {text:?} is not a date of the form YYYY-MM-DD"))?,
        None => chrono::Local::now().date_naive(),
    };
    let locale = match locale {
        Some(text) => Some(Locale::parse(&text).with_context(|| {
            format!("--locale {text:?} is not a locale such as en-US or de_DE")
        })?),
        None => None,
    };
    Ok(AnalyzeOptions { locale, today })
}

/// The page as text, within the limits.
fn read_checked(page: &str) -> Result<String> {
    let html = decode_page(read_page(page)?)
        .with_context(|| format!("{} was refused", page_name(page)))?;
    limits::check(&html).with_context(|| format!("{} was refused", page_name(page)))?;
    Ok(html)
}

/// The largest page read: three times a large saved Lightning page (5 MB).
const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

fn page_name(path: &str) -> &str {
    if path == "-" {
        "standard input"
    } else {
        path
    }
}

/// Reads at most [`MAX_PAGE_BYTES`] (one byte more to tell that there is more).
fn read_page(path: &str) -> Result<Vec<u8>> {
    let source: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?)
    };
    let mut bytes = Vec::new();
    source
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", page_name(path)))?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        bail!(
            "{} is larger than {} MiB, the most cc-health reads (a saved page is 1-5 MB)",
            page_name(path),
            MAX_PAGE_BYTES / 1024 / 1024
        );
    }
    Ok(bytes)
}

/// The page as text: UTF-8 without its byte-order mark, or UTF-16 decoded (with a byte-order
/// mark, or ASCII interleaved with NULs); anything else is refused rather than read as nulls.
fn decode_page(bytes: Vec<u8>) -> Result<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest.to_vec());
    }
    let utf16 = match bytes.get(..2) {
        Some(b"\xFF\xFE") => Some((true, 2)),
        Some(b"\xFE\xFF") => Some((false, 2)),
        _ => nul_interleaved(&bytes).map(|little_endian| (little_endian, 0)),
    };
    let Some((little_endian, start)) = utf16 else {
        return utf8(bytes);
    };
    let body = &bytes[start..];
    if body.len() % 2 != 0 {
        bail!("the page looks like UTF-16 but has an odd number of bytes");
    }
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|pair| {
            let pair = [pair[0], pair[1]];
            if little_endian {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    String::from_utf16(&units).map_err(|_| {
        anyhow!("the page looks like UTF-16 but is not valid UTF-16; save it as UTF-8")
    })
}

fn utf8(bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|error| {
        anyhow!(
            "the page is not UTF-8 (byte {} is not); save it again as UTF-8 \
             (\"Webpage, HTML only\" in Chrome does)",
            error.utf8_error().valid_up_to()
        )
    })
}

/// UTF-16 without a byte-order mark, told by ASCII text whose every other byte is NUL:
/// `Some(true)` little-endian, `Some(false)` big-endian.
fn nul_interleaved(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(1024) / 2 * 2];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 9 && even == 0 {
        Some(true)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(false)
    } else {
        None
    }
}
