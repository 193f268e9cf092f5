//! The runner as a learner uses it: typed into a shell in a real terminal (a tmux
//! pane), read off the screen. list → hint → hint → verify (fails) → edit →
//! verify (passes) → next → reset → list.
//!
//! It works on a copy of `exercises/` in `target/workshop-pty/` (the real exercise
//! files are never touched), builds into the shared `target/` (so only the copied
//! exercises crate compiles), keeps its state in a temporary folder, and gives up
//! after [`LIMIT`]. It needs `tmux`: CI installs it (`.ci/run`'s
//! `system_packages`); elsewhere the test says it is skipping, unless `CI` is
//! set, where a missing tmux is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The whole session's time budget: a cold build of the exercises crate on two
/// busy cores takes a few minutes; every step after it takes seconds.
const LIMIT: Duration = Duration::from_secs(900);

/// A tmux server of our own (its own socket), killed when dropped.
struct Terminal {
    socket: PathBuf,
    started: Instant,
    steps: usize,
}

impl Terminal {
    fn tmux(&self) -> Command {
        let mut command = Command::new("tmux");
        command.arg("-S").arg(&self.socket);
        command
    }

    /// Starts a 160×50 shell in `dir`, with `workshop` meaning the built runner.
    fn start(tmp: &Path, dir: &Path, env: &[(&str, &Path)]) -> Self {
        let config = tmp.join("tmux.conf");
        std::fs::write(&config, "set -g history-limit 50000\n").unwrap();
        let terminal = Self {
            socket: tmp.join("tmux.sock"),
            started: Instant::now(),
            steps: 0,
        };
        let mut command = terminal.tmux();
        command
            .arg("-f")
            .arg(&config)
            .args(["new-session", "-d", "-x", "160", "-y", "50", "-c"])
            .arg(dir)
            .args(["bash", "--norc", "--noprofile"]);
        for (name, value) in env {
            command.env(name, value);
        }
        assert!(command.status().unwrap().success(), "tmux new-session");
        let runner = env!("CARGO_BIN_EXE_workshop");
        terminal.send(&format!(
            "PS1='$ '; workshop() {{ '{runner}' \"$@\"; }}; clear"
        ));
        terminal
    }

    /// Types `keys` and presses Enter.
    fn send(&self, keys: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-l", keys])
            .status()
            .unwrap();
        assert!(status.success());
        let status = self.tmux().args(["send-keys", "Enter"]).status().unwrap();
        assert!(status.success());
    }

    /// Everything the pane has shown, wrapped lines joined, colours stripped.
    fn screen(&self) -> String {
        let output = self
            .tmux()
            .args(["capture-pane", "-p", "-J", "-S", "-50000"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Types `command`, waits until it has finished, and returns what it printed
    /// (the screen between the typed line and the end marker) and its exit status.
    fn run(&mut self, command: &str) -> (String, i32) {
        self.steps += 1;
        let marker = format!("__step{}_", self.steps);
        self.send(&format!("{command}; echo {marker}$?"));
        loop {
            let screen = self.screen();
            // The typed line shows `__stepN_$?`; the printed marker has the status.
            if let Some(end) = screen
                .match_indices(&marker)
                .map(|(at, _)| at)
                .find(|at| screen[at + marker.len()..].starts_with(|c: char| c.is_ascii_digit()))
            {
                let typed = screen[..end]
                    .rfind(&format!("{marker}$?"))
                    .expect("the typed command is on screen");
                let start = screen[typed..].find('\n').map_or(end, |n| typed + n + 1);
                let code: String = screen[end + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                return (screen[start..end].to_owned(), code.parse().unwrap());
            }
            assert!(
                self.started.elapsed() < LIMIT,
                "`{command}` did not finish within the test's {LIMIT:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

/// Copies `from` into `to`, skipping nothing but build output.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let (source, dest) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&source, &dest);
        } else {
            std::fs::copy(&source, &dest).unwrap();
            // Keep the modification time, so cargo sees unchanged files as unchanged.
            let modified = entry.metadata().unwrap().modified().unwrap();
            let file = std::fs::File::options().write(true).open(&dest).unwrap();
            file.set_modified(modified).unwrap();
        }
    }
}

fn tmux_available() -> bool {
    let works = Command::new("tmux").arg("-V").output();
    works.is_ok_and(|o| o.status.success())
}

#[test]
fn a_learner_lists_asks_for_hints_edits_verifies_and_moves_on() {
    if !tmux_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install tmux (.ci/run system_packages) for the runner's terminal test"
        );
        eprintln!("SKIPPING the runner's terminal test: tmux is not installed");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"));
    let tmp = tempfile::tempdir().unwrap();
    // The copy sits at the same path on every run, so cargo rebuilds only what the
    // steps change, not the whole exercises crate (its build depends on its path).
    let copy = target.join("workshop-pty/checkout");
    if copy.exists() {
        std::fs::remove_dir_all(&copy).unwrap();
    }
    copy_tree(&root.join("exercises"), &copy.join("exercises"));
    // The exercises depend on the kits by relative path (which inherit from the root
    // workspace's manifest); lessons are listed from crates/. Both only read: linked.
    for shared in ["crates", "Cargo.toml", "Cargo.lock"] {
        std::os::unix::fs::symlink(root.join(shared), copy.join(shared)).unwrap();
    }
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(copy.join("exercises/info.toml")).unwrap())
            .unwrap();
    let exercises = info["exercise"].as_array().unwrap();
    let total = exercises.len();
    let first = &exercises[0];
    let levels = first
        .get("hints")
        .map_or(1, |h| h.as_array().unwrap().len());
    let files: Vec<&str> = first["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();

    let state = tmp.path().join("state.json");
    let mut term = Terminal::start(
        tmp.path(),
        &copy.join("exercises"),
        &[("CARGO_TARGET_DIR", &target), ("WORKSHOP_STATE", &state)],
    );

    let (list, code) = term.run("workshop list");
    assert_eq!(code, 0, "{list}");
    assert!(list.contains("not checked yet"), "{list}");
    assert!(
        !list.contains("building"),
        "a fresh list builds nothing:\n{list}"
    );
    let progress = format!("Progress: 0/{total} done, chapter 1");
    assert!(list.contains(&progress), "{list}");
    assert!(list.contains("Next: exercise 1,"), "{list}");

    let (hint, _) = term.run("workshop hint 1");
    assert!(hint.contains(&format!("hint 1 of {levels}")), "{hint}");
    if levels > 1 {
        let (hint, _) = term.run("workshop hint 1");
        assert!(hint.contains(&format!("hint 2 of {levels}")), "{hint}");
    }

    let (verify, code) = term.run("workshop verify");
    assert_ne!(code, 0, "{verify}");
    assert!(verify.contains("exercise 1 is not done yet"), "{verify}");

    // The learner's edit: what the reference solution says, typed in by `cp`.
    for file in &files {
        let solution = match file.strip_prefix("src/") {
            Some(rest) => format!("solutions/{rest}"),
            None => format!("solutions/{file}"),
        };
        let (out, code) = term.run(&format!("cp {solution} {file}"));
        assert_eq!(code, 0, "{out}");
    }
    let (verify, code) = term.run("workshop verify");
    assert_eq!(code, 0, "{verify}");
    assert!(verify.contains("exercise 1 passes its tests"), "{verify}");
    assert!(
        verify.contains(&format!("Progress: 1/{total} done")),
        "{verify}"
    );
    assert!(verify.contains("Next: exercise 2,"), "{verify}");

    let (next, _) = term.run("workshop next");
    assert!(next.contains("Next: exercise 2 ("), "{next}");
    assert!(next.contains("verify 2"), "{next}");

    let (reset, code) = term.run("workshop reset 1");
    assert_eq!(code, 0, "{reset}");
    assert!(reset.contains("restored"), "{reset}");
    for file in &files {
        let shipped = std::fs::read(root.join("exercises/.shipped").join(file)).unwrap();
        let now = std::fs::read(copy.join("exercises").join(file)).unwrap();
        assert!(shipped == now, "{file} is back as shipped");
    }
    // The verdict on the shipped files is remembered: no build, exercise 1 pending again.
    let (list, _) = term.run("workshop list");
    assert!(!list.contains("building"), "{list}");
    assert!(list.contains(&progress), "{list}");
    assert!(list.contains("pending"), "{list}");
}
