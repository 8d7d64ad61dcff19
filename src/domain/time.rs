//! Local date-times in an IANA time zone, as organisations announce deadlines and events.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::i18n::Message;

use crate::i18n::Tr;

/// A wall-clock time in a time zone: `2030-10-05T23:59:00` in `America/Montevideo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub local: NaiveDateTime,
    pub zone: Tz,
}

impl LocalTime {
    /// Reads `YYYY-MM-DDTHH:MM[:SS]` in `zone`. A time skipped by a daylight-saving change is
    /// refused; a repeated one means its first occurrence.
    pub fn parse(value: &str, zone: Tz) -> Result<LocalTime, Message> {
        let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(value.trim(), format).ok())
            .ok_or_else(|| {
                Message::new("error-not-local-date-time").arg("value", format!("{value:?}"))
            })?;
        let time = LocalTime { local, zone };
        time.instant()?;
        Ok(time)
    }

    /// The same instant with its offset.
    pub fn instant(&self) -> Result<DateTime<Tz>, Message> {
        self.zone
            .from_local_datetime(&self.local)
            .earliest()
            .ok_or_else(|| {
                Message::new("error-time-skipped")
                    .arg("time", self.local)
                    .arg("zone", self.zone)
            })
    }

    pub fn utc(&self) -> Result<DateTime<Utc>, Message> {
        self.instant().map(|t| t.with_timezone(&Utc))
    }

    /// `2030-10-05T23:59:00-03:00`
    pub fn rfc3339(&self) -> String {
        self.instant()
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|_| self.local.format("%Y-%m-%dT%H:%M:%S").to_string())
    }

    /// The local time as stored: `2030-10-05T23:59:00`.
    pub fn local_string(&self) -> String {
        self.local.format("%Y-%m-%dT%H:%M:%S").to_string()
    }

    /// `2 May 2030, 09:00`, as `tr`'s language writes it.
    pub fn human(&self, tr: Tr) -> String {
        tr.date_time(&self.local)
    }
}

/// A stored UTC time as `2030-10-05T12:00:00Z`.
pub fn rfc3339_utc(time: NaiveDateTime) -> String {
    time.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An instant sent as RFC 3339 shown on the clock of `zone` (an IANA name) when it names
/// one, else of the sender's offset: `2 May 2030, 09:00 (Europe/Paris)`.
pub fn human_in_zone(rfc3339: &str, zone: Option<&str>, tr: Tr) -> Option<String> {
    let instant = DateTime::parse_from_rfc3339(rfc3339).ok()?;
    let (time, zone) = match zone.and_then(|z| parse_zone(z).ok()) {
        Some(tz) => (
            tr.zoned("format-date-time", &instant.with_timezone(&tz)),
            tz.to_string(),
        ),
        None if instant.offset().local_minus_utc() == 0 => {
            (tr.zoned("format-date-time", &instant), "UTC".to_string())
        }
        None => (
            tr.zoned("format-date-time", &instant),
            format!("UTC{}", instant.offset()),
        ),
    };
    Some(tr.t2("when-zoned", "time", time, "zone", zone))
}

pub fn parse_zone(name: &str) -> Result<Tz, Message> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| Message::new("error-not-time-zone").arg("value", format!("{name:?}")))
}

#[cfg(test)]
mod tests {
    use super::{parse_zone, LocalTime};

    #[test]
    fn local_times_keep_their_zone_and_offset() {
        let zone = parse_zone("America/Montevideo").expect("zone");
        let time = LocalTime::parse("2030-10-05T23:59", zone).expect("time");
        assert_eq!(time.rfc3339(), "2030-10-05T23:59:00-03:00");
        assert_eq!(
            time.utc().expect("utc").to_rfc3339(),
            "2030-10-06T02:59:00+00:00"
        );
        assert!(parse_zone("Mars/Olympus").is_err());
        assert!(LocalTime::parse("5 October", zone).is_err());
        // 02:30 does not exist in Paris on the last Sunday of March.
        let paris = parse_zone("Europe/Paris").expect("zone");
        assert!(LocalTime::parse("2030-03-31T02:30:00", paris).is_err());
    }

    #[test]
    fn remote_instants_are_shown_in_their_zone() {
        use super::{human_in_zone, Tr};
        let sent = "2030-05-02T07:00:00Z";
        assert_eq!(
            human_in_zone(sent, Some("Europe/Paris"), Tr::default()).as_deref(),
            Some("2 May 2030, 09:00 (Europe/Paris)")
        );
        assert_eq!(
            human_in_zone("2030-05-02T09:00:00+02:00", Some("nowhere"), Tr::default()).as_deref(),
            Some("2 May 2030, 09:00 (UTC+02:00)")
        );
        assert_eq!(human_in_zone("tomorrow", None, Tr::default()), None);
    }
}
