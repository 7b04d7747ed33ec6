"""An upload's rows parsed, validated and screened (`screen_upload`: no database reads of
products, no writes), and what the dry run worked out kept for the import (`keep`, `kept`), so
that importing writes the rows instead of reading, parsing and screening the file a second time
(for 100,000 rows of XLSX, most of the import's time).

The import uses the kept rows only when nothing they depend on has changed since the dry run:
the same stored file (its SHA-256 is checked again), the same as-of date, rule set, regimes and
status confirmations, and the same code. Otherwise, or when the kept file is missing or
unreadable, the import screens the file again: keeping the dry run's work is a shortcut, never a
second source of truth.

The rows are kept as a pickle next to the uploaded file, signed with a key derived from
SECRET_KEY (HMAC-SHA256) and read only when the signature holds: a file nobody but this
application wrote is never unpickled.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.utils.crypto import salted_hmac

from rules.evaluation import screen_frame
from rules.messages import message_json
from rules.models import RuleSet
from rules.specs import ParsedSpecs, parse_specs
from screening.imports.receiving import Progress, read_stored, stored_bytes
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
    screening = screen_frame(
        parsed.specs,
        catalogue.for_regimes(regimes),
        upload.as_of,
        invalid=parsed.invalid,
        confirmations=confirmations(),
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
    )


MAGIC = b"CHECKED1"  # this layout: magic, signature, header length, header, compressed pickle
SIGNATURE_BYTES = 32
SALT = "screening.imports.screened"


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code that parses and screens (the rules and screening packages): rows
    kept by one version of the application are never imported by another."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[2]
    for package in ("rules", "screening"):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _conditions(upload: Upload) -> dict[str, Any]:
    """Everything the dry run's result depends on besides the file, as it is now."""
    rule_set = current_rule_set()
    return {
        "code": code_fingerprint(),
        "upload": upload.pk,
        "sha256": upload.sha256,
        "as_of": upload.as_of.isoformat(),
        "rule_set": [rule_set.pk, rule_set.content_hash],
        "regimes": default_regimes(rule_set.catalogue()),
        "confirmations": sorted(
            [c.measure, c.confirmed_on.isoformat(), c.status] for c in confirmations()
        ),
    }


def _name(upload: Upload) -> str:
    return f"{upload.file.name}.checked"


def _signature(signed: bytes) -> bytes:
    return salted_hmac(SALT, signed, algorithm="sha256").digest()


def keep(upload: Upload, checked: Checked) -> None:
    """Keep the dry run's result for the import (replacing any kept before). A failure to keep
    it costs only speed: the import then screens the file again."""
    conditions = _conditions(upload)
    if conditions["rule_set"] != [checked.rule_set.pk, checked.rule_set.content_hash]:
        return  # a rule set was published while the dry run screened: nothing worth keeping
    header = json.dumps(conditions, sort_keys=True).encode()
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
    data = b"".join((MAGIC, _signature(signed), signed))
    storage, name = upload.file.storage, _name(upload)
    try:
        storage.delete(name)
        stored = storage.save(name, ContentFile(data))
        if stored != name:  # another run of the same check saved it at the same moment
            storage.delete(stored)
    except OSError:
        logger.warning("upload %s: the dry run's result was not kept", upload.pk, exc_info=True)


def kept(upload: Upload) -> Checked | None:
    """The dry run's result when the import may use it (see the module's note), else None."""
    storage, name = upload.file.storage, _name(upload)
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as fh:
            data = fh.read()
    except OSError:
        logger.warning("upload %s: the kept dry run could not be read", upload.pk, exc_info=True)
        return None
    start = len(MAGIC) + SIGNATURE_BYTES + 4
    if len(data) < start or not data.startswith(MAGIC):
        return None
    signature, signed = data[len(MAGIC) : start - 4], data[start - 4 :]
    if not hmac.compare_digest(signature, _signature(signed)):
        logger.warning("upload %s: the kept dry run's signature does not hold", upload.pk)
        return None
    length = int.from_bytes(signed[:4], "big")
    header, body = signed[4 : 4 + length], signed[4 + length :]
    if json.loads(header) != json.loads(json.dumps(_conditions(upload), sort_keys=True)):
        return None  # something it depends on changed since: the import screens again
    stored_bytes(upload)  # the file is what was checked (UploadRejected when it is not)
    payload = pickle.loads(zlib.decompress(body))  # noqa: S301 -- signed by this application
    return Checked(rule_set=current_rule_set(), **payload)


def discard(upload: Upload) -> None:
    """Remove the kept result (after the import, which no longer needs it)."""
    try:
        upload.file.storage.delete(_name(upload))
    except OSError:
        logger.warning("upload %s: the kept dry run could not be removed", upload.pk, exc_info=True)
