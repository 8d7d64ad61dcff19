## El panel de administración (src/web/templates/admin/). Los mensajes son texto sin formato:
## los enlaces y el código van entre ellos en las plantillas.

## Palabras que comparten varias páginas

panel-save = Guardar
panel-remove = Retirar
panel-delete = Eliminar
panel-delete-ellipsis = Eliminar…
panel-edit = Editar
panel-cancel = Cancelar
panel-replies = Respuestas
panel-report-ellipsis = Denunciar…
panel-previous = Anterior
panel-next = Siguiente
panel-newer = Más recientes
panel-older = Más antiguos
panel-newest-first = Del más reciente al más antiguo
panel-actions = Acciones
panel-account = Cuenta
panel-state = Estado
panel-domain = Dominio
panel-comment = Comentario
panel-who = Quién
panel-action = Acción
panel-about = Asunto
panel-from = De
panel-received = Recibida
panel-email = Correo electrónico
panel-password = Contraseña
panel-display-name = Nombre visible
panel-contact = Contacto
panel-followers = Seguidores
panel-following = Seguidos
panel-public-page = Página pública
panel-approve-by-hand = Aprobar seguidores manualmente
panel-why-audit = Motivo (para el registro de auditoría)
panel-post-address = Su dirección (el enlace que aparece debajo, o su identificador)
panel-role = { $role ->
    [admin] administrador
    [moderator] moderador
    [editor] editor
   *[other] { $role }
}
panel-follow-state = { $state ->
    [pending] pendiente
    [accepted] aceptado
    [rejected] rechazado
   *[other] { $state }
}
panel-severity = { $severity ->
    [suspend] suspensión
    [silence] limitación
    [noop] ninguna
   *[other] { $severity }
}

## Marco de todas las páginas (base.html)

panel-name = Panel
panel-brand = panel
panel-skip-to-content = Saltar al contenido
panel-page-overview = Resumen
panel-page-posts = Publicaciones
panel-page-accounts = Cuentas
panel-page-relays = Relés
panel-page-instance = Instancia
panel-page-health = Estado del servicio
panel-page-users = Usuarios
panel-page-timeline = Cronología
panel-page-reports = Denuncias
panel-page-moderation = Publicaciones y cuentas
panel-page-domains = Dominios
panel-page-audit = Registro de auditoría
panel-open-reports = { $count ->
    [one] { $count } abierta
   *[other] { $count } abiertas
}
panel-public-site = Sitio público
panel-log-out = Cerrar sesión

## Una cuenta (account.html)

panel-account-public-profile = Perfil público
panel-account-requests-heading = Solicitudes de seguimiento
panel-account-no-request = No hay ninguna solicitud pendiente.
panel-account-accepts-at-once = Esta cuenta acepta seguidores de inmediato (salvo de dominios limitados).
panel-account-approve = Aprobar
panel-account-reject = Rechazar
panel-account-no-more-followers = No hay más seguidores.
panel-account-no-followers = Nadie sigue todavía esta cuenta. Comparta su identificador, { $handle }: cualquier persona en Mastodon u otra aplicación del fediverso puede seguirla.
panel-account-followers-caption = Seguidores, del más antiguo al más reciente (página { $page })
panel-account-follower = Seguidor
panel-account-follower-instance = Instancia
panel-account-remove-follower = Retirar al seguidor { $handle }
panel-account-follow-label = Seguir (un identificador como @news@city.example, o la URL de un actor)
panel-account-follow = Seguir
panel-account-follows-nobody = Esta cuenta aún no sigue a nadie: lo que publican las cuentas que sigue llena la cronología compartida.
panel-account-following-caption = Cuentas seguidas y su estado
panel-account-unfollow-label = Dejar de seguir a { $handle }
panel-account-unfollow = Dejar de seguir
panel-account-profile-heading = Perfil
panel-account-about-keep = Descripción (texto sin formato; déjela vacía para conservar el texto actual)
panel-account-website = Sitio web
panel-account-logo = URL del logotipo
panel-account-save-profile = Guardar el perfil

## Cuentas (accounts.html)

panel-accounts-none = Aún no publica en nombre de ninguna cuenta: un administrador le asigna cuentas en la página Usuarios.
panel-accounts-caption = Cuentas de la organización
panel-accounts-caption-mine = Cuentas de la organización en cuyo nombre publica
panel-accounts-requests = Solicitudes
panel-accounts-new-heading = Nueva cuenta
panel-accounts-name-label = Nombre (pasa a ser @nombre@{ $domain }: letras minúsculas, cifras y _)
panel-accounts-about = Descripción (texto sin formato; una línea en blanco inicia un párrafo)
panel-accounts-create = Crear la cuenta

## Registro de auditoría (audit.html)

panel-audit-all = todas
panel-audit-target-contains = El objetivo contiene
panel-audit-filter = Filtrar
panel-audit-clear = Borrar
panel-audit-empty = No hay nada registrado.
panel-audit-empty-filtered = No hay nada registrado con estos filtros.
panel-audit-when = Cuándo (UTC)
panel-audit-target = Objetivo

## Dominios (domains.html)

panel-domains-mode-heading = Modo de federación
panel-domains-closed = Red cerrada
panel-domains-closed-text = : solo los dominios de la lista de permitidos de abajo se federan con esta instancia; todos los demás se rechazan y nunca se contactan.
panel-domains-open = Abierta
panel-domains-open-text = : todos los dominios se federan, salvo los suspendidos abajo.
panel-domains-change-mode = Cambiar el modo
panel-domains-mode-open = abierta (lista de bloqueo)
panel-domains-mode-closed = cerrada (lista de permitidos)
panel-domains-save-mode = Guardar el modo
panel-domains-rules-heading = Reglas
panel-domains-no-more-rules = No hay más reglas.
panel-domains-no-rules = Ningún dominio tiene una regla.
panel-domains-rules-caption = Reglas de dominio (cada una abarca los subdominios del dominio)
panel-domains-severity = Gravedad
panel-domains-media = Multimedia
panel-domains-public-comment = Comentario público
panel-domains-private-comment = Comentario privado
panel-domains-media-rejected = rechazados
panel-domains-media-shown = mostrados
panel-domains-reports-ignored = ignoradas
panel-domains-reports-accepted = aceptadas
panel-domains-lift-label = Levantar la regla sobre { $domain }
panel-domains-lift = Levantar
panel-domains-rule-heading = Añadir o cambiar una regla
panel-domains-option-suspend = suspensión: nada entra ni sale, el contenido almacenado se elimina
panel-domains-option-silence = limitación: fuera de la cronología salvo si se sigue; sus seguimientos requieren aprobación
panel-domains-option-noop = ninguna (solo para las opciones de abajo)
panel-domains-reject-media = Rechazar su multimedia
panel-domains-ignore-reports = Ignorar sus denuncias
panel-domains-obfuscate = Ocultar en parte el dominio donde las reglas se muestran públicamente
panel-domains-private-comment-label = Comentario privado (solo para el personal)
panel-domains-save-rule = Guardar la regla
panel-domains-import-heading = Importar una lista de bloqueo
panel-domains-import-csv = CSV de Mastodon
panel-domains-overwrite = Sustituir las reglas que ya tenemos para estos dominios (si no, se dejan como están)
panel-domains-import = Importar
panel-domains-export-rules = Exportar las reglas (CSV)
panel-domains-allow-heading = Lista de permitidos
panel-domains-allow-empty = Ningún dominio figura en la lista de permitidos.
panel-domains-allow-closed-only = Solo cuenta en una red cerrada.
panel-domains-disallow-label = Quitar { $domain } de la lista de permitidos
panel-domains-allow-label = Dominios que permitir, uno por línea
panel-domains-allow = Permitir
panel-domains-export-allow = Exportar la lista de permitidos

## Página de error (error.html)

panel-error-back = Volver al resumen
panel-error-not-allowed = No permitido
panel-error-not-found = No encontrado
panel-error-too-many = Demasiados intentos
panel-error-error = Error
panel-error-did-not-work = No se pudo completar
panel-error-ours = Algo falló por nuestra parte; ha quedado registrado.

## Estado del servicio (health.html)

panel-health-queue-heading = Cola de envíos
panel-health-nothing-sent = Aún no se ha enviado nada.
panel-health-queue-caption = Envíos por estado (los terminados se depuran pasado un tiempo)
panel-health-deliveries = Envíos
panel-delivery-state = { $state ->
    [pending] pendiente
    [delivered] entregado
    [rejected] rechazado
    [gone] desaparecido
    [dead] abandonado
    [blocked] bloqueado
    [refused] denegado
    [withdrawn] retirado
   *[other] { $state }
}
panel-health-retry = Reintentar ahora todos los envíos pendientes
panel-health-domains-heading = Dominios en espera o con fallos
panel-health-all-answer = Todos los servidores responden; nada está en espera.
panel-health-domains-caption = Envíos pendientes por dominio, de más a menos; después, los dominios con fallos
panel-health-pending = Pendientes
panel-health-failing-since = Con fallos desde
panel-health-last-error = Último error
panel-health-given-up = (abandonado)
panel-health-answers = responde
panel-health-forget-label = Olvidar { $domain }
panel-health-forget = Olvidar
panel-health-forget-hint = Olvidar un dominio con fallos abandona sus envíos y olvida sus cuentas, sus seguimientos y sus publicaciones. No es un bloqueo: el dominio puede volver.
panel-health-caches-heading = Cachés desde el inicio
panel-health-cache = Caché
panel-health-hits = Aciertos
panel-health-misses = Fallos
panel-health-hit-rate = Tasa de aciertos
panel-health-entries = Entradas
panel-health-capacity = Capacidad

## Resumen (home.html)

panel-home-signed-in = Ha iniciado sesión como { $email }, { $role }.
panel-home-publish = Publicar:
panel-home-publish-news = una noticia
panel-home-publish-call = una convocatoria
panel-home-publish-event = un evento
panel-home-all-posts = todas las publicaciones
panel-home-users-card = : quién puede iniciar sesión, con qué roles y en nombre de qué cuentas publica cada uno.
panel-home-domains-card = : reglas, listas de bloqueo, la lista de permitidos de una red cerrada.
panel-home-audit-card = : todas las acciones del personal.
panel-home-timeline = Cronología compartida
panel-home-timeline-card = : lo que publica la red.
panel-home-accounts-heading = Cuentas en cuyo nombre publica
panel-home-account-link = seguidores y perfil

## Instancia (instance.html)

panel-instance-intro = Lo que se comunica a los visitantes y a otros servidores sobre esta instancia. El archivo de configuración da los valores iniciales; lo que se guarda aquí los sustituye.
panel-instance-name = Nombre
panel-instance-description = Descripción
panel-instance-contact-hint = Una dirección de correo electrónico, una página o un número de teléfono para consultas y denuncias de abusos.
panel-instance-rules = Normas
panel-instance-rules-hint = Una por línea.
panel-instance-accent = Color de acento
panel-instance-accent-hint = El color de la cabecera, los botones y los enlaces de las páginas públicas. Los enlaces se oscurecen o se aclaran cuando hace falta para que sigan siendo legibles.
panel-instance-publish-as = Cómo se federan las publicaciones
panel-instance-publish-article = Objetos enriquecidos (Article, Event): texto completo en Mastodon 4.3+, eventos en Mobilizon y Gancio
panel-instance-publish-note = Notas: para redes de aplicaciones que solo muestran completas las notas
panel-instance-federation = Federación
panel-instance-open = Abierta: todos los servidores, salvo los bloqueados
panel-instance-closed = Cerrada: solo los dominios de la
panel-instance-allow-list = lista de permitidos

## Inicio de sesión (login.html)

panel-log-in = Iniciar sesión
panel-login-hint = Las cuentas del personal las crea un administrador, o se crean con
panel-login-hint-end = .

## Publicaciones y cuentas (moderation.html)

panel-moderation-remove-heading = Retirar una publicación o respuesta
panel-moderation-remove-intro = Una publicación o respuesta de otro servidor sale de la cronología compartida y de nuestras páginas, y no se vuelve a admitir.
panel-moderation-block-heading = Bloquear una cuenta de otro servidor
panel-moderation-block-intro = Sus actividades se rechazan, no se obtiene nada de ella y lo que teníamos almacenado (publicaciones, seguimientos en ambos sentidos, impulsos) se olvida.
panel-moderation-actor-label = Identificador (@nombre@servidor) o dirección
panel-moderation-block = Bloquear
panel-moderation-none-blocked = No hay ninguna cuenta bloqueada.
panel-moderation-blocked-caption = Cuentas bloqueadas, de la más reciente a la más antigua
panel-moderation-why = Motivo
panel-moderation-unblock-label = Desbloquear { $actor }
panel-moderation-unblock = Desbloquear
panel-moderation-newer = Bloqueos más recientes
panel-moderation-older = Bloqueos más antiguos

## Eliminar una publicación (post_delete.html)

panel-post-delete-title = { $kind ->
    [news] Eliminar la noticia
    [calls] Eliminar la convocatoria
    [events] Eliminar el evento
   *[other] Eliminar: { $kind }
}
panel-post-delete-heading = { $kind ->
    [news] ¿Eliminar esta noticia?
    [calls] ¿Eliminar esta convocatoria?
    [events] ¿Eliminar este evento?
   *[other] ¿Eliminar: { $kind }?
}
panel-post-delete-by = de { $account }
panel-post-delete-text = Su página responderá «410 Gone» y se pedirá a los servidores de sus seguidores que la retiren. Esta acción no se puede deshacer.

## Formulario de publicación (post_form.html)

panel-post-form-new = { $kind ->
    [news] Nueva noticia
    [calls] Nueva convocatoria
    [events] Nuevo evento
   *[other] { $kind }
}
panel-post-form-edit = { $kind ->
    [news] Editar la noticia
    [calls] Editar la convocatoria
    [events] Editar el evento
   *[other] { $kind }
}
panel-post-public-page = Página pública:
panel-post-new-short = Nueva publicación
panel-post-errors = { $count ->
    [one] Un campo requiere su atención; no se ha publicado nada.
   *[other] { $count } campos requieren su atención; no se ha publicado nada.
}
panel-post-preview-heading = Vista previa (aún no publicada)
panel-post-topics = Temas:
panel-post-translations = Traducciones:
panel-post-set-main = { $kind ->
    [news] La noticia
    [calls] La convocatoria
    [events] El evento
   *[other] { $kind }
}
panel-post-set = { $set ->
    [Image] Imagen
    [Call] Convocatoria
    [Event] Evento
    [Place] Lugar
   *[other] { $set }
}
panel-post-set-translation = Traducción { $number }
panel-post-set-hint = { $set ->
    [Image] Una imagen en una dirección pública; descríbala para las personas que no pueden verla.
    [Place] Indique un lugar, una dirección en línea o ambos.
    [Translation] Déjela vacía si no hay ninguna. Para quitar una traducción, vacíe sus campos.
   *[other] {""}
}
panel-post-field = { $field ->
    [account] Publicado como
    [title] Título
    [summary] Resumen
    [body] Texto
    [language] Idioma
    [topics] Temas
    [image_url] Dirección de la imagen
    [image_alt] Descripción de la imagen
    [kind] Tipo de convocatoria
    [deadline] Plazo
    [timezone] Zona horaria
    [eligibility] Quién puede presentarse
    [apply_url] Dónde presentarse (dirección)
    [start] Inicio
    [end] Fin
    [status] Estado
    [online_url] En línea: dónde participar (dirección)
    [registration_url] Inscripción (dirección)
    [name] Nombre del lugar
    [street] Calle y número
    [postal_code] Código postal
    [locality] Localidad
    [region] Región
    [country] País
    [latitude] Latitud
    [longitude] Longitud
   *[other] { $field }
}
panel-post-field-hint = { $field ->
    [summary] Una o dos frases: se muestran en listas, canales y vistas previas de enlaces.
    [body] Markdown: **negrita**, _cursiva_, [enlaces](https://example.org), listas. Las #etiquetas se convierten en temas.
    [language] Una etiqueta de idioma como en, fr o es-419 (en si se deja vacío).
    [topics] Separados por comas: vivienda, movilidad.
    [timezone] Dónde se entiende la hora: Europe/Paris, America/Montevideo.
    [eligibility] Markdown.
    [online_url] Para un evento en línea, o a la vez presencial y en línea.
   *[other] {""}
}
panel-post-required = (obligatorio)
panel-post-choose = Elegir…
panel-post-call-kind = { $kind ->
    [grant] subvención
    [proposal] convocatoria de proyectos
    [tender] licitación
    [job] oferta de empleo
    [course] curso
    [other] otra
   *[unknown] { $kind }
}
panel-post-event-status = { $status ->
    [scheduled] programado
    [cancelled] cancelado
    [postponed] aplazado
    [moved_online] trasladado a en línea
   *[unknown] { $status }
}
panel-post-preview = Vista previa
panel-post-publish = Publicar

## Respuestas a una publicación (post_replies.html)

panel-replies-heading = Respuestas a «{ $title }»
panel-replies-edit-post = Editar la publicación
panel-replies-hint = Una respuesta oculta se conserva, pero ya no se muestra bajo la publicación ni se cuenta; las respuestas que recibió se ocultan con ella.
panel-replies-hint-moderator = Para retirar una respuesta para todos o denunciarla a su servidor, use Retirar o Denunciar.
panel-replies-none = Aún no hay respuestas del fediverso.
panel-replies-caption = Respuestas, de la más antigua a la más reciente; cada respuesta va seguida de las que le responden
panel-replies-reply = Respuesta
panel-replies-answer = respuesta a una respuesta
panel-replies-hidden = Oculta
panel-replies-shown = Visible
panel-replies-show = Mostrar
panel-replies-hide = Ocultar

## Publicaciones (posts.html)

panel-posts-kinds = Tipos de publicación
panel-posts-news = Noticias
panel-posts-calls = Convocatorias
panel-posts-events = Eventos
panel-posts-new = { $kind ->
    [news] Nueva noticia
    [calls] Nueva convocatoria
    [events] Nuevo evento
   *[other] Nuevo: { $kind }
}
panel-posts-no-more = No hay más publicaciones.
panel-posts-none = Aún no hay nada publicado aquí.
panel-posts-publish-first = { $kind ->
    [news] Use «Nueva noticia» para publicar la primera.
    [calls] Use «Nueva convocatoria» para publicar la primera.
    [events] Use «Nuevo evento» para publicar el primero.
   *[other] Use «Nuevo: { $kind }» para publicar el primer elemento.
}
panel-posts-caption = Publicadas, de la más reciente a la más antigua
panel-posts-caption-page = Publicadas, de la más reciente a la más antigua (página { $page })
panel-posts-title = Título
panel-posts-when = Cuándo
panel-posts-edit-label = Editar { $title }
panel-posts-delete-label = Eliminar { $title }
panel-posts-replies-label = Respuestas a { $title }

## Relés (relays.html)

panel-relays-intro = Un relé transmite publicaciones públicas entre muchos servidores: en cuanto acepta, nuestras publicaciones públicas se le envían y lo que retransmite entra en la cronología compartida.
panel-relays-none = Aún no hay ningún relé.
panel-relays-caption = Relés suscritos
panel-relays-inbox = Bandeja de entrada
panel-relays-kind = Tipo
panel-relays-unsubscribe-label = Cancelar la suscripción a { $inbox }
panel-relays-unsubscribe = Cancelar la suscripción
panel-relays-url-label = Bandeja de entrada del relé (…/inbox, al estilo de Mastodon) o URL del actor (al estilo de LitePub)
panel-relays-subscribe = Suscribirse

## Una denuncia (report.html)

panel-report-heading = Denuncia n.º { $id }
panel-report-our-account = (una de nuestras cuentas)
panel-report-from-remote = { $reporter } (otro servidor)
panel-report-from-here = { $reporter }, aquí
panel-report-from-here-forwarded = { $reporter }, aquí; reenviada a su servidor
panel-report-no-comment = (ninguno)
panel-report-resolved-by = Resuelta por { $by } el { $date } UTC:
panel-report-open = Abierta
panel-report-posts-heading = Publicaciones denunciadas
panel-report-no-posts = La denuncia no señala ninguna publicación, solo la cuenta.
panel-report-our-post = Una de nuestras publicaciones: edítela o elimínela en Publicaciones.
panel-report-remove-post = Retirar esta publicación
panel-report-post-gone = { $id }: no está almacenada aquí (retirada, eliminada o nunca recibida).
panel-report-act-heading = Actuar
panel-report-block = Bloquear { $actor }
panel-report-silence = Limitar { $domain }
panel-report-suspend = Suspender { $domain }
panel-report-resolve-label = Qué se hizo, o por qué no se hizo nada
panel-report-resolve = Resolver
panel-report-all = Todas las denuncias

## Denuncias (reports.html)

panel-reports-which = Qué denuncias
panel-reports-open-tab = Abiertas
panel-reports-resolved-tab = Resueltas
panel-reports-none-resolved = Aún no hay ninguna denuncia resuelta.
panel-reports-none-open = Ninguna denuncia espera a un moderador. Las denuncias que otros servidores envían sobre nuestras cuentas, y las que usted haga abajo, aparecen aquí.
panel-reports-open-caption = Denuncias abiertas, de la más reciente a la más antigua
panel-reports-resolved-caption = Denuncias resueltas, de la más reciente a la más antigua
panel-reports-report = Denuncia
panel-reports-ours = { $reporter } (nuestra)
panel-reports-ours-forwarded = { $reporter } (nuestra, reenviada)
panel-reports-new-heading = Denunciar una publicación de otro servidor
panel-reports-new-intro = Para una publicación o respuesta de la cronología compartida o bajo nuestras publicaciones. Reenviar envía la denuncia a los moderadores de su servidor como procedente de esta instancia: su nombre no se envía; su comentario sí, palabra por palabra.
panel-reports-what-is-wrong = Qué ocurre
panel-reports-forward = Reenviar a su servidor
panel-reports-submit = Denunciar

## Lo que enviaron otros servidores (timeline.html)

panel-timeline-heading = Lo que enviaron otros servidores
panel-timeline-intro = Los elementos de la cronología compartida procedentes de otros servidores, del más reciente al más antiguo, con lo que los moderadores pueden hacer con cada uno.
panel-timeline-public-link = La cronología pública
panel-timeline-intro-end = muestra lo mismo junto con las publicaciones de esta instancia.
panel-timeline-domain-label = Solo del dominio
panel-timeline-filter = Mostrar
panel-timeline-empty = Aún no hay nada: aquí aparecen las publicaciones de las cuentas que sigue esta instancia, y sus impulsos.
panel-timeline-empty-domain = Aún no hay nada de { $domain }: aquí aparecen las publicaciones de las cuentas que sigue esta instancia, y sus impulsos.
panel-timeline-boosted-by = impulsado por { $handle }
panel-post-kind = { $kind ->
    [news] noticia
    [call] convocatoria
    [event] evento
    [note] nota
   *[other] { $kind }
}
panel-timeline-remove-label = Retirar la publicación de { $handle }
panel-timeline-report-label = Denunciar la publicación de { $handle }

## Usuarios (users.html)

panel-users-caption = Usuarios del personal
panel-users-role = Rol
panel-users-publishes-as = Publica como
panel-users-role-of = Rol de { $email }
panel-users-change = Cambiar
panel-users-revoke-label = Impedir que { $email } publique como { $account }
panel-users-revoke = quitar
panel-users-account-for = Cuenta para { $email }
panel-users-grant = Añadir
panel-users-every-account = todas las cuentas
panel-users-disabled = desactivado
panel-users-active = activo
panel-users-enable = Activar
panel-users-disable = Desactivar
panel-users-new-heading = Nuevo usuario
panel-users-password = Contraseña (al menos 10 caracteres)
panel-users-create = Crear

## Avisos tras un formulario (mensajes flash)

panel-flash-account-created = Se ha creado @{ $name }.
panel-flash-profile-saved = El perfil se ha guardado; los servidores de los seguidores reciben la actualización.
panel-flash-request-approved = { $follower } ahora sigue a @{ $account }.
panel-flash-request-refused = Se ha rechazado la solicitud de { $follower }.
panel-flash-follower-removed = { $follower } ya no sigue a @{ $account }.
panel-flash-follow = @{ $account } sigue a { $target } ({ $state ->
        [pending] pendiente
        [accepted] aceptado
        [rejected] rechazado
       *[other] { $state }
    }).
panel-flash-unfollow = @{ $account } ya no sigue a { $target }.
panel-flash-relay-subscribed = Suscripción a { $inbox } ({ $state ->
        [pending] pendiente
        [accepted] aceptada
        [rejected] rechazada
       *[other] { $state }
    }).
panel-flash-relay-unsubscribed = Se ha cancelado la suscripción a { $inbox }.
panel-flash-rule-saved = { $domain }: { $severity ->
        [suspend] suspensión
        [silence] limitación
        [noop] ninguna
       *[other] { $severity }
    }.
panel-flash-rule-lifted = Se ha levantado la regla sobre { $domain }.
panel-flash-imported = Importación — añadidos: { $added }, actualizados: { $updated }, sin cambios: { $unchanged }, no leídos: { $unread }.
panel-flash-imported-lines = Importación — añadidos: { $added }, actualizados: { $updated }, sin cambios: { $unchanged }, no leídos: { $unread }. Líneas no leídas: { $lines }.
panel-flash-mode-closed = La red está cerrada: solo se federan los dominios permitidos.
panel-flash-mode-open = La red está abierta: se federan todos los dominios, salvo los suspendidos.
panel-flash-disallowed = { $domain } ya no figura en la lista de permitidos.
panel-flash-post-removed = La publicación se ha retirado.
panel-flash-actor-blocked = { $actor } está bloqueado.
panel-flash-actor-unblocked = { $actor } ya no está bloqueado.
panel-flash-domain-restricted = { $domain } está { $severity ->
        [suspend] suspendido
        [silence] limitado
       *[other] sin restricción
    }.
panel-flash-domain-already-restricted = { $domain } ya está { $severity ->
        [suspend] suspendido
        [silence] limitado
       *[other] sin restricción
    }.
panel-flash-post-published = Publicado en { $url }; se está avisando a los servidores de los seguidores.
panel-flash-post-saved = Guardado; los servidores de los seguidores reciben la actualización.
panel-flash-post-deleted = Eliminada: su página responde «410 Gone» y se pide a los servidores de los seguidores que la retiren.
panel-flash-reply-hidden = La respuesta está oculta: se conserva, pero ya no se muestra bajo la publicación.
panel-flash-reply-shown = La respuesta vuelve a mostrarse bajo la publicación.
panel-flash-reported = Denuncia registrada.
panel-flash-reported-forwarded = Denuncia registrada y enviada a su servidor.
panel-flash-report-resolved = La denuncia está resuelta.
panel-flash-instance-saved = La configuración de la instancia se ha guardado.
panel-flash-retry = { $count ->
    [one] Se está enviando ahora { $count } envío pendiente.
   *[other] Se están enviando ahora { $count } envíos pendientes.
}
panel-flash-forgotten = { $count ->
    [one] { $domain } se ha olvidado: { $count } cuenta, sus publicaciones y seguimientos.
   *[other] { $domain } se ha olvidado: { $count } cuentas, sus publicaciones y seguimientos.
}
panel-flash-user-created = Se ha creado { $email }.
panel-flash-user-role = { $email } ahora es { $role ->
        [admin] administrador
        [moderator] moderador
        [editor] editor
       *[other] { $role }
    }.
panel-flash-user-disabled = { $email } está desactivado.
panel-flash-user-enabled = { $email } está activado.
panel-flash-user-granted = { $email } puede publicar como { $account }.
panel-flash-user-revoked = { $email } ya no publica como { $account }.
