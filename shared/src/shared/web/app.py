"""Mounting the pages on a service's app: layout, assets, CSRF, error pages, the footer's pages.

Assets come from npm (`package-lock.json`, installed by `make install`) and are served by the
app itself: Bootstrap Italia (with its fonts and icons) and htmx. No CDN at run time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from jinja2_fragments.fastapi import Jinja2Blocks

from shared.errors import RefettorioError
from shared.web.csrf import CsrfProtection
from shared.web.errors import PageRoute, install_error_pages
from shared.web.site import Site
from shared.web.templates import make_templates

OWN_ASSETS = Path(__file__).parent / "static"
NPM_ASSETS = {"bootstrap-italia": "bootstrap-italia/dist", "htmx": "htmx.org/dist"}


def node_modules() -> Path:
    """`REFETTORIO_NODE_MODULES`, else the repository's `node_modules` (`make install` fills it)."""
    configured = os.environ.get("REFETTORIO_NODE_MODULES")
    candidates = [Path(configured)] if configured else [p / "node_modules" for p in Path(__file__).parents]
    for folder in candidates:
        if (folder / NPM_ASSETS["bootstrap-italia"]).is_dir():
            return folder
    raise RuntimeError("front-end assets missing (bootstrap-italia, htmx.org): run `make install` (npm ci)")


def install_web(
    app: FastAPI,
    *,
    site: Site,
    templates: Path,
    csrf: CsrfProtection,
    routers: Sequence[APIRouter],
    error_status: dict[type[RefettorioError], int],
) -> None:
    app.state.site = site
    app.state.templates = make_templates(templates, site, csrf)
    app.state.error_status = error_status
    modules = node_modules()
    static = f"{site.root}/static"
    app.mount(f"{static}/refettorio", StaticFiles(directory=OWN_ASSETS), name="static-refettorio")
    for name, folder in NPM_ASSETS.items():
        app.mount(f"{static}/{name}", StaticFiles(directory=modules / folder), name=f"static-{name}")
    for router in routers:
        app.include_router(router)
    app.include_router(footer_pages, prefix=site.root)
    install_error_pages(app)


def templates_of(request: Request) -> Jinja2Blocks:
    found: Jinja2Blocks = request.app.state.templates
    return found


def render(
    request: Request, template: str, context: dict[str, Any], block: str | None = None, status: int = 200
) -> Response:
    """A page, or with `block` one fragment of it (for htmx)."""
    templates = templates_of(request)
    if block:
        return templates.TemplateResponse(request, template, context, status_code=status, block_name=block)
    return templates.TemplateResponse(request, template, context, status_code=status)


footer_pages = APIRouter(route_class=PageRoute, include_in_schema=False)


@footer_pages.get("/privacy")
async def privacy(request: Request) -> Response:
    return render(request, "privacy.html", {})


@footer_pages.get("/accessibilita")
async def accessibility(request: Request) -> Response:
    return render(request, "accessibilita.html", {})


@footer_pages.get("/segnala-disservizio")
async def report_a_problem(request: Request) -> Response:
    return render(request, "segnala_disservizio.html", {})
