"""The operator's legal details and the three pages every public body's site needs (pure, no Flask).

Impressum (§ 5 DDG, § 18 MStV), Datenschutz (Art. 13 DSGVO) and the Erklärung zur Barrierefreiheit
(§ 10b BGG NRW, BITV NRW). Each is a built-in page filled from the operator's settings, or the operator's
own page elsewhere (SELFEVAL_IMPRINT_URL, SELFEVAL_PRIVACY_URL, SELFEVAL_ACCESSIBILITY_URL).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Operator:
    """The public body that runs this installation (Schulträger, Kreis, Bezirksregierung, Medienzentrum)."""

    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    #: Who represents the body by law, e.g. "Landrat Max Muster".
    representative: str = ""
    #: Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV.
    content_responsible: str = ""
    #: How to reach the data protection officer (Art. 13 (1) b DSGVO).
    data_protection_officer: str = ""
    #: Where to report barriers; the operator's e-mail address when not set.
    accessibility_contact: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.name)

    @property
    def feedback_address(self) -> str:
        return self.accessibility_contact or self.email


@dataclass(frozen=True)
class LegalPage:
    endpoint: str
    label: str
    #: The setting whose address replaces the built-in page.
    url_setting: str


LEGAL_PAGES = (
    LegalPage("main.imprint", "Impressum", "SELFEVAL_IMPRINT_URL"),
    LegalPage("main.privacy", "Datenschutz", "SELFEVAL_PRIVACY_URL"),
    LegalPage("main.accessibility", "Barrierefreiheit", "SELFEVAL_ACCESSIBILITY_URL"),
)
#: setting -> field of Operator
OPERATOR_SETTINGS = {
    "SELFEVAL_OPERATOR_NAME": "name",
    "SELFEVAL_OPERATOR_ADDRESS": "address",
    "SELFEVAL_OPERATOR_EMAIL": "email",
    "SELFEVAL_OPERATOR_PHONE": "phone",
    "SELFEVAL_OPERATOR_REPRESENTATIVE": "representative",
    "SELFEVAL_OPERATOR_CONTENT_RESPONSIBLE": "content_responsible",
    "SELFEVAL_DATA_PROTECTION_OFFICER": "data_protection_officer",
    "SELFEVAL_ACCESSIBILITY_CONTACT": "accessibility_contact",
}
EMAIL_SETTINGS = ("SELFEVAL_OPERATOR_EMAIL", "SELFEVAL_ACCESSIBILITY_CONTACT")

#: The day this statement was last checked against the software (the browser journeys' axe checks).
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 6)


@dataclass(frozen=True)
class Authority:
    name: str
    url: str
    email: str = ""


#: The Durchsetzungsverfahren the BITV NRW prescribes (§ 10d BGG NRW, §§ 9 ff. BITV NRW).
OMBUDSSTELLE_NRW = Authority(
    "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen",
    "https://www.lbbp.nrw.de/ombudsstelle",
    "ombudsstelle-barrierefreie-it@mags.nrw.de",
)
#: The data protection supervisory authority for public bodies in NRW (Art. 77 DSGVO).
LDI_NRW = Authority(
    "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
    "https://www.ldi.nrw.de",
)


def operator_from(config: Mapping[str, Any]) -> Operator:
    return Operator(**{field: config.get(setting, "") for setting, field in OPERATOR_SETTINGS.items()})


def legal_links(config: Mapping[str, Any], built_in: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, address) of the three pages: the operator's own address where set, else the built-in page."""
    return [(page.label, config.get(page.url_setting) or built_in[page.endpoint]) for page in LEGAL_PAGES]
