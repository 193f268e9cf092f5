//! The lessons, in the tutorial's order: what `list` shows and `tour` runs.
//!
//! The list is a contract: every lesson here must be in the checkout, and every
//! delay-shortening flag the tour passes must be in the lesson's `--help`. The
//! tour fails, naming the lesson, when one is missing ([`missing`],
//! [`missing_flags`]), so a renamed crate or flag cannot silently shrink it.

use std::path::Path;

/// One lesson crate and where it sits in the tutorial and the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lesson {
    /// The crate, as in `cargo run -p <crate>`.
    pub crate_name: &'static str,
    /// Its folder, relative to the repository root.
    pub dir: &'static str,
    /// The tutorial chapter and section it follows.
    pub chapter: &'static str,
    /// Its book page, relative to `docs/src`.
    pub page: &'static str,
    /// The tour's runs: one argument list per run (none: the default demo; or auth's modes).
    pub runs: &'static [&'static [&'static str]],
    /// Flags that shorten the demo's waits, with their tour values.
    pub shorter: &'static [(&'static str, &'static str)],
}

/// Run once with no arguments: every lesson's default mode is its demo.
const DEMO: &[&[&str]] = &[&[]];

const fn lesson(
    crate_name: &'static str,
    dir: &'static str,
    chapter: &'static str,
    page: &'static str,
) -> Lesson {
    Lesson {
        crate_name,
        dir,
        chapter,
        page,
        runs: DEMO,
        shorter: &[],
    }
}

/// Every lesson the workshop plans, in reading order.
pub const LESSONS: &[Lesson] = &[
    lesson(
        "proto-compilation",
        "crates/lessons/1-proto/proto-compilation",
        "1. Proto compilation",
        "proto/README.md",
    ),
    Lesson {
        // Two plain programs (`--bin server`, `--bin client`), no demo: the page's
        // project as a reader types it. check-listings runs it against Python.
        runs: &[],
        ..lesson(
            "from-scratch",
            "crates/lessons/1-proto/from-scratch",
            "1. From scratch",
            "from-scratch.md",
        )
    },
    lesson(
        "sync-unary",
        "crates/lessons/2-sync/unary",
        "2. Sync: unary",
        "sync/unary.md",
    ),
    lesson(
        "sync-server-streaming",
        "crates/lessons/2-sync/server-streaming",
        "2. Sync: server streaming",
        "sync/server-streaming.md",
    ),
    Lesson {
        shorter: &[("--initial-delay", "200ms"), ("--work-delay", "20ms")],
        ..lesson(
            "sync-bidi-streaming",
            "crates/lessons/2-sync/bidi-streaming",
            "2. Sync: bidi streaming, flow control",
            "sync/bidi-streaming.md",
        )
    },
    lesson(
        "async-unary",
        "crates/lessons/3-async/unary",
        "3. Async: unary",
        "async/unary.md",
    ),
    lesson(
        "async-server-streaming",
        "crates/lessons/3-async/server-streaming",
        "3. Async: server streaming",
        "async/server-streaming.md",
    ),
    lesson(
        "async-client-streaming",
        "crates/lessons/3-async/client-streaming",
        "3. Async: client streaming",
        "async/client-streaming.md",
    ),
    lesson(
        "async-bidi-streaming",
        "crates/lessons/3-async/bidi-streaming",
        "3. Async: bidi streaming",
        "async/bidi-streaming.md",
    ),
    Lesson {
        runs: &[&["tls"], &["mtls"], &["token"], &["combined"], &["custom"]],
        ..lesson(
            "auth",
            "crates/lessons/4-security/auth",
            "4. Security: TLS, mTLS, token, custom",
            "security/README.md",
        )
    },
    lesson(
        "deadlines",
        "crates/lessons/5-beyond/deadlines",
        "Beyond: deadlines",
        "beyond/deadlines.md",
    ),
    lesson(
        "errors",
        "crates/lessons/5-beyond/errors",
        "Beyond: errors",
        "beyond/errors.md",
    ),
    lesson(
        "metadata",
        "crates/lessons/5-beyond/metadata",
        "Beyond: metadata",
        "beyond/metadata.md",
    ),
    lesson(
        "health-reflection",
        "crates/lessons/5-beyond/health-reflection",
        "Beyond: health and reflection",
        "beyond/health-reflection.md",
    ),
    lesson(
        "compression",
        "crates/lessons/5-beyond/compression",
        "Beyond: compression",
        "beyond/compression.md",
    ),
    lesson(
        "limits",
        "crates/lessons/5-beyond/limits",
        "Beyond: limits and keepalive",
        "beyond/limits.md",
    ),
    lesson(
        "graceful-shutdown",
        "crates/lessons/5-beyond/graceful-shutdown",
        "Beyond: graceful shutdown",
        "beyond/shutdown.md",
    ),
    lesson(
        "scaling-out",
        "crates/lessons/5-beyond/scaling-out",
        "Beyond: scaling out",
        "beyond/scaling-out.md",
    ),
    Lesson {
        shorter: &[("--every", "50ms")],
        ..lesson(
            "grpc-web",
            "crates/lessons/5-beyond/grpc-web",
            "Beyond: gRPC from a web page, REST on the same port",
            "beyond/grpc-web.md",
        )
    },
    lesson(
        "local-sockets",
        "crates/lessons/5-beyond/local-sockets",
        "Beyond: Unix domain sockets",
        "beyond/local-sockets.md",
    ),
    Lesson {
        shorter: &[("--reload-every", "20ms"), ("--every", "20ms")],
        ..lesson(
            "tls-control",
            "crates/lessons/5-beyond/tls-control",
            "Beyond: TLS you control",
            "beyond/tls-control.md",
        )
    },
    lesson(
        "contract-evolution",
        "crates/lessons/5-beyond/contract-evolution",
        "Beyond: evolving a contract",
        "beyond/contract-evolution.md",
    ),
    lesson(
        "reliability",
        "crates/suites/reliability",
        "Beyond: reliability suite",
        "beyond/reliability.md",
    ),
    lesson(
        "authorization",
        "crates/lessons/6-production/authorization",
        "Running it for real: authorization",
        "production/authorization.md",
    ),
    lesson(
        "service-testing",
        "crates/lessons/6-production/service-testing",
        "Running it for real: testing a service",
        "production/testing.md",
    ),
    lesson(
        "retries",
        "crates/lessons/6-production/retries",
        "Running it for real: retries, hedging and wait-for-ready",
        "production/retries.md",
    ),
    lesson(
        "observability",
        "crates/lessons/6-production/observability",
        "Running it for real: traces and metrics",
        "production/observability.md",
    ),
    lesson(
        "tuning",
        "crates/lessons/6-production/tuning",
        "Running it for real: tuning the server, one measured step at a time",
        "production/tuning.md",
    ),
];

/// Whether `lesson`'s crate is in this checkout.
pub fn is_present(root: &Path, lesson: &Lesson) -> bool {
    root.join(lesson.dir).join("Cargo.toml").is_file()
}

/// The lessons whose crates are in this checkout, in order.
pub fn present(root: &Path) -> Vec<&'static Lesson> {
    LESSONS.iter().filter(|l| is_present(root, l)).collect()
}

/// The lessons whose crates are NOT in this checkout (a tour failure).
pub fn missing(root: &Path) -> Vec<&'static Lesson> {
    LESSONS.iter().filter(|l| !is_present(root, l)).collect()
}

/// The tour's shortening flags and values, as arguments: `--work-delay 20ms …`.
pub fn shortening_args(lesson: &Lesson) -> Vec<String> {
    lesson
        .shorter
        .iter()
        .flat_map(|(flag, value)| [(*flag).to_owned(), (*value).to_owned()])
        .collect()
}

/// The shortening flags that `help` (a lesson's `--help` text) does NOT offer:
/// each one is a flag renamed or removed under the tour's feet.
pub fn missing_flags(lesson: &Lesson, help: &str) -> Vec<&'static str> {
    lesson
        .shorter
        .iter()
        .map(|(flag, _)| *flag)
        .filter(|flag| {
            !help
                .split(|c: char| c.is_whitespace() || c == ',' || c == '=' || c == '[')
                .any(|word| word == *flag)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_crates_in_the_checkout_are_present_and_the_rest_are_missing() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("crates/lessons/2-sync/unary");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Cargo.toml"), "").unwrap();
        std::fs::create_dir_all(root.path().join("crates/lessons/4-security/auth")).unwrap(); // no Cargo.toml yet
        let names: Vec<&str> = present(root.path()).iter().map(|l| l.crate_name).collect();
        assert_eq!(names, ["sync-unary"]);
        let missing = missing(root.path());
        assert_eq!(missing.len(), LESSONS.len() - 1);
        assert!(missing.iter().any(|l| l.crate_name == "auth"));
    }

    #[test]
    fn a_shortening_flag_missing_from_the_help_is_reported() {
        let bidi = LESSONS
            .iter()
            .find(|l| l.crate_name == "sync-bidi-streaming")
            .unwrap();
        assert_eq!(
            shortening_args(bidi),
            ["--initial-delay", "200ms", "--work-delay", "20ms"]
        );
        let help = "Options:\n      --initial-delay <INITIAL_DELAY>  wait first\n  \
                    --work-delay=<D>\n  -h, --help";
        assert!(missing_flags(bidi, help).is_empty());
        let renamed = "Options:\n      --initial-delay <D>\n      --work-pause <D>\n";
        assert_eq!(missing_flags(bidi, renamed), ["--work-delay"]);
        assert_eq!(missing_flags(bidi, "").len(), 2);
    }

    #[test]
    fn book_pages_exist_in_the_summary() {
        let summary = include_str!("../../../docs/src/SUMMARY.md");
        for lesson in LESSONS {
            assert!(
                summary.contains(&format!("({})", lesson.page)),
                "{}",
                lesson.page
            );
        }
    }
}
