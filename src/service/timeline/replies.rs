//! What the network said about one of our posts: fediverse replies (cleaned on arrival,
//! oldest first, one level of answers shown under each, deeper ones kept), and the counts
//! of replies, likes and boosts.

use std::collections::HashMap;

use serde::Serialize;
use url::Url;

use super::{remote_item, with_cached_media, Item};
use crate::{
    db::{self, actors::DbActor, reactions, remote_posts::Replies},
    error::AppResult,
    state::AppState,
};

/// A reply and the answers to it.
#[derive(Clone, Debug, Serialize)]
pub struct Reply {
    #[serde(flatten)]
    pub item: Item,
    pub answers: Vec<Item>,
}

/// Replies, likes and boosts of a post.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub replies: i64,
    pub likes: i64,
    pub shares: i64,
}

/// Replies shown under a post, and answers under them all (the oldest; the counts say how
/// many there are).
const REPLIES_SHOWN: i64 = 200;
const ANSWERS_SHOWN: i64 = 500;

/// The thread under `post` (one of our posts, by its URL).
pub async fn thread(data: &AppState, post: &Url) -> AppResult<(Vec<Reply>, Counts)> {
    let post = post.to_string();
    db::run(&data.db, move |conn| {
        let replies = load(conn, &post, Replies::Shown)?;
        Ok((replies, counts_one(conn, &post)?))
    })
    .await
}

/// The thread under `post` as its publishers see it: hidden replies included, each reply
/// followed by its answers, with whether it is hidden.
pub async fn for_publishers(data: &AppState, post: &Url) -> AppResult<Vec<(Item, bool)>> {
    let post = post.to_string();
    db::run(&data.db, move |conn| {
        let all: Vec<Item> = load(conn, &post, Replies::WithHidden)?
            .into_iter()
            .flat_map(|reply| std::iter::once(reply.item).chain(reply.answers))
            .collect();
        let ids: Vec<String> = all.iter().map(|item| item.id.clone()).collect();
        let hidden = db::remote_posts::hidden_among(conn, &ids)?;
        Ok(all
            .into_iter()
            .map(|item| {
                let is_hidden = hidden.contains(&item.id);
                (item, is_hidden)
            })
            .collect())
    })
    .await
}

fn load(conn: &mut db::AnyConnection, post: &str, which: Replies) -> AppResult<Vec<Reply>> {
    let post = post.to_string();
    let direct =
        db::remote_posts::replies_to(conn, std::slice::from_ref(&post), which, REPLIES_SHOWN)?;
    let ids: Vec<String> = direct.iter().map(|p| p.ap_id.clone()).collect();
    let answers = db::remote_posts::replies_to(conn, &ids, which, ANSWERS_SHOWN)?;
    let actor_ids: Vec<i64> = direct.iter().chain(&answers).map(|p| p.actor_id).collect();
    let actors: HashMap<i64, DbActor> = db::actors::by_ids(conn, &actor_ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let item = |p: &db::remote_posts::DbRemotePost| {
        actors.get(&p.actor_id).map(|author| remote_item(p, author))
    };
    let mut all: Vec<Item> = direct.iter().chain(&answers).filter_map(item).collect();
    with_cached_media(conn, &mut all, &actors)?;
    let (top, nested): (Vec<Item>, Vec<Item>) = all
        .into_iter()
        .partition(|i| i.in_reply_to.as_deref() == Some(post.as_str()));
    let replies = top
        .into_iter()
        .map(|item| Reply {
            answers: nested
                .iter()
                .filter(|a| a.in_reply_to.as_deref() == Some(item.id.as_str()))
                .cloned()
                .collect(),
            item,
        })
        .collect();
    Ok(replies)
}

/// Replies, likes and boosts of `post` (one of our posts, by its URL), counted.
pub async fn counts(data: &AppState, post: &Url) -> AppResult<Counts> {
    let post = post.to_string();
    db::run(&data.db, move |conn| counts_one(conn, &post)).await
}

fn counts_one(conn: &mut db::AnyConnection, post: &str) -> AppResult<Counts> {
    let mut counts = counts_of(conn, &[post.to_string()])?
        .remove(post)
        .unwrap_or_default();
    counts.replies = db::remote_posts::count_replies_to(conn, post)?;
    Ok(counts)
}

/// Likes and boosts of each of `posts` (replies are counted by `counts_one`).
pub fn counts_of(
    conn: &mut db::AnyConnection,
    posts: &[String],
) -> AppResult<HashMap<String, Counts>> {
    let mut counts: HashMap<String, Counts> = HashMap::new();
    for (object, kind, n) in reactions::counts(conn, posts)? {
        let entry = counts.entry(object).or_default();
        match kind.as_str() {
            reactions::LIKE => entry.likes = n,
            reactions::ANNOUNCE => entry.shares = n,
            _ => {}
        }
    }
    Ok(counts)
}
