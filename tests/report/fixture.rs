//! A rich report document for the browser tests: every block kind, long unbroken titles, many
//! table rows, several currencies, negative and sub-cent amounts, and hostile strings where a
//! plugin could put them. It is built to stress the layout, not to be realistic.

use stocklens::report::model::{
    AnalyzerReport, Block, Chart, ChartKind, ChartUnit, Date, Kpi, Lang, Money, Note, NoteLevel,
    ReportDocument, RowWarning, Section, Series, SourceFile, Table, Value,
};

pub const EVIL_TITLE: &str = "<script>alert(1)</script> & \"quotes\" <b>bold</b>";

const LONG_WORD: &str = "Supercalifragilisticexpialidocious_sunset_over_the_mountains_with_fog_4k_DSC00012345_final_final_v2";

fn date(year: u16, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

fn money(micros: i64, currency: &str) -> Value {
    Value::Money(Money {
        micros,
        currency: currency.to_owned(),
    })
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Picks the English or Russian text.
fn tr(lang: Lang, en: &str, ru: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::Ru => ru.to_owned(),
    }
}

/// Months from Jan 2024 on.
fn months(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| Value::Month(date(2024 + (i / 12) as u16, (i % 12) as u8 + 1, 1)))
        .collect()
}

/// A deterministic wobble, so the numbers look like sales without a random generator.
fn wobble(i: usize) -> f64 {
    let x = (i as f64 * 1.7).sin() + (i as f64 * 0.45).cos();
    1.0 + x * 0.3
}

fn asset_title(i: usize) -> String {
    match i % 5 {
        0 => format!("{LONG_WORD}_{i}"),
        1 => format!(
            "Aerial view of a winding mountain road through an autumn forest at golden hour, number {i}"
        ),
        2 => format!("Абстрактный фон с градиентом и геометрическими фигурами {i}"),
        3 => format!("Icon set {i}"),
        _ => format!("{EVIL_TITLE} {i}"),
    }
}

pub fn rich_document(lang: Lang) -> ReportDocument {
    ReportDocument {
        lang,
        period: Some((date(2024, 1, 1), date(2025, 7, 31))),
        content_type: tr(lang, "all content types", "все типы контента"),
        generated_on: date(2025, 8, 1),
        files: vec![
            SourceFile {
                name: format!("{LONG_WORD}.csv"),
                marketplace: "Adobe Stock".into(),
                parser: "adobe-stock@1.3.0".into(),
                rows: 1_048_576,
                rows_skipped: 12,
            },
            SourceFile {
                name: "shutterstock-earnings-2025.csv".into(),
                marketplace: "Shutterstock".into(),
                parser: "shutterstock@2.0.0".into(),
                rows: 53_211,
                rows_skipped: 0,
            },
            SourceFile {
                name: "freepik.tsv".into(),
                marketplace: "Freepik".into(),
                parser: "freepik@0.9.1".into(),
                rows: 9_999,
                rows_skipped: 1_204,
            },
        ],
        analyses: vec![
            overview(lang),
            monthly(lang),
            assets(lang),
            geography(lang),
            hostile(lang),
        ],
        warnings: (0..25)
            .map(|i| RowWarning {
                file: if i % 3 == 0 {
                    format!("{LONG_WORD}.csv")
                } else {
                    "freepik.tsv".into()
                },
                line: 1_000 + i * 37,
                message: tr(
                    lang,
                    "the earnings column is empty; the row was skipped",
                    "пустая колонка дохода; строка пропущена",
                ),
            })
            .collect(),
        warnings_total: 1_234,
    }
}

fn overview(lang: Lang) -> AnalyzerReport {
    let kpi = |label: &str, value: Value, note: Option<&str>| Kpi {
        label: label.to_owned(),
        value,
        note: note.map(str::to_owned),
    };
    AnalyzerReport {
        analyzer: "overview@1.4.0".into(),
        sections: vec![Section {
            id: "summary".into(),
            title: tr(lang, "Overview", "Обзор"),
            blocks: vec![
                Block::Kpis(vec![
                    kpi(
                        &tr(lang, "Earnings", "Доход"),
                        money(12_345_678_901_234, "USD"),
                        Some("+12.5%"),
                    ),
                    kpi(
                        &tr(lang, "Earnings in euro", "Доход в евро"),
                        money(-987_654_321_000, "EUR"),
                        None,
                    ),
                    kpi(
                        &tr(lang, "Downloads", "Скачивания"),
                        Value::Integer(1_234_567),
                        None,
                    ),
                    kpi(
                        &tr(lang, "Per download", "За скачивание"),
                        money(3_500, "USD"),
                        None,
                    ),
                    kpi(
                        &tr(lang, "Share of video", "Доля видео"),
                        Value::Percent(12.5),
                        None,
                    ),
                    kpi(
                        &tr(lang, "Best month", "Лучший месяц"),
                        Value::Month(date(2025, 3, 1)),
                        None,
                    ),
                    kpi(
                        &tr(lang, "First sale", "Первая продажа"),
                        Value::Date(date(2024, 1, 2)),
                        None,
                    ),
                    kpi(LONG_WORD, money(123_456_789_000, "CHF"), Some(LONG_WORD)),
                    kpi(
                        &tr(lang, "Average price", "Средняя цена"),
                        Value::Number(1234.5678),
                        None,
                    ),
                ]),
                Block::Note(Note {
                    level: NoteLevel::Good,
                    text: tr(
                        lang,
                        "Earnings grew for five months in a row.",
                        "Доход рос пять месяцев подряд.",
                    ),
                }),
                Block::Note(Note {
                    level: NoteLevel::Info,
                    text: tr(
                        lang,
                        "Refunds are subtracted from the month they were made in.",
                        "Возвраты вычитаются из месяца, в котором сделаны.",
                    ),
                }),
            ],
        }],
        highlights: vec![
            Note {
                level: NoteLevel::Good,
                text: tr(
                    lang,
                    "Best month ever: March 2025 with $2,345.67.",
                    "Лучший месяц: март 2025, 2 345,67 $.",
                ),
            },
            Note {
                level: NoteLevel::Info,
                text: tr(
                    lang,
                    "Video brings 12.5% of earnings from 3% of downloads.",
                    "Видео приносит 12,5 % дохода при 3 % скачиваний.",
                ),
            },
        ],
    }
}

fn monthly(lang: Lang) -> AnalyzerReport {
    let n = 19;
    let earnings: Vec<f64> = (0..n)
        .map(|i| (900.0 + 120.0 * i as f64) * wobble(i) * 1e6)
        .collect();
    let adobe: Vec<f64> = (0..n)
        .map(|i| (4_000.0 + 150.0 * i as f64) * wobble(i))
        .collect();
    let shutter: Vec<f64> = (0..n)
        .map(|i| (2_500.0 + 40.0 * i as f64) * wobble(i + 3))
        .collect();
    let rows = months(n)
        .into_iter()
        .enumerate()
        .map(|(i, month)| {
            vec![
                month,
                Value::Integer((adobe[i] + shutter[i]) as i64),
                money(earnings[i] as i64, "USD"),
                money((earnings[i] * 0.91) as i64, "EUR"),
                money((earnings[i] / (adobe[i] + shutter[i])) as i64, "USD"),
                Value::Percent(100.0 * adobe[i] / (adobe[i] + shutter[i])),
            ]
        })
        .collect();
    AnalyzerReport {
        analyzer: "monthly@2.0.1".into(),
        sections: vec![Section {
            id: "by-month".into(),
            title: tr(lang, "Earnings by month", "Доход по месяцам"),
            blocks: vec![
                Block::Chart(Chart {
                    title: tr(lang, "Earnings by month, USD", "Доход по месяцам, USD"),
                    kind: ChartKind::Columns,
                    unit: ChartUnit::Money("USD".into()),
                    labels: months(n),
                    series: vec![Series {
                        name: tr(lang, "Earnings", "Доход"),
                        values: earnings,
                    }],
                }),
                Block::Chart(Chart {
                    title: tr(lang, "Downloads by marketplace", "Скачивания по площадкам"),
                    kind: ChartKind::Line,
                    unit: ChartUnit::Count,
                    labels: months(n),
                    series: vec![
                        Series {
                            name: "Adobe Stock".into(),
                            values: adobe,
                        },
                        Series {
                            name: "Shutterstock".into(),
                            values: shutter,
                        },
                    ],
                }),
                Block::Table(Table {
                    title: Some(tr(lang, "Month by month", "Помесячно")),
                    columns: vec![
                        tr(lang, "Month", "Месяц"),
                        tr(lang, "Downloads", "Скачивания"),
                        tr(lang, "Earnings, USD", "Доход, USD"),
                        tr(lang, "Earnings, EUR", "Доход, EUR"),
                        tr(lang, "Per download", "За скачивание"),
                        tr(lang, "Adobe share", "Доля Adobe"),
                    ],
                    rows,
                }),
            ],
        }],
        highlights: vec![Note {
            level: NoteLevel::Warning,
            text: tr(
                lang,
                "June 2025 earned 40% less than May.",
                "Июнь 2025 принёс на 40 % меньше мая.",
            ),
        }],
    }
}

fn assets(lang: Lang) -> AnalyzerReport {
    let currencies = ["USD", "EUR", "GBP", "RUB", "CHF", "JPY"];
    let rows = (0..300)
        .map(|i| {
            vec![
                Value::Integer(i as i64 + 1),
                text(&asset_title(i)),
                text(["photo", "video", "vector", "illustration"][i % 4]),
                Value::Integer(5_000 - i as i64 * 13),
                money(
                    ((300 - i) as f64 * 12_345_678.0 * wobble(i)) as i64,
                    currencies[i % currencies.len()],
                ),
                money(if i % 7 == 0 { 900 } else { 330_000 }, "USD"),
                Value::Date(date(2025, (i % 12) as u8 + 1, (i % 28) as u8 + 1)),
            ]
        })
        .collect();
    AnalyzerReport {
        analyzer: "top-assets@1.1.0".into(),
        sections: vec![Section {
            id: "top".into(),
            title: tr(lang, "Top assets", "Лучшие работы"),
            blocks: vec![
                Block::Chart(Chart {
                    title: tr(
                        lang,
                        "Top 25 assets by earnings",
                        "25 лучших работ по доходу",
                    ),
                    kind: ChartKind::Bars,
                    unit: ChartUnit::Money("USD".into()),
                    labels: (0..25).map(|i| text(&asset_title(i))).collect(),
                    series: vec![Series {
                        name: tr(lang, "Earnings", "Доход"),
                        values: (0..25)
                            .map(|i| (25 - i) as f64 * 98_765_432.0 * wobble(i))
                            .collect(),
                    }],
                }),
                Block::Table(Table {
                    title: Some(tr(lang, "All assets", "Все работы")),
                    columns: vec![
                        "#".into(),
                        tr(lang, "Title", "Название"),
                        tr(lang, "Type", "Тип"),
                        tr(lang, "Downloads", "Скачивания"),
                        tr(lang, "Earnings", "Доход"),
                        tr(lang, "Last price", "Последняя цена"),
                        tr(lang, "Last sale", "Последняя продажа"),
                    ],
                    rows,
                }),
            ],
        }],
        highlights: vec![Note {
            level: NoteLevel::Info,
            text: format!(
                "{LONG_WORD} {}",
                tr(lang, "is your best seller.", "— ваш лидер продаж.")
            ),
        }],
    }
}

fn geography(lang: Lang) -> AnalyzerReport {
    let countries = [
        ("United States of America", 38.2, 35.0),
        ("Germany", 12.1, 13.4),
        (
            "United Kingdom of Great Britain and Northern Ireland",
            9.7,
            8.8,
        ),
        ("Россия", 6.4, 7.9),
        ("Japan", 5.5, 4.1),
        ("Brazil", 3.9, 5.2),
    ];
    AnalyzerReport {
        analyzer: "geography@0.3.0".into(),
        sections: vec![Section {
            // The same id as the monthly analyzer's section: anchors must stay unique.
            id: "by-month".into(),
            title: tr(lang, "Countries", "Страны"),
            blocks: vec![
                Block::Chart(Chart {
                    title: tr(
                        lang,
                        "Share of earnings by country",
                        "Доля дохода по странам",
                    ),
                    kind: ChartKind::Bars,
                    unit: ChartUnit::Percent,
                    labels: countries.iter().map(|c| text(c.0)).collect(),
                    series: vec![
                        Series {
                            name: "2024".into(),
                            values: countries.iter().map(|c| c.1).collect(),
                        },
                        Series {
                            name: "2025".into(),
                            values: countries.iter().map(|c| c.2).collect(),
                        },
                    ],
                }),
                Block::Chart(Chart {
                    title: tr(lang, "Refunds by month", "Возвраты по месяцам"),
                    kind: ChartKind::Columns,
                    unit: ChartUnit::Money("EUR".into()),
                    labels: months(6),
                    series: vec![Series {
                        name: tr(lang, "Net", "Итого"),
                        values: vec![
                            -1_500_000.0,
                            2_250_000.0,
                            -300_000.0,
                            4_000_000.0,
                            0.0,
                            900.0,
                        ],
                    }],
                }),
                Block::Chart(Chart {
                    title: tr(lang, "Sales in Antarctica", "Продажи в Антарктиде"),
                    kind: ChartKind::Line,
                    unit: ChartUnit::Count,
                    labels: vec![],
                    series: vec![],
                }),
            ],
        }],
        highlights: vec![],
    }
}

fn hostile(lang: Lang) -> AnalyzerReport {
    AnalyzerReport {
        analyzer: "evil<plugin>@6.6.6".into(),
        sections: vec![Section {
            id: "<script>".into(),
            title: format!("{EVIL_TITLE} {LONG_WORD}{LONG_WORD}"),
            blocks: vec![
                Block::Note(Note {
                    level: NoteLevel::Warning,
                    text: format!(
                        "{EVIL_TITLE} {}",
                        tr(lang, "must show as text", "показывается как текст")
                    ),
                }),
                Block::Kpis(vec![Kpi {
                    label: EVIL_TITLE.into(),
                    value: text(EVIL_TITLE),
                    note: Some(EVIL_TITLE.into()),
                }]),
                Block::Table(Table {
                    title: Some(EVIL_TITLE.into()),
                    columns: vec![EVIL_TITLE.into(), LONG_WORD.into()],
                    rows: vec![vec![text(EVIL_TITLE), text(LONG_WORD)]],
                }),
            ],
        }],
        highlights: vec![Note {
            level: NoteLevel::Warning,
            text: EVIL_TITLE.into(),
        }],
    }
}
