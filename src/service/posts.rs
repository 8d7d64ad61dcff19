//! Publishing news, calls and events: validate, store, and tell followers (the network
//! layer turns each change into Create, Update or Delete in the same transaction).

use crate::{
    db::{
        self,
        actors::DbActor,
        posts::{DbPost, DbPostForm, DbTranslation, Filter, PostView},
    },
    domain::post::{PostInput, PostKind, ValidPost},
    error::{AppError, AppResult, ErrorKind},
    i18n::Message,
    i18n::Tr,
    service::{
        accounts, audit, markdown, media,
        network::{self, Outbound},
        timeline,
        users::{self, Staff},
    },
    state::AppState,
    urls::Urls,
};

/// Posts on one page of a list.
pub const PAGE_SIZE: i64 = 20;

fn validate(kind: PostKind, input: &PostInput) -> AppResult<ValidPost> {
    input
        .validate(kind)
        .map_err(|fields| ErrorKind::Validation(fields).into())
}

/// The account a post is published as: `account` from the input, else the instance's.
async fn publishing_account(data: &AppState, input: &PostInput) -> AppResult<DbActor> {
    match accounts::by_name_or_default(data, input.account.as_deref()).await {
        Ok(account) => Ok(account),
        Err(e) if matches!(e.kind, ErrorKind::BadRequest(_)) => {
            Err(AppError::invalid("account", "error-no-local-account-named"))
        }
        Err(e) => Err(e),
    }
}

/// The row and children for a valid post: Markdown rendered and cleaned, hashtags of every
/// text added to the topics.
fn form(
    account_id: i64,
    valid: &ValidPost,
    urls: &Urls,
) -> AppResult<(DbPostForm, Vec<DbTranslation>, Vec<String>)> {
    let now = db::now();
    let mut topics = valid.topics.clone();
    let mut add_hashtags = |text: &str| {
        for tag in markdown::hashtags(text) {
            if !topics.contains(&tag) {
                topics.push(tag);
            }
        }
    };
    add_hashtags(&valid.body);
    for t in &valid.translations {
        add_hashtags(&t.body);
    }
    let utc = |t: &crate::domain::time::LocalTime| {
        t.utc()
            .map(|u| db::truncate(u.naive_utc()))
            .map_err(|e| AppError::invalid("timezone", e))
    };
    let call = valid.call.as_ref();
    let event = valid.event.as_ref();
    let location = event.and_then(|e| e.location.as_ref());
    let form = DbPostForm {
        account_id,
        kind: valid.kind.as_str().to_string(),
        title: valid.title.clone(),
        summary: valid.summary.clone(),
        body: valid.body.clone(),
        body_html: markdown::render(&valid.body, urls),
        language: valid.language.clone(),
        image_url: valid.image_url.clone(),
        image_alt: valid.image_alt.clone(),
        call_kind: call.map(|c| c.kind.clone()),
        timezone: call
            .map(|c| c.deadline.zone.name().to_string())
            .or_else(|| event.map(|e| e.start.zone.name().to_string())),
        deadline_local: call.map(|c| c.deadline.local_string()),
        deadline_utc: call.map(|c| utc(&c.deadline)).transpose()?,
        eligibility: call.and_then(|c| c.eligibility.clone()),
        apply_url: call.and_then(|c| c.apply_url.clone()),
        start_local: event.map(|e| e.start.local_string()),
        start_utc: event.map(|e| utc(&e.start)).transpose()?,
        end_local: event.map(|e| e.end.local_string()),
        end_utc: event.map(|e| utc(&e.end)).transpose()?,
        location_name: location.and_then(|l| l.name.clone()),
        location_street: location.and_then(|l| l.street.clone()),
        location_postal_code: location.and_then(|l| l.postal_code.clone()),
        location_locality: location.and_then(|l| l.locality.clone()),
        location_region: location.and_then(|l| l.region.clone()),
        location_country: location.and_then(|l| l.country.clone()),
        location_latitude: location.and_then(|l| l.latitude),
        location_longitude: location.and_then(|l| l.longitude),
        online_url: event.and_then(|e| e.online_url.clone()),
        registration_url: event.and_then(|e| e.registration_url.clone()),
        event_status: event.map(|e| e.status.clone()),
        updated: now,
    };
    let translations = valid
        .translations
        .iter()
        .map(|t| DbTranslation {
            post_id: 0,
            language: t.language.clone(),
            title: t.title.clone(),
            summary: t.summary.clone(),
            body: t.body.clone(),
            body_html: markdown::render(&t.body, urls),
        })
        .collect();
    Ok((form, translations, topics))
}

/// What a post would look like, without storing or sending anything: the same validation
/// and rendering as `create`, for the panel's preview. `account` is checked as in `create`.
pub async fn preview(
    data: &AppState,
    staff: &Staff,
    kind: PostKind,
    input: PostInput,
) -> AppResult<PostView> {
    let valid = validate(kind, &input)?;
    let account = publishing_account(data, &input).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let (form, translations, topics) = form(account.id, &valid, &data.urls)?;
    Ok(PostView {
        post: unsaved(form),
        account,
        translations,
        topics,
    })
}

/// The row a form would become (id 0, published now).
fn unsaved(form: DbPostForm) -> DbPost {
    DbPost {
        id: 0,
        account_id: form.account_id,
        kind: form.kind,
        title: form.title,
        summary: form.summary,
        body: form.body,
        body_html: form.body_html,
        language: form.language,
        image_url: form.image_url,
        image_alt: form.image_alt,
        call_kind: form.call_kind,
        timezone: form.timezone,
        deadline_local: form.deadline_local,
        deadline_utc: form.deadline_utc,
        eligibility: form.eligibility,
        apply_url: form.apply_url,
        start_local: form.start_local,
        start_utc: form.start_utc,
        end_local: form.end_local,
        end_utc: form.end_utc,
        location_name: form.location_name,
        location_street: form.location_street,
        location_postal_code: form.location_postal_code,
        location_locality: form.location_locality,
        location_region: form.location_region,
        location_country: form.location_country,
        location_latitude: form.location_latitude,
        location_longitude: form.location_longitude,
        online_url: form.online_url,
        registration_url: form.registration_url,
        event_status: form.event_status,
        published: form.updated,
        updated: form.updated,
        deleted_at: None,
    }
}

pub async fn create(
    data: &AppState,
    staff: &Staff,
    kind: PostKind,
    input: PostInput,
) -> AppResult<PostView> {
    let valid = validate(kind, &input)?;
    let account = publishing_account(data, &input).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let (form, translations, topics) = form(account.id, &valid, &data.urls)?;
    let published = form.updated;
    let (staff, urls) = (staff.clone(), data.urls.clone());
    let id = network::commit(data, move |conn| {
        let post_id = db::posts::insert(conn, &form, published, &translations, &topics)?;
        media::register_shown(conn, &urls, form.image_url.as_deref())?;
        audit::record(
            conn,
            &staff,
            "post.create",
            urls.post(kind, post_id).as_str(),
            "",
        )?;
        Ok((post_id, vec![Outbound::PostCreated { post_id }]))
    })
    .await?;
    timeline::changed(data);
    let view = get_any(data, id).await?;
    tracing::info!(kind = kind.as_str(), id, account = %account.handle(), "published");
    Ok(view)
}

pub async fn update(
    data: &AppState,
    staff: &Staff,
    kind: PostKind,
    id: i64,
    input: PostInput,
) -> AppResult<PostView> {
    let existing = get(data, kind, id).await?;
    users::check_may_publish_as(data, staff, &existing.account).await?;
    let valid = validate(kind, &input)?;
    if let Some(name) = &input.account {
        if name != &existing.account.username {
            return Err(AppError::invalid(
                "account",
                "error-post-cannot-change-account",
            ));
        }
    }
    let (form, translations, topics) = form(existing.account.id, &valid, &data.urls)?;
    let (staff, target, urls) = (
        staff.clone(),
        data.urls.post(kind, id).to_string(),
        data.urls.clone(),
    );
    network::commit(data, move |conn| {
        db::posts::update(conn, id, &form, &translations, &topics)?;
        media::register_shown(conn, &urls, form.image_url.as_deref())?;
        audit::record(conn, &staff, "post.update", &target, "")?;
        Ok(((), vec![Outbound::PostUpdated { post_id: id }]))
    })
    .await?;
    timeline::changed(data);
    get_any(data, id).await
}

/// Deletes a post: its URL answers 410 with a Tombstone, and followers get `Delete`.
pub async fn delete(data: &AppState, staff: &Staff, kind: PostKind, id: i64) -> AppResult<()> {
    let existing = get(data, kind, id).await?;
    users::check_may_publish_as(data, staff, &existing.account).await?;
    let (staff, target) = (staff.clone(), data.urls.post(kind, id).to_string());
    network::commit(data, move |conn| {
        // A delete that lost a race with another one tells nobody twice.
        let deleted = db::posts::mark_deleted(conn, id, db::now())?;
        if deleted > 0 {
            audit::record(conn, &staff, "post.delete", &target, "")?;
        }
        let events = (deleted > 0)
            .then_some(Outbound::PostDeleted { post_id: id })
            .into_iter()
            .collect();
        Ok(((), events))
    })
    .await?;
    timeline::changed(data);
    Ok(())
}

/// How many times posts changed: renderings of posts cached at this count are current.
pub async fn changes(data: &AppState) -> AppResult<i64> {
    db::run(&data.db, |conn| Ok(db::posts::changes(conn)?)).await
}

/// A post whatever its state.
async fn get_any(data: &AppState, id: i64) -> AppResult<PostView> {
    db::run(&data.db, move |conn| {
        db::posts::get(conn, id)?.ok_or_else(AppError::not_found)
    })
    .await
}

/// A live post of `kind` (404 when there is none, 410 when it was deleted).
pub async fn get(data: &AppState, kind: PostKind, id: i64) -> AppResult<PostView> {
    let view = get_any(data, id).await?;
    if view.post.kind != kind.as_str() {
        return Err(AppError::not_found());
    }
    if view.post.deleted_at.is_some() {
        return Err(ErrorKind::Gone.into());
    }
    Ok(view)
}

/// A post of `kind` including deleted ones (for Tombstones).
pub async fn get_including_deleted(
    data: &AppState,
    kind: PostKind,
    id: i64,
) -> AppResult<PostView> {
    let view = get_any(data, id).await?;
    if view.post.kind != kind.as_str() {
        return Err(AppError::not_found());
    }
    Ok(view)
}

/// One page (from 1) of live posts of `kind`.
pub async fn list(
    data: &AppState,
    kind: PostKind,
    filter: Filter,
    topic: Option<String>,
    page: i64,
) -> AppResult<Vec<PostView>> {
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    list_range(data, kind, filter, topic, PAGE_SIZE, offset).await
}

/// The first `limit` live posts of `kind` (feeds, the home page).
pub async fn latest(
    data: &AppState,
    kind: PostKind,
    filter: Filter,
    topic: Option<String>,
    limit: i64,
) -> AppResult<Vec<PostView>> {
    list_range(data, kind, filter, topic, limit, 0).await
}

/// How many items an embedded list shows unless asked, and at most.
pub const EMBED_DEFAULT: i64 = 10;
pub const EMBED_MAX: i64 = 50;

/// What an embedded list asks for: `?topic=…&limit=…`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct EmbedQuery {
    pub topic: Option<String>,
    pub limit: Option<i64>,
}

impl EmbedQuery {
    /// The topic as stored (a slug), when one is asked for.
    pub fn topic(&self) -> Option<String> {
        self.topic.as_deref().map(crate::domain::post::topic_slug)
    }
}

/// What a municipal website embeds (`/embed/…`): the upcoming events or open calls, on one
/// topic when given, soonest first.
pub async fn embedded(
    data: &AppState,
    kind: PostKind,
    query: &EmbedQuery,
) -> AppResult<Vec<PostView>> {
    if kind == PostKind::News {
        return Err(AppError::not_found());
    }
    let limit = query.limit.unwrap_or(EMBED_DEFAULT);
    if !(1..=EMBED_MAX).contains(&limit) {
        return Err(AppError::bad_request(
            Message::new("error-embed-limit-range").count("max", EMBED_MAX),
        ));
    }
    let topic = match query.topic() {
        Some(slug) if slug.is_empty() => return Err(AppError::bad_request("error-unknown-topic")),
        topic => topic,
    };
    latest(data, kind, Filter::Upcoming(db::now()), topic, limit).await
}

async fn list_range(
    data: &AppState,
    kind: PostKind,
    filter: Filter,
    topic: Option<String>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<PostView>> {
    db::run(&data.db, move |conn| {
        Ok(db::posts::list(
            conn,
            kind.as_str(),
            filter,
            topic.as_deref(),
            limit,
            offset,
        )?)
    })
    .await
}

/// The most URLs one sitemap file may list.
pub const SITEMAP_MAX: i64 = 50_000;

/// Every live post (kind, id, last change as a W3C date), newest first: what a sitemap lists.
pub async fn index(data: &AppState) -> AppResult<Vec<(PostKind, i64, String)>> {
    let rows = db::run(&data.db, |conn| {
        Ok(db::posts::live_index(conn, SITEMAP_MAX)?)
    })
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, id, updated)| {
            let kind = PostKind::parse(&kind)?;
            Some((kind, id, updated.format("%Y-%m-%dT%H:%M:%SZ").to_string()))
        })
        .collect())
}

/// Every live post with a topic, newest first.
pub async fn with_topic(data: &AppState, topic: &str, limit: i64) -> AppResult<Vec<PostView>> {
    let mut all = vec![];
    for kind in [PostKind::News, PostKind::Call, PostKind::Event] {
        all.extend(latest(data, kind, Filter::All, Some(topic.to_string()), limit).await?);
    }
    all.sort_by(|a, b| {
        b.post
            .published
            .cmp(&a.post.published)
            .then(b.post.id.cmp(&a.post.id))
    });
    all.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(all)
}

/// A call's kind as shown: "Grant", "Tender"…, else "Call".
pub fn call_label(view: &PostView, tr: Tr) -> String {
    tr.t1(
        "call-kind",
        "kind",
        view.post.call_kind.as_deref().unwrap_or("other"),
    )
}

/// The plain-language lines that say when and where, for summaries and notes.
pub fn when_and_where(view: &PostView, tr: Tr) -> Vec<String> {
    let post = &view.post;
    let zone = post.timezone.clone().unwrap_or_default();
    let mut lines = vec![];
    match view.kind() {
        PostKind::Call => {
            let kind = call_label(view, tr);
            if let Some(deadline) = view.deadline() {
                lines.push(tr.with(
                    "when-deadline",
                    vec![
                        ("kind".into(), kind.into()),
                        ("deadline".into(), deadline.human(tr).into()),
                        ("zone".into(), zone.into()),
                    ],
                ));
            }
        }
        PostKind::Event => {
            if let (Some(start), Some(end)) = (view.start(), view.end()) {
                let end_text = if start.local.date() == end.local.date() {
                    tr.local("format-time", &end.local)
                } else {
                    end.human(tr)
                };
                lines.push(tr.with(
                    "when-span",
                    vec![
                        ("start".into(), start.human(tr).into()),
                        ("end".into(), end_text.into()),
                        ("zone".into(), zone.into()),
                    ],
                ));
            }
            let place: Vec<&str> = [
                &post.location_name,
                &post.location_locality,
                &post.location_country,
            ]
            .into_iter()
            .filter_map(|v| v.as_deref())
            .collect();
            if !place.is_empty() {
                lines.push(place.join(", "));
            }
            if post.online_url.is_some() {
                lines.push(tr.t("when-online"));
            }
            match post.event_status.as_deref() {
                Some("cancelled") => lines.insert(0, tr.t("event-cancelled")),
                Some("postponed") => lines.insert(0, tr.t("event-postponed")),
                Some("moved_online") => lines.insert(0, tr.t("event-moved-online")),
                _ => {}
            }
        }
        PostKind::News => {}
    }
    lines
}
