//! For a report generator's own tests: sales and requests in one line each, a whole analysis in
//! one call, and lookups into the report that fail with a message naming what is there.
//!
//! ```
//! use stocklens_plugin_sdk::testing::{day, request, sale};
//! let sale = sale("2025-07-14", "A1", 2, 1_980_000, "USD");
//! assert_eq!((sale.date, sale.units), (day("2025-07-14"), 2));
//! assert_eq!(request("ru", "2025-10-01").locale, "ru");
//! ```

use crate::{
    Analysis, Block, Chart, Date, Filters, Kpi, MediaType, Money, Note, PortfolioFacts, Report,
    Request, Sale, Scope, Section, Table, Value,
};

/// The date written `YYYY-MM-DD`; panics on anything else (test input is fixed).
pub fn day(iso: &str) -> Date {
    let parts: Vec<u16> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [year, month, day] => Date::new(year, month as u8, day as u8),
        _ => None,
    }
    .unwrap_or_else(|| panic!("{iso:?} is not a YYYY-MM-DD date"))
}

/// A photo sale of `units` earning `micros` of `currency` on `date` (`YYYY-MM-DD`), titled
/// "Asset {asset}" with file name "{asset}.jpg" and no license or country.
pub fn sale(date: &str, asset: &str, units: i32, micros: i64, currency: &str) -> Sale {
    Sale {
        date: day(date),
        time: None,
        asset_id: asset.into(),
        title: Some(format!("Asset {asset}")),
        file_name: Some(format!("{asset}.jpg")),
        media: MediaType::Photo,
        license: None,
        units,
        earnings: Money {
            micros,
            currency: currency.into(),
        },
        country: None,
    }
}

/// A request in `locale` on `today` (`YYYY-MM-DD`), with no filters and no portfolio facts.
pub fn request(locale: &str, today: &str) -> Request {
    Request {
        locale: locale.into(),
        filters: Filters::default(),
        facts: PortfolioFacts::default(),
        today: day(today),
    }
}

/// Runs one analysis: `batches` of (source, scope, sales) fed in order, then finished; panics
/// with the generator's message if it fails.
pub fn analyze<A: Analysis>(request: Request, batches: Vec<(&str, Scope, Vec<Sale>)>) -> Report {
    let mut analysis = A::new(request);
    for (source, scope, sales) in batches {
        let borrowed: Vec<_> = sales.iter().map(Sale::as_ref).collect();
        analysis.feed(source, scope, &borrowed);
    }
    analysis
        .finish()
        .unwrap_or_else(|err| panic!("the report failed: {err}"))
}

/// The section with anchor `id`; panics naming the sections there are.
pub fn section<'a>(report: &'a Report, id: &str) -> &'a Section {
    report
        .sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = report.sections.iter().map(|s| s.id.as_str()).collect();
            panic!("no section {id:?}; the report has {ids:?}")
        })
}

/// Every KPI of the section, in order.
pub fn kpis(section: &Section) -> Vec<&Kpi> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Kpis(kpis) => Some(kpis.iter()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The value of the KPI labelled `label`; panics naming the labels there are.
pub fn kpi<'a>(section: &'a Section, label: &str) -> &'a Value {
    let all = kpis(section);
    all.iter()
        .find(|kpi| kpi.label == label)
        .map(|kpi| &kpi.value)
        .unwrap_or_else(|| {
            let labels: Vec<&str> = all.iter().map(|k| k.label.as_str()).collect();
            panic!("no KPI {label:?} in {:?}; it has {labels:?}", section.id)
        })
}

/// Every table of the section, in order.
pub fn tables(section: &Section) -> Vec<&Table> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Table(table) => Some(table),
            _ => None,
        })
        .collect()
}

/// The table titled `title`; panics naming the titles there are.
pub fn table<'a>(section: &'a Section, title: &str) -> &'a Table {
    let all = tables(section);
    all.iter()
        .find(|t| t.title.as_deref() == Some(title))
        .copied()
        .unwrap_or_else(|| {
            let titles: Vec<_> = all.iter().map(|t| t.title.as_deref()).collect();
            panic!("no table {title:?} in {:?}; it has {titles:?}", section.id)
        })
}

/// The column named `column` of `table`, one value per row; panics naming the columns.
pub fn column<'a>(table: &'a Table, column: &str) -> Vec<&'a Value> {
    let index = table
        .columns
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no column {column:?}; the table has {:?}", table.columns));
    table.rows.iter().map(|row| &row[index]).collect()
}

/// Every chart of the section, in order.
pub fn charts(section: &Section) -> Vec<&Chart> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Chart(chart) => Some(chart),
            _ => None,
        })
        .collect()
}

/// Every note of the section, in order.
pub fn notes(section: &Section) -> Vec<&Note> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Note(note) => Some(note),
            _ => None,
        })
        .collect()
}

/// Money of `micros` in `currency`, as a value to compare with.
pub fn money(micros: i64, currency: &str) -> Value {
    Value::Money(Money {
        micros,
        currency: currency.into(),
    })
}

/// The percentage a value holds; panics on any other value.
pub fn percent(value: &Value) -> f64 {
    match value {
        Value::Percent(p) => *p,
        other => panic!("expected a percentage, found {other:?}"),
    }
}

/// Every text a reader would see in the report (titles, labels, notes, text cells, highlights),
/// one per line: for checking wording and that no English is left in a Russian report.
pub fn all_text(report: &Report) -> String {
    let mut out = Vec::new();
    for note in &report.highlights {
        out.push(note.text.clone());
    }
    for section in &report.sections {
        out.push(section.title.clone());
        for block in &section.blocks {
            match block {
                Block::Kpis(kpis) => {
                    for kpi in kpis {
                        out.push(kpi.label.clone());
                        out.extend(kpi.note.clone());
                        if let Value::Text(text) = &kpi.value {
                            out.push(text.clone());
                        }
                    }
                }
                Block::Table(table) => {
                    out.extend(table.title.clone());
                    out.extend(table.columns.iter().cloned());
                    for row in &table.rows {
                        for cell in row {
                            if let Value::Text(text) = cell {
                                out.push(text.clone());
                            }
                        }
                    }
                }
                Block::Chart(chart) => {
                    out.push(chart.title.clone());
                    out.extend(chart.series.iter().map(|s| s.name.clone()));
                }
                Block::Note(note) => out.push(note.text.clone()),
            }
        }
    }
    out.join("\n")
}

/// Scope shorthand for batches: `(source, SELECTED, sales)`.
pub const SELECTED: Scope = Scope::Selected;
/// Scope shorthand for batches: `(source, HISTORY, sales)`.
pub const HISTORY: Scope = Scope::History;

/// The sales as a generator receives them, borrowing from `sales`: for feeding a generator's
/// own folding code in its tests.
pub fn borrowed(sales: &[Sale]) -> Vec<crate::SaleRef<'_>> {
    sales.iter().map(Sale::as_ref).collect()
}
