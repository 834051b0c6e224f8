# Автоответы на русском (на «Вы»). Переменные: $assignee, $owner, $cover (имена), $cover_email,
# $due и $call (через `datetime`, в часовом поясе клиента), $until (через `date`).
# Даты стоят после двоеточия, чтобы не склонять дни недели.
reply-hold = Спасибо за Ваше сообщение. Сейчас мы вне рабочего времени; { $assignee } ответит Вам. Срок ответа: { $due }.
reply-hold-urgent = Спасибо за Ваше сообщение. Мы видим, что вопрос срочный, но сейчас мы вне рабочего времени; { $assignee } займётся им в первую очередь. Крайний срок ответа: { $due }.
reply-defer = Спасибо за Ваше сообщение. Лимит звонков на эту неделю исчерпан; можно ли обсудить это на нашем запланированном созвоне? Созвон: { $call }. Если вопрос не терпит, ответьте на это письмо, и мы найдём время.
reply-cover = Спасибо за Ваше сообщение. { $owner } отсутствует; последний день отсутствия: { $until }. Вас временно ведёт { $cover } ({ $cover_email }). Срок ответа: { $due }.
reply-ask-topic = Спасибо, что связались с нами. Не могли бы Вы коротко написать, о чём идёт речь, чтобы нужный специалист успел подготовиться? Срок ответа: { $due }.
reply-urgent = Спасибо за Ваше сообщение. Мы отметили его как срочное, и { $assignee } уже занимается им.

subject-reply = Ваше сообщение для { $practice }
notice-due-soon-subject = Скоро срок: { $client }
notice-due-soon = Обращение ({ $channel }) от { $from } ({ $client }) требует ответа до { $due }: { $summary }
channel-call = звонок
channel-voicemail = голосовое сообщение
channel-email = письмо
channel-chat = сообщение в чате
notice-overdue-subject = Просрочено: { $client }
notice-overdue = Обращение ({ $channel }) от { $from } ({ $client }) нужно было ответить до { $due }, ответа всё ещё нет: { $summary }

weekday-1 = понедельник
weekday-2 = вторник
weekday-3 = среда
weekday-4 = четверг
weekday-5 = пятница
weekday-6 = суббота
weekday-7 = воскресенье
# Месяцы в родительном падеже: «7 декабря».
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря
# «понедельник, 7 декабря, 09:00»
datetime = { $weekday }, { $day } { $month }, { $time }
date = { $weekday }, { $day } { $month }

# Записи, сделанные на публичной странице. Переменные: $name (кто записался), $practice, $member,
# $when и $deadline (через `datetime`, в поясе клиента), $zone, $minutes, $topic, $link.
booking-title = Звонок с { $practice }
booking-confirmed-subject = Запись: { $when }
booking-confirmed = Здравствуйте, { $name }!

    Ваш звонок с { $member } ({ $practice }) назначен на { $when } ({ $zone }), { $minutes } мин.
    Тема: { $topic }

    Приглашение во вложении — добавьте его в календарь.
booking-moved-subject = Перенесено: { $when }
booking-moved = Здравствуйте, { $name }!

    Ваш звонок с { $member } ({ $practice }) перенесён на { $when } ({ $zone }), { $minutes } мин.
    Тема: { $topic }

    Обновлённое приглашение во вложении.
booking-cancelled-subject = Отменено: { $when }
booking-cancelled = Здравствуйте, { $name }!

    Ваш звонок с { $member } ({ $practice }) { $when } ({ $zone }) отменён. Файл во вложении уберёт его из календаря.
booking-manage = Перенести или отменить его можно по этой ссылке до { $deadline }: { $link }

# Передача дел перед отсутствием. Переменные: $member, $from, $until, $count, $clients.
brief-reminder-subject = Передача дел перед отсутствием ({ $member }): не передано — { $count }
brief-reminder = { $member } отсутствует с { $from } по { $until }. Эти клиенты ещё не переданы: для каждого нужна записка, которую подтвердил замещающий:
    { $clients }
brief-missing-subject = Не переданы клиенты ({ $member }): { $count }
brief-missing = Отсутствие ({ $member }) началось ({ $from } — { $until }), а эти клиенты не переданы: никто не подтвердил записку по ним:
    { $clients }
brief-state-none = записки нет
brief-state-waiting = записка ждёт подтверждения
brief-state-question = замещающий задал вопрос, ответа нет
absence-notice-subject = { $member } отсутствует с { $from } по { $until }
absence-notice = Здравствуйте!

    { $member } ({ $practice }) отсутствует с { $from } по { $until }. В это время вашими вопросами занимается { $cover }, который знает, как обстоят дела: пишите на { $cover_email } или звоните и спрашивайте { $cover }.
return-report-subject = Возвращение после { $from } – { $until }: отчёт ({ $member })
return-report = { $member } вернулся(-ась). Что пришло за время отсутствия ({ $from } — { $until }), по клиентам:
    { $clients }
    Перезвоните каждому клиенту и запишите итог на странице отчёта (или командой frontdesk brief callback).
return-report-line = - { $client }: обращений { $contacts }, отвечено { $answered }, с опозданием или просрочено { $overdue }, жалоб { $complaints }; невыполненных задач из записки { $items }; { $called }
return-report-called = перезвонили
return-report-not-called = ещё не перезвонили

## Риск эскалации: каждый сигнал как предупреждение коллеги и следующий шаг.
risk-overdue = просрочено обращений: { $count }, самое давнее на { $days } дн.
risk-due-soon = обращений со сроком в ближайшие 4 часа: { $count }
risk-follow-ups = напоминаний за { $days } дн.: { $count }
risk-last-answer-late = последний ответ опоздал на { $days } дн.
risk-complaints = жалоб за { $days } дн.: { $count }
risk-escalation = эскалация { $days } дн. назад (руководитель, юрист или официальная жалоба)
risk-leaving = говорил(а) об уходе { $days } дн. назад
risk-late-answers = ответов с опозданием за последние { $weeks } нед.: { $late } из { $answered }
risk-missed = неявок: { $no_shows }, поздних отмен: { $late_cancels } за { $weeks } нед.
risk-on-hold = приостановлено из-за отсутствия материалов: { $count }
risk-rating = оценил(а) работу на { $score } из 10
risk-rating-fell = оценил(а) работу на { $score } из 10 (раньше: { $previous })
risk-around-owner = сообщений в обход ответственного за { $days } дн.: { $count } ({ $to })
risk-step-call_with_manager = позвонить клиенту сегодня вместе с руководителем
risk-step-answer_overdue = ответить сегодня на просроченные обращения
risk-step-call_about_complaint = позвонить клиенту, разобрать, что пошло не так, и договориться о дальнейшем
risk-step-send_update = отправить клиенту статус с датой
risk-step-review_workload = разобраться, почему ответы опаздывают: перераспределить работу или договориться о других сроках
risk-step-confirm_meetings = подтверждать следующую встречу накануне; действует плата за неявку
risk-step-keep_promise = выполнить просроченное обещание сегодня или сообщить клиенту новый срок
risk-step-nothing = ничего не нужно

## Ежедневная сводка для руководителей.
digest-subject = Сводка на { $date }: клиентов под риском { $risks }, просрочено { $overdue }
digest = Доброе утро, { $name }. Что требует внимания { $date }:
digest-risks = Клиенты под риском
digest-risk-line = - { $client } (риск { $score }): { $reasons }. Дальше: { $step }.
digest-overdue = Просроченные обращения
digest-overdue-line = - { $client }: { $channel } от { $from }, срок { $due }, отвечает { $member }
digest-urgent = Срочные обращения, обработанные после прошлой сводки
digest-urgent-line = - { $client }: поступило { $at }, отвечено { $answered }, ответил(а) { $member }
digest-on-hold = Работы, приостановленные из-за отсутствия материалов
digest-on-hold-line = - { $client }: { $deliverable }, приостановлено с { $since } (дней: { $days })
digest-briefs = Неподтверждённые записки о передаче дел
digest-brief-line = - { $member }, отсутствует с { $from }: { $client } ({ $state })
digest-brief-none = записки ещё нет
digest-brief-waiting = не подтверждена
digest-brief-question = замещающий задал вопрос

## Реестр обещаний.
promise-confirm-by = Подтвержу до { $date }.
promise-kind-delivery = сдача работы
promise-kind-callback = обратный звонок
promise-kind-refund = возврат денег
promise-kind-discount = скидка
promise-kind-earlier_date = более ранний срок
promise-kind-senior_call = звонок партнёра или директора
promise-kind-scope_change = изменение объёма работ
promise-approval-subject = Нужно одобрение: { $kind } для { $client }
promise-approval = { $member } хочет пообещать { $client } { $kind }: «{ $what }», к { $due }. Одобрите или отклоните на странице обещаний (frontdesk promise approve|refuse). Пока клиенту сообщают, что это будет подтверждено.
promise-overdue-subject = Обещание просрочено: { $client }
promise-overdue = Обещание { $client } — «{ $what }» — было к { $due } и не отмечено выполненным. Выполните его сегодня или сообщите клиенту новый срок.
promise-overdue-managers-subject = Обещание просрочено уже несколько дней: { $client } ({ $member })
promise-overdue-managers = Обещание { $member } клиенту { $client } — «{ $what }» — было к { $due } и до сих пор не выполнено.
digest-promises = Обещания на одобрении или просроченные
digest-promise-pending = - { $client }: { $member } хочет пообещать { $kind }: «{ $what }» к { $due }; ждёт вашего одобрения
digest-promise-overdue = - { $client }: «{ $what }», обещал(а) { $member } к { $due }; просрочено
risk-promises-overdue = просроченных обещаний: { $count }

## Результаты работ и то, что должен предоставить клиент.
list-and = и
input-request-subject = { $deliverable }: что нужно от вас до { $by }
input-request = Здравствуйте!

    Чтобы закончить { $deliverable } к { $due }, нам нужно { $items } до { $by }.

    Спасибо,
    { $member }, { $practice }
input-reminder-subject = Напоминание: { $missing } для { $deliverable } до { $by }
input-reminder = Здравствуйте!

    Напоминаем: чтобы закончить { $deliverable } к { $due }, нам всё ещё нужно { $missing } до { $by }.

    Спасибо,
    { $member }, { $practice }
input-missed-subject = { $deliverable } приостановлено: ждём { $missing }
input-missed = Здравствуйте!

    Мы не получили { $missing }, нужное до { $by }, чтобы закончить { $deliverable } к { $due }, поэтому с сегодняшнего дня работа приостановлена. Варианты:
    - прислать недостающее и согласовать новый срок (дни без него добавляются к плану);
    - сохранить за вами время по дневной ставке резерва, пока материалы не придут;
    - освободить время и запланировать работу позже.

    Сообщите, пожалуйста, что вы выбираете.
    { $member }, { $practice }
input-resumed-subject = { $deliverable } продолжается: новый срок { $due }
input-resumed = Здравствуйте!

    Спасибо, у нас есть всё необходимое. { $deliverable } продолжается с сегодняшнего дня; новый срок — { $due }.

    { $member }, { $practice }

## Satisfaction ratings.
rating-request-subject = Как мы справились? { $what }
rating-request = Здравствуйте!

    { $what } — готово. В начале мы договорились о цели: { $goal }.
    Насколько работа её достигла, от 1 до 10? Это минута, учётная запись не нужна:
    { $url }

    Спасибо,
    { $practice }
rating-what-month = Наша работа для вас в этом месяце

## Billing: an item's words and an invoice's.
bill-time-meeting = Встреча { $when }: { $minutes } мин, к оплате { $billed } мин по { $rate } в час
bill-time-contact = Работа по вашему запросу от { $when }: { $minutes } мин, к оплате { $billed } мин по { $rate } в час
bill-after-hours = Надбавка { $percent } % за работу в нерабочее время { $when } ({ $base })
bill-call-out = Срочный выезд в нерабочее время { $when }
bill-no-show = Пропущенная встреча { $when } без отмены
bill-late-cancellation = Встреча { $when } отменена поздно, в срок уведомления
bill-over-quota = Звонок сверх недельного лимита { $when }
bill-holding-day = Место для «{ $deliverable }» сохранено { $day } в ожидании ваших материалов
bill-holding = Место для «{ $deliverable }» сохранено в ожидании ваших материалов: { $days } дн., с { $from } по { $until }
bill-since = по условиям, действующим с { $since }
bill-terms = по условиям
bill-waived = списано: { $reason }
bill-adjusted = изменено: { $reason }
bill-kind-time = Время
bill-kind-after_hours = Надбавки за нерабочее время
bill-kind-call_out = Срочные выезды
bill-kind-no_show = Пропущенные встречи
bill-kind-late_cancellation = Поздние отмены
bill-kind-over_quota = Звонки сверх лимита
bill-kind-holding = Сохранённые места в ожидании материалов
bill-kind-manual = Прочие работы
invoice-title = Счёт { $number }
invoice-draft-title = Черновик счёта
invoice-credit-title = Кредит-нота { $number }
invoice-credit-draft-title = Черновик кредит-ноты
invoice-date = Дата: { $date }
invoice-due = Оплатить до: { $date }
invoice-period = Период: { $period }
invoice-seller = От
invoice-buyer = Кому
invoice-tax-id = ИНН/НДС: { $id }
invoice-col-description = Описание
invoice-col-quantity = Кол-во
invoice-col-price = Цена
invoice-col-vat = НДС
invoice-col-amount = Сумма
invoice-unit-hour = ч
invoice-unit-day = дн.
invoice-unit-piece = ×
invoice-net = Итого без НДС
invoice-vat = НДС { $rate } % с { $base }
invoice-vat-none = НДС ({ $category }) с { $base }
invoice-total = Итого
invoice-pay = Просим оплатить { $total } до { $date }.
invoice-iban = IBAN: { $iban }
invoice-bic = BIC: { $bic }
invoice-credit-of = Исправляет счёт { $number } от { $date }.
invoice-reason = Причина: { $reason }
invoice-mail-subject = Счёт { $number } от { $practice }
invoice-mail = Здравствуйте!

    Во вложении счёт { $number } от { $date } на сумму { $total }, срок оплаты — { $due }.
    В каждой строке указано, за что выставлена сумма и по какому из согласованных условий.

    { $practice }
credit-mail-subject = Кредит-нота { $number } от { $practice }
credit-mail = Здравствуйте!

    Во вложении кредит-нота { $number } на сумму { $total }, исправляющая счёт { $invoice }.

    { $practice }
