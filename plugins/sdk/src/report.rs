//! Typed report content an analyzer returns: sections built from KPI cards, tables, charts and
//! notes.
//!
//! Nothing here is presentation: values stay typed ([`Value::Money`], [`Value::Percent`]...) and
//! the host formats, escapes and draws them for the contributor's locale. A plugin never produces
//! HTML.

use crate::types::{Date, Money};

/// One value in a KPI card or table cell. The host formats it for the locale.
///
/// ```
/// use stocklens_plugin_sdk::{Date, Value};
/// let july = Date::new(2025, 7, 1).unwrap();
/// let revenue = Value::money(990_000, "USD")?;
/// let row = [Value::Month(july), Value::Integer(12), Value::Percent(12.5), revenue];
/// assert!(matches!(&row[3], Value::Money(money) if money.currency == "USD"));
/// # Ok::<(), String>(())
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::{Kpi, Locale, Value};
/// let kpi = Kpi {
///     label: "Revenue".into(),
///     value: Value::money(2_970_000, "USD")?,
///     note: Some(Locale::En.counted(3, ("sale", "sales"), ("продажа", "продажи", "продаж"))),
/// };
/// assert_eq!(kpi.note.as_deref(), Some("3 sales"));
/// # Ok::<(), String>(())
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::column;
/// use stocklens_plugin_sdk::{Table, Value};
/// let table = Table {
///     title: Some("By asset".into()),
///     columns: vec!["Asset".into(), "Units".into()],
///     rows: vec![
///         vec![Value::Text("Lemons".into()), Value::Integer(3)],
///         vec![Value::Text("Sunset".into()), Value::Integer(1)],
///     ],
/// };
/// assert!(table.rows.iter().all(|row| row.len() == table.columns.len()));
/// assert_eq!(column(&table, "Units"), [&Value::Integer(3), &Value::Integer(1)]);
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::charts;
/// use stocklens_plugin_sdk::{Block, Chart, ChartKind, ChartUnit, Section, Series, Value};
/// // Assets are categories, not a sequence: horizontal bars.
/// let top = Chart {
///     title: "Top assets".into(),
///     kind: ChartKind::Bars,
///     unit: ChartUnit::Count,
///     labels: vec![Value::Text("Lemons".into()), Value::Text("Sunset".into())],
///     series: vec![Series { name: "Sales".into(), values: vec![12.0, 7.0] }],
/// };
/// let blocks = vec![Block::Chart(top)];
/// let section = Section { id: "top".into(), title: "Top".into(), blocks };
/// assert_eq!(charts(&section)[0].kind, ChartKind::Bars);
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::{ChartUnit, DecimalStyle, Series, format_micros};
/// // Money is charted in micros, like every amount.
/// let unit = ChartUnit::Money("EUR".into());
/// let revenue = Series { name: "Revenue".into(), values: vec![2_500_000.0] };
/// assert_eq!(unit, ChartUnit::Money("EUR".into()));
/// assert_eq!(format_micros(revenue.values[0] as i128, DecimalStyle::PLAIN), "2.50");
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::{Series, Tally};
/// let mut months = [Tally::default(), Tally::default(), Tally::default()];
/// months[0].add(0, 2, 1_980_000);
/// months[2].add(0, 1, 990_000);
/// let values = months.iter().map(|month| month.units as f64).collect();
/// let units = Series { name: "Units".into(), values };
/// assert_eq!(units.values, [2.0, 0.0, 1.0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// One value per chart label.
    pub values: Vec<f64>,
}

/// A chart; the host draws it as inline SVG next to a table of the same numbers.
///
/// ```
/// use stocklens_plugin_sdk::{Chart, ChartKind, ChartUnit, Date, Series, Value};
/// let months = [7, 8, 9].map(|m| Value::Month(Date { year: 2025, month: m, day: 1 }));
/// let chart = Chart {
///     title: "Revenue by month".into(),
///     kind: ChartKind::Columns,
///     unit: ChartUnit::Money("USD".into()),
///     labels: months.to_vec(),
///     series: vec![Series { name: "Revenue".into(), values: vec![990_000.0, 1_980_000.0, 0.0] }],
/// };
/// assert!(chart.series.iter().all(|s| s.values.len() == chart.labels.len()));
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::{Locale, Note, NoteLevel};
/// let change = -12.5;
/// let level = if change < 0.0 { NoteLevel::Warning } else { NoteLevel::Good };
/// let note = Note::new(level, format!("Revenue fell by {}.", Locale::En.percent(-change, 1)));
/// assert_eq!((note.level, note.text.as_str()), (NoteLevel::Warning, "Revenue fell by 12.5%."));
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::{Note, NoteLevel};
/// let note = Note { level: NoteLevel::Info, text: "Sums are kept per currency.".into() };
/// assert_eq!(note, Note::new(NoteLevel::Info, "Sums are kept per currency."));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// How it should be read.
    pub level: NoteLevel,
    /// The sentence, in the request's language.
    pub text: String,
}

impl Note {
    /// A note of `level` saying `text`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Locale, Note, NoteLevel};
    /// let note = Note::new(NoteLevel::Good, format!("Best month: {}.", Locale::En.month_name(7)));
    /// assert_eq!(note.text, "Best month: July.");
    /// ```
    pub fn new(level: NoteLevel, text: impl Into<String>) -> Note {
        Note {
            level,
            text: text.into(),
        }
    }
}

/// One building block of a section.
///
/// ```
/// use stocklens_plugin_sdk::{Block, Kpi, Note, NoteLevel, Value};
/// let blocks = vec![
///     Block::Kpis(vec![Kpi { label: "Sales".into(), value: Value::Integer(12), note: None }]),
///     Block::Note(Note::new(NoteLevel::Info, "Refunds are counted as negative sales.")),
/// ];
/// assert_eq!(blocks.iter().filter(|b| matches!(b, Block::Note(_))).count(), 1);
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::notes;
/// use stocklens_plugin_sdk::{Block, Note, NoteLevel, Section};
/// let empty = Section {
///     id: "top-assets".into(),
///     title: "Top assets".into(),
///     blocks: vec![Block::Note(Note::new(NoteLevel::Info, "No sales in the period."))],
/// };
/// assert_eq!(notes(&empty)[0].text, "No sales in the period.");
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::{all_text, section};
/// use stocklens_plugin_sdk::{Note, NoteLevel, Report, Section};
/// let report = Report {
///     sections: vec![Section {
///         id: "summary".into(),
///         title: "Summary".into(),
///         blocks: Vec::new(),
///     }],
///     highlights: vec![Note::new(NoteLevel::Good, "Best month so far.")],
/// };
/// assert_eq!(section(&report, "summary").title, "Summary");
/// assert_eq!(all_text(&report), "Best month so far.\nSummary");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Sections, in order.
    pub sections: Vec<Section>,
    /// The most important findings first; the chat summary shows the first few.
    pub highlights: Vec<Note>,
}
