//! Builds the overview report from folded [`Stats`]: three sections and the highlights. Months
//! and weeks are the trends generator's.
//!
//! Every figure is a typed [`Value`]; the host formats them. Money never crosses currencies: each
//! table has a revenue column per currency, each money chart shows one currency.
//!
//! - `overview`: headline KPIs and notes.
//! - `top_assets`: the ten best assets by revenue (per currency) and by sales.
//! - `mix`: licenses and media types.
//! - `highlights`: the two or three findings that lead the chat summary.

mod highlights;
mod mix;
mod overview;
mod top_assets;

use stocklens_plugin_sdk::{Block, Note, NoteLevel, Report, Request, Section, Value};

use crate::lexicon::{Locale, Texts};
use crate::stats::{CurrencyId, Stats};

/// What every section builder needs.
pub struct Context<'a> {
    pub stats: &'a Stats,
    pub request: &'a Request,
    pub locale: Locale,
}

impl Context<'_> {
    /// Whether sales came in more than one currency, so labels must name theirs.
    pub fn several_currencies(&self) -> bool {
        self.stats.currencies().len() > 1
    }

    /// The code of `currency`.
    pub fn code(&self, currency: CurrencyId) -> &str {
        self.stats
            .currencies()
            .get(currency)
            .map_or("", String::as_str)
    }

    /// A money value, exact; an error only if a sum no longer fits the WIT's `s64` micros.
    pub fn money(&self, micros: i128, currency: CurrencyId) -> Result<Value, String> {
        Value::money(micros, self.code(currency))
    }
}

/// The whole report; for an empty selection, one section that says so.
pub fn build(stats: &Stats, request: &Request) -> Result<Report, String> {
    let locale = Locale::from_tag(&request.locale);
    let text = locale.lexicon();
    if stats.is_empty() {
        let note = Note::new(NoteLevel::Info, text.no_sales);
        let section = Section {
            id: "overview".into(),
            title: text.overview_title.into(),
            blocks: vec![Block::Note(note.clone())],
        };
        return Ok(Report {
            sections: vec![section],
            highlights: vec![note],
        });
    }
    let context = Context {
        stats,
        request,
        locale,
    };
    Ok(Report {
        sections: vec![
            overview::section(&context)?,
            top_assets::section(&context)?,
            mix::section(&context)?,
        ],
        highlights: highlights::notes(&context),
    })
}

/// `part` as a percentage of `whole`, or empty when the whole is not positive.
pub fn share(part: i128, whole: i128) -> Value {
    if whole > 0 {
        Value::Percent(part as f64 * 100.0 / whole as f64)
    } else {
        Value::Empty
    }
}
