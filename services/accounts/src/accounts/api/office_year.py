"""The school year's closing for automation (the page is `web/office_year.py`): the preview, the
start of the closing job and its state, what it booked; the refunds to pay as files for the
treasury. A responsabile's, as the handlers say; audited.

`POST .../closing` starts the job and answers 202 with its address (`Location`), the job's state
as `GET .../closing` shows it; the accounts are closed in batches by the service's background task
(`handlers.close_school_year`). On a year whose closing is over it answers 200: nothing changed.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from fastapi import APIRouter, Depends, Response, status
from fastapi.responses import JSONResponse

from accounts.api import refund_files
from accounts.api.dependencies import SettingsDep, StaffDep, UowDep, staff, today
from accounts.api.office_money import school_year
from accounts.api.office_schemas import (
    ClosingJobView,
    ClosingPreviewView,
    ClosingTotalsView,
    PreviewLineView,
    TallyView,
)
from accounts.api.schemas import Amount, YearClosingIn
from accounts.domain.exceptions import ClosingNotStarted
from accounts.domain.year_end import ClosingJob, JobState, Totals
from accounts.handlers import close_school_year as closing
from accounts.handlers.preview_year_closing import preview_closing
from shared.edge import CSV_ANSWER, Year

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
PAIN_001_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/xml": {}}, "description": "A SEPA credit transfer (pain.001.001.03)"}
}


@router.get("/school-years/{start}-{end}/closing/preview")
async def preview(start: Year, end: Year, who: StaffDep, uow: UowDep) -> ClosingPreviewView:
    """Family by family, what the closing would do now (the rules it books by)."""
    seen = await preview_closing(uow, who, school_year(start, end))
    return ClosingPreviewView(
        school_year=str(seen.year),
        closes_from=seen.opens,
        totals=totals_view(seen.totals),
        families=[
            PreviewLineView(
                account_id=line.family.account_id,
                holder=line.family.holder,
                balance=Amount.of(line.family.balance_cents),
                outcome=line.decision.year_end.outcome.value,
                iban=line.family.iban,
                continues=line.family.continues,
            )
            for line in seen.lines
        ],
    )


@router.post(
    "/school-years/{start}-{end}/closing",
    status_code=status.HTTP_202_ACCEPTED,
    responses={200: {"model": ClosingJobView, "description": "The year is closed already: nothing changed"}},
    response_model=ClosingJobView,
)
async def close_year(start: Year, end: Year, who: StaffDep, uow: UowDep, body: YearClosingIn | None = None) -> Response:
    """From 1 July of the year's end; before, only a responsabile, with `forced_because`."""
    year = school_year(start, end)
    started = await closing.start_closing(uow, year, who, today(), body.forced_because if body else None)
    job, booked = await closing.closing_job(uow, who, year)
    assert job is not None
    view = job_view(job, booked, started.already)
    code = status.HTTP_200_OK if job.state is JobState.DONE else status.HTTP_202_ACCEPTED
    where = {"Location": f"/office/school-years/{start}-{end}/closing"}
    return JSONResponse(view.model_dump(mode="json"), status_code=code, headers=where)


@router.get("/school-years/{start}-{end}/closing")
async def closing_state(start: Year, end: Year, who: StaffDep, uow: UowDep) -> ClosingJobView:
    year = school_year(start, end)
    job, booked = await closing.closing_job(uow, who, year)
    if job is None:
        raise ClosingNotStarted(str(year))
    return job_view(job, booked, already=True)


@router.get("/refunds/pain.001", response_class=Response, responses=PAIN_001_ANSWER)
async def refunds_transfer(who: StaffDep, uow: UowDep, settings: SettingsDep) -> Response:
    """The refunds to pay that have an IBAN, as a SEPA credit transfer (pain.001.001.03)."""
    return await refund_files.transfer_file(uow, who, settings)


@router.get("/refunds.csv", response_class=Response, responses=CSV_ANSWER)
async def refunds_csv(who: StaffDep, uow: UowDep) -> Response:
    return await refund_files.spreadsheet(uow, who)


def job_view(job: ClosingJob, booked: Totals, already: bool) -> ClosingJobView:
    return ClosingJobView(
        school_year=str(job.year),
        state=job.state.value,
        done=job.done,
        total=job.total,
        percent=job.percent,
        started_by=job.started_by,
        forced_because=job.forced_because,
        started_at=job.started_at,
        finished_at=job.finished_at,
        already_closed=already,
        booked=totals_view(booked),
    )


def totals_view(sums: Totals) -> ClosingTotalsView:
    tallies = {f.name: getattr(sums, f.name) for f in fields(sums)}
    return ClosingTotalsView(
        **{name: TallyView(families=t.families, amount=Amount.of(t.cents)) for name, t in tallies.items()}
    )
