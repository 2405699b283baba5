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
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let date = Date { year, month, day };
        date.is_valid().then_some(date)
    }

    /// Whether the month is 1 to 12 and the day exists in that month.
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }
}

/// A time of day, where the export gives one.
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

/// Longest asset id the host accepts, in bytes: real marketplaces use a few dozen characters, so
/// a longer one means a broken row (a cell that swallowed its neighbours).
pub const MAX_ASSET_ID_BYTES: usize = 256;

/// Longest title, file name, license or country the host accepts, in bytes.
pub const MAX_TEXT_BYTES: usize = 4096;

impl Sale {
    /// Fits the sale to what the host accepts, so that one broken cell costs a row rather than
    /// the whole parse (the host refuses a batch with a sale over its limits): a title, file
    /// name, license or country over [`MAX_TEXT_BYTES`] is cut at a character boundary; an
    /// asset id over [`MAX_ASSET_ID_BYTES`] cannot be cut without merging assets, so it is an
    /// error saying why the row is not a sale. [`crate::RowSession`] applies this to every sale
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluginKind {
    /// Reads a marketplace export.
    Parser,
    /// Turns sales into report sections.
    Analyzer,
}

/// What a plugin says about itself. The host checks it against what the plugin was installed as.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    /// 1-based line number in the decoded file.
    pub line: u64,
    /// What was wrong, in English, for the contributor's warnings list.
    pub message: String,
}

impl RowIssue {
    /// An issue for `line`.
    pub fn new(line: u64, message: impl Into<String>) -> RowIssue {
        RowIssue {
            line,
            message: message.into(),
        }
    }
}
