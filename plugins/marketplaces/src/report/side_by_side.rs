//! The marketplaces side by side: sales, revenue per currency, average per sale, assets sold,
//! revenue per asset and shares, in one table; bar charts of the share of revenue (main currency)
//! and of sales; notes where a currency or a refund changes how to read them.

use stocklens_plugin_sdk::{
    Block, Chart, ChartKind, ChartUnit, Note, NoteLevel, Series, Table, Value, divide_rounded,
};

use super::{Context, positive_sum, revenue_per_asset, share};
use crate::lexicon::{self, with_currency};

pub fn blocks(cx: &Context<'_>) -> Result<Vec<Block>, String> {
    let text = cx.text;
    let currencies = cx.stats.currencies();
    let several = cx.several_currencies();
    let main = cx.main;
    let total_units = positive_sum(cx.marketplaces.iter().map(|m| i128::from(m.totals.units)));
    let total_main = positive_sum(cx.marketplaces.iter().map(|m| m.totals.revenue.get(main)));

    let mut columns = vec![
        text.marketplace.to_owned(),
        text.sales.to_owned(),
        text.share_of_sales.to_owned(),
    ];
    for label in [text.revenue, text.average_per_sale] {
        columns.extend(currencies.iter().map(|c| with_currency(label, c, several)));
    }
    columns.push(text.assets_sold.to_owned());
    columns.extend(
        currencies
            .iter()
            .map(|c| with_currency(text.revenue_per_asset, c, several)),
    );
    columns.push(with_currency(
        text.share_of_revenue,
        cx.main_code(),
        several,
    ));

    let mut rows = Vec::with_capacity(cx.marketplaces.len());
    for m in &cx.marketplaces {
        let mut row = vec![
            Value::Text(cx.name(m)),
            Value::Integer(m.totals.units),
            share(i128::from(m.totals.units), total_units),
        ];
        for currency in 0..currencies.len() {
            row.push(if m.paid_in(currency) {
                cx.money(m.totals.revenue.get(currency), currency)?
            } else {
                Value::Empty
            });
        }
        for currency in 0..currencies.len() {
            let units = m.units_in(currency);
            row.push(if m.paid_in(currency) && units > 0 {
                let average = divide_rounded(m.totals.revenue.get(currency), i128::from(units));
                cx.money(average, currency)?
            } else {
                Value::Empty
            });
        }
        row.push(Value::Integer(i64::try_from(m.assets).unwrap_or(i64::MAX)));
        for currency in 0..currencies.len() {
            row.push(match revenue_per_asset(m, currency) {
                Some(micros) => cx.money(micros, currency)?,
                None => Value::Empty,
            });
        }
        row.push(if m.paid_in(main) {
            share(m.totals.revenue.get(main), total_main)
        } else {
            Value::Empty
        });
        rows.push(row);
    }

    let mut blocks = vec![Block::Table(Table {
        title: Some(text.side_by_side.into()),
        columns,
        rows,
    })];
    let shared: Vec<(String, f64)> = cx
        .marketplaces
        .iter()
        .filter(|m| m.paid_in(main))
        .filter_map(|m| match share(m.totals.revenue.get(main), total_main) {
            Value::Percent(percent) => Some((cx.name(m), percent)),
            _ => None,
        })
        .collect();
    if !shared.is_empty() {
        blocks.push(Block::Chart(Chart {
            title: with_currency(text.revenue_share_chart, cx.main_code(), several),
            kind: ChartKind::Bars,
            unit: ChartUnit::Percent,
            labels: shared
                .iter()
                .map(|(name, _)| Value::Text(name.clone()))
                .collect(),
            series: vec![Series {
                name: with_currency(text.share_of_revenue, cx.main_code(), several),
                values: shared.iter().map(|(_, percent)| *percent).collect(),
            }],
        }));
    }
    blocks.push(Block::Chart(Chart {
        title: text.sales_chart.into(),
        kind: ChartKind::Bars,
        unit: ChartUnit::Count,
        labels: cx
            .marketplaces
            .iter()
            .map(|m| Value::Text(cx.name(m)))
            .collect(),
        series: vec![Series {
            name: text.sales.into(),
            values: cx
                .marketplaces
                .iter()
                .map(|m| m.totals.units as f64)
                .collect(),
        }],
    }));
    blocks.extend(notes(cx));
    Ok(blocks)
}

/// What the currencies and refunds change in reading the table.
fn notes(cx: &Context<'_>) -> Vec<Block> {
    let locale = cx.locale;
    let main = cx.main;
    let mut notes = Vec::new();
    if cx.several_currencies() {
        notes.push(Note::new(
            NoteLevel::Info,
            lexicon::shares_in_main_currency(locale, cx.main_code()),
        ));
        let not_shown: Vec<String> = cx
            .marketplaces
            .iter()
            .filter(|m| !m.paid_in(main))
            .map(|m| cx.name(m))
            .collect();
        if !not_shown.is_empty() {
            notes.push(Note::new(
                NoteLevel::Info,
                lexicon::share_not_shown(locale, &not_shown),
            ));
        }
        for m in cx.marketplaces.iter().filter(|m| m.paid_in(main)) {
            let paid_in: Vec<String> = (0..cx.stats.currencies().len())
                .filter(|&c| m.paid_in(c))
                .map(|c| cx.code(c).to_owned())
                .collect();
            if paid_in.len() > 1 {
                notes.push(Note::new(
                    NoteLevel::Info,
                    lexicon::partial_share(locale, &cx.name(m), &paid_in, cx.main_code()),
                ));
            }
        }
    }
    for m in &cx.marketplaces {
        let negative: Vec<String> = (0..cx.stats.currencies().len())
            .map(|c| (c, m.totals.revenue.get(c)))
            .filter(|&(_, micros)| micros < 0)
            .map(|(c, micros)| cx.amount(micros, c))
            .collect();
        if !negative.is_empty() {
            notes.push(Note::new(
                NoteLevel::Warning,
                lexicon::negative_revenue(locale, &cx.name(m), &locale.join(&negative)),
            ));
        }
    }
    notes.into_iter().map(Block::Note).collect()
}
