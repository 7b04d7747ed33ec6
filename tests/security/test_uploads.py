"""The hostile-file corpus (RELIABILITY.md "Uploads"; OWASP File Upload cheat sheet).

Every file here is refused before anything is stored: the person sees a clear message on the
upload form, and the only trace is the audit event of the attempt (name, SHA-256, size, reason).
Formulas are refused cell by cell (a row error, so the row is never imported). Path-like file
names are not refused: the file is stored under a generated name and the original name is kept
as plain metadata, without directories or control characters.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from email.message import Message

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rules.models import AuditEvent
from screening.imports import receiving
from screening.models import Product, Upload
from tests.conftest import IN_FORCE_DAY
from tests.rules.helpers import xlsx_bytes
from tests.screening.test_uploads import zip_bomb

# --- a minimal XLSX whose parts can be replaced ------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PROLOG = '<?xml version="1.0" encoding="UTF-8"?>'
PARTS = {
    "[Content_Types].xml": f"{PROLOG}<Types xmlns="
    '"http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": f'{PROLOG}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
    f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'{PROLOG}<!--DTD--><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
    '<sheet name="specs" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'{PROLOG}<!--DTD--><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>",
    "xl/worksheets/sheet1.xml": f'{PROLOG}<!--DTD--><worksheet xmlns="{MAIN}"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>Cell<!--REF-->'
    "</t></is></c></row></sheetData></worksheet>",
    "xl/sharedStrings.xml": f'{PROLOG}<!--DTD--><sst xmlns="{MAIN}" count="3" uniqueCount="3">'
    "<si><t>sku</t></si><si><t>name</t></si><si><t>A-1<!--REF--></t></si></sst>",
}
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY l0 "lol">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY l9 SYSTEM "file:///etc/passwd">]>'


def xlsx_with(part: str = "", doctype: str = "", parts: dict[str, str] | None = None) -> bytes:
    """The minimal workbook; `part` gets `doctype` and uses its entity &l9; in a text node;
    `parts` replaces parts whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**PARTS, **(parts or {})}.items():
            if name == part:
                text = text.replace("<!--DTD-->", doctype).replace("<!--REF-->", "&l9;")
                if "&l9;" not in text:  # no text node: put the reference in an attribute
                    text = text.replace('name="specs"', 'name="&l9;"').replace(
                        'Id="rId1"', 'Id="&l9;"'
                    )
            archive.writestr(name, text.replace("<!--DTD-->", "").replace("<!--REF-->", ""))
    return buffer.getvalue()


def zip_without_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "not a spreadsheet")
    return buffer.getvalue()


def csv_of_columns(n: int) -> bytes:
    return (
        ",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("1" for _ in range(n)) + "\n"
    ).encode()


def corner_xlsx() -> bytes:
    """Cells at A1 and XFD1048576: 1.5 KB whose rectangle the reader would allocate whole."""
    sheet = (
        PARTS["xl/worksheets/sheet1.xml"]
        .replace('<row r="2">', '<row r="1048576">')
        .replace('r="A2"', 'r="XFC1048576"')
        .replace('r="B2"', 'r="XFD1048576"')
    )
    return xlsx_with(parts={"xl/worksheets/sheet1.xml": sheet})


DTD_REFUSED = (
    "The XLSX cannot be read safely: its part %s declares an XML document type (DTD), which no "
    "workbook needs; it was refused as unsafe."
)

# label, file name, content, the message the person reads
HOSTILE = [
    ("zip bomb", "bomb.xlsx", zip_bomb(), "far more than it weighs (a zip bomb?)"),
    (
        "billion laughs in the workbook",
        "laughs.xlsx",
        xlsx_with("xl/workbook.xml", LAUGHS),
        DTD_REFUSED % "xl/workbook.xml",
    ),
    (
        "billion laughs in the relationships",
        "laughs.xlsx",
        xlsx_with("xl/_rels/workbook.xml.rels", LAUGHS),
        DTD_REFUSED % "xl/_rels/workbook.xml.rels",
    ),
    (
        "billion laughs in the sheet",
        "laughs.xlsx",
        xlsx_with("xl/worksheets/sheet1.xml", LAUGHS),
        DTD_REFUSED % "xl/worksheets/sheet1.xml",
    ),
    (
        "billion laughs in the shared strings",
        "laughs.xlsx",
        xlsx_with("xl/sharedStrings.xml", LAUGHS),
        DTD_REFUSED % "xl/sharedStrings.xml",
    ),
    (
        "external entity in the workbook",
        "xxe.xlsx",
        xlsx_with("xl/workbook.xml", EXTERNAL),
        DTD_REFUSED % "xl/workbook.xml",
    ),
    (
        "external entity in the sheet",
        "xxe.xlsx",
        xlsx_with("xl/worksheets/sheet1.xml", EXTERNAL),
        DTD_REFUSED % "xl/worksheets/sheet1.xml",
    ),
    (
        "external entity in the shared strings",
        "xxe.xlsx",
        xlsx_with("xl/sharedStrings.xml", EXTERNAL),
        DTD_REFUSED % "xl/sharedStrings.xml",
    ),
    (
        "renamed Windows program",
        "specs.csv",
        b"MZ\x90\x00\x03" + b"\x00" * 200,
        "This is a Windows program, not a CSV or XLSX spreadsheet.",
    ),
    (
        "renamed Linux program",
        "specs.xlsx",
        b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
        "This is a program, not a CSV or XLSX spreadsheet.",
    ),
    (
        "renamed PNG",
        "specs.xlsx",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
        "This is a PNG image, not a CSV or XLSX spreadsheet.",
    ),
    (
        "renamed PDF",
        "specs.csv",
        b"%PDF-1.7\n1 0 obj<<>>endobj\n",
        "This is a PDF document, not a CSV or XLSX spreadsheet.",
    ),
    (
        "old Excel renamed",
        "specs.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
        "This is an old Excel 97-2003 (.xls) or other Office file; save it as .xlsx",
    ),
    (
        "broken zip",
        "specs.xlsx",
        b"PK\x03\x04" + b"\x00" * 100,
        "The file looks like an XLSX but its zip structure is broken.",
    ),
    (
        "zip that is not a workbook",
        "specs.xlsx",
        zip_without_a_workbook(),
        "This zip file is not an XLSX workbook.",
    ),
    (
        "NUL bytes",
        "specs.csv",
        b"sku,name\nA\x00B,c\n",
        "The file contains NUL bytes: it is neither a CSV text file nor an XLSX workbook.",
    ),
    (
        "wrong encoding",
        "specs.csv",
        "sku,name\nA-1,caf\xe9 \xff\xfe\n".encode("latin-1"),
        "The file is not text in UTF-8 or GB18030 (GBK). Save it as 'CSV UTF-8'.",
    ),
    (
        "broken UTF-16",
        "specs.csv",
        b"\xff\xfes\x00k\x00u\x00\n\x00\x00\xd8",
        "The file claims to be UTF-16 text but is not.",
    ),
    (
        "enormous row (one line of 4 MB)",
        "specs.csv",
        b"sku,name\n" + b"a," * 2_000_000 + b"a\n",
        "Line 2 holds 4,000,001 characters; a row holds at most 60 cells of 2,000 characters.",
    ),
    (
        "enormous cell (3 MB)",
        "specs.csv",
        b"sku,name\n" + b"A" * 3_000_000 + b",x\n",
        "Line 2 holds 3,000,002 characters; a row holds at most 60 cells of 2,000 characters.",
    ),
    (
        "a long cell, on a line of a bearable length",
        "specs.csv",
        b"sku,name\n" + b"A" * 5_000 + b",x\n",
        "Row 2, column 'sku' holds 5,000 characters; the limit is 2,000.",
    ),
    (
        "160,000 columns (issue 19)",
        "specs.csv",
        csv_of_columns(160_000),
        "The file has 160,000 columns; the limit is 60.",
    ),
    (
        "160,000 empty header cells",
        "specs.csv",
        b"sku,name" + b"," * 160_000 + b"\nA-1,Cell\n",
        "The header row has 160,002 cells; the limit is 60 columns.",
    ),
    (
        "an XLSX reaching XFD1048576",
        "corner.xlsx",
        corner_xlsx(),
        "The XLSX has a cell at XFC1048576, beyond the limits of 300,000 rows and 60 columns",
    ),
    (
        "enormous cell in an XLSX",
        "specs.xlsx",
        xlsx_bytes([["sku", "name"], ["A-1", "x" * 30_000]]),
        "Row 2, column 'name' holds 30,000 characters; the limit is 2,000.",
    ),
    (
        "too many columns",
        "specs.csv",
        csv_of_columns(61),
        "The file has 61 columns; the limit is 60.",
    ),
    (
        "too many rows",
        "specs.csv",
        b"sku\n" + b"A\n" * 300_001,
        "The file has 300,001 rows; the limit is 300,000.",
    ),
    ("empty", "specs.csv", b"", "The file is empty."),
    ("only blank lines", "specs.csv", b"\n\n,,\n", "The file has no header row (it is empty)."),
]


@pytest.fixture
def logged_in(client, analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(analyst)
    return client


def upload(client, data: bytes, name: str):
    return client.post(
        reverse("upload_new"), {"file": SimpleUploadedFile(name, data), "as_of": "2026-12-01"}
    )


def assert_refused_and_only_audited(response, data: bytes, message: str, media) -> None:
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert (Upload.objects.count(), Product.objects.count()) == (0, 0)
    assert list(media.rglob("*")) == []
    attempt = AuditEvent.objects.get(action="upload.rejected")
    assert message in attempt.reason
    assert attempt.after == {
        "name": attempt.after["name"],
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }


@pytest.mark.parametrize(("label", "name", "data", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_and_only_the_attempt_is_audited(
    logged_in, tmp_path, label, name, data, message
):
    response = upload(logged_in, data, name)
    assert_refused_and_only_audited(response, data, message, tmp_path)


def test_a_file_over_the_size_limit_is_refused_having_read_only_one_byte_more(
    logged_in, settings, tmp_path
):
    limit = 1024 * 1024
    settings.SPEC_FILE_LIMITS = {**settings.SPEC_FILE_LIMITS, "max_bytes": limit}
    data = b"sku,name\n" + b"A-1,Cell\n" * 250_000
    response = upload(logged_in, data, "big.csv")
    # The message gives the file's real size (it said "1.0 MB" for this 2.1 MB file: the size of
    # what had been read), although only the limit and one byte were read.
    message = "The file is 2.1 MB; the limit is 1 MB."
    assert message in " ".join(response.context["form"].errors["file"])
    assert (Upload.objects.count(), list(tmp_path.rglob("*"))) == (0, [])
    attempt = AuditEvent.objects.get(action="upload.rejected")
    assert (attempt.reason, attempt.after["size"]) == (message, len(data))
    assert attempt.after["sha256"] == hashlib.sha256(data[: limit + 1]).hexdigest()


def test_the_limits_the_validator_uses_are_the_ones_shown(logged_in, settings):
    settings.SPEC_FILE_LIMITS = {
        **settings.SPEC_FILE_LIMITS,
        "max_bytes": 5 * 1024 * 1024,
        "max_rows": 1234,
        "max_columns": 7,
    }
    page = logged_in.get(reverse("upload_new")).content.decode()
    assert "Up to 5.0\xa0MB per file" in page
    assert "Up to 1,234 rows and 7 columns" in page
    response = upload(logged_in, csv_of_columns(8), "wide.csv")
    assert "The file has 8 columns; the limit is 7." in response.content.decode()


def test_an_enormous_header_cell_is_refused(logged_in, tmp_path):
    data = b"sku," + b"n" * 3_000_000 + b"\nA-1,x\n"
    response = upload(logged_in, data, "specs.csv")
    assert_refused_and_only_audited(response, data, "holds 3,000,000 characters", tmp_path)


# --- formulas: refused cell by cell -------------------------------------------------------------

FORMULA = "holds a formula; paste the values only (formulas are not accepted)"


def test_formulas_in_xlsx_cells_are_row_errors_and_never_imported(logged_in, analyst):
    data = xlsx_bytes(
        [
            [
                "sku",
                "name",
                "category",
                "subtype",
                "energy_density_wh_per_kg",
                "destination_country",
            ],
            ["F-1", "Cell", "battery_cell", "li_ion", "=200+110", "DE"],
            ["F-2", '=HYPERLINK("http://evil.example","x")', "battery_cell", "li_ion", "300", "DE"],
            ["F-3", "Cell", "battery_cell", "li_ion", '=WEBSERVICE("http://x")', "DE"],
        ]
    )
    upload(logged_in, data, "formulas.xlsx")
    stored = Upload.objects.get()
    errors = {row.row: row.errors for row in stored.rows.order_by("row")}
    formula = {"column": "energy_density_wh_per_kg", "value": "", "message": FORMULA}
    formula |= {"code": "xlsx.formula", "params": {}}
    assert errors[2] == [formula]
    assert sorted(e["message"] for e in errors[3] if e["column"] == "name") == [
        FORMULA,
        "required",
    ]
    assert errors[4] == [formula]
    response = logged_in.post(
        reverse("upload_commit", args=[stored.pk]), {"policy": "valid_rows"}, follow=True
    )
    assert response.status_code == 200
    assert Product.objects.count() == 0


def test_a_formula_typed_into_a_csv_number_cell_is_a_row_error(logged_in):
    data = (
        b"sku,name,category,subtype,energy_density_wh_per_kg\nF-9,Cell,battery_cell,li_ion,=1+1\n"
    )
    upload(logged_in, data, "formula.csv")
    row = Upload.objects.get().rows.get()
    assert row.errors == [
        {
            "column": "energy_density_wh_per_kg",
            "value": "=1+1",
            "message": "'=1+1' is not a number",
            "code": "units.not_a_number",
            "params": {"text": "=1+1"},
        }
    ]


# --- path-like names: stored under a generated name, kept as plain metadata --------------------

GOOD = (
    b"sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    b"P-1,Cell,battery_cell,li_ion,310,DE\n"
)
NAMES = [
    ("../../x.csv", "x.csv"),
    ("..\\..\\windows\\x.csv", "x.csv"),
    ("C:\\x\\y.csv", "y.csv"),
    ("/etc/cron.d/specs.csv", "specs.csv"),
    ("a\x00b.csv", "ab.csv"),
    ("line\nbreak\r.csv", "linebreak.csv"),
    ("..", ".."),
    ("", "file"),
]


def multipart(filename_header: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body as any HTTP client could send it (the test client strips paths itself)."""
    boundary = "SECURITYTESTBOUNDARY"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="as_of"\r\n\r\n2026-12-01\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; {filename_header}\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "header",
    [
        'filename="../../x.csv"',
        'filename="C:\\\\x\\\\y.csv"',
        "filename*=UTF-8''..%2F..%2Fx%00%0A.csv",
    ],
)
def test_path_like_names_sent_over_http_are_kept_as_plain_names(logged_in, tmp_path, header):
    body, content_type = multipart(header, GOOD)
    response = logged_in.post(reverse("upload_new"), body, content_type=content_type)
    stored = Upload.objects.get()
    assert response["Location"] == stored.get_absolute_url()
    assert stored.original_name in ("x.csv", "y.csv")
    assert all(path.is_relative_to(tmp_path / "uploads") for path in tmp_path.rglob("*"))
    assert stored.original_name not in stored.file.name


@pytest.mark.parametrize(("given", "kept"), NAMES, ids=[repr(n) for n, _ in NAMES])
def test_path_like_names_are_never_paths(analyst, settings, tmp_path, given, kept):
    """Whatever name reaches the domain function (not only through a browser)."""
    settings.MEDIA_ROOT = tmp_path
    stored = receiving.receive(data=GOOD, filename=given, user=analyst, as_of=IN_FORCE_DAY)
    assert stored.original_name == kept
    (path,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert path.is_relative_to(tmp_path / "uploads")
    assert path.read_bytes() == GOOD
    assert kept not in path.name


# --- download names: what a browser saves a download as (issue 19, item 4) -----------------------

# A name that closes the quoted filename of a hand-built header and adds a filename* parameter,
# which browsers prefer: the error report would be saved as invoice.html.
SPOOF = 'filename="invoice.html\\"; filename*=UTF-8\'\'invoice.html; x=\\".csv"'


def saved_as(response) -> str:
    """The file name a browser saves the download under (RFC 6266: filename* wins)."""
    header = Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    params = [name for name, _value in header.get_params(header="content-disposition")]
    assert params[0] == "attachment"
    assert len(params) == 2, params  # one file name parameter, nothing smuggled in
    return header.get_filename()


def test_a_crafted_file_name_cannot_choose_the_name_downloads_are_saved_as(logged_in, tmp_path):
    bad = GOOD + b"P-2,Cell,spaceship,li_ion,310,DE\n"
    body, content_type = multipart(SPOOF, bad)
    logged_in.post(reverse("upload_new"), body, content_type=content_type)
    stored = Upload.objects.get()
    assert stored.original_name == "invoice.html; filename=UTF-8''invoice.html; x=.csv"
    report = logged_in.post(reverse("upload_errors", args=[stored.pk]))
    assert saved_as(report) == "invoice.html; filename=UTF-8''invoice.html; x=-errors.csv"
    original = logged_in.post(reverse("upload_original", args=[stored.pk]))
    assert saved_as(original) == "invoice.html; filename=UTF-8''invoice.html; x=.csv"
    b"".join(original.streaming_content)


@pytest.mark.parametrize(
    ("name", "kind", "saved"),
    [
        ("invoice.html", "csv", "invoice.csv"),
        ("report.xlsx.html", "xlsx", "report.xlsx.xlsx"),
        ("no-extension", "csv", "no-extension.csv"),
        (".hidden", "csv", ".hidden.csv"),
        ('we"ird\\\\dir\\\\na<m>e|.csv', "csv", "name.csv"),
    ],
)
def test_an_original_upload_is_saved_with_the_extension_of_its_content(
    logged_in, analyst, name, kind, saved
):
    data = GOOD if kind == "csv" else xlsx_bytes([["sku", "name"], ["A-1", "Cell"]])
    stored = receiving.receive(data=data, filename=name, user=analyst, as_of=IN_FORCE_DAY)
    response = logged_in.post(reverse("upload_original", args=[stored.pk]))
    assert saved_as(response) == saved
    b"".join(response.streaming_content)


@pytest.mark.parametrize("given", ["../../x.csv", "C:\\x\\y.csv", "a\x00\nb.csv"])
def test_a_refused_file_is_audited_under_its_plain_name(logged_in, analyst, tmp_path, given):
    with pytest.raises(receiving.UploadRejected):
        receiving.receive(
            data=b"MZ" + b"\x00" * 64, filename=given, user=analyst, as_of=IN_FORCE_DAY
        )
    attempt = AuditEvent.objects.get(action="upload.rejected")
    assert "/" not in attempt.object_repr
    assert "\\" not in attempt.object_repr
    assert attempt.object_repr.isprintable()
    assert list(tmp_path.rglob("*")) == []
