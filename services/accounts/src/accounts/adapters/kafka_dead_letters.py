"""The dead letters waiting in Kafka, for the office's dashboard (`shared.dlq.waiting`)."""

from __future__ import annotations

from aiokafka.errors import KafkaError

from accounts.domain.dashboard import Unavailable
from shared.dlq import waiting


class KafkaDeadLetters:
    def __init__(self, bootstrap_servers: str, topic_prefix: str) -> None:
        self._bootstrap = bootstrap_servers
        self._prefix = topic_prefix

    async def waiting(self) -> dict[str, int]:
        try:
            return await waiting(self._bootstrap, self._prefix)
        except (KafkaError, OSError) as error:
            raise Unavailable("Kafka") from error
