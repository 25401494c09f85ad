"""Refettorio's shared kernel: contracts and plumbing every service reuses, no service's domain."""
