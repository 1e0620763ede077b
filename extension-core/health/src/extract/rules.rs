//! Selectors as data. Each field has one rule ([`FieldRule`]: [`NAME`], [`AMOUNT`], [`STAGE`],
//! [`CLOSE_DATE`], [`PROBABILITY`], [`OWNER`], [`NEXT_STEP`]): its names in Lightning, Dynamic
//! Forms and Classic, its anchors, best first, and its labels in every supported language. The
//! anchors ([`Anchor`]) say which page variant each serves. The engine in [`super`] interprets
//! them; nothing here touches a DOM.

/// The seven Opportunity fields the extension reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Opportunity Name.
    Name,
    /// Amount.
    Amount,
    /// Stage.
    Stage,
    /// Close Date.
    CloseDate,
    /// Probability (%).
    Probability,
    /// Opportunity Owner.
    Owner,
    /// Next Step.
    NextStep,
}

impl Field {
    /// Every field, in output order.
    pub const ALL: [Field; 7] = [
        Field::Name,
        Field::Amount,
        Field::Stage,
        Field::CloseDate,
        Field::Probability,
        Field::Owner,
        Field::NextStep,
    ];

    /// Everything that finds this field on a page.
    pub const fn rule(self) -> &'static FieldRule {
        match self {
            Field::Name => &NAME,
            Field::Amount => &AMOUNT,
            Field::Stage => &STAGE,
            Field::CloseDate => &CLOSE_DATE,
            Field::Probability => &PROBABILITY,
            Field::Owner => &OWNER,
            Field::NextStep => &NEXT_STEP,
        }
    }

    /// The name used in JSON output and warnings.
    pub fn json_name(self) -> &'static str {
        self.rule().json_name
    }

    /// See [`FieldRule::target_selection_name`].
    pub fn target_selection_name(self) -> &'static str {
        self.rule().target_selection_name
    }

    /// See [`FieldRule::target_selection_selector`].
    pub fn target_selection_selector(self) -> &'static str {
        self.rule().target_selection_selector
    }

    /// See [`FieldRule::dynamic_forms_selector`].
    pub fn dynamic_forms_selector(self) -> &'static str {
        self.rule().dynamic_forms_selector
    }

    /// See [`FieldRule::dynamic_forms_id`].
    pub fn dynamic_forms_id(self) -> &'static str {
        self.rule().dynamic_forms_id
    }

    /// See [`FieldRule::classic_cell_id`].
    pub fn classic_cell_id(self) -> &'static str {
        self.rule().classic_cell_id
    }

    /// See [`FieldRule::labels`].
    pub fn labels(self) -> &'static [&'static str] {
        self.rule().labels
    }
}

/// Everything that finds one field on a page, in one place: what the engine in [`super`]
/// interprets (it parses the value per field: see each rule's note).
#[derive(Debug)]
pub struct FieldRule {
    /// The name used in JSON output and warnings.
    pub json_name: &'static str,
    /// The `data-target-selection-name` value Lightning puts on the field's container. It
    /// survives relabelling and translation, so it is the first anchor everywhere.
    pub target_selection_name: &'static str,
    /// [`Self::target_selection_name`] as a selector: the query returns this field's anchors
    /// only, not every anchor of the page (800 on a page with large related lists).
    pub target_selection_selector: &'static str,
    /// Dynamic Forms: `flexipage-field[data-field-id="Record<Field>Field"]`.
    pub dynamic_forms_id: &'static str,
    /// [`Self::dynamic_forms_id`] as a selector on the Dynamic Forms field wrapper.
    pub dynamic_forms_selector: &'static str,
    /// Classic detail page cell id (`<id>_ileinner`).
    pub classic_cell_id: &'static str,
    /// The anchors tried, best first.
    pub anchors: &'static [Anchor],
    /// Standard labels in the languages Salesforce ships, compared after
    /// [`normalize_label`]. Admin-renamed labels are reached through the API-name anchor.
    /// Languages: English, German, French, Japanese, Spanish, Italian, Portuguese (Brazil),
    /// Dutch, Swedish, Polish, Chinese (Simplified), Korean; regional locales (de-AT, fr-CA,
    /// en-AU, en-IN) show their language's labels. Where a translation was seen spelled more
    /// than one way (Korean writes 영업 기회 and 영업기회), each spelling is listed.
    pub labels: &'static [&'static str],
}

/// A rule from the field's API name (`StageName`): its Lightning and Dynamic Forms names follow
/// from it.
macro_rules! rule {
    (json: $json:literal, api: $api:literal, classic: $cell:literal, anchors: $anchors:expr,
     labels: $labels:expr $(,)?) => {
        FieldRule {
            json_name: $json,
            target_selection_name: concat!("sfdc:RecordField.Opportunity.", $api),
            target_selection_selector: concat!(
                "[data-target-selection-name=\"sfdc:RecordField.Opportunity.",
                $api,
                "\"]"
            ),
            dynamic_forms_id: concat!("Record", $api, "Field"),
            dynamic_forms_selector: concat!(
                "flexipage-field[data-field-id=\"Record",
                $api,
                "Field\"]"
            ),
            classic_cell_id: $cell,
            anchors: $anchors,
            labels: $labels,
        }
    };
}

use Anchor::*;

/// The anchors of a field with no anchor of its own (all but the name and the stage).
const STANDARD_ANCHORS: &[Anchor] = &[
    TargetSelectionName,
    DynamicFormsField,
    LayoutItemLabel,
    FieldLabelText,
    HighlightsDetailLabel,
    FormElementLabel,
    ClassicCellId,
    ClassicLabelCell,
];

/// Opportunity Name. Also where the badge goes (`extract::header_anchor`); read as text.
pub const NAME: FieldRule = rule! {
    json: "name",
    api: "Name",
    classic: "opp3_ileinner",
    anchors: &[
        TargetSelectionName,
        DynamicFormsField,
        HighlightsPrimaryField,
        LayoutItemLabel,
        FieldLabelText,
        FormElementLabel,
        ClassicCellId,
        ClassicPageDescription,
        ClassicLabelCell,
    ],
    labels: &[
        "opportunity name",
        "opportunity-name",
        "nom de l'opportunité",
        "nom de l’opportunité",
        "商談名",
        "nombre de la oportunidad",
        "nome opportunità",
        "naam opportunity",
        "opportunitynaam",
        "nome da oportunidade",
        "业务机会名称",
        "业务机会名",
        "기회 이름",
        "영업 기회 이름",
        "영업기회 이름",
        "affärsmöjlighetens namn",
        "nazwa szansy sprzedaży",
        "opportunity name (名前)",
    ],
};

/// Amount, parsed by `value::parse_amount` (a currency its text leaves open comes from the
/// record's other evidence: `extract`'s `record_currency`).
pub const AMOUNT: FieldRule = rule! {
    json: "amount",
    api: "Amount",
    classic: "opp7_ileinner",
    anchors: STANDARD_ANCHORS,
    labels: &[
        "amount", "betrag", "montant", "金額", "importe", "importo", "bedrag", "valor",
        "金额", "금액", "belopp", "kwota",
    ],
};

/// Stage, read as text; closed stages are [`CLOSED_WON_STAGES`] and [`CLOSED_LOST_STAGES`]. The
/// Path's current step is its fallback.
pub const STAGE: FieldRule = rule! {
    json: "stage",
    api: "StageName",
    classic: "opp11_ileinner",
    anchors: &[
        TargetSelectionName,
        DynamicFormsField,
        LayoutItemLabel,
        FieldLabelText,
        HighlightsDetailLabel,
        PathCurrentStep,
        FormElementLabel,
        ClassicCellId,
        ClassicLabelCell,
    ],
    labels: &[
        "stage",
        "phase",
        "étape",
        "フェーズ",
        "etapa",
        "fase",
        "阶段",
        "단계",
        "fas",
        "etap",
    ],
};

/// Close Date, parsed by `value::parse_date` in the locale's or the page's numeric order.
pub const CLOSE_DATE: FieldRule = rule! {
    json: "closeDate",
    api: "CloseDate",
    classic: "opp9_ileinner",
    anchors: STANDARD_ANCHORS,
    labels: &[
        "close date",
        "schlusstermin",
        "abschlussdatum",
        "date de clôture",
        "完了予定日",
        "fecha de cierre",
        "data chiusura",
        "sluitingsdatum",
        "data de fechamento",
        "结束日期",
        "마감 날짜",
        "마감 일자",
        "stängningsdatum",
        "data zamknięcia",
    ],
};

/// Probability (%), parsed by `value::parse_percent`.
pub const PROBABILITY: FieldRule = rule! {
    json: "probability",
    api: "Probability",
    classic: "opp12_ileinner",
    anchors: STANDARD_ANCHORS,
    labels: &[
        "probability (%)",
        "probability",
        "wahrscheinlichkeit (%)",
        "wahrscheinlichkeit",
        "probabilité (%)",
        "probabilité",
        "確度 (%)",
        "確度(%)",
        "確度",
        "probabilidad (%)",
        "probabilidad",
        "probabilità (%)",
        "probabilità",
        "waarschijnlijkheid (%)",
        "kans (%)",
        "probabilidade (%)",
        "probabilidade",
        "可能性 (%)",
        "可能性(%)",
        "확률 (%)",
        "확률(%)",
        "sannolikhet (%)",
        "sannolikhet",
        "prawdopodobieństwo (%)",
        "prawdopodobieństwo",
    ],
};

/// Opportunity Owner, read as text (the user link's name where there is one).
pub const OWNER: FieldRule = rule! {
    json: "owner",
    api: "OwnerId",
    classic: "opp1_ileinner",
    anchors: STANDARD_ANCHORS,
    labels: &[
        "opportunity owner",
        "opportunity-inhaber",
        "opportunity-eigentümer",
        "propriétaire de l'opportunité",
        "propriétaire de l’opportunité",
        "商談 所有者",
        "商談所有者",
        "propietario de la oportunidad",
        "titolare opportunità",
        "proprietario opportunità",
        "eigenaar opportunity",
        "opportunity-eigenaar",
        "proprietário da oportunidade",
        "业务机会所有人",
        "기회 소유자",
        "영업 기회 소유자",
        "영업기회 소유자",
        "ägare till affärsmöjlighet",
        "affärsmöjlighetens ägare",
        "właściciel szansy sprzedaży",
    ],
};

/// Next Step, read as text.
pub const NEXT_STEP: FieldRule = rule! {
    json: "nextStep",
    api: "NextStep",
    classic: "opp10_ileinner",
    anchors: STANDARD_ANCHORS,
    labels: &[
        "next step",
        "nächster schritt",
        "étape suivante",
        "prochaine étape",
        "ネクストステップ",
        "次のステップ",
        "paso siguiente",
        "próximo paso",
        "passo successivo",
        "prossimo passo",
        "volgende stap",
        "próxima etapa",
        "próximo passo",
        "下一步",
        "다음 단계",
        "nästa steg",
        "następny krok",
    ],
};

/// Lower-cases, collapses white space, drops a required-field asterisk and a trailing colon.
///
/// ```
/// use deal_health::extract::rules::{label_matches, Field};
/// assert!(label_matches(Field::Probability, "*Probability (%):"));
/// assert!(label_matches(Field::CloseDate, "Date de clôture"));
/// assert!(label_matches(Field::Stage, "阶段"));
/// assert!(!label_matches(Field::Stage, "Next Step"));
/// ```
pub fn normalize_label(label: &str) -> String {
    let collapsed = crate::value::normalize_spaces(label);
    let trimmed = collapsed
        .trim_start_matches('*')
        .trim_end_matches([':', '*'])
        .trim();
    trimmed.to_lowercase()
}

/// Whether a displayed label names `field`.
pub fn label_matches(field: Field, label: &str) -> bool {
    let normalized = normalize_label(label);
    !normalized.is_empty() && field.labels().contains(&normalized.as_str())
}

/// One way to find a field's container on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Lightning record layout, Dynamic Forms and highlights: an element with
    /// `data-target-selection-name="sfdc:RecordField.Opportunity.<ApiName>"`.
    TargetSelectionName,
    /// Dynamic Forms pages (no `records-record-layout-item`): `flexipage-field[data-field-id]`.
    DynamicFormsField,
    /// Lightning page layout: `records-record-layout-item[field-label="<Label>"]`.
    LayoutItemLabel,
    /// Highlights panel primary field (the record name), `records-highlights2` and the older
    /// `force-highlights2`: `[slot="primaryField"]`.
    HighlightsPrimaryField,
    /// Highlights panel compact-layout fields: `records-highlights-details-item` with
    /// `p.slds-text-title[title="<Label>"]` and the value in `p.fieldComponent`.
    HighlightsDetailLabel,
    /// Any Lightning read-mode field: `span.test-id__field-label` whose text is the label.
    FieldLabelText,
    /// An org's own record components built on base components (`lightning-record-view-form`
    /// with `lightning-output-field`, or `.slds-form-element` label/static pairs), shown where
    /// the Details tab is not the default or the layout has no Path: `.slds-form-element__label`
    /// whose text is the label, the value in its `.slds-form-element`. Lower precedence than
    /// every standard anchor; read only when every in-scope component showing the label agrees
    /// (a component about another record that carries no record Id must not decide).
    FormElementLabel,
    /// Salesforce Classic detail page: the `<id>_ileinner` cell.
    ClassicCellId,
    /// Salesforce Classic page title: `h2.pageDescription` (the record name).
    ClassicPageDescription,
    /// Salesforce Classic `table.detailList`: `td.labelCol` text, value in the next `td.dataCol`.
    ClassicLabelCell,
    /// Lightning Path (Aura `.slds-path__item` or LWC path steps): the `slds-is-current` item.
    PathCurrentStep,
}

/// The anchors tried for `field`, best first.
pub fn anchors(field: Field) -> &'static [Anchor] {
    field.rule().anchors
}

/// Selectors used by the anchors and the engine. Each names the variant it serves.
pub mod selectors {
    /// Dynamic Forms field wrapper.
    pub const DYNAMIC_FORMS_FIELD: &str = "flexipage-field[data-field-id]";
    /// Page-layout item with its label attribute.
    pub const LAYOUT_ITEM: &str = "records-record-layout-item[field-label]";
    /// Highlights panel record name (records-highlights2 / force-highlights2).
    pub const PRIMARY_FIELD: &str = "[slot=\"primaryField\"]";
    /// Highlights panel compact-layout item.
    pub const HIGHLIGHTS_ITEM: &str = "records-highlights-details-item";
    /// Label paragraph inside a highlights item.
    pub const HIGHLIGHTS_LABEL: &str = "p.slds-text-title";
    /// Value paragraph inside a highlights item.
    pub const HIGHLIGHTS_VALUE: &str = "p.fieldComponent";
    /// Read-mode label span on layout and Dynamic Forms fields.
    pub const FIELD_LABEL: &str = ".test-id__field-label";
    /// The form element enclosing a label and its value.
    pub const FORM_ELEMENT: &str = ".slds-form-element";
    /// The label of a base-component field (`lightning-output-field`'s shadow, custom
    /// `.slds-form-element` pairs): `FormElementLabel`.
    pub const FORM_ELEMENT_LABEL: &str = ".slds-form-element__label";
    /// Classic record name in the page title.
    pub const CLASSIC_PAGE_DESCRIPTION: &str = ".bPageTitle h2.pageDescription";
    /// Classic label cells.
    pub const CLASSIC_LABEL_CELL: &str = "td.labelCol";
    /// Path steps, Aura and LWC (the LWC steps render the same SLDS item).
    pub const PATH_ITEM: &str = ".slds-path__item";
    /// Path step title text.
    pub const PATH_TITLE: &str = ".slds-path__title";
    /// A link to a User record (the owner), Lightning or Classic.
    pub const USER_LINK: &str = "a[href*=\"/005\"]";
    /// The Opportunity Currency field in multi-currency orgs.
    pub const CURRENCY_ISO_CODE: &str =
        "[data-target-selection-name=\"sfdc:RecordField.Opportunity.CurrencyIsoCode\"]";
    /// The whole-page text containers scanned for date-order evidence.
    pub const DATE_CARRIERS: &str =
        "lightning-formatted-date-time, lightning-formatted-text, records-formula-output, td, span, time";

    /// Where the badge goes: the record name in the header, best first.
    pub const HEADER_ANCHORS: &[&str] = &[
        "[slot=\"primaryField\"]",        // records-highlights2 / force-highlights2
        ".slds-page-header__title",       // highlights without a primaryField slot
        ".bPageTitle h2.pageDescription", // Classic
    ];

    /// Where a value sits inside a field container, best first.
    pub const VALUE_NODES: &[&str] = &[
        "[data-output-element-id=\"output-field\"]", // Lightning read mode, most layouts
        ".test-id__field-value",                     // record layout and Dynamic Forms read mode
        "slot[name=\"outputField\"]",                // record layout item, synthetic shadow
        "slot[name=\"output\"]",                     // Dynamic Forms record field
        "p.fieldComponent",                          // highlights panel
        "lightning-formatted-text, lightning-formatted-number, lightning-formatted-date-time, lightning-formatted-rich-text, lightning-formatted-name, force-owner-lookup, records-formula-output",
    ];
    /// Form controls of a field in edit mode (the `/edit` page or an open inline edit).
    pub const EDIT_CONTROLS: &str =
        "input:not([type=\"hidden\"]):not([type=\"checkbox\"]), textarea, button[data-value]";
}

/// Markers of subtrees that never hold the visible record's own fields: related lists of other
/// records, activity and feed text ("Amount changed from ..."), list views, hover cards.
pub mod exclusions {
    /// Tag-name fragments.
    pub const TAG_FRAGMENTS: &[&str] = &[
        "related-list", // force-related-list-*, lst-related-list-*, records-related-list-*
        "relatedlist",  // older Aura related list tags
        "activit",      // activity timeline, composer, runtime_sales_activities-*
        "timeline",
        "feed", // Chatter feed
        "chatter",
        "list-view", // list views embedded on the page
        "listview",
        "hover-panel", // record hover cards of other records
        "record-preview",
        "global-search", // global header search results
        "search-dialog",
        "utility-bar",
    ];
    /// Classes (whole words).
    pub const CLASSES: &[&str] = &[
        "forceRelatedListSingleContainer",
        "forceRelatedListContainer",
        "relatedList",
        "slds-timeline",
        "activityTimeline",
        "cuf-feed",
        "forceChatterFeed",
        "forceHoverPanel",
        "slds-popover",
        "forceListViewManager",
        "oneUtilityBar",
        "bRelatedList",          // Classic related lists
        "listRelatedObject",     // Classic related list bodies
        "relatedProcessHistory", // Classic approval history
        "bPageFooter",
        "slds-hide",
        "slds-assistive-text",
    ];
    /// Page hosts that Lightning keeps in the DOM after navigating away; only the one with
    /// class `active` is the visible page.
    /// Class-name fragments (lower-cased match), for the many class spellings of the same
    /// components across releases (`forceRelatedListPreview`, `slds-timeline__item`, ...).
    pub const CLASS_FRAGMENTS: &[&str] = &["timeline", "activit", "relatedlist", "related-list"];
    /// Page hosts kept in the DOM after navigating away; only the one with class `active` shows.
    pub const PAGE_HOST_CLASSES: &[&str] = &["lafPageHost", "oneConsoleTab", "tabContent"];
    /// Attributes naming the record a container belongs to.
    pub const RECORD_ID_ATTRIBUTES: &[&str] =
        &["data-recordid", "data-record-id", "record-id", "recordid"];
}

/// Standard closed stage names, translated. Compared lower-cased.
pub const CLOSED_WON_STAGES: &[&str] = &[
    "closed won",
    "geschlossen und gewonnen",
    "geschlossen gewonnen",
    "gewonnen",
    "fermée gagnée",
    "fermé gagné",
    "gagnée",
    "成立",
    "受注",
    "cerrada ganada",
    "cerrado ganado",
    "chiusa vinta",
    "chiuso vinto",
    "gesloten gewonnen",
    "fechado/ganho",
    "fechada ganha",
    "fechado ganho",
];
/// Standard closed-lost stage names, translated. Compared lower-cased.
pub const CLOSED_LOST_STAGES: &[&str] = &[
    "closed lost",
    "geschlossen und verloren",
    "geschlossen verloren",
    "verloren",
    "fermée perdue",
    "fermé perdu",
    "perdue",
    "不成立",
    "失注",
    "cerrada perdida",
    "cerrado perdido",
    "chiusa persa",
    "chiuso perso",
    "gesloten verloren",
    "fechado/perdido",
    "fechada perdida",
    "fechado perdido",
];

#[cfg(test)]
mod selector_tests {
    use super::*;

    #[test]
    fn per_field_selectors_name_the_field_s_anchor_values() {
        for field in Field::ALL {
            assert_eq!(
                field.target_selection_selector(),
                format!(
                    "[data-target-selection-name=\"{}\"]",
                    field.target_selection_name()
                )
            );
            assert_eq!(
                field.dynamic_forms_selector(),
                format!(
                    "flexipage-field[data-field-id=\"{}\"]",
                    field.dynamic_forms_id()
                )
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_names_its_field_as_salesforce_does() {
        let names: Vec<_> = Field::ALL
            .iter()
            .map(|field| {
                let rule = field.rule();
                (
                    rule.json_name,
                    rule.target_selection_selector,
                    rule.dynamic_forms_selector,
                    rule.classic_cell_id,
                )
            })
            .collect();
        assert_eq!(
            names[2],
            (
                "stage",
                "[data-target-selection-name=\"sfdc:RecordField.Opportunity.StageName\"]",
                "flexipage-field[data-field-id=\"RecordStageNameField\"]",
                "opp11_ileinner"
            )
        );
        assert_eq!(
            Field::Owner.target_selection_name(),
            "sfdc:RecordField.Opportunity.OwnerId"
        );
        assert_eq!(Field::Owner.dynamic_forms_id(), "RecordOwnerIdField");
        // Seven fields, seven distinct rules, each with anchors and labels.
        for (i, field) in Field::ALL.iter().enumerate() {
            assert!(!field.rule().anchors.is_empty() && !field.rule().labels.is_empty());
            for other in &Field::ALL[i + 1..] {
                assert_ne!(field.rule().json_name, other.rule().json_name);
                assert_ne!(field.classic_cell_id(), other.classic_cell_id());
            }
        }
    }
}
