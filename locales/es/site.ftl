## Las páginas públicas: lo que leen los visitantes en la portada, las listas, las
## publicaciones, los perfiles, la cronología de la red y los contenidos incrustados.

## base.html

header-skip-to-content = Saltar al contenido
header-navigation-label = Navegación principal
footer-contact = Contacto:
footer-home = Inicio
footer-staff-sign-in = Acceso del personal
footer-feeds = Canales de suscripción
footer-feed-news = Noticias (Atom)
footer-feed-calls = Convocatorias (Atom)
footer-feed-events = Eventos (iCalendar)
footer-feed-network-events = Eventos de la red (iCalendar)
footer-software = Software
footer-powered-by = Funciona con munifed, software libre para redes de administraciones locales en el fediverso.

## embed.html

embed-more = Ver más en { $site }

## follow_form.html (también en la portada, los perfiles y las publicaciones)

follow-heading = Seguir desde el fediverso
follow-address-label = La dirección que debe seguir (selecciónela para copiarla)
follow-from-label = Su dirección o su servidor, para seguir desde allí
follow-handle-placeholder = @su_cuenta@mastodon.social
follow-submit = Seguir

## home.html

home-feed-news = Noticias
home-feed-calls = Convocatorias
home-feed-events = Eventos
# Seguido de un enlace (home-summary-sign-in) entre paréntesis.
home-summary-empty = Aquí aparece quién gestiona esta instancia: el personal describe la organización en su cuenta, desde el panel de administración
home-summary-sign-in = acceso del personal
# Seguido de la dirección de la cuenta y de un enlace (home-profile-link).
home-follow-intro = Siga desde Mastodon o cualquier aplicación del fediverso:
home-profile-link = perfil
home-news-heading = Últimas noticias
home-news-empty = Aquí aparecen las noticias de la organización. El personal las publica desde el panel de administración, la API o la línea de comandos de munifed.
home-news-all = Todas las noticias
home-calls-empty = No hay ninguna convocatoria abierta en este momento. Las convocatorias de proyectos, subvenciones, licitaciones, ofertas de empleo y cursos aparecen aquí hasta su fecha límite, las más próximas primero.
home-calls-all = Todas las convocatorias abiertas
home-events-empty = No hay ningún evento próximo. Los eventos aparecen aquí con su fecha y lugar, los más próximos primero.
home-events-all = Todos los próximos eventos
home-events-calendar = Añadirlos a su calendario
home-network-heading = De la red
home-network-empty = Aquí aparecen las noticias, convocatorias y eventos de las organizaciones que sigue esta instancia. Los administradores siguen a otras instancias miembro desde el panel de administración.
home-network-timeline = La cronología de la red
home-network-events = Los eventos de la red
home-network-calls = Las convocatorias abiertas de la red
home-accounts-heading = Cuentas
home-rules-heading = Normas de esta instancia

## items.html (también en la portada, las publicaciones y la cronología)

# El estado de una convocatoria, junto a su tipo.
items-state-open = Abierta
items-state-closed = Cerrada
# El estado de un evento distinto de «scheduled», tal como lo escribe la API.
items-event-status = { $status ->
    [cancelled] cancelado
    [postponed] aplazado
    [moved_online] ahora en línea
   *[unknown] { $status }
}

## list.html (la paginación también está en la cronología)

pager-newer = Más recientes
pager-older = Más antiguos
list-feed-calendar = Añadir estos eventos a su calendario (iCalendar)
list-feed-atom = Seguir en un lector de noticias (Atom)

## message.html

message-back = Volver
message-home = Página de inicio

## post.html

# Seguido de los enlaces a cada idioma.
post-languages = Idiomas:
post-deadline = Fecha límite
post-eligibility = Requisitos
post-apply = Presentar solicitud
post-starts = Inicio
post-ends = Fin
post-status = Estado
post-place = Lugar
post-address = Dirección
post-map = Mapa
post-map-link = Ver el lugar en OpenStreetMap
post-join-online = Participar en línea
post-registration = Inscripción
post-add-to-calendar = Añadir al calendario (.ics)
post-replies = { $count ->
    [one] { $count } respuesta
   *[other] { $count } respuestas
}
post-boosts = { $count ->
    [one] { $count } impulso
   *[other] { $count } impulsos
}
post-likes = { $count ->
    [one] { $count } favorito
   *[other] { $count } favoritos
}
post-interact-heading = Responder, impulsar o marcar como favorito
post-interact-label = Su dirección o su servidor: la publicación se abre allí, lista para responder, impulsar o marcar como favorito
post-interact-submit = Abrir en mi servidor
post-replies-label = Respuestas
post-replies-heading = Respuestas del fediverso

## profile.html (los seguidores también en la lista de cuentas de la portada)

profile-logo-alt = Logotipo de { $name }
profile-followers = { $count ->
    [one] { $count } seguidor
   *[other] { $count } seguidores
}
profile-following = { $count } seguidos
profile-website = Sitio web
profile-contact = Contacto

## timeline.html

timeline-kinds-label = Tipos
timeline-filter-kind = Tipo
timeline-filter-kind-all = todos
timeline-filter-topic = Tema
timeline-filter-language = Idioma
timeline-filter-instance = Instancia
timeline-filter-account = Cuenta
timeline-filter-submit = Filtrar
timeline-filter-clear = Borrar
timeline-feed-calendar = Calendario (iCalendar)
timeline-feed-atom = Canal (Atom)

## timeline_items.html

# Seguido del nombre de quien lo impulsó.
timeline-boosted-by = Impulsado por
# Seguido de la fecha.
timeline-deadline = fecha límite
timeline-how-to-apply = Cómo presentar la solicitud
# Una respuesta de una encuesta y su número de votos.
timeline-poll-option = { $option }: { $votes }
# El enlace a un archivo sin descripción.
timeline-attachment = Archivo adjunto
timeline-original-on = Ver el original en { $domain }
