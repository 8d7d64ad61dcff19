//! Publishing news, calls and events: validate, store, and federate (Create, Update,
//! Delete to every follower inbox through the delivery queue).

use activitypub_federation::config::Data;

use crate::{
    db::{
        self,
        actors::DbActor,
        posts::{DbPostForm, DbTranslation, Filter, PostView},
    },
    domain::{
        markdown,
        post::{PostInput, PostKind, ValidPost},
    },
    error::{AppError, AppResult, ErrorKind},
    federation::{delivery, objects::post as apub},
    service::accounts,
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
async fn publishing_account(data: &Data<AppState>, input: &PostInput) -> AppResult<DbActor> {
    match accounts::by_name_or_default(data, input.account.as_deref()).await {
        Ok(account) => Ok(account),
        Err(e) if matches!(e.kind, ErrorKind::BadRequest(_)) => Err(AppError::invalid(
            "account",
            "there is no local account with that name",
        )),
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

/// Sends `verb` (Create or Update) of the post to every follower of its account.
async fn federate(data: &Data<AppState>, view: &PostView, verb: &str) -> AppResult<()> {
    let id = data.urls.new_activity();
    let object = apub::post_json(view, &data.urls, data.settings.federation.publish_as);
    let activity = apub::create_or_update(verb, &id, object);
    send_to_followers(data, &view.account, &activity, &id, verb).await
}

async fn send_to_followers(
    data: &Data<AppState>,
    account: &DbActor,
    activity: &serde_json::Value,
    id: &url::Url,
    verb: &str,
) -> AppResult<()> {
    let account_id = account.id;
    let inboxes = db::run(&data.db, move |conn| {
        Ok(db::follows::follower_inboxes(conn, account_id)?)
    })
    .await?;
    delivery::send(data, account, activity, id, verb, inboxes, true).await?;
    Ok(())
}

pub async fn create(
    data: &Data<AppState>,
    kind: PostKind,
    input: PostInput,
) -> AppResult<PostView> {
    let valid = validate(kind, &input)?;
    let account = publishing_account(data, &input).await?;
    let (form, translations, topics) = form(account.id, &valid, &data.urls)?;
    let published = form.updated;
    let id = db::run(&data.db, move |conn| {
        Ok(db::posts::insert(
            conn,
            &form,
            published,
            &translations,
            &topics,
        )?)
    })
    .await?;
    let view = get_any(data, id).await?;
    federate(data, &view, "Create").await?;
    tracing::info!(kind = kind.as_str(), id, account = %account.handle(), "published");
    Ok(view)
}

pub async fn update(
    data: &Data<AppState>,
    kind: PostKind,
    id: i64,
    input: PostInput,
) -> AppResult<PostView> {
    let existing = get(data, kind, id).await?;
    let valid = validate(kind, &input)?;
    if let Some(name) = &input.account {
        if name != &existing.account.username {
            return Err(AppError::invalid(
                "account",
                "a post cannot move to another account",
            ));
        }
    }
    let (form, translations, topics) = form(existing.account.id, &valid, &data.urls)?;
    db::run(&data.db, move |conn| {
        Ok(db::posts::update(conn, id, &form, &translations, &topics)?)
    })
    .await?;
    let view = get_any(data, id).await?;
    federate(data, &view, "Update").await?;
    Ok(view)
}

/// Deletes a post: its URL answers 410 with a Tombstone, and followers get `Delete`.
pub async fn delete(data: &Data<AppState>, kind: PostKind, id: i64) -> AppResult<()> {
    get(data, kind, id).await?;
    db::run(&data.db, move |conn| {
        Ok(db::posts::mark_deleted(conn, id, db::now())?)
    })
    .await?;
    let view = get_any(data, id).await?;
    let activity_id = data.urls.new_activity();
    let activity = apub::delete(&activity_id, &view, &data.urls);
    send_to_followers(data, &view.account, &activity, &activity_id, "Delete").await
}

/// A post whatever its state.
async fn get_any(data: &Data<AppState>, id: i64) -> AppResult<PostView> {
    db::run(&data.db, move |conn| {
        db::posts::get(conn, id)?.ok_or_else(AppError::not_found)
    })
    .await
}

/// A live post of `kind` (404 when there is none, 410 when it was deleted).
pub async fn get(data: &Data<AppState>, kind: PostKind, id: i64) -> AppResult<PostView> {
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
    data: &Data<AppState>,
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
    data: &Data<AppState>,
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
    data: &Data<AppState>,
    kind: PostKind,
    filter: Filter,
    topic: Option<String>,
    limit: i64,
) -> AppResult<Vec<PostView>> {
    list_range(data, kind, filter, topic, limit, 0).await
}

async fn list_range(
    data: &Data<AppState>,
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
