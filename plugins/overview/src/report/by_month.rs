//! The "by-month" section: revenue (a chart per currency) and sales per month, and a table with
//! the same numbers.

use stocklens_plugin_sdk::{Block, Chart, ChartKind, ChartUnit, Section, Series, Table, Value};

use super::Context;

pub fn section(cx: &Context<'_>) -> Result<Section, String> {
    let text = cx.locale.lexicon();
    let months = cx.stats.months();
    let labels: Vec<Value> = months
        .iter()
        .map(|(month, _)| Value::Month(*month))
        .collect();
    let several = cx.several_currencies();
    let mut blocks = Vec::new();

    for (currency, code) in cx.stats.currencies().iter().enumerate() {
        blocks.push(Block::Chart(Chart {
            title: text.with_currency(text.revenue_by_month, code, several),
            kind: ChartKind::Columns,
            unit: ChartUnit::Money(code.clone()),
            labels: labels.clone(),
            series: vec![Series {
                name: text.with_currency(text.revenue, code, several),
                values: months
                    .iter()
                    .map(|(_, mix)| mix.revenue.get(currency) as f64)
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
            values: months.iter().map(|(_, mix)| mix.units as f64).collect(),
        }],
    }));

    let mut columns = vec![text.month.to_owned(), text.sales.to_owned()];
    columns.extend(
        cx.stats
            .currencies()
            .iter()
            .map(|code| text.with_currency(text.revenue, code, several)),
    );
    let mut rows = Vec::with_capacity(months.len());
    for (month, mix) in &months {
        let mut row = vec![Value::Month(*month), Value::Integer(mix.units)];
        for currency in 0..cx.stats.currencies().len() {
            row.push(cx.money(mix.revenue.get(currency), currency)?);
        }
        rows.push(row);
    }
    blocks.push(Block::Table(Table {
        title: Some(text.by_month_title.into()),
        columns,
        rows,
    }));
    Ok(Section {
        id: "by-month".into(),
        title: text.by_month_title.into(),
        blocks,
    })
}
