//! What the bot's buttons carry: short, versionless strings well under Telegram's 64 bytes, read
//! back without trusting them. A forged or stale button is refused by the handler that checks
//! it against the store (a report id against its owner, an answer against the open question).

use std::fmt;
use std::str::FromStr;

/// A button's meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A main-menu entry.
    Menu(MenuItem),
    /// Switch the bot's language.
    Language(String),
    /// An answer to the open question.
    Answer(Answer),
    /// Skip the open question.
    Skip,
    /// End the request and discard the file.
    Cancel,
    /// Open one report (by analysis id).
    OpenReport(i64),
    /// A page of "My reports" (0 is the newest).
    ReportsPage(u32),
}

/// The main menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuItem {
    Home,
    Analytics,
    Reports,
    Plan,
    Marketplaces,
    HowTo,
    Help,
}

/// An answer given with a button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Show the marketplace list (the detected one is wrong).
    OtherMarketplace,
    /// This parser id.
    Marketplace(String),
    /// `ai`, `photo`, `illustration`, `video`, `vector` or `all`.
    Content(String),
    /// A period as `AnalysisRequest` spells it (`all`, `2025-07`, `2025-05..2025-07`).
    Period(String),
    /// `week` or `month`.
    LimitPer(String),
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Menu(item) => write!(
                f,
                "m:{}",
                match item {
                    MenuItem::Home => "home",
                    MenuItem::Analytics => "analytics",
                    MenuItem::Reports => "reports",
                    MenuItem::Plan => "plan",
                    MenuItem::Marketplaces => "markets",
                    MenuItem::HowTo => "howto",
                    MenuItem::Help => "help",
                }
            ),
            Action::Language(tag) => write!(f, "l:{tag}"),
            Action::Answer(Answer::OtherMarketplace) => f.write_str("a:mk?"),
            Action::Answer(Answer::Marketplace(id)) => write!(f, "a:mk:{id}"),
            Action::Answer(Answer::Content(kind)) => write!(f, "a:ct:{kind}"),
            Action::Answer(Answer::Period(period)) => write!(f, "a:p:{period}"),
            Action::Answer(Answer::LimitPer(per)) => write!(f, "a:lim:{per}"),
            Action::Skip => f.write_str("skip"),
            Action::Cancel => f.write_str("cancel"),
            Action::OpenReport(id) => write!(f, "r:{id}"),
            Action::ReportsPage(page) => write!(f, "rp:{page}"),
        }
    }
}

/// Callback data the bot did not make.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown button {0:?}")]
pub struct UnknownAction(String);

impl FromStr for Action {
    type Err = UnknownAction;

    fn from_str(data: &str) -> Result<Action, UnknownAction> {
        let unknown = || UnknownAction(data.chars().take(64).collect());
        let word = |s: &str| {
            !s.is_empty()
                && s.len() <= 40
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        };
        let action = match data.split_once(':') {
            None => match data {
                "skip" => Action::Skip,
                "cancel" => Action::Cancel,
                _ => return Err(unknown()),
            },
            Some(("m", item)) => Action::Menu(match item {
                "home" => MenuItem::Home,
                "analytics" => MenuItem::Analytics,
                "reports" => MenuItem::Reports,
                "plan" => MenuItem::Plan,
                "markets" => MenuItem::Marketplaces,
                "howto" => MenuItem::HowTo,
                "help" => MenuItem::Help,
                _ => return Err(unknown()),
            }),
            Some(("l", tag)) if word(tag) => Action::Language(tag.to_owned()),
            Some(("r", id)) => Action::OpenReport(id.parse().map_err(|_| unknown())?),
            Some(("rp", page)) => Action::ReportsPage(page.parse().map_err(|_| unknown())?),
            Some(("a", answer)) => Action::Answer(match answer.split_once(':') {
                None if answer == "mk?" => Answer::OtherMarketplace,
                Some(("mk", id)) if word(id) => Answer::Marketplace(id.to_owned()),
                Some(("ct", kind)) if word(kind) => Answer::Content(kind.to_owned()),
                Some(("p", period)) if word(period) => Answer::Period(period.to_owned()),
                Some(("lim", per @ ("week" | "month"))) => Answer::LimitPer(per.to_owned()),
                _ => return Err(unknown()),
            }),
            _ => return Err(unknown()),
        };
        Ok(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::html::MAX_CALLBACK_DATA;

    #[test]
    fn every_action_round_trips_within_telegrams_limit() {
        let actions = [
            Action::Menu(MenuItem::Home),
            Action::Menu(MenuItem::Marketplaces),
            Action::Language("ru".into()),
            Action::Answer(Answer::OtherMarketplace),
            Action::Answer(Answer::Marketplace("envato-market".into())),
            Action::Answer(Answer::Content("illustration".into())),
            Action::Answer(Answer::Period("2025-05..2025-07".into())),
            Action::Answer(Answer::LimitPer("month".into())),
            Action::Skip,
            Action::Cancel,
            Action::OpenReport(i64::MAX),
            Action::ReportsPage(u32::MAX),
        ];
        for action in actions {
            let data = action.to_string();
            assert!(data.len() <= MAX_CALLBACK_DATA, "{data}");
            assert_eq!(data.parse::<Action>(), Ok(action));
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for data in [
            "",
            "x",
            "m:admin",
            "r:abc",
            "r:",
            "a:lim:year",
            "a:ct:",
            "a:ct:<b>",
            "rp:-1",
        ] {
            assert!(data.parse::<Action>().is_err(), "{data}");
        }
    }
}
