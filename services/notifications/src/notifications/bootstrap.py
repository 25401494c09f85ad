"""The notifications service's composition root.

For now it keeps the contact book; the alert rules, templates and delivery come with their issue.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

from notifications.config import NotificationsSettings
from notifications.handlers.update_contact_book import update_contact_book
from shared.events import ContactsChanged
from shared.service import Infrastructure, make_service_app
from shared.topics import Topic

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def make_app(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()

    def wire(infra: Infrastructure) -> None:
        infra.subscribe(
            Topic.CONTACTS_CHANGED,
            "update-contact-book",
            ContactsChanged,
            partial(update_contact_book, unit_of_work=infra.unit_of_work),
        )

    return make_service_app("notifications", settings, MIGRATIONS, routers=[], wire=wire)
