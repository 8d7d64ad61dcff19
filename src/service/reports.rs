//! Reports: `Flag`s other servers send about our accounts and posts, and reports our
//! moderators make about remote posts (optionally forwarded to the reported actor's server
//! as a `Flag` from the instance actor, as Mastodon does). Listed, read with the reported
//! content, and resolved with a note, by moderators; every step audited.

use serde::Serialize;
use url::Url;

use crate::{
    db::{
        self,
        actors::DbActor,
        reports::{DbReport, NewReport},
        AnyConnection,
    },
    error::{AppError, AppResult},
    service::{
        audit, domains,
        network::{self, Outbound},
        timeline::{local_item, remote_item, Item},
        users::{check_moderator, Staff},
    },
    state::AppState,
    urls::host_and_port,
};

/// Reports on one page of the list.
pub const PAGE: i64 = 50;
/// The most posts one report names (a Flag may list any number).
const MAX_OBJECTS: usize = 50;
/// The longest comment kept, in characters.
const COMMENT_MAX: usize = 5_000;

fn shorten(text: &str) -> String {
    text.trim().chars().take(COMMENT_MAX).collect()
}

/// A `Flag` received from `reporter` (verified): stored when it names one of our accounts
/// or posts and its domain's reports are not ignored; a repeated delivery is stored once.
pub async fn receive(
    state: &AppState,
    flag_id: &Url,
    reporter: &Url,
    objects: Vec<Url>,
    comment: &str,
) -> AppResult<()> {
    let domain = host_and_port(reporter);
    if domains::rejects_reports(state, &domain).await? {
        tracing::info!(%domain, "report ignored: this domain's reports are rejected");
        return Ok(());
    }
    let (flag_id, reporter, comment) =
        (flag_id.to_string(), reporter.to_string(), shorten(comment));
    let urls = state.urls.clone();
    let stored = db::run(&state.db, move |conn| {
        if !objects.iter().any(|o| urls.is_local(o)) {
            return Ok(None);
        }
        let mut target = None;
        let mut posts = vec![];
        for object in objects.iter().take(MAX_OBJECTS) {
            match author_of(conn, &urls, object)? {
                Some(Reported::Actor(actor)) => {
                    target.get_or_insert(actor.ap_id.to_string());
                }
                Some(Reported::Post(author)) => {
                    target.get_or_insert(author.ap_id.to_string());
                    posts.push(object.to_string());
                }
                None => posts.push(object.to_string()),
            }
        }
        let Some(target) = target else {
            return Ok(None);
        };
        Ok(db::reports::insert(
            conn,
            &NewReport {
                activity_id: &flag_id,
                incoming: true,
                reporter: &reporter,
                target_actor: &target,
                objects: &posts,
                comment: &comment,
                forwarded: false,
                created_at: db::now(),
            },
        )?)
    })
    .await?;
    match stored {
        Some(id) => tracing::info!(id, %domain, "report received"),
        None => tracing::debug!(%domain, "report not about us, or already stored"),
    }
    Ok(())
}

/// What an object a report names is.
enum Reported {
    Actor(DbActor),
    /// A post, by this author.
    Post(DbActor),
}

fn author_of(
    conn: &mut AnyConnection,
    urls: &crate::urls::Urls,
    object: &Url,
) -> AppResult<Option<Reported>> {
    if let Some(actor) = db::actors::by_ap_id(conn, object.as_str())? {
        return Ok(Some(Reported::Actor(actor)));
    }
    if let Some((_, id)) = urls.post_of(object) {
        return Ok(db::posts::get(conn, id)?.map(|view| Reported::Post(view.account)));
    }
    match db::remote_posts::by_ap_id(conn, object.as_str())? {
        Some(post) => Ok(Some(Reported::Post(db::actors::by_id(
            conn,
            post.actor_id,
        )?))),
        None => Ok(None),
    }
}

/// A moderator reports a remote post (by its id or address) or a remote actor (by its
/// id): stored, and when `forward`, sent to the actor's server as a `Flag` from our
/// instance actor (without naming the moderator). The report's number.
pub async fn create(
    state: &AppState,
    staff: &Staff,
    reported: &str,
    comment: &str,
    forward: bool,
) -> AppResult<i64> {
    check_moderator(staff)?;
    let (staff, reported, comment) = (staff.clone(), reported.trim().to_string(), shorten(comment));
    let flag_id = state.urls.new_activity().to_string();
    network::commit(state, move |conn| {
        let post = match db::remote_posts::by_ap_id(conn, &reported)? {
            Some(post) => Some(post),
            None => db::remote_posts::by_url(conn, &reported)?,
        };
        let (target, objects) = match post {
            Some(post) => {
                let author = db::actors::by_id(conn, post.actor_id)?;
                (author, vec![post.ap_id])
            }
            None => match db::actors::by_ap_id(conn, &reported)? {
                Some(actor) if !actor.local => (actor, vec![]),
                _ => {
                    return Err(AppError::invalid(
                        "reported",
                        format!("no post or account from another server has the id {reported}"),
                    ))
                }
            },
        };
        let id = db::reports::insert(
            conn,
            &NewReport {
                activity_id: &flag_id,
                incoming: false,
                reporter: &staff.name(),
                target_actor: target.ap_id.as_str(),
                objects: &objects,
                comment: &comment,
                forwarded: forward,
                created_at: db::now(),
            },
        )?
        .ok_or_else(|| AppError::conflict("this report exists already"))?;
        audit::record(
            conn,
            &staff,
            "report.create",
            target.ap_id.as_str(),
            &comment,
        )?;
        let events = if forward {
            vec![Outbound::ReportForwarded { report_id: id }]
        } else {
            vec![]
        };
        Ok((id, events))
    })
    .await
}

/// A page of open or resolved reports, newest first.
pub async fn list(
    state: &AppState,
    staff: &Staff,
    resolved: bool,
    before_id: Option<i64>,
) -> AppResult<Vec<DbReport>> {
    check_moderator(staff)?;
    db::run(&state.db, move |conn| {
        Ok(db::reports::list(conn, resolved, before_id, PAGE)?)
    })
    .await
}

/// How many reports wait for a moderator.
pub async fn count_open(state: &AppState) -> AppResult<i64> {
    db::run(&state.db, |conn| Ok(db::reports::count_open(conn)?)).await
}

/// A report with what it is about, as stored here (remote content cleaned on arrival).
#[derive(Debug, Serialize)]
pub struct ReportDetail {
    #[serde(skip)]
    pub report: DbReport,
    /// The reported actor, when it is stored here.
    #[serde(skip)]
    pub target: Option<DbActor>,
    /// Each reported post: its id, and what we store of it (nothing once removed or
    /// pruned).
    pub posts: Vec<(String, Option<Item>)>,
}

impl ReportDetail {
    /// Whether the reported actor is one of ours (a report another server sent about us).
    pub fn about_us(&self) -> bool {
        self.target.as_ref().is_some_and(|t| t.local)
    }
}

pub async fn get(state: &AppState, staff: &Staff, id: i64) -> AppResult<ReportDetail> {
    check_moderator(staff)?;
    let urls = state.urls.clone();
    db::run(&state.db, move |conn| {
        let report = db::reports::by_id(conn, id)?.ok_or_else(AppError::not_found)?;
        let target = db::actors::by_ap_id(conn, &report.target_actor)?;
        let mut posts = vec![];
        for object in report.object_ids() {
            let item = match Url::parse(&object).ok().and_then(|u| urls.post_of(&u)) {
                Some((_, post_id)) => db::posts::get(conn, post_id)?
                    .filter(|view| view.post.deleted_at.is_none())
                    .map(|view| local_item(&view, &urls)),
                None => match db::remote_posts::by_ap_id(conn, &object)? {
                    Some(post) if post.deleted_at.is_none() => {
                        let author = db::actors::by_id(conn, post.actor_id)?;
                        Some(remote_item(&post, &author))
                    }
                    _ => None,
                },
            };
            posts.push((object, item));
        }
        Ok(ReportDetail {
            report,
            target,
            posts,
        })
    })
    .await
}

/// Closes a report with a note (what was done, or why nothing was).
pub async fn resolve(state: &AppState, staff: &Staff, id: i64, note: &str) -> AppResult<()> {
    check_moderator(staff)?;
    let (staff, note) = (staff.clone(), shorten(note));
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            db::reports::by_id(conn, id)?.ok_or_else(AppError::not_found)?;
            if !db::reports::resolve(conn, id, &staff.name(), &note, db::now())? {
                return Err(AppError::conflict("this report is resolved already"));
            }
            audit::record(
                conn,
                &staff,
                "report.resolve",
                &format!("report {id}"),
                &note,
            )?;
            Ok(())
        })
    })
    .await
}
