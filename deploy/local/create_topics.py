"""Creates every Refettorio topic and its `.dlq` twin (partition counts in shared/topics.py).

Usage: uv run python deploy/local/create_topics.py [--prefix PREFIX]
"""

import argparse
import asyncio
import os

from shared.messaging.kafka import create_topics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--prefix", default=os.environ.get("KAFKA_TOPIC_PREFIX", ""))
    args = parser.parse_args()
    created = asyncio.run(create_topics(args.bootstrap, args.prefix))
    print(f"topics created: {len(created)}" + (f" ({', '.join(created)})" if created else " (all existed)"))


if __name__ == "__main__":
    main()
