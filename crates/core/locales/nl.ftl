# Automatische antwoorden in het Nederlands (u-vorm). Variabelen: $assignee, $owner, $cover
# (namen), $cover_email, $due en $call (met `datetime`, in de tijdzone van de klant), $until (met `date`).
reply-hold = Dank voor uw bericht. Ons kantoor is op dit moment gesloten; { $assignee } antwoordt u uiterlijk { $due }.
reply-hold-urgent = Dank voor uw bericht. We zien dat het dringend is, maar ons kantoor is op dit moment gesloten; { $assignee } pakt het als eerste op, uiterlijk { $due }.
reply-defer = Dank voor uw bericht. De belafspraken van deze week zijn op; kan dit wachten tot ons geplande gesprek op { $call }? Zo niet, antwoord dan op dit bericht en we maken tijd voor u.
reply-cover = Dank voor uw bericht. { $owner } is afwezig tot en met { $until }. { $cover } ({ $cover_email }) neemt waar en antwoordt u uiterlijk { $due }.
reply-ask-topic = Dank voor uw bericht. Kunt u kort laten weten waar het over gaat, zodat de juiste persoon zich kan voorbereiden? We antwoorden u uiterlijk { $due }.
reply-urgent = Dank voor uw bericht. We hebben het als dringend gemarkeerd en { $assignee } is er nu mee bezig.

subject-reply = Uw bericht aan { $practice }
notice-due-soon-subject = Bijna te laat: { $client }
notice-due-soon = Het contact ({ $channel }) van { $from } ({ $client }) moet beantwoord zijn vóór { $due }: { $summary }
channel-call = oproep
channel-voicemail = voicemail
channel-email = e-mail
channel-chat = chatbericht
notice-overdue-subject = Te laat: { $client }
notice-overdue = Het contact ({ $channel }) van { $from } ({ $client }) moest beantwoord zijn vóór { $due } en is nog open: { $summary }

weekday-1 = maandag
weekday-2 = dinsdag
weekday-3 = woensdag
weekday-4 = donderdag
weekday-5 = vrijdag
weekday-6 = zaterdag
weekday-7 = zondag
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december
# "maandag 7 december om 09:00"
datetime = { $weekday } { $day } { $month } om { $time }
date = { $weekday } { $day } { $month }

# Afspraken gemaakt op de openbare boekingspagina. Variabelen: $name (wie boekte), $practice,
# $member, $when en $deadline (met `datetime`, in de zone van de klant), $zone, $minutes, $topic, $link.
booking-title = Gesprek met { $practice }
booking-confirmed-subject = Geboekt: { $when }
booking-confirmed = Beste { $name },

    uw gesprek met { $member } ({ $practice }) is geboekt op { $when } ({ $zone }), { $minutes } minuten.
    Onderwerp: { $topic }

    De uitnodiging zit in de bijlage; zet hem in uw agenda.
booking-moved-subject = Verzet: { $when }
booking-moved = Beste { $name },

    uw gesprek met { $member } ({ $practice }) is verzet naar { $when } ({ $zone }), { $minutes } minuten.
    Onderwerp: { $topic }

    De bijgewerkte uitnodiging zit in de bijlage.
booking-cancelled-subject = Geannuleerd: { $when }
booking-cancelled = Beste { $name },

    uw gesprek met { $member } ({ $practice }) op { $when } ({ $zone }) is geannuleerd. Het bestand in de bijlage haalt het uit uw agenda.
booking-manage = Verzetten of annuleren kan met deze link tot { $deadline }: { $link }

# Overdrachten voor een afwezigheid. Variabelen: $member, $from, $until, $count, $clients.
brief-reminder-subject = Overdracht voor de afwezigheid van { $member }: { $count } niet overgedragen
brief-reminder = { $member } is afwezig van { $from } tot en met { $until }. Deze klanten zijn nog niet overgedragen; elk heeft een overdracht nodig die de vervanger heeft bevestigd:
    { $clients }
brief-missing-subject = Niet overgedragen: { $count } klanten van { $member }
brief-missing = De afwezigheid van { $member } is begonnen ({ $from } tot en met { $until }) en deze klanten zijn niet overgedragen: niemand bevestigde een overdracht voor hen:
    { $clients }
brief-state-none = geen overdracht
brief-state-waiting = overdracht wacht op bevestiging
brief-state-question = de vervanger stelde een vraag zonder antwoord
absence-notice-subject = { $member } is afwezig van { $from } tot en met { $until }
absence-notice = Goedendag,

    { $member } van { $practice } is afwezig van { $from } tot en met { $until }. In die tijd helpt { $cover } u; die weet hoe uw zaken ervoor staan: mail naar { $cover_email } of bel en vraag naar { $cover }.
return-report-subject = Terug van { $from } – { $until }: terugkeerverslag van { $member }
return-report = { $member } is terug. Wat er binnenkwam tijdens de afwezigheid ({ $from } tot en met { $until }), per klant:
    { $clients }
    Bel elke klant terug en noteer de uitkomst op de verslagpagina (of met frontdesk brief callback).
return-report-line = - { $client }: { $contacts ->
        [one] 1 contact
       *[other] { $contacts } contacten
    }, { $answered } beantwoord, { $overdue } te laat of over tijd, { $complaints ->
        [one] 1 klacht
       *[other] { $complaints } klachten
    }; { $items ->
        [one] 1 open punt
       *[other] { $items } open punten
    } uit de overdracht niet gedaan; { $called }
return-report-called = teruggebeld
return-report-not-called = nog niet teruggebeld

## Escalatierisico: elk signaal als de waarschuwing van een collega, en de volgende stap.
risk-overdue = { $count ->
        [one] 1 contact
       *[other] { $count } contacten
    } over tijd, het oudste { $days ->
        [one] 1 dag
       *[other] { $days } dagen
    }
risk-due-soon = { $count ->
        [one] 1 contact
       *[other] { $count } contacten
    } binnen 4 uur te beantwoorden
risk-follow-ups = { $count ->
        [one] 1 herinnering
       *[other] { $count } herinneringen
    } in { $days ->
        [one] 1 dag
       *[other] { $days } dagen
    }
risk-last-answer-late = het laatste antwoord kwam { $days ->
        [one] 1 dag
       *[other] { $days } dagen
    } te laat
risk-complaints = { $count ->
        [one] 1 klacht
       *[other] { $count } klachten
    } in { $days ->
        [one] 1 dag
       *[other] { $days } dagen
    }
risk-escalation = een escalatie { $days ->
        [0] vandaag
        [one] 1 dag geleden
       *[other] { $days } dagen geleden
    } (de leidinggevende, een advocaat of een formele klacht)
risk-leaving = sprak { $days ->
        [0] vandaag
        [one] 1 dag geleden
       *[other] { $days } dagen geleden
    } over vertrekken
risk-late-answers = { $late } van { $answered } antwoorden te laat in de laatste { $weeks } weken
risk-missed = { $no_shows } keer niet verschenen en { $late_cancels } late afzeggingen in { $weeks } weken
risk-on-hold = { $count ->
        [one] 1 oplevering
       *[other] { $count } opleveringen
    } stil door ontbrekende aanlevering
risk-rating = gaf het werk een { $score } op 10
risk-rating-fell = gaf het werk een { $score } op 10 (eerder: { $previous })
risk-around-owner = { $count ->
        [one] 1 bericht
       *[other] { $count } berichten
    } in { $days ->
        [one] 1 dag
       *[other] { $days } dagen
    } aan anderen dan de eigenaar gestuurd ({ $to })
risk-step-call_with_manager = bel de klant vandaag, met de leidinggevende erbij
risk-step-answer_overdue = beantwoord vandaag de contacten die over tijd zijn
risk-step-call_about_complaint = bel de klant over wat er misging en spreek de volgende stappen af
risk-step-send_update = stuur een update met een datum
risk-step-review_workload = kijk waarom antwoorden te laat komen: verschuif werk of spreek andere termijnen af
risk-step-confirm_meetings = bevestig de volgende afspraak de dag ervoor; de no-show-vergoeding geldt
risk-step-keep_promise = kom de toezegging vandaag na of geef de klant de nieuwe datum
risk-step-nothing = niets te doen

## Het dagelijkse overzicht voor leidinggevenden.
digest-subject = Overzicht van vandaag ({ $date }): { $risks } klanten met risico, { $overdue } over tijd
digest = Goedemorgen, { $name }. Wat vandaag, { $date }, uw aandacht vraagt:
digest-risks = Klanten met risico
digest-risk-line = - { $client } (risico { $score }): { $reasons }. Volgende stap: { $step }.
digest-overdue = Contacten over tijd
digest-overdue-line = - { $client }: { $channel } van { $from }, uiterlijk { $due }, voor { $member }
digest-urgent = Dringende contacten afgehandeld sinds het vorige overzicht
digest-urgent-line = - { $client }: binnen { $at }, beantwoord { $answered } door { $member }
digest-on-hold = Opleveringen stil door ontbrekende aanlevering
digest-on-hold-line = - { $client }: { $deliverable }, stil sinds { $since } ({ $days } dagen)
digest-briefs = Overdrachten niet bevestigd
digest-brief-line = - { $member }, afwezig vanaf { $from }: { $client } ({ $state })
digest-brief-none = nog geen overdracht
digest-brief-waiting = niet bevestigd
digest-brief-question = de vervanger stelde een vraag

## Het register van toezeggingen.
promise-confirm-by = Ik bevestig het uiterlijk { $date }.
promise-kind-delivery = een levering
promise-kind-callback = terugbellen
promise-kind-refund = een terugbetaling
promise-kind-discount = een korting
promise-kind-earlier_date = een eerdere datum
promise-kind-senior_call = een gesprek met een partner of de directeur
promise-kind-scope_change = een wijziging van de opdracht
promise-approval-subject = Goedkeuring nodig: { $kind } voor { $client }
promise-approval = { $member } zou { $client } { $kind } toezeggen: „{ $what }”, uiterlijk { $due }. Keur het goed of af op de pagina Toezeggingen (frontdesk promise approve|refuse). Tot dan hoort de klant dat het bevestigd wordt.
promise-overdue-subject = Toezegging over tijd: { $client }
promise-overdue = De toezegging aan { $client } — „{ $what }” — was voor { $due } en is niet als nagekomen gemarkeerd. Kom haar vandaag na of geef de klant de nieuwe datum.
promise-overdue-managers-subject = Toezegging al dagen over tijd: { $client } ({ $member })
promise-overdue-managers = De toezegging van { $member } aan { $client } — „{ $what }” — was voor { $due } en is nog steeds niet nagekomen.
digest-promises = Toezeggingen die op goedkeuring wachten of over tijd zijn
digest-promise-pending = - { $client }: { $member } zou { $kind } toezeggen: „{ $what }” uiterlijk { $due }; wacht op uw goedkeuring
digest-promise-overdue = - { $client }: „{ $what }”, toegezegd door { $member } voor { $due }; over tijd
risk-promises-overdue = { $count ->
        [one] 1 toezegging
       *[other] { $count } toezeggingen
    } over tijd

## Opleveringen en wat de klant ervoor moet aanleveren.
list-and = en
input-request-subject = { $deliverable }: wat we uiterlijk { $by } van u nodig hebben
input-request = Beste,

    Om { $deliverable } op { $due } af te ronden hebben we uiterlijk { $by } { $items } nodig.

    Dank u,
    { $member }, { $practice }
input-reminder-subject = Herinnering: { $missing } voor { $deliverable } uiterlijk { $by }
input-reminder = Beste,

    Een herinnering: om { $deliverable } op { $due } af te ronden hebben we uiterlijk { $by } nog { $missing } nodig.

    Dank u,
    { $member }, { $practice }
input-missed-subject = { $deliverable } ligt stil: we wachten op { $missing }
input-missed = Beste,

    We hebben { $missing } niet ontvangen, nodig uiterlijk { $by } om { $deliverable } op { $due } af te ronden, dus het werk ligt vanaf vandaag stil. De mogelijkheden:
    - het ontbrekende sturen en een nieuwe datum afspreken (de dagen zonder komen bij de planning);
    - uw plek gereserveerd houden tegen het reserveringstarief per dag tot het er is;
    - de plek vrijgeven en het werk later opnieuw plannen.

    Laat u ons weten wat u wilt?
    { $member }, { $practice }
input-resumed-subject = { $deliverable } gaat verder: nieuwe datum { $due }
input-resumed = Beste,

    Dank u: we hebben alles wat we nodig hadden. { $deliverable } gaat vandaag verder; de nieuwe datum is { $due }.

    { $member }, { $practice }

## Satisfaction ratings.
rating-request-subject = Hoe hebben we het gedaan? { $what }
rating-request = Beste,

    { $what } is klaar. Bij de start spraken we dit doel af: { $goal }.
    Hoe goed heeft het werk dat gehaald, van 1 tot 10? Het kost een minuut, zonder account:
    { $url }

    Dank u,
    { $practice }
rating-what-month = Ons werk voor u deze maand

## Billing: an item's words and an invoice's.
bill-time-meeting = Afspraak op { $when }: { $minutes } min, gefactureerd { $billed } min à { $rate } per uur
bill-time-contact = Werk aan uw verzoek van { $when }: { $minutes } min, gefactureerd { $billed } min à { $rate } per uur
bill-after-hours = Toeslag van { $percent } % voor werk buiten kantoortijd op { $when } ({ $base })
bill-call-out = Spoedinzet buiten kantoortijd op { $when }
bill-no-show = Gemiste afspraak op { $when }, niet afgezegd
bill-late-cancellation = Afspraak op { $when } te laat afgezegd, binnen de opzegtermijn
bill-over-quota = Gesprek boven het wekelijkse aantal op { $when }
bill-holding-day = Plek vastgehouden voor "{ $deliverable }" op { $day } in afwachting van uw aanlevering
bill-holding = Plek vastgehouden voor "{ $deliverable }" in afwachting van uw aanlevering: { $days } dagen, { $from } tot { $until }
bill-since = volgens de voorwaarden sinds { $since }
bill-terms = volgens de voorwaarden
bill-waived = kwijtgescholden: { $reason }
bill-adjusted = aangepast: { $reason }
bill-kind-time = Tijd
bill-kind-after_hours = Toeslagen buiten kantoortijd
bill-kind-call_out = Spoedinzetten
bill-kind-no_show = Gemiste afspraken
bill-kind-late_cancellation = Late afzeggingen
bill-kind-over_quota = Gesprekken boven het afgesproken aantal
bill-kind-holding = Vastgehouden plekken in afwachting van aanlevering
bill-kind-manual = Overig werk
invoice-title = Factuur { $number }
invoice-draft-title = Conceptfactuur
invoice-credit-title = Creditnota { $number }
invoice-credit-draft-title = Concept-creditnota
invoice-date = Datum: { $date }
invoice-due = Te betalen vóór: { $date }
invoice-period = Periode: { $period }
invoice-seller = Van
invoice-buyer = Aan
invoice-tax-id = Btw-nummer: { $id }
invoice-col-description = Omschrijving
invoice-col-quantity = Aantal
invoice-col-price = Prijs per eenheid
invoice-col-vat = Btw
invoice-col-amount = Bedrag
invoice-unit-hour = u
invoice-unit-day = dagen
invoice-unit-piece = ×
invoice-net = Totaal exclusief btw
invoice-vat = Btw { $rate } % over { $base }
invoice-vat-none = Btw ({ $category }) over { $base }
invoice-total = Totaal
invoice-pay = Graag { $total } betalen vóór { $date }.
invoice-iban = IBAN: { $iban }
invoice-bic = BIC: { $bic }
invoice-credit-of = Corrigeert factuur { $number } van { $date }.
invoice-reason = Reden: { $reason }
invoice-mail-subject = Factuur { $number } van { $practice }
invoice-mail = Hallo,

    In de bijlage vindt u factuur { $number } van { $date } voor { $total }, te betalen vóór { $due }.
    Elke regel vermeldt wat er in rekening wordt gebracht en volgens welke van de afgesproken voorwaarden.

    { $practice }
credit-mail-subject = Creditnota { $number } van { $practice }
credit-mail = Hallo,

    In de bijlage vindt u creditnota { $number } voor { $total }, ter correctie van factuur { $invoice }.

    { $practice }
