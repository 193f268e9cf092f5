pub mod helloworld {
    tonic::include_proto!("tutorial.helloworld.v1");
}

use helloworld::SayHelloRequest;
use helloworld::greeter_service_client::GreeterServiceClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo run --bin client -- http://127.0.0.1:50052 rose` for another server or name.
    let mut args = std::env::args().skip(1);
    let url = args.next().unwrap_or("http://localhost:50051".into());
    let name = args.next().unwrap_or("jack".into());

    let mut client = GreeterServiceClient::connect(url).await?;
    let request = SayHelloRequest { name };
    let response = client.say_hello(request).await?;
    println!("Greeter client received: {}", response.into_inner().message);
    Ok(())
}
