//! Builds the trends report from [`Findings`]: three sections and the highlights.
//!
//! Every figure is a typed [`Value`]; the host formats it. Money never crosses currencies: tables
//! have a column per currency, each money chart shows one currency, and single-currency figures
//! (changes, best month, estimate) are in the main currency and say so when there are several.
//!
//! - `trends`: changes against earlier periods, best and worst months, the next-month estimate.
//! - `by_month`: revenue per currency and sales per month, as charts and a table.
//! - `by_week`: revenue and sales per ISO week and per weekday.
//! - `highlights`: the findings that lead the chat summary.

mod by_month;
mod by_week;
mod highlights;
mod trends;

use stocklens_plugin_sdk::{
    Block, CurrencyId, Locale, Note, NoteLevel, Report, Request, Section, Value, with_currency,
};

use crate::findings::{Findings, change};
use crate::lexicon::{self, Lexicon};
use crate::stats::Stats;

/// What every section builder needs.
pub struct Context<'a> {
    pub stats: &'a Stats,
    pub findings: &'a Findings,
    pub locale: Locale,
    pub text: &'static Lexicon,
}

impl Context<'_> {
    /// Whether the selection was paid in more than one currency, so labels must name theirs.
    pub fn several_currencies(&self) -> bool {
        self.findings.currencies.len() > 1
    }

    /// The code of `currency`.
    pub fn code(&self, currency: CurrencyId) -> &str {
        self.stats.code(currency)
    }

    /// The code of the main currency.
    pub fn main_code(&self) -> &str {
        self.code(self.findings.main)
    }

    /// `label` with `currency` where several currencies need telling apart.
    pub fn label(&self, label: &str, currency: CurrencyId) -> String {
        with_currency(label, self.code(currency), self.several_currencies())
    }

    /// A money value, exact; an error only if a sum no longer fits the WIT's `s64` micros.
    pub fn money(&self, micros: i128, currency: CurrencyId) -> Result<Value, String> {
        Value::money(micros, self.code(currency))
    }

    /// An amount of the main currency inside a sentence.
    pub fn main_amount(&self, micros: i128) -> String {
        self.locale.amount(micros, self.main_code())
    }
}

/// The whole report; for an empty selection, one section that says so.
pub fn build(stats: &Stats, request: &Request) -> Result<Report, String> {
    let locale = Locale::from_tag(&request.locale);
    let text = lexicon::texts(locale);
    let Some(findings) = Findings::new(stats, request) else {
        // The overview leads the chat summary with the same news, so no highlight repeats it.
        return Ok(Report {
            sections: vec![Section {
                id: "trends".into(),
                title: text.trends_title.into(),
                blocks: vec![Block::Note(Note::new(NoteLevel::Info, text.no_sales))],
            }],
            highlights: Vec::new(),
        });
    };
    let context = Context {
        stats,
        findings: &findings,
        locale,
        text,
    };
    Ok(Report {
        sections: vec![
            trends::section(&context)?,
            by_month::section(&context)?,
            by_week::section(&context)?,
        ],
        highlights: highlights::notes(&context),
    })
}

/// `current` against `previous` as a percentage value, empty where the previous figure is not
/// positive.
pub fn change_value(current: i128, previous: i128) -> Value {
    change(current, previous).map_or(Value::Empty, Value::Percent)
}

/// A note block.
pub fn note(level: NoteLevel, text: impl Into<String>) -> Block {
    Block::Note(Note::new(level, text))
}
