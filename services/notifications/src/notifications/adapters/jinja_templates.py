"""Messages from Jinja2 templates (Italian; plain text, Markdown for the app IO):
`<rule>.<channel>.j2` in `templates/`.

An email or IO template's first line is the subject. Amounts are cents shown as `€ 12,50`; dates are
ISO strings shown as `25/11/2026` in the municipality's time zone (a day without a time is that
day); notice numbers in groups of four, as printed on the notice. An undefined variable is an
error, never a blank in a letter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from shared.money import format_euro


class JinjaTemplates:
    def __init__(self, portal_url: str, zone: ZoneInfo) -> None:
        self._portal_url = portal_url
        self._zone = zone
        self._env = Environment(
            loader=PackageLoader("notifications", "templates"),
            undefined=StrictUndefined,
            # Plain-text messages, not HTML: there is nothing to escape.
            autoescape=select_autoescape(enabled_extensions=(), default_for_string=False, default=False),
        )
        self._env.filters["euro"] = _euro
        self._env.filters["day"] = self._day
        self._env.filters["notice"] = _notice

    def render(self, rule: str, channel: str, family: str, params: dict[str, Any]) -> tuple[str, str]:
        context = {**params, "family": family, "portal_url": self._portal_url}
        text = self._env.get_template(f"{rule}.{channel}.j2").render(context).strip()
        if channel in ("email", "io"):
            subject, _, body = text.partition("\n")
            return subject.strip(), body.strip() + "\n"
        return "", text

    def _day(self, iso: str) -> str:
        str(iso)  # an undefined value raises here
        moment = datetime.fromisoformat(iso)
        local = moment.astimezone(self._zone) if moment.tzinfo is not None else moment
        return local.strftime("%d/%m/%Y")


def _notice(number: str) -> str:
    """`3022 0250 0000 1234 51`."""
    digits = str(number)
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def _euro(cents: int) -> str:
    str(cents)  # an undefined value raises here, naming itself
    return format_euro(cents)
