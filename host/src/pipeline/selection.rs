//! What part of the sales a report is about: a period of months and a content type.
//!
//! Parsed from the CLI's `--period` / `--content-type` (and, later, the bot's answers); applied
//! to each sale as it streams past, so nothing has to be held to filter.

use std::fmt;
use std::str::FromStr;

use crate::plugin::days_in_month;
use crate::plugin::types::{Date, MediaType, PackedSale};

/// A period of whole months, or everything.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Period {
    /// First day included.
    pub from: Option<Date>,
    /// Last day included.
    pub to: Option<Date>,
}

/// A period that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("period {0:?} is not understood; use all, YYYY-MM, or YYYY-MM..YYYY-MM")]
pub struct BadPeriod(String);

impl FromStr for Period {
    type Err = BadPeriod;

    fn from_str(spec: &str) -> Result<Period, BadPeriod> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("all") || spec.is_empty() {
            return Ok(Period::default());
        }
        let bad = || BadPeriod(spec.to_owned());
        let (first, last) = spec.split_once("..").unwrap_or((spec, spec));
        let (from_year, from_month) = parse_month(first).ok_or_else(bad)?;
        let (to_year, to_month) = parse_month(last).ok_or_else(bad)?;
        if (to_year, to_month) < (from_year, from_month) {
            return Err(bad());
        }
        Ok(Period {
            from: Some(Date {
                year: from_year,
                month: from_month,
                day: 1,
            }),
            to: Some(Date {
                year: to_year,
                month: to_month,
                day: days_in_month(to_year, to_month),
            }),
        })
    }
}

fn parse_month(text: &str) -> Option<(u16, u8)> {
    let (year, month) = text.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: u16 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    ((1..=12).contains(&month) && year >= 1).then_some((year, month))
}

/// Which media types a report covers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ContentType {
    #[default]
    All,
    Only(MediaType),
}

/// A content type that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "content type {0:?} is not understood; use all, photo, illustration, vector, video or audio"
)]
pub struct BadContentType(String);

impl FromStr for ContentType {
    type Err = BadContentType;

    fn from_str(spec: &str) -> Result<ContentType, BadContentType> {
        let media = match spec.trim().to_ascii_lowercase().as_str() {
            "all" | "" => return Ok(ContentType::All),
            "photo" | "photos" => MediaType::Photo,
            "illustration" | "illustrations" => MediaType::Illustration,
            "vector" | "vectors" => MediaType::Vector,
            "video" | "videos" => MediaType::Video,
            "audio" => MediaType::Audio,
            "template" | "templates" => MediaType::Template,
            _ => return Err(BadContentType(spec.to_owned())),
        };
        Ok(ContentType::Only(media))
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ContentType::All => "all",
            ContentType::Only(media) => media_name(*media),
        })
    }
}

/// The English, lower-case name of a media type, as the CLI and JSON use it.
pub fn media_name(media: MediaType) -> &'static str {
    match media {
        MediaType::Photo => "photo",
        MediaType::Illustration => "illustration",
        MediaType::Vector => "vector",
        MediaType::Video => "video",
        MediaType::Audio => "audio",
        MediaType::Template => "template",
        MediaType::Other => "other",
    }
}

/// The filters a report applies.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Selection {
    pub period: Period,
    pub content: ContentType,
}

impl Selection {
    /// Whether a sale is inside the selection.
    pub fn contains(&self, sale: &PackedSale) -> bool {
        let key = date_key(&sale.date);
        let after_start = self.period.from.is_none_or(|from| key >= date_key(&from));
        let before_end = self.period.to.is_none_or(|to| key <= date_key(&to));
        let media_ok = match self.content {
            ContentType::All => true,
            ContentType::Only(media) => sale.media == media,
        };
        after_start && before_end && media_ok
    }
}

/// A date as one comparable number (YYYYMMDD).
pub fn date_key(date: &Date) -> u32 {
    u32::from(date.year) * 10_000 + u32::from(date.month) * 100 + u32::from(date.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_whole_months() {
        let p: Period = "2025-02".parse().unwrap();
        assert_eq!(
            p.from,
            Some(Date {
                year: 2025,
                month: 2,
                day: 1
            })
        );
        assert_eq!(
            p.to,
            Some(Date {
                year: 2025,
                month: 2,
                day: 28
            })
        );
        let p: Period = "2024-01..2024-02".parse().unwrap();
        assert_eq!(
            p.to,
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!("all".parse::<Period>().unwrap(), Period::default());
    }

    #[test]
    fn bad_periods_are_refused() {
        for spec in [
            "2025",
            "2025-13",
            "25-01",
            "2025-03..2025-01",
            "last year",
            "2025-1",
        ] {
            assert!(spec.parse::<Period>().is_err(), "{spec} should be refused");
        }
    }

    #[test]
    fn content_types_parse() {
        assert_eq!(
            "Photo".parse::<ContentType>().unwrap(),
            ContentType::Only(MediaType::Photo)
        );
        assert_eq!("all".parse::<ContentType>().unwrap(), ContentType::All);
        assert!("ai".parse::<ContentType>().is_err());
    }
}
