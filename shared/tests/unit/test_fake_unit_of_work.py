"""The test kit's in-memory unit of work behaves like the real one where handlers can tell."""

from shared.unit_of_work import UnitOfWork
from testkit.fakes import FakeUnitOfWork


async def test_nothing_is_kept_without_a_commit() -> None:
    uow: UnitOfWork = FakeUnitOfWork()
    async with uow:
        assert await uow.claim("c", [1, 2]) == {1, 2}
    async with uow:
        assert await uow.claim("c", [1, 2]) == {1, 2}
        await uow.commit()
    async with uow:
        assert await uow.claim("c", [2, 3]) == {3}
