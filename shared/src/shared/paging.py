"""Numbered pages of a list: how many pages a count fills (at least one, even empty)."""


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))
