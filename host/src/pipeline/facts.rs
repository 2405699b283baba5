//! Facts about a portfolio that no export carries (its size, the upload limit, uploads in the
//! period, the acceptance rate, what the contributor mainly makes), and the content question
//! that can imply one of them.
//!
//! The command line's flags and the bot's answers are read by these same functions, so both
//! accept and refuse the same values with the same words. The facts only travel to the report
//! generators (the WIT's `portfolio-facts`); nothing here filters sales.

use std::fmt;
use std::str::FromStr;

use super::ContentType;
use crate::plugin::analyzer_types::{ContentFocus, LimitPeriod, UploadLimit};

/// The answer to "what content is the report about?": a media type to keep, and what the
/// answer says about the portfolio.
///
/// AI work is no media type in any export (marketplaces file it under photo, illustration or
/// vector), so "ai" cannot filter sales: it keeps every media type and says the portfolio is
/// mainly AI. Any other answer filters and says nothing about the portfolio: someone who mostly
/// draws vectors may still ask about their photos.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContentChoice {
    pub filter: ContentType,
    /// What the answer implies the contributor mainly makes.
    pub focus: Option<ContentFocus>,
}

/// A content answer that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "content type {0:?} is not understood; use all, ai, photo, illustration, vector, video or audio"
)]
pub struct BadContentChoice(String);

impl FromStr for ContentChoice {
    type Err = BadContentChoice;

    fn from_str(spec: &str) -> Result<ContentChoice, BadContentChoice> {
        if spec.trim().eq_ignore_ascii_case("ai") {
            return Ok(ContentChoice {
                filter: ContentType::All,
                focus: Some(ContentFocus::Ai),
            });
        }
        let filter = ContentType::from_str(spec).map_err(|_| BadContentChoice(spec.to_owned()))?;
        Ok(ContentChoice {
            filter,
            focus: None,
        })
    }
}

impl fmt::Display for ContentChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.filter, self.focus) {
            (ContentType::All, Some(ContentFocus::Ai)) => f.write_str("ai"),
            (filter, _) => filter.fmt(f),
        }
    }
}

impl ContentChoice {
    /// The portfolio's main content: the one `given` with the answer's implied one, which must
    /// agree when both are there.
    pub fn main_content(
        &self,
        given: Option<ContentFocus>,
    ) -> Result<Option<ContentFocus>, String> {
        match (self.focus, given) {
            (Some(implied), Some(given)) if implied != given => Err(format!(
                "content type {self} says the portfolio is mainly {}, but the main content given is {}",
                content_focus_name(implied),
                content_focus_name(given)
            )),
            (implied, given) => Ok(given.or(implied)),
        }
    }
}

/// Reads what a portfolio mainly holds: ai, photo, illustration, video or vector.
pub fn parse_content_focus(text: &str) -> Result<ContentFocus, String> {
    Ok(match text.trim().to_ascii_lowercase().as_str() {
        "ai" => ContentFocus::Ai,
        "photo" | "photos" => ContentFocus::Photo,
        "illustration" | "illustrations" => ContentFocus::Illustration,
        "video" | "videos" => ContentFocus::Video,
        "vector" | "vectors" => ContentFocus::Vector,
        _ => {
            return Err(format!(
                "main content {text:?} is not understood; use ai, photo, illustration, video or vector"
            ));
        }
    })
}

/// The spelling [`parse_content_focus`] reads back.
pub fn content_focus_name(focus: ContentFocus) -> &'static str {
    match focus {
        ContentFocus::Ai => "ai",
        ContentFocus::Photo => "photo",
        ContentFocus::Illustration => "illustration",
        ContentFocus::Video => "video",
        ContentFocus::Vector => "vector",
    }
}

/// Reads an upload limit: `N` (per month, how most marketplaces state it), `N/week` or
/// `N/month`.
pub fn parse_upload_limit(text: &str) -> Result<UploadLimit, String> {
    let (count, per) = match text.split_once('/') {
        Some((count, per)) => match per.trim().to_ascii_lowercase().as_str() {
            "week" => (count, LimitPeriod::Week),
            "month" => (count, LimitPeriod::Month),
            _ => return Err(format!("upload limit {text:?}: write N, N/week or N/month")),
        },
        None => (text, LimitPeriod::Month),
    };
    let count = u32::from_str(count.trim())
        .map_err(|_| format!("upload limit {text:?}: the limit must be a whole number"))?;
    check_upload_limit(UploadLimit { count, per })
}

/// Refuses a limit of zero: no marketplace has one, and report generators divide by it.
pub fn check_upload_limit(limit: UploadLimit) -> Result<UploadLimit, String> {
    if limit.count == 0 {
        return Err("an upload limit of 0 allows no uploads; give a limit of at least 1".into());
    }
    Ok(limit)
}

/// Reads an acceptance rate in percent: `65`, `65%`, `65.5` or `65,5`.
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let rate = f64::from_str(&number)
        .map_err(|_| format!("{text:?} is not a percentage from 0 to 100"))?;
    check_acceptance_rate(rate)
}

/// Refuses an acceptance rate outside 0 to 100 (and NaN).
pub fn check_acceptance_rate(rate: f64) -> Result<f64, String> {
    if (0.0..=100.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!(
            "acceptance rate {rate} is not a percentage from 0 to 100"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::types::MediaType;

    #[test]
    fn ai_keeps_every_media_type_and_names_the_focus() {
        let ai: ContentChoice = "AI".parse().unwrap();
        assert_eq!(ai.filter, ContentType::All);
        assert_eq!(ai.focus, Some(ContentFocus::Ai));
        assert_eq!(ai.to_string(), "ai");
        let photo: ContentChoice = "photo".parse().unwrap();
        assert_eq!(photo.filter, ContentType::Only(MediaType::Photo));
        assert_eq!(photo.focus, None);
        assert!("sculpture".parse::<ContentChoice>().is_err());
    }

    #[test]
    fn an_implied_focus_must_agree_with_the_given_one() {
        let ai: ContentChoice = "ai".parse().unwrap();
        assert_eq!(ai.main_content(None), Ok(Some(ContentFocus::Ai)));
        assert_eq!(
            ai.main_content(Some(ContentFocus::Ai)),
            Ok(Some(ContentFocus::Ai))
        );
        assert!(ai.main_content(Some(ContentFocus::Photo)).is_err());
        let all: ContentChoice = "all".parse().unwrap();
        assert_eq!(
            all.main_content(Some(ContentFocus::Vector)),
            Ok(Some(ContentFocus::Vector))
        );
    }

    #[test]
    fn upload_limits_read_per_month_unless_weekly() {
        let limit = parse_upload_limit("500").unwrap();
        assert_eq!((limit.count, limit.per), (500, LimitPeriod::Month));
        let limit = parse_upload_limit("100/week").unwrap();
        assert_eq!((limit.count, limit.per), (100, LimitPeriod::Week));
        for bad in ["0", "0/week", "many", "10/day", "-5"] {
            assert!(parse_upload_limit(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn percentages_stay_within_0_and_100() {
        assert_eq!(parse_percent("65%"), Ok(65.0));
        assert_eq!(parse_percent("65,5"), Ok(65.5));
        for bad in ["140", "-1", "NaN", "inf", "half"] {
            assert!(parse_percent(bad).is_err(), "{bad} should be refused");
        }
    }
}
