//! Who the client is: the socket's peer, or, behind a reverse proxy we were told to trust, the
//! address that proxy says it forwarded for. Headers from anyone else are ignored, since any
//! client can write an `X-Forwarded-For`.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr};

/// The client's address, as the server resolved it for this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The key limits count under: the address itself, or for IPv6 its /64 (one subscriber's
    /// network: anyone holding one can use its 2^64 addresses).
    pub fn limit_key(self) -> String {
        match self.0.to_canonical() {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// `10.0.0.0/8, 127.0.0.1, ::1`: networks or single addresses; empty trusts nobody.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{entry}` is not an address or CIDR"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        self.0.iter().any(|net| net.contains(&addr))
    }

    /// The client behind `peer`. `forwarded` is the `Forwarded` header's values and
    /// `forwarded_for` the `X-Forwarded-For` ones, in the order received. The chain is read from
    /// the right (the hop nearest to us) while the hops are trusted proxies; the first other
    /// address is the client. A hop that is not an address (`unknown`, an obfuscated name)
    /// stops the walk at the proxy that wrote it.
    pub fn client(&self, peer: IpAddr, forwarded: &[&str], forwarded_for: &[&str]) -> ClientAddr {
        if !self.trusts(peer) {
            return ClientAddr(peer);
        }
        let hops: Vec<&str> = if forwarded.is_empty() {
            forwarded_for.iter().flat_map(|v| v.split(',')).map(str::trim).collect()
        } else {
            forwarded
                .iter()
                .flat_map(|v| v.split(','))
                .filter_map(forwarded_for_value)
                .collect()
        };
        let mut client = peer;
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(addr) => {
                    client = addr;
                    if !self.trusts(addr) {
                        break;
                    }
                }
                None => break,
            }
        }
        ClientAddr(client)
    }
}

/// The `for=` parameter of one `Forwarded` element (RFC 7239), without quotes.
fn forwarded_for_value(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(addr) = hop.parse::<IpAddr>() {
        return Some(addr);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::parse("10.0.0.0/8, ::1").unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let client = proxies().client(ip("203.0.113.9"), &[], &["1.2.3.4"]);
        assert_eq!(client, ClientAddr(ip("203.0.113.9")));
        let nobody = TrustedProxies::default().client(ip("10.0.0.1"), &["for=1.2.3.4"], &[]);
        assert_eq!(nobody, ClientAddr(ip("10.0.0.1")));
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        // A client may prepend anything; only what our proxies appended counts.
        let client = proxies().client(ip("10.0.0.1"), &[], &["6.6.6.6, 198.51.100.7", "10.1.2.3"]);
        assert_eq!(client, ClientAddr(ip("198.51.100.7")));
    }

    #[test]
    fn the_forwarded_header_wins_and_may_carry_ports_and_brackets() {
        let client = proxies().client(
            ip("::1"),
            &[r#"for=6.6.6.6, for="[2001:db8::7]:4711";proto=https"#],
            &["9.9.9.9"],
        );
        assert_eq!(client, ClientAddr(ip("2001:db8::7")));
        let v4 = proxies().client(ip("::1"), &[r#"for="192.0.2.60:80""#], &[]);
        assert_eq!(v4, ClientAddr(ip("192.0.2.60")));
    }

    #[test]
    fn an_unreadable_hop_leaves_the_proxy_that_wrote_it_as_the_client() {
        let client = proxies().client(ip("10.0.0.1"), &["for=unknown"], &[]);
        assert_eq!(client, ClientAddr(ip("10.0.0.1")));
        let client = proxies().client(ip("10.0.0.1"), &[], &["1.1.1.1, _hidden, 10.0.0.2"]);
        assert_eq!(client, ClientAddr(ip("10.0.0.2")));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_bit_network() {
        assert_eq!(ClientAddr(ip("2001:db8:1:2:aaaa::1")).limit_key(), "2001:db8:1:2::/64");
        assert_eq!(ClientAddr(ip("::ffff:192.0.2.1")).limit_key(), "192.0.2.1");
    }

    #[test]
    fn bad_entries_are_named() {
        assert!(
            TrustedProxies::parse("10.0.0.0/8, nonsense")
                .unwrap_err()
                .contains("nonsense")
        );
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
    }
}
