//! Rotation schedules (SPEC section 5): `--every DUR`, the cloud service's
//! `rate(N days|hours)` and `cron(min hour dom mon dow year)` expressions,
//! the optional `--window`, and when a secret's next rotation is due.
//!
//! Every time is UTC. A schedule counts from an anchor: the last rotation,
//! else the moment the schedule was configured. `--every` and `rate()` fire
//! one interval after the anchor; `cron()` fires at its first match after
//! the anchor. With a window, a `rate()`/`cron()` rotation may start only
//! within the window after a scheduled time; a missed window waits for the
//! next scheduled time.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, Result};

/// The shortest interval between two rotations.
pub const MIN_INTERVAL: SignedDuration = SignedDuration::from_hours(4);

/// The longest interval between two rotations (1000 days).
pub const MAX_INTERVAL: SignedDuration = SignedDuration::from_hours(24 * 1000);

/// A parsed schedule.
#[derive(Clone, Debug)]
pub enum Schedule {
    /// `--every 30d`: one interval after the last rotation.
    Every(SignedDuration),
    /// `rate(N days|hours)`: the same, in the cloud service's syntax.
    Rate(SignedDuration),
    /// `cron(...)`: the matches of a cloud-style cron expression.
    Cron(Box<croner::Cron>),
}

/// Where a secret stands against its schedule at some time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The next time a rotation is scheduled (or was, when it is due).
    pub next: Timestamp,
    /// Whether a rotation should run now.
    pub due: bool,
    /// With a window: when the open window closes.
    pub window_closes: Option<Timestamp>,
    /// With a window: the scheduled time whose window was missed.
    pub missed: Option<Timestamp>,
}

impl Schedule {
    /// Parses `--every` (`30d`, `12h`, `30 days`) or a `rate()`/`cron()`
    /// expression as stored in `meta.toml`.
    pub fn parse(text: &str) -> Result<Schedule> {
        let text = text.trim();
        if let Some(inner) = strip_call(text, "rate") {
            let duration = parse_duration(inner).map_err(|_| {
                Error::invalid(format!(
                    "bad schedule `{text}`: use rate(N days) or rate(N hours)"
                ))
            })?;
            check_interval(text, duration)?;
            return Ok(Schedule::Rate(duration));
        }
        if let Some(inner) = strip_call(text, "cron") {
            return parse_cron(text, inner).map(|c| Schedule::Cron(Box::new(c)));
        }
        let duration = parse_duration(text).map_err(|_| {
            Error::invalid(format!(
                "bad schedule `{text}`: use a number of days or hours (30d, 12h), rate(...) or cron(...)"
            ))
        })?;
        check_interval(text, duration)?;
        Ok(Schedule::Every(duration))
    }

    /// Tells whether a window may be used with this schedule.
    pub fn takes_window(&self) -> bool {
        !matches!(self, Schedule::Every(_))
    }

    /// Checks that a window fits the schedule: at least an hour and no
    /// longer than the shortest gap between two scheduled times.
    pub fn check_window(&self, window: SignedDuration) -> Result<()> {
        if !self.takes_window() {
            return Err(Error::invalid(
                "--window applies to rate() and cron() schedules, not to --every",
            )
            .with_hint("use --schedule 'rate(30 days)' --window 3h"));
        }
        if window < SignedDuration::from_hours(1) {
            return Err(Error::invalid("the rotation window is at least 1 hour"));
        }
        let gap = match self {
            Schedule::Every(d) | Schedule::Rate(d) => *d,
            Schedule::Cron(cron) => min_gap(cron)?,
        };
        if window > gap {
            return Err(Error::invalid(
                "the rotation window is longer than the time between two scheduled rotations",
            ));
        }
        Ok(())
    }

    /// Evaluates the schedule at `now`, counting from `anchor` (the last
    /// rotation, else when the schedule was configured).
    pub fn status(
        &self,
        anchor: Timestamp,
        window: Option<SignedDuration>,
        now: Timestamp,
    ) -> Result<Status> {
        match self {
            Schedule::Every(interval) | Schedule::Rate(interval) => {
                let first = add(anchor, *interval)?;
                let window = window.filter(|_| self.takes_window());
                let Some(window) = window else {
                    return Ok(plain(first, now >= first));
                };
                if now < first {
                    return Ok(plain(first, false));
                }
                // The latest scheduled time at or before `now`.
                let periods = now.duration_since(first).as_secs() / interval.as_secs();
                let latest = add(first, *interval * periods as i32)?;
                in_window(latest, window, now, || add(latest, *interval))
            }
            Schedule::Cron(cron) => {
                let first = next_match(cron, anchor)?;
                let Some(window) = window else {
                    return Ok(plain(first, now >= first));
                };
                if now < first {
                    return Ok(plain(first, false));
                }
                let latest = previous_match(cron, now)?;
                in_window(latest, window, now, || next_match(cron, now))
            }
        }
    }
}

/// With a window: due while `now` is within `window` after the latest
/// scheduled time; once the window has closed, that time counts as missed
/// and the rotation waits for `next_after()`.
fn in_window(
    latest: Timestamp,
    window: SignedDuration,
    now: Timestamp,
    next_after: impl FnOnce() -> Result<Timestamp>,
) -> Result<Status> {
    let closes = add(latest, window)?;
    if now < closes {
        return Ok(Status {
            next: latest,
            due: true,
            window_closes: Some(closes),
            missed: None,
        });
    }
    Ok(Status {
        next: next_after()?,
        due: false,
        window_closes: None,
        missed: Some(latest),
    })
}

fn plain(next: Timestamp, due: bool) -> Status {
    Status {
        next,
        due,
        window_closes: None,
        missed: None,
    }
}

/// Parses a window or interval: `3h`, `2d`, `3 hours`, `1 day`.
pub fn parse_duration(text: &str) -> Result<SignedDuration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let bad = || {
        Error::invalid(format!(
            "`{text}` is not a number of days or hours (30d, 12h)"
        ))
    };
    let n: i64 = number.parse().map_err(|_| bad())?;
    let hours = match unit.trim() {
        "d" | "day" | "days" => 24,
        "h" | "hour" | "hours" => 1,
        _ => return Err(bad()),
    };
    if n <= 0 || n > 24 * 1000 {
        return Err(bad());
    }
    Ok(SignedDuration::from_hours(n * hours))
}

/// Parses a `--window` value.
pub fn parse_window(text: &str) -> Result<SignedDuration> {
    parse_duration(text).map_err(|_| {
        Error::invalid(format!(
            "bad window `{text}`: use a number of hours or days (3h, 1d)"
        ))
    })
}

fn strip_call<'a>(text: &'a str, function: &str) -> Option<&'a str> {
    text.strip_prefix(function)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')
}

fn check_interval(text: &str, d: SignedDuration) -> Result<()> {
    if d < MIN_INTERVAL || d > MAX_INTERVAL {
        return Err(Error::invalid(format!(
            "bad schedule `{text}`: rotate no more often than every 4 hours and at least every 1000 days"
        )));
    }
    Ok(())
}

fn parse_cron(text: &str, inner: &str) -> Result<croner::Cron> {
    let bad = |why: &str| {
        Error::invalid(format!("bad schedule `{text}`: {why}"))
            .with_hint("cron(minutes hours day-of-month month day-of-week year), in UTC, e.g. cron(0 16 1,15 * ? *)")
    };
    let fields: Vec<&str> = inner.split_whitespace().collect();
    if fields.len() != 6 {
        return Err(bad("a cron() expression has 6 fields"));
    }
    // The cloud service's rule: one of day-of-month and day-of-week is `?`.
    if (fields[2] == "?") == (fields[4] == "?") {
        return Err(bad(
            "exactly one of day-of-month and day-of-week must be `?`",
        ));
    }
    // croner counts seconds first and Sunday as 0 unless told otherwise.
    let pattern = format!("0 {}", fields.join(" "));
    let cron = croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .year(croner::parser::Year::Required)
        .alternative_weekdays(true)
        .build()
        .parse(&pattern)
        .map_err(|e| bad(&e.to_string()))?;
    let gap = min_gap(&cron).map_err(|_| bad("it never fires"))?;
    if gap < MIN_INTERVAL {
        return Err(bad("it fires more often than every 4 hours"));
    }
    Ok(cron)
}

/// The shortest gap between consecutive matches over the next few hundred
/// matches (cron patterns repeat at most yearly, leap days aside).
fn min_gap(cron: &croner::Cron) -> Result<SignedDuration> {
    let start = Timestamp::UNIX_EPOCH.to_zoned(TimeZone::UTC);
    let start = cron
        .find_next_occurrence(&crate::store::now().to_zoned(TimeZone::UTC), false)
        .unwrap_or(start);
    let mut previous = start.timestamp();
    let mut gap: Option<SignedDuration> = None;
    for t in cron.clone().iter_after(start).take(400) {
        let t = t.timestamp();
        let d = t.duration_since(previous);
        gap = Some(gap.map_or(d, |g| g.min(d)));
        previous = t;
    }
    gap.ok_or_else(|| Error::invalid("the cron expression never fires"))
}

fn next_match(cron: &croner::Cron, after: Timestamp) -> Result<Timestamp> {
    cron.find_next_occurrence(&after.to_zoned(TimeZone::UTC), false)
        .map(|z| z.timestamp())
        .map_err(|_| Error::invalid("the cron() schedule has no further match"))
}

fn previous_match(cron: &croner::Cron, at: Timestamp) -> Result<Timestamp> {
    cron.find_previous_occurrence(&at.to_zoned(TimeZone::UTC), true)
        .map(|z| z.timestamp())
        .map_err(|_| Error::Other("the cron() schedule has no earlier match".into()))
}

fn add(t: Timestamp, d: SignedDuration) -> Result<Timestamp> {
    t.checked_add(d)
        .map_err(|_| Error::Other("a scheduled time is out of range".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn parses_every_and_rate() {
        assert!(
            matches!(Schedule::parse("30d").unwrap(), Schedule::Every(d) if d == SignedDuration::from_hours(720))
        );
        assert!(matches!(
            Schedule::parse("12h").unwrap(),
            Schedule::Every(_)
        ));
        assert!(matches!(
            Schedule::parse("rate(1 day)").unwrap(),
            Schedule::Rate(_)
        ));
        assert!(matches!(
            Schedule::parse("rate(4 hours)").unwrap(),
            Schedule::Rate(_)
        ));
        for bad in [
            "0d",
            "1001d",
            "3h",
            "30x",
            "rate(3 hours)",
            "rate(30 weeks)",
            "rate(1001 days)",
            "rate()",
            "cron(0 16 1,15 * * *)",
            "cron(0 16 1,15 * ?)",
            "cron(*/5 * * * ? *)",
            "cron(0 * * * ? *)",
            "cron(0 16 31 2 ? *)",
            "cron(nonsense)",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn cron_uses_the_cloud_fields() {
        let s = Schedule::parse("cron(0 16 1,15 * ? *)").unwrap();
        let st = s
            .status(ts("2026-11-22T00:00:00Z"), None, ts("2026-11-30T00:00:00Z"))
            .unwrap();
        assert_eq!(st.next, ts("2026-12-01T16:00:00Z"));
        assert!(!st.due);
        // Day-of-week 2 is Monday in the cloud syntax.
        let s = Schedule::parse("cron(0 8 ? * 2 *)").unwrap();
        let st = s
            .status(ts("2026-11-22T00:00:00Z"), None, ts("2026-11-22T00:00:00Z"))
            .unwrap();
        assert_eq!(st.next, ts("2026-11-23T08:00:00Z"));
    }

    #[test]
    fn windows_open_and_close() {
        let s = Schedule::parse("rate(10 days)").unwrap();
        let w = Some(SignedDuration::from_hours(2));
        let anchor = ts("2030-01-01T00:00:00Z");
        let st = s.status(anchor, w, ts("2030-01-11T01:00:00Z")).unwrap();
        assert!(st.due);
        assert_eq!(st.window_closes, Some(ts("2030-01-11T02:00:00Z")));
        let st = s.status(anchor, w, ts("2030-01-11T03:00:00Z")).unwrap();
        assert!(!st.due);
        assert_eq!(st.missed, Some(ts("2030-01-11T00:00:00Z")));
        assert_eq!(st.next, ts("2030-01-21T00:00:00Z"));
        let st = s.status(anchor, w, ts("2030-01-21T00:30:00Z")).unwrap();
        assert!(st.due);
        // Without a window an overdue rotation is due.
        let st = s.status(anchor, None, ts("2030-03-01T00:00:00Z")).unwrap();
        assert!(st.due);
        assert_eq!(st.next, ts("2030-01-11T00:00:00Z"));
    }

    #[test]
    fn window_must_fit() {
        let s = Schedule::parse("rate(1 day)").unwrap();
        assert!(s.check_window(SignedDuration::from_hours(3)).is_ok());
        assert!(s.check_window(SignedDuration::from_hours(48)).is_err());
        assert!(
            Schedule::parse("30d")
                .unwrap()
                .check_window(SignedDuration::from_hours(3))
                .is_err()
        );
    }
}

/// Property tests: schedules, durations and windows from any text parse or
/// fail cleanly, and a parsed schedule answers a status without panicking.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn schedule_like() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                any::<String>(),
                prop::sample::select(vec![
                    "cron(",
                    "rate(",
                    ")",
                    " ",
                    "*",
                    "?",
                    "L",
                    "W",
                    "#",
                    "/",
                    ",",
                    "-",
                    "0",
                    "1",
                    "15",
                    "31",
                    "59",
                    "99999999999",
                    "day",
                    "days",
                    "hour",
                    "hours",
                    "30d",
                    "h",
                ])
                .prop_map(str::to_string),
            ],
            0..10,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn any_schedule_text_parses_or_fails_without_panicking(text in schedule_like()) {
            let _ = parse_duration(&text);
            let _ = parse_window(&text);
            if let Ok(schedule) = Schedule::parse(&text) {
                let _ = schedule.takes_window();
                let _ = schedule.check_window(SignedDuration::from_hours(1));
            }
        }
    }
}
