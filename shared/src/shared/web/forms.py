"""Forms posted by pages: parsed into a pydantic model, or the errors of each field in Italian
(GOV.UK style: what is wrong and what to do), to show next to the field and at the top.

A page route reads the form, calls `parse_form(Model, form)`, and either calls the handler with
the model or renders the same page again with the values sent and the errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError
from starlette.datastructures import FormData

from shared.money import InvalidAmount, parse_euro

M = TypeVar("M", bound=BaseModel)
Errors = dict[str, str]  # field name -> message

MESSAGES = {
    "missing": "Compila questo campo.",
    "string_too_short": "Il testo è troppo corto.",
    "string_too_long": "Il testo è troppo lungo.",
    "string_pattern_mismatch": "Il formato non è valido.",
    "int_parsing": "Scrivi un numero intero.",
    "int_type": "Scrivi un numero intero.",
    "greater_than": "Scrivi un numero più grande.",
    "greater_than_equal": "Scrivi un numero più grande.",
    "less_than_equal": "Il numero è troppo grande.",
    "less_than": "Il numero è troppo grande.",
    "date_from_datetime_parsing": "Scrivi una data valida, per esempio 25/11/2026.",
    "date_parsing": "Scrivi una data valida, per esempio 25/11/2026.",
    "date_type": "Scrivi una data valida, per esempio 25/11/2026.",
    "value_error": "Il valore non è valido.",
    "literal_error": "Scegli una delle voci proposte.",
    "enum": "Scegli una delle voci proposte.",
    "uuid_parsing": "Scegli una delle voci proposte.",
}


def _euro(value: object) -> object:
    if isinstance(value, str):
        try:
            return parse_euro(value)
        except InvalidAmount as error:
            raise ValueError("Scrivi un importo in euro, per esempio 4,50.") from error
    return value


# An amount typed by a person, `4,50` or `€ 1.234,50`, as integer cents.
EuroCents = Annotated[int, BeforeValidator(_euro)]


def form_values(form: FormData) -> dict[str, Any]:
    """The form as a dict: empty fields are absent (a field left empty is "not given"), a field
    sent several times (checkboxes, rows) is a list."""
    values: dict[str, Any] = {}
    for name in form:
        sent = [v for v in form.getlist(name) if isinstance(v, str)]
        kept = [v.strip() for v in sent if v.strip()]
        if kept:
            values[name] = kept if len(kept) > 1 else kept[0]
    return values


def parse_form(model: type[M], values: Mapping[str, Any]) -> tuple[M | None, Errors]:
    try:
        return model.model_validate(dict(values)), {}
    except ValidationError as invalid:
        return None, errors_of(invalid)


def errors_of(invalid: ValidationError) -> Errors:
    errors: Errors = {}
    for error in invalid.errors():
        name = "-".join(str(part) for part in error["loc"]) or "modulo"
        if error["type"] == "value_error" and str(error.get("msg", "")).startswith("Value error, "):
            message = str(error["msg"]).removeprefix("Value error, ")
        else:
            message = MESSAGES.get(error["type"], "Il valore non è valido.")
        errors.setdefault(name, message)
    return errors
