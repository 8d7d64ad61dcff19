//! Local accounts: the organisation actors of this instance, and the instance actor.

use activitypub_federation::{config::Data, http_signatures::generate_actor_keypair};
use html_escape::encode_text;
use url::Url;

use crate::{
    db::{
        self,
        actors::{DbActor, DbActorForm, DbActorProfile},
        follows,
    },
    domain::account_name::{self, INSTANCE_ACTOR_NAME},
    error::{AppError, AppResult},
    i18n::Message,
    service::{
        audit, media,
        network::{self, Outbound},
        users::{self, check_admin, Staff},
    },
    state::AppState,
};

/// What `munifed account create` and the panel ask for.
#[derive(Clone, Debug, Default)]
pub struct NewAccount {
    pub name: String,
    pub display_name: Option<String>,
    /// Plain text; paragraphs are separated by blank lines.
    pub summary: Option<String>,
    pub manual_approval: bool,
    pub website: Option<String>,
    pub contact: Option<String>,
    /// URL of the organisation's logo (the avatar in fediverse apps).
    pub icon_url: Option<String>,
    /// URL of a banner image.
    pub header_url: Option<String>,
}

/// An account with its follow counts, for listings.
#[derive(Clone, Debug)]
pub struct AccountSummary {
    pub account: DbActor,
    pub followers: i64,
    pub pending_followers: i64,
    pub following: i64,
}

const DISPLAY_NAME_MAX: usize = 100;
const SUMMARY_MAX: usize = 2_000;

/// Plain text to the HTML of a profile summary: escaped, blank lines make paragraphs.
fn summary_html(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", encode_text(p).replace('\n', "<br>")))
        .collect()
}

fn validate(new: &NewAccount) -> AppResult<()> {
    account_name::validate(&new.name).map_err(AppError::bad_request)?;
    if new
        .display_name
        .as_ref()
        .is_some_and(|n| n.chars().count() > DISPLAY_NAME_MAX)
    {
        return Err(AppError::bad_request(
            Message::new("error-display-name-too-long").count("max", DISPLAY_NAME_MAX),
        ));
    }
    if new
        .summary
        .as_ref()
        .is_some_and(|s| s.chars().count() > SUMMARY_MAX)
    {
        return Err(AppError::bad_request(
            Message::new("error-summary-too-long").count("max", SUMMARY_MAX),
        ));
    }
    for (field, value) in [
        ("website", &new.website),
        ("icon", &new.icon_url),
        ("header", &new.header_url),
    ] {
        if let Some(value) = value {
            let url = Url::parse(value).map_err(|e| {
                AppError::bad_request(
                    Message::new("error-field-url-invalid")
                        .arg("field", field)
                        .arg("value", format!("{value:?}"))
                        .arg("error", e),
                )
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(AppError::bad_request(
                    Message::new("error-field-must-be-http-url").arg("field", field),
                ));
            }
        }
    }
    Ok(())
}

/// Creates a local organisation account with a new RSA key pair.
/// Creates an organisation account (admins).
pub async fn create(state: &AppState, staff: &Staff, new: NewAccount) -> AppResult<DbActor> {
    check_admin(staff)?;
    validate(&new)?;
    let staff = staff.clone();
    let urls = state.urls.clone();
    let name = new.name.clone();
    let exists = db::run(&state.db, move |conn| {
        Ok(db::actors::local_by_username(conn, &name)?.is_some())
    })
    .await?;
    if exists {
        return Err(AppError::conflict(
            Message::new("error-account-exists").arg("name", &new.name),
        ));
    }
    let (id, inbox) = (urls.actor(&new.name), urls.inbox(&new.name));
    let base = local_actor_form(state, "Organization", &new.name, id, inbox).await?;
    let form = DbActorForm {
        also_known_as: "[]".into(),
        moved_to: None,
        display_name: new.display_name.clone().unwrap_or_default(),
        summary: new.summary.as_deref().map(summary_html).unwrap_or_default(),
        url: Some(urls.profile(&new.name).to_string()),
        outbox: Some(urls.outbox(&new.name).to_string()),
        followers_url: Some(urls.followers(&new.name).to_string()),
        following_url: Some(urls.following(&new.name).to_string()),
        icon_url: new.icon_url.clone(),
        image_url: new.header_url.clone(),
        website: new.website.clone(),
        contact: new.contact.clone(),
        manually_approves_followers: new.manual_approval,
        discoverable: true,
        ..base
    };
    let urls = state.urls.clone();
    let result = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let inserted = db::actors::insert(conn, &form);
            if db::is_unique_violation(&inserted) {
                return Err(AppError::conflict("error-account-name-taken"));
            }
            let account = db::actors::by_id(conn, inserted?)?;
            media::register_shown(conn, &urls, account.icon_url.as_deref())?;
            audit::record(conn, &staff, "account.create", &account.username, "")?;
            Ok(account)
        })
    })
    .await?;
    tracing::info!(account = %result.handle(), "account created");
    Ok(result)
}

/// Changes to a profile: `None` keeps a field, an empty string clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct AccountChanges {
    pub display_name: Option<String>,
    pub summary: Option<String>,
    pub manual_approval: Option<bool>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub icon_url: Option<String>,
    pub header_url: Option<String>,
}

/// Edits an account's profile and sends `Update` of the actor to its followers, so that
/// their servers show the new name, text and images.
/// Edits an account's profile (admins, and editors who publish as it).
pub async fn update(
    data: &AppState,
    staff: &Staff,
    name: &str,
    changes: AccountChanges,
) -> AppResult<DbActor> {
    let account = by_name(data, name).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let staff = staff.clone();
    let keep_or_clear = |change: Option<String>, current: &Option<String>| match change {
        Some(value) if value.trim().is_empty() => None,
        Some(value) => Some(value),
        None => current.clone(),
    };
    let merged = NewAccount {
        name: account.username.clone(),
        display_name: changes
            .display_name
            .clone()
            .or(Some(account.display_name.clone())),
        summary: changes.summary.clone(),
        manual_approval: changes
            .manual_approval
            .unwrap_or(account.manually_approves_followers),
        website: keep_or_clear(changes.website, &account.website),
        contact: keep_or_clear(changes.contact, &account.contact),
        icon_url: keep_or_clear(changes.icon_url, &account.icon_url),
        header_url: keep_or_clear(changes.header_url, &account.image_url),
    };
    validate(&merged)?;
    let profile = DbActorProfile {
        display_name: merged.display_name.clone().unwrap_or_default(),
        summary: match &merged.summary {
            Some(text) => summary_html(text),
            None => account.summary.clone(),
        },
        manually_approves_followers: merged.manual_approval,
        website: merged.website,
        contact: merged.contact,
        icon_url: merged.icon_url,
        image_url: merged.header_url,
        updated: db::now(),
    };
    let (account_id, urls) = (account.id, data.urls.clone());
    let updated = network::commit(data, move |conn| {
        db::actors::update_profile(conn, account_id, &profile)?;
        media::register_shown(conn, &urls, profile.icon_url.as_deref())?;
        let updated = db::actors::by_id(conn, account_id)?;
        audit::record(conn, &staff, "account.update", &updated.username, "")?;
        Ok((updated, vec![Outbound::ProfileUpdated { account_id }]))
    })
    .await?;
    data.actor_cache.invalidate(&*updated.ap_id).await;
    // The main account's icon is the public pages' logo.
    data.site_logo.invalidate_all();
    tracing::info!(account = %updated.handle(), "profile updated");
    Ok(updated)
}

/// Sets the other accounts `name` also is (`alsoKnownAs`: handles or actor URLs, replacing
/// the list; none clears it), and sends the profile to its followers. Naming an account
/// here is what lets it move to this one (`move_to`, on its own server).
pub async fn set_aliases(
    data: &Data<AppState>,
    staff: &Staff,
    name: &str,
    aliases: &[String],
) -> AppResult<DbActor> {
    let account = by_name(data, name).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let mut ids = Vec::with_capacity(aliases.len());
    for alias in aliases {
        let actor = network::resolve_actor(data, alias).await?;
        if actor.id == account.id {
            return Err(AppError::bad_request("error-own-alias"));
        }
        ids.push(actor.ap_id.to_string());
    }
    let (account_id, staff, listed) = (account.id, staff.clone(), ids.join(" "));
    let updated = network::commit(data, move |conn| {
        db::actors::set_aliases(conn, account_id, &ids)?;
        let updated = db::actors::by_id(conn, account_id)?;
        audit::record(conn, &staff, "account.aliases", &updated.username, &listed)?;
        Ok((updated, vec![Outbound::ProfileUpdated { account_id }]))
    })
    .await?;
    data.actor_cache.invalidate(&*updated.ap_id).await;
    Ok(updated)
}

/// Moves `name` to `target` (a handle or actor URL), as Mastodon's account migration does:
/// `target`, fetched now, must already name this account among the accounts it also is.
/// This account then says where it moved (`movedTo`) and sends `Move` to its followers,
/// whose servers follow `target` instead. Admins only: it cannot be taken back.
pub async fn move_to(
    data: &Data<AppState>,
    staff: &Staff,
    name: &str,
    target: &str,
) -> AppResult<DbActor> {
    users::check_admin(staff)?;
    let account = by_name(data, name).await?;
    if account.is_instance_actor() {
        return Err(AppError::bad_request("error-instance-actor-moves"));
    }
    if let Some(moved_to) = &account.moved_to {
        return Err(AppError::bad_request(
            Message::new("error-account-already-moved")
                .arg("account", account.handle())
                .arg("target", moved_to),
        ));
    }
    let found = network::resolve_actor(data, target).await?;
    if found.id == account.id {
        return Err(AppError::bad_request("error-move-to-itself"));
    }
    let target = if found.local {
        found
    } else {
        network::refresh_actor(data, &found.ap_id).await?
    };
    if target.moved_to.is_some() {
        return Err(AppError::bad_request(
            Message::new("error-move-target-has-moved").arg("target", target.handle()),
        ));
    }
    if !target.names_alias(account.ap_id.as_str()) {
        return Err(AppError::bad_request(
            Message::new("error-move-target-lacks-alias")
                .arg("target", target.handle())
                .arg("account", account.handle()),
        ));
    }
    let (account_id, staff) = (account.id, staff.clone());
    let (target_id, audited) = (target.ap_id.to_string(), target.handle());
    let moved = network::commit(data, move |conn| {
        db::actors::set_moved_to(conn, account_id, &target_id)?;
        let moved = db::actors::by_id(conn, account_id)?;
        audit::record(conn, &staff, "account.move", &moved.username, &audited)?;
        Ok((
            moved,
            vec![
                Outbound::ProfileUpdated { account_id },
                Outbound::AccountMoved {
                    account_id,
                    target: target_id,
                },
            ],
        ))
    })
    .await?;
    data.actor_cache.invalidate(&*moved.ap_id).await;
    tracing::info!(account = %moved.handle(), to = %target.handle(), "account moved");
    Ok(moved)
}

/// Everything an account is, for `munifed account export`: its profile, its live posts
/// (oldest first), its followers and whom it follows (accepted follows both).
pub struct Export {
    pub account: DbActor,
    pub posts: Vec<crate::db::posts::PostView>,
    pub followers: Vec<DbActor>,
    pub following: Vec<(DbActor, String)>,
    /// Its public activities as sent (ActivityStreams JSON), newest first: its outbox.
    pub activities: Vec<String>,
}

pub async fn export(data: &AppState, staff: &Staff, name: &str) -> AppResult<Export> {
    let account = by_name(data, name).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let id = account.id;
    let (posts, followers, following, activities) = db::run(&data.db, move |conn| {
        Ok((
            db::posts::of_account(conn, id)?,
            db::follows::followers(conn, id, db::follows::ACCEPTED, i64::MAX, 0)?,
            db::follows::following(conn, id, Some(db::follows::ACCEPTED), i64::MAX, 0)?,
            db::activities::outbox(conn, id, i64::MAX, 0)?,
        ))
    })
    .await?;
    Ok(Export {
        account,
        posts,
        followers,
        following: following
            .into_iter()
            .map(|(follow, actor)| (actor, follow.state))
            .collect(),
        activities: activities.into_iter().map(|a| a.payload).collect(),
    })
}

/// Makes sure the instance actor exists, and on a database without accounts creates the
/// one named by `instance.account`, so a new instance is followable at once.
pub async fn bootstrap(state: &AppState) -> AppResult<DbActor> {
    let instance_actor = match instance_actor(state).await {
        Ok(actor) => actor,
        Err(e) if e.is_not_found() => create_instance_actor(state).await?,
        Err(e) => return Err(e),
    };
    let accounts = db::run(&state.db, |conn| {
        Ok(db::actors::count_local_accounts(conn)?)
    })
    .await?;
    if accounts == 0 {
        let settings = &state.settings.instance;
        create(
            state,
            &Staff::Operator,
            NewAccount {
                name: settings.account.clone(),
                display_name: Some(settings.name.clone()),
                summary: Some(settings.description.clone()),
                ..NewAccount::default()
            },
        )
        .await?;
    }
    Ok(instance_actor)
}

/// What every local actor has: its id and inbox, a new RSA key pair, the shared inbox, times. The
/// caller fills in the rest.
async fn local_actor_form(
    state: &AppState,
    kind: &str,
    username: &str,
    ap_id: url::Url,
    inbox: url::Url,
) -> AppResult<DbActorForm> {
    let keypair = tokio::task::spawn_blocking(generate_actor_keypair)
        .await
        .map_err(|e| AppError::other(e.into()))??;
    let now = db::now();
    Ok(DbActorForm {
        also_known_as: "[]".into(),
        moved_to: None,
        ap_id: ap_id.to_string(),
        inbox: inbox.to_string(),
        kind: kind.into(),
        username: username.into(),
        domain: state.urls.domain(),
        display_name: String::new(),
        summary: String::new(),
        url: None,
        shared_inbox: Some(state.urls.shared_inbox().to_string()),
        outbox: None,
        followers_url: None,
        following_url: None,
        icon_url: None,
        image_url: None,
        website: None,
        contact: None,
        public_key: keypair.public_key,
        private_key: Some(keypair.private_key),
        manually_approves_followers: false,
        discoverable: false,
        local: true,
        published: now,
        updated: now,
        last_refreshed_at: now,
    })
}

async fn create_instance_actor(state: &AppState) -> AppResult<DbActor> {
    let urls = &state.urls;
    let base = local_actor_form(
        state,
        "Application",
        INSTANCE_ACTOR_NAME,
        urls.instance_actor(),
        urls.instance_actor_inbox(),
    )
    .await?;
    let form = DbActorForm {
        also_known_as: "[]".into(),
        moved_to: None,
        display_name: state.settings.instance.name.clone(),
        url: Some(urls.home().to_string()),
        outbox: Some(urls.instance_actor_outbox().to_string()),
        // Nobody follows the instance actor; it exists to sign fetches.
        manually_approves_followers: true,
        ..base
    };
    db::run(&state.db, move |conn| {
        let id = db::actors::insert(conn, &form)?;
        Ok(db::actors::by_id(conn, id)?)
    })
    .await
}

/// The instance actor, which signs fetches (made by `bootstrap` at start-up).
pub async fn instance_actor(state: &AppState) -> AppResult<DbActor> {
    db::run(&state.db, |conn| {
        db::actors::local_by_username(conn, INSTANCE_ACTOR_NAME)?.ok_or_else(AppError::not_found)
    })
    .await
}

/// A local organisation account by name (404 when there is none).
pub async fn by_name(state: &AppState, name: &str) -> AppResult<DbActor> {
    let name = name.to_ascii_lowercase();
    db::run(&state.db, move |conn| {
        db::actors::local_by_username(conn, &name)?
            .filter(|a| !a.is_instance_actor())
            .ok_or_else(AppError::not_found)
    })
    .await
}

/// The account named by `name`, or the instance's default account.
pub async fn by_name_or_default(state: &AppState, name: Option<&str>) -> AppResult<DbActor> {
    let name = name.unwrap_or(&state.settings.instance.account);
    by_name(state, name).await.map_err(|e| {
        if e.is_not_found() {
            AppError::bad_request(Message::new("error-no-local-account").arg("name", name))
        } else {
            e
        }
    })
}

/// A local organisation account by its ActivityPub id (404 when there is none).
pub async fn local_by_ap_id(state: &AppState, id: &Url) -> AppResult<DbActor> {
    let key = id.to_string();
    db::run(&state.db, move |conn| {
        db::actors::by_ap_id(conn, &key)?
            .filter(|a| a.local && !a.is_instance_actor())
            .ok_or_else(AppError::not_found)
    })
    .await
}

/// The local accounts' names, without counting anything (menus, the sitemap, rights).
pub async fn names(state: &AppState) -> AppResult<Vec<String>> {
    db::run(&state.db, |conn| {
        Ok(db::actors::local_accounts(conn)?
            .into_iter()
            .map(|account| account.username)
            .collect())
    })
    .await
}

pub async fn list(state: &AppState) -> AppResult<Vec<AccountSummary>> {
    db::run(&state.db, |conn| {
        db::actors::local_accounts(conn)?
            .into_iter()
            .map(|account| {
                Ok(AccountSummary {
                    followers: follows::count_followers(conn, account.id, follows::ACCEPTED)?,
                    pending_followers: follows::count_followers(
                        conn,
                        account.id,
                        follows::PENDING,
                    )?,
                    following: follows::count_following(conn, account.id, follows::ACCEPTED)?,
                    account,
                })
            })
            .collect()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::summary_html;

    #[test]
    fn summary_text_becomes_escaped_paragraphs() {
        assert_eq!(
            summary_html("Cities <together>\nfor SDGs\n\nSecond"),
            "<p>Cities &lt;together&gt;<br>for SDGs</p><p>Second</p>"
        );
    }
}
