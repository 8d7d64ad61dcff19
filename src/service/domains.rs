//! Which other servers this instance talks to, and how: domain rules (suspend, silence,
//! media), the allow list of a closed network, the federation mode, and Mastodon-compatible
//! block lists. Every change is audited; a suspension purges what we stored of the domain.

use std::sync::Arc;

use crate::{
    db,
    domain::moderation::{
        self, normalise_domain, DomainPolicy, DomainRule, FederationMode, Severity,
    },
    error::{AppError, AppResult},
    i18n::Message,
    service::{
        audit, media, timeline,
        users::{check_admin, check_moderator, Staff},
    },
    state::AppState,
};

/// The policy, read whole and cached (`cache.block_list_ttl_secs`; changes made here apply
/// at once).
pub async fn policy(state: &AppState) -> AppResult<Arc<DomainPolicy>> {
    if let Some(policy) = state.block_list.get(&()).await {
        return Ok(policy);
    }
    let policy = Arc::new(db::run(&state.db, |conn| Ok(db::domains::policy(conn)?)).await?);
    state.block_list.insert((), policy.clone()).await;
    Ok(policy)
}

/// Whether we refuse `domain` (`host` or `host:port`): suspended, itself or through a
/// parent, or outside the allow list of a closed network.
pub async fn is_blocked(state: &AppState, domain: &str) -> AppResult<bool> {
    Ok(policy(state).await?.refuses(domain))
}

/// Whether we refuse `actor`: its domain, or the actor itself, is blocked.
pub async fn refuses_actor(state: &AppState, actor: &url::Url) -> AppResult<bool> {
    let policy = policy(state).await?;
    Ok(policy.refuses(&crate::urls::host_and_port(actor)) || policy.blocks_actor(actor.as_str()))
}

/// Whether `domain` is silenced: its content stays out of the shared timeline unless one
/// of our accounts follows its author, and its follows of ours need approval.
pub async fn is_silenced(state: &AppState, domain: &str) -> AppResult<bool> {
    Ok(policy(state).await?.silences(domain))
}

/// Whether images from `domain` are neither fetched nor shown.
pub async fn rejects_media(state: &AppState, domain: &str) -> AppResult<bool> {
    Ok(policy(state).await?.rejects_media(domain))
}

/// Whether reports from `domain` are ignored.
pub async fn rejects_reports(state: &AppState, domain: &str) -> AppResult<bool> {
    Ok(policy(state).await?.rejects_reports(domain))
}

/// A rule as staff enter it: the domain as typed, the rest as is.
pub struct RuleInput {
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: String,
    pub private_comment: String,
    pub obfuscate: bool,
}

fn checked_domain(input: &str) -> AppResult<String> {
    normalise_domain(input).ok_or_else(|| {
        AppError::invalid(
            "domain",
            Message::new("error-not-a-domain").arg("domain", format!("{:?}", input.trim())),
        )
    })
}

pub(crate) fn changed(state: &AppState) {
    state.block_list.invalidate_all();
    // Purged actors must not linger in the caches (their rows are gone).
    state.actor_cache.invalidate_all();
    state.webfinger_cache.invalidate_all();
    timeline::changed(state);
}

/// Sets the rule of a domain (moderators and admins). A suspension purges what we stored
/// of the domain: its actors with their posts, follows both ways and reactions, and its
/// cached media.
pub async fn set_rule(state: &AppState, staff: &Staff, input: RuleInput) -> AppResult<DomainRule> {
    check_moderator(staff)?;
    let rule = DomainRule {
        domain: checked_domain(&input.domain)?,
        severity: input.severity,
        reject_media: input.reject_media,
        reject_reports: input.reject_reports,
        public_comment: input.public_comment.trim().chars().take(1000).collect(),
        private_comment: input.private_comment.trim().chars().take(1000).collect(),
        obfuscate: input.obfuscate,
    };
    let (staff, mut stored, media_state) = (staff.clone(), rule.clone(), state.clone());
    let purged = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            // An edit without a private comment keeps the one the rule has.
            if stored.private_comment.is_empty() {
                if let Some(known) = db::domains::rules(conn)?
                    .into_iter()
                    .find(|r| r.domain == stored.domain)
                {
                    stored.private_comment = known.private_comment;
                }
            }
            write_rule(conn, &media_state, &staff, &stored)
        })
    })
    .await?;
    changed(state);
    tracing::info!(domain = %rule.domain, severity = rule.severity.as_str(), purged, "domain rule set");
    Ok(rule)
}

/// Stores a rule and applies it in the caller's transaction: a suspension purges, a
/// silence drops the domain's boosts; audited. How many actors were purged.
fn write_rule(
    conn: &mut db::AnyConnection,
    state: &AppState,
    staff: &Staff,
    rule: &DomainRule,
) -> AppResult<usize> {
    db::domains::upsert_rule(conn, rule, db::now())?;
    let purged = match rule.severity {
        Severity::Suspend => purge(conn, state, &rule.domain)?,
        Severity::Silence => {
            db::timeline::forget_boosts_of_domain(conn, &rule.domain)?;
            0
        }
        Severity::Noop => 0,
    };
    let action = format!("domain.{}", rule.severity.as_str());
    let mut comment = rule.private_comment.clone();
    for (set, flag) in [
        (rule.reject_media, "reject_media"),
        (rule.reject_reports, "reject_reports"),
    ] {
        if set {
            comment.push_str(&format!(" [{flag}]"));
        }
    }
    if purged > 0 {
        comment.push_str(&format!(" [{purged} actors purged]"));
    }
    audit::record(conn, staff, &action, &rule.domain, comment.trim())?;
    Ok(purged)
}

/// Makes `domain`'s rule at least `severity` (acting from a report), reading the rules in
/// the same transaction: a rule as strict or stricter, the domain's own or a parent's, set
/// here or by another process, is never made milder; the rule's other settings and
/// comments are kept, `why` added to its private comment. The rule as it is now, and
/// whether it changed.
pub async fn restrict(
    state: &AppState,
    staff: &Staff,
    domain: &str,
    severity: Severity,
    why: &str,
) -> AppResult<(DomainRule, bool)> {
    check_moderator(staff)?;
    let domain = checked_domain(domain)?;
    let (staff, why, media_state) = (staff.clone(), why.to_string(), state.clone());
    let (rule, changed_it) = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let policy = db::domains::policy(conn)?;
            if let Some(rule) = policy.rule_for(&domain) {
                if rule.severity.strictness() >= severity.strictness() {
                    return Ok((rule.clone(), false));
                }
            }
            let rule = match policy.rules.get(&domain) {
                Some(own) => DomainRule {
                    severity,
                    private_comment: format!("{} ({why})", own.private_comment)
                        .trim()
                        .to_string(),
                    ..own.clone()
                },
                None => DomainRule {
                    domain: domain.clone(),
                    severity,
                    reject_media: false,
                    reject_reports: false,
                    public_comment: String::new(),
                    private_comment: why.clone(),
                    obfuscate: false,
                },
            };
            write_rule(conn, &media_state, &staff, &rule)?;
            Ok::<_, AppError>((rule, true))
        })
    })
    .await?;
    if changed_it {
        changed(state);
    }
    Ok((rule, changed_it))
}

/// Forgets everything from `domain`: its actors (their posts, follows both ways, timeline
/// entries and reactions go with them) and its cached media. How many actors went.
fn purge(conn: &mut db::AnyConnection, state: &AppState, domain: &str) -> AppResult<usize> {
    // Their timeline entries, as author or booster, go with them (foreign keys cascade).
    let actors = db::actors::remote_ids_on_domain(conn, domain)?;
    for chunk in actors.chunks(500) {
        db::actors::delete_many(conn, chunk)?;
    }
    media::forget_domain(conn, state, domain)?;
    Ok(actors.len())
}

/// Forgets a domain that stopped answering (admins): its pending deliveries are given up,
/// its actors (with their follows, posts and boosts) and media forgotten, its failure
/// record cleared. A domain that did not fail is refused: this is not a block, and the
/// domain may come back. How many actors went.
pub async fn forget_dead(state: &AppState, staff: &Staff, domain: &str) -> AppResult<usize> {
    check_admin(staff)?;
    // As deliveries and health records name it: the host, and the port when there is one.
    let domain = domain.trim().to_ascii_lowercase();
    let (staff, media_state) = (staff.clone(), state.clone());
    let purged = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let failing =
                db::domains::health(conn, &domain)?.is_some_and(|h| h.failing_since.is_some());
            if !failing {
                return Err(AppError::invalid(
                    "domain",
                    Message::new("error-domain-not-failing").arg("domain", &domain),
                ));
            }
            let given_up = db::deliveries::give_up_domain(conn, &domain, db::now())?;
            let purged = purge(conn, &media_state, &domain)?;
            db::domains::forget_health(conn, &domain)?;
            audit::record(
                conn,
                &staff,
                "domain.forget",
                &domain,
                &format!("{purged} actors forgotten, {given_up} deliveries given up"),
            )?;
            Ok::<_, AppError>(purged)
        })
    })
    .await?;
    changed(state);
    Ok(purged)
}

/// Suspends `domain`: the operator's shortcut (and the tests').
pub async fn block(state: &AppState, domain: &str, reason: &str) -> AppResult<()> {
    set_rule(
        state,
        &Staff::Operator,
        RuleInput {
            domain: domain.to_string(),
            severity: Severity::Suspend,
            reject_media: false,
            reject_reports: false,
            public_comment: String::new(),
            private_comment: reason.to_string(),
            obfuscate: false,
        },
    )
    .await?;
    Ok(())
}

/// Lifts the rule of a domain (404 when it has none).
pub async fn remove_rule(state: &AppState, staff: &Staff, domain: &str) -> AppResult<()> {
    check_moderator(staff)?;
    let (staff, domain) = (staff.clone(), checked_domain(domain)?);
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            if db::domains::delete_rule(conn, &domain)? == 0 {
                return Err(AppError::bad_request(
                    Message::new("error-domain-no-rule").arg("domain", &domain),
                ));
            }
            audit::record(conn, &staff, "domain.unblock", &domain, "")?;
            Ok(())
        })
    })
    .await?;
    changed(state);
    Ok(())
}

/// Rules and allow-list entries shown on one page of the panel.
pub const PAGE: i64 = 100;

/// Page `page` (from 1) of the rules and of the allow list, `PAGE` of each (moderators and
/// admins).
pub async fn page(state: &AppState, staff: &Staff, page: i64) -> AppResult<db::domains::RulesPage> {
    check_moderator(staff)?;
    if page < 1 {
        return Err(AppError::invalid("page", "error-one-or-more"));
    }
    let offset = (page - 1).saturating_mul(PAGE);
    db::run(&state.db, move |conn| {
        Ok(db::domains::page(conn, PAGE, offset)?)
    })
    .await
}

/// Every rule (moderators and admins).
pub async fn rules(state: &AppState, staff: &Staff) -> AppResult<Vec<DomainRule>> {
    check_moderator(staff)?;
    db::run(&state.db, |conn| Ok(db::domains::rules(conn)?)).await
}

/// What an import changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Lines not read, with why.
    pub invalid: Vec<(usize, Message)>,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} unchanged, {} not read",
            self.added,
            self.updated,
            self.unchanged,
            self.invalid.len()
        )
    }
}

/// Imports a Mastodon-compatible CSV block list; suspensions purge, and lines that cannot
/// be read are listed. As Mastodon does, a domain that already has a rule (its own or a
/// parent's) is left as it is, unless `overwrite` asks to replace its own rule (its
/// private comment stays). New rules say where they came from in their private comment.
pub async fn import_rules(
    state: &AppState,
    staff: &Staff,
    csv: &str,
    overwrite: bool,
) -> AppResult<ImportSummary> {
    check_moderator(staff)?;
    let parsed = moderation::parse_block_list(csv);
    let existing = rules(state, staff).await?;
    let covered = policy(state).await?;
    let imported_on = format!("Imported on {}", db::now().format("%Y-%m-%d"));
    let mut summary = ImportSummary {
        invalid: parsed.invalid,
        ..ImportSummary::default()
    };
    for mut rule in parsed.rules {
        let known = existing.iter().find(|r| r.domain == rule.domain);
        match known {
            Some(known) => {
                rule.private_comment = known.private_comment.clone();
                if *known == rule || !overwrite {
                    summary.unchanged += 1;
                    continue;
                }
            }
            None if covered.rule_for(&rule.domain).is_some() => {
                summary.unchanged += 1; // a parent domain's rule covers it
                continue;
            }
            None => rule.private_comment = imported_on.clone(),
        }
        let is_new = known.is_none();
        let outcome = set_rule(
            state,
            staff,
            RuleInput {
                domain: rule.domain.clone(),
                severity: rule.severity,
                reject_media: rule.reject_media,
                reject_reports: rule.reject_reports,
                public_comment: rule.public_comment,
                private_comment: rule.private_comment,
                obfuscate: rule.obfuscate,
            },
        )
        .await;
        match outcome {
            Ok(_) if is_new => summary.added += 1,
            Ok(_) => summary.updated += 1,
            Err(e) if actix_web::ResponseError::status_code(&e).is_client_error() => {
                summary.invalid.push((
                    0,
                    Message::new("error-rule-refused")
                        .arg("domain", &rule.domain)
                        .arg("error", e),
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(summary)
}

/// The rules as a Mastodon-compatible CSV block list (without private comments).
pub async fn export_rules(state: &AppState, staff: &Staff) -> AppResult<String> {
    Ok(moderation::format_block_list(&rules(state, staff).await?))
}

/// Adds a domain to the allow list (admins).
pub async fn allow(
    state: &AppState,
    staff: &Staff,
    domain: &str,
    comment: &str,
) -> AppResult<bool> {
    check_admin(staff)?;
    let (staff, domain, comment) = (
        staff.clone(),
        checked_domain(domain)?,
        comment.trim().to_string(),
    );
    let added = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let added = db::domains::allow(conn, &domain, &comment, db::now())?;
            if added {
                audit::record(conn, &staff, "domain.allow", &domain, &comment)?;
            }
            Ok::<_, AppError>(added)
        })
    })
    .await?;
    changed(state);
    Ok(added)
}

/// Takes a domain off the allow list (admins).
pub async fn disallow(state: &AppState, staff: &Staff, domain: &str) -> AppResult<()> {
    check_admin(staff)?;
    let (staff, domain) = (staff.clone(), checked_domain(domain)?);
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            if db::domains::disallow(conn, &domain)? == 0 {
                return Err(AppError::bad_request(
                    Message::new("error-domain-not-allowed").arg("domain", &domain),
                ));
            }
            audit::record(conn, &staff, "domain.disallow", &domain, "")?;
            Ok(())
        })
    })
    .await?;
    changed(state);
    Ok(())
}

/// The allow list (moderators and admins).
pub async fn allowed(state: &AppState, staff: &Staff) -> AppResult<Vec<(String, String)>> {
    check_moderator(staff)?;
    db::run(&state.db, |conn| Ok(db::domains::allowed(conn)?)).await
}

/// Imports a plain allow list (one domain per line), adding what is new (admins).
pub async fn import_allowed(
    state: &AppState,
    staff: &Staff,
    text: &str,
) -> AppResult<ImportSummary> {
    check_admin(staff)?;
    let (domains, invalid) = moderation::parse_allow_list(text);
    let mut summary = ImportSummary {
        invalid,
        ..ImportSummary::default()
    };
    for domain in domains {
        if allow(state, staff, &domain, "imported").await? {
            summary.added += 1;
        } else {
            summary.unchanged += 1;
        }
    }
    Ok(summary)
}

/// The allow list as plain lines.
pub async fn export_allowed(state: &AppState, staff: &Staff) -> AppResult<String> {
    Ok(allowed(state, staff)
        .await?
        .into_iter()
        .map(|(domain, _)| domain + "\n")
        .collect())
}

pub async fn mode(state: &AppState) -> AppResult<FederationMode> {
    Ok(policy(state).await?.mode)
}

/// Opens or closes the network (admins). Closing it with an empty allow list is refused:
/// it would cut the instance off from everyone.
pub async fn set_mode(state: &AppState, staff: &Staff, mode: FederationMode) -> AppResult<()> {
    check_admin(staff)?;
    let staff = staff.clone();
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| write_mode(conn, &staff, mode).map(|_| ()))
    })
    .await?;
    changed(state);
    Ok(())
}

/// Writes the federation mode in the caller's transaction, audited when it changes (the
/// caller drops the cached policy after commit). An allow list must have members.
pub(crate) fn write_mode(
    conn: &mut db::AnyConnection,
    staff: &Staff,
    mode: FederationMode,
) -> AppResult<bool> {
    if mode == FederationMode::Allowlist && db::domains::allowed(conn)?.is_empty() {
        return Err(AppError::invalid("mode", "error-allow-list-empty"));
    }
    let current = db::domains::setting(conn, db::domains::FEDERATION_MODE)?
        .as_deref()
        .and_then(FederationMode::parse)
        .unwrap_or(FederationMode::Open);
    if current == mode {
        return Ok(false);
    }
    db::domains::set_setting(conn, db::domains::FEDERATION_MODE, mode.as_str())?;
    audit::record(conn, staff, "federation.mode", mode.as_str(), "")?;
    Ok(true)
}
