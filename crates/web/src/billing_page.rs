//! Money in the browser, for owners and managers: the Billing page (a month's items with their
//! evidence and rule, what each client's habits cost, waive and adjust with a reason, manual
//! items, draft the invoice), the Invoices page, an invoice as a page (issue, PDF, credit
//! note), the accountant's CSV, and the habit costs on a client's page and the dashboard. The
//! rules are the desk's (`frontdesk_desk::billing`), as on the command line.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::billing::{BillingError, Item, Period, Unit, habit_costs, kind_name};
use frontdesk_core::invoice::{DocKind, Invoice};
use frontdesk_core::money::MoneyError;
use frontdesk_core::{Handle, Practice};
use frontdesk_desk::billing::{self, BillingFail};
use frontdesk_store::StoreError;
use maud::{Markup, html};
use serde::Deserialize;

use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;

/// A refusal in the reader's words.
pub fn error_words(t: T, e: &BillingError) -> String {
    use BillingError as E;
    let money_value = |m: &MoneyError| match m {
        MoneyError::UnknownCurrency(v)
        | MoneyError::NotAnAmount(v)
        | MoneyError::Negative(v)
        | MoneyError::TooLarge(v) => v.clone(),
        MoneyError::TooPrecise { amount, .. } => amount.clone(),
    };
    match e {
        E::BadPeriod(v) => t.args("billing-error-period", &[("value", v.clone())]),
        E::FuturePeriod { period, .. } => {
            t.args("billing-error-future", &[("period", period.clone())])
        }
        E::UnknownClient(v) => t.args("billing-error-client", &[("value", v.clone())]),
        E::NoBuyer(c) => t.args("billing-error-no-buyer", &[("client", c.clone())]),
        E::NoSeller => t.get("billing-error-no-seller"),
        E::Nothing { client, period } => t.args(
            "billing-error-nothing",
            &[("client", client.clone()), ("period", period.clone())],
        ),
        E::Money { field, source } => t.args(
            "billing-error-amount",
            &[
                ("field", t.get(&format!("billing-{field}"))),
                ("value", money_value(source)),
            ],
        ),
        E::NoReason => t.get("billing-error-reason"),
        E::Invoiced(id, n) => t.args(
            "billing-error-invoiced",
            &[("id", id.to_string()), ("number", n.clone())],
        ),
        E::NoDescription => t.get("billing-error-description"),
        E::BadQuantity(v) => t.args("billing-error-quantity", &[("value", v.clone())]),
        E::AlreadyIssued(_, n) => t.args("billing-error-issued", &[("number", n.clone())]),
        E::NotIssued(_) => t.get("billing-error-not-issued"),
        E::NoSuchLine { line, lines, .. } => t.args(
            "billing-error-line",
            &[("line", line.to_string()), ("lines", lines.to_string())],
        ),
        E::CreditTooLarge {
            invoice,
            amount,
            left,
        } => t.args(
            "billing-error-credit",
            &[
                ("invoice", invoice.clone()),
                ("amount", amount.clone()),
                ("left", left.clone()),
            ],
        ),
        E::AmountWithoutOneLine => t.get("billing-error-one-line"),
        E::CreditOfCredit(n) => t.args("billing-error-credit-of-credit", &[("number", n.clone())]),
        E::NotAllowed(_) => t.get("billing-error-not-allowed"),
    }
}

fn refused(t: T, e: BillingFail) -> Result<String, ApiError> {
    match e {
        BillingFail::Refused(e) => Ok(error_words(t, &e)),
        BillingFail::Store(StoreError::Refused(m)) => Ok(t.field_error(&m)),
        BillingFail::Store(e) => Err(e.into()),
    }
}

/// Only owners and managers see the money pages.
fn overseer(t: T, practice: &Practice, member: &Handle) -> Result<(), ApiError> {
    frontdesk_core::billing::may_bill(practice, member)
        .map_err(|e| ApiError::new(StatusCode::FORBIDDEN, "forbidden", error_words(t, &e)))
}

/// The habit costs of `items` in words: "4 × Calls beyond the allowance: €120.00".
pub fn costs_words(t: T, items: &[Item]) -> Vec<String> {
    habit_costs(items)
        .into_iter()
        .map(|(kind, n, total)| {
            let currency = items.iter().find(|i| i.kind == kind).map(|i| i.currency);
            t.args(
                "billing-costs-line",
                &[
                    ("count", n.to_string()),
                    ("kind", kind_name(kind, t.0)),
                    (
                        "amount",
                        currency.map_or(total.to_string(), |c| c.format(total, t.0)),
                    ),
                ],
            )
        })
        .collect()
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct BillingQuery {
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub client: Option<String>,
}

/// What the item forms hold.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub client: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub reason: String,
    /// Which button of an item's form: waive or adjust.
    #[serde(default)]
    pub act: String,
}

fn state_words(t: T, it: &Item, invoices: &[Invoice]) -> String {
    if let Some(n) = it.invoice {
        let number = invoices
            .iter()
            .find(|i| i.id == n)
            .and_then(|i| i.number.clone())
            .unwrap_or_else(|| n.to_string());
        return t.args("billing-state-invoiced", &[("number", number)]);
    }
    match &it.adjustment {
        None => t.get("billing-state-open"),
        Some(a) if a.amount.is_zero() => {
            t.args("billing-state-waived", &[("reason", a.reason.clone())])
        }
        Some(a) => t.args(
            "billing-state-adjusted",
            &[
                ("from", it.currency.format(it.amount, t.0)),
                ("reason", a.reason.clone()),
            ],
        ),
    }
}

/// The Billing page of a month, with an error and what was typed when a change was refused.
async fn render(
    state: &AppState,
    user: &PageUser,
    query: &BillingQuery,
    error: Option<String>,
    typed: &ItemForm,
) -> Result<Response, ApiError> {
    let t = user.t;
    let (s, now) = (state.clone(), state.now());
    let (pid, me) = (user.principal.practice, user.principal.member.clone());
    let q = query.clone();
    let loaded = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            overseer(t, &practice, &me)?;
            let period = match q.period.as_deref().filter(|p| !p.is_empty()) {
                None => Period::of(billing::today(&practice, now)),
                Some(p) => match Period::parse(p) {
                    Ok(p) => p,
                    Err(e) => return Ok((practice, None, Err(error_words(t, &e)))),
                },
            };
            let client = q
                .client
                .as_deref()
                .filter(|c| !c.is_empty())
                .and_then(|c| Handle::parse(c).ok());
            let items = match billing::items(store, pid, &practice, client.as_ref(), period, now) {
                Ok(items) => Ok(items),
                Err(e) => Err(refused(t, e)?),
            };
            let invoices = store.invoices(pid, None)?;
            Ok((practice, Some((period, client, invoices)), items))
        })
        .await?;
    let (practice, found, items) = loaded;
    let (error, items) = match items {
        Ok(items) => (error, items),
        Err(e) => (Some(e), Vec::new()),
    };
    let (period, client, invoices) =
        found.unwrap_or((Period::of(billing::today(&practice, now)), None, Vec::new()));
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let csrf = &user.principal.csrf;
    let period_text = period.to_string();
    let client_name = |h: &Handle| practice.client(h).map_or(h.to_string(), |c| c.name.clone());
    let mut clients: Vec<Handle> = items.iter().map(|i| i.client.clone()).collect();
    clients.sort();
    clients.dedup();
    let body = html! {
        h1 { (t.get("billing-title")) }
        p { (t.get("billing-help")) }
        form.inline method="get" action="/billing" {
            label for="billing-period" { (t.get("billing-period")) }
            input id="billing-period" name="period" type="month" value=(period_text);
            label for="billing-client" { (t.get("billing-client")) }
            select id="billing-client" name="client" {
                option value="" { (t.get("billing-all-clients")) }
                @for c in practice.clients() {
                    option value=(c.handle) selected[client.as_ref() == Some(&c.handle)] { (c.name) }
                }
            }
            button type="submit" { (t.get("billing-show")) }
        }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        @if items.is_empty() { p { (t.get("billing-empty")) } } @else {
            section.card id="habit-costs" {
                h2 { (t.get("billing-costs-title")) }
                @for c in &clients {
                    @let of: Vec<Item> = items.iter().filter(|i| i.client == *c).cloned().collect();
                    h3 { (client_name(c)) }
                    ul { @for line in costs_words(t, &of) { li { (line) } } }
                    form.inline method="post" action="/invoices" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="client" value=(c);
                        input type="hidden" name="period" value=(period_text);
                        button.primary type="submit" { (t.get("billing-draft")) }
                    }
                }
            }
            table id="items" {
                thead { tr {
                    th { (t.get("billing-col-date")) } th { (t.get("billing-client")) }
                    th { (t.get("billing-col-kind")) } th { (t.get("billing-col-what")) }
                    th { (t.get("billing-col-amount")) } th { (t.get("billing-col-state")) } th {}
                } }
                tbody { @for it in &items {
                    tr id={"item-" (it.id)} {
                        td { (t.day(it.date)) }
                        td { (client_name(&it.client)) }
                        td { (kind_name(it.kind, t.0)) }
                        td {
                            (frontdesk_core::billing::client_words(&practice, it))
                            @match &it.evidence {
                                frontdesk_core::billing::Evidence::Contact(n) => { " " a href={"/contacts/" (n)} { "#" (n) } }
                                frontdesk_core::billing::Evidence::Meeting(_) => { " " a href={"/agenda?from=" (it.date)} { (t.get("nav-agenda")) } }
                                frontdesk_core::billing::Evidence::Deliverable(_) => { " " a href="/deliverables" { (t.get("nav-deliverables")) } }
                                frontdesk_core::billing::Evidence::None => {}
                            }
                        }
                        td.number { (it.currency.format(it.billed(), t.0)) }
                        td { (state_words(t, it, &invoices)) }
                        td {
                            @if it.invoice.is_none() {
                                form.inline method="post" action={"/billing/items/" (it.id)} {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="period" value=(period_text);
                                    label for={"amount-" (it.id)} { (t.get("billing-amount")) }
                                    input id={"amount-" (it.id)} name="amount" size="8";
                                    label for={"reason-" (it.id)} { (t.get("billing-reason")) }
                                    input id={"reason-" (it.id)} name="reason" required;
                                    button type="submit" name="act" value="waive" { (t.get("billing-waive")) }
                                    button type="submit" name="act" value="adjust" { (t.get("billing-adjust")) }
                                }
                            }
                        }
                    }
                } }
            }
        }
        form.card method="post" action="/billing/items" {
            h2 { (t.get("billing-add-title")) }
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="period" value=(period_text);
            label for="add-client" { (t.get("billing-client")) }
            select id="add-client" name="client" {
                @for c in practice.clients() {
                    option value=(c.handle) selected[c.handle.as_str() == typed.client] { (c.name) }
                }
            }
            label for="add-description" { (t.get("billing-description")) }
            input id="add-description" name="description" required maxlength="500" value=(typed.description);
            label for="add-quantity" { (t.get("billing-quantity")) }
            input id="add-quantity" name="quantity" value=(if typed.quantity.is_empty() { "1" } else { typed.quantity.as_str() });
            label for="add-unit" { (t.get("billing-unit")) }
            select id="add-unit" name="unit" {
                @for u in ["piece", "hour", "day"] {
                    option value=(u) selected[u == typed.unit] { (t.get(&format!("billing-unit-{u}"))) }
                }
            }
            label for="add-price" { (t.get("billing-price")) }
            input id="add-price" name="price" value=(typed.price);
            label for="add-date" { (t.get("billing-date")) }
            input id="add-date" name="date" type="date" value=(typed.date);
            button.primary type="submit" { (t.get("billing-add")) }
        }
    };
    Ok((status, page(t, &t.get("billing-title"), Some(user), body)).into_response())
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<BillingQuery>,
) -> Result<Response, ApiError> {
    render(&state, &user, &q, None, &ItemForm::default()).await
}

fn back(period: &str) -> Response {
    Redirect::to(&format!("/billing?period={period}")).into_response()
}

/// Runs a billing change; a refusal shows the page again with it.
async fn change(
    state: &AppState,
    user: &PageUser,
    f: &ItemForm,
    run: impl FnOnce(&mut dyn frontdesk_store::Store, &Practice) -> Result<(), BillingFail>
    + Send
    + 'static,
) -> Result<Response, Response> {
    let t = user.t;
    let (pid, s) = (user.principal.practice, state.clone());
    let result = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            match run(store, &practice) {
                Ok(()) => Ok(None),
                Err(e) => Ok(Some(refused(t, e)?)),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    let query = BillingQuery {
        period: Some(f.period.clone()),
        client: None,
    };
    match result {
        None => Ok(back(&f.period)),
        Some(message) => render(state, user, &query, Some(message), f)
            .await
            .map_err(IntoResponse::into_response),
    }
}

async fn add(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<ItemForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let unit = match f.unit.as_str() {
        "hour" => Unit::Hour,
        "day" => Unit::Day,
        _ => Unit::Piece,
    };
    let (pid, by, now) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
    );
    let form = f.clone();
    change(&state, &user, &f, move |store, practice| {
        frontdesk_core::billing::may_bill(practice, &by)?;
        let client = Handle::parse(form.client.trim())
            .map_err(|_| BillingError::UnknownClient(form.client.clone()))?;
        let date = match form.date.trim() {
            "" => billing::today(practice, now),
            d => frontdesk_core::bounds::date(d)
                .map_err(|_| BillingError::BadPeriod(d.to_string()))?,
        };
        let price = Some(form.price.trim()).filter(|p| !p.is_empty());
        billing::add(
            store,
            pid,
            practice,
            &client,
            date,
            &form.description,
            form.quantity.trim(),
            unit,
            price,
            now,
        )
        .map(|_| ())
    })
    .await
}

async fn adjust(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ItemForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let (pid, by, now) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
    );
    let (amount, reason) = (
        (f.act == "adjust").then(|| f.amount.trim().to_string()),
        f.reason.clone(),
    );
    change(&state, &user, &f, move |store, practice| {
        billing::adjust(
            store,
            pid,
            practice,
            id,
            amount.as_deref(),
            &reason,
            &by,
            now,
        )
        .map(|_| ())
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
struct DraftForm {
    csrf: String,
    client: String,
    period: String,
}

async fn draft(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<DraftForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let (pid, by, now, s, t) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
        state.clone(),
        user.t,
    );
    let form = f.clone();
    let result = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            let mut run = || -> Result<Invoice, BillingFail> {
                frontdesk_core::billing::may_bill(&practice, &by)?;
                let client = Handle::parse(form.client.trim())
                    .map_err(|_| BillingError::UnknownClient(form.client.clone()))?;
                let period = Period::parse(&form.period)?;
                billing::draft(store, pid, &practice, &client, period, now)
            };
            match run() {
                Ok(d) => Ok(Ok(d.id)),
                Err(e) => Ok(Err(refused(t, e)?)),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/invoices/{id}")).into_response()),
        Err(message) => {
            let query = BillingQuery {
                period: Some(f.period.clone()),
                client: None,
            };
            render(&state, &user, &query, Some(message), &ItemForm::default())
                .await
                .map_err(IntoResponse::into_response)
        }
    }
}

async fn list(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    let t = user.t;
    let (s, pid, me) = (
        state.clone(),
        user.principal.practice,
        user.principal.member.clone(),
    );
    let (practice, invoices) = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            overseer(t, &practice, &me)?;
            let invoices = store.invoices(pid, None)?;
            Ok((practice, invoices))
        })
        .await?;
    let client_name = |h: &Handle| practice.client(h).map_or(h.to_string(), |c| c.name.clone());
    let body = html! {
        h1 { (t.get("invoices-title")) }
        p { (t.get("invoices-help")) }
        p { a href="/invoices.csv" download="invoices.csv" { (t.get("invoices-csv")) } }
        @if invoices.is_empty() { p { (t.get("invoices-empty")) } } @else {
            table id="invoices" {
                thead { tr {
                    th { (t.get("invoices-col-number")) } th { (t.get("invoices-col-client")) }
                    th { (t.get("invoices-col-date")) } th { (t.get("invoices-col-total")) }
                } }
                tbody { @for i in &invoices {
                    tr id={"invoice-" (i.id)} {
                        td {
                            a href={"/invoices/" (i.id)} {
                                (i.number.clone().unwrap_or_else(|| t.get("invoices-draft")))
                            }
                            @if i.kind == DocKind::Credit { " (" (t.get("invoices-credit")) ")" }
                        }
                        td { (client_name(&i.client)) }
                        td { (i.issued_on.map(|d| t.day(d)).unwrap_or_default()) }
                        td.number { (i.currency.format(i.totals.total, t.0)) }
                    }
                } }
            }
        }
    };
    Ok(page(t, &t.get("invoices-title"), Some(&user), body).into_response())
}

/// An invoice as a page: the document in the client's language, then what the reader may do.
async fn one(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let t = user.t;
    let (s, pid, me) = (
        state.clone(),
        user.principal.practice,
        user.principal.member.clone(),
    );
    let wanted = id.clone();
    let i = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            overseer(t, &practice, &me)?;
            billing::find(store, pid, &wanted).map_err(|e| match e {
                BillingFail::Store(StoreError::Refused(m)) => ApiError::not_found(m),
                e => crate::api::billing::fail(e),
            })
        })
        .await?;
    let csrf = &user.principal.csrf;
    let doc = billing::document(&i);
    let body = html! {
        article.invoice lang=(i.language.code()) {
            @for block in &doc.blocks {
                @match block {
                    frontdesk_pdf::Block::Title(x) => h1 { (x) },
                    frontdesk_pdf::Block::Heading(x) => h2 { (x) },
                    frontdesk_pdf::Block::Subheading(x) => h3 { (x) },
                    frontdesk_pdf::Block::Text(x) => p { @for (n, line) in x.lines().enumerate() { @if n > 0 { br; } (line) } },
                    frontdesk_pdf::Block::Check { done, text } => p { (if *done { "☑ " } else { "☐ " }) (text) },
                    frontdesk_pdf::Block::Table(table) => table {
                        @if table.columns.iter().any(|c| !c.title.is_empty()) {
                            thead { tr { @for c in &table.columns { th { (c.title) } } } }
                        }
                        tbody { @for row in &table.rows { tr { @for cell in row { td { (cell) } } } } }
                    },
                }
            }
        }
        p.downloads {
            a href={"/invoices/" (i.id) "/pdf"} { (t.get("invoice-pdf")) }
            @if i.issued() {
                " · " a href={"/invoices/" (i.id) "/facturx"} { "Factur-X" }
                " · " a href={"/invoices/" (i.id) "/ubl"} { "UBL (Peppol)" }
                " · " a href={"/invoices/" (i.id) "/cii"} { "CII" }
                @if i.seller.country == "IT" {
                    " · " a href={"/invoices/" (i.id) "/fatturapa"} { "FatturaPA" }
                }
            }
        }
        @if !i.issued() {
            form.card method="post" action={"/invoices/" (i.id) "/issue"} {
                p.hint { (t.get("invoice-issue-help")) }
                input type="hidden" name="csrf" value=(csrf);
                button.primary type="submit" { (t.get("invoice-issue")) }
            }
        } @else {
            form.inline method="post" action={"/invoices/" (i.id) "/send"} {
                input type="hidden" name="csrf" value=(csrf);
                button.primary type="submit" { (t.get("invoice-send")) }
            }
        }
        @if i.issued() && i.kind == DocKind::Invoice {
            form.card method="post" action={"/invoices/" (i.id) "/credit"} {
                h2 { (t.get("invoice-credit-title")) }
                input type="hidden" name="csrf" value=(csrf);
                label for="credit-lines" { (t.get("invoice-credit-lines")) }
                input id="credit-lines" name="lines";
                label for="credit-amount" { (t.get("invoice-credit-amount")) }
                input id="credit-amount" name="amount";
                label for="credit-reason" { (t.get("billing-reason")) }
                input id="credit-reason" name="reason" required;
                button type="submit" { (t.get("invoice-credit-button")) }
            }
        }
    };
    let title = doc.title.clone();
    Ok(page(t, &title, Some(&user), body).into_response())
}

async fn export(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, what)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let t = user.t;
    let (s, pid, me) = (
        state.clone(),
        user.principal.practice,
        user.principal.member.clone(),
    );
    state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            overseer(t, &practice, &me)?;
            let i = billing::find(store, pid, &id).map_err(crate::api::billing::fail)?;
            if what == "pdf" {
                pdf_response(&i)
            } else {
                export_response(&practice, &i, &what)
            }
        })
        .await
}

/// An issued invoice as an e-invoice file, as a response (the pages and the API): `facturx`
/// (PDF/A-3 with its XML), `ubl`, `cii` or `fatturapa`.
pub fn export_response(practice: &Practice, i: &Invoice, what: &str) -> Result<Response, ApiError> {
    let name = i
        .number
        .clone()
        .unwrap_or_else(|| format!("draft-{}", i.id));
    let refused =
        |e: billing::ExportFail| ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string());
    let (kind, file, bytes) = match what {
        "facturx" => (
            "application/pdf",
            format!("{name}.pdf"),
            billing::facturx(i).map_err(refused)?,
        ),
        other => {
            let format = billing::Format::parse(other)
                .ok_or_else(|| ApiError::not_found(format!("no format {other:?}")))?;
            (
                "application/xml",
                format!("{name}.{other}.xml"),
                billing::xml(practice, i, format)
                    .map_err(refused)?
                    .into_bytes(),
            )
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// An invoice printed, as a response (the pages and the API).
pub fn pdf_response(i: &Invoice) -> Result<Response, ApiError> {
    let bytes = billing::pdf(i).map_err(|e| ApiError::invalid(e.to_string()))?;
    let name = i
        .number
        .clone()
        .unwrap_or_else(|| format!("draft-{}", i.id));
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn csv(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    let t = user.t;
    let (s, pid, me) = (
        state.clone(),
        user.principal.practice,
        user.principal.member.clone(),
    );
    let csv = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            overseer(t, &practice, &me)?;
            Ok(billing::invoices_csv(&store.invoices(pid, None)?))
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"invoices.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Clone, Debug, Default, Deserialize)]
struct ActForm {
    csrf: String,
    #[serde(default)]
    lines: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

async fn act(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, what)): Path<(i64, String)>,
    Form(f): Form<ActForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let t = user.t;
    let (s, pid, by, now) = (
        state.clone(),
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
    );
    let lines: Result<Vec<usize>, String> = f
        .lines
        .split([',', ' '])
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.trim().parse::<usize>().map_err(|_| {
                t.args(
                    "billing-error-line",
                    &[("line", l.trim().to_string()), ("lines", "…".into())],
                )
            })
        })
        .collect();
    let result = match lines {
        Err(message) => Err(message),
        Ok(lines) => state
            .db(move |store| {
                let practice = s.practice(store, pid)?;
                let number = id.to_string();
                let r = match what.as_str() {
                    "issue" => billing::issue(store, pid, &practice, &number, &by, now),
                    "send" => billing::send(store, pid, &practice, &number, &by, now)
                        .and_then(|_| billing::find(store, pid, &number)),
                    "credit" => {
                        let amount = Some(f.amount.trim()).filter(|a| !a.is_empty());
                        billing::credit(
                            store, pid, &practice, &number, &lines, amount, &f.reason, &by, now,
                        )
                    }
                    _ => return Err(ApiError::not_found(format!("no action {what:?}"))),
                };
                match r {
                    Ok(i) => Ok(Ok(i.id)),
                    Err(e) => Ok(Err(refused(t, e)?)),
                }
            })
            .await
            .map_err(IntoResponse::into_response)?,
    };
    match result {
        Ok(shown) => Ok(Redirect::to(&format!("/invoices/{shown}")).into_response()),
        Err(message) => {
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).into_response())
        }
    }
}

/// The client page's section: what habits cost this month, and a chart of the last twelve
/// months. Only for owners and managers (empty otherwise).
pub fn client_section(t: T, months: &[(Period, Vec<Item>)]) -> Markup {
    let Some((_, this)) = months.last() else {
        return html! {};
    };
    let totals: Vec<(Period, f64, String)> = months
        .iter()
        .map(|(p, items)| {
            let sum: frontdesk_core::money::Decimal = items
                .iter()
                .filter(|i| i.kind.is_habit() && !i.waived())
                .map(Item::billed)
                .sum();
            let shown = items
                .first()
                .map_or(sum.to_string(), |i| i.currency.format(sum, t.0));
            (*p, sum.to_string().parse::<f64>().unwrap_or(0.0), shown)
        })
        .collect();
    let max = totals
        .iter()
        .map(|(_, v, _)| *v)
        .fold(0.0, f64::max)
        .max(1.0);
    let (w, h, bottom) = (640.0, 160.0, 24.0);
    let bar = w / totals.len().max(1) as f64;
    let scale = (h - bottom - 10.0) / max;
    html! {
        section.card id="habit-costs" {
            h2 { (t.get("client-habits-title")) }
            @let lines = costs_words(t, this);
            @if lines.is_empty() { p { (t.get("client-habits-none")) } } @else {
                ul { @for l in lines { li { (l) } } }
            }
            figure.chart {
                figcaption { (t.get("client-habits-chart")) }
                svg viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(t.get("client-habits-chart")) width="100%" {
                    @for (i, (p, v, shown)) in totals.iter().enumerate() {
                        @let x = i as f64 * bar + 4.0;
                        @let hv = v * scale;
                        rect x=(x) y=(h - bottom - hv) width=(bar - 8.0) height=(hv) fill="#c0392b" {
                            title { (p) ": " (shown) }
                        }
                        text x=(x) y=(h - 8.0) font-size="10" { (format!("{:02}/{}", p.month, p.year % 100)) }
                    }
                }
            }
        }
    }
}

/// The dashboard's section: what habits earned this month, per client.
pub fn dashboard_section(t: T, practice: &Practice, items: &[Item]) -> Markup {
    let mut clients: Vec<Handle> = items
        .iter()
        .filter(|i| i.kind.is_habit())
        .map(|i| i.client.clone())
        .collect();
    clients.sort();
    clients.dedup();
    html! {
        section.card id="habit-earnings" {
            h2 { (t.get("dash-habits-title")) }
            @if clients.is_empty() { p { (t.get("client-habits-none")) } } @else {
                table { tbody { @for c in &clients {
                    @let of: Vec<Item> = items.iter().filter(|i| i.client == *c).cloned().collect();
                    tr {
                        td { (practice.client(c).map_or(c.to_string(), |x| x.name.clone())) }
                        td { (costs_words(t, &of).join("; ")) }
                    }
                } } }
            }
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/billing", get(show))
        .route("/billing/items", post(add))
        .route("/billing/items/{id}", post(adjust))
        .route("/invoices", get(list).post(draft))
        .route("/invoices.csv", get(csv))
        .route("/invoices/{id}", get(one))
        .route("/invoices/{id}/{what}", get(export).post(act))
}
