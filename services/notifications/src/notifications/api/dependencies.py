"""The notifications service's typed FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from notifications.handlers.ports import NotificationsUnitOfWork
from shared.dependencies import unit_of_work

UowDep = Annotated[NotificationsUnitOfWork, Depends(unit_of_work)]
