"""Where the tests find Kafka and PostgreSQL, in this order:

1. the environment: `KAFKA_BOOTSTRAP_SERVERS` and `<SERVICE>_DATABASE_URL` for every service
   (`make test` starts the local stack and sets them to the `*_test` databases);
2. testcontainers, when a Docker engine answers (a developer laptop);
3. otherwise the run fails, naming what is missing: a test never skips for lack of infrastructure.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

SERVICES = ("accounts", "attendance", "payments", "notifications")
KERNEL = "kernel"


class MissingInfrastructure(RuntimeError):
    pass


@dataclass(frozen=True)
class Infra:
    kafka_bootstrap_servers: str
    database_urls: dict[str, str]  # service (or "kernel") -> asyncpg URL


def from_environment() -> Infra | None:
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    urls = {name: os.environ.get(f"{name.upper()}_DATABASE_URL") for name in (*SERVICES, KERNEL)}
    if not kafka and not any(urls.values()):
        return None
    missing = [f"{n.upper()}_DATABASE_URL" for n, url in urls.items() if not url]
    if not kafka or missing:
        raise MissingInfrastructure(
            "incomplete test environment, missing: "
            + ", ".join(missing + ([] if kafka else ["KAFKA_BOOTSTRAP_SERVERS"]))
        )
    return Infra(kafka, {n: u for n, u in urls.items() if u})


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def from_testcontainers() -> Iterator[Infra]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    with (
        PostgresContainer(
            "postgres:16", username="refettorio", password="refettorio", dbname="postgres", driver="asyncpg"
        ) as pg,
        KafkaContainer("apache/kafka:4.1.0").with_kraft() as kafka,
    ):
        for name in (*SERVICES, KERNEL):
            pg.exec(["psql", "-U", "refettorio", "-d", "postgres", "-c", f"CREATE DATABASE {name}_test"])
        base = pg.get_connection_url().rsplit("/", 1)[0]
        yield Infra(kafka.get_bootstrap_server(), {name: f"{base}/{name}_test" for name in (*SERVICES, KERNEL)})


@contextlib.contextmanager
def resolve() -> Iterator[Infra]:
    infra = from_environment()
    if infra is not None:
        yield infra
    elif docker_answers():
        with from_testcontainers() as infra:
            yield infra
    else:
        raise MissingInfrastructure(
            "no Kafka/PostgreSQL for the tests: run `make test` (it starts the local stack), "
            "or set KAFKA_BOOTSTRAP_SERVERS and <SERVICE>_DATABASE_URL, or start a Docker engine"
        )
