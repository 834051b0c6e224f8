#!/usr/bin/env python3
"""Regenerates cur/own-NNN.eml, the hand-made part of the hostile mail corpus.

    python3 make_own.py

Deterministic: the same script writes the same bytes (random parts use a fixed seed).
Every message is written as bytes, exactly, with CRLF line endings, except where a
message is about broken line endings (bare CR, NUL bytes, bare LF) or is not a message
at all (the empty file, the random bytes). It removes any old own-*.eml in cur/ first,
and writes own-index.tsv (file, bytes, what the message is about).

Client domains: acme.example, rossi.example, boer.example, ivanov.example,
garcia.example; the practice is desk@practice.example.
"""

import base64
import os
import quopri
import random
import struct
import zlib
from datetime import datetime, timezone
from email.utils import format_datetime

HERE = os.path.dirname(os.path.abspath(__file__))
CUR = os.path.join(HERE, "cur")
CRLF = b"\r\n"
DESK = "desk@practice.example"

# --------------------------------------------------------------------------- helpers


def b(s):
    """ASCII text to bytes; refuses anything else so nothing 8-bit slips in by accident."""
    if isinstance(s, bytes):
        return s
    return s.encode("ascii")


def crlf(data):
    """Turns \\n line ends (and only those) into CRLF."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", CRLF)


def text(s, charset):
    """Text with \\n line ends, in `charset`, with CRLF line ends."""
    return crlf(s.encode(charset))


def qp(data):
    """Quoted-printable of bytes with \\n line ends; CRLF out."""
    data = data.replace(b"\r\n", b"\n")
    return crlf(quopri.encodestring(data))


def b64(data, width=76):
    s = base64.b64encode(data)
    return CRLF.join(s[i:i + width] for i in range(0, len(s), width)) + CRLF


def ew_b(data, charset="UTF-8"):
    return b"=?" + b(charset) + b"?B?" + base64.b64encode(data) + b"?="


def ew_q(data, charset="UTF-8"):
    out = b""
    for c in data:
        ch = bytes([c])
        if c == 0x20:
            out += b"_"
        elif 0x21 <= c <= 0x7E and ch not in b"=?_\"(),.:;<>@[\\]":
            out += ch
        else:
            out += b"=%02X" % c
    return b"=?" + b(charset) + b"?Q?" + out + b"?="


def msg(headers, body=b"", blank=True):
    """headers: list of (name, value) or raw bytes lines; body: bytes (already CRLF)."""
    out = b""
    for h in headers:
        if isinstance(h, (bytes, str)):
            out += b(h) + CRLF
        else:
            name, value = h
            out += b(name) + b": " + b(value) + CRLF
    if blank:
        out += CRLF
    return out + body


N = [0, 0]  # [message number, Message-IDs made for it so far]


def mid(domain):
    N[1] += 1
    return "<own-%03d.%d.20261202@%s>" % (N[0], N[1], domain)


def date(day=2, hour=9, minute=30, tz="+0100", month=12):
    dt = datetime(2026, month, day, hour, minute, 0)
    return dt.strftime("%a, %d %b %Y %H:%M:%S ") + tz


def base(frm, to=DESK, subject="", dom=None, day=2, ct=None, cte=None, extra=()):
    """The usual header block; ct/cte add Content-Type / Content-Transfer-Encoding."""
    dom = dom or (frm.rsplit("@", 1)[-1].rstrip(">") if isinstance(frm, str) else "x.example")
    hs = [("From", frm), ("To", to), ("Subject", subject), ("Date", date(day)),
          ("Message-ID", mid(dom))]
    if ct is not None:
        hs.append(("MIME-Version", "1.0"))
        hs.append(("Content-Type", ct))
    if cte is not None:
        hs.append(("Content-Transfer-Encoding", cte))
    hs.extend(extra)
    return hs


def png(w=8, h=8):
    """A small valid PNG (RGB gradient)."""
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"".join(bytes((x * 32 % 256, y * 32 % 256, 128)) for x in range(w))
                   for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


GIF = base64.b64decode(b"R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")


def pdf(title):
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 18 Tf 72 770 Td (" + b(title) + b") Tj ET"
    objs[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def multipart(boundary, parts, preamble=b"", epilogue=b"", close=True):
    """parts: list of (headers list, body bytes)."""
    out = preamble
    for hs, body in parts:
        out += b"--" + b(boundary) + CRLF + msg(hs, body)
        if not body.endswith(CRLF):
            out += CRLF
    if close:
        out += b"--" + b(boundary) + b"--" + CRLF
    return out + epilogue


# --------------------------------------------------------------------------- texts

ES = ("Hola:\n\nLe escribo para confirmar la cita del martes a las 10:30. "
      "¿Podría traer el contrato firmado y el año fiscal completo?\n"
      "Muchas gracias por su atención.\n\nUn saludo,\nMaría García\nTel. +34 612 345 678\n")
RU = ("Здравствуйте!\n\nПодтверждаю встречу во вторник в 10:30. "
      "Пожалуйста, пришлите счёт и договор.\nЗаранее спасибо.\n\n"
      "С уважением,\nИван Иванов\nТел. +7 495 123-45-67\n")
IT = ("Buongiorno,\n\nle confermo l'appuntamento di martedì alle 10:30. "
      "Porterò la documentazione già firmata; è possibile pagare con bonifico?\n"
      "Perché la fattura non è ancora arrivata?\n\nCordiali saluti,\nGiulia Rossi\n")
NL = ("Goedemorgen,\n\nIk bevestig de afspraak van dinsdag om 10.30 uur. "
      "Wilt u de offerte van € 1.250 nog eens bekijken? Ik ben ’s middags bereikbaar.\n"
      "Financiële stukken volgen per post; ze zijn geïnventariseerd.\n\n"
      "Met vriendelijke groet,\nJan de Boer\n")
NL_LATIN1 = NL.replace("€ ", "EUR ").replace("’", "'")
EN = ("Hi,\n\nJust confirming Tuesday at 10:30 — I’ll bring the signed contract "
      "and the “final” figures. Total so far: €1,250 / £1,080.\n\nBest,\nSarah Miller\nAcme Ltd.\n")
EN_ASCII = ("Hi,\n\nJust confirming Tuesday at 10:30. I'll bring the signed contract.\n\n"
            "Best,\nSarah Miller\nAcme Ltd.\n")
ES_EURO = ES.replace("el año fiscal completo", "el recibo de 150 € del año fiscal")
IT_EURO = IT.replace("con bonifico", "con bonifico i 300 €")

MARIA = "Maria Garcia <maria@garcia.example>"
IVAN = "Ivan Ivanov <ivan@ivanov.example>"
GIULIA = "Giulia Rossi <giulia@rossi.example>"
JAN = "Jan de Boer <jan@boer.example>"
SARAH = "Sarah Miller <sarah@acme.example>"
MARCOS = "Marcos Perez <marcos@acme.example>"


def name(n, charset="UTF-8", enc="B"):
    data = n.encode(charset)
    return ew_b(data, charset) if enc == "B" else ew_q(data, charset)


MESSAGES = []


def add(desc):
    def deco(fn):
        MESSAGES.append((desc, fn))
        return fn
    return deco


# --------------------------------------------------------------------------- charsets

def plain(frm, subject, body, charset, cte, declare=True, dom=None, day=2, extra=()):
    raw = body.replace("\n", "\r\n").encode(charset)
    if cte == "quoted-printable":
        enc = qp(raw)
    elif cte == "base64":
        enc = b64(raw)
    else:
        enc = raw
    ct = ("text/plain; charset=" + charset) if declare else "text/plain"
    return msg(base(frm, subject=subject, ct=ct, cte=cte, dom=dom, day=day, extra=extra), enc)


CHARSET_CASES = [
    # (desc, from, subject, text, charset, cte)
    ("es UTF-8 8bit", MARIA, "Cita del martes", ES, "UTF-8", "8bit"),
    ("es ISO-8859-1 8bit", MARIA, "Cita del martes (latin-1)", ES, "ISO-8859-1", "8bit"),
    ("es ISO-8859-15 quoted-printable (euro sign)", MARIA, "Recibo", ES_EURO, "ISO-8859-15", "quoted-printable"),
    ("es windows-1252 8bit (euro sign)", MARCOS, "Recibo del mes", ES_EURO, "windows-1252", "8bit"),
    ("ru UTF-8 base64", IVAN, "Vstrecha vo vtornik", RU, "UTF-8", "base64"),
    ("ru windows-1251 8bit", IVAN, "Dogovor", RU, "windows-1251", "8bit"),
    ("ru KOI8-R 8bit", IVAN, "Schet", RU, "KOI8-R", "8bit"),
    ("ru KOI8-R quoted-printable", IVAN, "Schet (QP)", RU, "KOI8-R", "quoted-printable"),
    ("ru windows-1251 base64", IVAN, "Dogovor (base64)", RU, "windows-1251", "base64"),
    ("it UTF-8 quoted-printable", GIULIA, "Appuntamento", IT, "UTF-8", "quoted-printable"),
    ("it ISO-8859-1 quoted-printable", GIULIA, "Appuntamento (latin-1)", IT, "ISO-8859-1", "quoted-printable"),
    ("it ISO-8859-15 base64 (euro sign)", GIULIA, "Fattura", IT_EURO, "ISO-8859-15", "base64"),
    ("it windows-1252 8bit", GIULIA, "Fattura (cp1252)", IT_EURO, "windows-1252", "8bit"),
    ("nl UTF-8 8bit", JAN, "Afspraak dinsdag", NL, "UTF-8", "8bit"),
    ("nl ISO-8859-1 8bit", JAN, "Afspraak (latin-1)", NL_LATIN1, "ISO-8859-1", "8bit"),
    ("nl ISO-8859-15 quoted-printable", JAN, "Offerte", NL.replace("’", "'"), "ISO-8859-15", "quoted-printable"),
    ("nl windows-1252 quoted-printable (euro, curly quote)", JAN, "Offerte (cp1252)", NL, "windows-1252", "quoted-printable"),
    ("en UTF-8 8bit (dashes, curly quotes, euro, pound)", SARAH, "Tuesday", EN, "UTF-8", "8bit"),
    ("en us-ascii 7bit", SARAH, "Tuesday (ascii)", EN_ASCII, "us-ascii", "7bit"),
    ("en windows-1252 8bit", SARAH, "Tuesday (cp1252)", EN, "windows-1252", "8bit"),
    ("en ISO-8859-1 quoted-printable", SARAH, "Tuesday (latin-1)", EN.replace("—", "-").replace("’", "'").replace("“", '"').replace("”", '"').replace("€", "EUR "), "ISO-8859-1", "quoted-printable"),
]

for _desc, _frm, _subj, _txt, _cs, _cte in CHARSET_CASES:
    add(_desc)(lambda f=_frm, s=_subj, t=_txt, c=_cs, e=_cte: plain(f, s, t, c, e))


@add("es charset missing: Content-Type text/plain without charset, body is ISO-8859-1 8bit")
def _():
    return plain(MARIA, "Sin charset", ES, "ISO-8859-1", "8bit", declare=False)


@add("ru charset missing: no Content-Type at all, body is windows-1251 8bit")
def _():
    return msg(base(IVAN, subject="Bez kodirovki"), text(RU, "windows-1251"))


@add("it charset missing: no MIME headers at all, body is UTF-8 8bit")
def _():
    return msg(base(GIULIA, subject="Senza charset"), text(IT, "utf-8"))


@add("nl charset missing: text/plain without charset, body windows-1252 quoted-printable")
def _():
    return plain(JAN, "Zonder charset", NL, "windows-1252", "quoted-printable", declare=False)


@add("en charset missing: MIME-Version but no Content-Type, UTF-8 8bit body")
def _():
    return msg(base(SARAH, subject="No charset", extra=[("MIME-Version", "1.0")]), text(EN, "utf-8"))


@add("mislabelled: charset=UTF-8 declared, body is ISO-8859-1 (invalid UTF-8)")
def _():
    return msg(base(MARIA, subject="Mal etiquetado", ct="text/plain; charset=UTF-8", cte="8bit"),
               text(ES, "latin-1"))


@add("mislabelled: charset=KOI8-R declared, body is windows-1251")
def _():
    return msg(base(IVAN, subject="Ne ta kodirovka", ct="text/plain; charset=koi8-r", cte="8bit"),
               text(RU, "cp1251"))


@add("unknown and empty charsets: charset=x-unknown-42 on one part, charset=\"\" on another")
def _():
    bd = "unk-bd-1"
    return msg(base(JAN, subject="Onbekende tekenset", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=x-unknown-42"),
                     ("Content-Transfer-Encoding", "8bit")], text(NL, "utf-8")),
                   ([("Content-Type", 'text/plain; charset=""')], text(NL_LATIN1, "latin-1")),
               ]))


@add("UTF-16 body with BOM (charset=utf-16, base64)")
def _():
    return msg(base(SARAH, subject="UTF-16", ct="text/plain; charset=utf-16", cte="base64"),
               b64(EN.replace("\n", "\r\n").encode("utf-16")))


@add("UTF-7 body (charset=utf-7, Russian)")
def _():
    return msg(base(IVAN, subject="UTF-7", ct="text/plain; charset=utf-7", cte="7bit"),
               text(RU, "utf-7"))


# --------------------------------------------------------------------------- RFC 2047 words

@add("RFC 2047 B words in Subject split in the middle of a 2-byte UTF-8 character (Russian)")
def _():
    s = "Счёт за декабрь и договор".encode("utf-8")
    cut = 7  # inside the 4th Cyrillic letter
    subj = ew_b(s[:cut]) + b" " + ew_b(s[cut:])
    return msg([("From", IVAN), ("To", DESK), (b"Subject", subj), ("Date", date()), ("Message-ID", mid("ivanov.example")),
                ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
                ("Content-Transfer-Encoding", "8bit")], text(RU, "utf-8"))


@add("RFC 2047 Q words in Subject split between the bytes of a UTF-8 n-tilde, folded")
def _():
    s = "Año nuevo: señal y contraseña".encode("utf-8")
    i = s.index("ñ".encode()) + 1
    subj = ew_q(s[:i]) + b"\r\n " + ew_q(s[i:])
    return msg([("From", MARIA), ("To", DESK), (b"Subject", subj), ("Date", date()),
                ("Message-ID", mid("garcia.example")), ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=UTF-8")], text(ES, "utf-8"))


@add("RFC 2047 words split inside 3-byte (euro) and 4-byte (emoji) UTF-8 characters")
def _():
    s = "Prijs € 1.250 👍 akkoord".encode("utf-8")
    e = s.index("€".encode()) + 2
    m = s.index("👍".encode()) + 1
    subj = ew_b(s[:e]) + b" " + ew_q(s[e:m]) + b"\r\n\t" + ew_b(s[m:])
    return msg([("From", JAN), ("To", DESK), (b"Subject", subj), ("Date", date()),
                ("Message-ID", mid("boer.example")), ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=UTF-8")], text(NL, "utf-8"))


@add("RFC 2047 display name in From split in the middle of a UTF-8 character (Russian)")
def _():
    n = "Иван Петрович Иванов".encode("utf-8")
    frm = ew_b(n[:5]) + b" " + ew_b(n[5:]) + b" <ivan@ivanov.example>"
    return msg([(b"From", frm), ("To", DESK), ("Subject", "Privet"), ("Date", date()),
                ("Message-ID", mid("ivanov.example")), ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=UTF-8")], text(RU, "utf-8"))


@add("RFC 2047 display name in From: ISO-8859-1 Q word, quoted surname with accent split across words")
def _():
    n = "Niccolò Rossi-Università".encode("latin-1")
    frm = ew_q(n[:10], "ISO-8859-1") + b" " + ew_q(n[10:], "ISO-8859-1") + b" <niccolo@rossi.example>"
    return msg([(b"From", frm), ("To", DESK), (b"Subject", ew_q("Perché?".encode("latin-1"), "iso-8859-1")),
                ("Date", date()), ("Message-ID", mid("rossi.example")), ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=ISO-8859-1"),
                ("Content-Transfer-Encoding", "quoted-printable")], qp(IT.encode("latin-1")))


@add("RFC 2047 KOI8-R B word in Subject and windows-1251 Q word in From")
def _():
    return msg([(b"From", name("Иван Иванов", "windows-1251", "Q") + b" <ivan@ivanov.example>"),
                ("To", DESK), (b"Subject", ew_b("Акт сверки".encode("koi8-r"), "KOI8-R")),
                ("Date", date()), ("Message-ID", mid("ivanov.example")), ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=KOI8-R"), ("Content-Transfer-Encoding", "8bit")],
               text(RU, "koi8-r"))


@add("RFC 2047 words with an unknown charset, a language tag (RFC 2231 *es), and invalid base64")
def _():
    return msg([(b"From", b"=?x-mac-klingon?B?SmFu?= <jan@boer.example>"), ("To", DESK),
                (b"Subject", b"=?UTF-8*es?Q?Confirmaci=C3=B3n?= =?UTF-8?B?!!!not*base64===?="),
                (b"Comments", b"=?ISO-8859-1?X?unknown_encoding?="),
                ("Date", date()), ("Message-ID", mid("boer.example"))], text("Goedemorgen,\n\nzie onderwerp.\n\nJan\n", "ascii"))


@add("RFC 2047 malformed: unterminated encoded-word, encoded-word inside a quoted string and an address")
def _():
    return msg([(b"From", b"\"=?UTF-8?B?TWFyw61h?=\" <=?UTF-8?Q?maria?=@garcia.example>"),
                ("To", DESK), (b"Subject", b"=?UTF-8?Q?Sin_terminar_=C3=B1"),
                ("Date", date()), ("Message-ID", mid("garcia.example"))],
               text("Hola, ¿recibió el documento?\n", "utf-8"))


@add("raw 8-bit UTF-8 in Subject and From (no encoded-words)")
def _():
    return msg([(b"From", "María García <maria@garcia.example>".encode()), ("To", DESK),
                (b"Subject", "Factura de diciembre — ¿recibida?".encode()), ("Date", date()),
                ("Message-ID", mid("garcia.example")), ("MIME-Version", "1.0"),
                ("Content-Type", "text/plain; charset=UTF-8")], text(ES, "utf-8"))


@add("raw 8-bit windows-1251 in Subject and From, raw latin-1 in To")
def _():
    return msg([(b"From", "Иван Иванов <ivan@ivanov.example>".encode("cp1251")),
                (b"To", "Recepción <desk@practice.example>".encode("latin-1")),
                (b"Subject", "Счёт №17".encode("cp1251")), ("Date", date()),
                ("Message-ID", mid("ivanov.example"))], text(RU, "cp1251"))


@add("very long Subject of 60 encoded-words folded over many lines (Italian)")
def _():
    words = [ew_q(("parola%d perché " % i).encode("utf-8")) for i in range(60)]
    subj = b"\r\n ".join(words)
    return msg([("From", GIULIA), ("To", DESK), (b"Subject", subj), ("Date", date()),
                ("Message-ID", mid("rossi.example"))], text("Ciao.\n", "ascii"))


# --------------------------------------------------------------------------- transfer encodings

@add("quoted-printable with soft breaks, invalid escapes (=ZZ, =\\x), lowercase hex and a trailing lone =")
def _():
    body = (b"Gentile dottore, le scrivo per la fattura n. 12 del mese scorso. La somma =\r\n"
            b"=C3=A8 di 300 =E2=82=AC.=ZZ Perch=c3=a9 =\r\n"
            b"non =E2=82 arriva? =3D=3d =\r\n"
            b"Giulia Rossi =")
    return msg(base(GIULIA, subject="QP rotto", ct="text/plain; charset=UTF-8", cte="quoted-printable"), body)


@add("broken base64: invalid characters, wrong padding, a quad cut short in the middle")
def _():
    good = base64.b64encode(ES.encode("utf-8")).decode()
    broken = good[:40] + "!!**" + good[40:97] + "==" + good[97:150] + "\r\n" + good[150:203]
    return msg(base(MARIA, subject="Base64 roto", ct="text/plain; charset=UTF-8", cte="base64"),
               b(broken) + CRLF)


@add("broken base64 attachment in a multipart, plus base64 as one 4 KB line without breaks")
def _():
    bd = "b64bd"
    one = base64.b64encode((RU * 6).encode("utf-8"))
    return msg(base(IVAN, subject="Vlozhenie", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "base64")],
                    one + CRLF),
                   ([("Content-Type", 'application/pdf; name="dogovor.pdf"'),
                     ("Content-Transfer-Encoding", "base64"),
                     ("Content-Disposition", 'attachment; filename="dogovor.pdf"')],
                    b64(pdf("Dogovor"))[:130] + b"@@@@====\r\nJVBERi0\r\n"),
               ]))


@add("Content-Transfer-Encoding: base64 declared but the body is plain text")
def _():
    return msg(base(JAN, subject="Geen base64", ct="text/plain; charset=UTF-8", cte="base64"),
               text(NL, "utf-8"))


@add("unknown Content-Transfer-Encoding (x-uuencode with a uuencoded body) and 7bit declared over 8-bit data")
def _():
    bd = "uu"
    import binascii
    data = "Ciao, ecco il file.\n".encode()
    uu = b"begin 644 nota.txt\r\n" + binascii.b2a_uu(data).replace(b"\n", CRLF) + b"`\r\nend\r\n"
    return msg(base(GIULIA, subject="uuencode", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "7bit")],
                    text(IT, "utf-8")),
                   ([("Content-Type", "application/octet-stream; name=nota.txt"),
                     ("Content-Transfer-Encoding", "x-uuencode")], uu),
               ]))


# --------------------------------------------------------------------------- HTML only

@add("HTML-only body, UTF-8, quoted-printable, with style, script and entities (Spanish)")
def _():
    html = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>p{color:red}</style>"
            "<script>alert('x')</script></head><body><p>Hola,</p><p>Confirmo la cita del "
            "<b>martes</b> a las 10:30. &iquest;Necesita el contrato?&nbsp;&euro; 150</p>"
            "<p>Un saludo,<br>Mar&iacute;a Garc&iacute;a<br>"
            "<a href=\"mailto:maria@garcia.example\">maria@garcia.example</a></p></body></html>\n")
    return msg(base(MARIA, subject="Cita (HTML)", ct="text/html; charset=UTF-8", cte="quoted-printable"),
               qp(html.encode()))


@add("HTML-only body, windows-1251 declared in header, <meta> claims UTF-8 (conflict), 8bit")
def _():
    html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
            "</head><body><div>" + RU.replace("\n", "<br>\n") + "</div></body></html>\n")
    return msg(base(IVAN, subject="HTML", ct="text/html; charset=windows-1251", cte="8bit"),
               text(html, "cp1251"))


@add("HTML-only body, base64, no charset anywhere, Outlook-style Word HTML (Dutch, cp1252 bytes)")
def _():
    html = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><!--[if gte mso 9]>"
            "<xml><o:OfficeDocumentSettings/></xml><![endif]--></head><body lang=NL>"
            "<p class=MsoNormal>" + NL.replace("\n", "<o:p></o:p></p>\n<p class=MsoNormal>") +
            "</p></body></html>\n")
    return msg(base(JAN, subject="Offerte (HTML)", ct="text/html", cte="base64"), b64(html.encode("cp1252")))


@add("HTML-only body, unclosed tags, comment that never ends, 200 nested <div>s (English)")
def _():
    html = ("<html><body>" + "<div>" * 200 + "<p>Hi, just confirming Tuesday.<p>Sarah<br>"
            "<table><tr><td>Acme Ltd.<!-- never closed comment <p>hidden</p>\n")
    return msg(base(SARAH, subject="HTML broken", ct="text/html; charset=us-ascii"), text(html, "ascii"))


# --------------------------------------------------------------------------- multipart/alternative

@add("multipart/alternative: text/plain ISO-8859-1 QP + text/html UTF-8 (Italian)")
def _():
    bd = "----=_Part_1_alt"
    html = "<html><body><p>" + IT.replace("\n", "<br>") + "</p></body></html>"
    return msg(base(GIULIA, subject="Alternativa", ct='multipart/alternative; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=ISO-8859-1"),
                     ("Content-Transfer-Encoding", "quoted-printable")], qp(IT.encode("latin-1"))),
                   ([("Content-Type", "text/html; charset=UTF-8"),
                     ("Content-Transfer-Encoding", "base64")], b64(html.encode())),
               ], preamble=b"This is a multi-part message in MIME format.\r\n\r\n"))


@add("multipart/alternative: KOI8-R text/plain + UTF-8 text/html whose texts disagree (Russian)")
def _():
    bd = "alt-ru"
    return msg(base(IVAN, subject="Alt", ct="multipart/alternative; boundary=%s" % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=KOI8-R"), ("Content-Transfer-Encoding", "8bit")],
                    text(RU, "koi8-r")),
                   ([("Content-Type", "text/html; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit")],
                    text("<p>Другой текст в HTML-версии.</p>\n", "utf-8")),
               ]))


@add("multipart/alternative with the closing boundary missing (truncated after the HTML part)")
def _():
    bd = "alt-open"
    return msg(base(MARIA, subject="Sin cierre", ct='multipart/alternative; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8")], text(ES, "utf-8")),
                   ([("Content-Type", "text/html; charset=UTF-8")], text("<p>Hola, confirmo.</p>\n", "utf-8")),
               ], close=False))


@add("multipart/alternative whose boundary never appears in the body")
def _():
    return msg(base(JAN, subject="Geen grens", ct='multipart/alternative; boundary="nowhere-to-be-seen"'),
               b"--elsewhere\r\nContent-Type: text/plain\r\n\r\nGoedemorgen, tot dinsdag.\r\n--elsewhere--\r\n")


@add("multipart with no boundary parameter, and an empty boundary=\"\" nested inside")
def _():
    return msg(base(SARAH, subject="No boundary", ct="multipart/mixed"),
               b"--\r\nContent-Type: multipart/alternative; boundary=\"\"\r\n\r\n--\r\n"
               b"Content-Type: text/plain\r\n\r\nHi, confirming Tuesday.\r\n----\r\n")


@add("multipart with preamble and epilogue containing boundary-like lines, 70-char boundary with spaces")
def _():
    bd = "a b c " + "x" * 63 + "z"
    assert len(bd) == 70
    return msg(base(GIULIA, subject="Confini", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8")],
                    text("Ciao,\n--" + bd[:-1] + "\nquesta riga non è un confine.\n", "utf-8")),
               ], preamble=b"--" + b(bd[:-2]) + b"\r\npreamble\r\n",
                  epilogue=b"--" + b(bd) + b"\r\nepilogue after the close\r\n"))


# --------------------------------------------------------------------------- attachments

@add("attachments: a small PDF (base64) and a PNG image, text part in Spanish")
def _():
    bd = "mix-att-1"
    return msg(base(MARIA, subject="Contrato firmado", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit")],
                    text("Adjunto el contrato firmado y una foto del DNI.\n\nMaría\n", "utf-8")),
                   ([("Content-Type", 'application/pdf; name="contrato.pdf"'),
                     ("Content-Disposition", 'attachment; filename="contrato.pdf"'),
                     ("Content-Transfer-Encoding", "base64")], b64(pdf("Contrato"))),
                   ([("Content-Type", 'image/png; name="dni.png"'),
                     ("Content-Disposition", 'attachment; filename="dni.png"'),
                     ("Content-Transfer-Encoding", "base64")], b64(png())),
               ]))


@add("multipart/related: HTML with an inline cid: GIF image (signature logo)")
def _():
    bd, ba = "rel-1", "alt-in-rel"
    inner = multipart(ba, [
        ([("Content-Type", "text/plain; charset=UTF-8")], text(EN, "utf-8")),
        ([("Content-Type", "text/html; charset=UTF-8")],
         text("<p>Hi, confirming Tuesday.</p><img src=\"cid:logo@acme.example\">\n", "utf-8")),
    ])
    return msg(base(SARAH, subject="With logo", ct='multipart/related; type="multipart/alternative"; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", 'multipart/alternative; boundary="%s"' % ba)], inner),
                   ([("Content-Type", "image/gif"), ("Content-ID", "<logo@acme.example>"),
                     ("Content-Disposition", 'inline; filename="logo.gif"'),
                     ("Content-Transfer-Encoding", "base64")], b64(GIF)),
               ]))


@add("attachment file names: RFC 2231 filename*=UTF-8'' (Cyrillic, continued), RFC 2047 name=, and no name")
def _():
    bd = "names"
    fn = "Договор_№17.pdf".encode("utf-8")
    pct = "".join("%%%02X" % c if c > 0x7E or chr(c) in "%'* ()" else chr(c) for c in fn)
    return msg(base(IVAN, subject="Dokumenty", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8")], text("Документы во вложении.\n", "utf-8")),
                   ([("Content-Type", "application/pdf"),
                     ("Content-Disposition", "attachment;\r\n filename*0*=UTF-8''%s;\r\n filename*1*=%s"
                      % (pct[:30], pct[30:])),
                     ("Content-Transfer-Encoding", "base64")], b64(pdf("Dogovor 17"))),
                   ([(b"Content-Type", b"image/png; name=\"" + ew_b("Скан.png".encode()) + b"\""),
                     ("Content-Transfer-Encoding", "base64")], b64(png(4, 4))),
                   ([("Content-Type", "application/octet-stream"), ("Content-Disposition", "attachment"),
                     ("Content-Transfer-Encoding", "base64")], b64(bytes(range(256)))),
               ]))


@add("forwarded message as message/rfc822 attachment (client forwards a colleague's mail)")
def _():
    bd = "fwd"
    inner = msg([("From", "Luca Bianchi <luca@rossi.example>"), ("To", GIULIA), ("Subject", "Bilancio"),
                 ("Date", date(1)), ("Message-ID", mid("rossi.example")), ("MIME-Version", "1.0"),
                 ("Content-Type", "text/plain; charset=UTF-8")], text("Giulia, il bilancio è pronto.\n", "utf-8"))
    return msg(base(GIULIA, subject="Fwd: Bilancio", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8")], text("Le inoltro il messaggio di Luca.\n", "utf-8")),
                   ([("Content-Type", "message/rfc822"), ("Content-Disposition", "attachment")], inner),
               ]))


@add("forward chain: message/rfc822 nested 60 deep")
def _():
    body = msg([("From", JAN), ("To", DESK), ("Subject", "origineel"), ("Date", date(1))], text("Diep.\n", "ascii"))
    for i in range(60):
        body = msg([("From", JAN), ("To", DESK), ("Subject", "Fwd %d" % i), ("MIME-Version", "1.0"),
                    ("Content-Type", "message/rfc822")], body)
    return body


@add("Outlook TNEF winmail.dat (application/ms-tnef, fake content) next to a plain part")
def _():
    bd = "tnef"
    return msg(base(SARAH, subject="Meeting notes", ct='multipart/mixed; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=us-ascii")], text(EN_ASCII, "ascii")),
                   ([("Content-Type", 'application/ms-tnef; name="winmail.dat"'),
                     ("Content-Disposition", 'attachment; filename="winmail.dat"'),
                     ("Content-Transfer-Encoding", "base64")],
                    b64(b"\x78\x9f\x3e\x22" + bytes(random.Random(7).randrange(256) for _ in range(300)))),
               ]))


@add("calendar invitation: text/calendar METHOD=REQUEST inside multipart/alternative (Dutch)")
def _():
    bd = "cal"
    ics = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Boer//NL\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
           "UID:own-cal-1@boer.example\nDTSTAMP:20261201T080000Z\nDTSTART:20261208T093000Z\n"
           "DTEND:20261208T103000Z\nSUMMARY:Bespreking offerte – € 1.250\n"
           "ORGANIZER;CN=Jan de Boer:mailto:jan@boer.example\n"
           "ATTENDEE;RSVP=TRUE:mailto:desk@practice.example\nEND:VEVENT\nEND:VCALENDAR\n")
    return msg(base(JAN, subject="Uitnodiging: Bespreking offerte", ct='multipart/alternative; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8")], text("Uitnodiging voor dinsdag.\n", "utf-8")),
                   ([("Content-Type", "text/calendar; charset=UTF-8; method=REQUEST"),
                     ("Content-Transfer-Encoding", "8bit")], text(ics, "utf-8")),
               ]))


@add("S/MIME multipart/signed with a fake (garbage) pkcs7 signature")
def _():
    bd = "signed"
    return msg(base(SARAH, subject="Signed", ct='multipart/signed; protocol="application/pkcs7-signature"; '
                    'micalg=sha-256; boundary="%s"' % bd),
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=UTF-8")], text(EN, "utf-8")),
                   ([("Content-Type", 'application/pkcs7-signature; name="smime.p7s"'),
                     ("Content-Transfer-Encoding", "base64")], b64(b"\x30\x82\xff\xff not DER at all")),
               ]))


# --------------------------------------------------------------------------- bounces

def dsn(rcpt, status, action, diag, subject, frm, human, report_headers_only=False):
    bd = "dsn-" + status.replace(".", "")
    original = msg([("From", "Front Desk <desk@practice.example>"), ("To", rcpt),
                    ("Subject", "Su cita"), ("Date", date(1)), ("Message-ID", "<orig-%s@practice.example>" % status)],
                   b"" if report_headers_only else text("Le confirmamos su cita.\n", "ascii"),
                   blank=not report_headers_only)
    status_part = ("Reporting-MTA: dns; mx.practice.example\nArrival-Date: %s\n\n"
                   "Final-Recipient: rfc822; %s\nOriginal-Recipient: rfc822;%s\nAction: %s\n"
                   "Status: %s\nRemote-MTA: dns; mx.%s\nDiagnostic-Code: smtp; %s\n"
                   % (date(1), rcpt, rcpt, action, status, rcpt.split("@")[1], diag))
    return msg([("Return-Path", "<>"), ("From", frm), ("To", DESK), ("Subject", subject),
                ("Date", date()), ("Message-ID", mid("mx.practice.example")), ("Auto-Submitted", "auto-replied"),
                ("MIME-Version", "1.0"),
                ("Content-Type", 'multipart/report; report-type=delivery-status;\r\n\tboundary="%s"' % bd)],
               multipart(bd, [
                   ([("Content-Description", "Notification"), ("Content-Type", "text/plain; charset=us-ascii")],
                    text(human, "ascii")),
                   ([("Content-Description", "Delivery report"), ("Content-Type", "message/delivery-status")],
                    text(status_part, "ascii")),
                   ([("Content-Description", "Undelivered Message"),
                     ("Content-Type", "text/rfc822-headers" if report_headers_only else "message/rfc822")], original),
               ], preamble=b"This is a MIME-encapsulated message.\r\n\r\n"))


@add("delivery status notification: Postfix bounce, multipart/report delivery-status, MAILER-DAEMON, Return-Path <>")
def _():
    return dsn("giulia@rossi.example", "5.1.1", "failed", "550 5.1.1 <giulia@rossi.example>: Recipient address rejected: User unknown",
               "Undelivered Mail Returned to Sender", "MAILER-DAEMON@mx.practice.example (Mail Delivery System)",
               "This is the mail system at host mx.practice.example.\n\nI'm sorry to have to inform you that your message could not\n"
               "be delivered to one or more recipients.\n\n<giulia@rossi.example>: host mx.rossi.example said: 550 5.1.1 User unknown\n")


@add("delivery status notification: delayed (Action: delayed, 4.4.1), text/rfc822-headers, Return-Path <>")
def _():
    return dsn("jan@boer.example", "4.4.1", "delayed", "421 4.4.1 Connection timed out",
               "Delayed Mail (still being retried)", "Mail Delivery System <MAILER-DAEMON@mx.practice.example>",
               "Your message has not been delivered yet. It will be retried for 5 days.\n", report_headers_only=True)


@add("Exchange-style NDR: 'Undeliverable:' from postmaster, multipart/report, Return-Path <>")
def _():
    return dsn("marcos@acme.example", "5.4.1", "failed", "550 5.4.1 Recipient address rejected: Access denied",
               "Undeliverable: Su cita", "Microsoft Outlook <postmaster@acme.example>",
               "Delivery has failed to these recipients or groups:\n\nmarcos@acme.example\n")


@add("qmail-style bounce: plain text from MAILER-DAEMON, no multipart/report, Return-Path <>")
def _():
    return msg([("Return-Path", "<>"), ("From", "MAILER-DAEMON@mx.garcia.example"), ("To", DESK),
                ("Subject", "failure notice"), ("Date", date()), ("Message-ID", mid("mx.garcia.example"))],
               text("Hi. This is the qmail-send program at mx.garcia.example.\nI'm afraid I wasn't able to deliver "
                    "your message to the following addresses.\n\n<maria@garcia.example>:\nSorry, no mailbox here by that name.\n\n"
                    "--- Below this line is a copy of the message.\n\nFrom: desk@practice.example\nTo: maria@garcia.example\n"
                    "Subject: Su cita\n\nLe confirmamos su cita.\n", "ascii"))


# --------------------------------------------------------------------------- auto-replies

@add("Gmail-style vacation reply: Auto-Submitted: auto-replied, In-Reply-To, Spanish body")
def _():
    return msg([("MIME-Version", "1.0"), ("Date", date()), ("References", "<orig-1@practice.example>"),
                ("In-Reply-To", "<orig-1@practice.example>"), ("Message-ID", "<CAF=own.vacation.1@mail.gmail.example>"),
                ("Subject", "Re: Su cita"), ("From", MARIA), ("To", DESK), ("Auto-Submitted", "auto-replied"),
                ("Precedence", "bulk"), ("X-Autoreply", "yes"),
                ("Content-Type", 'multipart/alternative; boundary="000000000000vac"')],
               multipart("000000000000vac", [
                   ([("Content-Type", 'text/plain; charset="UTF-8"'), ("Content-Transfer-Encoding", "quoted-printable")],
                    qp("Estoy de vacaciones hasta el 7 de enero, sin acceso al correo.\nMaría\n".encode())),
                   ([("Content-Type", 'text/html; charset="UTF-8"'), ("Content-Transfer-Encoding", "quoted-printable")],
                    qp("<div dir=\"ltr\">Estoy de vacaciones hasta el 7 de enero.<br>María</div>\n".encode())),
               ]))


def outlook_ooo(frm, addr, prefix, subj_base, body, charset="UTF-8", auto_submitted=True, lang="en-US"):
    subject = (prefix + " " + subj_base).encode("utf-8")
    subject = subject if all(c < 128 for c in subject) else ew_b(subject)
    hs = [("From", frm), ("To", "Front Desk <desk@practice.example>"), (b"Subject", subject),
          (b"Thread-Topic", subj_base.encode() if subj_base.isascii() else ew_b(subj_base.encode())), ("Thread-Index", "AQHZ" + "x" * 20 + "=="), ("Date", date()),
          ("Message-ID", mid(addr.split("@")[1])), ("In-Reply-To", "<orig-2@practice.example>"),
          ("Content-Language", lang), ("X-MS-Has-Attach", ""), ("X-MS-TNEF-Correlator", ""),
          ("X-Auto-Response-Suppress", "All"), ("X-MS-Exchange-Inbox-Rules-Loop", addr),
          ("X-MS-Exchange-Organization-AutoResponse", "OOF")]
    if auto_submitted:
        hs.append(("Auto-Submitted", "auto-generated"))
    hs += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=\"%s\"" % charset.lower()),
           ("Content-Transfer-Encoding", "quoted-printable")]
    return msg(hs, qp(body.encode(charset)))


@add("Outlook out-of-office: 'Automatic reply:' subject, X-Auto-Response-Suppress, X-MS-Exchange-Inbox-Rules-Loop")
def _():
    return outlook_ooo(SARAH, "sarah@acme.example", "Automatic reply:", "Tuesday",
                       "I am out of the office until 5 January with limited access to e-mail.\n")


@add("Outlook out-of-office, Italian: 'Risposta automatica:', windows-1252 body")
def _():
    return outlook_ooo(GIULIA, "giulia@rossi.example", "Risposta automatica:", "Fattura",
                       "Sarò fuori ufficio fino al 7 gennaio. Per urgenze: ufficio@rossi.example\n",
                       charset="windows-1252", lang="it-IT")


@add("Outlook out-of-office, Russian: encoded 'Автоматический ответ:' subject, KOI8-R body")
def _():
    return outlook_ooo(IVAN, "ivan@ivanov.example", "Автоматический ответ:", "Счёт",
                       "Я в отпуске до 10 января.\n", charset="KOI8-R", lang="ru-RU")


@add("Outlook out-of-office, Dutch: 'Automatisch antwoord:', older Exchange without Auto-Submitted")
def _():
    return outlook_ooo(JAN, "jan@boer.example", "Automatisch antwoord:", "Offerte",
                       "Ik ben afwezig tot en met 6 januari.\n", auto_submitted=False, lang="nl-NL")


@add("Outlook out-of-office, Spanish: encoded 'Respuesta automática:' subject")
def _():
    return outlook_ooo(MARCOS, "marcos@acme.example", "Respuesta automática:", "Su cita",
                       "Estaré fuera de la oficina hasta el lunes.\n", lang="es-ES")


@add("vacation auto-reply marked only by Precedence: auto_reply and X-Autorespond (no Auto-Submitted)")
def _():
    return msg(base(JAN, subject="Afwezig: Re: Offerte",
                    extra=[("Precedence", "auto_reply"), ("X-Autorespond", "Afwezig"),
                           ("X-Auto-Response-Suppress", "DR, OOF, AutoReply")]),
               text("Ik ben met vakantie.\n", "ascii"))


@add("Auto-Submitted with odd spellings: upper case, comment, auto-notified")
def _():
    return msg(base(IVAN, subject="Uvedomlenie", extra=[("Auto-Submitted", "AUTO-NOTIFIED (read receipt)"),
                                                     ("auto-submitted", "auto-replied; owner-email=\"ivan@ivanov.example\"")]),
               text("Your message was read.\n", "ascii"))


@add("a person's mail with Auto-Submitted: no (must be treated as human)")
def _():
    return msg(base(JAN, subject="Vraag over de factuur", extra=[("Auto-Submitted", "no")]),
               text("Goedemiddag,\n\nIk heb een vraag over factuur 2026-117. Kunt u mij terugbellen?\n\nJan de Boer\n", "ascii"))


# --------------------------------------------------------------------------- mailing lists

@add("mailing-list mail: List-Id, List-Unsubscribe, List-Post, Precedence: list, Mailman From munging")
def _():
    return msg([("From", "Giulia Rossi via Clienti <clienti@lists.rossi.example>"), ("Reply-To", GIULIA),
                ("To", "clienti@lists.rossi.example"), ("Cc", DESK), ("Subject", "[Clienti] Orari di dicembre"),
                ("Date", date()), ("Message-ID", mid("rossi.example")),
                ("List-Id", "Clienti dello studio <clienti.lists.rossi.example>"),
                ("List-Unsubscribe", "<https://lists.rossi.example/options/clienti>,\r\n <mailto:clienti-request@lists.rossi.example?subject=unsubscribe>"),
                ("List-Post", "<mailto:clienti@lists.rossi.example>"), ("List-Archive", "<https://lists.rossi.example/archives/clienti>"),
                ("Precedence", "list"), ("Sender", "\"Clienti\" <clienti-bounces@lists.rossi.example>"),
                ("Errors-To", "clienti-bounces@lists.rossi.example"),
                ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit")],
               text("Gli orari di dicembre sono cambiati.\n\n_______________________________________________\n"
                    "Clienti mailing list -- clienti@lists.rossi.example\n", "utf-8"))


@add("newsletter: Precedence: bulk, List-Unsubscribe-Post one-click, HTML + text, tracking pixel")
def _():
    bd = "news"
    return msg([("From", "Acme News <news@acme.example>"), ("To", DESK), ("Subject", "Acme December newsletter"),
                ("Date", date()), ("Message-ID", mid("mailer.acme.example")), ("Precedence", "bulk"),
                ("List-Id", "<newsletter.acme.example>"),
                ("List-Unsubscribe", "<https://acme.example/u/abc123>, <mailto:unsub@acme.example?subject=abc123>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), ("Feedback-ID", "dec:news:acme"),
                ("MIME-Version", "1.0"), ("Content-Type", 'multipart/alternative; boundary="%s"' % bd)],
               multipart(bd, [
                   ([("Content-Type", "text/plain; charset=us-ascii")], text("Our December news.\n", "ascii")),
                   ([("Content-Type", "text/html; charset=us-ascii")],
                    text("<p>Our December news.</p><img src=\"https://acme.example/t.gif?id=abc123\" width=1 height=1>\n", "ascii")),
               ]))


@add("list digest-like bulk mail with Precedence: junk and List-Id but no List-Unsubscribe")
def _():
    return msg(base("Garcia Asociados <boletin@garcia.example>", subject="Boletin semanal",
                    extra=[("Precedence", "junk"), ("List-Id", "boletin.garcia.example")]),
               text("Novedades de la semana.\n", "ascii"))


# --------------------------------------------------------------------------- missing / odd headers

@add("no Message-ID")
def _():
    return msg([("From", MARIA), ("To", DESK), ("Subject", "Sin Message-ID"), ("Date", date())],
               text("Hola, sin identificador.\n", "ascii"))


@add("no Message-ID and no Date")
def _():
    return msg([("From", JAN), ("To", DESK), ("Subject", "Geen Message-ID, geen datum")], text("Hallo.\n", "ascii"))


@add("no Date")
def _():
    return msg([("From", GIULIA), ("To", DESK), ("Subject", "Senza data"), ("Message-ID", mid("rossi.example"))],
               text("Ciao, nessuna data.\n", "ascii"))


@add("Date in year 9999")
def _():
    d = format_datetime(datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc))
    return msg([("From", IVAN), ("To", DESK), ("Subject", "God 9999"), ("Date", d), ("Message-ID", mid("ivanov.example"))],
               text("Far future.\n", "ascii"))


@add("Date in year 1900")
def _():
    d = format_datetime(datetime(1900, 1, 1, 0, 0, 0, tzinfo=timezone.utc))
    return msg([("From", MARCOS), ("To", DESK), ("Subject", "Anno 1900"), ("Date", d), ("Message-ID", mid("acme.example"))],
               text("Far past.\n", "ascii"))


@add("impossible and garbage Dates: 32 Feb 25:61:61 +9999, plus a second Date field 'yesterday'")
def _():
    return msg([("From", SARAH), ("To", DESK), ("Subject", "Bad date"), ("Date", "Thu, 32 Feb 2026 25:61:61 +9999"),
                ("Date", "yesterday"), ("Message-ID", mid("acme.example"))], text("Bad date.\n", "ascii"))


@add("obsolete Date forms: two-digit year, named zone EST, no weekday, no seconds")
def _():
    return msg([("From", GIULIA), ("To", DESK), ("Subject", "Data vecchia"), ("Date", "2 Dec 26 09:30 EST"),
                ("Message-ID", mid("rossi.example"))], text("Ciao.\n", "ascii"))


@add("Date as a Unix timestamp, empty Message-ID, and Message-ID without angle brackets in In-Reply-To")
def _():
    return msg([("From", JAN), ("To", DESK), ("Subject", "Tijdstempel"), ("Date", "1796198400"),
                ("Message-ID", ""), ("In-Reply-To", "orig-3@practice.example"), ("References", "<<<>>> <a@b")],
               text("Hallo.\n", "ascii"))


@add("no From header (signature carries an address)")
def _():
    return msg([("To", DESK), ("Subject", "Sin remitente"), ("Date", date()), ("Message-ID", mid("garcia.example"))],
               text("Hola, soy Maria: maria@garcia.example\n", "ascii"))


@add("empty From header, and a From that is only a display name")
def _():
    return msg([("From", ""), ("From", "Ivan Ivanov"), ("To", DESK), ("Subject", "Pustoj otpravitel"),
                ("Date", date()), ("Message-ID", mid("ivanov.example"))], text("Privet.\n", "ascii"))


@add("two From addresses in one field, with Sender (valid RFC 5322)")
def _():
    return msg([("From", "Giulia Rossi <giulia@rossi.example>, Marco Rossi <marco@rossi.example>"),
                ("Sender", "Giulia Rossi <giulia@rossi.example>"), ("To", DESK), ("Subject", "Da entrambi"),
                ("Date", date()), ("Message-ID", mid("rossi.example"))], text("Scriviamo insieme.\n", "ascii"))


@add("two From header fields (invalid), different clients, no Sender")
def _():
    return msg([("From", MARIA), ("From", IVAN), ("To", DESK), ("Subject", "Dos remitentes"),
                ("Date", date()), ("Message-ID", mid("garcia.example"))], text("Hola.\n", "ascii"))


@add("From as group syntax (undisclosed:;) and To as an empty group")
def _():
    return msg([("From", "undisclosed-sender:;"), ("To", "undisclosed-recipients:;"), ("Bcc", DESK),
                ("Subject", "Group"), ("Date", date()), ("Message-ID", mid("acme.example"))], text("Hi.\n", "ascii"))


@add("hostile From: display name holding another address, comments, unbalanced brackets, IDN and UTF-8 local part")
def _():
    return msg([("From", '"giulia@rossi.example" <spoof@boer.example> (really Jan)'),
                ("Reply-To", "<<jan@boer.example"), (b"Cc", "josé@garcia.example, info@xn--grca-1qa.example".encode()),
                ("To", "desk@practice.example (Front (nested) Desk)"), ("Subject", "Wie ben ik?"),
                ("Date", date()), ("Message-ID", mid("boer.example"))], text("Wie?\n", "ascii"))


@add("Sender, Reply-To and Return-Path all different from From")
def _():
    return msg([("Return-Path", "<bounce+x@mailer.acme.example>"), ("From", SARAH),
                ("Sender", "Assistant <assistant@acme.example>"), ("Reply-To", "Sarah (mobile) <sarah.m@acme.example>"),
                ("To", DESK), ("Subject", "On behalf"), ("Date", date()), ("Message-ID", mid("acme.example"))],
               text("Sent on behalf of Sarah.\n", "ascii"))


@add("self-addressed: From and To both desk@practice.example (note to self)")
def _():
    return msg([("From", "Front Desk <desk@practice.example>"), ("To", "desk@practice.example"),
                ("Subject", "Nota: llamar a Maria Garcia"), ("Date", date()), ("Message-ID", mid("practice.example"))],
               text("Llamar a maria@garcia.example el lunes.\n", "ascii"))


@add("copy of the desk's own sent mail to a client (From desk, To client)")
def _():
    return msg([("From", "Front Desk <desk@practice.example>"), ("To", JAN), ("Cc", DESK),
                ("Subject", "Bevestiging afspraak"), ("Date", date()), ("Message-ID", mid("practice.example"))],
               text("Beste Jan, tot dinsdag.\n", "ascii"))


@add("reply with a long quoted history (Spanish 'escribió:'), Reply-To and References")
def _():
    quoted = "".join("> " * k + "Línea citada %d\n" % k for k in range(1, 40))
    return msg(base(MARIA, subject="RE: RE: Re: AW: Cita", ct="text/plain; charset=UTF-8", cte="8bit",
                    extra=[("In-Reply-To", "<orig-4@practice.example>"),
                           ("References", " ".join("<r%d@practice.example>" % i for i in range(30)))]),
               text("Perfecto, hasta el martes.\n\nEl lun, 1 dic 2026 a las 9:00, Front Desk "
                    "<desk@practice.example> escribió:\n" + quoted, "utf-8"))


@add("500 recipients in To and Cc (folded), several of them clients")
def _():
    to = ",\r\n ".join("client%03d@acme.example" % i for i in range(250))
    cc = ",\r\n ".join("user%03d@boer.example" % i for i in range(250))
    return msg([("From", SARAH), ("To", to), ("Cc", cc + ",\r\n " + DESK), ("Subject", "All hands"),
                ("Date", date()), ("Message-ID", mid("acme.example"))], text("Hi all.\n", "ascii"))


# --------------------------------------------------------------------------- size and structure

@add("a single header line 100 KB long (X-Filler, unfolded)")
def _():
    return msg(base(IVAN, subject="Dlinnyj zagolovok", extra=[("X-Filler", "A" * 102400)]), text("Privet.\n", "ascii"))


@add("Subject as one unfolded 100 KB line of encoded-words")
def _():
    w = ew_q("señal ".encode())
    subj = b" ".join([w] * (102400 // (len(w) + 1) + 1))
    return msg([("From", MARIA), ("To", DESK), (b"Subject", subj), ("Date", date()),
                ("Message-ID", mid("garcia.example"))], text("Hola.\n", "ascii"))


@add("10,000 header fields")
def _():
    return msg(base(JAN, subject="Veel velden", extra=[("X-Field-%05d" % i, "v") for i in range(10000)]),
               text("Hallo.\n", "ascii"))


@add("one header folded over 5,000 continuation lines (References)")
def _():
    refs = "\r\n ".join("<r%05d@boer.example>" % i for i in range(5000))
    return msg(base(JAN, subject="Diepe draad", extra=[("References", refs)]), text("Hallo.\n", "ascii"))


@add("body with a single 300 KB line (no line breaks)")
def _():
    return msg(base(SARAH, subject="Long line", ct="text/plain; charset=us-ascii"), b"x" * 300000 + CRLF)


@add("5,000 MIME parts nested: multipart/mixed 5,000 levels deep")
def _():
    depth = 5000
    out = b""
    for i in range(depth):
        out += b"--n%d\r\nContent-Type: multipart/mixed; boundary=n%d\r\n\r\n" % (i, i + 1)
    out += b"--n%d\r\nContent-Type: text/plain\r\n\r\nDeepest part.\r\n--n%d--\r\n" % (depth, depth)
    for i in range(depth - 1, -1, -1):
        out += b"--n%d--\r\n" % i
    return msg(base(IVAN, subject="Matryoshka", ct="multipart/mixed; boundary=n0"), out)


@add("5,000 sibling MIME parts in one multipart/mixed (tiny text parts and a few attachments)")
def _():
    parts = []
    for i in range(5000):
        if i % 1000 == 999:
            parts.append(([("Content-Type", "image/png"), ("Content-Disposition", "attachment; filename=p%d.png" % i),
                           ("Content-Transfer-Encoding", "base64")], b64(png(2, 2))))
        else:
            parts.append(([("Content-Type", "text/plain")], b"part %d\r\n" % i))
    return msg(base(GIULIA, subject="Molte parti", ct="multipart/mixed; boundary=many"), multipart("many", parts))


# --------------------------------------------------------------------------- broken bytes

@add("NUL bytes in headers and body, bare CR line ends, bare CR inside a header")
def _():
    return (b"From: Jan de Boer <jan@boer.example>\x00\r\n"
            b"To: desk@practice.example\r\n"
            b"Subject: NUL\x00bytes\rand bare CR\r\n"
            b"Date: " + b(date()) + b"\r\n"
            b"Message-ID: " + b(mid("boer.example")) + b"\r\n"
            b"Content-Type: text/plain; charset=UTF-8\r\n\r\n"
            b"Goedemorgen,\rdit is een regel\x00met NUL.\r\r\x00\x00\x00\rTot dinsdag.\r")


@add("bare CR line endings throughout (classic Mac), no LF at all")
def _():
    return msg(base(GIULIA, subject="Solo CR"), text("Ciao.\nSolo CR.\n", "ascii")).replace(CRLF, b"\r")


@add("mixed line endings: CRLF headers, LF body, one LFCR and one CRCRLF")
def _():
    return (msg(base(MARCOS, subject="Mezcla"), b"") + b"Linea uno\nLinea dos\n\rLinea tres\r\r\nFin\n")


@add("UTF-8 byte order mark before the first header")
def _():
    return b"\xef\xbb\xbf" + msg(base(MARIA, subject="BOM"), text("Hola.\n", "ascii"))


@add("mbox 'From ' line and '>From' quoting left in a Maildir file")
def _():
    return b"From maria@garcia.example Tue Dec  2 09:30:00 2026\r\n" + msg(
        base(MARIA, subject="mbox"), text("Hola.\n>From the desk.\nFrom here on.\n", "ascii"))


@add("header syntax errors: line without colon, space before colon, continuation before any header, odd case")
def _():
    return (b" leading continuation line\r\n"
            b"FROM: Giulia Rossi <giulia@rossi.example>\r\n"
            b"this line has no colon\r\n"
            b"sUbJeCt : Intestazioni strane\r\n"
            b"To:desk@practice.example\r\n"
            b": empty name\r\n"
            b"X-Empty:\r\n"
            b"\t\r\n"
            b"Date: " + b(date()) + b"\r\n\r\nCiao.\r\n")


@add("message starting with a blank line (no headers, everything is body)")
def _():
    return CRLF + text("From: jan@boer.example\nSubject: this is body text\n\nHallo.\n", "ascii")


@add("only headers: no blank line and no body")
def _():
    return msg(base(SARAH, subject="Headers only"), blank=False)


@add("headers and the blank line, empty body")
def _():
    return msg(base(IVAN, subject="Pustoe pismo"), b"")


@add("headers cut off in the middle of a line (truncated file, no line end)")
def _():
    return msg(base(GIULIA, subject="Troncato"), blank=False) + b"X-Truncated: abc"


@add("empty file (0 bytes)")
def _():
    return b""


@add("random bytes only (4 KB, seeded)")
def _():
    return random.Random(5322).randbytes(4096)


@add("random bytes after a valid header block (binary body, no Content-Type)")
def _():
    return msg(base(MARCOS, subject="Binario"), random.Random(2047).randbytes(2048))


@add("Content-Type garbage: 'text', '/', parameters without values, duplicate charset")
def _():
    bd = "g"
    return msg(base(SARAH, subject="Bad content type", ct='multipart/mixed; boundary=g; boundary=h; ;;; =x'),
               multipart(bd, [
                   ([("Content-Type", "text")], b"one\r\n"),
                   ([("Content-Type", "/")], b"two\r\n"),
                   ([("Content-Type", "text/plain; charset=utf-8; charset=koi8-r; format")], text("Привет\n", "utf-8")),
               ]))


# --------------------------------------------------------------------------- write

def main():
    os.makedirs(CUR, exist_ok=True)
    for f in os.listdir(CUR):
        if f.startswith("own-") and f.endswith(".eml"):
            os.remove(os.path.join(CUR, f))
    index = ["file\tbytes\tabout"]
    for i, (desc, fn) in enumerate(MESSAGES, 1):
        N[:] = [i, 0]  # Message-IDs depend only on the message's place, not on call order
        data = fn()
        assert isinstance(data, bytes), desc
        assert len(data) < 2 * 1024 * 1024, (desc, len(data))
        name = "own-%03d.eml" % i
        with open(os.path.join(CUR, name), "wb") as f:
            f.write(data)
        index.append("%s\t%d\t%s" % (name, len(data), desc))
    with open(os.path.join(HERE, "own-index.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(index) + "\n")
    print("wrote %d messages" % len(MESSAGES))


if __name__ == "__main__":
    main()
