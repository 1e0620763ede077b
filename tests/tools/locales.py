#!/usr/bin/env python3
"""Writes _locales/{en,de,fr,ja}/messages.json from the table below: one row per message, the
English text first. Run after editing; `--check` (in the test command) fails if the files
differ from the table. Descriptions are for translators."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANGS = ["en", "de", "fr", "ja"]

# id: (description, en, de, fr, ja)
M = {
 "extensionName": ("The extension's name.", "Customer City Deal Health", "Customer City Deal Health", "Customer City Deal Health", "Customer City Deal Health"),
 "extensionDescription": ("The store description.", "See how healthy a Salesforce Opportunity is at a glance, computed on your device.", "Sehen Sie auf einen Blick, wie gesund eine Salesforce-Opportunity ist – berechnet auf Ihrem Gerät.", "Voyez d'un coup d'œil la santé d'une opportunité Salesforce, calculée sur votre appareil.", "Salesforce の商談の健全性をひと目で確認。計算はお使いのデバイス上で行われます。"),
 "actionTitle": ("Toolbar button tooltip.", "Deal health", "Deal-Gesundheit", "Santé de l'affaire", "商談の健全性"),
 "locale_tag": ("The BCP 47 tag of this catalog's language (for lang= and number formats).", "en", "de", "fr", "ja"),
 "empty": ("Nothing (a badge that is not drawn).", "", "", "", ""),
 "literal": ("Text from the page or the server, shown as is.", "$1", "$1", "$1", "$1"),
 "days_one": ("One day.", "$1 day", "$1 Tag", "$1 jour", "$1 日"),
 "days_other": ("A number of days (not one).", "$1 days", "$1 Tagen", "$1 jours", "$1 日"),
 "unknown_stage": ("Stands for a stage that could not be read.", "an unknown stage", "einer unbekannten Phase", "une étape inconnue", "不明なフェーズ"),
 "score_of_100": ("A score out of 100.", "$1 of 100", "$1 von 100", "$1 sur 100", "100 点中 $1 点"),
 "percent": ("A percentage.", "$1%", "$1 %", "$1 %", "$1%"),
 "age_now": ("Data age under a minute.", "just now", "gerade eben", "à l'instant", "たった今"),
 "age_minutes": ("Data age in minutes.", "$1 min ago", "vor $1 Min.", "il y a $1 min", "$1 分前"),
 "age_hours": ("Data age in hours.", "$1 h ago", "vor $1 Std.", "il y a $1 h", "$1 時間前"),
 "age_days": ("Data age in days.", "$1 days ago", "vor $1 Tagen", "il y a $1 jours", "$1 日前"),
 "badge_title": ("Badge hover card title.", "Deal health", "Deal-Gesundheit", "Santé de l'affaire", "商談の健全性"),
 "badge_hint": ("Badge hover card, last line.", "Click for the full analysis", "Klicken für die vollständige Analyse", "Cliquez pour l'analyse complète", "クリックして詳細な分析を表示"),
 "badge_won": ("Badge text, closed won.", "Won", "Gewonnen", "Gagnée", "成立"),
 "badge_lost": ("Badge text, closed lost.", "Lost", "Verloren", "Perdue", "不成立"),
 "badge_name_healthy": ("Badge accessible name; $1 the score.", "Deal health $1 of 100, healthy", "Deal-Gesundheit $1 von 100, gesund", "Santé de l'affaire $1 sur 100, saine", "商談の健全性 100 点中 $1 点、良好"),
 "badge_name_at_risk": ("Badge accessible name; $1 the score.", "Deal health $1 of 100, at risk", "Deal-Gesundheit $1 von 100, gefährdet", "Santé de l'affaire $1 sur 100, à risque", "商談の健全性 100 点中 $1 点、リスクあり"),
 "badge_name_critical": ("Badge accessible name; $1 the score.", "Deal health $1 of 100, critical", "Deal-Gesundheit $1 von 100, kritisch", "Santé de l'affaire $1 sur 100, critique", "商談の健全性 100 点中 $1 点、危険"),
 "badge_name_won": ("Badge accessible name, won.", "Deal health: closed won", "Deal-Gesundheit: gewonnen", "Santé de l'affaire : gagnée", "商談の健全性: 成立"),
 "badge_name_lost": ("Badge accessible name, lost.", "Deal health: closed lost", "Deal-Gesundheit: verloren", "Santé de l'affaire : perdue", "商談の健全性: 不成立"),
 "badge_name_incomplete": ("Badge accessible name, too little data.", "Deal health: not enough data", "Deal-Gesundheit: zu wenige Daten", "Santé de l'affaire : données insuffisantes", "商談の健全性: データ不足"),
 "badge_summary_healthy": ("Score summary; $1 the score.", "$1 of 100 · healthy", "$1 von 100 · gesund", "$1 sur 100 · saine", "100 点中 $1 点 · 良好"),
 "badge_summary_at_risk": ("Score summary; $1 the score.", "$1 of 100 · at risk", "$1 von 100 · gefährdet", "$1 sur 100 · à risque", "100 点中 $1 点 · リスクあり"),
 "badge_summary_critical": ("Score summary; $1 the score.", "$1 of 100 · critical", "$1 von 100 · kritisch", "$1 sur 100 · critique", "100 点中 $1 点 · 危険"),
 "badge_summary_won": ("Summary, won.", "Closed won", "Gewonnen abgeschlossen", "Conclue gagnée", "成立で完了"),
 "badge_summary_lost": ("Summary, lost.", "Closed lost", "Verloren abgeschlossen", "Conclue perdue", "不成立で完了"),
 "badge_summary_incomplete": ("Summary, too little data.", "Incomplete data: the stage and close date could not be read", "Unvollständige Daten: Phase und Abschlussdatum waren nicht lesbar", "Données incomplètes : l'étape et la date de clôture sont illisibles", "データ不足: フェーズと完了予定日を読み取れませんでした"),
 "badge_enriched_summary": ("Signed-in summary; $1 score, $2 age.", "Customer City analysis · $1 · updated $2", "Customer-City-Analyse · $1 · aktualisiert $2", "Analyse Customer City · $1 · mise à jour $2", "Customer City の分析 · $1 · 更新 $2"),
 "badge_enriched_summary_stale": ("As above; the refresh failed.", "Customer City analysis · $1 · updated $2 · could not refresh", "Customer-City-Analyse · $1 · aktualisiert $2 · Aktualisierung fehlgeschlagen", "Analyse Customer City · $1 · mise à jour $2 · actualisation impossible", "Customer City の分析 · $1 · 更新 $2 · 再取得できませんでした"),
 "badge_pending": ("Badge text while the signed-in analysis loads (no number yet).", "…", "…", "…", "…"),
 "badge_name_pending": ("Badge accessible name while the signed-in analysis loads.", "Deal health: waiting for the Customer City analysis", "Deal-Gesundheit: Warten auf die Customer-City-Analyse", "Santé de l'affaire : en attente de l'analyse Customer City", "商談の健全性: Customer City の分析を待っています"),
 "badge_summary_pending": ("Badge hover card while the signed-in analysis loads.", "Waiting for the analysis from Customer City…", "Warten auf die Analyse von Customer City…", "En attente de l'analyse de Customer City…", "Customer City からの分析を待っています…"),
 "reason_closed_won": ("Reason.", "The deal is closed and won.", "Der Deal ist gewonnen abgeschlossen.", "L'affaire est conclue et gagnée.", "この商談は成立で完了しています。"),
 "reason_closed_lost": ("Reason.", "The deal is closed and lost.", "Der Deal ist verloren abgeschlossen.", "L'affaire est conclue et perdue.", "この商談は不成立で完了しています。"),
 "reason_insufficient_data": ("Reason.", "Neither the stage nor the close date could be read, so there is not enough data to score.", "Weder Phase noch Abschlussdatum waren lesbar; zu wenige Daten für eine Bewertung.", "Ni l'étape ni la date de clôture n'ont pu être lues : pas assez de données pour noter.", "フェーズも完了予定日も読み取れないため、評価に必要なデータが足りません。"),
 "reason_close_date_passed": ("Reason; $1 a duration.", "The close date passed $1 ago and the deal is still open.", "Das Abschlussdatum ist seit $1 überschritten und der Deal noch offen.", "La date de clôture est dépassée depuis $1 et l'affaire est toujours ouverte.", "完了予定日を $1 過ぎていますが、商談はまだオープンです。"),
 "reason_close_date_too_soon_early": ("Reason; $1 duration, $2 stage.", "Closes in $1 but is still at an early stage ($2).", "Abschluss in $1, aber noch in einer frühen Phase ($2).", "Clôture dans $1 mais encore à une étape précoce ($2).", "あと $1 で完了予定ですが、まだ初期のフェーズ（$2）です。"),
 "reason_close_date_too_soon": ("Reason; $1 duration, $2 stage.", "Closes in $1 while still at $2.", "Abschluss in $1, obwohl noch in $2.", "Clôture dans $1 alors qu'elle est encore à l'étape $2.", "あと $1 で完了予定ですが、まだ $2 です。"),
 "reason_closing_soon_late_stage": ("Reason; $1 stage, $2 duration.", "Late stage ($1) and closing within $2.", "Späte Phase ($1) und Abschluss innerhalb von $2.", "Étape avancée ($1) et clôture d'ici $2.", "後期フェーズ（$1）で、$2 以内に完了予定です。"),
 "reason_close_date_far": ("Reason; $1 a date.", "The close date is more than a year away ($1); it may be a placeholder.", "Das Abschlussdatum liegt über ein Jahr entfernt ($1); vielleicht ein Platzhalter.", "La date de clôture est à plus d'un an ($1) ; c'est peut-être une valeur provisoire.", "完了予定日が 1 年以上先（$1）です。仮の値かもしれません。"),
 "reason_close_date_unreadable": ("Reason.", "The close date on the page could not be read with certainty.", "Das Abschlussdatum auf der Seite war nicht eindeutig lesbar.", "La date de clôture de la page n'a pas pu être lue avec certitude.", "ページの完了予定日を確実に読み取れませんでした。"),
 "reason_close_date_missing": ("Reason.", "No close date is set.", "Kein Abschlussdatum gesetzt.", "Aucune date de clôture n'est définie.", "完了予定日が設定されていません。"),
 "reason_stage_missing": ("Reason.", "The stage could not be read.", "Die Phase war nicht lesbar.", "L'étape n'a pas pu être lue.", "フェーズを読み取れませんでした。"),
 "reason_probability_stage_mismatch": ("Reason; $1 and $2 percentages, $3 stage.", "Probability $1% is far from the $2% usual at $3.", "Wahrscheinlichkeit $1 % weicht stark von den üblichen $2 % in $3 ab.", "La probabilité de $1 % est loin des $2 % habituels à l'étape $3.", "確度 $1% は $3 で通常の $2% から大きく離れています。"),
 "reason_probability_missing": ("Reason.", "No probability is set.", "Keine Wahrscheinlichkeit gesetzt.", "Aucune probabilité n'est définie.", "確度が設定されていません。"),
 "reason_next_step_set": ("Reason.", "A next step is recorded.", "Ein nächster Schritt ist eingetragen.", "Une prochaine étape est notée.", "次のステップが記録されています。"),
 "reason_next_step_missing": ("Reason.", "No next step is recorded.", "Kein nächster Schritt eingetragen.", "Aucune prochaine étape n'est notée.", "次のステップが記録されていません。"),
 "reason_amount_not_positive": ("Reason.", "The amount is zero or negative.", "Der Betrag ist null oder negativ.", "Le montant est nul ou négatif.", "金額がゼロまたはマイナスです。"),
 "reason_amount_missing": ("Reason.", "No amount could be read.", "Kein Betrag lesbar.", "Aucun montant n'a pu être lu.", "金額を読み取れませんでした。"),
 "panel_heading": ("Side panel title.", "Deal health", "Deal-Gesundheit", "Santé de l'affaire", "商談の健全性"),
 "panel_deal_title": ("Heading when the deal's name is unknown.", "This opportunity", "Diese Opportunity", "Cette opportunité", "この商談"),
 "panel_local_heading": ("Tier 1 heading.", "On-device estimate", "Schätzung auf Ihrem Gerät", "Estimation sur votre appareil", "デバイス上の推定"),
 "panel_local_note": ("Tier 1 explanation.", "Computed from the fields on the page. Nothing is sent.", "Aus den Feldern der Seite berechnet. Nichts wird gesendet.", "Calculé à partir des champs de la page. Rien n'est envoyé.", "ページの項目から計算しています。何も送信されません。"),
 "panel_enriched_heading": ("Tier 2 heading.", "Customer City analysis", "Customer-City-Analyse", "Analyse Customer City", "Customer City の分析"),
 "panel_factors": ("Heading.", "Factors", "Faktoren", "Facteurs", "要素"),
 "panel_weight": ("Factor weight label; $1 a percentage.", "weight $1", "Gewicht $1", "poids $1", "重み $1"),
 "panel_blind_spots": ("Heading.", "Blind spots", "Blinde Flecken", "Angles morts", "見落とし"),
 "panel_no_blind_spots": ("No blind spots.", "No blind spots found.", "Keine blinden Flecken gefunden.", "Aucun angle mort trouvé.", "見落としは見つかりませんでした。"),
 "panel_recommendations": ("Heading.", "Recommendations", "Empfehlungen", "Recommandations", "推奨事項"),
 "panel_recommendation_label": ("Before a blind spot's recommendation.", "What to do:", "Was tun:", "Que faire :", "対応:"),
 "panel_ai_tag": ("Tag on AI-written text.", "AI", "KI", "IA", "AI"),
 "panel_ai_tag_label": ("Accessible text of the AI tag.", "Written by AI: check it before you use it", "Von KI geschrieben: vor Verwendung prüfen", "Rédigé par une IA : vérifiez avant utilisation", "AI が作成: 使用前に確認してください"),
 "panel_refresh": ("Button.", "Refresh", "Aktualisieren", "Actualiser", "更新"),
 "panel_retry": ("Button.", "Try again", "Erneut versuchen", "Réessayer", "再試行"),
 "panel_sign_in": ("Button.", "Sign in", "Anmelden", "Se connecter", "サインイン"),
 "panel_sign_out": ("Button.", "Sign out", "Abmelden", "Se déconnecter", "サインアウト"),
 "panel_clear": ("Button.", "Clear local data", "Lokale Daten löschen", "Effacer les données locales", "ローカルデータを消去"),
 "panel_cleared": ("After clearing.", "Local data cleared. You are signed out.", "Lokale Daten gelöscht. Sie sind abgemeldet.", "Données locales effacées. Vous êtes déconnecté.", "ローカルデータを消去しました。サインアウトしました。"),
 "panel_signed_in": ("Account status.", "Signed in to Customer City.", "Bei Customer City angemeldet.", "Connecté à Customer City.", "Customer City にサインインしています。"),
 "panel_signed_out": ("Account status.", "Signed out. The badge works on your device without an account.", "Abgemeldet. Das Badge funktioniert ohne Konto auf Ihrem Gerät.", "Déconnecté. Le badge fonctionne sur votre appareil sans compte.", "サインアウトしています。バッジはアカウントなしでデバイス上で動作します。"),
 "panel_sign_in_invitation": ("Signed-out invitation.", "Sign in for the full analysis: seven factors, blind spots and recommendations. Only the record Id is sent.", "Melden Sie sich für die vollständige Analyse an: sieben Faktoren, blinde Flecken und Empfehlungen. Nur die Datensatz-ID wird gesendet.", "Connectez-vous pour l'analyse complète : sept facteurs, angles morts et recommandations. Seul l'ID de l'enregistrement est envoyé.", "サインインすると、7 つの要素、見落とし、推奨事項を含む詳細な分析を表示します。送信されるのはレコード ID だけです。"),
 "panel_loading": ("Loading.", "Loading…", "Wird geladen…", "Chargement…", "読み込み中…"),
 "panel_reading_page": ("Waiting for the page.", "Reading the page…", "Seite wird gelesen…", "Lecture de la page…", "ページを読み取り中…"),
 "panel_no_analysis": ("No analysis for this record.", "No analysis is available for this opportunity.", "Für diese Opportunity ist keine Analyse verfügbar.", "Aucune analyse n'est disponible pour cette opportunité.", "この商談の分析はありません。"),
 "panel_stale": ("Offline or failing server; $1 why.", "Could not refresh: showing the last analysis. $1", "Aktualisierung fehlgeschlagen: letzte Analyse wird angezeigt. $1", "Actualisation impossible : dernière analyse affichée. $1", "更新できませんでした。前回の分析を表示しています。$1"),
 "panel_updated": ("Data age; $1 an age.", "Updated $1", "Aktualisiert $1", "Mise à jour $1", "更新 $1"),
 "panel_not_opportunity": ("Not on an opportunity.", "Open an Opportunity in Salesforce to see its health.", "Öffnen Sie eine Opportunity in Salesforce, um ihre Gesundheit zu sehen.", "Ouvrez une opportunité dans Salesforce pour voir sa santé.", "Salesforce で商談を開くと健全性を表示します。"),
 "panel_section_pipeline": ("Heading.", "My pipeline", "Meine Pipeline", "Mon pipeline", "マイパイプライン"),
 "panel_pipeline_signed_out": ("Pipeline signed out.", "Sign in to see your open deals, riskiest first.", "Melden Sie sich an, um Ihre offenen Deals zu sehen, die riskantesten zuerst.", "Connectez-vous pour voir vos affaires ouvertes, les plus risquées d'abord.", "サインインすると、オープンな商談をリスクの高い順に表示します。"),
 "panel_pipeline_open_salesforce": ("Pipeline outside Salesforce.", "Open Salesforce in this tab to see your pipeline.", "Öffnen Sie Salesforce in diesem Tab, um Ihre Pipeline zu sehen.", "Ouvrez Salesforce dans cet onglet pour voir votre pipeline.", "このタブで Salesforce を開くとパイプラインを表示します。"),
 "panel_pipeline_empty": ("No open deals.", "No open deals.", "Keine offenen Deals.", "Aucune affaire ouverte.", "オープンな商談はありません。"),
 "panel_top_blind_spot": ("$1 severity, $2 blind spot.", "$1: $2", "$1: $2", "$1 : $2", "$1: $2"),
 "panel_closes": ("$1 a date.", "Closes $1", "Abschluss $1", "Clôture $1", "完了予定 $1"),
 "panel_section_settings": ("Heading.", "Settings", "Einstellungen", "Paramètres", "設定"),
 "settings_analytics": ("Checkbox.", "Send anonymous usage statistics", "Anonyme Nutzungsstatistiken senden", "Envoyer des statistiques d'utilisation anonymes", "匿名の利用統計を送信する"),
 "settings_ai": ("Checkbox.", "Include AI-written recommendations", "KI-geschriebene Empfehlungen einbeziehen", "Inclure les recommandations rédigées par IA", "AI が作成した推奨事項を含める"),
 "settings_theme": ("Select label.", "Theme", "Design", "Thème", "テーマ"),
 "theme_system": ("Option.", "System", "System", "Système", "システム"),
 "theme_light": ("Option.", "Light", "Hell", "Clair", "ライト"),
 "theme_dark": ("Option.", "Dark", "Dunkel", "Sombre", "ダーク"),
 "settings_forced": ("A setting fixed by policy.", "Set by your administrator", "Von Ihrem Administrator festgelegt", "Défini par votre administrateur", "管理者が設定しています"),
 "settings_policy_api": ("$1 an origin.", "Your administrator set the API to $1.", "Ihr Administrator hat die API auf $1 festgelegt.", "Votre administrateur a défini l'API sur $1.", "管理者が API を $1 に設定しています。"),
 "settings_policy_sign_in_off": ("Settings note.", "Sign-in is turned off by your administrator.", "Die Anmeldung wurde von Ihrem Administrator deaktiviert.", "La connexion a été désactivée par votre administrateur.", "サインインは管理者によって無効にされています。"),
 "settings_policy_orgs": ("Settings note; $1 the My Domain names of the orgs, comma-separated.", "Your administrator turned Deal health on for these Salesforce orgs only: $1", "Ihr Administrator hat Deal Health nur für diese Salesforce-Orgs aktiviert: $1", "Votre administrateur n'a activé Deal Health que pour ces organisations Salesforce : $1", "管理者は次の Salesforce 組織でのみ Deal Health を有効にしています: $1"),
 "settings_policy_ignored": ("$1 the problem.", "A policy value was ignored: $1", "Ein Richtlinienwert wurde ignoriert: $1", "Une valeur de stratégie a été ignorée : $1", "ポリシーの値を無視しました: $1"),
 "panel_privacy": ("Footer.", "The badge is computed on your device. Signed in, only the record Id goes to Customer City.", "Das Badge wird auf Ihrem Gerät berechnet. Angemeldet geht nur die Datensatz-ID an Customer City.", "Le badge est calculé sur votre appareil. Connecté, seul l'ID de l'enregistrement va à Customer City.", "バッジはデバイス上で計算されます。サインイン中に Customer City へ送られるのはレコード ID だけです。"),
 "severity_high": ("Severity.", "High", "Hoch", "Élevée", "高"),
 "severity_medium": ("Severity.", "Medium", "Mittel", "Moyenne", "中"),
 "severity_low": ("Severity.", "Low", "Niedrig", "Faible", "低"),
 "evidence_contact": ("Blind-spot evidence; $1 a contact's name.", "Contact: $1", "Kontakt: $1", "Contact : $1", "担当者: $1"),
 "evidence_stage": ("Blind-spot evidence; $1 a stage name.", "Stage: $1", "Phase: $1", "Étape : $1", "フェーズ: $1"),
 "evidence_amount": ("Blind-spot evidence; $1 an amount with its currency.", "Amount: $1", "Betrag: $1", "Montant : $1", "金額: $1"),
 "evidence_in_stage_since": ("Blind-spot evidence; $1 a date.", "In this stage since $1", "In dieser Phase seit $1", "À cette étape depuis le $1", "$1 からこのフェーズ"),
 "evidence_days_in_stage_one": ("Blind-spot evidence; $1 a count (one).", "$1 day in this stage", "$1 Tag in dieser Phase", "$1 jour à cette étape", "このフェーズで $1 日"),
 "evidence_days_in_stage_other": ("Blind-spot evidence; $1 a count.", "$1 days in this stage", "$1 Tage in dieser Phase", "$1 jours à cette étape", "このフェーズで $1 日"),
 "evidence_last_reply": ("Blind-spot evidence; $1 a date or 'never'.", "Last reply: $1", "Letzte Antwort: $1", "Dernière réponse : $1", "最後の返信: $1"),
 "evidence_business_days_silent_one": ("Blind-spot evidence; $1 a count (one).", "$1 business day without a reply", "$1 Werktag ohne Antwort", "$1 jour ouvré sans réponse", "$1 営業日返信なし"),
 "evidence_business_days_silent_other": ("Blind-spot evidence; $1 a count.", "$1 business days without a reply", "$1 Werktage ohne Antwort", "$1 jours ouvrés sans réponse", "$1 営業日返信なし"),
 "evidence_last_two_way": ("Blind-spot evidence; $1 a date or 'never'.", "Last reply or meeting: $1", "Letzte Antwort oder letztes Meeting: $1", "Dernière réponse ou réunion : $1", "最後の返信または会議: $1"),
 "evidence_days_quiet_one": ("Blind-spot evidence; $1 a count (one).", "$1 day without a reply or meeting", "$1 Tag ohne Antwort oder Meeting", "$1 jour sans réponse ni réunion", "返信も会議もなく $1 日"),
 "evidence_days_quiet_other": ("Blind-spot evidence; $1 a count.", "$1 days without a reply or meeting", "$1 Tage ohne Antwort oder Meeting", "$1 jours sans réponse ni réunion", "返信も会議もなく $1 日"),
 "evidence_decision_makers_one": ("Blind-spot evidence; $1 a count (one).", "$1 decision maker among the contacts", "$1 Entscheider unter den Kontakten", "$1 décideur parmi les contacts", "担当者のうち意思決定者 $1 人"),
 "evidence_decision_makers_other": ("Blind-spot evidence; $1 a count.", "$1 decision makers among the contacts", "$1 Entscheider unter den Kontakten", "$1 décideurs parmi les contacts", "担当者のうち意思決定者 $1 人"),
 "evidence_engaged_contacts_one": ("Blind-spot evidence; $1 a count (one).", "$1 contact engaged", "$1 Kontakt aktiv beteiligt", "$1 contact impliqué", "関与している担当者 $1 人"),
 "evidence_engaged_contacts_other": ("Blind-spot evidence; $1 a count.", "$1 contacts engaged", "$1 Kontakte aktiv beteiligt", "$1 contacts impliqués", "関与している担当者 $1 人"),
 "evidence_contacts_on_deal_one": ("Blind-spot evidence; $1 a count (one).", "$1 contact on the deal", "$1 Kontakt am Deal", "$1 contact sur l'affaire", "商談の担当者 $1 人"),
 "evidence_contacts_on_deal_other": ("Blind-spot evidence; $1 a count.", "$1 contacts on the deal", "$1 Kontakte am Deal", "$1 contacts sur l'affaire", "商談の担当者 $1 人"),
 "evidence_close_date_pushes_one": ("Blind-spot evidence; $1 a count (one).", "Close date moved out $1 time in 90 days", "Abschlussdatum in 90 Tagen $1-mal verschoben", "Date de clôture repoussée $1 fois en 90 jours", "90 日間に完了予定日を $1 回延期"),
 "evidence_close_date_pushes_other": ("Blind-spot evidence; $1 a count.", "Close date moved out $1 times in 90 days", "Abschlussdatum in 90 Tagen $1-mal verschoben", "Date de clôture repoussée $1 fois en 90 jours", "90 日間に完了予定日を $1 回延期"),
 "evidence_close_date": ("Blind-spot evidence; $1 a date.", "Close date: $1", "Abschlussdatum: $1", "Date de clôture : $1", "完了予定日: $1"),
 "evidence_never": ("Stands for a date that never happened.", "never", "nie", "jamais", "なし"),
 "headline_device": ("What the headline score is, signed out.", "On-device estimate from 7 fields on this page", "Schätzung auf Ihrem Gerät aus 7 Feldern dieser Seite", "Estimation sur votre appareil à partir de 7 champs de cette page", "このページの 7 項目からデバイス上で推定"),
 "headline_analysis": ("What the headline score is, signed in.", "Customer City analysis from activity and contacts", "Customer-City-Analyse aus Aktivitäten und Kontakten", "Analyse Customer City à partir des activités et des contacts", "活動と担当者にもとづく Customer City の分析"),
 "headline_pending": ("Headline while the analysis loads.", "Customer City analysis on its way…", "Customer-City-Analyse wird geladen…", "Analyse Customer City en cours…", "Customer City の分析を読み込み中…"),
 "panel_local_note_signed_in": ("How the on-device estimate differs from the analysis.", "Read from the 7 fields on this page only, on your device; the analysis also weighs emails, meetings and contacts, so the two can differ. Nothing is sent for this estimate.", "Nur aus den 7 Feldern dieser Seite, auf Ihrem Gerät; die Analyse bezieht auch E-Mails, Meetings und Kontakte ein, daher können beide abweichen. Für diese Schätzung wird nichts gesendet.", "Lue uniquement dans les 7 champs de cette page, sur votre appareil ; l'analyse tient aussi compte des e-mails, réunions et contacts, les deux peuvent donc différer. Rien n'est envoyé pour cette estimation.", "このページの 7 項目だけからデバイス上で算出しています。分析はメール、会議、担当者も考慮するため、両者は異なることがあります。この推定のために送信されるものはありません。"),
 "panel_error_offline": ("No answer: offline or unreachable.", "You seem to be offline, or Customer City cannot be reached. Check your connection, then try again.", "Sie scheinen offline zu sein, oder Customer City ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.", "Vous semblez hors ligne, ou Customer City est injoignable. Vérifiez votre connexion, puis réessayez.", "オフラインか、Customer City に接続できません。接続を確認してから再試行してください。"),
 "panel_error_server": ("The service answered with an error.", "Customer City had a problem answering. Try again in a moment.", "Customer City konnte gerade nicht antworten. Versuchen Sie es gleich noch einmal.", "Customer City n'a pas pu répondre. Réessayez dans un instant.", "Customer City が正しく応答できませんでした。しばらくしてから再試行してください。"),
 "panel_error_busy": ("The service asked to wait.", "Customer City is busy. Try again in a minute.", "Customer City ist ausgelastet. Versuchen Sie es in einer Minute erneut.", "Customer City est occupé. Réessayez dans une minute.", "Customer City が混み合っています。1 分後に再試行してください。"),
 "panel_error_not_enabled": ("The org's admin has not enabled Tier 2.", "Your administrator has not turned on the Customer City analysis for your organisation.", "Ihr Administrator hat die Customer-City-Analyse für Ihre Organisation nicht aktiviert.", "Votre administrateur n'a pas activé l'analyse Customer City pour votre organisation.", "管理者が組織で Customer City の分析を有効にしていません。"),
 "panel_session_expired": ("Signed out because the session could not be renewed.", "Your Customer City session has ended. Sign in again to see the analysis.", "Ihre Customer-City-Sitzung ist abgelaufen. Melden Sie sich erneut an, um die Analyse zu sehen.", "Votre session Customer City a expiré. Reconnectez-vous pour voir l'analyse.", "Customer City のセッションが終了しました。分析を表示するには再度サインインしてください。"),
 "panel_sign_in_failed": ("$1 why the sign-in failed.", "Sign-in did not complete: $1 Try again.", "Die Anmeldung wurde nicht abgeschlossen: $1 Versuchen Sie es erneut.", "La connexion n'a pas abouti : $1 Réessayez.", "サインインが完了しませんでした: $1 もう一度お試しください。"),
 "sign_in_error_browser": ("Why sign-in failed.", "this browser cannot keep the sign-in away from web pages (Chrome 140 or later is needed).", "Dieser Browser kann die Anmeldung nicht vor Webseiten schützen (Chrome 140 oder neuer ist nötig).", "ce navigateur ne peut pas protéger la connexion des pages web (Chrome 140 ou ultérieur est requis).", "このブラウザーではサインイン情報を Web ページから保護できません（Chrome 140 以降が必要です）。"),
 "sign_in_error_cancelled": ("Why sign-in failed.", "you signed out while it was under way.", "Sie haben sich währenddessen abgemeldet.", "vous vous êtes déconnecté pendant ce temps.", "処理中にサインアウトしました。"),
 "sign_in_error_refused": ("Why sign-in failed.", "Customer City did not accept the sign-in.", "Customer City hat die Anmeldung nicht angenommen.", "Customer City n'a pas accepté la connexion.", "Customer City がサインインを受け付けませんでした。"),
 "panel_core_failed": ("The panel's core did not load.", "Deal health could not start: part of the extension did not load. Update or reinstall the extension, then open this panel again.", "Deal-Gesundheit konnte nicht starten: Ein Teil der Erweiterung wurde nicht geladen. Aktualisieren oder installieren Sie die Erweiterung neu und öffnen Sie diesen Bereich erneut.", "Santé de l'affaire n'a pas pu démarrer : une partie de l'extension ne s'est pas chargée. Mettez à jour ou réinstallez l'extension, puis rouvrez ce panneau.", "商談の健全性を開始できませんでした。拡張機能の一部が読み込まれていません。拡張機能を更新または再インストールしてから、このパネルを開き直してください。"),
 "badge_reload_after_update": ("Badge hover card after the extension was updated under an open page.", "Deal health was updated. Reload this page to use it.", "Deal-Gesundheit wurde aktualisiert. Laden Sie diese Seite neu, um sie zu verwenden.", "Santé de l'affaire a été mise à jour. Rechargez cette page pour l'utiliser.", "商談の健全性が更新されました。使用するにはこのページを再読み込みしてください。"),
 "badge_name_reload": ("Badge accessible name after an update.", "Deal health: reload the page to update", "Deal-Gesundheit: Seite neu laden, um zu aktualisieren", "Santé de l'affaire : rechargez la page pour mettre à jour", "商談の健全性: 更新するにはページを再読み込み"),
 "factor_activity_recency": ("Factor.", "Activity recency", "Aktualität der Aktivitäten", "Récence des activités", "活動の新しさ"),
 "factor_email_engagement": ("Factor.", "Email engagement", "E-Mail-Engagement", "Engagement par e-mail", "メールでの反応"),
 "factor_meeting_cadence": ("Factor.", "Meeting cadence", "Meeting-Rhythmus", "Rythme des réunions", "ミーティングの頻度"),
 "factor_multi_threading": ("Factor.", "Multi-threading", "Mehrere Kontakte", "Contacts multiples", "複数の窓口"),
 "factor_decision_maker_engagement": ("Factor.", "Decision-maker engagement", "Engagement der Entscheider", "Engagement des décideurs", "意思決定者の関与"),
 "factor_stage_velocity": ("Factor.", "Stage velocity", "Phasentempo", "Vitesse des étapes", "フェーズの進み具合"),
 "factor_close_date_integrity": ("Factor.", "Close date integrity", "Verlässlichkeit des Abschlussdatums", "Fiabilité de la date de clôture", "完了予定日の信頼性"),
 "spot_silent_champion": ("Blind spot.", "Silent champion", "Stiller Champion", "Champion silencieux", "沈黙したチャンピオン"),
 "spot_missing_economic_buyer": ("Blind spot.", "Missing economic buyer", "Fehlender wirtschaftlicher Entscheider", "Décideur économique absent", "予算決裁者の不在"),
 "spot_stuck_deal": ("Blind spot.", "Stuck deal", "Festgefahrener Deal", "Affaire bloquée", "停滞した商談"),
 "spot_single_threaded": ("Blind spot.", "Single-threaded", "Nur ein Kontakt", "Contact unique", "窓口が 1 人だけ"),
 "spot_going_dark": ("Blind spot.", "Going dark", "Funkstille", "Silence radio", "連絡途絶"),
 "spot_close_date_slipping": ("Blind spot.", "Close date slipping", "Abschlussdatum verschiebt sich", "Date de clôture qui glisse", "完了予定日の後ろ倒し"),
}

def render(lang):
    i = 1 + LANGS.index(lang)
    out = {}
    for key, row in M.items():
        out[key] = {"message": row[i], "description": row[0]}
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"

def main():
    check = "--check" in sys.argv
    stale = []
    for lang in LANGS:
        path = ROOT / "_locales" / lang / "messages.json"
        text = render(lang)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        sys.exit("out of date (run tests/tools/locales.py): " + ", ".join(stale))

if __name__ == "__main__":
    main()
