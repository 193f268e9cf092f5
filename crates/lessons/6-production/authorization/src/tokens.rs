//! Who a caller is, from a bearer token: `authorization: Bearer <token>`, looked up
//! in the server's table of issued tokens, each issued to one subject.

use subtle::ConstantTimeEq;
use tonic::Status;

use crate::layer::Identify;

/// The tokens a server has issued: (subject, token) pairs.
#[derive(Clone, Default)]
pub struct Tokens {
    issued: Vec<(String, String)>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let subjects: Vec<&str> = self.issued.iter().map(|(s, _)| s.as_str()).collect();
        write!(f, "Tokens {{ subjects: {subjects:?}, tokens: <hidden> }}")
    }
}

impl Tokens {
    /// A table of `(subject, token)` pairs.
    pub fn new(issued: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            issued: issued.into_iter().collect(),
        }
    }

    /// Reads `subject token` lines (blank lines and `#` comments skipped).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut issued = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_whitespace().collect::<Vec<_>>()[..] {
                [subject, token] => issued.push((subject.to_owned(), token.to_owned())),
                _ => return Err(format!("line {}: expected `subject token`", n + 1)),
            }
        }
        Ok(Self { issued })
    }

    /// The token issued to `subject`, if any (for the demo's client).
    pub fn token_of(&self, subject: &str) -> Option<&str> {
        self.issued
            .iter()
            .find(|(s, _)| s == subject)
            .map(|(_, t)| t.as_str())
    }
}

// ANCHOR: identify
impl Identify for Tokens {
    fn identify<B>(&self, request: &http::Request<B>) -> Result<Option<String>, Status> {
        let mut values = request.headers().get_all("authorization").iter();
        let value = match (values.next(), values.next()) {
            (None, _) => return Ok(None),
            (Some(value), None) => value,
            (Some(_), Some(_)) => {
                return Err(Status::unauthenticated(
                    "more than one authorization header",
                ));
            }
        };
        let Some(presented) = value.as_bytes().strip_prefix(b"Bearer ") else {
            return Err(Status::unauthenticated(
                "expected `authorization: Bearer <token>`",
            ));
        };
        // Every issued token is compared, in constant time, so the time taken
        // says nothing about which one came close.
        let mut subject = None;
        for (who, token) in &self.issued {
            if bool::from(token.as_bytes().ct_eq(presented)) {
                subject = Some(who.clone());
            }
        }
        match subject {
            Some(subject) => Ok(Some(subject)),
            None => Err(Status::unauthenticated("unknown token")),
        }
    }
}
// ANCHOR_END: identify
