//! Shutterstock's per-asset earnings table, the layout of the two the parser reads that grows
//! with sales (the monthly export is one row per day, a few kilobytes a month): one row per
//! asset, day and category with Shutterstock's category names as its links write them
//! (`25_a_day`, `on_demand`, `single_image_and_other`...), descriptions quoted where they hold
//! commas or quotes, downloads, and dollar earnings (`$0.30`, refunds `-$2.85`). Neither layout
//! is verified against a real export (see docs/marketplaces.md). About 80 bytes per row.

use std::io::{self, Write};

use super::{Rng, Spec, Written, civil, csv_field, decimal, moment, title};

const HEADER: &str = "Date,Category,Media ID,Description,Media type,Downloads,Earnings";

/// (category, cents per download), weighted: subscriptions are the bulk of a contributor's
/// downloads, the rest earn dollars.
const CATEGORIES: &[(u64, (&str, &[i64]))] = &[
    (70, ("25_a_day", &[10, 12, 25, 33, 38])),
    (10, ("on_demand", &[120, 285])),
    (6, ("single_image_and_other", &[149, 285, 500])),
    (4, ("enhanced", &[2_850, 5_700])),
    (4, ("clip_packs", &[375, 600])),
    (3, ("footage_enhanced", &[4_200, 6_900])),
    (3, ("customer_referrals", &[50, 100])),
];

/// (media type, weight), as a Shutterstock portfolio might be.
const MEDIA: &[(u64, &str)] = &[
    (55, "image"),
    (15, "vector"),
    (15, "illustration"),
    (15, "video"),
];

struct Asset {
    id: u64,
    title: String,
    media: &'static str,
}

/// Writes a table to `out`: the header, then `spec.rows` rows, newest first.
pub fn write(spec: Spec, out: &mut impl Write) -> io::Result<Written> {
    let mut rng = Rng::new(spec.seed);
    let portfolio: Vec<Asset> = (0..spec.assets.max(1))
        .map(|i| Asset {
            id: 2_200_000_000 + i * 7_919 % 900_000_000 + rng.below(7_919),
            title: title(&mut rng),
            media: rng.weighted::<&str>(MEDIA),
        })
        .collect();
    writeln!(out, "{HEADER}")?;
    let mut written = Written::default();
    for row in 0..spec.rows {
        let asset = &portfolio[rng.popular(portfolio.len())];
        let (category, prices) = *rng.weighted(CATEGORIES);
        let (year, month, day, ..) = civil(moment(&mut rng, row, spec.rows));
        let subscription = category == "25_a_day";
        let mut downloads = if subscription {
            1 + rng.below(4) as i64
        } else {
            1
        };
        // One row in three hundred is a refund.
        if !subscription && rng.below(300) == 0 {
            downloads = -1;
        }
        let cents = downloads * *rng.pick(prices);
        written.rows += 1;
        written.micros += cents * 10_000;
        let earnings = decimal(cents.abs() * 10_000, 2);
        let sign = if cents < 0 { "-" } else { "" };
        writeln!(
            out,
            "{year:04}-{month:02}-{day:02},{category},{},{},{},{downloads},{sign}${earnings}",
            asset.id,
            csv_field(&asset.title, ','),
            asset.media,
        )?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use crate::generate::Format;
    use crate::generate::tests::round_trip;

    #[test]
    fn parses_to_what_was_written() {
        let confidence = round_trip::<shutterstock::Shutterstock>(Format::Shutterstock, 300, "USD");
        assert!(confidence >= 90, "detected with {confidence}");
    }
}
