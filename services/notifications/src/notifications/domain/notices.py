"""A notice: one message to one family, for one cause, on some channels, before routing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from notifications.domain.exceptions import InvalidRequest
from notifications.domain.rules import Rule
from shared.events import ALL_CHANNELS, Channel, Template


@dataclass(frozen=True)
class Notice:
    account_id: uuid.UUID
    rule: Rule
    cause_id: str
    params: dict[str, Any] = field(default_factory=dict)
    channels: tuple[Channel, ...] = ALL_CHANNELS
    event_id: uuid.UUID | None = None


# What `notification-requested` may ask for, the params each needs and the channels it may use.
REQUESTABLE: dict[str, tuple[Rule, tuple[str, ...], tuple[Channel, ...]]] = {
    Template.PASSWORD_RESET: (Rule.PASSWORD_RESET, ("reset_url",), ("email",)),
    Template.BROADCAST: (Rule.BROADCAST, ("subject", "text"), ALL_CHANNELS),
    Template.SERVICE_INTERRUPTION: (Rule.BROADCAST, ("subject", "text"), ALL_CHANNELS),
}


def requested(template: str, params: dict[str, Any], channels: list[Channel]) -> tuple[Rule, tuple[Channel, ...]]:
    """Validates a request: a known template, its params present, the channels it allows."""
    if template not in REQUESTABLE:
        raise InvalidRequest(f"Modello di messaggio sconosciuto: {template}.", "modello_sconosciuto")
    rule, needed, allowed = REQUESTABLE[template]
    missing = [name for name in needed if not isinstance(params.get(name), str) or not params[name].strip()]
    if missing:
        raise InvalidRequest(f"Parametri mancanti: {', '.join(missing)}.", "parametri_mancanti")
    if rule is Rule.PASSWORD_RESET and not str(params["reset_url"]).startswith(("https://", "http://")):
        raise InvalidRequest("Il collegamento per il recupero password non è valido.", "parametri_non_validi")
    return rule, tuple(c for c in allowed if c in channels)
