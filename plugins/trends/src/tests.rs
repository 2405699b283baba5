//! Whole-report tests: what a contributor would see for typical and edge-case selections. Every
//! expected figure is worked out by hand in the comment above it.

use stocklens_plugin_sdk::testing::{
    HISTORY, SELECTED, all_text, analyze, charts, column, day, kpi, kpis, money, notes, percent,
    request, sale, section, table,
};
use stocklens_plugin_sdk::{
    Block, ChartKind, ChartUnit, MediaType, NoteLevel, Report, Request, Sale, Scope, Section, Value,
};

use crate::TrendsAnalysis;

/// A request for July–September 2025, made on 1 October 2025.
fn quarter(locale: &str) -> Request {
    period(locale, "2025-07-01", "2025-09-30", "2025-10-01")
}

fn period(locale: &str, from: &str, to: &str, today: &str) -> Request {
    let mut request = request(locale, today);
    request.filters.from = Some(day(from));
    request.filters.to = Some(day(to));
    request
}

fn run(request: Request, batches: Vec<(Scope, Vec<Sale>)>) -> Report {
    let batches = batches
        .into_iter()
        .map(|(scope, sales)| ("adobe-stock", scope, sales))
        .collect();
    analyze::<TrendsAnalysis>(request, batches)
}

fn usd(micros: i64) -> Value {
    money(micros, "USD")
}

fn month(iso: &str) -> Value {
    Value::Month(day(iso))
}

/// A refund of one unit.
fn refund(date: &str, asset: &str, micros: i64, currency: &str) -> Sale {
    Sale {
        units: -1,
        ..sale(date, asset, 1, micros, currency)
    }
}

fn highlights(report: &Report) -> Vec<(NoteLevel, &str)> {
    report
        .highlights
        .iter()
        .map(|n| (n.level, n.text.as_str()))
        .collect()
}

fn note_texts(section: &Section) -> Vec<&str> {
    notes(section).iter().map(|n| n.text.as_str()).collect()
}

fn kpi_note<'a>(section: &'a Section, label: &str) -> Option<&'a str> {
    kpis(section)
        .into_iter()
        .find(|k| k.label == label)
        .and_then(|k| k.note.as_deref())
}

fn has_kpi(section: &Section, label: &str) -> bool {
    kpis(section).iter().any(|k| k.label == label)
}

fn approx(value: &Value, expected: f64) {
    let found = percent(value);
    assert!((found - expected).abs() < 1e-9, "{found} is not {expected}");
}

/// July–September 2025: July 2 sales $15, August 2 sales $20, September 1 sale $10.
fn quarter_sales() -> Vec<Sale> {
    vec![
        sale("2025-07-10", "A", 1, 10_000_000, "USD"), // Thursday
        sale("2025-07-20", "B", 1, 5_000_000, "USD"),  // Sunday
        sale("2025-08-05", "A", 2, 20_000_000, "USD"), // Tuesday
        sale("2025-09-15", "C", 1, 10_000_000, "USD"), // Monday
    ]
}

/// April–June 2025 exactly, from its first day to its last: 4 sales, $30.
fn previous_quarter() -> Vec<Sale> {
    vec![
        sale("2025-04-01", "A", 1, 10_000_000, "USD"),
        sale("2025-05-15", "A", 1, 10_000_000, "USD"),
        sale("2025-06-30", "B", 2, 10_000_000, "USD"),
    ]
}

#[test]
fn history_covering_the_previous_period_exactly_gives_its_changes() {
    let report = run(
        quarter("en"),
        vec![(HISTORY, previous_quarter()), (SELECTED, quarter_sales())],
    );
    let ids: Vec<&str> = report.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["trends", "by-month", "by-week"]);
    let trends = section(&report, "trends");
    // $45 against $30 is +50%; 5 sales against 4 is +25%.
    approx(kpi(trends, "Revenue vs previous period"), 50.0);
    approx(kpi(trends, "Sales vs previous period"), 25.0);
    assert_eq!(
        kpi_note(trends, "Revenue vs previous period"),
        Some("April–June 2025: $30.00")
    );
    assert_eq!(
        kpi_note(trends, "Sales vs previous period"),
        Some("April–June 2025: 4 sales")
    );
    // The history starts on 1 April 2025: a year earlier is out of reach.
    assert!(!has_kpi(trends, "Revenue vs a year earlier"));
    assert!(note_texts(trends).contains(
        &"To compare with the same period a year earlier, send the export for July–September 2024."
    ));

    let comparison = table(trends, "This period and earlier ones");
    assert_eq!(
        comparison.rows[1],
        [
            Value::Text("Previous period".into()),
            Value::Date(day("2025-04-01")),
            Value::Date(day("2025-06-30")),
            Value::Integer(4),
            Value::Percent(25.0),
            usd(30_000_000),
            Value::Percent(50.0),
        ]
    );
    assert_eq!(comparison.rows[0][5], usd(45_000_000));

    // Whole months: July $15, August $20, September $10.
    assert_eq!(kpi(trends, "Best month"), &month("2025-08-01"));
    assert_eq!(kpi(trends, "Worst month"), &month("2025-09-01"));
    assert_eq!(kpi_note(trends, "Worst month"), Some("$10.00"));
    // (15 + 20 + 10) / 3 = $15, between the weakest ($10) and the best ($20).
    assert_eq!(kpi(trends, "Estimate for October 2025"), &usd(15_000_000));
    assert_eq!(
        kpi_note(trends, "Estimate for October 2025"),
        Some("between $10 and $20")
    );
    assert!(note_texts(trends).contains(
        &"The estimate for October 2025 is the average of the last 3 full months (July–September 2025), rounded to two significant digits; the range runs from the weakest of them to the best. It is a rough guide, not a forecast."
    ));

    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Good,
                "Revenue is up 50% on the previous period (April–June 2025)."
            ),
            (NoteLevel::Good, "Best month: August 2025, $20.00."),
            (
                NoteLevel::Info,
                "Estimate for October 2025: about $15 (between $10 and $20), from the average of the last 3 full months."
            ),
        ]
    );
}

#[test]
fn months_show_revenue_sales_and_change_with_the_same_numbers_as_the_charts() {
    let report = run(quarter("en"), vec![(SELECTED, quarter_sales())]);
    let by_month = section(&report, "by-month");
    let charts = charts(by_month);
    assert_eq!(charts.len(), 2);
    assert_eq!(charts[0].unit, ChartUnit::Money("USD".into()));
    assert_eq!(charts[0].kind, ChartKind::Columns);
    assert_eq!(
        charts[0].series[0].values,
        [15_000_000.0, 20_000_000.0, 10_000_000.0]
    );
    assert_eq!(charts[1].unit, ChartUnit::Count);
    assert_eq!(charts[1].series[0].values, [2.0, 2.0, 1.0]);
    let months = table(by_month, "Revenue and sales by month");
    assert_eq!(
        column(months, "Month"),
        [
            &month("2025-07-01"),
            &month("2025-08-01"),
            &month("2025-09-01")
        ]
    );
    assert_eq!(
        column(months, "Revenue"),
        [&usd(15_000_000), &usd(20_000_000), &usd(10_000_000)]
    );
    // August: 20 / 15 - 1 = +33.3%; September: 10 / 20 - 1 = -50%.
    let change = column(months, "Change vs previous month");
    assert_eq!(change[0], &Value::Empty);
    approx(change[1], 100.0 / 3.0);
    approx(change[2], -50.0);
}

#[test]
fn weeks_start_on_monday_and_weekdays_are_averaged_per_day() {
    let report = run(quarter("en"), vec![(SELECTED, quarter_sales())]);
    let by_week = section(&report, "by-week");
    // 1 July 2025 is a Tuesday in the week of Monday 30 June; 30 September a Tuesday in the week
    // of 29 September: 91 days apart, 14 weeks.
    let weeks = table(by_week, "By week");
    assert_eq!(weeks.rows.len(), 14);
    assert_eq!(weeks.rows[0][0], Value::Date(day("2025-06-30")));
    assert_eq!(weeks.rows[13][0], Value::Date(day("2025-09-29")));
    // Thursday 10 July is in the week of 7 July, Sunday 20 July in the week of 14 July.
    assert_eq!(
        weeks.rows[1],
        [
            Value::Date(day("2025-07-07")),
            Value::Integer(1),
            usd(10_000_000)
        ]
    );
    assert_eq!(
        weeks.rows[2],
        [
            Value::Date(day("2025-07-14")),
            Value::Integer(1),
            usd(5_000_000)
        ]
    );
    let week_charts = charts(by_week);
    assert_eq!(week_charts[0].kind, ChartKind::Columns);
    assert_eq!(
        week_charts[0].series[0].values[5], 20_000_000.0,
        "week of 4 August"
    );

    // 92 days are 13 weeks and a day, the extra day a Tuesday: 14 Tuesdays, 13 of the rest.
    let weekdays = table(by_week, "By day of week");
    assert_eq!(
        column(weekdays, "Days in period"),
        [13, 14, 13, 13, 13, 13, 13]
            .map(Value::Integer)
            .iter()
            .collect::<Vec<_>>()
    );
    // Tuesday: 2 sales and $20 over 14 days, 0.14 sales and $1.428… → $1.43 a day; Monday
    // $10 / 13 → $0.77; Sunday $5 / 13 → $0.38.
    let tuesday = &weekdays.rows[1];
    assert_eq!(tuesday[0], Value::Text("Tuesday".into()));
    assert_eq!(tuesday[2], Value::Integer(2));
    assert_eq!(tuesday[3], Value::Number(0.14));
    assert_eq!(tuesday[5], usd(1_430_000));
    assert_eq!(weekdays.rows[0][5], usd(770_000));
    assert_eq!(weekdays.rows[6][5], usd(380_000));
    assert_eq!(
        note_texts(by_week),
        [
            "The first and last weeks are only partly in the period.",
            "Weekday figures are averages per calendar day: each weekday's total divided by how many times it occurs in the period.",
            "Best weekday: Tuesday, $1.43 a day on average; weakest: Wednesday, $0.00.",
        ]
    );
}

#[test]
fn history_a_year_back_adds_the_year_on_year_change() {
    // July 2025 ($12 + $8 = $20, 2 sales); June 2025 $40 from 2 sales; July 2024 $10 + $15 =
    // $25 from 2 sales. The history starts on 3 July 2024, within a week of the 1st.
    let history = vec![
        sale("2024-07-03", "A", 1, 10_000_000, "USD"),
        sale("2024-07-25", "A", 1, 15_000_000, "USD"),
        sale("2025-06-12", "B", 2, 40_000_000, "USD"),
    ];
    let selected = vec![
        sale("2025-07-08", "A", 1, 12_000_000, "USD"),
        sale("2025-07-22", "B", 1, 8_000_000, "USD"),
    ];
    let report = run(
        period("en", "2025-07-01", "2025-07-31", "2025-08-01"),
        vec![(HISTORY, history), (SELECTED, selected)],
    );
    let trends = section(&report, "trends");
    // $20 against $40 is -50%; against $25 it is -20%. Sales stay at 2 both times.
    approx(kpi(trends, "Revenue vs previous period"), -50.0);
    approx(kpi(trends, "Sales vs previous period"), 0.0);
    approx(kpi(trends, "Revenue vs a year earlier"), -20.0);
    approx(kpi(trends, "Sales vs a year earlier"), 0.0);
    assert_eq!(
        kpi_note(trends, "Revenue vs a year earlier"),
        Some("July 2024: $25.00")
    );
    let comparison = table(trends, "This period and earlier ones");
    assert_eq!(comparison.rows.len(), 3);
    assert_eq!(comparison.rows[2][0], Value::Text("A year earlier".into()));
    assert_eq!(comparison.rows[2][1], Value::Date(day("2024-07-01")));
    // One month: nothing to rank. The estimate takes May and June from the history (May sold
    // nothing): (0 + 40 + 20) / 3 = $20, between $0 and $40.
    assert!(!has_kpi(trends, "Best month"));
    assert_eq!(kpi(trends, "Estimate for August 2025"), &usd(20_000_000));
    assert!(note_texts(trends).contains(
        &"The estimate for August 2025 is the average of the last 3 full months (May–July 2025), rounded to two significant digits; the range runs from the weakest of them to the best. It is a rough guide, not a forecast."
    ));
    // A fall of more than 20% leads as a warning.
    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Warning,
                "Revenue is down 50% on the previous period (June 2025)."
            ),
            (
                NoteLevel::Info,
                "Estimate for August 2025: about $20 (between $0 and $40), from the average of the last 3 full months."
            ),
        ]
    );
}

#[test]
fn without_history_a_short_period_gives_no_estimate_and_asks_for_the_export() {
    // July–August 2025 and nothing before: two whole months, June is missing.
    let selected = vec![
        sale("2025-07-08", "A", 1, 12_000_000, "USD"),
        sale("2025-08-22", "B", 1, 8_000_000, "USD"),
    ];
    let report = run(
        period("en", "2025-07-01", "2025-08-31", "2025-09-01"),
        vec![(SELECTED, selected)],
    );
    let trends = section(&report, "trends");
    assert!(!kpis(trends).iter().any(|k| k.label.starts_with("Estimate")));
    assert!(note_texts(trends).contains(
        &"An estimate of next month needs 3 full months and the period has only 2 full months; send the export for June 2025 to get one."
    ));
}

#[test]
fn a_period_starting_mid_month_does_not_call_its_first_month_worst() {
    // 15 April to 31 July 2025: April holds only $1, but it is cut by the start.
    let selected = vec![
        sale("2025-04-20", "A", 1, 1_000_000, "USD"),
        sale("2025-05-10", "A", 1, 30_000_000, "USD"),
        sale("2025-06-10", "A", 1, 20_000_000, "USD"),
        sale("2025-07-10", "A", 1, 25_000_000, "USD"),
    ];
    let report = run(
        period("en", "2025-04-15", "2025-07-31", "2025-08-01"),
        vec![(SELECTED, selected)],
    );
    let trends = section(&report, "trends");
    assert_eq!(kpi(trends, "Best month"), &month("2025-05-01"));
    assert_eq!(kpi(trends, "Worst month"), &month("2025-06-01"));
    // 108 days are compared day for day: 28 December 2024 to 14 April 2025 before them.
    assert_eq!(
        note_texts(trends)[..3],
        [
            "To compare with the previous period, send the export for December 2024 – April 2025.",
            "To compare with the same period a year earlier, send the export for April–July 2024.",
            "April 2025 is only partly in the period, so it is not ranked as best or worst month.",
        ]
    );
    // May, June and July: (30 + 20 + 25) / 3 = $25, between $20 and $30.
    assert_eq!(kpi(trends, "Estimate for August 2025"), &usd(25_000_000));
    assert_eq!(
        note_texts(section(&report, "by-month")),
        ["April 2025 is only partly in the period: its figures cover part of the month."]
    );
    assert_eq!(
        highlights(&report),
        [
            (NoteLevel::Good, "Best month: May 2025, $30.00."),
            (
                NoteLevel::Info,
                "Estimate for August 2025: about $25 (between $20 and $30), from the average of the last 3 full months."
            ),
        ]
    );
}

#[test]
fn months_without_sales_are_shown_as_zero() {
    let selected = vec![
        sale("2025-07-05", "A", 1, 5_000_000, "USD"),
        sale("2025-10-05", "A", 1, 7_000_000, "USD"),
    ];
    let report = run(request("en", "2025-10-10"), vec![(SELECTED, selected)]);
    let by_month = section(&report, "by-month");
    assert_eq!(
        charts(by_month)[0].series[0].values,
        [5_000_000.0, 0.0, 0.0, 7_000_000.0]
    );
    assert_eq!(charts(by_month)[1].series[0].values, [1.0, 0.0, 0.0, 1.0]);
    let months = table(by_month, "Revenue and sales by month");
    assert_eq!(
        months.rows[1][..3],
        [month("2025-08-01"), Value::Integer(0), usd(0)]
    );
    // August against July is -100%; after an empty month there is no percentage.
    let change = column(months, "Change vs previous month");
    assert_eq!(
        change,
        [
            &Value::Empty,
            &Value::Percent(-100.0),
            &Value::Empty,
            &Value::Empty
        ]
    );
    let trends = section(&report, "trends");
    // August and September are whole but earned nothing: no month is "best".
    assert!(!has_kpi(trends, "Best month"));
    // Nothing was sold before 5 July (there is no date filter), so July counts with August and
    // September: (5 + 0 + 0) / 3 = $1.67 → $1.70, between $0 and $5.
    assert_eq!(kpi(trends, "Estimate for November 2025"), &usd(1_700_000));
    assert_eq!(
        kpi_note(trends, "Estimate for November 2025"),
        Some("between $0 and $5")
    );
}

#[test]
fn refunds_can_make_a_month_negative() {
    // July $10; August $3 - $8 = -$5 with 1 - 1 = 0 sales; September $6.
    let selected = vec![
        sale("2025-07-03", "A", 1, 10_000_000, "USD"),
        sale("2025-08-04", "B", 1, 3_000_000, "USD"),
        refund("2025-08-20", "A", -8_000_000, "USD"),
        sale("2025-09-09", "C", 1, 6_000_000, "USD"),
    ];
    let report = run(quarter("en"), vec![(SELECTED, selected)]);
    let by_month = section(&report, "by-month");
    let months = table(by_month, "Revenue and sales by month");
    assert_eq!(
        months.rows[1][..3],
        [month("2025-08-01"), Value::Integer(0), usd(-5_000_000)]
    );
    // August: (-5 - 10) / 10 = -150%; September after a negative month: none.
    let change = column(months, "Change vs previous month");
    approx(change[1], -150.0);
    assert_eq!(change[2], &Value::Empty);
    let warning = notes(by_month)
        .into_iter()
        .find(|n| n.level == NoteLevel::Warning)
        .map(|n| n.text.as_str());
    assert_eq!(
        warning,
        Some("Revenue for August 2025 is negative: refunds exceeded sales.")
    );

    let trends = section(&report, "trends");
    assert_eq!(kpi(trends, "Worst month"), &month("2025-08-01"));
    assert_eq!(kpi_note(trends, "Worst month"), Some("-$5.00"));
    // (10 - 5 + 6) / 3 = $3.666667 → two significant digits $3.70; the range starts at zero,
    // not at the negative month, and ends at July's $10.
    assert_eq!(kpi(trends, "Estimate for October 2025"), &usd(3_700_000));
    assert_eq!(
        kpi_note(trends, "Estimate for October 2025"),
        Some("between $0 and $10")
    );
}

#[test]
fn several_currencies_are_compared_each_on_its_own() {
    // USD: July $10, August $20 + $5; EUR: July €4, September €6. USD has 3 rows, so it is the
    // main currency. April–June: USD $10 + $10, EUR €5, 3 sales.
    let selected = vec![
        sale("2025-07-10", "A", 1, 10_000_000, "USD"),
        sale("2025-07-11", "B", 1, 4_000_000, "EUR"),
        sale("2025-08-12", "A", 1, 20_000_000, "USD"),
        sale("2025-08-13", "C", 1, 5_000_000, "USD"),
        sale("2025-09-02", "B", 1, 6_000_000, "EUR"),
    ];
    let history = vec![
        sale("2025-04-01", "A", 1, 10_000_000, "USD"),
        sale("2025-05-05", "B", 1, 5_000_000, "EUR"),
        sale("2025-06-06", "A", 1, 10_000_000, "USD"),
    ];
    let report = run(
        quarter("en"),
        vec![(SELECTED, selected), (HISTORY, history)],
    );
    let trends = section(&report, "trends");
    // USD $35 against $20: +75%. Sales 5 against 3: +66.7%.
    approx(kpi(trends, "Revenue vs previous period, USD"), 75.0);
    approx(kpi(trends, "Sales vs previous period"), 200.0 / 3.0);
    let comparison = table(trends, "This period and earlier ones");
    // EUR €10 against €5: +100%, in its own column.
    approx(
        column(comparison, "Change in revenue since then, EUR")[1],
        100.0,
    );
    assert_eq!(
        column(comparison, "Revenue, EUR")[1],
        &money(5_000_000, "EUR")
    );
    assert!(note_texts(trends).contains(
        &"Changes, best and worst months and the estimate are in USD, the main currency; the tables show every currency."
    ));
    // Best USD month August $25; the estimate (10 + 25 + 0) / 3 = $11.67 → two significant
    // digits, $12.
    assert_eq!(kpi(trends, "Best month"), &month("2025-08-01"));
    assert_eq!(
        kpi(trends, "Estimate for October 2025, USD"),
        &usd(12_000_000)
    );

    let by_month = section(&report, "by-month");
    let charts = charts(by_month);
    assert_eq!(charts[0].unit, ChartUnit::Money("USD".into()));
    assert_eq!(
        charts[0].series[0].values,
        [10_000_000.0, 25_000_000.0, 0.0]
    );
    assert_eq!(charts[1].unit, ChartUnit::Money("EUR".into()));
    assert_eq!(charts[1].series[0].values, [4_000_000.0, 0.0, 6_000_000.0]);
    assert_eq!(charts[2].series[0].values, [2.0, 2.0, 1.0]);
    assert_eq!(
        table(by_month, "Revenue and sales by month").columns,
        [
            "Month",
            "Sales",
            "Revenue, USD",
            "Change vs previous month, USD",
            "Revenue, EUR",
            "Change vs previous month, EUR"
        ]
    );
    assert_eq!(
        report.highlights[0].text,
        "Revenue in USD is up 75% on the previous period (April–June 2025)."
    );
}

#[test]
fn all_sales_on_one_day_make_no_trend_claims() {
    let selected = vec![
        sale("2025-07-14", "A", 1, 1_000_000, "USD"),
        sale("2025-07-14", "B", 1, 2_000_000, "USD"),
        sale("2025-07-14", "C", 1, 3_000_000, "USD"),
    ];
    let report = run(request("en", "2025-10-01"), vec![(SELECTED, selected)]);
    let trends = section(&report, "trends");
    assert!(kpis(trends).is_empty());
    assert_eq!(
        note_texts(trends),
        [
            "All sales fall on one day, 14 July 2025, so there is no trend over weeks or months to show.",
            "The period is shorter than a week, too short to compare with earlier periods.",
        ]
    );
    let by_week = section(&report, "by-week");
    assert!(charts(by_week).is_empty());
    assert_eq!(
        note_texts(by_week),
        ["All sales fall on one day, so there is no weekly pattern to show."]
    );
    let months = table(section(&report, "by-month"), "Revenue and sales by month");
    assert_eq!(
        months.rows,
        [vec![
            month("2025-07-01"),
            Value::Integer(3),
            usd(6_000_000),
            Value::Empty
        ]]
    );
    assert!(report.highlights.is_empty());
}

#[test]
fn one_sale_in_a_selected_quarter_is_still_compared() {
    // One sale of $0.99 in a quarter whose previous quarter the history covers with $3.30.
    let history = vec![sale("2025-04-01", "A", 1, 3_300_000, "USD")];
    let report = run(
        quarter("en"),
        vec![
            (HISTORY, history),
            (SELECTED, vec![sale("2025-08-14", "A", 1, 990_000, "USD")]),
        ],
    );
    assert_eq!(report.sections.len(), 3);
    let trends = section(&report, "trends");
    // (0.99 - 3.30) / 3.30 = -70%.
    approx(kpi(trends, "Revenue vs previous period"), -70.0);
    // One day of sales: no best month and no estimate, even over three whole months.
    assert!(!has_kpi(trends, "Best month"));
    assert!(!kpis(trends).iter().any(|k| k.label.starts_with("Estimate")));
    assert_eq!(
        highlights(&report),
        [(
            NoteLevel::Warning,
            "Revenue is down 70% on the previous period (April–June 2025)."
        )]
    );
    let months = table(section(&report, "by-month"), "Revenue and sales by month");
    assert_eq!(column(months, "Revenue"), [&usd(0), &usd(990_000), &usd(0)]);
}

#[test]
fn an_empty_selection_is_a_report_that_says_so() {
    let history = vec![sale("2024-01-05", "Z", 1, 1_000_000, "USD")];
    let report = run(quarter("en"), vec![(HISTORY, history)]);
    assert_eq!(report.sections.len(), 1);
    assert_eq!(
        note_texts(section(&report, "trends")),
        ["There are no sales in the selected period and content type."]
    );
    assert!(report.highlights.is_empty());
    let russian = run(quarter("ru"), Vec::new());
    assert_eq!(
        note_texts(section(&russian, "trends")),
        ["В выбранном периоде и типе контента продаж нет."]
    );
}

#[test]
fn with_a_year_of_history_the_estimate_follows_the_season() {
    // July–September 2024: $10, $10, $20 (sum $40); October 2024 $30. July–September 2025:
    // $15, $15, $40 (sum $70). Year on year the quarter grew 70 / 40 = 1.75, so October 2025 is
    // 30 × 1.75 = $52.50 → $53. Month by month: July 30 × 15/10 = 45, August 45, September
    // 30 × 40/20 = 60, so the range is $45 to $60.
    let history = vec![
        sale("2024-07-02", "A", 1, 10_000_000, "USD"),
        sale("2024-08-02", "A", 1, 10_000_000, "USD"),
        sale("2024-09-02", "A", 1, 20_000_000, "USD"),
        sale("2024-10-02", "A", 1, 30_000_000, "USD"),
    ];
    let selected = vec![
        sale("2025-07-02", "A", 1, 15_000_000, "USD"),
        sale("2025-08-02", "A", 1, 15_000_000, "USD"),
        sale("2025-09-02", "A", 1, 40_000_000, "USD"),
    ];
    let report = run(
        quarter("en"),
        vec![(HISTORY, history), (SELECTED, selected)],
    );
    let trends = section(&report, "trends");
    assert_eq!(kpi(trends, "Estimate for October 2025"), &usd(53_000_000));
    assert_eq!(
        kpi_note(trends, "Estimate for October 2025"),
        Some("between $45 and $60")
    );
    assert!(note_texts(trends).contains(
        &"The estimate for October 2025 is the revenue of October 2024 scaled by the year-on-year change of the last 3 full months (+75%), rounded to two significant digits; the range is what each of those months' own change gives. It is a rough guide, not a forecast."
    ));
    // Nothing was sold in April–June 2025: a gap between exports, so no previous-period change.
    assert!(
        note_texts(trends)
            .contains(&"To compare with the previous period, send the export for April–June 2025.")
    );
    approx(kpi(trends, "Revenue vs a year earlier"), 75.0);
    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Good,
                "Revenue is up 75% on the same period a year earlier (July–September 2024)."
            ),
            (NoteLevel::Good, "Best month: September 2025, $40.00."),
            (
                NoteLevel::Info,
                "Estimate for October 2025: about $53 (between $45 and $60), from October 2024 and the year-on-year change."
            ),
        ]
    );
}

#[test]
fn a_long_period_shows_its_last_52_weeks() {
    // Monday 2 January 2023 to Sunday 29 June 2025: the Mondays 2 January 2023 and 23 June 2025
    // are 364 + 366 + 173 = 903 days, 129 weeks apart: 130 weeks. The last 52 start 357 days
    // before 23 June 2025, on Monday 1 July 2024.
    let selected = vec![
        sale("2023-01-02", "A", 1, 1_000_000, "USD"),
        sale("2025-06-29", "A", 1, 2_000_000, "USD"),
    ];
    let report = run(request("en", "2025-07-01"), vec![(SELECTED, selected)]);
    let by_week = section(&report, "by-week");
    let weeks = table(by_week, "By week");
    assert_eq!(weeks.rows.len(), 52);
    assert_eq!(weeks.rows[0][0], Value::Date(day("2024-07-01")));
    assert_eq!(
        weeks.rows[51],
        [
            Value::Date(day("2025-06-23")),
            Value::Integer(1),
            usd(2_000_000)
        ]
    );
    assert_eq!(charts(by_week)[0].kind, ChartKind::Line);
    assert_eq!(
        note_texts(by_week)[0],
        "The period spans 130 weeks; the weekly chart and table show the last 52."
    );
    // 30 months, January 2023 to June 2025, every one listed.
    assert_eq!(
        table(section(&report, "by-month"), "Revenue and sales by month")
            .rows
            .len(),
        30
    );
}

#[test]
fn exports_dated_by_month_fill_whole_months_and_skip_weeks() {
    // Freepik dates each month's sales on the 1st: the period runs to 30 September.
    let monthly = vec![
        sale("2025-07-01", "A", 3, 3_000_000, "USD"),
        sale("2025-08-01", "A", 6, 6_000_000, "USD"),
        sale("2025-09-01", "A", 3, 3_000_000, "USD"),
    ];
    let report = analyze::<TrendsAnalysis>(
        request("en", "2025-10-05"),
        vec![("freepik", SELECTED, monthly.clone())],
    );
    let trends = section(&report, "trends");
    // (3 + 6 + 3) / 3 = $4 for October.
    assert_eq!(kpi(trends, "Estimate for October 2025"), &usd(4_000_000));
    assert_eq!(kpi(trends, "Best month"), &month("2025-08-01"));
    assert_eq!(
        note_texts(section(&report, "by-week")),
        ["The exports date sales by month only, so they cannot be split by week or weekday."]
    );

    // Beside a daily export, the monthly one is left out of weeks only.
    let daily = vec![sale("2025-07-16", "B", 1, 1_000_000, "USD")];
    let mixed = analyze::<TrendsAnalysis>(
        request("en", "2025-10-05"),
        vec![
            ("freepik", SELECTED, monthly),
            ("adobe-stock", SELECTED, daily),
        ],
    );
    let by_week = section(&mixed, "by-week");
    let weekly_sales: i64 = column(table(by_week, "By week"), "Sales")
        .iter()
        .map(|v| match v {
            Value::Integer(n) => *n,
            _ => 0,
        })
        .sum();
    assert_eq!(weekly_sales, 1);
    assert!(note_texts(by_week).contains(
        &"Sales from Freepik are dated by month only, so they are left out of weeks and weekdays."
    ));
    let months = table(section(&mixed, "by-month"), "Revenue and sales by month");
    assert_eq!(column(months, "Sales")[0], &Value::Integer(4));
}

#[test]
fn history_of_other_media_types_is_not_compared() {
    // Videos only: April–June history holds a $50 video and a $500 photo; July–September a $75
    // video. +50%, not -86%.
    let video = |date: &str, micros: i64| Sale {
        media: MediaType::Video,
        ..sale(date, "V", 1, micros, "USD")
    };
    let mut request = quarter("en");
    request.filters.media = Some(MediaType::Video);
    let history = vec![
        video("2025-04-02", 50_000_000),
        sale("2025-05-02", "P", 1, 500_000_000, "USD"),
    ];
    let report = run(
        request,
        vec![
            (HISTORY, history),
            (SELECTED, vec![video("2025-08-02", 75_000_000)]),
        ],
    );
    approx(
        kpi(section(&report, "trends"), "Revenue vs previous period"),
        50.0,
    );
}

#[test]
fn a_period_still_running_ends_today() {
    // Asked for all of October on 15 October: the period is 1–15 October, compared with the 15
    // days before it, 16–30 September ($10 against $20: -50%).
    let history = vec![
        sale("2025-09-01", "A", 1, 99_000_000, "USD"),
        sale("2025-09-20", "A", 1, 20_000_000, "USD"),
    ];
    let selected = vec![sale("2025-10-03", "A", 1, 10_000_000, "USD")];
    let report = run(
        period("en", "2025-10-01", "2025-10-31", "2025-10-15"),
        vec![(HISTORY, history), (SELECTED, selected)],
    );
    let trends = section(&report, "trends");
    approx(kpi(trends, "Revenue vs previous period"), -50.0);
    assert_eq!(
        kpi_note(trends, "Revenue vs previous period"),
        Some("16–30 September 2025: $20.00")
    );
}

#[test]
fn writes_russian_when_asked() {
    let report = run(
        quarter("ru"),
        vec![(HISTORY, previous_quarter()), (SELECTED, quarter_sales())],
    );
    let titles: Vec<&str> = report.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Динамика", "По месяцам", "По неделям и дням недели"]
    );
    let trends = section(&report, "trends");
    approx(kpi(trends, "Доход к предыдущему периоду"), 50.0);
    assert_eq!(
        kpi_note(trends, "Продажи к предыдущему периоду"),
        Some("апрель–июнь 2025: 4 продажи")
    );
    assert!(note_texts(trends).contains(
        &"Чтобы сравнить с тем же периодом год назад, пришлите выгрузку за июль–сентябрь 2024."
    ));
    assert_eq!(
        highlights(&report),
        [
            (
                NoteLevel::Good,
                "Доход вырос на 50\u{a0}% к предыдущему периоду (апрель–июнь 2025)."
            ),
            (
                NoteLevel::Good,
                "Лучший месяц: август 2025, 20,00\u{a0}USD."
            ),
            (
                NoteLevel::Info,
                "Оценка на октябрь 2025: около 15\u{a0}USD (от 10\u{a0}USD до 20\u{a0}USD) по среднему за три последних полных месяца."
            ),
        ]
    );
    let weekdays = table(section(&report, "by-week"), "По дням недели");
    assert_eq!(weekdays.rows[1][0], Value::Text("вторник".into()));

    // Nothing English is left: the only Latin letters are the currency code.
    let text = all_text(&report).replace("USD", "");
    let latin: Vec<&str> = text
        .lines()
        .filter(|line| line.chars().any(|c| c.is_ascii_alphabetic()))
        .collect();
    assert!(latin.is_empty(), "English left in: {latin:?}");
}

#[test]
fn russian_notes_for_edge_cases_read_naturally() {
    // Refunds, a mid-month start and a missing history, in Russian.
    let selected = vec![
        sale("2025-04-20", "A", 1, 1_000_000, "USD"),
        sale("2025-05-10", "A", 1, 30_000_000, "USD"),
        refund("2025-06-10", "A", -20_000_000, "USD"),
        sale("2025-07-10", "A", 1, 25_000_000, "USD"),
    ];
    let report = run(
        period("ru", "2025-04-15", "2025-07-31", "2025-08-01"),
        vec![(SELECTED, selected)],
    );
    let trends = section(&report, "trends");
    assert!(note_texts(trends).contains(
        &"Апрель 2025 входит в период не целиком, поэтому не участвует в выборе лучшего и худшего месяца."
    ));
    assert!(note_texts(trends).contains(
        &"Чтобы сравнить с предыдущим периодом, пришлите выгрузку за декабрь 2024 – апрель 2025."
    ));
    assert!(
        note_texts(section(&report, "by-month"))
            .contains(&"Доход за июнь 2025 отрицательный: возвраты превысили продажи.")
    );
    let text = all_text(&report).replace("USD", "");
    assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
}

#[test]
fn every_table_row_fits_its_columns() {
    let report = run(
        quarter("en"),
        vec![(HISTORY, previous_quarter()), (SELECTED, quarter_sales())],
    );
    for section in &report.sections {
        for block in &section.blocks {
            match block {
                Block::Table(t) => assert!(t.rows.iter().all(|r| r.len() == t.columns.len())),
                Block::Chart(c) => {
                    assert!(c.series.iter().all(|s| s.values.len() == c.labels.len()));
                }
                _ => {}
            }
        }
    }
}

#[test]
fn odd_input_never_panics() {
    // Dates far apart, huge amounts, zero revenue, a stray date and a bad filter.
    let selected = vec![
        sale("1970-01-01", "A", i32::MAX, i64::MAX, "USD"),
        sale("2025-07-01", "A", i32::MIN, i64::MIN, "USD"),
        sale("9999-12-31", "B", 0, 0, "XXX"),
    ];
    let mut request = period("ru", "2030-01-01", "2020-01-01", "2025-07-01");
    request.today = day("2025-07-01");
    let report = run(request, vec![(SELECTED, selected)]);
    assert_eq!(report.sections.len(), 3);
}

#[test]
fn a_currency_paid_only_by_month_gets_no_weekly_chart() {
    // Freepik pays euros and dates by month; Adobe Stock pays dollars by day. Weeks show dollars
    // only: a euro chart would be all zeros.
    let report = analyze::<TrendsAnalysis>(
        request("en", "2025-10-05"),
        vec![
            (
                "freepik",
                SELECTED,
                vec![sale("2025-07-01", "F", 40, 2_000_000, "EUR")],
            ),
            (
                "adobe-stock",
                SELECTED,
                vec![
                    sale("2025-07-16", "A", 1, 1_000_000, "USD"),
                    sale("2025-08-20", "A", 1, 3_000_000, "USD"),
                ],
            ),
        ],
    );
    let by_week = section(&report, "by-week");
    let titles: Vec<&str> = charts(by_week).iter().map(|c| c.title.as_str()).collect();
    assert!(titles.contains(&"Revenue by week, USD"), "{titles:?}");
    assert!(!titles.iter().any(|t| t.contains("EUR")), "{titles:?}");
    assert!(
        !table(by_week, "By week")
            .columns
            .iter()
            .any(|c| c.contains("EUR"))
    );
    // The months still show both currencies.
    let by_month = section(&report, "by-month");
    assert!(
        charts(by_month)
            .iter()
            .any(|c| c.title == "Revenue by month, EUR")
    );
}

#[test]
fn a_marketplace_new_this_period_is_left_out_of_the_comparison() {
    // Adobe Stock sold 10 in Q2 and 12 in Q3 ($20 → $24); Freepik was sent for Q3 only, with
    // 300 downloads. Sales grew by (12 - 10) / 10 = 20 %, not by (312 - 10) / 10.
    let adobe_q2: Vec<Sale> = (1..=10)
        .map(|d| sale(&format!("2025-04-{d:02}"), "A", 1, 2_000_000, "USD"))
        .collect();
    let adobe_q3: Vec<Sale> = (1..=12)
        .map(|d| sale(&format!("2025-07-{d:02}"), "A", 1, 2_000_000, "USD"))
        .chain([sale("2025-09-30", "A", 0, 0, "USD")])
        .collect();
    let freepik_q3 = vec![sale("2025-08-01", "F", 300, 9_000_000, "EUR")];
    let mut request = request("en", "2025-10-05");
    request.filters.from = Some(day("2025-07-01"));
    request.filters.to = Some(day("2025-09-30"));
    let report = analyze::<TrendsAnalysis>(
        request,
        vec![
            ("adobe-stock", HISTORY, adobe_q2),
            ("adobe-stock", SELECTED, adobe_q3),
            ("freepik", SELECTED, freepik_q3),
        ],
    );
    let trends = section(&report, "trends");
    assert!((percent(kpi(trends, "Sales vs previous period")) - 20.0).abs() < 1e-9);
    assert!((percent(kpi(trends, "Revenue vs previous period, USD")) - 20.0).abs() < 1e-9);
    assert!(note_texts(trends).contains(
        &"The comparison with April–June 2025 leaves out Freepik: your exports from there do not reach back to it, so only marketplaces with data for both periods are compared."
    ));
}
