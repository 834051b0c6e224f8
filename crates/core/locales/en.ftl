# Auto-replies in English. Variables: $assignee, $owner, $cover (full names), $cover_email,
# $due and $call (formatted with `datetime` below, in the client's zone), $until (with `date`).
reply-hold = Thank you for your message. Our office is closed right now; { $assignee } will get back to you by { $due }.
reply-hold-urgent = Thank you for your message. We can see it is urgent, but our office is closed right now; { $assignee } will deal with it first, by { $due } at the latest.
reply-defer = Thank you for your message. This week's call allowance has been used; could this wait for our scheduled call on { $call }? If not, please reply and we will fit you in.
reply-cover = Thank you for your message. { $owner } is away until { $until }. { $cover } ({ $cover_email }) is covering and will get back to you by { $due }.
reply-ask-topic = Thank you for getting in touch. Could you tell us briefly what it is about, so the right person can prepare? We will get back to you by { $due }.
reply-urgent = Thank you for your message. We have marked it urgent and { $assignee } is dealing with it now.

# Subjects and notices. $practice: the practice's name. Notices go to the member who answers:
# $client (the client's name), $channel, $from, $summary, $due (formatted with `datetime`).
subject-reply = Your message to { $practice }
notice-due-soon-subject = Due soon: { $client }
notice-due-soon = The { $channel } from { $from } ({ $client }) needs an answer by { $due }: { $summary }
channel-call = call
channel-voicemail = voicemail
channel-email = email
channel-chat = chat message
notice-overdue-subject = Overdue: { $client }
notice-overdue = The { $channel } from { $from } ({ $client }) was due by { $due } and is still unanswered: { $summary }

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# "Monday 7 December at 09:00"
datetime = { $weekday } { $day } { $month } at { $time }
date = { $weekday } { $day } { $month }

# Bookings made on the public booking page. Variables: $name (who booked), $practice, $member,
# $when and $deadline (with `datetime`, in the client's zone), $zone, $minutes, $topic, $link.
booking-title = Call with { $practice }
booking-confirmed-subject = Booked: { $when }
booking-confirmed = Dear { $name },

    your call with { $member } ({ $practice }) is booked for { $when } ({ $zone }), { $minutes } minutes.
    Topic: { $topic }

    The invitation is attached; add it to your calendar.
booking-moved-subject = Moved: { $when }
booking-moved = Dear { $name },

    your call with { $member } ({ $practice }) has been moved to { $when } ({ $zone }), { $minutes } minutes.
    Topic: { $topic }

    The updated invitation is attached.
booking-cancelled-subject = Cancelled: { $when }
booking-cancelled = Dear { $name },

    your call with { $member } ({ $practice }) on { $when } ({ $zone }) has been cancelled. The attached file removes it from your calendar.
booking-manage = To move or cancel it, use this link until { $deadline }: { $link }

# Briefs before an absence. Variables: $member (who is away), $from and $until (with `date`),
# $count (clients not handed over), $clients (one line each: client (cover): state).
brief-reminder-subject = Briefs before { $member }'s absence: { $count } not handed over
brief-reminder = { $member } is away from { $from } to { $until }. These clients are not handed over yet — each needs a brief its cover has acknowledged:
    { $clients }
brief-missing-subject = Not handed over: { $count } clients of { $member }
brief-missing = { $member }'s absence has started ({ $from } to { $until }) and these clients were not handed over — nobody acknowledged a brief for them:
    { $clients }
brief-state-none = no brief
brief-state-waiting = brief waiting for the cover's acknowledgement
brief-state-question = the cover asked a question that has no answer
absence-notice-subject = { $member } is away from { $from } to { $until }
absence-notice = Hello,

    { $member } of { $practice } is away from { $from } to { $until }. { $cover } looks after you meanwhile and knows where your matters stand: write to { $cover_email }, or call and ask for { $cover }.
return-report-subject = Back from { $from } – { $until }: { $member }'s return report
return-report = { $member } is back. What came in while away ({ $from } to { $until }), per client:
    { $clients }
    Call every client back and record the outcome on the report page (or with frontdesk brief callback).
return-report-line = - { $client }: { $contacts ->
        [one] 1 contact
       *[other] { $contacts } contacts
    }, { $answered } answered, { $overdue } late or overdue, { $complaints ->
        [one] 1 complaint
       *[other] { $complaints } complaints
    }; { $items ->
        [one] 1 open item
       *[other] { $items } open items
    } of the brief not done; { $called }
return-report-called = called back
return-report-not-called = not called back yet

## Escalation risk: each signal as a colleague's warning, and the next step.
risk-overdue = { $count ->
        [one] 1 contact overdue
       *[other] { $count } contacts overdue
    }, the oldest by { $days ->
        [one] 1 day
       *[other] { $days } days
    }
risk-due-soon = { $count ->
        [one] 1 contact
       *[other] { $count } contacts
    } due within 4 hours
risk-follow-ups = { $count ->
        [one] 1 follow-up
       *[other] { $count } follow-ups
    } in { $days ->
        [one] 1 day
       *[other] { $days } days
    }
risk-last-answer-late = the last answer came { $days ->
        [one] 1 day
       *[other] { $days } days
    } late
risk-complaints = { $count ->
        [one] 1 complaint
       *[other] { $count } complaints
    } in { $days ->
        [one] 1 day
       *[other] { $days } days
    }
risk-escalation = an escalation { $days ->
        [0] today
        [one] 1 day ago
       *[other] { $days } days ago
    } (the manager, a lawyer or a formal complaint)
risk-leaving = talked of leaving { $days ->
        [0] today
        [one] 1 day ago
       *[other] { $days } days ago
    }
risk-late-answers = { $late } of { $answered } answers late in the last { $weeks } weeks
risk-missed = { $no_shows } no-shows and { $late_cancels } late cancellations in { $weeks } weeks
risk-on-hold = { $count ->
        [one] 1 deliverable
       *[other] { $count } deliverables
    } on hold for missing input
risk-rating = rated the work { $score } out of 10
risk-rating-fell = rated the work { $score } out of 10 (before: { $previous })
risk-around-owner = { $count ->
        [one] 1 message
       *[other] { $count } messages
    } in { $days ->
        [one] 1 day
       *[other] { $days } days
    } written to others than the owner ({ $to })
risk-step-call_with_manager = call the client today, with the manager on the call
risk-step-answer_overdue = answer the overdue contacts today
risk-step-call_about_complaint = call the client about what went wrong, and agree what happens next
risk-step-send_update = send a status update with a date
risk-step-review_workload = look at why answers come late: move work or agree other targets
risk-step-confirm_meetings = confirm the next meeting the day before; the no-show fee applies
risk-step-keep_promise = keep the overdue promise today, or tell the client the new date
risk-step-nothing = nothing to do

## The managers' daily digest.
digest-subject = Today's digest ({ $date }): { $risks } clients at risk, { $overdue } overdue
digest = Good morning, { $name }. What needs your attention on { $date }:
digest-risks = Clients at risk
digest-risk-line = - { $client } (risk { $score }): { $reasons }. Next: { $step }.
digest-overdue = Overdue contacts
digest-overdue-line = - { $client }: { $channel } from { $from }, due { $due }, for { $member }
digest-urgent = Urgent contacts handled since the last digest
digest-urgent-line = - { $client }: arrived { $at }, answered { $answered } by { $member }
digest-on-hold = Deliverables on hold for missing input
digest-on-hold-line = - { $client }: { $deliverable }, on hold since { $since } ({ $days } days)
digest-briefs = Briefs not handed over
digest-brief-line = - { $member }, away from { $from }: { $client } ({ $state })
digest-brief-none = no brief yet
digest-brief-waiting = not acknowledged
digest-brief-question = the cover asked a question

## The promise register.
promise-confirm-by = I'll confirm by { $date }.
promise-kind-delivery = a delivery
promise-kind-callback = a call back
promise-kind-refund = a refund
promise-kind-discount = a discount
promise-kind-earlier_date = an earlier date
promise-kind-senior_call = a call from a partner or the CEO
promise-kind-scope_change = a change of scope
promise-approval-subject = Approval needed: { $kind } for { $client }
promise-approval = { $member } would promise { $client } { $kind }: "{ $what }", by { $due }. Approve or refuse it on the Promises page (frontdesk promise approve|refuse). Until then the client is told it will be confirmed.
promise-overdue-subject = Promise overdue: { $client }
promise-overdue = The promise to { $client } — "{ $what }" — was due { $due } and is not marked kept. Keep it today, or tell the client the new date.
promise-overdue-managers-subject = Promise overdue for days: { $client } ({ $member })
promise-overdue-managers = { $member }'s promise to { $client } — "{ $what }" — was due { $due } and is still not kept.
digest-promises = Promises awaiting approval or overdue
digest-promise-pending = - { $client }: { $member } would promise { $kind }: "{ $what }" by { $due } — awaiting your approval
digest-promise-overdue = - { $client }: "{ $what }", promised by { $member } for { $due } — overdue
risk-promises-overdue = { $count ->
        [one] 1 promise
       *[other] { $count } promises
    } overdue

## Deliverables and the client input they need.
list-and = and
input-request-subject = { $deliverable }: what we need from you by { $by }
input-request = Hello,

    To finish { $deliverable } by { $due } we need { $items } by { $by }.

    Thank you,
    { $member }, { $practice }
input-reminder-subject = Reminder: { $missing } for { $deliverable } by { $by }
input-reminder = Hello,

    A reminder: to finish { $deliverable } by { $due } we still need { $missing } by { $by }.

    Thank you,
    { $member }, { $practice }
input-missed-subject = { $deliverable } is on hold: waiting for { $missing }
input-missed = Hello,

    We have not received { $missing }, needed by { $by } to finish { $deliverable } by { $due }, so the work is on hold from today. The options:
    - send the items and agree a new date (the days without them are added to the plan);
    - keep your slot reserved at the holding rate per day until they arrive;
    - release the slot and plan the work again later.

    Please tell us which you prefer.
    { $member }, { $practice }
input-resumed-subject = { $deliverable } resumes: new date { $due }
input-resumed = Hello,

    Thank you: we have everything we needed. { $deliverable } resumes today; the new date is { $due }.

    { $member }, { $practice }

## Satisfaction ratings.
rating-request-subject = How did we do? { $what }
rating-request = Hello,

    { $what } is done. At the start we agreed the goal: { $goal }.
    How well did the work meet it, from 1 to 10? It takes a minute, no account needed:
    { $url }

    Thank you,
    { $practice }
rating-what-month = Our work for you this month

## Billing: an item's words and an invoice's.
bill-time-meeting = Meeting on { $when }: { $minutes } min, billed { $billed } min at { $rate } an hour
bill-time-contact = Work on your request of { $when }: { $minutes } min, billed { $billed } min at { $rate } an hour
bill-after-hours = Out-of-hours surcharge of { $percent } % on the work of { $when } ({ $base })
bill-call-out = Urgent call-out out of hours on { $when }
bill-no-show = Missed meeting on { $when }, not cancelled
bill-late-cancellation = Meeting on { $when } cancelled late, inside the notice period
bill-over-quota = Call beyond the weekly allowance on { $when }
bill-holding-day = Slot kept for "{ $deliverable }" on { $day } while waiting for your input
bill-holding = Slot kept for "{ $deliverable }" while waiting for your input: { $days } days, { $from } to { $until }
bill-since = per the terms since { $since }
bill-terms = per the terms
bill-waived = waived: { $reason }
bill-adjusted = adjusted: { $reason }
bill-kind-time = Time
bill-kind-after_hours = Out-of-hours surcharges
bill-kind-call_out = Urgent call-outs
bill-kind-no_show = Missed meetings
bill-kind-late_cancellation = Late cancellations
bill-kind-over_quota = Calls beyond the allowance
bill-kind-holding = Slots kept while waiting for input
bill-kind-manual = Other work
invoice-title = Invoice { $number }
invoice-draft-title = Draft invoice
invoice-credit-title = Credit note { $number }
invoice-credit-draft-title = Draft credit note
invoice-date = Date: { $date }
invoice-due = Due: { $date }
invoice-period = Period: { $period }
invoice-seller = From
invoice-buyer = To
invoice-tax-id = VAT/tax ID: { $id }
invoice-col-description = Description
invoice-col-quantity = Quantity
invoice-col-price = Unit price
invoice-col-vat = VAT
invoice-col-amount = Amount
invoice-unit-hour = h
invoice-unit-day = days
invoice-unit-piece = ×
invoice-net = Total without VAT
invoice-vat = VAT { $rate } % on { $base }
invoice-vat-none = VAT ({ $category }) on { $base }
invoice-total = Total
invoice-pay = Please pay { $total } by { $date }.
invoice-iban = IBAN: { $iban }
invoice-bic = BIC: { $bic }
invoice-credit-of = Corrects invoice { $number } of { $date }.
invoice-reason = Reason: { $reason }
invoice-mail-subject = Invoice { $number } from { $practice }
invoice-mail = Hello,

    Please find attached invoice { $number } of { $date } for { $total }, due by { $due }.
    Each line says what it bills and by which of the terms we agreed.

    { $practice }
credit-mail-subject = Credit note { $number } from { $practice }
credit-mail = Hello,

    Please find attached credit note { $number } for { $total }, which corrects invoice { $invoice }.

    { $practice }
