//! What this instance may connect to. A URL is checked before any request (scheme, port, an
//! address written in the URL); the addresses a name resolves to are checked when the HTTP
//! client connects, by its resolver, so that every request, redirect and retry is covered
//! and DNS rebinding cannot slip a private address past an earlier lookup.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest_middleware::ClientWithMiddleware;
use url::{Host, Url};

use crate::{
    config::Settings,
    federation::signed_fetch::SignFetches,
    i18n::Message,
    service::{domains, network::FetchFailure},
    state::AppState,
    urls::{host_and_port, Urls},
};

/// A request this instance refuses to make, by policy (not a network failure): a delivery
/// that meets one is dropped, never retried.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub Message);

/// An error with every cause it wraps, for logs and answers (reqwest's own message
/// leaves out why a connection failed).
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        let more = error.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = error.source();
    }
    text
}

impl Refused {
    /// Whether `error`, or an error it wraps (reqwest wraps its resolver's), is a refusal.
    pub fn is_cause_of(error: &(dyn std::error::Error + 'static)) -> bool {
        let mut cause = Some(error);
        while let Some(error) = cause {
            if error.is::<Refused>() {
                return true;
            }
            cause = error.source();
        }
        false
    }
}

fn is_global_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0 // "this network" (0.0.0.0/8)
        || ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || (a == 100 && (b & 0xc0) == 64) // shared address space (100.64.0.0/10)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments (192.0.0.0/24)
        || (a == 198 && (b & 0xfe) == 18) // benchmarking (198.18.0.0/15)
        || a >= 240) // reserved (240.0.0.0/4)
}

fn is_global_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    // Addresses that carry an IPv4 address: the IPv4 address decides.
    let embedded_v4 = |high: usize| {
        let [a, b] = segments[high].to_be_bytes();
        let [c, d] = segments[high + 1].to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_global_v4(v4);
    }
    if segments[..6] == [0, 0, 0, 0, 0, 0] {
        return false; // ::/96 (IPv4-compatible, unspecified, loopback)
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_global_v4(embedded_v4(6)); // NAT64 (64:ff9b::/96)
    }
    if segments[..4] == [0, 0, 0, 0] && segments[4] == 0xffff && segments[5] == 0 {
        return is_global_v4(embedded_v4(6)); // SIIT (::ffff:0:0:0/96)
    }
    if segments[0] == 0x2002 {
        return is_global_v4(embedded_v4(1)); // 6to4 (2002::/16)
    }
    !(ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00 // unique local (fc00::/7)
        || (segments[0] & 0xffc0) == 0xfe80 // link local (fe80::/10)
        || (segments[0] & 0xffc0) == 0xfec0 // site local, deprecated (fec0::/10)
        || (segments[0] == 0x2001 && segments[1] == 0xdb8) // documentation (2001:db8::/32)
        || (segments[0] & 0xfff0) == 0x3ff0 // documentation (3fff::/20)
        || (segments[0] == 0x64 && segments[1] == 0xff9b && segments[2] == 1) // local NAT64
        || segments[0] == 0x5f00 // SRv6 (5f00::/16)
        || (segments[0] == 0x2001 && segments[1] < 0x200) // IETF protocol assignments
        || segments[0] == 0x100 && segments[1..4] == [0, 0, 0]) // discard (100::/64)
}

/// Whether an address is on the public internet (not private, loopback, link-local,
/// multicast, reserved or documentation, nor an IPv6 form of such an IPv4 address).
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => is_global_v6(v6),
    }
}

/// Refuses remote URLs we must not request: other schemes than https (http too in dev mode),
/// explicit ports outside dev mode, and addresses written in the URL that are not public
/// (unless private addresses are allowed). Names are checked when connecting.
pub fn check_remote_url(settings: &Settings, url: &Url) -> Result<(), Refused> {
    let dev_mode = settings.federation.dev_mode;
    match url.scheme() {
        "https" => {}
        "http" if dev_mode => {}
        scheme => {
            return Err(Refused(
                Message::new("error-url-scheme-refused").arg("scheme", scheme),
            ))
        }
    }
    if url.port().is_some() && !dev_mode {
        return Err(Refused("error-url-port-refused".into()));
    }
    let ip = match url.host() {
        None => return Err(Refused("error-url-no-host".into())),
        Some(Host::Domain(_)) => return Ok(()),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
    };
    if !is_global(ip) && !settings.allows_private_addresses() {
        return Err(Refused(
            Message::new("error-address-not-public").arg("address", ip),
        ));
    }
    Ok(())
}

/// The client for every outgoing request (fetches, WebFinger, deliveries): addresses checked
/// when connecting, no redirects followed (callers check each hop), timeouts, our
/// User-Agent; GETs signed by `signer` when given (the instance actor, once it exists).
pub fn http_client(
    settings: &Settings,
    urls: &Urls,
    signer: Option<SignFetches>,
) -> anyhow::Result<ClientWithMiddleware> {
    let user_agent = format!("munifed/{} (+{})", env!("CARGO_PKG_VERSION"), urls.base());
    let client = reqwest::Client::builder()
        .user_agent(user_agent)
        .dns_resolver(Arc::new(PublicAddressResolver {
            allow_private: settings.allows_private_addresses(),
        }))
        .redirect(reqwest::redirect::Policy::none())
        // A proxy would resolve names itself, past the resolver's check.
        .no_proxy()
        .timeout(settings.request_timeout())
        .connect_timeout(settings.request_timeout())
        .build()?;
    let mut client = reqwest_middleware::ClientBuilder::new(client);
    if let Some(signer) = signer {
        client = client.with(signer);
    }
    Ok(client.build())
}

/// A file from another server (an image for the media cache): the URL checked like every
/// other request, its domain not blocked, 200 only, at most `max_bytes` read.
pub async fn fetch_file(
    state: &AppState,
    url: &Url,
    max_bytes: u64,
) -> Result<Vec<u8>, FetchFailure> {
    use FetchFailure::{Permanent, Transient};
    check_remote_url(&state.settings, url).map_err(|e| Permanent(e.0.to_string()))?;
    let blocked = domains::rejects_media(state, &host_and_port(url))
        .await
        .map_err(|e| Transient(e.to_string()))?;
    if blocked {
        return Err(FetchFailure::Blocked);
    }
    let mut response = state
        .http
        .get(url.as_str())
        .header("Accept", "image/*")
        .send()
        .await
        .map_err(|e| {
            if Refused::is_cause_of(&e) {
                Permanent(describe(&e))
            } else {
                Transient(describe(&e))
            }
        })?;
    let status = response.status();
    if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
        return Err(Transient(format!("the server answered {status}")));
    }
    if !status.is_success() {
        return Err(Permanent(format!("the server answered {status}")));
    }
    if response.content_length().is_some_and(|n| n > max_bytes) {
        return Err(Permanent(format!("larger than {max_bytes} bytes")));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Transient(describe(&e)))?
    {
        if (bytes.len() + chunk.len()) as u64 > max_bytes {
            return Err(Permanent(format!("larger than {max_bytes} bytes")));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The HTTP client's resolver: refuses a name when any of its addresses is not public,
/// unless private addresses are allowed.
pub struct PublicAddressResolver {
    pub allow_private: bool,
}

impl Resolve for PublicAddressResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private {
                if let Some(private) = addresses.iter().find(|a| !is_global(a.ip())) {
                    return Err(Box::new(Refused(
                        Message::new("error-host-resolves-private")
                            .arg("host", &host)
                            .arg("address", private.ip()),
                    ))
                        as Box<dyn std::error::Error + Send + Sync>);
                }
            }
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use reqwest::dns::{Name, Resolve, Resolving};

    use super::{is_global, PublicAddressResolver, Refused};

    /// A resolver whose every lookup fails, as when DNS is down.
    struct DnsDown;

    impl Resolve for DnsDown {
        fn resolve(&self, _name: Name) -> Resolving {
            Box::pin(async {
                Err(Box::new(std::io::Error::other(
                    "temporary failure in name resolution",
                ))
                    as Box<dyn std::error::Error + Send + Sync>)
            })
        }
    }

    async fn error_with(resolver: impl Resolve + 'static) -> reqwest::Error {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(resolver))
            .build()
            .expect("client");
        client
            .get("https://localhost/inbox")
            .send()
            .await
            .expect_err("no connection")
    }

    #[tokio::test]
    async fn a_failed_lookup_is_not_a_refusal_but_a_private_address_is() {
        // Deliveries retry what is not a refusal: a DNS hiccup must never drop one.
        assert!(!Refused::is_cause_of(&error_with(DnsDown).await));
        let refused = error_with(PublicAddressResolver {
            allow_private: false,
        })
        .await;
        assert!(
            Refused::is_cause_of(&refused),
            "{}",
            super::describe(&refused)
        );
    }

    #[test]
    fn only_public_addresses_are_global() {
        for ip in [
            "0.1.2.3",
            "10.1.2.3",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "172.16.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "fc00::1",
            "fd00::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "3fff::1",
            "64:ff9b:1::1",
            "5f00::1",
            "::ffff:0:a00:1",
            "100::1",
        ] {
            assert!(!is_global(ip.parse().expect("ip")), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:2800:220:1::1",
            "::ffff:93.184.216.34",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
        ] {
            assert!(is_global(ip.parse().expect("ip")), "{ip}");
        }
    }
}
