import json
from typing import Any

import httpx
from aiokafka import ConsumerRecord

from testkit.data import tax_code
from testkit.kafka import read_all


def family(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "holder_tax_code": tax_code(),
        "holder_first_name": "Maria",
        "holder_last_name": "Bianchi",
        "email": "maria.bianchi@example.it",
        "phone": "+39 333 1234567",
        "students": [
            {
                "tax_code": tax_code(year=2018),
                "first_name": "Luca",
                "last_name": "Bianchi",
                "school_year": "2026/2027",
                "school_id": "primaria-roma",
                "class_id": "2B",
            }
        ],
    }
    return body | overrides


async def test_a_new_family_is_announced_to_the_other_services(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    body = family()
    response = await office.post("/office/families", json=body)
    assert response.status_code == 201, response.text
    account_id = response.json()["account_id"]

    ours = lambda r: json.loads(r.value)["data"]["account_id"] == account_id  # noqa: E731
    enrolled = await read_all(kafka, f"{topic_prefix}student-enrolled", expect=1, keep=ours)
    contacts = await read_all(kafka, f"{topic_prefix}contacts-changed", expect=1, keep=ours)
    assert len(enrolled) == 1 and len(contacts) == 1
    assert enrolled[0].key == account_id.encode()
    assert json.loads(enrolled[0].value)["data"]["class_id"] == "2B"
    card = json.loads(contacts[0].value)
    assert (card["version"], card["data"]["holder_tax_code"], card["data"]["io_opt_out"]) == (
        2,
        body["holder_tax_code"],
        False,
    )

    view = (await office.get(f"/accounts/{account_id}")).json()
    assert view["balance"] == {"cents": 0, "display": "€ 0,00"}
    assert [s["first_name"] for s in view["students"]] == ["Luca"]


async def test_a_refusal_of_io_messages_reaches_the_other_services_with_the_holders_fiscal_code(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str
) -> None:
    body = family()
    account_id = (await office.post("/office/families", json=body)).json()["account_id"]
    contacts = {"email": "maria@example.it", "io_opt_out": True}
    response = await office.put(f"/office/accounts/{account_id}/contacts", json=contacts)
    assert response.status_code == 204, response.text

    def ours(record: ConsumerRecord[Any, Any]) -> bool:
        return bool(json.loads(record.value)["data"]["account_id"] == account_id)

    records = await read_all(kafka, f"{topic_prefix}contacts-changed", expect=2, keep=ours)
    changes = [json.loads(r.value) for r in records]
    assert [(c["version"], c["data"]["io_opt_out"]) for c in changes] == [(2, False), (2, True)]
    assert changes[1]["data"]["holder_tax_code"] == body["holder_tax_code"]
    view = (await office.get(f"/accounts/{account_id}")).json()
    assert (view["email"], view["io_opt_out"], view["sms_opt_out"]) == ("maria@example.it", True, False)
    unknown = await office.put(f"/office/accounts/{'0' * 8}-0000-0000-0000-{'0' * 12}/contacts", json=contacts)
    assert unknown.status_code == 404


async def test_bad_input_gets_a_coded_italian_error_and_writes_nothing(office: httpx.AsyncClient) -> None:
    bad_code = family(holder_tax_code="RSSMRA85T10A562X")
    response = await office.post("/office/families", json=bad_code)
    assert response.status_code == 422
    assert response.json()["code"] == "codice_fiscale_non_valido"
    assert "non è valido" in response.json()["message"]

    first = family()
    assert (await office.post("/office/families", json=first)).status_code == 201
    again = family(holder_tax_code=first["holder_tax_code"])
    response = await office.post("/office/families", json=again)
    assert response.status_code == 409 and response.json()["code"] == "titolare_duplicato"

    shared_child = family(students=first["students"])
    response = await office.post("/office/families", json=shared_child)
    assert response.status_code == 409 and response.json()["code"] == "alunno_duplicato"
    search = await office.get(f"/accounts/{'0' * 8}-0000-0000-0000-{'0' * 12}")
    assert search.status_code == 404

    response = await office.post("/office/families", json=family(students=[]))
    assert response.status_code == 422 and response.json()["code"] == "richiesta_non_valida"


async def test_the_office_credential_is_required(office: httpx.AsyncClient) -> None:
    response = await office.post("/office/families", json=family(), headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401 and response.json()["code"] == "non_autenticato"
    response = await office.get("/accounts/00000000-0000-0000-0000-000000000000", headers={"Authorization": ""})
    assert response.status_code == 401
