"""Messaging plumbing: transactional outbox, idempotent inbox, dead letters and retries."""
