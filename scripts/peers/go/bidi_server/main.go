// Bidi server (proto v3): the tutorial's flow-control server in grpc-go.
//
// Waits before reading, then per request counts the characters, "works",
// replies "Hello", and logs every fifth request with a timestamp. Windows are
// fixed at HTTP/2's 64 KiB default: setting them turns off grpc-go's BDP
// estimation, as grpc.http2.bdp_probe = 0 does in the tutorial.
// The delays are flags (defaults 5 s and 1 s, the tutorial's).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"google.golang.org/grpc"
	pb "peers/helloworld/v3"
)

const window = 65535 // HTTP/2's default window: fixed, no BDP growth

type greeter struct {
	pb.UnimplementedGreeterServiceServer
	initialDelay, workDelay time.Duration
}

func now() string { return time.Now().Format("15:04:05.000000") }

func (g greeter) SayHello(stream pb.GreeterService_SayHelloServer) error {
	time.Sleep(g.initialDelay) // hold back reading: the client fills the window
	received := 0
	for i := 1; ; i++ {
		request, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		received += len(request.GetName())
		if i%5 == 0 {
			fmt.Printf("%s   Request %d:   Received %d char in total\n", now(), i, received)
		}
		time.Sleep(g.workDelay) // the server's "work"
		msg := "Hello"
		if err := stream.Send(&pb.SayHelloResponse{Message: msg}); err != nil {
			return err
		}
		if i%5 == 0 {
			fmt.Printf("%s   Request %d:   Sent %d char in total\n\n", now(), i, len(msg)*i)
		}
	}
}

func main() {
	host := flag.String("host", "0.0.0.0", "address to listen on")
	port := flag.String("port", "50051", "port to listen on")
	initialDelay := flag.Float64("initial-delay", 5.0, "seconds before the first read")
	workDelay := flag.Float64("work-delay", 1.0, "seconds of work per request")
	flag.Parse()
	lis, err := net.Listen("tcp", net.JoinHostPort(*host, *port))
	if err != nil {
		log.Fatalf("failed to listen: %v", err)
	}
	server := grpc.NewServer(grpc.InitialWindowSize(window), grpc.InitialConnWindowSize(window))
	pb.RegisterGreeterServiceServer(server, greeter{
		initialDelay: time.Duration(*initialDelay * float64(time.Second)),
		workDelay:    time.Duration(*workDelay * float64(time.Second)),
	})
	fmt.Println("Server started, listening on " + *port)
	if err := server.Serve(lis); err != nil {
		log.Fatalf("failed to serve: %v", err)
	}
}
