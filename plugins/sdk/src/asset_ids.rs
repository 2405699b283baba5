//! Numbers one marketplace's asset ids densely (0, 1, 2... in order of first appearance), so a
//! report generator keeps per-asset totals in a `Vec` indexed by that number.
//!
//! Looking a sale's asset up is the one cost every sale pays in every generator. With `String`
//! keys each lookup follows the key's heap pointer to compare it: a cache miss on top of the
//! table's own once portfolios reach tens of thousands of assets. Real ids are short (Adobe
//! Stock, Shutterstock and iStock ids are 6 to 12 digits), so ids up to [`INLINE_ID_BYTES`] are
//! stored inside the table as three words and compared without touching the heap; only longer
//! ones fall back to a `String` map. In the marketplaces generator this (with packed per-asset
//! records) halved the cost of feeding, measured natively. (Keying decimal ids by their value was
//! tried: parsing the digits cost more than the smaller table saved.)

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

/// Longest id stored inline: 24 bytes less the one that holds the length.
///
/// ```
/// use stocklens_plugin_sdk::{AssetIds, INLINE_ID_BYTES};
/// // Longer ids are numbered just the same, only on a slower path.
/// let long = "9".repeat(INLINE_ID_BYTES + 1);
/// let mut ids = AssetIds::default();
/// assert_eq!(ids.number("612004581"), Some(0));
/// assert_eq!(ids.number(&long), Some(1));
/// assert_eq!((ids.get(&long), ids.id(1)), (Some(1), long.as_str()));
/// ```
pub const INLINE_ID_BYTES: usize = 23;

/// An id of at most [`INLINE_ID_BYTES`] bytes, zero-padded, its length in the last byte (so "a"
/// and "a\0" differ). Kept as bytes so the id can be lent back as a `&str`; hashed as three words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortId([u8; INLINE_ID_BYTES + 1]);

impl Hash for ShortId {
    // Three words, without the length prefix and byte-slice path of the derived hash.
    fn hash<H: Hasher>(&self, state: &mut H) {
        for chunk in self.0.chunks_exact(8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            state.write_u64(u64::from_le_bytes(word));
        }
    }
}

impl ShortId {
    fn new(id: &str) -> Option<ShortId> {
        let bytes = id.as_bytes();
        if bytes.len() > INLINE_ID_BYTES {
            return None;
        }
        let mut buffer = [0u8; INLINE_ID_BYTES + 1];
        buffer[..bytes.len()].copy_from_slice(bytes);
        buffer[INLINE_ID_BYTES] = bytes.len() as u8;
        Some(ShortId(buffer))
    }

    fn as_str(&self) -> &str {
        let len = usize::from(self.0[INLINE_ID_BYTES]).min(INLINE_ID_BYTES);
        // Copied from a `&str` whole, so always UTF-8; the empty fallback cannot happen.
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }
}

/// Where the id of a number is kept.
#[derive(Debug, Clone)]
enum Stored {
    Short(ShortId),
    /// Index in `long_ids`.
    Long(u32),
}

/// Asset ids of one marketplace, numbered 0, 1, 2... in order of first appearance.
///
/// ```
/// use stocklens_plugin_sdk::AssetIds;
/// let mut ids = AssetIds::default();
/// assert_eq!(ids.number("612004581"), Some(0));
/// assert_eq!(ids.number("612118823"), Some(1));
/// assert_eq!(ids.number("612004581"), Some(0));
/// assert_eq!(ids.id(1), "612118823");
/// assert_eq!(ids.get("999"), None);
/// ```
#[derive(Debug, Default, Clone)]
pub struct AssetIds {
    short: FxHashMap<ShortId, u32>,
    long: FxHashMap<String, u32>,
    /// Every number's id, to give it back (ranking ties, names of last resort).
    by_number: Vec<Stored>,
    long_ids: Vec<String>,
}

impl AssetIds {
    /// How many ids were numbered.
    ///
    /// ```
    /// use stocklens_plugin_sdk::AssetIds;
    /// let mut ids = AssetIds::default();
    /// for id in ["612004581", "612118823", "612004581"] {
    ///     ids.number(id);
    /// }
    /// assert_eq!(ids.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.by_number.len()
    }

    /// Whether no id was numbered.
    ///
    /// ```
    /// use stocklens_plugin_sdk::AssetIds;
    /// let mut ids = AssetIds::default();
    /// assert!(ids.is_empty());
    /// ids.number("612004581");
    /// assert!(!ids.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.by_number.is_empty()
    }

    /// The number of `id`, numbering it `len()` if it is new; `None` once `u32` numbers run out
    /// (four billion assets is no real portfolio).
    ///
    /// ```
    /// use stocklens_plugin_sdk::AssetIds;
    /// // Per-asset totals in a `Vec` indexed by the asset's number.
    /// let mut ids = AssetIds::default();
    /// let mut units: Vec<i64> = Vec::new();
    /// for (id, sold) in [("612004581", 2), ("612118823", 1), ("612004581", 3)] {
    ///     let Some(number) = ids.number(id) else { continue };
    ///     let number = number as usize;
    ///     if number == units.len() {
    ///         units.push(0);
    ///     }
    ///     units[number] += sold;
    /// }
    /// assert_eq!(units, [5, 1]);
    /// ```
    #[inline]
    pub fn number(&mut self, id: &str) -> Option<u32> {
        match ShortId::new(id) {
            Some(short) => {
                if let Some(&number) = self.short.get(&short) {
                    return Some(number);
                }
                let next = u32::try_from(self.by_number.len()).ok()?;
                self.short.insert(short, next);
                self.by_number.push(Stored::Short(short));
                Some(next)
            }
            None => {
                if let Some(&number) = self.long.get(id) {
                    return Some(number);
                }
                let next = u32::try_from(self.by_number.len()).ok()?;
                let slot = u32::try_from(self.long_ids.len()).ok()?;
                self.long.insert(id.to_owned(), next);
                self.long_ids.push(id.to_owned());
                self.by_number.push(Stored::Long(slot));
                Some(next)
            }
        }
    }

    /// The number of `id`, if it was numbered.
    ///
    /// ```
    /// use stocklens_plugin_sdk::AssetIds;
    /// let mut ids = AssetIds::default();
    /// assert_eq!(ids.get("612004581"), None); // looking up does not number
    /// assert!(ids.is_empty());
    /// ids.number("612004581");
    /// assert_eq!(ids.get("612004581"), Some(0));
    /// ```
    pub fn get(&self, id: &str) -> Option<u32> {
        match ShortId::new(id) {
            Some(short) => self.short.get(&short).copied(),
            None => self.long.get(id).copied(),
        }
    }

    /// The id numbered `number`; empty for a number never handed out.
    ///
    /// ```
    /// use stocklens_plugin_sdk::AssetIds;
    /// let mut ids = AssetIds::default();
    /// ids.number("612004581");
    /// assert_eq!(ids.id(0), "612004581");
    /// assert_eq!(ids.id(1), "");
    /// ```
    pub fn id(&self, number: u32) -> &str {
        match self.by_number.get(number as usize) {
            Some(Stored::Short(short)) => short.as_str(),
            Some(Stored::Long(slot)) => {
                self.long_ids.get(*slot as usize).map_or("", String::as_str)
            }
            None => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_ids_in_order_of_first_appearance_and_gives_them_back() {
        let long = "x".repeat(INLINE_ID_BYTES + 1);
        let mut ids = AssetIds::default();
        let numbers: Vec<Option<u32>> = ["123", "", "a", "a\0", "0123", &long, &long, "a"]
            .iter()
            .map(|id| ids.number(id))
            .collect();
        // Ids are compared as text: "0123" is not "123", "a\0" is not "a".
        let expected = [0, 1, 2, 3, 4, 5, 5, 2].map(Some);
        assert_eq!(numbers, expected);
        assert_eq!(ids.len(), 6);
        let edge = "y".repeat(INLINE_ID_BYTES);
        assert_eq!(ids.number(&edge), Some(6));
        assert_eq!(ids.number(&edge), Some(6));
        assert_eq!(ids.get("123"), Some(0));
        assert_eq!(ids.get("124"), None);
        for (number, id) in ["123", "", "a", "a\0", "0123", &long, &edge]
            .iter()
            .enumerate()
        {
            assert_eq!(ids.id(number as u32), *id);
        }
        assert_eq!(ids.id(99), "");
        assert_eq!(ids.number("Фото-№1"), Some(7));
        assert_eq!(ids.id(7), "Фото-№1");
    }
}
