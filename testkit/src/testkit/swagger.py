"""Requests and answers checked against a Swagger 2.0 (OpenAPI 2) document, as a stand-in of a
real API does: the operation exists, the security header is there, the path parameters and the
JSON body satisfy their schemas, and so does the stand-in's own answer.

Schemas are JSON Schema draft 4 (what Swagger 2.0 embeds), checked with `jsonschema`; the `format`
names a document defines for itself (pagoPA's `FiscalCode`, `UTCISODateFromString`...) are given
checkers by the caller (`add_format`), the others are only annotations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator, FormatChecker

Json = Any
_PARAMETER_KEYWORDS = ("type", "format", "pattern", "minLength", "maxLength", "enum", "minimum", "maximum")


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: Mapping[str, Any]
    path_values: dict[str, str]


class SwaggerDocument:
    def __init__(self, path: Path) -> None:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when built with it: 10 times faster
        self.document: dict[str, Any] = yaml.load(path.read_bytes(), Loader=loader)  # noqa: S506 (a safe loader)
        assert self.document.get("swagger") == "2.0", f"{path} is not a Swagger 2.0 document"
        self.base_path = str(self.document.get("basePath", "")).rstrip("/")
        self._checker = FormatChecker()
        self._paths = [(_pattern(template), template) for template in self.document["paths"]]

    def add_format(self, name: str, check: Callable[[Any], bool]) -> None:
        """A checker for a `format` the document names for itself (true for a non-string)."""
        self._checker.checks(name)(check)

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation answering `method path` (the path under `basePath`), if any."""
        if not path.startswith(self.base_path + "/"):
            return None
        local = path[len(self.base_path) :]
        for pattern, template in self._paths:
            found = pattern.fullmatch(local)
            spec = self.document["paths"][template].get(method.lower())
            if found and spec is not None:
                return Operation(method.upper(), template, spec, found.groupdict())
        return None

    def request_errors(self, operation: Operation, headers: Mapping[str, str], body: Json) -> list[str]:
        """What is wrong with a request to `operation` (headers by lower-case name; body parsed)."""
        errors = [f"header {name} missing" for name in self._security_headers(operation) if name not in headers]
        for parameter in self._parameters(operation):
            if parameter["in"] == "path":
                schema = {k: parameter[k] for k in _PARAMETER_KEYWORDS if k in parameter}
                errors += self._errors(schema, operation.path_values.get(parameter["name"]), parameter["name"])
            elif parameter["in"] == "body":
                errors += self._errors(parameter.get("schema", {}), body, "body")
        return errors

    def response_errors(self, operation: Operation, status: int, body: Json) -> list[str]:
        """What is wrong with an answer: an undocumented status, or a body off its schema."""
        response = operation.spec.get("responses", {}).get(str(status))
        if response is None:
            return [f"status {status} is not documented for {operation.method} {operation.template}"]
        return self._errors(response["schema"], body, "response") if "schema" in response else []

    def _parameters(self, operation: Operation) -> list[dict[str, Any]]:
        shared = self.document["paths"][operation.template].get("parameters", [])
        return [self._resolved(p) for p in [*shared, *operation.spec.get("parameters", [])]]

    def _resolved(self, item: dict[str, Any]) -> dict[str, Any]:
        """A `#/parameters/...` reference replaced by what it names."""
        if "$ref" not in item:
            return item
        node: Any = self.document
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return dict(node)

    def _security_headers(self, operation: Operation) -> list[str]:
        schemes = self.document.get("securityDefinitions", {})
        requirements = operation.spec.get("security", self.document.get("security", []))
        named = [schemes[name] for requirement in requirements for name in requirement]
        return [s["name"].lower() for s in named if s.get("type") == "apiKey" and s.get("in") == "header"]

    def _errors(self, schema: Mapping[str, Any], value: Json, where: str) -> list[str]:
        rooted = {"allOf": [schema], "definitions": self.document.get("definitions", {})}
        validator = Draft4Validator(rooted, format_checker=self._checker)
        return [f"{where}{_at(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]


def _pattern(template: str) -> re.Pattern[str]:
    """`/messages/{fiscal_code}` -> a regex with a named group per path parameter."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts)))


def _at(path: Any) -> str:
    return "".join(f"[{p!r}]" for p in path)
