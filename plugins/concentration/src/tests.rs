//! Whole-report tests: what a contributor would see for typical and edge-case selections. Every
//! expected figure is worked out by hand in the comment above it.

use stocklens_plugin_sdk::testing::{
    HISTORY, SELECTED, all_text, analyze, charts, column, kpi, kpis, money, notes, percent,
    request, sale, section, table, tables,
};
use stocklens_plugin_sdk::{ChartKind, ChartUnit, NoteLevel, Report, Sale, Section, Value};

use crate::ConcentrationAnalysis;

const CURVE: &str = "Cumulative share of revenue by asset rank";
const BY_SALES: &str = "Assets by number of sales";
const TOP_1: &str = "Revenue from top 1% of assets";
const TOP_10: &str = "Revenue from top 10% of assets";
const TOP_20: &str = "Revenue from top 20% of assets";
const HALF: &str = "Assets making half the revenue";
const ONCE: &str = "Assets sold once";

fn report(locale: &str, sales: Vec<Sale>) -> Report {
    analyze::<ConcentrationAnalysis>(
        request(locale, "2025-10-01"),
        vec![("adobe-stock", SELECTED, sales)],
    )
}

/// A sale in USD on one day.
fn usd(asset: &str, units: i32, micros: i64) -> Sale {
    sale("2025-07-01", asset, units, micros, "USD")
}

fn concentration(report: &Report) -> &Section {
    section(report, "concentration")
}

fn kpi_note<'a>(section: &'a Section, label: &str) -> Option<&'a str> {
    kpis(section)
        .into_iter()
        .find(|k| k.label == label)
        .and_then(|k| k.note.as_deref())
}

fn kpi_labels(section: &Section) -> Vec<&str> {
    kpis(section).iter().map(|k| k.label.as_str()).collect()
}

fn note_list(section: &Section) -> Vec<(NoteLevel, &str)> {
    notes(section)
        .into_iter()
        .map(|n| (n.level, n.text.as_str()))
        .collect()
}

fn highlights(report: &Report) -> Vec<(NoteLevel, &str)> {
    report
        .highlights
        .iter()
        .map(|n| (n.level, n.text.as_str()))
        .collect()
}

#[track_caller]
fn assert_percents(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() < 1e-9, "{actual:?} vs {expected:?}");
    }
}

fn percents(values: Vec<&Value>) -> Vec<f64> {
    values.into_iter().map(percent).collect()
}

fn integers(values: Vec<&Value>) -> Vec<i64> {
    values
        .into_iter()
        .map(|v| match v {
            Value::Integer(n) => *n,
            other => panic!("expected an integer, found {other:?}"),
        })
        .collect()
}

fn texts(values: Vec<&Value>) -> Vec<&str> {
    values
        .into_iter()
        .map(|v| match v {
            Value::Text(t) => t.as_str(),
            other => panic!("expected a text, found {other:?}"),
        })
        .collect()
}

/// 50 assets in every sales bucket: a01 sold 50 times for $1 each ($50); a02–a05 10 times
/// ($10 each, $40); a06–a10 5 times ($5 each, $25); a11–a20 twice ($2 each, $20); a21–a50
/// once for $0.50 ($15). Total $150.
fn fifty_assets() -> Vec<Sale> {
    let mut sales = Vec::new();
    for i in 1..=50 {
        let id = format!("a{i:02}");
        let (units, micros) = match i {
            1 => (50, 50_000_000),
            2..=5 => (10, 10_000_000),
            6..=10 => (5, 5_000_000),
            11..=20 => (2, 2_000_000),
            _ => (1, 500_000),
        };
        sales.push(usd(&id, units, micros));
    }
    sales
}

#[test]
fn an_empty_selection_says_there_are_no_sales_and_ignores_history() {
    let report = analyze::<ConcentrationAnalysis>(
        request("en", "2025-10-01"),
        vec![("adobe-stock", HISTORY, vec![usd("A", 1, 990_000)])],
    );
    let section = concentration(&report);
    assert_eq!(section.title, "Revenue concentration");
    assert_eq!(
        note_list(section),
        [(
            NoteLevel::Info,
            "There are no sales in the selected period and content type."
        )]
    );
    assert!(kpis(section).is_empty() && charts(section).is_empty());
    assert!(report.highlights.is_empty());

    let nothing = analyze::<ConcentrationAnalysis>(request("en", "2025-10-01"), Vec::new());
    assert_eq!(nothing, report);
}

#[test]
fn one_sale_is_all_the_revenue() {
    let report = report("en", vec![usd("A", 1, 990_000)]);
    let section = concentration(&report);
    assert_eq!(kpi(section, "Assets sold"), &Value::Integer(1));
    // One asset: every "top" group rounds up to it, and it makes 100 %.
    for label in [TOP_1, TOP_10, TOP_20] {
        assert_eq!(kpi(section, label), &Value::Percent(100.0));
        assert_eq!(kpi_note(section, label), Some("1 asset"));
    }
    assert_eq!(kpi(section, HALF), &Value::Integer(1));
    assert_eq!(kpi_note(section, HALF), Some("100% of assets sold"));
    assert_eq!(kpi(section, ONCE), &Value::Integer(1));
    assert_eq!(
        kpi_note(section, ONCE),
        Some("100% of assets, 100% of revenue")
    );
    let warning = "“Asset A” makes 100% of your revenue: more than a quarter rests on a single \
                   asset, so a drop in its sales would show at once.";
    assert_eq!(
        note_list(section),
        [
            (NoteLevel::Warning, warning),
            (NoteLevel::Info, "All revenue comes from a single asset."),
        ]
    );
    // The half-revenue highlight would only repeat the warning with one asset.
    assert_eq!(
        highlights(&report),
        [
            (NoteLevel::Warning, warning),
            (
                NoteLevel::Info,
                "1 asset sold only once (100% of the assets sold), making 100% of revenue."
            ),
        ]
    );
    // Curve: all six points are the one asset, $0.99, 100 %.
    let curve = table(section, CURVE);
    assert_eq!(
        texts(column(curve, "Best assets")),
        ["top 1%", "top 5%", "top 10%", "top 20%", "top 50%", "all"]
    );
    assert_eq!(integers(column(curve, "Assets")), [1, 1, 1, 1, 1, 1]);
    assert_eq!(column(curve, "Revenue")[5], &money(990_000, "USD"));
}

#[test]
fn sales_on_one_day_add_up_per_asset() {
    // A: 2 sales of $1 ($2); B: 1 sale of $2. Tied at $2, A ranks first by id. Total $4: the
    // top asset makes 50 % (> 25 %: warning), and alone reaches half (2 × $2 ≥ $4).
    let report = report(
        "en",
        vec![
            usd("B", 1, 2_000_000),
            usd("A", 1, 1_000_000),
            usd("A", 1, 1_000_000),
        ],
    );
    let section = concentration(&report);
    assert_eq!(kpi(section, "Assets sold"), &Value::Integer(2));
    assert_eq!(kpi(section, TOP_1), &Value::Percent(50.0));
    assert_eq!(kpi(section, HALF), &Value::Integer(1));
    assert_eq!(kpi_note(section, HALF), Some("50% of assets sold"));
    assert!(
        highlights(&report)[0]
            .1
            .starts_with("“Asset A” makes 50% of your revenue")
    );
    // Buckets: B sold once (50 % of assets, $2 = 50 %), A twice (2–4: the same).
    let by_sales = table(section, BY_SALES);
    assert_eq!(
        texts(column(by_sales, "Sales per asset")),
        [
            "1 sale",
            "2–4 sales",
            "5–9 sales",
            "10–49 sales",
            "50 sales or more"
        ]
    );
    assert_eq!(integers(column(by_sales, "Assets")), [1, 1, 0, 0, 0]);
    assert_percents(
        &percents(column(by_sales, "Share of revenue")),
        &[50.0, 50.0, 0.0, 0.0, 0.0],
    );
    assert_eq!(column(by_sales, "Revenue")[1], &money(2_000_000, "USD"));
}

#[test]
fn four_equal_assets_round_the_top_shares_up_to_one_asset() {
    // Four assets of $1: 1 %, 10 % and 20 % of 4 all round up to 1 asset = 25 %; half takes 2.
    // Exactly a quarter is not "more than a quarter": no warning.
    let report = report(
        "en",
        ["A", "B", "C", "D"]
            .into_iter()
            .map(|id| usd(id, 1, 1_000_000))
            .collect(),
    );
    let section = concentration(&report);
    for label in [TOP_1, TOP_10, TOP_20] {
        assert_eq!(kpi(section, label), &Value::Percent(25.0));
        assert_eq!(kpi_note(section, label), Some("1 asset"));
    }
    assert_eq!(kpi(section, HALF), &Value::Integer(2));
    assert_eq!(
        note_list(section),
        [(
            NoteLevel::Info,
            "Only 4 assets sold: too few to judge how evenly the revenue is spread."
        )]
    );
    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Info,
                "2 assets make half your revenue (50% of the assets sold)."
            ),
            (
                NoteLevel::Info,
                "4 assets sold only once (100% of the assets sold), making 100% of revenue."
            ),
        ]
    );
    // Curve points: 1, 1, 1, 1, 2 (50 % of 4) and 4 assets: 25, 25, 25, 25, 50, 100 %.
    let curve = table(section, CURVE);
    assert_eq!(integers(column(curve, "Assets")), [1, 1, 1, 1, 2, 4]);
    assert_percents(
        &percents(column(curve, "Share of revenue")),
        &[25.0, 25.0, 25.0, 25.0, 50.0, 100.0],
    );
    let chart = charts(section)[0];
    assert_eq!(
        (chart.kind, &chart.unit),
        (ChartKind::Line, &ChartUnit::Percent)
    );
    assert_percents(
        &chart.series[0].values,
        &[25.0, 25.0, 25.0, 25.0, 50.0, 100.0],
    );
}

#[test]
fn an_asset_just_over_a_quarter_is_named() {
    // A $2.501, B $2.50, C $2.499, D $2.50: total $10, A makes 25.01 % > 25 %, written with
    // enough decimals not to read as a quarter.
    let report = report(
        "en",
        vec![
            usd("A", 1, 2_501_000),
            usd("B", 1, 2_500_000),
            usd("C", 1, 2_499_000),
            usd("D", 1, 2_500_000),
        ],
    );
    let section = concentration(&report);
    assert_percents(&[percent(kpi(section, TOP_1))], &[25.01]);
    let warning = "“Asset A” makes 25.01% of your revenue: more than a quarter rests on a single \
                   asset, so a drop in its sales would show at once.";
    assert_eq!(note_list(section)[0], (NoteLevel::Warning, warning));
    assert_eq!(highlights(&report)[0], (NoteLevel::Warning, warning));
    // Half: A + B (ties with D, B first by id) = $5.001 ≥ $5.
    assert_eq!(kpi(section, HALF), &Value::Integer(2));
}

#[test]
fn a_refunded_asset_counts_as_zero_revenue() {
    // A +$10; B +$5 then a $8 refund (net -$3, net units 0); C +$5. Net revenue $12 > 0, so
    // shares are shown, of $15 (B at zero). Ranking A $10, C $5, B $0.
    let report = report(
        "en",
        vec![
            usd("A", 1, 10_000_000),
            usd("B", 1, 5_000_000),
            usd("B", -1, -8_000_000),
            usd("C", 1, 5_000_000),
        ],
    );
    let section = concentration(&report);
    // 10 / 15 = 66.67 %; half of $15 is reached by A alone: 1 of 3 assets.
    assert_percents(&[percent(kpi(section, TOP_1))], &[200.0 / 3.0]);
    assert_eq!(kpi(section, HALF), &Value::Integer(1));
    assert_eq!(kpi_note(section, HALF), Some("33.3% of assets sold"));
    // Sold once: A and C, 2 of 3 assets, $15 of $15.
    assert_eq!(kpi(section, ONCE), &Value::Integer(2));
    assert_eq!(
        kpi_note(section, ONCE),
        Some("66.7% of assets, 100% of revenue")
    );
    let notes = note_list(section);
    assert_eq!(notes[0].0, NoteLevel::Warning);
    assert!(
        notes[0]
            .1
            .starts_with("“Asset A” makes 66.7% of your revenue")
    );
    assert_eq!(
        notes.last(),
        Some(&(
            NoteLevel::Info,
            "1 asset lost more to refunds than it earned in this period; it is counted as zero \
             revenue in the shares."
        ))
    );
    // The no-net-sales bucket shows because B is in it: 1 asset, 33.3 %, $0.
    let by_sales = table(section, BY_SALES);
    assert_eq!(
        column(by_sales, "Sales per asset")[0],
        &Value::Text("none, net of refunds".into())
    );
    assert_eq!(integers(column(by_sales, "Assets")), [1, 2, 0, 0, 0, 0]);
    assert_eq!(column(by_sales, "Revenue")[0], &money(0, "USD"));
    let curve = table(section, CURVE);
    assert_eq!(column(curve, "Revenue")[5], &money(15_000_000, "USD"));
}

#[test]
fn zero_revenue_shows_counts_without_shares() {
    // A +$5 (1 unit), B a $5 refund (-1 unit): net $0, so no revenue shares at all.
    let report = report("en", vec![usd("A", 1, 5_000_000), usd("B", -1, -5_000_000)]);
    let section = concentration(&report);
    assert_eq!(kpi_labels(section), ["Assets sold", ONCE]);
    assert_eq!(kpi(section, "Assets sold"), &Value::Integer(2));
    assert_eq!(kpi(section, ONCE), &Value::Integer(1));
    assert_eq!(kpi_note(section, ONCE), Some("50% of assets"));
    assert_eq!(
        note_list(section),
        [(
            NoteLevel::Info,
            "Revenue in USD is zero or negative after refunds, so shares of it would mean \
             nothing: only counts of assets are shown."
        )]
    );
    // Only the sales-count chart, with the share of assets alone.
    let all_charts = charts(section);
    assert_eq!(all_charts.len(), 1);
    assert_eq!(all_charts[0].series.len(), 1);
    assert_eq!(tables(section).len(), 1);
    let by_sales = table(section, BY_SALES);
    assert_eq!(
        by_sales.columns,
        ["Sales per asset", "Assets", "Share of assets"]
    );
    assert_eq!(integers(column(by_sales, "Assets")), [1, 1, 0, 0, 0, 0]);
    assert_eq!(
        highlights(&report),
        [(
            NoteLevel::Info,
            "1 asset sold only once (50% of the assets sold)."
        )]
    );
}

#[test]
fn all_assets_sold_once_are_the_whole_tail() {
    // A $3, B $2, C $1, each sold once: the tail is 3 assets, 100 % of assets and of revenue.
    let report = report(
        "en",
        vec![
            usd("A", 1, 3_000_000),
            usd("B", 1, 2_000_000),
            usd("C", 1, 1_000_000),
        ],
    );
    let section = concentration(&report);
    assert_eq!(kpi(section, ONCE), &Value::Integer(3));
    assert_eq!(
        kpi_note(section, ONCE),
        Some("100% of assets, 100% of revenue")
    );
    let by_sales = table(section, BY_SALES);
    assert_eq!(integers(column(by_sales, "Assets")), [3, 0, 0, 0, 0]);
    assert_eq!(column(by_sales, "Revenue")[0], &money(6_000_000, "USD"));
    // A makes 3 / 6 = 50 %.
    assert_eq!(
        highlights(&report)
            .iter()
            .map(|(level, _)| *level)
            .collect::<Vec<_>>(),
        [NoteLevel::Warning, NoteLevel::Info, NoteLevel::Info]
    );
    assert_eq!(
        highlights(&report)[2].1,
        "3 assets sold only once (100% of the assets sold), making 100% of revenue."
    );
}

#[test]
fn several_currencies_use_the_main_one_and_say_so() {
    // USD has 3 rows, EUR 2: USD is the main currency. In USD: A $4 + $4 = $8, B $1, total $9.
    // C sold only in EUR and is left out; A's EUR sale still counts among its 3 sales.
    let report = report(
        "en",
        vec![
            usd("A", 1, 4_000_000),
            sale("2025-07-02", "C", 1, 10_000_000, "EUR"),
            usd("B", 1, 1_000_000),
            sale("2025-07-03", "A", 1, 2_000_000, "EUR"),
            usd("A", 1, 4_000_000),
        ],
    );
    let section = concentration(&report);
    assert_eq!(kpi(section, "Assets sold"), &Value::Integer(2));
    // 8 / 9 = 88.89 %.
    assert_percents(&[percent(kpi(section, TOP_1))], &[800.0 / 9.0]);
    assert_eq!(
        note_list(section)[0],
        (
            NoteLevel::Info,
            "Sales came in several currencies: figures are in USD, the currency of most sales, \
             and shares are never taken across currencies. Assets sold only in other \
             currencies: 1, left out."
        )
    );
    let curve = table(section, &format!("{CURVE}, USD"));
    assert_eq!(column(curve, "Revenue, USD")[5], &money(9_000_000, "USD"));
    let by_sales = table(section, &format!("{BY_SALES}, USD"));
    // B sold once, A three times (2–4).
    assert_eq!(integers(column(by_sales, "Assets")), [1, 1, 0, 0, 0]);
    assert!(
        highlights(&report)[0]
            .1
            .starts_with("“Asset A” makes 88.9%")
    );
}

#[test]
fn fifty_assets_fill_every_bucket_and_every_point_of_the_curve() {
    let report = report("en", fifty_assets());
    let section = concentration(&report);
    assert_eq!(kpi(section, "Assets sold"), &Value::Integer(50));
    // Top 1 % of 50 = 1 asset: $50 / $150 = 33.33 %; 10 % = 5: $90 = 60 %; 20 % = 10: $115 =
    // 76.67 %.
    assert_percents(
        &[TOP_1, TOP_10, TOP_20].map(|label| percent(kpi(section, label))),
        &[100.0 / 3.0, 60.0, 230.0 / 3.0],
    );
    assert_eq!(
        [TOP_1, TOP_10, TOP_20].map(|label| kpi_note(section, label)),
        [Some("1 asset"), Some("5 assets"), Some("10 assets")]
    );
    // Half of $150: $50, $60, $70, $80 ≥ $75 after 4 assets = 8 % of 50: moderate.
    assert_eq!(kpi(section, HALF), &Value::Integer(4));
    assert_eq!(kpi_note(section, HALF), Some("8% of assets sold"));
    assert_eq!(
        note_list(section),
        [
            (
                NoteLevel::Warning,
                "“Asset a01” makes 33.3% of your revenue: more than a quarter rests on a single \
                 asset, so a drop in its sales would show at once."
            ),
            (
                NoteLevel::Info,
                "Revenue is moderately concentrated: 4 assets make half of it (8% of the assets \
                 sold), as is usual for a stock portfolio."
            ),
        ]
    );
    // Curve: 1, 3 (5 % of 50 = 2.5 → 3), 5, 10, 25, 50 assets; $50, $70, $90, $115,
    // $115 + 10 × $2 + 5 × $0.50 = $137.50, $150.
    let curve = table(section, CURVE);
    assert_eq!(integers(column(curve, "Assets")), [1, 3, 5, 10, 25, 50]);
    assert_percents(
        &percents(column(curve, "Share of assets")),
        &[2.0, 6.0, 10.0, 20.0, 50.0, 100.0],
    );
    assert_percents(
        &percents(column(curve, "Share of revenue")),
        &[
            100.0 / 3.0,
            140.0 / 3.0,
            60.0,
            230.0 / 3.0,
            275.0 / 3.0,
            100.0,
        ],
    );
    assert_eq!(column(curve, "Revenue")[4], &money(137_500_000, "USD"));
    // Buckets: once 30 (60 %, $15 = 10 %), 2–4 10 (20 %, $20), 5–9 5 (10 %, $25),
    // 10–49 4 (8 %, $40), 50+ 1 (2 %, $50).
    let by_sales = table(section, BY_SALES);
    assert_eq!(integers(column(by_sales, "Assets")), [30, 10, 5, 4, 1]);
    assert_percents(
        &percents(column(by_sales, "Share of assets")),
        &[60.0, 20.0, 10.0, 8.0, 2.0],
    );
    assert_percents(
        &percents(column(by_sales, "Share of revenue")),
        &[10.0, 40.0 / 3.0, 50.0 / 3.0, 80.0 / 3.0, 100.0 / 3.0],
    );
    let chart = charts(section)[1];
    assert_eq!((chart.kind, chart.series.len()), (ChartKind::Columns, 2));
    assert_percents(&chart.series[0].values, &[60.0, 20.0, 10.0, 8.0, 2.0]);
    assert_eq!(
        highlights(&report)[1..],
        [
            (
                NoteLevel::Info,
                "4 assets make half your revenue (8% of the assets sold)."
            ),
            (
                NoteLevel::Info,
                "30 assets sold only once (60% of the assets sold), making 10% of revenue."
            ),
        ]
    );
}

#[test]
fn highly_concentrated_revenue_is_said_so() {
    // 100 assets: b001–b004 sold 20 times for $20 each ($80), 96 others once for $0.50 ($48).
    // Total $128; half ($64) needs 4 assets ($80 ≥ $64, $60 < $64) = 4 % < 5 %. The best makes
    // $20 / $128 = 15.625 %: no warning.
    let sales = (1..=100)
        .map(|i| {
            let id = format!("b{i:03}");
            if i <= 4 {
                usd(&id, 20, 20_000_000)
            } else {
                usd(&id, 1, 500_000)
            }
        })
        .collect();
    let report = report("en", sales);
    let section = concentration(&report);
    assert_eq!(kpi(section, TOP_1), &Value::Percent(15.625));
    assert_eq!(
        note_list(section),
        [(
            NoteLevel::Info,
            "Revenue is highly concentrated: 4 assets make half of it (4% of the assets sold). \
             A few bestsellers carry the portfolio; new work on their themes is the surest bet, \
             and a broader base makes it safer."
        )]
    );
    assert_eq!(
        highlights(&report)[0],
        (
            NoteLevel::Info,
            "4 assets make half your revenue (4% of the assets sold)."
        )
    );
}

#[test]
fn widely_spread_revenue_is_good_news() {
    // Ten assets of $1: half takes 5 = 50 % of them; the best makes 10 %.
    let sales = (0..10)
        .map(|i| usd(&format!("c{i}"), 1, 1_000_000))
        .collect();
    let report = report("en", sales);
    assert_eq!(
        note_list(concentration(&report)),
        [(
            NoteLevel::Good,
            "Revenue is spread widely: 5 assets make half of it (50% of the assets sold), so it \
             does not hang on a few works."
        )]
    );
}

#[test]
fn ties_rank_by_asset_id_whatever_the_order() {
    // "a" and "z" both make $5: "a" ranks first and is the one named, in either feed order.
    let one = report("en", vec![usd("z", 1, 5_000_000), usd("a", 1, 5_000_000)]);
    let other = report("en", vec![usd("a", 1, 5_000_000), usd("z", 1, 5_000_000)]);
    assert_eq!(one, other);
    assert!(one.highlights[0].text.starts_with("“Asset a” makes 50%"));
}

#[test]
fn the_same_id_on_two_marketplaces_is_two_assets() {
    let report = analyze::<ConcentrationAnalysis>(
        request("en", "2025-10-01"),
        vec![
            ("adobe-stock", SELECTED, vec![usd("1", 1, 1_000_000)]),
            ("shutterstock", SELECTED, vec![usd("1", 1, 1_000_000)]),
        ],
    );
    assert_eq!(
        kpi(concentration(&report), "Assets sold"),
        &Value::Integer(2)
    );
}

#[test]
fn names_fall_back_to_the_file_name_then_the_id_and_long_ones_are_cut() {
    let mut long = usd("L", 1, 9_000_000);
    long.title = Some("Sunset ".repeat(20));
    let report_long = report("en", vec![long, usd("S", 1, 1_000_000)]);
    // 60 characters: eight "Sunset " (56) and "Suns".
    assert!(
        report_long.highlights[0].text.starts_with(
            "“Sunset Sunset Sunset Sunset Sunset Sunset Sunset Sunset Suns…” makes 90%"
        )
    );

    let mut file_only = usd("F", 1, 1_000_000);
    file_only.title = None;
    let report_file = report("en", vec![file_only]);
    assert!(report_file.highlights[0].text.starts_with("“F.jpg” makes"));

    let mut bare = usd("ID-7", 1, 1_000_000);
    bare.title = None;
    bare.file_name = None;
    let report_bare = report("en", vec![bare]);
    assert!(report_bare.highlights[0].text.starts_with("“ID-7” makes"));
}

#[test]
fn huge_amounts_leave_a_blank_cell_rather_than_fail() {
    // Three sales of the largest amount a sale can carry: each fits, their sum does not.
    let sales = ["A", "B", "C"]
        .into_iter()
        .map(|id| usd(id, i32::MAX, i64::MAX))
        .collect();
    let report = report("en", sales);
    let section = concentration(&report);
    let curve = table(section, CURVE);
    assert_eq!(column(curve, "Revenue")[0], &money(i64::MAX, "USD"));
    assert_eq!(column(curve, "Revenue")[5], &Value::Empty);
    assert_percents(&[percent(column(curve, "Share of revenue")[5])], &[100.0]);
}

fn russian_sale(asset: &str, title: &str, units: i32, micros: i64, currency: &str) -> Sale {
    let mut sale = sale("2025-07-01", asset, units, micros, currency);
    sale.title = Some(title.into());
    sale
}

#[test]
fn a_russian_report_speaks_russian_throughout() {
    // USD (main): «Закат» $6 in 2 sales, «Лес» $2, «Море» $2, and «Поле» +$1 then a $3 refund
    // (net -$2, no net sales); EUR: «Горы» only. Shares are of $10: «Закат» makes 60 %.
    let sales = vec![
        russian_sale("1", "Закат", 2, 6_000_000, "USD"),
        russian_sale("2", "Лес", 1, 2_000_000, "USD"),
        russian_sale("3", "Море", 1, 2_000_000, "USD"),
        russian_sale("4", "Поле", 1, 1_000_000, "USD"),
        russian_sale("4", "Поле", -1, -3_000_000, "USD"),
        russian_sale("5", "Горы", 1, 4_000_000, "EUR"),
    ];
    let report = report("ru", sales);
    let section = concentration(&report);
    assert_eq!(section.title, "Концентрация дохода");
    assert_eq!(kpi(section, "Проданных работ"), &Value::Integer(4));
    assert_eq!(
        kpi(section, "Доход от лучших 1\u{a0}% работ"),
        &Value::Percent(60.0)
    );
    assert_eq!(
        kpi_note(section, "Доход от лучших 20\u{a0}% работ"),
        Some("1 работа")
    );
    // Sold once: «Лес» and «Море», 2 of 4 assets, $4 of $10.
    assert_eq!(
        kpi_note(section, "Работ с одной продажей"),
        Some("50\u{a0}% работ, 40\u{a0}% дохода")
    );
    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Warning,
                "«Закат» приносит 60\u{a0}% дохода: больше четверти держится на одной работе, \
                 и спад её продаж сразу скажется на доходе."
            ),
            (
                NoteLevel::Info,
                "1 работа приносит половину дохода (25\u{a0}% проданных работ)."
            ),
            (
                NoteLevel::Info,
                "По одной продаже у 2 работ (50\u{a0}% проданных работ), это 40\u{a0}% дохода."
            ),
        ]
    );
    let texts = note_list(section);
    assert!(texts.contains(&(
        NoteLevel::Info,
        "У 1 работы возвраты за период превысили доход; в долях она считается с нулевым доходом."
    )));
    assert!(texts.contains(&(
        NoteLevel::Info,
        "Проданных работ всего 4: слишком мало, чтобы судить, насколько равномерно распределён \
         доход."
    )));
    assert_no_latin(&report);
}

#[test]
fn a_russian_report_without_shares_or_sales_speaks_russian_too() {
    let zero = report(
        "ru",
        vec![
            russian_sale("1", "Закат", 1, 1_000_000, "USD"),
            russian_sale("2", "Лес", -1, -1_000_000, "USD"),
        ],
    );
    assert_eq!(
        note_list(concentration(&zero)),
        [(
            NoteLevel::Info,
            "Доход в USD после возвратов нулевой или отрицательный, поэтому доли дохода не \
             считаются: показано только число работ."
        )]
    );
    assert_no_latin(&zero);

    let empty = report("ru", Vec::new());
    assert_eq!(
        note_list(concentration(&empty)),
        [(
            NoteLevel::Info,
            "В выбранном периоде и типе контента продаж нет."
        )]
    );
    assert_no_latin(&empty);
}

/// No English word is left: apart from currency codes, a Russian report has no Latin letters.
#[track_caller]
fn assert_no_latin(report: &Report) {
    let text = all_text(report).replace("USD", "").replace("EUR", "");
    let latin: Vec<&str> = text
        .lines()
        .filter(|line| line.chars().any(|c| c.is_ascii_alphabetic()))
        .collect();
    assert!(
        latin.is_empty(),
        "English left in a Russian report: {latin:?}"
    );
}
