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
///
/// ```
/// use stocklens_plugin_sdk::Date;
/// use stocklens_plugin_sdk::testing::day;
/// assert_eq!(day("2025-07-14"), Date { year: 2025, month: 7, day: 14 });
/// assert!(std::panic::catch_unwind(|| day("14.07.2025")).is_err());
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::{day, sale};
/// use stocklens_plugin_sdk::{MediaType, Money};
/// let refund = sale("2025-07-14", "A1", -1, -990_000, "USD");
/// assert_eq!((refund.date, refund.media), (day("2025-07-14"), MediaType::Photo));
/// assert_eq!(refund.title.as_deref(), Some("Asset A1"));
/// assert_eq!(refund.file_name.as_deref(), Some("A1.jpg"));
/// assert_eq!(refund.earnings, Money { micros: -990_000, currency: "USD".into() });
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::{day, request};
/// use stocklens_plugin_sdk::{Filters, Request};
/// assert_eq!(request("ru", "2025-10-01").today, day("2025-10-01"));
/// // A test that needs a selection sets only that.
/// let july = Request {
///     filters: Filters {
///         from: Some(day("2025-07-01")),
///         to: Some(day("2025-07-31")),
///         media: None,
///     },
///     ..request("en", "2025-10-01")
/// };
/// assert_eq!(july.locale, "en");
/// ```
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
///
/// ```
/// # use stocklens_plugin_sdk::*;
/// # struct Units(i64);
/// # impl Analysis for Units {
/// #     fn new(_: Request) -> Self {
/// #         Units(0)
/// #     }
/// #     fn feed(&mut self, _: &str, scope: Scope, sales: &[SaleRef<'_>]) {
/// #         if scope == Scope::Selected {
/// #             self.0 += sales.iter().map(|s| i64::from(s.units)).sum::<i64>();
/// #         }
/// #     }
/// #     fn finish(&mut self) -> Result<Report, String> {
/// #         let kpi = Kpi { label: "Units".into(), value: Value::Integer(self.0), note: None };
/// #         let blocks = vec![Block::Kpis(vec![kpi])];
/// #         let section = Section { id: "units".into(), title: "Units".into(), blocks };
/// #         Ok(Report { sections: vec![section], highlights: Vec::new() })
/// #     }
/// # }
/// use stocklens_plugin_sdk::testing::{HISTORY, SELECTED, analyze, kpi, request, sale, section};
/// use stocklens_plugin_sdk::Value;
/// // `Units` is an `Analysis` that sums the units of the selection into the KPI "Units" (hidden).
/// let report = analyze::<Units>(
///     request("en", "2025-10-01"),
///     vec![
///         ("adobe-stock", SELECTED, vec![sale("2025-07-14", "A1", 2, 1_980_000, "USD")]),
///         ("shutterstock", SELECTED, vec![sale("2025-07-20", "B7", 1, 330_000, "USD")]),
///         ("adobe-stock", HISTORY, vec![sale("2024-07-14", "A1", 5, 4_950_000, "USD")]),
///     ],
/// );
/// assert_eq!(kpi(section(&report, "units"), "Units"), &Value::Integer(3));
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::section;
/// use stocklens_plugin_sdk::{Report, Section};
/// let report = Report {
///     sections: vec![Section {
///         id: "top-assets".into(),
///         title: "Top assets".into(),
///         blocks: Vec::new(),
///     }],
///     highlights: Vec::new(),
/// };
/// assert_eq!(section(&report, "top-assets").title, "Top assets");
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::kpis;
/// use stocklens_plugin_sdk::{Block, Kpi, Section, Value};
/// let card = |label: &str, n| Kpi { label: label.into(), value: Value::Integer(n), note: None };
/// let section = Section {
///     id: "summary".into(),
///     title: "Summary".into(),
///     blocks: vec![Block::Kpis(vec![card("Sales", 12)]), Block::Kpis(vec![card("Assets", 5)])],
/// };
/// let labels: Vec<&str> = kpis(&section).iter().map(|k| k.label.as_str()).collect();
/// assert_eq!(labels, ["Sales", "Assets"]);
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::{kpi, money};
/// use stocklens_plugin_sdk::{Block, Kpi, Section, Value};
/// let revenue = Kpi { label: "Revenue".into(), value: Value::money(990_000, "USD")?, note: None };
/// let section = Section {
///     id: "summary".into(),
///     title: "Summary".into(),
///     blocks: vec![Block::Kpis(vec![revenue])],
/// };
/// assert_eq!(kpi(&section, "Revenue"), &money(990_000, "USD"));
/// # Ok::<(), String>(())
/// ```
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
///
/// ```
/// # use stocklens_plugin_sdk::{Block, Section, Table, Value};
/// # let row = |asset: &str, units, share| {
/// #     vec![Value::Text(asset.into()), Value::Integer(units), Value::Percent(share)]
/// # };
/// # let by_asset = Table {
/// #     title: Some("By asset".into()),
/// #     columns: vec!["Asset".into(), "Units".into(), "Share".into()],
/// #     rows: vec![row("Lemons", 3, 75.0), row("Sunset", 1, 25.0)],
/// # };
/// # let section = Section {
/// #     id: "top-assets".into(),
/// #     title: "Top assets".into(),
/// #     blocks: vec![Block::Table(by_asset)],
/// # };
/// use stocklens_plugin_sdk::testing::tables;
/// // `section` holds the table "By asset" (hidden here).
/// let titles: Vec<_> = tables(&section).iter().map(|t| t.title.as_deref()).collect();
/// assert_eq!(titles, [Some("By asset")]);
/// ```
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
///
/// ```
/// # use stocklens_plugin_sdk::{Block, Section, Table, Value};
/// # let row = |asset: &str, units, share| {
/// #     vec![Value::Text(asset.into()), Value::Integer(units), Value::Percent(share)]
/// # };
/// # let by_asset = Table {
/// #     title: Some("By asset".into()),
/// #     columns: vec!["Asset".into(), "Units".into(), "Share".into()],
/// #     rows: vec![row("Lemons", 3, 75.0), row("Sunset", 1, 25.0)],
/// # };
/// # let section = Section {
/// #     id: "top-assets".into(),
/// #     title: "Top assets".into(),
/// #     blocks: vec![Block::Table(by_asset)],
/// # };
/// use stocklens_plugin_sdk::testing::table;
/// // `section` holds the table "By asset" (hidden here).
/// assert_eq!(table(&section, "By asset").columns, ["Asset", "Units", "Share"]);
/// ```
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
///
/// ```
/// # use stocklens_plugin_sdk::{Block, Section, Table, Value};
/// # let row = |asset: &str, units, share| {
/// #     vec![Value::Text(asset.into()), Value::Integer(units), Value::Percent(share)]
/// # };
/// # let by_asset = Table {
/// #     title: Some("By asset".into()),
/// #     columns: vec!["Asset".into(), "Units".into(), "Share".into()],
/// #     rows: vec![row("Lemons", 3, 75.0), row("Sunset", 1, 25.0)],
/// # };
/// # let section = Section {
/// #     id: "top-assets".into(),
/// #     title: "Top assets".into(),
/// #     blocks: vec![Block::Table(by_asset)],
/// # };
/// use stocklens_plugin_sdk::testing::{column, table};
/// // `section` holds the table "By asset" with the columns Asset, Units and Share (hidden here).
/// let units = column(table(&section, "By asset"), "Units");
/// assert_eq!(units, [&Value::Integer(3), &Value::Integer(1)]);
/// ```
pub fn column<'a>(table: &'a Table, column: &str) -> Vec<&'a Value> {
    let index = table
        .columns
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no column {column:?}; the table has {:?}", table.columns));
    table.rows.iter().map(|row| &row[index]).collect()
}

/// Every chart of the section, in order.
///
/// ```
/// use stocklens_plugin_sdk::testing::charts;
/// use stocklens_plugin_sdk::{Block, Chart, ChartKind, ChartUnit, Section, Series, Value};
/// let weekdays = Chart {
///     title: "Sales by weekday".into(),
///     kind: ChartKind::Columns,
///     unit: ChartUnit::Count,
///     labels: vec![Value::Text("Mon".into()), Value::Text("Tue".into())],
///     series: vec![Series { name: "Sales".into(), values: vec![4.0, 2.0] }],
/// };
/// let blocks = vec![Block::Chart(weekdays)];
/// let section = Section { id: "rhythm".into(), title: "Rhythm".into(), blocks };
/// assert_eq!(charts(&section)[0].series[0].values, [4.0, 2.0]);
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::notes;
/// use stocklens_plugin_sdk::{Block, Note, NoteLevel, Section};
/// let section = Section {
///     id: "advice".into(),
///     title: "Advice".into(),
///     blocks: vec![Block::Note(Note::new(NoteLevel::Warning, "Uploads fell in July."))],
/// };
/// assert_eq!(notes(&section)[0].level, NoteLevel::Warning);
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::testing::money;
/// use stocklens_plugin_sdk::Value;
/// assert_eq!(Value::money(990_000, "USD"), Ok(money(990_000, "USD")));
/// ```
pub fn money(micros: i64, currency: &str) -> Value {
    Value::Money(Money {
        micros,
        currency: currency.into(),
    })
}

/// The percentage a value holds; panics on any other value.
///
/// ```
/// # use stocklens_plugin_sdk::{Block, Section, Table, Value};
/// # let row = |asset: &str, units, share| {
/// #     vec![Value::Text(asset.into()), Value::Integer(units), Value::Percent(share)]
/// # };
/// # let by_asset = Table {
/// #     title: Some("By asset".into()),
/// #     columns: vec!["Asset".into(), "Units".into(), "Share".into()],
/// #     rows: vec![row("Lemons", 3, 75.0), row("Sunset", 1, 25.0)],
/// # };
/// # let section = Section {
/// #     id: "top-assets".into(),
/// #     title: "Top assets".into(),
/// #     blocks: vec![Block::Table(by_asset)],
/// # };
/// use stocklens_plugin_sdk::testing::{column, percent, table};
/// // `section` holds the table "By asset" with a column Share of percentages (hidden here).
/// let shares = column(table(&section, "By asset"), "Share");
/// assert_eq!(shares.into_iter().map(percent).sum::<f64>(), 100.0);
/// ```
pub fn percent(value: &Value) -> f64 {
    match value {
        Value::Percent(p) => *p,
        other => panic!("expected a percentage, found {other:?}"),
    }
}

/// Every text a reader would see in the report (titles, labels, notes, text cells, highlights),
/// one per line: for checking wording and that no English is left in a Russian report.
///
/// ```
/// use stocklens_plugin_sdk::testing::all_text;
/// use stocklens_plugin_sdk::{Block, Note, NoteLevel, Report, Section};
/// let note = Note::new(NoteLevel::Info, "Продаж в периоде нет.");
/// let report = Report {
///     sections: vec![Section {
///         id: "summary".into(),
///         title: "Итоги".into(),
///         blocks: vec![Block::Note(note)],
///     }],
///     highlights: Vec::new(),
/// };
/// let text = all_text(&report);
/// assert_eq!(text, "Итоги\nПродаж в периоде нет.");
/// assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "English left: {text}");
/// ```
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
///
/// ```
/// use stocklens_plugin_sdk::Scope;
/// use stocklens_plugin_sdk::testing::SELECTED;
/// assert_eq!(SELECTED, Scope::Selected);
/// ```
pub const SELECTED: Scope = Scope::Selected;
/// Scope shorthand for batches: `(source, HISTORY, sales)`.
///
/// ```
/// use stocklens_plugin_sdk::Scope;
/// use stocklens_plugin_sdk::testing::HISTORY;
/// assert_eq!(HISTORY, Scope::History);
/// ```
pub const HISTORY: Scope = Scope::History;

/// The sales as a generator receives them, borrowing from `sales`: for feeding a generator's
/// own folding code in its tests.
///
/// ```
/// use stocklens_plugin_sdk::testing::{borrowed, sale};
/// use stocklens_plugin_sdk::{Currencies, SaleRef, Tally};
///
/// // A generator's own folding code, as its `feed` calls it.
/// fn fold(currencies: &mut Currencies, tally: &mut Tally, sales: &[SaleRef<'_>]) {
///     for sale in sales {
///         tally.add(currencies.id(sale.currency), i64::from(sale.units), i128::from(sale.micros));
///     }
/// }
///
/// let sales = vec![
///     sale("2025-07-14", "A1", 2, 1_980_000, "USD"),
///     sale("2025-07-15", "A2", 1, 990_000, "USD"),
/// ];
/// let (mut currencies, mut tally) = (Currencies::default(), Tally::default());
/// fold(&mut currencies, &mut tally, &borrowed(&sales));
/// assert_eq!((tally.units, tally.revenue.get(0)), (3, 2_970_000));
/// ```
pub fn borrowed(sales: &[Sale]) -> Vec<crate::SaleRef<'_>> {
    sales.iter().map(Sale::as_ref).collect()
}
