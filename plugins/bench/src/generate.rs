//! A deterministic generator of Adobe Stock Activity exports: the same rows, assets and seed give
//! the same bytes on every machine.
//!
//! The output looks like the real thing where it matters to the parser's speed and correctness:
//! no header, nine columns, newest sale first over about two years, a few popular assets selling
//! often, titles with commas and quotes (so quoting is exercised), mixed licenses and media types,
//! royalties from $0.33 to $99.00, about 120 bytes per row.

use std::io::{self, Write};

/// Seconds covered by the generated sales: two years, ending [`END_EPOCH_SECONDS`].
pub const SPAN_SECONDS: i64 = 730 * 86_400;
/// 2025-09-30T23:59:59Z, the newest possible sale.
pub const END_EPOCH_SECONDS: i64 = 1_759_276_799;

/// SplitMix64: tiny, fast, and good enough to make data look random; not for anything secret.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One of `items`, each as likely.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// One of `items`, chosen by weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(u64, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.below(total);
        for (weight, item) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[items.len() - 1].1
    }
}

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

const SUBJECTS: &[&str] = &[
    "Coffee cup",
    "Mountain lake",
    "City skyline",
    "Golden retriever",
    "Fresh vegetables",
    "Business meeting",
    "Autumn forest",
    "Ocean waves",
    "Yoga woman",
    "Old bicycle",
    "Night market",
    "Snowy village",
    "Desert road",
    "Wildflowers",
    "Laptop desk",
    "Family picnic",
    "Red fox",
    "Abstract shapes",
    "Tropical leaves",
    "Neon sign",
];
const DETAILS: &[&str] = &[
    "at sunrise",
    "in soft light",
    "top view",
    "close up",
    "on white background",
    "with copy space",
    "aerial view",
    "in the rain",
    "minimal style",
    "vintage look",
    "seamless pattern",
    "flat illustration",
    "slow motion",
];
const EXTRAS: &[&str] = &[
    "warm tones",
    "shallow depth",
    "natural colors",
    "high detail",
    "blue hour",
    "pastel",
];
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

/// Civil date and time of a Unix time (UTC), by Howard Hinnant's days-to-civil algorithm.
pub fn civil(epoch_seconds: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = epoch_seconds.div_euclid(86_400);
    let seconds = epoch_seconds.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
    )
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Data rows.
    pub rows: u64,
    /// Distinct assets in the portfolio.
    pub assets: u64,
    /// Seed: same seed, same bytes.
    pub seed: u64,
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

    #[test]
    fn converts_unix_time_to_civil_time() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(END_EPOCH_SECONDS), (2025, 9, 30, 23, 59, 59));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0, 0));
    }
}
