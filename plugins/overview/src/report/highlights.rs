//! The highlights: what the selection earned and the best seller. The chat summary shows them first, so they are few and concrete.

use stocklens_plugin_sdk::{Note, NoteLevel, short_name};

use super::{Context, top_assets};
use crate::lexicon;

pub fn notes(cx: &Context<'_>) -> Vec<Note> {
    let stats = cx.stats;
    let locale = cx.locale;
    let main_code = cx.code(stats.main_currency());
    let mut notes = Vec::new();

    let totals: Vec<(i128, &str)> = stats
        .currencies()
        .iter()
        .enumerate()
        .map(|(id, code)| (stats.all.revenue.get(id), code.as_str()))
        .collect();
    // Information, not good news: it repeats the headline numbers, so where highlights are ranked
    // (warnings, then good news, then information) other generators' findings come first.
    notes.push(Note::new(
        NoteLevel::Info,
        lexicon::earned(locale, stats.all.units, &locale.amounts(&totals)),
    ));

    if let Some(best) = top_assets::best_seller(cx) {
        let revenue = &best.asset.totals.revenue;
        let mut parts: Vec<(i128, &str)> = stats
            .currencies()
            .iter()
            .enumerate()
            .filter(|&(id, _)| revenue.get(id) != 0)
            .map(|(id, code)| (revenue.get(id), code.as_str()))
            .collect();
        if parts.is_empty() {
            parts.push((0, main_code));
        }
        let name = short_name(&top_assets::name(&best));
        let text = lexicon::best_seller(
            locale,
            &name,
            best.asset.totals.units,
            &locale.amounts(&parts),
        );
        notes.push(Note::new(NoteLevel::Info, text));
    }

    notes
}
