//! Likes and boosts, by the id of the activity that made them (for its Undo) and counted
//! per object.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{per_backend, schema::reactions, AnyConnection};

pub const LIKE: &str = "like";
pub const ANNOUNCE: &str = "announce";

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = reactions)]
pub struct DbReaction {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub actor_id: i64,
    pub object_ap_id: String,
    pub created_at: NaiveDateTime,
}

/// Forgets the reactions to posts that are going (boosts of pruned remote posts).
pub fn delete_for_objects(conn: &mut AnyConnection, objects: &[String]) -> QueryResult<usize> {
    diesel::delete(reactions::table.filter(reactions::object_ap_id.eq_any(objects))).execute(conn)
}

/// Records a reaction once (a repeated delivery changes nothing).
pub fn insert(
    conn: &mut AnyConnection,
    ap_id: &str,
    kind: &str,
    actor_id: i64,
    object_ap_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let row = (
        reactions::ap_id.eq(ap_id),
        reactions::kind.eq(kind),
        reactions::actor_id.eq(actor_id),
        reactions::object_ap_id.eq(object_ap_id),
        reactions::created_at.eq(now),
    );
    per_backend!(conn, |c| diesel::insert_into(reactions::table)
        .values(row)
        .on_conflict(reactions::ap_id)
        .do_nothing()
        .execute(c))
}

pub fn by_ap_id(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<Option<DbReaction>> {
    reactions::table
        .filter(reactions::ap_id.eq(ap_id))
        .select(DbReaction::as_select())
        .first(conn)
        .optional()
}

/// A reaction identified by who made it to what (Misskey and others undo a Like by
/// embedding it without its id, or with a fresh one).
pub fn by_actor_and_object(
    conn: &mut AnyConnection,
    kind: &str,
    actor_id: i64,
    object_ap_id: &str,
) -> QueryResult<Option<DbReaction>> {
    reactions::table
        .filter(reactions::kind.eq(kind))
        .filter(reactions::actor_id.eq(actor_id))
        .filter(reactions::object_ap_id.eq(object_ap_id))
        .select(DbReaction::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(reactions::table.find(id)).execute(conn)
}

/// Likes and boosts of each of `objects`: (object, kind, count).
pub fn counts(
    conn: &mut AnyConnection,
    objects: &[String],
) -> QueryResult<Vec<(String, String, i64)>> {
    use diesel::dsl::count_star;
    reactions::table
        .filter(reactions::object_ap_id.eq_any(objects))
        .group_by((reactions::object_ap_id, reactions::kind))
        .select((reactions::object_ap_id, reactions::kind, count_star()))
        .load(conn)
}
