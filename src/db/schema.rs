//! Table definitions, written by hand to match both migration sets.

diesel::table! {
    actors (id) {
        id -> BigInt,
        ap_id -> Text,
        kind -> Text,
        username -> Text,
        domain -> Text,
        display_name -> Text,
        summary -> Text,
        url -> Nullable<Text>,
        inbox -> Text,
        shared_inbox -> Nullable<Text>,
        outbox -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        following_url -> Nullable<Text>,
        icon_url -> Nullable<Text>,
        image_url -> Nullable<Text>,
        website -> Nullable<Text>,
        contact -> Nullable<Text>,
        public_key -> Text,
        private_key -> Nullable<Text>,
        manually_approves_followers -> Bool,
        discoverable -> Bool,
        local -> Bool,
        published -> Timestamp,
        updated -> Timestamp,
        last_refreshed_at -> Timestamp,
        also_known_as -> Text,
        moved_to -> Nullable<Text>,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        follower_id -> BigInt,
        followee_id -> BigInt,
        activity_id -> Text,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outgoing_activities (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        kind -> Text,
        payload -> Text,
        public -> Bool,
        created_at -> Timestamp,
        object_id -> Nullable<Text>,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        activity_id -> BigInt,
        inbox -> Text,
        domain -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    domain_health (domain) {
        domain -> Text,
        failing_since -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        last_failure_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    domain_blocks (domain) {
        domain -> Text,
        reason -> Text,
        created_at -> Timestamp,
        severity -> Text,
        reject_media -> Bool,
        reject_reports -> Bool,
        public_comment -> Text,
        obfuscate -> Bool,
    }
}

diesel::table! {
    allowed_domains (domain) {
        domain -> Text,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    blocked_actors (ap_id) {
        ap_id -> Text,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    removed_posts (ap_id) {
        ap_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    hidden_replies (ap_id) {
        ap_id -> Text,
        hidden_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        activity_id -> Text,
        incoming -> Bool,
        reporter -> Text,
        target_actor -> Text,
        objects -> Text,
        comment -> Text,
        forwarded -> Bool,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<Text>,
        resolution -> Text,
    }
}

diesel::table! {
    instance_settings (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        role -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        email -> Text,
        address -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        who -> Text,
        action -> Text,
        target -> Text,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    change_counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    user_accounts (user_id, account_id) {
        user_id -> BigInt,
        account_id -> BigInt,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        account_id -> BigInt,
        kind -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
        body_html -> Text,
        language -> Text,
        image_url -> Nullable<Text>,
        image_alt -> Nullable<Text>,
        call_kind -> Nullable<Text>,
        timezone -> Nullable<Text>,
        deadline_local -> Nullable<Text>,
        deadline_utc -> Nullable<Timestamp>,
        eligibility -> Nullable<Text>,
        apply_url -> Nullable<Text>,
        start_local -> Nullable<Text>,
        start_utc -> Nullable<Timestamp>,
        end_local -> Nullable<Text>,
        end_utc -> Nullable<Timestamp>,
        location_name -> Nullable<Text>,
        location_street -> Nullable<Text>,
        location_postal_code -> Nullable<Text>,
        location_locality -> Nullable<Text>,
        location_region -> Nullable<Text>,
        location_country -> Nullable<Text>,
        location_latitude -> Nullable<Double>,
        location_longitude -> Nullable<Double>,
        online_url -> Nullable<Text>,
        registration_url -> Nullable<Text>,
        event_status -> Nullable<Text>,
        published -> Timestamp,
        updated -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    post_translations (post_id, language) {
        post_id -> BigInt,
        language -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
        body_html -> Text,
    }
}

diesel::table! {
    post_topics (post_id, topic) {
        post_id -> BigInt,
        topic -> Text,
    }
}

diesel::table! {
    remote_posts (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_id -> BigInt,
        object_type -> Text,
        name -> Text,
        summary -> Text,
        content -> Text,
        language -> Nullable<Text>,
        url -> Nullable<Text>,
        start_time -> Nullable<Text>,
        end_time -> Nullable<Text>,
        published -> Timestamp,
        updated -> Timestamp,
        received_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        kind -> Text,
        sensitive -> Bool,
        in_reply_to -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    timeline_entries (id) {
        id -> BigInt,
        entry_key -> Text,
        post_id -> Nullable<BigInt>,
        remote_post_id -> Nullable<BigInt>,
        author_id -> BigInt,
        boosted_by -> Nullable<BigInt>,
        kind -> Text,
        language -> Nullable<Text>,
        domain -> Text,
        local -> Bool,
        published -> Timestamp,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        deadline_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    timeline_topics (topic, entry_id) {
        entry_id -> BigInt,
        topic -> Text,
    }
}

diesel::table! {
    reactions (id) {
        id -> BigInt,
        ap_id -> Text,
        kind -> Text,
        actor_id -> BigInt,
        object_ap_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    media (id) {
        id -> BigInt,
        remote_url -> Text,
        state -> Text,
        sha256 -> Nullable<Text>,
        content_type -> Nullable<Text>,
        size_bytes -> BigInt,
        width -> Nullable<BigInt>,
        height -> Nullable<BigInt>,
        error -> Nullable<Text>,
        retry_after -> Nullable<Timestamp>,
        created_at -> Timestamp,
        last_access -> Timestamp,
    }
}

diesel::table! {
    relays (id) {
        id -> BigInt,
        inbox -> Text,
        actor -> Nullable<Text>,
        kind -> Text,
        state -> Text,
        follow_activity_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(timeline_topics -> timeline_entries (entry_id));
diesel::joinable!(remote_posts -> actors (actor_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_accounts -> users (user_id));
diesel::joinable!(user_accounts -> actors (account_id));
diesel::joinable!(posts -> actors (account_id));
diesel::joinable!(post_translations -> posts (post_id));
diesel::joinable!(post_topics -> posts (post_id));
diesel::joinable!(deliveries -> outgoing_activities (activity_id));
diesel::joinable!(outgoing_activities -> actors (actor_id));

diesel::allow_tables_to_appear_in_same_query!(
    actors,
    follows,
    outgoing_activities,
    deliveries,
    domain_health,
    received_activities,
    domain_blocks,
    users,
    api_tokens,
    user_accounts,
    change_counters,
    posts,
    post_translations,
    post_topics,
    remote_posts,
    timeline_entries,
    timeline_topics,
    reactions,
    media,
    relays,
    sessions,
    login_failures,
    audit_log,
    allowed_domains,
    instance_settings,
    blocked_actors,
    removed_posts,
    hidden_replies,
    reports,
);
