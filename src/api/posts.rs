//! `/api/v1/news`, `/api/v1/calls`, `/api/v1/events`: create, list, read, update, delete.

use std::collections::BTreeMap;

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::{
    api::auth::ApiUser,
    db::posts::{Filter, PostView},
    domain::{
        post::{LocationInput, PostInput, PostKind, TranslationInput},
        time::{rfc3339_utc, LocalTime},
    },
    error::{AppError, AppResult},
    i18n::Message,
    service::{posts, timeline},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/{kind}", web::post().to(create))
        .route("/api/v1/{kind}", web::get().to(list))
        .route("/api/v1/{kind}/{id}", web::get().to(read))
        .route("/api/v1/{kind}/{id}", web::put().to(update))
        .route("/api/v1/{kind}/{id}", web::delete().to(delete));
}

/// A post as the API returns it: every stored field, times in RFC 3339 with offset.
#[derive(Debug, Serialize, Deserialize)]
pub struct PostResponse {
    pub id: i64,
    pub url: String,
    #[serde(rename = "type")]
    pub post_type: PostKind,
    pub account: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
    pub language: String,
    pub topics: Vec<String>,
    pub translations: BTreeMap<String, TranslationInput>,
    pub image_url: Option<String>,
    pub image_alt: Option<String>,
    pub published: String,
    pub updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl PostResponse {
    pub fn new(view: &PostView, data: &Data<AppState>) -> PostResponse {
        let post = &view.post;
        let kind = view.kind();
        let rfc3339 = |time: Option<LocalTime>| time.map(|t| t.rfc3339());
        let has_location = post.location_name.is_some()
            || post.location_locality.is_some()
            || post.location_street.is_some();
        PostResponse {
            id: post.id,
            url: data.urls.post(kind, post.id).to_string(),
            post_type: kind,
            account: view.account.username.clone(),
            title: post.title.clone(),
            summary: post.summary.clone(),
            body: post.body.clone(),
            body_html: post.body_html.clone(),
            language: post.language.clone(),
            topics: view.topics.clone(),
            translations: view
                .translations
                .iter()
                .map(|t| {
                    (
                        t.language.clone(),
                        TranslationInput {
                            title: Some(t.title.clone()),
                            summary: Some(t.summary.clone()),
                            body: Some(t.body.clone()),
                        },
                    )
                })
                .collect(),
            image_url: post.image_url.clone(),
            image_alt: post.image_alt.clone(),
            published: rfc3339_utc(post.published),
            updated: rfc3339_utc(post.updated),
            kind: post.call_kind.clone(),
            deadline: rfc3339(view.deadline()),
            open: view.is_open(crate::db::now()),
            timezone: post.timezone.clone(),
            eligibility: post.eligibility.clone(),
            apply_url: post.apply_url.clone(),
            start: rfc3339(view.start()),
            end: rfc3339(view.end()),
            location: has_location.then(|| LocationInput {
                name: post.location_name.clone(),
                street: post.location_street.clone(),
                postal_code: post.location_postal_code.clone(),
                locality: post.location_locality.clone(),
                region: post.location_region.clone(),
                country: post.location_country.clone(),
                latitude: post.location_latitude,
                longitude: post.location_longitude,
            }),
            online_url: post.online_url.clone(),
            registration_url: post.registration_url.clone(),
            status: post.event_status.clone(),
        }
    }
}

fn kind_of(segment: &str) -> AppResult<PostKind> {
    PostKind::from_plural(segment).ok_or_else(AppError::not_found)
}

/// The request body: 400 for JSON that does not parse, 422 for the wrong shape.
fn parse_input(body: &[u8]) -> AppResult<PostInput> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            AppError::invalid("body", Message::new("error-body-shape").arg("error", e))
        } else {
            AppError::bad_request(Message::new("error-json-invalid").arg("error", e))
        }
    })
}

async fn create(
    user: ApiUser,
    kind: web::Path<String>,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let kind = kind_of(&kind)?;
    let view = posts::create(&data, &user.staff(), kind, parse_input(&body)?).await?;
    let response = PostResponse::new(&view, &data);
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, response.url.clone()))
        .json(response))
}

#[derive(Deserialize)]
struct ListQuery {
    page: Option<i64>,
    topic: Option<String>,
}

async fn list(
    _user: ApiUser,
    kind: web::Path<String>,
    query: web::Query<ListQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let kind = kind_of(&kind)?;
    let page = query.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(AppError::bad_request("error-page-from-one"));
    }
    let views = posts::list(&data, kind, Filter::All, query.topic.clone(), page).await?;
    let items: Vec<PostResponse> = views.iter().map(|v| PostResponse::new(v, &data)).collect();
    let next = (items.len() as i64 == posts::PAGE_SIZE).then_some(page + 1);
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "items": items, "page": page, "next_page": next })))
}

async fn read(
    _user: ApiUser,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let view = posts::get(&data, kind, id).await?;
    let (replies, counts) = timeline::replies::thread(&data, &data.urls.post(kind, id)).await?;
    let mut body = serde_json::to_value(PostResponse::new(&view, &data))
        .map_err(|e| AppError::other(e.into()))?;
    body["replies"] = serde_json::json!(replies);
    body["counts"] = serde_json::json!(counts);
    Ok(HttpResponse::Ok().json(body))
}

async fn update(
    user: ApiUser,
    path: web::Path<(String, i64)>,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    let view = posts::update(&data, &user.staff(), kind, id, parse_input(&body)?).await?;
    Ok(HttpResponse::Ok().json(PostResponse::new(&view, &data)))
}

async fn delete(
    user: ApiUser,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind)?;
    posts::delete(&data, &user.staff(), kind, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
