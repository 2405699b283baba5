//! The "by-month" section: revenue per month (a chart per currency), sales per month, and a table
//! of the same numbers with each month's change against the one before. Months without sales
//! inside the period are shown as zero, so the axis runs on without gaps.

use stocklens_plugin_sdk::{
    Block, Chart, ChartKind, ChartUnit, NoteLevel, Section, Series, Table, Value,
};

use super::{Context, change_value, note};
use crate::lexicon;

pub fn section(cx: &Context<'_>) -> Result<Section, String> {
    let (f, text, locale) = (cx.findings, cx.text, cx.locale);
    let months = &f.months;
    let labels: Vec<Value> = months.iter().map(|m| Value::Month(m.start)).collect();
    let mut blocks = Vec::new();

    for &currency in &f.currencies {
        blocks.push(Block::Chart(Chart {
            title: cx.label(text.revenue_by_month, currency),
            kind: ChartKind::Columns,
            unit: ChartUnit::Money(cx.code(currency).to_owned()),
            labels: labels.clone(),
            series: vec![Series {
                name: cx.label(text.revenue, currency),
                values: months
                    .iter()
                    .map(|m| m.totals.revenue.get(currency) as f64)
                    .collect(),
            }],
        }));
    }
    blocks.push(Block::Chart(Chart {
        title: text.sales_by_month.into(),
        kind: ChartKind::Columns,
        unit: ChartUnit::Count,
        labels,
        series: vec![Series {
            name: text.sales.into(),
            values: months.iter().map(|m| m.totals.units as f64).collect(),
        }],
    }));

    let mut columns = vec![text.month.to_owned(), text.sales.to_owned()];
    for &currency in &f.currencies {
        columns.push(cx.label(text.revenue, currency));
        columns.push(cx.label(text.change_vs_previous_month, currency));
    }
    let mut rows = Vec::with_capacity(months.len());
    for (index, month) in months.iter().enumerate() {
        // Past twenty years only months with sales are listed: the row before may not be the
        // month before, and then there is no change to show.
        let previous = index
            .checked_sub(1)
            .and_then(|i| months.get(i))
            .filter(|p| p.start.month_number() + 1 == month.start.month_number());
        let mut row = vec![
            Value::Month(month.start),
            Value::Integer(month.totals.units),
        ];
        for &currency in &f.currencies {
            let revenue = month.totals.revenue.get(currency);
            row.push(cx.money(revenue, currency)?);
            row.push(previous.map_or(Value::Empty, |p| {
                change_value(revenue, p.totals.revenue.get(currency))
            }));
        }
        rows.push(row);
    }
    blocks.push(Block::Table(Table {
        title: Some(text.months_table.into()),
        columns,
        rows,
    }));

    let partial = f.partial_months();
    if months.len() > 1 && !partial.is_empty() {
        blocks.push(note(
            NoteLevel::Info,
            lexicon::partial_months(locale, &partial),
        ));
    }
    let negative: Vec<_> = months
        .iter()
        .filter(|m| f.currencies.iter().any(|&c| m.totals.revenue.get(c) < 0))
        .map(|m| m.start)
        .collect();
    if !negative.is_empty() {
        blocks.push(note(
            NoteLevel::Warning,
            lexicon::negative_months(locale, &negative),
        ));
    }
    Ok(Section {
        id: "by-month".into(),
        title: text.by_month_title.into(),
        blocks,
    })
}
