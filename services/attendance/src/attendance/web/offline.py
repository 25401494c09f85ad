"""What keeps the screen up offline: the service worker (scope `/terminale`, served from here so
that it may control the whole screen) and the page it shows for a screen it never saw."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from attendance.web.session import ROOT
from shared.web import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
WORKER = Path(__file__).parent / "static" / "sw.js"


@router.get(f"{ROOT}/sw.js")
async def service_worker() -> Response:
    return FileResponse(
        WORKER,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": ROOT, "Cache-Control": "no-cache"},
    )


@router.get(f"{ROOT}/offline")
async def offline_page(request: Request) -> Response:
    return render(request, "offline.html", {"breadcrumb": [("Senza rete", "")]})
