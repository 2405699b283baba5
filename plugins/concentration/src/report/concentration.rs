//! The "concentration" section: KPIs on the best assets' share of revenue, the half-revenue count
//! and the long tail; notes on a dominant asset, the shape of the spread, refunds and currencies;
//! the cumulative share of revenue by asset rank and the assets by number of sales, each as a
//! chart with a table of the same numbers.

use stocklens_plugin_sdk::{
    Block, Chart, ChartKind, ChartUnit, Kpi, Note, NoteLevel, Section, Series, Table, Value,
    with_currency,
};

use super::{Context, SECTION_ID};
use crate::lexicon::{self, Texts};
use crate::spread::{Bucket, CURVE_PERCENTS, KPI_PERCENTS, Shape};

pub fn section(cx: &Context<'_>) -> Section {
    let text = cx.locale.lexicon();
    let mut blocks = vec![Block::Kpis(kpis(cx))];
    blocks.extend(notes(cx).into_iter().map(Block::Note));
    if cx.spread.has_shares() {
        let (chart, table) = curve(cx);
        blocks.push(Block::Chart(chart));
        blocks.push(Block::Table(table));
    }
    let (chart, table) = by_sales(cx);
    blocks.push(Block::Chart(chart));
    blocks.push(Block::Table(table));
    Section {
        id: SECTION_ID.into(),
        title: text.title.into(),
        blocks,
    }
}

fn kpis(cx: &Context<'_>) -> Vec<Kpi> {
    let text = cx.locale.lexicon();
    let spread = &cx.spread;
    let n = spread.assets();
    let mut kpis = vec![Kpi {
        label: text.assets_sold.into(),
        value: integer(n),
        note: None,
    }];
    if spread.has_shares() {
        for percent in KPI_PERCENTS {
            let count = spread.top_count(percent);
            kpis.push(Kpi {
                label: lexicon::top_kpi(cx.locale, percent),
                value: percent_value(cx.revenue_share(spread.top_revenue(count))),
                note: Some(lexicon::assets(cx.locale, count)),
            });
        }
        let half = spread.half();
        kpis.push(Kpi {
            label: text.half_revenue.into(),
            value: integer(half),
            note: Some(lexicon::of_assets_sold(cx.locale, cx.asset_share(half))),
        });
    }
    let once = spread.bucket(Bucket::One);
    kpis.push(Kpi {
        label: text.sold_once.into(),
        value: integer(once.assets),
        note: Some(lexicon::tail_shares(
            cx.locale,
            cx.asset_share(once.assets),
            cx.revenue_share(once.revenue),
        )),
    });
    kpis
}

fn notes(cx: &Context<'_>) -> Vec<Note> {
    let text = cx.locale.lexicon();
    let spread = &cx.spread;
    let mut notes = Vec::new();
    if cx.several {
        notes.push(Note::new(
            NoteLevel::Info,
            lexicon::main_currency(cx.locale, cx.code, spread.other_currencies),
        ));
    }
    if !spread.has_shares() {
        notes.push(Note::new(
            NoteLevel::Info,
            lexicon::no_shares(cx.locale, cx.code),
        ));
        return notes;
    }
    let dominant = cx.dominant_note();
    let half = spread.half();
    let half_share = cx.asset_share(half);
    let shape = match spread.shape() {
        Shape::Single => Note::new(NoteLevel::Info, text.single),
        Shape::Few => Note::new(NoteLevel::Info, lexicon::few(cx.locale, spread.assets())),
        Shape::Concentrated => Note::new(
            NoteLevel::Info,
            lexicon::concentrated(cx.locale, half, half_share),
        ),
        Shape::Moderate => Note::new(
            NoteLevel::Info,
            lexicon::moderate(cx.locale, half, half_share),
        ),
        // A wide base is good news, unless one asset still makes over a quarter on its own.
        Shape::Wide => Note::new(
            if dominant.is_some() {
                NoteLevel::Info
            } else {
                NoteLevel::Good
            },
            lexicon::wide(cx.locale, half, half_share),
        ),
    };
    notes.extend(dominant);
    notes.push(shape);
    if spread.refunded > 0 {
        notes.push(Note::new(
            NoteLevel::Info,
            lexicon::refunded(cx.locale, spread.refunded),
        ));
    }
    notes
}

/// The cumulative share of revenue at each point of [`CURVE_PERCENTS`], beside the share of
/// assets it takes (the line an even spread would follow).
fn curve(cx: &Context<'_>) -> (Chart, Table) {
    let text = cx.locale.lexicon();
    let spread = &cx.spread;
    let points: Vec<(Value, usize, i128)> = CURVE_PERCENTS
        .iter()
        .map(|&percent| {
            let count = spread.top_count(percent);
            (
                Value::Text(lexicon::top_label(cx.locale, percent)),
                count,
                spread.top_revenue(count),
            )
        })
        .collect();
    let title = with_currency(text.curve_title, cx.code, cx.several);
    let chart = Chart {
        title: title.clone(),
        kind: ChartKind::Line,
        unit: ChartUnit::Percent,
        labels: points.iter().map(|(label, _, _)| label.clone()).collect(),
        series: vec![
            Series {
                name: text.share_of_revenue.into(),
                values: points
                    .iter()
                    .map(|&(_, _, revenue)| cx.revenue_share(revenue).unwrap_or(0.0))
                    .collect(),
            },
            Series {
                name: text.share_of_assets.into(),
                values: points
                    .iter()
                    .map(|&(_, count, _)| cx.asset_share(count))
                    .collect(),
            },
        ],
    };
    let mut rows = Vec::with_capacity(points.len());
    for (label, count, revenue) in points {
        rows.push(vec![
            label,
            integer(count),
            Value::Percent(cx.asset_share(count)),
            cx.money(revenue),
            percent_value(cx.revenue_share(revenue)),
        ]);
    }
    let table = Table {
        title: Some(title),
        columns: vec![
            text.group.into(),
            text.assets.into(),
            text.share_of_assets.into(),
            with_currency(text.revenue, cx.code, cx.several),
            text.share_of_revenue.into(),
        ],
        rows,
    };
    (chart, table)
}

/// Assets per sales-count bucket, with their shares of assets and of revenue. The bucket of
/// assets with no net sales shows only when there is one.
fn by_sales(cx: &Context<'_>) -> (Chart, Table) {
    let text = cx.locale.lexicon();
    let spread = &cx.spread;
    let shares = spread.has_shares();
    let buckets: Vec<(Bucket, usize, i128)> = Bucket::ALL
        .iter()
        .map(|&bucket| {
            let group = spread.bucket(bucket);
            (bucket, group.assets, group.revenue)
        })
        .filter(|&(bucket, assets, _)| bucket != Bucket::NoNetSales || assets > 0)
        .collect();
    let labels: Vec<Value> = buckets
        .iter()
        .map(|&(bucket, _, _)| Value::Text(lexicon::bucket(cx.locale, bucket).into()))
        .collect();
    let title = with_currency(text.by_sales_title, cx.code, cx.several);

    let mut series = vec![Series {
        name: text.share_of_assets.into(),
        values: buckets
            .iter()
            .map(|&(_, assets, _)| cx.asset_share(assets))
            .collect(),
    }];
    if shares {
        series.push(Series {
            name: text.share_of_revenue.into(),
            values: buckets
                .iter()
                .map(|&(_, _, revenue)| cx.revenue_share(revenue).unwrap_or(0.0))
                .collect(),
        });
    }
    let chart = Chart {
        title: title.clone(),
        kind: ChartKind::Columns,
        unit: ChartUnit::Percent,
        labels: labels.clone(),
        series,
    };

    let mut columns = vec![
        text.sales_per_asset.to_owned(),
        text.assets.to_owned(),
        text.share_of_assets.to_owned(),
    ];
    if shares {
        columns.push(with_currency(text.revenue, cx.code, cx.several));
        columns.push(text.share_of_revenue.to_owned());
    }
    let mut rows = Vec::with_capacity(buckets.len());
    for (label, &(_, assets, revenue)) in labels.into_iter().zip(&buckets) {
        let mut row = vec![
            label,
            integer(assets),
            Value::Percent(cx.asset_share(assets)),
        ];
        if shares {
            row.push(cx.money(revenue));
            row.push(percent_value(cx.revenue_share(revenue)));
        }
        rows.push(row);
    }
    let table = Table {
        title: Some(title),
        columns,
        rows,
    };
    (chart, table)
}

fn integer(n: usize) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

fn percent_value(percent: Option<f64>) -> Value {
    percent.map_or(Value::Empty, Value::Percent)
}
