//! The page in Debian's headless Chromium, driven by playwright-core: the unary
//! answer, a stream shown message by message, a grpc-status error, and CORS
//! allowing one foreign origin and refusing another. Takes the page's screenshot.
//!
//! Needs chromium, node and npm; without them this is a loud skip, under CI=true a failure.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const EVERY: Duration = Duration::from_millis(100);

fn tool(program: &str, package: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            !support::in_ci(),
            "{program} is needed (Debian package: {package})"
        );
        eprintln!("SKIPPED: {program} not found (Debian package: {package})");
    }
    found
}

/// The full path of `program` on PATH (playwright wants a path, not a name).
fn on_path(program: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn the_page_calls_the_greeter_over_grpc_web_in_chromium() {
    if !(tool("chromium", "chromium") && tool("node", "nodejs") && tool("npm", "npm")) {
        return;
    }
    let workspace = support::workspace();
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let out = workspace.join("target/grpc-web");
    tokio::task::spawn_blocking({
        let (web, out) = (web.clone(), out.clone());
        move || {
            run(&mut Command::new(web.join("build")));
            std::fs::copy(web.join("drive.mjs"), out.join("drive.mjs")).unwrap();
        }
    })
    .await
    .unwrap();

    // A allows pages from B's origin; B allows none.
    let (a, b) = (support::bind().await, support::bind().await);
    let b_origin = format!("http://127.0.0.1:{}", b.local_addr().unwrap().port());
    let a = support::serve(a, vec![b_origin.clone()], EVERY);
    let b = support::serve(b, vec![], EVERY);
    let screenshot = workspace.join("docs/src/beyond/grpc-web.png");
    let args = [
        format!("{}/", a.url),
        format!("{}/?server={}", b.url, a.url),
        format!("{}/?server={}", a.url, b.url),
        screenshot.display().to_string(),
    ];
    let chromium = on_path("chromium").unwrap();
    let seen = tokio::task::spawn_blocking(move || {
        run(Command::new("node")
            .current_dir(&out)
            .arg("drive.mjs")
            .arg(chromium)
            .args(args))
    })
    .await
    .unwrap();
    let seen: serde_json::Value = serde_json::from_str(seen.trim()).expect("the driver's JSON");
    println!("{seen:#}");

    let answer = |key: &str| {
        (
            seen[key]["text"].as_str().unwrap(),
            seen[key]["error"].as_bool().unwrap(),
        )
    };
    assert_eq!(
        answer("unary"),
        ("Greeter client received: Hello, Jack!", false)
    );

    let streamed = seen["streamed"].as_array().unwrap();
    let texts: Vec<&str> = streamed
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        (0..5)
            .map(|i| format!("Hello number {i}, Jack!"))
            .collect::<Vec<_>>()
    );
    assert_eq!(seen["streamStatus"], "stream ended: OK");
    // Message by message: the first was on screen while the stream was still open,
    // and arrivals spread over the server's pauses instead of landing together.
    let shown = seen["whileStreaming"]["shown"].as_u64().unwrap();
    assert!((1..5).contains(&shown), "{shown} shown while streaming");
    assert_eq!(seen["whileStreaming"]["status"], "streaming...");
    let ms: Vec<u64> = streamed.iter().map(|m| m["ms"].as_u64().unwrap()).collect();
    assert!(ms.windows(2).all(|w| w[0] <= w[1]), "{ms:?}");
    let spread = Duration::from_millis(ms[4] - ms[0]);
    assert!(spread >= EVERY * 3, "arrivals {ms:?} ms: not one by one");

    assert_eq!(
        answer("emptyName"),
        ("status InvalidArgument: name must not be empty", true)
    );
    // The same page from B's origin calls A (allowed), from A's origin calls B (refused:
    // the preflight has no access-control-allow-origin, so fetch fails).
    assert_eq!(
        answer("allowedCross"),
        ("Greeter client received: Hello, Jack!", false)
    );
    assert_eq!(
        answer("refusedCross"),
        ("status Unknown: Failed to fetch", true)
    );

    assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000);
    a.stop().await;
    b.stop().await;
}
