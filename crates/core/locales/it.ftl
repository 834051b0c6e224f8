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
return-report-line = - { $client }: { $contacts } contatti, { $answered } risposti, { $overdue } in ritardo o scaduti, { $complaints } reclami; { $items } questioni aperte della nota non fatte; { $called }
return-report-called = richiamato
return-report-not-called = non ancora richiamato
