"""The portal's home: the public service page "Mensa scolastica" (Designers Italia model)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from accounts.web.session import MaybePersonDep
from shared.web import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/")
async def service_page(request: Request, who: MaybePersonDep) -> Response:
    return render(request, "mensa.html", {"who": who, "breadcrumb": [("Mensa scolastica", "/")]})
