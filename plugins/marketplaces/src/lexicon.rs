//! Every text the marketplaces report writes, in English and Russian.
//!
//! Labels and headings are fixed strings in one [`Lexicon`] per language; sentences with numbers
//! or names are functions here, so a translation is never assembled from pieces elsewhere. Numbers
//! and amounts inside sentences are written with the SDK's [`Locale`]; values in tables and charts
//! stay typed and the host formats them. Marketplace names are proper names and stay as they are
//! in both languages, except the generic table's, which is a description.

use stocklens_plugin_sdk::{Locale, plural_ru};

/// Fixed texts of one language.
#[derive(Debug)]
pub struct Lexicon {
    pub title: &'static str,
    pub side_by_side: &'static str,
    pub marketplace: &'static str,
    pub sales: &'static str,
    pub share_of_sales: &'static str,
    pub revenue: &'static str,
    pub average_per_sale: &'static str,
    pub assets_sold: &'static str,
    pub revenue_per_asset: &'static str,
    pub share_of_revenue: &'static str,
    pub revenue_share_chart: &'static str,
    pub sales_chart: &'static str,
    pub share_by_month: &'static str,
    pub month: &'static str,
    pub top_works: &'static str,
    pub work: &'static str,
    pub total_sales: &'static str,
    pub total_revenue: &'static str,
    pub works_identified: &'static str,
    pub works_on_several: &'static str,
    pub no_file_names: &'static str,
}

const EN: Lexicon = Lexicon {
    title: "Marketplaces",
    side_by_side: "Marketplaces side by side",
    marketplace: "Marketplace",
    sales: "Sales",
    share_of_sales: "Share of sales",
    revenue: "Revenue",
    average_per_sale: "Average per sale",
    assets_sold: "Assets sold",
    revenue_per_asset: "Revenue per asset",
    share_of_revenue: "Share of revenue",
    revenue_share_chart: "Share of revenue by marketplace",
    sales_chart: "Sales by marketplace",
    share_by_month: "Share of sales by month",
    month: "Month",
    top_works: "Top works across marketplaces",
    work: "Work (file name)",
    total_sales: "Total sales",
    total_revenue: "Total revenue",
    works_identified: "Works identified by file name",
    works_on_several: "Sold on 2+ marketplaces",
    no_file_names: "Matching the same work across marketplaces needs original file names, and none of these sales carries one. Adobe Stock and Freepik exports have them, and so do some Shutterstock and iStock exports.",
};

const RU: Lexicon = Lexicon {
    title: "Площадки",
    side_by_side: "Площадки в сравнении",
    marketplace: "Площадка",
    sales: "Продажи",
    share_of_sales: "Доля продаж",
    revenue: "Доход",
    average_per_sale: "Средний доход с продажи",
    assets_sold: "Проданных работ",
    revenue_per_asset: "Доход на работу",
    share_of_revenue: "Доля дохода",
    revenue_share_chart: "Доля дохода по площадкам",
    sales_chart: "Продажи по площадкам",
    share_by_month: "Доля продаж по месяцам",
    month: "Месяц",
    top_works: "Лучшие работы на разных площадках",
    work: "Работа (имя файла)",
    total_sales: "Всего продаж",
    total_revenue: "Общий доход",
    works_identified: "Работ, опознанных по имени файла",
    works_on_several: "Продавались на 2+ площадках",
    no_file_names: "Чтобы найти одну и ту же работу на разных площадках, нужны исходные имена файлов, а в этих продажах их нет. Они есть в отчётах Adobe Stock и Freepik, а также в некоторых отчётах Shutterstock и iStock.",
};

/// The fixed texts of `locale`.
pub fn lexicon(locale: Locale) -> &'static Lexicon {
    match locale {
        Locale::En => &EN,
        Locale::Ru => &RU,
    }
}

/// The marketplace a parser reads, by the parser's id; an unknown id is shown as it is.
pub fn marketplace_name(locale: Locale, id: &str) -> String {
    locale.marketplace(id).to_owned()
}

pub use stocklens_plugin_sdk::with_currency;

/// Column heading: one marketplace's sales of a work.
pub fn sales_on(locale: Locale, marketplace: &str) -> String {
    match locale {
        Locale::En => format!("{marketplace}: sales"),
        Locale::Ru => format!("{marketplace}: продажи"),
    }
}

/// Column heading: one marketplace's revenue from a work.
pub fn revenue_on(locale: Locale, marketplace: &str, currency: &str, several: bool) -> String {
    let label = match locale {
        Locale::En => format!("{marketplace}: revenue"),
        Locale::Ru => format!("{marketplace}: доход"),
    };
    with_currency(&label, currency, several)
}

/// A work's name inside a sentence, in the language's quotation marks.
pub fn quoted(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!("“{name}”"),
        Locale::Ru => format!("«{name}»"),
    }
}

/// Note: shares of revenue are in one currency.
pub fn shares_in_main_currency(locale: Locale, currency: &str) -> String {
    match locale {
        Locale::En => format!("Shares of revenue are computed in {currency}, the main currency."),
        Locale::Ru => format!("Доли дохода посчитаны в {currency} — основной валюте."),
    }
}

/// Note: marketplaces paid only in other currencies get no share of revenue.
pub fn share_not_shown(locale: Locale, names: &[String]) -> String {
    let list = locale.join(names);
    match (locale, names.len()) {
        (Locale::En, 1) => format!(
            "The share of revenue is not shown for {list}: it pays only in other currencies, and currencies are never added together."
        ),
        (Locale::En, _) => format!(
            "The share of revenue is not shown for {list}: they pay only in other currencies, and currencies are never added together."
        ),
        (Locale::Ru, 1) => format!(
            "Для площадки {list} доля дохода не показана: она платит только в других валютах, а валюты никогда не складываются."
        ),
        (Locale::Ru, _) => format!(
            "Для площадок {list} доля дохода не показана: они платят только в других валютах, а валюты никогда не складываются."
        ),
    }
}

/// Note: a marketplace paid in the main currency and others; its share counts the main one.
pub fn partial_share(locale: Locale, name: &str, paid_in: &[String], main: &str) -> String {
    let list = locale.join(paid_in);
    match locale {
        Locale::En => format!(
            "{name} pays in {list}; its share of revenue counts only its revenue in {main}."
        ),
        Locale::Ru => format!(
            "Площадка {name} платит в {list}; её доля дохода учитывает только доход в {main}."
        ),
    }
}

/// Warning: a marketplace whose revenue in the selection is below zero.
pub fn negative_revenue(locale: Locale, name: &str, amounts: &str) -> String {
    match locale {
        Locale::En => format!(
            "Revenue from {name} is negative ({amounts}): refunds outweighed sales in this period."
        ),
        Locale::Ru => format!(
            "Доход с площадки {name} отрицательный ({amounts}): возвраты за период превысили продажи."
        ),
    }
}

/// Note: older months are left out of the share over time.
pub fn months_cut(locale: Locale, shown: usize) -> String {
    let n = count(shown);
    match locale {
        Locale::En => format!("Only the last {n} months with sales are shown."),
        Locale::Ru => format!(
            "Показаны только последние {n} {} с продажами.",
            plural_ru(n, "месяц", "месяца", "месяцев")
        ),
    }
}

/// Note: how the works table is ordered when sales came in several currencies.
pub fn ranked_in(locale: Locale, currency: &str) -> String {
    match locale {
        Locale::En => format!(
            "Works are ranked by total revenue in {currency}; other currencies are in their own columns."
        ),
        Locale::Ru => format!(
            "Работы упорядочены по общему доходу в {currency}; другие валюты — в своих столбцах."
        ),
    }
}

/// Highlight and note: how many works sold on more than one marketplace.
pub fn works_on_several(locale: Locale, several: usize, identified: usize) -> String {
    let (several, identified) = (count(several), count(identified));
    let total = locale.integer(identified);
    match locale {
        Locale::En if several == 0 => format!(
            "None of the {total} works identified by file name sold on more than one marketplace."
        ),
        Locale::En => format!(
            "{} sold on more than one marketplace, out of {total} identified by file name.",
            works(locale, several)
        ),
        Locale::Ru if several == 0 => format!(
            "Ни одна из {total} {} по имени файла, не продавалась на нескольких площадках.",
            plural_ru(
                identified,
                "работы, опознанной",
                "работ, опознанных",
                "работ, опознанных"
            )
        ),
        Locale::Ru => format!(
            "{} {} на нескольких площадках — из {total} {} по имени файла.",
            works(locale, several),
            plural_ru(several, "продавалась", "продавались", "продавались"),
            plural_ru(identified, "опознанной", "опознанных", "опознанных")
        ),
    }
}

/// One marketplace's best sellers that never sold on another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap<'a> {
    /// Where they sell.
    pub on: &'a str,
    /// Where they did not sell.
    pub missing_on: &'a str,
    /// How many of the best sellers did not sell there.
    pub missing: usize,
    /// How many best sellers were looked at.
    pub best_sellers: usize,
    /// A few of the missing works' names.
    pub examples: &'a [&'a str],
    /// Whether the history was searched too, so "never" holds beyond the selection.
    pub never: bool,
}

/// Note and highlight: best sellers on one marketplace missing on another.
pub fn gap(locale: Locale, gap: &Gap<'_>) -> String {
    let Gap {
        on,
        missing_on,
        missing,
        best_sellers,
        examples,
        never,
    } = *gap;
    let names: Vec<String> = examples.iter().map(|name| quoted(locale, name)).collect();
    let list = locale.join(&names);
    let (missing, best_sellers) = (count(missing), count(best_sellers));
    match locale {
        Locale::En => {
            let (one, many) = if never {
                (
                    format!("has never sold on {missing_on}"),
                    format!("have never sold on {missing_on}"),
                )
            } else {
                let not = format!("did not sell on {missing_on} in the selected period");
                (not.clone(), not)
            };
            if best_sellers == 1 {
                format!("Your best seller on {on}, {list}, {one}: check it is uploaded there.")
            } else if missing == 1 {
                format!(
                    "1 of your {best_sellers} best sellers on {on}, {list}, {one}: check it is uploaded there."
                )
            } else {
                format!(
                    "{missing} of your {best_sellers} best sellers on {on} {many}, among them {list}: check they are uploaded there."
                )
            }
        }
        Locale::Ru => {
            let period = if never {
                String::new()
            } else {
                " в выбранном периоде".to_owned()
            };
            let sold = if never {
                "ни разу не "
            } else {
                "не "
            };
            if best_sellers == 1 {
                format!(
                    "Самая продаваемая работа на площадке {on}, {list}, {sold}продавалась на площадке {missing_on}{period}: проверьте, загружена ли она туда."
                )
            } else if missing == 1 {
                format!(
                    "Одна из {best_sellers} {} на площадке {on}, {list}, {sold}продавалась на площадке {missing_on}{period}: проверьте, загружена ли она туда.",
                    plural_ru(
                        best_sellers,
                        "самой продаваемой работы",
                        "самых продаваемых работ",
                        "самых продаваемых работ"
                    )
                )
            } else {
                format!(
                    "{missing} из {best_sellers} {} на площадке {on} {sold}{} на площадке {missing_on}{period}, среди них {list}: проверьте, загружены ли они туда.",
                    plural_ru(
                        best_sellers,
                        "самой продаваемой работы",
                        "самых продаваемых работ",
                        "самых продаваемых работ"
                    ),
                    plural_ru(missing, "продавалась", "продавались", "продавались")
                )
            }
        }
    }
}

/// Note: only one marketplace's sales carry file names.
pub fn only_one_named(locale: Locale, name: &str) -> String {
    match locale {
        Locale::En => format!(
            "Only the sales from {name} carry original file names; matching a work across marketplaces needs them from at least two."
        ),
        Locale::Ru => format!(
            "Исходные имена файлов есть только в продажах с площадки {name}, а чтобы сопоставить работы, нужны имена хотя бы с двух площадок."
        ),
    }
}

/// Note: marketplaces whose sales carry no file names.
pub fn unnamed(locale: Locale, names: &[String]) -> String {
    let list = locale.join(names);
    match (locale, names.len()) {
        (Locale::En, _) => {
            format!("Sales from {list} carry no file names and are left out of the matching.")
        }
        (Locale::Ru, 1) => format!(
            "В продажах с площадки {list} нет имён файлов, поэтому они не участвуют в сопоставлении."
        ),
        (Locale::Ru, _) => format!(
            "В продажах с площадок {list} нет имён файлов, поэтому они не участвуют в сопоставлении."
        ),
    }
}

/// Note: file names refused as keys.
pub fn ignored_names(locale: Locale, n: usize, min_chars: usize) -> String {
    let n = count(n);
    match locale {
        Locale::En => format!(
            "{} made only of digits or shorter than {min_chars} characters {} not matched: such names collide between different works.",
            file_names(locale, n),
            if n == 1 { "was" } else { "were" }
        ),
        Locale::Ru => format!(
            "{} из одних цифр или короче {min_chars} символов не {}: такие имена бывают у разных работ.",
            file_names(locale, n),
            plural_ru(n, "сопоставлялось", "сопоставлялись", "сопоставлялись")
        ),
    }
}

/// Highlight: one marketplace has the most sales and the most revenue per asset.
pub fn leads_both(locale: Locale, name: &str, sales: i64, per_asset: &str) -> String {
    let sales = locale.integer(sales);
    match locale {
        Locale::En => format!(
            "{name} leads on both counts: the most sales ({sales}) and the most revenue per asset ({per_asset})."
        ),
        Locale::Ru => format!(
            "Площадка {name} впереди по обоим показателям: больше всего продаж ({sales}) и самый высокий доход на работу ({per_asset})."
        ),
    }
}

/// Highlight: the marketplace with the most sales is not the one that earns most per asset.
/// `against` is the first one's revenue per asset, when it has one in the same currency.
pub fn leads_apart(
    locale: Locale,
    most_sales: &str,
    sales: i64,
    best: &str,
    per_asset: &str,
    against: Option<&str>,
) -> String {
    let sales = locale.integer(sales);
    match (locale, against) {
        (Locale::En, Some(against)) => format!(
            "{most_sales} brings the most sales ({sales}), but {best} earns the most per asset: {per_asset} against {against}."
        ),
        (Locale::En, None) => format!(
            "{most_sales} brings the most sales ({sales}), but {best} earns the most per asset: {per_asset}."
        ),
        (Locale::Ru, Some(against)) => format!(
            "Больше всего продаж на площадке {most_sales} ({sales}), а больше всего на одну работу зарабатывает площадка {best}: {per_asset} против {against}."
        ),
        (Locale::Ru, None) => format!(
            "Больше всего продаж на площадке {most_sales} ({sales}), а больше всего на одну работу зарабатывает площадка {best}: {per_asset}."
        ),
    }
}

/// "3 works" / "3 работы".
fn works(locale: Locale, n: i64) -> String {
    locale.counted(n, ("work", "works"), ("работа", "работы", "работ"))
}

/// "2 file names" / "2 имени файла".
fn file_names(locale: Locale, n: i64) -> String {
    locale.counted(
        n,
        ("file name", "file names"),
        ("имя файла", "имени файла", "имён файлов"),
    )
}

/// A count as the SDK's sentence helpers take it.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_marketplaces_by_parser_id() {
        assert_eq!(
            marketplace_name(Locale::En, "istock-getty"),
            "iStock / Getty Images"
        );
        assert_eq!(
            marketplace_name(Locale::Ru, "generic"),
            "Другие (общая таблица)"
        );
        assert_eq!(
            marketplace_name(Locale::En, "generic"),
            "Other (generic table)"
        );
        assert_eq!(marketplace_name(Locale::Ru, "pond5"), "pond5");
    }

    #[test]
    fn sentences_agree_with_their_numbers() {
        assert_eq!(
            works_on_several(Locale::En, 1, 1),
            "1 work sold on more than one marketplace, out of 1 identified by file name."
        );
        assert_eq!(
            works_on_several(Locale::Ru, 21, 300),
            "21 работа продавалась на нескольких площадках — из 300 опознанных по имени файла."
        );
        assert_eq!(
            works_on_several(Locale::Ru, 0, 21),
            "Ни одна из 21 работы, опознанной по имени файла, не продавалась на нескольких площадках."
        );
        assert_eq!(
            ignored_names(Locale::Ru, 2, 3),
            "2 имени файла из одних цифр или короче 3 символов не сопоставлялись: такие имена бывают у разных работ."
        );
        assert_eq!(
            ignored_names(Locale::En, 1, 3),
            "1 file name made only of digits or shorter than 3 characters was not matched: such names collide between different works."
        );
        assert_eq!(
            months_cut(Locale::Ru, 21),
            "Показаны только последние 21 месяц с продажами."
        );
    }

    #[test]
    fn gaps_read_well_for_one_and_for_many() {
        let examples = ["sunset", "beach"];
        let many = Gap {
            on: "Adobe Stock",
            missing_on: "Shutterstock",
            missing: 2,
            best_sellers: 5,
            examples: &examples,
            never: true,
        };
        assert_eq!(
            gap(Locale::En, &many),
            "2 of your 5 best sellers on Adobe Stock have never sold on Shutterstock, among them “sunset” and “beach”: check they are uploaded there."
        );
        assert_eq!(
            gap(Locale::Ru, &many),
            "2 из 5 самых продаваемых работ на площадке Adobe Stock ни разу не продавались на площадке Shutterstock, среди них «sunset» и «beach»: проверьте, загружены ли они туда."
        );
        let one = Gap {
            missing: 1,
            best_sellers: 1,
            examples: &examples[..1],
            never: false,
            ..many
        };
        assert_eq!(
            gap(Locale::En, &one),
            "Your best seller on Adobe Stock, “sunset”, did not sell on Shutterstock in the selected period: check it is uploaded there."
        );
        assert_eq!(
            gap(
                Locale::Ru,
                &Gap {
                    best_sellers: 21,
                    ..one
                }
            ),
            "Одна из 21 самой продаваемой работы на площадке Adobe Stock, «sunset», не продавалась на площадке Shutterstock в выбранном периоде: проверьте, загружена ли она туда."
        );
    }
}
