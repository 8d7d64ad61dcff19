## Les pages publiques : ce que lisent les visiteurs sur l’accueil, les listes, les
## publications, les profils, le fil du réseau et les intégrations.

## base.html

header-skip-to-content = Aller au contenu
header-navigation-label = Navigation principale
footer-contact = Contact :
footer-home = Accueil
footer-staff-sign-in = Connexion de l’équipe
footer-feeds = Flux
footer-feed-news = Actualités (Atom)
footer-feed-calls = Appels (Atom)
footer-feed-events = Événements (iCalendar)
footer-feed-network-events = Événements du réseau (iCalendar)
footer-software = Logiciel
footer-powered-by = Propulsé par munifed, logiciel libre pour les réseaux de collectivités territoriales sur le fédivers.

## embed.html

embed-more = Voir plus sur { $site }

## follow_form.html (aussi sur l’accueil, les profils et les publications)

follow-heading = Suivre depuis le fédivers
follow-address-label = L’adresse à suivre (sélectionnez-la pour la copier)
follow-from-label = Votre adresse ou votre serveur, pour suivre depuis celui-ci
follow-handle-placeholder = @votre_compte@mastodon.social
follow-submit = Suivre

## home.html

home-feed-news = Actualités
home-feed-calls = Appels
home-feed-events = Événements
# Suivi d’un lien (home-summary-sign-in) entre parenthèses.
home-summary-empty = La présentation de l’organisation qui gère cette instance apparaît ici : l’équipe la rédige sur le compte de l’organisation, dans le panneau d’administration
home-summary-sign-in = connexion de l’équipe
# Suivi de l’adresse du compte, puis d’un lien (home-profile-link).
home-follow-intro = Suivre depuis Mastodon ou toute application du fédivers :
home-profile-link = profil
home-news-heading = Dernières actualités
home-news-empty = Les actualités de l’organisation apparaissent ici. L’équipe les publie depuis le panneau d’administration, l’API ou la ligne de commande munifed.
home-news-all = Toutes les actualités
home-calls-empty = Aucun appel n’est ouvert pour le moment. Les appels à projets, subventions, marchés publics, offres d’emploi et formations apparaissent ici jusqu’à leur date limite, les plus proches d’abord.
home-calls-all = Tous les appels ouverts
home-events-empty = Aucun événement à venir. Les événements apparaissent ici avec leur date et leur lieu, les plus proches d’abord.
home-events-all = Tous les événements à venir
home-events-calendar = Les ajouter à votre agenda
home-network-heading = Du côté du réseau
home-network-empty = Les actualités, appels et événements des organisations que suit cette instance apparaissent ici. Les administrateurs suivent les autres instances membres depuis le panneau d’administration.
home-network-timeline = Le fil du réseau
home-network-events = Les événements du réseau
home-network-calls = Les appels ouverts du réseau
home-accounts-heading = Comptes
home-rules-heading = Règles de cette instance

## items.html (aussi sur l’accueil, les publications et le fil)

# L’état d’un appel, à côté de son type.
items-state-open = Ouvert
items-state-closed = Clos
# Le statut d’un événement autre que « scheduled », tel que l’API l’écrit.
items-event-status = { $status ->
    [cancelled] annulé
    [postponed] reporté
    [moved_online] désormais en ligne
   *[unknown] { $status }
}

## list.html (la pagination figure aussi sur le fil)

pager-newer = Plus récents
pager-older = Plus anciens
list-feed-calendar = Ajouter ces événements à votre agenda (iCalendar)
list-feed-atom = Suivre dans un lecteur de flux (Atom)

## message.html

message-back = Retour
message-home = Page d’accueil

## post.html

# Suivi des liens vers chaque langue.
post-languages = Langues :
post-deadline = Date limite
post-eligibility = Conditions d’éligibilité
post-apply = Candidater
post-starts = Début
post-ends = Fin
post-status = Statut
post-place = Lieu
post-address = Adresse
post-map = Plan
post-map-link = Voir le lieu sur OpenStreetMap
post-join-online = Participer en ligne
post-registration = Inscription
post-add-to-calendar = Ajouter à l’agenda (.ics)
post-replies = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
post-boosts = { $count ->
    [one] { $count } partage
   *[other] { $count } partages
}
post-likes = { $count ->
    [one] { $count } favori
   *[other] { $count } favoris
}
post-interact-heading = Répondre, partager ou ajouter aux favoris
post-interact-label = Votre adresse ou votre serveur : la publication s’y ouvre, prête à recevoir votre réponse, votre partage ou votre favori
post-interact-submit = Ouvrir sur mon serveur
post-replies-label = Réponses
post-replies-heading = Réponses du fédivers

## profile.html (les abonnés aussi dans la liste des comptes de l’accueil)

profile-logo-alt = Logo de { $name }
profile-followers = { $count ->
    [one] { $count } abonné
   *[other] { $count } abonnés
}
profile-following = { $count ->
    [one] { $count } abonnement
   *[other] { $count } abonnements
}
profile-website = Site web
profile-contact = Contact

## timeline.html

timeline-kinds-label = Types
timeline-filter-kind = Type
timeline-filter-kind-all = tous
timeline-filter-topic = Thème
timeline-filter-language = Langue
timeline-filter-instance = Instance
timeline-filter-account = Compte
timeline-filter-submit = Filtrer
timeline-filter-clear = Effacer
timeline-feed-calendar = Agenda (iCalendar)
timeline-feed-atom = Flux (Atom)

## timeline_items.html

# Suivi du nom de qui l’a partagé.
timeline-boosted-by = Partagé par
# Suivi de la date.
timeline-deadline = date limite
timeline-how-to-apply = Comment candidater
# Une réponse d’un sondage et son nombre de voix.
timeline-poll-option = { $option } : { $votes }
# Le lien vers un fichier sans description.
timeline-attachment = Pièce jointe
timeline-original-on = Voir l’original sur { $domain }
