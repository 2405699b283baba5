//! The Shutterstock parser: reads a contributor's earnings export into sales.
//!
//! Shutterstock reports earnings per day and per category (subscription, on demand, enhanced,
//! single & other, cart sales, clip packs, footage enhanced, referrals...). Two layouts are read,
//! told apart by their header rows (see `columns`):
//!
//! - the **monthly export** from the Earnings page's "Export (CSV)": a banner of column groups
//!   (`Images`, `Videos`...), then `Date,Total downloads,Total earnings` and one earnings column
//!   per category, one row per day (`08/10/2026`), a closing `Monthly totals` row. It names no
//!   assets: each category of a day becomes one sale filed under the category, and the day's
//!   downloads are shared out among them;
//! - a **per-asset table**: a date, a media id, earnings (`$0.17`) and where present downloads,
//!   category, description, media type and file name, one row per asset, day and category, as
//!   the site's daily earnings pages list them.
//!
//! Decisions a reader may look for:
//! - amounts are US dollars kept exactly; refunds stay negative and take a download back;
//! - categories become the license ("Single & other"); footage-only categories (clip packs,
//!   footage enhanced) make the sale a video, the monthly export's `Videos` group too;
//! - referral earnings count as revenue but stand for no sale (0 units);
//! - neither layout has been checked against a real file (see [`Shutterstock::info`]).
//!
//! # Layout
//!
//! - `category`: Shutterstock's category names, their license, footage and referral flags.
//! - `columns`: the two layouts' header rows and where each value sits.
//! - `sale_date`: US, ISO and month-name dates, and the month in a file name.
//! - `split`: sharing a day's downloads among its categories.
//! - `session`: the chunked parse and the mapping of rows to sales.
//! - `detect`: how sure the parser is that a file is a Shutterstock export.

mod category;
mod columns;
mod detect;
mod sale_date;
mod session;
mod split;

use stocklens_plugin_sdk::{
    Detection, Money, Parser, PluginInfo, PluginKind, Sample, register_parser,
};

pub use session::ShutterstockSession;

/// Stable plugin id.
pub const ID: &str = "shutterstock";
/// Plugin version; bump with any change in what a file parses to.
pub const VERSION: &str = "1.0.0";

/// The samples shipped with the plugin and checked by the host before activation.
const MONTHLY_SAMPLE: &[u8] = include_bytes!("../samples/2026_4_earnings_by_month.csv");
const ASSET_SAMPLE: &[u8] = include_bytes!("../samples/shutterstock-earnings-sample.csv");

/// The parser.
pub struct Shutterstock;

impl Parser for Shutterstock {
    type Session = ShutterstockSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: ID.into(),
            name: "Shutterstock earnings export".into(),
            version: VERSION.into(),
            kind: PluginKind::Parser,
            marketplace: Some("Shutterstock".into()),
            description: "Reads Shutterstock contributor earnings in US dollars: the Earnings \
                          page's monthly CSV export (daily totals per category: subscription, \
                          on demand, enhanced, single & other, footage, referral) and per-asset \
                          tables (one row per asset, day and category). Neither layout is \
                          verified against a real file: the monthly one is rebuilt from a public \
                          description of a real export, the per-asset one from the site's \
                          earnings pages."
                .into(),
        }
    }

    fn detect(file_name: &str, head: &[u8]) -> Detection {
        detect::detect(file_name, head)
    }

    fn samples() -> Vec<Sample> {
        vec![
            Sample {
                file_name: "2026_4_earnings_by_month.csv".into(),
                content: MONTHLY_SAMPLE.to_vec(),
                expected_rows: 5,
                expected_units: 9,
                expected_earnings: vec![Money {
                    micros: 5_220_000,
                    currency: "USD".into(),
                }],
            },
            Sample {
                file_name: "shutterstock-earnings-sample.csv".into(),
                content: ASSET_SAMPLE.to_vec(),
                expected_rows: 5,
                expected_units: 5,
                expected_earnings: vec![Money {
                    micros: 46_890_000,
                    currency: "USD".into(),
                }],
            },
        ]
    }
}

register_parser!(Shutterstock);

#[cfg(test)]
mod tests;
