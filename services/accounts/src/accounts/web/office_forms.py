"""What the back-office's forms send, shaped as the JSON API's own bodies (so that the pages and
the API validate alike), and the choices the forms offer."""

from __future__ import annotations

from typing import Any

from accounts.api.dependencies import today
from accounts.domain.family import FamilyDetails
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.read_models import StudentLine
from accounts.handlers.set_tariff import bands_of
from shared.school_year import SchoolYear
from shared.tax_code import InvalidTaxCode, normalise_tax_code

CHILD_FIELDS = ("tax_code", "first_name", "last_name", "school_year", "school_id", "class_id", "diet", "tariff_band")
FAMILY_FIELDS = ("holder_tax_code", "holder_first_name", "holder_last_name", "email", "phone", "iban")
REFUSALS = ("email_opt_out", "sms_opt_out", "io_opt_out")
DIETS = (
    ("standard", "Standard"),
    ("senza_glutine", "Senza glutine"),
    ("senza_lattosio", "Senza lattosio"),
    ("vegetariana", "Vegetariana"),
    ("senza_maiale", "Senza carne di maiale"),
    ("altra", "Altra dieta speciale (certificato medico)"),
)
MAX_CHILDREN = 8


def family_form(values: dict[str, Any]) -> dict[str, Any]:
    """The form as `NewFamily`: the holder, contacts and refusals, and one row per child
    (`students-<n>-<field>`), at least one."""
    body: dict[str, Any] = {name: values[name] for name in (*FAMILY_FIELDS, *REFUSALS) if name in values}
    rows = int(values.get("alunni", "1")) if str(values.get("alunni", "1")).isdigit() else 1
    body["students"] = [
        {field: values[f"students-{i}-{field}"] for field in CHILD_FIELDS if f"students-{i}-{field}" in values}
        for i in range(max(1, min(rows, MAX_CHILDREN)))
    ]
    return body


def tax_code_errors(body: dict[str, Any], prefix: str = "students-") -> dict[str, str]:
    """Fiscal codes that are not valid ones (checked where the person types them)."""
    errors = {}
    if "holder_tax_code" in body and not _valid(body["holder_tax_code"]):
        errors["holder_tax_code"] = "Il codice fiscale del titolare non è valido: controllalo."
    for i, child in enumerate(body.get("students", [])):
        if "tax_code" in child and not _valid(child["tax_code"]):
            errors[f"{prefix}{i}-tax_code" if prefix else "tax_code"] = "Il codice fiscale dell'alunno non è valido."
    return errors


def _valid(code: object) -> bool:
    try:
        normalise_tax_code(str(code))
    except InvalidTaxCode:
        return False
    return True


def details_values(details: FamilyDetails) -> dict[str, Any]:
    c = details.contacts
    values = {
        "holder_first_name": details.holder.first_name,
        "holder_last_name": details.holder.last_name,
        "email": c.email or "",
        "phone": c.phone or "",
        "iban": details.iban or "",
    }
    return values | {
        name: "true" for name, on in zip(REFUSALS, (c.email_opt_out, c.sms_opt_out, c.io_opt_out), strict=True) if on
    }


def child_rows(line: StudentLine) -> dict[str, Any]:
    return {
        "school_year": line.school_year or str(SchoolYear.of(today())),
        "school_id": line.school_id or "",
        "class_id": line.class_id or "",
        "tariff_band": line.tariff_band or "",
        "active": "true" if line.active in (True, None) else "false",
        "name": f"{line.first_name} {line.last_name}",
    }


def current_years() -> list[str]:
    year = SchoolYear.of(today())
    return [str(year), str(year.next())]


async def year_bands(uow: AccountsUnitOfWork) -> list[tuple[str, str]]:
    """The bands of this school year and the next, as (id, label) choices."""
    year = SchoolYear.of(today())
    return [(band, f"{name} ({y})") for y, band, name in await bands_of(uow, [year, year.next()])]
