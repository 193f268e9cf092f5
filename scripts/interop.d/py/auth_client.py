"""Secure greeter client: the Python side of our auth lesson, mode by mode.

The tutorial's security chapter stops at the headings, so there is no tutorial
program to mirror. This is the tutorial's sync unary client with grpcio's
credential objects, matching `cargo run -p auth -- <mode> client`:

  tls       grpc.ssl_channel_credentials(root_certificates=CA)
  mtls      grpc.ssl_channel_credentials(CA, private_key, certificate_chain)
  token     grpc.access_token_call_credentials(token) on a plaintext channel
  combined  grpc.composite_channel_credentials(ssl, access_token_call_credentials)
  custom    a client interceptor signing each call and its message (HMAC); a
            metadata_call_credentials plugin never sees the message

grpcio sends call credentials only on a channel it considers secure. For the
two plaintext modes the channel credentials are
grpc.local_channel_credentials(LOCAL_TCP): plaintext on the wire, allowed only
to a loopback address, which is where the interop suite runs.
"""
import argparse
import collections
import hashlib
import hmac
import os
import time
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


class _Details(
    collections.namedtuple("_Details", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")),
    grpc.ClientCallDetails,
):
    pass


class RequestSigner(grpc.UnaryUnaryClientInterceptor):
    """Our custom call credentials: sign `path \\n authority \\n timestamp \\n nonce \\n
    key id \\n sha256(message)` for the server at `authority` (the host:port dialled)."""

    def __init__(self, key_id, secret, authority):
        self.key_id, self.secret, self.authority = key_id, secret.encode(), authority

    def intercept_unary_unary(self, continuation, details, request):
        path = details.method if isinstance(details.method, str) else details.method.decode()
        timestamp = str(int(time.time()))
        nonce = os.urandom(16).hex()
        message = hashlib.sha256(request.SerializeToString()).hexdigest()
        text = f"{path}\n{self.authority}\n{timestamp}\n{nonce}\n{self.key_id}\n{message}"
        signature = hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()
        metadata = list(details.metadata or []) + [
            ("x-auth-key-id", self.key_id),
            ("x-auth-authority", self.authority),
            ("x-auth-timestamp", timestamp),
            ("x-auth-nonce", nonce),
            ("x-auth-signature", signature),
        ]
        signed = _Details(
            details.method, details.timeout, metadata, details.credentials,
            details.wait_for_ready, details.compression,
        )
        return continuation(signed, request)


def read(certs, name):
    with open(f"{certs}/{name}", "rb") as f:
        return f.read()


def channel_credentials(mode, certs, token, key_id, secret):
    local = grpc.local_channel_credentials(grpc.LocalConnectionType.LOCAL_TCP)
    if mode == "tls":
        return grpc.ssl_channel_credentials(root_certificates=read(certs, "ca.pem"))
    if mode == "mtls":
        return grpc.ssl_channel_credentials(
            read(certs, "ca.pem"), read(certs, "client.key"), read(certs, "client.pem")
        )
    if mode == "token":
        return grpc.composite_channel_credentials(local, grpc.access_token_call_credentials(token))
    if mode == "combined":
        ssl = grpc.ssl_channel_credentials(root_certificates=read(certs, "ca.pem"))
        return grpc.composite_channel_credentials(ssl, grpc.access_token_call_credentials(token))
    return local  # custom: the signing interceptor is added in run()


def run(mode, target, name, certs, token, key_id, secret):
    credentials = channel_credentials(mode, certs, token, key_id, secret)
    with grpc.secure_channel(target, credentials) as channel:
        if mode == "custom":
            channel = grpc.intercept_channel(channel, RequestSigner(key_id, secret, target))
        stub = helloworld_pb2_grpc.GreeterServiceStub(channel=channel)
        response = stub.SayHello(helloworld_pb2.SayHelloRequest(name=name))
    print("Greeter client received: " + response.message)


def read_secret(path):
    """The secret in the file at `path` (whitespace trimmed), or None without one."""
    if path is None:
        return None
    with open(path) as file:
        return file.read().strip()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["tls", "mtls", "token", "combined", "custom"])
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--name", default="Jack")
    parser.add_argument("--certs", help="folder written by `auth gen-certs`")
    # Secrets come from files, never argv: `ps` and shell history show a command line.
    parser.add_argument("--token-file", help="file holding the bearer token")
    parser.add_argument("--key-id", default="demo-key")
    parser.add_argument("--secret-file", help="file holding the shared signing secret")
    args = parser.parse_args()
    args.token = read_secret(args.token_file)
    args.secret = read_secret(args.secret_file)
    run(args.mode, args.target, args.name, args.certs, args.token, args.key_id, args.secret)
