//! The analysis request a contributor is answering: its state (stored per chat as JSON in the
//! database, so a restarted bot carries on), the questions in order, and how each question's
//! message reads and which buttons it has. One message is edited in place as the questions go.

use serde::{Deserialize, Serialize};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::callback::{Action, Answer};
use super::lexicon::{Arg, Lexicon};
use super::words;
use crate::jobs::AnalysisRequest;
use crate::jobs::analysis::{LimitPer, UploadLimitAnswer};
use crate::report::model::Lang;

/// Version of the stored state; a state of another version is dropped, not misread.
const VERSION: u32 = 1;

/// Content types offered, in button order.
pub const CONTENT_TYPES: &[&str] = &["ai", "photo", "illustration", "video", "vector", "all"];

/// Months offered as period buttons, newest first.
const MONTH_BUTTONS: usize = 12;

/// One chat's open request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// The question message, edited in place.
    pub message_id: i32,
    /// The stored upload; discarded on cancel or expiry.
    pub upload_id: i64,
    pub file_name: String,
    /// What detection found; `None` while the contributor picks the marketplace of a file no
    /// parser recognised.
    pub found: Option<Found>,
    pub step: Step,
    #[serde(default)]
    pub answers: Answers,
}

/// What reading the file found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub parser: String,
    pub marketplace: String,
    pub sales: u64,
    /// `YYYY-MM-DD` of the first and last sale.
    pub first: Option<String>,
    pub last: Option<String>,
    /// Months with sales, ascending.
    pub months: Vec<(u16, u8)>,
}

/// The question being asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Marketplace,
    Content,
    Period,
    PortfolioSize,
    UploadLimit,
    UploadLimitCount,
    Uploads,
    Acceptance,
}

/// The answers so far; `None` is skipped or not yet asked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub content: Option<String>,
    pub period: Option<String>,
    pub portfolio_size: Option<u32>,
    pub limit_per: Option<String>,
    pub limit_count: Option<u32>,
    pub uploads: Option<u32>,
    pub acceptance: Option<f64>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    v: u32,
    flow: Flow,
}

/// Questions counted in "Question N of M" (the upload limit's count shares its number).
const STEPS: u32 = 6;

impl Step {
    fn number(self) -> u32 {
        match self {
            Step::Marketplace | Step::Content => 1,
            Step::Period => 2,
            Step::PortfolioSize => 3,
            Step::UploadLimit | Step::UploadLimitCount => 4,
            Step::Uploads => 5,
            Step::Acceptance => 6,
        }
    }

    /// Whether the question is answered by typing.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Step::PortfolioSize | Step::UploadLimitCount | Step::Uploads | Step::Acceptance
        )
    }

    fn key(self) -> &'static str {
        match self {
            Step::Marketplace => "file.choose_marketplace",
            Step::Content => "question.content",
            Step::Period => "question.period",
            Step::PortfolioSize => "question.portfolio_size",
            Step::UploadLimit => "question.upload_limit",
            Step::UploadLimitCount => "question.upload_limit_count",
            Step::Uploads => "question.uploads",
            Step::Acceptance => "question.acceptance",
        }
    }
}

impl Flow {
    /// The state as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Stored {
            v: VERSION,
            flow: self.clone(),
        })
        .unwrap_or_default()
    }

    /// A stored state, if it is one this version reads.
    pub fn from_json(text: &str) -> Option<Flow> {
        serde_json::from_str::<Stored>(text)
            .ok()
            .filter(|stored| stored.v == VERSION)
            .map(|stored| stored.flow)
    }

    /// The question after the current one is answered (or skipped); `None` when all are.
    pub fn next_step(&self) -> Option<Step> {
        match self.step {
            Step::Marketplace => Some(Step::Content),
            Step::Content => Some(Step::Period),
            Step::Period => Some(Step::PortfolioSize),
            Step::PortfolioSize => Some(Step::UploadLimit),
            Step::UploadLimit if self.answers.limit_per.is_some() => Some(Step::UploadLimitCount),
            Step::UploadLimit | Step::UploadLimitCount => Some(Step::Uploads),
            Step::Uploads => Some(Step::Acceptance),
            Step::Acceptance => None,
        }
    }

    /// The request the answers make.
    pub fn request(&self, lang: Lang) -> AnalysisRequest {
        let answers = &self.answers;
        let content = answers.content.clone().unwrap_or_else(|| "all".into());
        AnalysisRequest {
            period: answers.period.clone().unwrap_or_else(|| "all".into()),
            content_type: content.clone(),
            lang: lang.tag().into(),
            marketplace: self.found.as_ref().map(|f| f.parser.clone()),
            main_content: Some(content).filter(|c| c != "all"),
            portfolio_size: answers.portfolio_size,
            upload_limit: match (answers.limit_per.as_deref(), answers.limit_count) {
                (Some(per), Some(count)) => Some(UploadLimitAnswer {
                    count,
                    per: if per == "week" {
                        LimitPer::Week
                    } else {
                        LimitPer::Month
                    },
                }),
                _ => None,
            },
            uploads_in_period: answers.uploads,
            acceptance_rate: answers.acceptance,
        }
    }

    /// The question message: what was found, the answers so far, an optional hint, and the
    /// question with its buttons.
    pub fn render(
        &self,
        lexicon: &Lexicon,
        lang: Lang,
        parsers: &[(String, String)],
        hint: Option<&str>,
    ) -> (String, InlineKeyboardMarkup) {
        let mut lines = Vec::new();
        let marketplace = self
            .found
            .as_ref()
            .map_or("?", |found| found.marketplace.as_str());
        lines.push(lexicon.render(
            lang,
            "question.recap",
            &[
                ("file", Arg::Text(&self.file_name)),
                ("marketplace", Arg::Text(marketplace)),
            ],
        ));
        if let Some(found) = &self.found {
            lines.push(found_line(lexicon, lang, found));
        }
        for (key, answer) in self.answered(lexicon, lang) {
            let label = lexicon.get(lang, key);
            lines.push(lexicon.render(
                lang,
                "question.answer_line",
                &[
                    ("question", Arg::Html(&label)),
                    ("answer", Arg::Text(&answer)),
                ],
            ));
        }
        lines.push(String::new());
        if let Some(hint) = hint {
            lines.push(format!("⚠️ {hint}"));
        }
        if self.step != Step::Marketplace {
            let step = self.step.number().to_string();
            let steps = STEPS.to_string();
            let counter = lexicon.render(
                lang,
                "question.step",
                &[("step", Arg::Text(&step)), ("steps", Arg::Text(&steps))],
            );
            lines.push(format!("<i>{counter}</i>"));
        }
        let per = match self.answers.limit_per.as_deref() {
            Some("week") => lexicon.get(lang, "question.per_week"),
            _ => lexicon.get(lang, "question.per_month"),
        };
        let question = lexicon.render(lang, self.step.key(), &[("per", Arg::Html(&per))]);
        lines.push(format!("<b>{question}</b>"));
        (lines.join("\n"), self.keyboard(lexicon, lang, parsers))
    }

    /// (question key, answer as shown) for every question answered so far.
    fn answered(&self, lexicon: &Lexicon, lang: Lang) -> Vec<(&'static str, String)> {
        let a = &self.answers;
        let mut out = Vec::new();
        if let Some(content) = &a.content {
            out.push((
                "answer.content",
                lexicon.get(lang, &format!("content.{content}")),
            ));
        }
        if let Some(period) = &a.period {
            out.push(("answer.period", period_label(lexicon, lang, period)));
        }
        if let Some(size) = a.portfolio_size {
            out.push((
                "answer.portfolio_size",
                words::count(i128::from(size), lang),
            ));
        }
        if let (Some(per), Some(count)) = (&a.limit_per, a.limit_count) {
            let per = lexicon.get(lang, &format!("question.per_{per}"));
            out.push((
                "answer.upload_limit",
                format!("{} {per}", words::count(i128::from(count), lang)),
            ));
        }
        if let Some(uploads) = a.uploads {
            out.push(("answer.uploads", words::count(i128::from(uploads), lang)));
        }
        if let Some(rate) = a.acceptance {
            out.push(("answer.acceptance", format!("{rate}%")));
        }
        out
    }

    fn keyboard(
        &self,
        lexicon: &Lexicon,
        lang: Lang,
        parsers: &[(String, String)],
    ) -> InlineKeyboardMarkup {
        let button =
            |text: String, action: Action| InlineKeyboardButton::callback(text, action.to_string());
        let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
        match self.step {
            Step::Marketplace => {
                for (id, name) in parsers {
                    rows.push(vec![button(
                        name.clone(),
                        Action::Answer(Answer::Marketplace(id.clone())),
                    )]);
                }
            }
            Step::Content => {
                for pair in CONTENT_TYPES.chunks(2) {
                    rows.push(
                        pair.iter()
                            .map(|kind| {
                                button(
                                    lexicon.get(lang, &format!("content.{kind}")),
                                    Action::Answer(Answer::Content((*kind).to_owned())),
                                )
                            })
                            .collect(),
                    );
                }
                if let Some(found) = &self.found {
                    rows.push(vec![button(
                        lexicon.render(
                            lang,
                            "button.other_marketplace",
                            &[("marketplace", Arg::Text(&found.marketplace))],
                        ),
                        Action::Answer(Answer::OtherMarketplace),
                    )]);
                }
            }
            Step::Period => {
                let months = self.found.as_ref().map_or(&[][..], |f| &f.months[..]);
                let newest: Vec<&(u16, u8)> = months.iter().rev().take(MONTH_BUTTONS).collect();
                for chunk in newest.chunks(3) {
                    rows.push(
                        chunk
                            .iter()
                            .map(|&&(year, month)| {
                                button(
                                    words::month(year, month, lang),
                                    Action::Answer(Answer::Period(format!("{year:04}-{month:02}"))),
                                )
                            })
                            .collect(),
                    );
                }
                rows.push(vec![button(
                    lexicon.get(lang, "button.whole_file"),
                    Action::Answer(Answer::Period("all".into())),
                )]);
                let mut recent = Vec::new();
                for (months_back, key) in [(3, "button.last_3"), (12, "button.last_12")] {
                    if let Some(period) = last_months(months, months_back) {
                        recent.push(button(
                            lexicon.get(lang, key),
                            Action::Answer(Answer::Period(period)),
                        ));
                    }
                }
                if !recent.is_empty() {
                    rows.push(recent);
                }
            }
            Step::UploadLimit => {
                rows.push(vec![
                    button(
                        lexicon.get(lang, "button.per_week"),
                        Action::Answer(Answer::LimitPer("week".into())),
                    ),
                    button(
                        lexicon.get(lang, "button.per_month"),
                        Action::Answer(Answer::LimitPer("month".into())),
                    ),
                ]);
            }
            Step::PortfolioSize | Step::UploadLimitCount | Step::Uploads | Step::Acceptance => {}
        }
        let mut last = Vec::new();
        if !matches!(self.step, Step::Marketplace | Step::Content | Step::Period) {
            last.push(button(lexicon.get(lang, "button.skip"), Action::Skip));
        }
        last.push(button(lexicon.get(lang, "button.cancel"), Action::Cancel));
        rows.push(last);
        InlineKeyboardMarkup::new(rows)
    }
}

/// "Adobe Stock export: 1,234 sales, July 2025."
pub fn found_line(lexicon: &Lexicon, lang: Lang, found: &Found) -> String {
    match (&found.first, &found.last) {
        (Some(first), Some(last)) if found.sales > 0 => {
            let sales = words::count(i128::from(found.sales), lang);
            let period = words::period(first, last, lang);
            lexicon.render(
                lang,
                "file.found",
                &[
                    ("marketplace", Arg::Text(&found.marketplace)),
                    ("sales", Arg::Text(&sales)),
                    ("period", Arg::Text(&period)),
                ],
            )
        }
        _ => lexicon.render(
            lang,
            "file.found_no_sales",
            &[("marketplace", Arg::Text(&found.marketplace))],
        ),
    }
}

/// A period answer as a contributor reads it.
pub fn period_label(lexicon: &Lexicon, lang: Lang, period: &str) -> String {
    let month = |text: &str| {
        let (year, month) = text.split_once('-')?;
        Some(words::month(year.parse().ok()?, month.parse().ok()?, lang))
    };
    if period == "all" {
        return lexicon.get(lang, "period.whole_file");
    }
    if let Some((from, to)) = period.split_once("..") {
        if let (Some(from), Some(to)) = (month(from), month(to)) {
            return format!("{from} – {to}");
        }
    } else if let Some(label) = month(period) {
        return label;
    }
    period.to_owned()
}

/// The period of the last `n` calendar months of the file, if the file spans more than that.
fn last_months(months: &[(u16, u8)], n: u32) -> Option<String> {
    let (&(first_year, first_month), &(last_year, last_month)) = (months.first()?, months.last()?);
    let index = |year: u16, month: u8| u32::from(year) * 12 + u32::from(month) - 1;
    let last = index(last_year, last_month);
    let span = last - index(first_year, first_month) + 1;
    if span <= n {
        return None;
    }
    let start = last + 1 - n;
    Some(format!(
        "{:04}-{:02}..{last_year:04}-{last_month:02}",
        start / 12,
        start % 12 + 1
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::html;

    fn flow(step: Step) -> Flow {
        Flow {
            message_id: 7,
            upload_id: 3,
            file_name: "a<b>.csv".into(),
            found: Some(Found {
                parser: "adobe-stock".into(),
                marketplace: "Adobe Stock".into(),
                sales: 1234,
                first: Some("2024-11-02".into()),
                last: Some("2025-07-30".into()),
                months: vec![(2024, 11), (2025, 1), (2025, 7)],
            }),
            step,
            answers: Answers::default(),
        }
    }

    #[test]
    fn state_round_trips_and_other_versions_are_dropped() {
        let flow = flow(Step::Period);
        assert_eq!(Flow::from_json(&flow.to_json()), Some(flow.clone()));
        let other = flow.to_json().replace("\"v\":1", "\"v\":0");
        assert_eq!(Flow::from_json(&other), None);
        assert_eq!(Flow::from_json("garbage"), None);
    }

    #[test]
    fn recent_periods_count_calendar_months_back_from_the_last() {
        let months = [(2024, 11), (2025, 1), (2025, 7)];
        assert_eq!(last_months(&months, 3).as_deref(), Some("2025-05..2025-07"));
        assert_eq!(last_months(&months, 12), None);
        assert_eq!(last_months(&[(2025, 1), (2025, 12)], 12), None);
        assert_eq!(
            last_months(&[(2024, 1), (2025, 2)], 12).as_deref(),
            Some("2024-03..2025-02")
        );
    }

    #[test]
    fn every_question_is_valid_telegram_html_with_valid_buttons() {
        let lexicon = Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"));
        let parsers = vec![("generic".to_owned(), "Other (generic table)".to_owned())];
        let steps = [
            Step::Marketplace,
            Step::Content,
            Step::Period,
            Step::PortfolioSize,
            Step::UploadLimit,
            Step::UploadLimitCount,
            Step::Uploads,
            Step::Acceptance,
        ];
        for lang in [Lang::En, Lang::Ru] {
            for step in steps {
                let mut flow = flow(step);
                flow.answers = Answers {
                    content: Some("ai".into()),
                    period: Some("2025-05..2025-07".into()),
                    portfolio_size: Some(1250),
                    limit_per: Some("week".into()),
                    limit_count: Some(500),
                    uploads: Some(40),
                    acceptance: Some(72.5),
                };
                let (text, keyboard) = flow.render(&lexicon, lang, &parsers, Some("hint &lt;"));
                assert_eq!(html::check(&text, html::MAX_MESSAGE), Ok(()), "{text}");
                assert!(text.contains("a&lt;b&gt;.csv"), "{text}");
                for button in keyboard.inline_keyboard.iter().flatten() {
                    assert!(!button.text.is_empty());
                    if let teloxide::types::InlineKeyboardButtonKind::CallbackData(data) =
                        &button.kind
                    {
                        assert!(data.len() <= html::MAX_CALLBACK_DATA, "{data}");
                        assert!(data.parse::<Action>().is_ok(), "{data}");
                    }
                }
            }
        }
    }

    #[test]
    fn answers_make_the_request() {
        let mut flow = flow(Step::Acceptance);
        flow.answers = Answers {
            content: Some("photo".into()),
            period: Some("2025-07".into()),
            portfolio_size: Some(10),
            limit_per: Some("month".into()),
            limit_count: Some(300),
            uploads: None,
            acceptance: Some(65.0),
        };
        let request = flow.request(Lang::Ru);
        assert_eq!(request.period, "2025-07");
        assert_eq!(request.content_type, "photo");
        assert_eq!(request.lang, "ru");
        assert_eq!(request.marketplace.as_deref(), Some("adobe-stock"));
        assert_eq!(request.portfolio_size, Some(10));
        assert_eq!(request.acceptance_rate, Some(65.0));
        assert!(request.check().is_ok());
    }
}
