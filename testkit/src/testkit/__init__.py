"""Test support shared by every service's tests: real infrastructure, data makers, Kafka probes."""
