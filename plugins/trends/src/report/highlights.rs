//! The highlights, most important first: how revenue changed against an earlier period, the best
//! month, and the next-month estimate. The chat summary shows the first few from every generator,
//! so each is one short sentence.

use stocklens_plugin_sdk::{Note, NoteLevel};

use super::Context;
use crate::findings::{Estimate, Ranking, change};
use crate::lexicon;

/// A fall in revenue beyond this many percent is a warning; a rise beyond it, good news.
pub const NOTABLE_CHANGE_PERCENT: f64 = 20.0;

pub fn notes(cx: &Context<'_>) -> Vec<Note> {
    let (f, locale) = (cx.findings, cx.locale);
    let main = f.main;
    let mut notes = Vec::new();

    // The previous period when it is known, else a year earlier.
    let first_change = f.comparisons.iter().find_map(|comparison| {
        let earlier = comparison.totals.as_ref()?;
        let percent = change(
            comparison.current.revenue.get(main),
            earlier.revenue.get(main),
        )?;
        Some((comparison, percent))
    });
    if let Some((comparison, percent)) = first_change {
        let level = if percent < -NOTABLE_CHANGE_PERCENT {
            NoteLevel::Warning
        } else if percent > NOTABLE_CHANGE_PERCENT {
            NoteLevel::Good
        } else {
            NoteLevel::Info
        };
        let currency = cx.several_currencies().then(|| cx.main_code());
        let text = lexicon::change_highlight(
            locale,
            comparison.earlier,
            percent,
            &comparison.window,
            currency,
        );
        notes.push(Note::new(level, text));
    }

    if let Ranking::Ranked { best, .. } = &f.ranking {
        let text = lexicon::best_month(locale, best.month, &cx.main_amount(best.revenue));
        notes.push(Note::new(NoteLevel::Good, text));
    }

    if let Estimate::Made(guess) = &f.estimate {
        let text = lexicon::estimate_highlight(locale, guess, cx.main_code());
        notes.push(Note::new(NoteLevel::Info, text));
    }
    notes
}
