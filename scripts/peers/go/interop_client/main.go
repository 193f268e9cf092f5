// grpc's interop client cases on Debian's grpc-go, written from grpc's interop
// test descriptions (doc/interop-test-descriptions.md).
//
//	interop_client --server_host H --server_port P --test_case NAME
//	    [--use_tls --use_test_ca --ca_file F --server_host_override NAME]
//
// Prints "NAME: passed" and exits 0, or prints why and exits 1.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "peers/grpctesting"
)

var (
	host        = flag.String("server_host", "localhost", "server host")
	port        = flag.Int("server_port", 0, "server port")
	testCase    = flag.String("test_case", "", "the case to run")
	useTLS      = flag.Bool("use_tls", false, "dial TLS")
	useTestCA   = flag.Bool("use_test_ca", false, "trust --ca_file")
	caFile      = flag.String("ca_file", "", "CA certificate (PEM)")
	override    = flag.String("server_host_override", "", "name the certificate is checked against")
	iterations  = flag.Int("soak_iterations", 10, "soak calls")
	maxFailures = flag.Int("soak_max_failures", 0, "soak failures allowed")
	maxLatency  = flag.Int("soak_per_iteration_max_acceptable_latency_ms", 1000, "soak latency allowed")
	overall     = flag.Int("soak_overall_timeout_seconds", 10, "soak time allowed")
)

var (
	streamSizes = []int32{31415, 9, 2653, 58979}
	uploadSizes = []int32{27182, 8, 1828, 45904}
	background  = context.Background()
)

func connect() (*grpc.ClientConn, error) {
	options := []grpc.DialOption{grpc.WithBlock()}
	if *useTLS {
		if !*useTestCA || *caFile == "" {
			return nil, errors.New("--use_tls needs --use_test_ca with --ca_file")
		}
		creds, err := credentials.NewClientTLSFromFile(*caFile, *override)
		if err != nil {
			return nil, err
		}
		options = append(options, grpc.WithTransportCredentials(creds))
	} else {
		options = append(options, grpc.WithInsecure())
	}
	ctx, cancel := context.WithTimeout(background, 10*time.Second)
	defer cancel()
	return grpc.DialContext(ctx, fmt.Sprintf("%s:%d", *host, *port), options...)
}

func zeros(size int32) *pb.Payload { return &pb.Payload{Body: make([]byte, size)} }

func checkPayload(p *pb.Payload, size int) error {
	body := p.GetBody()
	if len(body) != size {
		return fmt.Errorf("payload of %d bytes, expected %d", len(body), size)
	}
	if !bytes.Equal(body, make([]byte, size)) {
		return errors.New("payload is not all zeros")
	}
	return nil
}

func expectCode(err error, code codes.Code) error {
	if err == nil {
		return fmt.Errorf("expected %v, the call succeeded", code)
	}
	if status.Code(err) != code {
		return fmt.Errorf("expected %v, got %v", code, err)
	}
	return nil
}

func largeRequest() *pb.SimpleRequest {
	return &pb.SimpleRequest{ResponseSize: 314159, Payload: zeros(271828)}
}

func streamingRequest(sizes []int32, payload int32) *pb.StreamingOutputCallRequest {
	request := &pb.StreamingOutputCallRequest{}
	for _, size := range sizes {
		request.ResponseParameters = append(request.ResponseParameters, &pb.ResponseParameters{Size: size})
	}
	if payload > 0 {
		request.Payload = zeros(payload)
	}
	return request
}

func largeUnary(c pb.TestServiceClient) error {
	response, err := c.UnaryCall(background, largeRequest())
	if err != nil {
		return err
	}
	return checkPayload(response.Payload, 314159)
}

func echoStatus(c pb.TestServiceClient, message string) error {
	echo := &pb.EchoStatus{Code: 2, Message: message}
	_, err := c.UnaryCall(background, &pb.SimpleRequest{ResponseStatus: echo})
	if e := expectCode(err, codes.Unknown); e != nil {
		return fmt.Errorf("UnaryCall: %v", e)
	}
	if status.Convert(err).Message() != message {
		return fmt.Errorf("UnaryCall message %q", status.Convert(err).Message())
	}
	stream, err := c.FullDuplexCall(background)
	if err != nil {
		return err
	}
	if err := stream.Send(&pb.StreamingOutputCallRequest{ResponseStatus: echo}); err != nil {
		return err
	}
	_ = stream.CloseSend()
	_, err = stream.Recv()
	if e := expectCode(err, codes.Unknown); e != nil {
		return fmt.Errorf("FullDuplexCall: %v", e)
	}
	if status.Convert(err).Message() != message {
		return fmt.Errorf("FullDuplexCall message %q", status.Convert(err).Message())
	}
	return nil
}

func checkEcho(header, trailer metadata.MD, what string) error {
	if v := header.Get("x-grpc-test-echo-initial"); len(v) != 1 || v[0] != "test_initial_metadata_value" {
		return fmt.Errorf("%s: initial metadata %v", what, v)
	}
	if v := trailer.Get("x-grpc-test-echo-trailing-bin"); len(v) != 1 || v[0] != "\xab\xab\xab" {
		return fmt.Errorf("%s: trailing metadata %q", what, v)
	}
	return nil
}

func run(conn *grpc.ClientConn, name string) error {
	c := pb.NewTestServiceClient(conn)
	switch name {
	case "empty_unary":
		_, err := c.EmptyCall(background, &pb.Empty{})
		return err
	case "large_unary":
		return largeUnary(c)
	case "client_streaming":
		stream, err := c.StreamingInputCall(background)
		if err != nil {
			return err
		}
		for _, size := range uploadSizes {
			if err := stream.Send(&pb.StreamingInputCallRequest{Payload: zeros(size)}); err != nil {
				return err
			}
		}
		response, err := stream.CloseAndRecv()
		if err != nil {
			return err
		}
		if response.AggregatedPayloadSize != 74922 {
			return fmt.Errorf("aggregated_payload_size %d", response.AggregatedPayloadSize)
		}
		return nil
	case "server_streaming":
		stream, err := c.StreamingOutputCall(background, streamingRequest(streamSizes, 0))
		if err != nil {
			return err
		}
		for _, size := range streamSizes {
			response, err := stream.Recv()
			if err != nil {
				return err
			}
			if err := checkPayload(response.Payload, int(size)); err != nil {
				return err
			}
		}
		if _, err := stream.Recv(); err != io.EOF {
			return fmt.Errorf("expected the end of the stream, got %v", err)
		}
		return nil
	case "max_streams":
		// The server allows one stream at a time: calls made while a stream is
		// held must wait for it (not be refused), and finish once it ends.
		stream, err := c.FullDuplexCall(background)
		if err != nil {
			return err
		}
		if err := stream.Send(streamingRequest([]int32{31415}, 27182)); err != nil {
			return err
		}
		response, err := stream.Recv()
		if err != nil {
			return err
		}
		if err := checkPayload(response.Payload, 31415); err != nil {
			return err
		}
		results := make(chan error, 4)
		for i := 0; i < 4; i++ {
			go func() { results <- largeUnary(c) }()
		}
		_ = stream.CloseSend()
		if _, err := stream.Recv(); err != io.EOF {
			return fmt.Errorf("expected the end of the stream, got %v", err)
		}
		for i := 0; i < 4; i++ {
			if err := <-results; err != nil {
				return fmt.Errorf("a call queued behind the stream: %v", err)
			}
		}
		return nil
	case "ping_pong":
		stream, err := c.FullDuplexCall(background)
		if err != nil {
			return err
		}
		for i, size := range streamSizes {
			if err := stream.Send(streamingRequest([]int32{size}, uploadSizes[i])); err != nil {
				return err
			}
			response, err := stream.Recv()
			if err != nil {
				return err
			}
			if err := checkPayload(response.Payload, int(size)); err != nil {
				return err
			}
		}
		_ = stream.CloseSend()
		if _, err := stream.Recv(); err != io.EOF {
			return fmt.Errorf("expected the end of the stream, got %v", err)
		}
		return nil
	case "empty_stream":
		stream, err := c.FullDuplexCall(background)
		if err != nil {
			return err
		}
		_ = stream.CloseSend()
		if _, err := stream.Recv(); err != io.EOF {
			return fmt.Errorf("expected no response, got %v", err)
		}
		return nil
	case "timeout_on_sleeping_server":
		ctx, cancel := context.WithTimeout(background, time.Millisecond)
		defer cancel()
		stream, err := c.FullDuplexCall(ctx)
		if err == nil {
			_ = stream.Send(streamingRequest(nil, 27182))
			_, err = stream.Recv()
		}
		return expectCode(err, codes.DeadlineExceeded)
	case "cancel_after_begin":
		ctx, cancel := context.WithCancel(background)
		stream, err := c.StreamingInputCall(ctx)
		if err != nil {
			return err
		}
		cancel()
		_, err = stream.CloseAndRecv()
		return expectCode(err, codes.Canceled)
	case "cancel_after_first_response":
		ctx, cancel := context.WithCancel(background)
		stream, err := c.FullDuplexCall(ctx)
		if err != nil {
			return err
		}
		if err := stream.Send(streamingRequest([]int32{31415}, 27182)); err != nil {
			return err
		}
		response, err := stream.Recv()
		if err != nil {
			return err
		}
		if err := checkPayload(response.Payload, 31415); err != nil {
			return err
		}
		cancel()
		_, err = stream.Recv()
		return expectCode(err, codes.Canceled)
	case "status_code_and_message":
		return echoStatus(c, "test status message")
	case "special_status_message":
		return echoStatus(c, "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")
	case "custom_metadata":
		ctx := metadata.AppendToOutgoingContext(background,
			"x-grpc-test-echo-initial", "test_initial_metadata_value",
			"x-grpc-test-echo-trailing-bin", "\xab\xab\xab")
		var header, trailer metadata.MD
		response, err := c.UnaryCall(ctx, largeRequest(), grpc.Header(&header), grpc.Trailer(&trailer))
		if err != nil {
			return err
		}
		if err := checkPayload(response.Payload, 314159); err != nil {
			return err
		}
		if err := checkEcho(header, trailer, "UnaryCall"); err != nil {
			return err
		}
		stream, err := c.FullDuplexCall(ctx)
		if err != nil {
			return err
		}
		if err := stream.Send(streamingRequest([]int32{314159}, 271828)); err != nil {
			return err
		}
		_ = stream.CloseSend()
		first, err := stream.Recv()
		if err != nil {
			return err
		}
		if err := checkPayload(first.Payload, 314159); err != nil {
			return err
		}
		if _, err := stream.Recv(); err != io.EOF {
			return fmt.Errorf("expected the end of the stream, got %v", err)
		}
		header, err = stream.Header()
		if err != nil {
			return err
		}
		return checkEcho(header, stream.Trailer(), "FullDuplexCall")
	case "unimplemented_method":
		_, err := c.UnimplementedCall(background, &pb.Empty{})
		return expectCode(err, codes.Unimplemented)
	case "unimplemented_service":
		_, err := pb.NewUnimplementedServiceClient(conn).UnimplementedCall(background, &pb.Empty{})
		return expectCode(err, codes.Unimplemented)
	case "client_compressed_unary":
		probe := largeRequest()
		probe.ExpectCompressed = &pb.BoolValue{Value: true}
		_, err := c.UnaryCall(background, probe)
		if e := expectCode(err, codes.InvalidArgument); e != nil {
			return fmt.Errorf("uncompressed request expecting compression: %v", e)
		}
		response, err := c.UnaryCall(background, probe, grpc.UseCompressor(gzip.Name))
		if err != nil {
			return err
		}
		if err := checkPayload(response.Payload, 314159); err != nil {
			return err
		}
		plain := largeRequest()
		plain.ExpectCompressed = &pb.BoolValue{Value: false}
		response, err = c.UnaryCall(background, plain)
		if err != nil {
			return err
		}
		return checkPayload(response.Payload, 314159)
	case "client_compressed_streaming":
		stream, err := c.StreamingInputCall(background)
		if err != nil {
			return err
		}
		_ = stream.Send(&pb.StreamingInputCallRequest{Payload: zeros(27182), ExpectCompressed: &pb.BoolValue{Value: true}})
		_, err = stream.CloseAndRecv()
		if e := expectCode(err, codes.InvalidArgument); e != nil {
			return fmt.Errorf("uncompressed stream expecting compression: %v", e)
		}
		// grpc-go sets compression per call: both messages go compressed.
		stream, err = c.StreamingInputCall(background, grpc.UseCompressor(gzip.Name))
		if err != nil {
			return err
		}
		_ = stream.Send(&pb.StreamingInputCallRequest{Payload: zeros(27182), ExpectCompressed: &pb.BoolValue{Value: true}})
		_ = stream.Send(&pb.StreamingInputCallRequest{Payload: zeros(45904), ExpectCompressed: &pb.BoolValue{Value: false}})
		response, err := stream.CloseAndRecv()
		if err != nil {
			return err
		}
		if response.AggregatedPayloadSize != 73086 {
			return fmt.Errorf("aggregated_payload_size %d", response.AggregatedPayloadSize)
		}
		return nil
	case "server_compressed_unary":
		for _, compressed := range []bool{true, false} {
			request := largeRequest()
			request.ResponseCompressed = &pb.BoolValue{Value: compressed}
			response, err := c.UnaryCall(background, request)
			if err != nil {
				return err
			}
			if err := checkPayload(response.Payload, 314159); err != nil {
				return err
			}
		}
		return nil
	case "server_compressed_streaming":
		request := &pb.StreamingOutputCallRequest{ResponseParameters: []*pb.ResponseParameters{
			{Size: 31415, Compressed: &pb.BoolValue{Value: true}},
			{Size: 92653, Compressed: &pb.BoolValue{Value: false}},
		}}
		stream, err := c.StreamingOutputCall(background, request)
		if err != nil {
			return err
		}
		for _, size := range []int{31415, 92653} {
			response, err := stream.Recv()
			if err != nil {
				return err
			}
			if err := checkPayload(response.Payload, size); err != nil {
				return err
			}
		}
		if _, err := stream.Recv(); err != io.EOF {
			return fmt.Errorf("expected the end of the stream, got %v", err)
		}
		return nil
	case "rpc_soak", "channel_soak":
		return soak(c, name == "channel_soak")
	}
	return fmt.Errorf("unknown --test_case %q", name)
}

func soak(shared pb.TestServiceClient, newChannel bool) error {
	started := time.Now()
	var failures []string
	for i := 0; i < *iterations; i++ {
		if time.Since(started) > time.Duration(*overall)*time.Second {
			return fmt.Errorf("%d of %d iterations in %d s", i, *iterations, *overall)
		}
		began := time.Now()
		var err error
		if newChannel {
			var conn *grpc.ClientConn
			if conn, err = connect(); err == nil {
				err = largeUnary(pb.NewTestServiceClient(conn))
				conn.Close()
			}
		} else {
			err = largeUnary(shared)
		}
		if err == nil && time.Since(began) > time.Duration(*maxLatency)*time.Millisecond {
			err = fmt.Errorf("took %v", time.Since(began))
		}
		if err != nil {
			failures = append(failures, fmt.Sprintf("iteration %d: %v", i, err))
		}
	}
	if len(failures) > *maxFailures {
		return fmt.Errorf("%d failures: %v", len(failures), failures)
	}
	return nil
}

func main() {
	flag.Parse()
	conn, err := connect()
	if err == nil {
		err = run(conn, *testCase)
		conn.Close()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: FAILED: %v\n", *testCase, err)
		os.Exit(1)
	}
	fmt.Printf("%s: passed\n", *testCase)
}
