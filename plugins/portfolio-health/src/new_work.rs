//! Which selected sales come from new work (uploaded in the last 3 months of the period), told
//! without asking the contributor, per source:
//!
//! 1. From the history: a work is new if its first sale anywhere in the data is on or after the
//!    boundary, provided the source's data reaches at least 3 months before the boundary (an
//!    older work would have sold in that time). Preferred, as it needs no assumption about ids.
//! 2. From the id sequence: a marketplace numbers works in upload order, so a work is new if its
//!    numeric id is above the highest id sold before the boundary. An estimate; non-numeric ids
//!    count as not new.
//!
//! A source that allows neither is left out of the share (and named in a note). Nothing here
//! writes text: the report says which method was used.

use stocklens_plugin_sdk::{Date, percent_of};

use crate::period::{Period, whole_months_between};
use crate::stats::{Stats, Tally, numeric_id};

/// What counts as new: works uploaded within this many months before the period's end.
pub const NEW_MONTHS: i32 = 3;

/// How far before the boundary a source's data must reach for its first sales to tell new work
/// from old: an older work that sells at all has most likely sold in 3 months.
pub const HISTORY_NEEDED_MONTHS: i32 = 3;

/// History at which the split by first sales is reliable even for works that sell rarely; with
/// less, the report says so.
pub const HISTORY_COMFORTABLE_MONTHS: i32 = 6;

/// How a source's new works were told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// By first sales; the data reaches this many whole months before the boundary.
    History { months_before: i32 },
    /// By asset ids: above this id is new.
    Ids { boundary_id: u64 },
}

/// A source's share in the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMethod {
    /// Index in [`Stats::sources`].
    pub source: usize,
    /// How its new works were told.
    pub method: Method,
}

/// The share of selected sales from new work.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWork {
    /// First day of the last 3 months: new work was uploaded on or after it.
    pub boundary: Date,
    /// Whether the period starts before the boundary, so shares are of the last 3 months only.
    pub window_is_part: bool,
    /// Sources told, each with its method.
    pub methods: Vec<SourceMethod>,
    /// Sources with sales in the last 3 months that allow no method, left out of the share.
    pub left_out: Vec<usize>,
    /// Sales of new works.
    pub new: Tally,
    /// Every sale in the last 3 months on the sources told.
    pub window: Tally,
    /// New works' units ÷ all units in the window, in percent, within 0–100.
    pub share_of_sales: f64,
}

impl NewWork {
    /// New works' share of the window's revenue in currency `currency`, if that revenue is
    /// positive.
    pub fn share_of_revenue(&self, currency: usize) -> Option<f64> {
        percent_of(
            self.new.revenue.get(currency),
            self.window.revenue.get(currency),
        )
    }
}

/// The outcome: a share, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// No period to place the boundary in (no sales and no dates selected).
    NoPeriod,
    /// No selected sale (net of refunds) in the last 3 months.
    NoRecentSales { boundary: Date },
    /// No source's data reaches before the boundary.
    Unknown {
        boundary: Date,
        /// How far back the data would have to reach for the history method.
        needed_from: Date,
    },
    /// The share.
    Known(NewWork),
}

/// Tells new work from old in the selected sales of `period`.
pub fn infer(stats: &Stats, period: Option<Period>) -> Outcome {
    let Some(period) = period else {
        return Outcome::NoPeriod;
    };
    let boundary = period.end.add_days(1).add_months(-NEW_MONTHS);
    let needed_from = boundary.add_months(-HISTORY_NEEDED_MONTHS);
    let (first, last) = (boundary.day_number(), period.end.day_number());

    // Highest numeric id per source among works sold before the boundary.
    let mut boundary_ids: Vec<Option<u64>> = vec![None; stats.sources.len()];
    for (source, id, _) in stats.assets().filter(|(_, _, a)| a.first_sale < first) {
        if let (Some(number), Some(slot)) = (numeric_id(id), boundary_ids.get_mut(source)) {
            *slot = Some(slot.map_or(number, |best| best.max(number)));
        }
    }

    let mut methods: Vec<Option<Method>> = vec![None; stats.sources.len()];
    let mut told = Vec::new();
    let mut left_out = Vec::new();
    let mut window = Tally::default();
    for (index, source) in stats.sources.iter().enumerate() {
        let in_window = source.window(first, last);
        if in_window.rows == 0 {
            continue;
        }
        let earliest = source.earliest.map(Date::from_day_number);
        let method = match (earliest, boundary_ids[index]) {
            (Some(earliest), _) if earliest <= needed_from => Method::History {
                months_before: whole_months_between(earliest, boundary),
            },
            (_, Some(boundary_id)) => Method::Ids { boundary_id },
            _ => {
                left_out.push(index);
                continue;
            }
        };
        methods[index] = Some(method);
        told.push(SourceMethod {
            source: index,
            method,
        });
        window.merge(&in_window);
    }
    if told.is_empty() {
        return if left_out.is_empty() {
            Outcome::NoRecentSales { boundary }
        } else {
            Outcome::Unknown {
                boundary,
                needed_from,
            }
        };
    }

    let mut new = Tally::default();
    for (source, id, asset) in stats.assets() {
        let is_new = match methods.get(source).copied().flatten() {
            Some(Method::History { .. }) => asset.first_sale >= first,
            Some(Method::Ids { boundary_id }) => numeric_id(id).is_some_and(|n| n > boundary_id),
            None => false,
        };
        if is_new {
            new.units += asset.units;
            for currency in 0..stats.currencies.len() {
                new.revenue.add(currency, asset.revenue.get(currency));
            }
        }
    }
    if window.units <= 0 {
        return Outcome::NoRecentSales { boundary };
    }
    // Refunds of old work in the window can leave new work with more net sales than the whole:
    // then every net sale came from new work.
    let share_of_sales = (new.units as f64 * 100.0 / window.units as f64).clamp(0.0, 100.0);
    Outcome::Known(NewWork {
        boundary,
        window_is_part: period.start < boundary,
        methods: told,
        left_out,
        new,
        window,
        share_of_sales,
    })
}
