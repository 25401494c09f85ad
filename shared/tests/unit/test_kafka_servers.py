from shared.messaging.kafka import server_list


def test_a_cluster_bootstrap_string_is_a_list_of_servers() -> None:
    assert server_list("127.0.0.1:9092") == ["127.0.0.1:9092"]
    assert server_list("10.0.0.1:9092, 10.0.0.2:9092,10.0.0.3:9092") == [
        "10.0.0.1:9092",
        "10.0.0.2:9092",
        "10.0.0.3:9092",
    ]
