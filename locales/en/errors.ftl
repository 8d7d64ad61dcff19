# Error messages: the reasons the server answers with (API, panel, pages, other servers).
# Values: { $name }. Keep the English texts as they are: tests and clients compare some.

## general (the answer to any request)

error-not-found = not found
error-gone = gone
error-payload-too-large = request body is larger than the limit
error-invalid-input = invalid input
error-query-invalid = the query string could not be read: { $error }
error-path-invalid = the address could not be read: { $error }
error-form-invalid = the form could not be read: { $error }
error-upstream = a remote server could not be reached or answered badly
error-internal = internal error

## api (any request)

error-json-invalid = invalid JSON: { $error }
error-page-from-one = page must be 1 or more
error-body-shape = does not match the request shape: { $error }
error-api-token-required = an API token is required (Authorization: Bearer TOKEN)
error-api-token-invalid = the API token is not valid
error-stats-admins-only = only admins read the instance statistics
error-follow-body-expected = expected { "{" }"target": "@name@host"{ "}" }: { $error }
error-relay-body-expected = expected { "{" }"url": "https://…"{ "}" }: { $error }
error-limit-range = between 1 and { $max }
error-one-or-more = 1 or more
error-page-and-limit = a page from 1, of 1 to 200

## panel (sessions and forms)

error-form-stale = the form is stale or did not come from this site: reload the page and try again
error-too-many-logins = too many failed logins: try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
error-wrong-login = wrong e-mail or password
error-log-in-first = log in first
error-session-ended = the session has ended
error-form-unreadable = the form could not be read: { $error }
error-form-cross-site = the form was sent from another site
error-no-publishing-account = you publish as no account: an admin can give you one
error-hide-or-show = hide or show
error-approve-or-reject = approve or reject
error-report-action = remove, block_actor, silence or suspend
error-severity = suspend, silence or none

## public site (forms on the public pages)

error-handle-or-server-expected = give your address like @name@mastodon.social, or your server like mastodon.social
error-uri-not-local = only this server's accounts and posts

## signatures (HTTP signatures of requests from other servers)

error-signature-header-missing = no { $name } header
error-signature-header-unreadable = the { $name } header is not a structured field: { $error }
error-content-digest-mismatch = the Content-Digest does not match the body
error-signature-header-only = send the HTTP signature in the Signature header only
error-signature-input-empty = the Signature-Input names no signature
error-signature-input-not-list = the Signature-Input is not a list of components
error-signature-label-missing = no signature labelled { $label }
error-signature-no-keyid-url = the signature has no keyid URL
error-signature-alg-unsupported = the signature's alg is not rsa-v1_5-sha256
error-signature-no-created = the signature has no created time
error-signature-created-skew = the signature's created time is too far from now
error-signature-expired = the signature has expired
error-signature-component-not-string = a covered component is not a string
error-signature-component-parameters = the component { $name } has parameters we do not read
error-signature-must-cover = the signature must cover { $name }
error-signature-must-cover-target = the signature must cover @target-uri or @path
error-signature-must-cover-query = the signature must cover the query (@query)
error-signature-component-unsupported = the component { $name } is not supported
error-signature-signed-header-missing = the signed header { $header } is missing
error-signature-wrong-authority = the request is signed for { $value }, not for { $authority }
error-signature-params-unserialisable = the signature parameters cannot be serialised
error-header-repeated = the request has more than one { $name } header
error-header-not-text = the { $name } header is not text
error-signature-missing = the request has no HTTP signature
error-signature-no-keyid = the HTTP signature has no keyId
error-signature-keyid-not-url = the signature's keyId is not a URL
error-http-signature-must-cover = the HTTP signature must cover { $header }
error-signature-no-digest = the signed request has no Digest
error-digest-mismatch = the Digest header does not match the body
error-signature-key-not-actors = the request is signed by a key that does not belong to the activity's actor
error-signature-no-date = the signed request has no Date
error-date-not-http-date = the Date header is not an HTTP date
error-date-skew = the request's Date is too far from the current time
error-signature-parameter-spaces = the HTTP signature parameter { $key } has spaces
error-signature-parameter-twice = the HTTP signature names { $key } twice
error-blocked-here = you are blocked here
error-signer-unreachable = the signing actor could not be fetched
error-signature-invalid = invalid HTTP signature: { $error }
error-signature-not-base64 = the signature is not base64
error-signature-does-not-verify = the HTTP signature does not verify

## federation (answers to other servers, and remote documents)

error-actor-fetch-failed = could not fetch the actor { $actor }: { $error }
error-actor-type-unfollowed = { $type } is not an actor type we follow
error-actor-no-inbox = actor { $actor } has no inbox
error-actor-inbox-elsewhere = the inbox { $inbox } of actor { $actor } is on another host
error-actor-no-public-key = actor { $actor } publishes no public key
error-actor-key-owner = the key of actor { $actor } belongs to { $owner }
error-actor-no-pem-key = actor { $actor } has no PEM public key
error-remote-claims-local-id = a remote document claims a local id
error-actor-unusable = { $reason }
error-actor-invalid = invalid actor: { $error }
error-actor-updates-only-itself = an actor may only update itself
error-object-no-id = the object has no id
error-local-object-not-fetched = a local object is not fetched
error-url-scheme-refused = { $scheme }:// URLs are not allowed
error-url-port-refused = URLs with an explicit port are not allowed
error-url-no-host = the URL has no host
error-address-not-public = { $address } is not a public address
error-host-resolves-private = { $host } resolves to { $address }, which is not a public address
error-request-refused = { $reason }
error-url-invalid = { $url }: { $error }
error-not-handle-nor-url = { $input } is neither a handle like @name@host nor an actor URL
error-domain-blocked = { $domain } is blocked
error-webfinger-no-actor-link = could not look up { $handle }: no ActivityPub actor link in the WebFinger document
error-webfinger-unreachable = could not look up { $handle }: { $error }
error-webfinger-redirect-no-location = could not look up { $handle }: a redirect without a location
error-webfinger-status = could not look up { $handle }: WebFinger answered { $status }
error-webfinger-too-large = could not look up { $handle }: the WebFinger document is too large
error-webfinger-document-invalid = could not look up { $handle }: invalid WebFinger document: { $error }
error-followee-not-local = the followed actor is not on this instance
error-follow-names-no-actor = the Follow names no actor
error-undo-own-activities-only = an actor may only undo its own activities
error-object-attributed-elsewhere = the object is attributed to another actor
error-move-only-itself = an actor can only move itself
error-move-target-is-actor = a Move needs a target other than its actor
error-move-needs-target = a Move needs a target
error-busy-storing = this server is storing what it received; try again shortly
error-activity-not-object = an activity must be a JSON object
error-activity-no-actor = the activity has no actor
error-domain-refused = this instance does not accept activities from your domain
error-actor-refused = this instance does not accept activities from you
error-signer-deleted = the signing actor has been deleted
error-signature-unverifiable = the HTTP signature cannot be verified
error-activity-unreadable = not an activity we can read: { $error }
error-activity-id-elsewhere = the activity's id is not on its actor's domain
error-activity-claims-local-id = the activity claims a local id
error-resource-invalid = resource: { $error }
error-resource-form = resource must be acct:name@domain or an actor URL
error-resource-required = the resource parameter is required
error-own-post-sent-back = a post of ours cannot be sent to us
error-only-author-changes = only the author may change a post
error-only-author-deletes = only the author may delete a post
error-only-actor-undoes-reaction = only its actor may undo a reaction
error-remote-failure = { $reason }

## accounts (local accounts, aliases and moves)

error-no-local-account = there is no local account named { $name }
error-account-name-length = account name must be 1 to { $max } characters
error-account-name-characters = account name { $name } may contain only lower-case letters, digits and _
error-display-name-too-long = display name is longer than { $max } characters
error-summary-too-long = summary is longer than { $max } characters
error-field-url-invalid = { $field } { $value }: { $error }
error-field-must-be-http-url = { $field } must be an http(s) URL
error-account-exists = an account named { $name } already exists
error-account-name-taken = an account with that name already exists
error-own-alias = an account cannot be its own alias
error-instance-actor-moves = the instance actor does not move
error-account-already-moved = { $account } has already moved to { $target }
error-move-to-itself = an account cannot move to itself
error-move-target-has-moved = { $target } has moved itself: move to where it went
error-move-target-lacks-alias = { $target } does not name { $account } among the accounts it also is: add the alias on the new account first

## users (staff, roles and tokens)

error-admins-only = only admins may do this
error-moderators-only = only moderators and admins may do this
error-may-not-publish-as = you may not publish as { $account }
error-role-may-not-publish = your role may not publish
error-no-user = there is no user { $email }
error-user-not-granted = { $email } may not publish as { $account } anyway
error-not-an-email = { $email } is not an e-mail address
error-role-one-of = role must be one of: { $roles }
error-password-too-short = the password must have at least { $min } characters
error-user-exists = a user { $email } already exists
error-one-of = one of { $allowed }
error-last-admin = the last admin cannot be disabled or given another role

## follows

error-follow-target-local = that account is on this instance
error-not-following = { $account } does not follow { $target }
error-move-to-local-account = a Move to an account of this instance is not followed: follow it here
error-move-target-not-own-id = { $target } is not an actor's own id: the Move is not believed
error-move-target-moved = { $target } has moved itself: the Move is not believed
error-move-target-no-alias = { $target } does not name { $mover } in its alsoKnownAs: the Move is not believed
error-follow-answer-followee-only = only the followed actor may answer a follow
error-undo-own-follow-only = an actor may only undo its own follow
error-not-a-follower = that actor does not follow this account
error-no-pending-request = there is no pending request from that actor

## relays

error-not-http-url = { $url } is not an http(s) URL
error-no-relay-at = no relay at { $url }
error-relay-answer-relay-only = only the relay may answer its follow

## timeline (the network's posts)

error-cursor-invalid = not a cursor from a previous page
error-timeline-kind = one of news, call, event or note
error-timeline-language = a language tag such as fr or pt-BR
error-local-or-remote = choose local or remote, not both

## reports

error-unknown-remote-post-or-account = no post or account from another server has the id { $id }
error-report-exists = this report exists already
error-report-action-inapplicable = this action does not apply to what the report is about
error-report-resolved = this report is resolved already

## moderation (remote posts, actors and domains)

error-unknown-remote-post = no post from another server has the id { $id }
error-not-a-reply-under = { $reply } is not a reply under { $post }
error-own-accounts-not-blocked = our own accounts are not blocked
error-actor-not-blocked = { $actor } is not blocked
error-not-a-domain = { $domain } is not a domain name
error-not-a-severity = { $severity } is not a severity: suspend, silence or noop
error-not-csv = not CSV: { $error }
error-rule-refused = { $domain }: { $error }
error-domain-not-failing = { $domain } is not failing: block it instead
error-domain-no-rule = { $domain } has no rule
error-domain-not-allowed = { $domain } is not on the allow list
error-allow-list-empty = add the member domains to the allow list first

## posts (news, calls and events)

error-no-local-account-named = there is no local account with that name
error-post-cannot-change-account = a post cannot move to another account
error-embed-limit-range = limit must be between 1 and { $max }
error-unknown-topic = unknown topic
error-not-local-date-time = { $value } is not a local date-time like 2030-10-05T23:59:00
error-time-skipped = { $time } does not exist in { $zone } (clock change)
error-not-time-zone = { $value } is not an IANA time zone like Europe/Paris
error-too-long = must be at most { $max } characters
error-required = is required
error-must-be-http-url = must be an http(s) URL
error-must-be-one-of = must be one of: { $allowed }
error-required-one-of = is required (one of: { $allowed })
error-language-tag = must be a BCP 47 language tag like en, fr or es-419
error-too-many-topics = at most { $max } topics
error-not-a-topic = { $topic } is not a topic (letters and digits, at most { $max })
error-translation-key = must be keyed by a BCP 47 language tag
error-translation-own-language = is the post's own language
error-image-alt-required = describe the image for people who cannot see it
error-time-zone-required = is required (an IANA time zone like Europe/Paris)
error-local-date-time-required = is required (a local date-time like 2030-10-05T23:59:00)
error-end-before-start = must not be before start
error-event-too-long = an event lasts at most { $days } days
error-event-place-required = give a location, an online_url, or both
error-latitude-range = must be between -90 and 90
error-longitude-range = must be between -180 and 180
error-coordinates-together = give latitude and longitude together
error-location-unnamed = a location needs at least a name, a street or a locality
error-translation-language-required = give the language of this translation (like fr or es)
error-translation-language-repeated = this language has another translation already
error-coordinate-number = must be a number like 48.8566

## instance (settings and federation policy)

error-rules-limits = at most { $rules } rules of at most { $characters } characters
error-publish-as = article or note
error-accent = a colour such as #1f5fa8
error-federation-mode = open or allowlist

## cli (the munifed command)

error-cli-severity = --severity is suspend, silence or noop
error-cli-cannot-read = cannot read { $file }: { $error }
error-cli-mode = the mode is open or allowlist

