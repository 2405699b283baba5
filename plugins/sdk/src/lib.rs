//! The Stocklens plugin SDK: everything a plugin author needs to write a marketplace parser or a
//! report generator in plain Rust, compiled to a WebAssembly component.
//!
//! A plugin implements [`Parser`] (with a [`ParseSession`]) or [`Analyzer`] (with an
//! [`Analysis`]) on its own types and registers one with [`register_parser!`] or
//! [`register_analyzer!`]. The generated WIT bindings stay hidden: authors work with the plain
//! types of this crate, which compile natively too, so plugins are unit-tested and benchmarked
//! with an ordinary `cargo test`. Helpers cover what every export needs: exact money, dates in
//! seven languages, delimiter sniffing, header matching and an incremental CSV reader.
//!
//! ```
//! use stocklens_plugin_sdk::{parse_money, parse_date, DateOrder};
//! assert_eq!(parse_money("$0.99").map(|a| a.micros), Ok(990_000));
//! assert!(parse_date("05-Mar-2026", DateOrder::DayFirst).is_ok());
//! ```
//!
//! # Layout
//!
//! - `types`: sale, money, date and the other records every plugin kind speaks.
//! - `parser`: the parser traits and the records of a parse (batch, summary, sample, error).
//! - `analyzer`: the report-generator traits and the request a report is asked with.
//! - `report`: typed report content (sections, KPIs, tables, charts, notes).
//! - `money`, `date`, `delimiter`, `header`: reading what marketplaces write.
//! - `locale`, `tally`, `asset_ids`: words, exact per-currency sums and dense asset numbers for
//!   report generators.
//! - `row_reader`: chunked CSV records with line numbers, for parse sessions.
//! - `bindings` (wasm32 only, hidden): the generated bindings and the glue behind the macros.

#![deny(missing_docs)]

mod analyzer;
mod asset_ids;
mod date;
mod delimiter;
mod header;
mod locale;
mod money;
// Only the wasm bindings use it outside its own tests.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod packed;
mod parser;
mod report;
mod row_reader;
mod row_session;
mod tally;
mod types;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod bindings;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

pub use analyzer::{
    Analysis, Analyzer, ContentFocus, Filters, LimitPeriod, PortfolioFacts, Request, Scope,
    UploadLimit,
};
pub use asset_ids::{AssetIds, INLINE_ID_BYTES};
pub use date::{
    DateError, DateOrder, MAX_UTC_OFFSET_MINUTES, MAX_YEAR, MIN_YEAR, checked_date, days_in_month,
    guess_date_order, is_leap_year, joined_numbers, month_from_name, parse_date, parse_date_time,
};
pub use delimiter::{DELIMITERS, SNIFF_RECORDS, sniff_delimiter};
pub use header::{
    MAX_HEADER_CELL_BYTES, find_column, header_matches, match_columns, normalize_header,
};
pub use locale::{Locale, MAX_NAME_CHARS, plural_ru, short_name, with_currency};
pub use money::{
    Amount, Currency, DecimalStyle, MAX_DECIMALS, MICROS_PER_UNIT, MoneyError, format_micros,
    parse_money,
};
pub use parser::{
    Batch, Detection, EXCERPT_CHARS, ParseError, ParseSession, ParseSummary, Parser, Sample,
    excerpt, trim_cell,
};
pub use report::{
    Block, Chart, ChartKind, ChartUnit, Kpi, Note, NoteLevel, Report, Section, Series, Table, Value,
};
pub use row_reader::{MAX_FIELDS, MAX_RECORD_BYTES, Record, RowReader};
pub use row_session::{RowHandler, RowSession};
pub use tally::{Currencies, CurrencyId, PerCurrency, Tally, divide_rounded, percent_of};
pub use types::{
    Date, MAX_ASSET_ID_BYTES, MAX_SALE_MICROS, MAX_SALE_UNITS, MAX_TEXT_BYTES, MediaType, Money,
    PluginInfo, PluginKind, RowIssue, Sale, SaleRef, Time,
};

/// Exports a [`Parser`] implementation as the component's `parser` interface.
///
/// Use it once, in the plugin crate's root, with the type that implements [`Parser`]. On
/// wasm32 it emits the component exports; natively it expands to nothing, so the crate still
/// builds and tests as an ordinary library. The example on [`Parser`] shows a whole plugin
/// using it (and is compiled and run as a doc test).
#[macro_export]
macro_rules! register_parser {
    ($parser:ident) => {
        #[cfg(target_arch = "wasm32")]
        $crate::bindings::parser_world::export_parser!($parser with_types_in $crate::bindings::parser_world);
    };
}

/// Exports an [`Analyzer`] implementation as the component's `analyzer` interface.
///
/// Use it once, in the plugin crate's root, with the type that implements [`Analyzer`]. On
/// wasm32 it emits the component exports; natively it expands to nothing. The example on
/// [`Analyzer`] shows a whole plugin using it (and is compiled and run as a doc test).
#[macro_export]
macro_rules! register_analyzer {
    ($analyzer:ident) => {
        #[cfg(target_arch = "wasm32")]
        $crate::bindings::analyzer_world::export_analyzer!($analyzer with_types_in $crate::bindings::analyzer_world);
    };
}
