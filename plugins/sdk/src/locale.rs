//! The two report languages, and the words every report generator needs in sentences: month and
//! weekday names, amounts, counts with their Russian plural forms.
//!
//! Values in KPI cards, tables and charts stay typed ([`Value`](crate::Value)) and the host
//! formats them; these helpers are for numbers inside sentences (notes and highlights), which a
//! generator writes itself.

use crate::money::{DecimalStyle, format_micros};
use crate::types::Date;

/// A report's language.
///
/// ```
/// use stocklens_plugin_sdk::Locale;
/// assert_eq!(Locale::from_tag("ru-RU"), Locale::Ru);
/// assert_eq!(Locale::from_tag("de"), Locale::En);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English, the default.
    En,
    /// Russian.
    Ru,
}

const MONTHS_EN: [&str; 12] = [
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
];
const MONTHS_RU: [&str; 12] = [
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
];
/// Russian month names in the genitive, as a date in a sentence writes them ("3 июля 2025").
const MONTHS_RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_RU: [&str; 7] = [
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
];

impl Locale {
    /// "ru" (or "ru-RU", "ru_RU") is Russian; anything else English.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// assert_eq!(Locale::from_tag("ru_RU"), Locale::Ru);
    /// assert_eq!(Locale::from_tag(" RU "), Locale::Ru);
    /// assert_eq!(Locale::from_tag("en-GB"), Locale::En);
    /// assert_eq!(Locale::from_tag(""), Locale::En);
    /// ```
    pub fn from_tag(tag: &str) -> Locale {
        let language = tag.trim().split(['-', '_']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("ru") {
            Locale::Ru
        } else {
            Locale::En
        }
    }

    /// How decimals are written: `1,234.50` or `1 234,50`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Locale, format_micros};
    /// assert_eq!(format_micros(1_234_500_000, Locale::En.decimal_style()), "1,234.50");
    /// assert_eq!(format_micros(1_234_500_000, Locale::Ru.decimal_style()), "1\u{a0}234,50");
    /// ```
    pub fn decimal_style(self) -> DecimalStyle {
        match self {
            Locale::En => DecimalStyle::ENGLISH,
            Locale::Ru => DecimalStyle::RUSSIAN,
        }
    }

    /// The month's name as a heading would show it ("July", "июль"); "?" outside 1 to 12.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// assert_eq!(Locale::En.month_name(7), "July");
    /// assert_eq!(Locale::Ru.month_name(7), "июль");
    /// assert_eq!(Locale::En.month_name(13), "?");
    /// ```
    pub fn month_name(self, month: u8) -> &'static str {
        let names = match self {
            Locale::En => &MONTHS_EN,
            Locale::Ru => &MONTHS_RU,
        };
        names
            .get(usize::from(month).wrapping_sub(1))
            .copied()
            .unwrap_or("?")
    }

    /// "July 2025" / "июль 2025".
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Date, Locale};
    /// let date = Date::new(2025, 7, 14).unwrap();
    /// assert_eq!(Locale::Ru.month_label(date), "июль 2025");
    /// ```
    pub fn month_label(self, date: Date) -> String {
        format!("{} {}", self.month_name(date.month), date.year)
    }

    /// A day inside a sentence: "3 July 2025" / "3 июля 2025".
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Date, Locale};
    /// let date = Date::new(2025, 7, 3).unwrap();
    /// assert_eq!(Locale::En.date(date), "3 July 2025");
    /// assert_eq!(Locale::Ru.date(date), "3 июля 2025");
    /// ```
    pub fn date(self, date: Date) -> String {
        let month = match self {
            Locale::En => self.month_name(date.month),
            Locale::Ru => MONTHS_RU_GENITIVE
                .get(usize::from(date.month).wrapping_sub(1))
                .copied()
                .unwrap_or("?"),
        };
        format!("{} {month} {}", date.day, date.year)
    }

    /// Days from `first` to `last` in a sentence: "3 July 2025", "1–7 July 2025",
    /// "31 March – 30 June 2025", "30 December 2024 – 5 January 2025".
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Date, Locale};
    /// let day = |m, d| Date::new(2025, m, d).unwrap();
    /// assert_eq!(Locale::En.dates(day(7, 1), day(7, 7)), "1–7 July 2025");
    /// assert_eq!(Locale::Ru.dates(day(3, 31), day(6, 30)), "31 марта – 30 июня 2025");
    /// ```
    pub fn dates(self, first: Date, last: Date) -> String {
        if first == last {
            self.date(first)
        } else if (first.year, first.month) == (last.year, last.month) {
            format!("{}–{}", first.day, self.date(last))
        } else if first.year == last.year {
            let full = self.date(first);
            let without_year = full.trim_end_matches(char::is_numeric).trim_end();
            format!("{without_year} – {}", self.date(last))
        } else {
            format!("{} – {}", self.date(first), self.date(last))
        }
    }

    /// Months from `first` to `last` (any day of each) in a sentence: "April 2025",
    /// "April–June 2025", "November 2024 – January 2025" / "апрель–июнь 2025".
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Date, Locale};
    /// let day = |y, m, d| Date::new(y, m, d).unwrap();
    /// assert_eq!(Locale::En.months(day(2025, 4, 1), day(2025, 6, 30)), "April–June 2025");
    /// assert_eq!(Locale::Ru.months(day(2025, 4, 1), day(2025, 6, 30)), "апрель–июнь 2025");
    /// let winter = Locale::En.months(day(2024, 11, 5), day(2025, 1, 9));
    /// assert_eq!(winter, "November 2024 – January 2025");
    /// ```
    pub fn months(self, first: Date, last: Date) -> String {
        if (first.year, first.month) == (last.year, last.month) {
            self.month_label(first)
        } else if first.year == last.year {
            format!(
                "{}–{} {}",
                self.month_name(first.month),
                self.month_name(last.month),
                last.year
            )
        } else {
            format!("{} – {}", self.month_label(first), self.month_label(last))
        }
    }

    /// The marketplace a built-in parser reads, named by the parser's id (the `source` a report
    /// generator is fed); any other id is shown as it is.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// assert_eq!(Locale::En.marketplace("istock-getty"), "iStock / Getty Images");
    /// assert_eq!(Locale::Ru.marketplace("generic"), "Другие (общая таблица)");
    /// assert_eq!(Locale::En.marketplace("pond5"), "pond5");
    /// ```
    pub fn marketplace(self, source: &str) -> &str {
        match source {
            "adobe-stock" => "Adobe Stock",
            "istock-getty" => "iStock / Getty Images",
            "shutterstock" => "Shutterstock",
            "freepik" => "Freepik",
            "envato-market" => "Envato Market",
            "generic" => match self {
                Locale::En => "Other (generic table)",
                Locale::Ru => "Другие (общая таблица)",
            },
            other => other,
        }
    }

    /// The weekday's name, 0 for Monday to 6 for Sunday (see [`Date::weekday`]).
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Date, Locale};
    /// let monday = Date::new(2025, 7, 14).unwrap();
    /// assert_eq!(Locale::En.weekday_name(monday.weekday()), "Monday");
    /// assert_eq!(Locale::Ru.weekday_name(6), "воскресенье");
    /// assert_eq!(Locale::En.weekday_name(7), "?");
    /// ```
    pub fn weekday_name(self, weekday: u8) -> &'static str {
        let names = match self {
            Locale::En => &WEEKDAYS_EN,
            Locale::Ru => &WEEKDAYS_RU,
        };
        names.get(usize::from(weekday)).copied().unwrap_or("?")
    }

    /// An amount inside a sentence: "$1,234.50" in English, "1 234,50 USD" in Russian.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// assert_eq!(Locale::En.amount(-2_500_000, "EUR"), "-€2.50");
    /// assert_eq!(Locale::Ru.amount(1_234_500_000, "USD"), "1\u{a0}234,50\u{a0}USD");
    /// ```
    pub fn amount(self, micros: i128, currency: &str) -> String {
        match self {
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

    /// Amounts in several currencies joined: "$10.00 and €2.50", "10,00 USD и 2,50 EUR".
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// let parts = [(10_000_000, "USD"), (2_500_000, "EUR")];
    /// assert_eq!(Locale::En.amounts(&parts), "$10.00 and €2.50");
    /// assert_eq!(Locale::Ru.amounts(&parts), "10,00\u{a0}USD и 2,50\u{a0}EUR");
    /// ```
    pub fn amounts(self, parts: &[(i128, &str)]) -> String {
        let texts: Vec<String> = parts
            .iter()
            .map(|&(micros, currency)| self.amount(micros, currency))
            .collect();
        self.join(&texts)
    }

    /// Items joined as a sentence lists them: "a, b and c" / "a, b и c".
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// let items = ["a", "b", "c"].map(String::from);
    /// assert_eq!(Locale::En.join(&items), "a, b and c");
    /// assert_eq!(Locale::Ru.join(&items), "a, b и c");
    /// assert_eq!(Locale::En.join(&items[..1]), "a");
    /// assert_eq!(Locale::En.join(&[]), "");
    /// ```
    pub fn join(self, items: &[String]) -> String {
        let and = match self {
            Locale::En => " and ",
            Locale::Ru => " и ",
        };
        match items.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
        }
    }

    /// A percentage inside a sentence, with `decimals` decimals: "12.5%" / "12,5 %".
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// assert_eq!(Locale::En.percent(12.345, 1), "12.3%");
    /// assert_eq!(Locale::Ru.percent(12.345, 1), "12,3\u{a0}%");
    /// ```
    pub fn percent(self, value: f64, decimals: usize) -> String {
        let number = format!("{value:.decimals$}");
        match self {
            Locale::En => format!("{number}%"),
            Locale::Ru => format!("{}\u{a0}%", number.replace('.', ",")),
        }
    }

    /// A whole number inside a sentence, grouped: "12,345" / "12 345".
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// assert_eq!(Locale::En.integer(12_345), "12,345");
    /// assert_eq!(Locale::Ru.integer(12_345), "12\u{a0}345");
    /// assert_eq!(Locale::En.integer(-1_234_567), "-1,234,567");
    /// ```
    pub fn integer(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let group = match self {
            Locale::En => ',',
            Locale::Ru => '\u{a0}',
        };
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(digit);
        }
        out
    }

    /// A count with its noun: `counted(3, ("sale", "sales"), ("продажа", "продажи", "продаж"))`
    /// is "3 sales" or "3 продажи".
    ///
    /// ```
    /// use stocklens_plugin_sdk::Locale;
    /// let sales = |locale: Locale, n| {
    ///     locale.counted(n, ("sale", "sales"), ("продажа", "продажи", "продаж"))
    /// };
    /// assert_eq!(sales(Locale::En, 1), "1 sale");
    /// assert_eq!(sales(Locale::En, 3), "3 sales");
    /// assert_eq!(sales(Locale::Ru, 3), "3 продажи");
    /// assert_eq!(sales(Locale::Ru, 1000), "1\u{a0}000 продаж");
    /// ```
    pub fn counted(self, n: i64, en: (&str, &str), ru: (&str, &str, &str)) -> String {
        let noun = match self {
            Locale::En if n == 1 => en.0,
            Locale::En => en.1,
            Locale::Ru => plural_ru(n, ru.0, ru.1, ru.2),
        };
        format!("{} {noun}", self.integer(n))
    }
}

/// Longest name of an asset inside a sentence, in characters: titles can be whole paragraphs.
///
/// ```
/// use stocklens_plugin_sdk::{MAX_NAME_CHARS, short_name};
/// let fits = "x".repeat(MAX_NAME_CHARS);
/// assert_eq!(short_name(&fits), fits);
/// assert_eq!(short_name(&format!("{fits}y")), format!("{fits}…"));
/// ```
pub const MAX_NAME_CHARS: usize = 60;

/// An asset's name for a sentence, cut to [`MAX_NAME_CHARS`] characters with an ellipsis.
///
/// ```
/// use stocklens_plugin_sdk::short_name;
/// assert_eq!(short_name("Lemons"), "Lemons");
/// assert_eq!(short_name(&"word ".repeat(20)).chars().count(), 60);
/// ```
pub fn short_name(name: &str) -> String {
    match name.char_indices().nth(MAX_NAME_CHARS) {
        None => name.to_owned(),
        Some((cut, _)) => format!("{}…", name[..cut].trim_end()),
    }
}

/// A label with its currency where several currencies need telling apart ("Revenue, EUR"),
/// the label alone otherwise.
///
/// ```
/// use stocklens_plugin_sdk::{Currencies, with_currency};
/// let mut currencies = Currencies::default();
/// currencies.id("USD");
/// assert_eq!(with_currency("Revenue", "USD", currencies.len() > 1), "Revenue");
/// currencies.id("EUR");
/// assert_eq!(with_currency("Revenue", "EUR", currencies.len() > 1), "Revenue, EUR");
/// ```
pub fn with_currency(label: &str, currency: &str, several: bool) -> String {
    if several {
        format!("{label}, {currency}")
    } else {
        label.to_owned()
    }
}

/// The Russian plural form for `n`: `one` for 1, 21..., `few` for 2–4, 22–24..., `many` otherwise.
///
/// ```
/// use stocklens_plugin_sdk::plural_ru;
/// let form = |n| plural_ru(n, "продажа", "продажи", "продаж");
/// assert_eq!([form(1), form(3), form(11), form(22), form(25)],
///            ["продажа", "продажи", "продаж", "продажи", "продаж"]);
/// ```
pub fn plural_ru<'a>(n: i64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let n = n.unsigned_abs();
    match (n % 10, n % 100) {
        (1, rem) if rem != 11 => one,
        (2..=4, rem) if !(12..=14).contains(&rem) => few,
        _ => many,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_sentences_follow_the_language() {
        assert_eq!(Locale::En.integer(1_234_567), "1,234,567");
        assert_eq!(Locale::Ru.integer(-1_234), "-1\u{a0}234");
        assert_eq!(Locale::En.integer(999), "999");
        assert_eq!(
            Locale::Ru.counted(21, ("sale", "sales"), ("продажа", "продажи", "продаж")),
            "21 продажа"
        );
        assert_eq!(
            Locale::En.counted(1, ("sale", "sales"), ("продажа", "продажи", "продаж")),
            "1 sale"
        );
        assert_eq!(Locale::En.amount(3_500, "JPY"), "0.0035 JPY");
        assert_eq!(
            Locale::En.amounts(&[(10_000_000, "USD"), (2_500_000, "EUR")]),
            "$10.00 and €2.50"
        );
    }

    #[test]
    fn spans_of_dates_and_months_read_naturally() {
        let day = |y, m, d| Date {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            Locale::En.dates(day(2024, 12, 30), day(2025, 1, 5)),
            "30 December 2024 – 5 January 2025"
        );
        assert_eq!(
            Locale::Ru.dates(day(2025, 7, 1), day(2025, 7, 7)),
            "1–7 июля 2025"
        );
        assert_eq!(
            Locale::En.months(day(2024, 11, 1), day(2025, 1, 31)),
            "November 2024 – January 2025"
        );
        assert_eq!(
            Locale::Ru.months(day(2025, 4, 1), day(2025, 6, 30)),
            "апрель–июнь 2025"
        );
        assert_eq!(
            Locale::En.months(day(2025, 4, 1), day(2025, 4, 30)),
            "April 2025"
        );
        assert_eq!(with_currency("Revenue", "EUR", true), "Revenue, EUR");
        assert_eq!(with_currency("Revenue", "EUR", false), "Revenue");
    }

    #[test]
    fn names_cover_the_calendar() {
        assert_eq!(Locale::En.month_name(1), "January");
        assert_eq!(Locale::Ru.month_name(12), "декабрь");
        assert_eq!(Locale::En.month_name(13), "?");
        assert_eq!(Locale::En.month_name(0), "?");
        assert_eq!(Locale::Ru.weekday_name(6), "воскресенье");
        assert_eq!(Locale::En.weekday_name(7), "?");
    }
}
