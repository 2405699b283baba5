//! Conversions between the SDK's plain types and the generated ones.
//!
//! Every conversion moves fields; strings and vectors change owner but are never copied, and
//! vectors of same-layout elements are converted in place by `collect`. This matters: a million
//! sales cross the boundary in a big parse.

use super::analyzer_world::exports::stocklens::plugin::analyzer as wa;
use super::parser_world::exports::stocklens::plugin::parser as wp;
use super::parser_world::stocklens::plugin::types as wt;
use crate::{analyzer as a, packed as pk, parser as p, report as r, types as t};

fn map_vec<A, B: From<A>>(items: Vec<A>) -> Vec<B> {
    items.into_iter().map(B::from).collect()
}

impl From<t::Date> for wt::Date {
    fn from(d: t::Date) -> Self {
        wt::Date {
            year: d.year,
            month: d.month,
            day: d.day,
        }
    }
}

impl From<wt::Date> for t::Date {
    fn from(d: wt::Date) -> Self {
        t::Date {
            year: d.year,
            month: d.month,
            day: d.day,
        }
    }
}

impl From<t::Time> for wt::Time {
    fn from(x: t::Time) -> Self {
        wt::Time {
            hour: x.hour,
            minute: x.minute,
            second: x.second,
            utc_offset_minutes: x.utc_offset_minutes,
        }
    }
}

impl From<wt::Time> for t::Time {
    fn from(x: wt::Time) -> Self {
        t::Time {
            hour: x.hour,
            minute: x.minute,
            second: x.second,
            utc_offset_minutes: x.utc_offset_minutes,
        }
    }
}

impl From<t::MediaType> for wt::MediaType {
    fn from(m: t::MediaType) -> Self {
        match m {
            t::MediaType::Photo => wt::MediaType::Photo,
            t::MediaType::Illustration => wt::MediaType::Illustration,
            t::MediaType::Vector => wt::MediaType::Vector,
            t::MediaType::Video => wt::MediaType::Video,
            t::MediaType::Audio => wt::MediaType::Audio,
            t::MediaType::Template => wt::MediaType::Template,
            t::MediaType::Other => wt::MediaType::Other,
        }
    }
}

impl From<wt::MediaType> for t::MediaType {
    fn from(m: wt::MediaType) -> Self {
        match m {
            wt::MediaType::Photo => t::MediaType::Photo,
            wt::MediaType::Illustration => t::MediaType::Illustration,
            wt::MediaType::Vector => t::MediaType::Vector,
            wt::MediaType::Video => t::MediaType::Video,
            wt::MediaType::Audio => t::MediaType::Audio,
            wt::MediaType::Template => t::MediaType::Template,
            wt::MediaType::Other => t::MediaType::Other,
        }
    }
}

impl From<t::Money> for wt::Money {
    fn from(m: t::Money) -> Self {
        wt::Money {
            micros: m.micros,
            currency: m.currency,
        }
    }
}

impl From<wt::Money> for t::Money {
    fn from(m: wt::Money) -> Self {
        t::Money {
            micros: m.micros,
            currency: m.currency,
        }
    }
}

impl From<pk::TextRef> for wt::TextRef {
    fn from(r: pk::TextRef) -> Self {
        wt::TextRef {
            start: r.start,
            len: r.len,
        }
    }
}

impl From<wt::TextRef> for pk::TextRef {
    fn from(r: wt::TextRef) -> Self {
        pk::TextRef {
            start: r.start,
            len: r.len,
        }
    }
}

impl From<pk::PackedSale> for wt::PackedSale {
    fn from(s: pk::PackedSale) -> Self {
        wt::PackedSale {
            date: s.date.into(),
            time: s.time.map(Into::into),
            asset_id: s.asset_id.into(),
            title: s.title.map(Into::into),
            file_name: s.file_name.map(Into::into),
            media: s.media.into(),
            license: s.license.map(Into::into),
            units: s.units,
            earnings_micros: s.earnings_micros,
            currency: s.currency.into(),
            country: s.country.map(Into::into),
        }
    }
}

/// Sales lent to a report generator per `feed` call: a batch is handed over in slices of this
/// many, converted into one reused buffer of 16 KB that stays in cache, rather than into one
/// list the size of the batch (half a megabyte per 4,096 sales, written and read back once per
/// generator).
const LENT_SALES: usize = 128;

/// Feeds a batch to `feed` in slices of [`LENT_SALES`] sales that borrow their strings from its
/// text, read straight from the generated records.
pub(super) fn lend_wit(batch: &wt::SaleBatch, mut feed: impl FnMut(&[t::SaleRef<'_>])) {
    let text = batch.text.as_str();
    let at = |range: wt::TextRef| {
        pk::text_at(
            text,
            pk::TextRef {
                start: range.start,
                len: range.len,
            },
        )
    };
    let mut lent = Vec::with_capacity(LENT_SALES.min(batch.sales.len()));
    for slice in batch.sales.chunks(LENT_SALES) {
        lent.clear();
        lent.extend(slice.iter().map(|s| t::SaleRef {
            date: s.date.into(),
            time: s.time.map(Into::into),
            asset_id: at(s.asset_id),
            title: s.title.map(at),
            file_name: s.file_name.map(at),
            media: s.media.into(),
            license: s.license.map(at),
            units: s.units,
            micros: s.earnings_micros,
            currency: at(s.currency),
            country: s.country.map(at),
        }));
        feed(&lent);
    }
}

/// Packs a parser's sales for the boundary.
pub(super) fn sales_to_wit(sales: Vec<t::Sale>) -> wt::SaleBatch {
    let packed = pk::pack(sales);
    wt::SaleBatch {
        text: packed.text,
        sales: map_vec(packed.sales),
    }
}

impl From<t::PluginKind> for wt::PluginKind {
    fn from(k: t::PluginKind) -> Self {
        match k {
            t::PluginKind::Parser => wt::PluginKind::Parser,
            t::PluginKind::Analyzer => wt::PluginKind::Analyzer,
        }
    }
}

impl From<t::PluginInfo> for wt::PluginInfo {
    fn from(i: t::PluginInfo) -> Self {
        wt::PluginInfo {
            id: i.id,
            name: i.name,
            version: i.version,
            kind: i.kind.into(),
            marketplace: i.marketplace,
            description: i.description,
        }
    }
}

impl From<t::RowIssue> for wt::RowIssue {
    fn from(i: t::RowIssue) -> Self {
        wt::RowIssue {
            line: i.line,
            message: i.message,
        }
    }
}

impl From<p::Detection> for wp::Detection {
    fn from(d: p::Detection) -> Self {
        wp::Detection {
            confidence: d.confidence,
            reason: d.reason,
        }
    }
}

impl From<p::Batch> for wp::Batch {
    fn from(b: p::Batch) -> Self {
        wp::Batch {
            sales: sales_to_wit(b.sales),
            issues: map_vec(b.issues),
        }
    }
}

impl From<p::ParseError> for wp::ParseError {
    fn from(e: p::ParseError) -> Self {
        wp::ParseError {
            line: e.line,
            message: e.message,
        }
    }
}

impl From<p::ParseSummary> for wp::ParseSummary {
    fn from(s: p::ParseSummary) -> Self {
        wp::ParseSummary {
            rows: s.rows,
            rows_skipped: s.rows_skipped,
        }
    }
}

impl From<p::Sample> for wp::Sample {
    fn from(s: p::Sample) -> Self {
        wp::Sample {
            file_name: s.file_name,
            content: s.content,
            expected_rows: s.expected_rows,
            expected_units: s.expected_units,
            expected_earnings: map_vec(s.expected_earnings),
        }
    }
}

impl From<wa::Filters> for a::Filters {
    fn from(f: wa::Filters) -> Self {
        a::Filters {
            from: f.from.map(Into::into),
            to: f.to.map(Into::into),
            media: f.media.map(Into::into),
        }
    }
}

impl From<wa::LimitPeriod> for a::LimitPeriod {
    fn from(p: wa::LimitPeriod) -> Self {
        match p {
            wa::LimitPeriod::Week => a::LimitPeriod::Week,
            wa::LimitPeriod::Month => a::LimitPeriod::Month,
        }
    }
}

impl From<wa::UploadLimit> for a::UploadLimit {
    fn from(l: wa::UploadLimit) -> Self {
        a::UploadLimit {
            count: l.count,
            per: l.per.into(),
        }
    }
}

impl From<wa::ContentFocus> for a::ContentFocus {
    fn from(c: wa::ContentFocus) -> Self {
        match c {
            wa::ContentFocus::Ai => a::ContentFocus::Ai,
            wa::ContentFocus::Photo => a::ContentFocus::Photo,
            wa::ContentFocus::Illustration => a::ContentFocus::Illustration,
            wa::ContentFocus::Video => a::ContentFocus::Video,
            wa::ContentFocus::Vector => a::ContentFocus::Vector,
        }
    }
}

impl From<wa::PortfolioFacts> for a::PortfolioFacts {
    fn from(f: wa::PortfolioFacts) -> Self {
        a::PortfolioFacts {
            portfolio_size: f.portfolio_size,
            upload_limit: f.upload_limit.map(Into::into),
            uploads_in_period: f.uploads_in_period,
            acceptance_rate: f.acceptance_rate,
            main_content: f.main_content.map(Into::into),
        }
    }
}

impl From<wa::Request> for a::Request {
    fn from(r: wa::Request) -> Self {
        a::Request {
            locale: r.locale,
            filters: r.filters.into(),
            facts: r.facts.into(),
            today: r.today.into(),
        }
    }
}

impl From<wa::Scope> for a::Scope {
    fn from(s: wa::Scope) -> Self {
        match s {
            wa::Scope::Selected => a::Scope::Selected,
            wa::Scope::History => a::Scope::History,
        }
    }
}

impl From<r::Value> for wa::Value {
    fn from(v: r::Value) -> Self {
        match v {
            r::Value::Empty => wa::Value::Empty,
            r::Value::Text(s) => wa::Value::Text(s),
            r::Value::Integer(i) => wa::Value::Integer(i),
            r::Value::Number(n) => wa::Value::Number(n),
            r::Value::Percent(p) => wa::Value::Percent(p),
            r::Value::Money(m) => wa::Value::Money(m.into()),
            r::Value::Date(d) => wa::Value::Date(d.into()),
            r::Value::Month(d) => wa::Value::Month(d.into()),
        }
    }
}

impl From<r::Kpi> for wa::Kpi {
    fn from(k: r::Kpi) -> Self {
        wa::Kpi {
            label: k.label,
            value: k.value.into(),
            note: k.note,
        }
    }
}

impl From<r::Table> for wa::Table {
    fn from(t: r::Table) -> Self {
        wa::Table {
            title: t.title,
            columns: t.columns,
            rows: t.rows.into_iter().map(map_vec).collect(),
        }
    }
}

impl From<r::ChartKind> for wa::ChartKind {
    fn from(k: r::ChartKind) -> Self {
        match k {
            r::ChartKind::Columns => wa::ChartKind::Columns,
            r::ChartKind::Bars => wa::ChartKind::Bars,
            r::ChartKind::Line => wa::ChartKind::Line,
        }
    }
}

impl From<r::ChartUnit> for wa::ChartUnit {
    fn from(u: r::ChartUnit) -> Self {
        match u {
            r::ChartUnit::Count => wa::ChartUnit::Count,
            r::ChartUnit::Percent => wa::ChartUnit::Percent,
            r::ChartUnit::Money(currency) => wa::ChartUnit::Money(currency),
        }
    }
}

impl From<r::Series> for wa::Series {
    fn from(s: r::Series) -> Self {
        wa::Series {
            name: s.name,
            values: s.values,
        }
    }
}

impl From<r::Chart> for wa::Chart {
    fn from(c: r::Chart) -> Self {
        wa::Chart {
            title: c.title,
            kind: c.kind.into(),
            unit: c.unit.into(),
            labels: map_vec(c.labels),
            series: map_vec(c.series),
        }
    }
}

impl From<r::NoteLevel> for wa::NoteLevel {
    fn from(l: r::NoteLevel) -> Self {
        match l {
            r::NoteLevel::Info => wa::NoteLevel::Info,
            r::NoteLevel::Good => wa::NoteLevel::Good,
            r::NoteLevel::Warning => wa::NoteLevel::Warning,
        }
    }
}

impl From<r::Note> for wa::Note {
    fn from(n: r::Note) -> Self {
        wa::Note {
            level: n.level.into(),
            text: n.text,
        }
    }
}

impl From<r::Block> for wa::Block {
    fn from(b: r::Block) -> Self {
        match b {
            r::Block::Kpis(kpis) => wa::Block::Kpis(map_vec(kpis)),
            r::Block::Table(table) => wa::Block::Table(table.into()),
            r::Block::Chart(chart) => wa::Block::Chart(chart.into()),
            r::Block::Note(note) => wa::Block::Note(note.into()),
        }
    }
}

impl From<r::Section> for wa::Section {
    fn from(s: r::Section) -> Self {
        wa::Section {
            id: s.id,
            title: s.title,
            blocks: map_vec(s.blocks),
        }
    }
}

impl From<r::Report> for wa::Report {
    fn from(r: r::Report) -> Self {
        wa::Report {
            sections: map_vec(r.sections),
            highlights: map_vec(r.highlights),
        }
    }
}
