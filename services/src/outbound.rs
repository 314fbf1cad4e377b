//! HTTP clients for addresses users choose (webhook endpoints, CalDAV servers): they must not
//! become a way into the server's own network (SSRF). Addresses are checked where the
//! connection is made, in the resolver every request goes through, so a name that resolves
//! publicly once and privately later (DNS rebinding) cannot get around it. An address typed
//! into the URL is checked before sending, since it is never resolved. No redirects are followed.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// How long one webhook delivery may take.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a URL is not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("use an https:// address")]
    NotHttps,
    #[error("this address is inside a private network")]
    PrivateAddress,
    #[error("this is not a web address")]
    Malformed,
}

/// Checks a URL a user entered; `allow_private` (`RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE`,
/// `RENDEZVOUS_CALDAV_ALLOW_PRIVATE`) also allows plain http and private addresses, for tests
/// and servers on the same network.
pub fn check_url(raw: &str, allow_private: bool) -> Result<url::Url, Refused> {
    let url = url::Url::parse(raw.trim()).map_err(|_| Refused::Malformed)?;
    let host = match url.host() {
        Some(host) if matches!(url.scheme(), "http" | "https") && url.username().is_empty() => host,
        _ => return Err(Refused::Malformed),
    };
    if allow_private {
        return Ok(url);
    }
    if url.scheme() != "https" {
        return Err(Refused::NotHttps);
    }
    let literal = match host {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    };
    match literal {
        Some(address) if !is_public(address) => Err(Refused::PrivateAddress),
        _ => Ok(url),
    }
}

/// An `…_ALLOW_PRIVATE` setting: `1`/`true` or `0`/`false`, off when unset.
pub fn allow_private_setting(var: &dyn Fn(&str) -> Option<String>, name: &str) -> anyhow::Result<bool> {
    match var(name).as_deref().map(str::trim) {
        None | Some("0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(_) => anyhow::bail!("{name} must be 1 or 0"),
    }
}

/// A client that follows no redirect and (unless private addresses are allowed) resolves
/// through a resolver that drops every address that is not public.
pub fn client(allow_private: bool, user_agent: &str, timeout: Duration) -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent);
    let builder = if allow_private {
        builder
    } else {
        builder.dns_resolver(Arc::new(PublicOnly))
    };
    builder.build().unwrap_or_else(|e| {
        tracing::error!(error = %e, "an outbound client could not be configured; using the default one");
        reqwest::Client::new()
    })
}

/// Resolves with the system resolver and keeps only public addresses.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(RefusedName(name.as_str().to_owned())) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0} resolves only to private addresses")]
pub(crate) struct RefusedName(String);

/// Whether `address` is on the public internet: not loopback, private, shared (CGNAT),
/// link-local (cloud metadata lives at 169.254.169.254), unspecified, multicast, broadcast,
/// documentation or benchmarking ranges; an IPv4 address inside IPv6 counts as itself.
pub fn is_public(address: IpAddr) -> bool {
    match address.to_canonical() {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_unspecified()
        || v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_multicast()
        || v4.is_broadcast()
        || v4.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    let first = v6.segments()[0];
    !(v6.is_unspecified()
        || v6.is_loopback()
        || v6.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && v6.segments()[1] == 0x0db8
        || first == 0x0064 && v6.segments()[1] == 0xff9b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:1.1.1.1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_must_be_https_to_public_addresses_unless_private_ones_are_allowed() {
        assert!(check_url("https://crm.example.com/hooks", false).is_ok());
        assert_eq!(check_url("http://crm.example.com/hooks", false), Err(Refused::NotHttps));
        for private in [
            "https://127.0.0.1/x",
            "https://10.0.0.7/x",
            "https://169.254.169.254/latest",
            "https://[::1]/x",
        ] {
            assert_eq!(check_url(private, false), Err(Refused::PrivateAddress), "{private}");
        }
        assert!(check_url("http://127.0.0.1:8080/x", true).is_ok());
        for malformed in [
            "ftp://x.example",
            "https://user:pw@x.example/",
            "not a url",
            "mailto:a@b.c",
        ] {
            assert_eq!(check_url(malformed, true), Err(Refused::Malformed), "{malformed}");
        }
    }

    fn test_client(allow_private: bool) -> reqwest::Client {
        client(allow_private, "test", WEBHOOK_TIMEOUT)
    }

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_never_connected_to() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let url = format!("http://localhost:{port}/");
        let answered = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let _ = stream.read(&mut [0; 1024]).await;
            stream
                .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                .await
                .unwrap();
        });
        let refused = test_client(false).get(&url).send().await;
        assert!(refused.is_err(), "{refused:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!answered.is_finished(), "no connection was made");
        // By address, so a machine whose `localhost` is only ::1 still reaches the listener.
        let allowed = test_client(true)
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            allowed.status(),
            reqwest::StatusCode::NO_CONTENT,
            "allowed, the listener is reached"
        );
        answered.await.unwrap();
    }
}
