//! Money over the API: billable items, waivers and adjustments, invoices drafted, issued,
//! credited, as JSON, PDF and CSV — the same desk use-cases as the command line and the pages
//! (`frontdesk_desk::billing`). Reading is for owners and managers, like issuing.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdesk_core::billing::{BillingError, Period, Unit};
use frontdesk_core::invoice::Invoice;
use frontdesk_core::{Handle, Practice};
use frontdesk_desk::billing::{self, BillingFail};
use frontdesk_store::StoreError;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

use frontdesk_desk::contract::item_json;

pub(crate) fn fail(e: BillingFail) -> ApiError {
    match e {
        BillingFail::Refused(
            e @ (BillingError::AlreadyIssued(..)
            | BillingError::Invoiced(..)
            | BillingError::CreditTooLarge { .. }
            | BillingError::Nothing { .. }),
        ) => ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string()),
        BillingFail::Refused(e @ BillingError::NotAllowed(_)) => {
            ApiError::new(StatusCode::FORBIDDEN, "forbidden", e.to_string())
        }
        BillingFail::Refused(e) => ApiError::invalid(e.to_string()),
        BillingFail::Store(StoreError::Refused(m)) if m.contains("no such") => {
            ApiError::not_found(m)
        }
        BillingFail::Store(StoreError::Refused(m)) => {
            ApiError::new(StatusCode::CONFLICT, "conflict", m)
        }
        BillingFail::Store(e) => e.into(),
    }
}

/// Only owners and managers see what is billed.
fn overseer(practice: &Practice, member: &Handle) -> Result<(), ApiError> {
    frontdesk_core::billing::may_bill(practice, member).map_err(|e| fail(e.into()))
}

fn period(
    value: Option<&str>,
    practice: &Practice,
    now: jiff::Timestamp,
) -> Result<Period, ApiError> {
    match value {
        None => Ok(Period::of(billing::today(practice, now))),
        Some(p) => Period::parse(p).map_err(|e| ApiError::invalid(e.to_string())),
    }
}

fn handle(field: &str, value: &str) -> Result<Handle, ApiError> {
    Handle::parse(value).map_err(|e| ApiError::invalid(format!("{field}: {e}")))
}

/// Which items: a month (YYYY-MM, default this one) and a client.
#[derive(Clone, Debug, Default, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct ItemsQuery {
    pub client: Option<String>,
    pub period: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/billing/items", params(ItemsQuery),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_items(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ItemsQuery>,
) -> Result<Json<Value>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            overseer(&practice, &user.member)?;
            let client = q
                .client
                .as_deref()
                .map(|c| handle("client", c))
                .transpose()?;
            let period = period(q.period.as_deref(), &practice, now)?;
            let items = billing::items(
                store,
                user.practice,
                &practice,
                client.as_ref(),
                period,
                now,
            )
            .map_err(fail)?;
            let list: Vec<Value> = items.iter().map(|i| item_json(&practice, i)).collect();
            Ok(Json(json!({"period": period.to_string(), "items": list})))
        })
        .await
}

/// An item written by hand.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct ItemWrite {
    pub client: String,
    pub description: String,
    /// How many (default 1).
    #[serde(default)]
    pub quantity: Option<String>,
    /// hour, day or piece (default).
    #[serde(default)]
    pub unit: Option<String>,
    /// The price of one in the client's currency; hours and days default to the client's rates.
    #[serde(default)]
    pub price: Option<String>,
    /// YYYY-MM-DD (default today).
    #[serde(default)]
    pub date: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/billing/items", request_body = ItemWrite,
    responses((status = 201, body = Object), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_add_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<ItemWrite>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let client = handle("client", &body.client)?;
    let unit = match body.unit.as_deref() {
        None | Some("piece") => Unit::Piece,
        Some("hour") => Unit::Hour,
        Some("day") => Unit::Day,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "unit: {other:?}: use hour, day or piece"
            )));
        }
    };
    let date = body
        .date
        .as_deref()
        .map(|d| {
            frontdesk_core::bounds::date(d).map_err(|e| ApiError::invalid(format!("date: {e}")))
        })
        .transpose()?;
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            overseer(&practice, &user.member)?;
            let date = date.unwrap_or_else(|| billing::today(&practice, now));
            let it = billing::add(
                store,
                user.practice,
                &practice,
                &client,
                date,
                &body.description,
                body.quantity.as_deref().unwrap_or("1"),
                unit,
                body.price.as_deref(),
                now,
            )
            .map_err(fail)?;
            Ok((StatusCode::CREATED, Json(item_json(&practice, &it))))
        })
        .await
}

/// A waiver (no amount) or an adjustment, with its reason.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct AdjustWrite {
    pub reason: String,
    #[serde(default)]
    pub amount: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/billing/items/{id}/adjust",
    params(("id" = i64, Path, description = "The item's number")),
    request_body = AdjustWrite,
    responses((status = 200, body = Object), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_adjust_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AdjustWrite>,
) -> Result<Json<Value>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let it = billing::adjust(
                store,
                user.practice,
                &practice,
                id,
                body.amount.as_deref(),
                &body.reason,
                &user.member,
                now,
            )
            .map_err(fail)?;
            Ok(Json(item_json(&practice, &it)))
        })
        .await
}

#[utoipa::path(get, path = "/api/v1/invoices",
    responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_invoices(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<Invoice>>, ApiError> {
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            overseer(&practice, &user.member)?;
            Ok(Json(store.invoices(user.practice, None)?))
        })
        .await
}

/// A draft to make: a client's invoice for a month (YYYY-MM, default this one).
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct DraftWrite {
    pub client: String,
    #[serde(default)]
    pub period: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/invoices", request_body = DraftWrite,
    responses((status = 201, body = Object), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_draft(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<DraftWrite>,
) -> Result<(StatusCode, Json<Invoice>), ApiError> {
    let client = handle("client", &body.client)?;
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            overseer(&practice, &user.member)?;
            let period = period(body.period.as_deref(), &practice, now)?;
            let d = billing::draft(store, user.practice, &practice, &client, period, now)
                .map_err(fail)?;
            Ok((StatusCode::CREATED, Json(d)))
        })
        .await
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}",
    params(("id" = String, Path, description = "The invoice's number, or its id; with .pdf the invoice printed, .facturx.pdf as Factur-X, .ubl.xml as UBL (Peppol BIS 3.0), .cii.xml as CII, .fatturapa.xml as FatturaPA")),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "A draft, or an invoice that lacks what the format requires", body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_invoice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            overseer(&practice, &user.member)?;
            // `NUMBER.facturx.pdf`, `.ubl.xml`, `.cii.xml`, `.fatturapa.xml`: the e-invoices.
            for (suffix, what) in [
                (".facturx.pdf", "facturx"),
                (".ubl.xml", "ubl"),
                (".cii.xml", "cii"),
                (".fatturapa.xml", "fatturapa"),
            ] {
                if let Some(number) = id.strip_suffix(suffix) {
                    let i = billing::find(store, user.practice, number).map_err(fail)?;
                    return crate::billing_page::export_response(&practice, &i, what);
                }
            }
            // `NUMBER.pdf` is the invoice printed.
            if let Some(number) = id.strip_suffix(".pdf") {
                let i = billing::find(store, user.practice, number).map_err(fail)?;
                return crate::billing_page::pdf_response(&i);
            }
            let i = billing::find(store, user.practice, &id).map_err(fail)?;
            Ok(Json(i).into_response())
        })
        .await
}

/// A credit note to draft: whole lines (all when none), or an amount of one line.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct CreditWrite {
    pub reason: String,
    #[serde(default)]
    pub lines: Vec<usize>,
    #[serde(default)]
    pub amount: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/invoices/{id}/{act}",
    params(("id" = String, Path, description = "The invoice's number, or its id"),
           ("act" = String, Path, description = "issue (a draft), credit (an issued invoice: drafts a credit note) or send (an issued document, by e-mail through the outbox with its PDF)")),
    request_body = CreditWrite,
    responses((status = 200, body = Object), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_invoice_act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, act)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Json<Invoice>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    if act == "send" {
        return state
            .db(move |store| {
                let practice = s.practice(store, user.practice)?;
                billing::send(store, user.practice, &practice, &id, &user.member, now)
                    .map_err(fail)?;
                Ok(Json(
                    billing::find(store, user.practice, &id).map_err(fail)?,
                ))
            })
            .await;
    }
    let credit = match act.as_str() {
        "issue" => None,
        "credit" => Some(
            serde_json::from_slice::<CreditWrite>(&body)
                .map_err(|e| ApiError::invalid(format!("body: {e}")))?,
        ),
        _ => return Err(ApiError::not_found(format!("no action {act:?}"))),
    };
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let i = match &credit {
                None => billing::issue(store, user.practice, &practice, &id, &user.member, now),
                Some(c) => billing::credit(
                    store,
                    user.practice,
                    &practice,
                    &id,
                    &c.lines,
                    c.amount.as_deref(),
                    &c.reason,
                    &user.member,
                    now,
                ),
            }
            .map_err(fail)?;
            Ok(Json(i))
        })
        .await
}

#[utoipa::path(get, path = "/api/v1/invoices.csv",
    responses((status = 200, description = "The issued invoices and credit notes, RFC 4180", content_type = "text/csv"),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_invoices_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Response, ApiError> {
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            overseer(&practice, &user.member)?;
            let csv = billing::invoices_csv(&store.invoices(user.practice, None)?);
            Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
        })
        .await
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api_items,
        api_add_item,
        api_adjust_item,
        api_invoices,
        api_draft,
        api_invoice,
        api_invoice_act,
        api_invoices_csv
    ),
    components(schemas(ItemsQuery, ItemWrite, AdjustWrite, DraftWrite, CreditWrite))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/billing/items", get(api_items).post(api_add_item))
        .route("/api/v1/billing/items/{id}/adjust", post(api_adjust_item))
        .route("/api/v1/invoices", get(api_invoices).post(api_draft))
        .route("/api/v1/invoices.csv", get(api_invoices_csv))
        .route("/api/v1/invoices/{id}", get(api_invoice))
        .route("/api/v1/invoices/{id}/{act}", post(api_invoice_act))
}
