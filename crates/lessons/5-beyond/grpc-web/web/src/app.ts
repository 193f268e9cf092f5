// The page's gRPC-Web client: Connect-ES clients for the tutorial's v1 (unary)
// and v2 (server-streaming) greeters, generated from its proto by protoc-gen-es.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { GreeterService as UnaryGreeter } from "./gen/tutorial/helloworld/v1/helloworld_pb";
import { GreeterService as StreamingGreeter } from "./gen/tutorial/helloworld/v2/helloworld_pb";

// The server is this page's own origin unless `?server=` names another one
// (which must then allow this page's origin: CORS).
const server = new URLSearchParams(location.search).get("server") ?? location.origin;
const transport = createGrpcWebTransport({ baseUrl: server });
const unary = createClient(UnaryGreeter, transport);
const streaming = createClient(StreamingGreeter, transport);

const element = (id: string) => document.getElementById(id)!;
const name = () => (element("name") as HTMLInputElement).value;

// A failed call is a ConnectError holding the grpc-status code and grpc-message.
function describe(error: unknown): string {
  const status = ConnectError.from(error);
  return `status ${Code[status.code]}: ${status.rawMessage}`;
}

async function sayHello(): Promise<void> {
  const out = element("unary");
  out.className = "";
  out.textContent = "calling...";
  try {
    const reply = await unary.sayHello({ name: name() });
    out.textContent = `Greeter client received: ${reply.message}`;
  } catch (error) {
    out.className = "error";
    out.textContent = describe(error);
  }
}

// Each greeting is shown as it arrives, stamped with the milliseconds since the call.
async function stream(): Promise<void> {
  const list = element("greetings");
  const status = element("stream-status");
  list.replaceChildren();
  status.className = "";
  status.textContent = "streaming...";
  const started = performance.now();
  try {
    for await (const reply of streaming.sayHello({ name: name() })) {
      const item = document.createElement("li");
      item.textContent = reply.message;
      item.dataset.ms = String(Math.round(performance.now() - started));
      list.append(item);
    }
    status.textContent = "stream ended: OK";
  } catch (error) {
    status.className = "error";
    status.textContent = describe(error);
  }
}

element("server").textContent = server === location.origin ? "this page's origin" : server;
element("say-hello").addEventListener("click", sayHello);
element("stream").addEventListener("click", stream);
