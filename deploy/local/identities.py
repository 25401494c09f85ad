"""The demo identities of the local SPID/CIE stand-in (an OpenID Connect provider process,
`oidc-provider-mock`), shared by `oidc_provider.py` (which offers them as one-click buttons)
and `demo.py` (which registers the families they belong to).

Each is what a SPID gateway sends: `fiscalNumber` with the `TINIT-` prefix, `name`, `familyName`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoIdentity:
    sub: str  # the button to pick on the provider's page
    tax_code: str
    first_name: str
    last_name: str
    who: str

    def claims(self) -> dict[str, str]:
        return {
            "sub": self.sub,
            "fiscalNumber": f"TINIT-{self.tax_code}",
            "name": self.first_name,
            "familyName": self.last_name,
        }


LATER = "(back-office: the office issue; today the portal answers 'no enrolment')"
HOLDER = DemoIdentity("mario.rossi", "RSSMRA80A01H501U", "Mario", "Rossi", "holder of the Rossi family's account")
GUARDIAN = DemoIdentity(
    "anna.bianchi", "BNCNNA82M45H501X", "Anna", "Bianchi", "guardian in the Rossi family, not the holder"
)
STRANGER = DemoIdentity("luigi.verdi", "VRDLGU75C10H501Z", "Luigi", "Verdi", "on no account: gets no session")
STAFF = [
    DemoIdentity("giovanna.neri", "NREGNN70A41H501X", "Giovanna", "Neri", f"Ufficio Scuola, operatore {LATER}"),
    DemoIdentity("paolo.gialli", "GLLPLA68B12H501U", "Paolo", "Gialli", f"Ufficio Scuola, responsabile {LATER}"),
    DemoIdentity("carla.blu", "BLUCRL72D50H501W", "Carla", "Blu", f"Ufficio Scuola, amministratore {LATER}"),
]
ALL = [HOLDER, GUARDIAN, STRANGER, *STAFF]
