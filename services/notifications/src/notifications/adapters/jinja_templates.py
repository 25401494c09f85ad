"""Messages from Jinja2 templates (Italian, plain text): `<rule>.<channel>.j2` in `templates/`.

An email template's first line is the subject. Amounts are cents shown as `€ 12,50`; dates are
ISO strings shown as `25/11/2026` in the municipality's time zone. An undefined variable is an
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

    def render(self, rule: str, channel: str, family: str, params: dict[str, Any]) -> tuple[str, str]:
        context = {**params, "family": family, "portal_url": self._portal_url}
        text = self._env.get_template(f"{rule}.{channel}.j2").render(context).strip()
        if channel == "email":
            subject, _, body = text.partition("\n")
            return subject.strip(), body.strip() + "\n"
        return "", text

    def _day(self, iso: str) -> str:
        str(iso)  # an undefined value raises here
        return datetime.fromisoformat(iso).astimezone(self._zone).strftime("%d/%m/%Y")


def _euro(cents: int) -> str:
    str(cents)  # an undefined value raises here, naming itself
    return format_euro(cents)
