"""The office rotates and revokes terminal secrets; the old credential stops working at once."""

import uuid

import httpx

from .conftest import DAY


async def test_rotate_then_revoke_a_terminal(attendance: httpx.AsyncClient, unique: str) -> None:
    school = f"school-{unique}"
    created = (await attendance.post("/office/terminals", json={"school_id": school})).json()
    kitchen = f"/schools/{school}/days/{DAY}/kitchen"

    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    assert (await attendance.get(kitchen, headers=bearer(created["token"]))).status_code == 200
    rotated = await attendance.post(f"/office/terminals/{created['terminal_id']}/rotate")
    assert rotated.status_code == 200 and rotated.json()["terminal_id"] == created["terminal_id"]
    assert (await attendance.get(kitchen, headers=bearer(created["token"]))).status_code == 401
    assert (await attendance.get(kitchen, headers=bearer(rotated.json()["token"]))).status_code == 200

    assert (await attendance.post(f"/office/terminals/{created['terminal_id']}/revoke")).status_code == 204
    assert (await attendance.post(f"/office/terminals/{created['terminal_id']}/revoke")).status_code == 204
    assert (await attendance.get(kitchen, headers=bearer(rotated.json()["token"]))).status_code == 401
    assert (await attendance.post(f"/office/terminals/{created['terminal_id']}/rotate")).status_code == 404
    assert (await attendance.post(f"/office/terminals/{uuid.uuid4()}/revoke")).status_code == 404
    unauthorised = await attendance.post(
        f"/office/terminals/{created['terminal_id']}/rotate", headers={"Authorization": "Bearer nope"}
    )
    assert unauthorised.status_code == 401
