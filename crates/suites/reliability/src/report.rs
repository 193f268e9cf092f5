//! A case's outcome, and the table a run prints: `case | result | detail`, then
//! exactly `N passed, N failed` alone on the last line.

use std::fmt;

/// How one case ended. The text says what was observed, so the table is evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The case held, and the server answered a normal call afterwards.
    Passed(String),
    /// Why the case did not hold.
    Failed(String),
    /// Why the case could not run against this target.
    Skipped(String),
}

impl Outcome {
    /// `pass`, `FAIL` or `skip`, as the table shows it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Passed(_) => "pass",
            Self::Failed(_) => "FAIL",
            Self::Skipped(_) => "skip",
        }
    }

    /// What was observed.
    pub fn detail(&self) -> &str {
        match self {
            Self::Passed(text) | Self::Failed(text) | Self::Skipped(text) => text,
        }
    }
}

/// The rows of a run, printed as a Markdown table plus the summary line.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<(&'static str, Outcome)>,
}

impl Table {
    /// Adds a case's row.
    pub fn push(&mut self, case: &'static str, outcome: Outcome) {
        self.rows.push((case, outcome));
    }

    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }

    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Passed(_)))
    }

    fn count(&self, which: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|(_, o)| which(o)).count()
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.rows.iter().map(|(c, _)| c.len()).max().unwrap_or(4);
        writeln!(f, "| {:width$} | result | detail |", "case")?;
        writeln!(f, "|{}|--------|--------|", "-".repeat(width + 2))?;
        for (case, outcome) in &self.rows {
            // A detail may quote a server's message: keep the table one row per case.
            let detail = outcome
                .detail()
                .replace(['\n', '\r'], " ")
                .replace('|', "/");
            writeln!(f, "| {case:width$} | {:6} | {detail} |", outcome.label())?;
        }
        writeln!(f)?;
        writeln!(f, "{} passed, {} failed", self.passed(), self.failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_ends_with_the_summary_line() {
        let mut table = Table::default();
        table.push("a", Outcome::Passed("ok".into()));
        table.push("long_name", Outcome::Failed("x|y\nz".into()));
        table.push("c", Outcome::Skipped("no".into()));
        let text = table.to_string();
        assert!(text.contains("| long_name | FAIL   | x/y z |"), "{text}");
        assert_eq!(text.lines().last(), Some("1 passed, 1 failed"));
    }
}
