//! Date and time functions over RFC 3339 timestamps, with Go's parsing and duration rules.

use super::FnContext;
use super::FnError;
use super::args::{arg_err, string};
use crate::terraform::value::Value;

/// An instant with the UTC offset it was written with.
#[derive(Clone, Copy, Debug)]
struct Timestamp {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    nanos: i128,
    /// Offset from UTC in seconds.
    offset: i64,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses an RFC 3339 timestamp as Go's `time.Parse(time.RFC3339, ...)` does.
fn parse_timestamp(s: &str) -> Result<Timestamp, FnError> {
    let bad = |what: &str| FnError::from(format!("not a valid RFC3339 timestamp: {what}"));
    let b = s.as_bytes();
    if b.len() < 20 {
        return Err(bad("end of string before the time zone"));
    }
    let num = |range: std::ops::Range<usize>, what: &str, lo: i64, hi: i64| -> Result<i64, FnError> {
        let part = s.get(range).ok_or_else(|| bad("invalid characters"))?;
        let v: i64 = part
            .bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
            .ok_or_else(|| bad(&format!("cannot use {part:?} as {what}")))?;
        if (lo..=hi).contains(&v) { Ok(v) } else { Err(bad(&format!("{what} out of range"))) }
    };
    if !s.is_char_boundary(19) {
        return Err(bad("invalid characters"));
    }
    for (i, c) in [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')] {
        if b[i] != c {
            return Err(bad(&format!("found {:?} where {:?} is expected", b[i] as char, c as char)));
        }
    }
    if b[10] != b'T' {
        return Err(bad("missing required time introducer 'T'"));
    }
    let year = num(0..4, "year", 0, 9999)?;
    let month = num(5..7, "month", 1, 12)?;
    let day = num(8..10, "day of month", 1, days_in_month(year, month))?;
    let hour = num(11..13, "hour", 0, 23)?;
    let min = num(14..16, "minute", 0, 59)?;
    let sec = num(17..19, "second", 0, 59)?;
    let mut rest = &s[19..];
    let mut nanos: i128 = 0;
    if rest.len() >= 2 && (rest.starts_with('.') || rest.starts_with(',')) && rest.as_bytes()[1].is_ascii_digit() {
        let digits: String = rest[1..].chars().take_while(char::is_ascii_digit).collect();
        rest = &rest[1 + digits.len()..];
        let nine: String = digits.chars().chain(std::iter::repeat('0')).take(9).collect();
        nanos = nine.parse().unwrap_or(0);
    }
    let offset = if rest == "Z" {
        0
    } else {
        let o = rest.as_bytes();
        if o.len() != 6 || !(o[0] == b'+' || o[0] == b'-') || o[3] != b':' {
            return Err(bad("cannot parse the UTC offset"));
        }
        let oh = num(s.len() - 5..s.len() - 3, "UTC offset", 0, 23)?;
        let om = num(s.len() - 2..s.len(), "UTC offset", 0, 59)?;
        let sign = if o[0] == b'-' { -1 } else { 1 };
        sign * (oh * 3600 + om * 60)
    };
    let local_secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec;
    Ok(Timestamp { nanos: i128::from(local_secs - offset) * 1_000_000_000 + nanos, offset })
}

/// The civil fields of a timestamp in its own offset.
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    weekday: usize,
}

impl Timestamp {
    fn civil(&self) -> Civil {
        let secs = self.nanos.div_euclid(1_000_000_000) as i64 + self.offset;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            min: rem % 3600 / 60,
            sec: rem % 60,
            weekday: (days + 4).rem_euclid(7) as usize,
        }
    }

    /// The offset as Go's `-07:00` (`colon`) or `-0700`.
    fn offset_text(&self, colon: bool) -> String {
        let sign = if self.offset < 0 { '-' } else { '+' };
        let (h, m) = (self.offset.abs() / 3600, self.offset.abs() % 3600 / 60);
        if colon { format!("{sign}{h:02}:{m:02}") } else { format!("{sign}{h:02}{m:02}") }
    }

    /// RFC 3339 without fractional seconds, as Go's `time.RFC3339` layout prints.
    fn rfc3339(&self) -> String {
        let c = self.civil();
        let zone = if self.offset == 0 { "Z".to_string() } else { self.offset_text(true) };
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}", c.year, c.month, c.day, c.hour, c.min, c.sec)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

pub fn formatdate(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (spec, time) = (string(&args[0], "format")?, string(&args[1], "time")?);
    let t = parse_timestamp(&time).map_err(|e| arg_err("time", e))?;
    let c = t.civil();
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch == '\'' {
            // Quoted literal; '' inside (or alone) is a literal quote.
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => return Err(arg_err("format", "unterminated literal '")),
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        out.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(&c) => {
                        out.push(c);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if !ch.is_ascii_alphabetic() {
            out.push(ch);
            i += 1;
            continue;
        }
        let len = chars[i..].iter().take_while(|&&c| c == ch).count();
        let tok: String = chars[i..i + len].iter().collect();
        i += len;
        let invalid = |rule: &str| arg_err("format", format!("invalid date format verb {tok:?}: {rule}"));
        let two = |n: i64, len: usize, rule: &str| match len {
            1 => Ok(n.to_string()),
            2 => Ok(format!("{n:02}")),
            _ => Err(invalid(rule)),
        };
        let piece = match ch {
            'Y' => match len {
                2 => format!("{:02}", c.year % 100),
                4 => format!("{:04}", c.year),
                _ => return Err(invalid("year must either be \"YY\" or \"YYYY\"")),
            },
            'M' => match len {
                1 | 2 => two(c.month, len, "")?,
                3 => MONTHS[(c.month - 1) as usize][..3].to_string(),
                4 => MONTHS[(c.month - 1) as usize].to_string(),
                _ => return Err(invalid("month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"")),
            },
            'D' => two(c.day, len, "day of month must either be \"D\" or \"DD\"")?,
            'E' => match len {
                3 => WEEKDAYS[c.weekday][..3].to_string(),
                4 => WEEKDAYS[c.weekday].to_string(),
                _ => return Err(invalid("day of week must either be \"EEE\" or \"EEEE\"")),
            },
            'h' => two(c.hour, len, "24-hour must either be \"h\" or \"hh\"")?,
            'H' => {
                let h = if c.hour % 12 == 0 { 12 } else { c.hour % 12 };
                two(h, len, "12-hour must either be \"H\" or \"HH\"")?
            }
            'A' | 'a' => {
                if len != 2 {
                    return Err(invalid(&format!("must be \"{ch}{ch}\"")));
                }
                let pm = c.hour >= 12;
                match (ch, pm) {
                    ('A', false) => "AM",
                    ('A', true) => "PM",
                    (_, false) => "am",
                    (_, true) => "pm",
                }
                .to_string()
            }
            'm' => two(c.min, len, "minute must either be \"m\" or \"mm\"")?,
            's' => two(c.sec, len, "second must either be \"s\" or \"ss\"")?,
            'Z' => match len {
                1 if t.offset == 0 => "Z".to_string(),
                1 => t.offset_text(true),
                3 if t.offset == 0 => "UTC".to_string(),
                3 | 4 => t.offset_text(false),
                5 => t.offset_text(true),
                _ => return Err(invalid("timezone must be Z, ZZZZ, or ZZZZZ")),
            },
            _ => {
                return Err(arg_err("format", format!("invalid date format verb {tok:?}")));
            }
        };
        out.push_str(&piece);
    }
    Ok(Value::string(out))
}

/// Go's `time.ParseDuration`, in nanoseconds.
fn parse_duration(s: &str) -> Result<i128, FnError> {
    let invalid = || FnError::from(format!("time: invalid duration {s:?}"));
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int: i128 = if int_len == 0 { 0 } else { rest[..int_len].parse().map_err(|_| invalid())? };
        rest = &rest[int_len..];
        let (mut frac, mut scale, mut frac_len) = (0i128, 1f64, 0);
        if let Some(after) = rest.strip_prefix('.') {
            frac_len = after.bytes().take_while(u8::is_ascii_digit).count();
            for d in after[..frac_len].bytes() {
                if frac < (1i128 << 62) {
                    frac = frac * 10 + i128::from(d - b'0');
                    scale *= 10.0;
                }
            }
            rest = &after[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        let unit_len = rest.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(rest.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {s:?}").into());
        }
        let unit: i128 = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            u => return Err(format!("time: unknown unit {u:?} in duration {s:?}").into()),
        };
        rest = &rest[unit_len..];
        let mut v = int.checked_mul(unit).filter(|v| *v <= 1i128 << 63).ok_or_else(invalid)?;
        if frac > 0 {
            v += (frac as f64 * (unit as f64 / scale)) as i128;
        }
        total += v;
        if total > 1i128 << 63 {
            return Err(invalid());
        }
    }
    if !neg && total > (1i128 << 63) - 1 {
        return Err(invalid());
    }
    Ok(if neg { -total } else { total })
}

pub fn timeadd(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (ts, dur) = (string(&args[0], "timestamp")?, string(&args[1], "duration")?);
    let mut t = parse_timestamp(&ts)?;
    t.nanos += parse_duration(&dur)?;
    Ok(Value::string(t.rfc3339()))
}

pub fn timecmp(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let a = parse_timestamp(&string(&args[0], "timestamp_a")?).map_err(|e| arg_err("timestamp_a", e))?;
    let b = parse_timestamp(&string(&args[1], "timestamp_b")?).map_err(|e| arg_err("timestamp_b", e))?;
    Ok(Value::number(match a.nanos.cmp(&b.nanos) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
}

pub fn timestamp(_: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::unknown_apply("timestamp()"))
}

pub fn plantimestamp(_: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::unknown_apply("plantimestamp()"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn fd(spec: &str, t: &str) -> Result<Value, String> {
        call_fn("formatdate", vec![s(spec), s(t)])
    }

    #[test]
    fn formatdate_documented_examples() {
        assert_eq!(fd("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z").unwrap(), s("02 Jan 2018 23:12 UTC"));
        assert_eq!(
            fd("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z").unwrap(),
            s("Tuesday, 02-Jan-18 23:12:01 UTC")
        );
        assert_eq!(
            fd("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00").unwrap(),
            s("Tue, 02 Jan 2018 23:12:01 -0800")
        );
        assert_eq!(fd("MMM DD, YYYY", "2018-01-02T23:12:01Z").unwrap(), s("Jan 02, 2018"));
        assert_eq!(fd("HH:mmaa", "2018-01-02T23:12:01Z").unwrap(), s("11:12pm"));
        assert_eq!(
            fd("h 'o''clock' AA, Z ZZZZZ", "2018-01-02T00:05:01+05:30").unwrap(),
            s("0 o'clock AM, +05:30 +05:30")
        );
        assert_eq!(fd("D/M/YYYY ''", "2024-02-29T10:00:00.123Z").unwrap(), s("29/2/2024 '"));
        assert!(fd("YYY", "2018-01-02T23:12:01Z").unwrap_err().contains("year must either be"));
        assert!(fd("'abc", "2018-01-02T23:12:01Z").unwrap_err().contains("unterminated literal"));
        assert!(fd("Q", "2018-01-02T23:12:01Z").unwrap_err().contains("invalid date format verb \"Q\""));
        assert!(fd("YYYY", "2018-02-30T00:00:00Z").is_err());
        assert!(fd("YYYY", "2018-01-02 23:12:01Z").unwrap_err().contains("'T'"));
        assert!(fd("YYYY", "2018-01-02").is_err());
    }

    #[test]
    fn timeadd_and_timecmp() {
        let add = |t: &str, d: &str| call_fn("timeadd", vec![s(t), s(d)]);
        assert_eq!(add("2017-11-22T00:00:00Z", "10m").unwrap(), s("2017-11-22T00:10:00Z"));
        assert_eq!(add("2017-11-22T00:00:00Z", "-1h").unwrap(), s("2017-11-21T23:00:00Z"));
        assert_eq!(add("2017-11-22T00:00:00+02:00", "1.5h").unwrap(), s("2017-11-22T01:30:00+02:00"));
        assert_eq!(add("2020-02-28T12:00:00Z", "24h").unwrap(), s("2020-02-29T12:00:00Z"));
        assert_eq!(add("2017-11-22T00:00:00Z", "1h2m3s4ms5us6ns").unwrap(), s("2017-11-22T01:02:03Z"));
        assert!(add("2017-11-22T00:00:00Z", "1").unwrap_err().contains("missing unit"));
        assert!(add("2017-11-22T00:00:00Z", "1d").unwrap_err().contains("unknown unit"));
        assert!(add("2017-11-22T00:00:00Z", "99999999999h").unwrap_err().contains("invalid duration"));
        let cmp = |a: &str, b: &str| call_fn("timecmp", vec![s(a), s(b)]).unwrap();
        assert_eq!(cmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"), Value::number(0.0));
        assert_eq!(cmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z"), Value::number(-1.0));
        assert_eq!(cmp("2017-11-22T06:00:00+02:00", "2017-11-22T04:00:00Z"), Value::number(0.0));
        assert_eq!(cmp("2017-11-22T00:00:00.5Z", "2017-11-22T00:00:00Z"), Value::number(1.0));
    }

    #[test]
    fn impure_functions_are_unknown() {
        assert!(call_fn("timestamp", vec![]).unwrap().is_unknown());
        assert!(call_fn("plantimestamp", vec![]).unwrap().is_unknown());
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-800_000i64, -1, 0, 59, 18_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn jiff_is_not_gos_rfc3339() {
        // Why the timestamp parser is tfcheck's own: Terraform (Go's time.RFC3339) refuses a
        // space between date and time; jiff accepts it.
        assert!("2018-01-02 23:12:01Z".parse::<jiff::Timestamp>().is_ok());
        assert!(call_fn("timeadd", vec![s("2018-01-02 23:12:01Z"), s("1h")]).is_err());
        assert!(call_fn("timeadd", vec![s("2018-01-02T23:12:01Z"), s("1h")]).is_ok());
    }
}
