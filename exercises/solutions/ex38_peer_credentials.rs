//! Exercise 38, solved: the credentials tonic took from the socket, checked
//! against the allow-list; no credentials is no identity.

use tonic::transport::server::UdsConnectInfo;
use tonic::{Request, Status};

pub fn allowed_caller<T>(request: &Request<T>, allowed: &[u32]) -> Result<u32, Status> {
    let peer = request
        .extensions()
        .get::<UdsConnectInfo>()
        .and_then(|info| info.peer_cred)
        .ok_or_else(|| Status::unauthenticated("no peer credentials: not a Unix socket call"))?;
    if allowed.contains(&peer.uid()) {
        Ok(peer.uid())
    } else {
        Err(Status::permission_denied(format!(
            "uid {} may not call this server",
            peer.uid()
        )))
    }
}
