//! Federation endpoints: actors, inboxes, collections, WebFinger, host-meta and NodeInfo.
//! Actor and post URLs are shared with the pages: these routes answer the requests that
//! ask for ActivityStreams JSON (a guard), and the pages answer the rest.

use activitypub_federation::{config::Data, error::Error as FederationError, traits::Activity};
use actix_web::{
    guard,
    http::header::{self, ContentType},
    web, HttpRequest, HttpResponse, ResponseError,
};
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use crate::{
    db::{self, actors::DbActor, follows},
    domain::{account_name::INSTANCE_ACTOR_NAME, post::PostKind},
    error::{AppError, AppResult, ErrorKind},
    federation::objects::post as post_apub,
    federation::{
        activities::{forwarded, InboxActivity, HANDLED_TYPES},
        guard::check_remote_url,
        lenient,
        objects::actor::local_actor_json,
        rfc9421, signatures, to_json, wants_activity_json, with_context, ACTIVITY_JSON,
    },
    i18n::Message,
    service::{accounts, domains, instance, posts, relays, timeline},
    state::AppState,
    urls::{host_and_port, Urls},
};

/// Items on one page of a collection.
const PAGE_SIZE: i64 = 40;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/.well-known/webfinger", web::get().to(http_get_webfinger))
        .route("/.well-known/host-meta", web::get().to(http_get_host_meta))
        .route(
            "/.well-known/nodeinfo",
            web::get().to(http_get_nodeinfo_links),
        )
        .route("/nodeinfo/{version}", web::get().to(http_get_nodeinfo))
        .route("/actor", web::get().to(http_get_instance_actor))
        .route("/actor/inbox", web::post().to(http_post_inbox))
        .route("/actor/outbox", web::get().to(http_get_instance_outbox))
        .route("/inbox", web::post().to(http_post_inbox))
        .route("/users/{name}", as_json().to(http_get_actor))
        .route("/@{name}", as_json().to(http_get_actor))
        .route(
            "/users/{name}/inbox",
            web::post().to(http_post_account_inbox),
        )
        .route("/users/{name}/outbox", web::get().to(http_get_outbox))
        .route("/users/{name}/followers", web::get().to(http_get_followers))
        .route("/users/{name}/following", web::get().to(http_get_following))
        .route(
            "/{kind:news|calls|events}/{id:\\d+}",
            as_json().to(http_get_post),
        );
}

/// A GET route for clients that ask for ActivityStreams JSON.
fn as_json() -> actix_web::Route {
    web::get().guard(guard::fn_guard(|ctx| {
        wants_activity_json(ctx.head().headers())
    }))
}

/// An AS2 document with the ActivityPub content type.
pub fn activity_json(document: Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ACTIVITY_JSON)
        .insert_header((header::VARY, "Accept"))
        .json(document)
}

async fn http_get_actor(
    req: HttpRequest,
    name: web::Path<String>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let account = accounts::by_name(&data, &name).await?;
    signatures::require_authorized_fetch(&req, &data).await?;
    Ok(activity_json(with_context(to_json(&local_actor_json(
        &account,
    )?)?)))
}

async fn http_get_instance_actor(data: Data<AppState>) -> AppResult<HttpResponse> {
    let actor = accounts::instance_actor(&data).await?;
    Ok(activity_json(with_context(to_json(&local_actor_json(
        &actor,
    )?)?)))
}

async fn http_post_account_inbox(
    req: HttpRequest,
    name: web::Path<String>,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    accounts::by_name(&data, &name).await?;
    http_post_inbox(req, body, data).await
}

/// Checks in the order that costs least: room to store it (503 with `Retry-After` while the
/// write queue is nearly full); body size (413, by the payload limit); a signature
/// over the right headers, for this host, fresh (401, before the body is read); JSON (400);
/// the key on the actor's host (401); blocked domain (403); activity type (202 and ignored
/// when we do not act on it); then the signer's key is fetched or read and the signature
/// verified (401) before the activity takes effect (202).
async fn http_post_inbox(
    req: HttpRequest,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let mut kind = "unknown";
    let received = receive_posted(&req, &body, &data, &mut kind).await;
    let outcome = match &received {
        Ok(_) => "accepted",
        Err(e) if matches!(e.kind, ErrorKind::Busy(_)) => "busy",
        Err(e) if e.status_code().is_client_error() => "refused",
        Err(_) => "failed",
    };
    data.metrics.inbox_activity(kind, outcome);
    received
}

/// The type label of an activity: one of the types acted on, else `other` (the label's
/// values stay few whatever senders write).
fn type_label(document: &Value) -> &'static str {
    let kind = document.get("type").and_then(Value::as_str);
    HANDLED_TYPES
        .iter()
        .find(|handled| Some(**handled) == kind)
        .copied()
        .unwrap_or("other")
}

/// What the inbox does with a POST; `kind` is set to the activity's type label once the
/// body is read.
async fn receive_posted(
    req: &HttpRequest,
    body: &web::Bytes,
    data: &Data<AppState>,
    kind: &mut &'static str,
) -> AppResult<HttpResponse> {
    if data.writer.is_saturated() {
        return Err(AppError::busy("error-busy-storing"));
    }
    let max_age = data.settings.federation.signature_max_age_secs;
    // RFC 9421 when the sender signed that way, else draft-cavage.
    let message_signature = if rfc9421::is_signed(req) {
        Some(rfc9421::precheck(
            req,
            Some(body),
            data.urls.base(),
            max_age,
        )?)
    } else {
        None
    };
    let key_id = match &message_signature {
        Some(signed) => signed.key_id.clone(),
        None => {
            let key_id = signatures::precheck(req, &data.urls.domain(), max_age)?;
            signatures::check_digest(req, body)?;
            key_id
        }
    };
    let document: Value = serde_json::from_slice(body)
        .map_err(|e| AppError::bad_request(Message::new("error-json-invalid").arg("error", e)))?;
    if !document.is_object() {
        return Err(AppError::bad_request("error-activity-not-object"));
    }
    *kind = type_label(&document);
    let actor = document
        .get("actor")
        .and_then(lenient::id_of)
        .ok_or_else(|| AppError::bad_request("error-activity-no-actor"))?;
    if let Err(not_the_actor) = signatures::check_key_owner(&key_id, &actor) {
        // Mastodon-style relays forward what their members send, signed by the relay.
        let signer = signatures::key_owner(&key_id);
        if !relays::is_accepted_relay(data, &signer).await? {
            return Err(not_the_actor);
        }
        if domains::refuses_actor(data, &signer).await? {
            return Err(AppError::forbidden("error-domain-refused"));
        }
        let (message, signature) = signed_message(req, data, message_signature)?;
        signatures::verified_signer(data, &signer, message.as_bytes(), &signature, unverified)
            .await?;
        forwarded::receive(data, &signer, &document).await?;
        return Ok(HttpResponse::Accepted().finish());
    }
    if domains::refuses_actor(data, &actor).await? {
        return Err(AppError::forbidden("error-actor-refused"));
    }
    let kind = document
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !HANDLED_TYPES.contains(&kind) {
        tracing::debug!(kind, %actor, "activity type not acted on");
        return Ok(HttpResponse::Accepted().finish());
    }
    let deletes_itself = kind == "Delete"
        && document.get("object").and_then(lenient::id_of).as_ref() == Some(&actor);
    if deletes_itself && !is_known(data, &actor).await? {
        // An account we never heard of is gone: nothing to do, and nothing to fetch (its
        // document answers 410, and a 401 would have the sender retry for days). One we
        // know is verified with its stored key; a stale copy whose document now answers
        // 410 is dropped by the library and still verifies.
        return Ok(HttpResponse::Accepted().finish());
    }
    let (message, signature) = signed_message(req, data, message_signature)?;
    receive_signed(data, &actor, message.as_bytes(), &signature, document).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// What was signed and the signature: RFC 9421's signature base, else draft-cavage's signing
/// string (which must cover the digest).
fn signed_message(
    req: &HttpRequest,
    data: &AppState,
    message_signature: Option<rfc9421::MessageSignature>,
) -> AppResult<(String, Vec<u8>)> {
    match message_signature {
        Some(signed) => Ok((signed.base, signed.signature)),
        None => signatures::cavage_message(req, data, &["digest"]),
    }
}

/// What a sender is told when its signer cannot be fetched or its signature does not verify:
/// nothing it sent can be believed. Never 5xx (senders retry those for days) unless the
/// fault is ours (the database); the detail goes to our log only.
fn unverified(e: AppError) -> AppError {
    match &e.kind {
        ErrorKind::Federation(FederationError::ParseReceivedActivity { .. }) => e,
        ErrorKind::Forbidden(_) | ErrorKind::BadRequest(_) => e,
        ErrorKind::Federation(FederationError::ObjectDeleted(_)) => {
            AppError::unauthorized("error-signer-deleted")
        }
        ErrorKind::Db(_) | ErrorKind::Pool(_) | ErrorKind::Other(_) | ErrorKind::Busy(_) => e,
        _ => {
            tracing::info!(error = %e, "activity refused before verification");
            AppError::unauthorized("error-signature-unverifiable")
        }
    }
}

/// Checks the activity as activitypub_federation does before it fetches anything (its id
/// on its actor's domain, not ours, not blocked), then verifies the signature (RFC 9421's
/// base or draft-cavage's signing string) with the actor's key through aws-lc (the key is
/// fetched again once when it no longer verifies: it may have been rotated), and lets the
/// activity take effect.
async fn receive_signed(
    data: &Data<AppState>,
    actor: &Url,
    message: &[u8],
    signature: &[u8],
    document: Value,
) -> AppResult<()> {
    let activity: InboxActivity = serde_json::from_value(document).map_err(|e| {
        AppError::bad_request(Message::new("error-activity-unreadable").arg("error", e))
    })?;
    let id = activity.id();
    if host_and_port(id) != host_and_port(activity.actor()) {
        return Err(AppError::bad_request("error-activity-id-elsewhere"));
    }
    if data.urls.is_local(id) {
        return Err(AppError::bad_request("error-activity-claims-local-id"));
    }
    check_remote_url(&data.settings, id).map_err(|e| AppError::bad_request(e.0))?;
    if domains::is_blocked(data, &host_and_port(id)).await? {
        return Err(AppError::forbidden("error-domain-refused"));
    }
    signatures::verified_signer(data, actor, message, signature, unverified).await?;
    activity.verify(data).await?;
    activity.receive(data).await
}

async fn is_known(data: &Data<AppState>, actor: &Url) -> AppResult<bool> {
    let key = actor.to_string();
    db::run(&data.db, move |conn| {
        Ok(db::actors::by_ap_id(conn, &key)?.is_some())
    })
    .await
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

/// An `OrderedCollection`, or with `?page=N` its N-th `OrderedCollectionPage`.
fn ordered_collection(id: &Url, total: i64, page: Option<i64>, items: Vec<Value>) -> Value {
    let last_page = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    match page {
        None => json!({
            "id": id,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": Urls::collection_page(id, 1),
            "last": Urls::collection_page(id, last_page),
        }),
        Some(n) => {
            let mut page = json!({
                "id": Urls::collection_page(id, n),
                "type": "OrderedCollectionPage",
                "partOf": id,
                "totalItems": total,
                "orderedItems": items,
            });
            if n < last_page {
                page["next"] = json!(Urls::collection_page(id, n + 1));
            }
            if n > 1 {
                page["prev"] = json!(Urls::collection_page(id, n - 1));
            }
            page
        }
    }
}

fn page_number(query: &PageQuery) -> AppResult<Option<i64>> {
    match query.page {
        Some(n) if !(1..=1_000_000).contains(&n) => {
            Err(AppError::bad_request("error-page-from-one"))
        }
        other => Ok(other),
    }
}

/// Loads one page of a collection: `load(limit, offset)` runs only when a page is asked for.
async fn collection<F>(
    data: &Data<AppState>,
    id: Url,
    query: &PageQuery,
    count: impl FnOnce(&mut db::AnyConnection) -> diesel::QueryResult<i64> + Send + 'static,
    load: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut db::AnyConnection, i64, i64) -> diesel::QueryResult<Vec<Value>> + Send + 'static,
{
    let page = page_number(query)?;
    let (total, items) = db::run(&data.db, move |conn| {
        let total = count(conn)?;
        let items = match page {
            Some(n) => load(conn, PAGE_SIZE, (n - 1) * PAGE_SIZE)?,
            None => vec![],
        };
        Ok((total, items))
    })
    .await?;
    Ok(activity_json(with_context(ordered_collection(
        &id, total, page, items,
    ))))
}

async fn http_get_followers(
    req: HttpRequest,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let account = accounts::by_name(&data, &name).await?;
    signatures::require_authorized_fetch(&req, &data).await?;
    let id = account.id;
    collection(
        &data,
        data.urls.followers(&account.username),
        &query,
        move |conn| follows::count_followers(conn, id, follows::ACCEPTED),
        move |conn, limit, offset| {
            Ok(
                follows::followers(conn, id, follows::ACCEPTED, limit, offset)?
                    .into_iter()
                    .map(|a| json!(a.ap_id.as_str()))
                    .collect(),
            )
        },
    )
    .await
}

async fn http_get_following(
    req: HttpRequest,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let account = accounts::by_name(&data, &name).await?;
    signatures::require_authorized_fetch(&req, &data).await?;
    let id = account.id;
    collection(
        &data,
        data.urls.following(&account.username),
        &query,
        move |conn| follows::count_following(conn, id, follows::ACCEPTED),
        move |conn, limit, offset| {
            Ok(
                follows::following(conn, id, Some(follows::ACCEPTED), limit, offset)?
                    .into_iter()
                    .map(|(_, a)| json!(a.ap_id.as_str()))
                    .collect(),
            )
        },
    )
    .await
}

async fn outbox(
    data: &Data<AppState>,
    actor: DbActor,
    id: Url,
    query: &PageQuery,
) -> AppResult<HttpResponse> {
    let actor_id = actor.id;
    collection(
        data,
        id,
        query,
        move |conn| db::activities::count_outbox(conn, actor_id),
        move |conn, limit, offset| {
            Ok(db::activities::outbox(conn, actor_id, limit, offset)?
                .into_iter()
                .filter_map(|a| serde_json::from_str::<Value>(&a.payload).ok())
                .map(|mut activity| {
                    if let Some(fields) = activity.as_object_mut() {
                        fields.remove("@context");
                    }
                    activity
                })
                .collect())
        },
    )
    .await
}

async fn http_get_outbox(
    req: HttpRequest,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let account = accounts::by_name(&data, &name).await?;
    signatures::require_authorized_fetch(&req, &data).await?;
    let id = data.urls.outbox(&account.username);
    outbox(&data, account, id, &query).await
}

async fn http_get_instance_outbox(
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let actor = accounts::instance_actor(&data).await?;
    let id = data.urls.instance_actor_outbox();
    outbox(&data, actor, id, &query).await
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: Option<String>,
}

/// The local actor a WebFinger resource names: `acct:name@domain`, `name@domain`, or the
/// actor's URL.
async fn webfinger_actor(data: &Data<AppState>, resource: &str) -> AppResult<DbActor> {
    let name = if resource.starts_with("https://") || resource.starts_with("http://") {
        let url = Url::parse(resource).map_err(|e| {
            AppError::bad_request(Message::new("error-resource-invalid").arg("error", e))
        })?;
        if url == data.urls.instance_actor() {
            INSTANCE_ACTOR_NAME.to_string()
        } else {
            let actor = accounts::local_by_ap_id(data, &url).await;
            return match actor {
                Ok(actor) => Ok(actor),
                Err(_) => {
                    let path = url.path().to_string();
                    let name = path.strip_prefix("/@").ok_or_else(AppError::not_found)?;
                    accounts::by_name(data, name).await
                }
            };
        }
    } else {
        let handle = super::webfinger::parse_handle(resource)
            .ok_or_else(|| AppError::bad_request("error-resource-form"))?;
        if handle.host != data.urls.domain() {
            return Err(AppError::not_found());
        }
        handle.name.to_ascii_lowercase()
    };
    if name == INSTANCE_ACTOR_NAME {
        return accounts::instance_actor(data).await;
    }
    accounts::by_name(data, &name).await
}

async fn http_get_webfinger(
    query: web::Query<WebfingerQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let resource = query
        .resource
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| AppError::bad_request("error-resource-required"))?;
    let actor = webfinger_actor(&data, resource.trim()).await?;
    let mut aliases = vec![json!(actor.ap_id.as_str())];
    let mut links = vec![json!({
        "rel": "self",
        "type": ACTIVITY_JSON,
        "href": actor.ap_id.as_str(),
    })];
    if let Some(url) = &actor.url {
        if url != actor.ap_id.as_str() {
            aliases.push(json!(url));
        }
        links.insert(
            0,
            json!({ "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": url }),
        );
    }
    links.push(json!({
        "rel": super::webfinger::SUBSCRIBE_REL,
        // Staff of this account follow from its page in the panel.
        "template": format!(
            "{}authorize_interaction?account={}&uri={{uri}}",
            data.urls.base(),
            actor.username
        ),
    }));
    let document = json!({
        "subject": data.urls.webfinger_acct(&actor.username),
        "aliases": aliases,
        "links": links,
    });
    Ok(HttpResponse::Ok()
        .content_type("application/jrd+json; charset=utf-8")
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(document))
}

async fn http_get_host_meta(data: Data<AppState>) -> HttpResponse {
    let template = data.urls.webfinger_template();
    let template = html_escape::encode_double_quoted_attribute(&template);
    HttpResponse::Ok()
        .content_type("application/xrd+xml; charset=utf-8")
        .body(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
             <Link rel=\"lrdd\" template=\"{template}\"/>\n</XRD>\n"
        ))
}

async fn http_get_nodeinfo_links(data: Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(json!({
            "links": [
                { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": data.urls.nodeinfo("2.0") },
                { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": data.urls.nodeinfo("2.1") },
            ]
        }))
}

async fn http_get_nodeinfo(
    version: web::Path<String>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let version = version.into_inner();
    if version != "2.0" && version != "2.1" {
        return Err(AppError::not_found());
    }
    let (users, posts) = db::run(&data.db, |conn| {
        Ok((
            db::actors::count_local_accounts(conn)?,
            db::posts::count_live(conn)?,
        ))
    })
    .await?;
    let software = json!({ "name": "munifed", "version": env!("CARGO_PKG_VERSION") });
    let instance = instance::info(&data).await?;
    let profile = format!("http://nodeinfo.diaspora.software/ns/schema/{version}#");
    Ok(HttpResponse::Ok()
        .content_type(format!("application/json; profile=\"{profile}\""))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(json!({
            "version": version,
            "software": software,
            "protocols": ["activitypub"],
            "services": { "inbound": [], "outbound": [] },
            "openRegistrations": false,
            "usage": {
                "users": { "total": users, "activeMonth": users, "activeHalfyear": users },
                "localPosts": posts,
            },
            "metadata": { "nodeName": instance.name, "nodeDescription": instance.description },
        })))
}

/// A post as AS2 JSON, or its Tombstone (410) once deleted.
async fn http_get_post(
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let (kind, id) = path.into_inner();
    let kind = PostKind::parse(&kind).ok_or_else(AppError::not_found)?;
    let view = posts::get_including_deleted(&data, kind, id).await?;
    signatures::require_authorized_fetch(&req, &data).await?;
    if view.post.deleted_at.is_some() {
        let tombstone = with_context(post_apub::tombstone(&view, &data.urls, kind));
        return Ok(HttpResponse::Gone()
            .content_type(ACTIVITY_JSON)
            .insert_header((header::VARY, "Accept"))
            .json(tombstone));
    }
    let publish_as = instance::info(&data).await?.publish_as;
    let mut object = post_apub::post_json(&view, &data.urls, publish_as);
    // What the network did with it, as Mastodon shows it: totals of collections.
    let url = data.urls.post(kind, id);
    let counts = timeline::replies::counts(&data, &url).await?;
    for (field, total) in [
        ("replies", counts.replies),
        ("likes", counts.likes),
        ("shares", counts.shares),
    ] {
        object[field] = json!({ "type": "Collection", "totalItems": total });
    }
    Ok(activity_json(with_context(object)))
}
