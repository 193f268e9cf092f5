//! The tutorial's log-line timestamps.
//!
//! Python's `datetime.now().strftime("%T.%f")` prints local wall-clock time as
//! `04:31:16.502227`: hours, minutes, seconds and six digits of microseconds.

/// The current local time in the tutorial's `HH:MM:SS.ffffff` format.
pub fn timestamp() -> String {
    chrono::Local::now().format("%H:%M:%S%.6f").to_string()
}

/// `text` prefixed by a timestamp and three spaces, as the tutorial's log lines are.
pub fn stamped(text: impl std::fmt::Display) -> String {
    format!("{}   {text}", timestamp())
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamp_has_the_tutorial_shape() {
        let ts = super::timestamp();
        assert_eq!(ts.len(), "04:31:16.502227".len(), "{ts}");
        let digits: Vec<bool> = ts.chars().map(|c| c.is_ascii_digit()).collect();
        assert_eq!(
            digits,
            [
                true, true, false, true, true, false, true, true, false, true, true, true, true,
                true, true
            ]
        );
    }
}
