//! How sales cross the plugin boundary: a batch's strings packed into one text buffer, each
//! sale referring to its strings by byte range (the WIT's `sale-batch`).
//!
//! Authors never see this: parsers return `Vec<Sale>` and analyzers receive `&[SaleRef]`; the
//! SDK packs on the way out and lends the strings on the way in. Packing turns thousands of string
//! allocations per batch on the host side into one, which is most of the cost of a big file
//! once several report generators are fed the same sales. A field equal to the same field of the
//! previous sale (the currency, a license, a repeat sale's title) reuses its range.

use crate::types::{Date, MediaType, Sale, Time};

/// A byte range in a batch's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextRef {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Length in bytes.
    pub len: u32,
}

/// A sale whose strings live in its batch's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedSale {
    /// See [`Sale::date`].
    pub date: Date,
    /// See [`Sale::time`].
    pub time: Option<Time>,
    /// See [`Sale::asset_id`].
    pub asset_id: TextRef,
    /// See [`Sale::title`].
    pub title: Option<TextRef>,
    /// See [`Sale::file_name`].
    pub file_name: Option<TextRef>,
    /// See [`Sale::media`].
    pub media: MediaType,
    /// See [`Sale::license`].
    pub license: Option<TextRef>,
    /// See [`Sale::units`].
    pub units: i32,
    /// The earnings' micros (see [`Money::micros`]).
    pub earnings_micros: i64,
    /// The earnings' currency (see [`Money::currency`]).
    pub currency: TextRef,
    /// See [`Sale::country`].
    pub country: Option<TextRef>,
}

/// Sales in their boundary form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackedBatch {
    /// Every string of the batch.
    pub text: String,
    /// The sales, referring into `text`.
    pub sales: Vec<PackedSale>,
}

/// Appends strings to the text, reusing the previous range when a field repeats.
struct Packer {
    text: String,
}

impl Packer {
    fn put(&mut self, value: &str, previous: Option<TextRef>) -> TextRef {
        if let Some(previous) = previous
            && self.get(previous) == value
        {
            return previous;
        }
        // Text beyond 4 GiB cannot occur: a plugin's memory is capped far below that.
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(value);
        TextRef {
            start,
            len: u32::try_from(value.len()).unwrap_or(u32::MAX),
        }
    }

    fn put_opt(&mut self, value: Option<&str>, previous: Option<TextRef>) -> Option<TextRef> {
        value.map(|value| self.put(value, previous))
    }

    fn get(&self, range: TextRef) -> &str {
        text_at(&self.text, range)
    }
}

/// The string at `range`, or "" when the range is not valid UTF-8 text inside `text` (the host
/// checks every batch before it reaches an analyzer, so this never happens in practice).
pub fn text_at(text: &str, range: TextRef) -> &str {
    let start = range.start as usize;
    let end = start.saturating_add(range.len as usize);
    text.get(start..end).unwrap_or("")
}

/// Packs sales for the boundary.
pub fn pack(sales: Vec<Sale>) -> PackedBatch {
    let capacity = sales
        .iter()
        .map(|s| {
            s.asset_id.len()
                + s.title.as_ref().map_or(0, String::len)
                + s.file_name.as_ref().map_or(0, String::len)
                + s.license.as_ref().map_or(0, String::len)
                + s.country.as_ref().map_or(0, String::len)
                + s.earnings.currency.len()
        })
        .sum();
    let mut packer = Packer {
        text: String::with_capacity(capacity),
    };
    let mut packed: Vec<PackedSale> = Vec::with_capacity(sales.len());
    for sale in sales {
        let last = packed.last();
        let (p_asset, p_title, p_file, p_license, p_currency, p_country) = match last {
            Some(l) => (
                Some(l.asset_id),
                l.title,
                l.file_name,
                l.license,
                Some(l.currency),
                l.country,
            ),
            None => (None, None, None, None, None, None),
        };
        let next = PackedSale {
            date: sale.date,
            time: sale.time,
            asset_id: packer.put(&sale.asset_id, p_asset),
            title: packer.put_opt(sale.title.as_deref(), p_title),
            file_name: packer.put_opt(sale.file_name.as_deref(), p_file),
            media: sale.media,
            license: packer.put_opt(sale.license.as_deref(), p_license),
            units: sale.units,
            earnings_micros: sale.earnings.micros,
            currency: packer.put(&sale.earnings.currency, p_currency),
            country: packer.put_opt(sale.country.as_deref(), p_country),
        };
        packed.push(next);
    }
    PackedBatch {
        text: packer.text,
        sales: packed,
    }
}

/// Unpacks sales as the host sends them (for testing the round trip of [`pack`]).
#[cfg(test)]
pub fn unpack(batch: &PackedBatch) -> Vec<Sale> {
    borrow(batch).iter().map(|sale| sale.to_sale()).collect()
}

/// The sales of `batch` borrowing their strings from its text, as report generators receive
/// them (the component adapter reads them straight from the generated records).
#[cfg(test)]
pub fn borrow(batch: &PackedBatch) -> Vec<crate::types::SaleRef<'_>> {
    let text = batch.text.as_str();
    let at = |range: TextRef| text_at(text, range);
    batch
        .sales
        .iter()
        .map(|p| crate::types::SaleRef {
            date: p.date,
            time: p.time,
            asset_id: at(p.asset_id),
            title: p.title.map(at),
            file_name: p.file_name.map(at),
            media: p.media,
            license: p.license.map(at),
            units: p.units,
            micros: p.earnings_micros,
            currency: at(p.currency),
            country: p.country.map(at),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Money;

    fn sale(asset: &str, title: Option<&str>, license: &str, currency: &str, micros: i64) -> Sale {
        Sale {
            date: Date {
                year: 2025,
                month: 7,
                day: 31,
            },
            time: None,
            asset_id: asset.into(),
            title: title.map(Into::into),
            file_name: None,
            media: MediaType::Photo,
            license: Some(license.into()),
            units: 1,
            earnings: Money {
                micros,
                currency: currency.into(),
            },
            country: Some("Россия".into()),
        }
    }

    #[test]
    fn packing_round_trips_every_field() {
        let sales = vec![
            sale("1", Some("Sunset, beach"), "subscription", "USD", 990_000),
            sale("2", None, "subscription", "USD", -330_000),
            sale("1", Some("Sunset, beach"), "extended", "EUR", 26_400_000),
            sale("", Some(""), "", "USD", 0),
        ];
        let packed = pack(sales.clone());
        assert_eq!(packed.sales.len(), 4);
        assert_eq!(unpack(&packed), sales);
    }

    #[test]
    fn repeated_fields_share_one_range() {
        let packed = pack(vec![
            sale("1", Some("A"), "subscription", "USD", 1),
            sale("2", Some("B"), "subscription", "USD", 2),
        ]);
        assert_eq!(packed.sales[0].currency, packed.sales[1].currency);
        assert_eq!(packed.sales[0].license, packed.sales[1].license);
        assert_eq!(packed.text, "1AsubscriptionUSDРоссия2B");
    }

    #[test]
    fn a_range_outside_the_text_reads_as_empty() {
        assert_eq!(text_at("abc", TextRef { start: 2, len: 5 }), "");
        assert_eq!(text_at("жж", TextRef { start: 1, len: 1 }), "");
        assert_eq!(text_at("жж", TextRef { start: 2, len: 2 }), "ж");
    }
}
