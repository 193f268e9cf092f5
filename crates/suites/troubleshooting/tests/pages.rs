//! Each message the troubleshooting page quotes is produced here for real, then
//! looked up, verbatim, in both editions of the page.

use std::path::{Path, PathBuf};
use std::time::Duration;

use troubleshooting::{Observed, scenarios};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

const PAGES: [&str; 2] = [
    "docs/src/troubleshooting.md",
    "docs/zh/src/troubleshooting.md",
];

/// Fails unless every line of the observed message is on both pages.
fn on_both_pages(observed: &Observed) {
    eprintln!("observed `{}`:\n{}", observed.key, observed.message);
    for page in PAGES {
        let text = std::fs::read_to_string(repo().join(page))
            .unwrap_or_else(|error| panic!("cannot read {page}: {error}"));
        assert!(
            text.contains(observed.key),
            "{page} has no entry for `{}`",
            observed.key
        );
        for line in observed.message.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                text.contains(line),
                "{page} does not show what the program printed for `{}`:\n{line}",
                observed.key
            );
        }
    }
}

/// Every scenario is bounded: a hang is a failure, not a stuck CI run.
async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("scenario took over 60 s")
}

#[test]
fn runtime_inside_runtime() {
    on_both_pages(&scenarios::runtime_inside_runtime().unwrap());
}

#[tokio::test]
async fn bare_transport_error() {
    on_both_pages(&bounded(scenarios::nobody_listening()).await.unwrap());
}

#[tokio::test]
async fn unknown_issuer() {
    on_both_pages(&bounded(scenarios::unknown_issuer()).await.unwrap());
}

#[tokio::test]
async fn refused_client_certificate() {
    on_both_pages(
        &bounded(scenarios::client_certificate_refused())
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn message_too_large() {
    on_both_pages(&bounded(scenarios::message_too_large()).await.unwrap());
}

#[tokio::test]
async fn address_already_in_use() {
    on_both_pages(&bounded(scenarios::address_in_use()).await.unwrap());
}

#[test]
fn protoc_not_found() {
    on_both_pages(&scenarios::protoc_not_found(&repo().join("proto")).unwrap());
}

#[test]
fn python_import_path_trap() {
    on_both_pages(&scenarios::python_import_trap(&repo()).unwrap());
}
