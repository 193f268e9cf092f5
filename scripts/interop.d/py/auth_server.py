"""Secure greeter server: the Python side of our auth lesson, mode by mode.

The tutorial's security chapter names channel credentials (TLS) and call
credentials (tokens, custom metadata) but stops at the headings, so there is no
tutorial program to mirror. This server is the tutorial's sync unary server
with grpcio's credential objects added the usual way, one mode per function,
matching `cargo run -p auth -- <mode> server`:

  tls       grpc.ssl_server_credentials([(key, cert)])
  mtls      the same with root_certificates=CA, require_client_auth=True;
            greets the common name of the client's certificate, as ours does
  token     plaintext; a server interceptor wants `authorization: Bearer <token>`
  combined  TLS and the token interceptor
  custom    plaintext; an interceptor checks the HMAC request signature of our
            custom mode (x-auth-key-id, -timestamp, -nonce, -signature), which
            covers the SHA-256 of the request message's bytes as received

Certificates come from `auth gen-certs --out DIR` (ca.pem, server.pem, server.key).
"""
import argparse
import hashlib
import hmac
import sys
import time
import grpc
import helloworld_pb2
import helloworld_pb2_grpc
from concurrent import futures


class Greeter(helloworld_pb2_grpc.GreeterServiceServicer):
    def __init__(self, greet_peer=False):
        self.greet_peer = greet_peer

    def SayHello(self, request, context):
        name = request.name
        if self.greet_peer:  # mTLS: who the verified certificate says called
            name = context.auth_context()["x509_common_name"][0].decode()
        return helloworld_pb2.SayHelloResponse(message="Hello, %s!" % name)


def refuse(message):
    def abort(request, context):
        context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

    return grpc.unary_unary_rpc_method_handler(abort)


class TokenCheck(grpc.ServerInterceptor):
    """Call credentials, server side: the bearer token must be the expected one."""

    def __init__(self, token):
        self.expected = token.encode()

    def intercept_service(self, continuation, handler_call_details):
        # Every `authorization` value, not dict()'s last one: more than one is refused.
        values = [v for k, v in handler_call_details.invocation_metadata if k == "authorization"]
        if len(values) != 1:
            return refuse("missing or wrong bearer token")
        scheme, _, token = values[0].partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), self.expected):
            return continuation(handler_call_details)
        return refuse("missing or wrong bearer token")


class SignatureCheck(grpc.ServerInterceptor):
    """Our custom scheme: HMAC-SHA256 over `path \\n authority \\n timestamp \\n nonce \\n
    key id \\n sha256(message)`.

    A server interceptor sees the metadata, not the message; so the handler it returns
    deserializes with a wrapper that keeps the raw bytes, and checks the signature
    over their SHA-256 before the servicer runs. grpcio does not show a server the
    call's :authority, so the signed x-auth-authority is checked only through the
    signature (the Rust server also compares it with the :authority the call arrived with).
    """

    def __init__(self, key_id, secret, max_skew=300):
        self.key_id, self.secret, self.max_skew = key_id, secret.encode(), max_skew
        self.seen_nonces = set()

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return refuse("invalid signature")  # only unary calls are signed here
        metadata = dict(handler_call_details.invocation_metadata)
        path = handler_call_details.method

        def keep_bytes(raw):
            return handler.request_deserializer(raw), raw

        def checked(request_and_bytes, context):
            request, raw = request_and_bytes
            problem = self.problem(path, metadata, hashlib.sha256(raw).hexdigest())
            if problem:
                print("refused:", problem, file=sys.stderr, flush=True)  # for the log only
                context.abort(grpc.StatusCode.UNAUTHENTICATED, "invalid signature")
            return handler.unary_unary(request, context)

        return grpc.unary_unary_rpc_method_handler(
            checked, request_deserializer=keep_bytes, response_serializer=handler.response_serializer
        )

    def problem(self, path, metadata, message):
        key_id = metadata.get("x-auth-key-id", "")
        authority = metadata.get("x-auth-authority", "")
        timestamp = metadata.get("x-auth-timestamp", "")
        nonce = metadata.get("x-auth-nonce", "")
        signature = metadata.get("x-auth-signature", "")
        if key_id != self.key_id or not timestamp.isdigit():
            return "unknown key or malformed timestamp"
        if abs(time.time() - int(timestamp)) > self.max_skew:
            return "timestamp outside the allowed clock skew"
        text = f"{path}\n{authority}\n{timestamp}\n{nonce}\n{key_id}\n{message}"
        expected = hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            return "bad signature"
        if nonce in self.seen_nonces:
            return "replayed nonce"
        self.seen_nonces.add(nonce)
        return None


def read(certs, name):
    with open(f"{certs}/{name}", "rb") as f:
        return f.read()


def server(mode, host, port, certs, token, key_id, secret):
    identity = [(read(certs, "server.key"), read(certs, "server.pem"))] if certs else None
    credentials, interceptors, greet_peer = None, [], False
    if mode == "tls":
        credentials = grpc.ssl_server_credentials(identity)
    elif mode == "mtls":
        credentials = grpc.ssl_server_credentials(
            identity, root_certificates=read(certs, "ca.pem"), require_client_auth=True
        )
        greet_peer = True
    elif mode == "token":
        interceptors = [TokenCheck(token)]
    elif mode == "combined":
        credentials = grpc.ssl_server_credentials(identity)
        interceptors = [TokenCheck(token)]
    elif mode == "custom":
        interceptors = [SignatureCheck(key_id, secret)]
    server = grpc.server(
        thread_pool=futures.ThreadPoolExecutor(max_workers=10), interceptors=interceptors
    )
    helloworld_pb2_grpc.add_GreeterServiceServicer_to_server(Greeter(greet_peer), server)
    if credentials is None:
        server.add_insecure_port(host + ":" + port)
    else:
        server.add_secure_port(host + ":" + port, credentials)
    server.start()
    print("Server started, listening on " + port)
    server.wait_for_termination()


def read_secret(path):
    """The secret in the file at `path` (whitespace trimmed), or None without one."""
    if path is None:
        return None
    with open(path) as file:
        return file.read().strip()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["tls", "mtls", "token", "combined", "custom"])
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", default="50051")
    parser.add_argument("--certs", help="folder written by `auth gen-certs`")
    # Secrets come from files, never argv: `ps` and shell history show a command line.
    parser.add_argument("--token-file", help="file holding the bearer token")
    parser.add_argument("--key-id", default="demo-key")
    parser.add_argument("--secret-file", help="file holding the shared signing secret")
    args = parser.parse_args()
    args.token = read_secret(args.token_file)
    args.secret = read_secret(args.secret_file)
    server(args.mode, args.host, args.port, args.certs, args.token, args.key_id, args.secret)
