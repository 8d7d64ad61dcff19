//! Reports: `Flag`s other servers send about our accounts and posts, and reports our
//! moderators make about remote posts (optionally forwarded to the reported actor's server
//! as a `Flag` from the instance actor, as Mastodon does). Listed, read with the reported
//! content, and resolved with a note, by moderators; every step audited.

use activitypub_federation::config::Data;
use url::Url;

use crate::{
    db::{
        self,
        actors::DbActor,
        posts::PostView,
        reports::{DbReport, NewReport},
        AnyConnection,
    },
    domain::{moderation::Severity, post::PostKind},
    error::{AppError, AppResult},
    i18n::Message,
    service::{
        audit, domains, moderation,
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
/// Only what is ours is kept, as Mastodon does: the reported account is a local one (the
/// first named, else the author of the first local post named), with its posts named;
/// anything on other servers is dropped, so that a report cannot be aimed at a third party.
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
        let mut accounts: Vec<DbActor> = vec![];
        let mut posts: Vec<(String, DbActor)> = vec![];
        for object in objects.iter().take(MAX_OBJECTS) {
            if !urls.is_local(object) {
                continue;
            }
            if let Some((kind, id)) = urls.post_of(object) {
                if let Some(view) = live_post(conn, kind, id)? {
                    posts.push((object.to_string(), view.account));
                }
            } else if let Some(actor) = db::actors::by_ap_id(conn, object.as_str())? {
                accounts.push(actor);
            }
        }
        let Some(target) = accounts
            .into_iter()
            .chain(posts.first().map(|(_, author)| author.clone()))
            .find(|actor| actor.local)
        else {
            return Ok(None);
        };
        let posts: Vec<String> = posts
            .into_iter()
            .filter(|(_, author)| author.id == target.id)
            .map(|(url, _)| url)
            .collect();
        let target = target.ap_id.to_string();
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

/// Our live post of `kind` numbered `id`.
fn live_post(conn: &mut AnyConnection, kind: PostKind, id: i64) -> AppResult<Option<PostView>> {
    Ok(db::posts::get(conn, id)?
        .filter(|view| view.kind() == kind && view.post.deleted_at.is_none()))
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
        let (target, objects) = match db::remote_posts::by_id_or_url(conn, &reported)? {
            Some(post) => {
                let author = db::actors::by_id(conn, post.actor_id)?;
                (author, vec![post.ap_id])
            }
            None => match db::actors::by_ap_id(conn, &reported)? {
                Some(actor) if !actor.local => (actor, vec![]),
                _ => {
                    return Err(AppError::invalid(
                        "reported",
                        Message::new("error-unknown-remote-post-or-account").arg("id", &reported),
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
        .ok_or_else(|| AppError::conflict("error-report-exists"))?;
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
pub async fn count_open(state: &AppState, staff: &Staff) -> AppResult<i64> {
    check_moderator(staff)?;
    db::run(&state.db, |conn| Ok(db::reports::count_open(conn)?)).await
}

/// A report with what it is about, as stored here (remote content cleaned on arrival).
#[derive(Debug)]
pub struct ReportDetail {
    pub report: DbReport,
    /// The reported actor, when it is stored here.
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
                Some((kind, post_id)) => {
                    live_post(conn, kind, post_id)?.map(|view| local_item(&view, &urls))
                }
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

/// What a moderator does from a report, to what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportAction {
    /// Remove one of the remote posts it names.
    Remove(String),
    /// Block the reported actor (a remote one).
    BlockActor,
    /// Silence or suspend a domain it concerns: the reported actor's, or the reporter's.
    Restrict(String, Severity),
}

/// The remote domains a report's actions may concern: the reported actor's, and the
/// reporter's for a report another server sent.
pub fn domains_of(report: &DbReport, ours: &str) -> Vec<String> {
    let mut domains = vec![];
    let mut add = |id: &str| {
        if let Ok(url) = Url::parse(id) {
            let domain = host_and_port(&url);
            if domain != ours && !domains.contains(&domain) {
                domains.push(domain);
            }
        }
    };
    add(&report.target_actor);
    if report.incoming {
        add(&report.reporter);
    }
    domains
}

/// Acts on what report `id` is about, through the same services as the moderation pages,
/// with the report named in the audit log. A domain's rule is only ever made stricter, its
/// other settings and comments kept. What was done, in words.
pub async fn act(
    data: &Data<AppState>,
    staff: &Staff,
    id: i64,
    action: ReportAction,
) -> AppResult<Message> {
    let detail = get(data, staff, id).await?;
    let why = format!("report {id}");
    let refused = || AppError::bad_request("error-report-action-inapplicable");
    match action {
        ReportAction::Remove(post) => {
            if !detail.report.object_ids().contains(&post) {
                return Err(refused());
            }
            moderation::remove_post(data, staff, &post, &why).await?;
            Ok(Message::new("panel-flash-post-removed"))
        }
        ReportAction::BlockActor => {
            if detail.about_us() {
                return Err(refused());
            }
            let actor =
                moderation::block_actor(data, staff, &detail.report.target_actor, &why).await?;
            Ok(Message::new("panel-flash-actor-blocked").arg("actor", actor))
        }
        ReportAction::Restrict(domain, severity) => {
            if severity == Severity::Noop
                || !domains_of(&detail.report, &data.urls.domain()).contains(&domain)
            {
                return Err(refused());
            }
            let (rule, changed) = domains::restrict(data, staff, &domain, severity, &why).await?;
            let message = if changed {
                "panel-flash-domain-restricted"
            } else {
                "panel-flash-domain-already-restricted"
            };
            Ok(Message::new(message)
                .arg("domain", &rule.domain)
                .arg("severity", rule.severity.as_str()))
        }
    }
}

/// Closes a report with a note (what was done, or why nothing was).
pub async fn resolve(state: &AppState, staff: &Staff, id: i64, note: &str) -> AppResult<()> {
    check_moderator(staff)?;
    let (staff, note) = (staff.clone(), shorten(note));
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            db::reports::by_id(conn, id)?.ok_or_else(AppError::not_found)?;
            if !db::reports::resolve(conn, id, &staff.name(), &note, db::now())? {
                return Err(AppError::conflict("error-report-resolved"));
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
