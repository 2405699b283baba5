//! Exact sums of money for report generators: currencies numbered in order of appearance, and
//! sums per currency that never add two currencies together and never overflow.

/// Index of a currency in a [`Currencies`] table.
///
/// ```
/// use stocklens_plugin_sdk::{Currencies, CurrencyId, PerCurrency};
/// let mut currencies = Currencies::default();
/// let usd: CurrencyId = currencies.id("USD");
/// let mut revenue = PerCurrency::default();
/// revenue.add(usd, 990_000);
/// assert_eq!((currencies.code(usd), revenue.get(usd)), ("USD", 990_000));
/// ```
pub type CurrencyId = usize;

/// Currency codes in order of first appearance, each with a small number.
///
/// ```
/// use stocklens_plugin_sdk::Currencies;
/// let mut currencies = Currencies::default();
/// assert_eq!(currencies.id("USD"), 0);
/// assert_eq!(currencies.id("EUR"), 1);
/// assert_eq!(currencies.id("USD"), 0);
/// assert_eq!(currencies.code(1), "EUR");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Currencies {
    codes: Vec<String>,
}

impl Currencies {
    /// The number of `code`, added if new. Exports have one or two currencies, so a scan beats
    /// a map.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currencies;
    /// let mut currencies = Currencies::default();
    /// assert_eq!(currencies.id("EUR"), 0);
    /// assert_eq!(currencies.id("USD"), 1);
    /// assert_eq!(currencies.id("EUR"), 0);
    /// assert_eq!(currencies.len(), 2);
    /// ```
    pub fn id(&mut self, code: &str) -> CurrencyId {
        if let Some(id) = self.codes.iter().position(|known| known == code) {
            return id;
        }
        self.codes.push(code.to_owned());
        self.codes.len() - 1
    }

    /// The code of currency `id`, or "" for a number never handed out.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currencies;
    /// let mut currencies = Currencies::default();
    /// let usd = currencies.id("USD");
    /// assert_eq!(currencies.code(usd), "USD");
    /// assert_eq!(currencies.code(usd + 1), "");
    /// ```
    pub fn code(&self, id: CurrencyId) -> &str {
        self.codes.get(id).map_or("", String::as_str)
    }

    /// Every code, indexed by [`CurrencyId`].
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Currencies, Locale, PerCurrency};
    /// let (mut currencies, mut revenue) = (Currencies::default(), PerCurrency::default());
    /// for (code, micros) in [("USD", 990_000), ("EUR", 2_500_000), ("USD", 990_000)] {
    ///     revenue.add(currencies.id(code), micros);
    /// }
    /// let parts: Vec<(i128, &str)> = currencies
    ///     .codes()
    ///     .iter()
    ///     .enumerate()
    ///     .map(|(id, code)| (revenue.get(id), code.as_str()))
    ///     .collect();
    /// assert_eq!(Locale::En.amounts(&parts), "$1.98 and €2.50");
    /// ```
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// How many currencies were seen.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currencies;
    /// let mut currencies = Currencies::default();
    /// for code in ["USD", "USD", "EUR"] {
    ///     currencies.id(code);
    /// }
    /// assert_eq!(currencies.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether no currency was seen.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currencies;
    /// let mut currencies = Currencies::default();
    /// assert!(currencies.is_empty());
    /// currencies.id("USD");
    /// assert!(!currencies.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// Sums of micros per currency, indexed by [`CurrencyId`]. The first currency is stored inline:
/// nearly every export has one, so adding a sale touches no other heap block.
///
/// ```
/// use stocklens_plugin_sdk::PerCurrency;
/// let mut sums = PerCurrency::default();
/// sums.add(0, 990_000);
/// sums.add(2, -500_000);
/// assert_eq!((sums.get(0), sums.get(1), sums.get(2)), (990_000, 0, -500_000));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerCurrency {
    first: i128,
    /// Currencies 1.., as long as the highest one that occurred here.
    others: Vec<i128>,
}

impl PerCurrency {
    /// Adds `micros` in `currency`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::PerCurrency;
    /// let mut sums = PerCurrency::default();
    /// sums.add(1, 990_000);
    /// sums.add(1, -330_000); // a refund
    /// assert_eq!((sums.get(0), sums.get(1)), (0, 660_000));
    /// ```
    #[inline]
    pub fn add(&mut self, currency: CurrencyId, micros: i128) {
        if currency == 0 {
            self.first += micros;
            return;
        }
        if self.others.len() < currency {
            self.others.resize(currency, 0);
        }
        self.others[currency - 1] += micros;
    }

    /// The sum in `currency`, zero if it never occurred.
    ///
    /// ```
    /// use stocklens_plugin_sdk::PerCurrency;
    /// let mut sums = PerCurrency::default();
    /// sums.add(0, 990_000);
    /// assert_eq!(sums.get(0), 990_000);
    /// assert_eq!(sums.get(9), 0);
    /// ```
    pub fn get(&self, currency: CurrencyId) -> i128 {
        match currency {
            0 => self.first,
            _ => self.others.get(currency - 1).copied().unwrap_or(0),
        }
    }

    /// Every currency's sum, zeros included, up to the highest that occurred here.
    ///
    /// ```
    /// use stocklens_plugin_sdk::PerCurrency;
    /// let mut sums = PerCurrency::default();
    /// sums.add(2, 500_000);
    /// assert_eq!(sums.iter().collect::<Vec<_>>(), [0, 0, 500_000]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = i128> + '_ {
        std::iter::once(self.first).chain(self.others.iter().copied())
    }

    /// Adds every sum of `other`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::PerCurrency;
    /// let (mut total, mut july) = (PerCurrency::default(), PerCurrency::default());
    /// total.add(0, 990_000);
    /// july.add(0, 10_000);
    /// july.add(1, 2_500_000);
    /// total.merge(&july);
    /// assert_eq!(total.iter().collect::<Vec<_>>(), [1_000_000, 2_500_000]);
    /// ```
    pub fn merge(&mut self, other: &PerCurrency) {
        for (currency, micros) in other.iter().enumerate() {
            self.add(currency, micros);
        }
    }
}

/// Sales and revenue of one group (an asset, a month, a license, a marketplace): what every
/// report generator sums.
///
/// ```
/// use stocklens_plugin_sdk::Tally;
/// let mut july = Tally::default();
/// july.add(0, 2, 1_980_000);
/// july.add(0, -1, -990_000); // a refund
/// assert_eq!((july.units, july.rows, july.revenue.get(0)), (1, 2, 990_000));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Sum of units (refunds and reversals count negative).
    pub units: i64,
    /// Rows folded in, so a group of refunds netting to zero units still shows as activity.
    pub rows: u64,
    /// Revenue per currency.
    pub revenue: PerCurrency,
}

impl Tally {
    /// Folds in one row: `units` and `micros` of `currency`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Tally;
    /// let mut asset = Tally::default();
    /// asset.add(0, 1, 990_000);
    /// asset.add(0, 1, 990_000);
    /// assert_eq!((asset.units, asset.rows, asset.revenue.get(0)), (2, 2, 1_980_000));
    /// ```
    #[inline]
    pub fn add(&mut self, currency: CurrencyId, units: i64, micros: i128) {
        self.units += units;
        self.rows += 1;
        self.revenue.add(currency, micros);
    }

    /// Adds every figure of `other`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Tally;
    /// let (mut july, mut august) = (Tally::default(), Tally::default());
    /// july.add(0, 2, 1_980_000);
    /// august.add(1, 1, 2_500_000);
    /// let mut year = Tally::default();
    /// year.merge(&july);
    /// year.merge(&august);
    /// assert_eq!((year.units, year.rows), (3, 2));
    /// assert_eq!(year.revenue.iter().collect::<Vec<_>>(), [1_980_000, 2_500_000]);
    /// ```
    pub fn merge(&mut self, other: &Tally) {
        self.units += other.units;
        self.rows += other.rows;
        self.revenue.merge(&other.revenue);
    }
}

/// `numerator / denominator` rounded half away from zero, exactly: averages of money in micros.
/// A zero denominator gives zero.
///
/// ```
/// use stocklens_plugin_sdk::divide_rounded;
/// assert_eq!(divide_rounded(10, 4), 3);
/// assert_eq!(divide_rounded(-10, 4), -3);
/// assert_eq!(divide_rounded(1_000_000, 3), 333_333);
/// ```
pub fn divide_rounded(numerator: i128, denominator: i128) -> i128 {
    if denominator == 0 {
        return 0;
    }
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator.abs() {
        quotient
            + if (numerator < 0) == (denominator < 0) {
                1
            } else {
                -1
            }
    } else {
        quotient
    }
}

/// `part` as a percentage of `whole`, or `None` when the whole is not positive.
///
/// ```
/// use stocklens_plugin_sdk::{Locale, percent_of};
/// assert_eq!(percent_of(1, 4), Some(25.0));
/// assert_eq!(percent_of(1, 0), None);
/// assert_eq!(percent_of(1, 3).map(|p| Locale::En.percent(p, 1)).as_deref(), Some("33.3%"));
/// ```
pub fn percent_of(part: i128, whole: i128) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_symmetric_and_exact() {
        assert_eq!(divide_rounded(10, 3), 3);
        assert_eq!(divide_rounded(-10, 3), -3);
        assert_eq!(divide_rounded(5, -2), -3);
        assert_eq!(divide_rounded(7, 0), 0);
        assert_eq!(
            divide_rounded(i128::from(i64::MAX) * 4, 4),
            i128::from(i64::MAX)
        );
    }

    #[test]
    fn sums_merge_per_currency() {
        let mut a = PerCurrency::default();
        a.add(1, 5);
        let mut b = PerCurrency::default();
        b.add(0, 2);
        b.add(3, 7);
        a.merge(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![2, 5, 0, 7]);
        assert_eq!(percent_of(1, 4), Some(25.0));
        assert_eq!(percent_of(1, 0), None);
    }
}
