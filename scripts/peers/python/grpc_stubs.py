"""Makes the generated `grpc.testing` stubs importable.

The contract's package is `grpc.testing`, so the stubs import `grpc.testing.*`;
`grpc` is grpcio's own package, so the generated folder is added to its path.
"""
import os

import grpc

grpc.__path__.append(os.path.join(os.environ["GRPC_TESTING_STUBS"], "grpc"))
