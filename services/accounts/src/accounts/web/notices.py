"""Avvisi di pagamento: the family's notices with their state (da pagare, pagato, scaduto, in
annullamento while pagoPA's ACA confirms, annullato), each one's page and PDF again, and the
cancellation of an unpaid one (one a PSP is already paying cannot be: the page says so)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from fastapi.responses import RedirectResponse

from accounts.handlers.cancel_notice import cancel_notice
from accounts.handlers.family_notices import family_notice, family_notices
from accounts.handlers.notice_pdf import notice_pdf
from accounts.web.family import FamilyPage, PageDep
from accounts.web.session import csrf
from shared.errors import RefettorioError
from shared.web import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])


@router.get("/conti/{account_id}/avvisi")
async def notices(page: PageDep, annullato: str | None = None) -> Response:
    return await _list(page, cancelled=annullato)


@router.get("/conti/{account_id}/avvisi/{notice_number}.pdf")
async def pdf(page: PageDep, notice_number: str) -> Response:
    await family_notice(page.other.payments, page.account_id, notice_number)  # "not found" for another family's
    return Response(
        await notice_pdf(page.other.payments, page.account_id, notice_number),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="avviso-pagopa-{notice_number}.pdf"'},
    )


@router.get("/conti/{account_id}/avvisi/{notice_number}")
async def notice(page: PageDep, notice_number: str, nuovo: bool = False) -> Response:
    found = await family_notice(page.other.payments, page.account_id, notice_number)
    return page.render("avviso.html", "avvisi", f"Avviso {found.printed_number}", notice=found, new=nuovo)


@router.post("/conti/{account_id}/avvisi/{notice_number}/annulla")
async def cancel(page: PageDep, notice_number: str) -> Response:
    try:
        await cancel_notice(page.other.payments, page.account_id, notice_number)
    except RefettorioError as error:
        return await _list(page, refused=error)
    return RedirectResponse(page.url(f"/avvisi?annullato={notice_number}"), status_code=303)


async def _list(page: FamilyPage, cancelled: str | None = None, refused: RefettorioError | None = None) -> Response:
    found = await family_notices(page.other.payments, page.who, page.account_id)
    return page.render(
        "avvisi.html", "avvisi", "Avvisi di pagamento", refused=refused, notices=found, cancelled=cancelled
    )
