// ANCHOR: head
//! The sync unary client: the tutorial's `run()`, with a blocking call.

use std::time::Instant;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use sync_kit::BlockingChannel;
use tonic::transport::Endpoint;

/// What the listings return on failure (any error, printable, sendable).
pub type Error = Box<dyn std::error::Error + Send + Sync>;
// ANCHOR_END: head

// ANCHOR: client
/// The tutorial's `run()`: open a channel, make one blocking call, print the greeting.
pub fn run(url: &str, name: &str) -> Result<(), Error> {
    println!("Will try to greet world ...");
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let mut stub = GreeterServiceClient::new(channel.channel());
    let request = SayHelloRequest {
        name: name.to_owned(),
    };
    let response = channel.unary(stub.say_hello(request))?;
    println!("Greeter client received: {}", response.message);
    Ok(())
}
// ANCHOR_END: client

// ANCHOR: concurrent
/// `--concurrent N`: N threads each make the call at the same time, then one
/// line says how long all N took (the worker limit shows in that time).
pub fn run_concurrent(url: &str, name: &str, calls: u32) -> Result<(), Error> {
    println!("Will try to greet world ...");
    let channel = BlockingChannel::connect(Endpoint::from_shared(url.to_owned())?)?;
    let started = Instant::now();
    let replies = std::thread::scope(|threads| {
        let calls: Vec<_> = (0..calls)
            .map(|_| {
                threads.spawn(|| {
                    let mut stub = GreeterServiceClient::new(channel.channel());
                    let request = SayHelloRequest {
                        name: name.to_owned(),
                    };
                    channel.unary(stub.say_hello(request))
                })
            })
            .collect();
        let replies: Vec<_> = calls.into_iter().map(|call| call.join()).collect();
        replies
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut count = 0;
    for reply in replies {
        reply.map_err(|_| "a client thread panicked")??;
        count += 1;
    }
    println!("Greeter client received {count} replies in {elapsed:.2}s");
    Ok(())
}
// ANCHOR_END: concurrent
