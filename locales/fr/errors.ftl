# Messages d’erreur : les motifs que le serveur donne en réponse (API, panneau, pages, autres serveurs).
# Valeurs : { $nom }. Les noms techniques (en-têtes, paramètres, valeurs attendues) restent tels quels.

## general (la réponse à toute requête)

error-not-found = introuvable
error-gone = cette ressource n’existe plus
error-payload-too-large = le corps de la requête dépasse la taille maximale
error-invalid-input = données invalides
error-query-invalid = les paramètres de l’adresse n’ont pas pu être lus : { $error }
error-path-invalid = l’adresse n’a pas pu être lue : { $error }
error-form-invalid = le formulaire n’a pas pu être lu : { $error }
error-upstream = un serveur distant n’a pas pu être joint ou a mal répondu
error-internal = erreur interne

## api (requêtes à l’API)

error-json-invalid = JSON invalide : { $error }
error-page-from-one = le numéro de page doit être supérieur ou égal à 1
error-body-shape = ne correspond pas au format de la requête : { $error }
error-api-token-required = un jeton d’API est requis (Authorization: Bearer JETON)
error-api-token-invalid = le jeton d’API n’est pas valide
error-stats-admins-only = seuls les administrateurs peuvent consulter les statistiques de l’instance
error-follow-body-expected = format attendu : { "{" }"target": "@nom@serveur"{ "}" } : { $error }
error-relay-body-expected = format attendu : { "{" }"url": "https://…"{ "}" } : { $error }
error-limit-range = entre 1 et { $max }
error-one-or-more = 1 ou plus
error-page-and-limit = une page à partir de 1, de 1 à 200 éléments

## panel (sessions et formulaires du panneau)

error-form-stale = le formulaire a expiré ou ne provient pas de ce site : rechargez la page et réessayez
error-too-many-logins = trop de tentatives de connexion échouées : réessayez dans { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
error-wrong-login = adresse électronique ou mot de passe incorrect
error-log-in-first = veuillez d’abord vous connecter
error-session-ended = la session a pris fin
error-form-unreadable = le formulaire n’a pas pu être lu : { $error }
error-form-cross-site = le formulaire a été envoyé depuis un autre site
error-no-publishing-account = vous ne publiez au nom d’aucun compte : un administrateur peut vous en attribuer un
error-hide-or-show = valeur attendue : hide ou show
error-approve-or-reject = valeur attendue : approve ou reject
error-report-action = valeur attendue : remove, block_actor, silence ou suspend
error-severity = valeur attendue : suspend, silence ou none

## site (formulaires des pages publiques)

error-handle-or-server-expected = indiquez votre adresse, comme @nom@mastodon.social, ou votre serveur, comme mastodon.social
error-uri-not-local = uniquement les comptes et les publications de ce serveur

## signatures (signatures HTTP des requêtes d’autres serveurs)

error-signature-header-missing = en-tête { $name } absent
error-signature-header-unreadable = l’en-tête { $name } n’est pas un champ structuré : { $error }
error-content-digest-mismatch = le Content-Digest ne correspond pas au corps de la requête
error-signature-header-only = envoyez la signature HTTP uniquement dans l’en-tête Signature
error-signature-input-empty = le Signature-Input ne désigne aucune signature
error-signature-input-not-list = le Signature-Input n’est pas une liste de composants
error-signature-label-missing = aucune signature nommée { $label }
error-signature-no-keyid-url = la signature n’a pas d’URL keyid
error-signature-alg-unsupported = l’algorithme (alg) de la signature n’est pas rsa-v1_5-sha256
error-signature-no-created = la signature n’a pas de date de création (created)
error-signature-created-skew = la date de création de la signature est trop éloignée de l’heure actuelle
error-signature-expired = la signature a expiré
error-signature-component-not-string = un composant couvert n’est pas une chaîne
error-signature-component-parameters = le composant { $name } a des paramètres que nous ne lisons pas
error-signature-must-cover = la signature doit couvrir { $name }
error-signature-must-cover-target = la signature doit couvrir @target-uri ou @path
error-signature-must-cover-query = la signature doit couvrir la chaîne de requête (@query)
error-signature-component-unsupported = le composant { $name } n’est pas pris en charge
error-signature-signed-header-missing = l’en-tête signé { $header } est absent
error-signature-wrong-authority = la requête est signée pour { $value }, et non pour { $authority }
error-signature-params-unserialisable = les paramètres de la signature ne peuvent pas être sérialisés
error-header-repeated = la requête contient plusieurs en-têtes { $name }
error-header-not-text = l’en-tête { $name } n’est pas du texte
error-signature-missing = la requête n’a pas de signature HTTP
error-signature-no-keyid = la signature HTTP n’a pas de keyId
error-signature-keyid-not-url = le keyId de la signature n’est pas une URL
error-http-signature-must-cover = la signature HTTP doit couvrir { $header }
error-signature-no-digest = la requête signée n’a pas d’en-tête Digest
error-digest-mismatch = l’en-tête Digest ne correspond pas au corps de la requête
error-signature-key-not-actors = la requête est signée par une clé qui n’appartient pas à l’acteur de l’activité
error-signature-no-date = la requête signée n’a pas d’en-tête Date
error-date-not-http-date = l’en-tête Date n’est pas une date HTTP
error-date-skew = l’en-tête Date de la requête est trop éloigné de l’heure actuelle
error-signature-parameter-spaces = le paramètre de signature HTTP { $key } contient des espaces
error-signature-parameter-twice = la signature HTTP nomme { $key } deux fois
error-blocked-here = vous êtes bloqué sur cette instance
error-signer-unreachable = l’acteur signataire n’a pas pu être récupéré
error-signature-invalid = signature HTTP invalide : { $error }
error-signature-not-base64 = la signature n’est pas encodée en base64
error-signature-does-not-verify = la vérification de la signature HTTP a échoué

## federation (réponses aux autres serveurs, documents distants)

error-actor-fetch-failed = impossible de récupérer l’acteur { $actor } : { $error }
error-actor-type-unfollowed = { $type } n’est pas un type d’acteur que nous suivons
error-actor-no-inbox = l’acteur { $actor } n’a pas de boîte de réception
error-actor-inbox-elsewhere = la boîte de réception { $inbox } de l’acteur { $actor } se trouve sur un autre serveur
error-actor-no-public-key = l’acteur { $actor } ne publie aucune clé publique
error-actor-key-owner = la clé de l’acteur { $actor } appartient à { $owner }
error-actor-no-pem-key = l’acteur { $actor } n’a pas de clé publique au format PEM
error-remote-claims-local-id = un document distant revendique un identifiant local
error-actor-unusable = { $reason }
error-actor-invalid = acteur invalide : { $error }
error-actor-updates-only-itself = un acteur ne peut mettre à jour que lui-même
error-object-no-id = l’objet n’a pas d’identifiant
error-local-object-not-fetched = un objet local ne se récupère pas à distance
error-url-scheme-refused = les URL { $scheme }:// ne sont pas autorisées
error-url-port-refused = les URL avec un port explicite ne sont pas autorisées
error-url-no-host = l’URL n’a pas de nom d’hôte
error-address-not-public = { $address } n’est pas une adresse publique
error-host-resolves-private = { $host } pointe vers { $address }, qui n’est pas une adresse publique
error-request-refused = { $reason }
error-url-invalid = { $url } : { $error }
error-not-handle-nor-url = { $input } n’est ni une adresse comme @nom@serveur ni l’URL d’un acteur
error-domain-blocked = { $domain } est bloqué
error-webfinger-no-actor-link = impossible de trouver { $handle } : le document WebFinger ne contient aucun lien vers un acteur ActivityPub
error-webfinger-unreachable = impossible de trouver { $handle } : { $error }
error-webfinger-redirect-no-location = impossible de trouver { $handle } : redirection sans adresse de destination
error-webfinger-status = impossible de trouver { $handle } : WebFinger a répondu { $status }
error-webfinger-too-large = impossible de trouver { $handle } : le document WebFinger est trop volumineux
error-webfinger-document-invalid = impossible de trouver { $handle } : document WebFinger invalide : { $error }
error-followee-not-local = l’acteur suivi n’est pas sur cette instance
error-follow-names-no-actor = le Follow ne désigne aucun acteur
error-undo-own-activities-only = un acteur ne peut annuler que ses propres activités
error-object-attributed-elsewhere = l’objet est attribué à un autre acteur
error-move-only-itself = un acteur ne peut faire migrer que lui-même
error-move-target-is-actor = un Move doit avoir une cible autre que son acteur
error-move-needs-target = un Move doit avoir une cible
error-busy-storing = ce serveur enregistre ce qu’il a reçu ; réessayez dans quelques instants
error-activity-not-object = une activité doit être un objet JSON
error-activity-no-actor = l’activité n’a pas d’acteur
error-domain-refused = cette instance n’accepte pas les activités de votre domaine
error-actor-refused = cette instance n’accepte pas vos activités
error-signer-deleted = l’acteur signataire a été supprimé
error-signature-unverifiable = la signature HTTP ne peut pas être vérifiée
error-activity-unreadable = ce n’est pas une activité que nous savons lire : { $error }
error-activity-id-elsewhere = l’identifiant de l’activité n’est pas sur le domaine de son acteur
error-activity-claims-local-id = l’activité revendique un identifiant local
error-resource-invalid = paramètre resource : { $error }
error-resource-form = le paramètre resource doit être acct:nom@domaine ou l’URL d’un acteur
error-resource-required = le paramètre resource est obligatoire
error-own-post-sent-back = une publication de cette instance ne peut pas lui être renvoyée
error-only-author-changes = seul l’auteur peut modifier une publication
error-only-author-deletes = seul l’auteur peut supprimer une publication
error-only-actor-undoes-reaction = seul son auteur peut annuler une réaction
error-remote-failure = { $reason }

## accounts (comptes locaux, alias et migrations)

error-no-local-account = aucun compte local ne s’appelle { $name }
error-account-name-length = le nom de compte doit comporter de 1 à { $max } caractères
error-account-name-characters = le nom de compte { $name } ne peut contenir que des lettres minuscules, des chiffres et _
error-display-name-too-long = le nom affiché dépasse { $max } caractères
error-summary-too-long = la présentation dépasse { $max } caractères
error-field-url-invalid = { $field } { $value } : { $error }
error-field-must-be-http-url = { $field } doit être une URL http(s)
error-account-exists = un compte nommé { $name } existe déjà
error-account-name-taken = un compte portant ce nom existe déjà
error-own-alias = un compte ne peut pas être son propre alias
error-instance-actor-moves = l’acteur de l’instance ne peut pas migrer
error-account-already-moved = { $account } a déjà migré vers { $target }
error-move-to-itself = un compte ne peut pas migrer vers lui-même
error-move-target-has-moved = { $target } a lui-même migré : migrez vers sa nouvelle adresse
error-move-target-lacks-alias = { $target } ne cite pas { $account } parmi ses autres comptes : ajoutez d’abord l’alias sur le nouveau compte

## users (équipe, rôles et jetons)

error-admins-only = seuls les administrateurs peuvent effectuer cette action
error-moderators-only = seuls les modérateurs et les administrateurs peuvent effectuer cette action
error-may-not-publish-as = vous ne pouvez pas publier au nom de { $account }
error-role-may-not-publish = votre rôle ne permet pas de publier
error-no-user = aucun utilisateur { $email }
error-user-not-granted = { $email } ne pouvait de toute façon pas publier au nom de { $account }
error-not-an-email = { $email } n’est pas une adresse électronique
error-role-one-of = le rôle doit être l’un des suivants : { $roles }
error-password-too-short = le mot de passe doit comporter au moins { $min } caractères
error-user-exists = un utilisateur { $email } existe déjà
error-one-of = l’une des valeurs suivantes : { $allowed }
error-last-admin = le dernier administrateur ne peut être ni désactivé ni changer de rôle

## follows (abonnements)

error-follow-target-local = ce compte est sur cette instance
error-not-following = { $account } ne suit pas { $target }
error-move-to-local-account = un Move vers un compte de cette instance n’est pas suivi : abonnez-vous à ce compte ici
error-move-target-not-own-id = { $target } n’est pas l’identifiant propre d’un acteur : le Move n’est pas pris en compte
error-move-target-moved = { $target } a lui-même migré : le Move n’est pas pris en compte
error-move-target-no-alias = { $target } ne cite pas { $mover } dans son alsoKnownAs : le Move n’est pas pris en compte
error-follow-answer-followee-only = seul l’acteur suivi peut répondre à une demande d’abonnement
error-undo-own-follow-only = un acteur ne peut annuler que son propre abonnement
error-not-a-follower = cet acteur n’est pas abonné à ce compte
error-no-pending-request = aucune demande d’abonnement de cet acteur n’est en attente

## relays (relais)

error-not-http-url = { $url } n’est pas une URL http(s)
error-no-relay-at = aucun relais à l’adresse { $url }
error-relay-answer-relay-only = seul le relais peut répondre à son abonnement

## timeline (le fil du réseau)

error-cursor-invalid = ce n’est pas un curseur issu d’une page précédente
error-timeline-kind = valeur attendue : news, call, event ou note
error-timeline-language = une étiquette de langue comme fr ou pt-BR
error-local-or-remote = utilisez le paramètre local ou le paramètre remote, pas les deux

## reports (signalements)

error-unknown-remote-post-or-account = aucune publication ni aucun compte d’un autre serveur n’a l’identifiant { $id }
error-report-exists = ce signalement existe déjà
error-report-action-inapplicable = cette action ne s’applique pas à l’objet du signalement
error-report-resolved = ce signalement est déjà traité

## moderation (publications, acteurs et domaines distants)

error-unknown-remote-post = aucune publication d’un autre serveur n’a l’identifiant { $id }
error-not-a-reply-under = { $reply } n’est pas une réponse dans le fil de { $post }
error-own-accounts-not-blocked = nos propres comptes ne peuvent pas être bloqués
error-actor-not-blocked = { $actor } n’est pas bloqué
error-not-a-domain = { $domain } n’est pas un nom de domaine
error-not-a-severity = { $severity } n’est pas une sévérité : suspend, silence ou noop
error-not-csv = pas du CSV : { $error }
error-rule-refused = { $domain } : { $error }
error-domain-not-failing = { $domain } n’est pas en échec : bloquez-le plutôt
error-domain-no-rule = { $domain } n’a aucune règle
error-domain-not-allowed = { $domain } ne figure pas sur la liste d’autorisation
error-allow-list-empty = ajoutez d’abord les domaines membres à la liste d’autorisation

## posts (actualités, appels et événements)

error-no-local-account-named = aucun compte local ne porte ce nom
error-post-cannot-change-account = une publication ne peut pas changer de compte
error-embed-limit-range = la limite doit être comprise entre 1 et { $max }
error-unknown-topic = sujet inconnu
error-not-local-date-time = { $value } n’est pas une date et heure locales comme 2030-10-05T23:59:00
error-time-skipped = { $time } n’existe pas dans le fuseau { $zone } (changement d’heure)
error-not-time-zone = { $value } n’est pas un fuseau horaire IANA comme Europe/Paris
error-too-long = { $max } caractères au maximum
error-required = champ obligatoire
error-must-be-http-url = doit être une URL http(s)
error-must-be-one-of = doit être l’une des valeurs suivantes : { $allowed }
error-required-one-of = champ obligatoire (l’une des valeurs suivantes : { $allowed })
error-language-tag = doit être une étiquette de langue BCP 47 comme en, fr ou es-419
error-too-many-topics = { $max } sujets au maximum
error-not-a-topic = { $topic } n’est pas un sujet valide (lettres et chiffres, { $max } au maximum)
error-translation-key = doit avoir pour clé une étiquette de langue BCP 47
error-translation-own-language = c’est la langue de la publication elle-même
error-image-alt-required = décrivez l’image pour les personnes qui ne peuvent pas la voir
error-time-zone-required = champ obligatoire (un fuseau horaire IANA comme Europe/Paris)
error-local-date-time-required = champ obligatoire (une date et heure locales comme 2030-10-05T23:59:00)
error-end-before-start = ne doit pas précéder le début
error-event-too-long = un événement dure au plus { $days } jours
error-event-place-required = indiquez un lieu, une adresse en ligne (online_url), ou les deux
error-latitude-range = doit être comprise entre -90 et 90
error-longitude-range = doit être comprise entre -180 et 180
error-coordinates-together = indiquez la latitude et la longitude ensemble
error-location-unnamed = un lieu doit avoir au moins un nom, une rue ou une localité
error-translation-language-required = indiquez la langue de cette traduction (comme fr ou es)
error-translation-language-repeated = cette langue a déjà une autre traduction
error-coordinate-number = doit être un nombre comme 48,8566

## instance (paramètres et politique de fédération)

error-rules-limits = { $rules } règles au maximum, de { $characters } caractères au maximum chacune
error-publish-as = valeur attendue : article ou note
error-accent = une couleur comme #1f5fa8
error-federation-mode = valeur attendue : open ou allowlist

## cli (la commande munifed)

error-cli-severity = --severity vaut suspend, silence ou noop
error-cli-cannot-read = impossible de lire { $file } : { $error }
error-cli-mode = le mode est open ou allowlist
