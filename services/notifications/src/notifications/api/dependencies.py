"""The notifications service's typed FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from notifications.domain.policy import Policy
from notifications.handlers.ports import Clock, NotificationsUnitOfWork, Renderer
from shared.dependencies import unit_of_work

UowDep = Annotated[NotificationsUnitOfWork, Depends(unit_of_work)]


def policy(request: Request) -> Policy:
    """The rules as settings chose them (`bootstrap.make_app`)."""
    chosen: Policy = request.app.state.policy
    return chosen


def renderer(request: Request) -> Renderer:
    """The messages' templates, as the sender renders them (`bootstrap.make_app`)."""
    templates: Renderer = request.app.state.renderer
    return templates


def clock(request: Request) -> Clock:
    ticking: Clock = request.app.state.clock
    return ticking


PolicyDep = Annotated[Policy, Depends(policy)]
ClockDep = Annotated[Clock, Depends(clock)]
RendererDep = Annotated[Renderer, Depends(renderer)]
