//! Money through the real binary, clock pinned (stories S1 and S4): what a client's habits
//! cost — time, out-of-hours work with its surcharge and call-out fee, a no-show, a late
//! cancellation, a call over the allowance, days on hold — derived with the rule in words,
//! waived or adjusted with a reason, invoiced in a gapless series with exact decimal totals
//! (EUR, USD, JPY, computed by hand below), corrected by credit notes, printed and exported.

mod common;

use common::Desk;
use serde_json::Value;

const PRACTICE: &str = r#"
[practice]
name = "Ruiz Consulting"
currency = "EUR"
language = "en"

[billing]
name = "Ruiz Consulting SL"
address = ["Calle Mayor 1", "28013 Madrid"]
country = "ES"
tax_id = "ESB12345678"
iban = "ES91 2100 0418 4502 0005 1332"
invoice_prefix = "RC-"

[[members]]
handle = "ana"
name = "Ana Ruiz"
email = "ana@ruiz.example"
role = "owner"
time_zone = "Europe/Madrid"
hours.mon = ["09:00-17:00"]
hours.tue = ["09:00-17:00"]
hours.wed = ["09:00-17:00"]
hours.thu = ["09:00-17:00"]
hours.fri = ["09:00-17:00"]

[[members]]
handle = "pedro"
name = "Pedro Sanz"
email = "pedro@ruiz.example"
role = "member"
time_zone = "Europe/Madrid"
hours.mon = ["09:00-17:00"]

[[clients]]
handle = "acme"
name = "ACME Foundation"
owner = "ana"
language = "es"
time_zone = "Europe/Madrid"
legal = { name = "ACME Foundation", address = ["Gran Vía 2", "28013 Madrid"], country = "ES", tax_id = "ESG87654321" }
[clients.terms]
adhoc_calls_per_week = 1
urgent_out_of_hours = true
after_hours_surcharge_pct = 50
money = { hourly_rate = "120.00", call_out_fee = "75.00", no_show_fee = "90.00", late_cancellation_fee = "meeting", over_quota_call_fee = "30.00", holding_rate_per_day = "40.00", minimum_minutes = 30, rounding_minutes = 15, vat = "21", payment_days = 14, since = "2026-11-01" }
[[clients.people]]
name = "Marcos Gil"
email = "marcos@acme.example"
phone = "+34600111222"

[[clients]]
handle = "bolt"
name = "Bolt Labs"
owner = "ana"
language = "en"
time_zone = "America/New_York"
legal = { name = "Bolt Labs Inc.", address = ["1 Main St", "Boston, MA 02108"], country = "US" }
[clients.terms]
money = { currency = "USD", hourly_rate = "150.00", no_show_fee = "meeting", vat = "exempt", vat_note = "Services to a business outside the EU: not subject to Spanish VAT (art. 69 Ley 37/1992)" }

[[clients]]
handle = "kumo"
name = "Kumo KK"
owner = "ana"
language = "en"
time_zone = "Asia/Tokyo"
legal = { name = "Kumo KK", address = ["1-1 Marunouchi", "Tokyo"], country = "JP" }
[clients.terms]
money = { currency = "JPY", hourly_rate = "15001", no_show_fee = "8000", rounding_minutes = 10, vat = "10" }

[[clients]]
handle = "nolegal"
name = "No Legal"
owner = "ana"
[clients.terms]
money = { hourly_rate = "100.00" }
"#;

fn desk() -> Desk {
    let desk = Desk::new();
    let file = desk.dir.path().join("money.toml");
    std::fs::write(&file, PRACTICE).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    desk
}

fn meeting(desk: &Desk, client: &str, start: &str, minutes: &str) -> String {
    let m = desk.json(&[
        "meeting",
        "add",
        "--client",
        client,
        "--start",
        start,
        "--minutes",
        minutes,
    ]);
    m[0]["id"].as_str().unwrap().to_string()
}

fn mark(desk: &Desk, id: &str, status: &str, at: &str, minutes: Option<&str>) {
    let mut args = vec!["meeting", "mark", id, status, "--at", at];
    if let Some(m) = minutes {
        args.extend(["--minutes", m]);
    }
    desk.ok(&args);
}

fn reply(desk: &Desk, contact: &Value, at: &str, minutes: Option<&str>) {
    let id = contact["id"].to_string();
    let mut args = vec!["reply", id.as_str(), "--at", at];
    if let Some(m) = minutes {
        args.extend(["--minutes", m]);
    }
    desk.ok(&args);
}

const AT: &str = "2027-01-05T10:00:00+01:00";

/// `args` done by Ana, the owner, at [`AT`].
fn as_ana<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--as", "ana", "--at", AT]);
    all
}

/// (kind, billed) of a client's December items.
fn items(desk: &Desk, client: &str) -> Vec<(String, String)> {
    let v = desk.json(&[
        "billing", "items", "--client", client, "--period", "2026-12", "--at", AT,
    ]);
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["billed"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn item_id(desk: &Desk, client: &str, kind: &str) -> String {
    item_of(desk, client, kind, "2026-12")
}

fn item_of(desk: &Desk, client: &str, kind: &str, period: &str) -> String {
    let v = desk.json(&[
        "billing", "items", "--client", client, "--period", period, "--at", AT,
    ]);
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} item: {v}"))["id"]
        .to_string()
}

/// December at ACME: every habit once.
fn acme_december(desk: &Desk) {
    // A meeting held 50 minutes: 15-minute steps → 60 min at €120 = €120.00.
    let m = meeting(desk, "acme", "2026-12-02T10:00:00+01:00", "60");
    mark(desk, &m, "held", "2026-12-02T11:00:00+01:00", Some("50"));
    // Not there, not cancelled: €90.00.
    let m = meeting(desk, "acme", "2026-12-03T10:00:00+01:00", "30");
    mark(desk, &m, "no-show", "2026-12-03T10:20:00+01:00", None);
    // Cancelled two hours before (24 h notice): the meeting's 45 min at €120 = €90.00.
    let m = meeting(desk, "acme", "2026-12-09T11:00:00+01:00", "45");
    mark(desk, &m, "cancelled", "2026-12-09T09:00:00+01:00", None);
    // Saturday night, urgent: 20 minutes of work → at least 30 → €60.00; the surcharge
    // 50 % of it → €30.00; the call-out €75.00.
    let urgent = common::add(
        desk,
        "call",
        "2026-12-05T22:00:00+01:00",
        "¡URGENTE! la web no funciona, no podemos vender",
    );
    assert!(
        common::desk_flags(&urgent).contains(&"after_hours".to_string()),
        "{urgent}"
    );
    reply(desk, &urgent, "2026-12-05T22:30:00+01:00", Some("20"));
    // Two calls in one week with one allowed: the second one, taken, costs €30.00.
    let first = common::add(
        desk,
        "call",
        "2026-12-14T10:00:00+01:00",
        "Llámame, por favor",
    );
    reply(desk, &first, "2026-12-14T11:00:00+01:00", None);
    let second = common::add(
        desk,
        "call",
        "2026-12-15T10:00:00+01:00",
        "Otra pregunta sobre la factura",
    );
    assert!(
        common::desk_flags(&second).contains(&"over_quota".to_string()),
        "{second}"
    );
    reply(desk, &second, "2026-12-15T11:00:00+01:00", None);
    // Input missing on the 18th: on hold from the 19th, back on the 23rd: 4 days at €40.
    let d = desk.json(&[
        "deliverable",
        "add",
        "--client",
        "acme",
        "--name",
        "el plan",
        "--goal",
        "20 clientes nuevos",
        "--due",
        "2027-01-29",
        "--as",
        "ana",
        "--at",
        "2026-12-01T10:00:00+01:00",
    ]);
    let r = desk.json(&[
        "input",
        "request",
        "--deliverable",
        &d["id"].to_string(),
        "--item",
        "los precios",
        "--by",
        "2026-12-18",
        "--as",
        "ana",
        "--at",
        "2026-12-01T10:00:00+01:00",
    ]);
    desk.ok(&["tick", "--at", "2026-12-19T09:00:00+01:00"]);
    desk.ok(&[
        "input",
        "received",
        &r["id"].to_string(),
        "--item",
        "1",
        "--as",
        "ana",
        "--at",
        "2026-12-23T10:00:00+01:00",
    ]);
}

#[test]
fn each_habit_is_an_item_with_its_rule_and_the_invoice_adds_up_to_the_cent() {
    let desk = desk();
    acme_december(&desk);
    let mut got = items(&desk, "acme");
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("after_hours", "30.00"),
        ("call_out", "75.00"),
        ("holding", "40.00"),
        ("holding", "40.00"),
        ("holding", "40.00"),
        ("holding", "40.00"),
        ("late_cancellation", "90.00"),
        ("no_show", "90.00"),
        ("over_quota", "30.00"),
        ("time", "120.00"),
        ("time", "60.00"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
    // Each says what and by which rule, in the client's language.
    let text = desk.ok(&[
        "billing", "items", "--client", "acme", "--period", "2026-12", "--at", AT,
    ]);
    assert!(
        text.contains("Reunión del jueves 3 de diciembre, 10:00 h, sin asistencia y sin cancelar — según las condiciones vigentes desde el domingo 1 de noviembre"),
        "{text}"
    );
    assert!(text.contains("Recargo del 50 %"), "{text}");
    // The items as CSV for the accountant: one row each, amounts with a point, the rule in
    // the client's words (quoted where it holds a comma), the evidence.
    let csv = desk.dir.path().join("items.csv");
    desk.ok(&[
        "billing",
        "items",
        "--client",
        "acme",
        "--period",
        "2026-12",
        "--csv",
        csv.to_str().unwrap(),
        "--at",
        AT,
    ]);
    let csv = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 12, "{csv}");
    assert!(
        rows[0].starts_with(
            "id,client,date,kind,description,quantity,unit,unit_price,amount,billed,currency,vat"
        ),
        "{csv}"
    );
    let no_show = rows
        .iter()
        .find(|r| r.contains(",no_show,"))
        .expect("the no-show's row");
    assert!(
        no_show.contains(",1,piece,90.00,90.00,90.00,EUR,21%,,,meeting "),
        "{no_show}"
    );
    assert!(
        no_show.contains("\"Reunión del jueves 3 de diciembre, 10:00 h"),
        "{no_show}"
    );

    // Goodwill: the over-quota call waived, the no-show halved; both with their reasons.
    desk.ok(&as_ana(&[
        "billing",
        "waive",
        &item_id(&desk, "acme", "over_quota"),
        "--reason",
        "first time this year",
    ]));
    desk.ok(&as_ana(&[
        "billing",
        "adjust",
        &item_id(&desk, "acme", "no_show"),
        "--amount",
        "45.00",
        "--reason",
        "they called the next morning",
    ]));
    // A member may not.
    let err = desk.fails(&[
        "billing",
        "waive",
        &item_id(&desk, "acme", "time"),
        "--reason",
        "x",
        "--as",
        "pedro",
        "--at",
        AT,
    ]);
    assert!(err.contains("pedro: only an owner or a manager"), "{err}");

    // Net 120 + 60 + 30 + 75 + 45 + 90 + 4 × 40 = 580.00; VAT 21 % = 121.80; 701.80.
    let d = desk.json(&[
        "invoice", "draft", "--client", "acme", "--period", "2026-12", "--at", AT,
    ]);
    assert_eq!(d["totals"]["net"], "580.00", "{d}");
    assert_eq!(d["totals"]["vat_total"], "121.80");
    assert_eq!(d["totals"]["total"], "701.80");
    assert_eq!(d["number"], Value::Null);
    // Holding days are one line: 4 days at €40.
    let holding: Vec<&Value> = d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "holding")
        .collect();
    assert_eq!(holding.len(), 1);
    assert_eq!(
        (&holding[0]["quantity"], &holding[0]["net"]),
        (&Value::from("4"), &Value::from("160.00"))
    );
    // What is issued is what the draft showed: an item changed since is refused until drafted
    // again.
    let time = item_id(&desk, "acme", "time");
    desk.ok(&as_ana(&[
        "billing",
        "adjust",
        &time,
        "--amount",
        "120.00",
        "--reason",
        "as agreed",
    ]));
    let err = desk.fails(&as_ana(&["invoice", "issue", &d["id"].to_string()]));
    assert!(
        err.contains("changed since it was drafted; draft it again"),
        "{err}"
    );
    let d = desk.json(&[
        "invoice", "draft", "--client", "acme", "--period", "2026-12", "--at", AT,
    ]);
    assert_eq!(d["totals"]["total"], "701.80", "{d}");
    let issued = desk.json(&as_ana(&["invoice", "issue", &d["id"].to_string()]));
    assert_eq!(issued["number"], "RC-2027-0001");
    assert_eq!(issued["issued_on"], "2027-01-05");
    assert_eq!(issued["due_on"], "2027-01-19");
    assert_eq!(issued["totals"]["total"], "701.80");
    // Sent to the client through the outbox, in Spanish, with the invoice attached; once.
    let sent = desk.json(&["invoice", "send", "RC-2027-0001", "--as", "ana", "--at", AT]);
    assert_eq!(sent["attachment"], "RC-2027-0001.pdf", "{sent}");
    let mail = common::delivered(&desk, AT);
    let mail: Vec<_> = mail
        .iter()
        .filter(|m| m.0.starts_with("invoice-sent:"))
        .collect();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].1, "marcos@acme.example");
    assert_eq!(mail[0].2, "Factura RC-2027-0001 de Ruiz Consulting SL");
    assert!(
        mail[0]
            .3
            .contains("por 701,80\u{a0}€, con vencimiento el martes 19 de enero"),
        "{}",
        mail[0].3
    );
    let err = desk.fails(&["invoice", "send", "RC-2027-0001", "--as", "ana", "--at", AT]);
    assert!(err.contains("it was sent already"), "{err}");
    // Issuing twice is refused, and the items are on it: a new draft finds nothing.
    let err = desk.fails(&as_ana(&["invoice", "issue", &d["id"].to_string()]));
    assert!(err.contains("already issued as RC-2027-0001"), "{err}");
    let err = desk.fails(&[
        "invoice", "draft", "--client", "acme", "--period", "2026-12", "--at", AT,
    ]);
    assert!(err.contains("nothing to invoice"), "{err}");
    // An invoiced item is corrected by a credit note, not adjusted.
    let err = desk.fails(&as_ana(&[
        "billing",
        "adjust",
        &item_id(&desk, "acme", "late_cancellation"),
        "--amount",
        "10",
        "--reason",
        "x",
    ]));
    assert!(
        err.contains("RC-2027-0001; correct it with a credit note"),
        "{err}"
    );

    // A credit of €30.00 on the late cancellation's line: VAT 6.30, total 36.30.
    let lines = issued["lines"].as_array().unwrap();
    let late = lines
        .iter()
        .position(|l| l["kind"] == "late_cancellation")
        .unwrap()
        + 1;
    let late = late.to_string();
    let credit = desk.json(&as_ana(&[
        "invoice",
        "credit",
        "RC-2027-0001",
        "--line",
        &late,
        "--amount",
        "30.00",
        "--reason",
        "the notice period was unclear",
    ]));
    assert_eq!(credit["totals"]["total"], "36.30", "{credit}");
    let credit = desk.json(&as_ana(&["invoice", "issue", &credit["id"].to_string()]));
    assert_eq!(credit["number"], "RC-2027-0002");
    assert_eq!(credit["corrects"]["number"], "RC-2027-0001");
    // More than is left on that line (90 − 30 = 60) is refused; so is the whole invoice now.
    let err = desk.fails(&as_ana(&[
        "invoice",
        "credit",
        "RC-2027-0001",
        "--line",
        &late,
        "--amount",
        "60.01",
        "--reason",
        "x",
    ]));
    assert!(
        err.contains("more than is left to credit on RC-2027-0001 (60.00)"),
        "{err}"
    );
    let err = desk.fails(&as_ana(&[
        "invoice",
        "credit",
        "RC-2027-0001",
        "--reason",
        "x",
    ]));
    assert!(err.contains("more than is left to credit"), "{err}");

    // The PDF in Spanish, read back.
    let pdf = desk.dir.path().join("rc1.pdf");
    desk.ok(&[
        "invoice",
        "pdf",
        "RC-2027-0001",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let text = common::pdf_text(&std::fs::read(&pdf).unwrap());
    for needle in [
        "Factura RC-2027-0001",
        "ACME Foundation",
        "ESG87654321",
        "Reuniones sin asistencia",
        "701,80",
        "121,80",
        "ES9121000418450200051332",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    // The accountant's CSV: the invoice and the credit note, negative.
    let csv = desk.dir.path().join("invoices.csv");
    desk.ok(&["invoice", "csv", "--out", csv.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[1].starts_with("RC-2027-0001,invoice,,2027-01-05,2027-01-19,acme,ACME Foundation,ESG87654321,EUR,21%,580.00,121.80,701.80"), "{csv}");
    assert!(rows[2].starts_with("RC-2027-0002,credit,RC-2027-0001,2027-01-05,,acme,ACME Foundation,ESG87654321,EUR,21%,-30.00,-6.30,-36.30"), "{csv}");
    // Every step is in the audit log.
    let kinds = common::audit_kinds(&desk, "acme", &["billing.", "invoice."]);
    assert_eq!(
        kinds,
        [
            "billing.item.waived",
            "billing.item.adjusted",
            "billing.item.adjusted",
            "invoice.issued",
            "invoice.credited"
        ]
    );
}

#[test]
fn dollars_and_yen_round_to_their_own_minor_units() {
    let desk = desk();
    // Bolt, USD, exempt: 37 min at $150 (to the minute) = $92.50; a 60-minute no-show billed
    // as the meeting's time = $150.00; 3 × $12.35 = $37.05. Total $279.55, no VAT, the note.
    let m = meeting(&desk, "bolt", "2026-12-10T15:00:00-05:00", "45");
    mark(&desk, &m, "held", "2026-12-10T16:00:00-05:00", Some("37"));
    let m = meeting(&desk, "bolt", "2026-12-11T15:00:00-05:00", "60");
    mark(&desk, &m, "no-show", "2026-12-11T15:30:00-05:00", None);
    desk.ok(&[
        "billing",
        "add",
        "--client",
        "bolt",
        "--description",
        "Workshop materials",
        "--quantity",
        "3",
        "--price",
        "12.35",
        "--date",
        "2026-12-12",
        "--at",
        AT,
    ]);
    let d = desk.json(&[
        "invoice", "draft", "--client", "bolt", "--period", "2026-12", "--at", AT,
    ]);
    assert_eq!(d["currency"], "USD");
    assert_eq!(d["totals"]["net"], "279.55", "{d}");
    assert_eq!(d["totals"]["vat_total"], "0.00");
    assert_eq!(d["totals"]["total"], "279.55");
    assert!(d["notes"][0].as_str().unwrap().contains("art. 69"), "{d}");
    let bolt = desk.json(&as_ana(&["invoice", "issue", &d["id"].to_string()]));
    assert_eq!(bolt["number"], "RC-2027-0001");
    assert_eq!(bolt["due_on"], "2027-02-04");

    // Kumo, JPY, 10 %: 25 min → 30 (10-minute steps) at ¥15,001 = ¥7,500.5 → ¥7,501; the
    // no-show ¥8,000; 1.5 hours by hand = ¥22,501.5 → ¥22,502. Net ¥38,003; VAT ¥3,800.3 →
    // ¥3,800; total ¥41,803.
    let m = meeting(&desk, "kumo", "2026-12-16T10:00:00+09:00", "30");
    mark(&desk, &m, "held", "2026-12-16T10:30:00+09:00", Some("25"));
    let m = meeting(&desk, "kumo", "2026-12-17T10:00:00+09:00", "30");
    mark(&desk, &m, "no-show", "2026-12-17T10:30:00+09:00", None);
    desk.ok(&[
        "billing",
        "add",
        "--client",
        "kumo",
        "--description",
        "Review of the contract",
        "--quantity",
        "1.5",
        "--unit",
        "hour",
        "--date",
        "2026-12-18",
        "--at",
        AT,
    ]);
    let d = desk.json(&[
        "invoice", "draft", "--client", "kumo", "--period", "2026-12", "--at", AT,
    ]);
    let amounts: Vec<&str> = d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["net"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["7501", "8000", "22502"], "{d}");
    assert_eq!(d["totals"]["net"], "38003");
    assert_eq!(d["totals"]["vat_total"], "3800");
    assert_eq!(d["totals"]["total"], "41803");
    let kumo = desk.json(&as_ana(&["invoice", "issue", &d["id"].to_string()]));
    // One series for the practice: gapless across clients and currencies.
    assert_eq!(kumo["number"], "RC-2027-0002");
    let pdf = desk.dir.path().join("kumo.pdf");
    desk.ok(&[
        "invoice",
        "pdf",
        "RC-2027-0002",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let text = common::pdf_text(&std::fs::read(&pdf).unwrap());
    assert!(text.contains("¥41,803"), "{text}");
}

#[test]
fn terms_changed_later_do_not_change_what_was_derived() {
    let desk = desk();
    let m = meeting(&desk, "acme", "2026-12-02T10:00:00+01:00", "60");
    mark(&desk, &m, "held", "2026-12-02T11:00:00+01:00", Some("60"));
    assert_eq!(items(&desk, "acme"), [("time".into(), "120.00".into())]);
    // The rate goes up in January; December's hour stays at €120; a new meeting in January is
    // billed at the new rate.
    let file = desk.dir.path().join("money.toml");
    std::fs::write(
        &file,
        PRACTICE.replace("hourly_rate = \"120.00\"", "hourly_rate = \"200.00\""),
    )
    .unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    assert_eq!(items(&desk, "acme"), [("time".into(), "120.00".into())]);
    let m = meeting(&desk, "acme", "2027-01-04T10:00:00+01:00", "60");
    mark(&desk, &m, "held", "2027-01-04T11:00:00+01:00", Some("60"));
    let jan = desk.json(&[
        "billing", "items", "--client", "acme", "--period", "2027-01", "--at", AT,
    ]);
    assert_eq!(jan["items"][0]["billed"], "200.00", "{jan}");
    // The timers derive too: a no-show of 3 December seen by the pass that evening keeps the
    // fee of that day (€90), though the fee went up before anyone listed the items.
    let m = meeting(&desk, "acme", "2026-12-03T10:00:00+01:00", "30");
    mark(&desk, &m, "no-show", "2026-12-03T10:30:00+01:00", None);
    desk.ok(&["tick", "--at", "2026-12-03T20:00:00+01:00"]);
    std::fs::write(
        &file,
        PRACTICE
            .replace("hourly_rate = \"120.00\"", "hourly_rate = \"200.00\"")
            .replace("no_show_fee = \"90.00\"", "no_show_fee = \"150.00\""),
    )
    .unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    let mut dec = items(&desk, "acme");
    dec.sort();
    assert_eq!(
        dec,
        [
            ("no_show".to_string(), "90.00".to_string()),
            ("time".to_string(), "120.00".to_string())
        ]
    );
    // Nothing before the terms were given (since 1 November) is billed.
    let m = meeting(&desk, "acme", "2026-10-29T10:00:00+01:00", "30");
    mark(&desk, &m, "no-show", "2026-10-29T10:30:00+01:00", None);
    let oct = desk.json(&[
        "billing", "items", "--client", "acme", "--period", "2026-10", "--at", AT,
    ]);
    assert_eq!(oct["items"], serde_json::json!([]));
}

#[test]
fn bad_billing_input_is_refused_naming_the_field_and_writes_nothing() {
    let desk = desk();
    let before = (desk.state(), desk.ok(&["invoice", "list", "--json"]));
    for (args, needle) in [
        (
            vec!["billing", "items", "--period", "2027-02", "--at", AT],
            "period 2027-02: it has not started yet",
        ),
        (vec!["billing", "items", "--period", "2027-13"], "2027-13"),
        (
            vec![
                "invoice", "draft", "--client", "nolegal", "--period", "2026-12", "--at", AT,
            ],
            "client nolegal: the client has no legal identity",
        ),
        (
            vec![
                "invoice", "draft", "--client", "acme", "--period", "2026-12", "--at", AT,
            ],
            "nothing to invoice",
        ),
        (
            vec![
                "invoice",
                "credit",
                "RC-2027-0009",
                "--reason",
                "x",
                "--as",
                "ana",
            ],
            "no such invoice",
        ),
        (
            vec![
                "billing",
                "add",
                "--client",
                "acme",
                "--description",
                "x",
                "--price=-5",
                "--at",
                AT,
            ],
            "negative",
        ),
        (
            vec![
                "billing",
                "add",
                "--client",
                "kumo",
                "--description",
                "x",
                "--price",
                "10.5",
                "--at",
                AT,
            ],
            "more decimals than JPY has (0)",
        ),
        (
            vec![
                "billing",
                "add",
                "--client",
                "acme",
                "--description",
                " ",
                "--price",
                "5",
                "--at",
                AT,
            ],
            "description",
        ),
    ] {
        let err = desk.fails(&args);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // Bad terms: the practice file is refused, naming the field.
    let file = desk.dir.path().join("bad.toml");
    for (from, to, needle) in [
        (
            "currency = \"USD\"",
            "currency = \"EUX\"",
            "clients[1].terms.money.currency",
        ),
        (
            "hourly_rate = \"120.00\"",
            "hourly_rate = \"-120\"",
            "clients[0].terms.money.hourly_rate",
        ),
        (
            "vat = \"21\"",
            "vat = \"121\"",
            "clients[0].terms.money.vat",
        ),
        (
            "iban = \"ES91 2100 0418 4502 0005 1332\"",
            "iban = \"ES91 2100 0418 4502 0005 1333\"",
            "billing.iban",
        ),
        (
            "vat = \"exempt\", vat_note = \"Services to a business outside the EU: not subject to Spanish VAT (art. 69 Ley 37/1992)\"",
            "vat = \"exempt\"",
            "clients[1].terms.money.vat_note",
        ),
    ] {
        assert!(PRACTICE.contains(from), "{from}");
        std::fs::write(&file, PRACTICE.replace(from, to)).unwrap();
        let err = desk.fails(&["apply", file.to_str().unwrap()]);
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert_eq!(
        (desk.state(), desk.ok(&["invoice", "list", "--json"])),
        before
    );
}

#[test]
fn the_api_drafts_issues_credits_and_prints_for_owners_only() {
    let desk = desk();
    let m = meeting(&desk, "acme", "2026-12-03T10:00:00+01:00", "30");
    mark(&desk, &m, "no-show", "2026-12-03T10:20:00+01:00", None);
    let ana = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let pedro = desk
        .ok(&["token", "create", "--member", "pedro"])
        .trim()
        .to_string();
    let server = common::Server::start_with(&desk, &["--at", AT]).0;
    let url = |path: &str| format!("{}{path}", server.url);
    // A member does not see what is billed.
    let (status, body) = common::api(
        "GET",
        &url("/api/v1/billing/items?client=acme&period=2026-12"),
        &pedro,
        None,
    );
    assert_eq!(status, 403, "{body}");
    let (status, items) = common::api(
        "GET",
        &url("/api/v1/billing/items?client=acme&period=2026-12"),
        &ana,
        None,
    );
    assert_eq!(status, 200, "{items}");
    assert_eq!(items["items"][0]["kind"], "no_show");
    assert_eq!(items["items"][0]["billed"], "90.00");
    // A day by hand: ACME's terms have no daily rate, so a price is needed.
    let (status, body) = common::api(
        "POST",
        &url("/api/v1/billing/items"),
        &ana,
        Some(
            serde_json::json!({"client": "acme", "description": "Workshop", "unit": "day", "date": "2026-12-10"}),
        ),
    );
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("price"), "{body}");
    let (status, body) = common::api(
        "POST",
        &url("/api/v1/billing/items"),
        &ana,
        Some(
            serde_json::json!({"client": "acme", "description": "Workshop", "quantity": "2", "unit": "hour", "date": "2026-12-10"}),
        ),
    );
    assert_eq!(
        (status, &body["billed"]),
        (201, &Value::from("240.00")),
        "{body}"
    );
    // Bad input: a future month, an unknown unit.
    let (status, body) = common::api(
        "POST",
        &url("/api/v1/invoices"),
        &ana,
        Some(serde_json::json!({"client": "acme", "period": "2027-03"})),
    );
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("has not started yet"), "{body}");
    // Draft: 90 + 240 = 330, VAT 69.30, 399.30; issue; twice is a conflict.
    let (status, draft) = common::api(
        "POST",
        &url("/api/v1/invoices"),
        &ana,
        Some(serde_json::json!({"client": "acme", "period": "2026-12"})),
    );
    assert_eq!(status, 201, "{draft}");
    assert_eq!(draft["totals"]["total"], "399.30");
    let issue = url(&format!("/api/v1/invoices/{}/issue", draft["id"]));
    let (status, body) = common::api("POST", &issue, &pedro, None);
    assert_eq!(status, 403, "{body}");
    let (status, issued) = common::api("POST", &issue, &ana, None);
    assert_eq!(
        (status, &issued["number"]),
        (200, &Value::from("RC-2027-0001")),
        "{issued}"
    );
    let (status, body) = common::api("POST", &issue, &ana, None);
    assert_eq!(status, 409, "{body}");
    // Its PDF and the accountant's CSV.
    let resp = common::agent()
        .get(url("/api/v1/invoices/RC-2027-0001.pdf"))
        .header("Authorization", &format!("Bearer {ana}"))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let pdf = resp.into_body().read_to_vec().unwrap();
    assert!(common::pdf_text(&pdf).contains("399,30"));
    // And as the e-invoices (checked by the validators in tests/einvoice.rs).
    let ubl = common::agent()
        .get(url("/api/v1/invoices/RC-2027-0001.ubl.xml"))
        .header("Authorization", &format!("Bearer {ana}"))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(
        ubl.contains(r#"<cbc:PayableAmount currencyID="EUR">399.30</cbc:PayableAmount>"#),
        "{ubl}"
    );
    let csv = common::agent()
        .get(url("/api/v1/invoices.csv"))
        .header("Authorization", &format!("Bearer {ana}"))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(csv.contains("RC-2027-0001,invoice,,2027-01-05,2027-01-19,acme,ACME Foundation,ESG87654321,EUR,21%,330.00,69.30,399.30"), "{csv}");
    // A credit note larger than the invoice is refused; the whole invoice is not.
    let credit = url("/api/v1/invoices/RC-2027-0001/credit");
    let (status, body) = common::api(
        "POST",
        &credit,
        &ana,
        Some(serde_json::json!({"reason": "x", "lines": [1], "amount": "90.01"})),
    );
    assert_eq!(status, 409, "{body}");
    let (status, note) = common::api(
        "POST",
        &credit,
        &ana,
        Some(serde_json::json!({"reason": "cancelled by mutual agreement"})),
    );
    assert_eq!(
        (status, &note["totals"]["total"]),
        (200, &Value::from("399.30")),
        "{note}"
    );
    let (status, note) = common::api(
        "POST",
        &url(&format!("/api/v1/invoices/{}/issue", note["id"])),
        &ana,
        None,
    );
    assert_eq!(
        (status, &note["number"]),
        (200, &Value::from("RC-2027-0002")),
        "{note}"
    );
    let (_, list) = common::api("GET", &url("/api/v1/invoices"), &ana, None);
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
}

#[test]
fn the_pages_show_what_habits_cost_and_draft_issue_and_print_the_invoice() {
    let desk = desk();
    for (member, password) in [
        ("ana", "ana's long password"),
        ("pedro", "pedro's long password"),
    ] {
        desk.ok_with_stdin(
            &["password", "set", "--member", member],
            &format!("{password}\n"),
        );
    }
    let m = meeting(&desk, "acme", "2027-01-04T10:00:00+01:00", "30");
    mark(&desk, &m, "no-show", "2027-01-04T10:20:00+01:00", None);
    let server = common::Server::start_with(&desk, &["--at", AT]).0;
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    let pedro = common::sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    // A member does not see what is billed, in their words.
    let (status, html) = common::page(&server, "/billing", Some(&pedro));
    assert_eq!(status, 403, "{html}");
    assert!(html.contains("Only an owner or a manager"), "{html}");
    // The owner sees January's no-show, with its rule as the client reads it, and its cost.
    let (status, html) = common::page(&server, "/billing?period=2027-01", Some(&ana));
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("sin asistencia y sin cancelar"), "{html}");
    assert!(html.contains("1 × Missed meetings: €90.00"), "{html}");
    // The client page and the dashboard say it too.
    let (_, client) = common::page(&server, "/clients/acme", Some(&ana));
    assert!(client.contains("1 × Missed meetings: €90.00"), "{client}");
    let (_, dash) = common::page(&server, "/dashboard", Some(&ana));
    assert!(dash.contains("1 × Missed meetings: €90.00"), "{dash}");
    // A waiver needs a reason; the refusal is in the reader's words, nothing changes.
    let csrf = common::form_csrf(&html);
    let item = item_of(&desk, "acme", "no_show", "2027-01");
    let (status, html) = common::submit(
        &server,
        &ana,
        &format!("/billing/items/{item}"),
        &[
            ("csrf", &csrf),
            ("period", "2027-01"),
            ("act", "waive"),
            ("reason", " "),
        ],
    );
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("Reason: a waiver or an adjustment needs one."),
        "{html}"
    );
    // With a reason, the adjustment is kept and the page shows it.
    let (status, _) = common::submit(
        &server,
        &ana,
        &format!("/billing/items/{item}"),
        &[
            ("csrf", &csrf),
            ("period", "2027-01"),
            ("act", "adjust"),
            ("amount", "45.00"),
            ("reason", "first time"),
        ],
    );
    assert_eq!(status, 303);
    let (_, html) = common::page(&server, "/billing?period=2027-01", Some(&ana));
    assert!(html.contains("adjusted from €90.00: first time"), "{html}");
    // Draft from the page: the invoice page, in the client's language, with its total.
    let (status, _) = common::submit(
        &server,
        &ana,
        "/invoices",
        &[("csrf", &csrf), ("client", "acme"), ("period", "2027-01")],
    );
    assert_eq!(status, 303);
    let (_, list) = common::page(&server, "/invoices", Some(&ana));
    let id = list
        .split("href=\"/invoices/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a draft in the list")
        .to_string();
    let (_, draft) = common::page(&server, &format!("/invoices/{id}"), Some(&ana));
    assert!(draft.contains("Borrador de factura"), "{draft}");
    assert!(draft.contains("54,45"), "{draft}");
    let (status, _) = common::submit(
        &server,
        &ana,
        &format!("/invoices/{id}/issue"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, 303);
    let (_, issued) = common::page(&server, &format!("/invoices/{id}"), Some(&ana));
    assert!(issued.contains("Factura RC-2027-0001"), "{issued}");
    let (status, kind, pdf) = common::file(&server, &format!("/invoices/{id}/pdf"), &ana);
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(common::pdf_text(&pdf).contains("Factura RC-2027-0001"));
    let (status, kind, facturx) = common::file(&server, &format!("/invoices/{id}/facturx"), &ana);
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(facturx.windows(12).any(|w| w == b"factur-x.xml"));
    let (status, kind, _) = common::file(&server, &format!("/invoices/{id}/cii"), &ana);
    assert_eq!((status, kind.as_str()), (200, "application/xml"));
    // Issuing again from a stale page is refused in words.
    let (status, html) = common::submit(
        &server,
        &ana,
        &format!("/invoices/{id}/issue"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("already issued as RC-2027-0001"), "{html}");
}
