"""The portal's home: the public service page "Mensa scolastica" (Designers Italia model)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from accounts.web.session import MaybePersonDep, csrf
from shared.web import PageRoute, render

# Every state-changing request of a page needs the CSRF token (safe methods pass).
router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])


@router.get("/")
async def service_page(request: Request, who: MaybePersonDep) -> Response:
    return render(request, "mensa.html", {"who": who, "breadcrumb": [("Mensa scolastica", "/")]})
