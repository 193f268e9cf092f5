//! The client's side of call credentials: what it attaches to every call.
//!
//! grpcio's `access_token_call_credentials` and `metadata_call_credentials` add
//! metadata to each call; in tonic that is an `Interceptor` on the client. One enum
//! covers the workshop's kinds so every mode builds its client the same way.

use tonic::service::Interceptor;
use tonic::{Request, Status};

use crate::signing::RequestSigner;
use crate::token::Token;

// ANCHOR: call_credentials
/// What a client attaches to each call.
#[derive(Clone, Debug, Default)]
pub enum CallCredentials {
    /// Nothing: the channel (TLS, mTLS) is the only credential.
    #[default]
    None,
    /// `authorization: Bearer <token>`: whoever holds the token is let in.
    Bearer(Token),
    /// An HMAC signature over the call: the secret itself never travels.
    Signed(RequestSigner),
}

impl CallCredentials {
    /// Whether the metadata is itself the secret, so must not cross a plaintext channel.
    ///
    /// A bearer token read off the wire can be reused by anyone; a signature cannot
    /// be turned into a new one, and the server refuses a replayed one.
    pub fn is_secret(&self) -> bool {
        matches!(self, Self::Bearer(_))
    }
}

impl CallCredentials {
    /// These credentials for calls to the server at `authority` (`host:port`):
    /// a signature covers the server it is meant for.
    pub fn for_authority(self, authority: &str) -> Self {
        match self {
            Self::Signed(signer) => Self::Signed(signer.for_authority(authority)),
            other => other,
        }
    }
}

impl Interceptor for CallCredentials {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        match self {
            Self::None => {}
            Self::Bearer(token) => token.attach(&mut request)?,
            Self::Signed(signer) => signer.sign(&mut request)?,
        }
        Ok(request)
    }
}
// ANCHOR_END: call_credentials
