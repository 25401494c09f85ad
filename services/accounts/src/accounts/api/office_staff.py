"""Staff users and roles (administrators), and the audit log (staff: the whole office's, or one
family's), as JSON and CSV."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from accounts.api import documents
from accounts.api.dependencies import PasswordsDep, SettingsDep, StaffDep, UowDep, staff
from accounts.api.office_schemas import AuditPage, AuditView, StaffChange, StaffView
from accounts.api.schemas import NewUser
from accounts.domain.audit import Action, AuditFilter, LoggedEntry
from accounts.domain.family import valid_tax_code
from accounts.domain.users import Role
from accounts.handlers import audit_log, users
from shared.edge import CSV_ANSWER, PlausibleDate
from shared.http import HttpError

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])


@router.get("/staff")
async def list_staff(who: StaffDep, uow: UowDep) -> list[StaffView]:
    return [
        StaffView(
            user_id=u.user_id,
            name=u.display_name,
            tax_code=u.tax_code,
            email=u.email,
            role=u.role.value,
            active=u.active,
        )
        for u in await users.staff(uow, who)
    ]


@router.post("/staff", status_code=status.HTTP_201_CREATED)
async def create_staff(
    body: NewUser, who: StaffDep, uow: UowDep, passwords: PasswordsDep, settings: SettingsDep
) -> dict[str, uuid.UUID]:
    """A member of staff (amministratori only): by fiscal code for SPID/CIE, an email of their
    own; a password only where staff password logins are on."""
    if body.role == "parent" or body.account_id is not None:
        raise HttpError(422, "utente_non_valido", "Il personale non ha un conto: i genitori si registrano a parte.")
    if body.tax_code is None and body.email is None:
        raise HttpError(422, "utente_non_valido", "Indicare il codice fiscale (SPID/CIE) o l'email.")
    if body.password is not None and not settings.staff_password_login:
        raise HttpError(422, "password_non_prevista", "L'accesso con password del personale non è attivo.")
    tax_code = valid_tax_code(body.tax_code, "della persona") if body.tax_code else None
    new = users.NewStaff(tax_code, body.email, body.name, Role(body.role), body.password)
    return {"user_id": await users.create_staff(uow, passwords, who, new)}


@router.patch("/staff/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def change_staff(user_id: uuid.UUID, body: StaffChange, who: StaffDep, uow: UowDep) -> None:
    await users.change_staff(uow, who, user_id, Role(body.role), body.active)


def audit_filter(
    account_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    action: Action | None = None,
    since: Annotated[PlausibleDate | None, Query()] = None,
    until: Annotated[PlausibleDate | None, Query()] = None,
) -> AuditFilter:
    return AuditFilter(account_id, actor_id, action, since, until)


FilterDep = Annotated[AuditFilter, Depends(audit_filter)]


@router.get("/audit")
async def read_audit(
    uow: UowDep,
    where: FilterDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AuditPage:
    """Who did what, when, to what, before and after, why: newest first."""
    total, found = await audit_log.audit_entries(uow, where, limit, offset)
    return AuditPage(total=total, items=[audit_view(e) for e in found])


@router.get("/audit.csv", response_class=Response, responses=CSV_ANSWER)
async def export_audit(uow: UowDep, where: FilterDep) -> Response:
    _, found = await audit_log.audit_entries(uow, where, 100_000)
    return Response(
        documents.audit_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="registro-attivita.csv"'},
    )


def audit_view(logged: LoggedEntry) -> AuditView:
    e = logged.entry
    return AuditView(
        seq=logged.seq,
        at=logged.at,
        actor=e.actor.name,
        actor_role=e.actor.role,
        action=e.action.value,
        subject=e.subject,
        account_id=e.account_id,
        before=e.before,
        after=e.after,
        reason=e.reason,
    )
