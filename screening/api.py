"""The screening endpoints of the API (/api/v1/, mounted in config/urls.py): screen a batch of
specs without storing it, store specs as an upload does, a product's current determination,
a case's decision record, and the cases changed since a moment (for ERP sync).

Each endpoint: its token's scope and its role's capability (rules.api.TokenAuth, the same
capabilities as the pages), then one domain call: rules.contract for screening,
screening.imports for storing (so storing is an upload of kind json, with its dry run,
natural keys and unchanged rows), Case.objects.visible_to and screening.records for reading.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from rules import tokens
from rules.api import Problem, TokenAuth, caller, json_response, problem_response, summarise
from rules.catalogue import CatalogueError
from rules.contract import current_rules, screen_table
from rules.rawtables import FileLimits, RawTable, SpecFileError
from rules.specfiles import read_spec_records
from rules.units import normalise_text
from rules.vocabulary import OUTCOMES
from screening import records
from screening.api_schemas import (
    ChangesResponse,
    DeterminationResponse,
    ProblemDetails,
    RecordResponse,
    ScreenRequest,
    ScreenResponse,
    SubmitRequest,
    SubmitResponse,
)
from screening.imports import checking, committing, receiving
from screening.models import Case, Product, Screening, SpecVersion, Upload, UploadRow
from screening.products import NoRuleSet, current_rule_set
from screening.states import DECIDED_STATES

router = Router(tags=["screening"])


def problems(*statuses: int) -> dict[int, type[Schema]]:
    return dict.fromkeys((401, 403, 429, *statuses), ProblemDetails)


# --- screening without storing -------------------------------------------------------------------


def _row_limit(rows: int) -> None:
    limit = settings.API_MAX_ROWS
    if rows > limit:
        raise Problem(413, "too-many-specs", f"{rows:,} specs; the limit is {limit:,}.")


def _spec_table(specs: list[dict[str, Any]]) -> RawTable:
    _row_limit(len(specs))
    limit = settings.API_MAX_ROWS
    limits = FileLimits(**{**settings.SPEC_FILE_LIMITS, "max_rows": limit})
    try:
        return read_spec_records(specs, limits=limits)
    except SpecFileError as exc:
        raise Problem(422, "unreadable-specs", str(exc)) from None


@router.post(
    "/screen",
    url_name="screen",
    auth=TokenAuth("screen", "screen"),
    response={200: ScreenResponse, **problems(400, 413, 422)},
    summary="Screen specs without storing them",
)
def screen(request: HttpRequest, payload: ScreenRequest) -> HttpResponse:
    """Each spec's result in the `screen` contract (SPEC_TEMPLATE.md), exactly as
    `manage.py screen` prints it; row 1 is the first spec. Nothing is stored."""
    table = _spec_table(payload.specs)
    as_of = payload.as_of or timezone.localdate()
    regimes = payload.regimes or settings.SCREENING["DEFAULT_REGIMES"]
    try:
        run = screen_table(
            table.frame,
            as_of=as_of,
            regimes=regimes,
            rules=current_rules(),
            row_numbers=table.row_numbers,
            extra_errors=table.issues,
        )
    except CatalogueError as exc:
        raise Problem(422, "unknown-regime", str(exc)) from None
    document = {**run.document, "unknown_columns": list(run.unknown_columns)}
    outcomes = Counter(result["outcome"] for result in document["results"])
    summarise(
        request,
        rows=len(table.row_numbers),
        as_of=as_of.isoformat(),
        regimes=list(regimes),
        outcomes={o: outcomes[o] for o in OUTCOMES if outcomes[o]},
    )
    return json_response(document)


# --- storing specs -------------------------------------------------------------------------------

IDEMPOTENCY_KEY_MAX = 200


@router.post(
    "/specs",
    url_name="specs",
    auth=TokenAuth("write_specs", "edit_specs"),
    response={200: SubmitResponse, 201: SubmitResponse, **problems(400, 409, 413, 422, 503)},
    summary="Store specs (by sku and revision, as an upload does)",
)
def submit_specs(request: HttpRequest, payload: SubmitRequest) -> HttpResponse:
    """Stores each spec under its natural key (sku + revision) as a spreadsheet upload does:
    a new product, or a new spec version when the spec changed, each screened with a draft
    case; an unchanged spec changes nothing. 201 when something was stored, 200 when nothing
    was. With an `Idempotency-Key` header, a retry of the same request gets the first answer
    again and does nothing (a different request with the same key: 422; while the first still
    runs: 409)."""
    token = caller(request)
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return _store(request, payload)
    if not key or len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise Problem(400, "bad-idempotency-key", "Idempotency-Key: 1 to 200 printable characters.")
    digest = hashlib.sha256(request.body).hexdigest()
    try:
        replay = tokens.claim_key(
            token=token,
            key=key,
            method=request.method or "",
            path=request.path,
            body_sha256=digest,
            now=timezone.now(),
        )
    except tokens.KeyConflict as conflict:
        if conflict.reason == "in_progress":
            raise Problem(
                409, "idempotency-key-in-progress", "A request with this key is still running."
            ) from None
        raise Problem(
            422, "idempotency-key-reused", "This key was used for a different request."
        ) from None
    if replay is not None:
        summarise(request, idempotency_key=key, replayed=True)
        response = HttpResponse(replay.body, status=replay.status, content_type=replay.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = _store(request, payload)
    except Problem as problem:
        response = problem_response(request, problem)
    except Exception:
        tokens.release_key(token=token, key=key)
        raise
    tokens.finish_key(
        token=token,
        key=key,
        status=response.status_code,
        content_type=response["Content-Type"],
        body=response.content.decode("utf-8"),
    )
    summarise(request, **{**getattr(request, "api_summary", {}), "idempotency_key": key})
    return response


def _store(request: HttpRequest, payload: SubmitRequest) -> HttpResponse:
    token = caller(request)
    _row_limit(len(payload.specs))  # before anything is stored
    as_of = payload.as_of or timezone.localdate()
    try:
        upload = receiving.receive(
            data=request.body,
            filename=f"api-{token.name}.json",
            user=token.user,
            as_of=as_of,
            from_api=True,
        )
        upload = checking.dry_run(upload)
    except receiving.UploadRejected as exc:
        raise Problem(422, "unreadable-specs", str(exc)) from None
    except NoRuleSet as exc:
        raise Problem(503, "no-rule-set", str(exc)) from None
    if upload.status != Upload.Status.CHECKED:
        raise Problem(422, "unreadable-specs", upload.message)
    summary = {"upload": upload.pk, "rows": upload.total, "invalid": upload.invalid_rows}
    summarise(request, **summary)
    if payload.policy == Upload.Policy.ALL_OR_NOTHING and upload.invalid_rows:
        raise Problem(
            422,
            "spec-errors",
            f"{upload.invalid_rows} of {upload.total} specs have errors; nothing was stored.",
            errors=[
                {"row": row, **_row_error(error)}
                for row, errors in upload.rows.exclude(errors=[]).values_list("row", "errors")
                for error in errors
            ],
        )
    try:
        upload = committing.mark_importing(upload, user=token.user, policy=payload.policy)
    except committing.CommitRefused as exc:
        raise Problem(409, "import-refused", str(exc)) from None
    upload = committing.commit(upload)
    if upload.status != Upload.Status.IMPORTED:
        raise Problem(422, "unreadable-specs", upload.message)
    body = _submitted(upload)
    summarise(request, **{**summary, **body["counts"], "created_cases": upload.created_cases})
    return json_response(body, status=201 if upload.created_versions else 200)


def _submitted(upload: Upload) -> dict[str, Any]:
    rows = list(
        upload.rows.order_by("row").values("row", "sku", "revision", "action", "outcome", "errors")
    )
    numbers = dict(SpecVersion.objects.filter(upload=upload).values_list("upload_row", "number"))
    keys = {(r["sku"], r["revision"]) for r in rows if r["action"] != UploadRow.Action.INVALID}
    products = {}
    skus = sorted({sku for sku, _revision in keys})
    for start in range(0, len(skus), receiving.BATCH):
        for pk, sku, revision, number in Product.objects.filter(
            sku__in=skus[start : start + receiving.BATCH]
        ).values_list("pk", "sku", "revision", "current_spec__number"):
            if (sku, revision) in keys:
                products[(sku, revision)] = (pk, number)
    cases = dict(Case.objects.filter(spec__upload=upload).values_list("spec__upload_row", "pk"))
    counts = Counter(r["action"] for r in rows)
    # The rule set the import screened with (the current one when every row was unchanged).
    used = Screening.objects.filter(spec__upload=upload).values_list(
        "rule_set_version", "rule_set_hash"
    )
    version, content_hash = used.first() or _current_rule_set()
    return {
        "upload": upload.pk,
        "as_of": upload.as_of.isoformat(),
        "rule_set": {"version": version, "hash": content_hash},
        "policy": upload.policy,
        "counts": {
            "rows": len(rows),
            **{action: counts[action] for action in ("new", "changed", "unchanged", "invalid")},
        },
        "rows": [
            {
                "row": r["row"],
                "sku": r["sku"],
                "revision": r["revision"],
                "action": r["action"],
                "outcome": r["outcome"],
                "product": products.get((r["sku"], r["revision"]), (None, None))[0],
                "spec_version": numbers.get(r["row"])
                or products.get((r["sku"], r["revision"]), (None, None))[1],
                "case": cases.get(r["row"]),
                "errors": [{"row": r["row"], **_row_error(e)} for e in r["errors"]],
            }
            for r in rows
        ],
    }


def _row_error(error: dict[str, Any]) -> dict[str, Any]:
    """A stored row error as programs read it: column, value and the English message (the
    stored code and parameters are for pages in other languages)."""
    return {key: error[key] for key in ("column", "value", "message") if key in error}


def _current_rule_set() -> tuple[str, str]:
    rule_set = current_rule_set()
    return rule_set.version, rule_set.content_hash


# --- determinations and records ------------------------------------------------------------------


def _rule_set_ref(screening: Any) -> dict[str, str]:
    return {"version": screening.rule_set_version, "hash": screening.rule_set_hash}


def _case_ref(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "state": case.state,
        "decided_at": case.decided_at,
        "last_activity_at": case.last_activity_at,
        "rules_changed": case.rules_changed,
    }


class ProductKey(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    revision: str = Field("", max_length=32)


@router.get(
    "/determination",
    url_name="determination",
    auth=TokenAuth("read", "view_cases"),
    response={200: DeterminationResponse, **problems(404, 422)},
    summary="A product's current determination",
)
def determination(request: HttpRequest, key: Query[ProductKey]) -> dict[str, Any]:
    """The product (by sku and revision) with its latest screening and its current
    determination: the latest decided case this token's role may see, with the hash of its
    decision record as it is now."""
    sku, revision = normalise_text(key.sku), normalise_text(key.revision)
    product = (
        Product.objects.select_related("latest_screening")
        .filter(sku=sku, revision=revision)
        .first()
    )
    if product is None:
        raise Problem(404, "not-found", "No product has this sku and revision.")
    user = caller(request).user
    case = (
        Case.objects.visible_to(user)
        .filter(product=product, state__in=DECIDED_STATES)
        .select_related("product", "spec", "screening", "prepared_by", "reviewer", "approved_by")
        .order_by("-decided_at", "-pk")
        .first()
    )
    latest = product.latest_screening
    body: dict[str, Any] = {
        "product": {"id": product.pk, "sku": product.sku, "revision": product.revision},
        "latest_screening": None
        if latest is None
        else {
            "id": latest.pk,
            "as_of": latest.as_of,
            "outcome": latest.outcome,
            "rule_set": _rule_set_ref(latest),
        },
        "determination": None,
    }
    if case is not None:
        digest = records.record_hash(records.decision_record(case))
        body["determination"] = {
            "case": _case_ref(case),
            "outcome": case.automated_outcome,
            "determination": case.determination,
            "licence_path": case.licence_path,
            "as_of": case.screening.as_of,
            "rule_set": _rule_set_ref(case.screening),
            # In English, as programs read it (the record keeps the Chinese too).
            "status_assumed": [
                {"measure": item["measure"], "message": item["message"]}
                for item in case.decision_assumptions
            ],
            "record_sha256": digest,
        }
    summarise(
        request,
        product=product.pk,
        case=case.pk if case else None,
        record_sha256=body["determination"]["record_sha256"] if case else None,
    )
    return body


@router.get(
    "/cases/{int:case_id}/record",
    url_name="case_record",
    auth=TokenAuth("read", "view_cases"),
    response={200: RecordResponse, **problems(404)},
    summary="A case's decision record",
)
def case_record(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The decision record (the JSON the case page exports) and its SHA-256. Reading it
    changes nothing; the call itself is audited with the hash."""
    case = (
        Case.objects.visible_to(caller(request).user)
        .select_related("product", "spec", "screening", "prepared_by", "reviewer", "approved_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Problem(404, "not-found", "There is no case with this id for this token.")
    record = records.decision_record(case)
    digest = records.record_hash(record)
    summarise(request, case=case.pk, record_sha256=digest)
    return {"sha256": digest, "record": record}


# --- changes since a moment ----------------------------------------------------------------------

CURSOR_SALT = "screening.api.case_changes"
CHANGES_MAX = 500


def _cursor(at: dt.datetime, pk: int) -> str:
    """Opaque (signed): the position after the case last seen, in (last activity, id) order."""
    return signing.dumps([at.isoformat(), pk], salt=CURSOR_SALT, compress=True)


def _position(cursor: str) -> tuple[dt.datetime, int]:
    try:
        at, pk = signing.loads(cursor, salt=CURSOR_SALT)
        return dt.datetime.fromisoformat(at), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise Problem(400, "bad-cursor", "The cursor is not one this API gave.") from None


class ChangesQuery(Schema):
    since: dt.datetime | None = Field(
        None, description="Cases whose last activity is at or after this moment (ISO 8601)."
    )
    cursor: str | None = Field(None, description="next_cursor of an earlier answer.")
    limit: int = Field(100, ge=1, le=CHANGES_MAX)


@router.get(
    "/cases/changes",
    url_name="case_changes",
    auth=TokenAuth("read", "view_cases"),
    response={200: ChangesResponse, **problems(400, 422)},
    summary="Cases changed since a moment (for sync)",
)
def case_changes(request: HttpRequest, query: Query[ChangesQuery]) -> dict[str, Any]:
    """The cases this token's role may see whose last activity is at or after `since`, oldest
    first in a stable order (last activity, id). Follow `next_cursor` while `has_more`; keep
    the last one and pass it next time to get what changed after."""
    if query.cursor:
        at, pk = _position(query.cursor)
    elif query.since is not None:
        since = query.since
        if timezone.is_naive(since):
            raise Problem(400, "bad-since", "Give since with its offset, e.g. ...T08:00:00Z.")
        at, pk = since, 0  # the position before every case at `since`
    else:
        raise Problem(400, "since-or-cursor", "Give since (a moment) or cursor.")
    cases = list(
        Case.objects.visible_to(caller(request).user)
        .filter(last_activity_at__gte=at)
        .exclude(last_activity_at=at, pk__lte=pk)
        .select_related("product")
        .order_by("last_activity_at", "pk")[: query.limit + 1]
    )
    has_more = len(cases) > query.limit
    cases = cases[: query.limit]
    next_cursor = _cursor(cases[-1].last_activity_at, cases[-1].pk) if cases else _cursor(at, pk)
    summarise(
        request,
        since=query.since.isoformat() if query.since else None,
        cursor=bool(query.cursor),
        returned=len(cases),
        has_more=has_more,
    )
    return {
        "cases": [
            {
                "id": c.pk,
                "reference": c.reference,
                "state": c.state,
                "product": {
                    "id": c.product_id,
                    "sku": c.product.sku,
                    "revision": c.product.revision,
                },
                "automated_outcome": c.automated_outcome,
                "determination": c.determination,
                "licence_path": c.licence_path,
                "destination_country": c.destination_country,
                "decided_at": c.decided_at,
                "last_activity_at": c.last_activity_at,
                "rules_changed": c.rules_changed,
            }
            for c in cases
        ],
        "next_cursor": next_cursor,
        "has_more": has_more,
    }
