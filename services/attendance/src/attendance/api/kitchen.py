"""Kitchen counts as JSON (default) or CSV (`?format=csv` or `Accept: text/csv`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Header, Query, Response

from attendance.api.schemas import CityKitchenCount, KitchenCount, KitchenLine
from attendance.handlers import kitchen_counts

FormatQuery = Annotated[str | None, Query(alias="format", pattern="^(json|csv)$")]
AcceptHeader = Annotated[str | None, Header()]
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


def wants_csv(format: str | None, accept: str | None) -> bool:
    return format == "csv" or (format is None and "text/csv" in (accept or ""))


def csv_response(counts: list[kitchen_counts.KitchenCount], name: str, service_date: date) -> Response:
    return Response(
        kitchen_counts.as_csv(*counts),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="pasti-{name}-{service_date.isoformat()}.csv"'},
    )


def school_body(count: kitchen_counts.KitchenCount) -> KitchenCount:
    return KitchenCount(
        school_id=count.school_id,
        service_date=count.service_date,
        final=count.final,
        total=count.total,
        lines=[KitchenLine(**line.__dict__) for line in count.lines],
    )


def school_response(count: kitchen_counts.KitchenCount, format: str | None, accept: str | None) -> Response:
    if wants_csv(format, accept):
        return csv_response([count], count.school_id, count.service_date)
    return Response(school_body(count).model_dump_json(), media_type="application/json")


def city_response(
    counts: list[kitchen_counts.KitchenCount], service_date: date, format: str | None, accept: str | None
) -> Response:
    if wants_csv(format, accept):
        return csv_response(counts, "comune", service_date)
    body = CityKitchenCount(
        service_date=service_date,
        total=sum(c.total for c in counts),
        schools=[school_body(c) for c in counts],
    )
    return Response(body.model_dump_json(), media_type="application/json")
