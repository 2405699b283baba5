//! Dates and times as marketplaces write them: ISO-8601 (`2025-07-31`,
//! `2025-07-31T23:08:22+00:00`), numeric day-first or month-first (`31.07.2025`, `07/31/25`), and
//! month names in English, Spanish, German, French, Italian, Portuguese and Russian
//! (`04-ene-2016`, `05-Mar-2026`, `5 марта 2026`, `March 5, 2026`).
//!
//! Every date is validated (month 1–12, the day exists in that month and year). Parsing does not
//! allocate; ISO dates, the common case in big files, take a fast path.

use crate::types::{Date, Time};

/// Earliest year accepted: anything before is a typo or a spreadsheet's zero date.
///
/// ```
/// use stocklens_plugin_sdk::{DateError, MIN_YEAR, checked_date};
/// assert!(checked_date(u32::from(MIN_YEAR), 1, 1).is_ok());
/// assert_eq!(checked_date(u32::from(MIN_YEAR) - 1, 12, 31), Err(DateError::Year(1899)));
/// ```
pub const MIN_YEAR: u16 = 1900;
/// Latest year accepted: the WIT promises four-digit years.
///
/// ```
/// use stocklens_plugin_sdk::{DateError, MAX_YEAR, checked_date};
/// assert!(checked_date(u32::from(MAX_YEAR), 12, 31).is_ok());
/// assert_eq!(checked_date(u32::from(MAX_YEAR) + 1, 1, 1), Err(DateError::Year(10_000)));
/// ```
pub const MAX_YEAR: u16 = 9999;
/// Largest UTC offset accepted, in minutes: real zones stay within ±14:00, ISO allows ±18:00.
///
/// ```
/// use stocklens_plugin_sdk::{DateError, DateOrder, MAX_UTC_OFFSET_MINUTES, parse_date_time};
/// let offset = |text| {
///     let (_, time) = parse_date_time(text, DateOrder::DayFirst)?;
///     Ok::<_, DateError>(time.and_then(|t| t.utc_offset_minutes))
/// };
/// assert_eq!(offset("2025-07-31T12:00:00-18:00"), Ok(Some(-MAX_UTC_OFFSET_MINUTES)));
/// assert_eq!(offset("2025-07-31T12:00:00+19:00"), Err(DateError::Time));
/// ```
pub const MAX_UTC_OFFSET_MINUTES: i16 = 18 * 60;
/// Longest month name accepted, in bytes (Russian names are two bytes per letter).
const MAX_MONTH_NAME_BYTES: usize = 32;

/// Which comes first in a numeric date that does not start with the year.
///
/// ```
/// use stocklens_plugin_sdk::{Date, DateOrder, parse_date};
/// let read = |order| parse_date("01/02/2025", order);
/// assert_eq!(read(DateOrder::DayFirst), Ok(Date { year: 2025, month: 2, day: 1 }));
/// assert_eq!(read(DateOrder::MonthFirst), Ok(Date { year: 2025, month: 1, day: 2 }));
/// // A date that starts with the year ignores the order.
/// assert_eq!(parse_date("2025-01-02", DateOrder::DayFirst), read(DateOrder::MonthFirst));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `31/07/2025`, `31.07.25`: most of the world.
    DayFirst,
    /// `07/31/2025`: the United States.
    MonthFirst,
}

/// Why a text is not a date.
///
/// ```
/// use stocklens_plugin_sdk::{DateError, DateOrder, parse_date};
/// let error = parse_date("31/04/2025", DateOrder::DayFirst);
/// assert_eq!(error, Err(DateError::Day { year: 2025, month: 4, day: 31 }));
/// let message = parse_date("2025-13-01", DateOrder::DayFirst).map_err(|e| e.to_string());
/// assert_eq!(message, Err("month 13 does not exist".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing but spaces.
    #[error("it is empty")]
    Empty,
    /// Not in any date format this module knows.
    #[error("it is not in a known date format")]
    Format,
    /// A month name in none of the supported languages.
    #[error("it names an unknown month")]
    UnknownMonth,
    /// Month outside 1–12.
    #[error("month {0} does not exist")]
    Month(u32),
    /// A day the month does not have.
    #[error("day {day} does not exist in month {month} of {year}")]
    Day {
        /// The year.
        year: u16,
        /// The month.
        month: u8,
        /// The day that was asked for.
        day: u32,
    },
    /// Year outside [`MIN_YEAR`]–[`MAX_YEAR`].
    #[error("year {0} is out of range")]
    Year(u32),
    /// A time of day that does not exist, or an impossible offset.
    #[error("its time of day is not valid")]
    Time,
}

/// Days in `month` (1–12) of `year`, or 0 for a month that does not exist.
///
/// ```
/// use stocklens_plugin_sdk::days_in_month;
/// assert_eq!(days_in_month(2024, 2), 29);
/// assert_eq!(days_in_month(2025, 2), 28);
/// assert_eq!(days_in_month(2025, 9), 30);
/// assert_eq!(days_in_month(2025, 13), 0);
/// ```
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether `year` has a 29 February.
///
/// ```
/// use stocklens_plugin_sdk::is_leap_year;
/// assert!(is_leap_year(2024));
/// assert!(!is_leap_year(2025));
/// assert!(!is_leap_year(1900)); // a century is not, unless it divides by 400
/// assert!(is_leap_year(2000));
/// ```
pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Builds a date after checking the year, the month and the day.
///
/// ```
/// use stocklens_plugin_sdk::{Date, DateError, checked_date};
/// assert_eq!(checked_date(2024, 2, 29), Ok(Date { year: 2024, month: 2, day: 29 }));
/// assert_eq!(checked_date(2025, 2, 29), Err(DateError::Day { year: 2025, month: 2, day: 29 }));
/// assert_eq!(checked_date(2025, 0, 1), Err(DateError::Month(0)));
/// ```
pub fn checked_date(year: u32, month: u32, day: u32) -> Result<Date, DateError> {
    let year = u16::try_from(year)
        .ok()
        .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
        .ok_or(DateError::Year(year))?;
    let month = u8::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or(DateError::Month(month))?;
    let day_ok = u8::try_from(day)
        .ok()
        .filter(|d| *d >= 1 && *d <= days_in_month(year, month));
    let day = day_ok.ok_or(DateError::Day { year, month, day })?;
    Ok(Date { year, month, day })
}

/// Reads a date, ignoring a time of day if one follows. See [`parse_date_time`] for the formats.
///
/// ```
/// use stocklens_plugin_sdk::{parse_date, Date, DateOrder};
/// let date = parse_date("04-ene-2016", DateOrder::DayFirst).unwrap();
/// assert_eq!(date, Date { year: 2016, month: 1, day: 4 });
/// assert!(parse_date("2025-13-01", DateOrder::DayFirst).is_err());
/// ```
pub fn parse_date(text: &str, order: DateOrder) -> Result<Date, DateError> {
    parse_date_time(text, order).map(|(date, _)| date)
}

/// Reads a date and, where the text has one, a time of day.
///
/// Dates: ISO `2025-07-31` (always year first, whatever `order` says); numeric with `/`, `.` or
/// `-` in `order` (two-digit years are 20xx); a month name or abbreviation in any supported
/// language, in any position (`04-ene-2016`, `March 5, 2026`, `2026 Mar 05`, `5 марта 2026 г.`);
/// a leading weekday name is skipped.
///
/// Times: `T` or a space, then `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff`, an optional `AM`/`PM`, and
/// an optional offset (`Z`, `+03:00`, `+0300`, `-05`, `UTC`, `GMT+3`).
///
/// ```
/// use stocklens_plugin_sdk::{parse_date_time, DateOrder};
/// let (date, time) = parse_date_time("2025-07-31T23:08:22+00:00", DateOrder::DayFirst).unwrap();
/// assert_eq!((date.year, date.month, date.day), (2025, 7, 31));
/// let time = time.unwrap();
/// assert_eq!((time.hour, time.minute, time.second, time.utc_offset_minutes), (23, 8, 22, Some(0)));
/// ```
pub fn parse_date_time(text: &str, order: DateOrder) -> Result<(Date, Option<Time>), DateError> {
    let text = crate::parser::trim_cell(text);
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    if let Some(result) = parse_iso(text) {
        return result;
    }
    // The time starts at the digits before the first colon.
    let (date_part, time) = match text.find(':') {
        Some(colon) => {
            let start = text[..colon]
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .len();
            let date_part =
                text[..start].trim_end_matches(|c: char| c == 'T' || c == ',' || c.is_whitespace());
            (date_part, Some(parse_time(&text[start..])?))
        }
        None => (text, None),
    };
    Ok((parse_loose_date(date_part, order)?, time))
}

/// The fast path: `YYYY-MM-DD`, optionally followed by `T` or a space and a time. `None` when the
/// text does not start that way, so the general reader can try.
fn parse_iso(text: &str) -> Option<Result<(Date, Option<Time>), DateError>> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    let month = digits(&bytes[5..7])?;
    let day = digits(&bytes[8..10])?;
    let rest = &text[10..];
    let time = match rest.as_bytes().first() {
        None => None,
        Some(b'T' | b't' | b' ') if let Some(time) = exact_iso_time(&rest.as_bytes()[1..]) => {
            Some(time)
        }
        Some(b'T' | b't' | b' ') => match parse_time(rest[1..].trim_start()) {
            Ok(time) => Some(time),
            Err(error) => return Some(Err(error)),
        },
        Some(_) => return None,
    };
    Some(checked_date(year, month, day).map(|date| (date, time)))
}

/// The common case in one pass over the bytes: `hh:mm:ss` then nothing, `Z` or `±hh:mm`.
/// `None` for anything else, including invalid values, so the general reader decides.
#[inline]
fn exact_iso_time(bytes: &[u8]) -> Option<Time> {
    let two = |i: usize| -> Option<u8> {
        let (a, b) = (
            bytes.get(i)?.wrapping_sub(b'0'),
            bytes.get(i + 1)?.wrapping_sub(b'0'),
        );
        (a < 10 && b < 10).then_some(a * 10 + b)
    };
    if bytes.len() < 8 || bytes[2] != b':' || bytes[5] != b':' {
        return None;
    }
    let (hour, minute, second) = (two(0)?, two(3)?, two(6)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let utc_offset_minutes = match &bytes[8..] {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (two(9)?, two(12)?);
            let offset = i16::from(hours) * 60 + i16::from(minutes);
            // Leaves the refusal (and its message) to the general reader.
            if minutes > 59 || offset > MAX_UTC_OFFSET_MINUTES {
                return None;
            }
            Some(if *sign == b'-' { -offset } else { offset })
        }
        _ => return None,
    };
    Some(Time {
        hour,
        minute,
        second,
        utc_offset_minutes,
    })
}

/// The value of a run of ASCII digits, or `None` if any byte is not a digit or there are none.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// Reads `hh:mm[:ss[.fff]] [AM|PM] [offset]`.
fn parse_time(text: &str) -> Result<Time, DateError> {
    let bytes = text.as_bytes();
    let mut fields = [0u32; 3];
    let mut count = 0;
    let mut i = 0;
    while count < 3 {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 0 || i - start > 2 {
            return Err(DateError::Time);
        }
        fields[count] = digits(&bytes[start..i]).ok_or(DateError::Time)?;
        count += 1;
        if bytes.get(i) == Some(&b':') {
            i += 1;
        } else {
            break;
        }
    }
    if count < 2 {
        return Err(DateError::Time);
    }
    // Fractions of a second are dropped: no export needs them and the WIT has no place for them.
    if count == 3 && matches!(bytes.get(i), Some(b'.' | b',')) {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    let [mut hour, minute, second] = fields;
    let mut rest = text[i..].trim_start();
    if let Some(meridiem) = rest
        .get(..2)
        .filter(|m| m.eq_ignore_ascii_case("am") || m.eq_ignore_ascii_case("pm"))
    {
        if !(1..=12).contains(&hour) {
            return Err(DateError::Time);
        }
        let pm = meridiem.eq_ignore_ascii_case("pm");
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        rest = rest[2..].trim_start();
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(DateError::Time);
    }
    let utc_offset_minutes = parse_offset(rest)?;
    Ok(Time {
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        utc_offset_minutes,
    })
}

/// Reads what follows a time: nothing, `Z`, `UTC`/`GMT` with an optional offset, or `±hh[:mm]`.
fn parse_offset(text: &str) -> Result<Option<i16>, DateError> {
    let mut text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.eq_ignore_ascii_case("z") {
        return Ok(Some(0));
    }
    if let Some(zone) = text
        .get(..3)
        .filter(|z| z.eq_ignore_ascii_case("utc") || z.eq_ignore_ascii_case("gmt"))
    {
        text = text[zone.len()..].trim_start();
        if text.is_empty() {
            return Ok(Some(0));
        }
    }
    let bytes = text.as_bytes();
    let sign: i32 = match bytes[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return Err(DateError::Time),
    };
    let body = &bytes[1..];
    let (hours, minutes) = match body.len() {
        1 | 2 => (digits(body), Some(0)),
        4 => (digits(&body[..2]), digits(&body[2..])),
        5 if body[2] == b':' => (digits(&body[..2]), digits(&body[3..])),
        _ => (None, None),
    };
    let (Some(hours), Some(minutes)) = (hours, minutes) else {
        return Err(DateError::Time);
    };
    if minutes > 59 {
        return Err(DateError::Time);
    }
    let total = sign * (hours * 60 + minutes) as i32;
    if total.abs() > i32::from(MAX_UTC_OFFSET_MINUTES) {
        return Err(DateError::Time);
    }
    Ok(Some(total as i16))
}

/// One piece of a date: a number (with its digit count) or a word.
#[derive(Clone, Copy)]
enum Part<'a> {
    Number(u32, usize),
    Word(&'a str),
}

/// Most pieces a date may have: weekday, day, month, year and a trailing "г." or "de".
const MAX_PARTS: usize = 6;

/// Reads a date that is not ISO: three pieces separated by spaces, `/`, `.`, `-` or `,`.
fn parse_loose_date(text: &str, order: DateOrder) -> Result<Date, DateError> {
    let mut parts = [Part::Number(0, 0); MAX_PARTS];
    let mut count = 0;
    for piece in text.split(|c: char| matches!(c, ' ' | '/' | '.' | '-' | ',') || c.is_whitespace())
    {
        if piece.is_empty() || is_filler(piece) {
            continue;
        }
        if count == MAX_PARTS {
            return Err(DateError::Format);
        }
        parts[count] = if piece.bytes().all(|b| b.is_ascii_digit()) {
            Part::Number(
                digits(piece.as_bytes()).ok_or(DateError::Format)?,
                piece.len(),
            )
        } else if piece.chars().all(char::is_alphabetic) {
            Part::Word(piece)
        } else {
            return Err(DateError::Format);
        };
        count += 1;
    }
    let mut parts = &parts[..count];
    // A weekday or other word before a date that has its own month name or is numeric.
    if parts.len() == 4
        && let Part::Word(word) = parts[0]
        && month_from_name(word).is_none()
    {
        parts = &parts[1..];
    }
    let [a, b, c] = parts else {
        return Err(DateError::Format);
    };
    let (year, month, day) = match (*a, *b, *c) {
        (Part::Number(y, 4), Part::Number(m, _), Part::Number(d, _)) => (y, m, d),
        (Part::Number(x, _), Part::Number(y, _), Part::Number(z, zlen)) => match order {
            DateOrder::DayFirst => (full_year(z, zlen), y, x),
            DateOrder::MonthFirst => (full_year(z, zlen), x, y),
        },
        (Part::Number(y, 4), Part::Word(m), Part::Number(d, _)) => (y, month_number(m)?, d),
        (Part::Number(d, _), Part::Word(m), Part::Number(y, ylen)) => {
            (full_year(y, ylen), month_number(m)?, d)
        }
        (Part::Word(m), Part::Number(d, _), Part::Number(y, ylen)) => {
            (full_year(y, ylen), month_number(m)?, d)
        }
        _ => return Err(DateError::Format),
    };
    checked_date(year, month, day)
}

/// Words that may stand in a date without meaning anything: Russian "г." (year), Spanish and
/// Portuguese "de", French "le".
fn is_filler(piece: &str) -> bool {
    matches!(piece, "г" | "года" | "de" | "del" | "le")
}

/// A two-digit year is this century's: exports are recent.
fn full_year(year: u32, digit_count: usize) -> u32 {
    if digit_count <= 2 { 2000 + year } else { year }
}

fn month_number(name: &str) -> Result<u32, DateError> {
    month_from_name(name)
        .map(u32::from)
        .ok_or(DateError::UnknownMonth)
}

/// Month names and abbreviations, lower case, in English, Spanish, German, French, Italian,
/// Portuguese and Russian (nominative and genitive). Forms shared by several languages appear
/// once.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "enero",
        "ene",
        "januar",
        "jän",
        "jänner",
        "janvier",
        "janv",
        "gennaio",
        "gen",
        "janeiro",
        "январь",
        "января",
        "янв",
    ],
    &[
        "february",
        "feb",
        "febrero",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "fév",
        "fev",
        "febbraio",
        "fevereiro",
        "февраль",
        "февраля",
        "фев",
        "февр",
    ],
    &[
        "march",
        "mar",
        "marzo",
        "märz",
        "mär",
        "mrz",
        "maerz",
        "mars",
        "março",
        "marco",
        "март",
        "марта",
    ],
    &[
        "april",
        "apr",
        "abril",
        "abr",
        "avril",
        "avr",
        "aprile",
        "апрель",
        "апреля",
        "апр",
    ],
    &["may", "mayo", "mai", "maggio", "mag", "maio", "май", "мая"],
    &[
        "june", "jun", "junio", "juni", "juin", "giugno", "giu", "junho", "июнь", "июня", "июн",
    ],
    &[
        "july", "jul", "julio", "juli", "juillet", "juil", "luglio", "lug", "julho", "июль",
        "июля", "июл",
    ],
    &[
        "august",
        "aug",
        "agosto",
        "ago",
        "août",
        "aout",
        "август",
        "августа",
        "авг",
    ],
    &[
        "september",
        "sep",
        "sept",
        "septiembre",
        "setiembre",
        "set",
        "septembre",
        "settembre",
        "setembro",
        "сентябрь",
        "сентября",
        "сен",
        "сент",
    ],
    &[
        "october",
        "oct",
        "octubre",
        "oktober",
        "okt",
        "octobre",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "октябрь",
        "октября",
        "окт",
    ],
    &[
        "november",
        "nov",
        "noviembre",
        "novembre",
        "novembro",
        "ноябрь",
        "ноября",
        "ноя",
        "нояб",
    ],
    &[
        "december",
        "dec",
        "diciembre",
        "dic",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "dicembre",
        "dezembro",
        "декабрь",
        "декабря",
        "дек",
    ],
];

/// The month (1–12) a name or abbreviation stands for, in any case, with or without a trailing
/// dot.
///
/// ```
/// use stocklens_plugin_sdk::month_from_name;
/// assert_eq!(month_from_name("ENE"), Some(1));
/// assert_eq!(month_from_name("März"), Some(3));
/// assert_eq!(month_from_name("сент."), Some(9));
/// assert_eq!(month_from_name("foo"), None);
/// ```
pub fn month_from_name(name: &str) -> Option<u8> {
    let name = name.trim().trim_end_matches('.');
    // Lower-case into a stack buffer so the comparisons below are plain byte compares.
    let mut buffer = [0u8; MAX_MONTH_NAME_BYTES];
    let mut len = 0;
    for c in name.chars().flat_map(char::to_lowercase) {
        let width = c.len_utf8();
        if len + width > buffer.len() {
            return None;
        }
        c.encode_utf8(&mut buffer[len..]);
        len += width;
    }
    let lower = &buffer[..len];
    MONTH_NAMES
        .iter()
        .position(|names| names.iter().any(|n| n.as_bytes() == lower))
        .map(|index| index as u8 + 1)
}

/// Guesses whether numeric dates put the day or the month first, from values in one column: a
/// first number above 12 means day first, a second number above 12 means month first. `None` when
/// the values do not tell (every day so far was 12 or less) or contradict each other.
///
/// ```
/// use stocklens_plugin_sdk::{guess_date_order, DateOrder};
/// assert_eq!(guess_date_order(["01/02/2025", "25/02/2025"]), Some(DateOrder::DayFirst));
/// assert_eq!(guess_date_order(["02/25/2025"]), Some(DateOrder::MonthFirst));
/// assert_eq!(guess_date_order(["01/02/2025"]), None);
/// ```
pub fn guess_date_order<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<DateOrder> {
    let (mut day_first, mut month_first) = (false, false);
    for value in values {
        let mut numbers = value
            .trim()
            .split(['/', '.', '-', ' '])
            .map(|piece| (digits(piece.as_bytes()), piece.len()));
        let (Some((Some(first), first_len)), Some((Some(second), _))) =
            (numbers.next(), numbers.next())
        else {
            continue;
        };
        if first_len == 4 {
            continue;
        }
        day_first |= first > 12;
        month_first |= second > 12;
    }
    match (day_first, month_first) {
        (true, false) => Some(DateOrder::DayFirst),
        (false, true) => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// Pairs of numbers next to each other in a file name, joined by `_`, `-`, `.` or a space, in
/// the order they appear: where an export's name carries its month. Which of the two is the year
/// is the parser's rule to apply.
///
/// ```
/// use stocklens_plugin_sdk::joined_numbers;
/// assert_eq!(joined_numbers("assets_report_05_2026 (1).csv"), [("05", "2026")]);
/// assert_eq!(joined_numbers("2026_8_earnings_by_month.csv"), [("2026", "8")]);
/// assert!(joined_numbers("report2026.csv").is_empty());
/// ```
pub fn joined_numbers(name: &str) -> Vec<(&str, &str)> {
    let bytes = name.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs.windows(2)
        .filter(|pair| {
            pair[1].0 == pair[0].1 + 1 && matches!(bytes[pair[0].1], b'_' | b'-' | b'.' | b' ')
        })
        .map(|pair| (&name[pair[0].0..pair[0].1], &name[pair[1].0..pair[1].1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str, order: DateOrder) -> (u16, u8, u8) {
        let d = parse_date(text, order).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        (d.year, d.month, d.day)
    }

    fn time(text: &str) -> (u8, u8, u8, Option<i16>) {
        let (_, t) =
            parse_date_time(text, DateOrder::DayFirst).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let t = t.unwrap_or_else(|| panic!("{text:?} has no time"));
        (t.hour, t.minute, t.second, t.utc_offset_minutes)
    }

    #[test]
    fn offsets_past_eighteen_hours_are_refused_on_every_path() {
        // The exact ISO form takes a fast path; its limit must be the general reader's.
        assert_eq!(
            time("2025-07-31T12:00:00+18:00").3,
            Some(MAX_UTC_OFFSET_MINUTES)
        );
        for text in [
            "2025-07-31T12:00:00+18:30",
            "2025-07-31T12:00:00-18:01",
            "2025-07-31 12:00:00 +18:30",
        ] {
            assert!(
                parse_date_time(text, DateOrder::DayFirst).is_err(),
                "{text:?} has an offset past 18 hours"
            );
        }
    }

    #[test]
    fn reads_iso_dates_and_date_times() {
        assert_eq!(date("2025-07-31", DateOrder::MonthFirst), (2025, 7, 31));
        assert_eq!(
            date("  2025-07-31T23:08:22+00:00 ", DateOrder::DayFirst),
            (2025, 7, 31)
        );
        assert_eq!(time("2025-07-31T23:08:22+00:00"), (23, 8, 22, Some(0)));
        assert_eq!(time("2025-07-31T23:08:22.123Z"), (23, 8, 22, Some(0)));
        assert_eq!(time("2025-07-31 01:02:03-05:30"), (1, 2, 3, Some(-330)));
        assert_eq!(time("2025-07-31T01:02+0300"), (1, 2, 0, Some(180)));
        assert_eq!(time("2025-07-31 01:02:03"), (1, 2, 3, None));
        assert_eq!(
            parse_date_time("2025-07-31", DateOrder::DayFirst).map(|(_, t)| t),
            Ok(None)
        );
    }

    #[test]
    fn reads_numeric_dates_in_the_given_order() {
        assert_eq!(date("31.07.2025", DateOrder::DayFirst), (2025, 7, 31));
        assert_eq!(date("07/31/2025", DateOrder::MonthFirst), (2025, 7, 31));
        assert_eq!(date("01/02/25", DateOrder::DayFirst), (2025, 2, 1));
        assert_eq!(date("01/02/25", DateOrder::MonthFirst), (2025, 1, 2));
        assert_eq!(date("2025/7/3", DateOrder::MonthFirst), (2025, 7, 3));
        let parsed = parse_date_time("07/31/2025 11:08 PM", DateOrder::MonthFirst);
        let parsed = parsed
            .ok()
            .map(|(d, t)| (d.month, d.day, t.map(|t| (t.hour, t.minute))));
        assert_eq!(parsed, Some((7, 31, Some((23, 8)))));
        assert_eq!(time("31.07.2025 12:00 am"), (0, 0, 0, None));
    }

    #[test]
    fn reads_month_names_in_seven_languages() {
        let order = DateOrder::DayFirst;
        assert_eq!(date("04-ene-2016", order), (2016, 1, 4));
        assert_eq!(date("05-Mar-2026", order), (2026, 3, 5));
        assert_eq!(date("March 5, 2026", order), (2026, 3, 5));
        assert_eq!(date("Thu, 05 Mar 2026", order), (2026, 3, 5));
        assert_eq!(date("2026 Mar 05", order), (2026, 3, 5));
        assert_eq!(date("5. Dezember 2025", order), (2025, 12, 5));
        assert_eq!(date("1 févr. 2025", order), (2025, 2, 1));
        assert_eq!(date("3 giugno 2025", order), (2025, 6, 3));
        assert_eq!(date("10 de outubro de 2025", order), (2025, 10, 10));
        assert_eq!(date("5 марта 2026 г.", order), (2026, 3, 5));
        assert_eq!(date("15-ago-24", order), (2024, 8, 15));
        assert_eq!(time("05-Mar-2026 14:30:00 UTC"), (14, 30, 0, Some(0)));
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        let order = DateOrder::DayFirst;
        assert_eq!(parse_date("2025-13-01", order), Err(DateError::Month(13)));
        assert_eq!(
            parse_date("2025-02-29", order),
            Err(DateError::Day {
                year: 2025,
                month: 2,
                day: 29
            })
        );
        assert_eq!(date("2024-02-29", order), (2024, 2, 29));
        assert_eq!(
            parse_date("31/04/2025", order),
            Err(DateError::Day {
                year: 2025,
                month: 4,
                day: 31
            })
        );
        assert_eq!(
            parse_date("00.01.2025", order),
            Err(DateError::Day {
                year: 2025,
                month: 1,
                day: 0
            })
        );
        assert_eq!(parse_date("0000-01-01", order), Err(DateError::Year(0)));
        assert_eq!(
            parse_date("05-Foo-2026", order),
            Err(DateError::UnknownMonth)
        );
        assert_eq!(parse_date("", order), Err(DateError::Empty));
        assert_eq!(parse_date("yesterday", order), Err(DateError::Format));
        assert_eq!(parse_date("1/2", order), Err(DateError::Format));
        assert_eq!(
            parse_date_time("2025-07-31T25:00:00", order),
            Err(DateError::Time)
        );
        assert_eq!(
            parse_date_time("2025-07-31T23:60:00", order),
            Err(DateError::Time)
        );
        assert_eq!(
            parse_date_time("2025-07-31T23:00:00+25:00", order),
            Err(DateError::Time)
        );
        assert_eq!(
            parse_date_time("2025-07-31T23:00:00 nonsense", order),
            Err(DateError::Time)
        );
    }

    #[test]
    fn knows_month_lengths() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2025, 9), 30);
        assert_eq!(days_in_month(2025, 13), 0);
    }

    #[test]
    fn month_names_are_unambiguous_across_languages() {
        let mut seen = std::collections::HashMap::new();
        for (index, names) in MONTH_NAMES.iter().enumerate() {
            for name in names.iter() {
                assert_eq!(name.to_lowercase(), *name, "{name} is not lower case");
                assert!(name.len() <= MAX_MONTH_NAME_BYTES, "{name} is too long");
                if let Some(other) = seen.insert(*name, index) {
                    panic!(
                        "{name} is listed for months {} and {}",
                        other + 1,
                        index + 1
                    );
                }
            }
        }
    }
}
