//! Whole-report tests: what a contributor would see for typical and edge-case selections.

use stocklens_plugin_sdk::testing::borrowed;
use stocklens_plugin_sdk::{
    Analysis, Block, Date, Filters, MediaType, Money, NoteLevel, PortfolioFacts, Report, Request,
    Sale, Scope, Section, Table, Value,
};

use crate::OverviewAnalysis;

fn request(locale: &str) -> Request {
    Request {
        locale: locale.into(),
        filters: Filters::default(),
        facts: PortfolioFacts::default(),
        today: Date {
            year: 2025,
            month: 10,
            day: 1,
        },
    }
}

fn sale(
    date: (u16, u8, u8),
    asset: &str,
    media: MediaType,
    license: &str,
    micros: i64,
    currency: &str,
) -> Sale {
    Sale {
        date: Date {
            year: date.0,
            month: date.1,
            day: date.2,
        },
        time: None,
        asset_id: asset.into(),
        title: Some(format!("Asset {asset}")),
        file_name: Some(format!("{asset}.jpg")),
        media,
        license: Some(license.into()),
        units: 1,
        earnings: Money {
            micros,
            currency: currency.into(),
        },
        country: None,
    }
}

fn report(locale: &str, batches: Vec<(Scope, Vec<Sale>)>) -> Report {
    let mut analysis = OverviewAnalysis::new(request(locale));
    for (scope, sales) in batches {
        analysis.feed("adobe-stock", scope, &borrowed(&sales));
    }
    analysis
        .finish()
        .unwrap_or_else(|e| panic!("report failed: {e}"))
}

fn section<'a>(report: &'a Report, id: &str) -> &'a Section {
    report
        .sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no section {id}"))
}

fn kpi(report: &Report, label: &str) -> Value {
    for block in &section(report, "overview").blocks {
        if let Block::Kpis(kpis) = block
            && let Some(kpi) = kpis.iter().find(|k| k.label == label)
        {
            return kpi.value.clone();
        }
    }
    panic!("no KPI {label}")
}

fn tables(section: &Section) -> Vec<&Table> {
    section
        .blocks
        .iter()
        .filter_map(|b| {
            if let Block::Table(t) = b {
                Some(t)
            } else {
                None
            }
        })
        .collect()
}

fn usd(micros: i64) -> Value {
    Value::Money(Money {
        micros,
        currency: "USD".into(),
    })
}

fn typical() -> Vec<Sale> {
    vec![
        sale(
            (2025, 7, 1),
            "A",
            MediaType::Photo,
            "subscription",
            330_000,
            "USD",
        ),
        sale(
            (2025, 7, 2),
            "A",
            MediaType::Photo,
            "custom",
            990_000,
            "USD",
        ),
        sale(
            (2025, 7, 9),
            "B",
            MediaType::Video,
            "subscription",
            7_800_000,
            "USD",
        ),
        sale(
            (2025, 9, 3),
            "A",
            MediaType::Photo,
            "Subscription",
            330_000,
            "USD",
        ),
        sale(
            (2025, 9, 4),
            "C",
            MediaType::Vector,
            "extended",
            26_400_000,
            "USD",
        ),
    ]
}

#[test]
fn reports_totals_over_the_selection_and_ignores_history() {
    let history = vec![sale(
        (2024, 1, 1),
        "Z",
        MediaType::Photo,
        "custom",
        99_000_000,
        "USD",
    )];
    let report = report(
        "en",
        vec![(Scope::History, history), (Scope::Selected, typical())],
    );
    let ids: Vec<&str> = report.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["overview", "top-assets", "mix"]);
    assert_eq!(kpi(&report, "Sales"), Value::Integer(5));
    assert_eq!(kpi(&report, "Revenue"), usd(35_850_000));
    assert_eq!(kpi(&report, "Average per sale"), usd(7_170_000));
    assert_eq!(kpi(&report, "Assets sold"), Value::Integer(3));
    assert_eq!(
        kpi(&report, "First sale"),
        Value::Date(Date {
            year: 2025,
            month: 7,
            day: 1
        })
    );
    assert_eq!(
        kpi(&report, "Last sale"),
        Value::Date(Date {
            year: 2025,
            month: 9,
            day: 4
        })
    );
}

#[test]
fn ranks_assets_by_revenue_and_by_sales() {
    let report = report("en", vec![(Scope::Selected, typical())]);
    let top = tables(section(&report, "top-assets"));
    let by_revenue: Vec<&Value> = top[0].rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        by_revenue,
        [
            &Value::Text("Asset C".into()),
            &Value::Text("Asset B".into()),
            &Value::Text("Asset A".into())
        ]
    );
    assert_eq!(top[1].title.as_deref(), Some("Top assets by sales"));
    assert_eq!(top[1].rows[0][1], Value::Text("Asset A".into()));
    assert_eq!(top[1].rows[0][4], Value::Integer(3));
    assert_eq!(top[1].rows[0][5], usd(1_650_000));
    assert!(
        top.iter()
            .all(|t| t.rows.iter().all(|r| r.len() == t.columns.len()))
    );
}

#[test]
fn merges_license_spellings_and_shares_add_up() {
    let report = report("en", vec![(Scope::Selected, typical())]);
    let mix = tables(section(&report, "mix"));
    let licenses = mix[1];
    assert_eq!(licenses.rows[0][0], Value::Text("subscription".into()));
    assert_eq!(licenses.rows[0][1], Value::Integer(3));
    let share: f64 = licenses
        .rows
        .iter()
        .map(|r| if let Value::Percent(p) = r[2] { p } else { 0.0 })
        .sum();
    assert!((share - 100.0).abs() < 1e-9);
}

#[test]
fn highlights_name_what_was_earned_and_the_best_seller() {
    // Months are the trends generator's: the overview names no best month.
    let report = report("en", vec![(Scope::Selected, typical())]);
    let texts: Vec<&str> = report.highlights.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "5 sales brought $35.85.",
            "Best seller: “Asset A”, 3 sales, $1.65.",
        ]
    );
}

#[test]
fn writes_russian_when_asked() {
    let report = report("ru", vec![(Scope::Selected, typical())]);
    assert_eq!(section(&report, "overview").title, "Обзор");
    assert_eq!(kpi(&report, "Продажи"), Value::Integer(5));
    assert_eq!(
        report.highlights[0].text,
        "5 продаж принесли 35,85\u{a0}USD."
    );
    assert_eq!(
        report.highlights[1].text,
        "Самая продаваемая работа: «Asset A», 3 продажи, 1,65\u{a0}USD."
    );
}

#[test]
fn keeps_each_currency_apart() {
    let sales = vec![
        sale(
            (2025, 7, 1),
            "A",
            MediaType::Photo,
            "custom",
            990_000,
            "USD",
        ),
        sale(
            (2025, 7, 2),
            "A",
            MediaType::Photo,
            "custom",
            1_500_000,
            "EUR",
        ),
        sale(
            (2025, 7, 3),
            "B",
            MediaType::Photo,
            "custom",
            330_000,
            "USD",
        ),
    ];
    let report = report("en", vec![(Scope::Selected, sales)]);
    assert_eq!(kpi(&report, "Revenue, USD"), usd(1_320_000));
    assert_eq!(
        kpi(&report, "Revenue, EUR"),
        Value::Money(Money {
            micros: 1_500_000,
            currency: "EUR".into()
        })
    );
    assert_eq!(
        kpi(&report, "Average per sale, EUR"),
        Value::Money(Money {
            micros: 1_500_000,
            currency: "EUR".into()
        })
    );
    let overview = section(&report, "overview");
    assert!(
        overview
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Note(n) if n.text.contains("several currencies")))
    );
    let top = tables(section(&report, "top-assets"));
    let titles: Vec<Option<&str>> = top.iter().map(|t| t.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("Top assets by revenue, USD"),
            Some("Top assets by revenue, EUR"),
            Some("Top assets by sales")
        ]
    );
    assert_eq!(
        report.highlights[0].text,
        "3 sales brought $1.32 and €1.50."
    );
}

#[test]
fn refunds_reduce_revenue_and_are_pointed_out() {
    let mut sales = typical();
    sales.push(Sale {
        units: -1,
        ..sale(
            (2025, 9, 5),
            "C",
            MediaType::Vector,
            "extended",
            -26_400_000,
            "USD",
        )
    });
    let report = report("en", vec![(Scope::Selected, sales)]);
    assert_eq!(kpi(&report, "Sales"), Value::Integer(4));
    assert_eq!(kpi(&report, "Revenue"), usd(9_450_000));
    let overview = section(&report, "overview");
    let warning = overview.blocks.iter().find_map(|b| match b {
        Block::Note(n) if n.level == NoteLevel::Warning => Some(n.text.as_str()),
        _ => None,
    });
    assert_eq!(
        warning,
        Some("1 refund or reversal totalling -$26.40 are included and reduce the revenue.")
    );
}

#[test]
fn one_sale_makes_a_full_report() {
    let report = report(
        "en",
        vec![(
            Scope::Selected,
            vec![sale(
                (2025, 7, 1),
                "A",
                MediaType::Photo,
                "custom",
                990_000,
                "USD",
            )],
        )],
    );
    assert_eq!(report.sections.len(), 3);
    assert_eq!(kpi(&report, "Average per sale"), usd(990_000));
    assert_eq!(report.highlights.len(), 2);
}

#[test]
fn an_empty_selection_is_a_report_that_says_so() {
    let history = vec![sale(
        (2024, 1, 1),
        "Z",
        MediaType::Photo,
        "custom",
        1,
        "USD",
    )];
    let report = report("en", vec![(Scope::History, history)]);
    assert_eq!(report.sections.len(), 1);
    assert_eq!(
        report.highlights[0].text,
        "There are no sales in the selected period and content type."
    );
    let empty_ru = self::report("ru", Vec::new());
    assert_eq!(
        empty_ru.highlights[0].text,
        "В выбранном периоде и типе контента продаж нет."
    );
}

#[test]
fn shows_at_most_ten_assets_per_ranking() {
    let sales: Vec<Sale> = (0..25)
        .map(|i| {
            sale(
                (2025, 7, 1),
                &format!("{i:02}"),
                MediaType::Photo,
                "custom",
                1_000_000 + i,
                "USD",
            )
        })
        .collect();
    let report = report("en", vec![(Scope::Selected, sales)]);
    let top = tables(section(&report, "top-assets"));
    assert!(top.iter().all(|t| t.rows.len() == 10));
    assert_eq!(top[0].rows[0][2], Value::Text("24".into()));
}

#[test]
fn mentions_the_portfolio_share_when_its_size_is_given() {
    let mut analysis = OverviewAnalysis::new(Request {
        facts: PortfolioFacts {
            portfolio_size: Some(30),
            ..PortfolioFacts::default()
        },
        ..request("en")
    });
    analysis.feed("adobe-stock", Scope::Selected, &borrowed(&typical()));
    let report = analysis.finish().unwrap_or_default();
    let note = section(&report, "overview")
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Kpis(kpis) => kpis
                .iter()
                .find(|k| k.label == "Assets sold")
                .and_then(|k| k.note.clone()),
            _ => None,
        });
    assert_eq!(note.as_deref(), Some("10.0% of the portfolio"));
}

#[test]
fn freepik_downloads_get_a_revenue_per_download() {
    // 3 downloads on Freepik earning 0.0009 + 3.9725 + 0.50 = 4.4734 EUR: 1.491133.. EUR each,
    // rounded to 1.491133 EUR; the Adobe sale is not a download and stays out of it.
    let mut freepik = vec![
        sale((2026, 5, 1), "F1", MediaType::Photo, "", 900, "EUR"),
        sale((2026, 5, 2), "F2", MediaType::Photo, "", 3_972_500, "EUR"),
        sale((2026, 5, 3), "F3", MediaType::Vector, "", 500_000, "EUR"),
    ];
    for sale in &mut freepik {
        sale.license = None;
    }
    let adobe = vec![sale(
        (2026, 5, 3),
        "A1",
        MediaType::Photo,
        "custom",
        9_000_000,
        "EUR",
    )];
    let mut analysis = OverviewAnalysis::new(request("en"));
    analysis.feed("freepik", Scope::Selected, &borrowed(&freepik));
    analysis.feed("adobe-stock", Scope::Selected, &borrowed(&adobe));
    let report = analysis.finish().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        kpi(&report, "Revenue per download, Freepik"),
        Value::Money(Money {
            micros: 1_491_133,
            currency: "EUR".into()
        })
    );
    let only_adobe = report_with(vec![sale(
        (2026, 5, 3),
        "A1",
        MediaType::Photo,
        "custom",
        1,
        "EUR",
    )]);
    assert!(
        section(&only_adobe, "overview").blocks.iter().all(|block| !matches!(
            block,
            Block::Kpis(kpis) if kpis.iter().any(|k| k.label.starts_with("Revenue per download"))
        )),
        "no download figure without a download-counting marketplace"
    );
}

fn report_with(sales: Vec<Sale>) -> Report {
    report("en", vec![(Scope::Selected, sales)])
}
