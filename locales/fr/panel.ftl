## Le panneau d’administration (src/web/templates/admin/). Les messages sont du texte brut :
## les liens et le code se placent entre eux dans les gabarits.

## Mots communs à plusieurs pages

panel-save = Enregistrer
panel-remove = Retirer
panel-delete = Supprimer
panel-delete-ellipsis = Supprimer…
panel-edit = Modifier
panel-cancel = Annuler
panel-replies = Réponses
panel-report-ellipsis = Signaler…
panel-previous = Précédent
panel-next = Suivant
panel-newer = Plus récents
panel-older = Plus anciens
panel-newest-first = Du plus récent au plus ancien
panel-actions = Actions
panel-account = Compte
panel-state = État
panel-domain = Domaine
panel-comment = Commentaire
panel-who = Qui
panel-action = Action
panel-about = Concerne
panel-from = De
panel-received = Reçu
panel-email = Adresse e-mail
panel-password = Mot de passe
panel-display-name = Nom affiché
panel-contact = Contact
panel-followers = Abonnés
panel-following = Abonnements
panel-public-page = Page publique
panel-approve-by-hand = Approuver les abonnés manuellement
panel-why-audit = Motif (pour le journal d’audit)
panel-post-address = Son adresse (le lien affiché dessous, ou son identifiant)
panel-role = { $role ->
    [admin] administrateur
    [moderator] modérateur
    [editor] rédacteur
   *[other] { $role }
}
panel-follow-state = { $state ->
    [pending] en attente
    [accepted] accepté
    [rejected] refusé
   *[other] { $state }
}
panel-severity = { $severity ->
    [suspend] suspension
    [silence] limitation
    [noop] aucune
   *[other] { $severity }
}

## Cadre de toutes les pages (base.html)

panel-name = Administration
panel-brand = administration
panel-skip-to-content = Aller au contenu
panel-page-overview = Vue d’ensemble
panel-page-posts = Publications
panel-page-accounts = Comptes
panel-page-relays = Relais
panel-page-instance = Instance
panel-page-health = Santé
panel-page-users = Utilisateurs
panel-page-timeline = Fil
panel-page-reports = Signalements
panel-page-moderation = Publications et comptes
panel-page-domains = Domaines
panel-page-audit = Journal d’audit
panel-open-reports = { $count ->
    [one] { $count } ouvert
   *[other] { $count } ouverts
}
panel-public-site = Site public
panel-log-out = Se déconnecter

## Un compte (account.html)

panel-account-public-profile = Profil public
panel-account-requests-heading = Demandes d’abonnement
panel-account-no-request = Aucune demande en attente.
panel-account-accepts-at-once = Ce compte accepte les abonnés immédiatement (sauf ceux des domaines limités).
panel-account-approve = Approuver
panel-account-reject = Refuser
panel-account-no-more-followers = Aucun autre abonné.
panel-account-no-followers = Personne ne suit encore ce compte. Partagez son identifiant, { $handle } : toute personne sur Mastodon ou une autre application du fédivers peut le suivre.
panel-account-followers-caption = Abonnés, du plus ancien au plus récent (page { $page })
panel-account-follower = Abonné
panel-account-follower-instance = Instance
panel-account-remove-follower = Retirer l’abonné { $handle }
panel-account-follow-label = Suivre (un identifiant comme @news@city.example, ou l’URL d’un acteur)
panel-account-follow = Suivre
panel-account-follows-nobody = Ce compte ne suit encore personne : ce que publient les comptes qu’il suit alimente le fil commun.
panel-account-following-caption = Abonnements et leur état
panel-account-unfollow-label = Ne plus suivre { $handle }
panel-account-unfollow = Ne plus suivre
panel-account-profile-heading = Profil
panel-account-about-keep = Présentation (texte brut ; laissez vide pour conserver le texte actuel)
panel-account-website = Site web
panel-account-logo = URL du logo
panel-account-save-profile = Enregistrer le profil

## Comptes (accounts.html)

panel-accounts-none = Vous ne publiez encore au nom d’aucun compte : un administrateur vous attribue des comptes sur la page Utilisateurs.
panel-accounts-caption = Comptes de l’organisation
panel-accounts-caption-mine = Comptes de l’organisation au nom desquels vous publiez
panel-accounts-requests = Demandes
panel-accounts-new-heading = Nouveau compte
panel-accounts-name-label = Nom (devient @nom@{ $domain } : lettres minuscules, chiffres et _)
panel-accounts-about = Présentation (texte brut ; une ligne vide commence un paragraphe)
panel-accounts-create = Créer le compte

## Journal d’audit (audit.html)

panel-audit-all = toutes
panel-audit-target-contains = La cible contient
panel-audit-filter = Filtrer
panel-audit-clear = Effacer
panel-audit-empty = Rien n’a été enregistré.
panel-audit-empty-filtered = Rien n’a été enregistré avec ces filtres.
panel-audit-when = Quand (UTC)
panel-audit-target = Cible

## Domaines (domains.html)

panel-domains-mode-heading = Mode de fédération
panel-domains-closed = Réseau fermé
panel-domains-closed-text = {"\u00A0"}: seuls les domaines de la liste d’autorisation ci-dessous se fédèrent avec cette instance ; tous les autres sont refusés et jamais contactés.
panel-domains-open = Ouvert
panel-domains-open-text = {"\u00A0"}: tous les domaines se fédèrent, sauf ceux suspendus ci-dessous.
panel-domains-change-mode = Changer de mode
panel-domains-mode-open = ouvert (liste de blocage)
panel-domains-mode-closed = fermé (liste d’autorisation)
panel-domains-save-mode = Enregistrer le mode
panel-domains-rules-heading = Règles
panel-domains-no-more-rules = Aucune autre règle.
panel-domains-no-rules = Aucun domaine n’a de règle.
panel-domains-rules-caption = Règles de domaine (chacune couvre aussi les sous-domaines du domaine)
panel-domains-severity = Sévérité
panel-domains-media = Médias
panel-domains-public-comment = Commentaire public
panel-domains-private-comment = Commentaire privé
panel-domains-media-rejected = rejetés
panel-domains-media-shown = affichés
panel-domains-reports-ignored = ignorés
panel-domains-reports-accepted = acceptés
panel-domains-lift-label = Lever la règle sur { $domain }
panel-domains-lift = Lever
panel-domains-rule-heading = Ajouter ou modifier une règle
panel-domains-option-suspend = suspension : rien n’entre ni ne sort, le contenu stocké est purgé
panel-domains-option-silence = limitation : exclu du fil sauf s’il est suivi ; ses abonnements doivent être approuvés
panel-domains-option-noop = aucune (pour les seules options ci-dessous)
panel-domains-reject-media = Rejeter ses médias
panel-domains-ignore-reports = Ignorer ses signalements
panel-domains-obfuscate = Masquer en partie le domaine là où les règles sont affichées publiquement
panel-domains-private-comment-label = Commentaire privé (réservé à l’équipe)
panel-domains-save-rule = Enregistrer la règle
panel-domains-import-heading = Importer une liste de blocage
panel-domains-import-csv = CSV de Mastodon
panel-domains-overwrite = Remplacer les règles que nous avons déjà pour ces domaines (sinon, elles restent inchangées)
panel-domains-import = Importer
panel-domains-export-rules = Exporter les règles (CSV)
panel-domains-allow-heading = Liste d’autorisation
panel-domains-allow-empty = Aucun domaine ne figure sur la liste d’autorisation.
panel-domains-allow-closed-only = Elle ne compte que pour un réseau fermé.
panel-domains-disallow-label = Retirer { $domain } de la liste d’autorisation
panel-domains-allow-label = Domaines à autoriser, un par ligne
panel-domains-allow = Autoriser
panel-domains-export-allow = Exporter la liste d’autorisation

## Page d’erreur (error.html)

panel-error-back = Retour à la vue d’ensemble
panel-error-not-allowed = Accès refusé
panel-error-not-found = Introuvable
panel-error-too-many = Trop de tentatives
panel-error-error = Erreur
panel-error-did-not-work = L’opération n’a pas abouti
panel-error-ours = Une erreur s’est produite de notre côté ; elle a été consignée.

## Santé (health.html)

panel-health-queue-heading = File d’envoi
panel-health-nothing-sent = Rien n’a encore été envoyé.
panel-health-queue-caption = Envois par état (ceux qui sont terminés sont supprimés au bout d’un certain temps)
panel-health-deliveries = Envois
panel-delivery-state = { $state ->
    [pending] en attente
    [delivered] remis
    [rejected] rejeté
    [gone] disparu
    [dead] abandonné
    [blocked] bloqué
    [refused] refusé
    [withdrawn] retiré
   *[other] { $state }
}
panel-health-retry = Relancer maintenant tous les envois en attente
panel-health-domains-heading = Domaines en attente ou en échec
panel-health-all-answer = Tous les serveurs répondent ; rien n’est en attente.
panel-health-domains-caption = Envois en attente par domaine, les plus nombreux d’abord ; puis les domaines en échec
panel-health-pending = En attente
panel-health-failing-since = En échec depuis
panel-health-last-error = Dernière erreur
panel-health-given-up = (abandonné)
panel-health-answers = répond
panel-health-forget-label = Oublier { $domain }
panel-health-forget = Oublier
panel-health-forget-hint = Oublier un domaine en échec abandonne ses envois et oublie ses comptes, leurs abonnements et leurs publications. Ce n’est pas un blocage : le domaine peut revenir.
panel-health-caches-heading = Caches depuis le démarrage
panel-health-cache = Cache
panel-health-hits = Succès
panel-health-misses = Échecs
panel-health-hit-rate = Taux de succès
panel-health-entries = Entrées
panel-health-capacity = Capacité

## Vue d’ensemble (home.html)

panel-home-signed-in = Session ouverte au nom de { $email }, { $role }.
panel-home-publish = Publier :
panel-home-publish-news = une actualité
panel-home-publish-call = un appel
panel-home-publish-event = un événement
panel-home-all-posts = toutes les publications
panel-home-users-card = {"\u00A0"}: qui peut se connecter, avec quels rôles, et au nom de quels comptes chacun publie.
panel-home-domains-card = {"\u00A0"}: règles, listes de blocage, liste d’autorisation d’un réseau fermé.
panel-home-audit-card = {"\u00A0"}: toutes les actions de l’équipe.
panel-home-timeline = Fil commun
panel-home-timeline-card = {"\u00A0"}: ce que publie le réseau.
panel-home-accounts-heading = Comptes au nom desquels vous publiez
panel-home-account-link = abonnés et profil

## Instance (instance.html)

panel-instance-intro = Ce qui est communiqué aux visiteurs et aux autres serveurs à propos de cette instance. Le fichier de configuration fournit les valeurs initiales ; ce qui est enregistré ici les remplace.
panel-instance-name = Nom
panel-instance-description = Description
panel-instance-contact-hint = Une adresse e-mail, une page ou un numéro de téléphone pour les questions et les signalements d’abus.
panel-instance-rules = Règles
panel-instance-rules-hint = Une par ligne.
panel-instance-accent = Couleur d’accent
panel-instance-accent-hint = La couleur de l’en-tête, des boutons et des liens des pages publiques. Les liens sont assombris ou éclaircis si nécessaire pour rester lisibles.
panel-instance-publish-as = Fédération des publications
panel-instance-publish-article = Objets enrichis (Article, Event) : texte intégral dans Mastodon 4.3+, événements dans Mobilizon et Gancio
panel-instance-publish-note = Notes : pour les réseaux d’applications qui n’affichent en entier que les notes
panel-instance-federation = Fédération
panel-instance-open = Ouverte : tous les serveurs, sauf ceux qui sont bloqués
panel-instance-closed = Fermée : seulement les domaines de la
panel-instance-allow-list = liste d’autorisation

## Connexion (login.html)

panel-log-in = Se connecter
panel-login-hint = Les comptes de l’équipe sont créés par un administrateur, ou avec
panel-login-hint-end = .

## Publications et comptes (moderation.html)

panel-moderation-remove-heading = Retirer une publication ou une réponse
panel-moderation-remove-intro = Une publication ou une réponse venant d’un autre serveur quitte le fil commun et nos pages, et n’est plus acceptée.
panel-moderation-block-heading = Bloquer un compte d’un autre serveur
panel-moderation-block-intro = Ses activités sont refusées, plus rien n’est récupéré de lui, et ce que nous en avions stocké (publications, abonnements dans les deux sens, partages) est oublié.
panel-moderation-actor-label = Identifiant (@nom@serveur) ou adresse
panel-moderation-block = Bloquer
panel-moderation-none-blocked = Aucun compte n’est bloqué.
panel-moderation-blocked-caption = Comptes bloqués, du plus récent au plus ancien
panel-moderation-why = Motif
panel-moderation-unblock-label = Débloquer { $actor }
panel-moderation-unblock = Débloquer
panel-moderation-newer = Blocages plus récents
panel-moderation-older = Blocages plus anciens

## Supprimer une publication (post_delete.html)

panel-post-delete-title = { $kind ->
    [news] Supprimer l’actualité
    [calls] Supprimer l’appel
    [events] Supprimer l’événement
   *[other] Supprimer : { $kind }
}
panel-post-delete-heading = { $kind ->
    [news] Supprimer cette actualité ?
    [calls] Supprimer cet appel ?
    [events] Supprimer cet événement ?
   *[other] Supprimer : { $kind } ?
}
panel-post-delete-by = par { $account }
panel-post-delete-text = Sa page répondra « 410 Gone », et les serveurs de ses abonnés sont priés de la retirer. Cette action est irréversible.

## Formulaire de publication (post_form.html)

panel-post-form-new = { $kind ->
    [news] Nouvelle actualité
    [calls] Nouvel appel
    [events] Nouvel événement
   *[other] { $kind }
}
panel-post-form-edit = { $kind ->
    [news] Modifier l’actualité
    [calls] Modifier l’appel
    [events] Modifier l’événement
   *[other] { $kind }
}
panel-post-public-page = Page publique :
panel-post-new-short = Nouvelle publication
panel-post-errors = { $count ->
    [one] { $count } champ demande votre attention ; rien n’a été publié.
   *[other] { $count } champs demandent votre attention ; rien n’a été publié.
}
panel-post-preview-heading = Aperçu (pas encore publié)
panel-post-topics = Sujets :
panel-post-translations = Traductions :
panel-post-set-main = { $kind ->
    [news] L’actualité
    [calls] L’appel
    [events] L’événement
   *[other] { $kind }
}
panel-post-set = { $set ->
    [Image] Image
    [Call] Appel
    [Event] Événement
    [Place] Lieu
   *[other] { $set }
}
panel-post-set-translation = Traduction { $number }
panel-post-set-hint = { $set ->
    [Image] Une image à une adresse publique ; décrivez-la pour les personnes qui ne peuvent pas la voir.
    [Place] Indiquez un lieu, une adresse en ligne, ou les deux.
    [Translation] Laissez vide s’il n’y en a pas. Pour retirer une traduction, videz ses champs.
   *[other] {""}
}
panel-post-field = { $field ->
    [account] Publié au nom de
    [title] Titre
    [summary] Résumé
    [body] Texte
    [language] Langue
    [topics] Sujets
    [image_url] Adresse de l’image
    [image_alt] Description de l’image
    [kind] Type d’appel
    [deadline] Date limite
    [timezone] Fuseau horaire
    [eligibility] Qui peut candidater
    [apply_url] Où candidater (adresse)
    [start] Début
    [end] Fin
    [status] Statut
    [online_url] En ligne : où participer (adresse)
    [registration_url] Inscription (adresse)
    [name] Nom du lieu
    [street] Numéro et rue
    [postal_code] Code postal
    [locality] Commune
    [region] Région
    [country] Pays
    [latitude] Latitude
    [longitude] Longitude
   *[other] { $field }
}
panel-post-field-hint = { $field ->
    [summary] Une ou deux phrases : affichées dans les listes, les flux et les aperçus de liens.
    [body] Markdown : **gras**, _italique_, [liens](https://example.org), listes. Les #hashtags deviennent des sujets.
    [language] Une étiquette de langue comme en, fr ou es-419 (en si le champ est vide).
    [topics] Séparés par des virgules : logement, mobilité.
    [timezone] Le fuseau de l’heure indiquée : Europe/Paris, America/Montevideo.
    [eligibility] Markdown.
    [online_url] Pour un événement en ligne, ou à la fois dans un lieu et en ligne.
   *[other] {""}
}
panel-post-required = (obligatoire)
panel-post-choose = Choisir…
panel-post-call-kind = { $kind ->
    [grant] subvention
    [proposal] appel à projets
    [tender] marché public
    [job] offre d’emploi
    [course] formation
    [other] autre
   *[unknown] { $kind }
}
panel-post-event-status = { $status ->
    [scheduled] prévu
    [cancelled] annulé
    [postponed] reporté
    [moved_online] passé en ligne
   *[unknown] { $status }
}
panel-post-preview = Aperçu
panel-post-publish = Publier

## Réponses à une publication (post_replies.html)

panel-replies-heading = Réponses à « { $title } »
panel-replies-edit-post = Modifier la publication
panel-replies-hint = Une réponse masquée est conservée, mais n’est plus affichée sous la publication ni comptée ; les réponses qu’elle a reçues sont masquées avec elle.
panel-replies-hint-moderator = Pour retirer une réponse pour tout le monde ou la signaler à son serveur, utilisez Retirer ou Signaler.
panel-replies-none = Aucune réponse du fédivers pour l’instant.
panel-replies-caption = Réponses, de la plus ancienne à la plus récente ; chaque réponse est suivie de celles qui lui répondent
panel-replies-reply = Réponse
panel-replies-answer = réponse à une réponse
panel-replies-hidden = Masquée
panel-replies-shown = Affichée
panel-replies-show = Afficher
panel-replies-hide = Masquer

## Publications (posts.html)

panel-posts-kinds = Types de publications
panel-posts-news = Actualités
panel-posts-calls = Appels
panel-posts-events = Événements
panel-posts-new = { $kind ->
    [news] Nouvelle actualité
    [calls] Nouvel appel
    [events] Nouvel événement
   *[other] Nouveau : { $kind }
}
panel-posts-no-more = Aucune autre publication.
panel-posts-none = Rien n’est encore publié ici.
panel-posts-publish-first = { $kind ->
    [news] Utilisez « Nouvelle actualité » pour publier la première.
    [calls] Utilisez « Nouvel appel » pour publier le premier.
    [events] Utilisez « Nouvel événement » pour publier le premier.
   *[other] Utilisez « Nouveau : { $kind } » pour publier le premier élément.
}
panel-posts-caption = Publiées, de la plus récente à la plus ancienne
panel-posts-caption-page = Publiées, de la plus récente à la plus ancienne (page { $page })
panel-posts-title = Titre
panel-posts-when = Quand
panel-posts-edit-label = Modifier { $title }
panel-posts-delete-label = Supprimer { $title }
panel-posts-replies-label = Réponses à { $title }

## Relais (relays.html)

panel-relays-intro = Un relais transmet les publications publiques entre de nombreux serveurs : dès qu’il accepte, nos publications publiques lui sont envoyées et ce qu’il relaie entre dans le fil commun.
panel-relays-none = Aucun relais pour l’instant.
panel-relays-caption = Relais auxquels l’instance est abonnée
panel-relays-inbox = Boîte de réception
panel-relays-kind = Type
panel-relays-unsubscribe-label = Se désabonner de { $inbox }
panel-relays-unsubscribe = Se désabonner
panel-relays-url-label = Boîte de réception du relais (…/inbox, à la manière de Mastodon) ou URL de l’acteur (à la manière de LitePub)
panel-relays-subscribe = S’abonner

## Un signalement (report.html)

panel-report-heading = Signalement n° { $id }
panel-report-our-account = (l’un de nos comptes)
panel-report-from-remote = { $reporter } (un autre serveur)
panel-report-from-here = { $reporter }, ici
panel-report-from-here-forwarded = { $reporter }, ici ; transmis à son serveur
panel-report-no-comment = (aucun)
panel-report-resolved-by = Résolu par { $by } le { $date } UTC :
panel-report-open = Ouvert
panel-report-posts-heading = Publications signalées
panel-report-no-posts = Le signalement ne désigne aucune publication, seulement le compte.
panel-report-our-post = L’une de nos publications : modifiez-la ou supprimez-la dans Publications.
panel-report-remove-post = Retirer cette publication
panel-report-post-gone = { $id } : non stockée ici (retirée, supprimée ou jamais reçue).
panel-report-act-heading = Agir
panel-report-block = Bloquer { $actor }
panel-report-silence = Limiter { $domain }
panel-report-suspend = Suspendre { $domain }
panel-report-resolve-label = Ce qui a été fait, ou pourquoi rien ne l’a été
panel-report-resolve = Résoudre
panel-report-all = Tous les signalements

## Signalements (reports.html)

panel-reports-which = Quels signalements
panel-reports-open-tab = Ouverts
panel-reports-resolved-tab = Résolus
panel-reports-none-resolved = Aucun signalement n’est encore résolu.
panel-reports-none-open = Aucun signalement n’attend de modérateur. Les signalements que d’autres serveurs envoient au sujet de nos comptes, et ceux que vous faites ci-dessous, apparaissent ici.
panel-reports-open-caption = Signalements ouverts, du plus récent au plus ancien
panel-reports-resolved-caption = Signalements résolus, du plus récent au plus ancien
panel-reports-report = Signalement
panel-reports-ours = { $reporter } (le nôtre)
panel-reports-ours-forwarded = { $reporter } (le nôtre, transmis)
panel-reports-new-heading = Signaler une publication d’un autre serveur
panel-reports-new-intro = Pour une publication ou une réponse du fil commun ou publiée sous nos publications. La transmission envoie le signalement aux modérateurs de son serveur comme venant de cette instance : votre nom n’est pas transmis, votre commentaire l’est, mot pour mot.
panel-reports-what-is-wrong = Quel est le problème
panel-reports-forward = Transmettre à son serveur
panel-reports-submit = Signaler

## Ce que les autres serveurs ont envoyé (timeline.html)

panel-timeline-heading = Ce que les autres serveurs ont envoyé
panel-timeline-intro = Les éléments du fil commun venant d’autres serveurs, du plus récent au plus ancien, avec ce que les modérateurs peuvent faire pour chacun.
panel-timeline-public-link = Le fil public
panel-timeline-intro-end = montre la même chose, avec en plus les publications de cette instance.
panel-timeline-domain-label = Seulement du domaine
panel-timeline-filter = Afficher
panel-timeline-empty = Rien pour l’instant : les publications des comptes que suit cette instance, et leurs partages, apparaissent ici.
panel-timeline-empty-domain = Rien de { $domain } pour l’instant : les publications des comptes que suit cette instance, et leurs partages, apparaissent ici.
panel-timeline-boosted-by = partagé par { $handle }
panel-post-kind = { $kind ->
    [news] actualité
    [call] appel
    [event] événement
    [note] note
   *[other] { $kind }
}
panel-timeline-remove-label = Retirer la publication de { $handle }
panel-timeline-report-label = Signaler la publication de { $handle }

## Utilisateurs (users.html)

panel-users-caption = Membres de l’équipe
panel-users-role = Rôle
panel-users-publishes-as = Publie au nom de
panel-users-role-of = Rôle de { $email }
panel-users-change = Modifier
panel-users-revoke-label = Ne plus permettre à { $email } de publier au nom de { $account }
panel-users-revoke = retirer
panel-users-account-for = Compte pour { $email }
panel-users-grant = Ajouter
panel-users-every-account = tous les comptes
panel-users-disabled = désactivé
panel-users-active = actif
panel-users-enable = Activer
panel-users-disable = Désactiver
panel-users-new-heading = Nouvel utilisateur
panel-users-password = Mot de passe (au moins 10 caractères)
panel-users-create = Créer

## Avis après un formulaire (messages flash)

panel-flash-account-created = Le compte @{ $name } est créé.
panel-flash-profile-saved = Le profil est enregistré ; les serveurs des abonnés reçoivent la mise à jour.
panel-flash-request-approved = { $follower } suit désormais @{ $account }.
panel-flash-request-refused = La demande de { $follower } est refusée.
panel-flash-follower-removed = { $follower } ne suit plus @{ $account }.
panel-flash-follow = @{ $account } suit { $target } ({ $state ->
        [pending] en attente
        [accepted] accepté
        [rejected] refusé
       *[other] { $state }
    }).
panel-flash-unfollow = @{ $account } ne suit plus { $target }.
panel-flash-relay-subscribed = Abonnement à { $inbox } ({ $state ->
        [pending] en attente
        [accepted] accepté
        [rejected] refusé
       *[other] { $state }
    }).
panel-flash-relay-unsubscribed = Désabonnement de { $inbox } effectué.
panel-flash-rule-saved = { $domain } : { $severity ->
        [suspend] suspension
        [silence] limitation
        [noop] aucune
       *[other] { $severity }
    }.
panel-flash-rule-lifted = La règle sur { $domain } est levée.
panel-flash-imported = Import — ajoutés : { $added }, mis à jour : { $updated }, inchangés : { $unchanged }, illisibles : { $unread }.
panel-flash-imported-lines = Import — ajoutés : { $added }, mis à jour : { $updated }, inchangés : { $unchanged }, illisibles : { $unread }. Lignes illisibles : { $lines }.
panel-flash-mode-closed = Le réseau est fermé : seuls les domaines autorisés se fédèrent.
panel-flash-mode-open = Le réseau est ouvert : tous les domaines se fédèrent, sauf ceux qui sont suspendus.
panel-flash-disallowed = { $domain } ne figure plus sur la liste d’autorisation.
panel-flash-post-removed = La publication est retirée.
panel-flash-actor-blocked = { $actor } est bloqué.
panel-flash-actor-unblocked = { $actor } n’est plus bloqué.
panel-flash-domain-restricted = { $domain } est { $severity ->
        [suspend] suspendu
        [silence] limité
       *[other] sans restriction
    }.
panel-flash-domain-already-restricted = { $domain } est déjà { $severity ->
        [suspend] suspendu
        [silence] limité
       *[other] sans restriction
    }.
panel-flash-post-published = Publié à l’adresse { $url } ; les serveurs des abonnés sont en cours d’information.
panel-flash-post-saved = Enregistré ; les serveurs des abonnés reçoivent la mise à jour.
panel-flash-post-deleted = Supprimée : sa page répond « 410 Gone », et les serveurs des abonnés sont priés de la retirer.
panel-flash-reply-hidden = La réponse est masquée : elle est conservée, mais n’est plus affichée sous la publication.
panel-flash-reply-shown = La réponse est de nouveau affichée sous la publication.
panel-flash-reported = Signalement enregistré.
panel-flash-reported-forwarded = Signalement enregistré et transmis à son serveur.
panel-flash-report-resolved = Le signalement est résolu.
panel-flash-instance-saved = Les paramètres de l’instance sont enregistrés.
panel-flash-retry = { $count ->
    [one] { $count } envoi en attente part maintenant.
   *[other] { $count } envois en attente partent maintenant.
}
panel-flash-forgotten = { $count ->
    [one] { $domain } est oublié : { $count } compte, ses publications et ses abonnements.
   *[other] { $domain } est oublié : { $count } comptes, leurs publications et leurs abonnements.
}
panel-flash-user-created = L’utilisateur { $email } est créé.
panel-flash-user-role = { $email } est désormais { $role ->
        [admin] administrateur
        [moderator] modérateur
        [editor] rédacteur
       *[other] { $role }
    }.
panel-flash-user-disabled = { $email } est désactivé.
panel-flash-user-enabled = { $email } est activé.
panel-flash-user-granted = { $email } peut publier au nom de { $account }.
panel-flash-user-revoked = { $email } ne publie plus au nom de { $account }.
