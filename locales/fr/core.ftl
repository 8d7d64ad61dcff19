## Ce que partagent toutes les pages : l’écriture des dates et des nombres, les types de
## publications, le choix de la langue. Les dates suivent les codes strftime de chrono.

format-date = %-d %B %Y
format-date-time = %-d %B %Y à %H:%M
format-time = %H:%M
format-month-short = %b
format-day = %-d

language-switch = Langue

## Types de publications, comme étiquettes.
kind = { $kind ->
    [news] Actualité
    [call] Appel
    [event] Événement
    [note] Note
   *[other] { $kind }
}
call-kind = { $kind ->
    [grant] Subvention
    [proposal] Appel à projets
    [tender] Marché public
    [job] Offre d’emploi
    [course] Formation
   *[other] Appel
}

## Quand et où, dans les listes, les résumés et les flux.
when-deadline = { $kind } · date limite { $deadline } ({ $zone })
when-span = { $start } – { $end } ({ $zone })
when-zoned = { $time } ({ $zone })
when-online = En ligne
event-cancelled = ANNULÉ
event-postponed = REPORTÉ
event-moved-online = PASSÉ EN LIGNE
sensitive-content = Contenu sensible

## La navigation du site.
nav-news = Actualités
nav-calls = Appels
nav-events = Événements
nav-network = Réseau
nav-timeline = Fil

## Listes de publications.
list-news = Actualités
list-open-calls = Appels ouverts
list-closed-calls = Appels clos
list-upcoming-events = Événements à venir
list-past-events = Événements passés
list-news-empty = Aucune actualité pour l’instant. L’équipe publie les actualités depuis le panneau, l’API ou la ligne de commande munifed.
list-open-calls-empty = Aucun appel n’est ouvert en ce moment. Les appels à projets, subventions, marchés publics, offres d’emploi et formations apparaissent ici jusqu’à leur date limite.
list-closed-calls-empty = Aucun appel n’est encore clos.
list-upcoming-events-empty = Aucun événement à venir. Les événements apparaissent ici avec leur date et leur lieu.
list-past-events-empty = Aucun événement n’a encore eu lieu.
list-topic-empty = Rien sur ce sujet pour l’instant.

## Pages courtes à un seul message.
message-not-followed = Cette adresse n’a pas pu être suivie depuis ce serveur
message-deleted = Cette publication a été supprimée
message-deleted-text = Son auteur l’a retirée ; les serveurs des abonnés ont été priés de la retirer aussi.

## Feeds.
feed-deadline = Date limite : { $deadline }
feed-untitled = { $kind } de { $handle }

## Les pages du réseau.
timeline-heading = Fil du réseau
timeline-all = Tout
timeline-notes = Notes
timeline-empty = Rien pour l’instant : les actualités, appels et événements des comptes que suit cette instance, et les siens, apparaissent ici.
network-events-heading = Événements à venir dans le réseau
network-events-empty = Aucun événement à venir : les événements publiés ici ou par les comptes que suit cette instance apparaissent ici, les plus proches d’abord.
network-calls-heading = Appels ouverts dans le réseau
network-calls-empty = Aucun appel ouvert : les appels publiés ici ou par les comptes que suit cette instance apparaissent ici, ceux qui ferment le plus tôt d’abord.
embed-events-empty = Aucun événement à venir.
embed-calls-empty = Aucun appel ouvert.
feed-news = { $instance } : actualités
feed-calls = { $instance } : appels
feed-events = { $instance } : événements
feed-timeline = { $instance } : fil du réseau
feed-network-events = { $instance } : événements du réseau
feed-network-calls = { $instance } : appels ouverts du réseau
