//! Terminal output that stays readable in a plain terminal, a pipe or a CI log.
//!
//! Colour only when stdout is a terminal and `NO_COLOR` is unset; every status
//! is also words (`done`, `pending`, `not checked yet`), so nothing depends on colour to be read.

use std::io::IsTerminal;

use crate::state::Status;

/// How to print: with or without ANSI colours.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    color: bool,
}

impl Ui {
    /// Colours for a terminal, plain text otherwise (and when `NO_COLOR` is set).
    pub fn detect() -> Self {
        Self {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Success: green.
    pub fn good(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// Failure or work left: red.
    pub fn bad(&self, text: &str) -> String {
        self.paint("31", text)
    }

    /// Headings: bold.
    pub fn heading(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// A status word, padded so columns line up (padding before colouring).
    pub fn status(&self, status: Status) -> String {
        match status {
            Status::Done => self.good("done           "),
            Status::Pending => self.bad("pending        "),
            Status::Unchecked => "not checked yet".to_owned(),
        }
    }

    /// A progress line for step `step` of `total`, e.g. `[3/12] running sync-unary …`.
    pub fn step(&self, step: usize, total: usize, text: &str) {
        println!("{} {text}", self.heading(&format!("[{step}/{total}]")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_output_has_no_escape_codes() {
        let ui = Ui { color: false };
        assert_eq!(ui.status(Status::Done), "done           ");
        assert_eq!(
            ui.status(Status::Unchecked).len(),
            ui.status(Status::Pending).len()
        );
        assert_eq!(ui.bad("x"), "x");
        let colored = Ui { color: true };
        assert_eq!(colored.good("x"), "\x1b[32mx\x1b[0m");
    }
}
