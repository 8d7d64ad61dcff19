# Mensajes de error: los motivos que el servidor da en sus respuestas (API, panel, páginas, otros servidores).
# Valores: { $nombre }. Los nombres técnicos (cabeceras, parámetros, valores esperados) se mantienen tal cual.

## general (la respuesta a cualquier solicitud)

error-not-found = no encontrado
error-gone = este recurso ya no existe
error-payload-too-large = el cuerpo de la solicitud supera el tamaño máximo
error-invalid-input = datos no válidos
error-query-invalid = no se pudieron leer los parámetros de la dirección: { $error }
error-path-invalid = no se pudo leer la dirección: { $error }
error-form-invalid = no se pudo leer el formulario: { $error }
error-upstream = no se pudo contactar con un servidor remoto o este respondió de forma incorrecta
error-internal = error interno

## api (solicitudes a la API)

error-json-invalid = JSON no válido: { $error }
error-page-from-one = el número de página debe ser 1 o mayor
error-body-shape = no corresponde al formato de la solicitud: { $error }
error-api-token-required = se requiere un token de API (Authorization: Bearer TOKEN)
error-api-token-invalid = el token de API no es válido
error-stats-admins-only = solo los administradores pueden consultar las estadísticas de la instancia
error-follow-body-expected = se esperaba { "{" }"target": "@nombre@servidor"{ "}" }: { $error }
error-relay-body-expected = se esperaba { "{" }"url": "https://…"{ "}" }: { $error }
error-limit-range = entre 1 y { $max }
error-one-or-more = 1 o más
error-page-and-limit = una página a partir de 1, de 1 a 200 elementos

## panel (sesiones y formularios del panel)

error-form-stale = el formulario ha caducado o no procede de este sitio: recargue la página e inténtelo de nuevo
error-too-many-logins = demasiados intentos de acceso fallidos: inténtelo de nuevo dentro de { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }
error-wrong-login = correo electrónico o contraseña incorrectos
error-log-in-first = inicie sesión primero
error-session-ended = la sesión ha finalizado
error-form-unreadable = no se pudo leer el formulario: { $error }
error-form-cross-site = el formulario se envió desde otro sitio
error-no-publishing-account = usted no publica en nombre de ninguna cuenta: un administrador puede asignarle una
error-hide-or-show = valor esperado: hide o show
error-approve-or-reject = valor esperado: approve o reject
error-report-action = valor esperado: remove, block_actor, silence o suspend
error-severity = valor esperado: suspend, silence o none

## site (formularios de las páginas públicas)

error-handle-or-server-expected = indique su dirección, como @nombre@mastodon.social, o su servidor, como mastodon.social
error-uri-not-local = solo las cuentas y las publicaciones de este servidor

## signatures (firmas HTTP de las solicitudes de otros servidores)

error-signature-header-missing = falta la cabecera { $name }
error-signature-header-unreadable = la cabecera { $name } no es un campo estructurado: { $error }
error-content-digest-mismatch = el Content-Digest no corresponde al cuerpo de la solicitud
error-signature-header-only = envíe la firma HTTP solo en la cabecera Signature
error-signature-input-empty = el Signature-Input no designa ninguna firma
error-signature-input-not-list = el Signature-Input no es una lista de componentes
error-signature-label-missing = no hay ninguna firma con la etiqueta { $label }
error-signature-no-keyid-url = la firma no tiene una URL keyid
error-signature-alg-unsupported = el algoritmo (alg) de la firma no es rsa-v1_5-sha256
error-signature-no-created = la firma no tiene fecha de creación (created)
error-signature-created-skew = la fecha de creación de la firma está demasiado lejos de la hora actual
error-signature-expired = la firma ha caducado
error-signature-component-not-string = un componente cubierto no es una cadena
error-signature-component-parameters = el componente { $name } tiene parámetros que no leemos
error-signature-must-cover = la firma debe cubrir { $name }
error-signature-must-cover-target = la firma debe cubrir @target-uri o @path
error-signature-must-cover-query = la firma debe cubrir la cadena de consulta (@query)
error-signature-component-unsupported = el componente { $name } no es compatible
error-signature-signed-header-missing = falta la cabecera firmada { $header }
error-signature-wrong-authority = la solicitud está firmada para { $value }, no para { $authority }
error-signature-params-unserialisable = los parámetros de la firma no se pueden serializar
error-header-repeated = la solicitud tiene más de una cabecera { $name }
error-header-not-text = la cabecera { $name } no es texto
error-signature-missing = la solicitud no tiene firma HTTP
error-signature-no-keyid = la firma HTTP no tiene keyId
error-signature-keyid-not-url = el keyId de la firma no es una URL
error-http-signature-must-cover = la firma HTTP debe cubrir { $header }
error-signature-no-digest = la solicitud firmada no tiene cabecera Digest
error-digest-mismatch = la cabecera Digest no corresponde al cuerpo de la solicitud
error-signature-key-not-actors = la solicitud está firmada con una clave que no pertenece al actor de la actividad
error-signature-no-date = la solicitud firmada no tiene cabecera Date
error-date-not-http-date = la cabecera Date no es una fecha HTTP
error-date-skew = la cabecera Date de la solicitud está demasiado lejos de la hora actual
error-signature-parameter-spaces = el parámetro de la firma HTTP { $key } contiene espacios
error-signature-parameter-twice = la firma HTTP nombra { $key } dos veces
error-blocked-here = usted está bloqueado en esta instancia
error-signer-unreachable = no se pudo obtener el actor firmante
error-signature-invalid = firma HTTP no válida: { $error }
error-signature-not-base64 = la firma no está codificada en base64
error-signature-does-not-verify = la verificación de la firma HTTP ha fallado

## federation (respuestas a otros servidores, documentos remotos)

error-actor-fetch-failed = no se pudo obtener el actor { $actor }: { $error }
error-actor-type-unfollowed = { $type } no es un tipo de actor que sigamos
error-actor-no-inbox = el actor { $actor } no tiene bandeja de entrada
error-actor-inbox-elsewhere = la bandeja de entrada { $inbox } del actor { $actor } está en otro servidor
error-actor-no-public-key = el actor { $actor } no publica ninguna clave pública
error-actor-key-owner = la clave del actor { $actor } pertenece a { $owner }
error-actor-no-pem-key = el actor { $actor } no tiene una clave pública en formato PEM
error-remote-claims-local-id = un documento remoto reclama un identificador local
error-actor-unusable = { $reason }
error-actor-invalid = actor no válido: { $error }
error-actor-updates-only-itself = un actor solo puede actualizarse a sí mismo
error-object-no-id = el objeto no tiene identificador
error-local-object-not-fetched = un objeto local no se obtiene de forma remota
error-url-scheme-refused = no se admiten las URL { $scheme }://
error-url-port-refused = no se admiten las URL con un puerto explícito
error-url-no-host = la URL no tiene nombre de servidor
error-address-not-public = { $address } no es una dirección pública
error-host-resolves-private = { $host } se resuelve en { $address }, que no es una dirección pública
error-request-refused = { $reason }
error-url-invalid = { $url }: { $error }
error-not-handle-nor-url = { $input } no es ni una dirección como @nombre@servidor ni la URL de un actor
error-domain-blocked = { $domain } está bloqueado
error-webfinger-no-actor-link = no se pudo localizar { $handle }: el documento WebFinger no contiene ningún enlace a un actor ActivityPub
error-webfinger-unreachable = no se pudo localizar { $handle }: { $error }
error-webfinger-redirect-no-location = no se pudo localizar { $handle }: redirección sin dirección de destino
error-webfinger-status = no se pudo localizar { $handle }: WebFinger respondió { $status }
error-webfinger-too-large = no se pudo localizar { $handle }: el documento WebFinger es demasiado grande
error-webfinger-document-invalid = no se pudo localizar { $handle }: documento WebFinger no válido: { $error }
error-followee-not-local = el actor seguido no está en esta instancia
error-follow-names-no-actor = el Follow no designa ningún actor
error-undo-own-activities-only = un actor solo puede deshacer sus propias actividades
error-object-attributed-elsewhere = el objeto se atribuye a otro actor
error-move-only-itself = un actor solo puede migrarse a sí mismo
error-move-target-is-actor = un Move necesita un destino distinto de su actor
error-move-needs-target = un Move necesita un destino
error-busy-storing = este servidor está guardando lo que ha recibido; inténtelo de nuevo en unos instantes
error-activity-not-object = una actividad debe ser un objeto JSON
error-activity-no-actor = la actividad no tiene actor
error-domain-refused = esta instancia no acepta actividades de su dominio
error-actor-refused = esta instancia no acepta sus actividades
error-signer-deleted = el actor firmante ha sido eliminado
error-signature-unverifiable = no se puede verificar la firma HTTP
error-activity-unreadable = no es una actividad que podamos leer: { $error }
error-activity-id-elsewhere = el identificador de la actividad no está en el dominio de su actor
error-activity-claims-local-id = la actividad reclama un identificador local
error-resource-invalid = parámetro resource: { $error }
error-resource-form = el parámetro resource debe ser acct:nombre@dominio o la URL de un actor
error-resource-required = el parámetro resource es obligatorio
error-own-post-sent-back = no se nos puede enviar una publicación de esta instancia
error-only-author-changes = solo el autor puede modificar una publicación
error-only-author-deletes = solo el autor puede eliminar una publicación
error-only-actor-undoes-reaction = solo su autor puede deshacer una reacción
error-remote-failure = { $reason }

## accounts (cuentas locales, alias y migraciones)

error-no-local-account = no hay ninguna cuenta local llamada { $name }
error-account-name-length = el nombre de cuenta debe tener entre 1 y { $max } caracteres
error-account-name-characters = el nombre de cuenta { $name } solo puede contener letras minúsculas, cifras y _
error-display-name-too-long = el nombre visible supera los { $max } caracteres
error-summary-too-long = la presentación supera los { $max } caracteres
error-field-url-invalid = { $field } { $value }: { $error }
error-field-must-be-http-url = { $field } debe ser una URL http(s)
error-account-exists = ya existe una cuenta llamada { $name }
error-account-name-taken = ya existe una cuenta con ese nombre
error-own-alias = una cuenta no puede ser su propio alias
error-instance-actor-moves = el actor de la instancia no se puede migrar
error-account-already-moved = { $account } ya ha migrado a { $target }
error-move-to-itself = una cuenta no puede migrar a sí misma
error-move-target-has-moved = { $target } ha migrado a su vez: migre a su nueva dirección
error-move-target-lacks-alias = { $target } no menciona { $account } entre sus otras cuentas: añada primero el alias en la cuenta nueva

## users (personal, roles y tokens)

error-admins-only = solo los administradores pueden realizar esta acción
error-moderators-only = solo los moderadores y los administradores pueden realizar esta acción
error-may-not-publish-as = usted no puede publicar en nombre de { $account }
error-role-may-not-publish = su rol no permite publicar
error-no-user = no existe el usuario { $email }
error-user-not-granted = { $email } de todos modos no podía publicar en nombre de { $account }
error-not-an-email = { $email } no es una dirección de correo electrónico
error-role-one-of = el rol debe ser uno de los siguientes: { $roles }
error-password-too-short = la contraseña debe tener al menos { $min } caracteres
error-user-exists = ya existe un usuario { $email }
error-one-of = uno de los siguientes valores: { $allowed }
error-last-admin = el último administrador no se puede desactivar ni cambiar de rol

## follows (seguimientos)

error-follow-target-local = esa cuenta está en esta instancia
error-not-following = { $account } no sigue a { $target }
error-move-to-local-account = un Move hacia una cuenta de esta instancia no se sigue: siga esa cuenta aquí
error-move-target-not-own-id = { $target } no es el identificador propio de un actor: el Move no se tiene en cuenta
error-move-target-moved = { $target } ha migrado a su vez: el Move no se tiene en cuenta
error-move-target-no-alias = { $target } no menciona { $mover } en su alsoKnownAs: el Move no se tiene en cuenta
error-follow-answer-followee-only = solo el actor seguido puede responder a una solicitud de seguimiento
error-undo-own-follow-only = un actor solo puede deshacer su propio seguimiento
error-not-a-follower = ese actor no es seguidor de esta cuenta
error-no-pending-request = no hay ninguna solicitud de seguimiento pendiente de ese actor

## relays (relés)

error-not-http-url = { $url } no es una URL http(s)
error-no-relay-at = no hay ningún relé en { $url }
error-relay-answer-relay-only = solo el relé puede responder a su solicitud de seguimiento

## timeline (la cronología de la red)

error-cursor-invalid = no es un cursor de una página anterior
error-timeline-kind = valor esperado: news, call, event o note
error-timeline-language = una etiqueta de idioma como fr o pt-BR
error-local-or-remote = use el parámetro local o el parámetro remote, no ambos

## reports (denuncias)

error-unknown-remote-post-or-account = ninguna publicación ni cuenta de otro servidor tiene el identificador { $id }
error-report-exists = esta denuncia ya existe
error-report-action-inapplicable = esta acción no se aplica al objeto de la denuncia
error-report-resolved = esta denuncia ya está resuelta

## moderation (publicaciones, actores y dominios remotos)

error-unknown-remote-post = ninguna publicación de otro servidor tiene el identificador { $id }
error-not-a-reply-under = { $reply } no es una respuesta en el hilo de { $post }
error-own-accounts-not-blocked = nuestras propias cuentas no se pueden bloquear
error-actor-not-blocked = { $actor } no está bloqueado
error-not-a-domain = { $domain } no es un nombre de dominio
error-not-a-severity = { $severity } no es una severidad: suspend, silence o noop
error-not-csv = no es CSV: { $error }
error-rule-refused = { $domain }: { $error }
error-domain-not-failing = { $domain } no está fallando: bloquéelo en su lugar
error-domain-no-rule = { $domain } no tiene ninguna regla
error-domain-not-allowed = { $domain } no está en la lista de dominios permitidos
error-allow-list-empty = añada primero los dominios miembros a la lista de dominios permitidos

## posts (noticias, convocatorias y eventos)

error-no-local-account-named = no hay ninguna cuenta local con ese nombre
error-post-cannot-change-account = una publicación no puede cambiar de cuenta
error-embed-limit-range = el límite debe estar entre 1 y { $max }
error-unknown-topic = tema desconocido
error-not-local-date-time = { $value } no es una fecha y hora locales como 2030-10-05T23:59:00
error-time-skipped = { $time } no existe en { $zone } (cambio de hora)
error-not-time-zone = { $value } no es una zona horaria IANA como Europe/Madrid
error-too-long = { $max } caracteres como máximo
error-required = campo obligatorio
error-must-be-http-url = debe ser una URL http(s)
error-must-be-one-of = debe ser uno de los siguientes valores: { $allowed }
error-required-one-of = campo obligatorio (uno de los siguientes valores: { $allowed })
error-language-tag = debe ser una etiqueta de idioma BCP 47 como en, fr o es-419
error-too-many-topics = { $max } temas como máximo
error-not-a-topic = { $topic } no es un tema válido (letras y cifras, { $max } como máximo)
error-translation-key = la clave debe ser una etiqueta de idioma BCP 47
error-translation-own-language = es el idioma de la propia publicación
error-image-alt-required = describa la imagen para las personas que no pueden verla
error-time-zone-required = campo obligatorio (una zona horaria IANA como Europe/Madrid)
error-local-date-time-required = campo obligatorio (una fecha y hora locales como 2030-10-05T23:59:00)
error-end-before-start = no puede ser anterior al inicio
error-event-too-long = un evento dura como máximo { $days } días
error-event-place-required = indique un lugar, una dirección en línea (online_url) o ambos
error-latitude-range = debe estar entre -90 y 90
error-longitude-range = debe estar entre -180 y 180
error-coordinates-together = indique la latitud y la longitud juntas
error-location-unnamed = un lugar necesita al menos un nombre, una calle o una localidad
error-translation-language-required = indique el idioma de esta traducción (como fr o es)
error-translation-language-repeated = este idioma ya tiene otra traducción
error-coordinate-number = debe ser un número como 40,4168

## instance (ajustes y política de federación)

error-rules-limits = como máximo { $rules } normas de { $characters } caracteres como máximo cada una
error-publish-as = valor esperado: article o note
error-accent = un color como #1f5fa8
error-federation-mode = valor esperado: open o allowlist

## cli (la orden munifed)

error-cli-severity = --severity es suspend, silence o noop
error-cli-cannot-read = no se puede leer { $file }: { $error }
error-cli-mode = el modo es open o allowlist
