"""Chiusura anno scolastico (a responsabile's): the year, the preview family by family, the guards
(before 1 July only forced, with a reason), the confirmation, the progress of the closing (htmx
polls it; without JavaScript, a reload), the report, the refunds' files for the treasury. The
forms call the handlers the JSON API (`api/office_year`) calls."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from accounts.api import refund_files
from accounts.api.dependencies import SettingsDep, UowDep, today
from accounts.domain.exceptions import AccountsError
from accounts.domain.year_end import JobState
from accounts.handlers import close_school_year as closing
from accounts.handlers import export_refunds
from accounts.handlers.preview_year_closing import preview_closing
from accounts.web.office import StaffPageDep, office_router, page
from shared.paging import page_count
from shared.school_year import SchoolYear
from shared.web.forms import form_values, parse_form

router = office_router()
CLOSING = ("Chiusura anno", "/ufficio/chiusura-anno")
PER_PAGE = 50
YEAR = r"^\d{4}-\d{4}$"


class ForcedFields(BaseModel):
    forced_because: str = Field(default="", max_length=500)


@router.get("/chiusura-anno")
async def closing_page(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    anno: Annotated[str, Query(max_length=9)] = "",
    pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
    cerca: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    return await _page(request, who, uow, _year(anno), {"cerca": cerca, "pagina": pagina}, {})


@router.post("/chiusura-anno/{anno}")
async def close(request: Request, anno: str, who: StaffPageDep, uow: UowDep) -> Response:
    year = _year(anno)
    values = form_values(await request.form())
    parsed, errors = parse_form(ForcedFields, values)
    if parsed is None:
        return await _page(request, who, uow, year, values, errors, 422)
    try:
        await closing.start_closing(uow, year, who, today(), parsed.forced_because or None)
    except AccountsError as refused:
        return await _page(request, who, uow, year, values, {"forced_because": refused.message}, 409)
    return RedirectResponse(f"/ufficio/chiusura-anno?anno={_address(year)}", status_code=303)


@router.get("/chiusura-anno/avanzamento")
async def progress(
    request: Request, who: StaffPageDep, uow: UowDep, anno: Annotated[str, Query(pattern=YEAR)]
) -> Response:
    """The progress bar alone, for htmx; once the closing is over, the whole page again."""
    year = _year(anno)
    job, _ = await closing.closing_job(uow, who, year)
    if job is None or job.state is JobState.DONE:
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    context = {"year": year, "job": job, "address": _address(year)}
    return page(request, "ufficio/chiusura_anno.html", who, "chiusura", [CLOSING], context, block="avanzamento")


@router.get("/chiusura-anno/rimborsi.xml")
async def refunds_transfer(who: StaffPageDep, uow: UowDep, settings: SettingsDep) -> Response:
    return await refund_files.transfer_file(uow, who, settings)


@router.get("/chiusura-anno/rimborsi.csv")
async def refunds_csv(who: StaffPageDep, uow: UowDep) -> Response:
    return await refund_files.spreadsheet(uow, who)


async def _page(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    year: SchoolYear,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    """`values`: the form's, and the preview's search (`cerca`) and page (`pagina`)."""
    preview = await preview_closing(uow, who, year)
    job, booked = await closing.closing_job(uow, who, year)
    search, number = str(values.get("cerca", "")).strip().lower(), int(values.get("pagina", 1))
    found = [line for line in preview.lines if search in line.family.holder.lower()]
    context = {
        "year": year,
        "address": _address(year),
        "years": _years(),
        "preview": preview,
        "lines": found[(number - 1) * PER_PAGE : number * PER_PAGE],
        "found": len(found),
        "number": number,
        "pages": page_count(len(found), PER_PAGE),
        "early": preview.early(today()),
        "job": job,
        "booked": booked,
        "refunds": await export_refunds.refunds_to_pay(uow, who) if job and job.state is JobState.DONE else None,
        "values": values,
        "errors": errors,
    }
    return page(request, "ufficio/chiusura_anno.html", who, "chiusura", [CLOSING], context, status)


def _years() -> list[SchoolYear]:
    this = SchoolYear.of(today())
    return [SchoolYear(this.start - 1), this]


def _year(anno: str) -> SchoolYear:
    """`2026-2027` (the address's form), else the school year under way."""
    try:
        return SchoolYear.parse(anno.replace("-", "/"))
    except ValueError:
        return SchoolYear.of(today())


def _address(year: SchoolYear) -> str:
    return f"{year.start}-{year.start + 1}"
