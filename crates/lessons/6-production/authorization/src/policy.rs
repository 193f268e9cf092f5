//! gRPC's authorization policy (gRFC A43, the JSON grpc-go's `authz` package and
//! gRPC C++ read), parsed, checked and evaluated.
//!
//! A policy is checked once, when it is loaded: a field we do not know, a rule
//! without a name or a header A43 forbids is refused there, with a message naming
//! the place, so a server never starts with a policy it would half apply.

use std::fmt;

use serde::Deserialize;

// ANCHOR: json
/// The policy as written: A43's JSON, field for field. Unknown fields are refused
/// (A43: a policy using fields this version does not know must be invalid).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyJson {
    #[serde(default)]
    name: String,
    #[serde(default)]
    deny_rules: Vec<RuleJson>,
    #[serde(default)]
    allow_rules: Vec<RuleJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleJson {
    #[serde(default)]
    name: String,
    #[serde(default)]
    source: SourceJson,
    #[serde(default)]
    request: RequestJson,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceJson {
    #[serde(default)]
    principals: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestJson {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    headers: Vec<HeaderJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderJson {
    #[serde(default)]
    key: String,
    #[serde(default)]
    values: Vec<String>,
}
// ANCHOR_END: json

// ANCHOR: matcher
/// A43's four string matches, chosen by where the `*` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// `"*"`: any value that is not empty.
    Present,
    /// `"abc*"`: starts with `abc`.
    Prefix(String),
    /// `"*abc"`: ends with `abc`.
    Suffix(String),
    /// `"abc"`: exactly `abc`.
    Exact(String),
}

impl Matcher {
    /// Reads one pattern; the order of the checks is A43's (and grpc-go's).
    pub fn new(pattern: &str) -> Self {
        if pattern == "*" {
            Matcher::Present
        } else if let Some(prefix) = pattern.strip_suffix('*') {
            Matcher::Prefix(prefix.to_owned())
        } else if let Some(suffix) = pattern.strip_prefix('*') {
            Matcher::Suffix(suffix.to_owned())
        } else {
            Matcher::Exact(pattern.to_owned())
        }
    }

    /// Whether `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Present => !value.is_empty(),
            Matcher::Prefix(prefix) => value.starts_with(prefix.as_str()),
            Matcher::Suffix(suffix) => value.ends_with(suffix.as_str()),
            Matcher::Exact(exact) => value == exact,
        }
    }
}
// ANCHOR_END: matcher

/// A checked policy, ready to judge calls.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The policy's `name`.
    pub name: String,
    deny_rules: Vec<Rule>,
    allow_rules: Vec<Rule>,
}

/// One rule: it matches a call when its source AND its request match.
#[derive(Debug, Clone)]
struct Rule {
    name: String,
    /// Empty: any caller, known or not. Otherwise one of them must match.
    principals: Vec<Matcher>,
    /// Empty: any method. Otherwise one of them must match.
    paths: Vec<Matcher>,
    /// Every header must match one of its values.
    headers: Vec<(http::HeaderName, Vec<Matcher>)>,
}

/// Why a policy was refused at load time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPolicy(pub String);

impl fmt::Display for InvalidPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid authorization policy: {}", self.0)
    }
}

impl std::error::Error for InvalidPolicy {}

/// What a call is judged on.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// `/package.Service/Method`.
    pub path: &'a str,
    /// Who the caller proved to be; `None` for a caller without credentials.
    pub principal: Option<&'a str>,
    /// The request's headers (its metadata).
    pub headers: &'a http::HeaderMap,
}

/// The verdict, naming the rule that decided it (for the server's log, not the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// An allow rule matched and no deny rule did.
    Allow { rule: String },
    /// A deny rule matched: deny wins.
    DeniedBy { rule: String },
    /// No allow rule matched: what is not allowed is denied.
    NotAllowed,
}

// ANCHOR: load
/// Headers A43 will not match on: `host`, the hop-by-hop ones, and (checked
/// below) every `:`-pseudo-header and every `grpc-` header.
const UNSUPPORTED_HEADERS: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

impl Policy {
    /// Parses and checks a policy; every error names where in the policy it is.
    pub fn from_json(json: &str) -> Result<Self, InvalidPolicy> {
        let policy: PolicyJson = serde_json::from_str(json)
            .map_err(|error| InvalidPolicy(format!("failed to unmarshal policy: {error}")))?;
        if policy.name.is_empty() {
            return Err(InvalidPolicy(r#""name" is not present"#.into()));
        }
        if policy.allow_rules.is_empty() {
            return Err(InvalidPolicy(r#""allow_rules" is not present"#.into()));
        }
        Ok(Policy {
            deny_rules: rules(policy.deny_rules, "deny_rules")?,
            allow_rules: rules(policy.allow_rules, "allow_rules")?,
            name: policy.name,
        })
    }
}

fn rules(rules: Vec<RuleJson>, list: &str) -> Result<Vec<Rule>, InvalidPolicy> {
    let invalid = |i: usize, why: String| InvalidPolicy(format!(r#""{list}" {i}: {why}"#));
    let mut checked = Vec::with_capacity(rules.len());
    for (i, rule) in rules.into_iter().enumerate() {
        if rule.name.is_empty() {
            return Err(invalid(i, r#""name" is not present"#.into()));
        }
        let mut headers = Vec::new();
        for (h, header) in rule.request.headers.into_iter().enumerate() {
            let key = header.key.to_ascii_lowercase();
            if key.is_empty() {
                return Err(invalid(
                    i,
                    format!(r#""headers" {h}: "key" is not present"#),
                ));
            }
            if key.starts_with(':')
                || key.starts_with("grpc-")
                || UNSUPPORTED_HEADERS.contains(&key.as_str())
            {
                return Err(invalid(
                    i,
                    format!(r#""headers" {h}: unsupported "key" {key}"#),
                ));
            }
            let Ok(name) = http::HeaderName::from_bytes(key.as_bytes()) else {
                return Err(invalid(
                    i,
                    format!(r#""headers" {h}: "key" {key:?} is not a header name"#),
                ));
            };
            if header.values.is_empty() {
                return Err(invalid(
                    i,
                    format!(r#""headers" {h}: "values" is not present"#),
                ));
            }
            headers.push((
                name,
                header.values.iter().map(|v| Matcher::new(v)).collect(),
            ));
        }
        checked.push(Rule {
            name: rule.name,
            principals: rule
                .source
                .principals
                .iter()
                .map(|p| Matcher::new(p))
                .collect(),
            paths: rule.request.paths.iter().map(|p| Matcher::new(p)).collect(),
            headers,
        });
    }
    Ok(checked)
}
// ANCHOR_END: load

// ANCHOR: decide
impl Policy {
    /// Deny rules first (a match denies), then allow rules (a match allows);
    /// a call no allow rule matches is denied.
    pub fn decide(&self, call: &Call<'_>) -> Decision {
        if let Some(rule) = self.deny_rules.iter().find(|rule| rule.matches(call)) {
            return Decision::DeniedBy {
                rule: rule.name.clone(),
            };
        }
        match self.allow_rules.iter().find(|rule| rule.matches(call)) {
            Some(rule) => Decision::Allow {
                rule: rule.name.clone(),
            },
            None => Decision::NotAllowed,
        }
    }
}

impl Rule {
    fn matches(&self, call: &Call<'_>) -> bool {
        // A caller without credentials matches no principal, not even "*".
        let source = self.principals.is_empty()
            || call
                .principal
                .is_some_and(|who| self.principals.iter().any(|m| m.matches(who)));
        let path = self.paths.is_empty() || self.paths.iter().any(|m| m.matches(call.path));
        let headers = self.headers.iter().all(|(name, matchers)| {
            // A43: a header sent more than once is one value, joined with commas.
            let values: Vec<&str> = call
                .headers
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap_or_default())
                .collect();
            !values.is_empty() && matchers.iter().any(|m| m.matches(&values.join(",")))
        });
        source && path && headers
    }
}
// ANCHOR_END: decide
