// ANCHOR: part1
//! `--concurrent N`: the client as a small load generator (the concurrency page).

use std::time::{Duration, Instant};

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::Status;
use tonic::transport::Channel;

/// Response header in which a server may say how many calls it had in progress
/// when the call started (this one included). Servers that don't send it are fine.
pub const IN_FLIGHT_HEADER: &str = "x-in-flight";

/// What a burst of simultaneous calls came back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burst {
    /// The calls made (all succeeded).
    pub calls: u32,
    /// The first response's message.
    pub message: String,
    /// The most calls the server said it had in progress, if it said so.
    pub server_peak: Option<u64>,
    /// From the first call sent to the last response received.
    pub wall_time: Duration,
}
// ANCHOR_END: part1

// ANCHOR: burst
/// Makes `calls` calls at once over one HTTP/2 connection and waits for all.
///
/// The futures run concurrently inside this one task: each awaits its response
/// while the others are sent, like `asyncio.gather` over `stub.SayHello(...)`.
pub async fn call_at_once(
    client: GreeterServiceClient<Channel>,
    name: &str,
    calls: u32,
) -> Result<Burst, Status> {
    let started = Instant::now();
    let pending = (0..calls).map(|_| {
        let mut client = client.clone();
        let request = SayHelloRequest { name: name.into() };
        async move { client.say_hello(request).await }
    });
    let responses = futures::future::try_join_all(pending).await?;
    let wall_time = started.elapsed();

    let server_peak = responses
        .iter()
        .filter_map(|r| {
            r.metadata()
                .get(IN_FLIGHT_HEADER)?
                .to_str()
                .ok()?
                .parse()
                .ok()
        })
        .max();
    let message = responses
        .into_iter()
        .next()
        .map(|r| r.into_inner().message)
        .unwrap_or_default();
    Ok(Burst {
        calls,
        message,
        server_peak,
        wall_time,
    })
}
// ANCHOR_END: burst

// ANCHOR: part2
impl Burst {
    /// Three lines: the answer, the server's count, the wall time.
    pub fn lines(&self) -> [String; 3] {
        [
            format!(
                "Greeter client received: {} (x{})",
                self.message, self.calls
            ),
            match self.server_peak {
                Some(peak) => format!("Server had at most {peak} calls in progress at once"),
                None => "Server did not report how many calls it had in progress".to_owned(),
            },
            format!("{} calls took {:.2?} in total", self.calls, self.wall_time),
        ]
    }
}
// ANCHOR_END: part2
