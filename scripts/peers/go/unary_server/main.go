// Unary server (proto v1): the tutorial's sync unary server in grpc-go.
//
// Same reply ("Hello, <name>!") and start-up line as the tutorial's Python
// server; host and port are flags (defaults "0.0.0.0" and "50051").
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"

	"google.golang.org/grpc"
	pb "peers/helloworld/v1"
)

type greeter struct {
	pb.UnimplementedGreeterServiceServer
}

func (greeter) SayHello(ctx context.Context, req *pb.SayHelloRequest) (*pb.SayHelloResponse, error) {
	return &pb.SayHelloResponse{Message: "Hello, " + req.GetName() + "!"}, nil
}

func main() {
	host := flag.String("host", "0.0.0.0", "address to listen on")
	port := flag.String("port", "50051", "port to listen on")
	flag.Parse()
	lis, err := net.Listen("tcp", net.JoinHostPort(*host, *port))
	if err != nil {
		log.Fatalf("failed to listen: %v", err)
	}
	server := grpc.NewServer()
	pb.RegisterGreeterServiceServer(server, greeter{})
	fmt.Println("Server started, listening on " + *port)
	if err := server.Serve(lis); err != nil {
		log.Fatalf("failed to serve: %v", err)
	}
}
