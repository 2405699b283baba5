//! Exact money: reads amounts as marketplaces write them (`$0.99`, `0,99 €`, `1.234,50`,
//! `(0.30)`, `USD -1,234.50`) into integer micros, and writes micros back as decimals.
//!
//! Nothing here goes through a float, and parsing does not allocate (only an error carrying an
//! unknown currency's text does), because it runs once per row of files with millions of rows.

use std::fmt;

/// Decimal places a WIT `money` can hold: micros are millionths of the main unit.
///
/// ```
/// use stocklens_plugin_sdk::{MAX_DECIMALS, MICROS_PER_UNIT, MoneyError, parse_money};
/// assert_eq!(MICROS_PER_UNIT, 10_i64.pow(MAX_DECIMALS as u32));
/// assert_eq!(parse_money("0.000001").map(|a| a.micros), Ok(1));
/// assert_eq!(parse_money("0.0000001"), Err(MoneyError::TooManyDecimals));
/// ```
pub const MAX_DECIMALS: usize = 6;

/// Micros in one unit of currency.
///
/// ```
/// use stocklens_plugin_sdk::{MICROS_PER_UNIT, parse_money};
/// assert_eq!(parse_money("$2").map(|a| a.micros), Ok(2 * MICROS_PER_UNIT));
/// assert_eq!(parse_money("0.5").map(|a| a.micros), Ok(MICROS_PER_UNIT / 2));
/// ```
pub const MICROS_PER_UNIT: i64 = 1_000_000;

/// An ISO 4217 currency code: three upper-case ASCII letters, stored inline so that reading an
/// amount never allocates.
///
/// ```
/// use stocklens_plugin_sdk::Currency;
/// assert_eq!(Currency::from_symbol("€"), Some(Currency::EUR));
/// assert_eq!(Currency::from_code("usd").map(|c| c.as_str().to_string()), Some("USD".into()));
/// assert_eq!(Currency::from_code("XYZ"), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Active ISO 4217 codes (plus a few funds and metals), so that "12 pcs" is not read as money in
/// a currency called PCS.
const ISO_CODES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND \
BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF \
DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS \
INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL \
MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP \
PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL \
THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG \
XAU XCD XDR XOF XPF XSU XUA YER ZAR ZMW ZWL";

/// Currency symbols and local abbreviations, most common first since `$` is looked up per row.
/// `¥` is read as JPY: marketplaces that pay in CNY write the code.
const SYMBOLS: [(&str, Currency); 30] = [
    ("$", Currency::USD),
    ("€", Currency::EUR),
    ("£", Currency::GBP),
    ("¥", Currency::JPY),
    ("￥", Currency::JPY),
    ("₽", Currency::RUB),
    ("US$", Currency::USD),
    ("U$S", Currency::USD),
    ("руб", Currency::RUB),
    ("руб.", Currency::RUB),
    ("р.", Currency::RUB),
    ("₹", Currency::INR),
    ("₩", Currency::KRW),
    ("₺", Currency::TRY),
    ("₴", Currency::UAH),
    ("грн", Currency::UAH),
    ("₸", Currency::KZT),
    ("₪", Currency::ILS),
    ("₫", Currency::VND),
    ("฿", Currency::THB),
    ("zł", Currency::PLN),
    ("A$", Currency::AUD),
    ("AU$", Currency::AUD),
    ("C$", Currency::CAD),
    ("CA$", Currency::CAD),
    ("NZ$", Currency::NZD),
    ("HK$", Currency::HKD),
    ("S$", Currency::SGD),
    ("R$", Currency::BRL),
    ("Fr.", Currency::CHF),
];

impl Currency {
    /// US dollar.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currency;
    /// assert_eq!(Currency::from_symbol("$"), Some(Currency::USD));
    /// assert_eq!(Currency::USD.as_str(), "USD");
    /// ```
    pub const USD: Currency = Currency(*b"USD");
    /// Euro.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currency;
    /// assert_eq!(Currency::from_symbol("€"), Some(Currency::EUR));
    /// assert_eq!(Currency::EUR.as_str(), "EUR");
    /// ```
    pub const EUR: Currency = Currency(*b"EUR");
    /// Pound sterling.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currency;
    /// assert_eq!(Currency::from_symbol("£"), Some(Currency::GBP));
    /// assert_eq!(Currency::GBP.as_str(), "GBP");
    /// ```
    pub const GBP: Currency = Currency(*b"GBP");
    /// Japanese yen.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currency;
    /// assert_eq!(Currency::from_symbol("¥"), Some(Currency::JPY));
    /// assert_eq!(Currency::JPY.as_str(), "JPY");
    /// ```
    pub const JPY: Currency = Currency(*b"JPY");
    /// Russian rouble.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currency;
    /// assert_eq!(Currency::from_symbol("₽"), Some(Currency::RUB));
    /// assert_eq!(Currency::from_symbol("руб."), Some(Currency::RUB));
    /// assert_eq!(Currency::RUB.as_str(), "RUB");
    /// ```
    pub const RUB: Currency = Currency(*b"RUB");
    const INR: Currency = Currency(*b"INR");
    const KRW: Currency = Currency(*b"KRW");
    const TRY: Currency = Currency(*b"TRY");
    const UAH: Currency = Currency(*b"UAH");
    const KZT: Currency = Currency(*b"KZT");
    const ILS: Currency = Currency(*b"ILS");
    const VND: Currency = Currency(*b"VND");
    const THB: Currency = Currency(*b"THB");
    const PLN: Currency = Currency(*b"PLN");
    const AUD: Currency = Currency(*b"AUD");
    const CAD: Currency = Currency(*b"CAD");
    const NZD: Currency = Currency(*b"NZD");
    const HKD: Currency = Currency(*b"HKD");
    const SGD: Currency = Currency(*b"SGD");
    const BRL: Currency = Currency(*b"BRL");
    const CHF: Currency = Currency(*b"CHF");

    /// A known ISO 4217 code, in any case.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currency;
    /// assert_eq!(Currency::from_code("eur"), Some(Currency::EUR));
    /// assert_eq!(Currency::from_code("PCS"), None); // three letters, but no currency
    /// assert_eq!(Currency::from_code("$"), None); // symbols are for `from_symbol`
    /// ```
    pub fn from_code(code: &str) -> Option<Currency> {
        let &[a, b, c] = code.as_bytes() else {
            return None;
        };
        let upper = [
            a.to_ascii_uppercase(),
            b.to_ascii_uppercase(),
            c.to_ascii_uppercase(),
        ];
        // The list is sorted: a binary search, since a currency column is read on every row.
        let codes = ISO_CODES.as_bytes();
        let count = codes.len().div_ceil(4);
        let (mut low, mut high) = (0, count);
        while low < high {
            let middle = (low + high) / 2;
            let known = &codes[middle * 4..middle * 4 + 3];
            match known.cmp(&upper[..]) {
                std::cmp::Ordering::Equal => return Some(Currency(upper)),
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
            }
        }
        None
    }

    /// A currency symbol (`$`, `€`, `£`, `¥`, `₽`, `US$`, `руб.`...) or ISO code, in any case.
    ///
    /// ```
    /// use stocklens_plugin_sdk::Currency;
    /// assert_eq!(Currency::from_symbol("US$"), Some(Currency::USD));
    /// assert_eq!(Currency::from_symbol("РУБ."), Some(Currency::RUB));
    /// assert_eq!(Currency::from_symbol("gbp"), Some(Currency::GBP));
    /// assert_eq!(Currency::from_symbol("pcs"), None);
    /// ```
    pub fn from_symbol(symbol: &str) -> Option<Currency> {
        // Codes first: no symbol is three ASCII letters, so the order changes no answer, and a
        // currency column of codes is then read without scanning the symbols.
        if let Some(currency) = Currency::from_code(symbol) {
            return Some(currency);
        }
        if let Some(&(_, currency)) = SYMBOLS.iter().find(|(known, _)| *known == symbol) {
            return Some(currency);
        }
        SYMBOLS
            .iter()
            .find(|(known, _)| eq_ignore_case(symbol, known))
            .map(|&(_, currency)| currency)
    }

    /// The code, e.g. "USD".
    ///
    /// ```
    /// use stocklens_plugin_sdk::{Currency, Money};
    /// let currency = Currency::from_symbol("€").unwrap_or(Currency::USD);
    /// let royalty = Money { micros: 990_000, currency: currency.as_str().to_owned() };
    /// assert_eq!(royalty.currency, "EUR");
    /// ```
    pub fn as_str(&self) -> &str {
        // Only ever built from upper-case ASCII letters, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// An amount read from text: exact micros, and the currency if the text named one.
///
/// ```
/// use stocklens_plugin_sdk::{Amount, Currency, parse_money};
/// let refund = Amount { micros: -1_500_000, currency: Some(Currency::EUR) };
/// assert_eq!(parse_money("-1,50 €"), Ok(refund));
/// assert_eq!(parse_money("1.234,50"), Ok(Amount { micros: 1_234_500_000, currency: None }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    /// Millionths of the main unit; negative for refunds.
    pub micros: i64,
    /// The currency the text named by symbol or code, if any.
    pub currency: Option<Currency>,
}

/// Why a text is not an amount.
///
/// ```
/// use stocklens_plugin_sdk::{MoneyError, parse_money};
/// assert_eq!(parse_money("n/a"), Err(MoneyError::NoDigits));
/// assert_eq!(parse_money("12 pcs"), Err(MoneyError::UnknownCurrency("pcs".into())));
/// assert_eq!(parse_money("$1 EUR"), Err(MoneyError::TwoCurrencies));
/// assert_eq!(MoneyError::NoDigits.to_string(), "it has no digits");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing but spaces.
    #[error("it is empty")]
    Empty,
    /// No digit at all, e.g. `n/a`.
    #[error("it has no digits")]
    NoDigits,
    /// More than [`MAX_DECIMALS`] significant decimal places.
    #[error("it has more than {MAX_DECIMALS} decimal places")]
    TooManyDecimals,
    /// Outside what micros in an `i64` can hold (about ±9.2 trillion).
    #[error("it is too large")]
    Overflow,
    /// Separators that do not form a number, e.g. `1,2,3` or `1..5`.
    #[error("its separators do not form a number")]
    MisplacedSeparator,
    /// A character that has no place in an amount (shown escaped if it is a control character,
    /// so that a message quoting it stays on one line).
    #[error("it contains '{}'", shown_char(*.0))]
    UnexpectedChar(char),
    /// Text around the number that is not a known currency (an excerpt of it).
    #[error("'{0}' is not a known currency")]
    UnknownCurrency(String),
    /// Two different currencies, e.g. `$1 EUR`.
    #[error("it names two currencies")]
    TwoCurrencies,
    /// More than one sign, or unbalanced parentheses.
    #[error("its sign is unclear")]
    UnclearSign,
}

/// A character as an error message shows it: itself, or escaped (`\n`) if it is a control
/// character.
fn shown_char(c: char) -> String {
    if c.is_control() {
        c.escape_debug().to_string()
    } else {
        c.to_string()
    }
}

/// Reads an amount of money exactly.
///
/// Accepted: a currency symbol or ISO code before or after the number (`$0.99`, `0,99 €`,
/// `EUR 1.5`); a sign before or after, or parentheses for negatives (`-0.30`, `0.30-`, `(0.30)`);
/// `.` or `,` as decimal separator and `,` `.` `'` or spaces as thousands separators
/// (`1 234,50`, `1.234,50`, `€1,234.50`); up to [`MAX_DECIMALS`] decimal places (`0.0009`).
///
/// A single `.` or `,` followed by exactly three digits after a non-zero integer part of at most
/// three digits is a thousands separator (`1,234` is 1234); otherwise a single separator is the
/// decimal one (`0,990`, `1,5`, `1234.567`).
///
/// ```
/// use stocklens_plugin_sdk::{parse_money, Currency};
/// let amount = parse_money("0,99 €").unwrap();
/// assert_eq!((amount.micros, amount.currency), (990_000, Some(Currency::EUR)));
/// assert_eq!(parse_money("(0.30)").unwrap().micros, -300_000);
/// assert!(parse_money("n/a").is_err());
/// ```
pub fn parse_money(text: &str) -> Result<Amount, MoneyError> {
    let text = crate::parser::trim_cell(text);
    if text.is_empty() {
        return Err(MoneyError::Empty);
    }
    if let Some(amount) = parse_plain(text) {
        return Ok(amount);
    }
    let bytes = text.as_bytes();
    let first_digit = bytes
        .iter()
        .position(u8::is_ascii_digit)
        .ok_or(MoneyError::NoDigits)?;
    let last_digit = bytes
        .iter()
        .rposition(u8::is_ascii_digit)
        .unwrap_or(first_digit);
    // A number may start with its decimal separator: `$.99`.
    let start = match first_digit.checked_sub(1).map(|i| bytes[i]) {
        Some(b'.' | b',') => first_digit - 1,
        _ => first_digit,
    };
    let prefix = Affix::read(&text[..start])?;
    let suffix = Affix::read(&text[last_digit + 1..])?;
    if prefix.open_parens != suffix.close_parens || prefix.close_parens + suffix.open_parens > 0 {
        return Err(MoneyError::UnclearSign);
    }
    let signs = prefix.signs + suffix.signs;
    let minus = prefix.minus || suffix.minus;
    let parens = prefix.open_parens > 0;
    if signs > 1 || (parens && signs > 0) {
        return Err(MoneyError::UnclearSign);
    }
    let currency = match (prefix.currency()?, suffix.currency()?) {
        (Some(a), Some(b)) if a != b => return Err(MoneyError::TwoCurrencies),
        (a, b) => a.or(b),
    };
    let magnitude = parse_unsigned(&text[start..=last_digit])?;
    let micros = if minus || parens {
        -magnitude
    } else {
        magnitude
    };
    Ok(Amount { micros, currency })
}

/// Integer digits the fast path takes: 12 digits times a million stays far inside `i64`.
const PLAIN_MAX_UNIT_DIGITS: usize = 12;

/// The common case in one pass: an optional `$`, `€` or `£`, digits, and optionally `.` with one,
/// two or four to six decimals (three would need the thousands rule). `None` for anything else,
/// so the general reader decides.
#[inline]
fn parse_plain(text: &str) -> Option<Amount> {
    let (currency, number) = match text.as_bytes().first()? {
        b'$' => (Some(Currency::USD), &text[1..]),
        b'0'..=b'9' => (None, text),
        _ => match text.chars().next()? {
            '€' => (Some(Currency::EUR), &text['€'.len_utf8()..]),
            '£' => (Some(Currency::GBP), &text['£'.len_utf8()..]),
            _ => return None,
        },
    };
    let (mut units, mut unit_digits, mut fraction, mut fraction_digits) =
        (0i64, 0usize, 0i64, None::<usize>);
    for &byte in number.as_bytes() {
        let digit = byte.wrapping_sub(b'0');
        match (digit < 10, fraction_digits) {
            (true, None) => {
                units = units * 10 + i64::from(digit);
                unit_digits += 1;
                if unit_digits > PLAIN_MAX_UNIT_DIGITS {
                    return None;
                }
            }
            (true, Some(count)) => {
                if count == MAX_DECIMALS {
                    return None;
                }
                fraction = fraction * 10 + i64::from(digit);
                fraction_digits = Some(count + 1);
            }
            (false, None) if byte == b'.' => fraction_digits = Some(0),
            _ => return None,
        }
    }
    let fraction_digits = fraction_digits.unwrap_or(0);
    if unit_digits == 0 || fraction_digits == 3 || (fraction_digits == 0 && number.ends_with('.')) {
        return None;
    }
    let micros =
        units * MICROS_PER_UNIT + fraction * 10i64.pow((MAX_DECIMALS - fraction_digits) as u32);
    Some(Amount { micros, currency })
}

/// Signs, parentheses and currency text on one side of the number.
struct Affix<'a> {
    signs: u32,
    minus: bool,
    open_parens: u32,
    close_parens: u32,
    /// What is left once signs, parentheses and spaces are peeled off.
    rest: &'a str,
}

impl<'a> Affix<'a> {
    fn read(text: &'a str) -> Result<Affix<'a>, MoneyError> {
        let mut affix = Affix {
            signs: 0,
            minus: false,
            open_parens: 0,
            close_parens: 0,
            rest: text.trim(),
        };
        loop {
            let rest = affix.rest;
            if let Some(c) = rest.chars().next().filter(|c| affix.take(*c)) {
                affix.rest = rest[c.len_utf8()..].trim_start();
            } else if let Some(c) = rest.chars().next_back().filter(|c| affix.take(*c)) {
                affix.rest = rest[..rest.len() - c.len_utf8()].trim_end();
            } else {
                return Ok(affix);
            }
        }
    }

    /// Counts `c` if it is a sign or a parenthesis.
    fn take(&mut self, c: char) -> bool {
        match c {
            // ASCII hyphen, Unicode minus, en dash.
            '-' | '\u{2212}' | '\u{2013}' => {
                self.signs += 1;
                self.minus = true;
            }
            '+' => self.signs += 1,
            '(' => self.open_parens += 1,
            ')' => self.close_parens += 1,
            _ => return false,
        }
        true
    }

    fn currency(&self) -> Result<Option<Currency>, MoneyError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        Currency::from_symbol(self.rest)
            .map(Some)
            .ok_or_else(|| MoneyError::UnknownCurrency(crate::parser::excerpt(self.rest)))
    }
}

/// Whether `c` is always a thousands separator: apostrophes and spaces (including no-break and
/// thin spaces, which French and Russian formats use).
fn is_group_only(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}'
    )
}

/// Reads the digits-and-separators part of an amount into micros.
fn parse_unsigned(number: &str) -> Result<i64, MoneyError> {
    let (mut dots, mut commas, mut others, mut last_mark) = (0u32, 0u32, 0u32, None);
    for (i, c) in number.char_indices() {
        match c {
            '0'..='9' => {}
            '.' => (dots, last_mark) = (dots + 1, Some((i, c))),
            ',' => (commas, last_mark) = (commas + 1, Some((i, c))),
            c if is_group_only(c) => others += 1,
            c => return Err(MoneyError::UnexpectedChar(c)),
        }
    }
    let decimal = match (dots, commas, last_mark) {
        (0, 0, _) | (_, _, None) => None,
        (1.., 1.., Some((_, mark))) => {
            let count = if mark == '.' { dots } else { commas };
            if count > 1 {
                return Err(MoneyError::MisplacedSeparator);
            }
            Some(mark)
        }
        (1, 0, Some((at, mark))) | (0, 1, Some((at, mark))) => {
            let integer = &number[..at];
            let fraction = &number[at + 1..];
            let looks_grouped = others == 0
                && fraction.len() == 3
                && (1..=3).contains(&integer.len())
                && !integer.starts_with('0');
            (!looks_grouped).then_some(mark)
        }
        // One kind of mark, several times: thousands separators (1,234,567).
        _ => None,
    };

    let mut units: i64 = 0;
    let mut fraction: i64 = 0;
    let mut fraction_digits = 0usize;
    let mut in_fraction = false;
    // Digits since the last thousands separator, and whether one was seen: every group after a
    // separator must have exactly three digits, and the first at most three.
    let mut group_digits = 0usize;
    let mut grouped = false;
    let mut previous_was_digit = false;
    for c in number.chars() {
        if let Some(digit) = c.to_digit(10) {
            let digit = i64::from(digit);
            previous_was_digit = true;
            if in_fraction {
                fraction_digits += 1;
                if fraction_digits <= MAX_DECIMALS {
                    fraction = fraction * 10 + digit;
                } else if digit != 0 {
                    return Err(MoneyError::TooManyDecimals);
                }
            } else {
                group_digits += 1;
                units = units
                    .checked_mul(10)
                    .and_then(|u| u.checked_add(digit))
                    .ok_or(MoneyError::Overflow)?;
            }
            continue;
        }
        let is_decimal = Some(c) == decimal && !in_fraction;
        let group_ok = if grouped {
            group_digits == 3
        } else {
            group_digits <= 3
        };
        if is_decimal {
            if grouped && group_digits != 3 {
                return Err(MoneyError::MisplacedSeparator);
            }
            in_fraction = true;
        } else if in_fraction || !previous_was_digit || !group_ok {
            return Err(MoneyError::MisplacedSeparator);
        } else {
            grouped = true;
            group_digits = 0;
        }
        previous_was_digit = false;
    }
    if !in_fraction && grouped && group_digits != 3 {
        return Err(MoneyError::MisplacedSeparator);
    }
    let scale = 10i64.pow((MAX_DECIMALS - fraction_digits.min(MAX_DECIMALS)) as u32);
    units
        .checked_mul(MICROS_PER_UNIT)
        .and_then(|m| m.checked_add(fraction * scale))
        .ok_or(MoneyError::Overflow)
}

/// How [`format_micros`] writes a decimal.
///
/// ```
/// use stocklens_plugin_sdk::{DecimalStyle, format_micros};
/// let swiss = DecimalStyle { decimal: '.', group: Some('\'') };
/// assert_eq!(format_micros(1_234_500_000, swiss), "1'234.50");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalStyle {
    /// Between units and decimals.
    pub decimal: char,
    /// Between groups of three digits, if any.
    pub group: Option<char>,
}

impl DecimalStyle {
    /// `1234.50` (two decimals at least): for logs, tests and machine-read output.
    ///
    /// ```
    /// use stocklens_plugin_sdk::{DecimalStyle, format_micros};
    /// assert_eq!(format_micros(1_234_500_000, DecimalStyle::PLAIN), "1234.50");
    /// ```
    pub const PLAIN: DecimalStyle = DecimalStyle {
        decimal: '.',
        group: None,
    };
    /// `1,234.50`.
    ///
    /// ```
    /// use stocklens_plugin_sdk::{DecimalStyle, format_micros};
    /// assert_eq!(format_micros(1_234_500_000, DecimalStyle::ENGLISH), "1,234.50");
    /// ```
    pub const ENGLISH: DecimalStyle = DecimalStyle {
        decimal: '.',
        group: Some(','),
    };
    /// `1 234,50` with a no-break space.
    ///
    /// ```
    /// use stocklens_plugin_sdk::{DecimalStyle, format_micros};
    /// assert_eq!(format_micros(1_234_500_000, DecimalStyle::RUSSIAN), "1\u{a0}234,50");
    /// ```
    pub const RUSSIAN: DecimalStyle = DecimalStyle {
        decimal: ',',
        group: Some('\u{a0}'),
    };
}

/// Writes micros as an exact decimal with at least two decimal places, more only where the
/// amount has them. Takes `i128` so sums of many `i64` amounts can be written without rounding.
///
/// ```
/// use stocklens_plugin_sdk::{format_micros, DecimalStyle};
/// assert_eq!(format_micros(990_000, DecimalStyle::PLAIN), "0.99");
/// assert_eq!(format_micros(-900, DecimalStyle::PLAIN), "-0.0009");
/// assert_eq!(format_micros(1_234_500_000, DecimalStyle::RUSSIAN), "1\u{a0}234,50");
/// ```
pub fn format_micros(micros: i128, style: DecimalStyle) -> String {
    let per_unit = i128::from(MICROS_PER_UNIT);
    let magnitude = micros.unsigned_abs();
    let units = (magnitude / per_unit.unsigned_abs()).to_string();
    let mut fraction = format!("{:06}", magnitude % per_unit.unsigned_abs());
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    let mut out = String::with_capacity(units.len() * 2 + fraction.len() + 2);
    if micros < 0 {
        out.push('-');
    }
    for (i, digit) in units.chars().enumerate() {
        if let Some(group) = style
            .group
            .filter(|_| i > 0 && (units.len() - i).is_multiple_of(3))
        {
            out.push(group);
        }
        out.push(digit);
    }
    out.push(style.decimal);
    out.push_str(&fraction);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_quoting_the_text_stay_on_one_line() {
        let shown = |text: &str| parse_money(text).err().map(|e| e.to_string());
        assert_eq!(shown("5\n9.00").as_deref(), Some("it contains '\\n'"));
        assert_eq!(shown("1x2").as_deref(), Some("it contains 'x'"));
        let long = format!("1.00 {}", "Q".repeat(100));
        let message = shown(&long).unwrap_or_default();
        assert!(message.chars().count() < 80, "{message}");
    }

    #[test]
    fn the_code_lookup_relies_on_a_sorted_list_and_no_symbol_that_looks_like_a_code() {
        let codes: Vec<&str> = ISO_CODES.split(' ').collect();
        assert!(codes.is_sorted(), "ISO_CODES must stay sorted");
        assert!(codes.iter().all(|code| code.len() == 3));
        for code in &codes {
            let found = Currency::from_code(code).map(|c| c.as_str().to_owned());
            assert_eq!(found.as_deref(), Some(*code));
        }
        assert_eq!(Currency::from_code("AAA"), None);
        assert_eq!(Currency::from_code("ZZZ"), None);
        for (symbol, _) in SYMBOLS {
            assert!(
                !(symbol.len() == 3 && symbol.bytes().all(|b| b.is_ascii_alphabetic())),
                "{symbol} would be read as a code first"
            );
        }
    }

    fn read(text: &str) -> (i64, Option<&'static str>) {
        let amount = parse_money(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let code = amount.currency.map(|c| match c.as_str() {
            "USD" => "USD",
            "EUR" => "EUR",
            "GBP" => "GBP",
            "JPY" => "JPY",
            "RUB" => "RUB",
            "CAD" => "CAD",
            "CHF" => "CHF",
            _ => "other",
        });
        (amount.micros, code)
    }

    #[test]
    fn reads_the_formats_marketplaces_write() {
        assert_eq!(read("$0.99"), (990_000, Some("USD")));
        assert_eq!(read("0,99 €"), (990_000, Some("EUR")));
        assert_eq!(read("1 234,50"), (1_234_500_000, None));
        assert_eq!(read("1\u{a0}234,50 ₽"), (1_234_500_000, Some("RUB")));
        assert_eq!(read("1.234,50"), (1_234_500_000, None));
        assert_eq!(read("€1,234.50"), (1_234_500_000, Some("EUR")));
        assert_eq!(read("-0.30"), (-300_000, None));
        assert_eq!(read("(0.30)"), (-300_000, None));
        assert_eq!(read("$(0.30)"), (-300_000, Some("USD")));
        assert_eq!(read("0.0009"), (900, None));
        assert_eq!(read("0.123456"), (123_456, None));
        assert_eq!(read("£12"), (12_000_000, Some("GBP")));
        assert_eq!(read("¥1,000"), (1_000_000_000, Some("JPY")));
        assert_eq!(read("1'234.50 CHF"), (1_234_500_000, Some("CHF")));
    }

    #[test]
    fn reads_iso_codes_before_or_after_in_any_case() {
        assert_eq!(read("USD 1.23"), (1_230_000, Some("USD")));
        assert_eq!(read("1,23 EUR"), (1_230_000, Some("EUR")));
        assert_eq!(read("EUR1.23"), (1_230_000, Some("EUR")));
        assert_eq!(read("rub 5"), (5_000_000, Some("RUB")));
        assert_eq!(read("$1.00 USD"), (1_000_000, Some("USD")));
        assert_eq!(read("CA$ 2.5"), (2_500_000, Some("CAD")));
        assert_eq!(read("5 руб."), (5_000_000, Some("RUB")));
    }

    #[test]
    fn reads_signs_on_either_side() {
        assert_eq!(read("-$0.30"), (-300_000, Some("USD")));
        assert_eq!(read("$-0.30"), (-300_000, Some("USD")));
        assert_eq!(read("0.30-"), (-300_000, None));
        assert_eq!(read("\u{2212}1,50 €"), (-1_500_000, Some("EUR")));
        assert_eq!(read("+2"), (2_000_000, None));
        assert_eq!(read("$.99"), (990_000, Some("USD")));
    }

    #[test]
    fn tells_thousands_from_decimals_with_one_separator() {
        assert_eq!(read("1,234"), (1_234_000_000, None));
        assert_eq!(read("1.234"), (1_234_000_000, None));
        assert_eq!(read("0,990"), (990_000, None));
        assert_eq!(read("1,5"), (1_500_000, None));
        assert_eq!(read("1234.567"), (1_234_567_000, None));
        assert_eq!(read("1,234,567"), (1_234_567_000_000, None));
        assert_eq!(read("1 234,567"), (1_234_567_000, None));
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_reader() {
        for text in [
            "$0.99",
            "0.99",
            "€1.5",
            "£12",
            "$0.0009",
            "$123456789012.123456",
            "1234",
            "$7.80",
            "0.10",
            "5.",
            "$.5",
            "1.234",
            "$1.2345678",
            "$1234567890123",
            "€",
            "$",
            "1.2.3",
        ] {
            let general = parse_unsigned_with_affixes(text);
            assert_eq!(
                parse_plain(text).map(Ok).unwrap_or_else(|| general.clone()),
                general,
                "{text:?}"
            );
        }
    }

    /// The general reader alone, bypassing the fast path.
    fn parse_unsigned_with_affixes(text: &str) -> Result<Amount, MoneyError> {
        let (currency, number) = match text.chars().next() {
            Some(c @ ('$' | '€' | '£')) => {
                (Currency::from_symbol(&c.to_string()), &text[c.len_utf8()..])
            }
            _ => (None, text),
        };
        if !number.bytes().any(|b| b.is_ascii_digit()) {
            return Err(MoneyError::NoDigits);
        }
        parse_unsigned(number).map(|micros| Amount { micros, currency })
    }

    #[test]
    fn ignores_zero_decimals_beyond_six_and_refuses_others() {
        assert_eq!(read("0.12345600"), (123_456, None));
        assert_eq!(parse_money("0.1234567"), Err(MoneyError::TooManyDecimals));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(parse_money(""), Err(MoneyError::Empty));
        assert_eq!(parse_money("  "), Err(MoneyError::Empty));
        assert_eq!(parse_money("n/a"), Err(MoneyError::NoDigits));
        assert_eq!(parse_money("abc"), Err(MoneyError::NoDigits));
        assert_eq!(
            parse_money("12 pcs"),
            Err(MoneyError::UnknownCurrency("pcs".into()))
        );
        assert_eq!(parse_money("1,2,3"), Err(MoneyError::MisplacedSeparator));
        assert_eq!(parse_money("1..5"), Err(MoneyError::MisplacedSeparator));
        assert_eq!(parse_money("1.234.5"), Err(MoneyError::MisplacedSeparator));
        assert_eq!(
            parse_money("1,23.45,6"),
            Err(MoneyError::MisplacedSeparator)
        );
        assert_eq!(parse_money("1x2"), Err(MoneyError::UnexpectedChar('x')));
        assert_eq!(parse_money("$1 EUR"), Err(MoneyError::TwoCurrencies));
        assert_eq!(parse_money("--1"), Err(MoneyError::UnclearSign));
        assert_eq!(parse_money("-(1)"), Err(MoneyError::UnclearSign));
        assert_eq!(parse_money("(1"), Err(MoneyError::UnclearSign));
        assert_eq!(
            parse_money("99999999999999999999"),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn error_messages_read_as_sentences() {
        assert_eq!(MoneyError::NoDigits.to_string(), "it has no digits");
        assert_eq!(
            MoneyError::TooManyDecimals.to_string(),
            "it has more than 6 decimal places"
        );
    }

    #[test]
    fn writes_micros_exactly() {
        assert_eq!(format_micros(0, DecimalStyle::PLAIN), "0.00");
        assert_eq!(format_micros(12_000_000, DecimalStyle::PLAIN), "12.00");
        assert_eq!(format_micros(123_456, DecimalStyle::PLAIN), "0.123456");
        assert_eq!(format_micros(-300_000, DecimalStyle::ENGLISH), "-0.30");
        assert_eq!(
            format_micros(1_234_567_890_000, DecimalStyle::ENGLISH),
            "1,234,567.89"
        );
        assert_eq!(
            format_micros(i128::from(i64::MAX) * 4, DecimalStyle::PLAIN),
            "36893488147419.103228"
        );
    }
}
