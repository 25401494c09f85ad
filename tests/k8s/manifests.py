"""Rendering deploy/k8s and reading the result: kustomize builds, schema validators, lookups.

kustomize is the binary `make install` builds (deploy/local/ensure-kustomize.sh); the Kubernetes
schemas are kubernetes-validate's (strict: an unknown field fails); KEDA's ScaledObject schema is
its CRD, kept in deploy/k8s/schemas. Nothing here reaches a cluster or the network.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

from shared.acting import public_key_of

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SECRETS_TEMPLATE = K8S / "secrets" / "secrets.template.yaml"
KEDA_CRD = K8S / "schemas" / "keda.sh_scaledobjects.yaml"
# The oldest and the newest Kubernetes the manifests are written for.
KUBERNETES_VERSIONS = ("1.31", "1.37")

Obj = dict[str, Any]


@functools.cache
def kustomize() -> str:
    script = ROOT / "deploy" / "local" / "ensure-kustomize.sh"
    found = subprocess.run([script, "--installed"], capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


@functools.cache
def render(kustomization: str) -> tuple[Obj, ...]:
    built = subprocess.run([kustomize(), "build", K8S / kustomization], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    return tuple(doc for doc in yaml.safe_load_all(built.stdout) if doc)


def load(path: Path) -> tuple[Obj, ...]:
    return tuple(doc for doc in yaml.safe_load_all(path.read_text()) if doc)


def schema_errors(obj: Obj) -> list[str]:
    """What keeps `obj` from being accepted (strictly) by every Kubernetes version we target."""
    if obj["kind"] == "ScaledObject":
        return [f"{label(obj)}: {error.json_path}: {error.message}" for error in _keda().iter_errors(obj)]
    errors = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{label(obj)} on {version}: {error.json_path}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            errors.append(f"{label(obj)}: {error.message}")
    return errors


@functools.cache
def _keda() -> jsonschema.Draft7Validator:
    (crd,) = load(KEDA_CRD)
    (version,) = [v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1" and v["served"]]
    schema = _strict(version["schema"]["openAPIV3Schema"])
    schema["properties"]["apiVersion"]["const"] = "keda.sh/v1alpha1"
    return jsonschema.Draft7Validator(schema)


def _strict(schema: Obj) -> Obj:
    """An API server with field validation rejects fields a structural schema does not name."""
    strict = {key: _strict(value) if isinstance(value, dict) else value for key, value in schema.items()}
    if "properties" in strict:
        strict["properties"] = {name: _strict(sub) for name, sub in schema["properties"].items()}
        if "additionalProperties" not in strict and not strict.get("x-kubernetes-preserve-unknown-fields"):
            strict["additionalProperties"] = False
    if isinstance(strict.get("items"), dict):
        strict["items"] = _strict(strict["items"])
    return strict


def label(obj: Obj) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def of_kind(objects: tuple[Obj, ...], kind: str) -> list[Obj]:
    return [obj for obj in objects if obj["kind"] == kind]


def named(objects: tuple[Obj, ...], kind: str, name: str) -> Obj:
    (obj,) = [obj for obj in of_kind(objects, kind) if obj["metadata"]["name"] == name]
    return obj


def container(deployment: Obj) -> Obj:
    (app,) = deployment["spec"]["template"]["spec"]["containers"]
    return app


def selects(selector: Obj, deployment: Obj) -> bool:
    """Whether a label selector (matchLabels, matchExpressions with `In`) takes the pods."""
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    expressions = selector.get("matchExpressions", [])
    assert all(e["operator"] == "In" for e in expressions), selector
    wanted = selector.get("matchLabels", {}).items()
    return wanted <= labels.items() and all(labels.get(e["key"]) in e["values"] for e in expressions)


def selected(selector: Obj, objects: tuple[Obj, ...]) -> set[str]:
    return {d["metadata"]["name"] for d in of_kind(objects, "Deployment") if selects(selector, d)}


def port(deployment: Obj, name: str) -> int:
    (number,) = [p["containerPort"] for p in container(deployment)["ports"] if p["name"] == name]
    return int(number)


def pod_environment(objects: tuple[Obj, ...], deployment: Obj, secret_value: str | None = None) -> dict[str, str]:
    """The variables the pod gets from its ConfigMaps and (from the template) its Secret, the
    template's placeholders replaced by `secret_value` if given."""
    env: dict[str, str] = {}
    for source in container(deployment)["envFrom"]:
        if "configMapRef" in source:
            env |= named(objects, "ConfigMap", source["configMapRef"]["name"])["data"]
        else:
            env |= dict(_filled(secret(source["secretRef"]["name"]), secret_value))
    return env


def secret(name: str) -> dict[str, str]:
    obj: dict[str, str] = named(load(SECRETS_TEMPLATE), "Secret", name)["stringData"]
    return obj


def _filled(values: dict[str, str], replacement: str | None) -> Iterator[tuple[str, str]]:
    for key, value in values.items():
        if replacement is not None and key.endswith("_PERSON_VERIFY_KEY"):  # the public half of the signing key
            yield key, public_key_of(replacement)
        else:
            yield key, value if replacement is None else value.replace("dev-replace-me", replacement)
