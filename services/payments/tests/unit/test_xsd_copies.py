"""The service ships the official schemas; they must stay byte-identical to the shared spec."""

from pathlib import Path

import pytest

from ..conftest import SPEC  # type: ignore[import-not-found]

SERVICE_XSD = Path(__file__).resolve().parents[2] / "src" / "payments" / "adapters" / "xsd"


@pytest.mark.parametrize(
    "path", ["wsdl/xsd/paForNode.xsd", "xsd-common/sac-common-types-1.0.xsd", "openapi/paCreatePosition.json"]
)
def test_the_copies_are_the_official_files(path: str) -> None:
    assert (SERVICE_XSD / path).read_bytes() == (SPEC / path).read_bytes()
