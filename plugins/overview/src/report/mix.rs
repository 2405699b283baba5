//! The "mix" section: how sales and revenue split across media types and licenses, as tables
//! with shares and as bar charts of revenue in the main currency.

use stocklens_plugin_sdk::{
    Block, Chart, ChartKind, ChartUnit, Note, NoteLevel, Section, Series, Table, Value,
    with_currency,
};

use super::{Context, share};
use crate::lexicon::{self, Texts};
use crate::stats::Mix;
use stocklens_plugin_sdk::MediaType;

pub fn section(cx: &Context<'_>) -> Result<Section, String> {
    let text = cx.locale.lexicon();
    let stats = cx.stats;

    let mut media: Vec<(String, &Mix)> = MediaType::ALL
        .iter()
        .map(|&m| (text.media_name(m).to_owned(), &stats.media[m.index()]))
        .filter(|(_, mix)| mix.rows > 0)
        .collect();
    media.sort_by_key(|(_, mix)| std::cmp::Reverse(mix.units));
    let licenses = stats.licenses();
    let license_groups: Vec<(String, &Mix)> = licenses
        .iter()
        .map(|l| {
            (
                l.name
                    .clone()
                    .unwrap_or_else(|| text.license_not_stated.to_owned()),
                &l.totals,
            )
        })
        .collect();

    let mut blocks = Vec::new();
    for (title, heading, groups) in [
        (text.by_media, text.media_type, &media),
        (text.by_license, text.license, &license_groups),
    ] {
        blocks.push(Block::Chart(chart(cx, title, groups)));
        blocks.push(Block::Table(table(cx, title, heading, groups)?));
    }
    if cx.several_currencies() {
        let main = cx.code(stats.main_currency());
        blocks.push(Block::Note(Note::new(
            NoteLevel::Info,
            lexicon::chart_in_main_currency(cx.locale, main),
        )));
    }
    Ok(Section {
        id: "mix".into(),
        title: text.mix_title.into(),
        blocks,
    })
}

fn chart(cx: &Context<'_>, title: &str, groups: &[(String, &Mix)]) -> Chart {
    let main = cx.stats.main_currency();
    let text = cx.locale.lexicon();
    Chart {
        title: with_currency(title, cx.code(main), cx.several_currencies()),
        kind: ChartKind::Bars,
        unit: ChartUnit::Money(cx.code(main).to_owned()),
        labels: groups
            .iter()
            .map(|(name, _)| Value::Text(name.clone()))
            .collect(),
        series: vec![Series {
            name: text.revenue.into(),
            values: groups
                .iter()
                .map(|(_, mix)| mix.revenue.get(main) as f64)
                .collect(),
        }],
    }
}

fn table(
    cx: &Context<'_>,
    title: &str,
    heading: &str,
    groups: &[(String, &Mix)],
) -> Result<Table, String> {
    let text = cx.locale.lexicon();
    let stats = cx.stats;
    let currencies = stats.currencies();
    let several = cx.several_currencies();
    let mut columns = vec![
        heading.to_owned(),
        text.sales.to_owned(),
        text.share_of_sales.to_owned(),
    ];
    for code in currencies {
        columns.push(with_currency(text.revenue, code, several));
        columns.push(with_currency(text.share_of_revenue, code, several));
    }
    let mut rows = Vec::with_capacity(groups.len());
    for (name, mix) in groups {
        let mut row = vec![
            Value::Text(name.clone()),
            Value::Integer(mix.units),
            share(i128::from(mix.units), i128::from(stats.all.units)),
        ];
        for currency in 0..currencies.len() {
            row.push(cx.money(mix.revenue.get(currency), currency)?);
            row.push(share(
                mix.revenue.get(currency),
                stats.all.revenue.get(currency),
            ));
        }
        rows.push(row);
    }
    Ok(Table {
        title: Some(title.to_owned()),
        columns,
        rows,
    })
}
