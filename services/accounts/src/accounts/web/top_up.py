"""Esegui ricarica: an amount (a quick one, or any other within pagoPA's limits), then either pay
online now (to pagoPA Checkout, and back to the outcome page, which shows the credit as soon as
the receipt lands: htmx polling until then) or a payment notice to pay at a counter, in a bank
or in the app IO (optionally sent to the holder's app IO too)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from accounts.domain.top_ups import checked_amount
from accounts.handlers.request_top_up import request_top_up
from accounts.handlers.top_up_outcome import top_up_outcome
from accounts.web.family import FamilyPage, PageDep
from accounts.web.session import PersonDep, csrf
from shared.errors import RefettorioError
from shared.http import HttpError
from shared.money import InvalidAmount, parse_euro
from shared.web import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
QUICK_AMOUNTS = (1000, 2000, 5000, 10000)
OUTCOME_REFRESH_SECONDS = 2


@dataclass
class TopUpForm:
    importo: str = ""
    altro_importo: str = ""
    modo: str = ""
    app_io: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    async def of(cls, request: Request) -> TopUpForm:
        form = await request.form()

        def text(name: str) -> str:
            return str(form.get(name, "")).strip()

        return cls(text("importo"), text("altro_importo"), text("modo"), form.get("app_io") == "1")

    def amount_cents(self) -> int | None:
        """The amount chosen, or None with the reason in `errors`."""
        if self.importo not in {*map(str, QUICK_AMOUNTS), "altro"}:
            self.errors["importo"] = "Scegli l'importo della ricarica."
            return None
        if self.importo != "altro":
            return int(self.importo)
        try:
            return checked_amount(parse_euro(self.altro_importo))
        except InvalidAmount:
            self.errors["altro_importo"] = "Scrivi l'importo in euro, per esempio 25 oppure 25,50."
        except RefettorioError as error:
            self.errors["altro_importo"] = error.message
        return None

    def online(self) -> bool | None:
        if self.modo not in ("online", "avviso"):
            self.errors["modo"] = "Scegli se pagare subito online o creare l'avviso di pagamento."
            return None
        return self.modo == "online"


@router.get("/conti/{account_id}/ricarica")
async def top_up_form(page: PageDep) -> Response:
    return _form(page, TopUpForm(importo="2000", modo="online"))


@router.post("/conti/{account_id}/ricarica")
async def top_up(page: PageDep) -> Response:
    form = await TopUpForm.of(page.request)
    cents, online = form.amount_cents(), form.online()
    if cents is None or online is None:
        return _form(page, form, status=422)
    try:
        started = await request_top_up(page.uow, page.other.payments, page.account_id, cents, online, form.app_io)
    except RefettorioError as error:
        return _form(page, form, refused=error)
    if started.checkout_url:
        return RedirectResponse(started.checkout_url, status_code=303)
    return RedirectResponse(page.url(f"/avvisi/{started.notice['notice_number']}?nuovo=1"), status_code=303)


@router.get("/ricarica/esito/{notice_number}")
async def back_from_checkout(notice_number: str, who: PersonDep, esito: str = "ok") -> Response:
    """Where pagoPA Checkout sends the parent back (the return URLs payments gave it)."""
    if who.account_id is None:
        raise HttpError(403, "solo_famiglie", "Questa pagina è delle famiglie iscritte al servizio mensa.")
    outcome = esito if esito in ("ok", "annullato", "errore") else "errore"
    return RedirectResponse(f"/conti/{who.account_id}/ricarica/esito/{notice_number}?esito={outcome}", status_code=303)


@router.get("/conti/{account_id}/ricarica/esito/{notice_number}")
async def outcome(page: PageDep, notice_number: str, esito: str = "ok", aggiornamento: bool = False) -> Response:
    found = await top_up_outcome(page.uow, page.other.payments, page.who, page.account_id, notice_number)
    context = {"outcome": found, "esito": esito, "refresh_seconds": OUTCOME_REFRESH_SECONDS}
    block = "esito" if aggiornamento else None
    return page.render("ricarica_esito.html", "ricarica", "Esito della ricarica", context, block=block)


def _form(page: FamilyPage, form: TopUpForm, status: int = 200, refused: RefettorioError | None = None) -> Response:
    context = {"form": form, "quick": QUICK_AMOUNTS}
    response = page.render("ricarica.html", "ricarica", "Esegui ricarica", context, refused=refused)
    if refused is None:
        response.status_code = status
    return response
