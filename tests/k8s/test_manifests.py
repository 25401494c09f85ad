"""deploy/k8s, checked offline (no cluster runs here): every kustomization renders, every object
passes the Kubernetes (or KEDA) schema strictly, the objects agree with each other, and the pods'
configuration is what the services themselves accept in production mode."""

from __future__ import annotations

import functools
import importlib
import os
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from pydantic import AliasChoices, ValidationError
from pydantic_settings import BaseSettings

from accounts.config import AccountsSettings
from attendance.config import AttendanceSettings
from notifications.config import NotificationsSettings
from payments.config import PaymentsSettings

from .manifests import (
    SECRETS_TEMPLATE,
    Obj,
    container,
    label,
    load,
    named,
    of_kind,
    pod_environment,
    port,
    render,
    schema_errors,
    secret,
    selected,
)

OVERLAYS = ["overlays/small-municipality", "overlays/large-city", "overlays/large-city-keda"]
SETTINGS: dict[str, type[BaseSettings]] = {
    "accounts": AccountsSettings,
    "attendance": AttendanceSettings,
    "payments": PaymentsSettings,
    "notifications": NotificationsSettings,
}
SERVICES = set(SETTINGS)
FILLED = "k8s-test-secret-of-some-length"  # what the tests put where the template has a placeholder

Objects = tuple[Obj, ...]


@pytest.fixture(params=["base", *OVERLAYS])
def objects(request: pytest.FixtureRequest) -> Objects:
    return render(request.param)


def deployments(objects: Objects) -> dict[str, Obj]:
    found = {d["metadata"]["name"]: d for d in of_kind(objects, "Deployment")}
    assert set(found) == SERVICES
    return found


def settings_of(objects: Objects, deployment: Obj, secret_value: str | None = FILLED) -> Any:
    """The service's settings as its pod would build them (from the Secret template, filled)."""
    env = pod_environment(objects, deployment, secret_value)
    with mock.patch.dict(os.environ, env, clear=True):
        return SETTINGS[deployment["metadata"]["name"]]()


@functools.cache
def app_of(service: str) -> FastAPI:
    """The service's own app, as its `__main__` builds it (no connection is made)."""
    settings = SETTINGS[service](environment="test", database_url="postgresql+asyncpg://k8s:test@127.0.0.1/none")
    app: FastAPI = importlib.import_module(f"{service}.bootstrap").make_app(settings)
    return app


def consumers(service: str) -> set[tuple[str, str]]:
    """The service's (consumer group, topic) pairs."""
    broker = app_of(service).state.infra.broker
    return {(sub.group_id, topic) for sub in broker.subscribers for topic in sub.topic_names}


def test_every_object_passes_its_schema(objects: Objects) -> None:
    assert [error for obj in objects for error in schema_errors(obj)] == []


def test_secrets_are_placeholders_kept_apart(objects: Objects) -> None:
    assert of_kind(objects, "Secret") == []
    template = load(SECRETS_TEMPLATE)
    assert [error for obj in template for error in schema_errors(obj)] == []
    assert all("dev-replace-me" in value for obj in template for value in obj["stringData"].values())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlays_put_everything_in_their_namespace(overlay: str) -> None:
    objects = render(overlay)
    (namespace,) = of_kind(objects, "Namespace")
    others = {label(obj): obj["metadata"].get("namespace") for obj in objects if obj is not namespace}
    assert set(others.values()) == {namespace["metadata"]["name"]}, others
    node = named(objects, "Ingress", "pagopa-node")["metadata"]["annotations"]
    assert node["nginx.ingress.kubernetes.io/auth-tls-secret"] == f"{namespace['metadata']['name']}/pagopa-node-ca"


def test_references_resolve(objects: Objects) -> None:
    for name, deployment in deployments(objects).items():
        assert selected(deployment["spec"]["selector"], objects) == {name}
        service = named(objects, "Service", name)
        assert selected({"matchLabels": service["spec"]["selector"]}, objects) == {name}
        for service_port in service["spec"]["ports"]:
            port(deployment, service_port["targetPort"])
        assert selected(named(objects, "PodDisruptionBudget", name)["spec"]["selector"], objects) == {name}
        pod_environment(objects, deployment)  # every ConfigMap and Secret it names exists
    for ingress in of_kind(objects, "Ingress"):
        for service_name, _, _ in _routes(ingress):  # each on the Service port named http
            assert "http" in {p["name"] for p in named(objects, "Service", service_name)["spec"]["ports"]}


def test_each_deployment_has_one_autoscaler_and_no_fixed_count(objects: Objects) -> None:
    scalers = [obj for obj in objects if obj["kind"] in ("HorizontalPodAutoscaler", "ScaledObject")]
    assert sorted(s["spec"]["scaleTargetRef"]["name"] for s in scalers) == sorted(SERVICES)
    for scaler in scalers:
        minimum, maximum = _replica_range(scaler)
        assert 2 <= minimum <= maximum, label(scaler)
        assert _cpu_target(scaler) == 70, label(scaler)
    assert all("replicas" not in deployment["spec"] for deployment in deployments(objects).values())


def test_pods_probe_limit_and_outlast_their_drain(objects: Objects) -> None:
    for deployment in deployments(objects).values():
        pod, app = deployment["spec"]["template"]["spec"], container(deployment)
        assert app["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
        assert app["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
        assert app["startupProbe"]["httpGet"] == {"path": "/health", "port": "http"}
        assert {"cpu", "memory"} <= app["resources"]["requests"].keys() & app["resources"]["limits"].keys()
        assert pod["enableServiceLinks"] is False  # no ACCOUNTS_SERVICE_HOST... inside the settings' prefixes
        pre_stop = int(app["lifecycle"]["preStop"]["exec"]["command"][1])
        drain = _drain_seconds(settings_of(objects, deployment))
        assert pod["terminationGracePeriodSeconds"] > pre_stop + drain, label(deployment)


def test_pods_meet_the_restricted_pod_security_standard(objects: Objects) -> None:
    (namespace,) = of_kind(objects, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for deployment in deployments(objects).values():
        pod, app = deployment["spec"]["template"]["spec"], container(deployment)
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert app["securityContext"]["allowPrivilegeEscalation"] is False
        assert app["securityContext"]["capabilities"] == {"drop": ["ALL"]}
        assert pod["automountServiceAccountToken"] is False


def test_gateway_and_notifications_agree_on_the_meal_price(objects: Objects) -> None:
    prices = {
        name: settings_of(objects, named(objects, "Deployment", name)).meal_price_cents
        for name in ("accounts", "notifications")
    }
    assert len(set(prices.values())) == 1, prices  # notifications' low-credit alert counts meals


def test_configuration_is_what_the_services_read_in_production(objects: Objects) -> None:
    for name, deployment in deployments(objects).items():
        prefix = SETTINGS[name].model_config["env_prefix"]
        assert container(deployment)["command"][-2:] == ["-m", name]
        unknown = set(pod_environment(objects, deployment)) - _variables(SETTINGS[name])
        assert unknown == set()  # a misspelt name would be ignored
        settings = settings_of(objects, deployment)
        assert settings.environment == "production"
        needed = {prefix + key.upper() for key in [*settings._secrets(), "database_url"]}
        assert needed <= set(secret(f"{name}-secrets")), name
        with pytest.raises(ValidationError, match="set real secrets in production"):
            settings_of(objects, deployment, secret_value=None)  # the template applied as it is


def test_scaled_objects_follow_every_consumer_group(objects: Objects) -> None:
    scaled_objects = of_kind(objects, "ScaledObject")
    for scaled in scaled_objects:
        name = scaled["spec"]["scaleTargetRef"]["name"]
        environment = pod_environment(objects, named(objects, "Deployment", name))
        lag = [t["metadata"] for t in scaled["spec"]["triggers"] if t["type"] == "kafka"]
        assert {(t["consumerGroup"], t["topic"]) for t in lag} == consumers(name)
        assert all(t["bootstrapServersFromEnv"] in environment for t in lag)
    if scaled_objects:  # then every service that consumes is scaled on its lag
        consuming = {name for name in SERVICES if consumers(name)}
        assert {s["spec"]["scaleTargetRef"]["name"] for s in scaled_objects} == consuming


def test_the_public_reaches_only_the_portal_the_terminals_and_the_node(objects: Objects) -> None:
    closed = named(objects, "Ingress", "portal-closed")
    assert closed["metadata"]["annotations"] == {"nginx.ingress.kubernetes.io/whitelist-source-range": "127.0.0.1/32"}
    assert _routes(closed) == {("accounts", "/metrics", "Exact"), ("accounts", "/internal/", "Prefix")}
    opened = {route for ingress in of_kind(objects, "Ingress") if ingress is not closed for route in _routes(ingress)}
    assert opened == {
        ("accounts", "/", "Prefix"),
        ("attendance", "/terminale", "Prefix"),
        ("attendance", "/schools/", "Prefix"),
        ("payments", "/pagopa/paForNode", "Exact"),
    }
    portal_host = _host(named(objects, "Ingress", "portal"))
    assert _host(closed) == portal_host
    for name in ("accounts", "notifications"):
        portal_url = settings_of(objects, named(objects, "Deployment", name)).portal_url
        assert tuple(urlsplit(portal_url)) == ("https", portal_host, "", "", "")
    node = named(objects, "Ingress", "pagopa-node")["metadata"]["annotations"]
    assert node["nginx.ingress.kubernetes.io/auth-tls-verify-client"] == "on"


def test_network_policies_open_only_what_is_needed(objects: Objects) -> None:
    policies = {p["metadata"]["name"]: p["spec"] for p in of_kind(objects, "NetworkPolicy")}
    assert policies.pop("default-deny-ingress") == {"podSelector": {}, "policyTypes": ["Ingress"]}
    opened: dict[tuple[str, str], set[str]] = {}
    for spec in policies.values():
        for rule in spec["ingress"]:
            for peer in rule["from"]:
                for allowed in rule["ports"]:
                    key = (_peer(peer), allowed["port"])
                    opened.setdefault(key, set()).update(selected(spec["podSelector"], objects))
    assert opened == {
        ("namespace ingress-nginx", "http"): {"accounts", "attendance", "payments"},
        ("pods accounts", "http"): SERVICES - {"accounts"},
        ("namespace monitoring", "http"): SERVICES,
    }


def test_prometheus_scrapes_each_service_where_it_serves_metrics(objects: Objects) -> None:
    for name, deployment in deployments(objects).items():
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/port"] == str(port(deployment, "http"))
        assert annotations["prometheus.io/port"] == str(settings_of(objects, deployment).http_port)
        assert annotations["prometheus.io/path"] in {getattr(route, "path", None) for route in app_of(name).routes}


def _variables(settings_class: type[BaseSettings]) -> set[str]:
    """Every environment variable the settings read."""
    prefix = settings_class.model_config["env_prefix"]
    names = set()
    for field, info in settings_class.model_fields.items():
        names.add(f"{prefix}{field}".upper())
        if isinstance(info.validation_alias, AliasChoices):
            names |= {choice.upper() for choice in info.validation_alias.choices if isinstance(choice, str)}
    return names


def _drain_seconds(settings: Any) -> float:
    """What SIGTERM waits for, one after the other: notifications' sender loop (SMTP timeout + 5,
    its bootstrap), the consumers (the broker's graceful timeout), the outbox relay."""
    sender = settings.smtp_timeout_seconds + 5 if isinstance(settings, NotificationsSettings) else 0
    service = type(settings).model_config["env_prefix"].rstrip("_").lower()
    consumers = app_of(service).state.infra.broker.config.graceful_timeout
    return float(sender + consumers + settings.outbox_drain_seconds)


def _replica_range(scaler: Obj) -> tuple[int, int]:
    spec = scaler["spec"]
    if scaler["kind"] == "ScaledObject":
        return spec["minReplicaCount"], spec["maxReplicaCount"]
    return spec["minReplicas"], spec["maxReplicas"]


def _cpu_target(scaler: Obj) -> int:
    if scaler["kind"] == "ScaledObject":
        (cpu,) = [t for t in scaler["spec"]["triggers"] if t["type"] == "cpu"]
        assert (cpu["metricType"], cpu["metadata"]["containerName"]) == ("Utilization", "app")
        return int(cpu["metadata"]["value"])
    (metric,) = scaler["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    return int(metric["resource"]["target"]["averageUtilization"])


def _routes(ingress: Obj) -> set[tuple[str, str, str]]:
    """(service, path, path type) of each path, on the Service port named http."""
    paths = [(path, path["backend"]["service"]) for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    assert all(backend["port"] == {"name": "http"} for _, backend in paths)
    return {(backend["name"], path["path"], path["pathType"]) for path, backend in paths}


def _host(ingress: Obj) -> str:
    (rule,) = ingress["spec"]["rules"]
    host: str = rule["host"]
    return host


def _peer(peer: Obj) -> str:
    if "namespaceSelector" in peer:
        assert "podSelector" not in peer, peer
        return f"namespace {peer['namespaceSelector']['matchLabels']['kubernetes.io/metadata.name']}"
    return f"pods {peer['podSelector']['matchLabels']['app.kubernetes.io/name']}"
