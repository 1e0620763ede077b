//! Which field a list column shows, as data: the column's API name where Salesforce names it
//! (Lightning datatable keys, Classic grid classes, list view column names), else its header
//! label in any supported language (the record rules' labels in [`crate::extract::rules`], plus
//! the few that only list views use). Nothing here touches a DOM.

use crate::extract::rules::{normalize_label, Field};

/// Column names that identify a field, compared ASCII-case-insensitively after `.`, `-` and
/// spaces become `_`:
/// - the Opportunity API names, as `lightning-datatable` keys its columns
///   (`data-col-key-value="StageName-text-3"`: the part before the first `-`) and as list views'
///   `fieldApiName` attributes give them;
/// - list view column names, as the ListView metadata and Classic's enhanced list
///   (`x-grid3-col-OPPORTUNITY_STAGE_NAME`) spell them;
/// - the owner's name as related lists and list views show it (`Owner.Alias`, `CORE.USERS.ALIAS`).
const API_NAMES: &[(&str, Field)] = &[
    ("name", Field::Name),
    ("opportunity_name", Field::Name),
    ("amount", Field::Amount),
    ("opportunity_amount", Field::Amount),
    ("stagename", Field::Stage),
    ("opportunity_stage_name", Field::Stage),
    ("closedate", Field::CloseDate),
    ("opportunity_close_date", Field::CloseDate),
    ("probability", Field::Probability),
    ("opportunity_probability", Field::Probability),
    ("ownerid", Field::Owner),
    ("owner_name", Field::Owner),
    ("owner_alias", Field::Owner),
    ("owner_full_name", Field::Owner),
    ("core_users_alias", Field::Owner),
    ("core_users_full_name", Field::Owner),
    ("core_users_last_name", Field::Owner),
    ("nextstep", Field::NextStep),
    ("opportunity_next_step", Field::NextStep),
];

/// Header labels only list views show (the owner column is the owner's alias or full name);
/// compared after [`normalize_label`]. English, German, French, Japanese.
const LIST_LABELS: &[(&str, Field)] = &[
    ("opportunity owner alias", Field::Owner),
    ("owner alias", Field::Owner),
    ("owner full name", Field::Owner),
    ("opportunity owner full name", Field::Owner),
    ("alias des opportunity-inhabers", Field::Owner),
    ("opportunity-inhaber: alias", Field::Owner),
    ("alias du propriétaire de l'opportunité", Field::Owner),
    ("alias du propriétaire", Field::Owner),
    ("商談 所有者 別名", Field::Owner),
    ("所有者 別名", Field::Owner),
    ("close", Field::CloseDate),
];

/// The field a column API name stands for (`StageName`, `StageName-text-3`,
/// `OPPORTUNITY.STAGE_NAME`, `x-grid3-col-OPPORTUNITY_STAGE_NAME` without its prefix).
pub fn field_of_api_name(name: &str) -> Option<Field> {
    let name = name.trim();
    // A datatable key: `<fieldName>-<type>-<index>`.
    let name = name.split('-').next().unwrap_or(name);
    if name.is_empty() || name.len() > 80 {
        return None;
    }
    let key: String = name
        .chars()
        .map(|c| {
            if c == '.' || c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    API_NAMES
        .iter()
        .find(|(api, _)| *api == key)
        .map(|(_, field)| *field)
}

/// The field a column header label names, in any supported language.
pub fn field_of_label(label: &str) -> Option<Field> {
    if label.chars().count() > 120 {
        return None;
    }
    // Normalized once (every row's cells name the same few columns, each asked of every field).
    let normalized = normalize_label(label);
    if normalized.is_empty() {
        return None;
    }
    Field::ALL
        .into_iter()
        .find(|field| field.labels().contains(&normalized.as_str()))
        .or_else(|| {
            LIST_LABELS
                .iter()
                .find(|(known, _)| *known == normalized)
                .map(|(_, field)| *field)
        })
}

/// A Classic enhanced list's column id from one of its classes (`x-grid3-col-OPPORTUNITY_NAME`,
/// `x-grid3-hd-OPPORTUNITY_NAME`, `x-grid3-td-OPPORTUNITY_NAME`).
pub fn classic_grid_column(class_attribute: &str) -> Option<&str> {
    class_attribute.split_ascii_whitespace().find_map(|class| {
        ["x-grid3-col-", "x-grid3-td-", "x-grid3-hd-"]
            .iter()
            .find_map(|prefix| class.strip_prefix(prefix))
            .filter(|rest| !rest.is_empty() && *rest != "inner" && *rest != "row")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_in_every_spelling() {
        for (name, field) in [
            ("StageName", Field::Stage),
            ("StageName-text-3", Field::Stage),
            ("OPPORTUNITY.STAGE_NAME", Field::Stage),
            ("OPPORTUNITY_CLOSE_DATE", Field::CloseDate),
            ("Amount-currency-2", Field::Amount),
            ("Owner.Alias", Field::Owner),
            ("CORE.USERS.ALIAS", Field::Owner),
            ("NextStep", Field::NextStep),
            ("Name-url-1", Field::Name),
        ] {
            assert_eq!(field_of_api_name(name), Some(field), "{name}");
        }
        for name in [
            "Account.Name",
            "ACCOUNT_NAME",
            "",
            "LastActivityDate",
            "00NOm0000007kSj",
        ] {
            assert_eq!(field_of_api_name(name), None, "{name}");
        }
    }

    #[test]
    fn labels_in_every_language() {
        for (label, field) in [
            ("Opportunity Name", Field::Name),
            ("Phase", Field::Stage),
            ("Date de clôture", Field::CloseDate),
            ("確度 (%)", Field::Probability),
            ("Opportunity Owner Alias", Field::Owner),
            ("Nächster Schritt", Field::NextStep),
            ("Amount", Field::Amount),
        ] {
            assert_eq!(field_of_label(label), Some(field), "{label}");
        }
        assert_eq!(field_of_label("Account Name"), None);
        assert_eq!(field_of_label(&"x".repeat(500)), None);
    }

    #[test]
    fn classic_grid_columns() {
        assert_eq!(
            classic_grid_column("x-grid3-cell-inner x-grid3-col-OPPORTUNITY_NAME"),
            Some("OPPORTUNITY_NAME")
        );
        assert_eq!(
            classic_grid_column("x-grid3-hd-inner x-grid3-hd-ACCOUNT_NAME"),
            Some("ACCOUNT_NAME")
        );
        assert_eq!(classic_grid_column("x-grid3-cell-inner"), None);
    }
}
