//! `cc-health`: the support tool for "why does the badge say that on my page".
//!
//! `cc-health extract PAGE.html --url URL [--today YYYY-MM-DD] [--locale xx-YY]` prints one
//! JSON object: the same extraction and score the extension computes. PAGE may be `-` (stdin).
//! Exit status: 0 success, 1 unreadable input or bad arguments, 3 not an Opportunity page.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use extension_core::locale::Locale;
use extension_core::page::recognize;
use extension_core::report::{analyze_html, AnalyzeOptions};

#[derive(Parser)]
#[command(
    name = "cc-health",
    version,
    about = "Deal health for Salesforce Opportunity pages, offline"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract the fields of a saved Opportunity page and score it.
    Extract {
        /// The saved page (HTML), or `-` for standard input.
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
    let Command::Extract {
        page,
        url,
        today,
        locale,
    } = cli.command;
    let today = match today {
        Some(text) => extension_core::value::parse_iso_date(&text)
            .with_context(|| format!("--today {text:?} is not a date of the form YYYY-MM-DD"))?,
        None => chrono::Local::now().date_naive(),
    };
    let locale = match locale {
        Some(text) => Some(Locale::parse(&text).with_context(|| {
            format!("--locale {text:?} is not a locale such as en-US or de_DE")
        })?),
        None => None,
    };
    if recognize(&url).is_none() {
        eprintln!("cc-health: {url} is not a Salesforce Opportunity record page");
        return Ok(ExitCode::from(3));
    }
    let html = read_page(&page)?;
    let report = analyze_html(&html, &url, &AnalyzeOptions { locale, today })
        .context("the URL stopped being an Opportunity record page")?;
    println!("{}", serde_json::to_string(&report)?);
    Ok(ExitCode::SUCCESS)
}

fn read_page(path: &str) -> Result<String> {
    let bytes = if path == "-" {
        let mut buffer = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buffer)
            .context("cannot read the page from standard input")?;
        buffer
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {path}"))?
    };
    // Saved pages are UTF-8; anything else is read with replacement characters, not refused.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
