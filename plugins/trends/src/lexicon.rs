//! Every text the trends report writes, in English and Russian.
//!
//! Labels and headings are fixed strings in one [`Lexicon`] per language; sentences with numbers,
//! months or periods are functions here, so a translation is never assembled from pieces
//! elsewhere. Numbers inside sentences go through the SDK's [`Locale`] helpers; values in KPI
//! cards, tables and charts stay typed and the host formats them.

use stocklens_plugin_sdk::{Date, Locale};

use crate::findings::{Earlier, Guess, Method};
use crate::period::Window;

/// Fixed texts of one language.
#[derive(Debug)]
pub struct Lexicon {
    pub trends_title: &'static str,
    pub by_month_title: &'static str,
    pub by_week_title: &'static str,
    pub sales: &'static str,
    pub revenue: &'static str,
    pub month: &'static str,
    pub week_starting: &'static str,
    pub weekday: &'static str,
    pub days_in_period: &'static str,
    pub sales_per_day: &'static str,
    pub revenue_per_day: &'static str,
    pub change_vs_previous_month: &'static str,
    pub revenue_by_month: &'static str,
    pub sales_by_month: &'static str,
    pub months_table: &'static str,
    pub revenue_by_week: &'static str,
    pub sales_by_week: &'static str,
    pub weeks_table: &'static str,
    pub weekdays_table: &'static str,
    pub revenue_by_weekday: &'static str,
    pub sales_by_weekday: &'static str,
    pub revenue_vs_previous: &'static str,
    pub sales_vs_previous: &'static str,
    pub revenue_vs_year: &'static str,
    pub sales_vs_year: &'static str,
    pub best_month: &'static str,
    pub worst_month: &'static str,
    pub comparison_table: &'static str,
    pub period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub change_in_sales: &'static str,
    pub change_in_revenue: &'static str,
    pub this_period: &'static str,
    pub previous_period: &'static str,
    pub year_earlier: &'static str,
    pub no_sales: &'static str,
    pub too_short: &'static str,
    pub too_long: &'static str,
    pub ranking_too_few: &'static str,
    pub estimate_not_positive: &'static str,
    pub no_full_month: &'static str,
    pub weekday_averages: &'static str,
    pub monthly_dates: &'static str,
    pub one_day_weeks: &'static str,
}

const EN: Lexicon = Lexicon {
    trends_title: "Trends",
    by_month_title: "By month",
    by_week_title: "By week and weekday",
    sales: "Sales",
    revenue: "Revenue",
    month: "Month",
    week_starting: "Week starting",
    weekday: "Weekday",
    days_in_period: "Days in period",
    sales_per_day: "Sales per day",
    revenue_per_day: "Revenue per day",
    change_vs_previous_month: "Change vs previous month",
    revenue_by_month: "Revenue by month",
    sales_by_month: "Sales by month",
    months_table: "Revenue and sales by month",
    revenue_by_week: "Revenue by week",
    sales_by_week: "Sales by week",
    weeks_table: "By week",
    weekdays_table: "By day of week",
    revenue_by_weekday: "Average revenue per day by weekday",
    sales_by_weekday: "Average sales per day by weekday",
    revenue_vs_previous: "Revenue vs previous period",
    sales_vs_previous: "Sales vs previous period",
    revenue_vs_year: "Revenue vs a year earlier",
    sales_vs_year: "Sales vs a year earlier",
    best_month: "Best month",
    worst_month: "Worst month",
    comparison_table: "This period and earlier ones",
    period: "Period",
    from: "From",
    to: "To",
    change_in_sales: "Change in sales since then",
    change_in_revenue: "Change in revenue since then",
    this_period: "This period",
    previous_period: "Previous period",
    year_earlier: "A year earlier",
    no_sales: "There are no sales in the selected period and content type.",
    too_short: "The period is shorter than a week, too short to compare with earlier periods.",
    too_long: "The period is longer than three years, so it is not compared with earlier periods.",
    ranking_too_few: "Best and worst months are named when the period holds at least two full months.",
    estimate_not_positive: "Revenue over the last 3 full months was not positive, so there is no estimate of next month.",
    no_full_month: "The period holds no full month, so there is no estimate of next month.",
    weekday_averages: "Weekday figures are averages per calendar day: each weekday's total divided by how many times it occurs in the period.",
    monthly_dates: "The exports date sales by month only, so they cannot be split by week or weekday.",
    one_day_weeks: "All sales fall on one day, so there is no weekly pattern to show.",
};

const RU: Lexicon = Lexicon {
    trends_title: "Динамика",
    by_month_title: "По месяцам",
    by_week_title: "По неделям и дням недели",
    sales: "Продажи",
    revenue: "Доход",
    month: "Месяц",
    week_starting: "Неделя с",
    weekday: "День недели",
    days_in_period: "Дней в периоде",
    sales_per_day: "Продаж в день",
    revenue_per_day: "Доход в день",
    change_vs_previous_month: "К прошлому месяцу",
    revenue_by_month: "Доход по месяцам",
    sales_by_month: "Продажи по месяцам",
    months_table: "Доход и продажи по месяцам",
    revenue_by_week: "Доход по неделям",
    sales_by_week: "Продажи по неделям",
    weeks_table: "По неделям",
    weekdays_table: "По дням недели",
    revenue_by_weekday: "Средний доход в день по дням недели",
    sales_by_weekday: "Среднее число продаж в день по дням недели",
    revenue_vs_previous: "Доход к предыдущему периоду",
    sales_vs_previous: "Продажи к предыдущему периоду",
    revenue_vs_year: "Доход к прошлому году",
    sales_vs_year: "Продажи к прошлому году",
    best_month: "Лучший месяц",
    worst_month: "Худший месяц",
    comparison_table: "Этот период и прошлые",
    period: "Период",
    from: "С",
    to: "По",
    change_in_sales: "Изменение продаж с тех пор",
    change_in_revenue: "Изменение дохода с тех пор",
    this_period: "Этот период",
    previous_period: "Предыдущий период",
    year_earlier: "Год назад",
    no_sales: "В выбранном периоде и типе контента продаж нет.",
    too_short: "Период короче недели — слишком короткий для сравнения с прошлыми периодами.",
    too_long: "Период длиннее трёх лет, поэтому с прошлыми периодами он не сравнивается.",
    ranking_too_few: "Лучший и худший месяцы называются, когда в периоде не меньше двух полных месяцев.",
    estimate_not_positive: "Доход за три последних полных месяца не был положительным, поэтому оценки на следующий месяц нет.",
    no_full_month: "В периоде нет ни одного полного месяца, поэтому оценки на следующий месяц нет.",
    weekday_averages: "По дням недели показаны средние на календарный день: сумма за день недели, делённая на число таких дней в периоде.",
    monthly_dates: "В выгрузках у продаж указан только месяц, без дня, поэтому разбить их по неделям и дням недели нельзя.",
    one_day_weeks: "Все продажи пришлись на один день, поэтому недельной картины нет.",
};

/// The fixed texts of `locale`.
pub fn texts(locale: Locale) -> &'static Lexicon {
    match locale {
        Locale::En => &EN,
        Locale::Ru => &RU,
    }
}

impl Lexicon {
    /// The name of a comparison's row in the comparison table.
    pub fn earlier_name(&self, earlier: Earlier) -> &'static str {
        match earlier {
            Earlier::Previous => self.previous_period,
            Earlier::YearEarlier => self.year_earlier,
        }
    }

    /// The KPI labels of a comparison: revenue, then sales.
    pub fn change_labels(&self, earlier: Earlier) -> (&'static str, &'static str) {
        match earlier {
            Earlier::Previous => (self.revenue_vs_previous, self.sales_vs_previous),
            Earlier::YearEarlier => (self.revenue_vs_year, self.sales_vs_year),
        }
    }
}

/// The text with its first letter in upper case, for a Russian month starting a sentence.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A window as a sentence names it: by months when it is whole months, else by days.
pub fn window(locale: Locale, window: &Window) -> String {
    if window.is_whole_months() {
        locale.months(window.start, window.end)
    } else {
        locale.dates(window.start, window.end)
    }
}

/// An amount without false precision: "$1,200" for a whole amount, "$0.47" otherwise.
pub fn rough_amount(locale: Locale, micros: i128, currency: &str) -> String {
    let text = locale.amount(micros, currency);
    if micros % 1_000_000 != 0 {
        return text;
    }
    let zero_cents = match locale {
        Locale::En => ".00",
        Locale::Ru => ",00",
    };
    text.replacen(zero_cents, "", 1)
}

/// Months in a sentence, joined: "April 2025 and September 2025".
fn month_list(locale: Locale, months: &[Date]) -> String {
    let names: Vec<String> = months.iter().map(|&m| locale.month_label(m)).collect();
    locale.join(&names)
}

/// "12 sales" / "12 продаж".
pub fn sales_count(locale: Locale, n: i64) -> String {
    locale.counted(n, ("sale", "sales"), ("продажа", "продажи", "продаж"))
}

/// Note: everything sold on one day.
pub fn one_day(locale: Locale, day: Date) -> String {
    let day = locale.date(day);
    match locale {
        Locale::En => format!(
            "All sales fall on one day, {day}, so there is no trend over weeks or months to show."
        ),
        Locale::Ru => format!(
            "Все продажи пришлись на один день — {day}, поэтому динамики по неделям и месяцам нет."
        ),
    }
}

/// Note: the history does not reach an earlier period; which export would.
pub fn need_export(locale: Locale, earlier: Earlier, window: &Window) -> String {
    let months = locale.months(window.start, window.end);
    match (locale, earlier) {
        (Locale::En, Earlier::Previous) => {
            format!("To compare with the previous period, send the export for {months}.")
        }
        (Locale::En, Earlier::YearEarlier) => {
            format!("To compare with the same period a year earlier, send the export for {months}.")
        }
        (Locale::Ru, Earlier::Previous) => {
            format!("Чтобы сравнить с предыдущим периодом, пришлите выгрузку за {months}.")
        }
        (Locale::Ru, Earlier::YearEarlier) => {
            format!("Чтобы сравнить с тем же периодом год назад, пришлите выгрузку за {months}.")
        }
    }
}

/// KPI note: an earlier period's figure, "April–June 2025: $30.00".
pub fn earlier_figure(locale: Locale, window: &Window, figure: &str) -> String {
    format!("{}: {figure}", self::window(locale, window))
}

/// Note: single-currency figures are in the main currency.
pub fn main_currency(locale: Locale, currency: &str) -> String {
    match locale {
        Locale::En => format!(
            "Changes, best and worst months and the estimate are in {currency}, the main currency; the tables show every currency."
        ),
        Locale::Ru => format!(
            "Изменения, лучший и худший месяцы и оценка посчитаны в {currency} — основной валюте; в таблицах есть все валюты."
        ),
    }
}

/// Note: months cut by the period's ends are not ranked.
pub fn partial_not_ranked(locale: Locale, months: &[Date]) -> String {
    let list = capitalized(&month_list(locale, months));
    match (locale, months.len()) {
        (Locale::En, 1) => format!(
            "{list} is only partly in the period, so it is not ranked as best or worst month."
        ),
        (Locale::En, _) => format!(
            "{list} are only partly in the period, so they are not ranked as best or worst month."
        ),
        (Locale::Ru, 1) => format!(
            "{list} входит в период не целиком, поэтому не участвует в выборе лучшего и худшего месяца."
        ),
        (Locale::Ru, _) => format!(
            "{list} входят в период не целиком, поэтому не участвуют в выборе лучшего и худшего месяца."
        ),
    }
}

/// Note under the month table: months cut by the period's ends.
pub fn partial_months(locale: Locale, months: &[Date]) -> String {
    let list = capitalized(&month_list(locale, months));
    match (locale, months.len()) {
        (Locale::En, 1) => {
            format!("{list} is only partly in the period: its figures cover part of the month.")
        }
        (Locale::En, _) => {
            format!("{list} are only partly in the period: their figures cover part of each month.")
        }
        (Locale::Ru, 1) => {
            format!("{list} входит в период не целиком: его цифры — только за часть месяца.")
        }
        (Locale::Ru, _) => {
            format!("{list} входят в период не целиком: их цифры — только за часть месяца.")
        }
    }
}

/// Note: months whose refunds outweigh their sales.
pub fn negative_months(locale: Locale, months: &[Date]) -> String {
    let list = month_list(locale, months);
    match locale {
        Locale::En => format!("Revenue for {list} is negative: refunds exceeded sales."),
        Locale::Ru => format!("Доход за {list} отрицательный: возвраты превысили продажи."),
    }
}

/// Note: too few whole months for an estimate, and the export that would make up for them.
pub fn too_few_for_estimate(locale: Locale, full: i32, missing: &Window) -> String {
    let have = locale.counted(
        i64::from(full),
        ("full month", "full months"),
        ("полный месяц", "полных месяца", "полных месяцев"),
    );
    let months = locale.months(missing.start, missing.end);
    match locale {
        Locale::En => format!(
            "An estimate of next month needs 3 full months and the period has only {have}; send the export for {months} to get one."
        ),
        Locale::Ru => format!(
            "Для оценки следующего месяца нужны 3 полных месяца, а в периоде только {have}; пришлите выгрузку за {months}, чтобы она появилась."
        ),
    }
}

/// KPI label of the estimate: "Estimate for October 2025".
pub fn estimate_label(locale: Locale, month: Date) -> String {
    match locale {
        Locale::En => format!("Estimate for {}", locale.month_label(month)),
        Locale::Ru => format!("Оценка на {}", locale.month_label(month)),
    }
}

/// The estimate's range: "between $20 and $35" / "от 20 USD до 35 USD".
pub fn estimate_range(locale: Locale, guess: &Guess, currency: &str) -> String {
    let low = rough_amount(locale, guess.low, currency);
    let high = rough_amount(locale, guess.high, currency);
    match locale {
        Locale::En => format!("between {low} and {high}"),
        Locale::Ru => format!("от {low} до {high}"),
    }
}

/// A signed percentage: "+12%", "-8%".
fn signed_percent(locale: Locale, value: f64) -> String {
    let text = locale.percent(value, 0);
    if value.round() > 0.0 {
        format!("+{text}")
    } else {
        text
    }
}

/// Note: how the estimate was made, and that it is no forecast.
pub fn estimate_method(locale: Locale, guess: &Guess) -> String {
    let month = locale.month_label(guess.month);
    match (locale, guess.method) {
        (Locale::En, Method::Average { first, last }) => format!(
            "The estimate for {month} is the average of the last 3 full months ({}), rounded to two significant digits; the range runs from the weakest of them to the best. It is a rough guide, not a forecast.",
            locale.months(first, last)
        ),
        (Locale::Ru, Method::Average { first, last }) => format!(
            "Оценка на {month} — среднее за три последних полных месяца ({}), округлённое до двух значащих цифр; диапазон — от слабейшего из них до лучшего. Это ориентир, а не прогноз.",
            locale.months(first, last)
        ),
        (Locale::En, Method::Seasonal { base, change }) => format!(
            "The estimate for {month} is the revenue of {} scaled by the year-on-year change of the last 3 full months ({}), rounded to two significant digits; the range is what each of those months' own change gives. It is a rough guide, not a forecast.",
            locale.month_label(base),
            signed_percent(locale, change)
        ),
        (Locale::Ru, Method::Seasonal { base, change }) => format!(
            "Оценка на {month} — доход за {} с поправкой на изменение трёх последних полных месяцев к прошлому году ({}), округлённый до двух значащих цифр; диапазон — что даёт изменение каждого из этих месяцев по отдельности. Это ориентир, а не прогноз.",
            locale.month_label(base),
            signed_percent(locale, change)
        ),
    }
}

/// Highlight: the estimate in one sentence.
pub fn estimate_highlight(locale: Locale, guess: &Guess, currency: &str) -> String {
    let month = locale.month_label(guess.month);
    let central = rough_amount(locale, guess.central, currency);
    let range = estimate_range(locale, guess, currency);
    match (locale, guess.method) {
        (Locale::En, Method::Average { .. }) => format!(
            "Estimate for {month}: about {central} ({range}), from the average of the last 3 full months."
        ),
        (Locale::Ru, Method::Average { .. }) => format!(
            "Оценка на {month}: около {central} ({range}) по среднему за три последних полных месяца."
        ),
        (Locale::En, Method::Seasonal { base, .. }) => format!(
            "Estimate for {month}: about {central} ({range}), from {} and the year-on-year change.",
            locale.month_label(base)
        ),
        (Locale::Ru, Method::Seasonal { base, .. }) => format!(
            "Оценка на {month}: около {central} ({range}), исходя из дохода за {} и изменения к прошлому году.",
            locale.month_label(base)
        ),
    }
}

/// Highlight: revenue against an earlier period. `currency` is named where several were paid.
pub fn change_highlight(
    locale: Locale,
    earlier: Earlier,
    change: f64,
    window: &Window,
    currency: Option<&str>,
) -> String {
    let period = self::window(locale, window);
    let percent = locale.percent(change.abs(), 0);
    let level = change.round() == 0.0;
    match locale {
        Locale::En => {
            let revenue = currency.map_or("Revenue".to_owned(), |c| format!("Revenue in {c}"));
            let other = match earlier {
                Earlier::Previous => "the previous period",
                Earlier::YearEarlier => "the same period a year earlier",
            };
            if level {
                format!("{revenue} is level with {other} ({period}).")
            } else if change > 0.0 {
                format!("{revenue} is up {percent} on {other} ({period}).")
            } else {
                format!("{revenue} is down {percent} on {other} ({period}).")
            }
        }
        Locale::Ru => {
            let revenue = currency.map_or("Доход".to_owned(), |c| format!("Доход в {c}"));
            if level {
                let other = match earlier {
                    Earlier::Previous => "предыдущего периода",
                    Earlier::YearEarlier => "того же периода год назад",
                };
                format!("{revenue} на уровне {other} ({period}).")
            } else {
                let other = match earlier {
                    Earlier::Previous => "к предыдущему периоду",
                    Earlier::YearEarlier => "к тому же периоду год назад",
                };
                let verb = if change > 0.0 {
                    "вырос"
                } else {
                    "снизился"
                };
                format!("{revenue} {verb} на {percent} {other} ({period}).")
            }
        }
    }
}

/// Highlight: the best whole month.
pub fn best_month(locale: Locale, month: Date, revenue: &str) -> String {
    let month = locale.month_label(month);
    match locale {
        Locale::En => format!("Best month: {month}, {revenue}."),
        Locale::Ru => format!("Лучший месяц: {month}, {revenue}."),
    }
}

/// Note: the weekly table is cut to its last weeks.
pub fn weeks_cut(locale: Locale, total: i64, shown: i64) -> String {
    let weeks = locale.counted(total, ("week", "weeks"), ("неделю", "недели", "недель"));
    match locale {
        Locale::En => {
            format!("The period spans {weeks}; the weekly chart and table show the last {shown}.")
        }
        Locale::Ru => format!(
            "Период охватывает {weeks}; на графике и в таблице по неделям — последние {shown}."
        ),
    }
}

/// Note: the weeks at the period's ends that it holds only in part.
pub fn partial_weeks(locale: Locale, first: bool, last: bool) -> Option<&'static str> {
    Some(match (locale, first, last) {
        (_, false, false) => return None,
        (Locale::En, true, false) => "The first week is only partly in the period.",
        (Locale::En, false, true) => "The last week is only partly in the period.",
        (Locale::En, true, true) => "The first and last weeks are only partly in the period.",
        (Locale::Ru, true, false) => "Первая неделя входит в период не целиком.",
        (Locale::Ru, false, true) => "Последняя неделя входит в период не целиком.",
        (Locale::Ru, true, true) => "Первая и последняя недели входят в период не целиком.",
    })
}

/// Note: sources dated by month only, left out of weeks and weekdays.
pub fn monthly_sources(locale: Locale, sources: &[String]) -> String {
    let names: Vec<String> = sources
        .iter()
        .map(|source| locale.marketplace(source).to_owned())
        .collect();
    let names = locale.join(&names);
    match locale {
        Locale::En => format!(
            "Sales from {names} are dated by month only, so they are left out of weeks and weekdays."
        ),
        Locale::Ru => format!(
            "Продажи из выгрузок {names} датированы только месяцем, поэтому в разбивку по неделям и дням недели не вошли."
        ),
    }
}

/// Note: marketplaces whose exports do not reach an earlier window are left out of the comparison
/// with it, on both sides.
pub fn left_out_of_comparison(locale: Locale, sources: &[String], window: &Window) -> String {
    let names: Vec<String> = sources
        .iter()
        .map(|source| locale.marketplace(source).to_owned())
        .collect();
    let names = locale.join(&names);
    let when = self::window(locale, window);
    match locale {
        Locale::En => format!(
            "The comparison with {when} leaves out {names}: your exports from there do not reach back to it, so only marketplaces with data for both periods are compared."
        ),
        Locale::Ru => format!(
            "В сравнении с периодом {when} не учтены продажи на {names}: ваши выгрузки оттуда не охватывают его, поэтому сравниваются только площадки с данными за оба периода."
        ),
    }
}

/// Note: the best and weakest weekday by average revenue per day.
pub fn best_weekday(locale: Locale, best: (u8, &str), worst: (u8, &str)) -> String {
    let (best_day, best_amount) = (locale.weekday_name(best.0), best.1);
    let (worst_day, worst_amount) = (locale.weekday_name(worst.0), worst.1);
    match locale {
        Locale::En => format!(
            "Best weekday: {best_day}, {best_amount} a day on average; weakest: {worst_day}, {worst_amount}."
        ),
        Locale::Ru => format!(
            "Лучший день недели — {best_day}, в среднем {best_amount} в день; слабейший — {worst_day}, {worst_amount}."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::testing::day;

    #[test]
    fn rough_amounts_drop_zero_cents_only() {
        assert_eq!(rough_amount(Locale::En, 1_200_000_000, "USD"), "$1,200");
        assert_eq!(rough_amount(Locale::En, 470_000, "USD"), "$0.47");
        assert_eq!(rough_amount(Locale::Ru, 27_000_000, "EUR"), "27\u{a0}EUR");
        assert_eq!(rough_amount(Locale::En, 35_000, "JPY"), "0.035 JPY");
    }

    #[test]
    fn sentences_agree_with_their_numbers() {
        let june = Window {
            start: day("2025-06-01"),
            end: day("2025-06-30"),
        };
        assert_eq!(
            too_few_for_estimate(Locale::Ru, 2, &june),
            "Для оценки следующего месяца нужны 3 полных месяца, а в периоде только 2 полных месяца; пришлите выгрузку за июнь 2025, чтобы она появилась."
        );
        let spring = Window {
            start: day("2025-04-01"),
            end: day("2025-05-31"),
        };
        assert_eq!(
            too_few_for_estimate(Locale::En, 1, &spring),
            "An estimate of next month needs 3 full months and the period has only 1 full month; send the export for April–May 2025 to get one."
        );
        assert_eq!(
            partial_not_ranked(Locale::Ru, &[day("2025-04-01")]),
            "Апрель 2025 входит в период не целиком, поэтому не участвует в выборе лучшего и худшего месяца."
        );
        assert_eq!(
            weeks_cut(Locale::Ru, 131, 52),
            "Период охватывает 131 неделю; на графике и в таблице по неделям — последние 52."
        );
    }
}
