"""The alert rules: pure functions of balances, times and settings. No I/O.

- Low credit: the balance crosses below the threshold (before >= threshold > after). A run of
  meals below it crosses nothing; a movement that lifts it back above re-arms the rule.
- In debt: the balance crosses below zero. A movement crossing both sends only this one.
- Reminder (sollecito): negative for more than `after_days`; at most one per `period_days` of
  the same negative streak, numbered from the streak's start so that it is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Rule(StrEnum):
    LOW_CREDIT = "low_credit"
    IN_DEBT = "in_debt"
    REMINDER = "reminder"
    PAYMENT_CONFIRMATION = "payment_confirmation"
    PASSWORD_RESET = "password_reset"
    BROADCAST = "broadcast"
    PAYMENT_NOTICE = "payment_notice"  # a new pagoPA notice, in the app IO, payable from there
    ASSISTANCE_REPLY = "assistance_reply"  # the office answered the family's message in the portal


def balance_alert(before_cents: int, after_cents: int, threshold_cents: int) -> Rule | None:
    if before_cents >= 0 > after_cents:
        return Rule.IN_DEBT
    if before_cents >= threshold_cents > after_cents:
        return Rule.LOW_CREDIT
    return None


@dataclass(frozen=True)
class ReminderPolicy:
    after_days: int = 7
    period_days: int = 7

    def overdue_since(self, now: datetime) -> datetime:
        """Negative since before this moment: past the grace days at `now`."""
        return now - timedelta(days=self.after_days)

    def period(self, negative_since: datetime, now: datetime) -> int | None:
        """Which reminder period of the negative streak `now` falls in; None before the first."""
        overdue = now - negative_since - timedelta(days=self.after_days)
        if overdue <= timedelta(0):
            return None
        return overdue // timedelta(days=self.period_days)


@dataclass
class BalanceState:
    """What notifications remembers of an account's balance: the last one and since when negative."""

    balance_cents: int
    negative_since: datetime | None

    def apply(self, balance_after_cents: int, occurred_at: datetime) -> None:
        self.balance_cents = balance_after_cents
        if balance_after_cents >= 0:
            self.negative_since = None
        elif self.negative_since is None:
            self.negative_since = occurred_at
