"""Reading an XLSX spec file safely. Every limit is checked before the work it bounds: the zip's
member count, unpacked size and compression ratio before anything is unpacked, then every XML
part's prolog (a document type declaration is refused) and the cell references of the sheet
(nothing beyond the row and column limits) before the sheet is read. Its XML is read with
defusedxml, and cells holding formulas are reported. Plain Python (no Django).
"""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import python_calamine
from defusedxml import ElementTree as SafeET

from rules.cells import CellIssue, normalise_header
from rules.messages import Template, gettext_noop
from rules.rawtables import FileLimits, RawTable, SpecFileError, table_from_cells

MANY_PARTS = Template(
    "xlsx.many_parts",
    gettext_noop("The XLSX has %(parts)s parts; a spreadsheet needs far fewer."),
)
ZIP_BOMB = Template(
    "xlsx.zip_bomb",
    gettext_noop("The XLSX unpacks to far more than it weighs (a zip bomb?); it was not opened."),
)
UNPACKS_TOO_BIG = Template(
    "xlsx.unpacks_too_big",
    gettext_noop("The XLSX unpacks to %(size)s MB; the limit is %(limit)s MB."),
)
NOT_A_WORKBOOK = Template(
    "xlsx.not_a_workbook", gettext_noop("This zip file is not an XLSX workbook.")
)
LONG_PROLOG = Template(
    "xlsx.long_prolog",
    gettext_noop(
        "The XLSX cannot be read safely: its part %(part)s has no document element in its "
        "first 64 KB; it was refused."
    ),
)
DTD_REFUSED = Template(
    "xlsx.dtd",
    gettext_noop(
        "The XLSX cannot be read safely: its part %(part)s declares an XML document type "
        "(DTD), which no workbook needs; it was refused as unsafe."
    ),
)
CELL_BEYOND = Template(
    "xlsx.cell_beyond",
    gettext_noop(
        "The XLSX has a cell at %(cell)s, beyond the limits of %(rows)s rows and %(columns)s "
        "columns; it was not opened."
    ),
)
BARE_CELLS = Template(
    "xlsx.bare_cells",
    gettext_noop(
        "The XLSX has cells or rows without a cell reference, which spreadsheet programs "
        "always write; open it in Excel or LibreOffice and save it again."
    ),
)
NO_SHEET = Template("xlsx.no_sheet", gettext_noop("The XLSX workbook has no sheet."))
FIRST_SHEET_MISSING = Template(
    "xlsx.first_sheet_missing",
    gettext_noop("The XLSX workbook's first sheet cannot be found."),
)
BROKEN_ZIP = Template(
    "xlsx.broken_zip",
    gettext_noop("The file looks like an XLSX but its zip structure is broken."),
)
UNSAFE = Template("xlsx.unsafe", gettext_noop("The XLSX cannot be read safely: %(error)s"))
UNREADABLE = Template("xlsx.unreadable", gettext_noop("The XLSX cannot be read: %(error)s"))
COLUMN = Template("xlsx.column", gettext_noop("column %(n)s"))
FORMULA = Template(
    "xlsx.formula",
    gettext_noop("holds a formula; paste the values only (formulas are not accepted)"),
)

XLSX_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CELL_REF_RE = re.compile(r"^([A-Z]+)(\d+)$")


def _check_zip(archive: zipfile.ZipFile, size: int, limits: FileLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.xlsx_max_members:
        raise SpecFileError(MANY_PARTS(parts=len(members)))
    unpacked = 0
    for member in members:
        unpacked += member.file_size
        if member.compress_size and member.file_size / member.compress_size > limits.xlsx_max_ratio:
            raise SpecFileError(ZIP_BOMB())
    if unpacked > limits.xlsx_max_unpacked_bytes:
        raise SpecFileError(
            UNPACKS_TOO_BIG(
                size=f"{unpacked / 1_048_576:.0f}",
                limit=f"{limits.xlsx_max_unpacked_bytes / 1_048_576:.0f}",
            )
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SpecFileError(NOT_A_WORKBOOK())


# A document type declaration is where entities (billion laughs, external files) are declared; no
# part of a workbook needs one. It can only stand in the prolog, before the root element.
PROLOG_BYTES = 65_536
ROOT_START = re.compile(r"<[A-Za-z_]")
DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml_prologs(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook any of whose XML parts declares a document type (whether or not the
    importer would parse that part), or whose prolog is too long to see its end."""
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as fh:
            head = fh.read(PROLOG_BYTES)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = head.decode("utf-16", errors="replace")
        else:
            text = head.decode("latin-1")
        root = ROOT_START.search(text)
        if root is None and len(head) == PROLOG_BYTES:
            raise SpecFileError(LONG_PROLOG(part=member.filename))
        if DTD.search(text, 0, root.start() if root else len(text)):
            raise SpecFileError(DTD_REFUSED(part=member.filename))


def _above(bound: int, digits: str) -> str:
    """A regex for the numerals greater than `bound`: decimal (digits "0-9", leading zeros
    allowed) or spreadsheet column letters (digits "A-Z", bijective base 26)."""
    if digits == "0-9":
        text, zero, low, high = str(bound), "0*", "0", "9"
    else:
        text, zero, low, high, n = "", "", "A", "Z", bound
        while n:
            n, rest = divmod(n - 1, 26)
            text = chr(65 + rest) + text
    first = "1" if digits == "0-9" else "A"
    longer = f"[{first}-{high}][{low}-{high}]{{{len(text)},}}"
    same = []
    for i, char in enumerate(text):
        if char == high:
            continue
        bigger = chr(ord(char) + 1)
        tail = f"[{low}-{high}]{{{len(text) - i - 1}}}" if i < len(text) - 1 else ""
        same.append(f"{text[:i]}[{bigger}-{high}]{tail}")
    return zero + "(?:" + "|".join([longer, *same]) + ")"


def _check_sheet_extent(sheet: bytes, limits: FileLimits) -> None:
    """Refuse a sheet with a cell beyond the row or column limits before it is read: the reader
    allocates every cell of the rectangle up to the farthest one, so a 2-cell file reaching
    XFD1048576 would ask for hundreds of gigabytes."""
    rows = limits.max_rows + max(1_000, limits.max_rows // 10)  # room for blank rows
    # `r="` starts the pattern so that the search skips along at C speed (a 57 MB sheet of
    # 100,000 rows takes a fifth of a second); a match is checked to be an attribute.
    beyond = re.compile(
        rb'r="((?:%s)[0-9]+|[A-Z]+%s)"[^>]*(?<!/)>'
        % (_above(limits.max_columns, "A-Z").encode(), _above(rows, "0-9").encode())
    )
    for found in beyond.finditer(sheet):
        if sheet[found.start() - 1 : found.start()].isspace():
            raise SpecFileError(
                CELL_BEYOND(
                    cell=found.group(1).decode(),
                    rows=f"{limits.max_rows:,}",
                    columns=limits.max_columns,
                )
            )
    # A cell or row may leave out its reference (it then follows the previous one), so a row of
    # 16,384 bare cells reaches column XFD without naming it. Spreadsheet programs and libraries
    # write every reference; a sheet without them is refused rather than walked cell by cell.
    # Writers put `r` first: the quick searches find the others, which the exact one checks.
    suspect = QUICK_BARE_CELL.search(sheet) or QUICK_BARE_ROW.search(sheet) or b":c" in sheet
    if suspect and BARE.search(sheet):
        raise SpecFileError(BARE_CELLS())


QUICK_BARE_CELL = re.compile(rb'<c(?! r=")[\s/>]')
QUICK_BARE_ROW = re.compile(rb'<row(?! r=")[\s/>]')
BARE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)(?=[\s/>])(?![^>]*\sr=)")


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{{{XLSX_MAIN_NS}}}sheets/{{{XLSX_MAIN_NS}}}sheet")
    if sheet is None:
        raise SpecFileError(NO_SHEET())
    rel_id = sheet.get(f"{{{REL_NS}}}id")
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.findall(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise SpecFileError(FIRST_SHEET_MISSING())


def _formula_cells(raw: bytes) -> list[tuple[int, int]]:
    """(row, column index) of every cell of the sheet that holds a formula."""
    if b"<f" not in raw and b":f" not in raw:
        return []
    found = []
    cell_tag, formula_tag = f"{{{XLSX_MAIN_NS}}}c", f"{{{XLSX_MAIN_NS}}}f"
    for _, element in SafeET.iterparse(io.BytesIO(raw), events=("end",)):
        if element.tag == cell_tag:
            if element.find(formula_tag) is not None:
                match = CELL_REF_RE.match(element.get("r", ""))
                if match:
                    found.append((int(match.group(2)), _column_index(match.group(1))))
            element.clear()
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1


def read_xlsx(data: bytes, limits: FileLimits) -> RawTable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SpecFileError(BROKEN_ZIP()) from exc
    with archive:
        _check_zip(archive, len(data), limits)
        try:
            _check_xml_prologs(archive)
            sheet_path = _first_sheet_path(archive)
            with archive.open(sheet_path) as fh:
                sheet = fh.read()
            _check_sheet_extent(sheet, limits)
            formulas = _formula_cells(sheet)
        except SpecFileError:
            raise
        except Exception as exc:
            raise SpecFileError(UNSAFE(error=type(exc).__name__)) from exc
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise SpecFileError(UNREADABLE(error=str(exc))) from exc
    table = table_from_cells(pd.DataFrame(rows, dtype=object), "xlsx", "")
    header_row = table.row_numbers[0] - 1 if table.row_numbers else 1
    for row, column in formulas:
        if row <= header_row:
            continue
        name = table.header[column] if column < len(table.header) else str(COLUMN(n=column + 1))
        table.issues.append(CellIssue(row, normalise_header(name), "", FORMULA()))
    return table
