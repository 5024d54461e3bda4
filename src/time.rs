//! Wall-clock time as the API writes it: the `X-Sdk-Date` of a signature
//! (`YYYYMMDDTHHMMSSZ`) and RFC 3339 timestamps (`creationTimestamp`), both
//! as seconds since the Unix epoch. A few lines of calendar arithmetic, so no
//! date crate is needed.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch now (0 if the clock is before it).
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `YYYYMMDDTHHMMSSZ` for a count of seconds since the Unix epoch (UTC).
pub fn sdk_date_from_unix(secs: u64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(secs);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// Seconds since the epoch for a `YYYYMMDDTHHMMSSZ` date, or `None` if malformed.
pub fn unix_from_sdk_date(date: &str) -> Option<u64> {
    let b = date.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u64> {
        let s = date.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, s) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(y as i64, mo, d)? * 86_400 + h * 3600 + mi * 60 + s)
}

/// RFC 3339 (`2024-10-24T12:42:43Z`) for seconds since the epoch.
pub fn rfc3339_from_unix(secs: u64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Seconds since the epoch for an RFC 3339 UTC timestamp such as `2024-10-24T12:42:43Z`.
pub fn unix_from_rfc3339(ts: &str) -> Option<u64> {
    let compact: String = ts
        .get(..19)?
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    unix_from_sdk_date(&format!("{compact}Z"))
}

fn civil_from_unix(secs: u64) -> (i64, u64, u64, u64, u64, u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

fn days_from_civil(y: i64, m: u64, d: u64) -> Option<u64> {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    u64::try_from(era * 146_097 + doe - 719_468).ok()
}

/// Seconds since the epoch of an HTTP `Date` header in the form every server
/// sends (IMF-fixdate, RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(text: &str) -> Option<u64> {
    let mut parts = text.trim().split_ascii_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u64 = parts.next()?.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let year: u64 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() || time.len() != 8 {
        return None;
    }
    unix_from_sdk_date(&format!(
        "{year:04}{month:02}{day:02}T{}Z",
        time.replace(':', "")
    ))
}

/// Seconds since the epoch of an RFC 3339 timestamp, with optional fraction
/// and `Z`, `±HH:MM` or `±HHMM` offset (none means UTC).
pub fn parse_timestamp(ts: &str) -> Option<u64> {
    let ts = ts.trim();
    let base = unix_from_rfc3339(ts.get(..19)?)?;
    let mut rest = &ts[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset: i64 = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm: String = rest[1..].chars().filter(|c| *c != ':').collect();
            if hm.len() != 4 || !hm.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let h: i64 = hm[..2].parse().ok()?;
            let m: i64 = hm[2..].parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    u64::try_from(base as i64 - offset).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            unix_from_rfc3339("1994-11-06T08:49:37Z")
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST"), None);
        assert_eq!(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date(""), None);
    }

    #[test]
    fn dates_round_trip() {
        let secs = unix_from_sdk_date("20241024T124243Z").unwrap();
        assert_eq!(sdk_date_from_unix(secs), "20241024T124243Z");
        assert_eq!(rfc3339_from_unix(secs), "2024-10-24T12:42:43Z");
        assert_eq!(unix_from_rfc3339("2024-10-24T12:42:43Z"), Some(secs));
        assert_eq!(unix_from_sdk_date("2024-10-24"), None);
        assert_eq!(unix_from_sdk_date("20241324T124243Z"), None);
        assert_eq!(sdk_date_from_unix(0), "19700101T000000Z");
        assert_eq!(sdk_date_from_unix(951_782_400), "20000229T000000Z");
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:10Z"), Some(10));
        assert_eq!(parse_timestamp("1970-01-01T00:00:10.123456Z"), Some(10));
        assert_eq!(parse_timestamp("1970-01-01T01:00:10+01:00"), Some(10));
        assert_eq!(parse_timestamp("1970-01-01T00:00:10-0000"), Some(10));
        assert_eq!(parse_timestamp("1970-01-01T00:00:10"), Some(10));
        assert_eq!(parse_timestamp("1970-01-01T00:00:10+1"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
