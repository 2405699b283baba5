//! The service configuration shared by every command that touches the database or Redis: one
//! typed struct from flags and environment (clap `env`), with URLs that may hold a password kept
//! in a type that never prints it. See `.env.example` for the variables.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::cache::{BadRedisUrl, Cache, RedisSettings};
use crate::store::{Store, StoreError};

/// Where the service keeps its state.
#[derive(Debug, Clone, clap::Args)]
pub struct ServiceConfig {
    /// Directory for the embedded SQLite database (`stocklens.db`) and the default outbox
    #[arg(
        long,
        global = true,
        env = "STOCKLENS_DATA_DIR",
        default_value = ".",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// Database: postgres://... or sqlite:...; unset means SQLite in --data-dir
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<SecretUrl>,
    /// Redis (redis:// or rediss:// for TLS; user, password and database from the URL): the
    /// cache, shared rate limits and wake-ups between processes; unset means none of them, and
    /// nothing else changes
    #[arg(
        long,
        global = true,
        env = "REDIS_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub redis_url: Option<SecretUrl>,
    /// Longest one Redis command may take (waiting for a pooled connection included) before it
    /// counts as a miss
    #[arg(
        long,
        global = true,
        env = "STOCKLENS_REDIS_TIMEOUT_MS",
        default_value_t = 250,
        value_name = "MS",
        value_parser = clap::value_parser!(u64).range(1..=60_000)
    )]
    pub redis_timeout_ms: u64,
    /// Longest a new Redis connection may take
    #[arg(
        long,
        global = true,
        env = "STOCKLENS_REDIS_CONNECT_TIMEOUT_MS",
        default_value_t = 2000,
        value_name = "MS",
        value_parser = clap::value_parser!(u64).range(1..=60_000)
    )]
    pub redis_connect_timeout_ms: u64,
    /// Every Redis key and channel starts with this, so deployments sharing one Redis stay apart
    #[arg(
        long,
        global = true,
        env = "STOCKLENS_REDIS_PREFIX",
        default_value = "stocklens",
        value_name = "PREFIX"
    )]
    pub redis_prefix: String,
}

impl ServiceConfig {
    /// Opens the store this configuration names (not migrated), with the Redis cache in front
    /// when Redis is configured (an unusable REDIS_URL is logged once and left out: a command
    /// never fails for want of a cache; `serve` refuses it up front instead).
    pub async fn store(&self) -> Result<Store, StoreError> {
        let store = Store::connect(
            self.database_url.as_ref().map(SecretUrl::expose),
            &self.data_dir,
        )
        .await?;
        let cache = self.cache().unwrap_or_else(|err| {
            tracing::warn!("{err}; running without cache");
            Cache::disabled()
        });
        Ok(store.with_cache(cache))
    }

    /// How Redis is used, from the flags.
    pub fn redis_settings(&self) -> RedisSettings {
        RedisSettings {
            command_timeout: Duration::from_millis(self.redis_timeout_ms),
            connect_timeout: Duration::from_millis(self.redis_connect_timeout_ms),
            prefix: self.redis_prefix.clone(),
            ..RedisSettings::default()
        }
    }

    /// The Redis cache, disabled when no REDIS_URL is set. Connects lazily.
    pub fn cache(&self) -> Result<Cache, BadRedisUrl> {
        match &self.redis_url {
            Some(url) => Cache::connect(url.expose(), self.redis_settings()),
            None => Ok(Cache::disabled()),
        }
    }
}

/// A URL that may carry a password: `Debug` and `Display` show it with the password replaced by
/// `***`, and only [`SecretUrl::expose`] gives the real text, to the one call that connects.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    /// The full URL, password included: pass it to a driver, never to a log.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with any password masked.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let Some(scheme_end) = url.find("://") else {
            return url.clone();
        };
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
                let masked = if userinfo.contains(':') {
                    format!("{user}:***")
                } else if user.is_empty() {
                    String::new()
                } else {
                    // A bare userinfo is a password in redis://:pw@ and a user elsewhere; mask
                    // it either way rather than guess.
                    "***".to_owned()
                };
                format!("{}{}@{}", &url[..scheme_end + 3], masked, &rest[at + 1..])
            }
            None => url.clone(),
        }
    }
}

impl FromStr for SecretUrl {
    type Err = String;
    fn from_str(text: &str) -> Result<SecretUrl, String> {
        // Secrets pasted from files often end in a newline; Redis then answers WRONGPASS.
        let text = text.trim();
        if text.is_empty() {
            return Err("the URL is empty".into());
        }
        Ok(SecretUrl(text.to_owned()))
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretUrl({})", self.redacted())
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// A secret that is not a URL (the bot token): `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret itself: pass it to the one call that needs it, never to a log.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = String;
    fn from_str(text: &str) -> Result<Secret, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("it is empty".into());
        }
        Ok(Secret(text.to_owned()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::{Secret, SecretUrl};

    #[test]
    fn tokens_never_print() {
        let token: Secret = " 123:abc\n".trim_end_matches("\\n").parse().unwrap();
        assert_eq!(token.expose(), "123:abc");
        assert_eq!(format!("{token} {token:?}"), "*** Secret(***)");
    }

    #[test]
    fn passwords_never_print() {
        let url: SecretUrl = "postgres://app:s3cret@db.example:5432/stocklens"
            .parse()
            .unwrap();
        assert_eq!(
            url.to_string(),
            "postgres://app:***@db.example:5432/stocklens"
        );
        assert!(!format!("{url:?}").contains("s3cret"));
        let redis: SecretUrl = "rediss://:s3cret@cache:6380/0".parse().unwrap();
        assert!(!redis.to_string().contains("s3cret"));
        let plain: SecretUrl = "redis://127.0.0.1:6379".parse().unwrap();
        assert_eq!(plain.to_string(), "redis://127.0.0.1:6379");
    }
}
