//! The section's body: a KPI per known indicator (its band as the note), the indicators table
//! (Indicator | Value | Band | What to do) and the notes that go with it: facts to add,
//! contradictions in the facts, and how new work and the upload limit were read.

use stocklens_plugin_sdk::{Block, Kpi, Note, NoteLevel, Table, Value, with_currency};

use super::Context;
use crate::bands::Indicator;
use crate::indicators::{Portfolio, ShareSold, Uploads};
use crate::lexicon;
use crate::new_work::{HISTORY_COMFORTABLE_MONTHS, Method, NewWork, Outcome};

/// What the parts below add up to.
#[derive(Default)]
struct Parts {
    kpis: Vec<Kpi>,
    rows: Vec<Vec<Value>>,
    notes: Vec<Note>,
}

impl Parts {
    fn kpi(&mut self, cx: &Context<'_>, label: &str, indicator: Indicator, percent: f64) {
        let band = indicator.band(percent);
        self.kpis.push(Kpi {
            label: label.into(),
            value: Value::Percent(percent),
            note: Some(cx.text.band_name(indicator, band).into()),
        });
    }

    fn note(&mut self, level: NoteLevel, text: impl Into<String>) {
        self.notes.push(Note::new(level, text));
    }
}

pub fn blocks(cx: &Context<'_>) -> Vec<Block> {
    let mut parts = Parts::default();
    portfolio(cx, &mut parts);
    new_work(cx, &mut parts);
    uploads(cx, &mut parts);
    acceptance(cx, &mut parts);

    let text = cx.text;
    let mut blocks = Vec::new();
    if !parts.kpis.is_empty() {
        blocks.push(Block::Kpis(parts.kpis));
    }
    if !parts.rows.is_empty() {
        blocks.push(Block::Table(Table {
            title: Some(text.indicators_title.into()),
            columns: vec![
                text.indicator.into(),
                text.value.into(),
                text.band.into(),
                text.what_to_do.into(),
            ],
            rows: parts.rows,
        }));
    }
    // Warnings first: a contradiction in the facts matters more than how a figure was read.
    parts
        .notes
        .sort_by_key(|note| note.level != NoteLevel::Warning);
    blocks.extend(parts.notes.into_iter().map(Block::Note));
    blocks
}

fn integer(n: impl TryInto<i64>) -> Value {
    Value::Integer(n.try_into().unwrap_or(i64::MAX))
}

fn portfolio(cx: &Context<'_>, parts: &mut Parts) {
    let text = cx.text;
    match &cx.indicators.portfolio {
        Portfolio::NotGiven => parts.note(NoteLevel::Info, text.missing_portfolio),
        Portfolio::NoPeriod => {}
        Portfolio::Zero { works_sold } => {
            parts
                .rows
                .push(cx.row(text.portfolio_size, Value::Integer(0), None));
            if *works_sold > 0 {
                parts.note(
                    NoteLevel::Warning,
                    lexicon::zero_portfolio_with_sales(cx.locale, *works_sold),
                );
            } else {
                parts.note(NoteLevel::Info, text.zero_portfolio_no_sales);
            }
        }
        Portfolio::Known(share) => share_sold(cx, share, parts),
    }
}

fn share_sold(cx: &Context<'_>, share: &ShareSold, parts: &mut Parts) {
    let text = cx.text;
    let banded = |percent| Some((Indicator::ShareSold, percent));
    parts
        .rows
        .push(cx.row(text.portfolio_size, integer(share.size), None));
    parts
        .rows
        .push(cx.row(text.works_sold, integer(share.works_sold), None));
    parts
        .rows
        .push(cx.row(text.sales, Value::Integer(share.units), None));

    let mut old_measure = match share.monthly {
        None => {
            parts.kpi(cx, text.share_sold, Indicator::ShareSold, share.works_share);
            parts.kpi(
                cx,
                text.old_measure,
                Indicator::ShareSold,
                share.units_share,
            );
            parts.rows.push(cx.row(
                text.share_sold,
                Value::Percent(share.works_share),
                banded(share.works_share),
            ));
            cx.row(
                text.old_measure,
                Value::Percent(share.units_share),
                banded(share.units_share),
            )
        }
        Some(monthly) => {
            parts.kpi(
                cx,
                text.share_sold_monthly,
                Indicator::ShareSold,
                monthly.works_share,
            );
            parts.kpi(
                cx,
                text.old_measure_monthly,
                Indicator::ShareSold,
                monthly.units_share,
            );
            parts
                .rows
                .push(cx.row(text.share_sold, Value::Percent(share.works_share), None));
            parts.rows.push(cx.row(
                text.share_sold_monthly,
                Value::Percent(monthly.works_share),
                banded(monthly.works_share),
            ));
            parts
                .rows
                .push(cx.row(text.old_measure, Value::Percent(share.units_share), None));
            parts.note(
                NoteLevel::Info,
                lexicon::monthly_bands(cx.locale, share.months),
            );
            cx.row(
                text.old_measure_monthly,
                Value::Percent(monthly.units_share),
                banded(monthly.units_share),
            )
        }
    };
    // The old measure's band reads on the old bot's scale, but its advice is the same whatever
    // the band: it overstates, so judge by the share of works sold.
    if let Some(advice) = old_measure.get_mut(3) {
        *advice = Value::Text(text.old_measure_advice.into());
    }
    parts.rows.push(old_measure);

    if share.works_sold > u64::from(share.size) {
        parts.note(
            NoteLevel::Warning,
            lexicon::sold_more_than_size(cx.locale, share.works_sold, share.size),
        );
    }
}

fn new_work(cx: &Context<'_>, parts: &mut Parts) {
    match &cx.indicators.new_work {
        Outcome::NoPeriod => {}
        // An empty selection is already said once.
        Outcome::NoRecentSales { .. } if cx.stats.is_empty() => {}
        Outcome::NoRecentSales { boundary } => parts.note(
            NoteLevel::Info,
            lexicon::new_work_no_recent_sales(cx.locale, *boundary),
        ),
        Outcome::Unknown {
            boundary,
            needed_from,
        } => parts.note(
            NoteLevel::Info,
            lexicon::new_work_unknown(cx.locale, *boundary, *needed_from),
        ),
        Outcome::Known(new) => new_work_share(cx, new, parts),
    }
}

fn new_work_share(cx: &Context<'_>, new: &NewWork, parts: &mut Parts) {
    let text = cx.text;
    parts.kpi(cx, text.new_share, Indicator::NewWork, new.share_of_sales);
    parts
        .rows
        .push(cx.row(text.new_sales, Value::Integer(new.new.units), None));
    parts.rows.push(cx.row(
        text.new_share,
        Value::Percent(new.share_of_sales),
        Some((Indicator::NewWork, new.share_of_sales)),
    ));
    let several = cx.several_currencies();
    for (currency, code) in cx.stats.currencies.codes().iter().enumerate() {
        let share = new
            .share_of_revenue(currency)
            .map_or(Value::Empty, Value::Percent);
        let label = with_currency(text.new_revenue_share, code, several);
        parts.rows.push(cx.row(&label, share, None));
    }

    let sources = &cx.stats.sources;
    let name_sources = sources.len() > 1;
    let history = new
        .methods
        .iter()
        .filter_map(|m| match m.method {
            Method::History { months_before } => Some(months_before),
            Method::Ids { .. } => None,
        })
        .min();
    if let Some(months) = history {
        parts.note(
            NoteLevel::Info,
            lexicon::new_work_by_history(cx.locale, new.boundary, months),
        );
        if months < HISTORY_COMFORTABLE_MONTHS {
            parts.note(
                NoteLevel::Info,
                lexicon::new_work_short_history(cx.locale, months),
            );
        }
    }
    let ids: Vec<(Option<&str>, u64)> = new
        .methods
        .iter()
        .filter_map(|m| match m.method {
            Method::Ids { boundary_id } => Some((
                sources
                    .get(m.source)
                    .filter(|_| name_sources)
                    .map(|s| s.name.as_str()),
                boundary_id,
            )),
            Method::History { .. } => None,
        })
        .collect();
    if !ids.is_empty() {
        parts.note(
            NoteLevel::Info,
            lexicon::new_work_by_ids(cx.locale, new.boundary, &ids),
        );
    }
    if !new.left_out.is_empty() {
        let names: Vec<String> = new
            .left_out
            .iter()
            .filter_map(|&i| sources.get(i).map(|s| s.name.clone()))
            .collect();
        parts.note(
            NoteLevel::Info,
            lexicon::new_work_left_out(cx.locale, &names),
        );
    }
    if new.window_is_part {
        parts.note(
            NoteLevel::Info,
            lexicon::new_work_window(cx.locale, new.boundary),
        );
    }
}

fn uploads(cx: &Context<'_>, parts: &mut Parts) {
    let text = cx.text;
    match &cx.indicators.uploads {
        Uploads::NotGiven { limit, uploads } => {
            if let Some(uploads) = uploads {
                parts
                    .rows
                    .push(cx.row(text.uploads, integer(*uploads), None));
            }
            let missing = match (limit, uploads) {
                (None, None) => text.missing_limit_and_uploads,
                (None, Some(_)) => text.missing_limit,
                _ => text.missing_uploads,
            };
            parts.note(NoteLevel::Info, missing);
        }
        Uploads::ZeroLimit { uploads } => {
            parts
                .rows
                .push(cx.row(text.uploads, integer(*uploads), None));
            parts.note(NoteLevel::Warning, text.zero_limit);
        }
        Uploads::NoPeriod => {}
        Uploads::Known(usage) => {
            parts.kpi(cx, text.upload_usage, Indicator::UploadUsage, usage.usage);
            parts
                .rows
                .push(cx.row(text.uploads, integer(usage.uploads), None));
            parts
                .rows
                .push(cx.row(text.period_limit, integer(usage.period_limit), None));
            parts.rows.push(cx.row(
                text.upload_usage,
                Value::Percent(usage.usage),
                Some((Indicator::UploadUsage, usage.usage)),
            ));
            parts.note(
                NoteLevel::Info,
                lexicon::limit_scaled(
                    cx.locale,
                    usage.limit.count,
                    usage.limit.per,
                    usage.periods,
                    usage.period_limit,
                ),
            );
            if u64::from(usage.uploads) > usage.period_limit {
                parts.note(
                    NoteLevel::Warning,
                    lexicon::uploads_over_limit(cx.locale, usage.uploads, usage.period_limit),
                );
            }
        }
    }
}

fn acceptance(cx: &Context<'_>, parts: &mut Parts) {
    let text = cx.text;
    match cx.indicators.acceptance {
        None => parts.note(NoteLevel::Info, text.missing_acceptance),
        Some(rate) => {
            parts.kpi(cx, text.acceptance, Indicator::Acceptance, rate);
            parts.rows.push(cx.row(
                text.acceptance,
                Value::Percent(rate),
                Some((Indicator::Acceptance, rate)),
            ));
            if cx.indicators.ai {
                parts.note(NoteLevel::Info, text.ai_note);
            }
        }
    }
}
