//! The "by-week" section: revenue and sales per ISO week (weeks start on Monday and are labelled
//! by that Monday), and per day of the week as averages per calendar day, each as charts and a
//! table of the same numbers.
//!
//! Sales dated by month only (monthly statements, Freepik) would all land on the 1st and make it
//! look like the best day of the month, so they are left out here and the section says so.

use stocklens_plugin_sdk::{
    Block, Chart, ChartKind, ChartUnit, Date, NoteLevel, Section, Series, Table, Value,
    divide_rounded,
};

use super::{Context, note};
use crate::lexicon;
use crate::stats::Totals;

/// Most weeks shown in full: beyond this (over a year) the chart is unreadable, so only the last
/// [`SHOWN_WEEKS`] are shown.
pub const MAX_WEEKS: i32 = 60;

/// Weeks shown when there are more than [`MAX_WEEKS`]: the last year.
pub const SHOWN_WEEKS: i32 = 52;

/// Most weeks drawn as columns; more read better as a line.
pub const MAX_WEEK_COLUMNS: usize = 26;

/// Averages per day are rounded to hundredths of the currency: more digits would be noise.
pub const AVERAGE_PRECISION_MICROS: i128 = 10_000;

/// Shortest period for naming the best and weakest weekday: four weeks, so every weekday is
/// averaged over at least four days.
pub const MIN_WEEKDAY_CLAIM_DAYS: i32 = 28;

pub fn section(cx: &Context<'_>) -> Result<Section, String> {
    let (f, text) = (cx.findings, cx.text);
    let mut blocks = Vec::new();
    if f.monthly {
        blocks.push(note(NoteLevel::Info, text.monthly_dates));
    } else if f.one_day.is_some() {
        blocks.push(note(NoteLevel::Info, text.one_day_weeks));
    } else {
        weeks(cx, &mut blocks)?;
        weekdays(cx, &mut blocks)?;
        if !f.monthly_sources.is_empty() {
            let text = lexicon::monthly_sources(cx.locale, &f.monthly_sources);
            blocks.push(note(NoteLevel::Info, text));
        }
    }
    Ok(Section {
        id: "by-week".into(),
        title: text.by_week_title.into(),
        blocks,
    })
}

/// The Monday that starts the week of day number `day`.
fn monday(day: i32) -> i32 {
    // Day 0, 1970-01-01, was a Thursday: three days after a Monday.
    day - (day + 3).rem_euclid(7)
}

/// Weekday of day number `day`, 0 for Monday.
fn weekday(day: i32) -> usize {
    (day + 3).rem_euclid(7) as usize
}

fn weeks(cx: &Context<'_>, blocks: &mut Vec<Block>) -> Result<(), String> {
    let (f, text) = (cx.findings, cx.text);
    let first = monday(f.period.start.day_number());
    let last = monday(f.period.end.day_number());
    let total = (last - first) / 7 + 1;
    let shown_from = if total > MAX_WEEKS {
        last - (SHOWN_WEEKS - 1) * 7
    } else {
        first
    };
    let count = ((last - shown_from) / 7 + 1) as usize;
    let mut weeks = vec![Totals::default(); count];
    for (day, totals) in f.daily_days.iter() {
        let week = monday(day);
        if (shown_from..=last).contains(&week) {
            weeks[((week - shown_from) / 7) as usize].merge(totals);
        }
    }
    let mondays: Vec<Date> = (0..count)
        .map(|i| Date::from_day_number(shown_from + 7 * i as i32))
        .collect();
    let labels: Vec<Value> = mondays.iter().map(|&d| Value::Date(d)).collect();
    let kind = if count <= MAX_WEEK_COLUMNS {
        ChartKind::Columns
    } else {
        ChartKind::Line
    };

    // A currency paid only by exports dated by month has no weeks: no chart or column of zeros.
    let currencies: Vec<_> = f
        .currencies
        .iter()
        .copied()
        .filter(|&c| weeks.iter().any(|w| w.revenue.get(c) != 0))
        .collect();
    for &currency in &currencies {
        blocks.push(Block::Chart(Chart {
            title: cx.label(text.revenue_by_week, currency),
            kind,
            unit: ChartUnit::Money(cx.code(currency).to_owned()),
            labels: labels.clone(),
            series: vec![Series {
                name: cx.label(text.revenue, currency),
                values: weeks
                    .iter()
                    .map(|w| w.revenue.get(currency) as f64)
                    .collect(),
            }],
        }));
    }
    blocks.push(Block::Chart(Chart {
        title: text.sales_by_week.into(),
        kind,
        unit: ChartUnit::Count,
        labels,
        series: vec![Series {
            name: text.sales.into(),
            values: weeks.iter().map(|w| w.units as f64).collect(),
        }],
    }));

    let mut columns = vec![text.week_starting.to_owned(), text.sales.to_owned()];
    columns.extend(currencies.iter().map(|&c| cx.label(text.revenue, c)));
    let mut rows = Vec::with_capacity(count);
    for (monday, week) in mondays.iter().zip(&weeks) {
        let mut row = vec![Value::Date(*monday), Value::Integer(week.units)];
        for &currency in &currencies {
            row.push(cx.money(week.revenue.get(currency), currency)?);
        }
        rows.push(row);
    }
    blocks.push(Block::Table(Table {
        title: Some(text.weeks_table.into()),
        columns,
        rows,
    }));

    if total > MAX_WEEKS {
        let text = lexicon::weeks_cut(cx.locale, i64::from(total), i64::from(SHOWN_WEEKS));
        blocks.push(note(NoteLevel::Info, text));
    }
    let first_cut = shown_from == first && f.period.start.weekday() != 0;
    let last_cut = f.period.end.weekday() != 6;
    if let Some(text) = lexicon::partial_weeks(cx.locale, first_cut, last_cut) {
        blocks.push(note(NoteLevel::Info, text));
    }
    Ok(())
}

fn weekdays(cx: &Context<'_>, blocks: &mut Vec<Block>) -> Result<(), String> {
    let (f, text, locale) = (cx.findings, cx.text, cx.locale);
    let main = f.main;
    let mut totals: [Totals; 7] = std::array::from_fn(|_| Totals::default());
    for (day, day_totals) in f.daily_days.iter() {
        totals[weekday(day)].merge(day_totals);
    }
    // How many of each weekday the period holds: whole weeks, plus the days left over counted
    // from its first weekday.
    let days = f.period.days();
    let start = i32::from(f.period.start.weekday());
    let occurrences: [i32; 7] =
        std::array::from_fn(|w| days / 7 + i32::from((w as i32 - start).rem_euclid(7) < days % 7));
    let per_day = |sum: i128, w: usize| {
        let precision = AVERAGE_PRECISION_MICROS;
        divide_rounded(sum, i128::from(occurrences[w]) * precision) * precision
    };
    // Sales per day to two decimals: the host prints what it is given.
    let sales_per_day =
        |w: usize| (totals[w].units as f64 * 100.0 / f64::from(occurrences[w])).round() / 100.0;
    let labels: Vec<Value> = (0..7u8)
        .map(|w| Value::Text(locale.weekday_name(w).into()))
        .collect();

    blocks.push(Block::Chart(Chart {
        title: text.sales_by_weekday.into(),
        kind: ChartKind::Columns,
        unit: ChartUnit::Count,
        labels: labels.clone(),
        series: vec![Series {
            name: text.sales_per_day.into(),
            values: (0..7)
                .map(|w| {
                    if occurrences[w] > 0 {
                        sales_per_day(w)
                    } else {
                        0.0
                    }
                })
                .collect(),
        }],
    }));
    blocks.push(Block::Chart(Chart {
        title: cx.label(text.revenue_by_weekday, main),
        kind: ChartKind::Columns,
        unit: ChartUnit::Money(cx.main_code().to_owned()),
        labels,
        series: vec![Series {
            name: text.revenue_per_day.into(),
            values: (0..7)
                .map(|w| per_day(totals[w].revenue.get(main), w) as f64)
                .collect(),
        }],
    }));

    let mut columns = vec![
        text.weekday.to_owned(),
        text.days_in_period.to_owned(),
        text.sales.to_owned(),
        text.sales_per_day.to_owned(),
    ];
    for &currency in &f.currencies {
        columns.push(cx.label(text.revenue, currency));
        columns.push(cx.label(text.revenue_per_day, currency));
    }
    let mut rows = Vec::with_capacity(7);
    for (w, day_totals) in totals.iter().enumerate() {
        let seen = occurrences[w] > 0;
        let mut row = vec![
            Value::Text(locale.weekday_name(w as u8).into()),
            Value::Integer(i64::from(occurrences[w])),
            Value::Integer(day_totals.units),
            if seen {
                Value::Number(sales_per_day(w))
            } else {
                Value::Empty
            },
        ];
        for &currency in &f.currencies {
            let revenue = day_totals.revenue.get(currency);
            row.push(cx.money(revenue, currency)?);
            row.push(if seen {
                cx.money(per_day(revenue, w), currency)?
            } else {
                Value::Empty
            });
        }
        rows.push(row);
    }
    blocks.push(Block::Table(Table {
        title: Some(text.weekdays_table.into()),
        columns,
        rows,
    }));
    blocks.push(note(NoteLevel::Info, text.weekday_averages));

    if days >= MIN_WEEKDAY_CLAIM_DAYS {
        let averages: Vec<i128> = (0..7)
            .map(|w| per_day(totals[w].revenue.get(main), w))
            .collect();
        // Strict comparisons keep the earlier weekday on a tie.
        let (mut best, mut worst) = (0, 0);
        for w in 1..7 {
            if averages[w] > averages[best] {
                best = w;
            }
            if averages[w] < averages[worst] {
                worst = w;
            }
        }
        if averages[best] > averages[worst] {
            let text = lexicon::best_weekday(
                locale,
                (best as u8, &cx.main_amount(averages[best])),
                (worst as u8, &cx.main_amount(averages[worst])),
            );
            blocks.push(note(NoteLevel::Info, text));
        }
    }
    Ok(())
}
