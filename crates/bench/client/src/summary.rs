//! What one load run measured, and the one-line JSON the bench script reads.

use std::time::{Duration, Instant};

/// The measuring window: samples taken before `from` are warm-up and not counted.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// When measuring starts (after warm-up).
    pub from: Instant,
    /// When the run stops.
    pub until: Instant,
}

impl Window {
    /// Starts now: `warmup`, then `measure`.
    pub fn new(warmup: Duration, measure: Duration) -> Self {
        let from = Instant::now() + warmup;
        Self {
            from,
            until: from + measure,
        }
    }

    /// Whether the run is over.
    pub fn is_over(&self) -> bool {
        Instant::now() >= self.until
    }
}

/// Counts and latencies gathered by one task, merged across tasks.
#[derive(Debug, Default)]
pub struct Summary {
    /// Calls (unary, ping-pong) or messages (streaming) completed in the window.
    pub count: u64,
    /// Payload bytes received in the window (the `message` strings).
    pub bytes: u64,
    /// Latency of each call or round trip, in microseconds.
    pub latencies_us: Vec<u32>,
}

impl Summary {
    /// Records a call that started at `started` and ended now, if inside `window`.
    pub fn record_call(&mut self, window: &Window, started: Instant, bytes: usize) {
        if started >= window.from && started < window.until {
            self.count += 1;
            self.bytes += bytes as u64;
            let micros = started.elapsed().as_micros().min(u32::MAX as u128);
            self.latencies_us.push(micros as u32);
        }
    }

    /// Adds another task's summary to this one.
    pub fn merge(&mut self, other: Summary) {
        self.count += other.count;
        self.bytes += other.bytes;
        self.latencies_us.extend(other.latencies_us);
    }

    /// One JSON object: `count`, `bytes`, `seconds`, `per_second`, `mb_per_second`
    /// (10^6 bytes), and `p50_us` / `p99_us` / `max_us` when latencies were taken.
    pub fn to_json(&mut self, seconds: f64) -> String {
        self.latencies_us.sort_unstable();
        let mut json = format!(
            "{{\"count\":{},\"bytes\":{},\"seconds\":{seconds:.3},\"per_second\":{:.1},\"mb_per_second\":{:.3}",
            self.count,
            self.bytes,
            self.count as f64 / seconds,
            self.bytes as f64 / seconds / 1e6,
        );
        if let Some(&max) = self.latencies_us.last() {
            let (p50, p99) = (self.percentile(0.50), self.percentile(0.99));
            json += &format!(",\"p50_us\":{p50},\"p99_us\":{p99},\"max_us\":{max}");
        }
        json + "}"
    }

    /// The `q` quantile of the sorted latencies (nearest rank).
    fn percentile(&self, q: f64) -> u32 {
        let n = self.latencies_us.len();
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        self.latencies_us[rank - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_rates_and_nearest_rank_percentiles() {
        let mut summary = Summary {
            count: 100,
            bytes: 2_000_000,
            latencies_us: (1..=100).rev().collect(),
        };
        let json = summary.to_json(2.0);
        assert!(json.contains("\"per_second\":50.0"), "{json}");
        assert!(json.contains("\"mb_per_second\":1.000"), "{json}");
        assert!(
            json.ends_with("\"p50_us\":50,\"p99_us\":99,\"max_us\":100}"),
            "{json}"
        );
    }

    #[test]
    fn warmup_calls_are_not_counted() {
        let window = Window::new(Duration::from_secs(60), Duration::from_secs(1));
        let mut summary = Summary::default();
        summary.record_call(&window, Instant::now(), 5);
        assert_eq!(summary.count, 0);
    }
}
