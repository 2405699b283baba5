//! Builds the marketplaces report from folded [`Stats`]: one section and its highlights, or
//! nothing at all when the selection has fewer than two marketplaces (there is nothing to
//! compare, and the overview already speaks about an empty selection).
//!
//! Every figure is a typed [`Value`]; the host formats them. Money never crosses currencies:
//! tables have a column per currency, and shares of revenue are in the main currency only.
//!
//! - `side_by_side`: the marketplaces' totals in one table, with charts of shares and sales.
//! - `share_over_time`: each marketplace's share of sales month by month.
//! - `same_work`: works matched by file name across marketplaces, and the gaps between them.
//! - `highlights`: the findings that lead the chat summary.

mod highlights;
mod same_work;
mod share_over_time;
mod side_by_side;

use std::cmp::Reverse;

use stocklens_plugin_sdk::{
    CurrencyId, Locale, MICROS_PER_UNIT, Report, Request, Section, Value, divide_rounded,
};

use crate::lexicon::{self, Lexicon};
use crate::stats::{Marketplace, Stats};

/// What every part of the report needs.
pub struct Context<'a> {
    pub stats: &'a Stats,
    pub locale: Locale,
    pub text: &'static Lexicon,
    /// The currency most sales were paid in: shares of revenue and rankings use it.
    pub main: CurrencyId,
    /// Marketplaces with selected sales, the highest revenue in the main currency first.
    pub marketplaces: Vec<Marketplace<'a>>,
}

impl Context<'_> {
    /// Whether sales came in more than one currency, so labels must name theirs.
    pub fn several_currencies(&self) -> bool {
        self.stats.currencies().len() > 1
    }

    /// The code of `currency`.
    pub fn code(&self, currency: CurrencyId) -> &str {
        self.stats.code(currency)
    }

    /// The main currency's code.
    pub fn main_code(&self) -> &str {
        self.code(self.main)
    }

    /// How the report names a marketplace.
    pub fn name(&self, marketplace: &Marketplace<'_>) -> String {
        lexicon::marketplace_name(self.locale, marketplace.id)
    }

    /// A money value, exact; an error only if a sum no longer fits the WIT's `s64` micros.
    pub fn money(&self, micros: i128, currency: CurrencyId) -> Result<Value, String> {
        Value::money(micros, self.code(currency))
    }

    /// An amount inside a sentence, exact.
    pub fn amount(&self, micros: i128, currency: CurrencyId) -> String {
        self.locale.amount(micros, self.code(currency))
    }

    /// An average inside a sentence, rounded to hundredths: "$1.83", not "$1.833333".
    pub fn average(&self, micros: i128, currency: CurrencyId) -> String {
        let hundredth = i128::from(MICROS_PER_UNIT / 100);
        self.amount(divide_rounded(micros, hundredth) * hundredth, currency)
    }
}

/// A marketplace's revenue per asset in `currency`, over the assets that sold in it.
pub fn revenue_per_asset(marketplace: &Marketplace<'_>, currency: CurrencyId) -> Option<i128> {
    let assets = marketplace.assets_in(currency);
    (assets > 0).then(|| {
        divide_rounded(
            marketplace.totals.revenue.get(currency),
            i128::try_from(assets).unwrap_or(i128::MAX),
        )
    })
}

/// The report: empty unless the selection spans two marketplaces or more.
pub fn build(stats: &Stats, request: &Request) -> Result<Report, String> {
    let mut marketplaces = stats.marketplaces();
    if marketplaces.len() < 2 {
        return Ok(Report::default());
    }
    let main = stats.main_currency();
    marketplaces.sort_by_key(|m| {
        (
            Reverse(m.totals.revenue.get(main)),
            Reverse(m.totals.units),
            m.id,
        )
    });
    let locale = Locale::from_tag(&request.locale);
    let cx = Context {
        stats,
        locale,
        text: lexicon::lexicon(locale),
        main,
        marketplaces,
    };
    let matching = same_work::Matching::new(&cx);
    let mut blocks = side_by_side::blocks(&cx)?;
    blocks.extend(share_over_time::blocks(&cx));
    blocks.extend(same_work::blocks(&cx, &matching)?);
    Ok(Report {
        sections: vec![Section {
            id: "marketplaces".into(),
            title: cx.text.title.into(),
            blocks,
        }],
        highlights: highlights::notes(&cx, &matching),
    })
}

/// `part` as a percentage of `whole`, or empty when the whole is not positive. Shares are of
/// what sold: a part below zero (refunds outweighing sales) counts as nothing, and the whole is
/// the sum of the parts above zero, so shares stay within 0 to 100 % and add up to 100 %.
pub fn share(part: i128, whole: i128) -> Value {
    if whole > 0 {
        Value::Percent(part.max(0) as f64 * 100.0 / whole as f64)
    } else {
        Value::Empty
    }
}

/// The whole that [`share`] divides by: the sum of the parts above zero.
pub fn positive_sum(parts: impl Iterator<Item = i128>) -> i128 {
    parts.map(|part| part.max(0)).sum()
}

pub use stocklens_plugin_sdk::short_name;
