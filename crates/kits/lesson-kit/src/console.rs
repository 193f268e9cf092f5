//! Where a lesson's printed lines go.
//!
//! The lines a lesson prints are part of its contract (they must match the
//! tutorial's), so lessons never call `println!` directly: they write to a
//! [`Console`]. In a terminal it is stdout; in a test it captures the lines so the
//! test can compare them, and an observer can react to a line the moment it is
//! printed (for example to check what the server had done by then).

use std::io::Write;
use std::sync::{Arc, Mutex};

type Observer = Box<dyn Fn(&str) + Send + Sync>;

/// A cheap, cloneable line printer shared by servers, clients and their threads.
#[derive(Clone)]
pub struct Console {
    inner: Arc<Inner>,
}

struct Inner {
    captured: Option<Mutex<Vec<String>>>,
    observer: Option<Observer>,
}

impl Console {
    /// Lines go to standard output, flushed one by one.
    pub fn stdout() -> Self {
        Self {
            inner: Arc::new(Inner {
                captured: None,
                observer: None,
            }),
        }
    }

    /// Lines are kept in memory for [`Console::lines`]; nothing is printed.
    pub fn capture() -> Self {
        Self {
            inner: Arc::new(Inner {
                captured: Some(Mutex::new(Vec::new())),
                observer: None,
            }),
        }
    }

    /// A capturing console that also calls `observer` with every line, in order,
    /// on the thread that prints it.
    pub fn capture_with_observer(observer: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Self {
            inner: Arc::new(Inner {
                captured: Some(Mutex::new(Vec::new())),
                observer: Some(Box::new(observer)),
            }),
        }
    }

    /// Prints `text`; embedded newlines make several lines, as Python's `print` does.
    pub fn line(&self, text: impl AsRef<str>) {
        let text = text.as_ref();
        match &self.inner.captured {
            Some(lines) => {
                let mut lines = lines
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                for line in text.split('\n') {
                    if let Some(observer) = &self.inner.observer {
                        observer(line);
                    }
                    lines.push(line.to_owned());
                }
            }
            None => {
                let mut out = std::io::stdout().lock();
                // A closed stdout (e.g. `| head`) must not crash a server.
                let _ = writeln!(out, "{text}").and_then(|_| out.flush());
            }
        }
    }

    /// Prints `text` behind the tutorial's `HH:MM:SS.ffffff` timestamp.
    pub fn stamped(&self, text: impl std::fmt::Display) {
        self.line(crate::clock::stamped(text));
    }

    /// The lines captured so far (empty for [`Console::stdout`]).
    pub fn lines(&self) -> Vec<String> {
        match &self.inner.captured {
            Some(lines) => lines
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone(),
            None => Vec::new(),
        }
    }
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.inner.captured.is_some() {
            "Console::capture"
        } else {
            "Console::stdout"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn captures_lines_split_like_print() {
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let console = Console::capture_with_observer(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        console.line("a");
        console.clone().line("\nb");
        assert_eq!(console.lines(), ["a", "", "b"]);
        assert_eq!(seen.load(Ordering::SeqCst), 3);
    }
}
