"""`GET /internal/outbox`: how many of a service's events wait in its outbox, and how many are
stuck (unpublished for over a minute), for the office's dashboard. Service credential and a
member of staff named by the gateway; each service includes the router in its app."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends

from shared.dependencies import InfraDep, require_service, staff_person
from shared.metrics import outbox_backlog

router = APIRouter(
    prefix="/internal", tags=["internal"], dependencies=[Depends(require_service), Depends(staff_person)]
)


@router.get("/outbox")
async def get_outbox(infra: InfraDep) -> dict[str, float]:
    async with infra.engine.connect() as conn:
        return asdict(await outbox_backlog(conn))
