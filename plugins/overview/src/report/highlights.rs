//! The highlights: what the selection earned, the best seller and, over several months, the best
//! month. The chat summary shows them first, so they are few and concrete.

use stocklens_plugin_sdk::{Note, NoteLevel};

use super::{Context, short_name, top_assets};
use crate::lexicon::{self, amount, amounts};

pub fn notes(cx: &Context<'_>) -> Vec<Note> {
    let stats = cx.stats;
    let locale = cx.locale;
    let main = stats.main_currency();
    let main_code = cx.code(main);
    let mut notes = Vec::new();

    let totals: Vec<(i128, &str)> = stats
        .currencies()
        .iter()
        .enumerate()
        .map(|(id, code)| (stats.all.revenue.get(id), code.as_str()))
        .collect();
    notes.push(Note::new(
        NoteLevel::Good,
        lexicon::earned(locale, stats.all.units, &amounts(locale, &totals)),
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
            &amounts(locale, &parts),
        );
        notes.push(Note::new(NoteLevel::Info, text));
    }

    let months = stats.months();
    let with_sales = months.iter().filter(|(_, mix)| mix.rows > 0).count();
    if with_sales > 1
        && let Some((month, mix)) = months
            .iter()
            .max_by_key(|(month, mix)| (mix.revenue.get(main), std::cmp::Reverse(*month)))
    {
        let text = locale.lexicon();
        let revenue = amount(locale, mix.revenue.get(main), main_code);
        notes.push(Note::new(
            NoteLevel::Good,
            lexicon::best_month(locale, &text.month_name(*month), &revenue, mix.units),
        ));
    }
    notes
}
