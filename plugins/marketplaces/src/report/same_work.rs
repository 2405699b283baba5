//! The same work on several marketplaces, matched by its normalised file name: how many works
//! sell on more than one, the best works with their sales on each, and the best sellers of one
//! marketplace that never sold on another (the most concrete advice this report can give: upload
//! them there). Marketplaces whose sales carry no file names take no part, and the notes say so.

use std::cmp::Reverse;

use stocklens_plugin_sdk::{Block, Kpi, Note, NoteLevel, Table, Value};

use super::{Context, short_name};
use crate::lexicon::{self, Gap, with_currency};
use crate::stats::Work;
use crate::work_key::MIN_KEY_CHARS;

/// Works in the table: enough to see the pattern, few enough to read on a phone.
pub const TOP_WORKS: usize = 20;

/// A marketplace's best sellers checked against the others: a contributor's top twenty is what
/// they know and can act on; beyond it a missing sale is more likely chance than a missing upload.
pub const BEST_SELLERS: usize = 20;

/// Works named in one sentence.
pub const EXAMPLES: usize = 3;

/// Gap notes in the section, strongest first: one per pair of marketplaces would be a wall.
pub const MAX_GAP_NOTES: usize = 3;

/// Best sellers of one marketplace (`on`, an index into `Context::marketplaces`) that never sold
/// on another (`missing_on`).
pub struct Opportunity<'a> {
    pub on: usize,
    pub missing_on: usize,
    pub best_sellers: usize,
    /// The missing works' names, best first.
    pub missing: Vec<&'a str>,
    /// Their units on `on`: what breaks ties between equally many missing works.
    pub missing_units: i64,
}

/// The matching, computed once for the section and the highlights.
pub struct Matching<'a> {
    /// Works with selected sales, in order of first appearance.
    pub works: Vec<Work<'a>>,
    /// Indices into `works` of the [`TOP_WORKS`] best by total revenue in the main currency,
    /// then total units, best first.
    pub top: Vec<usize>,
    /// Indices into `Context::marketplaces` of those whose sales carry usable file names.
    pub named: Vec<usize>,
    /// Works sold on two marketplaces or more.
    pub on_several: usize,
    /// Strongest first.
    pub opportunities: Vec<Opportunity<'a>>,
}

impl<'a> Matching<'a> {
    pub fn new(cx: &Context<'a>) -> Matching<'a> {
        let main = cx.main;
        let works = cx.stats.works();
        let ranked = works
            .iter()
            .enumerate()
            .map(|(index, work)| {
                let total = work.total();
                (
                    Reverse(total.revenue.get(main)),
                    Reverse(total.units),
                    work.name,
                    index,
                )
            })
            .collect();
        let top = first(ranked, TOP_WORKS)
            .into_iter()
            .map(|(_, _, _, index)| index)
            .collect();
        let named: Vec<usize> = (0..cx.marketplaces.len())
            .filter(|&i| cx.marketplaces[i].named_assets > 0)
            .collect();
        let on_several = works.iter().filter(|w| w.marketplace_count() > 1).count();
        let opportunities = if named.len() > 1 {
            opportunities(cx, &works, &named)
        } else {
            Vec::new()
        };
        Matching {
            works,
            top,
            named,
            on_several,
            opportunities,
        }
    }
}

/// The `k` smallest of `items`, sorted: a selection and a sort of `k`, where sorting everything
/// would cost `n log n` string comparisons for a table of twenty rows. The order must be total
/// (end the tuple with an index) for the result to be the same on every run.
fn first<T: Ord>(mut items: Vec<T>, k: usize) -> Vec<T> {
    if k == 0 {
        return Vec::new();
    }
    if items.len() > k {
        items.select_nth_unstable(k - 1);
        items.truncate(k);
    }
    items.sort_unstable();
    items
}

/// For every ordered pair of named marketplaces, the first one's best sellers that never sold on
/// the second; strongest first.
fn opportunities<'a>(
    cx: &Context<'_>,
    works: &[Work<'a>],
    named: &[usize],
) -> Vec<Opportunity<'a>> {
    let main = cx.main;
    let mut found = Vec::new();
    for &on in named {
        let source = cx.marketplaces[on].source;
        let candidates = works
            .iter()
            .enumerate()
            .filter_map(|(index, work)| {
                let cell = work.on(source)?;
                (cell.selected.units > 0).then(|| {
                    (
                        Reverse(cell.selected.units),
                        Reverse(cell.selected.revenue.get(main)),
                        work.name,
                        index,
                    )
                })
            })
            .collect();
        let best = first(candidates, BEST_SELLERS);
        for &missing_on in named.iter().filter(|&&other| other != on) {
            let other = cx.marketplaces[missing_on].source;
            let missing: Vec<&(Reverse<i64>, Reverse<i128>, &str, usize)> = best
                .iter()
                .filter(|(_, _, _, index)| !works[*index].ever_sold_on(other))
                .collect();
            if missing.is_empty() {
                continue;
            }
            found.push(Opportunity {
                on,
                missing_on,
                best_sellers: best.len(),
                missing_units: missing.iter().map(|(Reverse(units), ..)| units).sum(),
                missing: missing.iter().map(|(_, _, name, _)| *name).collect(),
            });
        }
    }
    found.sort_by_key(|o| {
        (
            Reverse(o.missing.len()),
            Reverse(o.missing_units),
            o.on,
            o.missing_on,
        )
    });
    found
}

/// One opportunity as a sentence.
pub fn sentence(cx: &Context<'_>, opportunity: &Opportunity<'_>) -> String {
    let on = &cx.marketplaces[opportunity.on];
    let missing_on = &cx.marketplaces[opportunity.missing_on];
    let examples: Vec<String> = opportunity
        .missing
        .iter()
        .take(EXAMPLES)
        .map(|name| short_name(name))
        .collect();
    let examples: Vec<&str> = examples.iter().map(String::as_str).collect();
    lexicon::gap(
        cx.locale,
        &Gap {
            on: &cx.name(on),
            missing_on: &cx.name(missing_on),
            missing: opportunity.missing.len(),
            best_sellers: opportunity.best_sellers,
            examples: &examples,
            never: missing_on.has_history,
        },
    )
}

pub fn blocks(cx: &Context<'_>, matching: &Matching<'_>) -> Result<Vec<Block>, String> {
    let locale = cx.locale;
    let ignored: usize = cx.marketplaces.iter().map(|m| m.ignored_names).sum();
    let ignored_note = (ignored > 0).then(|| {
        Block::Note(Note::new(
            NoteLevel::Info,
            lexicon::ignored_names(locale, ignored, MIN_KEY_CHARS),
        ))
    });
    let mut blocks = Vec::new();
    match matching.named[..] {
        [] => {
            if ignored_note.is_none() {
                blocks.push(Block::Note(Note::new(
                    NoteLevel::Info,
                    cx.text.no_file_names,
                )));
            }
            blocks.extend(ignored_note);
            return Ok(blocks);
        }
        [only] => {
            blocks.push(Block::Note(Note::new(
                NoteLevel::Info,
                lexicon::only_one_named(locale, &cx.name(&cx.marketplaces[only])),
            )));
            blocks.extend(ignored_note);
            return Ok(blocks);
        }
        _ => {}
    }

    let text = cx.text;
    blocks.push(Block::Kpis(vec![
        Kpi {
            label: text.works_identified.into(),
            value: Value::Integer(count(matching.works.len())),
            note: None,
        },
        Kpi {
            label: text.works_on_several.into(),
            value: Value::Integer(count(matching.on_several)),
            note: None,
        },
    ]));
    blocks.push(Block::Table(table(cx, matching)?));
    if cx.several_currencies() {
        blocks.push(Block::Note(Note::new(
            NoteLevel::Info,
            lexicon::ranked_in(locale, cx.main_code()),
        )));
    }
    blocks.push(Block::Note(Note::new(
        if matching.on_several > 0 {
            NoteLevel::Good
        } else {
            NoteLevel::Info
        },
        lexicon::works_on_several(locale, matching.on_several, matching.works.len()),
    )));
    for opportunity in matching.opportunities.iter().take(MAX_GAP_NOTES) {
        blocks.push(Block::Note(Note::new(
            NoteLevel::Warning,
            sentence(cx, opportunity),
        )));
    }
    let unnamed: Vec<String> = cx
        .marketplaces
        .iter()
        .filter(|m| m.named_assets == 0)
        .map(|m| cx.name(m))
        .collect();
    if !unnamed.is_empty() {
        blocks.push(Block::Note(Note::new(
            NoteLevel::Info,
            lexicon::unnamed(locale, &unnamed),
        )));
    }
    blocks.extend(ignored_note);
    Ok(blocks)
}

/// The best works with their sales and revenue on each named marketplace, and in total.
fn table(cx: &Context<'_>, matching: &Matching<'_>) -> Result<Table, String> {
    let text = cx.text;
    let locale = cx.locale;
    let several = cx.several_currencies();
    let currencies = cx.stats.currencies().len();
    let mut columns = vec![text.work.to_owned()];
    for &index in &matching.named {
        let m = &cx.marketplaces[index];
        let name = cx.name(m);
        columns.push(lexicon::sales_on(locale, &name));
        for currency in (0..currencies).filter(|&c| m.paid_in(c)) {
            columns.push(lexicon::revenue_on(
                locale,
                &name,
                cx.code(currency),
                several,
            ));
        }
    }
    columns.push(text.total_sales.to_owned());
    columns.extend(
        cx.stats
            .currencies()
            .iter()
            .map(|code| with_currency(text.total_revenue, code, several)),
    );

    let mut rows = Vec::with_capacity(TOP_WORKS);
    for work in matching
        .top
        .iter()
        .filter_map(|&index| matching.works.get(index))
    {
        let mut row = vec![Value::Text(work.name.to_owned())];
        for &index in &matching.named {
            let m = &cx.marketplaces[index];
            let cell = work.on(m.source).filter(|cell| cell.selected.rows > 0);
            row.push(match cell {
                Some(cell) => Value::Integer(cell.selected.units),
                None => Value::Empty,
            });
            for currency in (0..currencies).filter(|&c| m.paid_in(c)) {
                row.push(match cell {
                    Some(cell) => cx.money(cell.selected.revenue.get(currency), currency)?,
                    None => Value::Empty,
                });
            }
        }
        let total = work.total();
        row.push(Value::Integer(total.units));
        for currency in 0..currencies {
            row.push(cx.money(total.revenue.get(currency), currency)?);
        }
        rows.push(row);
    }
    Ok(Table {
        title: Some(text.top_works.into()),
        columns,
        rows,
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
