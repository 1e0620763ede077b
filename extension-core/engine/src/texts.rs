//! The engine's sentences (factor evidence, blind-spot summaries, recommendations) in the
//! languages the API speaks (`api::LANGUAGES`): the extension asks for its own catalog language
//! (`Accept-Language`). Dates are written the language's way, never as ISO strings; the numbers
//! here are small counts of days, emails, meetings and contacts.

use chrono::{Datelike, NaiveDate};

/// A language the engine writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Japanese.
    Ja,
}

impl Lang {
    /// The language of an `Accept-Language` value or a locale (`de-DE,de;q=0.9` → German): its
    /// first tag's language, English for any other.
    pub fn from_tag(tag: &str) -> Lang {
        let first = tag.split([',', ';']).next().unwrap_or("").trim();
        match first
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "de" => Lang::De,
            "fr" => Lang::Fr,
            "ja" => Lang::Ja,
            _ => Lang::En,
        }
    }

    /// Its BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Ja => "ja",
        }
    }

    /// A calendar date as the language writes it: `Nov 18, 2026`, `18.11.2026`, `18/11/2026`,
    /// `2026年11月18日`.
    pub fn date(self, date: NaiveDate) -> String {
        match self {
            Lang::En => date.format("%b %-d, %Y").to_string(),
            Lang::De => date.format("%d.%m.%Y").to_string(),
            Lang::Fr => date.format("%d/%m/%Y").to_string(),
            Lang::Ja => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        }
    }

    /// "1 day" / "N days" and their translations (French counts 0 as singular).
    fn days(self, days: i64) -> String {
        match self {
            Lang::En if days == 1 => "1 day".into(),
            Lang::En => format!("{days} days"),
            Lang::De if days == 1 => "1 Tag".into(),
            Lang::De => format!("{days} Tage"),
            Lang::Fr if days <= 1 => format!("{days} jour"),
            Lang::Fr => format!("{days} jours"),
            Lang::Ja => format!("{days} 日"),
        }
    }

    /// "Last activity N days ago (date)."
    pub fn last_activity(self, days: i64, at: NaiveDate) -> String {
        let date = self.date(at);
        match self {
            Lang::En if days <= 0 => format!("Last activity today ({date})"),
            Lang::En => format!("Last activity {} ago ({date})", self.days(days)),
            Lang::De if days <= 0 => format!("Letzte Aktivität heute ({date})"),
            Lang::De if days == 1 => format!("Letzte Aktivität vor 1 Tag ({date})"),
            Lang::De => format!("Letzte Aktivität vor {days} Tagen ({date})"),
            Lang::Fr if days <= 0 => format!("Dernière activité aujourd'hui ({date})"),
            Lang::Fr => format!("Dernière activité il y a {} ({date})", self.days(days)),
            Lang::Ja if days <= 0 => format!("最後の活動は今日（{date}）"),
            Lang::Ja => format!("最後の活動は {days} 日前（{date}）"),
        }
    }

    /// "No activity recorded."
    pub fn no_activity(self) -> String {
        match self {
            Lang::En => "No logged activity",
            Lang::De => "Keine erfasste Aktivität",
            Lang::Fr => "Aucune activité enregistrée",
            Lang::Ja => "記録された活動はありません",
        }
        .into()
    }

    /// Emails received and sent in the window.
    pub fn emails(self, received: usize, sent: usize, window: i64) -> String {
        match self {
            Lang::En => format!(
                "{received} {} received and {sent} sent in the last {window} days",
                if received == 1 { "email" } else { "emails" }
            ),
            Lang::De => format!(
                "{received} {} erhalten und {sent} gesendet in den letzten {window} Tagen",
                if received == 1 { "E-Mail" } else { "E-Mails" }
            ),
            Lang::Fr => format!(
                "{received} e-mail{} reçu{} et {sent} envoyé{} ces {window} derniers jours",
                plural_s(received),
                plural_s(received),
                plural_s(sent)
            ),
            Lang::Ja => format!("直近 {window} 日間に受信 {received} 件、送信 {sent} 件"),
        }
    }

    /// Meetings in the window.
    pub fn meetings(self, meetings: usize, window: i64) -> String {
        match self {
            Lang::En if meetings == 1 => format!("1 meeting in the last {window} days"),
            Lang::En => format!("{meetings} meetings in the last {window} days"),
            Lang::De => format!("{meetings} Meeting{} in den letzten {window} Tagen", {
                if meetings == 1 {
                    ""
                } else {
                    "s"
                }
            }),
            Lang::Fr => format!(
                "{meetings} réunion{} ces {window} derniers jours",
                plural_s(meetings)
            ),
            Lang::Ja => format!("直近 {window} 日間の会議 {meetings} 件"),
        }
    }

    /// Contacts engaged out of those with a role.
    pub fn engaged_contacts(self, engaged: usize, total: usize) -> String {
        match self {
            Lang::En => format!(
                "{engaged} of {total} {} on the deal engaged",
                if total == 1 { "contact" } else { "contacts" }
            ),
            Lang::De => format!("{engaged} von {total} Kontakten am Deal beteiligt"),
            Lang::Fr => format!(
                "{engaged} contact{} impliqué{} sur {total} dans l'affaire",
                plural_s(engaged),
                plural_s(engaged)
            ),
            Lang::Ja => format!("商談の担当者 {total} 人のうち {engaged} 人が関与"),
        }
    }

    /// "No decision maker named."
    pub fn no_decision_maker(self) -> String {
        match self {
            Lang::En => "No economic buyer or decision maker among the contacts",
            Lang::De => "Kein wirtschaftlicher Entscheider unter den Kontakten",
            Lang::Fr => "Aucun décideur économique parmi les contacts",
            Lang::Ja => "担当者に予算決裁者も意思決定者もいません",
        }
        .into()
    }

    /// The decision maker engaged on a date.
    pub fn decision_maker_engaged(self, at: NaiveDate) -> String {
        let date = self.date(at);
        match self {
            Lang::En => format!("Decision maker engaged on {date}"),
            Lang::De => format!("Entscheider beteiligt am {date}"),
            Lang::Fr => format!("Décideur impliqué le {date}"),
            Lang::Ja => format!("{date} に意思決定者が関与"),
        }
    }

    /// The decision maker's last engagement.
    pub fn decision_maker_last_engaged(self, at: NaiveDate) -> String {
        let date = self.date(at);
        match self {
            Lang::En => format!("Decision maker last engaged on {date}"),
            Lang::De => format!("Entscheider zuletzt beteiligt am {date}"),
            Lang::Fr => format!("Décideur impliqué pour la dernière fois le {date}"),
            Lang::Ja => format!("意思決定者の最後の関与は {date}"),
        }
    }

    /// The decision maker silent since a date.
    pub fn decision_maker_silent(self, at: NaiveDate) -> String {
        let date = self.date(at);
        match self {
            Lang::En => format!("Decision maker silent since {date}"),
            Lang::De => format!("Entscheider seit {date} ohne Rückmeldung"),
            Lang::Fr => format!("Décideur silencieux depuis le {date}"),
            Lang::Ja => format!("{date} 以降、意思決定者の反応なし"),
        }
    }

    /// How many decision makers are not engaged.
    pub fn decision_makers_not_engaged(self, count: usize) -> String {
        match self {
            Lang::En if count == 1 => "1 decision maker on the deal, not engaged".into(),
            Lang::En => format!("{count} decision makers on the deal, none engaged"),
            Lang::De => format!("{count} Entscheider am Deal, keiner beteiligt"),
            Lang::Fr => format!(
                "{count} décideur{} sur l'affaire, aucun impliqué",
                plural_s(count)
            ),
            Lang::Ja => format!("商談の意思決定者 {count} 人、関与なし"),
        }
    }

    /// Days in the stage against its norm.
    pub fn days_in_stage(self, days: i64, stage: &str, norm: i64) -> String {
        match self {
            Lang::En => format!("{} in {stage} (usually {norm})", self.days(days)),
            Lang::De => format!("{} in {stage} (üblich: {norm})", self.days(days)),
            Lang::Fr => format!(
                "{} à l'étape {stage} (habituellement {norm})",
                self.days(days)
            ),
            Lang::Ja => format!("{stage} に {days} 日（通常 {norm} 日）"),
        }
    }

    /// The close date has passed.
    pub fn close_date_passed(self, date: NaiveDate) -> String {
        let date = self.date(date);
        match self {
            Lang::En => format!("Close date {date} has passed"),
            Lang::De => format!("Abschlussdatum {date} ist überschritten"),
            Lang::Fr => format!("La date de clôture du {date} est dépassée"),
            Lang::Ja => format!("完了予定日 {date} を過ぎています"),
        }
    }

    /// How many times the close date was pushed.
    pub fn close_date_pushes(self, pushes: usize) -> String {
        match self {
            Lang::En if pushes == 1 => "Close date pushed once in 90 days".into(),
            Lang::En => format!("Close date pushed {pushes} times in 90 days"),
            Lang::De => format!("Abschlussdatum in 90 Tagen {pushes}-mal verschoben"),
            Lang::Fr => format!("Date de clôture repoussée {pushes} fois en 90 jours"),
            Lang::Ja => format!("90 日間に完了予定日を {pushes} 回延期"),
        }
    }

    /// A champion silent for this many business days.
    pub fn silent_champion(self, name: &str, business_days: i64) -> String {
        match self {
            Lang::En => format!("{name} has not replied for {business_days} business days"),
            Lang::De => format!("{name} hat seit {business_days} Werktagen nicht geantwortet"),
            Lang::Fr => format!("{name} n'a pas répondu depuis {business_days} jours ouvrés"),
            Lang::Ja => format!("{name} さんから {business_days} 営業日返信がありません"),
        }
    }

    /// No economic buyer named.
    pub fn missing_economic_buyer(self) -> String {
        match self {
            Lang::En => "No economic buyer or VP-level contact is engaged",
            Lang::De => {
                "Weder ein wirtschaftlicher Entscheider noch ein Kontakt auf VP-Ebene ist beteiligt"
            }
            Lang::Fr => "Ni décideur économique ni contact de niveau VP n'est impliqué",
            Lang::Ja => "予算決裁者や VP クラスの担当者が関与していません",
        }
        .into()
    }

    /// A deal stuck in its stage.
    pub fn stuck_deal(self, days: i64, stage: &str) -> String {
        match self {
            Lang::En => format!("{} in {stage}", self.days(days)),
            Lang::De => format!("{} in {stage}", self.days(days)),
            Lang::Fr => format!("{} à l'étape {stage}", self.days(days)),
            Lang::Ja => format!("{stage} に {days} 日"),
        }
    }

    /// A deal with one contact only.
    pub fn single_threaded(self) -> String {
        match self {
            Lang::En => "Only one contact is engaged",
            Lang::De => "Nur ein Kontakt ist beteiligt",
            Lang::Fr => "Un seul contact est impliqué",
            Lang::Ja => "関与している担当者が 1 人だけです",
        }
        .into()
    }

    /// No activity for this many days.
    pub fn going_dark(self, days: i64) -> String {
        match self {
            Lang::En => format!("No reply or meeting for {}", self.days(days)),
            Lang::De => format!("Seit {days} Tagen keine Antwort und kein Meeting"),
            Lang::Fr => format!("Aucune réponse ni réunion depuis {}", self.days(days)),
            Lang::Ja => format!("{days} 日間、返信も会議もありません"),
        }
    }

    /// The recommendation for a blind-spot kind.
    pub fn recommendation(self, kind: &str) -> String {
        let text = match (kind, self) {
            ("silent_champion", Lang::En) => "Reach the champion through another channel (call, or a colleague) and confirm the path to signature.",
            ("silent_champion", Lang::De) => "Erreichen Sie den Champion über einen anderen Weg (Anruf oder Kollege) und klären Sie den Weg zur Unterschrift.",
            ("silent_champion", Lang::Fr) => "Joignez le champion par un autre canal (appel ou collègue) et confirmez le chemin jusqu'à la signature.",
            ("silent_champion", Lang::Ja) => "別の手段（電話や同僚経由）でチャンピオンに連絡し、署名までの道筋を確認しましょう。",
            ("missing_economic_buyer", Lang::En) => "Ask your champion to introduce the economic buyer before sending final pricing.",
            ("missing_economic_buyer", Lang::De) => "Bitten Sie Ihren Champion, Ihnen den wirtschaftlichen Entscheider vorzustellen, bevor Sie das finale Angebot senden.",
            ("missing_economic_buyer", Lang::Fr) => "Demandez à votre champion de vous présenter le décideur économique avant d'envoyer le prix final.",
            ("missing_economic_buyer", Lang::Ja) => "最終価格を送る前に、チャンピオンに予算決裁者を紹介してもらいましょう。",
            ("stuck_deal", Lang::En) => "Agree a dated mutual action plan with the customer, or re-qualify the deal.",
            ("stuck_deal", Lang::De) => "Vereinbaren Sie mit dem Kunden einen datierten gemeinsamen Aktionsplan oder qualifizieren Sie den Deal neu.",
            ("stuck_deal", Lang::Fr) => "Convenez avec le client d'un plan d'action commun daté, ou requalifiez l'affaire.",
            ("stuck_deal", Lang::Ja) => "顧客と期日入りの共同アクションプランに合意するか、商談を再評価しましょう。",
            ("single_threaded", Lang::En) => "Engage a second stakeholder (technical lead, finance or the economic buyer) this week.",
            ("single_threaded", Lang::De) => "Gewinnen Sie diese Woche einen zweiten Beteiligten (Technik, Finanzen oder den wirtschaftlichen Entscheider).",
            ("single_threaded", Lang::Fr) => "Impliquez cette semaine un deuxième interlocuteur (technique, finance ou le décideur économique).",
            ("single_threaded", Lang::Ja) => "今週中に 2 人目の関係者（技術責任者、財務、予算決裁者）を巻き込みましょう。",
            ("going_dark", Lang::En) => "Send a short, specific question the buyer can answer in one line, and propose a date.",
            ("going_dark", Lang::De) => "Senden Sie eine kurze, konkrete Frage, die der Käufer in einer Zeile beantworten kann, und schlagen Sie einen Termin vor.",
            ("going_dark", Lang::Fr) => "Envoyez une question courte et précise à laquelle l'acheteur peut répondre en une ligne, et proposez une date.",
            ("going_dark", Lang::Ja) => "買い手が 1 行で答えられる短く具体的な質問を送り、日程を提案しましょう。",
            ("close_date_slipping", Lang::En) => "Confirm the buyer's decision date and what must happen before it.",
            ("close_date_slipping", Lang::De) => "Klären Sie das Entscheidungsdatum des Käufers und was bis dahin geschehen muss.",
            ("close_date_slipping", Lang::Fr) => "Confirmez la date de décision de l'acheteur et ce qui doit se passer avant.",
            ("close_date_slipping", Lang::Ja) => "買い手の意思決定日と、それまでに必要なことを確認しましょう。",
            _ => "",
        };
        text.into()
    }

    /// The reference server's stand-in for an AI-written recommendation.
    pub fn ai_draft(self, summary: &str) -> String {
        match self {
            Lang::En => format!("Draft for review: a short note to move past \"{summary}\", proposing a date for the next step."),
            Lang::De => format!("Entwurf zur Prüfung: eine kurze Nachricht, um über „{summary}“ hinwegzukommen, mit einem Termin für den nächsten Schritt."),
            Lang::Fr => format!("Brouillon à relire : un mot bref pour dépasser « {summary} », en proposant une date pour la prochaine étape."),
            Lang::Ja => format!("確認用の下書き: 「{summary}」を打開する短いメッセージで、次のステップの日程を提案します。"),
        }
    }
}

fn plural_s(count: usize) -> &'static str {
    if count > 1 {
        "s"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_from_headers_and_dates_in_their_form() {
        assert_eq!(Lang::from_tag("de-DE,de;q=0.9,en;q=0.8"), Lang::De);
        assert_eq!(Lang::from_tag("ja"), Lang::Ja);
        assert_eq!(Lang::from_tag("fr_CA"), Lang::Fr);
        assert_eq!(Lang::from_tag("pt-BR"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        let date = NaiveDate::from_ymd_opt(2026, 11, 8).unwrap();
        assert_eq!(Lang::En.date(date), "Nov 8, 2026");
        assert_eq!(Lang::De.date(date), "08.11.2026");
        assert_eq!(Lang::Fr.date(date), "08/11/2026");
        assert_eq!(Lang::Ja.date(date), "2026年11月8日");
        for kind in deal_health_client::api::BLIND_SPOT_KINDS {
            for lang in [Lang::En, Lang::De, Lang::Fr, Lang::Ja] {
                assert!(!lang.recommendation(kind).is_empty(), "{kind} {lang:?}");
            }
        }
    }
}
