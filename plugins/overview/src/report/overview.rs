//! The "overview" section: sales, revenue and average per sale in each currency, assets sold,
//! the period covered, and notes on currencies and refunds.

use stocklens_plugin_sdk::{Block, Kpi, Note, NoteLevel, Section, Value};

use super::Context;
use crate::lexicon::{self, amounts};

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
            label: text.with_currency(text.revenue, code, several),
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
            label: text.with_currency(text.average_per_sale, code, several),
            value,
            note: None,
        });
    }
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
        let total = amounts(cx.locale, &parts);
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

/// `numerator / denominator` rounded half away from zero, exactly.
pub fn divide_rounded(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator.abs() {
        quotient
            + if (numerator < 0) == (denominator < 0) {
                1
            } else {
                -1
            }
    } else {
        quotient
    }
}

#[cfg(test)]
mod tests {
    use super::divide_rounded;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(divide_rounded(10, 4), 3);
        assert_eq!(divide_rounded(10, 3), 3);
        assert_eq!(divide_rounded(-10, 4), -3);
        assert_eq!(divide_rounded(-10, 3), -3);
        assert_eq!(divide_rounded(1_000_000, 3), 333_333);
    }
}
