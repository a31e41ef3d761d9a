"""Reference data of NRW: Kreise with their Bezirksregierung, and the Schulform codes.

Pure data, no Flask and no database. The Kreise list is the 53 Kreise and kreisfreie Städte
(shared/data/nrw-kreise.csv); the Schulform codes are those of the school directory
(Schulgrunddaten NRW, key table key_schulformschluessel).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KREISE_FILE = Path(__file__).with_name("nrw_kreise.csv")

SCHULFORMEN: dict[str, str] = {
    "02": "Grundschule",
    "04": "Hauptschule",
    "06": "Volksschule",
    "08": "Förderschule",
    "10": "Realschule",
    "13": "Primus (Schulversuch)",
    "14": "Sekundarschule",
    "15": "Gesamtschule",
    "16": "Gemeinschaftsschule (Schulversuch)",
    "17": "Waldorfschule",
    "18": "Hiberniaschule",
    "19": "Freie Waldorfförderschule",
    "20": "Gymnasium",
    "25": "Weiterbildungskolleg",
    "30": "Berufskolleg",
}

#: The directory's Rechtsform key table (key_rechtsform.csv).
RECHTSFORMEN: dict[str, str] = {"1": "öffentlich", "2": "privat"}


def rechtsform_label(code: str | None) -> str:
    """"öffentlich", "privat", or "" when unknown."""
    return RECHTSFORMEN.get(code or "", "")


#: The Schulstufen (and the two school kinds NRW counts apart) that support offers can be limited to.
SCHULSTUFEN: dict[str, str] = {
    "primarstufe": "Primarstufe",
    "sekundarstufe-1": "Sekundarstufe I",
    "sekundarstufe-2": "Sekundarstufe II",
    "berufskolleg": "Berufskolleg",
    "foerderschule": "Förderschule",
}

#: Which Schulstufen each Schulform teaches: the one place that knows it. Förderschulen and Berufskollegs are
#: counted on their own (offers name them explicitly); schools from class 1 to 13 have all three stages.
_STUFEN_OF_SCHULFORM: dict[str, tuple[str, ...]] = {
    "02": ("primarstufe",),  # Grundschule
    "04": ("sekundarstufe-1",),  # Hauptschule
    "06": ("primarstufe", "sekundarstufe-1"),  # Volksschule: Grund- and Hauptschule in one
    "08": ("foerderschule",),
    "10": ("sekundarstufe-1",),  # Realschule
    "13": ("primarstufe", "sekundarstufe-1"),  # PRIMUS: classes 1 to 10
    "14": ("sekundarstufe-1",),  # Sekundarschule
    "15": ("sekundarstufe-1", "sekundarstufe-2"),  # Gesamtschule
    "16": ("sekundarstufe-1", "sekundarstufe-2"),  # Gemeinschaftsschule
    "17": ("primarstufe", "sekundarstufe-1", "sekundarstufe-2"),  # Waldorfschule
    "18": ("primarstufe", "sekundarstufe-1", "sekundarstufe-2"),  # Hiberniaschule
    "19": ("foerderschule",),  # Freie Waldorfförderschule
    "20": ("sekundarstufe-1", "sekundarstufe-2"),  # Gymnasium
    "25": ("sekundarstufe-1", "sekundarstufe-2"),  # Weiterbildungskolleg: Abendrealschule and Abendgymnasium
    "30": ("berufskolleg",),
}


def schulstufen_of(schulform: str) -> tuple[str, ...]:
    """The Schulstufen of a Schulform code; none for a code the key table does not know."""
    return _STUFEN_OF_SCHULFORM.get(schulform, ())


BEZIRKSREGIERUNGEN = ("Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster")


@dataclass(frozen=True)
class Kreis:
    key: str  # 5-digit Kreisschlüssel, e.g. "05913"
    name: str
    kind: str  # "Kreis" or "kreisfreie Stadt"
    bezirksregierung: str


@cache
def kreise() -> dict[str, Kreis]:
    """All Kreise and kreisfreie Städte of NRW by Kreisschlüssel."""
    with KREISE_FILE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return {
            row["kreisschluessel"]: Kreis(row["kreisschluessel"], row["name"], row["art"], row["bezirksregierung"])
            for row in rows
        }


def kreis(key: str) -> Kreis | None:
    return kreise().get(key)


def unknown_kreis_message(value: str) -> str:
    return f"„{value}“ ist kein Kreisschlüssel eines Kreises oder einer kreisfreien Stadt in NRW (5 Ziffern, z. B. 05913)."


def kreis_name(key: str) -> str:
    """The Kreis's name, or the key itself for a key the list does not know."""
    found = kreise().get(key)
    return found.name if found else key


def schulform_label(code: str) -> str:
    """The Schulform's name, or a neutral text for a code the key table does not know."""
    return SCHULFORMEN.get(code, f"Schulform {code} (unbekannt)")
