from shared.topics import Topic, all_topic_names


def test_every_topic_has_a_dead_letter_twin() -> None:
    names = all_topic_names("p.")
    for topic in Topic:
        assert f"p.{topic}" in names and f"p.{topic}.dlq" in names


def test_account_keyed_topics_have_at_least_six_partitions() -> None:
    names = all_topic_names()
    assert all(names[t.value] >= 6 for t in Topic)
