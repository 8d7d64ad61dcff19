//! The shared timeline: local and remote items together, newest first, filtered and paged
//! by keyset; the network's upcoming events and open calls; what other servers send about
//! posts (`receive`), cleaned once on the way in (`clean`).

pub mod clean;
pub mod receive;
pub mod replies;
pub mod retention;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use receive::{
    is_followed_here, is_stored, is_stored_or_followed, receive_delete, receive_gone, receive_post,
    receive_reaction, undo_reaction, Boost, IncomingPost,
};

use crate::{
    db::{
        self,
        actors::DbActor,
        posts::PostView,
        remote_posts::DbRemotePost,
        timeline::{DbEntry, Query},
    },
    domain::{
        post::{is_language_tag, topic_slug, Location, PostKind},
        remote::{Attachment, CallDetails, EventDetails, PostDetails, TranslatedText, ITEM_KINDS},
        time::{human_in_zone, rfc3339_utc},
    },
    error::{AppError, AppResult},
    i18n::Message,
    i18n::Tr,
    service::media,
    state::AppState,
    urls::Urls,
};

/// Items on one page, unless the reader asks for fewer (at most `PAGE_MAX`).
pub const PAGE_SIZE: i64 = 20;
pub const PAGE_MAX: i64 = 40;
/// Items in the network's event and call lists (pages, feeds, API).
pub const NETWORK_ITEMS: i64 = 100;

/// The filters a reader may combine, as they arrive in a query string (the API's and the
/// page's alike; Mastodon's names where it has them).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq, Hash)]
pub struct Filters {
    pub kind: Option<String>,
    pub topic: Option<String>,
    pub language: Option<String>,
    pub domain: Option<String>,
    /// `name@domain`, or `name` for a local account.
    pub account: Option<String>,
    /// Only this instance's items.
    pub local: Option<bool>,
    /// Only other instances' items.
    pub remote: Option<bool>,
    /// The cursor of the next page (from the previous page's `next`).
    pub max_id: Option<String>,
    pub limit: Option<i64>,
}

impl Filters {
    /// The filters without the cursor: what a link to the first page keeps.
    pub fn first_page(&self) -> Filters {
        Filters {
            max_id: None,
            ..self.clone()
        }
    }

    /// The filters as a query string (empty ones left out), with its `?` unless empty.
    pub fn query_string(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        let text = [
            ("kind", &self.kind),
            ("topic", &self.topic),
            ("language", &self.language),
            ("domain", &self.domain),
            ("account", &self.account),
            ("max_id", &self.max_id),
        ];
        for (name, value) in text {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                query.append_pair(name, value);
            }
        }
        for (name, value) in [("local", self.local), ("remote", self.remote)] {
            if value == Some(true) {
                query.append_pair(name, "true");
            }
        }
        if let Some(limit) = self.limit {
            query.append_pair("limit", &limit.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }
}

/// Who wrote or boosted an item.
#[derive(Clone, Debug, Serialize)]
pub struct Author {
    pub name: String,
    /// `@name@domain`
    pub handle: String,
    /// Their profile, on their own server.
    pub url: String,
    pub domain: String,
    pub local: bool,
    /// Our own path for their avatar's thumbnail, when the media cache has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

impl Author {
    fn of(actor: &DbActor) -> Author {
        Author {
            name: actor.display_name_or_username().to_string(),
            handle: actor.handle(),
            url: actor.url.clone().unwrap_or_else(|| actor.ap_id.to_string()),
            domain: actor.domain.clone(),
            local: actor.local,
            avatar: None,
        }
    }
}

/// Points avatars and image attachments at the media cache; anything it does not hold
/// is shown as a link, never loaded from another server.
pub(crate) fn with_cached_media(
    conn: &mut db::AnyConnection,
    items: &mut [Item],
    actors: &HashMap<i64, DbActor>,
) -> AppResult<()> {
    let mut urls: Vec<String> = actors.values().filter_map(|a| a.icon_url.clone()).collect();
    for item in items.iter() {
        urls.extend(
            item.details
                .attachments
                .iter()
                .filter(|a| a.is_image())
                .map(|a| a.url.clone()),
        );
    }
    let ids = media::ids(conn, &urls)?;
    let avatar = |handle: &str| {
        actors
            .values()
            .find(|a| a.handle() == handle)
            .and_then(|a| a.icon_url.as_ref())
            .and_then(|url| ids.get(url))
            .map(|id| media::local_path(*id, true))
    };
    for item in items.iter_mut() {
        item.author.avatar = avatar(&item.author.handle);
        if let Some(booster) = item.boosted_by.as_mut() {
            booster.avatar = avatar(&booster.handle);
        }
        for attachment in &mut item.details.attachments {
            if let Some(id) = ids.get(&attachment.url).filter(|_| attachment.is_image()) {
                attachment.media = Some(media::local_path(*id, false));
                attachment.thumbnail = Some(media::local_path(*id, true));
            }
        }
    }
    Ok(())
}

/// How much of an untitled note a list shows.
const HEADLINE_CHARS: usize = 120;

/// One item as shown, local or remote alike. Remote HTML was cleaned when it arrived.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// Its ActivityPub id.
    pub id: String,
    /// Where to read it: its page on its own server.
    pub url: String,
    /// news, call, event or note.
    pub kind: String,
    pub local: bool,
    pub author: Author,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boosted_by: Option<Author>,
    /// When it was published (or boosted), RFC 3339.
    pub published: String,
    pub title: String,
    /// Plain text: a lead, or a content warning when `sensitive`.
    pub summary: String,
    /// Clean HTML.
    pub content: String,
    pub language: Option<String>,
    pub sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    /// Topics, translations, attachments, and the call, event or poll.
    #[serde(flatten)]
    pub details: PostDetails,
    #[serde(skip)]
    pub cursor: String,
}

impl Item {
    pub fn published_human(&self, tr: impl Into<Tr>) -> String {
        human_in_zone(&self.published, None, tr.into()).unwrap_or_default()
    }

    /// The deadline on the clock of the call's own zone.
    pub fn deadline_human(&self, tr: impl Into<Tr>) -> Option<String> {
        let call = self.details.call.as_ref()?;
        human_in_zone(&call.deadline, call.timezone.as_deref(), tr.into())
    }

    pub fn start_human(&self, tr: impl Into<Tr>) -> Option<String> {
        let event = self.details.event.as_ref()?;
        human_in_zone(&event.start, event.timezone.as_deref(), tr.into())
    }

    pub fn end_human(&self, tr: impl Into<Tr>) -> Option<String> {
        let event = self.details.event.as_ref()?;
        human_in_zone(event.end.as_deref()?, event.timezone.as_deref(), tr.into())
    }

    /// What a list shows as its title: the title, else the lead (or content warning), else
    /// the start of the text.
    pub fn headline(&self, tr: impl Into<Tr>) -> String {
        if !self.title.is_empty() {
            return self.title.clone();
        }
        if !self.summary.is_empty() {
            return self.summary.clone();
        }
        if self.sensitive {
            return tr.into().t("sensitive-content");
        }
        let text = crate::ingest::sanitize::plain_text(&self.content);
        match text.char_indices().nth(HEADLINE_CHARS) {
            Some((end, _)) => format!("{}…", text[..end].trim_end()),
            None => text,
        }
    }

    /// A call still open: its deadline has not passed.
    pub fn is_open(&self) -> bool {
        self.details
            .call
            .as_ref()
            .and_then(|c| receive::utc(&c.deadline))
            .is_some_and(|deadline| deadline >= db::now())
    }

    /// The place in one line: name, street, postal code and locality, country.
    pub fn place_line(&self) -> Option<String> {
        let place = self.details.event.as_ref()?.place.as_ref()?;
        let parts: Vec<&str> = [
            &place.name,
            &place.street,
            &place.postal_code,
            &place.locality,
            &place.country,
        ]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// One page of the timeline and the cursor of the next.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    pub items: Vec<Item>,
    pub next: Option<String>,
    /// About what it takes in memory: what the timeline cache weighs.
    #[serde(skip)]
    pub size_bytes: u32,
}

impl Page {
    pub fn new(items: Vec<Item>, next: Option<String>) -> Page {
        // The JSON's length, and a floor for the key and the entry itself.
        let size_bytes = serde_json::to_vec(&items).map_or(u32::MAX, |json| {
            u32::try_from(json.len() + 512).unwrap_or(u32::MAX)
        });
        Page {
            items,
            next,
            size_bytes,
        }
    }
}

fn cursor_of(entry: &DbEntry) -> String {
    format!(
        "{}_{}",
        entry.published.and_utc().timestamp_micros(),
        entry.id
    )
}

fn parse_cursor(cursor: &str) -> AppResult<(NaiveDateTime, i64)> {
    let bad = || AppError::invalid("max_id", "error-cursor-invalid");
    let (micros, id) = cursor.split_once('_').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let published = DateTime::from_timestamp_micros(micros)
        .ok_or_else(bad)?
        .naive_utc();
    Ok((published, id))
}

/// Checks the filters and turns them into a query (an unknown account matches nothing).
async fn query(data: &AppState, filters: &Filters) -> AppResult<Option<Query>> {
    let mut query = Query::default();
    if let Some(kind) = filters.kind.as_deref().filter(|k| !k.is_empty()) {
        if !ITEM_KINDS.contains(&kind) {
            return Err(AppError::invalid("kind", "error-timeline-kind"));
        }
        query.kind = Some(kind.to_string());
    }
    if let Some(topic) = filters.topic.as_deref().filter(|t| !t.is_empty()) {
        query.topic = Some(topic_slug(topic));
    }
    if let Some(language) = filters.language.as_deref().filter(|l| !l.is_empty()) {
        if !is_language_tag(language) {
            return Err(AppError::invalid("language", "error-timeline-language"));
        }
        query.language = Some(language.to_string());
    }
    if let Some(domain) = filters.domain.as_deref().filter(|d| !d.is_empty()) {
        query.domain = Some(domain.trim().to_ascii_lowercase());
    }
    match (filters.local, filters.remote) {
        (Some(true), Some(true)) => {
            return Err(AppError::invalid("local", "error-local-or-remote"))
        }
        (Some(true), _) => query.local = Some(true),
        (_, Some(true)) => query.local = Some(false),
        _ => {}
    }
    if let Some(account) = filters.account.as_deref().filter(|a| !a.is_empty()) {
        let account = account.trim().trim_start_matches('@');
        let (name, domain) = match account.split_once('@') {
            Some((name, domain)) => (name.to_string(), domain.to_ascii_lowercase()),
            None => (account.to_string(), data.urls.domain()),
        };
        let found = db::run(&data.db, move |conn| {
            Ok(db::actors::by_handle(conn, &name, &domain)?)
        })
        .await?;
        match found {
            Some(actor) => query.author_id = Some(actor.id),
            None => return Ok(None),
        }
    }
    if let Some(cursor) = filters.max_id.as_deref().filter(|c| !c.is_empty()) {
        query.before = Some(parse_cursor(cursor)?);
    }
    Ok(Some(query))
}

/// What the timeline cache holds: pages by their filters, and the network lists.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TimelineKey {
    Page(Filters),
    NetworkEvents(i64),
    NetworkCalls(i64),
}

/// The timeline changed here: cached pages go (other processes' expire by their TTL).
pub fn changed(data: &AppState) {
    data.timeline_generation
        .fetch_add(1, std::sync::atomic::Ordering::Release);
    data.timeline_cache.invalidate_all();
}

async fn cached<F, Fut>(
    data: &AppState,
    key: TimelineKey,
    load: F,
) -> AppResult<std::sync::Arc<Page>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<Page>>,
{
    let generation = data
        .timeline_generation
        .load(std::sync::atomic::Ordering::Acquire);
    data.timeline_cache
        .get_or_load((generation, key), async {
            Ok(std::sync::Arc::new(load().await?))
        })
        .await
        .map_err(AppError::from)
}

/// A page of the shared timeline, newest first (cached by its filters).
pub async fn page(data: &AppState, filters: &Filters) -> AppResult<std::sync::Arc<Page>> {
    cached(data, TimelineKey::Page(filters.clone()), || {
        load_page(data, filters)
    })
    .await
}

async fn load_page(data: &AppState, filters: &Filters) -> AppResult<Page> {
    let limit = match filters.limit {
        Some(n) if !(1..=PAGE_MAX).contains(&n) => {
            return Err(AppError::invalid(
                "limit",
                Message::new("error-limit-range").count("max", PAGE_MAX),
            ))
        }
        Some(n) => n,
        None => PAGE_SIZE,
    };
    let Some(query) = query(data, filters).await? else {
        return Ok(Page::new(vec![], None));
    };
    let urls = data.urls.clone();
    db::run(&data.db, move |conn| {
        // One more than asked says whether there is a next page.
        let mut entries = db::timeline::page(conn, &query, limit + 1)?;
        let more = entries.len() as i64 > limit;
        entries.truncate(limit as usize);
        let next = more.then(|| entries.last().map(cursor_of)).flatten();
        Ok(Page::new(items(conn, &urls, entries)?, next))
    })
    .await
}

/// Upcoming events of the whole network (ours and remote), soonest first.
pub async fn network_events(data: &AppState, limit: i64) -> AppResult<std::sync::Arc<Page>> {
    let urls = data.urls.clone();
    cached(data, TimelineKey::NetworkEvents(limit), || async move {
        db::run(&data.db, move |conn| {
            let entries = db::timeline::upcoming_events(conn, db::now(), limit)?;
            Ok(Page::new(items(conn, &urls, entries)?, None))
        })
        .await
    })
    .await
}

/// Open calls of the whole network, closing first.
pub async fn network_calls(data: &AppState, limit: i64) -> AppResult<std::sync::Arc<Page>> {
    let urls = data.urls.clone();
    cached(data, TimelineKey::NetworkCalls(limit), || async move {
        db::run(&data.db, move |conn| {
            let entries = db::timeline::open_calls(conn, db::now(), limit)?;
            Ok(Page::new(items(conn, &urls, entries)?, None))
        })
        .await
    })
    .await
}

/// The items of `entries`, in their order; entries whose post went meanwhile are skipped.
fn items(conn: &mut db::AnyConnection, urls: &Urls, entries: Vec<DbEntry>) -> AppResult<Vec<Item>> {
    let post_ids: Vec<i64> = entries.iter().filter_map(|e| e.post_id).collect();
    let remote_ids: Vec<i64> = entries.iter().filter_map(|e| e.remote_post_id).collect();
    let actor_ids: Vec<i64> = entries
        .iter()
        .flat_map(|e| [Some(e.author_id), e.boosted_by])
        .flatten()
        .collect();
    let entry_ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let posts: HashMap<i64, PostView> = db::posts::get_many(conn, &post_ids)?
        .into_iter()
        .map(|v| (v.post.id, v))
        .collect();
    let remote: HashMap<i64, DbRemotePost> = db::remote_posts::get_many(conn, &remote_ids)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let actors: HashMap<i64, DbActor> = db::actors::by_ids(conn, &actor_ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut topics: HashMap<i64, Vec<String>> = HashMap::new();
    for (entry, topic) in db::timeline::topics_of(conn, &entry_ids)? {
        topics.entry(entry).or_default().push(topic);
    }
    let mut shown = vec![];
    for entry in entries {
        let Some(author) = actors.get(&entry.author_id) else {
            continue;
        };
        let mut item = if let Some(view) = entry.post_id.and_then(|id| posts.get(&id)) {
            local_item(view, urls)
        } else if let Some(post) = entry.remote_post_id.and_then(|id| remote.get(&id)) {
            remote_item(post, author)
        } else {
            continue;
        };
        item.boosted_by = entry
            .boosted_by
            .and_then(|id| actors.get(&id))
            .map(Author::of);
        item.published = rfc3339_utc(entry.published);
        item.details.topics = topics.remove(&entry.id).unwrap_or_default();
        item.cursor = cursor_of(&entry);
        shown.push(item);
    }
    with_cached_media(conn, &mut shown, &actors)?;
    Ok(shown)
}

/// A remote post as shown (its stored fields were cleaned when it arrived).
pub fn remote_item(post: &DbRemotePost, author: &DbActor) -> Item {
    let details: PostDetails = serde_json::from_str(&post.details).unwrap_or_default();
    Item {
        id: post.ap_id.clone(),
        url: post.url.clone().unwrap_or_else(|| post.ap_id.clone()),
        kind: post.kind.clone(),
        local: false,
        author: Author::of(author),
        boosted_by: None,
        published: rfc3339_utc(post.published),
        title: post.name.clone(),
        summary: post.summary.clone(),
        content: post.content.clone(),
        language: post.language.clone(),
        sensitive: post.sensitive,
        in_reply_to: post.in_reply_to.clone(),
        details,
        cursor: String::new(),
    }
}

/// One of our posts as shown in the timeline.
pub fn local_item(view: &PostView, urls: &Urls) -> Item {
    let post = &view.post;
    let kind = view.kind();
    let id = urls.post(kind, post.id).to_string();
    let call = (kind == PostKind::Call).then(|| CallDetails {
        kind: post.call_kind.clone().unwrap_or_default(),
        deadline: view.deadline().map(|d| d.rfc3339()).unwrap_or_default(),
        timezone: post.timezone.clone(),
        eligibility: post.eligibility.clone(),
        apply_url: post.apply_url.clone(),
    });
    let place = Location {
        name: post.location_name.clone(),
        street: post.location_street.clone(),
        postal_code: post.location_postal_code.clone(),
        locality: post.location_locality.clone(),
        region: post.location_region.clone(),
        country: post.location_country.clone(),
        latitude: post.location_latitude,
        longitude: post.location_longitude,
    };
    let event = (kind == PostKind::Event).then(|| EventDetails {
        start: view.start().map(|t| t.rfc3339()).unwrap_or_default(),
        end: view.end().map(|t| t.rfc3339()),
        timezone: post.timezone.clone(),
        place: (place != Location::default()).then_some(place),
        online_url: post.online_url.clone(),
        registration_url: post.registration_url.clone(),
        status: post.event_status.clone(),
    });
    Item {
        url: id.clone(),
        id,
        kind: kind.as_str().to_string(),
        local: true,
        author: Author::of(&view.account),
        boosted_by: None,
        published: rfc3339_utc(post.published),
        title: post.title.clone(),
        summary: post.summary.clone(),
        content: post.body_html.clone(),
        language: Some(post.language.clone()),
        sensitive: false,
        in_reply_to: None,
        details: PostDetails {
            translations: view
                .translations
                .iter()
                .map(|t| TranslatedText {
                    language: t.language.clone(),
                    name: t.title.clone(),
                    summary: t.summary.clone(),
                    content: t.body_html.clone(),
                })
                .collect(),
            topics: view.topics.clone(),
            attachments: post
                .image_url
                .iter()
                .map(|url| Attachment {
                    url: url.clone(),
                    media_type: None,
                    alt: post.image_alt.clone().unwrap_or_default(),
                    ..Attachment::default()
                })
                .collect(),
            call,
            event,
            ..PostDetails::default()
        },
        cursor: String::new(),
    }
}
