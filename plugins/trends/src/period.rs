//! Calendar windows: the selected period, the earlier periods it is compared with, and which
//! months lie wholly inside a period.
//!
//! Pure calendar arithmetic on [`Date`]s, with no sales and no texts. A period made of whole
//! months is compared month for month (July–September against April–June), any other period day
//! for day, so a quarter is never compared with 92 days that start on 31 March.

use stocklens_plugin_sdk::{Date, Filters, days_in_month};

/// A run of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day included.
    pub start: Date,
    /// Last day included; never before `start`.
    pub end: Date,
}

impl Window {
    /// The window from the first to the last day of month number `first` to `last` (see
    /// [`Date::month_number`]).
    pub fn months(first: i32, last: i32) -> Window {
        Window {
            start: Date::from_month_number(first),
            end: month_end(last),
        }
    }

    /// The selected period: the request's dates where given, else the first to the last selected
    /// sale (`first`, `last`). It is widened to take in every selected sale, ends at the end of
    /// the last sale's month when sales are `monthly` (dated by month only), and ends no later
    /// than `today` while it is still running, so a month in progress is not compared with whole
    /// ones.
    pub fn selected(
        filters: &Filters,
        today: Date,
        first: Date,
        last: Date,
        monthly: bool,
    ) -> Window {
        let data_end = if monthly {
            month_end(last.month_number())
        } else {
            last
        };
        let valid = |date: &Date| date.is_valid();
        let start = filters
            .from
            .filter(valid)
            .map_or(first, |from| from.min(first));
        let mut end = filters.to.filter(valid).map_or(data_end, |to| to.max(last));
        if today.is_valid() {
            end = end.min(today.max(last));
        }
        Window {
            start,
            end: end.max(start),
        }
    }

    /// How many days it spans.
    pub fn days(&self) -> i32 {
        self.end.day_number() - self.start.day_number() + 1
    }

    /// Month number of the first day.
    pub fn first_month(&self) -> i32 {
        self.start.month_number()
    }

    /// Month number of the last day.
    pub fn last_month(&self) -> i32 {
        self.end.month_number()
    }

    /// Whether it starts on the 1st of a month and ends on the last day of one.
    pub fn is_whole_months(&self) -> bool {
        self.start.day == 1 && self.end.day == days_in_month(self.end.year, self.end.month)
    }

    /// The window of the same length just before it: as many whole months for a period of whole
    /// months, as many days otherwise.
    pub fn previous(&self) -> Window {
        if self.is_whole_months() {
            let months = self.last_month() - self.first_month() + 1;
            Window::months(self.first_month() - months, self.first_month() - 1)
        } else {
            Window {
                start: self.start.add_days(-self.days()),
                end: self.start.add_days(-1),
            }
        }
    }

    /// The same window one year earlier (29 February becomes the 28th).
    pub fn year_earlier(&self) -> Window {
        if self.is_whole_months() {
            Window::months(self.first_month() - 12, self.last_month() - 12)
        } else {
            Window {
                start: self.start.add_months(-12),
                end: self.end.add_months(-12),
            }
        }
    }

    /// Whether month number `month` lies wholly inside.
    pub fn contains_month(&self, month: i32) -> bool {
        self.start <= Date::from_month_number(month) && month_end(month) <= self.end
    }
}

/// The last day of month number `month`.
pub fn month_end(month: i32) -> Date {
    Date::from_month_number(month).month_end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::testing::day;

    fn window(start: &str, end: &str) -> Window {
        Window {
            start: day(start),
            end: day(end),
        }
    }

    #[test]
    fn a_quarter_is_compared_with_the_quarter_before() {
        let quarter = window("2025-07-01", "2025-09-30");
        assert!(quarter.is_whole_months());
        assert_eq!(quarter.previous(), window("2025-04-01", "2025-06-30"));
        assert_eq!(quarter.year_earlier(), window("2024-07-01", "2024-09-30"));
        let january = window("2025-01-01", "2025-01-31");
        assert_eq!(january.previous(), window("2024-12-01", "2024-12-31"));
    }

    #[test]
    fn other_periods_are_compared_day_for_day() {
        // 15 April to 14 May is 30 days; the 30 days before run from 16 March to 14 April.
        let period = window("2025-04-15", "2025-05-14");
        assert!(!period.is_whole_months());
        assert_eq!(period.days(), 30);
        assert_eq!(period.previous(), window("2025-03-16", "2025-04-14"));
        let leap = window("2024-02-29", "2024-03-06");
        assert_eq!(leap.year_earlier(), window("2023-02-28", "2023-03-06"));
    }

    #[test]
    fn the_selection_takes_in_its_sales_and_stops_today() {
        let (first, last) = (day("2025-07-03"), day("2025-09-20"));
        let today = day("2025-10-01");
        let none = Filters::default();
        assert_eq!(
            Window::selected(&none, today, first, last, false),
            window("2025-07-03", "2025-09-20")
        );
        assert_eq!(
            Window::selected(&none, today, first, last, true),
            window("2025-07-03", "2025-09-30")
        );
        let running = Filters {
            from: Some(day("2025-07-01")),
            to: Some(day("2025-12-31")),
            media: None,
        };
        assert_eq!(
            Window::selected(&running, today, first, last, false),
            window("2025-07-01", "2025-10-01")
        );
        let backwards = Filters {
            from: Some(day("2025-09-01")),
            to: Some(day("2025-08-01")),
            media: None,
        };
        assert_eq!(
            Window::selected(&backwards, today, first, last, false),
            window("2025-07-03", "2025-09-20")
        );
    }

    #[test]
    fn months_lie_inside_or_not() {
        let period = window("2025-04-15", "2025-07-31");
        let month = |iso: &str| day(iso).month_number();
        assert!(!period.contains_month(month("2025-04-01")));
        assert!(period.contains_month(month("2025-05-01")));
        assert!(period.contains_month(month("2025-07-01")));
        assert_eq!(month_end(month("2024-02-01")), day("2024-02-29"));
    }
}
