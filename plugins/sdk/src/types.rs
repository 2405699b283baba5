//! Plain Rust mirrors of the WIT `types` interface: the vocabulary every plugin kind speaks.
//!
//! These types compile natively and on wasm32 alike, so plugin code and its tests never touch the
//! generated bindings. Field for field they match the WIT records, which keeps the conversion at
//! the component boundary a move of each field (strings are never copied). They do no validation
//! of their own: the host checks what a plugin returns.

use crate::date::days_in_month;

/// A calendar date in the marketplace's reporting calendar.
///
/// ```
/// use stocklens_plugin_sdk::Date;
/// assert!(Date::new(2024, 2, 29).is_some());
/// assert!(Date::new(2025, 2, 29).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Four-digit year, e.g. 2025.
    pub year: u16,
    /// Month of the year, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// A date, if `month` and `day` exist in `year`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// assert_eq!(Date::new(2025, 7, 31), Some(Date { year: 2025, month: 7, day: 31 }));
    /// assert_eq!(Date::new(2025, 4, 31), None);
    /// assert_eq!(Date::new(2025, 0, 1), None);
    /// ```
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let date = Date { year, month, day };
        date.is_valid().then_some(date)
    }

    /// Whether the month is 1 to 12 and the day exists in that month.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// assert!(Date { year: 2024, month: 2, day: 29 }.is_valid());
    /// assert!(!Date { year: 2025, month: 2, day: 29 }.is_valid());
    /// ```
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }

    /// Days since 1970-01-01 (negative before it): dates become numbers that subtract and
    /// order, for weeks, gaps and "90 days before". The date must be valid.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// let day = |y, m, d| Date::new(y, m, d).unwrap();
    /// assert_eq!(day(1970, 1, 1).day_number(), 0);
    /// assert_eq!(day(2025, 3, 1).day_number() - day(2025, 2, 28).day_number(), 1);
    /// assert_eq!(Date::from_day_number(day(2024, 2, 29).day_number()), day(2024, 2, 29));
    /// ```
    pub fn day_number(&self) -> i32 {
        // Howard Hinnant's days_from_civil, in a proleptic Gregorian calendar.
        let month = i32::from(self.month);
        let year = i32::from(self.year) - i32::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i32::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01: the inverse of [`Date::day_number`]. Years are
    /// clamped to 0..=65535, far outside any sale.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// assert_eq!(Date::from_day_number(0), Date { year: 1970, month: 1, day: 1 });
    /// assert_eq!(Date::from_day_number(-1), Date { year: 1969, month: 12, day: 31 });
    /// let today = Date { year: 2025, month: 10, day: 1 };
    /// let ninety_days_before = Date::from_day_number(today.day_number() - 90);
    /// assert_eq!(ninety_days_before, Date { year: 2025, month: 7, day: 3 });
    /// ```
    pub fn from_day_number(days: i32) -> Date {
        let days = days + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i32::from(month <= 2);
        Date {
            year: year.clamp(0, i32::from(u16::MAX)) as u16,
            month: month as u8,
            day: day as u8,
        }
    }

    /// The date `days` later (earlier when negative).
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// let day = |y, m, d| Date::new(y, m, d).unwrap();
    /// assert_eq!(day(2025, 12, 31).add_days(1), day(2026, 1, 1));
    /// assert_eq!(day(2024, 3, 1).add_days(-1), day(2024, 2, 29));
    /// ```
    pub fn add_days(&self, days: i32) -> Date {
        Date::from_day_number(self.day_number() + days)
    }

    /// Day of the week, 0 for Monday to 6 for Sunday.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// assert_eq!(Date::new(2025, 7, 14).unwrap().weekday(), 0); // a Monday
    /// assert_eq!(Date::new(1970, 1, 1).unwrap().weekday(), 3); // a Thursday
    /// ```
    pub fn weekday(&self) -> u8 {
        // 1970-01-01 was a Thursday.
        (self.day_number() + 3).rem_euclid(7) as u8
    }

    /// The Monday that starts this date's week (ISO weeks).
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// let day = |y, m, d| Date::new(y, m, d).unwrap();
    /// assert_eq!(day(2026, 11, 27).week_start(), day(2026, 11, 23)); // Friday to Monday
    /// assert_eq!(day(2026, 1, 1).week_start(), day(2025, 12, 29));
    /// assert_eq!(day(2025, 7, 14).week_start(), day(2025, 7, 14)); // a Monday already
    /// ```
    pub fn week_start(&self) -> Date {
        self.add_days(-i32::from(self.weekday()))
    }

    /// Months since the start of year 0: consecutive months are consecutive numbers.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// let day = |y, m, d| Date::new(y, m, d).unwrap();
    /// assert_eq!(day(2026, 1, 5).month_number() - day(2025, 12, 31).month_number(), 1);
    /// assert_eq!(day(2025, 7, 14).month_number(), 2025 * 12 + 6);
    /// ```
    pub fn month_number(&self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }

    /// The first day of month number `months` (see [`Date::month_number`]).
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// let july = Date::new(2025, 7, 31).unwrap();
    /// assert_eq!(Date::from_month_number(july.month_number() + 6), Date::new(2026, 1, 1).unwrap());
    /// ```
    pub fn from_month_number(months: i32) -> Date {
        let months = months.clamp(0, i32::from(u16::MAX) * 12 + 11);
        Date {
            year: (months / 12) as u16,
            month: (months % 12 + 1) as u8,
            day: 1,
        }
    }

    /// The first day of this date's month.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// let date = Date::new(2025, 7, 14).unwrap();
    /// assert_eq!(date.month_start(), Date { year: 2025, month: 7, day: 1 });
    /// ```
    pub fn month_start(&self) -> Date {
        Date { day: 1, ..*self }
    }

    /// The last day of this date's month.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// assert_eq!(Date::new(2024, 2, 10).map(|d| d.month_end().day), Some(29));
    /// assert_eq!(Date::new(2025, 2, 10).map(|d| d.month_end().day), Some(28));
    /// ```
    pub fn month_end(&self) -> Date {
        Date {
            day: days_in_month(self.year, self.month),
            ..*self
        }
    }

    /// The same day `months` months later (earlier when negative), moved back to the month's
    /// last day where it has fewer days: a month after January 31 is February 28 (or 29), a
    /// year before 2024-02-29 is 2023-02-28.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Date;
    /// let may_31 = Date::new(2025, 5, 31).unwrap();
    /// assert_eq!(may_31.add_months(-3), Date::new(2025, 2, 28).unwrap());
    /// assert_eq!(may_31.add_months(12), Date::new(2026, 5, 31).unwrap());
    /// ```
    pub fn add_months(&self, months: i32) -> Date {
        let first = Date::from_month_number(self.month_number() + months);
        Date {
            day: self.day.min(days_in_month(first.year, first.month)),
            ..first
        }
    }
}

/// A time of day, where the export gives one.
///
/// ```
/// use stocklens_plugin_sdk::{DateOrder, Time, parse_date_time};
/// let (_, time) = parse_date_time("07/31/2025 11:08 PM", DateOrder::MonthFirst).unwrap();
/// assert_eq!(time, Some(Time { hour: 23, minute: 8, second: 0, utc_offset_minutes: None }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 59 (60 only for a leap second).
    pub second: u8,
    /// Offset from UTC in minutes (`+03:00` is 180), when the export states it.
    pub utc_offset_minutes: Option<i16>,
}

/// What kind of work was sold.
///
/// ```
/// use stocklens_plugin_sdk::{Filters, MediaType};
/// let videos = Filters { media: Some(MediaType::Video), ..Filters::default() };
/// let selected = |media: MediaType| videos.media.is_none_or(|wanted| wanted == media);
/// assert!(selected(MediaType::from_label("footage").unwrap_or(MediaType::Other)));
/// assert!(!selected(MediaType::Photo));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaType {
    /// A photograph.
    Photo,
    /// A raster illustration.
    Illustration,
    /// A vector graphic.
    Vector,
    /// Footage.
    Video,
    /// Music or sound effects.
    Audio,
    /// A design template.
    Template,
    /// Anything else, or unknown.
    Other,
}

impl MediaType {
    /// Every media type, in the WIT's order.
    ///
    /// ```
    /// use stocklens_plugin_sdk::MediaType;
    /// // A sum per media type, in an array rather than a map.
    /// let mut units = [0i64; MediaType::ALL.len()];
    /// units[MediaType::Video.index()] += 3;
    /// let sold: Vec<MediaType> =
    ///     MediaType::ALL.into_iter().filter(|m| units[m.index()] > 0).collect();
    /// assert_eq!(sold, [MediaType::Video]);
    /// ```
    pub const ALL: [MediaType; 7] = [
        MediaType::Photo,
        MediaType::Illustration,
        MediaType::Vector,
        MediaType::Video,
        MediaType::Audio,
        MediaType::Template,
        MediaType::Other,
    ];

    /// Position in [`MediaType::ALL`], handy for per-type arrays.
    ///
    /// ```
    /// use stocklens_plugin_sdk::MediaType;
    /// assert_eq!(MediaType::Photo.index(), 0);
    /// assert!(MediaType::ALL.iter().enumerate().all(|(i, media)| media.index() == i));
    /// ```
    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a common English label, singular or plural, in any case: "photos", "Video",
    /// "vectors", "illustrations", "templates", "audio", "footage", "image"...
    ///
    /// ```
    /// use stocklens_plugin_sdk::MediaType;
    /// assert_eq!(MediaType::from_label(" Photos "), Some(MediaType::Photo));
    /// assert_eq!(MediaType::from_label("3D"), None);
    /// ```
    pub fn from_label(label: &str) -> Option<MediaType> {
        const LABELS: [(&str, MediaType); 22] = [
            ("photos", MediaType::Photo),
            ("photo", MediaType::Photo),
            ("image", MediaType::Photo),
            ("images", MediaType::Photo),
            ("illustrations", MediaType::Illustration),
            ("illustration", MediaType::Illustration),
            ("vectors", MediaType::Vector),
            ("vector", MediaType::Vector),
            ("videos", MediaType::Video),
            ("video", MediaType::Video),
            ("footage", MediaType::Video),
            ("footages", MediaType::Video),
            ("clip", MediaType::Video),
            ("clips", MediaType::Video),
            ("audio", MediaType::Audio),
            ("music", MediaType::Audio),
            ("sound", MediaType::Audio),
            ("sounds", MediaType::Audio),
            ("templates", MediaType::Template),
            ("template", MediaType::Template),
            ("other", MediaType::Other),
            ("others", MediaType::Other),
        ];
        // Exports write one spelling per type: catch the usual ones before the case-blind scan.
        match label {
            "photos" => return Some(MediaType::Photo),
            "videos" => return Some(MediaType::Video),
            "vectors" => return Some(MediaType::Vector),
            "illustrations" => return Some(MediaType::Illustration),
            _ => {}
        }
        let label = label.trim();
        LABELS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(label))
            .map(|&(_, media)| media)
    }
}

/// An amount of money: `micros` millionths of the currency's main unit, never a float.
///
/// ```
/// use stocklens_plugin_sdk::Money;
/// let royalty = Money { micros: 990_000, currency: "USD".to_string() }; // $0.99
/// assert_eq!(royalty.micros, 990_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    /// Signed: refunds and reversals are negative.
    pub micros: i64,
    /// ISO 4217 code in upper case, e.g. "USD", "EUR".
    pub currency: String,
}

/// One normalized sale: the unit every plugin speaks.
///
/// ```
/// use stocklens_plugin_sdk::*;
/// let amount = parse_money("$0.99")?;
/// let sale = Sale {
///     date: parse_date("14.07.2025", DateOrder::DayFirst)?,
///     time: None,
///     asset_id: "612004581".into(),
///     title: Some("Lemons on a blue table".into()),
///     file_name: None,
///     media: MediaType::from_label("Photos").unwrap_or(MediaType::Other),
///     license: Some("Standard".into()),
///     units: 1,
///     earnings: Money {
///         micros: amount.micros,
///         currency: amount.currency.map_or("USD".into(), |c| c.to_string()),
///     },
///     country: None,
/// };
/// assert_eq!(sale.earnings, Money { micros: 990_000, currency: "USD".into() });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    /// When the sale happened (or, for monthly reports, the first day of the month).
    pub date: Date,
    /// Time of day, where known.
    pub time: Option<Time>,
    /// The marketplace's id of the asset (never empty).
    pub asset_id: String,
    /// The asset's title or description, where the export gives it.
    pub title: Option<String>,
    /// The contributor's original file name, where known.
    pub file_name: Option<String>,
    /// What kind of work it is.
    pub media: MediaType,
    /// License or product type as the marketplace names it, where known.
    pub license: Option<String>,
    /// Sales or downloads this row stands for; negative for a reversal.
    pub units: i32,
    /// What the contributor earned from this row.
    pub earnings: Money,
    /// Buyer's country or sales territory as the export writes it, where known.
    pub country: Option<String>,
}

/// A sale as a report generator receives it: the same fields as [`Sale`], its strings borrowed
/// from the batch that carried it. A million sales thus reach each generator without a single
/// string allocation; a generator copies only what it keeps (an asset's title the first time the
/// asset is seen, say).
///
/// ```
/// use stocklens_plugin_sdk::testing::sale;
/// let owned = sale("2025-07-14", "A1", 1, 990_000, "USD");
/// let borrowed = owned.as_ref();
/// assert_eq!((borrowed.asset_id, borrowed.currency), ("A1", "USD"));
/// assert_eq!(borrowed.to_sale(), owned);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleRef<'a> {
    /// See [`Sale::date`].
    pub date: Date,
    /// See [`Sale::time`].
    pub time: Option<Time>,
    /// See [`Sale::asset_id`].
    pub asset_id: &'a str,
    /// See [`Sale::title`].
    pub title: Option<&'a str>,
    /// See [`Sale::file_name`].
    pub file_name: Option<&'a str>,
    /// See [`Sale::media`].
    pub media: MediaType,
    /// See [`Sale::license`].
    pub license: Option<&'a str>,
    /// See [`Sale::units`].
    pub units: i32,
    /// The earnings in millionths of `currency` (see [`Money::micros`]).
    pub micros: i64,
    /// The earnings' ISO 4217 code (see [`Money::currency`]).
    pub currency: &'a str,
    /// See [`Sale::country`].
    pub country: Option<&'a str>,
}

impl SaleRef<'_> {
    /// An owned copy.
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::{borrowed, sale};
    /// use stocklens_plugin_sdk::Sale;
    /// let sales = vec![
    ///     sale("2025-07-14", "A1", 1, 990_000, "USD"),
    ///     sale("2025-07-15", "A2", 3, 2_970_000, "USD"),
    /// ];
    /// // A generator keeps an owned copy of only the sale it needs once the batch is gone.
    /// let best: Option<Sale> =
    ///     borrowed(&sales).iter().max_by_key(|s| s.micros).map(|s| s.to_sale());
    /// assert_eq!(best.as_ref(), sales.get(1));
    /// ```
    pub fn to_sale(&self) -> Sale {
        Sale {
            date: self.date,
            time: self.time,
            asset_id: self.asset_id.to_owned(),
            title: self.title.map(str::to_owned),
            file_name: self.file_name.map(str::to_owned),
            media: self.media,
            license: self.license.map(str::to_owned),
            units: self.units,
            earnings: Money {
                micros: self.micros,
                currency: self.currency.to_owned(),
            },
            country: self.country.map(str::to_owned),
        }
    }
}

impl Sale {
    /// The sale as a report generator receives it, borrowing its strings.
    ///
    /// ```
    /// use stocklens_plugin_sdk::testing::sale;
    /// let owned = sale("2025-07-14", "A1", 2, 1_980_000, "USD");
    /// let borrowed = owned.as_ref();
    /// assert_eq!((borrowed.title, borrowed.micros), (Some("Asset A1"), 1_980_000));
    /// ```
    pub fn as_ref(&self) -> SaleRef<'_> {
        SaleRef {
            date: self.date,
            time: self.time,
            asset_id: &self.asset_id,
            title: self.title.as_deref(),
            file_name: self.file_name.as_deref(),
            media: self.media,
            license: self.license.as_deref(),
            units: self.units,
            micros: self.earnings.micros,
            currency: &self.earnings.currency,
            country: self.country.as_deref(),
        }
    }
}

/// Longest asset id the host accepts, in bytes: real marketplaces use a few dozen characters, so
/// a longer one means a broken row (a cell that swallowed its neighbours).
///
/// ```
/// use stocklens_plugin_sdk::MAX_ASSET_ID_BYTES;
/// use stocklens_plugin_sdk::testing::sale;
/// let mut longest = sale("2025-07-14", &"9".repeat(MAX_ASSET_ID_BYTES), 1, 990_000, "USD");
/// assert_eq!(longest.fit(), Ok(()));
/// longest.asset_id.push('9');
/// assert!(longest.fit().is_err());
/// ```
pub const MAX_ASSET_ID_BYTES: usize = 256;

/// Largest earnings of one sale the host accepts, either sign, in micros: a billion units of
/// its currency. The dearest stock licence stays far below it even in currencies with tens of
/// thousands of units to the dollar, so only a misread cell (a date, an id or a total taken for
/// the amount) goes past it.
///
/// ```
/// use stocklens_plugin_sdk::MAX_SALE_MICROS;
/// use stocklens_plugin_sdk::testing::sale;
/// let mut dearest = sale("2025-07-14", "A1", 1, MAX_SALE_MICROS, "VND");
/// assert_eq!(dearest.fit(), Ok(()));
/// dearest.earnings.micros += 1;
/// assert!(dearest.fit().is_err());
/// ```
pub const MAX_SALE_MICROS: i64 = 1_000_000_000 * 1_000_000;

/// Most units one sale may stand for, either sign: a row is one sale, or one asset's downloads
/// over a period, never a million.
///
/// ```
/// use stocklens_plugin_sdk::MAX_SALE_UNITS;
/// use stocklens_plugin_sdk::testing::sale;
/// assert_eq!(sale("2025-07-14", "A1", MAX_SALE_UNITS, 0, "USD").fit(), Ok(()));
/// assert!(sale("2025-07-14", "A1", -MAX_SALE_UNITS - 1, 0, "USD").fit().is_err());
/// ```
pub const MAX_SALE_UNITS: i32 = 1_000_000;

/// Longest title, file name, license or country the host accepts, in bytes.
///
/// ```
/// use stocklens_plugin_sdk::MAX_TEXT_BYTES;
/// use stocklens_plugin_sdk::testing::sale;
/// let mut long = sale("2025-07-14", "A1", 1, 990_000, "USD");
/// long.country = Some("x".repeat(MAX_TEXT_BYTES + 10));
/// assert_eq!(long.fit(), Ok(()));
/// assert_eq!(long.country.map(|c| c.len()), Some(MAX_TEXT_BYTES));
/// ```
pub const MAX_TEXT_BYTES: usize = 4096;

impl Sale {
    /// Fits the sale to what the host accepts, so that one broken cell costs a row rather than
    /// the whole parse (the host refuses a batch with a sale over its limits): a title, file
    /// name, license or country over [`MAX_TEXT_BYTES`] is cut at a character boundary; an
    /// asset id over [`MAX_ASSET_ID_BYTES`] cannot be cut without merging assets, and earnings
    /// over [`MAX_SALE_MICROS`] or units over [`MAX_SALE_UNITS`] are a misread cell, so each is
    /// an error saying why the row is not a sale. [`crate::RowSession`] applies this to every sale
    /// its handler makes, and the component glue to every sale a session returns.
    ///
    /// ```
    /// use stocklens_plugin_sdk::*;
    /// let mut sale = Sale {
    ///     date: Date { year: 2026, month: 3, day: 1 },
    ///     time: None,
    ///     asset_id: "42".into(),
    ///     title: Some("é".repeat(3000)),
    ///     file_name: None,
    ///     media: MediaType::Photo,
    ///     license: None,
    ///     units: 1,
    ///     earnings: Money { micros: 1, currency: "USD".into() },
    ///     country: None,
    /// };
    /// assert_eq!(sale.fit(), Ok(()));
    /// assert_eq!(sale.title.as_ref().map(String::len), Some(MAX_TEXT_BYTES));
    /// sale.asset_id = "9".repeat(300);
    /// assert!(sale.fit().is_err());
    /// ```
    pub fn fit(&mut self) -> Result<(), String> {
        if self.asset_id.len() > MAX_ASSET_ID_BYTES {
            return Err(format!(
                "the asset id '{}' is longer than {MAX_ASSET_ID_BYTES} bytes",
                crate::excerpt(&self.asset_id)
            ));
        }
        if self.earnings.micros.unsigned_abs() > MAX_SALE_MICROS.unsigned_abs() {
            return Err(format!(
                "the amount {} {} is more than one sale can earn",
                crate::format_micros(self.earnings.micros.into(), crate::DecimalStyle::PLAIN),
                crate::excerpt(&self.earnings.currency)
            ));
        }
        if self.units.unsigned_abs() > MAX_SALE_UNITS.unsigned_abs() {
            return Err(format!(
                "{} units is more than one sale can stand for",
                self.units
            ));
        }
        for text in [
            &mut self.title,
            &mut self.file_name,
            &mut self.license,
            &mut self.country,
        ]
        .into_iter()
        .flatten()
        {
            if text.len() > MAX_TEXT_BYTES {
                let cut = (0..=MAX_TEXT_BYTES)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                text.truncate(cut);
            }
        }
        Ok(())
    }
}

/// Which role a plugin plays.
///
/// ```
/// use stocklens_plugin_sdk::{PluginInfo, PluginKind};
/// // A parser names the marketplace it reads; an analyzer names none.
/// let consistent = |info: &PluginInfo| match info.kind {
///     PluginKind::Parser => info.marketplace.is_some(),
///     PluginKind::Analyzer => info.marketplace.is_none(),
/// };
/// let info = PluginInfo {
///     id: "monthly".into(),
///     name: "Monthly revenue".into(),
///     version: "1.0.0".into(),
///     kind: PluginKind::Analyzer,
///     marketplace: None,
///     description: "Revenue and sales per month.".into(),
/// };
/// assert!(consistent(&info));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluginKind {
    /// Reads a marketplace export.
    Parser,
    /// Turns sales into report sections.
    Analyzer,
}

/// What a plugin says about itself. The host checks it against what the plugin was installed as.
///
/// ```
/// use stocklens_plugin_sdk::{PluginInfo, PluginKind};
/// let info = PluginInfo {
///     id: "adobe-stock".into(),
///     name: "Adobe Stock activity export".into(),
///     version: "1.0.0".into(),
///     kind: PluginKind::Parser,
///     marketplace: Some("Adobe Stock".into()),
///     description: "Reads the sales CSV from Adobe Stock's contributor portal.".into(),
/// };
/// assert!(info.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
/// assert_eq!(info.version.split('.').count(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// Stable identifier, lower-case with dashes, e.g. "adobe-stock".
    pub id: String,
    /// Human-readable name, e.g. "Adobe Stock activity export".
    pub name: String,
    /// Semantic version of the plugin itself, e.g. "1.0.0".
    pub version: String,
    /// Parser or analyzer.
    pub kind: PluginKind,
    /// For parsers, the marketplace it reads, e.g. "Adobe Stock".
    pub marketplace: Option<String>,
    /// One or two sentences for operators and plugin lists.
    pub description: String,
}

/// Something wrong with one row that the parser skipped or repaired.
///
/// ```
/// use stocklens_plugin_sdk::{RowIssue, excerpt, parse_money};
/// let cell = "n/a";
/// let issue = parse_money(cell).err().map(|why| {
///     RowIssue::new(7, format!("the royalty '{}' is not an amount: {why}", excerpt(cell)))
/// });
/// let message = issue.map(|issue| issue.message);
/// assert_eq!(message.as_deref(), Some("the royalty 'n/a' is not an amount: it has no digits"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    /// 1-based line number in the decoded file.
    pub line: u64,
    /// What was wrong, in English, for the contributor's warnings list.
    pub message: String,
}

impl RowIssue {
    /// An issue for `line`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::RowIssue;
    /// let issue = RowIssue::new(3, "the date '31.02.2025' does not exist");
    /// assert_eq!(issue.line, 3);
    /// assert_eq!(issue.message, "the date '31.02.2025' does not exist");
    /// ```
    pub fn new(line: u64, message: impl Into<String>) -> RowIssue {
        RowIssue {
            line,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn day_numbers_round_trip_over_four_centuries() {
        let mut expected = Date::new(1900, 1, 1).map(|d| d.day_number());
        let mut date = Date::new(1900, 1, 1);
        // Every day from 1900 to 2300 follows the one before and maps back to itself.
        while let Some(day) = date.filter(|d| d.year < 2300) {
            let number = day.day_number();
            assert_eq!(Some(number), expected, "{day:?}");
            assert_eq!(Date::from_day_number(number), day);
            expected = Some(number + 1);
            date = Some(day.add_days(1));
        }
    }

    #[test]
    fn weeks_start_on_monday_and_months_count_on() {
        let day = |y, m, d| Date {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(day(2026, 11, 27).weekday(), 4); // a Friday
        assert_eq!(day(2026, 11, 27).week_start(), day(2026, 11, 23));
        assert_eq!(day(2026, 1, 1).week_start(), day(2025, 12, 29));
        assert_eq!(
            day(2025, 12, 31).month_number() + 1,
            day(2026, 1, 5).month_number()
        );
        assert_eq!(
            Date::from_month_number(day(2025, 12, 9).month_number()),
            day(2025, 12, 1)
        );
        assert_eq!(day(2024, 3, 1).add_days(-1), day(2024, 2, 29));
        assert_eq!(day(2024, 2, 29).add_months(-12), day(2023, 2, 28));
        assert_eq!(day(2025, 1, 31).add_months(1), day(2025, 2, 28));
        assert_eq!(day(2025, 11, 30).add_months(3), day(2026, 2, 28));
        assert_eq!(day(2024, 2, 10).month_end(), day(2024, 2, 29));
    }
}
