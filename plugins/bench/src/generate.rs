//! Deterministic generators of marketplace exports for benchmarks: the same format, size and seed
//! give the same bytes on every machine.
//!
//! Each format's file looks like the real thing where it matters to its parser's speed and
//! correctness: the real header and column count, quoting where the marketplace quotes (titles
//! with commas and doubled quotes), localized dates where the export has them, a few popular
//! assets selling often, refunds and rows that are not sales where the format has them. They are
//! benchmark data, not test fixtures: the parsers' own tests pin the edge cases.
//!
//! # Layout
//!
//! - this file: the random source, civil dates, the words titles are made of, and [`Format`],
//!   which sizes and writes any of the formats.
//! - `adobe`: the Adobe Stock Activity export (no header, nine columns).
//! - `istock`: the iStock / Getty royalty statement (tab-separated, 65 columns, Spanish dates).
//! - `freepik`: the Freepik per-asset monthly report (one row per asset, no dates).
//! - `envato`: the Envato Market statement, in both its 16- and its 7-column header.
//! - `generic`: a Russian sales table for the generic parser (`;`, decimal comma, `d.m.Y`).
//! - `shutterstock`: Shutterstock's per-asset earnings table (categories, `$` amounts).

mod adobe;
mod envato;
mod freepik;
mod generic;
mod istock;
mod shutterstock;

use std::io::{self, Write};

pub use adobe::write_activity;

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

    /// An index into a portfolio of `len` assets where a few popular ones sell most, as in real
    /// portfolios.
    pub fn popular(&mut self, len: usize) -> usize {
        (((len as f64) * self.unit().powi(3)) as usize).min(len.saturating_sub(1))
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

/// The moment of row `row` of `rows`, newest first over [`SPAN_SECONDS`], jittered within its
/// step so no two files share their times.
fn moment(rng: &mut Rng, row: u64, rows: u64) -> i64 {
    let step = SPAN_SECONDS / rows.max(1) as i64;
    END_EPOCH_SECONDS - row as i64 * step - rng.below(step.max(1) as u64) as i64
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Data rows (for Envato, statement rows of every type; for Freepik, assets).
    pub rows: u64,
    /// Distinct assets in the portfolio.
    pub assets: u64,
    /// Seed: same seed, same bytes.
    pub seed: u64,
}

/// What a generated file must parse to: the check that the generator and the parser agree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Rows the parser counts (header, blank and statement-summary lines excluded).
    pub rows: u64,
    /// Sum of the earnings of every sale, in millionths of the file's main currency (the
    /// generic table mixes currencies: this is its USD part).
    pub micros: i64,
}

/// The exports a generator exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    AdobeStock,
    IstockGetty,
    Freepik,
    /// The newer statement header, every field quoted.
    Envato16,
    /// The older seven-column statement header.
    Envato7,
    Generic,
    /// The per-asset earnings table.
    Shutterstock,
}

impl Format {
    /// Every format, in the order the benchmark reports them.
    pub const ALL: [Format; 7] = [
        Format::AdobeStock,
        Format::IstockGetty,
        Format::Freepik,
        Format::Envato16,
        Format::Envato7,
        Format::Generic,
        Format::Shutterstock,
    ];

    /// The name `gen-export --format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::AdobeStock => "adobe-stock",
            Format::IstockGetty => "istock-getty",
            Format::Freepik => "freepik",
            Format::Envato16 => "envato-market",
            Format::Envato7 => "envato-market-7",
            Format::Generic => "generic",
            Format::Shutterstock => "shutterstock",
        }
    }

    /// The format `name` names.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// A file name the marketplace would give the export (Freepik's carries the month).
    pub fn file_name(self) -> &'static str {
        match self {
            Format::AdobeStock => "adobe-stock-activity.csv",
            Format::IstockGetty => "202509-123456-all.txt",
            Format::Freepik => "assets_report_09_2025.csv",
            Format::Envato16 => "envato-statement-2025-09.csv",
            Format::Envato7 => "envato-statement-old-layout.csv",
            Format::Generic => "sales-ru.csv",
            Format::Shutterstock => "shutterstock-earnings-2025-09.csv",
        }
    }

    /// Writes the export to `out`.
    pub fn write(self, spec: Spec, out: &mut impl Write) -> io::Result<Written> {
        match self {
            Format::AdobeStock => {
                let cents = write_activity(spec, out)?;
                Ok(Written {
                    rows: spec.rows,
                    micros: cents as i64 * 10_000,
                })
            }
            Format::IstockGetty => istock::write(spec, out),
            Format::Freepik => freepik::write(spec, out),
            Format::Envato16 => envato::write(spec, envato::Layout::Sixteen, out),
            Format::Envato7 => envato::write(spec, envato::Layout::Seven, out),
            Format::Generic => generic::write(spec, out),
            Format::Shutterstock => shutterstock::write(spec, out),
        }
    }

    /// Rows that make a file of about `bytes` bytes, measured on the format's first rows.
    pub fn rows_for_bytes(self, bytes: u64, assets: u64, seed: u64) -> io::Result<u64> {
        const PROBE_ROWS: u64 = 4_000;
        let mut counter = Counter(0);
        let probe = Spec {
            rows: PROBE_ROWS,
            assets: assets.min(PROBE_ROWS),
            seed,
        };
        self.write(probe, &mut counter)?;
        let per_row = (counter.0 as f64 / PROBE_ROWS as f64).max(1.0);
        Ok((bytes as f64 / per_row).round() as u64)
    }
}

/// Counts what is written to it.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What titles are made of: subject, detail and, for some, an extra phrase after a comma.
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

/// A title as a contributor writes it, unquoted: three in ten have commas, three in a hundred
/// quotes.
fn title(rng: &mut Rng) -> String {
    let subject = rng.pick(SUBJECTS);
    let detail = rng.pick(DETAILS);
    match rng.below(100) {
        0..=29 => format!("{subject}, {detail}, {}", rng.pick(EXTRAS)),
        30..=32 => format!("{subject} \"{detail}\""),
        _ => format!("{subject} {detail}"),
    }
}

/// `text` as one CSV field: quoted (quotes doubled) when it holds the delimiter, a quote or a
/// line break, as spreadsheets and the marketplaces write it.
fn csv_field(text: &str, delimiter: char) -> std::borrow::Cow<'_, str> {
    if text.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

/// `micros` with `decimals` digits after the point (`micros` must be a whole number of them).
fn decimal(micros: i64, decimals: u32) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let micros = micros.unsigned_abs();
    let whole = micros / 1_000_000;
    let fraction = micros % 1_000_000;
    match decimals {
        0 => format!("{sign}{whole}"),
        1..=6 => {
            let digits = fraction / 10u64.pow(6 - decimals);
            format!("{sign}{whole}.{digits:0width$}", width = decimals as usize)
        }
        _ => format!(
            "{sign}{whole}.{fraction:06}{}",
            "0".repeat(decimals as usize - 6)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stocklens_plugin_sdk::{Batch, ParseSession, Parser};

    /// Parses a generated file natively as the host feeds a parser (64 KiB chunks, here): the
    /// rows and earnings in `currency` it reads, the rows it skipped, and how sure its detection
    /// is of the file.
    /// Generates 3,000 rows of `format`, parses them with `P` and checks that it read exactly
    /// what was written; returns the confidence `P` detected the file with.
    pub(super) fn round_trip<P: Parser>(format: Format, assets: u64, currency: &str) -> u8 {
        let spec = Spec {
            rows: 3_000,
            assets,
            seed: 5,
        };
        let mut bytes = Vec::new();
        let written = format.write(spec, &mut bytes).unwrap_or_default();
        let (parsed, skipped, confidence) = parse::<P>(format, &bytes, currency);
        assert_eq!((parsed, skipped), (written, 0), "{}", format.name());
        confidence
    }

    pub(super) fn parse<P: Parser>(
        format: Format,
        bytes: &[u8],
        currency: &str,
    ) -> (Written, u64, u8) {
        let mut session = P::Session::new(format.file_name());
        let mut micros = 0i64;
        let mut add = |batch: Batch| {
            micros += batch
                .sales
                .iter()
                .filter(|sale| sale.earnings.currency == currency)
                .map(|sale| sale.earnings.micros)
                .sum::<i64>();
        };
        for chunk in bytes.chunks(64 * 1024) {
            add(session.feed(chunk).unwrap_or_else(|e| panic!("{e}")));
        }
        let (batch, summary) = session.finish().unwrap_or_else(|e| panic!("{e}"));
        add(batch);
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let confidence = P::detect(format.file_name(), head).confidence;
        (
            Written {
                rows: summary.rows,
                micros,
            },
            summary.rows_skipped,
            confidence,
        )
    }

    #[test]
    fn converts_unix_time_to_civil_time() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(END_EPOCH_SECONDS), (2025, 9, 30, 23, 59, 59));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0, 0));
    }

    #[test]
    fn writes_decimals_and_csv_fields() {
        assert_eq!(decimal(3_000_000, 9), "3.000000000");
        assert_eq!(decimal(-1_250_000, 2), "-1.25");
        assert_eq!(decimal(9_700, 4), "0.0097");
        assert_eq!(decimal(12_000_000, 0), "12");
        assert_eq!(csv_field("a, b", ','), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\"", ';'), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("a, b", ';'), "a, b");
    }

    #[test]
    fn sizes_a_file_from_its_first_rows() {
        for format in Format::ALL {
            let rows = format.rows_for_bytes(2_000_000, 500, 3).unwrap_or_default();
            let mut counter = Counter(0);
            let spec = Spec {
                rows,
                assets: 500,
                seed: 3,
            };
            assert!(format.write(spec, &mut counter).is_ok());
            let size = counter.0 as f64;
            assert!(
                (1_800_000.0..2_200_000.0).contains(&size),
                "{}: {size} bytes for 2 MB",
                format.name()
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
    }
}
