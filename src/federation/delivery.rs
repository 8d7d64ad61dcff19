//! The durable delivery queue: `queue` stores an activity and one row per target inbox; the
//! worker claims due rows, signs and sends them, and retries failures with exponential
//! backoff until they succeed, are refused for good, or the target is dead.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::Arc,
    time::{Duration, SystemTime},
};

use activitypub_federation::config::Data;
use chrono::NaiveDateTime;
use serde_json::Value;
use tokio::{sync::watch, time::Instant};
use url::Url;

use crate::{
    config::Settings,
    crypto::SigningKey,
    db::{
        self,
        activities::DbOutgoingActivityForm,
        actors::DbActor,
        deliveries::{self, ClaimedDelivery},
        AnyConnection,
    },
    error::{AppError, AppResult},
    federation::{
        guard::{check_remote_url, describe, Refused},
        rfc9421, signatures, with_context,
    },
    state::{AppState, STALLED_FOR},
    urls::{host_and_port, Urls},
};

/// An activity to send: its JSON (without `@context`), who sends it and to which inboxes.
pub struct Outgoing<'a> {
    pub id: &'a Url,
    /// The activity type, kept with the row for listings (`Create`, `Follow`, …).
    pub kind: &'a str,
    pub actor_id: i64,
    pub activity: Value,
    pub inboxes: Vec<String>,
    /// Whether the activity belongs in the sender's public outbox.
    pub public: bool,
    /// The post the activity is about, withdrawn with it when the post is deleted.
    pub object_id: Option<&'a str>,
}

/// Stores an outgoing activity and queues it for each distinct inbox, on the caller's
/// connection (inside its transaction). Inboxes on this instance or on blocked domains
/// are left out. Returns the stored activity's row id.
pub fn queue(conn: &mut AnyConnection, urls: &Urls, outgoing: Outgoing) -> AppResult<i64> {
    let payload = with_context(outgoing.activity).to_string();
    let mut targets: Vec<(String, String)> = outgoing
        .inboxes
        .iter()
        .filter_map(|inbox| Url::parse(inbox).ok())
        .filter(|inbox| !urls.is_local(inbox))
        .map(|inbox| {
            let domain = host_and_port(&inbox);
            (inbox.to_string(), domain)
        })
        .collect();
    targets.sort();
    targets.dedup();
    let domains: Vec<&str> = targets.iter().map(|(_, domain)| domain.as_str()).collect();
    let blocked = db::domains::refused_among(conn, &domains)?;
    let allowed: Vec<(String, String)> = targets
        .into_iter()
        .filter(|(_, domain)| !blocked.contains(domain))
        .collect();
    let now = db::now();
    db::write_transaction(conn, |conn| {
        let activity_id = db::activities::insert_outgoing(
            conn,
            &DbOutgoingActivityForm {
                ap_id: outgoing.id.as_str(),
                actor_id: outgoing.actor_id,
                kind: outgoing.kind,
                payload: &payload,
                public: outgoing.public,
                created_at: now,
                object_id: outgoing.object_id,
            },
        )?;
        deliveries::enqueue(conn, activity_id, &allowed, now)?;
        Ok(activity_id)
    })
}

/// How one attempt ended.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Delivered(u16),
    /// Refused for good (3xx, 4xx other than 408, 410 and 429): no retry.
    Rejected(u16),
    /// 410: the inbox is gone.
    Gone,
    /// Not sent, for a reason that will not change (blocked, dead domain, bad URL).
    Dropped(&'static str, String),
    /// 5xx, 408, 429 or a network error: try again later.
    Retry(Option<u16>, String),
}

impl Outcome {
    /// The outcome's label in the metrics.
    fn label(&self) -> &'static str {
        match self {
            Outcome::Delivered(_) => "delivered",
            Outcome::Rejected(_) => "rejected",
            Outcome::Gone => "gone",
            Outcome::Dropped(..) => "dropped",
            Outcome::Retry(..) => "retry",
        }
    }

    /// The inbox answered in a way that says it is there (not a 5xx, 408, 429 or a
    /// network failure).
    fn answered(&self) -> bool {
        matches!(
            self,
            Outcome::Delivered(_) | Outcome::Rejected(_) | Outcome::Gone
        )
    }
}

fn classify(status: u16) -> Outcome {
    match status {
        200..=299 => Outcome::Delivered(status),
        410 => Outcome::Gone,
        408 | 429 => Outcome::Retry(Some(status), format!("HTTP {status}")),
        // An inbox that redirects (we never follow: the target would be unchecked) or
        // refuses will not change its mind.
        300..=499 => Outcome::Rejected(status),
        _ => Outcome::Retry(Some(status), format!("HTTP {status}")),
    }
}

/// Delay before the attempt after `attempts` failed ones: base × 2^(attempts-1), capped.
pub fn backoff(settings: &Settings, attempts: i32) -> chrono::TimeDelta {
    let base = settings.delivery.backoff_base_secs;
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(30);
    let secs = base.saturating_mul(1_i64 << exponent);
    chrono::TimeDelta::seconds(secs.min(settings.delivery.backoff_max_secs))
}

/// The parsed private key of a local actor, read from the database once and cached
/// (parsing a PEM costs milliseconds).
async fn signing_key(data: &Data<AppState>, actor: &DbActor) -> Result<Arc<SigningKey>, String> {
    let (id, ap_id) = (actor.id, actor.ap_id.to_string());
    let pool = data.db.clone();
    data.signing_keys
        .try_get_with(id, async move {
            let pem = db::run(&pool, move |conn| Ok(db::actors::private_key(conn, id)?))
                .await?
                .ok_or_else(|| anyhow::anyhow!("{ap_id} has no private key"))?;
            tokio::task::spawn_blocking(move || SigningKey::from_pem(&pem).map(Arc::new))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
        })
        .await
        .map_err(|e| e.to_string())
}

/// What the database says about the domains of one batch, read once for the batch.
struct DomainChecks {
    blocked: HashSet<String>,
    failing_since: HashMap<String, NaiveDateTime>,
}

impl DomainChecks {
    fn read(conn: &mut AnyConnection, claimed: &[ClaimedDelivery]) -> AppResult<DomainChecks> {
        let mut names: Vec<&str> = claimed.iter().map(|c| c.delivery.domain.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        Ok(DomainChecks {
            blocked: db::domains::refused_among(conn, &names)?,
            failing_since: db::domains::failing_among(conn, &names)?,
        })
    }
}

async fn attempt(
    data: &Data<AppState>,
    claimed: &ClaimedDelivery,
    checks: &DomainChecks,
    now: NaiveDateTime,
) -> Outcome {
    let settings = &data.settings;
    let delivery = &claimed.delivery;
    if checks.blocked.contains(&delivery.domain) {
        return Outcome::Dropped(deliveries::BLOCKED, "the domain is blocked".into());
    }
    let dead_after = chrono::TimeDelta::hours(settings.delivery.dead_after_hours);
    if let Some(&since) = checks.failing_since.get(&delivery.domain) {
        if now - since > dead_after {
            return Outcome::Dropped(
                deliveries::DEAD,
                format!("{} has failed since {since} UTC", delivery.domain),
            );
        }
    }
    let inbox = match Url::parse(&delivery.inbox) {
        Ok(inbox) => inbox,
        Err(e) => return Outcome::Dropped(deliveries::DEAD, format!("bad inbox URL: {e}")),
    };
    if let Err(refused) = check_remote_url(settings, &inbox) {
        return Outcome::Dropped(deliveries::REFUSED, refused.0.to_string());
    }
    let key = match signing_key(data, &claimed.actor).await {
        Ok(key) => key,
        Err(why) => return Outcome::Dropped(deliveries::DEAD, why),
    };
    let body = claimed.activity.payload.clone().into_bytes();
    match post_knocking_twice(
        data,
        &inbox,
        &delivery.domain,
        &claimed.actor.ap_id,
        key,
        body,
    )
    .await
    {
        Ok(status) => classify(status),
        // The resolver refused the inbox's address: policy, not a network failure.
        Err(e) if Refused::is_cause_of(&e) => Outcome::Dropped(deliveries::REFUSED, describe(&e)),
        // Resolution and connection failures are retried like any other.
        Err(e) => Outcome::Retry(None, format!("{e:#}")),
    }
}

/// POSTs a signed activity the way the inbox's domain took last time (draft-cavage unless it
/// answered 401 to it and then accepted RFC 9421, as Fedify's "double knock" does); on a
/// 401, tries the other way once and remembers it when it works. Returns the last status.
async fn post_knocking_twice(
    data: &Data<AppState>,
    inbox: &Url,
    domain: &str,
    actor: &Url,
    key: Arc<SigningKey>,
    body: Vec<u8>,
) -> Result<u16, reqwest_middleware::Error> {
    let prefers_rfc9421 = data.rfc9421_domains.contains_key(domain);
    let send = |rfc9421: bool| {
        let (key, body) = (key.clone(), body.clone());
        async move {
            let request = if rfc9421 {
                rfc9421::signed_post(&data.http, inbox, actor, &key, body)
            } else {
                signatures::signed_post_request(
                    &data.http,
                    inbox,
                    actor,
                    &key,
                    body,
                    SystemTime::now(),
                )
            }
            .map_err(reqwest_middleware::Error::Middleware)?;
            data.http
                .execute(request)
                .await
                .map(|r| r.status().as_u16())
        }
    };
    let status = send(prefers_rfc9421).await?;
    if status != 401 {
        return Ok(status);
    }
    let other = send(!prefers_rfc9421).await?;
    if (200..300).contains(&other) {
        if prefers_rfc9421 {
            data.rfc9421_domains.invalidate(domain).await;
        } else {
            data.rfc9421_domains.insert(domain.to_string(), ()).await;
        }
    }
    Ok(other)
}

/// What recording an outcome writes, worked out before the transaction.
struct Recorded {
    claimed: ClaimedDelivery,
    state: &'static str,
    status: Option<i32>,
    error: Option<String>,
    attempts: i32,
    next: Option<NaiveDateTime>,
    answered: bool,
    failed: bool,
    gone: bool,
}

fn recorded(
    settings: &Settings,
    claimed: ClaimedDelivery,
    outcome: Outcome,
    now: NaiveDateTime,
) -> Recorded {
    let tried = claimed.delivery.attempts + 1;
    let sent = !matches!(outcome, Outcome::Dropped(..));
    let answered = outcome.answered();
    let failed = matches!(outcome, Outcome::Retry(..));
    let gone = matches!(outcome, Outcome::Gone);
    let (state, status, error, next): (
        &'static str,
        Option<u16>,
        Option<String>,
        Option<NaiveDateTime>,
    ) = match outcome {
        Outcome::Delivered(status) => (deliveries::DELIVERED, Some(status), None, None),
        Outcome::Rejected(status) => (
            deliveries::REJECTED,
            Some(status),
            Some(format!("HTTP {status}")),
            None,
        ),
        Outcome::Gone => (
            deliveries::GONE,
            Some(410),
            Some("HTTP 410 Gone".into()),
            None,
        ),
        Outcome::Dropped(state, why) => (state, None, Some(why), None),
        Outcome::Retry(status, why) => {
            if tried >= settings.delivery.max_attempts {
                (
                    deliveries::DEAD,
                    status,
                    Some(format!("{why}; gave up after {tried} attempts")),
                    None,
                )
            } else {
                (
                    deliveries::PENDING,
                    status,
                    Some(why),
                    Some(now + backoff(settings, tried)),
                )
            }
        }
    };
    Recorded {
        attempts: if sent {
            tried
        } else {
            claimed.delivery.attempts
        },
        claimed,
        state,
        status: status.map(i32::from),
        error,
        next,
        answered,
        failed,
        gone,
    }
}

/// The domains a batch heard from (any HTTP answer proves a domain alive) and those that
/// only failed.
#[derive(Default)]
struct Tallies {
    answered: HashSet<String>,
    only_failed: HashSet<String>,
}

/// Records how attempts ended: in one transaction for the batch, else (when that fails)
/// one transaction per delivery, so that one bad row costs only its own outcome.
async fn record_all(
    data: &Data<AppState>,
    outcomes: Vec<(ClaimedDelivery, Outcome)>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let records: Arc<Vec<Recorded>> = Arc::new(
        outcomes
            .into_iter()
            .map(|(claimed, outcome)| recorded(&data.settings, claimed, outcome, now))
            .collect(),
    );
    // Domains recorded as answering in the last minute are not written again.
    let known: Arc<HashSet<String>> = Arc::new(
        records
            .iter()
            .filter(|r| r.answered)
            .map(|r| r.claimed.delivery.domain.clone())
            .filter(|domain| data.answering_domains.contains_key(domain))
            .collect(),
    );
    let everything: Vec<usize> = (0..records.len()).collect();
    let (tallies, failure) = match write_records(data, &records, everything, &known, now).await {
        Ok(tallies) => (tallies, None),
        Err(e) => {
            tracing::warn!(error = %e, "recording a batch of deliveries failed; recording them one by one");
            let mut tallies = Tallies::default();
            let mut failure = None;
            for index in 0..records.len() {
                match write_records(data, &records, vec![index], &known, now).await {
                    Ok(one) => {
                        tallies.answered.extend(one.answered);
                        tallies.only_failed.extend(one.only_failed);
                    }
                    Err(e) => {
                        tracing::error!(delivery = records[index].claimed.delivery.id, error = %e, "recording a delivery failed");
                        failure = Some(e);
                    }
                }
            }
            (tallies, failure)
        }
    };
    for domain in tallies.answered {
        data.answering_domains.insert(domain, ()).await;
    }
    for domain in tallies.only_failed {
        data.answering_domains.invalidate(&domain).await;
    }
    failure.map_or(Ok(()), Err)
}

/// Writes the outcomes of `records[indices]` in one transaction: each delivery's state (only
/// while our lease is on it), followers at inboxes that are gone, and once per domain that
/// it answered (unless `known`) or, with no answer at all, that it failed.
async fn write_records(
    data: &Data<AppState>,
    records: &Arc<Vec<Recorded>>,
    indices: Vec<usize>,
    known: &Arc<HashSet<String>>,
    now: NaiveDateTime,
) -> AppResult<Tallies> {
    let (records, known) = (records.clone(), known.clone());
    db::run(&data.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let mut tallies = Tallies::default();
            let mut failed = HashSet::new();
            let mut written = HashSet::new();
            // Deliveries that ended alike under one lease (a claim's worth of 202s, say) end
            // in one statement.
            let mut ended: HashMap<_, Vec<i64>> = HashMap::new();
            for record in indices.iter().filter_map(|&i| records.get(i)) {
                let delivery = &record.claimed.delivery;
                let Some(lease) = delivery.locked_until else {
                    return Err(AppError::other(anyhow::anyhow!(
                        "delivery {} was sent without a lease",
                        delivery.id
                    )));
                };
                match record.next {
                    Some(next) => {
                        let claim = deliveries::Claim {
                            id: delivery.id,
                            lease,
                        };
                        let error = record.error.as_deref().unwrap_or_default();
                        if deliveries::retry_at(
                            conn,
                            claim,
                            record.attempts,
                            next,
                            record.status,
                            error,
                            now,
                        )? > 0
                        {
                            written.insert(delivery.id);
                        }
                    }
                    None => {
                        let ending = deliveries::Ending {
                            state: record.state,
                            status: record.status,
                            error: record.error.as_deref(),
                            attempts: record.attempts,
                        };
                        ended.entry((lease, ending)).or_default().push(delivery.id)
                    }
                }
            }
            for ((lease, ending), ids) in ended {
                written.extend(deliveries::finish(conn, lease, &ids, &ending, now)?);
            }
            for record in indices.iter().filter_map(|&i| records.get(i)) {
                let delivery = &record.claimed.delivery;
                if !written.contains(&delivery.id) {
                    // Our lease ran out and another worker claimed the delivery: its
                    // outcome counts.
                    tracing::warn!(delivery = delivery.id, "delivery lease lost; outcome not recorded");
                    continue;
                }
                if record.gone {
                    let removed = db::follows::remove_followers_at_inbox(conn, &delivery.inbox)?;
                    if removed > 0 {
                        tracing::info!(inbox = %delivery.inbox, removed, "inbox gone: followers removed");
                    }
                }
                if record.answered {
                    tallies.answered.insert(delivery.domain.clone());
                } else if record.failed {
                    failed.insert(delivery.domain.clone());
                }
            }
            for domain in tallies.answered.iter().filter(|d| !known.contains(*d)) {
                db::domains::record_success(conn, domain, now)?;
            }
            tallies.only_failed = &failed - &tallies.answered;
            for domain in &tallies.only_failed {
                db::domains::record_failure(conn, domain, now)?;
            }
            Ok(tallies)
        })
    })
    .await
}

/// Outcomes recorded in one transaction at most.
const RECORD_BATCH: usize = 128;

/// Deliveries claimed in one transaction (fewer when `delivery.concurrency` is below 8,
/// more when above 32): two such batches are kept claimed ahead of the slots, so that
/// sending does not wait while a claim waits for the database (behind a batch of outcomes
/// being recorded, say). At 5,000 deliveries a second, 32 last 6 ms.
const CLAIM_BATCH: usize = 32;

/// Whether a claimed delivery may still be sent: its lease must outlast an attempt and then
/// the recording of its outcome (each allowed `attempt_takes`), so that no other worker can
/// claim it meanwhile and send it again.
fn sendable(
    now: NaiveDateTime,
    lease_ends: NaiveDateTime,
    attempt_takes: chrono::TimeDelta,
) -> bool {
    now + attempt_takes + attempt_takes < lease_ends
}

/// A claimed delivery, with what the database said of its domain at the claim.
type Ready = (ClaimedDelivery, Arc<DomainChecks>);

/// How long the domain with the most deliveries held back may go without ending an attempt,
/// while the window of held deliveries is full (claims wait), before it counts as stalled
/// (for `STALLED_FOR`). A domain that answers quickly, however many deliveries it has,
/// keeps ending attempts and never stalls; one that takes longer than this to answer, with
/// a backlog, would make every other domain wait at its pace, and is set aside like one
/// that does not answer.
const STALLED_AFTER: Duration = Duration::from_secs(2);

/// The attempts under way to one domain.
struct Attempts {
    count: usize,
    /// When one last ended, or when the first of them started.
    progress: Instant,
}

/// Deliveries (`T`) under way per domain, and those held back because their domain had
/// `delivery.domain_concurrency` under way: a slow or unreachable domain holds that many
/// slots at most while the others are sent. A domain that stalls with a backlog has what
/// is held back for it set aside (given back at the end of the run), gets no more attempts
/// in the run (its deliveries stay in order), and the claims skip it for `STALLED_FOR`:
/// its backlog cannot keep the others waiting.
struct PerDomain<T> {
    most: usize,
    under_way: HashMap<String, Attempts>,
    held: HashMap<String, VecDeque<T>>,
    held_count: usize,
    stalled: HashSet<String>,
    set_aside: Vec<T>,
}

impl<T> PerDomain<T> {
    fn new(most: usize) -> PerDomain<T> {
        PerDomain {
            most: most.max(1),
            under_way: HashMap::new(),
            held: HashMap::new(),
            held_count: 0,
            stalled: HashSet::new(),
            set_aside: Vec::new(),
        }
    }

    fn has_room(&self, domain: &str) -> bool {
        !self.stalled.contains(domain)
            && self.under_way.get(domain).map_or(0, |a| a.count) < self.most
    }

    fn started(&mut self, domain: &str, now: Instant) {
        self.under_way
            .entry(domain.to_string())
            .or_insert(Attempts {
                count: 0,
                progress: now,
            })
            .count += 1;
    }

    fn ended(&mut self, domain: &str, now: Instant) {
        if let Some(attempts) = self.under_way.get_mut(domain) {
            attempts.count = attempts.count.saturating_sub(1);
            attempts.progress = now;
            if attempts.count == 0 {
                self.under_way.remove(domain);
            }
        }
    }

    /// Holds `item` back until its domain has room; sets it aside if the domain stalled.
    fn hold(&mut self, domain: &str, item: T) {
        if self.stalled.contains(domain) {
            self.set_aside.push(item);
            return;
        }
        self.held
            .entry(domain.to_string())
            .or_default()
            .push_back(item);
        self.held_count += 1;
    }

    /// The domain with the most deliveries held back (the one filling the window), and its
    /// attempts under way.
    fn biggest_backlog(&self) -> Option<(&String, &Attempts)> {
        let (domain, _) = self.held.iter().max_by_key(|(_, queue)| queue.len())?;
        Some((domain, self.under_way.get(domain)?))
    }

    /// When the domain with the most held back stalls, unless it ends an attempt before.
    fn next_stall(&self) -> Option<Instant> {
        self.biggest_backlog()
            .map(|(_, attempts)| attempts.progress + STALLED_AFTER)
    }

    /// Sets aside what is held back for the domain with the most held back, if it has
    /// stalled by `now`; returns that domain.
    fn set_aside_stalled(&mut self, now: Instant) -> Option<String> {
        let (domain, attempts) = self.biggest_backlog()?;
        if now < attempts.progress + STALLED_AFTER {
            return None;
        }
        let domain = domain.clone();
        let queue = self.held.remove(&domain)?;
        self.held_count -= queue.len();
        self.set_aside.extend(queue);
        self.stalled.insert(domain.clone());
        Some(domain)
    }

    /// The first delivery held back for a domain that has room again.
    fn take_held(&mut self) -> Option<T> {
        let domain = self
            .held
            .keys()
            .find(|domain| self.has_room(domain))?
            .clone();
        let queue = self.held.get_mut(&domain)?;
        let item = queue.pop_front()?;
        if queue.is_empty() {
            self.held.remove(&domain);
        }
        self.held_count -= 1;
        Some(item)
    }

    /// What is held back or set aside.
    fn drain_held(&mut self) -> impl Iterator<Item = T> + '_ {
        self.held_count = 0;
        self.held
            .drain()
            .flat_map(|(_, queue)| queue)
            .chain(self.set_aside.drain(..))
    }
}

/// An attempt under way to a domain: tells the sending loop when it ends, however it ends
/// (a task that panicked would otherwise keep its domain's room taken for good).
struct UnderWay {
    domain: String,
    ended: tokio::sync::mpsc::UnboundedSender<String>,
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        let _ = self.ended.send(std::mem::take(&mut self.domain));
    }
}

/// Claims the deliveries due now and sends them, `delivery.concurrency` at a time, as a
/// continuous stream: each delivery starts as soon as a slot is free (one slow inbox holds
/// one slot, not a batch; one domain `delivery.domain_concurrency` slots at most, its other
/// deliveries held back meanwhile, and set aside for a while if it stalls with them: see
/// `PerDomain`), while a claimer keeps up to two claim batches claimed ahead. Outcomes are
/// recorded together as they come in. Stops after `concurrency × 64`, when `shutdown` turns
/// true, or when recording fails (what is unrecorded is sent again once its lease runs
/// out). Claimed deliveries left unsent (the run stopped, one was set aside, or one waited
/// so long for a slot that its lease could end before its outcome is recorded) are given
/// back at the end. Returns how many were sent (0 when nothing was due, or only to domains
/// skipped for stalling, or everything claimed was given back: the worker then waits for
/// its next poll instead of spinning).
/// The lease filters on every outcome written keep a delivery whose attempt or recording
/// overran its lease (a slow database) from overwriting another worker's claim; at worst
/// it is sent twice.
pub async fn deliver_due(
    data: &Data<AppState>,
    shutdown: Option<&watch::Receiver<bool>>,
) -> AppResult<usize> {
    let settings = data.settings.clone();
    let concurrency = settings.delivery.concurrency.max(1);
    let domain_concurrency = settings.delivery.domain_concurrency;
    let most = concurrency * 64;
    let slots = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let (sent, mut outcomes) =
        tokio::sync::mpsc::channel::<(ClaimedDelivery, Outcome)>(RECORD_BATCH);
    let batch = CLAIM_BATCH.min(4 * concurrency).max(concurrency);
    let (to_send, mut claimed_ahead) = tokio::sync::mpsc::channel::<Ready>(2 * batch);
    let stopping = || shutdown.is_some_and(|shutdown| *shutdown.borrow());
    // An attempt takes two requests at most (`post_knocking_twice`).
    let attempt_takes = chrono::TimeDelta::from_std(2 * settings.request_timeout())
        .unwrap_or(chrono::TimeDelta::MAX);

    // Domains that stalled with a backlog (`PerDomain`), in this run or lately: the claims
    // skip them.
    let stalled_lately: Vec<String> = data
        .stalled_domains
        .iter()
        .map(|(domain, ())| domain.as_ref().clone())
        .collect();
    let stalled = std::sync::Mutex::new(stalled_lately.clone());
    let skipping = &stalled;
    // Closed when recording failed: claiming stops.
    let recording = sent.clone();
    let claim = async move {
        let mut claimed_total = 0;
        let mut known = deliveries::ClaimedActivities::new();
        while claimed_total < most && !stopping() && !recording.is_closed() {
            let want = batch.min(most - claimed_total);
            // Room first: claimed deliveries wait in the lookahead, never beside it.
            let Ok(room) = to_send.reserve_many(want).await else {
                break; // the sender stopped
            };
            if stopping() {
                break;
            }
            let now = db::now();
            let lease_until = now + chrono::TimeDelta::seconds(settings.delivery.lease_secs);
            let limit = i64::try_from(want).unwrap_or(1);
            let skip = skipping
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            // The domains' checks are read on the claim's connection, after its transaction
            // (on SQLite it holds the one write lock); when they cannot be read, nothing
            // stays claimed.
            let (claimed, checks, read) = db::run(&data.db, move |conn| {
                let claimed = db::write_transaction(conn, |conn| {
                    Ok::<_, AppError>(deliveries::claim_due(
                        conn,
                        now,
                        lease_until,
                        limit,
                        &skip,
                        &mut known,
                    )?)
                })?;
                if claimed.is_empty() {
                    return Ok((claimed, None, known));
                }
                match DomainChecks::read(conn, &claimed) {
                    Ok(checks) => Ok((claimed, Some(checks), known)),
                    Err(e) => {
                        let ids: Vec<i64> = claimed.iter().map(|c| c.delivery.id).collect();
                        if let Err(release) = deliveries::release(conn, lease_until, &ids) {
                            tracing::warn!(error = %release, "giving back a claim failed");
                        }
                        Err(e)
                    }
                }
            })
            .await?;
            known = read;
            let Some(checks) = checks else {
                break; // nothing is due
            };
            debug_assert!(claimed.len() <= want, "claimed beyond the room reserved");
            let last = claimed.len() < want;
            claimed_total += claimed.len();
            let checks = Arc::new(checks);
            for (permit, claimed) in room.zip(claimed) {
                permit.send((claimed, checks.clone()));
            }
            if last {
                break; // nothing more is due now
            }
        }
        Ok::<usize, AppError>(claimed_total)
    };
    // Deliveries held back for their domain, at most as many as are claimed ahead: each
    // holds a lease. When they fill the window, claims wait, until an attempt ends or the
    // domain filling it stalls and is set aside. (What is set aside is bounded too: once a
    // domain is, the claims skip it.)
    let hold_most = 2 * batch;
    let send = async move {
        let (mut unsent, mut attempted) = (vec![], 0);
        let mut per_domain = PerDomain::<Ready>::new(domain_concurrency);
        per_domain.stalled.extend(stalled_lately);
        // The domains of attempts that ended, from their tasks.
        let (ended, mut ends) = tokio::sync::mpsc::unbounded_channel::<String>();
        let mut claims_over = false;
        loop {
            let slot = slots
                .clone()
                .acquire_owned()
                .await
                .map_err(|e| AppError::other(e.into()))?;
            // Recording failed, or the worker is stopping.
            let ending = || sent.is_closed() || stopping();
            if ending() {
                break;
            }
            // The next delivery whose domain has room: one held back, else the next claimed.
            let next = loop {
                while let Ok(domain) = ends.try_recv() {
                    per_domain.ended(&domain, Instant::now());
                }
                if let Some(ready) = per_domain.take_held() {
                    break Some(ready);
                }
                // With nothing more claimed, or the window full, an attempt that ends makes
                // room (every domain held back has attempts under way), or, with the window
                // full, a stall.
                if claims_over || per_domain.held_count >= hold_most {
                    if per_domain.held_count == 0 {
                        break None;
                    }
                    // The window full holds up the claims: the domain filling it, if it
                    // stalls meanwhile, is set aside, and the claims go past it.
                    let stalls = (!claims_over).then(|| per_domain.next_stall()).flatten();
                    let ended = match stalls {
                        Some(at) => tokio::time::timeout_at(at, ends.recv()).await.ok(),
                        None => Some(ends.recv().await),
                    };
                    match ended {
                        Some(Some(domain)) => per_domain.ended(&domain, Instant::now()),
                        Some(None) => break None,
                        None => {
                            if let Some(domain) = per_domain.set_aside_stalled(Instant::now()) {
                                tracing::info!(%domain, skipped_for = ?STALLED_FOR, "a domain stalled with a backlog: its deliveries are set aside");
                                data.stalled_domains.insert(domain.clone(), ()).await;
                                skipping
                                    .lock()
                                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                                    .push(domain);
                            }
                        }
                    }
                    continue;
                }
                tokio::select! {
                    biased;
                    Some(domain) = ends.recv() => per_domain.ended(&domain, Instant::now()),
                    claimed = claimed_ahead.recv() => match claimed {
                        Some(ready) if per_domain.has_room(&ready.0.delivery.domain) => {
                            break Some(ready)
                        }
                        Some(ready) => per_domain.hold(&ready.0.delivery.domain.clone(), ready),
                        None => claims_over = true,
                    },
                }
            };
            let Some((claimed, checks)) = next else {
                break;
            };
            let lease_ends = claimed.delivery.locked_until.unwrap_or_default();
            if ending() || !sendable(db::now(), lease_ends, attempt_takes) {
                unsent.push(claimed);
                continue;
            }
            attempted += 1;
            per_domain.started(&claimed.delivery.domain, Instant::now());
            let under_way = UnderWay {
                domain: claimed.delivery.domain.clone(),
                ended: ended.clone(),
            };
            let (data, sent) = (data.clone(), sent.clone());
            tokio::spawn(async move {
                let started = std::time::Instant::now();
                let outcome = attempt(&data, &claimed, &checks, db::now()).await;
                log_outcome(&claimed, &outcome);
                // Latency of answers only: a timeout says nothing of how fast an inbox is.
                let answered_in = (outcome.answered()
                    || matches!(outcome, Outcome::Retry(Some(_), _)))
                .then(|| started.elapsed());
                data.metrics
                    .delivery(&claimed.delivery.domain, outcome.label(), answered_in);
                // A domain that answers, however slowly, is no longer skipped: only one that
                // does not answer at all waits out `STALLED_FOR`.
                if answered_in.is_some()
                    && data.stalled_domains.contains_key(&claimed.delivery.domain)
                {
                    data.stalled_domains
                        .invalidate(&claimed.delivery.domain)
                        .await;
                }
                // The domain's room before the slot: the slot may be taken at once.
                drop(under_way);
                drop(slot);
                // Closed only when recording failed: the lease runs out and the delivery
                // is claimed again.
                let _ = sent.send((claimed, outcome)).await;
            });
        }
        // What is held back or still claimed ahead is not sent either (a claim under way
        // still lands).
        unsent.extend(per_domain.drain_held().map(|(claimed, _)| claimed));
        claimed_ahead.close();
        while let Some((claimed, _)) = claimed_ahead.recv().await {
            unsent.push(claimed);
        }
        Ok::<_, AppError>((attempted, unsent))
    };
    let record = async {
        let mut pending = Vec::with_capacity(RECORD_BATCH);
        while outcomes.recv_many(&mut pending, RECORD_BATCH).await > 0 {
            let batch = std::mem::take(&mut pending);
            if let Err(e) = record_all(data, batch, db::now()).await {
                // Stop claiming; what is in flight ends without being recorded.
                outcomes.close();
                return Err(e);
            }
        }
        Ok(())
    };
    let (claimed, sending, recorded) = tokio::join!(claim, send, record);
    let (attempted, unsent) = sending?;
    give_back(data, unsent).await;
    recorded?;
    claimed?;
    Ok(attempted)
}

/// Gives back the leases of claimed deliveries that were not sent, so that they are due
/// again at once rather than when their lease ends.
async fn give_back(data: &Data<AppState>, unsent: Vec<ClaimedDelivery>) {
    if unsent.is_empty() {
        return;
    }
    let count = unsent.len();
    let mut by_lease: HashMap<NaiveDateTime, Vec<i64>> = HashMap::new();
    for claimed in unsent {
        if let Some(lease) = claimed.delivery.locked_until {
            by_lease.entry(lease).or_default().push(claimed.delivery.id);
        }
    }
    let released = db::run(&data.db, move |conn| {
        db::write_transaction(conn, |conn| {
            by_lease.iter().try_fold(0, |released, (lease, ids)| {
                Ok::<_, AppError>(released + deliveries::release(conn, *lease, ids)?)
            })
        })
    })
    .await;
    match released {
        Ok(released) => tracing::info!(count, released, "claimed deliveries given back unsent"),
        // Their leases run out instead.
        Err(e) => tracing::warn!(count, error = %e, "giving back unsent deliveries failed"),
    }
}

fn log_outcome(claimed: &ClaimedDelivery, outcome: &Outcome) {
    tracing::debug!(inbox = %claimed.delivery.inbox, activity = %claimed.activity.ap_id, ?outcome, "delivery attempt");
    match outcome {
        Outcome::Retry(_, why) => {
            tracing::info!(inbox = %claimed.delivery.inbox, attempts = claimed.delivery.attempts + 1, %why, "delivery failed, will retry");
        }
        Outcome::Dropped(state, why) => {
            tracing::warn!(inbox = %claimed.delivery.inbox, activity = %claimed.activity.ap_id, state, %why, "delivery dropped");
        }
        _ => {}
    }
}

/// Sends everything due until nothing is (tests, and `munifed deliveries --retry-now`).
/// Deliveries that fail are scheduled later and are not retried by this call; those to a
/// domain skipped for stalling (`STALLED_FOR`) stay due.
pub async fn drain(data: &Data<AppState>) -> AppResult<usize> {
    let mut total = 0;
    loop {
        let count = deliver_due(data, None).await?;
        if count == 0 {
            return Ok(total);
        }
        total += count;
    }
}

/// How long finished deliveries and received activity ids are kept.
const KEEP_HISTORY_DAYS: i64 = 30;

/// Deletes finished deliveries and received activity ids older than `KEEP_HISTORY_DAYS`.
pub async fn prune_history(data: &Data<AppState>) -> AppResult<(usize, usize)> {
    let before = db::now() - chrono::TimeDelta::days(KEEP_HISTORY_DAYS);
    db::run(&data.db, move |conn| {
        Ok((
            deliveries::prune_finished(conn, before)?,
            db::activities::prune_received(conn, before)?,
        ))
    })
    .await
}

/// The background worker: sends due deliveries, sleeps until woken or polled, prunes old
/// history hourly, and stops after its current batch when `shutdown` turns true.
pub async fn run_worker(data: Data<AppState>, mut shutdown: watch::Receiver<bool>) {
    let poll = Duration::from_millis(data.settings.delivery.poll_interval_ms.max(10));
    let mut last_pruned: Option<std::time::Instant> = None;
    tracing::info!("delivery worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        if last_pruned.is_none_or(|at| at.elapsed() > Duration::from_secs(3600)) {
            match prune_history(&data).await {
                Ok((deliveries, received)) => {
                    tracing::debug!(deliveries, received, "pruned delivery history")
                }
                Err(e) => tracing::warn!(error = %e, "pruning delivery history failed"),
            }
            match crate::service::timeline::retention::prune(&data).await {
                Ok(pruned) => {
                    tracing::debug!(
                        posts = pruned.posts,
                        media = pruned.media,
                        "pruned the timeline"
                    )
                }
                Err(e) => tracing::warn!(error = %e, "pruning the timeline failed"),
            }
            last_pruned = Some(std::time::Instant::now());
        }
        let claimed = match deliver_due(&data, Some(&shutdown)).await {
            Ok(count) => count,
            Err(e) => {
                tracing::error!(error = %e, "delivery worker error");
                0
            }
        };
        if claimed > 0 {
            continue;
        }
        tokio::select! {
            _ = data.delivery_wakeup.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("delivery worker stopped");
}

#[cfg(test)]
mod tests {
    use tokio::time::Instant;

    use super::{backoff, classify, sendable, Outcome, PerDomain, STALLED_AFTER};
    use crate::config::Settings;

    #[test]
    fn a_delivery_is_sent_only_while_its_lease_outlasts_the_attempt_and_its_recording() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .expect("time")
            .naive_utc();
        let attempt = chrono::TimeDelta::seconds(20);
        let lease = |secs| now + chrono::TimeDelta::seconds(secs);
        assert!(sendable(now, lease(120), attempt));
        assert!(sendable(now, lease(41), attempt));
        assert!(!sendable(now, lease(40), attempt));
        assert!(!sendable(now, lease(-1), attempt));
    }

    #[test]
    fn a_domain_gets_its_share_and_its_held_deliveries_go_when_it_has_room_again() {
        let now = Instant::now();
        let mut per_domain = PerDomain::new(2);
        for _ in 0..2 {
            assert!(per_domain.has_room("slow.example"));
            per_domain.started("slow.example", now);
        }
        assert!(!per_domain.has_room("slow.example"));
        assert!(per_domain.has_room("other.example"));
        for n in 0..3 {
            per_domain.hold("slow.example", n);
        }
        per_domain.hold("late.example", 10);
        assert_eq!(per_domain.held_count, 4);
        // late.example has room: its delivery goes; slow.example's wait.
        assert_eq!(per_domain.take_held(), Some(10));
        assert_eq!(per_domain.take_held(), None);
        per_domain.ended("slow.example", now);
        assert_eq!(per_domain.take_held(), Some(0), "oldest first");
        per_domain.started("slow.example", now);
        assert_eq!(per_domain.take_held(), None);
        per_domain.hold("other.example", 20);
        assert_eq!(per_domain.held_count, 3);
        assert_eq!(per_domain.drain_held().count(), 3);
        assert_eq!(per_domain.held_count, 0);
    }

    #[test]
    fn a_domain_that_ends_no_attempt_for_a_while_is_set_aside_with_what_it_holds() {
        let start = Instant::now();
        let mut per_domain = PerDomain::new(1);
        per_domain.started("slow.example", start);
        per_domain.started("busy.example", start);
        per_domain.hold("slow.example", 1);
        per_domain.hold("slow.example", 2);
        per_domain.hold("busy.example", 3);
        // slow.example holds the most: it is the one judged.
        assert_eq!(per_domain.next_stall(), Some(start + STALLED_AFTER));
        assert_eq!(
            per_domain.set_aside_stalled(start + STALLED_AFTER / 2),
            None
        );
        assert_eq!(per_domain.held_count, 3);
        // An attempt that ends is progress: the clock starts again.
        per_domain.ended("slow.example", start + STALLED_AFTER / 2);
        per_domain.started("slow.example", start + STALLED_AFTER / 2);
        assert_eq!(per_domain.set_aside_stalled(start + STALLED_AFTER), None);
        let stalls = start + STALLED_AFTER / 2 + STALLED_AFTER;
        assert_eq!(per_domain.next_stall(), Some(stalls));
        assert_eq!(
            per_domain.set_aside_stalled(stalls).as_deref(),
            Some("slow.example")
        );
        assert_eq!(
            per_domain.held_count, 1,
            "busy.example's delivery is still held"
        );
        // A stalled domain gets no more attempts in the run, even with room: what arrives
        // for it is set aside at once, after what was held (its order is kept).
        per_domain.ended("slow.example", stalls);
        assert!(!per_domain.has_room("slow.example"));
        per_domain.hold("slow.example", 4);
        assert_eq!(per_domain.held_count, 1);
        assert_eq!(per_domain.take_held(), None);
        let all: Vec<i32> = per_domain.drain_held().collect();
        assert_eq!(all, [3, 1, 2, 4]);
    }

    #[test]
    fn statuses_decide_retries() {
        assert_eq!(classify(202), Outcome::Delivered(202));
        assert_eq!(classify(410), Outcome::Gone);
        assert_eq!(classify(403), Outcome::Rejected(403));
        assert_eq!(classify(301), Outcome::Rejected(301));
        assert_eq!(classify(308), Outcome::Rejected(308));
        assert!(matches!(classify(429), Outcome::Retry(Some(429), _)));
        assert!(matches!(classify(500), Outcome::Retry(Some(500), _)));
        assert!(matches!(classify(503), Outcome::Retry(Some(503), _)));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let settings = Settings::load_with_env(None, []).expect("defaults");
        assert_eq!(backoff(&settings, 1).num_seconds(), 60);
        assert_eq!(backoff(&settings, 2).num_seconds(), 120);
        assert_eq!(backoff(&settings, 5).num_seconds(), 960);
        assert_eq!(backoff(&settings, 40).num_seconds(), 43_200);
    }
}
