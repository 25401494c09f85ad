import pytest

from .fakes import FakeAttendanceUnitOfWork


@pytest.fixture
def uow() -> FakeAttendanceUnitOfWork:
    return FakeAttendanceUnitOfWork()
