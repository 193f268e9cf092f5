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

/// Stations a store holds at most: clients choose the names, so without a cap a
/// stream of new names would grow the server's memory until it dies.
pub const MAX_STATIONS: usize = 1000;

/// Stations one `LiveAverage` call keeps a running average for at most: the
/// stream, too, is fed names the client chooses.
pub const MAX_LIVE_STATIONS: usize = 100;

/// Readings one station keeps at most.
pub const MAX_READINGS_PER_STATION: usize = 10_000;

/// Every station's readings, oldest first, within fixed limits.
#[derive(Debug, Clone)]
pub struct Store {
    stations: BTreeMap<String, Vec<Reading>>,
    max_stations: usize,
    max_readings: usize,
}

impl Default for Store {
    fn default() -> Self {
        Self::with_limits(MAX_STATIONS, MAX_READINGS_PER_STATION)
    }
}

impl Store {
    /// An empty store holding at most `max_stations` stations of `max_readings` each.
    pub fn with_limits(max_stations: usize, max_readings: usize) -> Self {
        Self {
            stations: BTreeMap::new(),
            max_stations,
            max_readings,
        }
    }

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

    /// Appends a reading to `station` (creating it), numbering it, and returns it;
    /// `None`, storing nothing, when the store or the station is full.
    pub fn record(&mut self, station: &str, celsius: f64) -> Option<Reading> {
        if !self.stations.contains_key(station) && self.stations.len() >= self.max_stations {
            return None;
        }
        let readings = self.stations.entry(station.to_owned()).or_default();
        if readings.len() >= self.max_readings {
            return None;
        }
        let reading = Reading {
            station: station.to_owned(),
            sequence: readings.len() as u64 + 1,
            celsius,
        };
        readings.push(reading.clone());
        Some(reading)
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
        assert_eq!(store.record("quito", 12.5).unwrap().sequence, 1);
        assert_eq!(store.latest("quito").unwrap().celsius, 12.5);
        assert!(store.latest("atlantis").is_none());
    }

    #[test]
    fn a_full_store_refuses_new_stations_and_a_full_station_new_readings() {
        let mut store = Store::with_limits(2, 3);
        assert!(store.record("a", 1.0).is_some());
        assert!(store.record("b", 1.0).is_some());
        assert!(store.record("c", 1.0).is_none(), "a third station");
        assert!(store.latest("c").is_none(), "nothing stored for it");
        assert!(store.record("a", 2.0).is_some());
        assert!(store.record("a", 3.0).is_some());
        assert!(store.record("a", 4.0).is_none(), "a fourth reading");
        assert_eq!(store.readings("a").unwrap().len(), 3);
    }
}
