// grpc.testing.TestService on Debian's grpc-go: the Go interop server, written
// from grpc's interop test descriptions (doc/interop-test-descriptions.md).
//
//	interop_server --port N [--use_tls --tls_cert_file F --tls_key_file F]
//
// Prints "listening on PORT" once serving (port 0 picks one).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	_ "google.golang.org/grpc/encoding/gzip" // accepts gzip requests
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"

	pb "peers/grpctesting"
)

const maxResponseSize = 4*1024*1024 - 64

type server struct {
	pb.UnimplementedTestServiceServer
}

func payload(size int32) (*pb.Payload, error) {
	if size < 0 || size > maxResponseSize {
		return nil, status.Errorf(codes.InvalidArgument, "response size %d is outside 0..=%d", size, maxResponseSize)
	}
	return &pb.Payload{Body: make([]byte, size)}, nil
}

func requested(echo *pb.EchoStatus) error {
	if echo != nil && echo.Code != 0 {
		return status.Error(codes.Code(echo.Code), echo.Message)
	}
	return nil
}

// A handler in grpc-go 1.33 sees neither grpc-encoding (a reserved header) nor a
// message's compressed flag. A stats handler sees each received message's wire
// length and uncompressed length: equal but for the 5-byte frame header means
// it came uncompressed. received holds that for the call's last message.
type received struct{ compressed atomic.Value }

type receivedKey struct{}

type compressionStats struct{}

func (compressionStats) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context {
	return context.WithValue(ctx, receivedKey{}, &received{})
}

func (compressionStats) HandleRPC(ctx context.Context, s stats.RPCStats) {
	if in, ok := s.(*stats.InPayload); ok && !in.Client {
		if r, ok := ctx.Value(receivedKey{}).(*received); ok {
			r.compressed.Store(in.WireLength != in.Length+5)
		}
	}
}

func (compressionStats) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return ctx
}

func (compressionStats) HandleConn(context.Context, stats.ConnStats) {}

// checkCompressed refuses a message the client said would come compressed
// (expect_compressed) that did not, as the client_compressed cases require. The
// other way round is not checked, as in the Rust server: tonic compresses every
// message of a compressed call.
func checkCompressed(ctx context.Context, expect *pb.BoolValue) error {
	if !expect.GetValue() {
		return nil
	}
	if r, ok := ctx.Value(receivedKey{}).(*received); ok {
		if compressed, _ := r.compressed.Load().(bool); compressed {
			return nil
		}
	}
	return status.Error(codes.InvalidArgument, "expected a compressed request, got an uncompressed one")
}

// echo copies the echo keys into the response headers and trailers.
func echo(ctx context.Context, setHeader func(metadata.MD) error, setTrailer func(metadata.MD)) {
	md, _ := metadata.FromIncomingContext(ctx)
	if values := md.Get("x-grpc-test-echo-initial"); len(values) > 0 {
		_ = setHeader(metadata.Pairs("x-grpc-test-echo-initial", values[0]))
	}
	if values := md.Get("x-grpc-test-echo-trailing-bin"); len(values) > 0 {
		setTrailer(metadata.Pairs("x-grpc-test-echo-trailing-bin", values[0]))
	}
}

func (server) EmptyCall(ctx context.Context, _ *pb.Empty) (*pb.Empty, error) {
	return &pb.Empty{}, nil
}

// grpc-go 1.33 does not let a handler choose its response's compression:
// response_compressed goes unchecked. expect_compressed is checked (compressionStats).
func (server) UnaryCall(ctx context.Context, in *pb.SimpleRequest) (*pb.SimpleResponse, error) {
	echo(ctx, func(md metadata.MD) error { return grpc.SetHeader(ctx, md) },
		func(md metadata.MD) { _ = grpc.SetTrailer(ctx, md) })
	if err := checkCompressed(ctx, in.ExpectCompressed); err != nil {
		return nil, err
	}
	if err := requested(in.ResponseStatus); err != nil {
		return nil, err
	}
	body, err := payload(in.ResponseSize)
	if err != nil {
		return nil, err
	}
	return &pb.SimpleResponse{Payload: body}, nil
}

func (s server) CacheableUnaryCall(ctx context.Context, in *pb.SimpleRequest) (*pb.SimpleResponse, error) {
	return s.UnaryCall(ctx, in)
}

func respond(in *pb.StreamingOutputCallRequest, send func(*pb.StreamingOutputCallResponse) error) error {
	if err := requested(in.ResponseStatus); err != nil {
		return err
	}
	for _, parameters := range in.ResponseParameters {
		if parameters.IntervalUs > 0 {
			time.Sleep(time.Duration(parameters.IntervalUs) * time.Microsecond)
		}
		body, err := payload(parameters.Size)
		if err != nil {
			return err
		}
		if err := send(&pb.StreamingOutputCallResponse{Payload: body}); err != nil {
			return err
		}
	}
	return nil
}

func (server) StreamingOutputCall(in *pb.StreamingOutputCallRequest, stream pb.TestService_StreamingOutputCallServer) error {
	echo(stream.Context(), stream.SetHeader, stream.SetTrailer)
	return respond(in, stream.Send)
}

func (server) StreamingInputCall(stream pb.TestService_StreamingInputCallServer) error {
	echo(stream.Context(), stream.SetHeader, stream.SetTrailer)
	var total int32
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&pb.StreamingInputCallResponse{AggregatedPayloadSize: total})
		}
		if err != nil {
			return err
		}
		if err := checkCompressed(stream.Context(), in.ExpectCompressed); err != nil {
			return err
		}
		total += int32(len(in.GetPayload().GetBody()))
	}
}

func (server) FullDuplexCall(stream pb.TestService_FullDuplexCallServer) error {
	echo(stream.Context(), stream.SetHeader, stream.SetTrailer)
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := respond(in, stream.Send); err != nil {
			return err
		}
	}
}

func (server) HalfDuplexCall(stream pb.TestService_HalfDuplexCallServer) error {
	echo(stream.Context(), stream.SetHeader, stream.SetTrailer)
	var all []*pb.StreamingOutputCallRequest
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		all = append(all, in)
	}
	for _, in := range all {
		if err := respond(in, stream.Send); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	port := flag.Int("port", 0, "port to listen on (0 picks one)")
	useTLS := flag.Bool("use_tls", false, "serve TLS")
	certFile := flag.String("tls_cert_file", "", "server certificate (PEM)")
	keyFile := flag.String("tls_key_file", "", "server key (PEM)")
	maxStreams := flag.Uint("max_concurrent_streams", 0, "SETTINGS_MAX_CONCURRENT_STREAMS per connection (0: grpc-go's default)")
	flag.Parse()
	options := []grpc.ServerOption{grpc.StatsHandler(compressionStats{})}
	if *maxStreams > 0 {
		options = append(options, grpc.MaxConcurrentStreams(uint32(*maxStreams)))
	}
	if *useTLS {
		creds, err := credentials.NewServerTLSFromFile(*certFile, *keyFile)
		if err != nil {
			log.Fatalf("TLS: %v", err)
		}
		options = append(options, grpc.Creds(creds))
	}
	listener, err := net.Listen("tcp", fmt.Sprintf(":%d", *port))
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	s := grpc.NewServer(options...)
	pb.RegisterTestServiceServer(s, server{})
	fmt.Printf("listening on %d\n", listener.Addr().(*net.TCPAddr).Port)
	log.Fatal(s.Serve(listener))
}
