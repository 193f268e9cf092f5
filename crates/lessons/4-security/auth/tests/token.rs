//! Bearer tokens over real sockets, alone (plaintext) and combined with TLS.

mod common;

use std::sync::Arc;

use auth::credentials::CallCredentials;
use auth::layer::Authenticator;
use auth::token::{Token, TokenCheck};
use auth::transport::{ClientSecurity, ServerSecurity};
use common::{assert_refused, assert_served, certs, hello, start, tls_client, tls_server};
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Code;
use tonic::transport::Endpoint;

fn check(token: &Token) -> Option<Arc<dyn Authenticator>> {
    Some(Arc::new(TokenCheck::new(token.clone())))
}

fn plaintext_server(token: &Token) -> ServerSecurity {
    ServerSecurity {
        tls: None,
        authenticator: check(token),
        greet: auth::greeter::Greet::RequestName,
    }
}

fn bearer(token: &Token) -> ClientSecurity {
    ClientSecurity {
        call: CallCredentials::Bearer(token.clone()),
        allow_insecure_call_credentials: true,
        ..ClientSecurity::default()
    }
}

/// One call carrying exactly these `authorization` values (none, one, several).
async fn call_with_authorization(url: &str, values: &[&str]) -> Result<String, tonic::Status> {
    let channel = Endpoint::from_shared(url.to_owned())
        .unwrap()
        .connect_lazy();
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

#[tokio::test]
async fn the_right_token_is_let_in_and_every_wrong_one_is_refused() {
    let token = Token::new("correct-horse-battery-staple").unwrap();
    let server = start(plaintext_server(&token)).await;
    let url = server.url.clone();
    assert_served(&url, bearer(&token)).await;

    let cases: [(&[&str], &str); 6] = [
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
        (&["Bearer   "], "the bearer token is empty"),
    ];
    for (values, reason) in cases {
        let outcome = call_with_authorization(&url, values).await;
        assert_refused(outcome.clone(), Code::Unauthenticated, reason);
        // Never echo what was sent.
        let message = outcome.unwrap_err().message().to_owned();
        assert!(
            !message.contains("wrong-token") && !message.contains("battery"),
            "{message}"
        );
        assert_served(&url, bearer(&token)).await;
    }
    let twice = ["Bearer correct-horse-battery-staple"; 2];
    assert_refused(
        call_with_authorization(&url, &twice).await,
        Code::Unauthenticated,
        "sent more than once",
    );
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn the_client_will_not_send_a_token_in_plaintext_unless_told() {
    let token = Token::random();
    let server = start(plaintext_server(&token)).await;
    let refused = ClientSecurity {
        allow_insecure_call_credentials: false,
        ..bearer(&token)
    };
    assert_refused(
        hello(&server.url, refused).await,
        Code::FailedPrecondition,
        "refusing to send a bearer token over the plaintext channel",
    );
    assert_served(&server.url, bearer(&token)).await;
    server.running.stop().await.unwrap();
}

#[tokio::test]
async fn combined_tls_and_token_needs_both() {
    let (certs, token) = (certs(), Token::random());
    let server = start(tls_server(&certs, false, check(&token))).await;
    let both = ClientSecurity {
        call: CallCredentials::Bearer(token.clone()),
        ..tls_client(&certs, false)
    };
    // Over TLS the client sends the token without being told it may.
    assert!(!both.allow_insecure_call_credentials);
    assert_served(&server.url, both).await;

    let tls_only = tls_client(&certs, false);
    assert_refused(
        hello(&server.url, tls_only).await,
        Code::Unauthenticated,
        "missing authorization metadata",
    );
    let wrong = ClientSecurity {
        call: CallCredentials::Bearer(Token::random()),
        ..tls_client(&certs, false)
    };
    assert_refused(
        hello(&server.url, wrong).await,
        Code::Unauthenticated,
        "invalid bearer token",
    );
    let other_ca = common::certs();
    let untrusted = ClientSecurity {
        call: CallCredentials::Bearer(token.clone()),
        ..tls_client(&other_ca, false)
    };
    assert_refused(
        hello(&server.url, untrusted).await,
        Code::Unavailable,
        "invalid peer certificate",
    );
    let good = ClientSecurity {
        call: CallCredentials::Bearer(token),
        ..tls_client(&certs, false)
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
fn refusals_are_logged_without_any_token() {
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
            let token = Token::new("the-real-token").unwrap();
            let server = start(plaintext_server(&token)).await;
            let outcome = call_with_authorization(&server.url, &["Bearer a-guessed-token"]).await;
            assert_refused(outcome, Code::Unauthenticated, "invalid bearer token");
            assert_served(&server.url, bearer(&token)).await;
            server.running.stop().await.unwrap();
        });
    });
    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("call refused") && log.contains("invalid bearer token"),
        "{log}"
    );
    assert!(
        !log.contains("the-real-token") && !log.contains("a-guessed-token"),
        "{log}"
    );
}
