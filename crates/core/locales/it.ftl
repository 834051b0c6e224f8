# Risposte automatiche in italiano (forma di cortesia). Variabili: $assignee, $owner, $cover
# (nomi), $cover_email, $due e $call (con `datetime`, nel fuso del cliente), $until (con `date`).
reply-hold = Grazie per il suo messaggio. In questo momento l'ufficio è chiuso; { $assignee } le risponderà entro { $due }.
reply-hold-urgent = Grazie per il suo messaggio. Vediamo che è urgente, ma in questo momento l'ufficio è chiuso; { $assignee } se ne occuperà per prima cosa, al più tardi entro { $due }.
reply-defer = Grazie per il suo messaggio. Le chiamate previste per questa settimana sono esaurite; possiamo parlarne nella nostra chiamata fissata per { $call }? Se non può aspettare, risponda a questo messaggio e troveremo un momento.
reply-cover = Grazie per il suo messaggio. { $owner } è assente fino a { $until }. Nel frattempo la segue { $cover } ({ $cover_email }), che le risponderà entro { $due }.
reply-ask-topic = Grazie per averci contattato. Può indicarci brevemente di cosa si tratta, così la persona giusta potrà prepararsi? Le risponderemo entro { $due }.
reply-urgent = Grazie per il suo messaggio. L'abbiamo segnato come urgente e { $assignee } se ne sta già occupando.

subject-reply = Il suo messaggio a { $practice }
notice-due-soon-subject = In scadenza: { $client }
notice-due-soon = Il contatto ({ $channel }) di { $from } ({ $client }) richiede una risposta entro { $due }: { $summary }
channel-call = chiamata
channel-voicemail = messaggio vocale
channel-email = e-mail
channel-chat = messaggio in chat
notice-overdue-subject = Scaduto: { $client }
notice-overdue = Il contatto ({ $channel }) di { $from } ({ $client }) scadeva { $due } ed è ancora senza risposta: { $summary }

weekday-1 = lunedì
weekday-2 = martedì
weekday-3 = mercoledì
weekday-4 = giovedì
weekday-5 = venerdì
weekday-6 = sabato
weekday-7 = domenica
month-1 = gennaio
month-2 = febbraio
month-3 = marzo
month-4 = aprile
month-5 = maggio
month-6 = giugno
month-7 = luglio
month-8 = agosto
month-9 = settembre
month-10 = ottobre
month-11 = novembre
month-12 = dicembre
# "lunedì 7 dicembre, ore 09:00"
datetime = { $weekday } { $day } { $month }, ore { $time }
date = { $weekday } { $day } { $month }

# Prenotazioni fatte sulla pagina pubblica. Variabili: $name (chi prenota), $practice, $member,
# $when e $deadline (con `datetime`, nel fuso del cliente), $zone, $minutes, $topic, $link.
booking-title = Chiamata con { $practice }
booking-confirmed-subject = Prenotata: { $when }
booking-confirmed = Gentile { $name },

    la sua chiamata con { $member } ({ $practice }) è prenotata per { $when } ({ $zone }), { $minutes } minuti.
    Argomento: { $topic }

    In allegato l'invito da aggiungere al suo calendario.
booking-moved-subject = Spostata: { $when }
booking-moved = Gentile { $name },

    la sua chiamata con { $member } ({ $practice }) è stata spostata a { $when } ({ $zone }), { $minutes } minuti.
    Argomento: { $topic }

    In allegato l'invito aggiornato.
booking-cancelled-subject = Annullata: { $when }
booking-cancelled = Gentile { $name },

    la sua chiamata con { $member } ({ $practice }) di { $when } ({ $zone }) è stata annullata. Il file allegato la toglie dal suo calendario.
booking-manage = Per spostarla o annullarla usi questo link fino a { $deadline }: { $link }

# Passaggi di consegne prima di un'assenza. Variabili: $member, $from, $until, $count, $clients.
brief-reminder-subject = Consegne prima dell'assenza di { $member }: { $count } non passate
brief-reminder = { $member } sarà assente da { $from } a { $until }. Questi clienti non sono ancora passati: ognuno ha bisogno di una nota confermata da chi sostituisce:
    { $clients }
brief-missing-subject = Non passati: { $count } clienti di { $member }
brief-missing = L'assenza di { $member } è iniziata (da { $from } a { $until }) e questi clienti non sono stati passati: nessuno ha confermato una nota per loro:
    { $clients }
brief-state-none = nessuna nota
brief-state-waiting = nota in attesa di conferma
brief-state-question = chi sostituisce ha fatto una domanda senza risposta
absence-notice-subject = { $member } sarà assente da { $from } a { $until }
absence-notice = Buongiorno,

    { $member } di { $practice } sarà assente da { $from } a { $until }. Nel frattempo la seguirà { $cover }, che conosce lo stato delle sue pratiche: scriva a { $cover_email } o chiami e chieda di { $cover }.
return-report-subject = Di ritorno da { $from } – { $until }: il resoconto di { $member }
return-report = { $member } è tornato/a. Che cosa è arrivato durante l'assenza (da { $from } a { $until }), per cliente:
    { $clients }
    Richiama ogni cliente e annota l'esito nella pagina del resoconto (o con frontdesk brief callback).
return-report-line = - { $client }: { $contacts ->
        [one] 1 contatto
       *[other] { $contacts } contatti
    }, { $answered ->
        [one] 1 risposto
       *[other] { $answered } risposti
    }, { $overdue ->
        [one] 1 in ritardo o scaduto
       *[other] { $overdue } in ritardo o scaduti
    }, { $complaints ->
        [one] 1 reclamo
       *[other] { $complaints } reclami
    }; { $items ->
        [one] 1 questione aperta
       *[other] { $items } questioni aperte
    } della nota non fatte; { $called }
return-report-called = richiamato
return-report-not-called = non ancora richiamato

## Rischio di escalation: ogni segnale come l'avviso di un collega, e il passo successivo.
risk-overdue = { $count ->
        [one] 1 contatto scaduto
       *[other] { $count } contatti scaduti
    }, il più vecchio da { $days ->
        [one] 1 giorno
       *[other] { $days } giorni
    }
risk-due-soon = { $count ->
        [one] 1 contatto in scadenza
       *[other] { $count } contatti in scadenza
    } entro 4 ore
risk-follow-ups = { $count ->
        [one] 1 sollecito
       *[other] { $count } solleciti
    } in { $days ->
        [one] 1 giorno
       *[other] { $days } giorni
    }
risk-last-answer-late = l'ultima risposta è arrivata con { $days ->
        [one] 1 giorno
       *[other] { $days } giorni
    } di ritardo
risk-complaints = { $count ->
        [one] 1 reclamo
       *[other] { $count } reclami
    } in { $days ->
        [one] 1 giorno
       *[other] { $days } giorni
    }
risk-escalation = un'escalation { $days ->
        [0] oggi
        [one] 1 giorno fa
       *[other] { $days } giorni fa
    } (il responsabile, un avvocato o un reclamo formale)
risk-leaving = ha parlato di andarsene { $days ->
        [0] oggi
        [one] 1 giorno fa
       *[other] { $days } giorni fa
    }
risk-late-answers = { $late } risposte su { $answered } in ritardo nelle ultime { $weeks } settimane
risk-missed = { $no_shows } assenze e { $late_cancels } disdette tardive in { $weeks } settimane
risk-on-hold = { $count ->
        [one] 1 consegna sospesa
       *[other] { $count } consegne sospese
    } per materiale mancante
risk-rating = ha dato al lavoro { $score } su 10
risk-rating-fell = ha dato al lavoro { $score } su 10 (prima: { $previous })
risk-around-owner = { $count ->
        [one] 1 messaggio scritto
       *[other] { $count } messaggi scritti
    } in { $days ->
        [one] 1 giorno
       *[other] { $days } giorni
    } ad altri invece che al referente ({ $to })
risk-step-call_with_manager = chiamare oggi il cliente, con il responsabile in chiamata
risk-step-answer_overdue = rispondere oggi ai contatti scaduti
risk-step-call_about_complaint = chiamare il cliente su cosa è andato storto e concordare i prossimi passi
risk-step-send_update = mandare un aggiornamento con una data
risk-step-review_workload = capire perché le risposte arrivano tardi: spostare lavoro o concordare altri tempi
risk-step-confirm_meetings = confermare il prossimo incontro il giorno prima; si applica la penale per assenza
risk-step-keep_promise = mantenere oggi la promessa scaduta o comunicare al cliente la nuova data
risk-step-nothing = niente da fare

## Il riepilogo quotidiano per i responsabili.
digest-subject = Riepilogo di oggi ({ $date }): { $risks } clienti a rischio, { $overdue } scaduti
digest = Buongiorno, { $name }. Cosa richiede la sua attenzione il { $date }:
digest-risks = Clienti a rischio
digest-risk-line = - { $client } (rischio { $score }): { $reasons }. Prossimo passo: { $step }.
digest-overdue = Contatti scaduti
digest-overdue-line = - { $client }: { $channel } da { $from }, scadenza { $due }, per { $member }
digest-urgent = Contatti urgenti gestiti dall'ultimo riepilogo
digest-urgent-line = - { $client }: arrivato { $at }, risposto { $answered } da { $member }
digest-on-hold = Consegne sospese per materiale mancante
digest-on-hold-line = - { $client }: { $deliverable }, sospesa dal { $since } ({ $days } giorni)
digest-briefs = Note di consegna non confermate
digest-brief-line = - { $member }, assente dal { $from }: { $client } ({ $state })
digest-brief-none = ancora nessuna nota
digest-brief-waiting = non confermata
digest-brief-question = chi sostituisce ha fatto una domanda

## Il registro delle promesse.
promise-confirm-by = Le confermo entro { $date }.
promise-kind-delivery = una consegna
promise-kind-callback = una richiamata
promise-kind-refund = un rimborso
promise-kind-discount = uno sconto
promise-kind-earlier_date = una data anticipata
promise-kind-senior_call = una chiamata di un socio o dell'amministratore
promise-kind-scope_change = un cambio di perimetro
promise-approval-subject = Serve un'approvazione: { $kind } per { $client }
promise-approval = { $member } prometterebbe a { $client } { $kind }: «{ $what }», entro { $due }. Approvi o rifiuti nella pagina Promesse (frontdesk promise approve|refuse). Nel frattempo al cliente si dice che sarà confermato.
promise-overdue-subject = Promessa scaduta: { $client }
promise-overdue = La promessa a { $client } — «{ $what }» — scadeva { $due } e non è segnata come mantenuta. La mantenga oggi o comunichi al cliente la nuova data.
promise-overdue-managers-subject = Promessa scaduta da giorni: { $client } ({ $member })
promise-overdue-managers = La promessa di { $member } a { $client } — «{ $what }» — scadeva { $due } e non è ancora mantenuta.
digest-promises = Promesse in attesa di approvazione o scadute
digest-promise-pending = - { $client }: { $member } prometterebbe { $kind }: «{ $what }» entro { $due }; attende la sua approvazione
digest-promise-overdue = - { $client }: «{ $what }», promesso da { $member } per { $due }; scaduta
risk-promises-overdue = { $count ->
        [one] 1 promessa scaduta
       *[other] { $count } promesse scadute
    }

## Consegne e il materiale che il cliente deve fornire.
list-and = e
input-request-subject = { $deliverable }: cosa ci serve entro { $by }
input-request = Buongiorno,

    per completare { $deliverable } entro { $due } ci servono { $items } entro { $by }.

    Grazie,
    { $member }, { $practice }
input-reminder-subject = Promemoria: { $missing } per { $deliverable } entro { $by }
input-reminder = Buongiorno,

    le ricordiamo che per completare { $deliverable } entro { $due } ci servono ancora { $missing } entro { $by }.

    Grazie,
    { $member }, { $practice }
input-missed-subject = { $deliverable } in sospeso: in attesa di { $missing }
input-missed = Buongiorno,

    non abbiamo ricevuto { $missing }, necessario entro { $by } per completare { $deliverable } entro { $due }, quindi il lavoro è sospeso da oggi. Le possibilità:
    - inviare il materiale e concordare una nuova data (i giorni senza si aggiungono al piano);
    - mantenere riservato il suo spazio alla tariffa giornaliera di mantenimento finché non arriva;
    - liberare lo spazio e ripianificare il lavoro più avanti.

    Ci dica cosa preferisce.
    { $member }, { $practice }
input-resumed-subject = { $deliverable } riprende: nuova data { $due }
input-resumed = Buongiorno,

    grazie: abbiamo tutto il necessario. { $deliverable } riprende oggi; la nuova data è { $due }.

    { $member }, { $practice }

## Satisfaction ratings.
rating-request-subject = Come siamo andati? { $what }
rating-request = Buongiorno,

    { $what } è completato. All'inizio avevamo concordato l'obiettivo: { $goal }.
    Quanto il lavoro l'ha raggiunto, da 1 a 10? Basta un minuto, senza account:
    { $url }

    Grazie,
    { $practice }
rating-what-month = Il nostro lavoro per lei questo mese

## Billing: an item's words and an invoice's.
bill-time-meeting = Riunione di { $when }: { $minutes } min, fatturati { $billed } min a { $rate } l'ora
bill-time-contact = Lavoro sulla sua richiesta di { $when }: { $minutes } min, fatturati { $billed } min a { $rate } l'ora
bill-after-hours = Maggiorazione del { $percent } % per il lavoro fuori orario di { $when } ({ $base })
bill-call-out = Intervento urgente fuori orario { $when }
bill-no-show = Riunione di { $when } non frequentata e non disdetta
bill-late-cancellation = Riunione di { $when } disdetta in ritardo, entro il preavviso
bill-over-quota = Chiamata oltre il numero settimanale previsto { $when }
bill-holding-day = Posto riservato per «{ $deliverable }» il { $day } in attesa dei suoi materiali
bill-holding = Posto riservato per «{ $deliverable }» in attesa dei suoi materiali: { $days } giorni, dal { $from } al { $until }
bill-since = secondo le condizioni in vigore dal { $since }
bill-terms = secondo le condizioni
bill-waived = annullato: { $reason }
bill-adjusted = rettificato: { $reason }
bill-kind-time = Tempo
bill-kind-after_hours = Maggiorazioni fuori orario
bill-kind-call_out = Interventi urgenti
bill-kind-no_show = Riunioni mancate
bill-kind-late_cancellation = Disdette tardive
bill-kind-over_quota = Chiamate oltre il previsto
bill-kind-holding = Posti riservati in attesa di materiali
bill-kind-manual = Altri lavori
invoice-title = Fattura { $number }
invoice-draft-title = Bozza di fattura
invoice-credit-title = Nota di credito { $number }
invoice-credit-draft-title = Bozza di nota di credito
invoice-date = Data: { $date }
invoice-due = Scadenza: { $date }
invoice-period = Periodo: { $period }
invoice-seller = Da
invoice-buyer = A
invoice-tax-id = Partita IVA: { $id }
invoice-col-description = Descrizione
invoice-col-quantity = Quantità
invoice-col-price = Prezzo unitario
invoice-col-vat = IVA
invoice-col-amount = Importo
invoice-unit-hour = h
invoice-unit-day = giorni
invoice-unit-piece = ×
invoice-net = Imponibile
invoice-vat = IVA { $rate } % su { $base }
invoice-vat-none = IVA ({ $category }) su { $base }
invoice-total = Totale
invoice-pay = Si prega di pagare { $total } entro il { $date }.
invoice-iban = IBAN: { $iban }
invoice-bic = BIC: { $bic }
invoice-credit-of = Rettifica la fattura { $number } del { $date }.
invoice-reason = Motivo: { $reason }
invoice-mail-subject = Fattura { $number } da { $practice }
invoice-mail = Buongiorno,

    in allegato la fattura { $number } del { $date } di { $total }, con scadenza il { $due }.
    Ogni riga indica cosa viene fatturato e in base a quale delle condizioni concordate.

    { $practice }
credit-mail-subject = Nota di credito { $number } da { $practice }
credit-mail = Buongiorno,

    in allegato la nota di credito { $number } di { $total }, che rettifica la fattura { $invoice }.

    { $practice }
