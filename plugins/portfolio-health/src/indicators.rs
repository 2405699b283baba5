//! The four indicators computed from the folded sales and the contributor's facts, each with its
//! band, or the reason it cannot be shown. Numbers only: the report module words them.
//!
//! A fact that is absent leaves its indicator out; a zero is a real zero (a portfolio of 0 files
//! with sales is a contradiction to point out, 0 uploads is 0 % of the limit).

use stocklens_plugin_sdk::{ContentFocus, LimitPeriod, Request, UploadLimit};

use crate::bands::Indicator;
use crate::new_work::{self, Outcome};
use crate::period::Period;
use crate::stats::Stats;

/// Share of the portfolio sold, the correct measure and the old bot's.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareSold {
    /// Files online, as given.
    pub size: u32,
    /// Distinct works sold in the period.
    pub works_sold: u64,
    /// Units sold in the period.
    pub units: i64,
    /// Calendar months of the period.
    pub months: i32,
    /// Works sold ÷ size, over the period, in percent.
    pub works_share: f64,
    /// Units ÷ size over the period (the old bot's measure), in percent.
    pub units_share: f64,
    /// For a period over a month, the same per average month (the bands are for a month): works
    /// sold in each month ÷ size, averaged over the period's months; units ÷ months ÷ size.
    pub monthly: Option<Monthly>,
}

/// Averages per month of [`ShareSold`]'s two measures, in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Monthly {
    pub works_share: f64,
    pub units_share: f64,
}

impl ShareSold {
    /// The share of works sold the bands apply to: per month where the period is longer.
    pub fn banded_works(&self) -> f64 {
        self.monthly.map_or(self.works_share, |m| m.works_share)
    }
}

/// Why the share of the portfolio sold is missing, or the share.
#[derive(Debug, Clone, PartialEq)]
pub enum Portfolio {
    /// No portfolio size given.
    NotGiven,
    /// Size 0 given; `works_sold` works sold anyway (a contradiction when above zero).
    Zero { works_sold: u64 },
    /// Size given, but no period (no sales and no dates selected).
    NoPeriod,
    /// The share.
    Known(ShareSold),
}

/// Upload-limit usage over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadUse {
    /// The limit as given.
    pub limit: UploadLimit,
    /// Files uploaded in the period, as given.
    pub uploads: u32,
    /// The period in the limit's unit: weeks or months, with a fraction.
    pub periods: f64,
    /// The limit scaled to the period, rounded to whole files (at least 1).
    pub period_limit: u64,
    /// Uploads ÷ period limit, in percent.
    pub usage: f64,
}

/// Why the usage is missing, or the usage.
#[derive(Debug, Clone, PartialEq)]
pub enum Uploads {
    /// The limit, the uploads or both were not given.
    NotGiven {
        limit: Option<UploadLimit>,
        uploads: Option<u32>,
    },
    /// A limit of 0 files was given.
    ZeroLimit { uploads: u32 },
    /// No period to scale the limit to.
    NoPeriod,
    /// The usage.
    Known(UploadUse),
}

/// Every indicator of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    pub portfolio: Portfolio,
    pub new_work: Outcome,
    pub uploads: Uploads,
    /// The acceptance rate in percent, clamped to 0–100; `None` if not given (or not a number).
    pub acceptance: Option<f64>,
    /// Whether the contributor mainly makes AI work, which is reviewed more strictly.
    pub ai: bool,
}

impl Indicators {
    /// Computes every indicator.
    pub fn compute(stats: &Stats, request: &Request) -> Indicators {
        let facts = &request.facts;
        let period = Period::of(&request.filters, stats.first, stats.last, request.today);
        Indicators {
            portfolio: portfolio(stats, facts.portfolio_size, period),
            new_work: new_work::infer(stats, period),
            uploads: uploads(facts.upload_limit, facts.uploads_in_period, period),
            acceptance: facts
                .acceptance_rate
                .filter(|rate| !rate.is_nan())
                .map(|rate| rate.clamp(0.0, 100.0)),
            ai: facts.main_content == Some(ContentFocus::Ai),
        }
    }

    /// The band of each indicator that is known, with the value it was read from, in report
    /// order.
    pub fn banded(&self) -> Vec<(Indicator, f64)> {
        let mut out = Vec::new();
        if let Portfolio::Known(share) = &self.portfolio {
            out.push((Indicator::ShareSold, share.banded_works()));
        }
        if let Outcome::Known(new) = &self.new_work {
            out.push((Indicator::NewWork, new.share_of_sales));
        }
        if let Uploads::Known(usage) = &self.uploads {
            out.push((Indicator::UploadUsage, usage.usage));
        }
        if let Some(rate) = self.acceptance {
            out.push((Indicator::Acceptance, rate));
        }
        out
    }
}

fn portfolio(stats: &Stats, size: Option<u32>, period: Option<Period>) -> Portfolio {
    let Some(size) = size else {
        return Portfolio::NotGiven;
    };
    let works_sold = stats.works_sold();
    if size == 0 {
        return Portfolio::Zero { works_sold };
    }
    let Some(period) = period else {
        return Portfolio::NoPeriod;
    };
    let size_f = f64::from(size);
    let months = period.months_touched().max(1);
    // Multiplying before dividing keeps whole results exact: 3 of 300 is 1 %, not 0.999...
    let works_share = works_sold as f64 * 100.0 / size_f;
    let units_share = stats.selected.units as f64 * 100.0 / size_f;
    // Every selected sale is inside the period, so the month-by-month count is the period's.
    let monthly = (months > 1).then(|| Monthly {
        works_share: stats.works_sold_month_by_month() as f64 * 100.0
            / (size_f * f64::from(months)),
        units_share: stats.selected.units as f64 * 100.0 / (size_f * f64::from(months)),
    });
    Portfolio::Known(ShareSold {
        size,
        works_sold,
        units: stats.selected.units,
        months,
        works_share,
        units_share,
        monthly,
    })
}

fn uploads(limit: Option<UploadLimit>, uploads: Option<u32>, period: Option<Period>) -> Uploads {
    let (Some(limit), Some(uploads)) = (limit, uploads) else {
        return Uploads::NotGiven { limit, uploads };
    };
    if limit.count == 0 {
        return Uploads::ZeroLimit { uploads };
    }
    let Some(period) = period else {
        return Uploads::NoPeriod;
    };
    let periods = match limit.per {
        LimitPeriod::Week => period.weeks(),
        LimitPeriod::Month => period.months(),
    };
    // A limit of 1 file a week over a 3-day period still allows one file.
    let period_limit = (f64::from(limit.count) * periods).round().max(1.0) as u64;
    Uploads::Known(UploadUse {
        limit,
        uploads,
        periods,
        period_limit,
        usage: f64::from(uploads) * 100.0 / period_limit as f64,
    })
}
