//! Callers named by their mTLS client certificate ([`PeerCertificate`]): the URI
//! SAN first, then the DNS SAN, then the subject; `""` for a TLS caller without a
//! certificate; anonymous over plaintext. Real TLS servers on 127.0.0.1 port 0.

use authorization::{AuthzLayer, PeerCertificate, Policy};
use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use helloworld_proto::v1::greeter_service_server::GreeterServiceServer;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
use tokio::net::TcpListener;
use tonic::Code;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity, Server, ServerTlsConfig};

struct Pki {
    ca: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A PEM certificate and key issued by `pki` with these names.
fn issue(pki: &Pki, common_name: &str, sans: Vec<SanType>) -> Identity {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.subject_alt_names = sans;
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &pki.issuer).unwrap();
    Identity::from_pem(cert.pem(), key.serialize_pem())
}

fn pki() -> Pki {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "authorization test CA");
    let ca = params.self_signed(&key).unwrap().pem();
    Pki {
        ca,
        issuer: Issuer::new(params, key),
    }
}

fn uri(value: &str) -> SanType {
    SanType::URI(value.try_into().unwrap())
}

fn dns(value: &str) -> SanType {
    SanType::DnsName(value.try_into().unwrap())
}

/// Serves the greeter behind `policy`, callers named by certificate; over TLS
/// (client certificates optional) unless `plaintext`. Returns the address.
async fn serve(pki: &Pki, policy: &str, plaintext: bool) -> std::net::SocketAddr {
    let policy = Policy::from_json(policy).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut builder = Server::builder();
    if !plaintext {
        let tls = ServerTlsConfig::new()
            .identity(issue(pki, "server", vec![dns("localhost")]))
            .client_ca_root(Certificate::from_pem(&pki.ca))
            .client_auth_optional(true);
        builder = builder.tls_config(tls).unwrap();
    }
    tokio::spawn(
        builder
            .layer(AuthzLayer::new(policy, PeerCertificate))
            .add_service(GreeterServiceServer::new(authorization::server::Greeter))
            .serve_with_incoming(TcpIncoming::from(listener)),
    );
    addr
}

/// One SayHello as `identity` (none: no client certificate); the status code.
async fn call(pki: &Pki, addr: std::net::SocketAddr, identity: Option<Identity>) -> Code {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca))
        .domain_name("localhost");
    if let Some(identity) = identity {
        tls = tls.identity(identity);
    }
    let endpoint = Endpoint::from_shared(format!("https://{addr}"))
        .unwrap()
        .tls_config(tls)
        .unwrap();
    plain_call(endpoint).await
}

async fn plain_call(endpoint: Endpoint) -> Code {
    let mut client = GreeterServiceClient::new(endpoint.connect().await.unwrap());
    let request = SayHelloRequest {
        name: "Jack".into(),
    };
    match client.say_hello(request).await {
        Ok(reply) => {
            assert_eq!(reply.into_inner().message, "Hello, Jack!");
            Code::Ok
        }
        Err(status) => status.code(),
    }
}

const POLICY: &str = r#"{
  "name": "by-certificate",
  "allow_rules": [
    {"name": "alice", "source": {"principals": ["spiffe://workshop/alice"]}},
    {"name": "bob", "source": {"principals": ["bob.example"]}},
    {"name": "carol", "source": {"principals": ["CN=carol"]}}
  ],
  "deny_rules": [
    {"name": "not-alice-by-host", "source": {"principals": ["alice.example"]}}
  ]
}"#;

#[tokio::test]
async fn the_uri_san_then_the_dns_san_then_the_subject_names_the_caller() {
    let pki = pki();
    let addr = serve(&pki, POLICY, false).await;
    // Alice's certificate has a URI SAN and a DNS SAN: the URI names her. Were the
    // DNS SAN used, the deny rule for alice.example would refuse her.
    let alice = issue(
        &pki,
        "alice",
        vec![dns("alice.example"), uri("spiffe://workshop/alice")],
    );
    assert_eq!(
        call(&pki, addr, Some(alice)).await,
        Code::Ok,
        "alice by her URI SAN"
    );
    let bob = issue(&pki, "bob", vec![dns("bob.example")]);
    assert_eq!(
        call(&pki, addr, Some(bob)).await,
        Code::Ok,
        "bob by his DNS SAN"
    );
    let carol = issue(&pki, "carol", vec![]);
    assert_eq!(
        call(&pki, addr, Some(carol)).await,
        Code::Ok,
        "carol by her subject"
    );
    let mallory = issue(&pki, "mallory", vec![uri("spiffe://workshop/mallory")]);
    let code = call(&pki, addr, Some(mallory)).await;
    assert_eq!(
        code,
        Code::PermissionDenied,
        "a verified caller the policy does not allow"
    );
}

#[tokio::test]
async fn a_tls_caller_without_a_certificate_is_the_principal_empty_string() {
    let pki = pki();
    // "*" wants a name; "" is the TLS caller who showed no certificate.
    let star = serve(
        &pki,
        r#"{"name": "p", "allow_rules": [{"name": "any", "source": {"principals": ["*"]}}]}"#,
        false,
    )
    .await;
    assert_eq!(call(&pki, star, None).await, Code::PermissionDenied);
    let empty = serve(
        &pki,
        r#"{"name": "p", "allow_rules": [{"name": "tls", "source": {"principals": [""]}}]}"#,
        false,
    )
    .await;
    assert_eq!(call(&pki, empty, None).await, Code::Ok);
    let bob = issue(&pki, "bob", vec![dns("bob.example")]);
    assert_eq!(
        call(&pki, empty, Some(bob)).await,
        Code::PermissionDenied,
        "bob is not \"\""
    );
}

#[tokio::test]
async fn a_plaintext_caller_is_anonymous() {
    let pki = pki();
    let any =
        r#"{"name": "p", "allow_rules": [{"name": "tls", "source": {"principals": ["*", ""]}}]}"#;
    let addr = serve(&pki, any, true).await;
    let endpoint = Endpoint::from_shared(format!("http://{addr}")).unwrap();
    assert_eq!(
        plain_call(endpoint).await,
        Code::PermissionDenied,
        "no TLS, no principal"
    );
}
