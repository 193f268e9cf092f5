// Unary client (proto v1): the tutorial's sync unary client in grpc-go.
//
// Same two printed lines; target and name are flags (defaults
// "localhost:50051" and "Jack"), --name-file reads the name from a file.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/ioutil"
	"log"

	"google.golang.org/grpc"
	pb "peers/helloworld/v1"
)

func main() {
	target := flag.String("target", "localhost:50051", "server address")
	name := flag.String("name", "Jack", "name to greet")
	nameFile := flag.String("name-file", "", "read the name from this UTF-8 file")
	flag.Parse()
	if *nameFile != "" {
		data, err := ioutil.ReadFile(*nameFile)
		if err != nil {
			log.Fatalf("cannot read %s: %v", *nameFile, err)
		}
		*name = string(data)
	}
	fmt.Println("Will try to greet world ...")
	conn, err := grpc.Dial(*target, grpc.WithInsecure())
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	defer conn.Close()
	stub := pb.NewGreeterServiceClient(conn)
	response, err := stub.SayHello(context.Background(), &pb.SayHelloRequest{Name: *name})
	if err != nil {
		log.Fatalf("could not greet: %v", err)
	}
	fmt.Println("Greeter client received: " + response.GetMessage())
}
