## The public pages: what visitors read on the home page, lists, posts, profiles, the
## network timeline and embeds.

## base.html

header-skip-to-content = Skip to content
header-navigation-label = Site
footer-contact = Contact:
footer-home = Home
footer-staff-sign-in = Staff sign-in
footer-feeds = Feeds
footer-feed-news = News (Atom)
footer-feed-calls = Calls (Atom)
footer-feed-events = Events (iCalendar)
footer-feed-network-events = Network events (iCalendar)
footer-software = Software
footer-powered-by = Powered by munifed, free software for networks of local governments on the fediverse.

## embed.html

embed-more = More on { $site }

## follow_form.html (also on the home page, profiles and posts)

follow-heading = Follow from the fediverse
follow-address-label = The address to follow (select it to copy)
follow-from-label = Your address or server, to follow from there
follow-handle-placeholder = @you@mastodon.social
follow-submit = Follow

## home.html

home-feed-news = News
home-feed-calls = Calls
home-feed-events = Events
# Followed by a link (home-summary-sign-in) in brackets.
home-summary-empty = Who runs this instance appears here: staff describe the organisation on its account in the panel
home-summary-sign-in = staff sign-in
# Followed by the account's address, then a link (home-profile-link).
home-follow-intro = Follow from Mastodon or any fediverse app:
home-profile-link = profile
home-news-heading = Latest news
home-news-empty = News of the organisation appears here. Staff publish it from the panel, the API or the munifed command line.
home-news-all = All news
home-calls-empty = No call is open now. Calls for proposals, grants, tenders, jobs and courses appear here until their deadline, the soonest first.
home-calls-all = All open calls
home-events-empty = No event is coming up. Events appear here with their date and place, the soonest first.
home-events-all = All upcoming events
home-events-calendar = Add them to your calendar
home-network-heading = From the network
home-network-empty = News, calls and events of the organisations this instance follows appear here. Admins follow other member instances from the panel.
home-network-timeline = The network timeline
home-network-events = Events across the network
home-network-calls = Open calls across the network
home-accounts-heading = Accounts
home-rules-heading = Rules of this instance

## items.html (also on the home page, posts and the timeline)

# A call's state, next to its kind.
items-state-open = Open
items-state-closed = Closed
# An event's status other than scheduled, as the API spells it.
items-event-status = { $status ->
    [cancelled] cancelled
    [postponed] postponed
    [moved_online] moved online
   *[unknown] { $status }
}

## list.html (the pager is on the timeline too)

pager-newer = Newer
pager-older = Older
list-feed-calendar = Add these events to your calendar (iCalendar)
list-feed-atom = Follow in a feed reader (Atom)

## message.html

message-back = Back
message-home = Home page

## post.html

# Followed by the links to each language.
post-languages = Languages:
post-deadline = Deadline
post-eligibility = Eligibility
post-apply = Apply
post-starts = Starts
post-ends = Ends
post-status = Status
post-place = Place
post-address = Address
post-map = Map
post-map-link = See the place on OpenStreetMap
post-join-online = Join online
post-registration = Registration
post-add-to-calendar = Add to calendar (.ics)
post-replies = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
post-boosts = { $count ->
    [one] { $count } boost
   *[other] { $count } boosts
}
post-likes = { $count ->
    [one] { $count } like
   *[other] { $count } likes
}
post-interact-heading = Reply, boost or like
post-interact-label = Your address or server: the post opens there, ready to reply, boost or like
post-interact-submit = Open on my server
post-replies-label = Replies
post-replies-heading = Replies from the fediverse

## profile.html (the followers too on the home page's list of accounts)

profile-logo-alt = Logo of { $name }
profile-followers = { $count ->
    [one] { $count } follower
   *[other] { $count } followers
}
profile-following = { $count } following
profile-website = Website
profile-contact = Contact

## timeline.html

timeline-kinds-label = Kinds
timeline-filter-kind = Kind
timeline-filter-kind-all = all
timeline-filter-topic = Topic
timeline-filter-language = Language
timeline-filter-instance = Instance
timeline-filter-account = Account
timeline-filter-submit = Filter
timeline-filter-clear = Clear
timeline-feed-calendar = Calendar (iCalendar)
timeline-feed-atom = Feed (Atom)

## timeline_items.html

# Followed by the name of who boosted it.
timeline-boosted-by = Boosted by
# Followed by the date.
timeline-deadline = deadline
timeline-how-to-apply = How to apply
# A poll's answer and its number of votes.
timeline-poll-option = { $option }: { $votes }
# The link to a file that has no description.
timeline-attachment = Attachment
timeline-original-on = Original on { $domain }
