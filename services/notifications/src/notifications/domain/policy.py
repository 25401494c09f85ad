"""The service's rules as settings chose them, handed to the handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from notifications.domain.delivery import QuietHours, RetryPolicy
from notifications.domain.rules import ReminderPolicy
from shared.events import ALL_CHANNELS, Channel
from shared.local_time import ROME
from shared.sealing import DEV_SEALING_KEY


@dataclass(frozen=True)
class Policy:
    low_credit_threshold_cents: int = 5 * 450
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    retries: RetryPolicy = field(default_factory=RetryPolicy)
    # The channels this deployment sends on (IO only once the municipality configured it).
    channels: tuple[Channel, ...] = ALL_CHANNELS
    zone: ZoneInfo = ROME
    # Opens what accounts sealed for us alone (a password-reset link), just before rendering.
    sealing_key: str = field(default=DEV_SEALING_KEY, repr=False)
