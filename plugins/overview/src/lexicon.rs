//! Every text the overview writes, in English and Russian.
//!
//! Labels and headings are fixed strings in one [`Lexicon`] per language; sentences with numbers
//! are functions here, so a translation never has to be assembled from pieces elsewhere. Amounts
//! inside sentences are written here too (values in KPI cards and tables stay typed and are
//! formatted by the host).

use stocklens_plugin_sdk::{Date, DecimalStyle, MediaType, format_micros};

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    /// English, the default.
    En,
    /// Russian.
    Ru,
}

impl Locale {
    /// "ru" (or "ru-RU"...) is Russian; anything else English.
    pub fn from_tag(tag: &str) -> Locale {
        let language = tag.trim().split(['-', '_']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("ru") {
            Locale::Ru
        } else {
            Locale::En
        }
    }

    /// The fixed texts.
    pub fn lexicon(self) -> &'static Lexicon {
        match self {
            Locale::En => &EN,
            Locale::Ru => &RU,
        }
    }
}

/// Fixed texts of one language.
#[derive(Debug)]
pub struct Lexicon {
    pub overview_title: &'static str,
    pub top_assets_title: &'static str,
    pub mix_title: &'static str,
    pub by_month_title: &'static str,
    pub sales: &'static str,
    pub revenue: &'static str,
    pub average_per_sale: &'static str,
    pub unique_assets: &'static str,
    pub first_sale: &'static str,
    pub last_sale: &'static str,
    pub rank: &'static str,
    pub asset: &'static str,
    pub asset_id: &'static str,
    pub marketplace: &'static str,
    pub media_type: &'static str,
    pub license: &'static str,
    pub license_not_stated: &'static str,
    pub month: &'static str,
    pub share_of_sales: &'static str,
    pub share_of_revenue: &'static str,
    pub top_by_revenue: &'static str,
    pub top_by_sales: &'static str,
    pub by_media: &'static str,
    pub by_license: &'static str,
    pub revenue_by_month: &'static str,
    pub sales_by_month: &'static str,
    pub no_sales: &'static str,
    pub currencies_apart: &'static str,
    pub months: [&'static str; 12],
    pub media: [&'static str; 7],
}

const EN: Lexicon = Lexicon {
    overview_title: "Overview",
    top_assets_title: "Top assets",
    mix_title: "Licenses and media types",
    by_month_title: "By month",
    sales: "Sales",
    revenue: "Revenue",
    average_per_sale: "Average per sale",
    unique_assets: "Assets sold",
    first_sale: "First sale",
    last_sale: "Last sale",
    rank: "#",
    asset: "Asset",
    asset_id: "Asset ID",
    marketplace: "Marketplace",
    media_type: "Media type",
    license: "License",
    license_not_stated: "not stated",
    month: "Month",
    share_of_sales: "Share of sales",
    share_of_revenue: "Share of revenue",
    top_by_revenue: "Top assets by revenue",
    top_by_sales: "Top assets by sales",
    by_media: "By media type",
    by_license: "By license",
    revenue_by_month: "Revenue by month",
    sales_by_month: "Sales by month",
    no_sales: "There are no sales in the selected period and content type.",
    currencies_apart: "Sales were paid in several currencies; each currency is counted separately and never added to another.",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    media: [
        "Photos",
        "Illustrations",
        "Vectors",
        "Videos",
        "Audio",
        "Templates",
        "Other",
    ],
};

const RU: Lexicon = Lexicon {
    overview_title: "Обзор",
    top_assets_title: "Лучшие работы",
    mix_title: "Лицензии и типы контента",
    by_month_title: "По месяцам",
    sales: "Продажи",
    revenue: "Доход",
    average_per_sale: "Средний доход с продажи",
    unique_assets: "Проданных работ",
    first_sale: "Первая продажа",
    last_sale: "Последняя продажа",
    rank: "№",
    asset: "Работа",
    asset_id: "ID работы",
    marketplace: "Сток",
    media_type: "Тип контента",
    license: "Лицензия",
    license_not_stated: "не указана",
    month: "Месяц",
    share_of_sales: "Доля продаж",
    share_of_revenue: "Доля дохода",
    top_by_revenue: "Лучшие работы по доходу",
    top_by_sales: "Лучшие работы по продажам",
    by_media: "По типам контента",
    by_license: "По лицензиям",
    revenue_by_month: "Доход по месяцам",
    sales_by_month: "Продажи по месяцам",
    no_sales: "В выбранном периоде и типе контента продаж нет.",
    currencies_apart: "Продажи оплачены в нескольких валютах; каждая валюта считается отдельно и не складывается с другими.",
    months: [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],
    media: [
        "Фото",
        "Иллюстрации",
        "Векторы",
        "Видео",
        "Аудио",
        "Шаблоны",
        "Другое",
    ],
};

impl Lexicon {
    /// The media type's name.
    pub fn media_name(&self, media: MediaType) -> &'static str {
        self.media[media.index()]
    }

    /// "July 2025" / "июль 2025".
    pub fn month_name(&self, month: Date) -> String {
        let name = self
            .months
            .get(usize::from(month.month).saturating_sub(1))
            .copied()
            .unwrap_or("?");
        format!("{name} {}", month.year)
    }

    /// A label with its currency, where several currencies need telling apart: "Revenue, EUR".
    pub fn with_currency(&self, label: &str, currency: &str, several: bool) -> String {
        if several {
            format!("{label}, {currency}")
        } else {
            label.to_string()
        }
    }
}

/// An amount inside a sentence: "$1,234.50" in English, "1 234,50 USD" in Russian.
pub fn amount(locale: Locale, micros: i128, currency: &str) -> String {
    match locale {
        Locale::En => {
            let number = format_micros(micros.abs(), DecimalStyle::ENGLISH);
            let sign = if micros < 0 { "-" } else { "" };
            match currency {
                "USD" => format!("{sign}${number}"),
                "EUR" => format!("{sign}€{number}"),
                "GBP" => format!("{sign}£{number}"),
                _ => format!("{sign}{number} {currency}"),
            }
        }
        Locale::Ru => format!(
            "{}\u{a0}{currency}",
            format_micros(micros, DecimalStyle::RUSSIAN)
        ),
    }
}

/// Amounts in several currencies joined: "$10.00 and €2.50".
pub fn amounts(locale: Locale, parts: &[(i128, &str)]) -> String {
    let texts: Vec<String> = parts
        .iter()
        .map(|&(micros, currency)| amount(locale, micros, currency))
        .collect();
    let and = match locale {
        Locale::En => " and ",
        Locale::Ru => " и ",
    };
    match texts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// The Russian plural form for `n`: `one` for 1, 21..., `few` for 2–4, 22–24..., `many` otherwise.
pub fn plural_ru(n: i64, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    let n = n.unsigned_abs();
    match (n % 10, n % 100) {
        (1, rem) if rem != 11 => one,
        (2..=4, rem) if !(12..=14).contains(&rem) => few,
        _ => many,
    }
}

/// "12 sales" / "12 продаж".
pub fn sales_count(locale: Locale, n: i64) -> String {
    match locale {
        Locale::En => format!("{n} {}", if n == 1 { "sale" } else { "sales" }),
        Locale::Ru => format!("{n} {}", plural_ru(n, "продажа", "продажи", "продаж")),
    }
}

/// Highlight: what the selection earned.
pub fn earned(locale: Locale, units: i64, revenue: &str) -> String {
    match locale {
        Locale::En => format!("{} brought {revenue}.", sales_count(locale, units)),
        Locale::Ru => format!(
            "{} {} {revenue}.",
            sales_count(locale, units),
            plural_ru(units, "принесла", "принесли", "принесли")
        ),
    }
}

/// Highlight: the asset sold most often.
pub fn best_seller(locale: Locale, name: &str, units: i64, revenue: &str) -> String {
    match locale {
        Locale::En => format!(
            "Best seller: “{name}”, {}, {revenue}.",
            sales_count(locale, units)
        ),
        Locale::Ru => format!(
            "Самая продаваемая работа: «{name}», {}, {revenue}.",
            sales_count(locale, units)
        ),
    }
}

/// Highlight: the month with the most revenue.
pub fn best_month(locale: Locale, month: &str, revenue: &str, units: i64) -> String {
    match locale {
        Locale::En => format!(
            "Best month: {month}, {revenue} from {}.",
            sales_count(locale, units)
        ),
        Locale::Ru => format!(
            "Лучший месяц: {month}, {revenue} за {}.",
            sales_count(locale, units)
        ),
    }
}

/// Note: refunds in the selection.
pub fn refunds(locale: Locale, rows: u64, total: &str) -> String {
    let rows = i64::try_from(rows).unwrap_or(i64::MAX);
    match locale {
        Locale::En => {
            let what = if rows == 1 {
                "refund or reversal"
            } else {
                "refunds or reversals"
            };
            format!("{rows} {what} totalling {total} are included and reduce the revenue.")
        }
        Locale::Ru => format!(
            "Учтено {rows} {} на сумму {total}; они уменьшают доход.",
            plural_ru(rows, "возврат", "возврата", "возвратов")
        ),
    }
}

/// KPI note: share of the portfolio that sold.
pub fn portfolio_share(locale: Locale, percent: f64) -> String {
    match locale {
        Locale::En => format!("{percent:.1}% of the portfolio"),
        Locale::Ru => format!("{}% портфеля", format!("{percent:.1}").replace('.', ",")),
    }
}

/// KPI note: number of marketplaces.
pub fn from_marketplaces(locale: Locale, n: usize) -> String {
    let n64 = i64::try_from(n).unwrap_or(i64::MAX);
    match locale {
        Locale::En => format!("from {n} marketplaces"),
        Locale::Ru => format!("с {n} {}", plural_ru(n64, "стока", "стоков", "стоков")),
    }
}

/// Note under a chart that shows only the main currency.
pub fn chart_in_main_currency(locale: Locale, currency: &str) -> String {
    match locale {
        Locale::En => format!("Charts show {currency}; other currencies are in the tables."),
        Locale::Ru => format!("На графиках — {currency}; остальные валюты — в таблицах."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_russian_for_ru_tags_only() {
        assert_eq!(Locale::from_tag("ru"), Locale::Ru);
        assert_eq!(Locale::from_tag("ru-RU"), Locale::Ru);
        assert_eq!(Locale::from_tag("en"), Locale::En);
        assert_eq!(Locale::from_tag(""), Locale::En);
    }

    #[test]
    fn russian_plurals_follow_the_last_digits() {
        let forms = |n| plural_ru(n, "продажа", "продажи", "продаж");
        assert_eq!(
            [
                forms(1),
                forms(2),
                forms(5),
                forms(11),
                forms(21),
                forms(22),
                forms(112)
            ],
            [
                "продажа",
                "продажи",
                "продаж",
                "продаж",
                "продажа",
                "продажи",
                "продаж"
            ]
        );
    }

    #[test]
    fn writes_amounts_for_each_language() {
        assert_eq!(amount(Locale::En, 1_234_500_000, "USD"), "$1,234.50");
        assert_eq!(amount(Locale::En, -300_000, "EUR"), "-€0.30");
        assert_eq!(amount(Locale::En, 5_000_000, "JPY"), "5.00 JPY");
        assert_eq!(
            amount(Locale::Ru, 1_234_500_000, "USD"),
            "1\u{a0}234,50\u{a0}USD"
        );
        assert_eq!(
            amounts(Locale::En, &[(1_000_000, "USD"), (2_000_000, "EUR")]),
            "$1.00 and €2.00"
        );
    }

    #[test]
    fn sentences_agree_with_their_numbers() {
        assert_eq!(earned(Locale::En, 1, "$0.99"), "1 sale brought $0.99.");
        assert_eq!(
            earned(Locale::Ru, 21, "1,00 USD"),
            "21 продажа принесла 1,00 USD."
        );
        assert_eq!(
            refunds(Locale::En, 2, "-$1.00"),
            "2 refunds or reversals totalling -$1.00 are included and reduce the revenue."
        );
    }

    #[test]
    fn both_languages_name_every_month_and_media_type() {
        for lexicon in [&EN, &RU] {
            assert!(
                lexicon
                    .months
                    .iter()
                    .chain(lexicon.media.iter())
                    .all(|name| !name.is_empty())
            );
        }
        assert_eq!(
            RU.month_name(Date {
                year: 2025,
                month: 7,
                day: 1
            }),
            "июль 2025"
        );
    }
}
