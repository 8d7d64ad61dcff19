## The admin panel (src/web/templates/admin/). Messages are plain text: links and code
## sit between them in the templates.

## Words several pages share

panel-save = Save
panel-remove = Remove
panel-delete = Delete
panel-delete-ellipsis = Delete…
panel-edit = Edit
panel-cancel = Cancel
panel-replies = Replies
panel-report-ellipsis = Report…
panel-previous = Previous
panel-next = Next
panel-newer = Newer
panel-older = Older
panel-newest-first = Newest first
panel-actions = Actions
panel-account = Account
panel-state = State
panel-domain = Domain
panel-comment = Comment
panel-who = Who
panel-action = Action
panel-about = About
panel-from = From
panel-received = Received
panel-email = E-mail
panel-password = Password
panel-display-name = Display name
panel-contact = Contact
panel-followers = Followers
panel-following = Following
panel-public-page = Public page
panel-approve-by-hand = Approve followers by hand
panel-why-audit = Why (for the audit log)
panel-post-address = Its address (the link under it, or its id)
panel-role = { $role ->
    [admin] admin
    [moderator] moderator
    [editor] editor
   *[other] { $role }
}
panel-follow-state = { $state ->
    [pending] pending
    [accepted] accepted
    [rejected] rejected
   *[other] { $state }
}
panel-severity = { $severity ->
    [suspend] suspend
    [silence] silence
    [noop] noop
   *[other] { $severity }
}

## Frame of every page (base.html)

panel-name = Panel
panel-brand = panel
panel-skip-to-content = Skip to content
panel-page-overview = Overview
panel-page-posts = Posts
panel-page-accounts = Accounts
panel-page-relays = Relays
panel-page-instance = Instance
panel-page-health = Health
panel-page-users = Users
panel-page-timeline = Timeline
panel-page-reports = Reports
panel-page-moderation = Posts and actors
panel-page-domains = Domains
panel-page-audit = Audit log
panel-open-reports = { $count ->
    [one] { $count } open
   *[other] { $count } open
}
panel-public-site = Public site
panel-log-out = Log out

## An account (account.html)

panel-account-public-profile = Public profile
panel-account-requests-heading = Follow requests
panel-account-no-request = No request is waiting.
panel-account-accepts-at-once = This account accepts followers at once (except from silenced domains).
panel-account-approve = Approve
panel-account-reject = Reject
panel-account-no-more-followers = No more followers.
panel-account-no-followers = Nobody follows this account yet. Share its handle, { $handle }: anyone on Mastodon or another fediverse app can follow it.
panel-account-followers-caption = Followers, oldest first (page { $page })
panel-account-follower = Follower
panel-account-follower-instance = Instance
panel-account-remove-follower = Remove the follower { $handle }
panel-account-follow-label = Follow (a handle such as @news@city.example, or an actor URL)
panel-account-follow = Follow
panel-account-follows-nobody = This account follows nobody yet: what the accounts it follows publish fills the shared timeline.
panel-account-following-caption = Follows and their state
panel-account-unfollow-label = Unfollow { $handle }
panel-account-unfollow = Unfollow
panel-account-profile-heading = Profile
panel-account-about-keep = About (plain text; leave empty to keep the current text)
panel-account-website = Website
panel-account-logo = Logo URL
panel-account-save-profile = Save the profile

## Accounts (accounts.html)

panel-accounts-none = You publish as no account yet: an admin gives you accounts on the Users page.
panel-accounts-caption = Organisation accounts
panel-accounts-caption-mine = Organisation accounts you publish as
panel-accounts-requests = Requests
panel-accounts-new-heading = New account
panel-accounts-name-label = Name (becomes @name@{ $domain }: lower-case letters, digits and _)
panel-accounts-about = About (plain text; a blank line starts a paragraph)
panel-accounts-create = Create the account

## Audit log (audit.html)

panel-audit-all = all
panel-audit-target-contains = Target contains
panel-audit-filter = Filter
panel-audit-clear = Clear
panel-audit-empty = Nothing recorded.
panel-audit-empty-filtered = Nothing recorded with these filters.
panel-audit-when = When (UTC)
panel-audit-target = Target

## Domains (domains.html)

panel-domains-mode-heading = Federation mode
panel-domains-closed = Closed network
panel-domains-closed-text = : only the domains on the allow list below federate with this instance; every other is refused and never contacted.
panel-domains-open = Open
panel-domains-open-text = : every domain federates except those suspended below.
panel-domains-change-mode = Change the mode
panel-domains-mode-open = open (block list)
panel-domains-mode-closed = closed (allow list)
panel-domains-save-mode = Save the mode
panel-domains-rules-heading = Rules
panel-domains-no-more-rules = No more rules.
panel-domains-no-rules = No domain has a rule.
panel-domains-rules-caption = Domain rules (each covers the domain's subdomains)
panel-domains-severity = Severity
panel-domains-media = Media
panel-domains-public-comment = Public comment
panel-domains-private-comment = Private comment
panel-domains-media-rejected = rejected
panel-domains-media-shown = shown
panel-domains-reports-ignored = ignored
panel-domains-reports-accepted = accepted
panel-domains-lift-label = Lift the rule on { $domain }
panel-domains-lift = Lift
panel-domains-rule-heading = Add or change a rule
panel-domains-option-suspend = suspend: nothing in or out, stored content purged
panel-domains-option-silence = silence: kept out of the timeline unless followed; its follows need approval
panel-domains-option-noop = none (for the options below alone)
panel-domains-reject-media = Reject its media
panel-domains-ignore-reports = Ignore its reports
panel-domains-obfuscate = Partly hide the domain where rules are shown in public
panel-domains-private-comment-label = Private comment (staff only)
panel-domains-save-rule = Save the rule
panel-domains-import-heading = Import a block list
panel-domains-import-csv = Mastodon CSV
panel-domains-overwrite = Replace the rules we already have for these domains (otherwise they are left as they are)
panel-domains-import = Import
panel-domains-export-rules = Export the rules (CSV)
panel-domains-allow-heading = Allow list
panel-domains-allow-empty = No domain is on the allow list.
panel-domains-allow-closed-only = It matters only for a closed network.
panel-domains-disallow-label = Take { $domain } off the allow list
panel-domains-allow-label = Domains to allow, one per line
panel-domains-allow = Allow
panel-domains-export-allow = Export the allow list

## Error page (error.html)

panel-error-back = Back to the overview
panel-error-not-allowed = Not allowed
panel-error-not-found = Not found
panel-error-too-many = Too many attempts
panel-error-error = Error
panel-error-did-not-work = That did not work
panel-error-ours = Something went wrong on our side; it was logged.

## Health (health.html)

panel-health-queue-heading = Delivery queue
panel-health-nothing-sent = Nothing was sent yet.
panel-health-queue-caption = Deliveries by state (finished ones are pruned after a while)
panel-health-deliveries = Deliveries
panel-delivery-state = { $state ->
    [pending] pending
    [delivered] delivered
    [rejected] rejected
    [gone] gone
    [dead] dead
    [blocked] blocked
    [refused] refused
    [withdrawn] withdrawn
   *[other] { $state }
}
panel-health-retry = Retry every pending delivery now
panel-health-domains-heading = Domains waiting or failing
panel-health-all-answer = Every server answers; nothing waits.
panel-health-domains-caption = Pending deliveries per domain, the most first; then failing domains
panel-health-pending = Pending
panel-health-failing-since = Failing since
panel-health-last-error = Last error
panel-health-given-up = (given up)
panel-health-answers = answers
panel-health-forget-label = Forget { $domain }
panel-health-forget = Forget
panel-health-forget-hint = Forgetting a failing domain gives up its deliveries and forgets its accounts, their follows and posts. It is not a block: the domain may come back.
panel-health-caches-heading = Caches since start
panel-health-cache = Cache
panel-health-hits = Hits
panel-health-misses = Misses
panel-health-hit-rate = Hit rate
panel-health-entries = Entries
panel-health-capacity = Capacity

## Overview (home.html)

panel-home-signed-in = You are signed in as { $email }, { $role }.
panel-home-publish = Publish:
panel-home-publish-news = news
panel-home-publish-call = a call
panel-home-publish-event = an event
panel-home-all-posts = all posts
panel-home-users-card = : who may log in, their roles and the accounts they publish as.
panel-home-domains-card = : rules, block lists, the allow list of a closed network.
panel-home-audit-card = : every staff action.
panel-home-timeline = Shared timeline
panel-home-timeline-card = : what the network publishes.
panel-home-accounts-heading = Accounts you publish as
panel-home-account-link = followers and profile

## Instance (instance.html)

panel-instance-intro = What visitors and other servers are told about this instance. The configuration file gives the first values; what is saved here takes their place.
panel-instance-name = Name
panel-instance-description = Description
panel-instance-contact-hint = An e-mail address, a page or a phone number for questions and abuse reports.
panel-instance-rules = Rules
panel-instance-rules-hint = One per line.
panel-instance-accent = Accent colour
panel-instance-accent-hint = The colour of the public pages' header, buttons and links. Links are darkened or lightened where needed so that they stay readable.
panel-instance-publish-as = How posts are federated
panel-instance-publish-article = Rich objects (Article, Event): full text in Mastodon 4.3+, events in Mobilizon and Gancio
panel-instance-publish-note = Notes: for networks of apps that show only notes in full
panel-instance-federation = Federation
panel-instance-open = Open: every server but blocked ones
panel-instance-closed = Closed: only the domains of the
panel-instance-allow-list = allow list

## Log in (login.html)

panel-log-in = Log in
panel-login-hint = Staff accounts are created by an admin, or with
panel-login-hint-end = .

## Posts and actors (moderation.html)

panel-moderation-remove-heading = Remove a post or reply
panel-moderation-remove-intro = A post or reply from another server leaves the shared timeline and our pages, and is not taken in again.
panel-moderation-block-heading = Block an account of another server
panel-moderation-block-intro = Its activities are refused, nothing of it is fetched, and what we stored of it (posts, follows both ways, boosts) is forgotten.
panel-moderation-actor-label = Handle (@name@server) or address
panel-moderation-block = Block
panel-moderation-none-blocked = No account is blocked.
panel-moderation-blocked-caption = Blocked accounts, newest first
panel-moderation-why = Why
panel-moderation-unblock-label = Unblock { $actor }
panel-moderation-unblock = Unblock
panel-moderation-newer = Newer blocks
panel-moderation-older = Older blocks

## Deleting a post (post_delete.html)

panel-post-delete-title = { $kind ->
    [news] Delete news item
    [calls] Delete call
    [events] Delete event
   *[other] Delete { $kind }
}
panel-post-delete-heading = { $kind ->
    [news] Delete this news item?
    [calls] Delete this call?
    [events] Delete this event?
   *[other] Delete this { $kind }?
}
panel-post-delete-by = by { $account }
panel-post-delete-text = Its page will answer “410 Gone”, and the servers of its followers are told to remove it. This cannot be undone.

## Publishing form (post_form.html)

panel-post-form-new = { $kind ->
    [news] New news item
    [calls] New call
    [events] New event
   *[other] { $kind }
}
panel-post-form-edit = { $kind ->
    [news] Edit news item
    [calls] Edit call
    [events] Edit event
   *[other] { $kind }
}
panel-post-public-page = Public page:
panel-post-new-short = New
panel-post-errors = { $count ->
    [one] One field needs attention; nothing was published.
   *[other] { $count } fields need attention; nothing was published.
}
panel-post-preview-heading = Preview (not published yet)
panel-post-topics = Topics:
panel-post-translations = Translations:
panel-post-set-main = { $kind ->
    [news] The news item
    [calls] The call
    [events] The event
   *[other] { $kind }
}
panel-post-set = { $set ->
    [Image] Image
    [Call] Call
    [Event] Event
    [Place] Place
   *[other] { $set }
}
panel-post-set-translation = Translation { $number }
panel-post-set-hint = { $set ->
    [Image] An image at a public address; describe it for people who cannot see it.
    [Place] Give a place, an online address, or both.
    [Translation] Leave empty for none. To remove a translation, empty its fields.
   *[other] {""}
}
panel-post-field = { $field ->
    [account] Published as
    [title] Title
    [summary] Summary
    [body] Text
    [language] Language
    [topics] Topics
    [image_url] Image address
    [image_alt] Image description
    [kind] Kind of call
    [deadline] Deadline
    [timezone] Time zone
    [eligibility] Who may apply
    [apply_url] Where to apply (address)
    [start] Starts
    [end] Ends
    [status] Status
    [online_url] Online: where to join (address)
    [registration_url] Registration (address)
    [name] Name of the place
    [street] Street and number
    [postal_code] Postal code
    [locality] Town or city
    [region] Region
    [country] Country
    [latitude] Latitude
    [longitude] Longitude
   *[other] { $field }
}
panel-post-field-hint = { $field ->
    [summary] One or two sentences: shown in lists, feeds and link previews.
    [body] Markdown: **bold**, _italic_, [links](https://example.org), lists. #hashtags become topics.
    [language] A language tag like en, fr or es-419 (en when empty).
    [topics] Separated by commas: housing, mobility.
    [timezone] Where the time is meant: Europe/Paris, America/Montevideo.
    [eligibility] Markdown.
    [online_url] For an event online, or both in a place and online.
   *[other] {""}
}
panel-post-required = (required)
panel-post-choose = Choose…
panel-post-call-kind = { $kind ->
    [grant] grant
    [proposal] proposal
    [tender] tender
    [job] job
    [course] course
    [other] other
   *[unknown] { $kind }
}
panel-post-event-status = { $status ->
    [scheduled] scheduled
    [cancelled] cancelled
    [postponed] postponed
    [moved_online] moved online
   *[unknown] { $status }
}
panel-post-preview = Preview
panel-post-publish = Publish

## Replies to a post (post_replies.html)

panel-replies-heading = Replies to “{ $title }”
panel-replies-edit-post = Edit the post
panel-replies-hint = A hidden reply is kept, and no longer shown under the post nor counted; its answers go with it.
panel-replies-hint-moderator = To remove a reply for everyone or report it to its server, use Remove or Report.
panel-replies-none = No reply from the fediverse yet.
panel-replies-caption = Replies, oldest first; answers follow the reply they answer
panel-replies-reply = Reply
panel-replies-answer = answer to a reply
panel-replies-hidden = Hidden
panel-replies-shown = Shown
panel-replies-show = Show
panel-replies-hide = Hide

## Posts (posts.html)

panel-posts-kinds = Kinds of post
panel-posts-news = News
panel-posts-calls = Calls
panel-posts-events = Events
panel-posts-new = { $kind ->
    [news] New news item
    [calls] New call
    [events] New event
   *[other] New { $kind }
}
panel-posts-no-more = No more posts.
panel-posts-none = Nothing is published here yet.
panel-posts-publish-first = { $kind ->
    [news] Use “New news item” to publish the first.
    [calls] Use “New call” to publish the first.
    [events] Use “New event” to publish the first.
   *[other] Use “New { $kind }” to publish the first.
}
panel-posts-caption = Published, newest first
panel-posts-caption-page = Published, newest first (page { $page })
panel-posts-title = Title
panel-posts-when = When
panel-posts-edit-label = Edit { $title }
panel-posts-delete-label = Delete { $title }
panel-posts-replies-label = Replies to { $title }

## Relays (relays.html)

panel-relays-intro = A relay passes public posts between many servers: once it accepts, our public posts go to it and what it relays enters the shared timeline.
panel-relays-none = No relay yet.
panel-relays-caption = Subscribed relays
panel-relays-inbox = Inbox
panel-relays-kind = Kind
panel-relays-unsubscribe-label = Unsubscribe from { $inbox }
panel-relays-unsubscribe = Unsubscribe
panel-relays-url-label = Relay inbox (…/inbox, Mastodon-style) or actor URL (LitePub-style)
panel-relays-subscribe = Subscribe

## A report (report.html)

panel-report-heading = Report #{ $id }
panel-report-our-account = (one of our accounts)
panel-report-from-remote = { $reporter } (another server)
panel-report-from-here = { $reporter }, here
panel-report-from-here-forwarded = { $reporter }, here; forwarded to its server
panel-report-no-comment = (none)
panel-report-resolved-by = Resolved by { $by } on { $date } UTC:
panel-report-open = Open
panel-report-posts-heading = Reported posts
panel-report-no-posts = The report names no post, only the account.
panel-report-our-post = One of our posts: edit or delete it under Posts.
panel-report-remove-post = Remove this post
panel-report-post-gone = { $id }: not stored here (removed, deleted, or never received).
panel-report-act-heading = Act
panel-report-block = Block { $actor }
panel-report-silence = Silence { $domain }
panel-report-suspend = Suspend { $domain }
panel-report-resolve-label = What was done, or why nothing was
panel-report-resolve = Resolve
panel-report-all = All reports

## Reports (reports.html)

panel-reports-which = Which reports
panel-reports-open-tab = Open
panel-reports-resolved-tab = Resolved
panel-reports-none-resolved = No report is resolved yet.
panel-reports-none-open = No report waits for a moderator. Reports other servers send about our accounts, and those you make below, appear here.
panel-reports-open-caption = Open reports, newest first
panel-reports-resolved-caption = Resolved reports, newest first
panel-reports-report = Report
panel-reports-ours = { $reporter } (ours)
panel-reports-ours-forwarded = { $reporter } (ours, forwarded)
panel-reports-new-heading = Report a post from another server
panel-reports-new-intro = For a post or reply in the shared timeline or under our posts. Forwarding sends the report to its server's moderators as coming from this instance: your name is not sent, your comment is, word for word.
panel-reports-what-is-wrong = What is wrong
panel-reports-forward = Forward to its server
panel-reports-submit = Report

## What other servers sent (timeline.html)

panel-timeline-heading = What other servers sent
panel-timeline-intro = The shared timeline's items from other servers, newest first, with what moderators can do about each.
panel-timeline-public-link = The public timeline
panel-timeline-intro-end = shows the same with this instance's own posts.
panel-timeline-domain-label = Only from the domain
panel-timeline-filter = Show
panel-timeline-empty = Nothing yet: posts of the accounts this instance follows, and boosts of them, appear here.
panel-timeline-empty-domain = Nothing from { $domain } yet: posts of the accounts this instance follows, and boosts of them, appear here.
panel-timeline-boosted-by = boosted by { $handle }
panel-post-kind = { $kind ->
    [news] news
    [call] call
    [event] event
    [note] note
   *[other] { $kind }
}
panel-timeline-remove-label = Remove the post by { $handle }
panel-timeline-report-label = Report the post by { $handle }

## Users (users.html)

panel-users-caption = Staff users
panel-users-role = Role
panel-users-publishes-as = Publishes as
panel-users-role-of = Role of { $email }
panel-users-change = Change
panel-users-revoke-label = Stop { $email } publishing as { $account }
panel-users-revoke = remove
panel-users-account-for = Account for { $email }
panel-users-grant = Add
panel-users-every-account = every account
panel-users-disabled = disabled
panel-users-active = active
panel-users-enable = Enable
panel-users-disable = Disable
panel-users-new-heading = New user
panel-users-password = Password (at least 10 characters)
panel-users-create = Create

## Notices after a form (flash messages)

panel-flash-account-created = @{ $name } is created.
panel-flash-profile-saved = The profile is saved; followers' servers get the update.
panel-flash-request-approved = { $follower } now follows @{ $account }.
panel-flash-request-refused = { $follower }'s request is refused.
panel-flash-follower-removed = { $follower } no longer follows @{ $account }.
panel-flash-follow = @{ $account } follows { $target } ({ $state ->
        [pending] pending
        [accepted] accepted
        [rejected] rejected
       *[other] { $state }
    }).
panel-flash-unfollow = @{ $account } no longer follows { $target }.
panel-flash-relay-subscribed = Subscribed to { $inbox } ({ $state ->
        [pending] pending
        [accepted] accepted
        [rejected] rejected
       *[other] { $state }
    }).
panel-flash-relay-unsubscribed = Unsubscribed from { $inbox }.
panel-flash-rule-saved = { $domain }: { $severity ->
        [suspend] suspend
        [silence] silence
        [noop] noop
       *[other] { $severity }
    }.
panel-flash-rule-lifted = The rule on { $domain } is lifted.
panel-flash-imported = Imported: { $added } added, { $updated } updated, { $unchanged } unchanged, { $unread } not read.
panel-flash-imported-lines = Imported: { $added } added, { $updated } updated, { $unchanged } unchanged, { $unread } not read. Lines not read: { $lines }.
panel-flash-mode-closed = The network is closed: only allowed domains federate.
panel-flash-mode-open = The network is open: every domain federates except suspended ones.
panel-flash-disallowed = { $domain } is off the allow list.
panel-flash-post-removed = The post is removed.
panel-flash-actor-blocked = { $actor } is blocked.
panel-flash-actor-unblocked = { $actor } is no longer blocked.
panel-flash-domain-restricted = { $domain } is { $severity ->
        [suspend] suspended
        [silence] silenced
       *[other] without restriction
    }.
panel-flash-domain-already-restricted = { $domain } is already { $severity ->
        [suspend] suspended
        [silence] silenced
       *[other] without restriction
    }.
panel-flash-post-published = Published at { $url }; followers' servers are being told.
panel-flash-post-saved = Saved; followers' servers get the update.
panel-flash-post-deleted = Deleted: its page answers 410 Gone, and followers' servers are told to remove it.
panel-flash-reply-hidden = The reply is hidden: kept, no longer shown under the post.
panel-flash-reply-shown = The reply is shown under the post again.
panel-flash-reported = Reported.
panel-flash-reported-forwarded = Reported, and sent to its server.
panel-flash-report-resolved = The report is resolved.
panel-flash-instance-saved = The instance's settings are saved.
panel-flash-retry = { $count ->
    [one] { $count } pending delivery is being sent now.
   *[other] { $count } pending deliveries are being sent now.
}
panel-flash-forgotten = { $count ->
    [one] { $domain } is forgotten: { $count } account, its posts and follows.
   *[other] { $domain } is forgotten: { $count } accounts, their posts and follows.
}
panel-flash-user-created = Created { $email }.
panel-flash-user-role = { $email } is now { $role ->
        [admin] admin
        [moderator] moderator
        [editor] editor
       *[other] { $role }
    }.
panel-flash-user-disabled = { $email } is disabled.
panel-flash-user-enabled = { $email } is enabled.
panel-flash-user-granted = { $email } may publish as { $account }.
panel-flash-user-revoked = { $email } no longer publishes as { $account }.
