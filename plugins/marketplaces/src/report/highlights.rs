//! The highlights, most important first: which marketplace sells most and which earns most per
//! asset; how many works sell on several marketplaces; the strongest gap between them.

use std::cmp::Reverse;

use stocklens_plugin_sdk::{Note, NoteLevel};

use super::same_work::{self, Matching};
use super::{Context, revenue_per_asset};
use crate::lexicon;

pub fn notes(cx: &Context<'_>, matching: &Matching<'_>) -> Vec<Note> {
    let mut notes = Vec::new();
    notes.extend(leaders(cx));
    if matching.named.len() > 1 && !matching.works.is_empty() {
        notes.push(Note::new(
            if matching.on_several > 0 {
                NoteLevel::Good
            } else {
                NoteLevel::Info
            },
            lexicon::works_on_several(cx.locale, matching.on_several, matching.works.len()),
        ));
    }
    if let Some(opportunity) = matching.opportunities.first() {
        notes.push(Note::new(
            NoteLevel::Warning,
            same_work::sentence(cx, opportunity),
        ));
    }
    notes
}

/// The marketplace with the most sales against the one earning most per asset (in the main
/// currency), or one sentence when they are the same.
fn leaders(cx: &Context<'_>) -> Option<Note> {
    let main = cx.main;
    let most_sales = cx.marketplaces.iter().min_by_key(|m| {
        (
            Reverse(m.totals.units),
            Reverse(m.totals.revenue.get(main)),
            m.id,
        )
    })?;
    if most_sales.totals.units <= 0 {
        return None;
    }
    let (best, per_asset) = cx
        .marketplaces
        .iter()
        .filter_map(|m| Some((m, revenue_per_asset(m, main)?)))
        .min_by_key(|(m, per_asset)| (Reverse(*per_asset), m.id))?;
    if per_asset <= 0 {
        return None;
    }
    let text = if best.source == most_sales.source {
        lexicon::leads_both(
            cx.locale,
            &cx.name(best),
            best.totals.units,
            &cx.average(per_asset, main),
        )
    } else {
        let against = revenue_per_asset(most_sales, main).map(|micros| cx.average(micros, main));
        lexicon::leads_apart(
            cx.locale,
            &cx.name(most_sales),
            most_sales.totals.units,
            &cx.name(best),
            &cx.average(per_asset, main),
            against.as_deref(),
        )
    };
    Some(Note::new(NoteLevel::Info, text))
}
