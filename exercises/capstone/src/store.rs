//! The stations and their readings, in memory (given: not part of the exercise).
//!
//! A real service would keep them in a database; the service only needs "the
//! readings of a station" and "record one more", so this is all it gets.

use std::collections::BTreeMap;

use crate::pb::Reading;

/// The most readings one `ListReadings` call may ask for.
pub const MAX_LIMIT: u32 = 1000;

/// Readings outside this range (°C) are sensor faults: `Record` rejects them.
pub const PLAUSIBLE: std::ops::RangeInclusive<f64> = -90.0..=60.0;

/// Every station's readings, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Store {
    stations: BTreeMap<String, Vec<Reading>>,
}

impl Store {
    /// The tests' stations: `oslo` with 20 readings (-5.0 °C, then +0.5 °C each),
    /// `lima` with 5 (18.0 °C, then +1.0 °C each).
    pub fn sample() -> Self {
        let mut store = Self::default();
        for i in 0..20 {
            store.record("oslo", -5.0 + f64::from(i) * 0.5);
        }
        for i in 0..5 {
            store.record("lima", 18.0 + f64::from(i));
        }
        store
    }

    /// The station's readings, oldest first; `None` if there is no such station.
    pub fn readings(&self, station: &str) -> Option<&[Reading]> {
        self.stations.get(station).map(Vec::as_slice)
    }

    /// The station's newest reading; `None` if there is no such station.
    pub fn latest(&self, station: &str) -> Option<Reading> {
        self.readings(station)?.last().cloned()
    }

    /// Appends a reading to `station` (creating it), numbering it, and returns it.
    pub fn record(&mut self, station: &str, celsius: f64) -> Reading {
        let readings = self.stations.entry(station.to_owned()).or_default();
        let reading = Reading {
            station: station.to_owned(),
            sequence: readings.len() as u64 + 1,
            celsius,
        };
        readings.push(reading.clone());
        reading
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_numbered_per_station_from_one() {
        let mut store = Store::sample();
        assert_eq!(store.readings("oslo").unwrap().len(), 20);
        assert_eq!(store.latest("lima").unwrap().sequence, 5);
        assert_eq!(store.record("quito", 12.5).sequence, 1);
        assert_eq!(store.latest("quito").unwrap().celsius, 12.5);
        assert!(store.latest("atlantis").is_none());
    }
}
