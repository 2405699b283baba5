//! Converts what a report generator returned (WIT types) into the host's report model, and
//! names the selection in the reader's language.

use crate::plugin::analyzer_types as wit;
use crate::plugin::types;
use crate::report::model::{
    AnalyzerReport, Block, Chart, ChartKind, ChartUnit, Date, Kpi, Lang, Money, Note, NoteLevel,
    Section, Series, Table, Value,
};

use super::selection::ContentType;

pub(super) fn convert(analyzer: String, report: wit::Report) -> AnalyzerReport {
    AnalyzerReport {
        analyzer,
        sections: report.sections.into_iter().map(section).collect(),
        highlights: report.highlights.into_iter().map(note).collect(),
    }
}

fn section(section: wit::Section) -> Section {
    Section {
        id: section.id,
        title: section.title,
        blocks: section.blocks.into_iter().map(block).collect(),
    }
}

fn block(block: wit::Block) -> Block {
    match block {
        wit::Block::Kpis(kpis) => Block::Kpis(
            kpis.into_iter()
                .map(|k| Kpi {
                    label: k.label,
                    value: value(k.value),
                    note: k.note,
                })
                .collect(),
        ),
        wit::Block::Table(t) => Block::Table(Table {
            title: t.title,
            columns: t.columns,
            rows: t
                .rows
                .into_iter()
                .map(|row| row.into_iter().map(value).collect())
                .collect(),
        }),
        wit::Block::Chart(c) => Block::Chart(Chart {
            title: c.title,
            kind: match c.kind {
                wit::ChartKind::Columns => ChartKind::Columns,
                wit::ChartKind::Bars => ChartKind::Bars,
                wit::ChartKind::Line => ChartKind::Line,
            },
            unit: match c.unit {
                wit::ChartUnit::Count => ChartUnit::Count,
                wit::ChartUnit::Percent => ChartUnit::Percent,
                wit::ChartUnit::Money(currency) => ChartUnit::Money(currency),
            },
            labels: c.labels.into_iter().map(value).collect(),
            series: c
                .series
                .into_iter()
                .map(|s| Series {
                    name: s.name,
                    values: s.values,
                })
                .collect(),
        }),
        wit::Block::Note(n) => Block::Note(note(n)),
    }
}

fn note(note: wit::Note) -> Note {
    Note {
        level: match note.level {
            wit::NoteLevel::Info => NoteLevel::Info,
            wit::NoteLevel::Good => NoteLevel::Good,
            wit::NoteLevel::Warning => NoteLevel::Warning,
        },
        text: note.text,
    }
}

fn value(value: wit::Value) -> Value {
    match value {
        wit::Value::Empty => Value::Empty,
        wit::Value::Text(text) => Value::Text(text),
        wit::Value::Integer(n) => Value::Integer(n),
        wit::Value::Number(n) => Value::Number(n),
        wit::Value::Percent(p) => Value::Percent(p),
        wit::Value::Money(m) => Value::Money(Money {
            micros: m.micros,
            currency: m.currency,
        }),
        wit::Value::Date(d) => Value::Date(date(d)),
        wit::Value::Month(d) => Value::Month(date(d)),
    }
}

pub(super) fn date(date: types::Date) -> Date {
    Date {
        year: date.year,
        month: date.month,
        day: date.day,
    }
}

/// The content-type filter in the reader's words.
pub(super) fn content_label(lang: Lang, content: ContentType) -> String {
    use types::MediaType::*;
    let label = match (lang, content) {
        (Lang::En, ContentType::All) => "all content",
        (Lang::Ru, ContentType::All) => "весь контент",
        (Lang::En, ContentType::Only(media)) => match media {
            Photo => "photos",
            Illustration => "illustrations",
            Vector => "vectors",
            Video => "videos",
            Audio => "audio",
            Template => "templates",
            Other => "other",
        },
        (Lang::Ru, ContentType::Only(media)) => match media {
            Photo => "фото",
            Illustration => "иллюстрации",
            Vector => "векторы",
            Video => "видео",
            Audio => "аудио",
            Template => "шаблоны",
            Other => "другое",
        },
    };
    label.to_owned()
}
