//! The selected period as the indicators need it: its first and last day, its length in days,
//! weeks and months, and calendar arithmetic in months ("3 months before").
//!
//! The period is what the contributor selected where the filters bound it, and the span of the
//! selected sales where they do not. It never looks at `today` beyond closing a period that was
//! only given a start.

use stocklens_plugin_sdk::{Date, Filters, days_in_month};

/// Days in an average Gregorian month, for periods that are not whole months.
pub const DAYS_PER_MONTH: f64 = 365.2425 / 12.0;

/// The selected period, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day included.
    pub start: Date,
    /// Last day included.
    pub end: Date,
}

impl Period {
    /// The period of the filters, completed by the selected sales (`first`, `last`) where the
    /// filters leave it open; `None` when neither tells where it starts. A period given only a
    /// start runs to the last sale, or to `today` if there is none.
    pub fn of(
        filters: &Filters,
        first: Option<Date>,
        last: Option<Date>,
        today: Date,
    ) -> Option<Period> {
        let start = filters.from.or(first)?;
        let end = filters.to.or(last).unwrap_or(today.max(start));
        Some(Period {
            start: start.min(end),
            end: start.max(end),
        })
    }

    /// Days in the period, both ends included.
    pub fn days(&self) -> i32 {
        self.end.day_number() - self.start.day_number() + 1
    }

    /// Calendar months the period touches: July 1 to September 30 is 3, as is July 15 to
    /// September 2.
    pub fn months_touched(&self) -> i32 {
        self.end.month_number() - self.start.month_number() + 1
    }

    /// Whether the period starts on a month's first day and ends on a month's last day, as every
    /// period the bot and the command line offer does.
    pub fn is_whole_months(&self) -> bool {
        self.start.day == 1 && self.end.day == days_in_month(self.end.year, self.end.month)
    }

    /// Length in weeks, with a fraction: July to September 2025 (92 days) is 13.14 weeks.
    pub fn weeks(&self) -> f64 {
        f64::from(self.days()) / 7.0
    }

    /// Length in months: whole months counted as such, any other period in average months.
    pub fn months(&self) -> f64 {
        if self.is_whole_months() {
            f64::from(self.months_touched())
        } else {
            f64::from(self.days()) / DAYS_PER_MONTH
        }
    }
}

/// Whole months from `earlier` to `later` (zero if `later` is not after it): from March 15 to
/// July 14 is 3, to July 15 is 4.
pub fn whole_months_between(earlier: Date, later: Date) -> i32 {
    if later <= earlier {
        return 0;
    }
    let mut months = later.month_number() - earlier.month_number();
    if later.add_months(-months) < earlier {
        months -= 1;
    }
    months.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::testing::day;

    fn period(start: &str, end: &str) -> Period {
        Period {
            start: day(start),
            end: day(end),
        }
    }

    #[test]
    fn a_quarter_is_three_whole_months_and_about_thirteen_weeks() {
        let summer = period("2025-07-01", "2025-09-30");
        assert_eq!(summer.days(), 92);
        assert!(summer.is_whole_months());
        assert_eq!(summer.months(), 3.0);
        // 92 / 7 = 13.142857...
        assert!((summer.weeks() - 13.142_857).abs() < 1e-6);
        let winter = period("2025-01-01", "2025-03-31");
        // 31 + 28 + 31 = 90 days = 12.857 weeks.
        assert!((winter.weeks() - 12.857_142).abs() < 1e-6);
    }

    #[test]
    fn a_period_cut_mid_month_counts_average_months() {
        let part = period("2025-07-15", "2025-09-02");
        assert!(!part.is_whole_months());
        assert_eq!(part.months_touched(), 3);
        // 17 + 31 + 2 = 50 days.
        assert!((part.months() - 50.0 / DAYS_PER_MONTH).abs() < 1e-9);
    }

    #[test]
    fn open_filters_take_the_span_of_the_sales() {
        let filters = Filters::default();
        let found = Period::of(
            &filters,
            Some(day("2025-07-03")),
            Some(day("2025-08-20")),
            day("2025-10-01"),
        );
        assert_eq!(found, Some(period("2025-07-03", "2025-08-20")));
        assert_eq!(Period::of(&filters, None, None, day("2025-10-01")), None);
        let from_only = Filters {
            from: Some(day("2025-09-01")),
            ..Filters::default()
        };
        assert_eq!(
            Period::of(&from_only, None, None, day("2025-09-10")),
            Some(period("2025-09-01", "2025-09-10"))
        );
    }
}
