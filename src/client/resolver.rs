//! Name resolution for the client's agents. ureq looks the host up before every request, even
//! when it then reuses a kept-alive connection, and with a timeout configured it does the lookup
//! on a newly spawned thread: a thread per request. Here an IP literal is answered directly and a
//! host name is looked up (by ureq, with its timeout) at most once per `TTL`.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a looked-up address is reused.
const TTL: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    lookup: DefaultResolver,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        if let Ok(ip) = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            let mut addresses = self.empty();
            addresses.push(SocketAddr::new(ip, port));
            return Ok(addresses);
        }
        let key = format!("{host}:{port}");
        if let Some((looked_up, addresses)) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            if looked_up.elapsed() < TTL {
                return Ok(addresses.clone());
            }
        }
        let addresses = self.lookup.resolve(uri, config, timeout)?;
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (Instant::now(), addresses.clone()));
        Ok(addresses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(resolver: &CachingResolver, url: &str) -> Vec<SocketAddr> {
        let uri: Uri = url.parse().unwrap();
        let config = ureq::config::Config::default();
        let timeout = NextTimeout::default(); // no deadline: looked up on this thread
        resolver
            .resolve(&uri, &config, timeout)
            .unwrap()
            .iter()
            .copied()
            .collect()
    }

    #[test]
    fn ip_literals_are_answered_directly_with_default_ports() {
        let resolver = CachingResolver::default();
        assert_eq!(
            resolve(&resolver, "http://127.0.0.1:8080/x"),
            vec!["127.0.0.1:8080".parse().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "https://[::1]/"),
            vec!["[::1]:443".parse().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "http://10.0.0.1/"),
            vec!["10.0.0.1:80".parse().unwrap()]
        );
        assert!(
            resolver.cache.lock().unwrap().is_empty(),
            "no lookup, nothing cached"
        );
    }

    #[test]
    fn host_names_are_looked_up_once_and_cached() {
        let resolver = CachingResolver::default();
        let first = resolve(&resolver, "http://localhost:9/");
        assert!(
            first.iter().all(|a| a.ip().is_loopback() && a.port() == 9),
            "{first:?}"
        );
        assert_eq!(resolver.cache.lock().unwrap().len(), 1);
        assert_eq!(resolve(&resolver, "http://localhost:9/other"), first);
    }
}
