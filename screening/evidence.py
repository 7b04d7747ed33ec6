"""Evidence files on cases: checked by content, stored under generated names with SHA-256."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from rules.csvfiles import decode_text
from rules.rawtables import SpecFileError
from rules.vocabulary import PARAMETERS
from screening.models import Case, CaseEvent, Evidence
from screening.permissions import may_attach_evidence

# What an evidence file may be, recognised by its first bytes (never by name or claimed type).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EvidenceError(Exception):
    """The file is not accepted; the message says why."""


def sniff(data: bytes) -> str:
    """The content type of an evidence file, from its content; EvidenceError otherwise."""
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if "xl/workbook.xml" in names:
            return XLSX_TYPE
        raise EvidenceError(
            _("Only PDF, images (PNG, JPEG, GIF, WebP), XLSX and CSV are accepted.")
        )
    if not is_csv_table(data):
        raise EvidenceError(
            _(
                "This text file is not a CSV table (rows of the same number of cells, separated "
                "by commas, semicolons or tabs). Only PDF, images (PNG, JPEG, GIF, WebP), XLSX "
                "and CSV are accepted."
            )
        )
    return "text/csv"


# Markup that makes a text file a web page, a drawing or an XML document, whatever its cells.
MARKUP = re.compile(
    r"<\s*(?:script|svg|html|head|body|iframe|object|embed|!doctype|\?xml)\b|javascript:",
    re.IGNORECASE,
)


def is_csv_table(data: bytes) -> bool:
    """Whether text evidence is a CSV table: text (UTF-8, UTF-16 or GB18030) without markup,
    whose non-empty rows all have the same number of cells, at least two."""
    try:
        text, _encoding = decode_text(data)
    except SpecFileError:
        return False
    if MARKUP.search(text):
        return False
    first = text.lstrip("\ufeff\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        widths = {
            len(row)
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
            if any(cell.strip() for cell in row)
        }
    except csv.Error:
        return False
    return len(widths) == 1 and widths.pop() >= 2


# Characters no file name needs: path separators, quotes and the rest that Windows refuses.
NOT_IN_NAMES = frozenset('<>:"/\\|?*')
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    XLSX_TYPE: "xlsx",
    "text/csv": "csv",
}


def safe_name(name: str) -> str:
    """The original file name as display metadata: no directories, no control characters, no
    quotes or other characters file systems refuse, bounded."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in NOT_IN_NAMES)
    return cleaned.strip()[:200] or "file"


def download_name(name: str, extension: str, *, suffix: str = "") -> str:
    """The name a download is saved under: the display name's stem, then `suffix`, then the
    extension of what the file really is (never the extension the uploader chose: a CSV named
    invoice.html must not open as a web page)."""
    stem = safe_name(name)
    stem = stem.rsplit(".", 1)[0] if "." in stem[1:] else stem
    return f"{stem[:150]}{suffix}.{extension}"


@transaction.atomic
def attach(
    *,
    case: Case,
    user: User,
    upload: UploadedFile,
    description: str = "",
    parameters: Iterable[str] = (),
) -> Evidence:
    if not may_attach_evidence(case, user):
        if not (can(user, "prepare_cases") or can(user, "review_cases")):
            raise EvidenceError(_("You cannot attach evidence to cases."))
        raise EvidenceError(_("Evidence cannot be added once a case is decided or withdrawn."))
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise EvidenceError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise EvidenceError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    if not data:
        raise EvidenceError(_("The file is empty."))
    content_type = sniff(data)
    cited = [p for p in dict.fromkeys(parameters) if p in PARAMETERS]
    evidence = Evidence(
        case=case,
        original_name=safe_name(upload.name or ""),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description=description.strip()[:300],
        parameters=cited,
        uploaded_by=user,
    )
    evidence.file.save("evidence", ContentFile(data), save=False)
    evidence.save()
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.EVIDENCE,
        actor=user,
        message=evidence.original_name,
        data={"evidence": evidence.pk, "sha256": evidence.sha256},
    )
    audit.record(
        "case.evidence",
        actor=user,
        obj=case,
        after={
            "evidence": evidence.pk,
            "name": evidence.original_name,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "type": content_type,
            "parameters": cited,
        },
    )
    return evidence
