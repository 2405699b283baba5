//! Every text the overview writes, in English and Russian.
//!
//! Labels and headings are fixed strings in one [`Lexicon`] per language; sentences with numbers
//! are functions here, so a translation never has to be assembled from pieces elsewhere. Amounts
//! inside sentences are written here too (values in KPI cards and tables stay typed and are
//! formatted by the host).

pub use stocklens_plugin_sdk::Locale;
use stocklens_plugin_sdk::{MediaType, plural_ru};

/// The fixed texts of a locale.
pub trait Texts {
    /// The fixed texts.
    fn lexicon(self) -> &'static Lexicon;
}

impl Texts for Locale {
    fn lexicon(self) -> &'static Lexicon {
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
    pub per_download: &'static str,
    pub share_of_sales: &'static str,
    pub share_of_revenue: &'static str,
    pub top_by_revenue: &'static str,
    pub top_by_sales: &'static str,
    pub by_media: &'static str,
    pub by_license: &'static str,
    pub no_sales: &'static str,
    pub currencies_apart: &'static str,
    pub media: [&'static str; 7],
}

const EN: Lexicon = Lexicon {
    overview_title: "Overview",
    top_assets_title: "Top assets",
    mix_title: "Licenses and media types",
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
    per_download: "Revenue per download",
    share_of_sales: "Share of sales",
    share_of_revenue: "Share of revenue",
    top_by_revenue: "Top assets by revenue",
    top_by_sales: "Top assets by sales",
    by_media: "By media type",
    by_license: "By license",
    no_sales: "There are no sales in the selected period and content type.",
    currencies_apart: "Sales were paid in several currencies; each currency is counted separately and never added to another.",
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
    per_download: "Доход с загрузки",
    share_of_sales: "Доля продаж",
    share_of_revenue: "Доля дохода",
    top_by_revenue: "Лучшие работы по доходу",
    top_by_sales: "Лучшие работы по продажам",
    by_media: "По типам контента",
    by_license: "По лицензиям",
    no_sales: "В выбранном периоде и типе контента продаж нет.",
    currencies_apart: "Продажи оплачены в нескольких валютах; каждая валюта считается отдельно и не складывается с другими.",
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
}

/// "over 1,234 downloads" / "по 1 234 загрузкам".
pub fn downloads(locale: Locale, n: i64) -> String {
    match locale {
        Locale::En => format!(
            "over {}",
            locale.counted(n, ("download", "downloads"), ("", "", ""))
        ),
        Locale::Ru => format!(
            "по {} {}",
            locale.integer(n),
            plural_ru(n, "загрузке", "загрузкам", "загрузкам")
        ),
    }
}

/// "12 sales" / "12 продаж".
pub fn sales_count(locale: Locale, n: i64) -> String {
    locale.counted(n, ("sale", "sales"), ("продажа", "продажи", "продаж"))
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
    fn sentences_agree_with_their_numbers() {
        assert_eq!(earned(Locale::En, 1, "$0.99"), "1 sale brought $0.99.");
        assert_eq!(
            earned(Locale::En, 3305, "$2.00"),
            "3,305 sales brought $2.00."
        );
        assert_eq!(downloads(Locale::Ru, 2782), "по 2\u{a0}782 загрузкам");
        assert_eq!(downloads(Locale::En, 1), "over 1 download");
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
    fn both_languages_name_every_media_type() {
        for lexicon in [&EN, &RU] {
            assert!(lexicon.media.iter().all(|name| !name.is_empty()));
        }
    }
}
