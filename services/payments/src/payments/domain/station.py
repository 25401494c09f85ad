"""Our station towards the pagoPA node: who the node must be talking to."""

from __future__ import annotations

from dataclasses import dataclass

from payments.domain.faults import Fault, NodeFault


@dataclass(frozen=True)
class Station:
    creditor_fiscal_code: str
    broker_id: str
    station_id: str

    def check_addressed(self, id_pa: str, id_broker: str, id_station: str) -> None:
        if id_pa != self.creditor_fiscal_code:
            raise NodeFault(Fault.WRONG_CREDITOR)
        if id_broker != self.broker_id:
            raise NodeFault(Fault.WRONG_BROKER)
        if id_station != self.station_id:
            raise NodeFault(Fault.WRONG_STATION)
