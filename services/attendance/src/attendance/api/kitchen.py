"""Kitchen counts as JSON (default) or CSV (`?format=csv` or `Accept: text/csv`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Header, Query, Response

from attendance.api.schemas import CityKitchenCount, KitchenCount
from attendance.domain import kitchen

FormatQuery = Annotated[str | None, Query(alias="format", pattern="^(json|csv)$")]
AcceptHeader = Annotated[str | None, Header()]
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


def wants_csv(format: str | None, accept: str | None) -> bool:
    return format == "csv" or (format is None and "text/csv" in (accept or ""))


def as_csv(*counts: kitchen.KitchenCount) -> str:
    """`;`-separated, Italian headers, one line per school, class and diet."""
    lines = ["scuola;data;classe;dieta;pasti;definitivo"]
    for count in counts:
        final = "sì" if count.final else "no"
        lines += [
            f"{count.school_id};{count.service_date.isoformat()};{line.class_id};{line.diet};{line.meals};{final}"
            for line in count.lines
        ]
    return "\r\n".join(lines) + "\r\n"


def csv_response(counts: list[kitchen.KitchenCount], name: str, service_date: date) -> Response:
    return Response(
        as_csv(*counts),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="pasti-{name}-{service_date.isoformat()}.csv"'},
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
