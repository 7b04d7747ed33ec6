"""The audit trail: append-only, hash-chained events for every change that matters.

`record()` appends an event inside the caller's transaction, linked to the previous one by
SHA-256, so a changed, removed or inserted row breaks the chain and `verify()` names the first
broken link. The chain head row is locked while appending, so concurrent writers queue instead
of forking the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from rules.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
# What an event's object id may hold: its column's length, on every database (SQLite would
# store a longer one; PostgreSQL refuses it and with it the change being audited).
OBJECT_ID_LENGTH = AuditEvent._meta.get_field("object_id").max_length or 64


def moment_with_zone(at: dt.datetime) -> str:
    """A stored time as people read it: in the site's zone, saying which, with UTC beside it
    (2026-11-26 21:40:05 CST, UTC+0800 · 13:40:05 UTC)."""
    local = timezone.localtime(at)
    utc = at.astimezone(dt.UTC)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}, UTC{local:%z} · {utc:%H:%M:%S} UTC"


def _canonical(data: Any) -> Any:
    """JSON-safe form of before/after data (dates, decimals, UUIDs as text)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True))


def event_hash(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: Any,
    after: Any,
    reason: str,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "before": before,
        "after": after,
        "reason": reason,
        "prev_hash": prev_hash,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def describe(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    return obj._meta.label_lower, str(obj.pk), str(obj)[:300]


def record(
    action: str,
    *,
    actor: User | AnonymousUser | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction that makes the change."""
    if obj is not None:
        object_type, object_id, object_repr = describe(obj)
    if len(object_id) > OBJECT_ID_LENGTH:
        raise ValueError(
            f"an audit event's object id holds at most {OBJECT_ID_LENGTH} characters, not "
            f"{len(object_id)}: record_many audits a change of many objects"
        )
    user = actor if actor is not None and actor.is_authenticated else None
    actor_name = user.get_username() if user is not None else "system"
    before, after = _canonical(before), _canonical(after)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.seq + 1
        at = timezone.now()
        digest = event_hash(
            seq=seq,
            at=at,
            actor_id=user.pk if user else None,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            before=before,
            after=after,
            reason=reason,
            prev_hash=head.hash,
        )
        event = AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor=user,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            before=before,
            after=after,
            reason=reason,
            prev_hash=head.hash,
            hash=digest,
        )
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return event


def record_many(
    action: str,
    *,
    actor: User | AnonymousUser | None,
    model: type[models.Model],
    pks: Iterable[int],
    object_repr: str,
    after: dict[str, Any],
    reason: str = "",
) -> AuditEvent:
    """One event for a change of many objects of one model (a batch): no single object id,
    every id in `after["ids"]`, ascending."""
    return record(
        action,
        actor=actor,
        object_type=model._meta.label_lower,
        object_repr=object_repr,
        after={**after, "ids": sorted(pks)},
        reason=reason,
    )


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    problem: str


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify() -> tuple[int, BrokenLink | None]:
    """(events checked, the first broken link or None)."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for event in _events():
        count += 1
        if event.seq != expected_seq:
            return count, BrokenLink(expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return count, BrokenLink(event.seq, "does not link to the event before it")
        digest = event_hash(
            seq=event.seq,
            at=event.at,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            object_repr=event.object_repr,
            before=event.before,
            after=event.after,
            reason=event.reason,
            prev_hash=event.prev_hash,
        )
        if digest != event.hash:
            return count, BrokenLink(event.seq, "its content does not match its hash")
        expected_prev = event.hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        return count, BrokenLink(expected_seq, "events after this one were removed")
    return count, None


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    object_type, object_id, _ = describe(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
