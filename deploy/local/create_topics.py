"""Creates every Refettorio topic and its `.dlq` twin, grows a topic that has fewer partitions than
wanted (partition counts in shared/topics.py, which says when growing is safe), and makes every
`.dlq` topic keep its records forever (`retention.ms=-1`; also one created before that was set).

Usage: uv run python deploy/local/create_topics.py [--prefix PREFIX] [--replication-factor N]
                                                   [--partitions N]

On the three-node cluster (`REFETTORIO_KAFKA_NODES=3 deploy/local/kafka.sh up`) pass
`--replication-factor 3` (min.insync.replicas becomes 2); one node takes the default, 1.
"""

import argparse
import asyncio
import os

from shared.messaging.kafka import create_topics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--prefix", default=os.environ.get("KAFKA_TOPIC_PREFIX", ""))
    parser.add_argument("--replication-factor", type=int, default=1, help="replicas of every new topic")
    parser.add_argument("--partitions", type=int, help="partitions of every topic but the .dlq twins")
    args = parser.parse_args()
    changed = asyncio.run(create_topics(args.bootstrap, args.prefix, args.replication_factor, args.partitions))
    print(f"topics created or changed: {len(changed)}" + (f" ({', '.join(changed)})" if changed else " (none)"))


if __name__ == "__main__":
    main()
