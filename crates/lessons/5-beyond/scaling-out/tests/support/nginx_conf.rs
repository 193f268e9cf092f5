//! The nginx configuration the nginx test generates: gRPC in, round robin to the backends.

use std::path::Path;

/// An nginx.conf proxying gRPC on `port` to `backends`, everything inside `dir`.
pub fn nginx_conf(dir: &Path, port: u16, backends: &[String]) -> String {
    let dir = dir.display();
    let servers: String = backends
        .iter()
        .map(|b| {
            format!(
                "    server {} max_fails=1 fail_timeout=30s;\n",
                b.trim_start_matches("http://")
            )
        })
        .collect();
    format!(
        "daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  upstream greeters {{
{servers}  }}
  server {{
    listen 127.0.0.1:{port} http2;
    location / {{
      grpc_pass grpc://greeters;
      grpc_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
"
    )
}
