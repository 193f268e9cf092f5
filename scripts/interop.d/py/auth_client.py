"""Secure greeter client: the Python side of our auth lesson, mode by mode.

The tutorial's security chapter stops at the headings, so there is no tutorial
program to mirror. This is the tutorial's sync unary client with grpcio's
credential objects, matching `cargo run -p auth -- <mode> client`:

  tls       grpc.ssl_channel_credentials(root_certificates=CA)
  mtls      grpc.ssl_channel_credentials(CA, private_key, certificate_chain)
  token     grpc.access_token_call_credentials(token) on a plaintext channel
  combined  grpc.composite_channel_credentials(ssl, access_token_call_credentials)
  custom    grpc.metadata_call_credentials(plugin) signing each call (HMAC)

grpcio sends call credentials only on a channel it considers secure. For the
two plaintext modes the channel credentials are
grpc.local_channel_credentials(LOCAL_TCP): plaintext on the wire, allowed only
to a loopback address, which is where the interop suite runs.
"""
import argparse
import hashlib
import hmac
import os
import time
import grpc
import helloworld_pb2
import helloworld_pb2_grpc


class RequestSigner(grpc.AuthMetadataPlugin):
    """Our custom call credentials: sign `path \\n authority \\n timestamp \\n nonce \\n key id`."""

    def __init__(self, key_id, secret):
        self.key_id, self.secret = key_id, secret.encode()

    def __call__(self, context, callback):
        # service_url is "https://host:port/package.Service"; the path adds the method.
        path = "/" + context.service_url.rsplit("/", 1)[-1] + "/" + context.method_name
        authority = context.service_url.split("/")[2]  # the host:port dialled
        timestamp = str(int(time.time()))
        nonce = os.urandom(16).hex()
        text = f"{path}\n{authority}\n{timestamp}\n{nonce}\n{self.key_id}"
        signature = hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()
        callback(
            (
                ("x-auth-key-id", self.key_id),
                ("x-auth-authority", authority),
                ("x-auth-timestamp", timestamp),
                ("x-auth-nonce", nonce),
                ("x-auth-signature", signature),
            ),
            None,
        )


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
    signer = grpc.metadata_call_credentials(RequestSigner(key_id, secret))
    return grpc.composite_channel_credentials(local, signer)


def run(mode, target, name, certs, token, key_id, secret):
    credentials = channel_credentials(mode, certs, token, key_id, secret)
    with grpc.secure_channel(target, credentials) as channel:
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
