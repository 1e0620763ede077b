//! A list row's score: the record score ([`crate::score::score`]) over the columns the row
//! shows, and nothing else (`docs/scoring.md`, "Lists").
//!
//! A field the list has no column for is unknown, not missing: the record score's "missing"
//! reason for it (`close_date_missing`, `stage_missing`, `probability_missing`,
//! `amount_missing`) is dropped with its points, and one more reason (`list_partial_fields`,
//! 0 points, last) says from how many of the score's fields the row was scored and which column
//! to add first. A field whose column is there but whose cell is empty counts as on a record
//! page. So a row that shows every field the score reads scores exactly as its record page
//! (without the Path, which lists do not show).

use chrono::NaiveDate;

use super::ListRow;
use crate::extract::rules::Field;
use crate::extract::Extraction;
use crate::i18n::{Arg, Text};
use crate::score::{score, Band, Reason, Score, BASE};

/// The fields the record score reads, in the order a missing one is worth adding to a list
/// view: what moves the score most first.
pub const SCORED_FIELDS: [Field; 5] = [
    Field::CloseDate,
    Field::Stage,
    Field::NextStep,
    Field::Amount,
    Field::Probability,
];

/// The reason codes only list rows give (see [`crate::score::REASON_CODES`] for the rest).
pub const LIST_REASON_CODES: &[&str] = &["list_partial_fields"];

/// The record score's reason for a field that is not on the page, by field.
const MISSING_REASONS: &[(Field, &str)] = &[
    (Field::CloseDate, "close_date_missing"),
    (Field::Stage, "stage_missing"),
    (Field::Probability, "probability_missing"),
    (Field::Amount, "amount_missing"),
    (Field::NextStep, "next_step_missing"),
];

/// The `_locales` message naming a field in a reason.
fn field_message(field: Field) -> &'static str {
    match field {
        Field::CloseDate => "field_close_date",
        Field::Stage => "field_stage",
        Field::NextStep => "field_next_step",
        Field::Amount => "field_amount",
        Field::Probability => "field_probability",
        Field::Name => "field_name",
        Field::Owner => "field_owner",
    }
}

/// Scores a row as of `today` from the columns it shows.
pub fn score_row(row: &ListRow, today: NaiveDate) -> Score {
    let extraction = Extraction {
        fields: row.fields.clone(),
        found: row.shown.clone(),
        ..Extraction::default()
    };
    let mut scored = score(&extraction, today);
    if matches!(scored.band, Band::Won | Band::Lost) {
        return scored;
    }
    let absent: Vec<Field> = SCORED_FIELDS
        .into_iter()
        .filter(|field| !row.shown.contains(field))
        .collect();
    if absent.is_empty() {
        return scored;
    }
    scored.reasons.retain(|reason| {
        !MISSING_REASONS
            .iter()
            .any(|(field, code)| *code == reason.code && absent.contains(field))
    });
    if let Some(value) = scored.value {
        let total = BASE + scored.reasons.iter().map(|r| r.points).sum::<i32>();
        let value_now = total.clamp(0, 100) as u8;
        debug_assert!(value_now >= value);
        scored.value = Some(value_now);
        scored.band = band_of(value_now);
    }
    let used = SCORED_FIELDS.len() - absent.len();
    scored.reasons.push(Reason {
        code: "list_partial_fields",
        points: 0,
        text: Text::new("reason_list_partial_fields")
            .arg(used.to_string())
            .arg(SCORED_FIELDS.len().to_string())
            .arg(Arg::Text(Text::new(field_message(absent[0])))),
    });
    scored
}

fn band_of(value: u8) -> Band {
    if value >= crate::score::HEALTHY_FROM {
        Band::Healthy
    } else if value >= crate::score::AT_RISK_FROM {
        Band::AtRisk
    } else {
        Band::Critical
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Fields;
    use crate::value::Amount;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn row(shown: &[Field]) -> ListRow {
        let all = Fields {
            name: Some("Deal".into()),
            amount: Some(Amount {
                value: 50_000.0,
                currency: Some("USD".into()),
            }),
            stage: Some("Prospecting".into()),
            close_date: Some(date("2027-02-01")),
            probability: Some(10),
            owner: Some("Jane".into()),
            next_step: Some("Call".into()),
        };
        let mut fields = Fields {
            name: all.name.clone(),
            ..Fields::default()
        };
        for field in shown {
            match field {
                Field::Amount => fields.amount = all.amount.clone(),
                Field::Stage => fields.stage = all.stage.clone(),
                Field::CloseDate => fields.close_date = all.close_date,
                Field::Probability => fields.probability = all.probability,
                Field::Owner => fields.owner = all.owner.clone(),
                Field::NextStep => fields.next_step = all.next_step.clone(),
                Field::Name => {}
            }
        }
        ListRow {
            record_id: "0065g00000AbCdEAAV".into(),
            fields,
            shown: shown.to_vec(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn every_column_shown_scores_as_the_record() {
        let full = row(&Field::ALL);
        let extraction = Extraction {
            fields: full.fields.clone(),
            found: Field::ALL.to_vec(),
            ..Extraction::default()
        };
        let today = date("2026-11-23");
        assert_eq!(score_row(&full, today), score(&extraction, today));
        assert!(!score_row(&full, today)
            .reasons
            .iter()
            .any(|r| r.code == "list_partial_fields"));
    }

    #[test]
    fn absent_columns_cost_nothing_and_are_named() {
        let today = date("2026-11-23");
        let scored = score_row(
            &row(&[Field::Name, Field::Stage, Field::CloseDate, Field::Amount]),
            today,
        );
        assert_eq!(scored.value, Some(75));
        let last = scored.reasons.last().unwrap();
        assert_eq!((last.code, last.points), ("list_partial_fields", 0));
        assert_eq!(
            last.text.english(),
            "Scored from 3 of 5 fields: add Next Step to this list view for a fuller score."
        );
        assert!(!scored
            .reasons
            .iter()
            .any(|r| r.code == "probability_missing"));
    }

    #[test]
    fn an_empty_cell_counts_as_on_a_record_page() {
        let today = date("2026-11-23");
        let mut shown = row(&[
            Field::Stage,
            Field::CloseDate,
            Field::Amount,
            Field::Probability,
            Field::NextStep,
        ]);
        shown.fields.amount = None;
        let scored = score_row(&shown, today);
        assert!(scored
            .reasons
            .iter()
            .any(|r| r.code == "amount_missing" && r.points == -10));
    }

    #[test]
    fn no_stage_nor_close_date_column_is_insufficient_and_says_what_to_add() {
        let scored = score_row(&row(&[Field::Name, Field::Amount]), date("2026-11-23"));
        assert_eq!((scored.value, scored.band), (None, Band::Unknown));
        assert_eq!(scored.reasons[0].code, "insufficient_data");
        assert_eq!(
            scored.reasons[1].text.english(),
            "Scored from 1 of 5 fields: add Close Date to this list view for a fuller score."
        );
    }

    #[test]
    fn closed_rows_need_no_more_columns() {
        let mut closed = row(&[Field::Stage]);
        closed.fields.stage = Some("Closed Won".into());
        let scored = score_row(&closed, date("2026-11-23"));
        assert_eq!(scored.band, Band::Won);
        assert_eq!(scored.reasons.len(), 1);
    }
}
