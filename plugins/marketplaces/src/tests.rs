//! Whole-report tests: what a contributor would see for typical and edge-case selections. Every
//! expected figure is worked out by hand in the comment beside it.

use stocklens_plugin_sdk::testing::{
    HISTORY, SELECTED, all_text, analyze, charts, column, kpi, money, notes, percent, request,
    sale, section, table,
};
use stocklens_plugin_sdk::{ChartKind, ChartUnit, NoteLevel, Report, Sale, Section, Value};

use crate::MarketplacesAnalysis;

/// A sale of `units` with the file name `file` (or none).
fn named(date: &str, asset: &str, file: Option<&str>, units: i32, micros: i64) -> Sale {
    Sale {
        file_name: file.map(str::to_owned),
        ..sale(date, asset, units, micros, "USD")
    }
}

fn usd(micros: i64) -> Value {
    money(micros, "USD")
}

fn eur(micros: i64) -> Value {
    money(micros, "EUR")
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn month(year: u16, month: u8) -> Value {
    Value::Month(stocklens_plugin_sdk::Date {
        year,
        month,
        day: 1,
    })
}

/// Adobe Stock:
/// - A1 "Sunset.jpg": 07-01 1 × $1.00, 07-15 1 × $1.00
/// - A2 "Beach.jpg": 08-03 1 × $3.00
/// - A3 "City.jpg": 08-04 1 × $0.50
///
/// 4 sales, $5.50, 3 assets; $1.375 a sale; $5.50 / 3 = $1.833333 an asset.
fn adobe() -> Vec<Sale> {
    vec![
        named("2025-07-01", "A1", Some("Sunset.jpg"), 1, 1_000_000),
        named("2025-07-15", "A1", Some("Sunset.jpg"), 1, 1_000_000),
        named("2025-08-03", "A2", Some("Beach.jpg"), 1, 3_000_000),
        named("2025-08-04", "A3", Some("City.jpg"), 1, 500_000),
    ]
}

/// Shutterstock, the same works under other spellings and one of its own:
/// - S1 "sunset.EPS": 07-02 1 × $0.25
/// - S2 "forest.jpg": 07-03 2 × $0.50, 08-09 1 × $0.25
/// - S3 "photos/CITY.jpeg": 08-10 3 × $0.90
///
/// 7 sales, $1.90, 3 assets; $1.90 / 7 = $0.271429 a sale; $1.90 / 3 = $0.633333 an asset.
fn shutterstock() -> Vec<Sale> {
    vec![
        named("2025-07-02", "S1", Some("sunset.EPS"), 1, 250_000),
        named("2025-07-03", "S2", Some("forest.jpg"), 2, 500_000),
        named("2025-08-09", "S2", Some("forest.jpg"), 1, 250_000),
        named("2025-08-10", "S3", Some("photos/CITY.jpeg"), 3, 900_000),
    ]
}

fn typical(locale: &str) -> Report {
    analyze::<MarketplacesAnalysis>(
        request(locale, "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, adobe()),
            ("shutterstock", SELECTED, shutterstock()),
        ],
    )
}

fn note_texts(section: &Section) -> Vec<&str> {
    notes(section).iter().map(|n| n.text.as_str()).collect()
}

fn highlight_texts(report: &Report) -> Vec<&str> {
    report.highlights.iter().map(|n| n.text.as_str()).collect()
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

fn percents(values: Vec<&Value>) -> Vec<Option<f64>> {
    values
        .into_iter()
        .map(|v| match v {
            Value::Percent(p) => Some(*p),
            Value::Empty => None,
            other => panic!("expected a percentage or nothing, found {other:?}"),
        })
        .collect()
}

fn assert_percents(actual: Vec<Option<f64>>, expected: &[Option<f64>]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?}");
    for (a, e) in actual.iter().zip(expected) {
        match (a, e) {
            (Some(a), Some(e)) => assert_close(*a, *e),
            (a, e) => assert_eq!(a, e),
        }
    }
}

#[test]
fn sets_two_marketplaces_side_by_side() {
    let report = typical("en");
    assert_eq!(report.sections.len(), 1);
    let section = section(&report, "marketplaces");
    assert_eq!(section.title, "Marketplaces");
    let side = table(section, "Marketplaces side by side");
    assert_eq!(
        side.columns,
        [
            "Marketplace",
            "Sales",
            "Share of sales",
            "Revenue",
            "Average per sale",
            "Assets sold",
            "Revenue per asset",
            "Share of revenue"
        ]
    );
    // Adobe Stock earns more ($5.50 against $1.90), so it comes first.
    assert_eq!(
        side.rows[0][..7],
        [
            text("Adobe Stock"),
            Value::Integer(4),
            Value::Percent(4.0 * 100.0 / 11.0),
            usd(5_500_000),
            usd(1_375_000),
            Value::Integer(3),
            usd(1_833_333),
        ]
    );
    assert_close(percent(&side.rows[0][7]), 5.5 * 100.0 / 7.4);
    // $1.90 / 7 = 0.2714285… → $0.271429; $1.90 / 3 = 0.6333… → $0.633333.
    assert_eq!(side.rows[1][0], text("Shutterstock"));
    assert_eq!(side.rows[1][1], Value::Integer(7));
    assert_close(percent(&side.rows[1][2]), 700.0 / 11.0);
    assert_eq!(
        side.rows[1][3..7],
        [
            usd(1_900_000),
            usd(271_429),
            Value::Integer(3),
            usd(633_333)
        ]
    );
    assert_close(percent(&side.rows[1][7]), 1.9 * 100.0 / 7.4);

    let charts = charts(section);
    assert_eq!(charts[0].title, "Share of revenue by marketplace");
    assert_eq!(
        (charts[0].kind, &charts[0].unit),
        (ChartKind::Bars, &ChartUnit::Percent)
    );
    assert_eq!(
        charts[0].labels,
        [text("Adobe Stock"), text("Shutterstock")]
    );
    assert_close(charts[0].series[0].values[0], 5.5 * 100.0 / 7.4);
    assert_eq!(charts[1].title, "Sales by marketplace");
    assert_eq!(charts[1].unit, ChartUnit::Count);
    assert_eq!(charts[1].series[0].values, [4.0, 7.0]);
    // One currency, no refunds: the only notes are about the works.
    assert_eq!(notes(section).len(), 3);
}

#[test]
fn shows_each_marketplace_share_of_sales_by_month() {
    let report = typical("en");
    let section = section(&report, "marketplaces");
    let by_month = table(section, "Share of sales by month");
    assert_eq!(
        by_month.columns,
        ["Month", "Sales", "Adobe Stock", "Shutterstock"]
    );
    // July: Adobe 2, Shutterstock 1 + 2 = 3 → 40 % / 60 %.
    // August: Adobe 1 + 1 = 2, Shutterstock 1 + 3 = 4 → 33.3 % / 66.7 %.
    assert_eq!(
        column(by_month, "Month"),
        [&month(2025, 7), &month(2025, 8)]
    );
    assert_eq!(
        column(by_month, "Sales"),
        [&Value::Integer(5), &Value::Integer(6)]
    );
    assert_percents(
        percents(column(by_month, "Adobe Stock")),
        &[Some(40.0), Some(100.0 / 3.0)],
    );
    assert_percents(
        percents(column(by_month, "Shutterstock")),
        &[Some(60.0), Some(200.0 / 3.0)],
    );
    let chart = charts(section)[2];
    assert_eq!(
        (chart.kind, &chart.unit),
        (ChartKind::Line, &ChartUnit::Percent)
    );
    assert_eq!(chart.series.len(), 2);
    assert_eq!(chart.series[1].name, "Shutterstock");
    assert_close(chart.series[1].values[1], 200.0 / 3.0);
}

#[test]
fn matches_works_whatever_the_case_extension_or_folder() {
    let report = typical("en");
    let section = section(&report, "marketplaces");
    // Keys: sunset (Adobe 2 × $2.00, Shutterstock 1 × $0.25), beach (Adobe only),
    // city (Adobe 1 × $0.50, Shutterstock 3 × $0.90), forest (Shutterstock only).
    assert_eq!(
        kpi(section, "Works identified by file name"),
        &Value::Integer(4)
    );
    assert_eq!(kpi(section, "Sold on 2+ marketplaces"), &Value::Integer(2));
    let works = table(section, "Top works across marketplaces");
    assert_eq!(
        works.columns,
        [
            "Work (file name)",
            "Adobe Stock: sales",
            "Adobe Stock: revenue",
            "Shutterstock: sales",
            "Shutterstock: revenue",
            "Total sales",
            "Total revenue"
        ]
    );
    // By total revenue: beach $3.00, sunset $2.25, city $1.40, forest $0.75.
    assert_eq!(
        works.rows,
        [
            vec![
                text("Beach.jpg"),
                Value::Integer(1),
                usd(3_000_000),
                Value::Empty,
                Value::Empty,
                Value::Integer(1),
                usd(3_000_000)
            ],
            vec![
                text("Sunset.jpg"),
                Value::Integer(2),
                usd(2_000_000),
                Value::Integer(1),
                usd(250_000),
                Value::Integer(3),
                usd(2_250_000)
            ],
            vec![
                text("City.jpg"),
                Value::Integer(1),
                usd(500_000),
                Value::Integer(3),
                usd(900_000),
                Value::Integer(4),
                usd(1_400_000)
            ],
            vec![
                text("forest.jpg"),
                Value::Empty,
                Value::Empty,
                Value::Integer(3),
                usd(750_000),
                Value::Integer(3),
                usd(750_000)
            ],
        ]
    );
    // Adobe's best sellers (sunset, beach, city): beach never sold on Shutterstock, 1 unit.
    // Shutterstock's (city 3, forest 3, sunset 1): forest never sold on Adobe, 3 units: stronger.
    assert_eq!(
        note_texts(section),
        [
            "2 works sold on more than one marketplace, out of 4 identified by file name.",
            "1 of your 3 best sellers on Shutterstock, “forest.jpg”, did not sell on Adobe Stock in the selected period: check it is uploaded there.",
            "1 of your 3 best sellers on Adobe Stock, “Beach.jpg”, did not sell on Shutterstock in the selected period: check it is uploaded there.",
        ]
    );
}

#[test]
fn highlights_lead_with_the_marketplaces_then_the_works() {
    let report = typical("en");
    assert_eq!(
        highlight_texts(&report),
        [
            // Shutterstock sells 7 against 4, Adobe earns $1.833333 an asset against $0.633333.
            "Shutterstock brings the most sales (7), but Adobe Stock earns the most per asset: $1.83 against $0.63.",
            "2 works sold on more than one marketplace, out of 4 identified by file name.",
            "1 of your 3 best sellers on Shutterstock, “forest.jpg”, did not sell on Adobe Stock in the selected period: check it is uploaded there.",
        ]
    );
    assert_eq!(report.highlights[2].level, NoteLevel::Warning);
}

#[test]
fn one_marketplace_gives_no_section() {
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, adobe()),
            ("adobe-stock", SELECTED, adobe()),
            // Another marketplace in the history alone is not a second one in the selection.
            ("shutterstock", HISTORY, shutterstock()),
            ("freepik", SELECTED, Vec::new()),
        ],
    );
    assert_eq!(report, Report::default());
}

#[test]
fn a_period_without_sales_gives_no_section() {
    let history = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", HISTORY, adobe()),
            ("shutterstock", HISTORY, shutterstock()),
        ],
    );
    assert_eq!(history, Report::default());
    let nothing = analyze::<MarketplacesAnalysis>(request("ru", "2025-10-01"), Vec::new());
    assert_eq!(nothing, Report::default());
}

#[test]
fn one_sale_alone_gives_no_section_and_one_sale_each_compares() {
    let one = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![(
            "adobe-stock",
            SELECTED,
            vec![sale("2025-07-01", "1", 1, 990_000, "USD")],
        )],
    );
    assert!(one.sections.is_empty() && one.highlights.is_empty());

    // Both sold on the same day: one month, so the share over time is a column, not a line.
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            (
                "adobe-stock",
                SELECTED,
                vec![sale("2025-07-01", "1", 1, 990_000, "USD")],
            ),
            (
                "istock-getty",
                SELECTED,
                vec![sale("2025-07-01", "9", 3, 300_000, "USD")],
            ),
        ],
    );
    let section = section(&report, "marketplaces");
    let side = table(section, "Marketplaces side by side");
    assert_eq!(
        column(side, "Marketplace"),
        [&text("Adobe Stock"), &text("iStock / Getty Images")]
    );
    // $0.30 / 3 = $0.10 a sale; one asset each.
    assert_eq!(
        column(side, "Average per sale"),
        [&usd(990_000), &usd(100_000)]
    );
    assert_eq!(
        column(side, "Revenue per asset"),
        [&usd(990_000), &usd(300_000)]
    );
    let chart = charts(section)[2];
    assert_eq!(chart.kind, ChartKind::Columns);
    assert_eq!(chart.labels, [month(2025, 7)]);
    // 1 of 4 sales and 3 of 4.
    assert_eq!(
        chart.series.iter().map(|s| s.values[0]).collect::<Vec<_>>(),
        [25.0, 75.0]
    );
    // File names "1.jpg" and "9.jpg" are numbers: nothing to match, and the note says why.
    assert_eq!(
        note_texts(section),
        [
            "2 file names made only of digits or shorter than 3 characters were not matched: such names collide between different works."
        ]
    );
    assert_eq!(
        highlight_texts(&report),
        [
            "iStock / Getty Images brings the most sales (3), but Adobe Stock earns the most per asset: $0.99 against $0.30."
        ]
    );
}

#[test]
fn a_marketplace_in_another_currency_gets_no_share_of_revenue() {
    // USD rows: 3 (Adobe 2, generic 1), EUR rows: 3 (Freepik 2, generic 1): the first seen wins
    // the tie, so USD (Adobe's batch comes first) is the main currency.
    let freepik = vec![
        sale("2025-07-01", "F1", 2, 2_000_000, "EUR"),
        sale("2025-07-02", "F2", 1, 1_000_000, "EUR"),
    ];
    let generic = vec![
        sale("2025-07-03", "G1", 1, 500_000, "USD"),
        sale("2025-07-04", "G1", 1, 400_000, "EUR"),
    ];
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            (
                "adobe-stock",
                SELECTED,
                vec![
                    sale("2025-07-01", "A1", 1, 1_000_000, "USD"),
                    sale("2025-07-02", "A2", 1, 500_000, "USD"),
                ],
            ),
            ("freepik", SELECTED, freepik),
            ("generic", SELECTED, generic),
        ],
    );
    let section = section(&report, "marketplaces");
    let side = table(section, "Marketplaces side by side");
    // Order by USD revenue: Adobe $1.50, generic $0.50, Freepik nothing in USD.
    assert_eq!(
        column(side, "Marketplace"),
        [
            &text("Adobe Stock"),
            &text("Other (generic table)"),
            &text("Freepik")
        ]
    );
    assert_eq!(
        column(side, "Revenue, USD"),
        [&usd(1_500_000), &usd(500_000), &Value::Empty]
    );
    assert_eq!(
        column(side, "Revenue, EUR"),
        [&Value::Empty, &eur(400_000), &eur(3_000_000)]
    );
    // Generic sold one asset, in both currencies: it counts once per currency.
    assert_eq!(
        column(side, "Revenue per asset, EUR"),
        [&Value::Empty, &eur(400_000), &eur(1_500_000)]
    );
    assert_eq!(column(side, "Average per sale, USD")[1], &usd(500_000));
    // USD shares over $1.50 + $0.50 = $2.00: 75 % and 25 %; Freepik none.
    assert_percents(
        percents(column(side, "Share of revenue, USD")),
        &[Some(75.0), Some(25.0), None],
    );
    let chart = charts(section)[0];
    assert_eq!(chart.title, "Share of revenue by marketplace, USD");
    assert_eq!(
        chart.labels,
        [text("Adobe Stock"), text("Other (generic table)")]
    );
    assert_eq!(chart.series[0].values, [75.0, 25.0]);
    let texts = note_texts(section);
    assert_eq!(
        texts[..3],
        [
            "Shares of revenue are computed in USD, the main currency.",
            "The share of revenue is not shown for Freepik: it pays only in other currencies, and currencies are never added together.",
            "Other (generic table) pays in USD and EUR; its share of revenue counts only its revenue in USD.",
        ]
    );
    // Freepik sells most (3), but has no revenue per asset in USD to compare; Adobe earns
    // $1.50 / 2 = $0.75 an asset, the generic table $0.50.
    assert_eq!(
        report.highlights[0].text,
        "Freepik brings the most sales (3), but Adobe Stock earns the most per asset: $0.75."
    );
}

#[test]
fn a_marketplace_with_refunds_only_reads_as_selling_nothing() {
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            (
                "adobe-stock",
                SELECTED,
                vec![
                    sale("2025-07-01", "A1", 1, 1_000_000, "USD"),
                    sale("2025-07-02", "A1", 1, 1_000_000, "USD"),
                ],
            ),
            (
                "shutterstock",
                SELECTED,
                vec![sale("2025-07-05", "S1", -1, -500_000, "USD")],
            ),
        ],
    );
    let section = section(&report, "marketplaces");
    let side = table(section, "Marketplaces side by side");
    assert_eq!(
        column(side, "Sales"),
        [&Value::Integer(2), &Value::Integer(-1)]
    );
    assert_eq!(column(side, "Revenue"), [&usd(2_000_000), &usd(-500_000)]);
    // No sale to average over; one asset refunded.
    assert_eq!(column(side, "Average per sale")[1], &Value::Empty);
    assert_eq!(column(side, "Revenue per asset")[1], &usd(-500_000));
    // Shares are of what sold: Adobe 100 %, the refunds 0 %.
    assert_percents(
        percents(column(side, "Share of sales")),
        &[Some(100.0), Some(0.0)],
    );
    assert_percents(
        percents(column(side, "Share of revenue")),
        &[Some(100.0), Some(0.0)],
    );
    let by_month = table(section, "Share of sales by month");
    // July nets 2 - 1 = 1 sale; the shares are 2 of 2 and 0.
    assert_eq!(
        by_month.rows,
        [vec![
            month(2025, 7),
            Value::Integer(1),
            Value::Percent(100.0),
            Value::Percent(0.0)
        ]]
    );
    let warning = notes(section)
        .into_iter()
        .find(|n| n.level == NoteLevel::Warning)
        .map(|n| n.text.as_str());
    assert_eq!(
        warning,
        Some(
            "Revenue from Shutterstock is negative (-$0.50): refunds outweighed sales in this period."
        )
    );
    assert_eq!(
        report.highlights[0].text,
        "Adobe Stock leads on both counts: the most sales (2) and the most revenue per asset ($2.00)."
    );
}

#[test]
fn a_month_with_one_marketplace_gives_it_the_whole_share() {
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            (
                "adobe-stock",
                SELECTED,
                vec![
                    sale("2025-07-01", "A1", 1, 1_000_000, "USD"),
                    sale("2025-09-20", "A1", 2, 2_000_000, "USD"),
                ],
            ),
            (
                "envato-market",
                SELECTED,
                vec![sale("2025-07-09", "E1", 3, 900_000, "USD")],
            ),
        ],
    );
    let by_month = table(section(&report, "marketplaces"), "Share of sales by month");
    // July: 1 and 3 → 25 % / 75 %; August had no sale and is left out; September: Adobe alone.
    assert_eq!(
        by_month.rows,
        [
            vec![
                month(2025, 7),
                Value::Integer(4),
                Value::Percent(25.0),
                Value::Percent(75.0)
            ],
            vec![
                month(2025, 9),
                Value::Integer(2),
                Value::Percent(100.0),
                Value::Percent(0.0)
            ],
        ]
    );
}

#[test]
fn numeric_file_names_are_never_matched() {
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            (
                "adobe-stock",
                SELECTED,
                vec![
                    named("2025-07-01", "A1", Some("12345.jpg"), 1, 1_000_000),
                    named("2025-07-01", "A2", Some("River.jpg"), 1, 1_000_000),
                ],
            ),
            (
                "shutterstock",
                SELECTED,
                vec![
                    named("2025-07-01", "S1", Some("12345.jpg"), 1, 100_000),
                    named("2025-07-01", "S2", Some("D:\\shoot\\river.PNG"), 1, 200_000),
                    named("2025-07-02", "S3", Some("ab.jpg"), 1, 300_000),
                ],
            ),
        ],
    );
    let section = section(&report, "marketplaces");
    // Only "river" is a work; "12345" twice and "ab" are refused.
    assert_eq!(
        kpi(section, "Works identified by file name"),
        &Value::Integer(1)
    );
    assert_eq!(kpi(section, "Sold on 2+ marketplaces"), &Value::Integer(1));
    let works = table(section, "Top works across marketplaces");
    assert_eq!(column(works, "Work (file name)"), [&text("River.jpg")]);
    assert_eq!(column(works, "Total revenue"), [&usd(1_200_000)]);
    assert_eq!(
        note_texts(section),
        [
            "1 work sold on more than one marketplace, out of 1 identified by file name.",
            "3 file names made only of digits or shorter than 3 characters were not matched: such names collide between different works.",
        ]
    );
}

#[test]
fn says_matching_needs_file_names() {
    let unnamed = |sales: Vec<Sale>| -> Vec<Sale> {
        sales
            .into_iter()
            .map(|s| Sale {
                file_name: None,
                ..s
            })
            .collect()
    };
    let none = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, unnamed(adobe())),
            ("envato-market", SELECTED, unnamed(shutterstock())),
        ],
    );
    let section_none = section(&none, "marketplaces");
    assert_eq!(
        note_texts(section_none),
        [
            "Matching the same work across marketplaces needs original file names, and none of these sales carries one. Adobe Stock and Freepik exports have them, and so do some Shutterstock and iStock exports."
        ]
    );
    assert!(charts(section_none).len() == 3 && none.highlights.len() == 1);

    let one = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, adobe()),
            ("envato-market", SELECTED, unnamed(shutterstock())),
        ],
    );
    assert_eq!(
        note_texts(section(&one, "marketplaces")),
        [
            "Only the sales from Adobe Stock carry original file names; matching a work across marketplaces needs them from at least two."
        ]
    );

    let two_of_three = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, adobe()),
            ("shutterstock", SELECTED, shutterstock()),
            ("envato-market", SELECTED, unnamed(adobe())),
        ],
    );
    let texts = note_texts(section(&two_of_three, "marketplaces"));
    assert_eq!(
        texts.last(),
        Some(&"Sales from Envato Market carry no file names and are left out of the matching.")
    );
}

#[test]
fn a_sale_in_the_history_means_the_work_is_not_missing() {
    // Beach sold on Shutterstock last year: not a gap. Forest never sold on Adobe, and Adobe's
    // history was searched, so it "never" sold there.
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, adobe()),
            ("shutterstock", SELECTED, shutterstock()),
            (
                "shutterstock",
                HISTORY,
                vec![named("2024-03-01", "S9", Some("BEACH.tif"), 1, 100_000)],
            ),
            (
                "adobe-stock",
                HISTORY,
                vec![named("2024-03-01", "A1", Some("Sunset.jpg"), 1, 100_000)],
            ),
        ],
    );
    let section = section(&report, "marketplaces");
    let gaps: Vec<&str> = notes(section)
        .into_iter()
        .filter(|n| n.level == NoteLevel::Warning)
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(
        gaps,
        [
            "1 of your 3 best sellers on Shutterstock, “forest.jpg”, has never sold on Adobe Stock: check it is uploaded there."
        ]
    );
    // History changes no count: the selection still has 4 works and its own sales only.
    assert_eq!(
        kpi(section, "Works identified by file name"),
        &Value::Integer(4)
    );
    let side = table(section, "Marketplaces side by side");
    assert_eq!(
        column(side, "Sales"),
        [&Value::Integer(4), &Value::Integer(7)]
    );
}

#[test]
fn names_the_biggest_gap_with_a_few_examples() {
    // Adobe sells works w00..w24, the higher the number the more units (w24: 25 units …);
    // Shutterstock sells only w24 and w23. Adobe's 20 best sellers are w24 down to w05, and 18 of
    // them never sold on Shutterstock; the table keeps the 20 best works by revenue.
    let adobe: Vec<Sale> = (0..25)
        .map(|i| {
            named(
                "2025-07-01",
                &format!("A{i}"),
                Some(&format!("w{i:02}.jpg")),
                i + 1,
                i64::from(i + 1) * 1_000_000,
            )
        })
        .collect();
    let shutterstock = vec![
        named("2025-07-01", "S1", Some("W24.jpg"), 1, 100_000),
        named("2025-07-01", "S2", Some("W23.jpg"), 1, 100_000),
    ];
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, adobe),
            ("shutterstock", SELECTED, shutterstock),
        ],
    );
    let section = section(&report, "marketplaces");
    let works = table(section, "Top works across marketplaces");
    assert_eq!(works.rows.len(), 20);
    assert_eq!(works.rows[0][0], text("w24.jpg"));
    assert_eq!(works.rows[19][0], text("w05.jpg"));
    assert_eq!(
        report.highlights.last().map(|n| n.text.as_str()),
        Some(
            "18 of your 20 best sellers on Adobe Stock did not sell on Shutterstock in the selected period, among them “w22.jpg”, “w21.jpg” and “w20.jpg”: check they are uploaded there."
        )
    );
}

#[test]
fn keeps_the_last_sixty_months_of_a_long_span() {
    // One sale a month on each marketplace from January 2019 to December 2025 (84 months), and
    // a stray sale in 1970.
    let mut adobe = vec![sale("1970-01-01", "old", 1, 1, "USD")];
    let mut envato = Vec::new();
    for n in 0..84 {
        let date = format!("{}-{:02}-15", 2019 + n / 12, n % 12 + 1);
        adobe.push(sale(&date, "A1", 1, 1_000_000, "USD"));
        envato.push(sale(&date, "E1", 3, 1_000_000, "USD"));
    }
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2026-01-01"),
        vec![
            ("adobe-stock", SELECTED, adobe),
            ("envato-market", SELECTED, envato),
        ],
    );
    let section = section(&report, "marketplaces");
    let by_month = table(section, "Share of sales by month");
    assert_eq!(by_month.rows.len(), 60);
    // 84 - 60 = 24 months dropped: the first shown is January 2021.
    assert_eq!(by_month.rows[0][0], month(2021, 1));
    assert_eq!(by_month.rows[59][0], month(2025, 12));
    assert_eq!(by_month.rows[0][2], Value::Percent(25.0));
    assert!(note_texts(section).contains(&"Only the last 60 months with sales are shown."));
}

#[test]
fn writes_russian_when_asked() {
    let report = typical("ru");
    let section = section(&report, "marketplaces");
    assert_eq!(section.title, "Площадки");
    let side = table(section, "Площадки в сравнении");
    assert_eq!(
        column(side, "Продажи"),
        [&Value::Integer(4), &Value::Integer(7)]
    );
    assert_eq!(
        kpi(section, "Работ, опознанных по имени файла"),
        &Value::Integer(4)
    );
    assert_eq!(
        table(section, "Лучшие работы на разных площадках").columns[1],
        "Adobe Stock: продажи"
    );
    assert_eq!(
        highlight_texts(&report),
        [
            "Больше всего продаж на площадке Shutterstock (7), а больше всего на одну работу зарабатывает площадка Adobe Stock: 1,83\u{a0}USD против 0,63\u{a0}USD.",
            "2 работы продавались на нескольких площадках — из 4 опознанных по имени файла.",
            "Одна из 3 самых продаваемых работ на площадке Shutterstock, «forest.jpg», не продавалась на площадке Adobe Stock в выбранном периоде: проверьте, загружена ли она туда.",
        ]
    );
    // No English word of the lexicon is left (marketplace names and file names are names).
    let all = all_text(&report);
    let english = [
        "Marketplace",
        "Sales",
        "Share",
        "Revenue",
        "Average",
        "Assets",
        "Month",
        "Works",
        "Work",
        "Total",
        "sold",
        "sales",
        "best",
        "sellers",
        "never",
        "check",
        "uploaded",
        "file",
        "names",
        "currency",
        "refunds",
        "marketplace",
        "identified",
    ];
    for word in english {
        assert!(
            !all.split(|c: char| !c.is_alphanumeric()).any(|w| w == word),
            "{word:?} in the Russian report:\n{all}"
        );
    }
}

#[test]
fn russian_notes_for_currencies_refunds_and_missing_names() {
    let named_in = |date, asset, file: &str, units, micros, currency| Sale {
        file_name: Some(file.to_owned()),
        ..sale(date, asset, units, micros, currency)
    };
    let report = analyze::<MarketplacesAnalysis>(
        request("ru", "2025-10-01"),
        vec![
            (
                "adobe-stock",
                SELECTED,
                vec![
                    named_in("2025-07-01", "A1", "Закат.jpg", 1, 1_000_000, "USD"),
                    named_in("2025-07-01", "A2", "Море.jpg", 1, 1_000_000, "USD"),
                ],
            ),
            (
                "freepik",
                SELECTED,
                vec![named_in(
                    "2025-07-01",
                    "F1",
                    "закат.PNG",
                    -1,
                    -2_500_000,
                    "EUR",
                )],
            ),
            (
                "generic",
                SELECTED,
                vec![Sale {
                    file_name: None,
                    ..sale("2025-07-01", "G1", 1, 100_000, "USD")
                }],
            ),
        ],
    );
    let section = section(&report, "marketplaces");
    // USD: 3 rows, EUR: 1, so USD is the main currency. Works: закат (Adobe 1, Freepik -1: rows
    // on both), море (Adobe only). Adobe's best sellers: закат, море (1 unit and $1.00 each,
    // by name); море never sold on Freepik. Freepik has no best seller (its only row is a refund).
    assert_eq!(
        note_texts(section),
        [
            "Доли дохода посчитаны в USD — основной валюте.",
            "Для площадки Freepik доля дохода не показана: она платит только в других валютах, а валюты никогда не складываются.",
            "Доход с площадки Freepik отрицательный (-2,50\u{a0}EUR): возвраты за период превысили продажи.",
            "Работы упорядочены по общему доходу в USD; другие валюты — в своих столбцах.",
            "1 работа продавалась на нескольких площадках — из 2 опознанных по имени файла.",
            "Одна из 2 самых продаваемых работ на площадке Adobe Stock, «Море.jpg», не продавалась на площадке Freepik в выбранном периоде: проверьте, загружена ли она туда.",
            "В продажах с площадки Другие (общая таблица) нет имён файлов, поэтому они не участвуют в сопоставлении.",
        ]
    );
    let works = table(section, "Лучшие работы на разных площадках");
    assert_eq!(
        works.columns,
        [
            "Работа (имя файла)",
            "Adobe Stock: продажи",
            "Adobe Stock: доход, USD",
            "Freepik: продажи",
            "Freepik: доход, EUR",
            "Всего продаж",
            "Общий доход, USD",
            "Общий доход, EUR"
        ]
    );
    // Both works earn $1.00; море's 1 unit beats закат's 1 - 1 = 0, so море comes first.
    // закат: $1.00 and -€2.50.
    assert_eq!(
        column(works, "Работа (имя файла)"),
        [&text("Море.jpg"), &text("Закат.jpg")]
    );
    assert_eq!(
        works.rows[1],
        [
            text("Закат.jpg"),
            Value::Integer(1),
            usd(1_000_000),
            Value::Integer(-1),
            eur(-2_500_000),
            Value::Integer(0),
            usd(1_000_000),
            eur(-2_500_000)
        ]
    );
    // Adobe: 2 sales, $2.00 over 2 assets; the generic table: 1 sale, $0.10.
    assert_eq!(
        highlight_texts(&report)[0],
        "Площадка Adobe Stock впереди по обоим показателям: больше всего продаж (2) и самый высокий доход на работу (1,00\u{a0}USD)."
    );
}

#[test]
fn huge_counts_and_amounts_stay_exact() {
    // Three rows of 2,147,483,647 units and i64::MAX / 4 = 2,305,843,009,213,693,951 micros each
    // on one asset: 6,442,450,941 units and 6,917,529,027,641,081,853 micros, still an i64.
    let quarter = i64::MAX / 4;
    let huge = (0..3)
        .map(|_| sale("2025-07-01", "123456789", i32::MAX, quarter, "USD"))
        .collect();
    let report = analyze::<MarketplacesAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, huge),
            (
                "shutterstock",
                SELECTED,
                vec![sale("2025-07-02", "1", 1, 1, "USD")],
            ),
        ],
    );
    let side = table(
        section(&report, "marketplaces"),
        "Marketplaces side by side",
    );
    assert_eq!(side.rows[0][1], Value::Integer(6_442_450_941));
    assert_eq!(side.rows[0][3], usd(6_917_529_027_641_081_853));
    // 6,917,529,027,641,081,853 / 6,442,450,941 = 1,073,741,824.25 → 1,073,741,824 micros.
    assert_eq!(side.rows[0][4], usd(1_073_741_824));
    assert_eq!(side.rows[0][6], usd(6_917_529_027_641_081_853));
    assert_close(
        percent(&side.rows[0][2]),
        644_245_094_100.0 / 6_442_450_942.0,
    );
}
