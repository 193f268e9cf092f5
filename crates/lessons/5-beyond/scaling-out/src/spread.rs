//! Calls through one channel, counted by the instance that answered each.

use std::collections::BTreeMap;
use std::time::Duration;

use helloworld_proto::v1::SayHelloRequest;
use helloworld_proto::v1::greeter_service_client::GreeterServiceClient;
use tonic::transport::Channel;

use crate::instance;

/// How long one call may take, waiting for a healthy instance included.
pub const CALL_DEADLINE: Duration = Duration::from_secs(2);

/// Makes `calls` calls; how many each instance answered, and how many failed.
///
/// Each call has its own deadline, enforced here with `tokio::time::timeout`: a
/// balanced channel with no healthy member waits for one to become ready, forever,
/// and `Request::set_timeout` does not cover that wait (it starts on a connection).
pub async fn spread(channel: Channel, calls: usize) -> (BTreeMap<String, usize>, usize) {
    let mut answered = BTreeMap::new();
    let mut failed = 0;
    let mut client = GreeterServiceClient::new(channel);
    for i in 0..calls {
        let request = SayHelloRequest {
            name: format!("caller {i}"),
        };
        match tokio::time::timeout(CALL_DEADLINE, client.say_hello(request)).await {
            Ok(Ok(response)) => {
                let instance = response
                    .metadata()
                    .get(instance::SERVED_BY)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("?")
                    .to_owned();
                *answered.entry(instance).or_insert(0) += 1;
            }
            Ok(Err(_)) | Err(_) => failed += 1,
        }
    }
    (answered, failed)
}
