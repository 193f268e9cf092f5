// Benchmark server in grpc-go: the shapes of crates/bench/stream-server.
//
//   v2 SayHello: the name "<size>x<count>" asks for <count> messages of <size> bytes;
//   v3 SayHello: answers each request at once with "Hello" (ping-pong).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	v2 "peers/helloworld/v2"
	v3 "peers/helloworld/v3"
)

type sizedStreams struct {
	v2.UnimplementedGreeterServiceServer
}

func (sizedStreams) SayHello(req *v2.SayHelloRequest, stream v2.GreeterService_SayHelloServer) error {
	var size, count int
	if _, err := fmt.Sscanf(req.GetName(), "%dx%d", &size, &count); err != nil {
		return status.Error(codes.InvalidArgument, "name must be <size>x<count>")
	}
	reply := &v2.SayHelloResponse{Message: strings.Repeat("x", size)}
	for i := 0; i < count; i++ {
		if err := stream.Send(reply); err != nil {
			return err
		}
	}
	return nil
}

type pingPong struct {
	v3.UnimplementedGreeterServiceServer
}

func (pingPong) SayHello(stream v3.GreeterService_SayHelloServer) error {
	for {
		if _, err := stream.Recv(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := stream.Send(&v3.SayHelloResponse{Message: "Hello"}); err != nil {
			return err
		}
	}
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.String("port", "50070", "port to listen on")
	flag.Parse()
	lis, err := net.Listen("tcp", net.JoinHostPort(*host, *port))
	if err != nil {
		log.Fatalf("failed to listen: %v", err)
	}
	server := grpc.NewServer()
	v2.RegisterGreeterServiceServer(server, sizedStreams{})
	v3.RegisterGreeterServiceServer(server, pingPong{})
	fmt.Println("Server started, listening on " + *port)
	if err := server.Serve(lis); err != nil {
		log.Fatalf("failed to serve: %v", err)
	}
}
