## Lo que comparten todas las páginas: cómo se escriben fechas y números, los tipos de
## publicaciones, el selector de idioma. Las fechas siguen los códigos strftime de chrono.

format-date = %-d de %B de %Y
format-date-time = %-d de %B de %Y, %H:%M
format-time = %H:%M
format-month-short = %b
format-day = %-d

language-switch = Idioma

## Tipos de publicaciones, como etiquetas.
kind = { $kind ->
    [news] Noticia
    [call] Convocatoria
    [event] Evento
    [note] Nota
   *[other] { $kind }
}
call-kind = { $kind ->
    [grant] Subvención
    [proposal] Convocatoria de proyectos
    [tender] Licitación
    [job] Oferta de empleo
    [course] Curso
   *[other] Convocatoria
}

## Cuándo y dónde, en listas, resúmenes y canales.
when-deadline = { $kind } · plazo { $deadline } ({ $zone })
when-span = { $start } – { $end } ({ $zone })
when-zoned = { $time } ({ $zone })
when-online = En línea
event-cancelled = CANCELADO
event-postponed = APLAZADO
event-moved-online = AHORA EN LÍNEA
sensitive-content = Contenido sensible

## La navegación del sitio.
nav-news = Noticias
nav-calls = Convocatorias
nav-events = Eventos
nav-network = Red
nav-timeline = Cronología

## Listas de publicaciones.
list-news = Noticias
list-open-calls = Convocatorias abiertas
list-closed-calls = Convocatorias cerradas
list-upcoming-events = Próximos eventos
list-past-events = Eventos pasados
list-news-empty = Aún no hay noticias. El personal publica noticias desde el panel, la API o la línea de órdenes de munifed.
list-open-calls-empty = No hay ninguna convocatoria abierta. Las convocatorias de proyectos, subvenciones, licitaciones, ofertas de empleo y cursos aparecen aquí hasta su plazo.
list-closed-calls-empty = Aún no se ha cerrado ninguna convocatoria.
list-upcoming-events-empty = No hay eventos próximos. Los eventos aparecen aquí con su fecha y lugar.
list-past-events-empty = Aún no se ha celebrado ningún evento.
list-topic-empty = Aún no hay nada sobre este tema.

## Páginas breves con un solo mensaje.
message-not-followed = No se pudo seguir esta dirección desde ese servidor
message-deleted = Esta publicación fue eliminada
message-deleted-text = Su autor la retiró; se pidió a los servidores de los seguidores que también la retiraran.

## Feeds.
feed-deadline = Plazo: { $deadline }
feed-untitled = { $kind } de { $handle }

## Las páginas de la red.
timeline-heading = Cronología de la red
timeline-all = Todo
timeline-notes = Notas
timeline-empty = Aún no hay nada: aquí aparecen las noticias, convocatorias y eventos de las cuentas que sigue esta instancia, y los suyos.
network-events-heading = Próximos eventos en la red
network-events-empty = No hay eventos próximos: aquí aparecen los eventos publicados aquí o por las cuentas que sigue esta instancia, los más cercanos primero.
network-calls-heading = Convocatorias abiertas en la red
network-calls-empty = No hay convocatorias abiertas: aquí aparecen las convocatorias publicadas aquí o por las cuentas que sigue esta instancia, las que cierran antes primero.
embed-events-empty = No hay eventos próximos.
embed-calls-empty = No hay convocatorias abiertas.
feed-news = { $instance }: noticias
feed-calls = { $instance }: convocatorias
feed-events = { $instance }: eventos
feed-timeline = { $instance }: cronología de la red
feed-network-events = { $instance }: eventos de la red
feed-network-calls = { $instance }: convocatorias abiertas de la red
