//! An issued invoice or credit note as the e-invoices clients ask for: UBL 2.1 in the Peppol
//! BIS Billing 3.0 profile, UN/CEFACT CII in the EN 16931 profile of Factur-X / ZUGFeRD (the
//! XML a Factur-X PDF carries), and FatturaPA 1.2 for Italian practices (the file the user's
//! SdI intermediary sends). Each is written from the invoice as issued — the amounts are the
//! invoice's, never computed again — and refused, naming the field, when the invoice lacks what
//! the format requires.

use std::fmt::Write;

use crate::billing::{Party, Unit, Vat};
use crate::invoice::{DocKind, Invoice, Line};
use crate::money::Decimal;

/// What an invoice lacks for a format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EinvoiceError {
    #[error("invoice {0}: only an issued invoice is sent as an e-invoice; issue it first")]
    Draft(i64),
    #[error("{field}: {format} needs it")]
    Missing { field: String, format: &'static str },
    #[error("{field}: {value:?} {why}")]
    Invalid {
        field: String,
        value: String,
        why: &'static str,
    },
}

/// A small XML writer: elements with text and attributes, escaped.
struct Xml {
    out: String,
    depth: usize,
}

fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => s.push(' '),
            c => s.push(c),
        }
    }
    s
}

impl Xml {
    fn new() -> Xml {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn attrs(attrs: &[(&str, &str)]) -> String {
        attrs
            .iter()
            .map(|(k, v)| format!(" {k}=\"{}\"", escape(v)))
            .collect()
    }

    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        let _ = writeln!(
            self.out,
            "{}<{tag}{}>",
            "  ".repeat(self.depth),
            Self::attrs(attrs)
        );
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        let _ = writeln!(self.out, "{}</{tag}>", "  ".repeat(self.depth));
    }

    fn leaf(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        let _ = writeln!(
            self.out,
            "{}<{tag}{}>{}</{tag}>",
            "  ".repeat(self.depth),
            Self::attrs(attrs),
            escape(text)
        );
    }

    fn text(&mut self, tag: &str, text: &str) {
        self.leaf(tag, &[], text);
    }

    fn empty(&mut self, tag: &str) {
        let _ = writeln!(self.out, "{}<{tag}/>", "  ".repeat(self.depth));
    }
}

/// A decimal as e-invoices write it: no exponent, no trailing zeros beyond what it has.
fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

fn percent(v: &Vat) -> String {
    num(v.percent())
}

fn issued(i: &Invoice) -> Result<(&str, jiff::civil::Date), EinvoiceError> {
    match (&i.number, i.issued_on) {
        (Some(n), Some(d)) => Ok((n, d)),
        _ => Err(EinvoiceError::Draft(i.id)),
    }
}

/// What every EN 16931 invoice needs of its parties: the seller's VAT ID (every category we
/// write requires it), and for the reverse charge the buyer's.
fn check_parties(i: &Invoice, format: &'static str) -> Result<(), EinvoiceError> {
    if i.seller.tax_id.is_none() {
        return Err(EinvoiceError::Missing {
            field: "billing.tax_id".into(),
            format,
        });
    }
    if i.lines
        .iter()
        .any(|l| matches!(l.vat, Vat::ReverseCharge(_)))
        && i.buyer.tax_id.is_none()
    {
        return Err(EinvoiceError::Missing {
            field: format!("clients[{}].legal.tax_id (reverse charge)", i.client),
            format,
        });
    }
    Ok(())
}

/// The Peppol electronic address scheme of a VAT ID, for the countries whose scheme is the
/// VAT number (EAS code list).
fn endpoint_scheme(country: &str) -> Option<&'static str> {
    Some(match country {
        "AD" => "9922",
        "AT" => "9914",
        "BE" => "9925",
        "BG" => "9926",
        "CY" => "9928",
        "CZ" => "9929",
        "DE" => "9930",
        "EE" => "9931",
        "ES" => "9920",
        "FR" => "9957",
        "GB" => "9932",
        "GR" => "9933",
        "HR" => "9934",
        "HU" => "9910",
        "IE" => "9935",
        "IT" => "0211",
        "LT" => "9937",
        "LU" => "9938",
        "LV" => "9939",
        "MT" => "9943",
        "NL" => "9944",
        "PL" => "9945",
        "PT" => "9946",
        "RO" => "9947",
        "SI" => "9949",
        "SK" => "9950",
        "SM" => "9951",
        "TR" => "9952",
        "VA" => "9953",
        _ => return None,
    })
}

fn ubl_party(x: &mut Xml, role: &str, p: &Party) {
    x.open(role, &[]);
    x.open("cac:Party", &[]);
    if let (Some(tax), Some(scheme)) = (&p.tax_id, endpoint_scheme(&p.country)) {
        x.leaf("cbc:EndpointID", &[("schemeID", scheme)], tax);
    }
    x.open("cac:PartyName", &[]);
    x.text("cbc:Name", &p.name);
    x.close("cac:PartyName");
    x.open("cac:PostalAddress", &[]);
    if let Some(street) = p.address.first() {
        x.text("cbc:StreetName", street);
    }
    if let Some(more) = p.address.get(1) {
        x.text("cbc:AdditionalStreetName", more);
    }
    if let Some(c) = &p.city {
        x.text("cbc:CityName", c);
    }
    if let Some(c) = &p.postcode {
        x.text("cbc:PostalZone", c);
    }
    if p.address.len() > 2 {
        x.open("cac:AddressLine", &[]);
        x.text("cbc:Line", &p.address[2..].join(", "));
        x.close("cac:AddressLine");
    }
    x.open("cac:Country", &[]);
    x.text("cbc:IdentificationCode", &p.country);
    x.close("cac:Country");
    x.close("cac:PostalAddress");
    if let Some(tax) = &p.tax_id {
        x.open("cac:PartyTaxScheme", &[]);
        x.text("cbc:CompanyID", tax);
        x.open("cac:TaxScheme", &[]);
        x.text("cbc:ID", "VAT");
        x.close("cac:TaxScheme");
        x.close("cac:PartyTaxScheme");
    }
    x.open("cac:PartyLegalEntity", &[]);
    x.text("cbc:RegistrationName", &p.name);
    x.close("cac:PartyLegalEntity");
    if let Some(e) = &p.email {
        x.open("cac:Contact", &[]);
        x.text("cbc:ElectronicMail", e);
        x.close("cac:Contact");
    }
    x.close("cac:Party");
    x.close(role);
}

fn ubl_category(x: &mut Xml, tag: &str, vat: &Vat, with_reason: bool) {
    x.open(tag, &[]);
    x.text("cbc:ID", vat.category());
    x.text("cbc:Percent", &percent(vat));
    if with_reason && let Some(n) = vat.note() {
        x.text("cbc:TaxExemptionReason", n);
    }
    x.open("cac:TaxScheme", &[]);
    x.text("cbc:ID", "VAT");
    x.close("cac:TaxScheme");
    x.close(tag);
}

/// UBL 2.1, Peppol BIS Billing 3.0: an `Invoice` (380) or a `CreditNote` (381).
pub fn ubl(i: &Invoice) -> Result<String, EinvoiceError> {
    let (number, date) = issued(i)?;
    check_parties(i, "UBL")?;
    let credit = i.kind == DocKind::Credit;
    let (root, ns, line_tag, qty_tag) = if credit {
        (
            "CreditNote",
            "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
            "cac:CreditNoteLine",
            "cbc:CreditedQuantity",
        )
    } else {
        (
            "Invoice",
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
            "cac:InvoiceLine",
            "cbc:InvoicedQuantity",
        )
    };
    let c = i.currency.code();
    let money = |a: Decimal| i.currency.plain(a);
    let mut x = Xml::new();
    x.open(
        root,
        &[
            ("xmlns", ns),
            (
                "xmlns:cac",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
            ),
            (
                "xmlns:cbc",
                "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
            ),
        ],
    );
    x.text(
        "cbc:CustomizationID",
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
    );
    x.text(
        "cbc:ProfileID",
        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
    );
    x.text("cbc:ID", number);
    x.text("cbc:IssueDate", &date.to_string());
    if credit {
        x.text("cbc:CreditNoteTypeCode", "381");
    } else {
        if let Some(due) = i.due_on {
            x.text("cbc:DueDate", &due.to_string());
        }
        x.text("cbc:InvoiceTypeCode", "380");
    }
    if let Some(r) = &i.reason {
        x.text("cbc:Note", r);
    }
    x.text("cbc:DocumentCurrencyCode", c);
    x.text("cbc:BuyerReference", i.client.as_str());
    if let Some(p) = i.period {
        x.open("cac:InvoicePeriod", &[]);
        x.text("cbc:StartDate", &p.first_day().to_string());
        x.text("cbc:EndDate", &p.last_day().to_string());
        x.close("cac:InvoicePeriod");
    }
    if let Some(k) = &i.corrects {
        x.open("cac:BillingReference", &[]);
        x.open("cac:InvoiceDocumentReference", &[]);
        x.text("cbc:ID", &k.number);
        x.text("cbc:IssueDate", &k.issued_on.to_string());
        x.close("cac:InvoiceDocumentReference");
        x.close("cac:BillingReference");
    }
    ubl_party(&mut x, "cac:AccountingSupplierParty", &i.seller);
    ubl_party(&mut x, "cac:AccountingCustomerParty", &i.buyer);
    if !credit && let Some(iban) = &i.iban {
        x.open("cac:PaymentMeans", &[]);
        x.leaf(
            "cbc:PaymentMeansCode",
            &[("name", "SEPA credit transfer")],
            "58",
        );
        x.text("cbc:PaymentID", number);
        x.open("cac:PayeeFinancialAccount", &[]);
        x.text("cbc:ID", iban);
        x.close("cac:PayeeFinancialAccount");
        x.close("cac:PaymentMeans");
    }
    x.open("cac:PaymentTerms", &[]);
    x.text("cbc:Note", &payment_note(i));
    x.close("cac:PaymentTerms");
    x.open("cac:TaxTotal", &[]);
    x.leaf(
        "cbc:TaxAmount",
        &[("currencyID", c)],
        &money(i.totals.vat_total),
    );
    for v in &i.totals.vat {
        x.open("cac:TaxSubtotal", &[]);
        x.leaf("cbc:TaxableAmount", &[("currencyID", c)], &money(v.base));
        x.leaf("cbc:TaxAmount", &[("currencyID", c)], &money(v.amount));
        ubl_category(&mut x, "cac:TaxCategory", &v.vat, true);
        x.close("cac:TaxSubtotal");
    }
    x.close("cac:TaxTotal");
    x.open("cac:LegalMonetaryTotal", &[]);
    x.leaf(
        "cbc:LineExtensionAmount",
        &[("currencyID", c)],
        &money(i.totals.net),
    );
    x.leaf(
        "cbc:TaxExclusiveAmount",
        &[("currencyID", c)],
        &money(i.totals.net),
    );
    x.leaf(
        "cbc:TaxInclusiveAmount",
        &[("currencyID", c)],
        &money(i.totals.total),
    );
    x.leaf(
        "cbc:PayableAmount",
        &[("currencyID", c)],
        &money(i.totals.total),
    );
    x.close("cac:LegalMonetaryTotal");
    for (n, l) in i.lines.iter().enumerate() {
        x.open(line_tag, &[]);
        x.text("cbc:ID", &(n + 1).to_string());
        x.leaf(qty_tag, &[("unitCode", l.unit.code())], &num(l.quantity));
        x.leaf(
            "cbc:LineExtensionAmount",
            &[("currencyID", c)],
            &money(l.net),
        );
        x.open("cac:Item", &[]);
        x.text("cbc:Name", &item_name(l));
        ubl_category(&mut x, "cac:ClassifiedTaxCategory", &l.vat, false);
        x.close("cac:Item");
        x.open("cac:Price", &[]);
        x.leaf("cbc:PriceAmount", &[("currencyID", c)], &num(l.unit_price));
        x.close("cac:Price");
        x.close(line_tag);
    }
    x.close(root);
    Ok(x.out)
}

/// A line's item name (EN 16931 BT-153): its description, bounded.
fn item_name(l: &Line) -> String {
    l.description.chars().take(500).collect()
}

/// The payment terms in words (BT-20): "Due 2027-01-19", or the credit note's reference.
fn payment_note(i: &Invoice) -> String {
    match (&i.corrects, i.due_on) {
        (Some(k), _) => format!("Credit note for invoice {}", k.number),
        (None, Some(d)) => format!("Due {d}"),
        (None, None) => "Due on receipt".into(),
    }
}

fn cii_date(x: &mut Xml, tag: &str, inner: &str, date: jiff::civil::Date) {
    x.open(tag, &[]);
    x.leaf(
        inner,
        &[("format", "102")],
        &date.strftime("%Y%m%d").to_string(),
    );
    x.close(tag);
}

fn cii_party(x: &mut Xml, tag: &str, p: &Party) {
    x.open(tag, &[]);
    x.text("ram:Name", &p.name);
    x.open("ram:PostalTradeAddress", &[]);
    if let Some(c) = &p.postcode {
        x.text("ram:PostcodeCode", c);
    }
    for (line, tag) in p
        .address
        .iter()
        .zip(["ram:LineOne", "ram:LineTwo", "ram:LineThree"])
    {
        x.text(tag, line);
    }
    if let Some(c) = &p.city {
        x.text("ram:CityName", c);
    }
    x.text("ram:CountryID", &p.country);
    x.close("ram:PostalTradeAddress");
    if let Some(e) = &p.email {
        x.open("ram:URIUniversalCommunication", &[]);
        x.leaf("ram:URIID", &[("schemeID", "EM")], e);
        x.close("ram:URIUniversalCommunication");
    }
    if let Some(t) = &p.tax_id {
        x.open("ram:SpecifiedTaxRegistration", &[]);
        x.leaf("ram:ID", &[("schemeID", "VA")], t);
        x.close("ram:SpecifiedTaxRegistration");
    }
    x.close(tag);
}

/// UN/CEFACT CII D16B in the EN 16931 profile (Factur-X / ZUGFeRD "EN 16931 (Comfort)").
pub fn cii(i: &Invoice) -> Result<String, EinvoiceError> {
    let (number, date) = issued(i)?;
    check_parties(i, "Factur-X")?;
    let c = i.currency.code();
    let money = |a: Decimal| i.currency.plain(a);
    let mut x = Xml::new();
    x.open(
        "rsm:CrossIndustryInvoice",
        &[
            (
                "xmlns:rsm",
                "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
            ),
            (
                "xmlns:qdt",
                "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
            ),
            (
                "xmlns:ram",
                "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
            ),
            (
                "xmlns:udt",
                "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
            ),
        ],
    );
    x.open("rsm:ExchangedDocumentContext", &[]);
    x.open("ram:GuidelineSpecifiedDocumentContextParameter", &[]);
    x.text("ram:ID", "urn:cen.eu:en16931:2017");
    x.close("ram:GuidelineSpecifiedDocumentContextParameter");
    x.close("rsm:ExchangedDocumentContext");
    x.open("rsm:ExchangedDocument", &[]);
    x.text("ram:ID", number);
    x.text(
        "ram:TypeCode",
        if i.kind == DocKind::Credit {
            "381"
        } else {
            "380"
        },
    );
    cii_date(&mut x, "ram:IssueDateTime", "udt:DateTimeString", date);
    if let Some(r) = &i.reason {
        x.open("ram:IncludedNote", &[]);
        x.text("ram:Content", r);
        x.close("ram:IncludedNote");
    }
    x.close("rsm:ExchangedDocument");
    x.open("rsm:SupplyChainTradeTransaction", &[]);
    for (n, l) in i.lines.iter().enumerate() {
        x.open("ram:IncludedSupplyChainTradeLineItem", &[]);
        x.open("ram:AssociatedDocumentLineDocument", &[]);
        x.text("ram:LineID", &(n + 1).to_string());
        x.close("ram:AssociatedDocumentLineDocument");
        x.open("ram:SpecifiedTradeProduct", &[]);
        x.text("ram:Name", &item_name(l));
        x.close("ram:SpecifiedTradeProduct");
        x.open("ram:SpecifiedLineTradeAgreement", &[]);
        x.open("ram:NetPriceProductTradePrice", &[]);
        x.text("ram:ChargeAmount", &num(l.unit_price));
        x.close("ram:NetPriceProductTradePrice");
        x.close("ram:SpecifiedLineTradeAgreement");
        x.open("ram:SpecifiedLineTradeDelivery", &[]);
        x.leaf(
            "ram:BilledQuantity",
            &[("unitCode", l.unit.code())],
            &num(l.quantity),
        );
        x.close("ram:SpecifiedLineTradeDelivery");
        x.open("ram:SpecifiedLineTradeSettlement", &[]);
        x.open("ram:ApplicableTradeTax", &[]);
        x.text("ram:TypeCode", "VAT");
        x.text("ram:CategoryCode", l.vat.category());
        x.text("ram:RateApplicablePercent", &percent(&l.vat));
        x.close("ram:ApplicableTradeTax");
        x.open("ram:SpecifiedTradeSettlementLineMonetarySummation", &[]);
        x.text("ram:LineTotalAmount", &money(l.net));
        x.close("ram:SpecifiedTradeSettlementLineMonetarySummation");
        x.close("ram:SpecifiedLineTradeSettlement");
        x.close("ram:IncludedSupplyChainTradeLineItem");
    }
    x.open("ram:ApplicableHeaderTradeAgreement", &[]);
    x.text("ram:BuyerReference", i.client.as_str());
    cii_party(&mut x, "ram:SellerTradeParty", &i.seller);
    cii_party(&mut x, "ram:BuyerTradeParty", &i.buyer);
    x.close("ram:ApplicableHeaderTradeAgreement");
    x.empty("ram:ApplicableHeaderTradeDelivery");
    x.open("ram:ApplicableHeaderTradeSettlement", &[]);
    x.text("ram:PaymentReference", number);
    x.text("ram:InvoiceCurrencyCode", c);
    if i.kind == DocKind::Invoice
        && let Some(iban) = &i.iban
    {
        x.open("ram:SpecifiedTradeSettlementPaymentMeans", &[]);
        x.text("ram:TypeCode", "58");
        x.open("ram:PayeePartyCreditorFinancialAccount", &[]);
        x.text("ram:IBANID", iban);
        x.close("ram:PayeePartyCreditorFinancialAccount");
        x.close("ram:SpecifiedTradeSettlementPaymentMeans");
    }
    for v in &i.totals.vat {
        x.open("ram:ApplicableTradeTax", &[]);
        x.text("ram:CalculatedAmount", &money(v.amount));
        x.text("ram:TypeCode", "VAT");
        if let Some(n) = v.vat.note() {
            x.text("ram:ExemptionReason", n);
        }
        x.text("ram:BasisAmount", &money(v.base));
        x.text("ram:CategoryCode", v.vat.category());
        x.text("ram:RateApplicablePercent", &percent(&v.vat));
        x.close("ram:ApplicableTradeTax");
    }
    if let Some(p) = i.period {
        x.open("ram:BillingSpecifiedPeriod", &[]);
        cii_date(
            &mut x,
            "ram:StartDateTime",
            "udt:DateTimeString",
            p.first_day(),
        );
        cii_date(
            &mut x,
            "ram:EndDateTime",
            "udt:DateTimeString",
            p.last_day(),
        );
        x.close("ram:BillingSpecifiedPeriod");
    }
    x.open("ram:SpecifiedTradePaymentTerms", &[]);
    x.text("ram:Description", &payment_note(i));
    if let Some(due) = i.due_on {
        cii_date(&mut x, "ram:DueDateDateTime", "udt:DateTimeString", due);
    }
    x.close("ram:SpecifiedTradePaymentTerms");
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation", &[]);
    x.text("ram:LineTotalAmount", &money(i.totals.net));
    x.text("ram:TaxBasisTotalAmount", &money(i.totals.net));
    x.leaf(
        "ram:TaxTotalAmount",
        &[("currencyID", c)],
        &money(i.totals.vat_total),
    );
    x.text("ram:GrandTotalAmount", &money(i.totals.total));
    x.text("ram:DuePayableAmount", &money(i.totals.total));
    x.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    if let Some(k) = &i.corrects {
        x.open("ram:InvoiceReferencedDocument", &[]);
        x.text("ram:IssuerAssignedID", &k.number);
        cii_date(
            &mut x,
            "ram:FormattedIssueDateTime",
            "qdt:DateTimeString",
            k.issued_on,
        );
        x.close("ram:InvoiceReferencedDocument");
    }
    x.close("ram:ApplicableHeaderTradeSettlement");
    x.close("rsm:SupplyChainTradeTransaction");
    x.close("rsm:CrossIndustryInvoice");
    Ok(x.out)
}

/// The Factur-X XMP extension for the PDF that carries `cii` as `factur-x.xml`.
pub fn facturx_xmp_extension() -> &'static str {
    FACTURX_XMP
}

const FACTURX_XMP: &str = r#"<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
  <fx:DocumentType>INVOICE</fx:DocumentType>
  <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
  <fx:Version>1.0</fx:Version>
  <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas>
    <rdf:Bag>
      <rdf:li rdf:parseType="Resource">
        <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
        <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
        <pdfaSchema:prefix>fx</pdfaSchema:prefix>
        <pdfaSchema:property>
          <rdf:Seq>
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>DocumentFileName</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>The name of the embedded XML document</pdfaProperty:description>
            </rdf:li>
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>DocumentType</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>The type of the hybrid document in capital letters, e.g. INVOICE or ORDER</pdfaProperty:description>
            </rdf:li>
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>Version</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>The actual version of the standard applying to the embedded XML document</pdfaProperty:description>
            </rdf:li>
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>ConformanceLevel</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>The conformance level of the embedded XML document</pdfaProperty:description>
            </rdf:li>
          </rdf:Seq>
        </pdfaSchema:property>
      </rdf:li>
    </rdf:Bag>
  </pdfaExtension:schemas>
</rdf:Description>
"#;

/// A FatturaPA amount: at least two decimals, a point.
fn fpa_amount(d: Decimal) -> String {
    let mut r = d.round_dp(2);
    r.rescale(2);
    r.to_string()
}

/// A FatturaPA quantity or unit price: two to eight decimals.
fn fpa_decimal(d: Decimal) -> String {
    let mut r = d.round_dp(8).normalize();
    if r.scale() < 2 {
        r.rescale(2);
    }
    r.to_string()
}

/// FatturaPA's nature code of a VAT that charges nothing (1.2.2): exempt N4, reverse charge
/// of services to another EU country N2.1, zero-rated N3.1 (exports).
fn natura(v: &Vat) -> Option<&'static str> {
    match v {
        Vat::Rate(r) if r.is_zero() => Some("N3.1"),
        Vat::Rate(_) => None,
        Vat::Exempt(_) => Some("N4"),
        Vat::ReverseCharge(_) => Some("N2.1"),
    }
}

/// A VAT ID split into FatturaPA's IdPaese and IdCodice.
fn id_fiscale(tax: &str, field: &str) -> Result<(String, String), EinvoiceError> {
    let t: String = tax.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let ok = t.len() > 2 && t.len() <= 30 && t[..2].bytes().all(|b| b.is_ascii_uppercase());
    if !ok {
        return Err(EinvoiceError::Invalid {
            field: field.into(),
            value: tax.into(),
            why: "needs its country prefix (\"IT01234567890\") for FatturaPA",
        });
    }
    Ok((t[..2].to_string(), t[2..].to_string()))
}

fn fpa_address(x: &mut Xml, tag: &str, p: &Party, field: &str) -> Result<(), EinvoiceError> {
    let missing = |what: &str| EinvoiceError::Missing {
        field: format!("{field}.{what}"),
        format: "FatturaPA",
    };
    x.open(tag, &[]);
    x.text(
        "Indirizzo",
        p.address.first().ok_or_else(|| missing("address"))?,
    );
    let cap = p.postcode.as_deref().ok_or_else(|| missing("postcode"))?;
    let cap = if p.country == "IT" { cap } else { "00000" };
    x.text("CAP", cap);
    x.text("Comune", p.city.as_deref().ok_or_else(|| missing("city"))?);
    if p.country == "IT"
        && let Some(pr) = &p.province
    {
        x.text("Provincia", pr);
    }
    x.text("Nazione", &p.country);
    x.close(tag);
    Ok(())
}

/// FatturaPA 1.2 (FPR12, between private parties): the XML an Italian practice hands its SdI
/// intermediary. `tax_regime` is the seller's (RF01…).
pub fn fatturapa(i: &Invoice, tax_regime: &str) -> Result<String, EinvoiceError> {
    let (number, date) = issued(i)?;
    let seller_tax = i.seller.tax_id.as_deref().ok_or(EinvoiceError::Missing {
        field: "billing.tax_id".into(),
        format: "FatturaPA",
    })?;
    let (paese, codice) = id_fiscale(seller_tax, "billing.tax_id")?;
    let buyer_field = format!("clients[{}].legal", i.client);
    let buyer_tax = i.buyer.tax_id.as_deref().ok_or(EinvoiceError::Missing {
        field: format!("{buyer_field}.tax_id"),
        format: "FatturaPA",
    })?;
    let (b_paese, b_codice) = id_fiscale(buyer_tax, &format!("{buyer_field}.tax_id"))?;
    let destinatario = match (&i.buyer.sdi_code, i.buyer.country.as_str()) {
        (Some(code), _) => code.clone(),
        (None, "IT") => "0000000".to_string(),
        (None, _) => "XXXXXXX".to_string(),
    };
    let mut x = Xml::new();
    x.open(
        "p:FatturaElettronica",
        &[
            ("versione", "FPR12"),
            ("xmlns:ds", "http://www.w3.org/2000/09/xmldsig#"),
            (
                "xmlns:p",
                "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2",
            ),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.open("FatturaElettronicaHeader", &[]);
    x.open("DatiTrasmissione", &[]);
    x.open("IdTrasmittente", &[]);
    x.text("IdPaese", &paese);
    x.text("IdCodice", &codice);
    x.close("IdTrasmittente");
    // Unique per transmitter across years: the year and the place in its series.
    let progressive = format!("{}{:05}", date.year(), i.sequence.unwrap_or(0) % 100_000);
    x.text("ProgressivoInvio", &progressive);
    x.text("FormatoTrasmissione", "FPR12");
    x.text("CodiceDestinatario", &destinatario);
    x.close("DatiTrasmissione");
    x.open("CedentePrestatore", &[]);
    x.open("DatiAnagrafici", &[]);
    x.open("IdFiscaleIVA", &[]);
    x.text("IdPaese", &paese);
    x.text("IdCodice", &codice);
    x.close("IdFiscaleIVA");
    x.open("Anagrafica", &[]);
    x.text("Denominazione", &i.seller.name);
    x.close("Anagrafica");
    x.text("RegimeFiscale", tax_regime);
    x.close("DatiAnagrafici");
    fpa_address(&mut x, "Sede", &i.seller, "billing")?;
    x.close("CedentePrestatore");
    x.open("CessionarioCommittente", &[]);
    x.open("DatiAnagrafici", &[]);
    x.open("IdFiscaleIVA", &[]);
    x.text("IdPaese", &b_paese);
    x.text("IdCodice", &b_codice);
    x.close("IdFiscaleIVA");
    x.open("Anagrafica", &[]);
    x.text("Denominazione", &i.buyer.name);
    x.close("Anagrafica");
    x.close("DatiAnagrafici");
    fpa_address(&mut x, "Sede", &i.buyer, &buyer_field)?;
    x.close("CessionarioCommittente");
    x.close("FatturaElettronicaHeader");
    x.open("FatturaElettronicaBody", &[]);
    x.open("DatiGenerali", &[]);
    x.open("DatiGeneraliDocumento", &[]);
    x.text(
        "TipoDocumento",
        if i.kind == DocKind::Credit {
            "TD04"
        } else {
            "TD01"
        },
    );
    x.text("Divisa", i.currency.code());
    x.text("Data", &date.to_string());
    x.text("Numero", number);
    x.text("ImportoTotaleDocumento", &fpa_amount(i.totals.total));
    if let Some(r) = &i.reason {
        x.text("Causale", &r.chars().take(200).collect::<String>());
    }
    x.close("DatiGeneraliDocumento");
    if let Some(k) = &i.corrects {
        x.open("DatiFattureCollegate", &[]);
        x.text("IdDocumento", &k.number);
        x.text("Data", &k.issued_on.to_string());
        x.close("DatiFattureCollegate");
    }
    x.close("DatiGenerali");
    x.open("DatiBeniServizi", &[]);
    for (n, l) in i.lines.iter().enumerate() {
        x.open("DettaglioLinee", &[]);
        x.text("NumeroLinea", &(n + 1).to_string());
        x.text(
            "Descrizione",
            &l.description.chars().take(1000).collect::<String>(),
        );
        x.text("Quantita", &fpa_decimal(l.quantity));
        x.text(
            "UnitaMisura",
            match l.unit {
                Unit::Hour => "ore",
                Unit::Day => "giorni",
                Unit::Piece => "pz",
            },
        );
        x.text("PrezzoUnitario", &fpa_decimal(l.unit_price));
        x.text("PrezzoTotale", &fpa_amount(l.net));
        x.text("AliquotaIVA", &fpa_amount(l.vat.percent()));
        if let Some(nat) = natura(&l.vat) {
            x.text("Natura", nat);
        }
        x.close("DettaglioLinee");
    }
    for v in &i.totals.vat {
        x.open("DatiRiepilogo", &[]);
        x.text("AliquotaIVA", &fpa_amount(v.vat.percent()));
        if let Some(nat) = natura(&v.vat) {
            x.text("Natura", nat);
        }
        x.text("ImponibileImporto", &fpa_amount(v.base));
        x.text("Imposta", &fpa_amount(v.amount));
        if natura(&v.vat).is_none() {
            x.text("EsigibilitaIVA", "I");
        }
        if let Some(note) = v.vat.note() {
            x.text(
                "RiferimentoNormativo",
                &note.chars().take(100).collect::<String>(),
            );
        }
        x.close("DatiRiepilogo");
    }
    x.close("DatiBeniServizi");
    if i.kind == DocKind::Invoice {
        x.open("DatiPagamento", &[]);
        x.text("CondizioniPagamento", "TP02");
        x.open("DettaglioPagamento", &[]);
        x.text("ModalitaPagamento", "MP05");
        if let Some(due) = i.due_on {
            x.text("DataScadenzaPagamento", &due.to_string());
        }
        x.text("ImportoPagamento", &fpa_amount(i.totals.total));
        if let Some(iban) = &i.iban {
            x.text("IBAN", iban);
        }
        x.close("DettaglioPagamento");
        x.close("DatiPagamento");
    }
    x.close("FatturaElettronicaBody");
    x.close("p:FatturaElettronica");
    Ok(x.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("A&B <c> \"d\" 'e'"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(fpa_amount("7".parse().unwrap()), "7.00");
        assert_eq!(fpa_decimal("0.3333".parse().unwrap()), "0.3333");
        assert_eq!(fpa_decimal("4".parse().unwrap()), "4.00");
    }
}
