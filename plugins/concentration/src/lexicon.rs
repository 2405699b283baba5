//! Every text the concentration report writes, in English and Russian.
//!
//! Labels and headings are fixed strings in one [`Lexicon`] per language; sentences with numbers
//! are functions here, so a translation is never assembled from pieces elsewhere. Numbers inside
//! sentences are written here too; values in KPI cards, tables and charts stay typed and the
//! host formats them.

pub use stocklens_plugin_sdk::Locale;
use stocklens_plugin_sdk::plural_ru;

use crate::spread::Bucket;

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
    pub title: &'static str,
    pub assets_sold: &'static str,
    pub half_revenue: &'static str,
    pub sold_once: &'static str,
    pub curve_title: &'static str,
    pub by_sales_title: &'static str,
    pub group: &'static str,
    pub sales_per_asset: &'static str,
    pub assets: &'static str,
    pub share_of_assets: &'static str,
    pub revenue: &'static str,
    pub share_of_revenue: &'static str,
    pub all_assets: &'static str,
    pub no_sales: &'static str,
    pub single: &'static str,
}

const EN: Lexicon = Lexicon {
    title: "Revenue concentration",
    assets_sold: "Assets sold",
    half_revenue: "Assets making half the revenue",
    sold_once: "Assets sold once",
    curve_title: "Cumulative share of revenue by asset rank",
    by_sales_title: "Assets by number of sales",
    group: "Best assets",
    sales_per_asset: "Sales per asset",
    assets: "Assets",
    share_of_assets: "Share of assets",
    revenue: "Revenue",
    share_of_revenue: "Share of revenue",
    all_assets: "all",
    no_sales: "There are no sales in the selected period and content type.",
    single: "All revenue comes from a single asset.",
};

const RU: Lexicon = Lexicon {
    title: "Концентрация дохода",
    assets_sold: "Проданных работ",
    half_revenue: "Работы, дающие половину дохода",
    sold_once: "Работ с одной продажей",
    curve_title: "Накопленная доля дохода лучших работ",
    by_sales_title: "Работы по числу продаж",
    group: "Лучшие работы",
    sales_per_asset: "Число продаж",
    assets: "Число работ",
    share_of_assets: "Доля работ",
    revenue: "Доход",
    share_of_revenue: "Доля дохода",
    all_assets: "все",
    no_sales: "В выбранном периоде и типе контента продаж нет.",
    single: "Весь доход приносит одна работа.",
};

/// A share inside a sentence: one decimal, none when it is whole ("12.5%", "100%").
pub fn share(locale: Locale, percent: f64) -> String {
    locale.percent(percent, decimals(percent))
}

/// A share that must read as more than `floor`: decimals are added until rounding no longer
/// hides the difference, so 25.01 % is never written "25%" under "more than a quarter".
pub fn share_above(locale: Locale, percent: f64, floor: f64) -> String {
    let fits = |d: usize| {
        format!("{percent:.d$}")
            .parse::<f64>()
            .is_ok_and(|shown| shown > floor)
    };
    let decimals = (decimals(percent)..=4).find(|&d| fits(d)).unwrap_or(4);
    locale.percent(percent, decimals)
}

fn decimals(percent: f64) -> usize {
    let tenths = format!("{percent:.1}");
    if tenths.ends_with(".0") { 0 } else { 1 }
}

/// "12 assets" / "12 работ".
pub fn assets(locale: Locale, n: usize) -> String {
    locale.counted(count(n), ("asset", "assets"), ("работа", "работы", "работ"))
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A point of the cumulative curve: "top 10%" / "лучшие 10 %", or all assets.
pub fn top_label(locale: Locale, percent: u32) -> String {
    if percent >= 100 {
        return locale.lexicon().all_assets.to_owned();
    }
    let share = locale.percent(f64::from(percent), 0);
    match locale {
        Locale::En => format!("top {share}"),
        Locale::Ru => format!("лучшие {share}"),
    }
}

/// KPI label: the revenue share of the best `percent` % of assets.
pub fn top_kpi(locale: Locale, percent: u32) -> String {
    let share = locale.percent(f64::from(percent), 0);
    match locale {
        Locale::En => format!("Revenue from top {share} of assets"),
        Locale::Ru => format!("Доход от лучших {share} работ"),
    }
}

/// KPI note: what share of the assets sold a count is.
pub fn of_assets_sold(locale: Locale, percent: f64) -> String {
    let share = share(locale, percent);
    match locale {
        Locale::En => format!("{share} of assets sold"),
        Locale::Ru => format!("{share} проданных работ"),
    }
}

/// KPI note under the long tail: shares of assets and, where known, of revenue.
pub fn tail_shares(locale: Locale, assets: f64, revenue: Option<f64>) -> String {
    let assets = share(locale, assets);
    match (locale, revenue) {
        (Locale::En, Some(revenue)) => {
            format!("{assets} of assets, {} of revenue", share(locale, revenue))
        }
        (Locale::En, None) => format!("{assets} of assets"),
        (Locale::Ru, Some(revenue)) => {
            format!("{assets} работ, {} дохода", share(locale, revenue))
        }
        (Locale::Ru, None) => format!("{assets} работ"),
    }
}

/// A row of the sales-count table: "1 sale", "2–4 sales" / "1 продажа", "2–4 продажи".
pub fn bucket(locale: Locale, bucket: Bucket) -> &'static str {
    match (locale, bucket) {
        (Locale::En, Bucket::NoNetSales) => "none, net of refunds",
        (Locale::En, Bucket::One) => "1 sale",
        (Locale::En, Bucket::TwoToFour) => "2–4 sales",
        (Locale::En, Bucket::FiveToNine) => "5–9 sales",
        (Locale::En, Bucket::TenToFortyNine) => "10–49 sales",
        (Locale::En, Bucket::FiftyOrMore) => "50 sales or more",
        (Locale::Ru, Bucket::NoNetSales) => "ни одной после возвратов",
        (Locale::Ru, Bucket::One) => "1 продажа",
        (Locale::Ru, Bucket::TwoToFour) => "2–4 продажи",
        (Locale::Ru, Bucket::FiveToNine) => "5–9 продаж",
        (Locale::Ru, Bucket::TenToFortyNine) => "10–49 продаж",
        (Locale::Ru, Bucket::FiftyOrMore) => "50 продаж и больше",
    }
}

/// Warning (and highlight): one asset makes more than a quarter of the revenue.
pub fn dominant(locale: Locale, name: &str, share: &str) -> String {
    match locale {
        Locale::En => format!(
            "“{name}” makes {share} of your revenue: more than a quarter rests on a single asset, \
             so a drop in its sales would show at once."
        ),
        Locale::Ru => format!(
            "«{name}» приносит {share} дохода: больше четверти держится на одной работе, \
             и спад её продаж сразу скажется на доходе."
        ),
    }
}

/// "1 asset makes" / "3 assets make"; "1 работа приносит" / "3 работы приносят".
fn assets_make(locale: Locale, n: usize) -> String {
    let assets = assets(locale, n);
    match locale {
        Locale::En if n == 1 => format!("{assets} makes"),
        Locale::En => format!("{assets} make"),
        Locale::Ru => format!(
            "{assets} {}",
            plural_ru(count(n), "приносит", "приносят", "приносят")
        ),
    }
}

/// Note: only a handful of assets sold, too few to judge the spread.
pub fn few(locale: Locale, n: usize) -> String {
    match locale {
        Locale::En => format!(
            "Only {} sold: too few to judge how evenly the revenue is spread.",
            assets(locale, n)
        ),
        Locale::Ru => format!(
            "Проданных работ всего {}: слишком мало, чтобы судить, насколько равномерно \
             распределён доход.",
            locale.integer(count(n))
        ),
    }
}

/// Note: half the revenue from under 5 % of the assets.
pub fn concentrated(locale: Locale, half: usize, percent: f64) -> String {
    let share = share(locale, percent);
    match locale {
        Locale::En => format!(
            "Revenue is highly concentrated: {} half of it ({share} of the assets sold). \
             A few bestsellers carry the portfolio; new work on their themes is the surest \
             bet, and a broader base makes it safer.",
            assets_make(locale, half)
        ),
        Locale::Ru => format!(
            "Доход сильно сконцентрирован: {} половину ({share} проданных работ). Портфель \
             держится на нескольких бестселлерах: новые работы на их темы — самая надёжная \
             ставка, а более широкая база сделает доход устойчивее.",
            assets_make(locale, half)
        ),
    }
}

/// Note: half the revenue from 5 % to 20 % of the assets.
pub fn moderate(locale: Locale, half: usize, percent: f64) -> String {
    let share = share(locale, percent);
    match locale {
        Locale::En => format!(
            "Revenue is moderately concentrated: {} half of it ({share} of the assets sold), \
             as is usual for a stock portfolio.",
            assets_make(locale, half)
        ),
        Locale::Ru => format!(
            "Доход умеренно сконцентрирован: {} половину ({share} проданных работ) — обычная \
             картина для стокового портфеля.",
            assets_make(locale, half)
        ),
    }
}

/// Note: half the revenue from 20 % of the assets or more.
pub fn wide(locale: Locale, half: usize, percent: f64) -> String {
    let share = share(locale, percent);
    match locale {
        Locale::En => format!(
            "Revenue is spread widely: {} half of it ({share} of the assets sold), so it does \
             not hang on a few works.",
            assets_make(locale, half)
        ),
        Locale::Ru => format!(
            "Доход распределён широко: {} половину ({share} проданных работ), так что он не \
             зависит от нескольких работ.",
            assets_make(locale, half)
        ),
    }
}

/// Note: assets whose refunds exceed their sales count as zero.
pub fn refunded(locale: Locale, n: usize) -> String {
    match locale {
        Locale::En => format!(
            "{} lost more to refunds than {} in this period; {} counted as zero \
             revenue in the shares.",
            assets(locale, n),
            if n == 1 { "it earned" } else { "they earned" },
            if n == 1 { "it is" } else { "they are" },
        ),
        Locale::Ru => format!(
            "У {} {} возвраты за период превысили доход; в долях {} с нулевым доходом.",
            locale.integer(count(n)),
            plural_ru(count(n), "работы", "работ", "работ"),
            if n == 1 {
                "она считается"
            } else {
                "они считаются"
            },
        ),
    }
}

/// Note: no shares, because the revenue is not positive.
pub fn no_shares(locale: Locale, currency: &str) -> String {
    match locale {
        Locale::En => format!(
            "Revenue in {currency} is zero or negative after refunds, so shares of it would \
             mean nothing: only counts of assets are shown."
        ),
        Locale::Ru => format!(
            "Доход в {currency} после возвратов нулевой или отрицательный, поэтому доли дохода \
             не считаются: показано только число работ."
        ),
    }
}

/// Note: several currencies, figures in the main one.
pub fn main_currency(locale: Locale, currency: &str, left_out: usize) -> String {
    let left_out = locale.integer(count(left_out));
    match locale {
        Locale::En => format!(
            "Sales came in several currencies: figures are in {currency}, the currency of most \
             sales, and shares are never taken across currencies. Assets sold only in other \
             currencies: {left_out}, left out."
        ),
        Locale::Ru => format!(
            "Продажи шли в нескольких валютах: расчёт — в {currency}, валюте большинства \
             продаж; доли между валютами не смешиваются. Работ, проданных только в других \
             валютах: {left_out}, они не учтены."
        ),
    }
}

/// Highlight: how many assets make half the revenue.
pub fn half_highlight(locale: Locale, half: usize, percent: f64) -> String {
    let share = share(locale, percent);
    match locale {
        Locale::En => format!(
            "{} half your revenue ({share} of the assets sold).",
            assets_make(locale, half)
        ),
        Locale::Ru => format!(
            "{} половину дохода ({share} проданных работ).",
            assets_make(locale, half)
        ),
    }
}

/// Highlight: the long tail of assets sold once, with its revenue share where known.
pub fn tail_highlight(locale: Locale, n: usize, assets: f64, revenue: Option<f64>) -> String {
    let assets_share = share(locale, assets);
    match (locale, revenue) {
        (Locale::En, Some(revenue)) => format!(
            "{} sold only once ({assets_share} of the assets sold), making {} of revenue.",
            self::assets(locale, n),
            share(locale, revenue)
        ),
        (Locale::En, None) => format!(
            "{} sold only once ({assets_share} of the assets sold).",
            self::assets(locale, n)
        ),
        (Locale::Ru, Some(revenue)) => format!(
            "По одной продаже у {} {} ({assets_share} проданных работ), это {} дохода.",
            locale.integer(count(n)),
            plural_ru(count(n), "работы", "работ", "работ"),
            share(locale, revenue)
        ),
        (Locale::Ru, None) => format!(
            "По одной продаже у {} {} ({assets_share} проданных работ).",
            locale.integer(count(n)),
            plural_ru(count(n), "работы", "работ", "работ"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_drop_a_zero_decimal_and_keep_a_real_one() {
        assert_eq!(share(Locale::En, 100.0), "100%");
        assert_eq!(share(Locale::En, 33.333), "33.3%");
        assert_eq!(share(Locale::Ru, 12.5), "12,5\u{a0}%");
    }

    #[test]
    fn a_share_above_a_quarter_never_reads_as_a_quarter() {
        assert_eq!(share_above(Locale::En, 25.01, 25.0), "25.01%");
        assert_eq!(share_above(Locale::En, 25.0001, 25.0), "25.0001%");
        assert_eq!(share_above(Locale::En, 31.52, 25.0), "31.5%");
        assert_eq!(share_above(Locale::En, 100.0, 25.0), "100%");
    }

    #[test]
    fn sentences_agree_with_their_numbers() {
        assert_eq!(
            half_highlight(Locale::En, 1, 2.0),
            "1 asset makes half your revenue (2% of the assets sold)."
        );
        assert_eq!(
            half_highlight(Locale::Ru, 3, 6.0),
            "3 работы приносят половину дохода (6\u{a0}% проданных работ)."
        );
        assert_eq!(
            half_highlight(Locale::Ru, 21, 4.2),
            "21 работа приносит половину дохода (4,2\u{a0}% проданных работ)."
        );
        assert_eq!(
            refunded(Locale::Ru, 1),
            "У 1 работы возвраты за период превысили доход; в долях она считается с нулевым доходом."
        );
        assert_eq!(
            tail_highlight(Locale::Ru, 5, 50.0, Some(12.5)),
            "По одной продаже у 5 работ (50\u{a0}% проданных работ), это 12,5\u{a0}% дохода."
        );
        assert_eq!(top_label(Locale::Ru, 100), "все");
        assert_eq!(top_kpi(Locale::En, 10), "Revenue from top 10% of assets");
    }
}
