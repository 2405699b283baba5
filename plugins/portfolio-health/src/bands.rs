//! The interpretation bands of the four indicators, as the old Python bot drew them, and which
//! band a value falls in.
//!
//! Only thresholds and ranks live here; band names and advice are in the lexicon, indexed by the
//! band numbers this module returns (0 is the band of the lowest values).
//!
//! Which side a value exactly at a threshold goes to is fixed per indicator and stated in the
//! report: for the share of the portfolio sold, upload-limit usage and the acceptance rate it
//! goes to the band above (exactly 1 % is "below average", exactly 5 % "excellent", exactly
//! 97 % "at the limit"), as the old bot's "< 1 %", "≥ 5 %" and "≥ 97 %" say; for the share of
//! sales from new works it goes to the band below (exactly 10 % "needs new work", exactly 85 %
//! "superb"), as its "≤ 10 %" and "> 85 %" say.

/// Tolerance when comparing with a threshold, so that a share computed as 2.9999999999 % by
/// floating-point division reads as the 3 % it is.
pub const EPSILON: f64 = 1e-9;

/// One of the banded indicators, in the order the report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indicator {
    /// Works sold ÷ portfolio size, per month (the old bot's sales ÷ size uses the same bands).
    ShareSold,
    /// Share of sales from works uploaded in the last 3 months.
    NewWork,
    /// Uploads ÷ upload limit over the period.
    UploadUsage,
    /// Share of submissions accepted.
    Acceptance,
}

/// How an indicator's values split into bands.
#[derive(Debug)]
pub struct Scale {
    /// Thresholds between bands, ascending, in percent: one fewer than bands.
    pub bounds: &'static [f64],
    /// Whether a value exactly at a threshold belongs to the band above it.
    pub boundary_goes_up: bool,
    /// How good each band is, from 0 (needs attention most) to 4, lowest values first: picks the
    /// weakest indicator for the highlights. Not simply the band number: almost all sales from
    /// new work is a young portfolio, not a better one, and at the upload limit is no failing.
    pub strength: &'static [u8],
}

const SHARE_SOLD: Scale = Scale {
    bounds: &[1.0, 2.0, 3.0, 5.0],
    boundary_goes_up: true,
    strength: &[0, 1, 2, 3, 4],
};

const NEW_WORK: Scale = Scale {
    bounds: &[10.0, 20.0, 30.0, 85.0],
    boundary_goes_up: false,
    strength: &[0, 2, 3, 4, 2],
};

const UPLOAD_USAGE: Scale = Scale {
    // The old bot's bands are whole percents (< 30, 30–60, 61–80, 81–96, ≥ 97): a fraction
    // between 60 and 61 stays in the band below 61.
    bounds: &[30.0, 61.0, 81.0, 97.0],
    boundary_goes_up: true,
    strength: &[0, 1, 3, 4, 4],
};

const ACCEPTANCE: Scale = Scale {
    bounds: &[50.0, 70.0, 85.0],
    boundary_goes_up: true,
    strength: &[0, 1, 3, 4],
};

/// Strength at or below which an indicator is a problem to point out rather than information.
pub const WEAK: u8 = 1;

impl Indicator {
    /// Every indicator, in report order.
    pub const ALL: [Indicator; 4] = [
        Indicator::ShareSold,
        Indicator::NewWork,
        Indicator::UploadUsage,
        Indicator::Acceptance,
    ];

    /// Its bands.
    pub fn scale(self) -> &'static Scale {
        match self {
            Indicator::ShareSold => &SHARE_SOLD,
            Indicator::NewWork => &NEW_WORK,
            Indicator::UploadUsage => &UPLOAD_USAGE,
            Indicator::Acceptance => &ACCEPTANCE,
        }
    }

    /// The band `percent` falls in, 0 for the lowest values. Not a number counts as 0.
    pub fn band(self, percent: f64) -> usize {
        let scale = self.scale();
        scale
            .bounds
            .iter()
            .take_while(|&&bound| {
                if scale.boundary_goes_up {
                    percent >= bound - EPSILON
                } else {
                    percent > bound + EPSILON
                }
            })
            .count()
    }

    /// How good band `band` is (see [`Scale::strength`]).
    pub fn strength(self, band: usize) -> u8 {
        self.scale().strength.get(band).copied().unwrap_or(0)
    }

    /// The number of bands.
    pub fn band_count(self) -> usize {
        self.scale().bounds.len() + 1
    }

    /// The range of band `band`: its lower and upper threshold, `None` where it is open.
    pub fn range(self, band: usize) -> (Option<f64>, Option<f64>) {
        let bounds = self.scale().bounds;
        let lower = band.checked_sub(1).and_then(|i| bounds.get(i)).copied();
        (lower, bounds.get(band).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::Indicator::*;

    #[test]
    fn share_sold_boundaries_open_the_band_above() {
        let bands: Vec<usize> = [
            0.0,
            0.99,
            1.0,
            1.99,
            2.0,
            2.999_999_999_99,
            3.0,
            4.99,
            5.0,
            40.0,
        ]
        .iter()
        .map(|&v| ShareSold.band(v))
        .collect();
        assert_eq!(bands, [0, 0, 1, 1, 2, 3, 3, 3, 4, 4]);
    }

    #[test]
    fn new_work_boundaries_stay_in_the_band_below() {
        let bands: Vec<usize> = [0.0, 10.0, 10.01, 20.0, 20.5, 30.0, 30.5, 85.0, 85.01, 100.0]
            .iter()
            .map(|&v| NewWork.band(v))
            .collect();
        assert_eq!(bands, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    }

    #[test]
    fn upload_and_acceptance_bands_follow_the_old_bot() {
        let upload: Vec<usize> = [
            0.0, 29.9, 30.0, 60.0, 60.9, 61.0, 80.0, 81.0, 96.0, 97.0, 150.0,
        ]
        .iter()
        .map(|&v| UploadUsage.band(v))
        .collect();
        assert_eq!(upload, [0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4]);
        let acceptance: Vec<usize> = [0.0, 49.9, 50.0, 69.9, 70.0, 84.9, 85.0, 100.0]
            .iter()
            .map(|&v| Acceptance.band(v))
            .collect();
        assert_eq!(acceptance, [0, 0, 1, 1, 2, 2, 3, 3]);
        assert_eq!(Acceptance.band(f64::NAN), 0);
    }

    #[test]
    fn ranges_are_open_at_both_ends() {
        assert_eq!(ShareSold.range(0), (None, Some(1.0)));
        assert_eq!(ShareSold.range(4), (Some(5.0), None));
        assert_eq!(Acceptance.band_count(), 4);
        assert_eq!(NewWork.strength(4), 2);
    }
}
