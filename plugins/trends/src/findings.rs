//! What the report claims, as numbers: the selected period and its months, the comparisons with
//! earlier periods, the best and worst months, and the next-month estimate.
//!
//! This is where the report decides what can honestly be said: a comparison only where the
//! history reaches the earlier period, best and worst only among whole months, an estimate only
//! from three whole months or more. It writes no text; `report` turns these numbers into
//! sections in the request's language.

use std::collections::BTreeMap;

use stocklens_plugin_sdk::{CurrencyId, Date, Request, divide_rounded};

use crate::period::Window;
use crate::stats::{Days, Stats, Totals};

/// Shortest period compared with earlier ones: below a week, day-to-day noise is all a change
/// would show.
pub const MIN_COMPARED_DAYS: i32 = 7;

/// Longest period compared with earlier ones, three years: the same length again before it is
/// rarely in anyone's exports, and asking for it is no help.
pub const MAX_COMPARED_DAYS: i32 = 3 * 366;

/// Longest period also compared with a year earlier: eleven whole months (at most 335 days). A
/// year-long period's year-earlier window is its previous one, and a longer one overlaps itself.
pub const MAX_YEAR_ON_YEAR_DAYS: i32 = 335;

/// How late the history may start into an earlier window and still count as covering it: a
/// small portfolio often sells nothing on the first days of a period, so the first sale is not
/// where the export starts. Never more than a quarter of the window.
pub const MAX_SLACK_DAYS: i32 = 7;

/// Longest span of months listed month by month with empty months filled in: 20 years. Beyond
/// that (a stray date from 1970, say) only months with sales are listed.
pub const MAX_FILLED_MONTHS: i32 = 240;

/// Whole months an estimate is made from: fewer would be one good or bad month speaking.
pub const ESTIMATE_MONTHS: i32 = 3;

/// One month of the selected period.
#[derive(Debug, Clone)]
pub struct Month {
    /// Its first day.
    pub start: Date,
    /// What was sold in it within the period.
    pub totals: Totals,
    /// Whether the period holds the whole month.
    pub full: bool,
}

/// Which earlier period a comparison is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Earlier {
    /// The same length just before.
    Previous,
    /// The same dates a year before.
    YearEarlier,
}

/// The selected period against an earlier one.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Which one.
    pub earlier: Earlier,
    /// Its dates.
    pub window: Window,
    /// What was sold then, or `None` where the history does not reach it.
    pub totals: Option<Totals>,
    /// What was sold in the period on the marketplaces compared: the ones whose exports reach
    /// the earlier window, so the change adds up like with like.
    pub current: Totals,
    /// Marketplaces (parser ids) with sales in the period whose exports do not reach the earlier
    /// window: left out of both sides.
    pub left_out: Vec<String>,
}

/// Why the period is not compared with earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoComparison {
    /// Shorter than [`MIN_COMPARED_DAYS`].
    TooShort,
    /// Longer than [`MAX_COMPARED_DAYS`].
    TooLong,
}

/// A month and its revenue in the main currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRevenue {
    /// Its first day.
    pub month: Date,
    /// Revenue in the main currency.
    pub revenue: i128,
}

/// Best and worst of the whole months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ranking {
    /// The period lies within one month, or every sale is on one day: nothing to rank.
    NotRanked,
    /// Fewer than two whole months.
    TooFew,
    /// No whole month earned anything: no month is "best".
    NoRevenue,
    /// Two or more whole months.
    Ranked {
        /// The most revenue (the earliest on a tie).
        best: MonthRevenue,
        /// The least, unless every whole month earned the same.
        worst: Option<MonthRevenue>,
    },
}

/// How an estimate was made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// The average of the last whole months, `first` to `last`.
    Average {
        /// First day of the first month averaged.
        first: Date,
        /// First day of the last month averaged.
        last: Date,
    },
    /// The same month a year earlier, scaled by how the last whole months compare with the same
    /// months a year before them.
    Seasonal {
        /// First day of the month a year before the estimated one.
        base: Date,
        /// The year-on-year change of the last whole months, in percent.
        change: f64,
    },
}

/// A rough figure for next month's revenue in the main currency, rounded to two significant
/// digits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    /// First day of the month estimated.
    pub month: Date,
    /// The estimate.
    pub central: i128,
    /// The low end of the range (never below zero).
    pub low: i128,
    /// The high end of the range.
    pub high: i128,
    /// How it was made.
    pub method: Method,
}

/// The next-month estimate, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimate {
    /// Nothing to say: all sales on one day, or the month after the period is already over.
    Skipped,
    /// The period holds no whole month.
    NoFullMonth,
    /// Fewer than [`ESTIMATE_MONTHS`] whole months in the period, and the history does not reach
    /// the months before them.
    TooFew {
        /// How many whole months the period holds.
        full: i32,
        /// The months before the period the estimate would need.
        missing: Window,
    },
    /// The last whole months earned nothing or less.
    NotPositive,
    /// An estimate.
    Made(Guess),
}

/// Everything the sections show, computed once.
#[derive(Debug)]
pub struct Findings {
    /// The selected period.
    pub period: Window,
    /// The currency single-currency figures use.
    pub main: CurrencyId,
    /// The currencies of the selected sales, in order of appearance.
    pub currencies: Vec<CurrencyId>,
    /// Selected sales per day from sources that date sales by day: what weeks and weekdays use.
    pub daily_days: Days,
    /// Sources whose selected sales are dated by month only.
    pub monthly_sources: Vec<String>,
    /// Whether every selected sale is dated by month only.
    pub monthly: bool,
    /// The day every selected sale is on, if they all are on one (and dated by day).
    pub one_day: Option<Date>,
    /// Everything selected.
    pub current: Totals,
    /// Every month of the period in order (only those with sales past [`MAX_FILLED_MONTHS`]).
    pub months: Vec<Month>,
    /// Why there are no comparisons, if there are none.
    pub no_comparison: Option<NoComparison>,
    /// The comparisons made, covered or not.
    pub comparisons: Vec<Comparison>,
    /// Best and worst months.
    pub ranking: Ranking,
    /// The next-month estimate.
    pub estimate: Estimate,
}

impl Findings {
    /// The findings of a non-empty selection; `None` when nothing was selected.
    pub fn new(stats: &Stats, request: &Request) -> Option<Findings> {
        let days = stats.selected_days(|_| true);
        let daily_days = stats.selected_days(|source| source.daily);
        let first = Date::from_day_number(days.first()?);
        let last = Date::from_day_number(days.last()?);
        let monthly = daily_days.is_empty();
        let monthly_sources = stats
            .selected_sources()
            .filter(|source| !source.daily)
            .map(|source| source.name.clone())
            .collect();
        let period = Window::selected(&request.filters, request.today, first, last, monthly);
        let one_day = (!monthly && days.len() == 1).then_some(first);
        let main = stats.main_currency();

        let month_totals = by_month(&days);
        let months = months(&period, &month_totals);
        let current = days.sum(period.start.day_number(), period.end.day_number());
        let coverage = Coverage {
            history: &stats.history,
            selected: &days,
            first: stats.history.first().into_iter().chain(days.first()).min(),
        };

        let no_comparison = if period.days() < MIN_COMPARED_DAYS {
            Some(NoComparison::TooShort)
        } else if period.days() > MAX_COMPARED_DAYS {
            Some(NoComparison::TooLong)
        } else {
            None
        };
        let mut comparisons = Vec::new();
        if no_comparison.is_none() {
            let mut windows = vec![(Earlier::Previous, period.previous())];
            if period.days() <= MAX_YEAR_ON_YEAR_DAYS {
                windows.push((Earlier::YearEarlier, period.year_earlier()));
            }
            for (earlier, window) in windows {
                comparisons.push(compare(stats, &period, earlier, window));
            }
        }

        let full = FullMonths::of(&period);
        let revenue = |month: i32| {
            month_totals
                .get(&month)
                .map_or(0, |totals| totals.revenue.get(main))
        };
        let ranking = if one_day.is_some() {
            Ranking::NotRanked
        } else {
            rank(&period, &full, &revenue)
        };
        let estimate = if one_day.is_some()
            || (request.today.is_valid() && period.last_month() + 1 < request.today.month_number())
        {
            Estimate::Skipped
        } else {
            let all_months = stats.months_with_history(&days);
            let revenue_with_history = |month: i32| {
                all_months
                    .get(&month)
                    .map_or(0, |totals| totals.revenue.get(main))
            };
            estimate(&period, &full, &revenue_with_history, &coverage)
        };

        Some(Findings {
            period,
            main,
            currencies: stats.selected_currencies(),
            daily_days,
            monthly_sources,
            monthly,
            one_day,
            current,
            months,
            no_comparison,
            comparisons,
            ranking,
            estimate,
        })
    }

    /// The months the period holds only in part (cut by its start or end), which rankings and
    /// estimates leave out.
    pub fn partial_months(&self) -> Vec<Date> {
        self.months
            .iter()
            .filter(|month| !month.full)
            .map(|month| month.start)
            .collect()
    }
}

/// `current` against `previous` in percent, where the previous figure is positive (a change
/// from nothing, or from a net refund, is no percentage).
pub fn change(current: i128, previous: i128) -> Option<f64> {
    (previous > 0).then(|| (current - previous) as f64 * 100.0 / previous as f64)
}

/// The period against an earlier `window`, marketplace by marketplace: only those whose own
/// exports reach the window count, on both sides. (Freepik downloads added this quarter to an
/// Adobe Stock history would otherwise read as sales growing eightfold.)
fn compare(stats: &Stats, period: &Window, earlier: Earlier, window: Window) -> Comparison {
    let (start, end) = (window.start.day_number(), window.end.day_number());
    let (from, to) = (period.start.day_number(), period.end.day_number());
    let slack = MAX_SLACK_DAYS.min(window.days() / 4);
    let mut current = Totals::default();
    let mut then = Totals::default();
    let mut left_out = Vec::new();
    let mut compared = false;
    for source in stats.selected_sources() {
        let first = source
            .history
            .first()
            .into_iter()
            .chain(source.selected.first())
            .min();
        let reaches = first.is_some_and(|first| first <= start + slack)
            && (source.history.any_in(start, end) || source.selected.any_in(start, end));
        if reaches {
            compared = true;
            current.merge(&source.selected.sum(from, to));
            then.merge(&source.history.sum(start, end));
            then.merge(&source.selected.sum(start, end));
        } else {
            left_out.push(source.name.clone());
        }
    }
    Comparison {
        earlier,
        window,
        totals: compared.then_some(then),
        current,
        left_out: if compared { left_out } else { Vec::new() },
    }
}

/// How far the known sales reach back, to tell whether an earlier window can be compared.
struct Coverage<'a> {
    history: &'a Days,
    selected: &'a Days,
    /// The earliest day with any known sale, in either scope, of any media type.
    first: Option<i32>,
}

impl Coverage<'_> {
    /// Whether the exports reach the whole window: they start no later than its first days and
    /// hold at least one sale inside it (a window with none at all is a gap between exports).
    fn covers(&self, window: &Window) -> bool {
        let (start, end) = (window.start.day_number(), window.end.day_number());
        let slack = MAX_SLACK_DAYS.min(window.days() / 4);
        self.first.is_some_and(|first| first <= start + slack)
            && (self.history.any_in(start, end) || self.selected.any_in(start, end))
    }
}

/// The months wholly inside a period: a run of month numbers, possibly empty.
struct FullMonths {
    first: i32,
    last: i32,
}

impl FullMonths {
    fn of(period: &Window) -> FullMonths {
        let first = period.first_month() + i32::from(!period.contains_month(period.first_month()));
        let last = period.last_month() - i32::from(!period.contains_month(period.last_month()));
        FullMonths { first, last }
    }

    fn count(&self) -> i32 {
        (self.last - self.first + 1).max(0)
    }
}

/// Selected sales per month number.
fn by_month(days: &Days) -> BTreeMap<i32, Totals> {
    let mut months: BTreeMap<i32, Totals> = BTreeMap::new();
    for (day, totals) in days.iter() {
        months
            .entry(Date::from_day_number(day).month_number())
            .or_default()
            .merge(totals);
    }
    months
}

/// The months of the period in order, empty ones filled in unless it spans more than
/// [`MAX_FILLED_MONTHS`].
fn months(period: &Window, totals: &BTreeMap<i32, Totals>) -> Vec<Month> {
    let (first, last) = (period.first_month(), period.last_month());
    let numbers: Vec<i32> = if last - first < MAX_FILLED_MONTHS {
        (first..=last).collect()
    } else {
        totals.keys().copied().collect()
    };
    numbers
        .into_iter()
        .map(|number| Month {
            start: Date::from_month_number(number),
            totals: totals.get(&number).cloned().unwrap_or_default(),
            full: period.contains_month(number),
        })
        .collect()
}

fn rank(period: &Window, full: &FullMonths, revenue: &dyn Fn(i32) -> i128) -> Ranking {
    if period.first_month() == period.last_month() {
        return Ranking::NotRanked;
    }
    if full.count() < 2 {
        return Ranking::TooFew;
    }
    let month = |number: i32| MonthRevenue {
        month: Date::from_month_number(number),
        revenue: revenue(number),
    };
    let mut best = month(full.first);
    let mut worst = best;
    for number in full.first + 1..=full.last {
        let candidate = month(number);
        // Strict comparisons keep the earliest month on a tie.
        if candidate.revenue > best.revenue {
            best = candidate;
        }
        if candidate.revenue < worst.revenue {
            worst = candidate;
        }
    }
    if best.revenue <= 0 {
        return Ranking::NoRevenue;
    }
    Ranking::Ranked {
        best,
        worst: (worst.revenue < best.revenue).then_some(worst),
    }
}

/// The estimate from the last [`ESTIMATE_MONTHS`] whole months up to the period's last one,
/// taking the months before the period from the history where the period holds fewer. `revenue`
/// is per month number in the main currency, history included.
fn estimate(
    period: &Window,
    full: &FullMonths,
    revenue: &dyn Fn(i32) -> i128,
    coverage: &Coverage<'_>,
) -> Estimate {
    if full.count() == 0 {
        return Estimate::NoFullMonth;
    }
    let last = full.last;
    let first = last - (ESTIMATE_MONTHS - 1);
    if first < full.first {
        let missing = Window::months(first, full.first - 1);
        if !coverage.covers(&missing) {
            return Estimate::TooFew {
                full: full.count(),
                missing,
            };
        }
    }
    let next = period.last_month() + 1;
    let recent = [revenue(last - 2), revenue(last - 1), revenue(last)];
    let recent_sum: i128 = recent.iter().sum();

    // With the same months a year earlier known, last year's next month scaled by this year's
    // change follows the season; otherwise the plain average of the last months.
    if coverage.covers(&Window::months(last - 14, next - 12)) {
        let base = revenue(next - 12);
        let bases = [revenue(last - 14), revenue(last - 13), revenue(last - 12)];
        let base_sum: i128 = bases.iter().sum();
        if base > 0 && base_sum > 0 && recent_sum > 0 {
            let ratio = recent_sum as f64 / base_sum as f64;
            let central = base as f64 * ratio;
            let (mut low, mut high) = (central, central);
            for (month, earlier) in recent.iter().zip(bases) {
                if earlier > 0 {
                    let guess = base as f64 * *month as f64 / earlier as f64;
                    low = low.min(guess);
                    high = high.max(guess);
                }
            }
            return Estimate::Made(rounded(
                next,
                central.round() as i128,
                low.round() as i128,
                high.round() as i128,
                Method::Seasonal {
                    base: Date::from_month_number(next - 12),
                    change: (ratio - 1.0) * 100.0,
                },
            ));
        }
    }
    let central = divide_rounded(recent_sum, i128::from(ESTIMATE_MONTHS));
    if central <= 0 {
        return Estimate::NotPositive;
    }
    let low = recent.iter().copied().min().unwrap_or(0);
    let high = recent.iter().copied().max().unwrap_or(0);
    Estimate::Made(rounded(
        next,
        central,
        low,
        high,
        Method::Average {
            first: Date::from_month_number(last - 2),
            last: Date::from_month_number(last),
        },
    ))
}

/// The guess for month number `month`, every figure rounded to the same power of ten: two
/// significant digits of the central figure, so $26.73 becomes $27 and $1,234 becomes $1,200.
fn rounded(month: i32, central: i128, low: i128, high: i128, method: Method) -> Guess {
    let unit = significant_unit(central);
    let round = |micros: i128| divide_rounded(micros, unit) * unit;
    Guess {
        month: Date::from_month_number(month),
        central: round(central),
        low: round(low.max(0)),
        high: round(high),
        method,
    }
}

/// The power of ten that keeps two significant digits of `micros` (1 for tiny amounts).
pub fn significant_unit(micros: i128) -> i128 {
    let mut unit: i128 = 1;
    while micros.abs() / unit >= 100 {
        unit *= 10;
    }
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_significant_digits() {
        let round = |micros: i128| {
            let unit = significant_unit(micros);
            divide_rounded(micros, unit) * unit
        };
        // $26.73 → $27, $1,234.56 → $1,200, $0.47 stays, $0.0347 → $0.035, $9.96 → $10.
        assert_eq!(round(26_730_000), 27_000_000);
        assert_eq!(round(1_234_560_000), 1_200_000_000);
        assert_eq!(round(470_000), 470_000);
        assert_eq!(round(34_700), 35_000);
        assert_eq!(round(9_960_000), 10_000_000);
        assert_eq!(round(42), 42);
    }

    #[test]
    fn changes_need_a_positive_base() {
        assert_eq!(change(150, 100), Some(50.0));
        assert_eq!(change(0, 100), Some(-100.0));
        assert_eq!(change(100, 0), None);
        assert_eq!(change(100, -5), None);
    }
}
