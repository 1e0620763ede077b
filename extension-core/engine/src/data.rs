//! The engine's input: what the server reads from Salesforce for one opportunity (see
//! docs/api.md, "What the server reads"), and facts derived from it once.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// Everything the engine needs about one opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DealData {
    /// The opportunity record itself.
    pub opportunity: Opportunity,
    /// Stage changes, any order (OpportunityHistory).
    #[serde(default)]
    pub stage_history: Vec<StageChange>,
    /// Close-date changes, any order (OpportunityFieldHistory on CloseDate).
    #[serde(default)]
    pub close_date_history: Vec<CloseDateChange>,
    /// Contact roles with the contact's title (OpportunityContactRole + Contact.Title).
    #[serde(default)]
    pub contacts: Vec<ContactRole>,
    /// Email metadata: dates, direction, participants; never subjects or bodies.
    #[serde(default)]
    pub emails: Vec<EmailMeta>,
    /// Meetings (Events with attendees).
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    /// Other logged activity (Tasks: calls, to-dos).
    #[serde(default)]
    pub tasks: Vec<TaskMeta>,
    /// When the data was read from Salesforce.
    pub data_as_of: DateTime<Utc>,
}

/// The Opportunity record, as the server reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Opportunity {
    /// The Opportunity Id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// In the opportunity's currency.
    pub amount: Option<f64>,
    /// The ISO 4217 code of `amount`.
    pub currency: Option<String>,
    /// In the org's corporate currency: the blind-spot thresholds are in that currency.
    pub amount_corporate: Option<f64>,
    /// The stage, as the org names it.
    pub stage: String,
    /// The stage's position among the org's open stages, 0.0 (first) to 1.0 (last).
    pub stage_progress: f64,
    /// Close Date.
    pub close_date: NaiveDate,
    /// Probability (%), 0–100.
    pub probability: Option<u8>,
    /// A closed stage (won or lost).
    pub is_closed: bool,
    /// A closed-won stage.
    pub is_won: bool,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
}

/// One stage change (OpportunityHistory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChange {
    /// The stage entered.
    pub stage: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// One move of the close date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloseDateChange {
    /// The date before.
    pub from: NaiveDate,
    /// The date after.
    pub to: NaiveDate,
    /// When it moved.
    pub at: DateTime<Utc>,
}

/// A contact with a role on the opportunity (OpportunityContactRole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactRole {
    /// The Contact Id.
    pub contact_id: String,
    /// The contact's name.
    pub name: String,
    /// Their job title.
    pub title: Option<String>,
    /// Salesforce contact role: "Economic Buyer", "Decision Maker", "Champion", ...
    pub role: Option<String>,
    /// The primary contact role.
    #[serde(default)]
    pub is_primary: bool,
}

/// Which way an email went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the customer.
    Inbound,
    /// From the seller.
    Outbound,
}

/// An email's metadata (never its content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailMeta {
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// Which way it went.
    pub direction: Direction,
    /// The customer contacts on the email (sender for inbound, recipients for outbound).
    pub contact_ids: Vec<String>,
}

/// A meeting (Event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    /// When it started.
    pub start: DateTime<Utc>,
    /// The contacts who attended.
    pub contact_ids: Vec<String>,
}

/// A task (call, to-do), by its metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskMeta {
    /// When it was done.
    pub at: DateTime<Utc>,
    /// The contact it was with, if any.
    pub contact_id: Option<String>,
}

/// How far back "engaged" looks.
pub const ENGAGEMENT_WINDOW_DAYS: i64 = 30;

/// Facts derived once from the data, shared by factors and blind spots.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The latest touch of any kind that has happened (not future meetings).
    pub last_touch: Option<DateTime<Utc>>,
    /// Contacts engaged in the window: they emailed in, or attended a meeting.
    pub engaged_contacts: BTreeSet<String>,
    /// When the opportunity entered its current stage.
    pub stage_entered: DateTime<Utc>,
}

impl Facts {
    /// Reads the facts the factors use from the deal, as of `now`.
    pub fn gather(deal: &DealData, now: DateTime<Utc>) -> Facts {
        let since = now - Duration::days(ENGAGEMENT_WINDOW_DAYS);
        let past = |at: &DateTime<Utc>| *at <= now;
        let last_touch = deal
            .emails
            .iter()
            .map(|e| e.at)
            .chain(deal.meetings.iter().map(|m| m.start))
            .chain(deal.tasks.iter().map(|t| t.at))
            .filter(past)
            .max();
        let mut engaged_contacts = BTreeSet::new();
        for email in deal
            .emails
            .iter()
            .filter(|e| e.direction == Direction::Inbound && e.at > since && past(&e.at))
        {
            engaged_contacts.extend(email.contact_ids.iter().cloned());
        }
        for meeting in deal
            .meetings
            .iter()
            .filter(|m| m.start > since && past(&m.start))
        {
            engaged_contacts.extend(meeting.contact_ids.iter().cloned());
        }
        let stage_entered = deal
            .stage_history
            .iter()
            .filter(|change| change.stage == deal.opportunity.stage && change.at <= now)
            .map(|change| change.at)
            .max()
            .unwrap_or(deal.opportunity.created_at);
        Facts {
            last_touch,
            engaged_contacts,
            stage_entered,
        }
    }
}

/// Whole days from `from` to `to` (negative if `to` is earlier).
pub fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_days()
}

/// Business days (Monday to Friday) after `from`'s date up to and including `to`'s date.
pub fn business_days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let (mut day, end) = (from.date_naive(), to.date_naive());
    let mut count = 0;
    while day < end {
        day = day.succ_opt().unwrap_or(end);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
    }
    count
}

/// VP level or above by title ("VP", "Vice President", "Chief ...", "C?O", "Head of", "President").
pub fn is_senior_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "vp" | "svp" | "evp" | "avp" | "chief" | "president" | "owner" | "founder"
        )
    }) || lower.contains("vice president")
        || lower.contains("head of")
        || words
            .iter()
            .any(|w| w.len() == 3 && w.starts_with('c') && w.ends_with('o')) // CEO, CFO, CTO, COO...
}

/// An Economic Buyer or Decision Maker by role, or VP level by title.
pub fn is_decision_maker(contact: &ContactRole) -> bool {
    let role = contact.role.as_deref().unwrap_or("").to_lowercase();
    role.contains("economic buyer")
        || role.contains("decision maker")
        || contact.title.as_deref().is_some_and(is_senior_title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senior_titles() {
        for title in [
            "VP Sales",
            "Vice President, Operations",
            "Chief Financial Officer",
            "CFO",
            "CEO & Founder",
            "Head of IT",
            "SVP Engineering",
            "President",
        ] {
            assert!(is_senior_title(title), "{title}");
        }
        for title in [
            "Sales Manager",
            "Director of IT",
            "Engineer",
            "Coordinator",
            "Office Manager",
            "Controller",
        ] {
            assert!(!is_senior_title(title), "{title}");
        }
    }

    #[test]
    fn business_days_skip_weekends() {
        let at = |d: &str| {
            DateTime::parse_from_rfc3339(&format!("{d}T12:00:00Z"))
                .unwrap()
                .with_timezone(&Utc)
        };
        // Friday 2026-11-13 → Monday 2026-11-16: one business day.
        assert_eq!(business_days_between(at("2026-11-13"), at("2026-11-16")), 1);
        assert_eq!(business_days_between(at("2026-11-13"), at("2026-11-20")), 5);
        assert_eq!(business_days_between(at("2026-11-16"), at("2026-11-16")), 0);
    }
}
