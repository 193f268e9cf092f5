//! Reference servers for the tests of client halves: a client under test talks to a
//! server the learner did not write, and that server signs every answer with a
//! word it chose at random ([`Reference::nonce`]). A client that never calls, or
//! makes up the greeting, cannot know that word, so its test fails.
//!
//! Server halves are tested with random names ([`random_name`]) for the same
//! reason: a handler that returns a constant cannot guess them.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::Stream;
use tokio_stream::StreamExt;
use tonic::{Request, Response, Status, Streaming};

/// 16 random hex digits, different on every call.
pub fn random_word() -> String {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    format!("{:016x}", hasher.finish())
}

/// A name no handler can know in advance, e.g. `Ann-3f09c1d2b7e4a650`.
pub fn random_name(base: &str) -> String {
    format!("{base}-{}", random_word())
}

/// The reference greeter, for every version of the tutorial's proto: answers as
/// the tutorial does, plus ` (<nonce>)`.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The word this server adds to every answer.
    pub nonce: String,
    /// How many greetings a server-streaming call gets (v2).
    pub greetings: usize,
}

impl Default for Reference {
    fn default() -> Self {
        Self::new()
    }
}

impl Reference {
    /// A server with a fresh nonce, streaming three greetings per v2 call (not the
    /// tutorial's five, so a client cannot count them in advance either).
    pub fn new() -> Self {
        Self {
            nonce: random_word(),
            greetings: 3,
        }
    }

    /// What it answers to `name` (v1, v3): `Hello, <name>! (<nonce>)`.
    pub fn greeting(&self, name: &str) -> String {
        format!("Hello, {name}! ({})", self.nonce)
    }

    /// The greetings of one v2 call for `name`, in order.
    pub fn greetings(&self, name: &str) -> Vec<String> {
        (0..self.greetings)
            .map(|i| format!("Hello number {i}, {name}! ({})", self.nonce))
            .collect()
    }

    /// What it answers to a v4 stream of `names`.
    pub fn summary(&self, names: &[String]) -> String {
        format!("Hello, {}! ({})", names.join(", "), self.nonce)
    }
}

type Replies<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

#[tonic::async_trait]
impl helloworld_proto::v1::greeter_service_server::GreeterService for Reference {
    async fn say_hello(
        &self,
        request: Request<helloworld_proto::v1::SayHelloRequest>,
    ) -> Result<Response<helloworld_proto::v1::SayHelloResponse>, Status> {
        let message = self.greeting(&request.into_inner().name);
        Ok(Response::new(helloworld_proto::v1::SayHelloResponse {
            message,
        }))
    }
}

#[tonic::async_trait]
impl helloworld_proto::v2::greeter_service_server::GreeterService for Reference {
    type SayHelloStream = Replies<helloworld_proto::v2::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<helloworld_proto::v2::SayHelloRequest>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let greetings = self.greetings(&request.into_inner().name);
        let replies = tokio_stream::iter(greetings)
            .map(|message| Ok(helloworld_proto::v2::SayHelloResponse { message }));
        Ok(Response::new(Box::pin(replies)))
    }
}

#[tonic::async_trait]
impl helloworld_proto::v3::greeter_service_server::GreeterService for Reference {
    type SayHelloStream = Replies<helloworld_proto::v3::SayHelloResponse>;

    async fn say_hello(
        &self,
        request: Request<Streaming<helloworld_proto::v3::SayHelloRequest>>,
    ) -> Result<Response<Self::SayHelloStream>, Status> {
        let this = self.clone();
        let replies = request.into_inner().map(move |request| {
            request.map(|request| helloworld_proto::v3::SayHelloResponse {
                message: this.greeting(&request.name),
            })
        });
        Ok(Response::new(Box::pin(replies)))
    }
}

#[tonic::async_trait]
impl helloworld_proto::v4::greeter_service_server::GreeterService for Reference {
    async fn say_hello(
        &self,
        request: Request<Streaming<helloworld_proto::v4::SayHelloRequest>>,
    ) -> Result<Response<helloworld_proto::v4::SayHelloResponse>, Status> {
        let mut stream = request.into_inner();
        let mut names = Vec::new();
        while let Some(request) = stream.message().await? {
            names.push(request.name);
        }
        Ok(Response::new(helloworld_proto::v4::SayHelloResponse {
            message: self.summary(&names),
            greeted_count: u32::try_from(names.len()).unwrap_or(u32::MAX),
        }))
    }
}
