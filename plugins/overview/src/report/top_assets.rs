//! The "top-assets" section: the best assets by revenue (a table per currency) and by sales, with
//! a bar chart of the revenue leaders in the main currency.

use std::cmp::Reverse;

use stocklens_plugin_sdk::{
    Block, Chart, ChartKind, ChartUnit, Section, Series, Table, Value, with_currency,
};

use super::Context;
use crate::lexicon::Texts;
use crate::stats::{AssetRef, CurrencyId};

/// Assets per ranking: what fits a chat-sized summary and a readable chart.
pub const TOP_ASSETS: usize = 10;

pub fn section(cx: &Context<'_>) -> Result<Section, String> {
    let text = cx.locale.lexicon();
    let main = cx.stats.main_currency();
    let mut assets: Vec<AssetRef<'_>> = cx.stats.assets().collect();
    let mut blocks = Vec::new();

    for currency in 0..cx.stats.currencies().len() {
        assets.sort_by_key(|a| {
            (
                Reverse(a.asset.totals.revenue.get(currency)),
                Reverse(a.asset.totals.units),
                a.source,
                a.id,
            )
        });
        let top: Vec<AssetRef<'_>> = assets
            .iter()
            .copied()
            .filter(|a| a.asset.totals.revenue.get(currency) != 0)
            .take(TOP_ASSETS)
            .collect();
        if top.is_empty() {
            continue;
        }
        let title = with_currency(
            text.top_by_revenue,
            cx.code(currency),
            cx.several_currencies(),
        );
        if currency == main {
            blocks.push(Block::Chart(Chart {
                title: title.clone(),
                kind: ChartKind::Bars,
                unit: ChartUnit::Money(cx.code(currency).to_owned()),
                labels: top.iter().map(|a| Value::Text(name(a))).collect(),
                series: vec![Series {
                    name: text.revenue.into(),
                    values: top
                        .iter()
                        .map(|a| a.asset.totals.revenue.get(currency) as f64)
                        .collect(),
                }],
            }));
        }
        blocks.push(Block::Table(table(cx, title, &top, &[currency])?));
    }

    assets.sort_by_key(|a| {
        (
            Reverse(a.asset.totals.units),
            Reverse(a.asset.totals.revenue.get(main)),
            a.source,
            a.id,
        )
    });
    let top: Vec<AssetRef<'_>> = assets.iter().copied().take(TOP_ASSETS).collect();
    let all_currencies: Vec<CurrencyId> = (0..cx.stats.currencies().len()).collect();
    blocks.push(Block::Table(table(
        cx,
        text.top_by_sales.into(),
        &top,
        &all_currencies,
    )?));

    Ok(Section {
        id: "top-assets".into(),
        title: text.top_assets_title.into(),
        blocks,
    })
}

/// The best seller by units, for the highlights.
pub fn best_seller<'a>(cx: &'a Context<'_>) -> Option<AssetRef<'a>> {
    let main = cx.stats.main_currency();
    cx.stats.assets().min_by_key(|a| {
        (
            Reverse(a.asset.totals.units),
            Reverse(a.asset.totals.revenue.get(main)),
            a.source,
            a.id,
        )
    })
}

/// The asset's title, else its file name, else its id.
pub fn name(asset: &AssetRef<'_>) -> String {
    let a = asset.asset;
    a.title
        .as_deref()
        .or(a.file_name.as_deref())
        .unwrap_or(asset.id)
        .to_owned()
}

fn table(
    cx: &Context<'_>,
    title: String,
    top: &[AssetRef<'_>],
    currencies: &[CurrencyId],
) -> Result<Table, String> {
    let text = cx.locale.lexicon();
    let several_sources = cx.stats.source_count() > 1;
    let mut columns: Vec<String> = vec![text.rank.into(), text.asset.into(), text.asset_id.into()];
    if several_sources {
        columns.push(text.marketplace.into());
    }
    columns.push(text.media_type.into());
    columns.push(text.sales.into());
    for &currency in currencies {
        columns.push(with_currency(
            text.revenue,
            cx.code(currency),
            cx.several_currencies(),
        ));
    }
    let mut rows = Vec::with_capacity(top.len());
    for (rank, asset) in top.iter().enumerate() {
        let mut row = vec![
            Value::Integer(rank as i64 + 1),
            Value::Text(name(asset)),
            Value::Text(asset.id.to_owned()),
        ];
        if several_sources {
            row.push(Value::Text(cx.locale.marketplace(asset.source).to_owned()));
        }
        row.push(Value::Text(text.media_name(asset.asset.media).into()));
        row.push(Value::Integer(asset.asset.totals.units));
        for &currency in currencies {
            row.push(cx.money(asset.asset.totals.revenue.get(currency), currency)?);
        }
        rows.push(row);
    }
    Ok(Table {
        title: Some(title),
        columns,
        rows,
    })
}
