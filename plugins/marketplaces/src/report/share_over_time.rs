//! Each marketplace's share of sales (units) month by month, as a chart with one series per
//! marketplace and a table of the same numbers. Months without sales are left out: a share of
//! nothing means nothing.

use stocklens_plugin_sdk::{
    Block, Chart, ChartKind, ChartUnit, Date, Note, NoteLevel, Series, Table, Value,
};

use super::{Context, positive_sum, share};
use crate::lexicon;

/// Months shown at most, the latest ones: five years read well on a line chart, and a broken
/// export with a stray date on every row cannot grow the table without end.
pub const MAX_MONTHS: usize = 60;

pub fn blocks(cx: &Context<'_>) -> Vec<Block> {
    let text = cx.text;
    // Per month: each marketplace's units, their net sum, and the whole shares divide.
    let mut months: Vec<(i32, Vec<i64>, i64, i128)> = cx
        .stats
        .months()
        .into_iter()
        .map(|(key, cells)| {
            let units: Vec<i64> = cx
                .marketplaces
                .iter()
                .map(|m| cells.get(m.source).map_or(0, |cell| cell.units))
                .collect();
            let net = units.iter().sum();
            let whole = positive_sum(units.iter().map(|&u| i128::from(u)));
            (key, units, net, whole)
        })
        // A month of refunds only has no share to show either.
        .filter(|(_, _, _, whole)| *whole > 0)
        .collect();
    if months.is_empty() {
        return Vec::new();
    }
    let cut = months.len() > MAX_MONTHS;
    if cut {
        months.drain(..months.len() - MAX_MONTHS);
    }

    let labels: Vec<Value> = months
        .iter()
        .map(|(key, _, _, _)| Value::Month(Date::from_month_number(*key)))
        .collect();
    let series = cx
        .marketplaces
        .iter()
        .enumerate()
        .map(|(index, m)| Series {
            name: cx.name(m),
            values: months
                .iter()
                .map(|(_, units, _, whole)| {
                    let part = units.get(index).copied().unwrap_or(0);
                    match share(i128::from(part), *whole) {
                        Value::Percent(percent) => percent,
                        _ => 0.0,
                    }
                })
                .collect(),
        })
        .collect();
    let chart = Chart {
        title: text.share_by_month.into(),
        kind: if months.len() > 1 {
            ChartKind::Line
        } else {
            ChartKind::Columns
        },
        unit: ChartUnit::Percent,
        labels: labels.clone(),
        series,
    };

    let mut columns = vec![text.month.to_owned(), text.sales.to_owned()];
    columns.extend(cx.marketplaces.iter().map(|m| cx.name(m)));
    let rows = months
        .iter()
        .zip(labels)
        .map(|((_, units, net, whole), label)| {
            let mut row = vec![label, Value::Integer(*net)];
            row.extend(units.iter().map(|&u| share(i128::from(u), *whole)));
            row
        })
        .collect();
    let mut blocks = vec![
        Block::Chart(chart),
        Block::Table(Table {
            title: Some(text.share_by_month.into()),
            columns,
            rows,
        }),
    ];
    if cut {
        blocks.push(Block::Note(Note::new(
            NoteLevel::Info,
            lexicon::months_cut(cx.locale, MAX_MONTHS),
        )));
    }
    blocks
}
