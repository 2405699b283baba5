//! Sharing a day's downloads out among the categories that earned that day, for the monthly
//! export, which gives one download count per day but earnings per category.
//!
//! The true split is not in the file, so this is an estimate with two promises: the units of a
//! day always add up to its downloads, and a category that earned gets one download when there
//! are enough to go round. Downloads beyond one per category go to the day's subscription
//! column: a subscription download earns cents (10¢ to 38¢ for an image) where on-demand,
//! enhanced and single sales earn dollars, so on a day with `$0.30` of subscriptions and a `$60`
//! footage sale over four downloads, the three cheap ones are the subscriptions. On a day without
//! subscriptions they go to the category that earned least, for the same reason.

/// One category's money on a day, as the split sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Earned {
    /// The category's earnings that day, in micros.
    pub micros: i64,
    /// Subscription downloads: where the extra downloads go first.
    pub subscription: bool,
}

/// Units for each category of a day, in the order given. `None` stands for a category that takes
/// no downloads (a referral).
pub fn split_downloads(downloads: i32, earned: &[Option<Earned>]) -> Vec<i32> {
    let mut units = vec![0i32; earned.len()];
    let sign = downloads.signum();
    if sign == 0 || earned.is_empty() {
        return units;
    }
    let moving = |same_sign: bool| -> Vec<(usize, Earned)> {
        earned
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let e = (*e)?;
                let fits = e.micros != 0 && (!same_sign || i64::from(sign) == e.micros.signum());
                fits.then_some((i, e))
            })
            .collect()
    };
    // Sales go to categories that earned, refunds to those that lost money; if none match the
    // sign, any category that moved money will do.
    let mut candidates = moving(true);
    if candidates.is_empty() {
        candidates = moving(false);
    }
    let Some(&(first, _)) = candidates.first() else {
        // Downloads but no category that takes them: they still happened; keep them on the first
        // column so the day's total stays right.
        units[0] = downloads;
        return units;
    };
    let total = downloads.unsigned_abs() as usize;
    if total < candidates.len() {
        // Not one each: the biggest earners get one (equal amounts: the earlier column).
        candidates.sort_by(|a, b| {
            (b.1.micros.unsigned_abs())
                .cmp(&a.1.micros.unsigned_abs())
                .then(a.0.cmp(&b.0))
        });
        for &(i, _) in candidates.iter().take(total) {
            units[i] = sign;
        }
        return units;
    }
    for &(i, _) in &candidates {
        units[i] = sign;
    }
    let extras_to = candidates
        .iter()
        .find(|(_, e)| e.subscription)
        .or_else(|| {
            candidates
                .iter()
                .min_by_key(|(i, e)| (e.micros.unsigned_abs(), *i))
        })
        .map_or(first, |&(i, _)| i);
    // `total` came from an i32, so the difference fits one.
    units[extras_to] += sign * (total - candidates.len()) as i32;
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(micros: i64) -> Option<Earned> {
        Some(Earned {
            micros,
            subscription: true,
        })
    }

    fn single(micros: i64) -> Option<Earned> {
        Some(Earned {
            micros,
            subscription: false,
        })
    }

    #[test]
    fn one_category_takes_all_downloads() {
        assert_eq!(
            split_downloads(7, &[None, single(1_500_000), None]),
            [0, 7, 0]
        );
    }

    #[test]
    fn every_earning_category_gets_one_and_subscriptions_the_rest() {
        // $0.30 of subscriptions and a $60 footage sale over four downloads.
        assert_eq!(
            split_downloads(4, &[sub(300_000), single(60_000_000)]),
            [3, 1]
        );
        // The first subscription column (images before videos) takes the rest.
        assert_eq!(
            split_downloads(6, &[single(2_850_000), sub(500_000), sub(1_000_000)]),
            [1, 4, 1]
        );
    }

    #[test]
    fn without_subscriptions_the_cheapest_category_takes_the_rest() {
        assert_eq!(
            split_downloads(5, &[single(2_850_000), single(230_000), single(28_500_000)]),
            [1, 3, 1]
        );
        // Equal amounts: the earlier column.
        assert_eq!(
            split_downloads(3, &[single(500_000), single(500_000)]),
            [2, 1]
        );
    }

    #[test]
    fn referrals_take_no_downloads() {
        assert_eq!(
            split_downloads(2, &[sub(330_000), None, single(100_000)]),
            [1, 0, 1]
        );
        assert_eq!(split_downloads(1, &[None]), [1]);
    }

    #[test]
    fn too_few_downloads_go_to_the_biggest_earners() {
        assert_eq!(
            split_downloads(1, &[sub(100_000), single(2_850_000), single(330_000)]),
            [0, 1, 0]
        );
    }

    #[test]
    fn a_refund_takes_back_from_the_category_that_lost() {
        assert_eq!(
            split_downloads(-1, &[sub(330_000), single(-2_850_000)]),
            [0, -1]
        );
        assert_eq!(split_downloads(0, &[sub(330_000)]), [0]);
    }

    #[test]
    fn units_always_add_up_to_the_downloads() {
        let earned = [sub(123_456), single(1), None, single(9_999_999), sub(-5)];
        for downloads in -20..=200 {
            let units = split_downloads(downloads, &earned);
            assert_eq!(units.iter().sum::<i32>(), downloads, "{downloads}");
        }
        assert_eq!(split_downloads(3, &[None, None]), [3, 0]);
    }
}
