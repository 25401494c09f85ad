"""Our station towards the pagoPA node: who the node must be talking to, and how it answers."""

from __future__ import annotations

from dataclasses import dataclass

from payments.domain.faults import Fault, NodeFault
from payments.domain.receipt import Outcome


@dataclass(frozen=True)
class Addressee:
    """Whom a node's request is for (`idPA`, `idBrokerPA`, `idStation`)."""

    creditor_fiscal_code: str
    broker_id: str
    station_id: str


@dataclass(frozen=True)
class Station:
    creditor_fiscal_code: str
    broker_id: str
    station_id: str
    # The node resends a receipt it got no answer for: answer a duplicate with OK instead of
    # the documented KO/PAA_RECEIPT_DUPLICATA.
    duplicate_receipt_ok: bool = False

    def check_addressed(self, to: Addressee) -> None:
        if to.creditor_fiscal_code != self.creditor_fiscal_code:
            raise NodeFault(Fault.WRONG_CREDITOR)
        if to.broker_id != self.broker_id:
            raise NodeFault(Fault.WRONG_BROKER)
        if to.station_id != self.station_id:
            raise NodeFault(Fault.WRONG_STATION)

    def acknowledge(self, outcome: Outcome) -> None:
        """A receipt credited or kept as an anomaly is answered OK (the node must stop resending it);
        a duplicate is refused, unless the station is set to answer it OK."""
        if outcome is Outcome.DUPLICATE and not self.duplicate_receipt_ok:
            raise NodeFault(Fault.DUPLICATE_RECEIPT)
