//! The runner as a learner uses it: typed into a shell in a real terminal (a tmux
//! pane), read off the screen. list → hint → hint → verify (fails) → watch 1 →
//! edit (the watch verifies: passes) → Ctrl-C → list → next → reset → list.
//!
//! It works on a copy of `exercises/` in `target/workshop-pty/` (the real exercise
//! files are never touched) with a build folder of its own beside it (so it never
//! disturbs the real exercises' build), keeps its state in a temporary folder, and
//! gives up after [`LIMIT`]. It needs `tmux`: CI installs it (`.ci/run`'s
//! `system_packages`); elsewhere the test says it is skipping, unless `CI` is
//! set, where a missing tmux is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The whole session's time budget: the first run builds the exercises and their
/// dependencies (tonic, rustls, …), several minutes on two busy cores; later runs
/// rebuild the exercises crate only, and every other step takes seconds.
const LIMIT: Duration = Duration::from_secs(1500);

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

    /// Types `command` followed by an end marker, without waiting; returns the marker.
    fn start_command(&mut self, command: &str) -> String {
        self.steps += 1;
        let marker = format!("__step{}_", self.steps);
        self.send(&format!("{command}; echo {marker}$?"));
        marker
    }

    /// What the screen shows after the line where the command with `marker` was typed.
    fn output_since(&self, marker: &str) -> String {
        let screen = self.screen();
        let Some(typed) = screen.rfind(&format!("{marker}$?")) else {
            return String::new();
        };
        let start = screen[typed..]
            .find('\n')
            .map_or(screen.len(), |n| typed + n + 1);
        screen[start..].to_owned()
    }

    /// Waits until the command typed with `marker` has printed `needle`; returns its output.
    fn wait_for(&self, marker: &str, needle: &str) -> String {
        loop {
            let output = self.output_since(marker);
            if output.contains(needle) {
                return output;
            }
            assert!(
                self.started.elapsed() < LIMIT,
                "no `{needle}` within the test's {LIMIT:?}; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits until the command typed with `marker` has finished; returns what it
    /// printed and its exit status. (A command ended by Ctrl-C never prints its
    /// marker: bash drops the rest of an interrupted command line.)
    fn finish(&self, marker: &str) -> (String, i32) {
        loop {
            let output = self.output_since(marker);
            // The typed line shows `__stepN_$?`; the printed marker has the status.
            if let Some(end) = output
                .match_indices(marker)
                .map(|(at, _)| at)
                .find(|at| output[at + marker.len()..].starts_with(|c: char| c.is_ascii_digit()))
            {
                let code: String = output[end + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                return (output[..end].to_owned(), code.parse().unwrap());
            }
            assert!(
                self.started.elapsed() < LIMIT,
                "a command did not finish within the test's {LIMIT:?}; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Types `command`, waits until it has finished, and returns what it printed
    /// and its exit status.
    fn run(&mut self, command: &str) -> (String, i32) {
        let marker = self.start_command(command);
        self.finish(&marker)
    }

    /// Presses Ctrl-C.
    fn interrupt(&self) {
        let status = self.tmux().args(["send-keys", "C-c"]).status().unwrap();
        assert!(status.success());
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
            // New modification times: cargo must not take the copy for files it
            // built earlier (build.rs's `rerun-if-changed` compares times).
            std::fs::copy(&source, &dest).unwrap();
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
    // The copy and its build sit at the same paths on every run, so the
    // dependencies build once. The build has a target folder of its own: cargo
    // hashes a path package by its path relative to its workspace, so a copy of
    // exercises/ building into the shared target/ would share (and overwrite) the
    // real exercises' build-script output.
    let pty = target.join("workshop-pty");
    let copy = pty.join("checkout");
    let build = pty.join("target");
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
        &[("CARGO_TARGET_DIR", &build), ("WORKSHOP_STATE", &state)],
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

    // `watch 1` in the terminal; the learner saves the fix from their editor (here:
    // the reference solution written over the file), and the watch verifies again.
    let watch = term.start_command("workshop watch 1");
    term.wait_for(&watch, "watching exercises/");
    for file in &files {
        let solution = match file.strip_prefix("src/") {
            Some(rest) => format!("solutions/{rest}"),
            None => format!("solutions/{file}"),
        };
        let exercises = copy.join("exercises");
        std::fs::write(
            exercises.join(file),
            std::fs::read(exercises.join(solution)).unwrap(),
        )
        .unwrap();
    }
    let watched = term.wait_for(&watch, "Next: exercise 2,");
    assert!(watched.contains("exercise 1 passes its tests"), "{watched}");
    assert!(
        watched.contains(&format!("Progress: 1/{total} done")),
        "{watched}"
    );
    // Ctrl-C ends the watch, and the shell drops the rest of that command line
    // (its end marker): the next command's marker says the shell is back.
    term.interrupt();
    let (_, code) = term.run("true");
    assert_eq!(code, 0);

    let (list, _) = term.run("workshop list");
    assert!(
        list.contains(&format!("Progress: 1/{total} done")),
        "{list}"
    );
    assert!(
        !list.contains("building"),
        "the verdict is remembered: {list}"
    );

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
