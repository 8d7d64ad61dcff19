//! Retention: remote items older than `timeline.retention_days` are forgotten, with the
//! boosts recorded of them and the cached images nobody has looked at since; replies to our
//! posts, upcoming events, open calls and posts boosted lately are kept whatever their age.

use chrono::TimeDelta;
use url::Url;

use super::receive::utc;
use crate::{
    db::{self, remote_posts::DbRemotePost},
    domain::remote::PostDetails,
    error::AppResult,
    service::media,
    state::AppState,
    urls::Urls,
};

/// Rows looked at per round.
const BATCH: i64 = 500;

/// What a prune removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub posts: usize,
    pub media: usize,
}

fn details(post: &DbRemotePost) -> PostDetails {
    serde_json::from_str(&post.details).unwrap_or_default()
}

/// Whether an old post is still worth keeping.
fn kept(post: &DbRemotePost, urls: &Urls, now: chrono::NaiveDateTime) -> bool {
    if post.deleted_at.is_some() {
        return false;
    }
    let answers_us = post
        .in_reply_to
        .as_deref()
        .and_then(|t| Url::parse(t).ok())
        .is_some_and(|t| urls.is_local(&t));
    let details = details(post);
    let upcoming = details.event.as_ref().is_some_and(|e| {
        e.end
            .as_deref()
            .or(Some(e.start.as_str()))
            .and_then(utc)
            .is_some_and(|t| t >= now)
    });
    let open = details
        .call
        .as_ref()
        .and_then(|c| utc(&c.deadline))
        .is_some_and(|t| t >= now);
    answers_us || upcoming || open
}

pub async fn prune(state: &AppState) -> AppResult<Pruned> {
    let now = db::now();
    let before = now - TimeDelta::days(i64::from(state.settings.timeline.retention_days));
    let urls = state.urls.clone();
    let media_state = state.clone();
    let posts = db::run(&state.db, move |conn| {
        let mut pruned = 0;
        let mut after = 0;
        loop {
            let batch = db::remote_posts::older_than(conn, before, after, BATCH)?;
            let Some(last) = batch.last() else {
                break;
            };
            after = last.id;
            let ids: Vec<i64> = batch.iter().map(|p| p.id).collect();
            let boosted_lately = db::timeline::shown_since(conn, &ids, before)?;
            let gone: Vec<&DbRemotePost> = batch
                .iter()
                .filter(|p| !boosted_lately.contains(&p.id) && !kept(p, &urls, now))
                .collect();
            if !gone.is_empty() {
                let ids: Vec<i64> = gone.iter().map(|p| p.id).collect();
                // Their attachments go with them (authors' avatars stay with the authors).
                let images: Vec<String> = gone
                    .iter()
                    .flat_map(|p| details(p).attachments)
                    .map(|a| a.url)
                    .collect();
                pruned += db::write_transaction(conn, |conn| {
                    let pruned = db::remote_posts::delete_many(conn, &ids)?;
                    media::forget_urls(conn, &media_state, &images)?;
                    Ok::<_, crate::error::AppError>(pruned)
                })?;
            }
            if (batch.len() as i64) < BATCH {
                break;
            }
        }
        Ok(pruned)
    })
    .await?;
    let media = media::forget_unused(state, before).await?;
    if posts > 0 {
        super::changed(state);
    }
    Ok(Pruned { posts, media })
}
