from shared.topics import Topic, all_topic_names, min_insync_replicas


def test_every_topic_has_a_dead_letter_twin() -> None:
    names = all_topic_names("p.")
    for topic in Topic:
        assert f"p.{topic}" in names and f"p.{topic}.dlq" in names


def test_account_keyed_topics_have_at_least_six_partitions() -> None:
    names = all_topic_names()
    assert all(names[t.value] >= 6 for t in Topic)


def test_a_partition_count_given_applies_to_every_topic_but_the_dead_letters() -> None:
    names = all_topic_names(partitions=12)
    assert {names[t.value] for t in Topic} == {12}
    assert {names[t.dead_letter] for t in Topic} == {1}


def test_one_broker_may_be_down_on_a_cluster_and_a_single_node_needs_itself() -> None:
    assert [min_insync_replicas(n) for n in (1, 2, 3, 5)] == [1, 1, 2, 4]
