//! Typed report content an analyzer returns: sections built from KPI cards, tables, charts and
//! notes.
//!
//! Nothing here is presentation: values stay typed ([`Value::Money`], [`Value::Percent`]...) and
//! the host formats, escapes and draws them for the contributor's locale. A plugin never produces
//! HTML.

use crate::types::{Date, Money};

/// One value in a KPI card or table cell. The host formats it for the locale.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing to show.
    Empty,
    /// Plain text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A plain number with decimals, e.g. an average count.
    Number(f64),
    /// A percentage: 12.5 means 12.5 %.
    Percent(f64),
    /// An amount of money.
    Money(Money),
    /// A calendar date.
    Date(Date),
    /// A calendar month; the day is ignored.
    Month(Date),
}

impl Value {
    /// A sum of money as a value, exactly; an error (for `finish` to return) only if the sum no
    /// longer fits the interface's 64-bit micros, since rounding it would misstate it.
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Money, Value};
    /// let value = Value::money(1_980_000, "USD");
    /// assert_eq!(value, Ok(Value::Money(Money { micros: 1_980_000, currency: "USD".into() })));
    /// assert!(Value::money(i128::MAX, "USD").is_err());
    /// ```
    pub fn money(micros: i128, currency: &str) -> Result<Value, String> {
        let micros = i64::try_from(micros)
            .map_err(|_| format!("the revenue in {currency} is too large to report exactly"))?;
        Ok(Value::Money(Money {
            micros,
            currency: currency.to_owned(),
        }))
    }
}

/// A headline figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    /// What the figure is.
    pub label: String,
    /// The figure.
    pub value: Value,
    /// A short comment under the figure, e.g. "in 3 currencies".
    pub note: Option<String>,
}

/// A table; every row has as many cells as there are columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Caption, if any.
    pub title: Option<String>,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Value>>,
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Vertical bars over a sequence (months, weekdays).
    Columns,
    /// Horizontal bars, one per category.
    Bars,
    /// A line over a sequence.
    Line,
}

/// What a chart's numbers measure.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChartUnit {
    /// A count.
    Count,
    /// A percentage.
    Percent,
    /// Money in this ISO 4217 currency; values are in micros.
    Money(String),
}

/// One named series of values, one per label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// One value per chart label.
    pub values: Vec<f64>,
}

/// A chart; the host draws it as inline SVG next to a table of the same numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Caption.
    pub title: String,
    /// How it is drawn.
    pub kind: ChartKind,
    /// What the values measure.
    pub unit: ChartUnit,
    /// One label per position on the category axis.
    pub labels: Vec<Value>,
    /// The data.
    pub series: Vec<Series>,
}

/// How a note should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteLevel {
    /// Neutral information.
    Info,
    /// Good news.
    Good,
    /// Something to look at.
    Warning,
}

/// A sentence of interpretation or advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// How it should be read.
    pub level: NoteLevel,
    /// The sentence, in the request's language.
    pub text: String,
}

impl Note {
    /// A note of `level` saying `text`.
    pub fn new(level: NoteLevel, text: impl Into<String>) -> Note {
        Note {
            level,
            text: text.into(),
        }
    }
}

/// One building block of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A row of headline figures.
    Kpis(Vec<Kpi>),
    /// A table.
    Table(Table),
    /// A chart.
    Chart(Chart),
    /// A note.
    Note(Note),
}

/// A report section, shown with its own heading and table-of-contents entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable anchor, lower-case with dashes, e.g. "top-assets".
    pub id: String,
    /// Heading, in the request's language.
    pub title: String,
    /// Content, in order.
    pub blocks: Vec<Block>,
}

/// What an analyzer returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Sections, in order.
    pub sections: Vec<Section>,
    /// The most important findings first; the chat summary shows the first few.
    pub highlights: Vec<Note>,
}
