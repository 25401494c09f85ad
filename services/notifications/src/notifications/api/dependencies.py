"""The notifications service's typed FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from notifications.adapters.jinja_templates import JinjaTemplates
from notifications.config import NotificationsSettings
from notifications.handlers.ports import NotificationsUnitOfWork
from shared.dependencies import unit_of_work

UowDep = Annotated[NotificationsUnitOfWork, Depends(unit_of_work)]


def settings(request: Request) -> NotificationsSettings:
    configured: NotificationsSettings = request.app.state.infra.settings
    return configured


SettingsDep = Annotated[NotificationsSettings, Depends(settings)]


def renderer(configured: SettingsDep) -> JinjaTemplates:
    return JinjaTemplates(configured.portal_url, configured.zone)


RendererDep = Annotated[JinjaTemplates, Depends(renderer)]
