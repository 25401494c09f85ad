"""The notifications service's rules: what it does when an event arrives.

The kernel's wrapper (`shared.messaging.consumer`) claims the events in the inbox under the
key `notifications.<name>` (the balances, one a meal, through a Kafka consumer of their own,
group `notifications.alert-on-balance`; the quiet four through one, group `notifications`:
`shared.messaging.dispatch`), hands the rule the new ones inside one transaction, and commits it
before the offsets. None of them publishes: messages go to the delivery log, which
the sender loop delivers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from notifications.domain.policy import Policy
from notifications.handlers.alert_on_balance import alert_on_balance
from notifications.handlers.confirm_payment import confirm_payment
from notifications.handlers.fulfil_request import fulfil_requests
from notifications.handlers.ports import Clock, NotificationsUnitOfWork
from notifications.handlers.project_enrolments import project_enrolments
from notifications.handlers.update_contact_book import update_contact_book
from shared.events import (
    BalanceChanged,
    ContactsChanged,
    Envelope,
    NotificationRequested,
    PaymentReceived,
    StudentEnrolled,
)
from shared.messaging.consumer import Rule


def rules(policy: Policy, clock: Clock) -> list[Rule[Any, Any]]:
    async def when_contacts_changed_update_contact_book(
        uow: NotificationsUnitOfWork, changes: Sequence[Envelope[ContactsChanged]]
    ) -> None:
        await update_contact_book(uow, [c.data for c in changes])

    async def when_student_enrolled_project_enrolments(
        uow: NotificationsUnitOfWork, enrolments: Sequence[Envelope[StudentEnrolled]]
    ) -> None:
        await project_enrolments(uow, [e.data for e in enrolments])

    async def when_balance_changed_alert_on_balance(
        uow: NotificationsUnitOfWork, changes: Sequence[Envelope[BalanceChanged]]
    ) -> None:
        await alert_on_balance(uow, changes, policy, clock)

    async def when_payment_received_confirm_payment(
        uow: NotificationsUnitOfWork, payments: Sequence[Envelope[PaymentReceived]]
    ) -> None:
        await confirm_payment(uow, payments, policy, clock)

    async def when_notification_requested_fulfil_request(
        uow: NotificationsUnitOfWork, requests: Sequence[Envelope[NotificationRequested]]
    ) -> None:
        await fulfil_requests(uow, requests, policy, clock)

    return [
        Rule(ContactsChanged, "update-contact-book", when_contacts_changed_update_contact_book),
        Rule(StudentEnrolled, "project-enrolments", when_student_enrolled_project_enrolments),
        Rule(BalanceChanged, "alert-on-balance", when_balance_changed_alert_on_balance, busy=True),
        Rule(PaymentReceived, "confirm-payment", when_payment_received_confirm_payment),
        Rule(NotificationRequested, "fulfil-request", when_notification_requested_fulfil_request),
    ]
