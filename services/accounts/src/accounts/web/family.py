"""What every page of a family's area shares: who is asking for which family (with the unit of
work, the other services and the settings, as the routes need them), the breadcrumb under the
Scrivania, the section lit in the menu, and a refusal shown on the page it came from."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request, Response

from accounts.api.dependencies import SettingsDep, UowDep
from accounts.web.session import FamilyDep, PageGatewaysDep, PersonDep
from shared import local_time
from shared.errors import RefettorioError
from shared.web import render
from shared.web.errors import status_of


def now() -> datetime:
    return local_time.now()


class FamilyPage:
    """A page of the family `account_id`, asked for by `who` (another family's is "not found")."""

    def __init__(
        self,
        request: Request,
        account_id: FamilyDep,
        who: PersonDep,
        uow: UowDep,
        other: PageGatewaysDep,
        settings: SettingsDep,
    ) -> None:
        self.request, self.account_id, self.who = request, account_id, who
        self.uow, self.other, self.settings = uow, other, settings

    def render(
        self,
        template: str,
        section: str,
        title: str,
        context: dict[str, Any] | None = None,
        *,
        refused: RefettorioError | None = None,
        block: str | None = None,
        **more: Any,
    ) -> Response:
        """The page (or one `block` of it, for htmx), with a refused action's message at its top
        (and that action's status)."""
        status = status_of(self.request, refused) if refused else 200
        trail = [("Scrivania", f"/conti/{self.account_id}/scrivania"), (title, "")]
        base = {"who": self.who, "account_id": self.account_id, "section": section, "breadcrumb": trail}
        base["error"] = refused.message if refused else None
        return render(self.request, template, base | (context or {}) | more, block=block, status=status)

    def url(self, path: str = "") -> str:
        return f"/conti/{self.account_id}{path}"


PageDep = Annotated[FamilyPage, Depends()]
