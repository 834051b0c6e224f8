# Respuestas automáticas en español (trato de usted). Variables: $assignee, $owner, $cover
# (nombres), $cover_email, $due y $call (con `datetime`, en la zona del cliente), $until (con `date`).
reply-hold = Gracias por su mensaje. Ahora mismo estamos fuera del horario de oficina; { $assignee } le responderá antes del { $due }.
reply-hold-urgent = Gracias por su mensaje. Vemos que es urgente, pero ahora mismo estamos fuera del horario de oficina; { $assignee } lo atenderá en primer lugar, como muy tarde el { $due }.
reply-defer = Gracias por su mensaje. Ya se han utilizado las llamadas de esta semana; ¿podemos tratarlo en nuestra llamada prevista del { $call }? Si no puede esperar, responda a este mensaje y le buscaremos un hueco.
reply-cover = Gracias por su mensaje. { $owner } está ausente hasta el { $until }. Durante su ausencia le atiende { $cover } ({ $cover_email }), que le responderá antes del { $due }.
reply-ask-topic = Gracias por ponerse en contacto. ¿Podría indicarnos brevemente el motivo, para que la persona adecuada pueda preparárselo? Le responderemos antes del { $due }.
reply-urgent = Gracias por su mensaje. Lo hemos marcado como urgente y { $assignee } ya se está ocupando.

subject-reply = Su mensaje a { $practice }
notice-due-soon-subject = Vence pronto: { $client }
notice-due-soon = El contacto ({ $channel }) de { $from } ({ $client }) necesita respuesta antes del { $due }: { $summary }
channel-call = llamada
channel-voicemail = mensaje de voz
channel-email = correo
channel-chat = mensaje de chat
notice-overdue-subject = Vencido: { $client }
notice-overdue = El contacto ({ $channel }) de { $from } ({ $client }) vencía el { $due } y sigue sin respuesta: { $summary }

weekday-1 = lunes
weekday-2 = martes
weekday-3 = miércoles
weekday-4 = jueves
weekday-5 = viernes
weekday-6 = sábado
weekday-7 = domingo
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
# "lunes 7 de diciembre, 09:00 h"
datetime = { $weekday } { $day } de { $month }, { $time } h
date = { $weekday } { $day } de { $month }

# Reservas hechas en la página pública. Variables: $name (quien reserva), $practice, $member,
# $when y $deadline (con `datetime`, en la zona del cliente), $zone, $minutes, $topic, $link.
booking-title = Llamada con { $practice }
booking-confirmed-subject = Reservado: { $when }
booking-confirmed = Estimado/a { $name }:

    su llamada con { $member } ({ $practice }) queda reservada para el { $when } ({ $zone }), { $minutes } minutos.
    Tema: { $topic }

    Adjuntamos la invitación para que la añada a su calendario.
booking-moved-subject = Cambiada: { $when }
booking-moved = Estimado/a { $name }:

    su llamada con { $member } ({ $practice }) se ha cambiado al { $when } ({ $zone }), { $minutes } minutos.
    Tema: { $topic }

    Adjuntamos la invitación actualizada.
booking-cancelled-subject = Cancelada: { $when }
booking-cancelled = Estimado/a { $name }:

    su llamada con { $member } ({ $practice }) del { $when } ({ $zone }) ha sido cancelada. El archivo adjunto la quita de su calendario.
booking-manage = Para cambiarla o cancelarla, use este enlace hasta el { $deadline }: { $link }

# Informes de traspaso antes de una ausencia. Variables: $member, $from, $until, $count, $clients.
brief-reminder-subject = Traspasos antes de la ausencia de { $member }: { $count } pendientes
brief-reminder = { $member } estará ausente del { $from } al { $until }. Estos clientes aún no están traspasados; cada uno necesita un informe confirmado por quien le cubre:
    { $clients }
brief-missing-subject = Sin traspasar: { $count } clientes de { $member }
brief-missing = La ausencia de { $member } ha empezado (del { $from } al { $until }) y estos clientes no se traspasaron: nadie confirmó un informe para ellos:
    { $clients }
brief-state-none = sin informe
brief-state-waiting = informe pendiente de confirmación
brief-state-question = quien cubre hizo una pregunta sin respuesta
absence-notice-subject = { $member } estará ausente del { $from } al { $until }
absence-notice = Buenos días:

    { $member }, de { $practice }, estará ausente del { $from } al { $until }. Durante ese tiempo le atenderá { $cover }, que conoce el estado de sus asuntos: escriba a { $cover_email } o llame y pregunte por { $cover }.
return-report-subject = De vuelta del { $from } – { $until }: informe de regreso de { $member }
return-report = { $member } ha vuelto. Lo que llegó durante la ausencia (del { $from } al { $until }), por cliente:
    { $clients }
    Llame a cada cliente y anote el resultado en la página del informe (o con frontdesk brief callback).
return-report-line = - { $client }: { $contacts ->
        [one] 1 contacto
       *[other] { $contacts } contactos
    }, { $answered ->
        [one] 1 respondido
       *[other] { $answered } respondidos
    }, { $overdue ->
        [one] 1 tarde o vencido
       *[other] { $overdue } tarde o vencidos
    }, { $complaints ->
        [one] 1 queja
       *[other] { $complaints } quejas
    }; { $items ->
        [one] 1 tema abierto
       *[other] { $items } temas abiertos
    } del informe sin hacer; { $called }
return-report-called = llamado
return-report-not-called = aún sin llamar

## Riesgo de escalada: cada señal como el aviso de un colega, y el siguiente paso.
risk-overdue = { $count ->
        [one] 1 contacto vencido
       *[other] { $count } contactos vencidos
    }, el más antiguo hace { $days ->
        [one] 1 día
       *[other] { $days } días
    }
risk-due-soon = { $count ->
        [one] 1 contacto vence
       *[other] { $count } contactos vencen
    } en menos de 4 horas
risk-follow-ups = { $count ->
        [one] 1 seguimiento
       *[other] { $count } seguimientos
    } en { $days ->
        [one] 1 día
       *[other] { $days } días
    }
risk-last-answer-late = la última respuesta llegó { $days ->
        [one] 1 día
       *[other] { $days } días
    } tarde
risk-complaints = { $count ->
        [one] 1 queja
       *[other] { $count } quejas
    } en { $days ->
        [one] 1 día
       *[other] { $days } días
    }
risk-escalation = una escalada { $days ->
        [0] hoy
        [one] hace 1 día
       *[other] hace { $days } días
    } (el responsable, un abogado o una reclamación formal)
risk-leaving = habló de irse { $days ->
        [0] hoy
        [one] hace 1 día
       *[other] hace { $days } días
    }
risk-late-answers = { $late } de { $answered } respuestas tarde en las últimas { $weeks } semanas
risk-missed = { $no_shows } ausencias y { $late_cancels } cancelaciones tardías en { $weeks } semanas
risk-on-hold = { $count ->
        [one] 1 entregable en pausa
       *[other] { $count } entregables en pausa
    } por falta de material
risk-rating = valoró el trabajo con un { $score } de 10
risk-rating-fell = valoró el trabajo con un { $score } de 10 (antes: { $previous })
risk-around-owner = { $count ->
        [one] 1 mensaje escrito
       *[other] { $count } mensajes escritos
    } en { $days ->
        [one] 1 día
       *[other] { $days } días
    } a otros que no son el responsable ({ $to })
risk-step-call_with_manager = llamar hoy al cliente, con el responsable en la llamada
risk-step-answer_overdue = responder hoy los contactos vencidos
risk-step-call_about_complaint = llamar al cliente sobre lo que falló y acordar los siguientes pasos
risk-step-send_update = enviar una actualización con una fecha
risk-step-review_workload = ver por qué las respuestas llegan tarde: mover trabajo o acordar otros plazos
risk-step-confirm_meetings = confirmar la próxima reunión el día antes; se aplica la tarifa por ausencia
risk-step-keep_promise = cumplir hoy la promesa vencida o dar al cliente la nueva fecha
risk-step-nothing = nada que hacer

## El resumen diario para los responsables.
digest-subject = Resumen de hoy ({ $date }): { $risks } clientes en riesgo, { $overdue } vencidos
digest = Buenos días, { $name }. Lo que necesita su atención el { $date }:
digest-risks = Clientes en riesgo
digest-risk-line = - { $client } (riesgo { $score }): { $reasons }. Siguiente paso: { $step }.
digest-overdue = Contactos vencidos
digest-overdue-line = - { $client }: { $channel } de { $from }, vencía { $due }, para { $member }
digest-urgent = Contactos urgentes atendidos desde el último resumen
digest-urgent-line = - { $client }: llegó { $at }, respondido { $answered } por { $member }
digest-on-hold = Entregables en pausa por falta de material
digest-on-hold-line = - { $client }: { $deliverable }, en pausa desde el { $since } ({ $days } días)
digest-briefs = Informes de traspaso sin confirmar
digest-brief-line = - { $member }, ausente desde el { $from }: { $client } ({ $state })
digest-brief-none = aún sin informe
digest-brief-waiting = sin confirmar
digest-brief-question = quien cubre hizo una pregunta

## El registro de promesas.
promise-confirm-by = Se lo confirmo antes del { $date }.
promise-kind-delivery = una entrega
promise-kind-callback = devolver la llamada
promise-kind-refund = un reembolso
promise-kind-discount = un descuento
promise-kind-earlier_date = una fecha anterior
promise-kind-senior_call = una llamada de un socio o del director
promise-kind-scope_change = un cambio de alcance
promise-approval-subject = Necesita aprobación: { $kind } para { $client }
promise-approval = { $member } prometería a { $client } { $kind }: «{ $what }», para el { $due }. Apruébela o recházela en la página de promesas (frontdesk promise approve|refuse). Mientras tanto se le dice al cliente que se confirmará.
promise-overdue-subject = Promesa vencida: { $client }
promise-overdue = La promesa a { $client } —«{ $what }»— vencía el { $due } y no está marcada como cumplida. Cúmplala hoy o dé al cliente la nueva fecha.
promise-overdue-managers-subject = Promesa vencida hace días: { $client } ({ $member })
promise-overdue-managers = La promesa de { $member } a { $client } —«{ $what }»— vencía el { $due } y sigue sin cumplirse.
digest-promises = Promesas pendientes de aprobación o vencidas
digest-promise-pending = - { $client }: { $member } prometería { $kind }: «{ $what }» para el { $due }; pendiente de su aprobación
digest-promise-overdue = - { $client }: «{ $what }», prometido por { $member } para el { $due }; vencida
risk-promises-overdue = { $count ->
        [one] 1 promesa vencida
       *[other] { $count } promesas vencidas
    }

## Entregables y lo que el cliente debe aportar.
list-and = y
input-request-subject = { $deliverable }: lo que necesitamos antes del { $by }
input-request = Hola:

    Para terminar { $deliverable } el { $due } necesitamos { $items } antes del { $by }.

    Gracias,
    { $member }, { $practice }
input-reminder-subject = Recordatorio: { $missing } para { $deliverable } antes del { $by }
input-reminder = Hola:

    Le recordamos que para terminar { $deliverable } el { $due } aún necesitamos { $missing } antes del { $by }.

    Gracias,
    { $member }, { $practice }
input-missed-subject = { $deliverable } en pausa: a la espera de { $missing }
input-missed = Hola:

    No hemos recibido { $missing }, necesario antes del { $by } para terminar { $deliverable } el { $due }, así que el trabajo queda en pausa desde hoy. Las opciones:
    - enviar lo que falta y acordar una nueva fecha (los días sin ello se suman al plan);
    - mantener su hueco reservado con la tarifa de reserva por día hasta que llegue;
    - liberar el hueco y volver a planificar el trabajo más adelante.

    Díganos qué prefiere.
    { $member }, { $practice }
input-resumed-subject = { $deliverable } se reanuda: nueva fecha { $due }
input-resumed = Hola:

    Gracias: ya tenemos todo lo necesario. { $deliverable } se reanuda hoy; la nueva fecha es el { $due }.

    { $member }, { $practice }

## Satisfaction ratings.
rating-request-subject = ¿Qué tal lo hicimos? { $what }
rating-request = Hola:

    { $what } está terminado. Al empezar acordamos el objetivo: { $goal }.
    ¿Cuánto lo ha cumplido el trabajo, del 1 al 10? Es un minuto y no hace falta cuenta:
    { $url }

    Gracias,
    { $practice }
rating-what-month = Nuestro trabajo para usted este mes

## Billing: an item's words and an invoice's.
bill-time-meeting = Reunión del { $when }: { $minutes } min, facturados { $billed } min a { $rate } por hora
bill-time-contact = Trabajo sobre su solicitud del { $when }: { $minutes } min, facturados { $billed } min a { $rate } por hora
bill-after-hours = Recargo del { $percent } % por trabajo fuera de horario del { $when } ({ $base })
bill-call-out = Atención urgente fuera de horario el { $when }
bill-no-show = Reunión del { $when }, sin asistencia y sin cancelar
bill-late-cancellation = Reunión del { $when }, cancelada tarde, dentro del plazo de aviso
bill-over-quota = Llamada por encima del cupo semanal el { $when }
bill-holding-day = Plaza reservada para «{ $deliverable }» el { $day } a la espera de su información
bill-holding = Plaza reservada para «{ $deliverable }» a la espera de su información: { $days } días, del { $from } al { $until }
bill-since = según las condiciones vigentes desde el { $since }
bill-terms = según las condiciones
bill-waived = anulado: { $reason }
bill-adjusted = ajustado: { $reason }
bill-kind-time = Tiempo
bill-kind-after_hours = Recargos fuera de horario
bill-kind-call_out = Atenciones urgentes
bill-kind-no_show = Reuniones sin asistencia
bill-kind-late_cancellation = Cancelaciones tardías
bill-kind-over_quota = Llamadas por encima del cupo
bill-kind-holding = Plazas reservadas a la espera de información
bill-kind-manual = Otros trabajos
invoice-title = Factura { $number }
invoice-draft-title = Borrador de factura
invoice-credit-title = Factura rectificativa { $number }
invoice-credit-draft-title = Borrador de factura rectificativa
invoice-date = Fecha: { $date }
invoice-due = Vencimiento: { $date }
invoice-period = Periodo: { $period }
invoice-seller = De
invoice-buyer = Para
invoice-tax-id = NIF/IVA: { $id }
invoice-col-description = Concepto
invoice-col-quantity = Cantidad
invoice-col-price = Precio unitario
invoice-col-vat = IVA
invoice-col-amount = Importe
invoice-unit-hour = h
invoice-unit-day = días
invoice-unit-piece = ×
invoice-net = Base imponible
invoice-vat = IVA { $rate } % sobre { $base }
invoice-vat-none = IVA ({ $category }) sobre { $base }
invoice-total = Total
invoice-pay = Le rogamos pague { $total } antes del { $date }.
invoice-iban = IBAN: { $iban }
invoice-bic = BIC: { $bic }
invoice-credit-of = Rectifica la factura { $number } del { $date }.
invoice-reason = Motivo: { $reason }
invoice-mail-subject = Factura { $number } de { $practice }
invoice-mail = Hola:

    Le enviamos adjunta la factura { $number } del { $date } por { $total }, con vencimiento el { $due }.
    Cada línea indica qué se factura y según cuál de las condiciones acordadas.

    { $practice }
credit-mail-subject = Factura rectificativa { $number } de { $practice }
credit-mail = Hola:

    Le enviamos adjunta la factura rectificativa { $number } por { $total }, que corrige la factura { $invoice }.

    { $practice }
