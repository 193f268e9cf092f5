//! Bearer tokens over real sockets, checked by the server the binary runs:
//! `auth token server` and `auth combined server` (the glue's `Secure::serve`),
//! which serve with the listed interceptor `check_token`
//! (`src/token_mode/server.rs`), the one token check.

mod common;

use std::sync::Arc;

use auth::mode::{ClientArgs, Flags, Secure, Shared};
use common::{ClientSecurity, assert_refused, assert_served, certs, hello, start_mode, tls_client};
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use lesson_kit::{Console, Lesson, RunningServer};
use tonic::Code;
use tonic::transport::Endpoint;

/// A running server and the URL to reach it.
struct Server {
    running: RunningServer,
    url: String,
    /// The certificates a combined server uses (deleted on drop).
    certs: Option<tempfile::TempDir>,
}

/// `auth token server --token-file FILE` on 127.0.0.1:0: the binary's own serve.
async fn token_server(token: &str) -> Server {
    let flags = Flags {
        token: Some(token.to_owned()),
        ..Flags::default()
    };
    let common::Server { running, url } = start_mode::<2>(flags).await;
    Server {
        running,
        url,
        certs: None,
    }
}

/// `auth combined server --certs DIR --token-file FILE` on 127.0.0.1:0.
async fn combined_server(token: &str) -> Server {
    let certs = certs();
    let flags = Flags {
        certs: Some(certs.path().to_owned()),
        token: Some(token.to_owned()),
        ..Flags::default()
    };
    let common::Server { running, url } = start_mode::<3>(flags).await;
    Server {
        running,
        url,
        certs: Some(certs),
    }
}

fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

fn bearer(token: &str) -> ClientSecurity {
    ClientSecurity {
        token: Some(token.to_owned()),
        ..ClientSecurity::default()
    }
}

/// One call carrying exactly these `authorization` values (none, one, several),
/// over TLS trusting the server's CA when it has one.
async fn call_with_authorization(
    server: &Server,
    values: &[&str],
) -> Result<String, tonic::Status> {
    let mut endpoint = Endpoint::from_shared(server.url.clone()).unwrap();
    if let Some(certs) = &server.certs {
        endpoint = endpoint
            .tls_config(common::tls_config(certs.path(), false))
            .unwrap();
    }
    let channel = endpoint.connect_lazy();
    let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    let mut client =
        GreeterServiceClient::with_interceptor(channel, move |mut request: tonic::Request<()>| {
            for value in &values {
                request
                    .metadata_mut()
                    .append("authorization", value.parse().unwrap());
            }
            Ok(request)
        });
    let request = SayHelloRequest {
        name: "Jack".into(),
    };
    Ok(client.say_hello(request).await?.into_inner().message)
}

const GOOD: &str = "correct-horse-battery-staple";

/// Every case of the security pages' "What is refused" table, against `server`.
async fn check_every_case(server: &Server) {
    let served = |outcome: Result<String, tonic::Status>, values: &[&str]| match outcome {
        Ok(message) => assert_eq!(message, "Hello, Jack!"),
        Err(status) => panic!("{values:?} refused: {status:?}"),
    };
    // The scheme's name in any case: one header, the right token, served.
    for value in [
        format!("Bearer {GOOD}"),
        format!("bearer {GOOD}"),
        format!("BEARER {GOOD}"),
    ] {
        let values = [value.as_str()];
        served(call_with_authorization(server, &values).await, &values);
    }
    let good = format!("Bearer {GOOD}");
    let good_lower = format!("bearer {GOOD}");
    let cases: [(&[&str], &str); 9] = [
        (&[], "missing authorization metadata"),
        (&["Bearer wrong-token"], "invalid bearer token"),
        (
            &["Bearer correct-horse-battery-stapl"],
            "invalid bearer token",
        ),
        (
            &["correct-horse-battery-staple"],
            "expected \"Bearer <token>\"",
        ),
        (&["Basic dXNlcjpwYXNz"], "expected \"Bearer <token>\""),
        (&["Bearer   "], "invalid bearer token"),
        // Two headers: refused whichever comes first, and even when both are right.
        (&[&good, "Bearer wrong-token"], "sent more than once"),
        (&["Bearer wrong-token", &good_lower], "sent more than once"),
        (&[&good, &good], "sent more than once"),
    ];
    for (values, reason) in cases {
        let outcome = call_with_authorization(server, values).await;
        assert_refused(outcome.clone(), Code::Unauthenticated, reason);
        // Never echo what was sent.
        let message = outcome.unwrap_err().message().to_owned();
        assert!(
            !message.contains("wrong-token") && !message.contains("battery"),
            "{message}"
        );
        // And the right token still gets through.
        served(call_with_authorization(server, &[&good]).await, &[&good]);
    }
}

#[tokio::test]
async fn the_token_server_serves_one_right_token_and_refuses_everything_else() {
    let server = token_server(GOOD).await;
    check_every_case(&server).await;
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn the_combined_server_serves_one_right_token_and_refuses_everything_else() {
    let server = combined_server(GOOD).await;
    check_every_case(&server).await;
    server.running.stop().await.unwrap();
}

/// `auth token client` refuses to send its token over plaintext unless told to.
#[tokio::test]
async fn the_client_will_not_send_a_token_in_plaintext_unless_told() {
    let token = random_token();
    let server = token_server(&token).await;
    for allow_insecure_token in [false, true] {
        let flags = Flags {
            token: Some(token.clone()),
            allow_insecure_token,
            ..Flags::default()
        };
        let args = ClientArgs {
            name: "Jack".into(),
            flags: Shared(flags),
        };
        let console = Console::capture();
        let outcome = Secure::<2>::client(server.url.clone(), args, console.clone()).await;
        match allow_insecure_token {
            false => {
                let error = outcome.unwrap_err().to_string();
                assert!(error.contains("FAILED_PRECONDITION: refusing to send a bearer token over the plaintext channel"), "{error}");
                assert!(console.lines().is_empty());
            }
            true => assert_eq!(console.lines(), ["Greeter client received: Hello, Jack!"]),
        }
    }
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn combined_tls_and_token_needs_both() {
    let token = random_token();
    let server = combined_server(&token).await;
    let certs = server.certs.as_ref().unwrap();
    let both = ClientSecurity {
        token: Some(token.clone()),
        ..tls_client(certs, false)
    };
    assert_served(&server.url, both).await;

    let tls_only = tls_client(certs, false);
    assert_refused(
        hello(&server.url, tls_only).await,
        Code::Unauthenticated,
        "missing authorization metadata",
    );
    let wrong = ClientSecurity {
        token: Some(random_token()),
        ..tls_client(certs, false)
    };
    assert_refused(
        hello(&server.url, wrong).await,
        Code::Unauthenticated,
        "invalid bearer token",
    );
    let other_ca = common::certs();
    let untrusted = ClientSecurity {
        token: Some(token.clone()),
        ..tls_client(&other_ca, false)
    };
    assert_refused(
        hello(&server.url, untrusted).await,
        Code::Unavailable,
        "invalid peer certificate",
    );
    let good = ClientSecurity {
        token: Some(token),
        ..tls_client(certs, false)
    };
    assert_served(&server.url, good).await;
    server.running.stop().await.unwrap();
}

/// Collects everything the server logs, to check what it says about refusals.
#[derive(Clone, Default)]
struct CapturedLog(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn no_log_line_holds_a_token() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    // One thread, so the server's tasks log through this thread's subscriber.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let token = "the-real-token";
            let server = token_server(token).await;
            let outcome = call_with_authorization(&server, &["Bearer a-guessed-token"]).await;
            assert_refused(outcome, Code::Unauthenticated, "invalid bearer token");
            assert_served(&server.url, bearer(token)).await;
            server.running.stop().await.unwrap();
        });
    });
    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    // h2 logs every frame at TRACE: the log is not empty, and holds no token.
    assert!(log.contains("h2"), "{log}");
    assert!(
        !log.contains("the-real-token") && !log.contains("a-guessed-token"),
        "{log}"
    );
}
