//! The demo dataset: 32 opportunities whose histories, relative to "now", cover every stage and
//! trip every blind spot. Deterministic for a given "now". The first Ids match the fixture pages
//! (tests/fixtures), so the demo page has an enriched analysis.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use deal_health_engine::{
    CloseDateChange, ContactRole, DealData, Direction, EmailMeta, Meeting, Opportunity,
    StageChange, TaskMeta,
};

/// The standard open stages, in path order.
pub const OPEN_STAGES: [&str; 8] = [
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
];

/// The user every demo deal belongs to.
pub const DEMO_OWNER: &str = "Jane Doe";

/// (name, title, role, days since the last inbound email, days since the last meeting).
type StaticContact = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<i64>,
    Option<i64>,
);

/// One contact of a generated deal.
struct ContactSpec {
    name: String,
    title: String,
    role: Option<String>,
    /// Days since the contact last emailed in, if ever.
    last_email_days: Option<i64>,
    /// Days since the contact last attended a meeting, if ever.
    last_meeting_days: Option<i64>,
}

/// What a scenario sets; everything else follows from it.
struct Scenario {
    id: &'static str,
    name: &'static str,
    stage: usize,
    amount: f64,
    days_in_stage: i64,
    close_in_days: i64,
    /// (name, title, role, days since last inbound email or None, days since last meeting or None)
    contacts: &'static [StaticContact],
    close_pushes: usize,
    closed: Option<bool>,
}

const FIXTURE_IDS: [&str; 6] = [
    "0065g00000AbCdEAAV", // the demo page and most fixtures
    "0065g00000XyZwVAAV",
    "0065g00000QwErTAAV",
    "0065g00000ZxCvBAAV",
    "0065g00000QqQqQAAV",
    "0065g00000ZzZzZAAV",
];

const SCENARIOS: &[Scenario] = &[
    // Missing economic buyer and a silent champion: the demo page's deal.
    Scenario {
        id: FIXTURE_IDS[0],
        name: "Acme — 500 Widgets",
        stage: 7,
        amount: 1_250_000.0,
        days_in_stage: 20,
        close_in_days: 22,
        contacts: &[
            (
                "Dana Reyes",
                "Director of Operations",
                Some("Champion"),
                Some(8),
                Some(12),
            ),
            ("Lee Park", "IT Manager", None, Some(3), None),
            ("Morgan Blake", "CFO", Some("Economic Buyer"), None, None),
        ],
        close_pushes: 1,
        closed: None,
    },
    // Stuck in Value Proposition for 45 days.
    Scenario {
        id: FIXTURE_IDS[1],
        name: "Globex Expansion",
        stage: 3,
        amount: 310_000.0,
        days_in_stage: 45,
        close_in_days: 58,
        contacts: &[
            (
                "Sam Carter",
                "VP Engineering",
                Some("Decision Maker"),
                Some(4),
                Some(9),
            ),
            ("Ira Holt", "Architect", None, Some(6), None),
        ],
        close_pushes: 0,
        closed: None,
    },
    // Single-threaded, over $50K.
    Scenario {
        id: FIXTURE_IDS[2],
        name: "Cyberdyne Systems Upgrade",
        stage: 2,
        amount: 600_000.0,
        days_in_stage: 12,
        close_in_days: 40,
        contacts: &[
            (
                "Miles Dyson",
                "Director of R&D",
                Some("Champion"),
                Some(2),
                Some(5),
            ),
            ("T. Connor", "Security Lead", None, None, None),
        ],
        close_pushes: 0,
        closed: None,
    },
    // Close date slipping (three pushes) and going dark.
    Scenario {
        id: FIXTURE_IDS[3],
        name: "Müller GmbH – Rahmenvertrag",
        stage: 6,
        amount: 1_350_000.0,
        days_in_stage: 18,
        close_in_days: 53,
        contacts: &[(
            "Jürgen Weiß",
            "Head of Procurement",
            Some("Decision Maker"),
            Some(21),
            Some(25),
        )],
        close_pushes: 3,
        closed: None,
    },
    // Healthy: multi-threaded, decision maker engaged, fresh stage.
    Scenario {
        id: FIXTURE_IDS[4],
        name: "Wayne Enterprises Fleet",
        stage: 6,
        amount: 480_000.0,
        days_in_stage: 6,
        close_in_days: 35,
        contacts: &[
            (
                "Alfred Pennyworth",
                "Chief of Staff",
                Some("Economic Buyer"),
                Some(1),
                Some(2),
            ),
            (
                "Lucius Fox",
                "CTO",
                Some("Decision Maker"),
                Some(3),
                Some(2),
            ),
            ("Tim Drake", "Analyst", None, Some(5), None),
        ],
        close_pushes: 0,
        closed: None,
    },
    Scenario {
        id: FIXTURE_IDS[5],
        name: "Initrode Annual",
        stage: 7,
        amount: 42_000.0,
        days_in_stage: 30,
        close_in_days: -24,
        contacts: &[(
            "Peter Gibbons",
            "Engineer",
            Some("Champion"),
            Some(30),
            None,
        )],
        close_pushes: 0,
        closed: Some(true),
    },
];

const NAMES: [&str; 26] = [
    "Stark Industries Arc Reactors",
    "Umbrella Corp Renewal",
    "Soylent Green Supply",
    "Massive Dynamic Lab",
    "Vandelay Industries Import",
    "Oceanic Airlines Fleet Wi-Fi",
    "Tyrell Replicant Fleet",
    "Hooli Cloud Migration",
    "Pied Piper Compression",
    "Aperture Science Test Rigs",
    "Black Mesa Facility Upgrade",
    "Gringotts Vault Security",
    "Wonka Factory Automation",
    "Sirius Cybernetics Doors",
    "Planet Express Logistics",
    "Monarch Solutions Rollout",
    "Dunder Mifflin Paper Supply",
    "Bluth Company Housing",
    "Krusty Krab POS",
    "Los Pollos Hermanos Ordering",
    "Nakatomi Trading Platform",
    "Weyland-Yutani Terraforming",
    // Hostile on purpose: clients must show it as text (the side panel's pipeline test).
    "<img src=x onerror=\"document.title='pwned'\">Zorg & <b>Sons</b>",
    "Nordic Timber AB",
    "Tata Logistics Rollout",
    "Siemens Retrofit (EU)",
];

/// The dataset as of `now`.
pub fn demo_dataset(now: DateTime<Utc>) -> Vec<DealData> {
    let mut deals: Vec<DealData> = SCENARIOS
        .iter()
        .map(|scenario| build(scenario, now))
        .collect();
    // Varied generic deals: stage, size, engagement and timing cycle through the patterns.
    for (index, name) in NAMES.iter().enumerate() {
        let i = index as i64;
        let id = format!("0065g00000Dm{:03}AAA", index);
        let contacts: Vec<ContactSpec> = (0..(1 + index % 4))
            .map(|c| {
                let title = [
                    "VP Sales",
                    "Director of IT",
                    "Procurement Manager",
                    "Engineer",
                ][c];
                let role =
                    [Some("Economic Buyer"), Some("Champion"), None, None][c].map(str::to_string);
                let last_email = if (index + c) % 5 == 0 {
                    None
                } else {
                    Some(((i + c as i64 * 3) % 20) + 1)
                };
                let last_meeting = if (index + c) % 3 == 0 {
                    Some((i % 10) + 2)
                } else {
                    None
                };
                ContactSpec {
                    name: format!("Contact {}{}", name.chars().next().unwrap_or('X'), c + 1),
                    title: title.to_string(),
                    role,
                    last_email_days: last_email,
                    last_meeting_days: last_meeting,
                }
            })
            .collect();
        let closed = match index % 13 {
            5 => Some(true),
            11 => Some(false),
            _ => None,
        };
        deals.push(build_generic(
            &id,
            name,
            index % OPEN_STAGES.len(),
            [
                18_000.0, 45_000.0, 75_000.0, 120_000.0, 260_000.0, 900_000.0,
            ][index % 6],
            [5, 12, 25, 33, 48, 70][index % 6],
            [9, 21, 35, 60, 95, -5][index % 6],
            &contacts,
            index % 4,
            closed,
            now,
        ));
    }
    deals
}

fn build(scenario: &Scenario, now: DateTime<Utc>) -> DealData {
    let contacts: Vec<_> = scenario
        .contacts
        .iter()
        .map(|(name, title, role, email, meeting)| ContactSpec {
            name: name.to_string(),
            title: title.to_string(),
            role: role.map(str::to_string),
            last_email_days: *email,
            last_meeting_days: *meeting,
        })
        .collect();
    build_generic(
        scenario.id,
        scenario.name,
        scenario.stage,
        scenario.amount,
        scenario.days_in_stage,
        scenario.close_in_days,
        &contacts,
        scenario.close_pushes,
        scenario.closed,
        now,
    )
}

#[allow(clippy::too_many_arguments)]
fn build_generic(
    id: &str,
    name: &str,
    stage: usize,
    amount: f64,
    days_in_stage: i64,
    close_in_days: i64,
    contacts: &[ContactSpec],
    close_pushes: usize,
    closed: Option<bool>,
    now: DateTime<Utc>,
) -> DealData {
    let ago = |days: i64| now - Duration::days(days);
    let close_date: NaiveDate = (now + Duration::days(close_in_days)).date_naive();
    let stage_name = match closed {
        Some(true) => "Closed Won".to_string(),
        Some(false) => "Closed Lost".to_string(),
        None => OPEN_STAGES[stage].to_string(),
    };
    let entered = days_in_stage + 10 * stage as i64;
    // Ten days in each earlier stage; the current one entered `days_in_stage` ago.
    let mut stage_history: Vec<StageChange> = (0..=stage)
        .map(|s| StageChange {
            stage: OPEN_STAGES[s].to_string(),
            at: ago(entered - 10 * s as i64),
        })
        .collect();
    if closed.is_some() {
        stage_history.push(StageChange {
            stage: stage_name.clone(),
            at: ago(days_in_stage),
        });
    }
    let close_date_history = (0..close_pushes)
        .map(|p| {
            let weeks = 2 * (close_pushes - p) as i64;
            CloseDateChange {
                from: close_date - Duration::weeks(weeks),
                to: close_date - Duration::weeks(weeks - 2),
                at: ago(10 + 20 * p as i64),
            }
        })
        .collect();
    let mut emails = Vec::new();
    let mut meetings = Vec::new();
    let mut tasks = Vec::new();
    let roles: Vec<ContactRole> = contacts
        .iter()
        .enumerate()
        .map(|(index, contact)| {
            let contact_id = format!("{}-c{}", &id[..15], index + 1);
            if let Some(days) = &contact.last_email_days {
                emails.push(EmailMeta {
                    at: ago(*days),
                    direction: Direction::Inbound,
                    contact_ids: vec![contact_id.clone()],
                });
                emails.push(EmailMeta {
                    at: ago(*days + 1),
                    direction: Direction::Outbound,
                    contact_ids: vec![contact_id.clone()],
                });
                emails.push(EmailMeta {
                    at: ago(*days + 15),
                    direction: Direction::Inbound,
                    contact_ids: vec![contact_id.clone()],
                });
            }
            emails.push(EmailMeta {
                at: ago(2),
                direction: Direction::Outbound,
                contact_ids: vec![contact_id.clone()],
            });
            if let Some(days) = &contact.last_meeting_days {
                meetings.push(Meeting {
                    start: ago(*days),
                    contact_ids: vec![contact_id.clone()],
                });
            }
            tasks.push(TaskMeta {
                at: ago(3 + index as i64),
                contact_id: Some(contact_id.clone()),
            });
            ContactRole {
                contact_id,
                name: contact.name.clone(),
                title: Some(contact.title.clone()),
                role: contact.role.clone(),
                is_primary: index == 0,
            }
        })
        .collect();
    DealData {
        opportunity: Opportunity {
            id: id.to_string(),
            name: name.to_string(),
            amount: Some(amount),
            currency: Some("USD".to_string()),
            amount_corporate: Some(amount),
            stage: stage_name,
            stage_progress: stage as f64 / (OPEN_STAGES.len() - 1) as f64,
            close_date,
            probability: Some([10, 10, 20, 50, 60, 70, 75, 90][stage]),
            is_closed: closed.is_some(),
            is_won: closed == Some(true),
            created_at: ago(entered + 30),
        },
        stage_history,
        close_date_history,
        contacts: roles,
        emails,
        meetings,
        tasks,
        data_as_of: now - Duration::minutes(5),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use deal_health_engine::{analyze, BlindSpotConfig};
    use std::collections::BTreeSet;

    #[test]
    fn at_least_thirty_deals_across_stages_tripping_every_blind_spot() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let deals = demo_dataset(now);
        assert!(deals.len() >= 30);
        let stages: BTreeSet<&str> = deals.iter().map(|d| d.opportunity.stage.as_str()).collect();
        for stage in OPEN_STAGES
            .iter()
            .chain(["Closed Won", "Closed Lost"].iter())
        {
            assert!(stages.contains(stage), "no deal at {stage}");
        }
        let kinds: BTreeSet<String> = deals
            .iter()
            .flat_map(|d| {
                analyze(d, now, &BlindSpotConfig::default())
                    .blind_spots
                    .into_iter()
                    .map(|s| s.kind)
            })
            .collect();
        for kind in deal_health_client::api::BLIND_SPOT_KINDS {
            assert!(kinds.contains(kind), "no deal trips {kind}: {kinds:?}");
        }
        let ids: BTreeSet<&str> = deals.iter().map(|d| d.opportunity.id.as_str()).collect();
        assert_eq!(ids.len(), deals.len(), "Ids are unique");
        assert!(deals
            .iter()
            .all(|d| deal_health::page::opportunity_id(&d.opportunity.id).is_some()));
    }
}
