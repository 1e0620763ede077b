//! The enriched engine at its boundaries: each factor and blind spot just inside and just
//! outside its threshold (docs/scoring.md, "The enriched score").

use chrono::{DateTime, Duration, NaiveDate, Utc};
use deal_health::score::Band;
use deal_health_client::api::{Analysis, Severity};
use deal_health_engine::*;

/// Monday 2026-11-23, noon UTC.
fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn days_ago(days: i64) -> DateTime<Utc> {
    now() - Duration::days(days)
}

fn contact(id: &str, title: &str, role: Option<&str>) -> ContactRole {
    ContactRole {
        contact_id: id.into(),
        name: format!("Contact {id}"),
        title: Some(title.into()),
        role: role.map(str::to_string),
        is_primary: false,
    }
}

fn inbound(id: &str, days: i64) -> EmailMeta {
    EmailMeta {
        at: days_ago(days),
        direction: Direction::Inbound,
        contact_ids: vec![id.into()],
    }
}

fn outbound(id: &str, days: i64) -> EmailMeta {
    EmailMeta {
        at: days_ago(days),
        direction: Direction::Outbound,
        contact_ids: vec![id.into()],
    }
}

/// An open deal at `stage` (progress), entered `stage_days` ago, with nothing else going on.
fn deal(stage: &str, progress: f64, stage_days: i64, amount: f64) -> DealData {
    DealData {
        opportunity: Opportunity {
            id: "0065g00000AbCdEAAV".into(),
            name: "Test deal".into(),
            amount: Some(amount),
            currency: Some("USD".into()),
            amount_corporate: Some(amount),
            stage: stage.into(),
            stage_progress: progress,
            close_date: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            probability: Some(50),
            is_closed: false,
            is_won: false,
            created_at: days_ago(200),
        },
        stage_history: vec![StageChange {
            stage: stage.into(),
            at: days_ago(stage_days),
        }],
        close_date_history: vec![],
        contacts: vec![],
        emails: vec![],
        meetings: vec![],
        tasks: vec![],
        data_as_of: now(),
    }
}

fn run(deal: &DealData) -> Analysis {
    analyze(deal, now(), &BlindSpotConfig::default())
}

fn has(analysis: &Analysis, kind: &str) -> bool {
    analysis.blind_spots.iter().any(|s| s.kind == kind)
}

fn factor(analysis: &Analysis, code: &str) -> u8 {
    analysis
        .factors
        .iter()
        .find(|f| f.code == code)
        .unwrap()
        .score
}

#[test]
fn silent_champion_after_five_business_days_at_negotiation() {
    let mut d = deal("Negotiation/Review", 1.0, 10, 80_000.0);
    d.contacts = vec![ContactRole {
        role: Some("Champion".into()),
        ..contact("c1", "Director of IT", None)
    }];
    // Monday now; last reply the previous Monday = 5 business days.
    d.emails = vec![inbound("c1", 7)];
    let five = run(&d);
    assert!(has(&five, "silent_champion"));
    let spot = five
        .blind_spots
        .iter()
        .find(|s| s.kind == "silent_champion")
        .unwrap();
    assert_eq!(spot.evidence["businessDaysSilent"], 5);
    assert_eq!(spot.severity, Severity::Medium);
    // Tuesday before: 4 business days.
    d.emails = vec![inbound("c1", 6)];
    assert!(!has(&run(&d), "silent_champion"));
    // Not before Negotiation: Proposal/Price Quote is 6/7 of the standard path.
    d.emails = vec![inbound("c1", 20)];
    d.opportunity.stage_progress = 6.0 / 7.0;
    assert!(!has(&run(&d), "silent_champion"));
    d.opportunity.stage_progress = 1.0;
    assert_eq!(
        run(&d)
            .blind_spots
            .iter()
            .find(|s| s.kind == "silent_champion")
            .unwrap()
            .severity,
        Severity::High
    );
}

#[test]
fn missing_economic_buyer_over_100k_at_proposal_or_later() {
    let mut d = deal("Proposal/Price Quote", 6.0 / 7.0, 5, 100_001.0);
    d.contacts = vec![
        contact("c1", "IT Manager", None),
        contact("c2", "VP Finance", None),
    ];
    d.emails = vec![inbound("c1", 2)];
    assert!(
        has(&run(&d), "missing_economic_buyer"),
        "the VP is on the deal but not engaged"
    );
    d.emails.push(inbound("c2", 3));
    assert!(!has(&run(&d), "missing_economic_buyer"), "the VP replied");
    d.emails.pop();
    d.opportunity.amount_corporate = Some(100_000.0);
    assert!(!has(&run(&d), "missing_economic_buyer"), "not over $100K");
    d.opportunity.amount_corporate = Some(250_000.0);
    d.opportunity.stage_progress = 5.0 / 7.0;
    assert!(!has(&run(&d), "missing_economic_buyer"), "before Proposal");
    d.opportunity.stage_progress = 6.0 / 7.0;
    d.contacts = vec![contact("c1", "IT Manager", Some("Economic Buyer"))];
    assert!(
        !has(&run(&d), "missing_economic_buyer"),
        "the engaged contact is the economic buyer by role"
    );
}

#[test]
fn stuck_deal_from_thirty_days_in_stage() {
    assert!(has(
        &run(&deal("Value Proposition", 0.4, 30, 10_000.0)),
        "stuck_deal"
    ));
    assert!(!has(
        &run(&deal("Value Proposition", 0.4, 29, 10_000.0)),
        "stuck_deal"
    ));
    let sixty = run(&deal("Value Proposition", 0.4, 60, 10_000.0));
    assert_eq!(
        sixty
            .blind_spots
            .iter()
            .find(|s| s.kind == "stuck_deal")
            .unwrap()
            .severity,
        Severity::High
    );
}

#[test]
fn single_threaded_over_50k_with_one_engaged_contact() {
    let mut d = deal("Value Proposition", 0.4, 5, 50_001.0);
    d.contacts = vec![
        contact("c1", "Manager", None),
        contact("c2", "Engineer", None),
    ];
    d.emails = vec![inbound("c1", 2)];
    assert!(has(&run(&d), "single_threaded"));
    d.meetings = vec![Meeting {
        start: days_ago(3),
        contact_ids: vec!["c2".into()],
    }];
    assert!(!has(&run(&d), "single_threaded"), "two engaged contacts");
    d.meetings.clear();
    d.opportunity.amount_corporate = Some(50_000.0);
    assert!(!has(&run(&d), "single_threaded"), "not over $50K");
}

#[test]
fn activity_recency_boundaries() {
    let mut d = deal("Value Proposition", 0.4, 5, 10_000.0);
    assert_eq!(factor(&run(&d), "activity_recency"), 0, "no activity");
    for (days, expected) in [(3, 100), (7, 80), (14, 50), (30, 20), (45, 0)] {
        d.tasks = vec![TaskMeta {
            at: days_ago(days),
            contact_id: None,
        }];
        assert_eq!(
            factor(&run(&d), "activity_recency"),
            expected,
            "{days} days"
        );
    }
    d.meetings = vec![Meeting {
        start: now() + Duration::days(2),
        contact_ids: vec![],
    }];
    assert_eq!(
        factor(&run(&d), "activity_recency"),
        0,
        "a future meeting is not activity"
    );
}

#[test]
fn email_meeting_and_threading_factors() {
    let mut d = deal("Value Proposition", 0.4, 5, 10_000.0);
    assert_eq!(factor(&run(&d), "email_engagement"), 0);
    d.emails = (0..4)
        .map(|i| inbound("c1", i + 1))
        .chain((0..4).map(|i| outbound("c1", i + 1)))
        .collect();
    assert_eq!(
        factor(&run(&d), "email_engagement"),
        100,
        "every email answered, four replies"
    );
    d.emails = (0..4).map(|i| outbound("c1", i + 1)).collect();
    assert_eq!(
        factor(&run(&d), "email_engagement"),
        0,
        "one-way email is not engagement"
    );
    d.emails = vec![inbound("c1", 40)];
    assert_eq!(
        factor(&run(&d), "email_engagement"),
        0,
        "outside the 30-day window"
    );
    d.meetings = (1..=2)
        .map(|i| Meeting {
            start: days_ago(i),
            contact_ids: vec![format!("m{i}")],
        })
        .collect();
    let two = run(&d);
    assert_eq!(factor(&two, "meeting_cadence"), 80);
    assert_eq!(factor(&two, "multi_threading"), 60);
    d.meetings.push(Meeting {
        start: days_ago(3),
        contact_ids: vec!["m3".into()],
    });
    assert_eq!(factor(&run(&d), "multi_threading"), 85);
}

#[test]
fn decision_maker_engagement_boundaries() {
    let mut d = deal("Value Proposition", 0.4, 5, 10_000.0);
    assert_eq!(
        factor(&run(&d), "decision_maker_engagement"),
        0,
        "none on the deal"
    );
    d.contacts = vec![contact("cfo", "CFO", None)];
    assert_eq!(
        factor(&run(&d), "decision_maker_engagement"),
        20,
        "on the deal, never engaged"
    );
    for (days, expected) in [(14, 100), (15, 60), (30, 60), (31, 20)] {
        d.emails = vec![inbound("cfo", days)];
        assert_eq!(
            factor(&run(&d), "decision_maker_engagement"),
            expected,
            "{days} days"
        );
    }
}

#[test]
fn stage_velocity_and_close_date_integrity() {
    // Negotiation/Review's norm is 14 days.
    for (days, expected) in [(14, 100), (28, 40), (42, 0), (21, 70)] {
        assert_eq!(
            factor(
                &run(&deal("Negotiation/Review", 1.0, days, 1.0)),
                "stage_velocity"
            ),
            expected,
            "{days} days"
        );
    }
    let mut d = deal("Value Proposition", 0.4, 5, 10_000.0);
    assert_eq!(factor(&run(&d), "close_date_integrity"), 100);
    let push = |days| CloseDateChange {
        from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
        at: days_ago(days),
    };
    d.close_date_history = vec![push(10)];
    assert_eq!(factor(&run(&d), "close_date_integrity"), 70);
    assert!(!has(&run(&d), "close_date_slipping"));
    d.close_date_history.push(push(80));
    assert_eq!(factor(&run(&d), "close_date_integrity"), 40);
    assert!(has(&run(&d), "close_date_slipping"));
    d.close_date_history.push(push(91));
    assert_eq!(
        factor(&run(&d), "close_date_integrity"),
        40,
        "a push older than 90 days does not count"
    );
    d.opportunity.close_date = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    assert_eq!(factor(&run(&d), "close_date_integrity"), 0, "overdue");
}

#[test]
fn the_score_is_the_weighted_sum_and_deterministic() {
    let mut d = deal("Negotiation/Review", 1.0, 7, 120_000.0);
    d.contacts = vec![
        contact("c1", "VP Operations", Some("Champion")),
        contact("c2", "Engineer", None),
    ];
    d.emails = vec![inbound("c1", 1), outbound("c1", 2), inbound("c2", 3)];
    d.meetings = vec![Meeting {
        start: days_ago(4),
        contact_ids: vec!["c1".into(), "c2".into()],
    }];
    let analysis = run(&d);
    let weighted: f64 = analysis
        .factors
        .iter()
        .map(|f| f.weight * f64::from(f.score))
        .sum();
    assert_eq!(analysis.score.value, Some(weighted.round() as u8));
    assert_eq!(analysis, run(&d));
    assert_eq!(analysis.factors.len(), 7);
    assert!(analysis
        .recommendations
        .iter()
        .all(|r| r.source == deal_health_client::api::RecommendationSource::Rules));
    let encoded = serde_json::to_vec(&analysis).unwrap();
    assert_eq!(
        deal_health_client::api::decode_analysis(&encoded).unwrap(),
        analysis,
        "the engine's output passes the client's checks"
    );
}

#[test]
fn closed_deals_have_no_value_and_no_blind_spots() {
    let mut d = deal("Closed Won", 1.0, 90, 500_000.0);
    d.opportunity.is_closed = true;
    d.opportunity.is_won = true;
    let won = run(&d);
    assert_eq!((won.score.value, won.score.band), (None, Band::Won));
    assert!(won.blind_spots.is_empty());
    d.opportunity.is_won = false;
    assert_eq!(run(&d).score.band, Band::Lost);
}

#[test]
fn going_dark_from_fourteen_quiet_days() {
    let mut d = deal("Value Proposition", 0.4, 5, 10_000.0);
    d.contacts = vec![contact("c1", "Manager", None)];
    d.emails = vec![inbound("c1", 13), outbound("c1", 1)];
    assert!(!has(&run(&d), "going_dark"), "13 days");
    d.emails = vec![inbound("c1", 14), outbound("c1", 1)];
    assert!(
        has(&run(&d), "going_dark"),
        "14 days, outbound email does not count"
    );
    d.meetings = vec![Meeting {
        start: days_ago(2),
        contact_ids: vec!["c1".into()],
    }];
    assert!(!has(&run(&d), "going_dark"), "a meeting is two-way");
}
