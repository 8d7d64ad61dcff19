//! Server-rendered pages (askama templates escape every value).

use activitypub_federation::config::Data;
use actix_web::{http::header, http::StatusCode, web, HttpResponse, ResponseError};
use askama::Template;

use crate::{
    db::{
        self,
        actors::DbActor,
        follows,
        posts::{Filter, PostView},
    },
    domain::post::PostKind,
    domain::time::LocalTime,
    error::{AppError, AppResult},
    i18n::Tr,
    ingest::sanitize::plain_text,
    service::{
        accounts::{self, AccountSummary},
        instance, media, network,
        posts::{self, when_and_where},
        timeline::{
            self,
            replies::{Counts, Reply},
        },
    },
    state::AppState,
    web::{
        seo,
        site::{render, render_with_status, Site},
    },
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(http_get_home))
        .route("/healthz", web::get().to(http_get_healthz))
        .route("/sitemap.xml", web::get().to(http_get_sitemap))
        .route("/robots.txt", web::get().to(http_get_robots))
        .route("/interact", web::post().to(http_post_interact))
        .route(
            "/authorize_interaction",
            web::get().to(http_get_authorize_interaction),
        )
        .route("/news", web::get().to(http_get_news))
        .route("/calls", web::get().to(http_get_open_calls))
        .route("/calls/closed", web::get().to(http_get_closed_calls))
        .route("/events", web::get().to(http_get_upcoming_events))
        .route("/events/past", web::get().to(http_get_past_events))
        .route("/topics/{topic}", web::get().to(http_get_topic))
        .route("/users/{name}", web::get().to(http_get_profile))
        .route("/@{name}", web::get().to(http_get_profile))
        .route(
            "/{kind:news|calls|events}/{id:\\d+}",
            web::get().to(http_get_post),
        );
}

/// A short page with one message (a deleted post, a follow form that could not be sent).
#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    site: Site,
    heading: String,
    message: String,
    back: Option<String>,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    /// What the follow form follows (the actor's id), and its handle.
    follow_uri: String,
    follow_handle: String,
    /// The canonical address of the page.
    url: String,
    /// The summary without markup, for link previews.
    summary_text: String,
    json_ld: String,
    site: Site,
    /// The account's icon, from our own origin.
    icon: Option<String>,
    account: &'a DbActor,
    handle: String,
    followers: i64,
    following: i64,
}

/// An organisation's profile page; its website carries `rel="me"` for verification.
async fn http_get_profile(
    name: web::Path<String>,
    data: Data<AppState>,
    tr: Tr,
) -> AppResult<HttpResponse> {
    let account = accounts::by_name(&data, &name).await?;
    let id = account.id;
    let (followers, following) = db::run(&data.db, move |conn| {
        Ok((
            follows::count_followers(conn, id, follows::ACCEPTED)?,
            follows::count_following(conn, id, follows::ACCEPTED)?,
        ))
    })
    .await?;
    let icon = media::shown(&data, account.icon_url.as_deref(), true).await?;
    render(&ProfilePage {
        site: Site::new(&data, data.urls.profile(&account.username).path(), tr).await?,
        icon,
        handle: account.handle(),
        url: data.urls.profile(&account.username).to_string(),
        follow_uri: account.ap_id.to_string(),
        follow_handle: account.handle(),
        summary_text: plain_text(&account.summary),
        json_ld: seo::script_json(&seo::profile(&account, &data.urls)),
        account: &account,
        followers,
        following,
    })
}

async fn http_get_sitemap(data: Data<AppState>) -> AppResult<HttpResponse> {
    let accounts = accounts::names(&data).await?;
    let mut posts = posts::index(&data).await?;
    // One sitemap file lists at most 50,000 addresses, the fixed pages and profiles first.
    posts.truncate(
        usize::try_from(posts::SITEMAP_MAX)
            .unwrap_or(0)
            .saturating_sub(6 + accounts.len()),
    );
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(seo::sitemap(&data.urls, &accounts, &posts)))
}

async fn http_get_robots(data: Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(seo::robots(&data.urls))
}

#[derive(serde::Deserialize)]
struct InteractForm {
    uri: String,
    handle: String,
}

/// The follow and interaction forms: the visitor is sent to their own server, which asks
/// them to follow the account or open the post (only our own accounts and posts).
async fn http_post_interact(
    form: web::Form<InteractForm>,
    data: Data<AppState>,
    tr: Tr,
) -> AppResult<HttpResponse> {
    let uri = url::Url::parse(form.uri.trim())
        .ok()
        .filter(|uri| data.urls.is_local(uri))
        .ok_or_else(|| AppError::invalid("uri", "error-uri-not-local"))?;
    match network::interaction_url(&data, &form.handle, &uri).await {
        Ok(target) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, target.as_str()))
            .finish()),
        Err(error) if error.status_code().is_client_error() => render_with_status(
            error.status_code(),
            &MessagePage {
                site: Site::new(&data, "/interact", tr).await?,
                heading: tr.t("message-not-followed"),
                message: error.text(tr),
                back: Some(uri.to_string()),
            },
        ),
        Err(error) => Err(error),
    }
}

#[derive(serde::Deserialize)]
struct InteractionQuery {
    uri: Option<String>,
    /// Which of our accounts the template was given for.
    account: Option<String>,
}

/// Our own subscribe template (in our WebFinger answers): this server's staff follow from
/// the panel, with the address filled in.
async fn http_get_authorize_interaction(
    query: web::Query<InteractionQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let uri = query
        .uri
        .as_deref()
        .map(str::trim)
        .filter(|uri| !uri.is_empty())
        .ok_or_else(|| AppError::invalid("uri", "error-required"))?;
    let named = match query.account.as_deref() {
        Some(name) => accounts::by_name(&data, name).await.ok(),
        None => None,
    };
    let account = named
        .filter(|account| !account.is_instance_actor())
        .map(|account| account.username)
        .unwrap_or_else(|| data.settings.instance.account.clone());
    let mut to = url::Url::parse(&format!("{}admin/accounts/{account}", data.urls.base()))
        .map_err(|e| AppError::other(e.into()))?;
    to.query_pairs_mut().append_pair("follow", uri);
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}?{}", to.path(), to.query().unwrap_or_default()),
        ))
        .finish())
}

/// A post in a list, as a card: its link, kind, title, lead and when/where.
pub struct PostItem {
    pub url: String,
    pub kind: &'static str,
    /// The kind as shown: News, Event, or the call's own kind (Grant, Tender…).
    pub label: String,
    pub language: String,
    pub title: String,
    pub summary: String,
    /// When it was published, RFC 3339 and as shown.
    pub published: String,
    pub date: String,
    pub facts: String,
    /// An event's date badge.
    pub badge: Option<Badge>,
    /// A call's state.
    pub open: Option<bool>,
}

/// The month and day an event starts, on its own clock.
pub struct Badge {
    pub month: String,
    pub day: String,
}

/// A post's kind as shown: News, Event, or the call's own kind (Grant, Tender…).
fn kind_label(view: &PostView, tr: Tr) -> String {
    match view.kind() {
        PostKind::Call => posts::call_label(view, tr),
        kind => tr.t1("kind", "kind", kind.as_str()),
    }
}

impl PostItem {
    pub fn new(view: &PostView, data: &Data<AppState>, tr: Tr) -> PostItem {
        let kind = view.kind();
        PostItem {
            url: data.urls.post(kind, view.post.id).to_string(),
            kind: kind.as_str(),
            label: kind_label(view, tr),
            language: view.post.language.clone(),
            title: view.post.title.clone(),
            summary: view.post.summary.clone(),
            published: view.post.published.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            date: tr.date(&view.post.published),
            facts: when_and_where(view, tr).join(" · "),
            badge: view.start().map(|start| Badge {
                month: tr.local("format-month-short", &start.local),
                day: tr.local("format-day", &start.local),
            }),
            open: view.is_open(db::now()),
        }
    }
}

fn items(views: &[PostView], data: &Data<AppState>, tr: Tr) -> Vec<PostItem> {
    views.iter().map(|v| PostItem::new(v, data, tr)).collect()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    site: Site,
    home_url: String,
    /// Who the organisation is: the main account's summary (clean HTML), else the
    /// instance's description; as plain text for link previews.
    summary_html: String,
    description: &'a str,
    /// The instance's description too, when it says more than the summary.
    show_description: bool,
    description_text: String,
    rules: &'a [String],
    domain: String,
    profile_url: String,
    follow_uri: String,
    follow_handle: String,
    accounts: Vec<AccountSummary>,
    news: Vec<PostItem>,
    calls: Vec<PostItem>,
    events: Vec<PostItem>,
    /// The latest from other servers on the shared timeline.
    network: Vec<timeline::Item>,
}

const HOME_ITEMS: i64 = 6;
const HOME_NETWORK_ITEMS: i64 = 6;

async fn http_get_home(data: Data<AppState>, tr: Tr) -> AppResult<HttpResponse> {
    let now = db::now();
    let accounts = accounts::list(&data).await?;
    let news = posts::latest(&data, PostKind::News, Filter::All, None, HOME_ITEMS).await?;
    let calls = posts::latest(
        &data,
        PostKind::Call,
        Filter::Upcoming(now),
        None,
        HOME_ITEMS,
    )
    .await?;
    let events = posts::latest(
        &data,
        PostKind::Event,
        Filter::Upcoming(now),
        None,
        HOME_ITEMS,
    )
    .await?;
    let others = timeline::Filters {
        remote: Some(true),
        limit: Some(HOME_NETWORK_ITEMS),
        ..timeline::Filters::default()
    };
    let network = timeline::page(&data, &others).await?.items.clone();
    let info = instance::info(&data).await?;
    let main = instance::main_account(&data).await?;
    let summary_html = main.as_ref().map(|m| m.summary.clone()).unwrap_or_default();
    let summary_text = plain_text(&summary_html);
    let show_description =
        !info.description.trim().is_empty() && summary_text.trim() != info.description.trim();
    let description_text = match summary_text {
        text if text.trim().is_empty() => info.description.clone(),
        text => text,
    };
    render(&HomePage {
        site: Site::new(&data, "/", tr).await?,
        home_url: data.urls.base().to_string(),
        summary_html,
        description: &info.description,
        show_description,
        description_text,
        rules: &info.rules,
        domain: data.urls.domain(),
        profile_url: main
            .as_ref()
            .map(|m| data.urls.profile(&m.username).to_string())
            .unwrap_or_default(),
        follow_uri: main
            .as_ref()
            .map(|m| m.ap_id.to_string())
            .unwrap_or_default(),
        follow_handle: main.as_ref().map(DbActor::handle).unwrap_or_default(),
        accounts,
        news: items(&news, &data, tr),
        calls: items(&calls, &data, tr),
        events: items(&events, &data, tr),
        network,
    })
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    site: Site,
    heading: String,
    /// What an empty list says.
    empty: String,
    /// (label, link, current)
    tabs: Vec<(String, String, bool)>,
    items: Vec<PostItem>,
    prev: Option<String>,
    next: Option<String>,
    /// (media type, link)
    feeds: Vec<(&'static str, String)>,
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

/// Which list a path shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Listing {
    News,
    OpenCalls,
    ClosedCalls,
    UpcomingEvents,
    PastEvents,
}

impl Listing {
    fn kind(self) -> PostKind {
        match self {
            Listing::News => PostKind::News,
            Listing::OpenCalls | Listing::ClosedCalls => PostKind::Call,
            Listing::UpcomingEvents | Listing::PastEvents => PostKind::Event,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Listing::News => "/news",
            Listing::OpenCalls => "/calls",
            Listing::ClosedCalls => "/calls/closed",
            Listing::UpcomingEvents => "/events",
            Listing::PastEvents => "/events/past",
        }
    }

    /// The message an empty list shows.
    fn empty(self) -> &'static str {
        match self {
            Listing::News => "list-news-empty",
            Listing::OpenCalls => "list-open-calls-empty",
            Listing::ClosedCalls => "list-closed-calls-empty",
            Listing::UpcomingEvents => "list-upcoming-events-empty",
            Listing::PastEvents => "list-past-events-empty",
        }
    }

    /// The message of its heading.
    fn heading(self) -> &'static str {
        match self {
            Listing::News => "list-news",
            Listing::OpenCalls => "list-open-calls",
            Listing::ClosedCalls => "list-closed-calls",
            Listing::UpcomingEvents => "list-upcoming-events",
            Listing::PastEvents => "list-past-events",
        }
    }
}

async fn list_page(
    data: Data<AppState>,
    tr: Tr,
    listing: Listing,
    page: Option<i64>,
) -> AppResult<HttpResponse> {
    let page = page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(AppError::bad_request("error-page-from-one"));
    }
    let now = db::now();
    let filter = match listing {
        Listing::News => Filter::All,
        Listing::OpenCalls | Listing::UpcomingEvents => Filter::Upcoming(now),
        Listing::ClosedCalls | Listing::PastEvents => Filter::Past(now),
    };
    let views = posts::list(&data, listing.kind(), filter, None, page).await?;
    let link = |n: i64| format!("{}?page={n}", listing.path());
    let tabs = match listing.kind() {
        PostKind::News => vec![],
        PostKind::Call => vec![Listing::OpenCalls, Listing::ClosedCalls],
        PostKind::Event => vec![Listing::UpcomingEvents, Listing::PastEvents],
    }
    .into_iter()
    .map(|l| (tr.t(l.heading()), l.path().to_string(), l == listing))
    .collect();
    let feeds = match listing.kind() {
        PostKind::News => vec![("application/atom+xml", "/news.atom".to_string())],
        PostKind::Call => vec![("application/atom+xml", "/calls.atom".to_string())],
        PostKind::Event => vec![("text/calendar", "/events.ics".to_string())],
    };
    render(&ListPage {
        site: Site::new(&data, listing.path(), tr).await?,
        heading: tr.t(listing.heading()),
        empty: tr.t(listing.empty()),
        tabs,
        next: (views.len() as i64 == posts::PAGE_SIZE).then(|| link(page + 1)),
        prev: (page > 1).then(|| link(page - 1)),
        items: items(&views, &data, tr),
        feeds,
    })
}

macro_rules! listing_handler {
    ($name:ident, $listing:expr) => {
        async fn $name(
            query: web::Query<PageQuery>,
            data: Data<AppState>,
            tr: Tr,
        ) -> AppResult<HttpResponse> {
            list_page(data, tr, $listing, query.page).await
        }
    };
}
listing_handler!(http_get_news, Listing::News);
listing_handler!(http_get_open_calls, Listing::OpenCalls);
listing_handler!(http_get_closed_calls, Listing::ClosedCalls);
listing_handler!(http_get_upcoming_events, Listing::UpcomingEvents);
listing_handler!(http_get_past_events, Listing::PastEvents);

async fn http_get_topic(
    topic: web::Path<String>,
    data: Data<AppState>,
    tr: Tr,
) -> AppResult<HttpResponse> {
    let topic = crate::domain::post::topic_slug(&topic);
    if topic.is_empty() {
        return Err(AppError::not_found());
    }
    let views = posts::with_topic(&data, &topic, 100).await?;
    render(&ListPage {
        site: Site::new(&data, &format!("/topics/{topic}"), tr).await?,
        heading: format!("#{topic}"),
        empty: tr.t("list-topic-empty"),
        tabs: vec![],
        prev: None,
        next: None,
        items: items(&views, &data, tr),
        feeds: vec![("application/atom+xml", format!("/topics/{topic}.atom"))],
    })
}

/// 200 when the database answers, 503 otherwise.
async fn http_get_healthz(data: Data<AppState>) -> HttpResponse {
    let check = db::run(&data.db, |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    })
    .await;
    match check {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "database unavailable" }))
        }
    }
}

/// A post's text in one language.
struct PostText<'a> {
    language: &'a str,
    title: &'a str,
    summary: &'a str,
    body_html: &'a str,
}

#[derive(Template)]
#[template(path = "post.html")]
struct PostPage<'a> {
    site: Site,
    /// The kind as shown.
    label: String,
    /// The post's image, from our own origin.
    image: Option<String>,
    /// The canonical address of this language's page.
    canonical: String,
    /// `@name@domain` of the author, for `fediverse:creator`.
    creator: String,
    /// What the follow form follows (the author's id), and its handle.
    follow_uri: String,
    follow_handle: String,
    json_ld: String,
    view: &'a PostView,
    kind: PostKind,
    url: String,
    account_url: String,
    text: PostText<'a>,
    /// Every language the post is available in, with its page URL.
    languages: Vec<(String, String)>,
    deadline: Option<String>,
    open: Option<bool>,
    start: Option<String>,
    end: Option<String>,
    topics: Vec<(String, String)>,
    /// An event's own iCalendar file.
    calendar_url: Option<String>,
    /// An event's place on OpenStreetMap (a link; nothing is loaded from there).
    map_url: Option<String>,
    replies: Vec<Reply>,
    counts: Counts,
}

/// An OpenStreetMap link to an event's place: its coordinates, else a search for its
/// address.
fn map_link(view: &PostView) -> Option<String> {
    let post = &view.post;
    if let (Some(latitude), Some(longitude)) = (post.location_latitude, post.location_longitude) {
        return Some(format!(
            "https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}#map=17/{latitude}/{longitude}"
        ));
    }
    let address: Vec<&str> = [
        &post.location_street,
        &post.location_postal_code,
        &post.location_locality,
        &post.location_country,
    ]
    .into_iter()
    .filter_map(|part| part.as_deref())
    .collect();
    if address.is_empty() {
        return None;
    }
    let mut url = url::Url::parse("https://www.openstreetmap.org/search").ok()?;
    url.query_pairs_mut()
        .append_pair("query", &address.join(", "));
    Some(url.to_string())
}

#[derive(serde::Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// A post's page, in the language asked with `?lang=` when there is a translation; a short
/// page with 410 once it was deleted.
async fn http_get_post(
    path: web::Path<(String, i64)>,
    query: web::Query<LangQuery>,
    data: Data<AppState>,
    tr: Tr,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let kind = PostKind::parse(&kind).ok_or_else(AppError::not_found)?;
    let view = posts::get_including_deleted(&data, kind, id).await?;
    if view.post.deleted_at.is_some() {
        return render_with_status(
            StatusCode::GONE,
            &MessagePage {
                site: Site::new(&data, data.urls.post(kind, id).path(), tr).await?,
                heading: tr.t("message-deleted"),
                message: tr.t("message-deleted-text"),
                back: None,
            },
        );
    }
    let lang = query.lang.as_deref();
    let url = data.urls.post(kind, view.post.id);
    let (replies, counts) = timeline::replies::thread(&data, &url).await?;
    let text = match lang.and_then(|l| view.translations.iter().find(|t| t.language == l)) {
        Some(t) => PostText {
            language: &t.language,
            title: &t.title,
            summary: &t.summary,
            body_html: &t.body_html,
        },
        None => PostText {
            language: &view.post.language,
            title: &view.post.title,
            summary: &view.post.summary,
            body_html: &view.post.body_html,
        },
    };
    let mut languages = vec![(view.post.language.clone(), url.to_string())];
    for t in &view.translations {
        let mut translated = url.clone();
        translated
            .query_pairs_mut()
            .append_pair("lang", &t.language);
        languages.push((t.language.clone(), translated.to_string()));
    }
    let zone = view.post.timezone.clone().unwrap_or_default();
    let with_zone = |t: LocalTime| tr.t2("when-zoned", "time", t.human(tr), "zone", &zone);
    let canonical = languages
        .iter()
        .find(|(language, _)| language == text.language)
        .map(|(_, link)| link.clone())
        .unwrap_or_else(|| url.to_string());
    let json_ld = seo::script_json(&seo::post(
        &view,
        &data.urls,
        &seo::PageText {
            language: text.language,
            title: text.title,
            summary: text.summary,
            url: &canonical,
        },
    ));
    let image = media::shown(&data, view.post.image_url.as_deref(), false).await?;
    let page = PostPage {
        site: Site::new(&data, url.path(), tr).await?,
        label: kind_label(&view, tr),
        image,
        canonical,
        creator: view.account.handle(),
        follow_uri: view.account.ap_id.to_string(),
        follow_handle: view.account.handle(),
        json_ld,
        kind,
        account_url: view
            .account
            .url
            .clone()
            .unwrap_or_else(|| view.account.ap_id.to_string()),
        url: url.to_string(),
        text,
        languages,
        deadline: view.deadline().map(with_zone),
        open: view.is_open(db::now()),
        start: view.start().map(with_zone),
        end: view.end().map(with_zone),
        topics: view
            .topics
            .iter()
            .map(|t| (t.clone(), data.urls.topic(t).to_string()))
            .collect(),
        calendar_url: (kind == PostKind::Event).then(|| format!("{url}.ics")),
        map_url: map_link(&view),
        replies,
        counts,
        view: &view,
    };
    render(&page)
}
