"""Who the pages speak for: the municipality, its school office, where people reach it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    municipality: str  # "Comune di Monte Cremasco", in the header and the footer
    office: str = "Ufficio Scuola"
    office_address: str = ""
    office_email: str = ""
    office_phone: str = ""
    office_hours: str = ""
    login_path: str = "/accedi"  # where a page that needs a session sends the browser
    # The path the service's pages live under ("" at the root; "/terminale" for the school
    # terminal, which the edge routes to attendance): assets and footer pages are served there.
    root: str = ""

    @property
    def home(self) -> str:
        return self.root or "/"
