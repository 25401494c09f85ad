"""A notice: one message to one family, for one cause, on some channels, before routing; and
the facts that make one."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from notifications.domain.audience import Audience
from notifications.domain.delivery import ContactCard, QuietHours, Route, State, route
from notifications.domain.exceptions import InvalidRequest
from notifications.domain.io import notice_of
from notifications.domain.rules import BalanceState, ReminderPolicy, Rule, balance_alert
from shared.events import (
    ALL_CHANNELS,
    BalanceChanged,
    Channel,
    Envelope,
    NotificationRequested,
    PaymentReceived,
    Template,
)
from shared.sealing import unseal


@dataclass(frozen=True)
class Notice:
    """`account_id` is the family; a message to one person at their own address (`recipient`,
    a staff member's password reset) has no family, and takes the request's id in its place."""

    account_id: uuid.UUID
    rule: Rule
    cause_id: str
    params: dict[str, Any] = field(default_factory=dict)
    channels: tuple[Channel, ...] = ALL_CHANNELS
    event_id: uuid.UUID | None = None
    recipient: str | None = None


@dataclass(frozen=True)
class Entry:
    """A notice on one channel, routed: a row of the delivery log to be."""

    notice: Notice
    channel: Channel
    route: Route


def routed(
    notices: Sequence[Notice],
    cards: Mapping[uuid.UUID, ContactCard],
    now: datetime,
    quiet: QuietHours,
    channels: Collection[Channel] = ALL_CHANNELS,
) -> list[Entry]:
    """One entry per notice and channel, but none on a channel the service does not send on
    (`channels`), nor where the family has no address for it."""
    entries = []
    for notice in notices:
        for channel in (c for c in notice.channels if c in channels):
            first = (
                Route(State.QUEUED) if notice.recipient else route(channel, cards.get(notice.account_id), now, quiet)
            )
            if first is not None:
                entries.append(Entry(notice, channel, first))
    return entries


def balance_notice(envelope: Envelope[BalanceChanged], threshold_cents: int) -> Notice | None:
    """The low-credit or in-debt alert a movement calls for, if any; its cause is the ledger entry."""
    change = envelope.data
    rule = balance_alert(change.balance_before_cents, change.balance_after_cents, threshold_cents)
    if rule is None:
        return None
    params = {"balance_cents": change.balance_after_cents}
    if rule is Rule.LOW_CREDIT:
        params["threshold_cents"] = threshold_cents
    return Notice(change.account_id, rule, str(change.entry_id), params, event_id=envelope.event_id)


def payment_notice(envelope: Envelope[PaymentReceived]) -> Notice:
    """The confirmation of a payment; its cause is the payment (one per receipt)."""
    paid = envelope.data
    params = {"amount_cents": paid.amount_cents, "paid_at": paid.paid_at.isoformat()}
    return Notice(paid.account_id, Rule.PAYMENT_CONFIRMATION, str(paid.payment_id), params, event_id=envelope.event_id)


def reminder_notice(
    account_id: uuid.UUID, balance: BalanceState, now: datetime, policy: ReminderPolicy
) -> Notice | None:
    """The reminder due at `now`, if any: one per period of a negative streak, whose cause
    `<account>:<streak start>:<period>` makes a second run find it already logged."""
    since = balance.negative_since
    if since is None or balance.balance_cents >= 0:
        return None
    period = policy.period(since, now)
    if period is None:
        return None
    cause = f"{account_id}:{since:%Y%m%dT%H%M%S}:{period}"
    params = {"balance_cents": balance.balance_cents, "negative_since": since.isoformat()}
    return Notice(account_id, Rule.REMINDER, cause, params)


# What `notification-requested` may ask for, the params each needs and the channels it may use.
REQUESTABLE: dict[str, tuple[Rule, tuple[str, ...], tuple[Channel, ...]]] = {
    Template.PASSWORD_RESET: (Rule.PASSWORD_RESET, ("sealed_reset_url",), ("email",)),
    Template.BROADCAST: (Rule.BROADCAST, ("subject", "text"), ALL_CHANNELS),
    Template.SERVICE_INTERRUPTION: (Rule.BROADCAST, ("subject", "text"), ALL_CHANNELS),
    Template.PAYMENT_NOTICE: (Rule.PAYMENT_NOTICE, ("notice_number", "due_date", "payee_fiscal_code"), ("io",)),
    Template.ASSISTANCE_REPLY: (Rule.ASSISTANCE_REPLY, ("answered_at",), ("email",)),
    Template.REMINDER: (Rule.REMINDER, (), ALL_CHANNELS),  # each family's debt: `owed_reminders`
}


def requested(template: str, params: dict[str, Any], channels: list[Channel]) -> tuple[Rule, tuple[Channel, ...]]:
    """Validates a request: a known template, its params present, the channels it allows."""
    if template not in REQUESTABLE:
        raise InvalidRequest(f"Modello di messaggio sconosciuto: {template}.", "modello_sconosciuto")
    rule, needed, allowed = REQUESTABLE[template]
    missing = [name for name in needed if not isinstance(params.get(name), str) or not params[name].strip()]
    if missing:
        raise InvalidRequest(f"Parametri mancanti: {', '.join(missing)}.", "parametri_mancanti")
    if rule is Rule.PAYMENT_NOTICE:
        try:
            notice_of(params)
        except ValueError as error:
            raise InvalidRequest(f"Avviso di pagamento non valido: {error}.", "parametri_non_validi") from error
    return rule, tuple(c for c in allowed if c in channels)


def request_notices(envelope: Envelope[NotificationRequested], enrolled: Sequence[uuid.UUID]) -> list[Notice]:
    """One notice per family of the audience: the listed accounts and `enrolled` (the families
    the request's school, class or `everyone` reaches), each once; its cause is the request."""
    request = envelope.data
    rule, channels = requested(request.template, request.params, request.channels)
    if (rule is Rule.PASSWORD_RESET) != (request.email is not None):
        # A reset link goes to the person's own address, never to a family's (finding 7).
        raise InvalidRequest("Il recupero password va all'indirizzo della persona.", "destinatari_non_validi")
    if request.email is not None:
        cause, params = str(request.request_id), dict(request.params)
        return [Notice(request.request_id, rule, cause, params, channels, envelope.event_id, request.email)]
    if Audience.of(request).empty:
        raise InvalidRequest("La richiesta non indica i destinatari.", "destinatari_mancanti")
    audience = dict.fromkeys([*request.account_ids, *enrolled])
    cause, params = str(request.request_id), dict(request.params)
    return [Notice(account, rule, cause, params, channels, envelope.event_id) for account in audience]


def owed_reminders(notices: Sequence[Notice], balances: Mapping[uuid.UUID, BalanceState]) -> list[Notice]:
    """The office's "sollecita ora": a reminder to each family still in debt, with its own debt
    and since when; a family that paid meanwhile gets nothing. Other notices pass unchanged."""
    kept = []
    for notice in notices:
        state = balances.get(notice.account_id)
        if notice.rule is not Rule.REMINDER:
            kept.append(notice)
        elif state is not None and state.balance_cents < 0 and state.negative_since is not None:
            params = {"balance_cents": state.balance_cents, "negative_since": state.negative_since.isoformat()}
            kept.append(dataclasses.replace(notice, params=params))
    return kept


SEALED = "sealed_"


def opened(params: dict[str, Any], sealing_key: str) -> dict[str, Any]:
    """The params as the template reads them: each `sealed_<name>` opened as `<name>`, here only,
    just before rendering (the delivery log keeps the sealed form, and forgets it once done)."""
    shown = {name: value for name, value in params.items() if not name.startswith(SEALED)}
    for name, value in params.items():
        if name.startswith(SEALED):
            shown[name.removeprefix(SEALED)] = unseal(str(value), sealing_key)
    link = shown.get("reset_url")
    if link is not None and not str(link).startswith(("https://", "http://")):
        raise InvalidRequest("Il collegamento per il recupero password non è valido.", "parametri_non_validi")
    return shown
