//! `watch`: verify again every time an exercise file is saved.
//!
//! Editors save in bursts (write a temp file, rename, touch), so events are
//! debounced: one verify per burst, 300 ms after it settles. Uses
//! `notify-debouncer-mini`, the debouncer maintained with the `notify` crate.

use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_mini::new_debouncer;
use notify_debouncer_mini::notify::RecursiveMode;

use crate::state::fingerprint;
use crate::workshop::Workshop;

/// How long a burst of file events must be quiet before verifying.
const SETTLE: Duration = Duration::from_millis(300);

/// Verifies exercise `number` (default: the first not done, chosen again after
/// each save, so passing one moves on to the next) now and after every save,
/// until interrupted.
pub fn watch(workshop: &Workshop, number: Option<usize>) -> anyhow::Result<()> {
    if let Some(number) = number {
        workshop.catalog.get(number)?;
    }
    let (events, saves) = mpsc::channel();
    let mut debouncer = new_debouncer(SETTLE, events)?;
    // Every folder holding a file some exercise checks (the capstone has its own).
    let mut folders: Vec<String> = workshop
        .catalog
        .exercises
        .iter()
        .flat_map(|e| e.checked_files())
        .filter_map(|f| f.rsplit_once('/').map(|(dir, _)| dir.to_owned()))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        let path = workshop.catalog.dir.join(folder);
        debouncer
            .watcher()
            .watch(&path, RecursiveMode::NonRecursive)?;
    }
    // What the files looked like when last verified: a burst of events that left
    // them as they were (an editor's backup dance, a late event of the save just
    // verified) verifies nothing.
    let contents = || {
        let exercises = &workshop.catalog.exercises;
        let dir = &workshop.catalog.dir;
        exercises
            .iter()
            .map(|e| fingerprint(dir, e))
            .collect::<Vec<String>>()
    };
    loop {
        let verified = contents();
        workshop.verify(number)?;
        println!("\nwatching exercises/ for changes (Ctrl-C to stop)…");
        // Wait for a burst that changed a source file, not just editor litter.
        loop {
            let batch = saves
                .recv()?
                .map_err(|e| anyhow::anyhow!("file watcher: {e}"))?;
            let relevant = batch.iter().any(|event| {
                let ext = event.path.extension().and_then(|e| e.to_str());
                matches!(ext, Some("rs" | "proto"))
            });
            if relevant && contents() != verified {
                break;
            }
        }
        println!();
    }
}
