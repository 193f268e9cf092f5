// Server-streaming server (proto v2): the tutorial's server that sends five
// greetings, in grpc-go. Host and port are flags (defaults "0.0.0.0", "50051").
package main

import (
	"flag"
	"fmt"
	"log"
	"net"

	"google.golang.org/grpc"
	pb "peers/helloworld/v2"
)

type greeter struct {
	pb.UnimplementedGreeterServiceServer
}

func (greeter) SayHello(req *pb.SayHelloRequest, stream pb.GreeterService_SayHelloServer) error {
	for i := 0; i < 5; i++ {
		message := fmt.Sprintf("Hello number %d, %s!", i, req.GetName())
		if err := stream.Send(&pb.SayHelloResponse{Message: message}); err != nil {
			return err
		}
	}
	return nil
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
