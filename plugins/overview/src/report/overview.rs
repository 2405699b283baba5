//! The "overview" section: sales, revenue and average per sale in each currency, revenue per
//! download where a marketplace counts downloads, assets sold, the period covered, and notes on
//! currencies and refunds.

use stocklens_plugin_sdk::{
    Block, Kpi, Note, NoteLevel, Section, Value, divide_rounded, with_currency,
};

use super::Context;
use crate::lexicon::{self, Texts};

pub fn section(cx: &Context<'_>) -> Result<Section, String> {
    let text = cx.locale.lexicon();
    let stats = cx.stats;
    let several = cx.several_currencies();
    let mut kpis = Vec::new();

    let sources = stats.source_count();
    kpis.push(Kpi {
        label: text.sales.into(),
        value: Value::Integer(stats.all.units),
        note: (sources > 1).then(|| lexicon::from_marketplaces(cx.locale, sources)),
    });
    for (currency, code) in stats.currencies().iter().enumerate() {
        kpis.push(Kpi {
            label: with_currency(text.revenue, code, several),
            value: cx.money(stats.all.revenue.get(currency), currency)?,
            note: None,
        });
    }
    for (currency, code) in stats.currencies().iter().enumerate() {
        let units = stats.units_by_currency[currency];
        let value = if units > 0 {
            cx.money(
                divide_rounded(stats.all.revenue.get(currency), i128::from(units)),
                currency,
            )?
        } else {
            Value::Empty
        };
        kpis.push(Kpi {
            label: with_currency(text.average_per_sale, code, several),
            value,
            note: None,
        });
    }
    kpis.extend(per_download(cx)?);
    let assets = stats.asset_count();
    let portfolio = cx.request.facts.portfolio_size.filter(|&size| size > 0);
    kpis.push(Kpi {
        label: text.unique_assets.into(),
        value: Value::Integer(i64::try_from(assets).unwrap_or(i64::MAX)),
        note: portfolio.map(|size| {
            lexicon::portfolio_share(cx.locale, assets as f64 * 100.0 / f64::from(size))
        }),
    });
    if let (Some(first), Some(last)) = (stats.first, stats.last) {
        kpis.push(Kpi {
            label: text.first_sale.into(),
            value: Value::Date(first),
            note: None,
        });
        kpis.push(Kpi {
            label: text.last_sale.into(),
            value: Value::Date(last),
            note: None,
        });
    }

    let mut blocks = vec![Block::Kpis(kpis)];
    if several {
        blocks.push(Block::Note(Note::new(
            NoteLevel::Info,
            text.currencies_apart,
        )));
    }
    if stats.refund_rows > 0 {
        let parts: Vec<(i128, &str)> = stats
            .currencies()
            .iter()
            .enumerate()
            .filter(|&(currency, _)| stats.refunds.get(currency) != 0)
            .map(|(currency, code)| (stats.refunds.get(currency), code.as_str()))
            .collect();
        let total = cx.locale.amounts(&parts);
        blocks.push(Block::Note(Note::new(
            NoteLevel::Warning,
            lexicon::refunds(cx.locale, stats.refund_rows, &total),
        )));
    }
    Ok(Section {
        id: "overview".into(),
        title: text.overview_title.into(),
        blocks,
    })
}

/// Marketplaces (parser ids) whose units are downloads under a subscription or pooled payout
/// rather than sales: for them "revenue per download" is the figure contributors compare.
pub const DOWNLOAD_SOURCES: &[(&str, &str)] = &[("freepik", "Freepik")];

/// Revenue per download for each download-counting marketplace in the selection, per currency.
fn per_download(cx: &Context<'_>) -> Result<Vec<Kpi>, String> {
    let text = cx.locale.lexicon();
    let mut kpis = Vec::new();
    for &(source, name) in DOWNLOAD_SOURCES {
        let Some(totals) = cx.stats.source_totals(source).filter(|t| t.units > 0) else {
            continue;
        };
        for (currency, code) in cx.stats.currencies().iter().enumerate() {
            let revenue = totals.revenue.get(currency);
            if revenue == 0 {
                continue;
            }
            let label = format!("{}, {name}", text.per_download);
            kpis.push(Kpi {
                label: with_currency(&label, code, cx.several_currencies()),
                value: cx.money(divide_rounded(revenue, i128::from(totals.units)), currency)?,
                note: Some(lexicon::downloads(cx.locale, totals.units)),
            });
        }
    }
    Ok(kpis)
}
