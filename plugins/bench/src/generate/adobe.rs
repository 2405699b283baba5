//! The Adobe Stock Activity export: no header, nine columns, newest sale first over about two
//! years, titles with commas and quotes (so quoting is exercised), mixed licenses and media types,
//! royalties from $0.33 to $99.00, about 120 bytes per row. Its bytes for a given spec are the
//! ones docs/performance.md measured: change nothing here that changes them.

use std::io::{self, Write};

use super::{DETAILS, END_EPOCH_SECONDS, EXTRAS, Rng, SPAN_SECONDS, SUBJECTS, Spec, civil};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    Photos,
    Illustrations,
    Vectors,
    Videos,
    Templates,
}

impl Media {
    fn label(self) -> &'static str {
        match self {
            Media::Photos => "photos",
            Media::Illustrations => "illustrations",
            Media::Vectors => "vectors",
            Media::Videos => "videos",
            Media::Templates => "templates",
        }
    }
}

/// One asset of the made-up portfolio.
#[derive(Debug, Clone)]
struct Asset {
    id: u64,
    /// Already CSV-quoted where needed.
    title: String,
    media: Media,
    file_name: String,
}

const CONTRIBUTORS: &[&str] = &["Jane Doe", "Ivan Petrov", "Studio Lumen"];

fn make_asset(rng: &mut Rng, index: u64) -> Asset {
    let media = *rng.weighted(&[
        (55, Media::Photos),
        (14, Media::Illustrations),
        (15, Media::Vectors),
        (12, Media::Videos),
        (4, Media::Templates),
    ]);
    let subject = rng.pick(SUBJECTS);
    let detail = rng.pick(DETAILS);
    let title = match rng.below(100) {
        // A comma forces quoting, as many real titles do.
        0..=29 => format!("\"{subject}, {detail}, {}\"", rng.pick(EXTRAS)),
        // Quotes inside a title are doubled.
        30..=32 => format!("\"{subject} \"\"{detail}\"\"\""),
        _ => format!("{subject} {detail}"),
    };
    let number = 1000 + rng.below(9000);
    let file_name = match media {
        Media::Photos => format!("DSC_{number}.jpg"),
        Media::Illustrations => format!("illustration_{number}.jpg"),
        Media::Vectors => format!("vector_{number}.eps"),
        Media::Videos => format!("DJI_{number}.MP4"),
        Media::Templates => format!("template_{number}.psd"),
    };
    Asset {
        id: 100_000_000 + index * 7_919 % 900_000_000 + rng.below(7_919),
        title,
        media,
        file_name,
    }
}

/// Royalty in cents for a sale of `media` under `license`.
fn royalty_cents(rng: &mut Rng, media: Media, license: &str) -> u64 {
    match (media, license) {
        (Media::Videos, _) => *rng.pick(&[780, 1250, 1500, 2400, 4800, 8400, 9900]),
        (_, "extended") => *rng.pick(&[2640, 2640, 3000, 3300]),
        (Media::Templates, _) => *rng.pick(&[33, 150, 400]),
        (_, "subscription") => *rng.pick(&[33, 33, 38, 46, 58, 99, 138]),
        (_, "custom") => *rng.pick(&[99, 120, 250, 330, 500]),
        _ => *rng.pick(&[99, 199, 330]),
    }
}

/// Writes an Activity export to `out`, newest sale first. Returns the sum of royalties in cents.
pub fn write_activity(spec: Spec, out: &mut impl Write) -> io::Result<u64> {
    let mut rng = Rng::new(spec.seed);
    let portfolio: Vec<Asset> = (0..spec.assets.max(1))
        .map(|i| make_asset(&mut rng, i))
        .collect();
    let step = SPAN_SECONDS / spec.rows.max(1) as i64;
    let mut total_cents = 0u64;
    for row in 0..spec.rows {
        // Popularity falls off steeply: a few assets make most sales, as in real portfolios.
        let index = ((portfolio.len() as f64) * rng.unit().powi(3)) as usize;
        let asset = &portfolio[index.min(portfolio.len() - 1)];
        let license = *rng.weighted(&[
            (65, "subscription"),
            (20, "custom"),
            (10, "on demand"),
            (5, "extended"),
        ]);
        let cents = royalty_cents(&mut rng, asset.media, license);
        total_cents += cents;
        let when = END_EPOCH_SECONDS - row as i64 * step - rng.below(step.max(1) as u64) as i64;
        let (year, month, day, hour, minute, second) = civil(when);
        let size = if asset.media == Media::Videos {
            rng.pick(&["HD1080", "4K"])
        } else {
            rng.pick(&["XXL", "XXL", "XL", "L", "M"])
        };
        writeln!(
            out,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}+00:00,{},{},{license},${}.{:02},{},{},{},{size}",
            asset.id,
            asset.title,
            cents / 100,
            cents % 100,
            asset.media.label(),
            asset.file_name,
            rng.pick(CONTRIBUTORS),
        )?;
    }
    Ok(total_cents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::ParseSession;

    fn generate(spec: Spec) -> (Vec<u8>, u64) {
        let mut out = Vec::new();
        let cents = write_activity(spec, &mut out).unwrap_or_default();
        (out, cents)
    }

    #[test]
    fn same_seed_same_bytes() {
        let spec = Spec {
            rows: 500,
            assets: 50,
            seed: 7,
        };
        assert_eq!(generate(spec), generate(spec));
        assert_ne!(generate(spec).0, generate(Spec { seed: 8, ..spec }).0);
    }

    #[test]
    fn rows_are_about_120_bytes_and_parse_cleanly() {
        let spec = Spec {
            rows: 2_000,
            assets: 300,
            seed: 1,
        };
        let (bytes, cents) = generate(spec);
        let per_row = bytes.len() as f64 / spec.rows as f64;
        assert!((100.0..140.0).contains(&per_row), "{per_row} bytes per row");

        let mut session = adobe_stock::AdobeSession::new("generated.csv");
        let mut micros = 0i64;
        for chunk in bytes.chunks(4096) {
            let batch = session.feed(chunk).unwrap_or_default();
            assert_eq!(batch.issues, []);
            micros += batch.sales.iter().map(|s| s.earnings.micros).sum::<i64>();
        }
        let (_, summary) = session.finish().unwrap_or_default();
        assert_eq!((summary.rows, summary.rows_skipped), (spec.rows, 0));
        assert_eq!(micros, cents as i64 * 10_000);
        assert!(adobe_stock_detects(&bytes[..bytes.len().min(64 * 1024)]) >= 90);
    }

    fn adobe_stock_detects(head: &[u8]) -> u8 {
        use stocklens_plugin_sdk::Parser;
        adobe_stock::AdobeStock::detect("generated.csv", head).confidence
    }
}
