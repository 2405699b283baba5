//! Builds the concentration report from folded [`Stats`]: one section and the highlights.
//!
//! Every figure is a typed [`Value`]; the host formats it. Money and shares are in the main
//! currency only, and the section says so when sales came in several.
//!
//! - `concentration`: the section: KPIs, notes, the cumulative curve and the sales-count buckets.
//! - `highlights`: the findings that lead the chat summary.

mod concentration;
mod highlights;

use stocklens_plugin_sdk::{
    Block, Money, Note, NoteLevel, Report, Request, Section, Value, short_name,
};

use crate::lexicon::{Locale, Texts};
use crate::spread::{DOMINANT_PARTS, Spread};
use crate::stats::Stats;

/// The section's anchor, unique across the whole report.
pub const SECTION_ID: &str = "concentration";

/// What the section and the highlights are built from.
pub struct Context<'a> {
    pub spread: Spread<'a>,
    pub locale: Locale,
    /// The main currency's code.
    pub code: &'a str,
    /// Whether sales came in more than one currency, so labels must name theirs.
    pub several: bool,
}

impl Context<'_> {
    /// A money value in the main currency, or empty if the sum no longer fits the WIT's `s64`
    /// micros (nine trillion units, which no real export comes near): the shares beside it are
    /// still right, so one cell goes blank rather than the whole report failing.
    pub fn money(&self, micros: i128) -> Value {
        i64::try_from(micros).map_or(Value::Empty, |micros| {
            Value::Money(Money {
                micros,
                currency: self.code.to_owned(),
            })
        })
    }

    /// `part` of the revenue as a percentage, or `None` when shares mean nothing.
    pub fn revenue_share(&self, part: i128) -> Option<f64> {
        self.spread
            .has_shares()
            .then(|| part as f64 * 100.0 / self.spread.total() as f64)
    }

    /// `count` assets as a percentage of the assets sold.
    pub fn asset_share(&self, count: usize) -> f64 {
        match self.spread.assets() {
            0 => 0.0,
            n => count as f64 * 100.0 / n as f64,
        }
    }

    /// The warning about one asset making more than a quarter of the revenue, if it does.
    pub fn dominant_note(&self) -> Option<Note> {
        let (asset, revenue) = self.spread.dominant()?;
        let percent = self.revenue_share(revenue)?;
        let floor = 100.0 / DOMINANT_PARTS as f64;
        let text = crate::lexicon::dominant(
            self.locale,
            &short_name(asset.name()),
            &crate::lexicon::share_above(self.locale, percent, floor),
        );
        Some(Note::new(NoteLevel::Warning, text))
    }
}

/// The whole report; for an empty selection, the section says there are no sales.
pub fn build(stats: &Stats, request: &Request) -> Report {
    let locale = Locale::from_tag(&request.locale);
    let text = locale.lexicon();
    let Some(spread) = Spread::new(stats) else {
        // The overview already leads the summary with "no sales": no highlight here.
        return Report {
            sections: vec![Section {
                id: SECTION_ID.into(),
                title: text.title.into(),
                blocks: vec![Block::Note(Note::new(NoteLevel::Info, text.no_sales))],
            }],
            highlights: Vec::new(),
        };
    };
    let context = Context {
        code: stats.currencies().code(spread.currency),
        several: stats.currencies().len() > 1,
        spread,
        locale,
    };
    Report {
        sections: vec![concentration::section(&context)],
        highlights: highlights::notes(&context),
    }
}
