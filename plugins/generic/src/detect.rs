//! How sure the parser is that it can read a file: never very, since it is the fallback for
//! tables no marketplace parser claims.
//!
//! The score grows with what the header maps (date and earnings are required; an asset id column
//! and further roles add to it) and with how many of the first rows read, and it never exceeds
//! [`MAX_CONFIDENCE`], so a marketplace's own parser always wins a file it knows. The reason
//! names the columns it would use. It must never fail, whatever the head holds.

use stocklens_plugin_sdk::Detection;

use crate::columns::AssetSource;
use crate::survey::{HEAD_BYTES, survey};

/// The most a fallback may claim: enough to pass the host's bar of 50 on a clear table, low
/// enough that any marketplace parser that recognises the file outscores it by more than 10.
pub const MAX_CONFIDENCE: u8 = 55;

/// Share of checked rows, in percent, that must read for the table to count as readable.
const MOSTLY_PERCENT: usize = 80;

/// Scores `head`, the first bytes of a file.
pub fn detect(_file_name: &str, head: &[u8]) -> Detection {
    let found = survey(head, head.len() < HEAD_BYTES);
    let roles = match found.roles {
        None => return Detection::new(0, "no rows"),
        Some(Err(error)) => return Detection::new(5, error.message),
        Some(Ok(roles)) => roles,
    };
    let mut confidence: u8 = 35;
    confidence += match roles.asset {
        AssetSource::Column(_) => 10,
        AssetSource::Title(_) => 5,
    };
    if roles.extra_roles() > 0 {
        confidence += 5;
    }
    let checked = found.checked_rows;
    let reason = if found.rows == 0 {
        confidence = confidence.min(30);
        format!("{}; header only", roles.described)
    } else if found.readable_rows * 100 >= checked * MOSTLY_PERCENT {
        confidence += 5;
        format!(
            "{}; {} of {checked} rows read",
            roles.described, found.readable_rows
        )
    } else {
        confidence = confidence.min(30);
        format!(
            "{}; only {} of {checked} rows read",
            roles.described, found.readable_rows
        )
    };
    Detection::new(confidence.min(MAX_CONFIDENCE), reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confidence(head: &str) -> u8 {
        detect("table.csv", head.as_bytes()).confidence
    }

    #[test]
    fn a_clear_table_reaches_the_cap_and_names_its_columns() {
        let head = "Дата;ID;Название;Доход\n03.03.2026;1;Закат;12,50\n";
        let found = detect("t.csv", head.as_bytes());
        assert_eq!(found.confidence, MAX_CONFIDENCE);
        assert_eq!(
            found.reason,
            "date=Дата, earnings=Доход, asset=ID, title=Название; 1 of 1 rows read"
        );
    }

    #[test]
    fn fewer_roles_score_lower() {
        assert_eq!(confidence("Date,ID,Amount\n2026-01-01,1,1.00\n"), 50);
        assert_eq!(confidence("Date,Title,Amount\n2026-01-01,x,1.00\n"), 45);
        assert_eq!(confidence("Date,ID,Amount\n"), 30);
        assert_eq!(confidence("Date,ID,Amount\nfoo,1,bar\n"), 30);
    }

    #[test]
    fn never_claims_much() {
        assert_eq!(confidence(""), 0);
        assert_eq!(confidence("Date,ID,Title\n2026-01-01,1,x\n"), 5);
        assert_eq!(
            confidence(
                "2025-07-31T23:08:22+00:00,612345678,Sunset,custom,$0.99,photos,a.jpg,J,XXL\n"
            ),
            5
        );
        assert!(confidence("\u{0}\u{1}garbage\"\n\n,,,") <= 5);
    }
}
