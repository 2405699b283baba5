//! Builds the portfolio-health report from the computed [`Indicators`]: one section and the
//! highlights.
//!
//! Every figure is a typed [`Value`]; the host formats them. Revenue shares are per currency,
//! never across currencies.
//!
//! - `health`: the KPIs, the indicators table and the notes (missing facts, contradictions,
//!   how new work and the limit were read).
//! - `bands_table`: the reference table of every band, with the boundary rule.
//! - `highlights`: the weakest indicator's advice, the share of the portfolio sold, the share of
//!   sales from new works.

mod bands_table;
mod health;
mod highlights;

use stocklens_plugin_sdk::{Block, Locale, Note, NoteLevel, Report, Request, Section, Value};

use crate::bands::{Indicator, WEAK};
use crate::indicators::Indicators;
use crate::lexicon::{Lexicon, lexicon};
use crate::stats::Stats;

/// The one section's anchor.
pub const SECTION_ID: &str = "portfolio-health";

/// What every part of the report needs.
pub struct Context<'a> {
    pub stats: &'a Stats,
    pub indicators: &'a Indicators,
    pub locale: Locale,
    pub text: &'static Lexicon,
}

impl Context<'_> {
    /// Whether selected sales came in more than one currency, so labels must name theirs.
    pub fn several_currencies(&self) -> bool {
        self.stats.currencies.len() > 1
    }

    /// A table row: the indicator's name, its value and, where it is banded, the band's name and
    /// advice.
    pub fn row(&self, name: &str, value: Value, banded: Option<(Indicator, f64)>) -> Vec<Value> {
        let (band, advice) = match banded {
            Some((indicator, percent)) => {
                let band = indicator.band(percent);
                (
                    Value::Text(self.text.band_name(indicator, band).into()),
                    Value::Text(self.text.advice(indicator, band, self.indicators.ai).into()),
                )
            }
            None => (Value::Empty, Value::Empty),
        };
        vec![Value::Text(name.into()), value, band, advice]
    }
}

/// How a band reads as a note: weak bands warn, strong ones are good news.
pub fn level(indicator: Indicator, band: usize) -> NoteLevel {
    match indicator.strength(band) {
        s if s <= WEAK => NoteLevel::Warning,
        2 => NoteLevel::Info,
        _ => NoteLevel::Good,
    }
}

/// The whole report.
pub fn build(stats: &Stats, request: &Request) -> Result<Report, String> {
    let locale = Locale::from_tag(&request.locale);
    let indicators = Indicators::compute(stats, request);
    let cx = Context {
        stats,
        indicators: &indicators,
        locale,
        text: lexicon(locale),
    };
    let mut blocks = Vec::new();
    if stats.is_empty() {
        blocks.push(Block::Note(Note::new(NoteLevel::Info, cx.text.no_sales)));
    }
    blocks.extend(health::blocks(&cx));
    blocks.extend(bands_table::blocks(&cx));
    Ok(Report {
        sections: vec![Section {
            id: SECTION_ID.into(),
            title: cx.text.title.into(),
            blocks,
        }],
        highlights: highlights::notes(&cx),
    })
}
