//! Exercise 38, a fake answer: checks the uid when there is one, but lets a call
//! without credentials through as uid 0, as if missing meant root. Over TCP
//! anybody on the network would be "root".
//! fails: a_tcp_caller_has_no_credentials_and_is_unauthenticated

use tonic::transport::server::UdsConnectInfo;
use tonic::{Request, Status};

pub fn allowed_caller<T>(request: &Request<T>, allowed: &[u32]) -> Result<u32, Status> {
    let uid = request
        .extensions()
        .get::<UdsConnectInfo>()
        .and_then(|info| info.peer_cred)
        .map_or(0, |peer| peer.uid());
    if allowed.contains(&uid) {
        Ok(uid)
    } else {
        Err(Status::permission_denied(format!(
            "uid {uid} may not call this server"
        )))
    }
}
