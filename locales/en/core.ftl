## What every page shares: how dates and numbers are written, the kinds of posts, the
## language switch. Date patterns use chrono's strftime codes.

format-date = %-d %B %Y
format-date-time = %-d %B %Y, %H:%M
format-time = %H:%M
format-month-short = %b
format-day = %-d

language-switch = Language

## Kinds of posts, as labels.
kind = { $kind ->
    [news] News
    [call] Call
    [event] Event
    [note] Note
   *[other] { $kind }
}
call-kind = { $kind ->
    [grant] Grant
    [proposal] Call for proposals
    [tender] Tender
    [job] Job
    [course] Course
   *[other] Call
}

## When and where, in lists, summaries and feeds.
when-deadline = { $kind } · deadline { $deadline } ({ $zone })
when-span = { $start } – { $end } ({ $zone })
when-zoned = { $time } ({ $zone })
when-online = Online
event-cancelled = CANCELLED
event-postponed = POSTPONED
event-moved-online = MOVED ONLINE
sensitive-content = Sensitive content

## The site's navigation.
nav-news = News
nav-calls = Calls
nav-events = Events
nav-network = Network
nav-timeline = Timeline

## Lists of posts.
list-news = News
list-open-calls = Open calls
list-closed-calls = Closed calls
list-upcoming-events = Upcoming events
list-past-events = Past events
list-news-empty = No news yet. Staff publish news from the panel, the API or the munifed command line.
list-open-calls-empty = No call is open now. Calls for proposals, grants, tenders, jobs and courses appear here until their deadline.
list-closed-calls-empty = No call has closed yet.
list-upcoming-events-empty = No event is coming up. Events appear here with their date and place.
list-past-events-empty = No event has taken place yet.
list-topic-empty = Nothing on this topic yet.

## Short pages with one message.
message-not-followed = This address could not be followed from there
message-deleted = This post was deleted
message-deleted-text = Its author removed it; followers' servers were told to remove it too.

## Feeds.
feed-deadline = Deadline: { $deadline }
feed-untitled = { $kind } by { $handle }

## The network's pages.
timeline-heading = Network timeline
timeline-all = All
timeline-notes = Notes
timeline-empty = Nothing yet: news, calls and events of the accounts this instance follows, and its own, appear here.
network-events-heading = Upcoming events in the network
network-events-empty = No upcoming events: events published here or by the accounts this instance follows appear here, soonest first.
network-calls-heading = Open calls in the network
network-calls-empty = No open calls: calls published here or by the accounts this instance follows appear here, closing first.
embed-events-empty = No upcoming events.
embed-calls-empty = No open calls.
feed-news = { $instance }: news
feed-calls = { $instance }: calls
feed-events = { $instance }: events
feed-timeline = { $instance }: network timeline
feed-network-events = { $instance }: events in the network
feed-network-calls = { $instance }: open calls in the network
