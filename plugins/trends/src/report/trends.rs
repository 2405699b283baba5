//! The "trends" section: the period against the previous one and a year earlier, the best and
//! worst whole months, and the next-month estimate, as KPIs, a comparison table and notes that
//! say what could not be claimed and why.

use stocklens_plugin_sdk::{Block, Kpi, NoteLevel, Section, Table, Value};

use super::{Context, change_value, note};
use crate::findings::{Estimate, NoComparison, Ranking};
use crate::lexicon;

pub fn section(cx: &Context<'_>) -> Result<Section, String> {
    let (f, text, locale) = (cx.findings, cx.text, cx.locale);
    let main = f.main;
    let mut kpis = Vec::new();
    let mut notes = Vec::new();

    if let Some(day) = f.one_day {
        notes.push(note(NoteLevel::Info, lexicon::one_day(locale, day)));
    }
    match f.no_comparison {
        Some(NoComparison::TooShort) => notes.push(note(NoteLevel::Info, text.too_short)),
        Some(NoComparison::TooLong) => notes.push(note(NoteLevel::Info, text.too_long)),
        None => {}
    }
    for comparison in &f.comparisons {
        let Some(earlier) = &comparison.totals else {
            let advice = lexicon::need_export(locale, comparison.earlier, &comparison.window);
            notes.push(note(NoteLevel::Info, advice));
            continue;
        };
        let current = &comparison.current;
        if !comparison.left_out.is_empty() {
            let text =
                lexicon::left_out_of_comparison(locale, &comparison.left_out, &comparison.window);
            notes.push(note(NoteLevel::Info, text));
        }
        let (revenue_label, sales_label) = text.change_labels(comparison.earlier);
        let revenue = earlier.revenue.get(main);
        kpis.push(Kpi {
            label: cx.label(revenue_label, main),
            value: change_value(current.revenue.get(main), revenue),
            note: Some(lexicon::earlier_figure(
                locale,
                &comparison.window,
                &cx.main_amount(revenue),
            )),
        });
        kpis.push(Kpi {
            label: sales_label.into(),
            value: change_value(i128::from(current.units), i128::from(earlier.units)),
            note: Some(lexicon::earlier_figure(
                locale,
                &comparison.window,
                &lexicon::sales_count(locale, earlier.units),
            )),
        });
    }

    match &f.ranking {
        Ranking::Ranked { best, worst, .. } => {
            for (label, month) in [
                (text.best_month, Some(best)),
                (text.worst_month, worst.as_ref()),
            ] {
                if let Some(month) = month {
                    kpis.push(Kpi {
                        label: label.into(),
                        value: Value::Month(month.month),
                        note: Some(cx.main_amount(month.revenue)),
                    });
                }
            }
            let partial = f.partial_months();
            if !partial.is_empty() {
                let text = lexicon::partial_not_ranked(locale, &partial);
                notes.push(note(NoteLevel::Info, text));
            }
        }
        Ranking::TooFew => notes.push(note(NoteLevel::Info, text.ranking_too_few)),
        Ranking::NotRanked | Ranking::NoRevenue => {}
    }

    match &f.estimate {
        Estimate::Made(guess) => {
            kpis.push(Kpi {
                label: cx.label(&lexicon::estimate_label(locale, guess.month), main),
                value: cx.money(guess.central, main)?,
                note: Some(lexicon::estimate_range(locale, guess, cx.main_code())),
            });
            notes.push(note(
                NoteLevel::Info,
                lexicon::estimate_method(locale, guess),
            ));
        }
        Estimate::NoFullMonth => notes.push(note(NoteLevel::Info, text.no_full_month)),
        Estimate::TooFew { full, missing } => {
            let text = lexicon::too_few_for_estimate(locale, *full, missing);
            notes.push(note(NoteLevel::Info, text));
        }
        Estimate::NotPositive => notes.push(note(NoteLevel::Info, text.estimate_not_positive)),
        Estimate::Skipped => {}
    }
    if cx.several_currencies() && !kpis.is_empty() {
        let text = lexicon::main_currency(locale, cx.main_code());
        notes.push(note(NoteLevel::Info, text));
    }

    let mut blocks = Vec::new();
    if !kpis.is_empty() {
        blocks.push(Block::Kpis(kpis));
    }
    if let Some(table) = comparison_table(cx)? {
        blocks.push(Block::Table(table));
    }
    blocks.extend(notes);
    Ok(Section {
        id: "trends".into(),
        title: text.trends_title.into(),
        blocks,
    })
}

/// The period and every covered earlier one side by side, each currency in its own columns: the
/// typed figures behind the change KPIs. `None` when no earlier period is covered.
fn comparison_table(cx: &Context<'_>) -> Result<Option<Table>, String> {
    let (f, text) = (cx.findings, cx.text);
    let covered: Vec<_> = f
        .comparisons
        .iter()
        .filter_map(|c| c.totals.as_ref().map(|totals| (c, totals)))
        .collect();
    if covered.is_empty() {
        return Ok(None);
    }
    let mut columns = vec![
        text.period.to_owned(),
        text.from.to_owned(),
        text.to.to_owned(),
        text.sales.to_owned(),
        text.change_in_sales.to_owned(),
    ];
    for &currency in &f.currencies {
        columns.push(cx.label(text.revenue, currency));
        columns.push(cx.label(text.change_in_revenue, currency));
    }

    let mut this = vec![
        Value::Text(text.this_period.into()),
        Value::Date(f.period.start),
        Value::Date(f.period.end),
        Value::Integer(f.current.units),
        Value::Empty,
    ];
    for &currency in &f.currencies {
        this.push(cx.money(f.current.revenue.get(currency), currency)?);
        this.push(Value::Empty);
    }
    let mut rows = vec![this];
    for (comparison, totals) in covered {
        // Each earlier row carries how this period changed against it.
        let mut row = vec![
            Value::Text(text.earlier_name(comparison.earlier).into()),
            Value::Date(comparison.window.start),
            Value::Date(comparison.window.end),
            Value::Integer(totals.units),
            change_value(
                i128::from(comparison.current.units),
                i128::from(totals.units),
            ),
        ];
        for &currency in &f.currencies {
            let revenue = totals.revenue.get(currency);
            row.push(cx.money(revenue, currency)?);
            row.push(change_value(
                comparison.current.revenue.get(currency),
                revenue,
            ));
        }
        rows.push(row);
    }
    Ok(Some(Table {
        title: Some(text.comparison_table.into()),
        columns,
        rows,
    }))
}
