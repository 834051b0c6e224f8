#!/usr/bin/env python3
"""Offline e-invoice validation: XSD (lxml) + compiled Schematron XSLT (saxonche).

Usage:
    python3 validate_einvoice.py [--xsd FILE] [--xslt FILE [--xslt FILE ...]] XML [XML ...]
    python3 validate_einvoice.py --facturx PDF [--xsd FILE] [--xslt FILE]

With --facturx the file is a Factur-X / ZUGFeRD PDF: the factur-x package reads the XML it
carries (refusing a PDF without one), the PDF's XMP metadata must declare PDF/A-3 and the
Factur-X extension (fx:DocumentFileName factur-x.xml, fx:ConformanceLevel EN 16931), and the
embedded file must be associated to the document (/AF, /AFRelationship). The XML is then checked
like any other.

At least one of --xsd / --xslt is required. --xslt may be repeated (e.g. the
CEN EN 16931 XSLT followed by the Peppol XSLT); every stylesheet is run on
every XML file.

Exit status: 0 if every file is schema-valid and no Schematron assertion with
flag="fatal" or flag="error" fired; 1 if any did; 2 on usage or setup errors
(missing file, schema or stylesheet that does not compile, missing package).

Schematron results are read from the SVRL the stylesheet produces: every
svrl:failed-assert and svrl:successful-report whose @flag is "fatal" or
"error" is printed as "<xml>: <FLAG> <id> [<location>] <text>" and makes the
run fail. Ones with flag="warning"/"information" are only counted. An
assertion that carries no @flag at all is treated as an error (ISO Schematron
has no default severity; the EN 16931 and Peppol rules always set one).

No network access is used. XSD imports whose schemaLocation is an http(s)
URL (e.g. FatturaPA's import of the W3C xmldsig schema) are redirected to a
file with the same base name next to the main XSD, if one exists there.

Requires: lxml (XSD) and saxonche (XSLT 2.0); `pip install lxml saxonche`.
"""

import argparse
import os
import sys
from urllib.parse import urlparse

SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
FAILING_FLAGS = {"fatal", "error"}


def _die(msg):
    print(f"validate.py: {msg}", file=sys.stderr)
    sys.exit(2)


def load_schema(xsd_path):
    try:
        from lxml import etree
    except ImportError:
        _die("lxml is not installed (pip install lxml)")

    xsd_dir = os.path.dirname(os.path.abspath(xsd_path))

    class LocalImports(etree.Resolver):
        """Map remote schemaLocations onto files next to the main XSD."""

        def resolve(self, url, pubid, context):
            if url and urlparse(url).scheme in ("http", "https"):
                local = os.path.join(xsd_dir, os.path.basename(urlparse(url).path))
                if os.path.isfile(local):
                    return self.resolve_filename(local, context)
            return None

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(LocalImports())
    try:
        doc = etree.parse(xsd_path, parser)
        return etree.XMLSchema(doc)
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError, OSError) as exc:
        _die(f"cannot load XSD {xsd_path}: {exc}")


def check_xsd(schema, xml_path):
    """Return a list of error strings (empty if valid)."""
    from lxml import etree

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    try:
        doc = etree.parse(xml_path, parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        return [f"not well-formed: {exc}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def parse_svrl(svrl_text):
    """Return (failures, others): lists of (flag, id, location, text)."""
    from lxml import etree

    root = etree.fromstring(svrl_text.encode("utf-8"))
    failures, others = [], []
    for kind in ("failed-assert", "successful-report"):
        for el in root.iter(f"{{{SVRL_NS}}}{kind}"):
            flag = (el.get("flag") or "").strip().lower()
            text_el = el.find(f"{{{SVRL_NS}}}text")
            text = " ".join((text_el.xpath("string()") if text_el is not None else "").split())
            item = (flag or "error", el.get("id") or "?", el.get("location") or "", text)
            (failures if (flag in FAILING_FLAGS or not flag) else others).append(item)
    return failures, others


def extract_facturx(pdf_path):
    """The XML a Factur-X PDF carries, after checking its XMP and file association."""
    try:
        from facturx import get_xml_from_pdf
        from pypdf import PdfReader
    except ImportError:
        _die("factur-x is not installed (pip install factur-x)")
    with open(pdf_path, "rb") as f:
        data = f.read()
    name, xml = get_xml_from_pdf(data, check_xsd=False)
    problems = []
    if name != "factur-x.xml" or not xml:
        problems.append(f"embedded XML is {name!r}, expected factur-x.xml")
    reader = PdfReader(pdf_path)
    root = reader.trailer["/Root"]
    meta = root.get("/Metadata")
    xmp = meta.get_object().get_data().decode("utf-8") if meta is not None else ""
    for needle in ("<pdfaid:part>3</pdfaid:part>", "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
                   "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
                   "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>", "pdfaExtension:schemas"):
        if needle not in xmp and needle.replace("<pdfaid:part>3</pdfaid:part>", 'pdfaid:part="3"') not in xmp:
            problems.append(f"XMP lacks {needle}")
    af = root.get("/AF")
    relations = [str(spec.get_object().get("/AFRelationship")) for spec in (af.get_object() if af is not None else [])]
    if not relations:
        problems.append("no /AF (associated files) in the catalog")
    elif relations[0] not in ("/Alternative", "/Data", "/Source"):
        problems.append(f"AFRelationship {relations[0]}")
    for p in problems:
        print(f"{pdf_path}: FACTUR-X {p}")
    out = pdf_path + ".factur-x.xml"
    with open(out, "wb") as f:
        f.write(xml or b"")
    return out, bool(problems)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xsd", help="XML Schema to validate against (lxml)")
    ap.add_argument("--xslt", action="append", default=[],
                    help="compiled Schematron XSLT producing SVRL (saxonche); repeatable")
    ap.add_argument("--facturx", action="store_true",
                    help="the files are Factur-X PDFs: check them and validate the XML they carry")
    ap.add_argument("xml", nargs="+", help="XML instance(s) to check")
    args = ap.parse_args(argv)
    pdf_failed = False
    if args.facturx:
        xmls = []
        for pdf in args.xml:
            if not os.path.isfile(pdf):
                _die(f"no such file: {pdf}")
            out, bad = extract_facturx(pdf)
            pdf_failed = pdf_failed or bad
            xmls.append(out)
        args.xml = xmls
    if not args.xsd and not args.xslt:
        ap.error("give --xsd and/or --xslt")
    for path in [args.xsd, *args.xslt, *args.xml]:
        if path and not os.path.isfile(path):
            _die(f"no such file: {path}")

    failed = pdf_failed
    schema = load_schema(args.xsd) if args.xsd else None

    executables = []
    proc = None
    if args.xslt:
        try:
            from saxonche import PySaxonProcessor, PySaxonApiError
        except ImportError:
            _die("saxonche is not installed (pip install saxonche)")
        proc = PySaxonProcessor(license=False)
        xslt30 = proc.new_xslt30_processor()
        for path in args.xslt:
            try:
                executables.append((path, xslt30.compile_stylesheet(
                    stylesheet_file=os.path.abspath(path))))
            except PySaxonApiError as exc:
                _die(f"cannot compile {path}: {exc}")

    for xml in args.xml:
        if schema is not None:
            errors = check_xsd(schema, xml)
            if errors:
                failed = True
                for err in errors:
                    print(f"{xml}: XSD {err}")
            else:
                print(f"{xml}: XSD ok ({os.path.basename(args.xsd)})")
        for path, exe in executables:
            try:
                svrl = exe.transform_to_string(source_file=os.path.abspath(xml))
            except Exception as exc:  # PySaxonApiError and friends
                failed = True
                print(f"{xml}: XSLT {os.path.basename(path)} failed to run: {exc}")
                continue
            if not svrl:
                failed = True
                print(f"{xml}: XSLT {os.path.basename(path)} produced no output")
                continue
            failures, others = parse_svrl(svrl)
            for flag, rid, loc, text in failures:
                print(f"{xml}: {flag.upper()} {rid} [{loc}] {text}")
            if failures:
                failed = True
            print(f"{xml}: Schematron {os.path.basename(path)}: "
                  f"{len(failures)} fatal/error, {len(others)} warning/info")

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
