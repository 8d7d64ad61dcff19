//! Every local IRI and page URL, built in one place.

use url::Url;
use uuid::Uuid;

use crate::domain::post::PostKind;

#[derive(Clone, Debug)]
pub struct Urls {
    base: Url,
}

impl Urls {
    pub fn new(base: Url) -> Urls {
        Urls { base }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    fn path(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(path);
        url
    }

    fn with_query(mut url: Url, key: &str, value: &str) -> Url {
        url.query_pairs_mut().append_pair(key, value);
        url
    }

    pub fn home(&self) -> Url {
        self.path("/")
    }
    pub fn actor(&self, name: &str) -> Url {
        self.path(&format!("/users/{name}"))
    }
    pub fn profile(&self, name: &str) -> Url {
        self.path(&format!("/@{name}"))
    }
    pub fn inbox(&self, name: &str) -> Url {
        self.path(&format!("/users/{name}/inbox"))
    }
    pub fn outbox(&self, name: &str) -> Url {
        self.path(&format!("/users/{name}/outbox"))
    }
    pub fn followers(&self, name: &str) -> Url {
        self.path(&format!("/users/{name}/followers"))
    }
    pub fn following(&self, name: &str) -> Url {
        self.path(&format!("/users/{name}/following"))
    }
    pub fn shared_inbox(&self) -> Url {
        self.path("/inbox")
    }
    pub fn instance_actor(&self) -> Url {
        self.path("/actor")
    }
    pub fn instance_actor_inbox(&self) -> Url {
        self.path("/actor/inbox")
    }
    pub fn instance_actor_outbox(&self) -> Url {
        self.path("/actor/outbox")
    }
    pub fn key_id(actor: &Url) -> String {
        format!("{actor}#main-key")
    }
    pub fn new_activity(&self) -> Url {
        self.activity(&Uuid::new_v4().to_string())
    }
    pub fn activity(&self, uuid: &str) -> Url {
        self.path(&format!("/activities/{uuid}"))
    }
    pub fn collection_page(collection: &Url, page: i64) -> Url {
        Self::with_query(collection.clone(), "page", &page.to_string())
    }
    /// A post's page, which is also its ActivityPub id: `/news/12`, `/calls/3`, `/events/7`.
    pub fn post(&self, kind: PostKind, id: i64) -> Url {
        self.path(&format!("/{}/{id}", kind.plural()))
    }
    /// The kind and id of the local post whose id `url` is (the inverse of `post`).
    pub fn post_of(&self, url: &Url) -> Option<(PostKind, i64)> {
        if !self.is_local(url) || url.query().is_some() || url.fragment().is_some() {
            return None;
        }
        let (kind, id) = url.path().strip_prefix('/')?.split_once('/')?;
        let kind = PostKind::parse(kind).filter(|k| k.plural() == kind)?;
        Some((kind, id.parse().ok().filter(|id: &i64| *id > 0)?))
    }
    /// The public list of a kind: `/news`, `/calls` (open ones), `/events` (upcoming).
    pub fn listing(&self, kind: PostKind) -> Url {
        self.path(&format!("/{}", kind.plural()))
    }
    pub fn topic(&self, topic: &str) -> Url {
        self.path(&format!("/topics/{topic}"))
    }
    pub fn nodeinfo(&self, version: &str) -> Url {
        self.path(&format!("/nodeinfo/{version}"))
    }
    pub fn webfinger_template(&self) -> String {
        format!("{}.well-known/webfinger?resource={{uri}}", self.base)
    }
    pub fn webfinger_acct(&self, name: &str) -> String {
        format!("acct:{name}@{}", self.domain())
    }
    /// Whether a URL points at this instance.
    pub fn is_local(&self, url: &Url) -> bool {
        host_and_port(url).eq_ignore_ascii_case(&self.domain())
    }

    /// Host with `:port` when there is one: the `domain` of `@name@domain`.
    pub fn domain(&self) -> String {
        host_and_port(&self.base)
    }
}

/// A URL's path with its query, as an HTTP request line and `(request-target)` name it.
pub fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

/// `host` or `host:port` of a URL, the way handles and the federation library name a domain.
pub fn host_and_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::Urls;
    use url::Url;

    #[test]
    fn builds_actor_urls_and_pages() {
        let urls = Urls::new(Url::parse("http://localhost:8080").expect("url"));
        assert_eq!(
            urls.actor("news").as_str(),
            "http://localhost:8080/users/news"
        );
        assert_eq!(urls.domain(), "localhost:8080");
        assert_eq!(
            Urls::collection_page(&urls.followers("news"), 2).as_str(),
            "http://localhost:8080/users/news/followers?page=2"
        );
        assert_eq!(urls.webfinger_acct("news"), "acct:news@localhost:8080");
        let urls = Urls::new(Url::parse("https://city.example").expect("url"));
        assert_eq!(urls.domain(), "city.example");
    }

    #[test]
    fn reads_a_post_id_back_and_nothing_else() {
        use crate::domain::post::PostKind;
        let urls = Urls::new(Url::parse("https://city.example").expect("url"));
        for kind in [PostKind::News, PostKind::Call, PostKind::Event] {
            assert_eq!(urls.post_of(&urls.post(kind, 42)), Some((kind, 42)));
        }
        for other in [
            "https://elsewhere.example/news/42",
            "https://city.example/call/42",
            "https://city.example/news/42/replies",
            "https://city.example/news/0",
            "https://city.example/news/x",
            "https://city.example/news/42?page=2",
            "https://city.example/users/news",
        ] {
            let url = Url::parse(other).expect("url");
            assert_eq!(urls.post_of(&url), None, "{other}");
        }
    }
}
