"""The school terminal's screen, served under `/terminale` (the edge routes that prefix here):
pairing, Oggi, Classe, Chiudi la giornata, Correzioni, and the service worker that keeps the
screen up when the school's network drops. Pages on the shared web foundation; the routes call
the same handlers as the JSON API, with the terminal the tablet was paired as."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from attendance.config import AttendanceSettings
from attendance.web import classes, closing, corrections, labels, offline, pairing, today
from attendance.web.session import ROOT, csrf
from shared.errors import RefettorioError
from shared.web import Site, install_web

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def install(app: FastAPI, settings: AttendanceSettings, error_status: dict[type[RefettorioError], int]) -> None:
    site = Site(
        municipality=settings.municipality_name,
        office_email=settings.office_email,
        office_phone=settings.office_phone,
        login_path=f"{ROOT}/abbina",
        root=ROOT,
    )
    app.mount(f"{ROOT}/static/terminale", StaticFiles(directory=STATIC), name="static-terminale")
    routers = [pairing.router, offline.router, today.router, classes.router, closing.router, corrections.router]
    install_web(app, site=site, templates=TEMPLATES, csrf=csrf, routers=routers, error_status=error_status)
    app.state.templates.env.filters.update(labels.FILTERS)
    app.state.templates.env.globals["new_key"] = labels.new_key
