// Bidi client (proto v3): the tutorial's flow-control client in grpc-go.
//
// Sends 25 requests of 4000 characters (every fifth logged with a timestamp as
// it is handed to gRPC) while printing every fifth response. Windows are fixed
// at 64 KiB (no BDP growth), as grpc.http2.bdp_probe = 0 in the tutorial.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"google.golang.org/grpc"
	pb "peers/helloworld/v3"
)

const window = 65535 // HTTP/2's default window: fixed, no BDP growth

func now() string { return time.Now().Format("15:04:05.000000") }

func main() {
	target := flag.String("target", "localhost:50051", "server address")
	requests := flag.Int("requests", 25, "number of requests")
	size := flag.Int("size", 4000, "characters per request")
	flag.Parse()
	fmt.Println("Will try to greet world ...")
	conn, err := grpc.Dial(*target, grpc.WithInsecure(),
		grpc.WithInitialWindowSize(window), grpc.WithInitialConnWindowSize(window))
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	defer conn.Close()
	stub := pb.NewGreeterServiceClient(conn)
	stream, err := stub.SayHello(context.Background())
	if err != nil {
		log.Fatalf("could not greet: %v", err)
	}
	go func() {
		data := strings.Repeat("1", *size)
		for i := 1; i <= *requests; i++ {
			if i%5 == 0 {
				fmt.Printf("\n%s   Request %d: Sent %d char in total\n", now(), i, *size*i)
			}
			if err := stream.Send(&pb.SayHelloRequest{Name: data}); err != nil {
				log.Fatalf("send failed: %v", err)
			}
		}
		stream.CloseSend()
	}()
	for i := 1; ; i++ {
		_, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatalf("stream failed: %v", err)
		}
		if i%5 == 0 {
			fmt.Printf("%s   Received %d responses\n\n", now(), i)
		}
	}
}
