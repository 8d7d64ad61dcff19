//! The federation layer's side of `service::network`: turns what the use cases say happened
//! into ActivityPub activities and queues them for the right inboxes, and resolves actors.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};
use serde_json::{json, Value};
use url::Url;

use crate::{
    config::PublishAs,
    db::{self, actors::DbActor, AnyConnection},
    domain::account_name::INSTANCE_ACTOR_NAME,
    error::{AppError, AppResult, ErrorKind},
    federation::{
        activities::{Accept, Follow, Reject, Undo},
        delivery::{self, Outgoing},
        guard,
        objects::{actor::local_actor_json, post as apub},
        to_json, webfinger, PUBLIC,
    },
    i18n::Message,
    service::{
        instance,
        network::{FetchFailure, FollowParties, Network, Outbound},
    },
    state::AppState,
    urls::Urls,
};

/// The activities about a post.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PostVerb {
    Create,
    Update,
    Delete,
}

impl PostVerb {
    fn as_str(self) -> &'static str {
        match self {
            PostVerb::Create => "Create",
            PostVerb::Update => "Update",
            PostVerb::Delete => "Delete",
        }
    }
}

/// The activities about a follow.
#[derive(Clone, Copy)]
enum FollowVerb {
    Follow,
    Undo,
    Accept,
    Reject,
}

impl FollowVerb {
    fn as_str(self) -> &'static str {
        match self {
            FollowVerb::Follow => "Follow",
            FollowVerb::Undo => "Undo",
            FollowVerb::Accept => "Accept",
            FollowVerb::Reject => "Reject",
        }
    }
}

/// ActivityPub over the durable delivery queue.
pub struct ActivityPub {
    urls: Urls,
    publish_as: PublishAs,
}

impl ActivityPub {
    pub fn new(urls: Urls, publish_as: PublishAs) -> ActivityPub {
        ActivityPub { urls, publish_as }
    }

    /// Create, Update or Delete of a post, to every follower of its account. A Delete first
    /// withdraws the post's earlier activities from the outbox and from the queue.
    fn post_activity(
        &self,
        conn: &mut AnyConnection,
        post_id: i64,
        verb: PostVerb,
    ) -> AppResult<()> {
        let view = db::posts::get(conn, post_id)?.ok_or_else(AppError::not_found)?;
        let object_id = self.urls.post(view.kind(), post_id).to_string();
        let id = self.urls.new_activity();
        if view.post.deleted_at.is_some() && verb != PostVerb::Delete {
            // Deleted in the meantime: its Create or Update must not go out after the Delete.
            return Ok(());
        }
        let activity = match verb {
            PostVerb::Create | PostVerb::Update => {
                let publish_as = instance::publish_as(conn, self.publish_as)?;
                let object = apub::post_json(&view, &self.urls, publish_as);
                apub::create_or_update(verb.as_str(), &id, object)
            }
            PostVerb::Delete => {
                let earlier = db::activities::withdraw_object(conn, &object_id)?;
                db::deliveries::withdraw_pending(conn, &earlier, db::now())?;
                apub::delete(&id, &view, &self.urls)
            }
        };
        let kind = verb.as_str();
        self.to_followers(conn, &view.account, &id, kind, activity, Some(&object_id))
    }

    /// Update of a local actor's profile, to its followers.
    fn profile_update(&self, conn: &mut AnyConnection, account_id: i64) -> AppResult<()> {
        let account = db::actors::by_id(conn, account_id)?;
        let id = self.urls.new_activity();
        let activity = json!({
            "id": id,
            "type": "Update",
            "actor": account.ap_id.as_str(),
            "to": [PUBLIC],
            "cc": [account.followers_url],
            "object": local_actor_json(&account)?,
        });
        self.to_followers(conn, &account, &id, "Update", activity, None)
    }

    /// Mastodon's account migration: `Move` with the account as actor and object and its
    /// new account as target, to its followers.
    fn account_move(
        &self,
        conn: &mut AnyConnection,
        account_id: i64,
        target: &str,
    ) -> AppResult<()> {
        let account = db::actors::by_id(conn, account_id)?;
        let id = self.urls.new_activity();
        let activity = json!({
            "id": id,
            "type": "Move",
            "actor": account.ap_id.as_str(),
            "object": account.ap_id.as_str(),
            "target": target,
            "to": [account.followers_url],
        });
        // To the followers only (not the relays, not the public outbox), as Mastodon does.
        let outgoing = Outgoing {
            id: &id,
            kind: "Move",
            actor_id: account.id,
            activity,
            inboxes: db::follows::follower_inboxes(conn, account.id)?,
            public: false,
            object_id: None,
        };
        delivery::queue(conn, &self.urls, outgoing).map(|_| ())
    }

    fn to_followers(
        &self,
        conn: &mut AnyConnection,
        account: &DbActor,
        id: &Url,
        kind: &str,
        activity: Value,
        object_id: Option<&str>,
    ) -> AppResult<()> {
        let mut inboxes = db::follows::follower_inboxes(conn, account.id)?;
        // Public posts also go to the relays that accepted us.
        for relay in db::relays::accepted_inboxes(conn)? {
            if !inboxes.contains(&relay) {
                inboxes.push(relay);
            }
        }
        let outgoing = Outgoing {
            id,
            kind,
            actor_id: account.id,
            activity,
            inboxes,
            public: true,
            object_id,
        };
        delivery::queue(conn, &self.urls, outgoing).map(|_| ())
    }

    /// The instance actor's Follow of a relay: of Public at a Mastodon-style relay's inbox,
    /// of the relay's actor for a LitePub one.
    fn relay_follow(&self, conn: &mut AnyConnection, relay_id: i64) -> AppResult<()> {
        let relay = db::relays::by_id(conn, relay_id)?;
        let object = relay
            .actor
            .clone()
            .filter(|_| relay.kind == db::relays::LITEPUB);
        let follow = self.relay_follow_json(conn, &relay.follow_activity_id, object.as_deref())?;
        let id = Url::parse(&relay.follow_activity_id)
            .map_err(|e| AppError::other(anyhow::anyhow!("stored follow id: {e}")))?;
        self.send_as_instance(conn, &id, "Follow", follow, relay.inbox)
    }

    fn relay_unfollow(
        &self,
        conn: &mut AnyConnection,
        inbox: &str,
        object: Option<&str>,
        follow_activity_id: &str,
    ) -> AppResult<()> {
        let follow = self.relay_follow_json(conn, follow_activity_id, object)?;
        let id = self.urls.new_activity();
        let undo = json!({
            "id": id,
            "type": "Undo",
            "actor": follow["actor"],
            "object": follow,
        });
        self.send_as_instance(conn, &id, "Undo", undo, inbox.to_string())
    }

    /// A moderator's report as a `Flag` from the instance actor (the moderator is not
    /// named), to the reported actor's server: its id, then the posts, as Mastodon sends.
    fn report_flag(&self, conn: &mut AnyConnection, report_id: i64) -> AppResult<()> {
        let report = db::reports::by_id(conn, report_id)?.ok_or_else(AppError::not_found)?;
        let target =
            db::actors::by_ap_id(conn, &report.target_actor)?.ok_or_else(AppError::not_found)?;
        let instance = db::actors::local_by_username(conn, INSTANCE_ACTOR_NAME)?
            .ok_or_else(AppError::not_found)?;
        let id = Url::parse(&report.activity_id)
            .map_err(|e| AppError::other(anyhow::anyhow!("stored report id: {e}")))?;
        let mut objects = vec![target.ap_id.to_string()];
        objects.extend(report.object_ids());
        let flag = json!({
            "id": id,
            "type": "Flag",
            "actor": instance.ap_id.as_str(),
            "content": report.comment,
            "object": objects,
            "to": [target.ap_id.as_str()],
        });
        let inbox = target.shared_inbox.clone().unwrap_or(target.inbox.clone());
        self.send_as_instance(conn, &id, "Flag", flag, inbox)
    }

    fn relay_follow_json(
        &self,
        conn: &mut AnyConnection,
        id: &str,
        object: Option<&str>,
    ) -> AppResult<Value> {
        let instance = db::actors::local_by_username(conn, INSTANCE_ACTOR_NAME)?
            .ok_or_else(AppError::not_found)?;
        Ok(json!({
            "id": id,
            "type": "Follow",
            "actor": instance.ap_id.as_str(),
            "object": object.unwrap_or(PUBLIC),
        }))
    }

    /// Queues `activity` from the instance actor to one inbox (relays, reports).
    fn send_as_instance(
        &self,
        conn: &mut AnyConnection,
        id: &Url,
        kind: &str,
        activity: Value,
        inbox: String,
    ) -> AppResult<()> {
        let instance = db::actors::local_by_username(conn, INSTANCE_ACTOR_NAME)?
            .ok_or_else(AppError::not_found)?;
        let outgoing = Outgoing {
            id,
            kind,
            actor_id: instance.id,
            activity,
            inboxes: vec![inbox],
            public: false,
            object_id: None,
        };
        delivery::queue(conn, &self.urls, outgoing).map(|_| ())
    }

    /// Follow, Undo{Follow}, Accept{Follow} or Reject{Follow}, sent by `from` (the follower
    /// for the first two, the followed account for the others) to the other party's inbox.
    fn follow_activity(
        &self,
        conn: &mut AnyConnection,
        parties: &FollowParties,
        verb: FollowVerb,
    ) -> AppResult<()> {
        let follower = db::actors::by_id(conn, parties.follower_id)?;
        let followee = db::actors::by_id(conn, parties.followee_id)?;
        let follow_id = Url::parse(&parties.activity_id)
            .map_err(|e| AppError::other(anyhow::anyhow!("stored follow id: {e}")))?;
        let follow = Follow::new(follow_id.clone(), &follower, &followee);
        let (id, from, to, activity) = match verb {
            FollowVerb::Follow => (follow_id, &follower, &followee, to_json(&follow)?),
            FollowVerb::Undo => {
                let id = self.urls.new_activity();
                let undo = to_json(&Undo::about_follow(id.clone(), &follower, &follow)?)?;
                (id, &follower, &followee, undo)
            }
            FollowVerb::Accept => {
                let id = self.urls.new_activity();
                let accept = to_json(&Accept::about_follow(id.clone(), &followee, &follow)?)?;
                (id, &followee, &follower, accept)
            }
            FollowVerb::Reject => {
                let id = self.urls.new_activity();
                let reject = to_json(&Reject::about_follow(id.clone(), &followee, &follow)?)?;
                (id, &followee, &follower, reject)
            }
        };
        let outgoing = Outgoing {
            id: &id,
            kind: verb.as_str(),
            actor_id: from.id,
            activity,
            inboxes: vec![to.inbox.clone()],
            public: false,
            object_id: None,
        };
        delivery::queue(conn, &self.urls, outgoing).map(|_| ())
    }
}

#[async_trait::async_trait]
impl Network for ActivityPub {
    fn queue(&self, conn: &mut AnyConnection, event: &Outbound) -> AppResult<()> {
        match event {
            Outbound::PostCreated { post_id } => {
                self.post_activity(conn, *post_id, PostVerb::Create)
            }
            Outbound::PostUpdated { post_id } => {
                self.post_activity(conn, *post_id, PostVerb::Update)
            }
            Outbound::PostDeleted { post_id } => {
                self.post_activity(conn, *post_id, PostVerb::Delete)
            }
            Outbound::ProfileUpdated { account_id } => self.profile_update(conn, *account_id),
            Outbound::FollowRequested(parties) => {
                self.follow_activity(conn, parties, FollowVerb::Follow)
            }
            Outbound::FollowWithdrawn(parties) => {
                self.follow_activity(conn, parties, FollowVerb::Undo)
            }
            Outbound::FollowAccepted(parties) => {
                self.follow_activity(conn, parties, FollowVerb::Accept)
            }
            Outbound::FollowRejected(parties) => {
                self.follow_activity(conn, parties, FollowVerb::Reject)
            }
            Outbound::RelayFollowed { relay_id } => self.relay_follow(conn, *relay_id),
            Outbound::RelayUnfollowed {
                inbox,
                object,
                follow_activity_id,
            } => self.relay_unfollow(conn, inbox, object.as_deref(), follow_activity_id),
            Outbound::ReportForwarded { report_id } => self.report_flag(conn, *report_id),
            Outbound::AccountMoved { account_id, target } => {
                self.account_move(conn, *account_id, target)
            }
        }
    }

    async fn resolve_actor(&self, data: &Data<AppState>, input: &str) -> AppResult<DbActor> {
        webfinger::resolve_actor(data, input).await
    }

    async fn refresh_actor(&self, data: &Data<AppState>, id: &Url) -> AppResult<DbActor> {
        ObjectId::<DbActor>::from(id.clone())
            .dereference_forced(data)
            .await
            .map_err(|e| match e.kind {
                ErrorKind::Federation(_) | ErrorKind::BadRequest(_) => AppError::bad_request(
                    Message::new("error-actor-fetch-failed")
                        .arg("actor", id)
                        .arg("error", e),
                ),
                _ => e,
            })
    }

    async fn interaction_url(
        &self,
        data: &Data<AppState>,
        input: &str,
        uri: &Url,
    ) -> AppResult<Url> {
        webfinger::interaction_url(data, input, uri).await
    }

    async fn fetch_file(
        &self,
        state: &AppState,
        url: &Url,
        max_bytes: u64,
    ) -> Result<Vec<u8>, FetchFailure> {
        guard::fetch_file(state, url, max_bytes).await
    }
}
