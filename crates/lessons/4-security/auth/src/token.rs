//! Token authentication: call credentials as `authorization: Bearer <token>`.
//!
//! The client attaches the token to every call; the server's interceptor,
//! `check_token` in `src/token_mode/server.rs`, compares it, in constant time,
//! with the one it expects. This is what grpcio's
//! `access_token_call_credentials` sends, so a Python client works unchanged. A
//! bearer token is a password sent on every call: it is never logged, never echoed
//! in a status, and the client will not send it over plaintext unless told to.
//!
//! The `token` mode itself, which uses these pieces, is [`crate::token_mode`].

use std::fmt;
use std::path::{Path, PathBuf};

use tonic::metadata::MetadataValue;
use tonic::{Request, Status};

/// The metadata key bearer tokens travel in (HTTP's `Authorization` header).
pub const AUTHORIZATION: &str = "authorization";

/// A bearer token: a secret that never prints.
///
/// No `PartialEq`: `==` on strings stops at the first differing byte, so its timing
/// tells a guesser how much was right. The only comparison is the server's,
/// `check_token` (`src/token_mode/server.rs`), in constant time:
///
/// ```compile_fail
/// let token = auth::token::Token::new("s3cret").unwrap();
/// let _ = token == token;
/// ```
#[derive(Clone)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    /// Accepts `value` if it can travel in a header: 1 to 4096 visible ASCII
    /// characters, no spaces (RFC 6750's token68 is stricter still).
    pub fn new(value: impl Into<String>) -> anyhow::Result<Self> {
        let value = value.into();
        anyhow::ensure!(!value.is_empty(), "the token is empty");
        anyhow::ensure!(value.len() <= 4096, "the token is longer than 4096 bytes");
        anyhow::ensure!(
            value.bytes().all(|b| b.is_ascii_graphic()),
            "the token must be visible ASCII without spaces"
        );
        Ok(Self(value))
    }

    /// A fresh random token (32 random bytes, hex): what the demos use.
    pub fn random() -> Self {
        Self(hex::encode(rand::random::<[u8; 32]>()))
    }

    /// Reads a token from a file, ignoring surrounding whitespace (a trailing newline).
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            anyhow::anyhow!("cannot read token file {}: {error}", path.display())
        })?;
        Self::new(text.trim())
    }

    /// The token's text, for the few places that must send or compare it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    // ANCHOR: attach
    /// Adds `authorization: Bearer <token>` to an outgoing call.
    pub fn attach<T>(&self, request: &mut Request<T>) -> Result<(), Status> {
        let mut value: MetadataValue<_> = format!("Bearer {}", self.0)
            .parse()
            .map_err(|_| Status::internal("the token cannot be sent as metadata"))?;
        value.set_sensitive(true);
        request.metadata_mut().insert(AUTHORIZATION, value);
        Ok(())
    }
    // ANCHOR_END: attach
}

// ANCHOR: token_args
/// Where a token comes from: `--token-file`, else `--token` or `GRPC_DEMO_TOKEN`.
///
/// Prefer the file or the variable: a flag shows up in `ps` and shell history.
#[derive(Clone, Default, clap::Args)]
pub struct TokenArgs {
    /// The bearer token.
    #[arg(long, env = "GRPC_DEMO_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// A file holding the bearer token (wins over --token and GRPC_DEMO_TOKEN).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
}
// ANCHOR_END: token_args

impl fmt::Debug for TokenArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenArgs")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("token_file", &self.token_file)
            .finish()
    }
}

impl TokenArgs {
    /// Flags that carry `token` directly (demos, tests).
    pub fn given(token: &Token) -> Self {
        Self {
            token: Some(token.expose().to_owned()),
            token_file: None,
        }
    }

    /// The token the flags name; an error says how to give one.
    pub fn resolve(&self) -> anyhow::Result<Token> {
        match (&self.token, &self.token_file) {
            (_, Some(path)) => Token::from_file(path),
            (Some(token), None) => Token::new(token.as_str()),
            (None, None) => anyhow::bail!(
                "no token: pass --token-file PATH, set GRPC_DEMO_TOKEN, or pass --token TOKEN"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_file_wins_over_the_flag_or_variable_and_flags_never_print_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let args = TokenArgs {
            token: Some("from-env".into()),
            token_file: Some(file),
        };
        assert_eq!(args.resolve().unwrap().expose(), "from-file");
        assert!(!format!("{args:?}").contains("from-env"));
        let missing = TokenArgs::default().resolve().unwrap_err().to_string();
        assert!(missing.contains("GRPC_DEMO_TOKEN"), "{missing}");
    }

    #[test]
    fn tokens_never_print() {
        let token = Token::new("s3cret").unwrap();
        assert!(!format!("{token:?}").contains("s3cret"));
        assert!(Token::new("has space").is_err());
        assert!(Token::new("").is_err());
    }
}
