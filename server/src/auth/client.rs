//! The client address, for the audit trail and login throttling.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::state::AppState;

/// The client's address: the connection's peer, or — when the peer is a
/// configured trusted proxy — the nearest address in `X-Forwarded-For` that
/// is not itself a trusted proxy. `unknown` without a connection (as in
/// router tests).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
        Ok(Self(match peer {
            Some(peer) => client_ip(peer, &parts.headers, &state.trusted_proxies).to_string(),
            None => "unknown".into(),
        }))
    }
}

/// Walks `X-Forwarded-For` from the right (the hop nearest to us) while the
/// hop is trusted; a forged left part never counts.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .map_while(|h| h.parse().ok())
        .collect();
    hops.into_iter().rev().find(|h| !trusted.contains(h)).unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        // From an untrusted peer, the header is ignored.
        assert_eq!(client_ip(client, &headers("198.51.100.1"), &[proxy]), client);
        // Through the proxy, the hop it saw.
        assert_eq!(client_ip(proxy, &headers("198.51.100.1, 203.0.113.7"), &[proxy]), client);
        // No header: the proxy itself.
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
