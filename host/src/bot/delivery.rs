//! The job queue's Telegram sink: the summary message and the HTML report as a document, sent
//! once per report however often the worker calls (see [`crate::jobs::delivery`]); and the
//! failure notice for an analysis that failed for good.
//!
//! Each message Telegram accepts is recorded (`telegram_deliveries`) before the next is sent,
//! so a repeated delivery sends only what is missing. A repeat that finds a part unrecorded
//! cannot know whether the first attempt's request reached Telegram (the worker may have died
//! mid-request): it sends the part again, saying the report may have arrived already. A
//! contributor who blocked the bot is marked inactive and the delivery counts as done: the
//! report waits in "My reports".

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{ChatAction, InlineKeyboardMarkup, InputFile, ParseMode};

use super::callback::{Action, MenuItem};
use super::handlers::{SummaryView, failure_text};
use super::lexicon::{Arg, Lexicon, lang_of};
use super::{SendError, Tg, call, html, words};
use crate::jobs::delivery::{Deliverable, Delivery, DeliveryError, DeliveryFuture, Failure};
use crate::report::model::Lang;
use crate::store::{DeliveredPart, Report, Store};

/// Findings the chat summary lists under its headline numbers: the head of the report's ranked
/// highlights (warnings first), the same ones the report page opens with.
const FINDINGS: usize = 3;

/// Sends reports and failure notices to contributors in Telegram.
pub struct TelegramDelivery {
    tg: Tg,
    store: Store,
    lexicon: Arc<Lexicon>,
    /// Names marketplaces by the parsers running now.
    engine: Arc<crate::catalog::Engine>,
}

impl std::fmt::Debug for TelegramDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramDelivery").finish_non_exhaustive()
    }
}

impl TelegramDelivery {
    pub fn new(
        tg: Tg,
        store: Store,
        lexicon: Arc<Lexicon>,
        engine: Arc<crate::catalog::Engine>,
    ) -> TelegramDelivery {
        TelegramDelivery {
            tg,
            store,
            lexicon,
            engine,
        }
    }

    fn name_of(&self, parser: &str) -> String {
        super::parser_names(&self.engine.registry())
            .iter()
            .find(|(id, _)| id == parser)
            .map_or_else(|| parser.to_owned(), |(_, name)| name.clone())
    }

    async fn lang(&self, user_id: i64) -> Result<Lang, DeliveryError> {
        let user = self.store.user(user_id).await?;
        Ok(lang_of(&user.language).unwrap_or(Lang::En))
    }

    async fn send_report(&self, item: &Deliverable<'_>) -> Result<(), DeliveryError> {
        let report = item.report;
        let chat = ChatId(item.telegram_id);
        let record = self
            .store
            .begin_telegram_delivery(report.id, item.telegram_id)
            .await?;
        if record.document_message_id.is_some() {
            return Ok(());
        }
        let lang = self.lang(item.user_id).await?;
        let parts = report_messages(&self.lexicon, lang, report, |p| self.name_of(p));
        // A repeat that finds a part unrecorded cannot tell whether it reached the contributor.
        let again = if record.attempts > 1 {
            format!(
                "\n\n<i>{}</i>",
                self.lexicon.get(lang, "report.maybe_again")
            )
        } else {
            String::new()
        };
        if record.summary_message_id.is_none() {
            let request = self
                .tg
                .send_message(chat, format!("{}{again}", parts.summary))
                .parse_mode(ParseMode::Html);
            let sent = match call(&self.tg, &self.store, chat, request).await {
                Ok(sent) => sent,
                Err(SendError::Blocked) => return Ok(()),
                Err(SendError::Telegram(err)) => {
                    return Err(DeliveryError::Telegram(err.to_string()));
                }
            };
            self.store
                .record_telegram_message(report.id, DeliveredPart::Summary, i64::from(sent.id.0))
                .await?;
        }
        let _ = call(
            &self.tg,
            &self.store,
            chat,
            self.tg.send_chat_action(chat, ChatAction::UploadDocument),
        )
        .await;
        let document =
            InputFile::memory(report.html.clone().into_bytes()).file_name(parts.file_name);
        let request = self
            .tg
            .send_document(chat, document)
            .caption(parts.caption)
            .parse_mode(ParseMode::Html)
            .reply_markup(after_report_keyboard(&self.lexicon, lang));
        let sent = match call(&self.tg, &self.store, chat, request).await {
            Ok(sent) => sent,
            Err(SendError::Blocked) => return Ok(()),
            Err(SendError::Telegram(err)) => return Err(DeliveryError::Telegram(err.to_string())),
        };
        self.store
            .record_telegram_message(report.id, DeliveredPart::Document, i64::from(sent.id.0))
            .await?;
        Ok(())
    }

    async fn send_failure(&self, failure: &Failure<'_>) -> Result<(), DeliveryError> {
        let lang = self.lang(failure.user_id).await?;
        let chat = ChatId(failure.telegram_id);
        let text = failure_text(&self.lexicon, lang, failure.kind, failure.reference);
        let keyboard = InlineKeyboardMarkup::new([[
            button(
                &self.lexicon,
                lang,
                "button.new_analysis",
                Action::Menu(MenuItem::Analytics),
            ),
            button(
                &self.lexicon,
                lang,
                "button.menu",
                Action::Menu(MenuItem::Home),
            ),
        ]]);
        let request = self
            .tg
            .send_message(chat, text)
            .parse_mode(ParseMode::Html)
            .reply_markup(keyboard);
        match call(&self.tg, &self.store, chat, request).await {
            Ok(_) | Err(SendError::Blocked) => Ok(()),
            Err(SendError::Telegram(err)) => Err(DeliveryError::Telegram(err.to_string())),
        }
    }
}

impl Delivery for TelegramDelivery {
    fn name(&self) -> &'static str {
        "telegram"
    }

    fn deliver<'a>(&'a self, item: &'a Deliverable<'a>) -> DeliveryFuture<'a> {
        Box::pin(self.send_report(item))
    }

    fn failed<'a>(&'a self, failure: &'a Failure<'a>) -> DeliveryFuture<'a> {
        Box::pin(self.send_failure(failure))
    }

    fn working(&self, telegram_id: i64) -> DeliveryFuture<'_> {
        Box::pin(async move {
            let chat = ChatId(telegram_id);
            let request = self.tg.send_chat_action(chat, ChatAction::Typing);
            let _ = call(&self.tg, &self.store, chat, request).await;
            Ok(())
        })
    }
}

fn button(
    lexicon: &Lexicon,
    lang: Lang,
    key: &str,
    action: Action,
) -> teloxide::types::InlineKeyboardButton {
    teloxide::types::InlineKeyboardButton::callback(lexicon.get(lang, key), action.to_string())
}

/// The buttons under a delivered report.
pub fn after_report_keyboard(lexicon: &Lexicon, lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            button(
                lexicon,
                lang,
                "button.my_reports",
                Action::Menu(MenuItem::Reports),
            ),
            button(
                lexicon,
                lang,
                "button.new_analysis",
                Action::Menu(MenuItem::Analytics),
            ),
        ],
        vec![button(
            lexicon,
            lang,
            "button.menu",
            Action::Menu(MenuItem::Home),
        )],
    ])
}

/// A report as Telegram messages.
#[derive(Debug)]
pub struct ReportMessages {
    pub summary: String,
    pub caption: String,
    pub file_name: String,
}

/// The summary message, the document's caption and file name of a stored report.
pub fn report_messages(
    lexicon: &Lexicon,
    lang: Lang,
    report: &Report,
    name_of: impl Fn(&str) -> String,
) -> ReportMessages {
    let t = |key: &str, args: &[(&str, Arg<'_>)]| lexicon.render(lang, key, args);
    let file_name = format!("stocklens-report-{}.html", report.analysis_id);
    let Some(view) = SummaryView::parse(&report.summary) else {
        let id = report.analysis_id.to_string();
        return ReportMessages {
            summary: t("misc.report_document", &[]),
            caption: t(
                "report.caption",
                &[
                    ("id", Arg::Text(&id)),
                    ("marketplace", Arg::Text("")),
                    ("period", Arg::Text("")),
                ],
            ),
            file_name,
        };
    };
    let mut names: Vec<String> = Vec::new();
    for file in &view.files {
        let name = name_of(&file.marketplace);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let marketplace = names.join(" + ");
    let period = view
        .period
        .as_ref()
        .map(|p| words::period(&p.from, &p.to, lang))
        .unwrap_or_default();
    let mut lines = vec![t(
        "report.title",
        &[
            ("marketplace", Arg::Text(&marketplace)),
            ("period", Arg::Text(&period)),
        ],
    )];
    let sales = words::count(i128::from(view.sales), lang);
    lines.push(t("report.sales", &[("sales", Arg::Text(&sales))]));
    let revenue: Vec<(String, i128)> = view
        .revenue
        .iter()
        .filter_map(|(currency, amount)| Some((currency.clone(), words::parse_micros(amount)?)))
        .collect();
    if !revenue.is_empty() {
        let text: Vec<String> = revenue
            .iter()
            .map(|(currency, micros)| words::money(*micros, currency, lang))
            .collect();
        lines.push(t(
            "report.revenue",
            &[("revenue", Arg::Text(&text.join(" + ")))],
        ));
    }
    if let [(currency, micros)] = revenue.as_slice()
        && view.sales > 0
    {
        let average = words::money(micros / i128::from(view.sales), currency, lang);
        lines.push(t("report.average", &[("average", Arg::Text(&average))]));
    }
    let assets = words::count(i128::from(view.assets), lang);
    lines.push(t("report.assets", &[("assets", Arg::Text(&assets))]));
    for highlight in view.highlights.iter().take(FINDINGS) {
        lines.push(format!("• {}", html::escape(highlight)));
    }
    let skipped: u64 = view.files.iter().map(|f| f.rows_skipped).sum();
    if skipped > 0 {
        let skipped = words::count(i128::from(skipped), lang);
        lines.push(t("report.skipped", &[("skipped", Arg::Text(&skipped))]));
    }
    let mut summary = lines.join("\n");
    if html::check(&summary, html::MAX_MESSAGE).is_err() {
        // Highlights are the analyzers' own words; without them it always fits.
        lines.retain(|line| !line.starts_with("• "));
        summary = lines.join("\n");
    }
    let id = report.analysis_id.to_string();
    let mut caption = t(
        "report.caption",
        &[
            ("id", Arg::Text(&id)),
            ("marketplace", Arg::Text(&marketplace)),
            ("period", Arg::Text(&period)),
        ],
    );
    if html::check(&caption, html::MAX_CAPTION).is_err() {
        caption = t(
            "report.caption",
            &[
                ("id", Arg::Text(&id)),
                ("marketplace", Arg::Text("")),
                ("period", Arg::Text("")),
            ],
        );
    }
    ReportMessages {
        summary,
        caption,
        file_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(summary: &str) -> Report {
        Report {
            id: 1,
            analysis_id: 42,
            html: "<html></html>".into(),
            summary: summary.into(),
            plugin_versions: "{}".into(),
            plugin_generation: None,
            token: "t".into(),
            created_at: 0,
            expires_at: None,
            delivered_at: None,
        }
    }

    #[test]
    fn the_summary_reads_well_and_is_valid_telegram_html() {
        let lexicon = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        let summary = r#"{"files":[{"marketplace":"adobe-stock","rows_skipped":2}],"sales":40,
            "revenue":{"USD":"220.14"},"assets":8,"period":{"from":"2025-07-01","to":"2025-09-29"},
            "highlights":["Best month: <August>"]}"#;
        let parts = report_messages(&lexicon, Lang::En, &report(summary), |_| {
            "Adobe Stock".into()
        });
        assert_eq!(html::check(&parts.summary, html::MAX_MESSAGE), Ok(()));
        assert!(
            parts.summary.contains("Sales: <b>40</b>"),
            "{}",
            parts.summary
        );
        assert!(parts.summary.contains("$220.14"), "{}", parts.summary);
        assert!(
            parts.summary.contains("Average price: <b>$5.50</b>"),
            "{}",
            parts.summary
        );
        assert!(
            parts.summary.contains("Jul\u{a0}2025 – Sep\u{a0}2025"),
            "{}",
            parts.summary
        );
        assert!(
            parts.summary.contains("&lt;August&gt;"),
            "{}",
            parts.summary
        );
        assert!(parts.summary.contains("2 rows"), "{}", parts.summary);
        assert!(parts.caption.contains("#42"), "{}", parts.caption);
        assert_eq!(html::check(&parts.caption, html::MAX_CAPTION), Ok(()));
        let ru = report_messages(&lexicon, Lang::Ru, &report(summary), |_| {
            "Adobe Stock".into()
        });
        assert!(ru.summary.contains("Продажи: <b>40</b>"), "{}", ru.summary);
        assert!(ru.summary.contains("220,14"), "{}", ru.summary);
    }

    #[test]
    fn the_summary_lists_the_three_first_findings_in_their_order() {
        let lexicon = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        // The summary's findings come ranked (warnings first) from the pipeline.
        let summary = r#"{"files":[{"marketplace":"adobe-stock"}],"sales":40,
            "revenue":{"USD":"220.14"},"assets":8,"period":null,
            "highlights":["One asset makes 40% of the revenue.","Revenue is up 83%.",
                "Best month: October 2025.","40 sales brought $220.14."]}"#;
        let parts = report_messages(&lexicon, Lang::En, &report(summary), |_| {
            "Adobe Stock".into()
        });
        let findings: Vec<&str> = parts
            .summary
            .lines()
            .filter_map(|line| line.strip_prefix("• "))
            .collect();
        assert_eq!(
            findings,
            [
                "One asset makes 40% of the revenue.",
                "Revenue is up 83%.",
                "Best month: October 2025."
            ]
        );
    }

    #[test]
    fn several_currencies_have_no_average() {
        let lexicon = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        let summary = r#"{"files":[{"marketplace":"adobe-stock"}],"sales":14,
            "revenue":{"EUR":"1.50","USD":"52.21"},"assets":8,"period":null}"#;
        let parts = report_messages(&lexicon, Lang::En, &report(summary), |_| {
            "Adobe Stock".into()
        });
        assert!(
            parts.summary.contains("€1.50 + $52.21"),
            "{}",
            parts.summary
        );
        assert!(!parts.summary.contains("Average"), "{}", parts.summary);
    }
}
