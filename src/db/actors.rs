//! Actors: local accounts, the instance actor and cached remote actors, in one table.

use chrono::NaiveDateTime;
use diesel::{prelude::*, upsert::excluded};
use url::Url;

use super::{per_backend, schema::actors, AnyConnection};
use crate::domain::account_name::INSTANCE_ACTOR_NAME;

/// An ActivityPub id read from the database, parsed once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApId(pub Url);

impl TryFrom<String> for ApId {
    type Error = url::ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Url::parse(&value).map(ApId)
    }
}

impl std::ops::Deref for ApId {
    type Target = Url;
    fn deref(&self) -> &Url {
        &self.0
    }
}

impl std::fmt::Display for ApId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An actor row, without its private key: pages, lists and delivery rows have no use for it,
/// and only signing reads it (`private_key`).
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = actors)]
pub struct DbActor {
    pub id: i64,
    #[diesel(deserialize_as = String)]
    pub ap_id: ApId,
    pub kind: String,
    pub username: String,
    pub domain: String,
    pub display_name: String,
    pub summary: String,
    pub url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub icon_url: Option<String>,
    pub image_url: Option<String>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub public_key: String,
    pub manually_approves_followers: bool,
    pub discoverable: bool,
    pub local: bool,
    pub published: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub last_refreshed_at: NaiveDateTime,
    /// The other accounts it says it also is (`alsoKnownAs`): a JSON array of ids.
    pub also_known_as: String,
    /// The account it moved to (`movedTo`).
    pub moved_to: Option<String>,
}

/// A new or refreshed actor row (not `Debug`: it may carry a private key).
#[derive(Clone, Insertable, AsChangeset)]
#[diesel(table_name = actors)]
pub struct DbActorForm {
    pub ap_id: String,
    pub kind: String,
    pub username: String,
    pub domain: String,
    pub display_name: String,
    pub summary: String,
    pub url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub icon_url: Option<String>,
    pub image_url: Option<String>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub public_key: String,
    pub private_key: Option<String>,
    pub manually_approves_followers: bool,
    pub discoverable: bool,
    pub local: bool,
    pub published: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub last_refreshed_at: NaiveDateTime,
    pub also_known_as: String,
    pub moved_to: Option<String>,
}

impl DbActor {
    /// `@name@domain`.
    pub fn handle(&self) -> String {
        format!("@{}@{}", self.username, self.domain)
    }

    pub fn is_instance_actor(&self) -> bool {
        self.local && self.username == INSTANCE_ACTOR_NAME
    }

    /// The ids of `also_known_as`.
    pub fn aliases(&self) -> Vec<String> {
        serde_json::from_str(&self.also_known_as).unwrap_or_default()
    }

    /// Whether it says it also is the actor `id` (what makes a Move to it believable).
    pub fn names_alias(&self, id: &str) -> bool {
        self.aliases().iter().any(|alias| alias == id)
    }

    pub fn display_name_or_username(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

pub fn insert(conn: &mut AnyConnection, form: &DbActorForm) -> QueryResult<i64> {
    diesel::insert_into(actors::table)
        .values(form)
        .returning(actors::id)
        .get_result(conn)
}

/// Stores a fetched remote actor, replacing what was cached for its id. A remote document
/// claiming a local id is refused by the caller before it gets here.
pub fn upsert_remote(conn: &mut AnyConnection, form: &DbActorForm) -> QueryResult<DbActor> {
    per_backend!(&mut *conn, |c| diesel::insert_into(actors::table)
        .values(form)
        .on_conflict(actors::ap_id)
        .do_update()
        .set((
            actors::kind.eq(excluded(actors::kind)),
            actors::username.eq(excluded(actors::username)),
            actors::display_name.eq(excluded(actors::display_name)),
            actors::summary.eq(excluded(actors::summary)),
            actors::url.eq(excluded(actors::url)),
            actors::inbox.eq(excluded(actors::inbox)),
            actors::shared_inbox.eq(excluded(actors::shared_inbox)),
            actors::outbox.eq(excluded(actors::outbox)),
            actors::followers_url.eq(excluded(actors::followers_url)),
            actors::following_url.eq(excluded(actors::following_url)),
            actors::icon_url.eq(excluded(actors::icon_url)),
            actors::image_url.eq(excluded(actors::image_url)),
            actors::public_key.eq(excluded(actors::public_key)),
            actors::manually_approves_followers.eq(excluded(actors::manually_approves_followers)),
            actors::discoverable.eq(excluded(actors::discoverable)),
            actors::updated.eq(excluded(actors::updated)),
            actors::last_refreshed_at.eq(excluded(actors::last_refreshed_at)),
            actors::also_known_as.eq(excluded(actors::also_known_as)),
            actors::moved_to.eq(excluded(actors::moved_to)),
        ))
        .execute(c))?;
    by_ap_id(conn, &form.ap_id)?.ok_or(diesel::result::Error::NotFound)
}

/// The parts of a local account its staff edit.
#[derive(Clone, Debug, AsChangeset)]
#[diesel(table_name = actors, treat_none_as_null = true)]
pub struct DbActorProfile {
    pub display_name: String,
    pub summary: String,
    pub manually_approves_followers: bool,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub icon_url: Option<String>,
    pub image_url: Option<String>,
    pub updated: NaiveDateTime,
}

pub fn update_profile(
    conn: &mut AnyConnection,
    id: i64,
    profile: &DbActorProfile,
) -> QueryResult<usize> {
    diesel::update(actors::table.find(id))
        .set(profile)
        .execute(conn)
}

/// Sets the other accounts an actor also is (a JSON array of ids).
pub fn set_aliases(conn: &mut AnyConnection, id: i64, aliases: &[String]) -> QueryResult<usize> {
    let json = serde_json::to_string(aliases).unwrap_or_else(|_| "[]".into());
    diesel::update(actors::table.find(id))
        .set((
            actors::also_known_as.eq(json),
            actors::updated.eq(super::now()),
        ))
        .execute(conn)
}

/// Records where an actor moved.
pub fn set_moved_to(conn: &mut AnyConnection, id: i64, target: &str) -> QueryResult<usize> {
    diesel::update(actors::table.find(id))
        .set((
            actors::moved_to.eq(Some(target)),
            actors::updated.eq(super::now()),
        ))
        .execute(conn)
}

/// Deletes an actor; its follows and posts go with it (ON DELETE CASCADE).
pub fn delete(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(actors::table.find(id)).execute(conn)
}

/// Forgets remote actors (their follows, posts, entries and reactions go with them).
pub fn delete_many(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(
        actors::table
            .filter(actors::id.eq_any(ids))
            .filter(actors::local.eq(false)),
    )
    .execute(conn)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<DbActor> {
    actors::table
        .find(id)
        .select(DbActor::as_select())
        .first(conn)
}

pub fn by_ap_id(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<Option<DbActor>> {
    actors::table
        .filter(actors::ap_id.eq(ap_id))
        .select(DbActor::as_select())
        .first(conn)
        .optional()
}

/// Actors by id, in no particular order.
pub fn by_ids(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<DbActor>> {
    actors::table
        .filter(actors::id.eq_any(ids))
        .select(DbActor::as_select())
        .load(conn)
}

/// The actor `name@domain` (domain with its port, as in handles).
pub fn by_handle(
    conn: &mut AnyConnection,
    name: &str,
    domain: &str,
) -> QueryResult<Option<DbActor>> {
    actors::table
        .filter(actors::username.eq(name))
        .filter(actors::domain.eq(domain))
        .select(DbActor::as_select())
        .first(conn)
        .optional()
}

/// A local actor's private key (PEM), for signing.
pub fn private_key(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<String>> {
    actors::table
        .find(id)
        .select(actors::private_key)
        .first(conn)
}

/// Renames a local actor (the instance actor follows the instance's name).
pub fn set_display_name(
    conn: &mut AnyConnection,
    username: &str,
    name: &str,
) -> QueryResult<usize> {
    diesel::update(
        actors::table
            .filter(actors::local.eq(true))
            .filter(actors::username.eq(username)),
    )
    .set(actors::display_name.eq(name))
    .execute(conn)
}

pub fn local_by_username(conn: &mut AnyConnection, name: &str) -> QueryResult<Option<DbActor>> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::username.eq(name))
        .select(DbActor::as_select())
        .first(conn)
        .optional()
}

/// Local accounts (organisations), without the instance actor.
pub fn local_accounts(conn: &mut AnyConnection) -> QueryResult<Vec<DbActor>> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::username.ne(INSTANCE_ACTOR_NAME))
        .order(actors::id.asc())
        .select(DbActor::as_select())
        .load(conn)
}

pub fn count_local_accounts(conn: &mut AnyConnection) -> QueryResult<i64> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::username.ne(INSTANCE_ACTOR_NAME))
        .count()
        .get_result(conn)
}

/// Ids of the remote actors on `domain` or a subdomain of it, whatever the port, as a block
/// on `domain` reads (`domains::block_candidates`). A coarse LIKE finds the candidates; the
/// rule itself is checked here.
pub fn remote_ids_on_domain(conn: &mut AnyConnection, domain: &str) -> QueryResult<Vec<i64>> {
    let Some(host) = super::domains::block_candidates(domain).into_iter().next() else {
        return Ok(vec![]);
    };
    Ok(actors::table
        .filter(actors::local.eq(false))
        .filter(actors::domain.like(format!("%{host}%")))
        .select((actors::id, actors::domain))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .filter(|(_, d)| super::domains::block_candidates(d).contains(&host))
        .map(|(id, _)| id)
        .collect())
}
