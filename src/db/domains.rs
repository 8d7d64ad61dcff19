//! Domain rules: blocked domains, and each domain's delivery health.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    per_backend,
    schema::{allowed_domains, blocked_actors, domain_blocks, domain_health, instance_settings},
    AnyConnection, Reused,
};
use crate::domain::moderation::{DomainPolicy, DomainRule, FederationMode, Severity};

/// Which of `domains` we do not talk to (suspended, or outside the allow list), reading
/// only the rules and allow-list entries that could apply to them.
pub fn refused_among(
    conn: &mut AnyConnection,
    domains: &[&str],
) -> QueryResult<std::collections::HashSet<String>> {
    let candidates: Vec<String> = domains.iter().flat_map(|d| block_candidates(d)).collect();
    let rules = domain_blocks::table
        .filter(domain_blocks::domain.eq_any(&candidates))
        .select(RULE_COLUMNS)
        .load::<RuleRow>(conn)?
        .into_iter()
        .map(rule_of)
        .map(|rule| (rule.domain.clone(), rule))
        .collect();
    let allowed = allowed_domains::table
        .filter(allowed_domains::domain.eq_any(&candidates))
        .select(allowed_domains::domain)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mode = setting(conn, FEDERATION_MODE)?
        .and_then(|m| FederationMode::parse(&m))
        .unwrap_or_default();
    let policy = DomainPolicy {
        mode,
        rules,
        allowed,
        blocked_actors: Default::default(),
    };
    Ok(domains
        .iter()
        .filter(|d| policy.refuses(d))
        .map(|d| d.to_string())
        .collect())
}

pub use crate::domain::moderation::block_candidates;

type RuleRow = (String, String, String, bool, bool, String, bool);

/// The columns of a rule, in `RuleRow`'s order.
const RULE_COLUMNS: (
    domain_blocks::domain,
    domain_blocks::reason,
    domain_blocks::severity,
    domain_blocks::reject_media,
    domain_blocks::reject_reports,
    domain_blocks::public_comment,
    domain_blocks::obfuscate,
) = (
    domain_blocks::domain,
    domain_blocks::reason,
    domain_blocks::severity,
    domain_blocks::reject_media,
    domain_blocks::reject_reports,
    domain_blocks::public_comment,
    domain_blocks::obfuscate,
);

fn rule_of(row: RuleRow) -> DomainRule {
    let (domain, reason, severity, reject_media, reject_reports, public_comment, obfuscate) = row;
    DomainRule {
        domain,
        severity: Severity::parse(&severity).unwrap_or(Severity::Suspend),
        reject_media,
        reject_reports,
        public_comment,
        private_comment: reason,
        obfuscate,
    }
}

/// Every domain rule, by domain.
pub fn rules(conn: &mut AnyConnection) -> QueryResult<Vec<DomainRule>> {
    Ok(domain_blocks::table
        .order(domain_blocks::domain.asc())
        .select(RULE_COLUMNS)
        .load::<RuleRow>(conn)?
        .into_iter()
        .map(rule_of)
        .collect())
}

/// A page of the rules, and of the allow list (domain, comment).
pub type RulesPage = (Vec<DomainRule>, Vec<(String, String)>);

/// One page of the rules and of the allow list, by domain: `limit` from `offset`.
pub fn page(conn: &mut AnyConnection, limit: i64, offset: i64) -> QueryResult<RulesPage> {
    let rules = domain_blocks::table
        .order(domain_blocks::domain.asc())
        .limit(limit)
        .offset(offset)
        .select(RULE_COLUMNS)
        .load::<RuleRow>(conn)?
        .into_iter()
        .map(rule_of)
        .collect();
    let allowed = allowed_domains::table
        .order(allowed_domains::domain.asc())
        .limit(limit)
        .offset(offset)
        .select((allowed_domains::domain, allowed_domains::comment))
        .load(conn)?;
    Ok((rules, allowed))
}

/// Every rule, the allow list and the mode, read whole (what `service::domains` caches).
pub fn policy(conn: &mut AnyConnection) -> QueryResult<DomainPolicy> {
    let rules = rules(conn)?
        .into_iter()
        .map(|rule| (rule.domain.clone(), rule))
        .collect();
    let allowed = allowed_domains::table
        .select(allowed_domains::domain)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mode = setting(conn, FEDERATION_MODE)?
        .and_then(|m| FederationMode::parse(&m))
        .unwrap_or_default();
    let blocked_actors = blocked_actors::table
        .select(blocked_actors::ap_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    Ok(DomainPolicy {
        mode,
        rules,
        allowed,
        blocked_actors,
    })
}

/// Records a rule, replacing the domain's previous one.
pub fn upsert_rule(
    conn: &mut AnyConnection,
    rule: &DomainRule,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let values = (
        domain_blocks::domain.eq(&rule.domain),
        domain_blocks::reason.eq(&rule.private_comment),
        domain_blocks::created_at.eq(now),
        domain_blocks::severity.eq(rule.severity.as_str()),
        domain_blocks::reject_media.eq(rule.reject_media),
        domain_blocks::reject_reports.eq(rule.reject_reports),
        domain_blocks::public_comment.eq(&rule.public_comment),
        domain_blocks::obfuscate.eq(rule.obfuscate),
    );
    per_backend!(conn, |c| diesel::insert_into(domain_blocks::table)
        .values(values)
        .on_conflict(domain_blocks::domain)
        .do_update()
        .set((
            domain_blocks::reason.eq(&rule.private_comment),
            domain_blocks::severity.eq(rule.severity.as_str()),
            domain_blocks::reject_media.eq(rule.reject_media),
            domain_blocks::reject_reports.eq(rule.reject_reports),
            domain_blocks::public_comment.eq(&rule.public_comment),
            domain_blocks::obfuscate.eq(rule.obfuscate),
        ))
        .execute(c))?;
    Ok(())
}

/// Suspends `domain` (and its subdomains).
pub fn block(
    conn: &mut AnyConnection,
    domain: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rule = DomainRule {
        domain: block_candidates(domain).swap_remove(0),
        severity: Severity::Suspend,
        reject_media: false,
        reject_reports: false,
        public_comment: String::new(),
        private_comment: reason.to_string(),
        obfuscate: false,
    };
    upsert_rule(conn, &rule, now)
}

pub fn delete_rule(conn: &mut AnyConnection, domain: &str) -> QueryResult<usize> {
    diesel::delete(domain_blocks::table.find(domain)).execute(conn)
}

/// The allow list: domains and comments.
pub fn allowed(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    allowed_domains::table
        .order(allowed_domains::domain.asc())
        .select((allowed_domains::domain, allowed_domains::comment))
        .load(conn)
}

/// Adds `domain` to the allow list; whether it was new.
pub fn allow(
    conn: &mut AnyConnection,
    domain: &str,
    comment: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let added = per_backend!(conn, |c| diesel::insert_into(allowed_domains::table)
        .values((
            allowed_domains::domain.eq(domain),
            allowed_domains::comment.eq(comment),
            allowed_domains::created_at.eq(now),
        ))
        .on_conflict(allowed_domains::domain)
        .do_nothing()
        .execute(c))?;
    Ok(added > 0)
}

pub fn disallow(conn: &mut AnyConnection, domain: &str) -> QueryResult<usize> {
    diesel::delete(allowed_domains::table.find(domain)).execute(conn)
}

/// The name of the federation mode setting.
pub const FEDERATION_MODE: &str = "federation_mode";

pub fn setting(conn: &mut AnyConnection, name: &str) -> QueryResult<Option<String>> {
    instance_settings::table
        .find(name)
        .select(instance_settings::value)
        .first(conn)
        .optional()
}

pub fn set_setting(conn: &mut AnyConnection, name: &str, value: &str) -> QueryResult<()> {
    per_backend!(conn, |c| diesel::insert_into(instance_settings::table)
        .values((
            instance_settings::name.eq(name),
            instance_settings::value.eq(value)
        ))
        .on_conflict(instance_settings::name)
        .do_update()
        .set(instance_settings::value.eq(value))
        .execute(c))?;
    Ok(())
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = domain_health)]
pub struct DbDomainHealth {
    pub domain: String,
    pub failing_since: Option<NaiveDateTime>,
    pub last_success_at: Option<NaiveDateTime>,
    pub last_failure_at: Option<NaiveDateTime>,
}

pub fn health(conn: &mut AnyConnection, domain: &str) -> QueryResult<Option<DbDomainHealth>> {
    domain_health::table
        .find(domain)
        .select(DbDomainHealth::as_select())
        .first(conn)
        .optional()
}

/// Since when each of `domains` has been failing, for those that are.
pub fn failing_among(
    conn: &mut AnyConnection,
    domains: &[&str],
) -> QueryResult<std::collections::HashMap<String, NaiveDateTime>> {
    Ok(domain_health::table
        .filter(domain_health::domain.eq_any(domains))
        .filter(domain_health::failing_since.is_not_null())
        .select((domain_health::domain, domain_health::failing_since))
        .load::<(String, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .filter_map(|(domain, since)| Some((domain, since?)))
        .collect())
}

pub fn failing_domains(conn: &mut AnyConnection) -> QueryResult<Vec<DbDomainHealth>> {
    domain_health::table
        .filter(domain_health::failing_since.is_not_null())
        .order(domain_health::failing_since.asc())
        .select(DbDomainHealth::as_select())
        .load(conn)
}

/// Forgets what is known of `domain`'s health (its data was forgotten).
pub fn forget_health(conn: &mut AnyConnection, domain: &str) -> QueryResult<usize> {
    diesel::delete(domain_health::table.find(domain)).execute(conn)
}

pub fn record_success(
    conn: &mut AnyConnection,
    domain: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    per_backend!(conn, |c| Reused(
        diesel::insert_into(domain_health::table)
            .values((
                domain_health::domain.eq(domain),
                domain_health::last_success_at.eq(now),
            ))
            .on_conflict(domain_health::domain)
            .do_update()
            .set((
                domain_health::failing_since.eq(None::<NaiveDateTime>),
                domain_health::last_success_at.eq(now),
            ))
            .returning(domain_health::domain)
    )
    .get_result::<String>(c))?;
    Ok(())
}

/// Records a failure; the domain's `failing_since` keeps the first failure after a success.
/// One statement: a read-then-write transaction can fail at once on a busy SQLite.
pub fn record_failure(
    conn: &mut AnyConnection,
    domain: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO domain_health (domain, failing_since, last_failure_at) VALUES ($1, $2, $2) \
         ON CONFLICT (domain) DO UPDATE SET \
         failing_since = COALESCE(domain_health.failing_since, excluded.failing_since), \
         last_failure_at = excluded.last_failure_at",
    )
    .bind::<diesel::sql_types::Text, _>(domain)
    .bind::<diesel::sql_types::Timestamp, _>(now)
    .execute(conn)?;
    Ok(())
}

/// Blocks a remote actor; whether it was new.
pub fn block_actor(
    conn: &mut AnyConnection,
    ap_id: &str,
    comment: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let added = per_backend!(conn, |c| diesel::insert_into(blocked_actors::table)
        .values((
            blocked_actors::ap_id.eq(ap_id),
            blocked_actors::comment.eq(comment),
            blocked_actors::created_at.eq(now),
        ))
        .on_conflict(blocked_actors::ap_id)
        .do_nothing()
        .execute(c))?;
    Ok(added > 0)
}

pub fn unblock_actor(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<usize> {
    diesel::delete(blocked_actors::table.find(ap_id)).execute(conn)
}

/// Blocked actors and why, newest first, `limit` from `offset`.
pub fn blocked_actors(
    conn: &mut AnyConnection,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<(String, String)>> {
    blocked_actors::table
        .order((
            blocked_actors::created_at.desc(),
            blocked_actors::ap_id.asc(),
        ))
        .limit(limit)
        .offset(offset)
        .select((blocked_actors::ap_id, blocked_actors::comment))
        .load(conn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_domain_and_its_parents_are_candidates() {
        assert_eq!(
            super::block_candidates("a.B.example.com:8443"),
            ["a.b.example.com", "b.example.com", "example.com"]
        );
        assert_eq!(super::block_candidates("localhost:80"), ["localhost"]);
    }
}
