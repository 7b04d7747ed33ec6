"""An upload's rows parsed, validated and screened (`screen_upload`: no database reads of
products, no writes), and what the dry run worked out kept for the import (`keep`, `kept`), so
that importing writes the rows instead of reading, parsing and screening the file a second time
(for 100,000 rows of XLSX, most of the import's time).

The import uses the kept rows only when nothing they were screened with has changed since: the
same stored file (its SHA-256 is checked again), as-of date, rule set, regimes and status
confirmations (as the screening read them, not as they were when it ended), the same code,
library versions and settings. Otherwise, or when the kept file is missing, unreadable or
unloadable, the import screens the file again: keeping the dry run's work is a shortcut, never a
second source of truth.

The rows are kept as a pickle next to the uploaded file, signed with a key derived from
SECRET_KEY (HMAC-SHA256) and read only when the signature holds: a file nobody but this
application wrote is never unpickled.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import pickle
import zlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rules.certainty import Confirmation
from rules.evaluation import screen_frame
from rules.messages import message_json
from rules.models import RuleSet
from rules.specs import ParsedSpecs, parse_specs
from screening.imports.receiving import Progress, UploadRejected, read_stored, stored_bytes
from screening.models import Upload, spec_content_hashes
from screening.products import confirmations, current_rule_set, default_regimes

logger = logging.getLogger(__name__)


@dataclass
class Checked:
    parsed: ParsedSpecs
    outcomes: np.ndarray  # outcome name per row
    contracts: list[dict[str, Any]]
    evaluation_warnings: list[list[dict[str, str]]]  # per row, beyond the spec's own
    hashes: list[str]
    rule_set: RuleSet
    regimes: list[str]
    # What the rows were screened with besides the file (`inputs`): a kept result is used only
    # while these are still the ones an import would screen with.
    inputs: dict[str, Any] = field(default_factory=dict)
    # Filled by classify(), from the database as it is then:
    actions: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    existing: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)

    def keys(self) -> list[tuple[str, str]]:
        """The natural keys (sku, revision) of the valid rows."""
        specs = self.parsed.specs
        return [
            (sku, revision)
            for sku, revision, bad in zip(
                specs["sku"].to_numpy(dtype=object),
                specs["revision"].to_numpy(dtype=object),
                self.parsed.invalid,
                strict=True,
            )
            if not bad
        ]


def screen_upload(upload: Upload, progress: Progress | None = None) -> Checked:
    """Parse, validate and screen every row (no database reads of products, no writes)."""
    report = progress or (lambda stage, done, total: None)
    frame, row_numbers, issues = read_stored(upload)
    total = len(row_numbers)
    report("parsing", 0, total)
    parsed = parse_specs(frame, row_numbers=row_numbers, extra_errors=issues)
    report("screening", total // 3, total)
    rule_set = current_rule_set()
    catalogue = rule_set.catalogue()
    regimes = default_regimes(catalogue)
    confirmed = confirmations()
    screening = screen_frame(
        parsed.specs,
        catalogue.for_regimes(regimes),
        upload.as_of,
        invalid=parsed.invalid,
        confirmations=confirmed,
    )
    contracts = screening.contracts()
    # The statuses assumed on the upload's as-of date are said once for the whole file (the
    # upload page); each row keeps the rest of the evaluation's warnings (a code to confirm, a
    # destination advisory).
    said_once = {w["message"] for w in screening.run_warnings()}
    evaluation_warnings = [
        [
            {"column": w["column"] or "", "value": "", **message_json(w["message"])}
            for w in contract["warnings"]
            if w["message"] not in said_once
        ]
        for contract in contracts
    ]
    report("comparing", 2 * total // 3, total)
    return Checked(
        parsed=parsed,
        outcomes=screening.outcomes.to_numpy(dtype=object),
        contracts=contracts,
        evaluation_warnings=evaluation_warnings,
        hashes=spec_content_hashes(parsed.specs),
        rule_set=rule_set,
        regimes=regimes,
        inputs=inputs(upload, rule_set, regimes, confirmed),
    )


MAGIC = b"CHECKED1"  # this layout: magic, signature, header length, header, compressed pickle
SIGNATURE_BYTES = 32
SALT = "screening.imports.screened"


# The libraries whose versions change what a file reads as or how it screens.
LIBRARIES = ("pandas", "numpy", "python-calamine", "openpyxl", "pint", "pycountry")


@functools.cache
def code_fingerprint() -> str:
    """A digest of what parses and screens besides the data: the code of the rules and
    screening packages, the versions of the libraries they read files and units with, and the
    settings that limit and scope a check. Computed when the app starts (ScreeningConfig), so
    that a process keeps the fingerprint of the code it runs even when files change under it:
    rows kept by one version of the application are never imported by another."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[2]
    for package in ("rules", "screening"):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}=={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} missing".encode())
    digest.update(
        json.dumps([settings.SPEC_FILE_LIMITS, settings.SCREENING], sort_keys=True).encode()
    )
    return digest.hexdigest()


def inputs(
    upload: Upload, rule_set: RuleSet, regimes: list[str], confirmed: list[Confirmation]
) -> dict[str, Any]:
    """Everything a screening of the upload's rows depends on besides the file, as JSON."""
    return {
        "code": code_fingerprint(),
        "upload": upload.pk,
        "sha256": upload.sha256,
        "as_of": upload.as_of.isoformat(),
        "rule_set": [rule_set.pk, rule_set.content_hash],
        "regimes": list(regimes),
        "confirmations": sorted(
            [c.measure, c.confirmed_on.isoformat(), c.status] for c in confirmed
        ),
    }


def _name(upload: Upload) -> str:
    return f"{upload.file.name}.checked"


def _signature(signed: bytes) -> bytes:
    return salted_hmac(SALT, signed, algorithm="sha256").digest()


def keep(upload: Upload, checked: Checked) -> None:
    """Keep the dry run's result for the import (replacing any kept before), described by what
    it was screened with (Checked.inputs). A failure to keep it costs only speed: the import
    then screens the file again."""
    storage, name = upload.file.storage, _name(upload)
    try:
        header = json.dumps(checked.inputs, sort_keys=True).encode()
        payload = {
            "parsed": checked.parsed,
            "outcomes": checked.outcomes,
            "contracts": checked.contracts,
            "evaluation_warnings": checked.evaluation_warnings,
            "hashes": checked.hashes,
            "regimes": checked.regimes,
        }
        body = zlib.compress(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL), 1)
        signed = b"".join((len(header).to_bytes(4, "big"), header, body))
        storage.delete(name)
        stored = storage.save(name, ContentFile(b"".join((MAGIC, _signature(signed), signed))))
        if stored != name:  # another run of the same check saved it at the same moment
            storage.delete(stored)
    except Exception:
        logger.warning("upload %s: the dry run's result was not kept", upload.pk, exc_info=True)
        discard(upload)


def kept(upload: Upload) -> Checked | None:
    """The dry run's result when the import may use it (see the module's note), else None.
    UploadRejected when the stored file no longer matches its SHA-256."""
    storage, name = upload.file.storage, _name(upload)
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as fh:
            data = fh.read()
    except Exception:
        logger.warning("upload %s: the kept dry run could not be read", upload.pk, exc_info=True)
        return None
    start = len(MAGIC) + SIGNATURE_BYTES + 4
    if len(data) < start or not data.startswith(MAGIC):
        return None
    signature, signed = data[len(MAGIC) : start - 4], data[start - 4 :]
    if not hmac.compare_digest(signature, _signature(signed)):
        logger.warning("upload %s: the kept dry run's signature does not hold", upload.pk)
        return None
    rule_set = current_rule_set()
    now = inputs(upload, rule_set, default_regimes(rule_set.catalogue()), confirmations())
    try:
        length = int.from_bytes(signed[:4], "big")
        header, body = signed[4 : 4 + length], signed[4 + length :]
        if json.loads(header) != json.loads(json.dumps(now, sort_keys=True)):
            return None  # something it depends on changed since: the import screens again
        stored_bytes(upload)  # the file is what was checked (UploadRejected when it is not)
        payload = pickle.loads(zlib.decompress(body))  # noqa: S301 -- signed by this app
        return Checked(rule_set=rule_set, inputs=now, **payload)
    except UploadRejected:
        raise
    except Exception:
        # Signed by this application yet unreadable (a library that reads pickles differently):
        # never again; the import screens the file.
        logger.warning("upload %s: the kept dry run could not be loaded", upload.pk, exc_info=True)
        discard(upload)
        return None


def discard(upload: Upload) -> None:
    """Remove the kept result (after the import, which no longer needs it)."""
    try:
        upload.file.storage.delete(_name(upload))
    except Exception:
        logger.warning("upload %s: the kept dry run could not be removed", upload.pk, exc_info=True)


def discard_stale(older_than: dt.timedelta) -> int:
    """Remove the kept results nobody will import: of uploads no longer checked (an import or
    a late second run of a check left one behind) and of uploads checked but not imported for
    longer than `older_than`. Returns how many uploads were looked at."""
    recent = timezone.now() - older_than
    stale = Upload.objects.exclude(status__in=[Upload.Status.CHECKING, Upload.Status.IMPORTING])
    stale = stale.exclude(status=Upload.Status.CHECKED, uploaded_at__gte=recent)
    count = 0
    for upload in stale.only("pk", "file").iterator():
        discard(upload)
        count += 1
    return count
