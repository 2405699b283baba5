//! `test-bad-values`: a parser that returns one kind of impossible value at a time, for the
//! host's tests that it refuses each one by name and that sums of legal extremes cannot
//! overflow. The first line of the file chooses what `feed` returns:
//!
//! - `valid`: one ordinary sale ($0.99 on 1 July 2025);
//! - `month-13`: that sale dated 2025-13-01;
//! - `earnings-max` / `earnings-min`: earning `i64::MAX` / `i64::MIN` micros;
//! - `units-max` / `units-min`: standing for `i32::MAX` / `i32::MIN` units;
//! - `billion-sales`: empty sales (no units, no earnings), [`EMPTY_SALES_PER_CALL`] per call,
//!   as a parser would that was about to emit a billion of them;
//! - `legal-extremes`: one sale per byte fed, each at the largest earnings and units the host
//!   accepts ([`MAX_SALE_MICROS`], [`MAX_SALE_UNITS`]), alternately in two currencies;
//! - anything else: no sales.
//!
//! Not a real parser: it detects nothing and must never be installed for contributors.

use stocklens_plugin_sdk::{
    Batch, Date, Detection, MediaType, Money, ParseError, ParseSession, ParseSummary, Parser,
    PluginInfo, PluginKind, Sale, register_parser,
};

/// Empty sales returned per call in `billion-sales`: far more than the bytes the host's test
/// feeds, and still well inside the memory the test gives a plugin.
pub const EMPTY_SALES_PER_CALL: usize = 100_000;

/// The host's bounds on one sale's earnings and units, either sign, as the SDK states them.
pub use stocklens_plugin_sdk::{MAX_SALE_MICROS, MAX_SALE_UNITS};

/// The plugin.
pub struct TestBadValues;

/// What the file asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Valid,
    Month13,
    EarningsMax,
    EarningsMin,
    UnitsMax,
    UnitsMin,
    BillionSales,
    LegalExtremes,
    Nothing,
}

impl Mode {
    fn from_first_line(text: &[u8]) -> Mode {
        let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        match line.trim_ascii() {
            b"valid" => Mode::Valid,
            b"month-13" => Mode::Month13,
            b"earnings-max" => Mode::EarningsMax,
            b"earnings-min" => Mode::EarningsMin,
            b"units-max" => Mode::UnitsMax,
            b"units-min" => Mode::UnitsMin,
            b"billion-sales" => Mode::BillionSales,
            b"legal-extremes" => Mode::LegalExtremes,
            _ => Mode::Nothing,
        }
    }
}

/// A session whose mode is set by the first chunk.
pub struct BadValuesSession {
    mode: Option<Mode>,
    rows: u64,
}

impl Parser for TestBadValues {
    type Session = BadValuesSession;

    fn info() -> PluginInfo {
        PluginInfo {
            id: "test-bad-values".into(),
            name: "Test: impossible values".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Parser,
            marketplace: Some("Test".into()),
            description: "Returns the impossible value its file names; for sandbox tests only."
                .into(),
        }
    }

    fn detect(_file_name: &str, _head: &[u8]) -> Detection {
        Detection::new(0, "test plugin")
    }
}

/// An ordinary sale: $0.99 for one photo on 1 July 2025.
fn valid_sale() -> Sale {
    Sale {
        date: Date {
            year: 2025,
            month: 7,
            day: 1,
        },
        time: None,
        asset_id: "A1".into(),
        title: Some("A valid sale".into()),
        file_name: None,
        media: MediaType::Photo,
        license: None,
        units: 1,
        earnings: Money {
            micros: 990_000,
            currency: "USD".into(),
        },
        country: None,
    }
}

fn sales(mode: Mode, bytes: usize) -> Vec<Sale> {
    let with = |change: fn(&mut Sale)| {
        let mut sale = valid_sale();
        change(&mut sale);
        vec![sale]
    };
    match mode {
        Mode::Valid => vec![valid_sale()],
        Mode::Month13 => with(|s| s.date.month = 13),
        Mode::EarningsMax => with(|s| s.earnings.micros = i64::MAX),
        Mode::EarningsMin => with(|s| s.earnings.micros = i64::MIN),
        Mode::UnitsMax => with(|s| s.units = i32::MAX),
        Mode::UnitsMin => with(|s| s.units = i32::MIN),
        Mode::BillionSales => {
            let mut empty = valid_sale();
            empty.title = None;
            empty.units = 0;
            empty.earnings.micros = 0;
            vec![empty; EMPTY_SALES_PER_CALL]
        }
        Mode::LegalExtremes => (0..bytes)
            .map(|i| {
                let mut sale = valid_sale();
                sale.units = MAX_SALE_UNITS;
                sale.earnings.micros = MAX_SALE_MICROS;
                if i % 2 == 1 {
                    sale.earnings.currency = "EUR".into();
                }
                sale
            })
            .collect(),
        Mode::Nothing => Vec::new(),
    }
}

impl ParseSession for BadValuesSession {
    fn new(_file_name: &str) -> Self {
        BadValuesSession {
            mode: None,
            rows: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<Batch, ParseError> {
        let mode = *self
            .mode
            .get_or_insert_with(|| Mode::from_first_line(chunk));
        let sales = sales(mode, chunk.len());
        self.rows += sales.len() as u64;
        Ok(Batch {
            sales,
            issues: Vec::new(),
        })
    }

    fn finish(&mut self) -> Result<(Batch, ParseSummary), ParseError> {
        Ok((
            Batch::default(),
            ParseSummary {
                rows: self.rows,
                rows_skipped: 0,
            },
        ))
    }
}

register_parser!(TestBadValues);
