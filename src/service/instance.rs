//! The instance as staff describe it: name, description, contact, rules and how posts are
//! federated. The configuration file gives the defaults; admins change them in the panel
//! (stored in `instance_settings`, read whole and cached like the domain policy, so every
//! process sees a change within `cache.block_list_ttl_secs`).

use std::sync::Arc;

use crate::{
    config::{PublishAs, Settings},
    db::{self, actors::DbActor, AnyConnection},
    domain::{
        accent::{Accent, DEFAULT_ACCENT},
        account_name::INSTANCE_ACTOR_NAME,
        moderation::FederationMode,
    },
    error::{AppError, AppResult, ErrorKind},
    i18n::Message,
    service::{
        accounts, audit, domains, media,
        users::{check_admin, Staff},
    },
    state::AppState,
};

const NAME: &str = "instance.name";
const DESCRIPTION: &str = "instance.description";
const CONTACT: &str = "instance.contact";
const RULES: &str = "instance.rules";
const PUBLISH_AS: &str = "federation.publish_as";
const ACCENT: &str = "site.accent";

pub const NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2_000;
pub const CONTACT_MAX: usize = 300;
pub const RULES_MAX: usize = 50;
pub const RULE_MAX: usize = 500;

#[derive(Clone, Debug, PartialEq)]
pub struct InstanceInfo {
    pub name: String,
    pub description: String,
    /// How to reach the people who run it (an address, a page, a phone number).
    pub contact: String,
    /// The rules of the instance, one per line as entered.
    pub rules: Vec<String>,
    pub publish_as: PublishAs,
    /// The colour of the public pages' header, buttons and links.
    pub accent: Accent,
}

/// The instance as stored, over the configuration's defaults (also for the federation
/// layer, which reads it inside its transaction).
pub fn read(conn: &mut AnyConnection, settings: &Settings) -> AppResult<InstanceInfo> {
    let mut get = |name: &str| db::domains::setting(&mut *conn, name);
    let (name, description, contact, rules, accent) = (
        get(NAME)?,
        get(DESCRIPTION)?,
        get(CONTACT)?,
        get(RULES)?,
        get(ACCENT)?,
    );
    Ok(InstanceInfo {
        name: name.unwrap_or_else(|| settings.instance.name.clone()),
        description: description.unwrap_or_else(|| settings.instance.description.clone()),
        contact: contact.unwrap_or_default(),
        rules: rules
            .map(|rules| rules.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        publish_as: publish_as(conn, settings.federation.publish_as)?,
        accent: accent
            .as_deref()
            .and_then(Accent::parse)
            .unwrap_or(DEFAULT_ACCENT),
    })
}

/// How posts are federated now: as stored, else `default` (the configuration's).
pub fn publish_as(conn: &mut AnyConnection, default: PublishAs) -> AppResult<PublishAs> {
    Ok(db::domains::setting(conn, PUBLISH_AS)?
        .as_deref()
        .and_then(PublishAs::parse)
        .unwrap_or(default))
}

/// The instance, cached.
pub async fn info(state: &AppState) -> AppResult<Arc<InstanceInfo>> {
    if let Some(info) = state.instance_info.get(&()).await {
        return Ok(info);
    }
    let settings = state.settings.clone();
    let info = Arc::new(db::run(&state.db, move |conn| read(conn, &settings)).await?);
    state.instance_info.insert((), info.clone()).await;
    Ok(info)
}

/// The account that speaks for the instance on its home page: the configured one, else the
/// first there is (the configuration may have changed since the database was made).
pub async fn main_account(state: &AppState) -> AppResult<Option<DbActor>> {
    match accounts::by_name(state, &state.settings.instance.account).await {
        Ok(account) => Ok(Some(account)),
        Err(e) if e.is_not_found() => {
            db::run(&state.db, |conn| {
                Ok(db::actors::local_accounts(conn)?.into_iter().next())
            })
            .await
        }
        Err(e) => Err(e),
    }
}

/// The public pages' logo: the main account's icon, shown from our own origin.
pub async fn logo(state: &AppState) -> AppResult<Option<String>> {
    if let Some(logo) = state.site_logo.get(&()).await {
        return Ok(logo);
    }
    let icon = main_account(state)
        .await?
        .and_then(|account| account.icon_url);
    let logo = media::shown(state, icon.as_deref(), true).await?;
    state.site_logo.insert((), logo.clone()).await;
    Ok(logo)
}

/// What an admin sends from the settings form.
pub struct InstanceChanges {
    pub name: String,
    pub description: String,
    pub contact: String,
    /// One rule per line; empty lines are dropped.
    pub rules: String,
    pub publish_as: String,
    /// `#rrggbb`; empty for munifed's own.
    pub accent: String,
    /// `open` or `allowlist`.
    pub mode: String,
}

fn validate(changes: &InstanceChanges) -> AppResult<InstanceInfo> {
    let mut errors = std::collections::BTreeMap::<String, Message>::new();
    let mut text = |field: &str, value: &str, max: usize, required: bool| {
        let value = value.trim();
        if required && value.is_empty() {
            errors.insert(field.to_string(), Message::new("error-required"));
        } else if value.chars().count() > max {
            errors.insert(
                field.to_string(),
                Message::new("error-too-long").count("max", max),
            );
        }
        value.to_string()
    };
    let name = text("name", &changes.name, NAME_MAX, true);
    let description = text("description", &changes.description, DESCRIPTION_MAX, false);
    let contact = text("contact", &changes.contact, CONTACT_MAX, false);
    let rules: Vec<String> = changes
        .rules
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect();
    if rules.len() > RULES_MAX || rules.iter().any(|r| r.chars().count() > RULE_MAX) {
        errors.insert(
            "rules".to_string(),
            Message::new("error-rules-limits")
                .arg("rules", RULES_MAX)
                .arg("characters", RULE_MAX),
        );
    }
    let publish_as = PublishAs::parse(changes.publish_as.trim());
    if publish_as.is_none() {
        errors.insert("publish_as".to_string(), Message::new("error-publish-as"));
    }
    let accent = match changes.accent.trim() {
        "" => Some(DEFAULT_ACCENT),
        colour => Accent::parse(colour),
    };
    if accent.is_none() {
        errors.insert("accent".to_string(), Message::new("error-accent"));
    }
    match (publish_as, accent) {
        (Some(publish_as), Some(accent)) if errors.is_empty() => Ok(InstanceInfo {
            name,
            description,
            contact,
            rules,
            publish_as,
            accent,
        }),
        _ => Err(ErrorKind::Validation(errors).into()),
    }
}

/// Saves the instance's description (admins); audited. The new description.
pub async fn update(
    state: &AppState,
    staff: &Staff,
    changes: InstanceChanges,
) -> AppResult<InstanceInfo> {
    check_admin(staff)?;
    let info = validate(&changes)?;
    let mode = FederationMode::parse(changes.mode.trim())
        .ok_or_else(|| AppError::invalid("mode", "error-federation-mode"))?;
    let (staff, saved) = (staff.clone(), info.clone());
    let mode_changed = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            for (name, value) in [
                (NAME, saved.name.clone()),
                (DESCRIPTION, saved.description.clone()),
                (CONTACT, saved.contact.clone()),
                (RULES, saved.rules.join("\n")),
                (PUBLISH_AS, saved.publish_as.as_str().to_string()),
                (ACCENT, saved.accent.hex()),
            ] {
                db::domains::set_setting(conn, name, &value)?;
            }
            let mode_changed = domains::write_mode(conn, &staff, mode)?;
            let comment = format!(
                "publish as {}; accent {}; {} rules; contact {}",
                saved.publish_as.as_str(),
                saved.accent.hex(),
                saved.rules.len(),
                if saved.contact.is_empty() {
                    "none"
                } else {
                    saved.contact.as_str()
                }
            );
            audit::record(conn, &staff, "instance.update", &saved.name, &comment)?;
            // The instance actor carries the instance's name to other servers.
            db::actors::set_display_name(conn, INSTANCE_ACTOR_NAME, &saved.name)?;
            Ok::<_, AppError>(mode_changed)
        })
    })
    .await?;
    state.instance_info.invalidate_all();
    // Feeds are titled with the name; the policy holds the mode.
    state.rendered_feeds.invalidate_all();
    if mode_changed {
        domains::changed(state);
    }
    Ok(info)
}
