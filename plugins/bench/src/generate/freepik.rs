//! The Freepik per-asset monthly report: the real header, one row per asset with that month's
//! downloads and EUR earnings (four decimals), descriptions quoted where they hold commas or
//! quotes, public URLs, and assets without downloads listed for completeness. It has no date
//! column: the month is in the file name ([`super::Format::file_name`]). About 150 bytes per row.

use std::io::{self, Write};

use super::{Rng, Spec, Written, csv_field, decimal, title};

/// The real report's header.
pub const HEADER: &str = "Asset type,File name,Description,Asset public URL,Freepik Asset ID,Freepik Downloads,Freepik Earnings EUR";

/// (asset type, URL section, file extension), weighted as a Freepik portfolio might be.
const TYPES: &[(u64, (&str, &str, &str))] = &[
    (45, ("photo", "free-photo", "jpg")),
    (25, ("vector", "free-vector", "eps")),
    (10, ("psd", "free-psd", "psd")),
    (8, ("icon", "icon", "svg")),
    (7, ("ai image", "free-photo", "jpg")),
    (5, ("video", "free-video", "mp4")),
];

/// Writes a report to `out`: the header, then `spec.rows` assets (`spec.assets` is not used:
/// every row is its own asset).
pub fn write(spec: Spec, out: &mut impl Write) -> io::Result<Written> {
    let mut rng = Rng::new(spec.seed);
    writeln!(out, "\u{feff}{HEADER}")?;
    let mut written = Written::default();
    for row in 0..spec.rows {
        let (kind, section, extension) = *rng.weighted(TYPES);
        let id = 10_000_000 + row * 37 + rng.below(37);
        // Downloads fall off steeply; one asset in eight had none this month.
        let downloads = if rng.below(8) == 0 {
            0
        } else {
            1 + (400.0 * rng.unit().powi(4)) as i64
        };
        // Earnings per download from 0.0005 to 0.0900 EUR, in ten-thousandths.
        let micros = downloads * (5 + rng.below(896) as i64) * 100;
        written.rows += 1;
        written.micros += micros;
        let description = title(&mut rng);
        let slug: String = description
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
            .map(|c| {
                if c == ' ' {
                    '-'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        writeln!(
            out,
            "{kind},{}_{}.{extension},{},https://www.freepik.com/{section}/{slug}_{id}.htm,{id},{downloads},{}",
            if extension == "jpg" { "DSC" } else { "asset" },
            rng.below(10_000),
            csv_field(&description, ','),
            decimal(micros, 4),
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
        let confidence = round_trip::<freepik::Freepik>(Format::Freepik, 0, "EUR");
        assert!(confidence >= 90, "detected with {confidence}");
    }
}
