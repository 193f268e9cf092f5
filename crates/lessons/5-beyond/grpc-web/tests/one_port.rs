//! One port, every protocol: JSON over HTTP/1.1 and h2c, gRPC over h2c, gRPC-Web
//! over HTTP/1.1, CORS preflights; `curl` is the outside client where it can be.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use grpc_web::client;
use tokio::io::AsyncReadExt;

const ALLOWED: &str = "http://localhost:5173";

fn curl_present() -> bool {
    let found = Command::new("curl").arg("--version").output().is_ok();
    if !found {
        assert!(!support::in_ci(), "curl is needed (Debian package: curl)");
        eprintln!("SKIPPED: curl not found (Debian package: curl)");
    }
    found
}

/// What curl got: the body, the HTTP version it spoke, the status code.
struct Got {
    body: Vec<u8>,
    version: String,
    status: u16,
}

/// Runs curl with `args`, `stdin` as the request body.
async fn curl(args: Vec<String>, stdin: Vec<u8>) -> Got {
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new("curl")
            .args([
                "-sS",
                "--max-time",
                "10",
                "-o",
                "-",
                "-w",
                "\n%{http_version} %{http_code}",
            ])
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("curl runs");
        child.stdin.take().unwrap().write_all(&stdin).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "curl {args:?} failed");
        let mut out = output.stdout;
        let split = out.iter().rposition(|&b| b == b'\n').unwrap();
        let tail = String::from_utf8(out.split_off(split + 1)).unwrap();
        out.pop();
        let (version, status) = tail.split_once(' ').unwrap();
        Got {
            body: out,
            version: version.to_owned(),
            status: status.parse().unwrap(),
        }
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn curl_gets_json_over_http1_and_h2c_on_the_grpc_port() {
    if !curl_present() {
        return;
    }
    let server = support::start(|_| vec![ALLOWED.into()], Duration::from_millis(10)).await;
    let url = format!("{}/v1/hello/Jack", server.url);
    let json = r#"{"message":"Hello, Jack!"}"#.as_bytes();
    let got = curl(vec!["--http1.1".into(), url.clone()], vec![]).await;
    assert_eq!(
        (&got.body[..], got.version.as_str(), got.status),
        (json, "1.1", 200)
    );
    let got = curl(vec!["--http2-prior-knowledge".into(), url.clone()], vec![]).await;
    assert_eq!(
        (&got.body[..], got.version.as_str(), got.status),
        (json, "2", 200)
    );
    // `--http2` asks to upgrade an HTTP/1.1 request (`Upgrade: h2c`); hyper does not
    // upgrade, so it stays HTTP/1.1: plaintext HTTP/2 here means prior knowledge.
    let got = curl(vec!["--http2".into(), url], vec![]).await;
    assert_eq!((&got.body[..], got.version.as_str()), (json, "1.1"));
    server.stop().await;
}

/// One SayHello request as a gRPC(-Web) message: flag 0, big-endian length, protobuf.
fn framed_request(name: &str) -> Vec<u8> {
    let mut message = vec![0x0a, name.len() as u8];
    message.extend_from_slice(name.as_bytes());
    let mut frame = vec![0];
    frame.extend_from_slice(&(message.len() as u32).to_be_bytes());
    frame.extend_from_slice(&message);
    frame
}

/// Splits a gRPC-Web response body into (flag, payload) frames.
fn frames(mut body: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut found = Vec::new();
    while body.len() >= 5 {
        let len = u32::from_be_bytes(body[1..5].try_into().unwrap()) as usize;
        found.push((body[0], body[5..5 + len].to_vec()));
        body = &body[5 + len..];
    }
    assert!(body.is_empty(), "a truncated frame");
    found
}

#[tokio::test]
async fn curl_calls_say_hello_as_grpc_web_over_http1_and_as_grpc_over_h2c() {
    if !curl_present() {
        return;
    }
    let server = support::start(|_| vec![ALLOWED.into()], Duration::from_millis(10)).await;
    let url = format!(
        "{}/tutorial.helloworld.v1.GreeterService/SayHello",
        server.url
    );
    let got = curl(
        [
            "--http1.1",
            "-H",
            "content-type: application/grpc-web+proto",
            "-H",
            "x-grpc-web: 1",
            "--data-binary",
            "@-",
            &url,
        ]
        .map(String::from)
        .to_vec(),
        framed_request("Jack"),
    )
    .await;
    assert_eq!((got.version.as_str(), got.status), ("1.1", 200));
    let web = frames(&got.body);
    // The answer, then the trailers as a frame with the high bit set (HTTP/1.1 has
    // no trailers a browser can read).
    assert_eq!(web.len(), 2, "{web:?}");
    assert_eq!(web[0], (0, [&[0x0a, 12][..], b"Hello, Jack!"].concat()));
    assert_eq!(web[1].0, 0x80);
    let trailers = String::from_utf8(web[1].1.clone()).unwrap();
    assert!(trailers.contains("grpc-status:0"), "{trailers}");

    // Plain gRPC needs HTTP/2 (trailers): over h2c curl gets the same answer...
    let got = curl(
        [
            "--http2-prior-knowledge",
            "-H",
            "content-type: application/grpc",
            "-H",
            "te: trailers",
            "--data-binary",
            "@-",
            &url,
        ]
        .map(String::from)
        .to_vec(),
        framed_request("Jack"),
    )
    .await;
    assert_eq!((got.version.as_str(), got.status), ("2", 200));
    assert_eq!(
        frames(&got.body),
        [(0, [&[0x0a, 12][..], b"Hello, Jack!"].concat())]
    );
    // ...and over HTTP/1.1 it is refused before it reaches the greeter.
    let got = curl(
        [
            "--http1.1",
            "-H",
            "content-type: application/grpc",
            "--data-binary",
            "@-",
            &url,
        ]
        .map(String::from)
        .to_vec(),
        framed_request("Jack"),
    )
    .await;
    assert_eq!(
        (got.version.as_str(), got.status, got.body.len()),
        ("1.1", 400, 0)
    );
    server.stop().await;
}

#[tokio::test]
async fn plain_grpc_over_http1_is_a_400() {
    let server = support::start(|_| vec![], Duration::from_millis(10)).await;
    let request = http::Request::post(format!(
        "{}/tutorial.helloworld.v1.GreeterService/SayHello",
        server.url
    ))
    .header("content-type", "application/grpc")
    .body(http_body_util::Empty::new())
    .unwrap();
    let answer = client::http1(request).await.unwrap();
    assert_eq!(answer.status, 400);
    server.stop().await;
}

#[tokio::test]
async fn the_rust_client_speaks_h2c_with_prior_knowledge() {
    // A listener that is not a server: it records the first bytes a tonic client sends.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let call = tokio::spawn(async move { client::grpc_hello(&url, "Jack").await });
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut preface = [0u8; 24];
    socket.read_exact(&mut preface).await.unwrap();
    assert_eq!(&preface, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    drop(socket);
    drop(listener);
    assert!(call.await.unwrap().is_err());

    // And against the lesson's server, the same client gets its answer and its stream.
    let server = support::start(|_| vec![], Duration::from_millis(10)).await;
    assert_eq!(
        client::grpc_hello(&server.url, "Jack").await.unwrap(),
        "Hello, Jack!"
    );
    let stream = client::grpc_stream(&server.url, "Jack").await.unwrap();
    assert_eq!(
        stream,
        (0..5)
            .map(|i| format!("Hello number {i}, Jack!"))
            .collect::<Vec<_>>()
    );
    server.stop().await;
}

#[tokio::test]
async fn grpc_web_from_rust_gets_answers_and_statuses() {
    let server = support::start(|_| vec![], Duration::from_millis(10)).await;
    assert_eq!(
        client::grpc_web_hello(&server.url, "Jack").await.unwrap(),
        "Hello, Jack!"
    );
    let status = client::grpc_web_hello(&server.url, "").await.unwrap_err();
    assert_eq!(
        (status.code(), status.message()),
        (tonic::Code::InvalidArgument, "name must not be empty")
    );
    server.stop().await;
}

#[tokio::test]
async fn json_route_answers_and_refuses_an_empty_name() {
    let server = support::start(|_| vec![], Duration::from_millis(10)).await;
    let answer = client::json_hello(&server.url, "Jack").await.unwrap();
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"message":"Hello, Jack!"}"#)
    );
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let answer = client::json_hello(&server.url, "%20").await.unwrap();
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (400, "name must not be empty")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_preflight_from_an_allowed_origin_is_allowed_and_a_foreign_one_refused() {
    let server = support::start(|_| vec![ALLOWED.into()], Duration::from_millis(10)).await;
    let allowed = client::preflight(&server.url, ALLOWED).await.unwrap();
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(ALLOWED));
    let headers = allowed.header("access-control-allow-headers").unwrap();
    for needed in ["content-type", "x-grpc-web", "x-user-agent"] {
        assert!(headers.contains(needed), "{headers}");
    }
    let foreign = client::preflight(&server.url, "http://evil.example")
        .await
        .unwrap();
    assert_eq!(
        foreign.header("access-control-allow-origin"),
        None,
        "{foreign:?}"
    );

    // The real call from the allowed origin may read the status a browser hides otherwise.
    let request = http::Request::post(format!(
        "{}/tutorial.helloworld.v1.GreeterService/SayHello",
        server.url
    ))
    .header("origin", ALLOWED)
    .header("content-type", "application/grpc-web+proto")
    .body(http_body_util::Empty::new())
    .unwrap();
    let answer = client::http1(request).await.unwrap();
    let exposed = answer.header("access-control-expose-headers").unwrap();
    assert!(
        exposed.contains("grpc-status") && exposed.contains("grpc-message"),
        "{exposed}"
    );
    server.stop().await;
}

/// A handler's error is answered trailers-only: no body, the status in the headers,
/// which is why a cross-origin page needs them exposed.
#[tokio::test]
async fn a_grpc_web_error_is_trailers_only_and_readable_cross_origin() {
    use http_body_util::{BodyExt, Full};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;

    let server = support::start(|_| vec![ALLOWED.into()], Duration::from_millis(10)).await;
    let request = http::Request::post(format!(
        "{}/tutorial.helloworld.v1.GreeterService/SayHello",
        server.url
    ))
    .header("origin", ALLOWED)
    .header("content-type", "application/grpc-web+proto")
    .body(Full::new(bytes::Bytes::from(framed_request(""))))
    .unwrap();
    let response = Client::builder(TokioExecutor::new())
        .build_http()
        .request(request)
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("grpc-status").as_deref(), Some("3"));
    assert_eq!(
        header("grpc-message").as_deref(),
        Some("name%20must%20not%20be%20empty")
    );
    let exposed = header("access-control-expose-headers").unwrap();
    assert!(
        exposed.contains("grpc-status") && exposed.contains("grpc-message"),
        "{exposed}"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(body.is_empty(), "{body:?}");
    server.stop().await;
}
