//! Invoices and credit notes: a draft collects a client's open items, issuing gives it the next
//! number of the practice's gapless series and freezes it, a credit note corrects an issued one.
//! Totals in exact decimals, rounded as EN 16931 does: each line to the currency's minor unit,
//! then the VAT of each rate on the sum of its lines.
//!
//! Every issued document carries the hash of the one issued before it (SHA-256 over the
//! previous hash and the record's number, date, parties' tax IDs, total and currency), so
//! the series is a chain a register such as Spain's VERI*FACTU can be built on.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::billing::{BillingError, Item, Kind, Party, Period, Seller, Unit, Vat, describe};
use crate::deliverable::handle_text;
use crate::money::{Currency, Decimal};
use crate::{Handle, Language, Practice};

/// An invoice or a credit note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Invoice,
    Credit,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Invoice => "invoice",
            DocKind::Credit => "credit",
        }
    }
}

/// One line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub kind: Kind,
    /// In the client's language, frozen when issued.
    pub description: String,
    pub quantity: Decimal,
    pub unit: Unit,
    pub unit_price: Decimal,
    /// Quantity × price, rounded to the currency (or the adjusted amount).
    pub net: Decimal,
    pub vat: Vat,
    /// The items it bills.
    pub items: Vec<i64>,
    /// In a credit note: the line of the credited invoice it corrects (from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<usize>,
}

/// The VAT of one rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatTotal {
    pub vat: Vat,
    /// The sum of its lines.
    pub base: Decimal,
    pub amount: Decimal,
}

/// What a document adds up to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub net: Decimal,
    pub vat: Vec<VatTotal>,
    pub vat_total: Decimal,
    pub total: Decimal,
}

/// The invoice a credit note corrects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corrects {
    pub id: i64,
    pub number: String,
    pub issued_on: Date,
}

/// An invoice or a credit note, draft or issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: i64,
    #[serde(with = "handle_text")]
    pub client: Handle,
    pub kind: DocKind,
    /// Given when issued.
    pub number: Option<String>,
    /// Its place in the series (the year's, when the series restarts yearly).
    pub sequence: Option<u32>,
    pub period: Option<Period>,
    pub issued_on: Option<Date>,
    pub due_on: Option<Date>,
    pub currency: Currency,
    pub language: Language,
    pub seller: Party,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub buyer: Party,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// The VAT notes (exemption, reverse charge).
    pub notes: Vec<String>,
    pub corrects: Option<Corrects>,
    pub reason: Option<String>,
    /// The issued chain: this record's hash and the one before it.
    pub hash: Option<String>,
    pub previous_hash: Option<String>,
    pub created_at: Timestamp,
}

impl Invoice {
    pub fn issued(&self) -> bool {
        self.number.is_some()
    }
}

/// An invoice's word `id` in `language` (`invoice-total`, `invoice-pay`…).
pub fn word(language: Language, id: &str, args: &[(&str, String)]) -> String {
    crate::reply::message(language, id, args)
}

/// A date as a reader of `language` writes it on an invoice, with its year: "Tuesday 5
/// January 2027", "martes 5 de enero de 2027".
pub fn date_words(language: Language, date: Date) -> String {
    let year = date.year();
    let day = crate::reply::date(language, date);
    match language {
        Language::Es => format!("{day} de {year}"),
        Language::Ru => format!("{day} {year} г."),
        _ => format!("{day} {year}"),
    }
}

/// The totals of `lines` in `currency`: per VAT rate, the sum of its line nets and the VAT on
/// it rounded once.
pub fn totals(lines: &[Line], currency: Currency) -> Totals {
    let mut vat: Vec<VatTotal> = Vec::new();
    for l in lines {
        match vat.iter_mut().find(|v| v.vat == l.vat) {
            Some(v) => v.base += l.net,
            None => vat.push(VatTotal {
                vat: l.vat.clone(),
                base: l.net,
                amount: Decimal::ZERO,
            }),
        }
    }
    for v in &mut vat {
        v.base = currency.round(v.base);
        v.amount = currency.round(v.base * v.vat.percent() / Decimal::from(100));
    }
    let net = currency.round(lines.iter().map(|l| l.net).sum());
    let vat_total = currency.round(vat.iter().map(|v| v.amount).sum());
    Totals {
        net,
        vat,
        vat_total,
        total: currency.round(net + vat_total),
    }
}

/// The lines of `items` in `language`, grouped by habit (time first, then each habit, then
/// other work), oldest first; a deliverable's holding days at one price make one line. Waived
/// items are left out; an adjusted item is one line of its adjusted amount.
pub fn lines(items: &[Item], language: Language, zone: &crate::Zone) -> Vec<Line> {
    use crate::reply::{date, message};
    let mut sorted: Vec<&Item> = items.iter().filter(|i| !i.waived()).collect();
    sorted.sort_by_key(|i| (i.kind, i.at, i.id));
    let mut out: Vec<Line> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let it = sorted[i];
        if it.kind == Kind::Holding && it.adjustment.is_none() {
            let mut group = vec![it];
            while let Some(next) = sorted.get(i + group.len()) {
                if next.kind == Kind::Holding
                    && next.adjustment.is_none()
                    && next.evidence == it.evidence
                    && next.unit_price == it.unit_price
                    && next.vat == it.vat
                {
                    group.push(next);
                } else {
                    break;
                }
            }
            let days = group.len();
            let last = group[days - 1];
            let description = format!(
                "{} — {}",
                message(
                    language,
                    "bill-holding",
                    &[
                        ("deliverable", it.rule.subject.clone().unwrap_or_default()),
                        ("days", days.to_string()),
                        ("from", date(language, it.date)),
                        ("until", date(language, last.date)),
                    ],
                ),
                crate::billing::terms_words(it, language)
            );
            let quantity = Decimal::from(days as u64);
            out.push(Line {
                kind: Kind::Holding,
                description,
                quantity,
                unit: Unit::Day,
                unit_price: it.unit_price,
                net: it.currency.round(quantity * it.unit_price),
                vat: it.vat.clone(),
                items: group.iter().map(|g| g.id).collect(),
                corrects: None,
            });
            i += days;
            continue;
        }
        let description = describe(it, language, zone);
        let line = match &it.adjustment {
            Some(a) => Line {
                kind: it.kind,
                description,
                quantity: Decimal::ONE,
                unit: Unit::Piece,
                unit_price: a.amount,
                net: a.amount,
                vat: it.vat.clone(),
                items: vec![it.id],
                corrects: None,
            },
            None => Line {
                kind: it.kind,
                description,
                quantity: it.quantity,
                unit: it.unit,
                unit_price: it.unit_price,
                net: it.amount,
                vat: it.vat.clone(),
                items: vec![it.id],
                corrects: None,
            },
        };
        out.push(line);
        i += 1;
    }
    out
}

fn notes(lines: &[Line]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        if let Some(n) = l.vat.note()
            && !out.iter().any(|o| o == n)
        {
            out.push(n.to_string());
        }
    }
    out
}

/// The parties of an invoice to `client`: the practice's identity and the client's, refused
/// when either is missing.
fn parties<'a>(
    practice: &'a Practice,
    client: &Handle,
) -> Result<(&'a Seller, &'a crate::Client, &'a Party), BillingError> {
    let c = practice
        .client(client)
        .ok_or_else(|| BillingError::UnknownClient(client.to_string()))?;
    let seller = practice
        .settings()
        .billing
        .as_ref()
        .ok_or(BillingError::NoSeller)?;
    let buyer = c
        .legal
        .as_ref()
        .ok_or_else(|| BillingError::NoBuyer(client.to_string()))?;
    Ok((seller, c, buyer))
}

/// A draft invoice to `client` for `period` of `items` (the client's open items up to the
/// period's end): refused without the parties' identities or anything to bill.
pub fn draft(
    practice: &Practice,
    client: &Handle,
    period: Period,
    items: &[Item],
    now: Timestamp,
) -> Result<Invoice, BillingError> {
    let (seller, c, buyer) = parties(practice, client)?;
    let currency = crate::billing::currency(practice, &c.terms.money);
    let ls = lines(
        &items
            .iter()
            .filter(|i| i.currency == currency)
            .cloned()
            .collect::<Vec<_>>(),
        c.language,
        &c.zone,
    );
    if ls.is_empty() {
        return Err(BillingError::Nothing {
            client: client.to_string(),
            period: period.to_string(),
        });
    }
    Ok(Invoice {
        id: 0,
        client: client.clone(),
        kind: DocKind::Invoice,
        number: None,
        sequence: None,
        period: Some(period),
        issued_on: None,
        due_on: None,
        currency,
        language: c.language,
        seller: seller.party.clone(),
        iban: seller.iban.clone(),
        bic: seller.bic.clone(),
        buyer: buyer.clone(),
        totals: totals(&ls, currency),
        notes: notes(&ls),
        lines: ls,
        corrects: None,
        reason: None,
        hash: None,
        previous_hash: None,
        created_at: now,
    })
}

/// The number of the `sequence`th document of `year`: "INV-2026-0007", or "INV-0007" when the
/// series does not restart yearly.
pub fn number(seller: &Seller, year: i16, sequence: u32) -> String {
    if seller.yearly_reset {
        format!("{}{year}-{sequence:04}", seller.prefix)
    } else {
        format!("{}{sequence:04}", seller.prefix)
    }
}

/// The year whose series a document issued on `date` takes its number from (0 when the
/// series does not restart).
pub fn series_year(seller: &Seller, date: Date) -> i16 {
    if seller.yearly_reset { date.year() } else { 0 }
}

/// `draft` issued on `today` as the `sequence`th of its series, after the document whose hash
/// is `previous_hash`: numbered, due after the client's payment days, chained. Refused when it
/// is issued already.
pub fn issue(
    practice: &Practice,
    draft: &Invoice,
    sequence: u32,
    previous_hash: Option<&str>,
    today: Date,
) -> Result<Invoice, BillingError> {
    if let Some(n) = &draft.number {
        return Err(BillingError::AlreadyIssued(draft.id, n.clone()));
    }
    let seller = practice
        .settings()
        .billing
        .as_ref()
        .ok_or(BillingError::NoSeller)?;
    let days = practice
        .client(&draft.client)
        .map_or(crate::billing::DEFAULT_PAYMENT_DAYS, |c| {
            c.terms.money.payment_days
        });
    let mut out = draft.clone();
    let number = number(seller, today.year(), sequence);
    out.number = Some(number);
    out.sequence = Some(sequence);
    out.issued_on = Some(today);
    // A credit note is not paid by the client: it has no due date.
    out.due_on = (draft.kind == DocKind::Invoice).then(|| {
        today
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .unwrap_or(today)
    });
    out.previous_hash = previous_hash.map(str::to_string);
    out.hash = Some(chain_hash(&out));
    Ok(out)
}

/// The record's hash in the issued chain.
pub fn chain_hash(i: &Invoice) -> String {
    let mut h = Sha256::new();
    let record = format!(
        "{}|{}|{}|{}|{}|{}|{}|{}",
        i.previous_hash.as_deref().unwrap_or(""),
        i.kind.as_str(),
        i.number.as_deref().unwrap_or(""),
        i.issued_on.map(|d| d.to_string()).unwrap_or_default(),
        i.seller.tax_id.as_deref().unwrap_or(""),
        i.buyer.tax_id.as_deref().unwrap_or(""),
        i.currency.plain(i.totals.total),
        i.currency.code(),
    );
    h.update(record.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What is left to credit on each line of `invoice` after the credit notes `credits`.
pub fn left_to_credit(invoice: &Invoice, credits: &[Invoice]) -> Vec<Decimal> {
    invoice
        .lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let credited: Decimal = credits
                .iter()
                .flat_map(|c| &c.lines)
                .filter(|c| c.corrects == Some(n + 1))
                .map(|c| c.net)
                .sum();
            l.net - credited
        })
        .collect()
}

/// A draft credit note correcting `invoice` (issued) for `reason`: the lines named (from 1;
/// all when none) in full, or `amount` of the one line named. Refused for more than is left to
/// credit after `credits` (the credit notes issued for it before).
pub fn credit(
    invoice: &Invoice,
    credits: &[Invoice],
    chosen: &[usize],
    amount: Option<&str>,
    reason: &str,
    now: Timestamp,
) -> Result<Invoice, BillingError> {
    let (Some(number), Some(issued_on)) = (&invoice.number, invoice.issued_on) else {
        return Err(BillingError::NotIssued(invoice.id.to_string()));
    };
    if invoice.kind == DocKind::Credit {
        return Err(BillingError::CreditOfCredit(number.clone()));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(BillingError::NoReason);
    }
    let left = left_to_credit(invoice, credits);
    let chosen: Vec<usize> = if chosen.is_empty() {
        (1..=invoice.lines.len()).collect()
    } else {
        chosen.to_vec()
    };
    for &n in &chosen {
        if n == 0 || n > invoice.lines.len() {
            return Err(BillingError::NoSuchLine {
                invoice: number.clone(),
                line: n,
                lines: invoice.lines.len(),
            });
        }
    }
    let c = invoice.currency;
    let too_large = |asked: Decimal, left: Decimal| BillingError::CreditTooLarge {
        invoice: number.clone(),
        amount: c.plain(asked),
        left: c.plain(left),
    };
    let mut out_lines = Vec::new();
    match amount {
        Some(a) => {
            let [n] = chosen.as_slice() else {
                return Err(BillingError::AmountWithoutOneLine);
            };
            let a = c.amount(a).map_err(|source| BillingError::Money {
                field: "amount".into(),
                source,
            })?;
            if a.is_zero() || a > left[n - 1] {
                return Err(too_large(a, left[n - 1]));
            }
            let l = &invoice.lines[n - 1];
            out_lines.push(Line {
                quantity: Decimal::ONE,
                unit: Unit::Piece,
                unit_price: a,
                net: a,
                corrects: Some(*n),
                ..l.clone()
            });
        }
        None => {
            for &n in &chosen {
                let l = &invoice.lines[n - 1];
                if left[n - 1] != l.net {
                    return Err(too_large(l.net, left[n - 1]));
                }
                out_lines.push(Line {
                    corrects: Some(n),
                    ..l.clone()
                });
            }
        }
    }
    Ok(Invoice {
        id: 0,
        kind: DocKind::Credit,
        number: None,
        sequence: None,
        issued_on: None,
        due_on: None,
        totals: totals(&out_lines, c),
        notes: notes(&out_lines),
        lines: out_lines,
        corrects: Some(Corrects {
            id: invoice.id,
            number: number.clone(),
            issued_on,
        }),
        reason: Some(reason.to_string()),
        hash: None,
        previous_hash: None,
        created_at: now,
        ..invoice.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn line(net: &str, vat: Vat) -> Line {
        Line {
            kind: Kind::Manual,
            description: String::new(),
            quantity: Decimal::ONE,
            unit: Unit::Piece,
            unit_price: d(net),
            net: d(net),
            vat,
            items: vec![],
            corrects: None,
        }
    }

    #[test]
    fn vat_is_rounded_once_per_rate_on_the_sum_of_its_lines() {
        let eur = Currency::parse("EUR").unwrap();
        // Three lines at 21 %: 0.05 each would round to 0.01 a line (0.03); on the sum of
        // 0.15 it is 0.0315 → 0.03; at 10.01 × 3 = 30.03 → 6.3063 → 6.31.
        let t = totals(
            &[
                line("10.01", Vat::Rate(d("21"))),
                line("10.01", Vat::Rate(d("21"))),
                line("10.01", Vat::Rate(d("21"))),
                line("50.00", Vat::Rate(d("9"))),
            ],
            eur,
        );
        assert_eq!(t.net, d("80.03"));
        assert_eq!(t.vat.len(), 2);
        assert_eq!(t.vat[0].amount, d("6.31"));
        assert_eq!(t.vat[1].amount, d("4.50"));
        assert_eq!(t.vat_total, d("10.81"));
        assert_eq!(t.total, d("90.84"));
    }

    #[test]
    fn numbers_follow_the_series() {
        let seller = Seller {
            party: Party {
                name: "P".into(),
                address: vec![],
                country: "NL".into(),
                tax_id: None,
                email: None,
                city: None,
                postcode: None,
                province: None,
                sdi_code: None,
            },
            iban: None,
            bic: None,
            prefix: "F-".into(),
            yearly_reset: true,
            tax_regime: "RF01".into(),
        };
        assert_eq!(number(&seller, 2026, 7), "F-2026-0007");
        let flat = Seller {
            yearly_reset: false,
            ..seller
        };
        assert_eq!(number(&flat, 2026, 12), "F-0012");
    }
}
