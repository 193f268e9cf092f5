// Server-streaming client (proto v2): the tutorial's client that prints every
// greeting of the stream, in grpc-go. Target and name are flags (defaults
// "localhost:50051" and "Jack").
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"

	"google.golang.org/grpc"
	pb "peers/helloworld/v2"
)

func main() {
	target := flag.String("target", "localhost:50051", "server address")
	name := flag.String("name", "Jack", "name to greet")
	flag.Parse()
	fmt.Println("Will try to greet world ...")
	conn, err := grpc.Dial(*target, grpc.WithInsecure())
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	defer conn.Close()
	stub := pb.NewGreeterServiceClient(conn)
	stream, err := stub.SayHello(context.Background(), &pb.SayHelloRequest{Name: *name})
	if err != nil {
		log.Fatalf("could not greet: %v", err)
	}
	for {
		response, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatalf("stream failed: %v", err)
		}
		fmt.Println("Greeter client received: " + response.GetMessage())
	}
}
