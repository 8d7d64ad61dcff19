//! Signs every outgoing GET (actor and object fetches, WebFinger) as the instance actor, as
//! Mastodon's authorized fetch asks: draft-cavage over `(request-target) host date`, with
//! aws-lc. A client middleware rather than the federation library's own signer, which signs
//! with the `rsa` crate (RUSTSEC-2023-0071).

use std::{sync::Arc, time::SystemTime};

use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use reqwest::{header::HeaderValue, Method, Request, Response};
use reqwest_middleware::{Middleware, Next};
use url::Url;

use crate::{
    crypto::SigningKey,
    urls::{host_and_port, path_and_query, Urls},
};

/// The instance actor's key, signing GETs.
pub struct SignFetches {
    pub actor: Url,
    pub key: Arc<SigningKey>,
}

impl SignFetches {
    /// The Date and Signature headers for a GET of `url` at `now`.
    fn headers(&self, url: &Url, now: SystemTime) -> anyhow::Result<(String, String)> {
        let date = httpdate::fmt_http_date(now);
        let signing_string = format!(
            "(request-target): get {}\nhost: {}\ndate: {date}",
            path_and_query(url),
            host_and_port(url)
        );
        let signature = BASE64.encode(self.key.sign(signing_string.as_bytes())?);
        let header = format!(
            r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) host date",signature="{signature}""#,
            Urls::key_id(&self.actor)
        );
        Ok((date, header))
    }
}

#[async_trait::async_trait]
impl Middleware for SignFetches {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        if request.method() == Method::GET && !request.headers().contains_key("signature") {
            let (date, signature) = self
                .headers(request.url(), SystemTime::now())
                .map_err(reqwest_middleware::Error::Middleware)?;
            let headers = request.headers_mut();
            for (name, value) in [("date", date), ("signature", signature)] {
                let value = HeaderValue::from_str(&value)
                    .map_err(|e| reqwest_middleware::Error::Middleware(e.into()))?;
                headers.insert(name, value);
            }
        }
        next.run(request, extensions).await
    }
}
