"""Kitchen counts as JSON (default) or CSV (`?format=csv` or `Accept: text/csv`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Header, Query, Response

from attendance.api.schemas import CityKitchenCount, KitchenCount
from attendance.domain import kitchen
from shared.edge import CSV_ANSWER, attachment
from shared.spreadsheet import csv_text

FormatQuery = Annotated[str | None, Query(alias="format", pattern="^(json|csv)$")]
AcceptHeader = Annotated[str | None, Header()]
CSV = CSV_ANSWER


def wants_csv(format: str | None, accept: str | None) -> bool:
    return format == "csv" or (format is None and "text/csv" in (accept or ""))


def as_csv(*counts: kitchen.KitchenCount) -> str:
    """`;`-separated, Italian headers, one line per school, class and diet."""
    return csv_text(
        ["scuola", "data", "classe", "dieta", "pasti", "definitivo"],
        (
            (count.school_id, count.service_date.isoformat(), line.class_id, line.diet, line.meals, final(count))
            for count in counts
            for line in count.lines
        ),
    )


def final(count: kitchen.KitchenCount) -> str:
    return "sì" if count.final else "no"


def csv_response(counts: list[kitchen.KitchenCount], name: str, service_date: date) -> Response:
    return Response(
        as_csv(*counts),
        media_type="text/csv; charset=utf-8",
        headers=attachment(f"pasti-{name}-{service_date.isoformat()}.csv"),
    )


def school_response(count: kitchen.KitchenCount, format: str | None, accept: str | None) -> Response:
    if wants_csv(format, accept):
        return csv_response([count], count.school_id, count.service_date)
    return Response(KitchenCount.model_validate(count).model_dump_json(), media_type="application/json")


def city_response(
    counts: list[kitchen.KitchenCount], service_date: date, format: str | None, accept: str | None
) -> Response:
    if wants_csv(format, accept):
        return csv_response(counts, "comune", service_date)
    body = CityKitchenCount(
        service_date=service_date,
        total=sum(c.total for c in counts),
        schools=[KitchenCount.model_validate(c) for c in counts],
    )
    return Response(body.model_dump_json(), media_type="application/json")
