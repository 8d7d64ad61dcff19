//! What a Mastodon-style relay forwards: its members' activities as they sent them, signed
//! by the relay rather than by their actor. Nothing in them is believed as sent: each post
//! is read from its origin and shown as coming through the relay, and a deletion is acted
//! on once the origin confirms it.

use activitypub_federation::config::Data;
use actix_web::ResponseError;
use serde_json::Value;
use url::Url;

use super::create::{boost, relayed_delete, relayed_update};
use crate::{
    error::AppError,
    federation::{lenient::id_of, objects::remote_post::kind_of},
    service::domains,
    state::AppState,
    urls::host_and_port,
};

/// An activity `relay` (verified as its signer, and accepted by us) forwarded.
pub async fn receive(data: &Data<AppState>, relay: &Url, activity: &Value) -> Result<(), AppError> {
    let Some(object) = activity.get("object").and_then(post_id) else {
        return Ok(());
    };
    if data.urls.is_local(&object) || !matches!(object.scheme(), "http" | "https") {
        return Ok(()); // our own post coming back, or no post at all
    }
    if domains::is_blocked(data, &host_and_port(&object)).await? {
        return Ok(());
    }
    // The activity's id is the member's word, not checked by any signature: the boost is
    // keyed by the relay and the post instead (a Create and an Announce of one post
    // through one relay are one boost).
    let mut boost_id = relay.clone();
    boost_id.set_fragment(Some(&format!("forwarded:{object}")));
    // Only the id is passed on, so that the post is fetched from its origin.
    let object_id = Value::String(object.to_string());
    let acted = match kind_of(activity) {
        "Create" | "Announce" => {
            let published = activity.get("published").and_then(Value::as_str);
            boost(data, relay, &boost_id, published, &object_id).await
        }
        "Update" => relayed_update(data, relay, &object_id).await,
        "Delete" => relayed_delete(data, &object).await,
        kind => {
            tracing::debug!(kind, %relay, "forwarded activity not acted on");
            Ok(())
        }
    };
    match acted {
        // The origin failed us, not the relay: a 502 would only have the relay retry.
        Err(e) if e.status_code() == actix_web::http::StatusCode::BAD_GATEWAY => {
            tracing::info!(%relay, %object, error = %e, "forwarded post not read from its origin");
            Ok(())
        }
        other => other,
    }
}

/// The post an activity's object names: itself, or the object of an activity it wraps (a
/// group's `Announce` of a `Create`).
fn post_id(object: &Value) -> Option<Url> {
    match kind_of(object) {
        "Create" | "Update" | "Delete" => object.get("object").and_then(id_of),
        _ => id_of(object),
    }
}
