// ANCHOR: head
//! The sync bidi client: the tutorial's flow-control client, its requests an
//! iterator stepped only as fast as HTTP/2 lets them go.

use helloworld_proto::v3::SayHelloRequest;
use helloworld_proto::v3::greeter_service_client::GreeterServiceClient;
use sync_kit::BlockingChannel;
use tonic::transport::Endpoint;

/// HTTP/2's default window, kept on this side too (`bdp_probe = 0`).
const WINDOW: u32 = 65_535;

/// The tutorial's `datetime.now().strftime("%T.%f")`: local time, microseconds.
fn now() -> String {
    chrono::Local::now().format("%T%.6f").to_string()
}
// ANCHOR_END: head

// ANCHOR: requests
/// The tutorial's `get_iter_data()`: each request is made (and every fifth
/// logged) only when the transport asks for it, so the log shows when sending stalls.
pub fn requests(count: usize, size: usize) -> impl Iterator<Item = SayHelloRequest> {
    let data = "1".repeat(size);
    (1..=count).map(move |i| {
        if i % 5 == 0 {
            println!("\n{}   Request {i}: Sent {} char in total", now(), size * i);
        }
        SayHelloRequest { name: data.clone() }
    })
}
// ANCHOR_END: requests

// ANCHOR: client
/// The tutorial's `run()`: stream the requests, count the replies.
pub fn run(
    url: &str,
    count: usize,
    size: usize,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    println!("Will try to greet world ...");
    let endpoint = Endpoint::from_shared(url.to_owned())?
        .initial_stream_window_size(WINDOW)
        .initial_connection_window_size(WINDOW)
        .http2_adaptive_window(false);
    let channel = BlockingChannel::connect(endpoint)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let responses = channel.bidi(requests(count, size), |stream| stub.say_hello(stream))?;
    for (index, response) in responses.enumerate() {
        response?;
        let i = index + 1;
        if i % 5 == 0 {
            println!("{}   Received {i} responses\n", now());
        }
    }
    Ok(())
}
// ANCHOR_END: client
