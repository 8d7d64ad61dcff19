//! Settings: `config/default.toml` (built in), an optional file, then `MUNIFED__*` variables,
//! validated once into [`Settings`].

use std::{net::SocketAddr, path::Path, time::Duration};

use serde::Deserialize;
use url::Url;

const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub instance: InstanceSettings,
    pub database: DatabaseSettings,
    pub federation: FederationSettings,
    pub delivery: DeliverySettings,
    pub log: LogSettings,
    pub media: MediaSettings,
    pub cache: CacheSettings,
    pub timeline: TimelineSettings,
    pub metrics: MetricsSettings,
    pub embed: EmbedSettings,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineSettings {
    /// Remote items older than this are pruned (with the media nobody showed since), except
    /// replies to our posts, upcoming events and open calls.
    pub retention_days: u32,
}

/// Where Prometheus metrics are served: an address of their own, never the public one.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// `IP:PORT` for `GET /metrics`; empty (the default) serves none.
    pub bind: String,
}

/// Which websites may show the embeddable lists (`/embed/…`) in a frame and read their
/// JSON from a script.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbedSettings {
    /// Comma-separated origins (`https://www.city.example`); empty: none.
    pub allowed_origins: String,
}

impl EmbedSettings {
    /// The allowed origins, as browsers send them in `Origin` (validated at start).
    pub fn origins(&self) -> Vec<String> {
        self.allowed_origins
            .split(',')
            .filter_map(|origin| parse_origin(origin.trim()))
            .collect()
    }

    pub fn allows(&self, origin: &str) -> bool {
        self.origins().iter().any(|allowed| allowed == origin)
    }
}

/// `scheme://host[:port]` as a browser serialises an origin (lower case, no default port,
/// no path), or None when `text` is not one.
fn parse_origin(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    let plain = url.username().is_empty() && url.password().is_none();
    // A host name of letters, digits and hyphens, or an IP address: the origin is written
    // into a CSP header, where `*`, `;` or a quote would mean something else.
    let host = match url.host()? {
        url::Host::Domain(name) => name
            .split('.')
            .all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .then_some(()),
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => Some(()),
    };
    if !matches!(url.scheme(), "https" | "http") || !bare || !plain || host.is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization()).filter(|origin| origin != "null")
}

/// Bounds of the in-memory caches (entries, and seconds an entry lives).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSettings {
    pub actors: u64,
    pub actors_ttl_secs: u64,
    pub webfinger: u64,
    pub webfinger_ttl_secs: u64,
    pub block_list_ttl_secs: u64,
    /// Bytes of rendered timeline pages kept in memory.
    pub timeline_bytes: u64,
    pub timeline_ttl_secs: u64,
}

/// The media cache: remote images kept under `path` and served from our own origin.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaSettings {
    pub path: String,
    pub max_file_bytes: u64,
    pub cache_bytes: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub body_limit: usize,
    pub workers: usize,
    /// Reverse proxies whose `X-Forwarded-For` is believed: comma-separated addresses or
    /// CIDR ranges.
    pub trusted_proxies: String,
}

/// An address range such as `172.16.0.0/12` or `::1/128` (a bare address is one address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: std::net::IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Option<Cidr> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let network: std::net::IpAddr = address.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Cidr { network, prefix })
    }

    pub fn contains(&self, address: std::net::IpAddr) -> bool {
        use std::net::IpAddr::{V4, V6};
        match (self.network, address) {
            (V4(net), V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (V6(net), V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl ServerSettings {
    /// The trusted proxies (validated at start).
    pub fn proxies(&self) -> Vec<Cidr> {
        self.trusted_proxies
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .filter_map(Cidr::parse)
            .collect()
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceSettings {
    pub domain: String,
    pub name: String,
    pub description: String,
    pub account: String,
    pub default_language: crate::i18n::Language,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub write_queue: usize,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FederationSettings {
    pub dev_mode: bool,
    pub allow_private_addresses: bool,
    pub request_timeout_secs: u64,
    pub fetch_limit: u32,
    pub signature_max_age_secs: i64,
    pub publish_as: PublishAs,
    pub authorized_fetch: bool,
}

/// How posts are federated: rich `Article`/`Event` objects, or `Note`s for apps that show
/// only notes in full.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PublishAs {
    Article,
    Note,
}

impl PublishAs {
    pub fn as_str(self) -> &'static str {
        match self {
            PublishAs::Article => "article",
            PublishAs::Note => "note",
        }
    }

    pub fn parse(value: &str) -> Option<PublishAs> {
        match value {
            "article" => Some(PublishAs::Article),
            "note" => Some(PublishAs::Note),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySettings {
    pub worker: bool,
    pub concurrency: usize,
    pub domain_concurrency: usize,
    pub poll_interval_ms: u64,
    pub backoff_base_secs: i64,
    pub backoff_max_secs: i64,
    pub max_attempts: i32,
    pub dead_after_hours: i64,
    pub lease_secs: i64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub level: String,
    pub format: LogFormat,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// A setting that stops start-up, with the setting's name in the message.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

impl Settings {
    /// Defaults, then `file` if given, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        Self::load_with_env(file, std::env::vars())
    }

    /// As [`Settings::load`], with the environment given explicitly (tests).
    pub fn load_with_env(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let mut builder = config::Config::builder().add_source(config::File::from_str(
            DEFAULT_TOML,
            config::FileFormat::Toml,
        ));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError(format!(
                    "--config: file {} does not exist",
                    path.display()
                )));
            }
            builder = builder.add_source(config::File::from(path));
        }
        let env: config::Map<String, String> = env
            .into_iter()
            .filter(|(key, _)| key.starts_with("MUNIFED__"))
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix("MUNIFED")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .source(Some(env)),
        );
        let settings: Settings = builder
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| ConfigError(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let fail = |key: &str, why: &str| Err(ConfigError(format!("{key}: {why}")));
        if self.server.bind.parse::<SocketAddr>().is_err() {
            return fail("server.bind", "expected IP:PORT, e.g. 127.0.0.1:8080");
        }
        if !self.metrics.bind.is_empty() && self.metrics.bind.parse::<SocketAddr>().is_err() {
            return fail(
                "metrics.bind",
                "expected IP:PORT, e.g. 127.0.0.1:9100, or empty for no metrics",
            );
        }
        let bad_origin = self
            .embed
            .allowed_origins
            .split(',')
            .map(str::trim)
            .find(|o| !o.is_empty() && parse_origin(o).is_none());
        if let Some(bad) = bad_origin {
            return fail(
                "embed.allowed_origins",
                &format!("{bad:?} is not an origin such as https://www.city.example"),
            );
        }
        let bad_proxy = self
            .server
            .trusted_proxies
            .split(',')
            .find(|p| !p.trim().is_empty() && Cidr::parse(p).is_none());
        if let Some(bad) = bad_proxy {
            return fail(
                "server.trusted_proxies",
                &format!("{:?} is not an address or a CIDR range", bad.trim()),
            );
        }
        if self.server.body_limit < 1024 {
            return fail("server.body_limit", "must be at least 1024 bytes");
        }
        if let Err(why) = validate_domain(&self.instance.domain) {
            return fail("instance.domain", &why);
        }
        if crate::domain::account_name::validate(&self.instance.account).is_err() {
            return fail(
                "instance.account",
                "1-30 characters: lower-case letters, digits and _",
            );
        }
        if self.instance.name.trim().is_empty() {
            return fail("instance.name", "must not be empty");
        }
        if let Err(why) = crate::db::DatabaseUrl::parse(&self.database.url) {
            return fail("database.url", &why);
        }
        if self.database.pool_size == 0 {
            return fail("database.pool_size", "must be at least 1");
        }
        if self.database.write_queue < 4 {
            return fail("database.write_queue", "must be at least 4");
        }
        if self.federation.request_timeout_secs == 0 {
            return fail("federation.request_timeout_secs", "must be at least 1");
        }
        // The federation library refuses signatures older than an hour whatever we say.
        if !(60..=3600).contains(&self.federation.signature_max_age_secs) {
            return fail(
                "federation.signature_max_age_secs",
                "must be from 60 to 3600 (the federation library's own limit)",
            );
        }
        for (key, value) in [
            ("cache.actors", self.cache.actors),
            ("cache.actors_ttl_secs", self.cache.actors_ttl_secs),
            ("cache.webfinger", self.cache.webfinger),
            ("cache.webfinger_ttl_secs", self.cache.webfinger_ttl_secs),
            ("cache.block_list_ttl_secs", self.cache.block_list_ttl_secs),
            ("cache.timeline_bytes", self.cache.timeline_bytes),
            ("cache.timeline_ttl_secs", self.cache.timeline_ttl_secs),
        ] {
            if value == 0 {
                return fail(key, "must be at least 1");
            }
        }
        if self.timeline.retention_days == 0 {
            return fail("timeline.retention_days", "must be at least 1");
        }
        if self.media.path.trim().is_empty() {
            return fail("media.path", "must not be empty");
        }
        if self.media.max_file_bytes < 1024 {
            return fail("media.max_file_bytes", "must be at least 1024 bytes");
        }
        if self.media.cache_bytes < self.media.max_file_bytes {
            return fail("media.cache_bytes", "must be at least media.max_file_bytes");
        }
        if self.delivery.concurrency == 0 {
            return fail("delivery.concurrency", "must be at least 1");
        }
        if self.delivery.domain_concurrency == 0 {
            return fail("delivery.domain_concurrency", "must be at least 1");
        }
        if self.delivery.backoff_base_secs < 1 {
            return fail("delivery.backoff_base_secs", "must be at least 1");
        }
        if self.delivery.backoff_max_secs < self.delivery.backoff_base_secs {
            return fail(
                "delivery.backoff_max_secs",
                "must be at least delivery.backoff_base_secs",
            );
        }
        if self.delivery.max_attempts < 1 {
            return fail("delivery.max_attempts", "must be at least 1");
        }
        // A claimed delivery is sent only while its lease outlasts an attempt (two
        // requests, one per signature scheme) and then the recording of its outcome
        // (allowed as long again): more than that leaves it room to wait for a slot.
        let attempts =
            4 * i64::try_from(self.federation.request_timeout_secs).unwrap_or(i64::MAX / 8);
        if self.delivery.lease_secs < 10 || self.delivery.lease_secs <= attempts {
            return fail(
                "delivery.lease_secs",
                "must be at least 10 and more than 4 × federation.request_timeout_secs",
            );
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return fail(
                "log.level",
                "not a valid filter, e.g. info or munifed=debug",
            );
        }
        Ok(())
    }

    /// Whether requests may go to private and loopback addresses: with
    /// `federation.allow_private_addresses`, or in dev mode.
    pub fn allows_private_addresses(&self) -> bool {
        self.federation.allow_private_addresses || self.federation.dev_mode
    }

    /// The scheme of URLs on `domain` (`host` or `host:port`), ours or another server's:
    /// `http` in dev mode, and for this instance when it runs on localhost (no certificate
    /// there, so that `cargo run` is a working instance); `https` otherwise.
    pub fn scheme_for(&self, domain: &str) -> &'static str {
        let ours_on_localhost =
            domain == self.instance.domain && domain.split(':').next() == Some("localhost");
        if self.federation.dev_mode || ours_on_localhost {
            "http"
        } else {
            "https"
        }
    }

    /// The instance's base URL, e.g. `https://city.example`.
    pub fn base_url(&self) -> Result<Url, url::ParseError> {
        let domain = &self.instance.domain;
        Url::parse(&format!("{}://{domain}", self.scheme_for(domain)))
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.federation.request_timeout_secs)
    }
}

/// A host name with an optional port: no scheme, path or credentials.
fn validate_domain(domain: &str) -> Result<(), String> {
    let url = Url::parse(&format!("http://{domain}"))
        .map_err(|e| format!("{domain:?} is not a host name: {e}"))?;
    let host_and_port = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    if url.domain().is_none() {
        return Err(format!(
            "{domain:?} must be a domain name, not an IP address (use localhost for local tests)"
        ));
    }
    if host_and_port != domain || url.path() != "/" {
        return Err(format!(
            "{domain:?} must be a bare lower-case host name, like city.example or localhost:8080"
        ));
    }
    Ok(())
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("server", &self.server)
            .field("instance", &self.instance)
            .field("database", &self.database)
            .field("federation", &self.federation)
            .field("delivery", &self.delivery)
            .field("log", &self.log)
            .finish()
    }
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &crate::db::redact_url(&self.url))
            .field("pool_size", &self.pool_size)
            .field("write_queue", &self.write_queue)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;

    fn load(env: &[(&str, &str)]) -> Result<Settings, super::ConfigError> {
        Settings::load_with_env(
            None,
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
    }

    #[test]
    fn defaults_are_valid() {
        let settings = load(&[]).expect("defaults load");
        assert_eq!(settings.instance.account, "news");
        assert_eq!(settings.server.body_limit, 1024 * 1024);
        assert!(!settings.federation.dev_mode);
    }

    #[test]
    fn environment_overrides_defaults() {
        let settings = load(&[
            ("MUNIFED__SERVER__BIND", "127.0.0.1:9999"),
            ("MUNIFED__INSTANCE__DOMAIN", "localhost:9999"),
            ("MUNIFED__FEDERATION__DEV_MODE", "true"),
        ])
        .expect("loads");
        assert_eq!(settings.server.bind, "127.0.0.1:9999");
        assert!(settings.federation.dev_mode);
        assert_eq!(settings.scheme_for(&settings.instance.domain), "http");
    }

    #[test]
    fn the_deployment_example_is_valid() {
        let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/munifed.toml");
        let settings = Settings::load_with_env(Some(&example), []).expect("deploy/munifed.toml");
        assert_eq!(settings.instance.domain, "city.example");
        assert!(
            settings.database.url.starts_with("sqlite:///"),
            "an absolute path"
        );
    }

    #[test]
    fn embed_origins_are_read_as_browsers_send_them() {
        let settings = load(&[(
            "MUNIFED__EMBED__ALLOWED_ORIGINS",
            " https://WWW.City.Example/ , http://localhost:8000,https://tourism.example:443",
        )])
        .expect("valid origins");
        assert_eq!(
            settings.embed.origins(),
            [
                "https://www.city.example",
                "http://localhost:8000",
                "https://tourism.example"
            ]
        );
        assert!(settings.embed.allows("https://www.city.example"));
        assert!(!settings.embed.allows("https://www.city.example.evil"));
        assert!(!settings.embed.allows("null"));
    }

    #[test]
    fn invalid_settings_name_the_setting() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("MUNIFED__SERVER__BIND", "nonsense")], "server.bind"),
            (
                &[("MUNIFED__INSTANCE__DOMAIN", "https://x.example/")],
                "instance.domain",
            ),
            (
                &[("MUNIFED__INSTANCE__DOMAIN", "127.0.0.1:8080")],
                "instance.domain",
            ),
            (&[("MUNIFED__DATABASE__URL", "mysql://x")], "database.url"),
            (
                &[("MUNIFED__SERVER__BODY_LIMIT", "many")],
                "server.body_limit",
            ),
            (
                &[("MUNIFED__INSTANCE__ACCOUNT", "Bad Name")],
                "instance.account",
            ),
            (
                &[("MUNIFED__FEDERATION__SIGNATURE_MAX_AGE_SECS", "7200")],
                "federation.signature_max_age_secs",
            ),
            (&[("MUNIFED__METRICS__BIND", "everywhere")], "metrics.bind"),
            (
                &[(
                    "MUNIFED__EMBED__ALLOWED_ORIGINS",
                    "https://city.example/news",
                )],
                "embed.allowed_origins",
            ),
            (
                &[("MUNIFED__EMBED__ALLOWED_ORIGINS", "city.example")],
                "embed.allowed_origins",
            ),
            (
                &[("MUNIFED__EMBED__ALLOWED_ORIGINS", "https://*.city.example")],
                "embed.allowed_origins",
            ),
            (
                &[(
                    "MUNIFED__EMBED__ALLOWED_ORIGINS",
                    "https://a.example;script-src",
                )],
                "embed.allowed_origins",
            ),
        ];
        for (env, key) in cases {
            let err = load(env).expect_err("must be refused").to_string();
            assert!(err.contains(key), "{err:?} should name {key}");
        }
    }
}
