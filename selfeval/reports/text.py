"""The report's German wording, shared by the PDF and the HTML twin so that both say the same."""

from __future__ import annotations

from ..display import format_date, format_score
from .model import ReportData

TITLE = "Bericht zur Selbstevaluation Digitale Schulentwicklung"


def status_line(data: ReportData) -> str:
    if data.is_submitted:
        return f"abgegeben am {format_date(data.submitted_on)}"
    return f"Entwurf, noch nicht abgegeben ({data.rated} von {data.total} Indikatoren bewertet)"


def overall_line(data: ReportData) -> str:
    return f"Gesamtwert {format_score(data.overall)} von {data.scale_max}"


def comparison_note(data: ReportData) -> str:
    c = data.comparison
    if c.is_shown:
        return f"{group_line(c.size, c.schulform, data.round_name)} {_rounding_line('Gezeigt wird ihr Mittelwert')}"
    return waiting_line(c.minimum, c.schulform, data.round_name)


# The comparison group, said the same way on the results page, in the report and its HTML twin. It is the other
# schools of the Schulform on this installation of selfeval (not all of NRW), without the school itself.


def group_line(size: int, schulform: str, round_name: str) -> str:
    return (
        f"Vergleichsgruppe: die {size} anderen Schulen der Schulform {schulform}, die in dieser Installation von "
        f"selfeval ihre Bewertung in der Runde {round_name} abgeschlossen haben. Ihre eigene Schule zählt nicht mit; "
        "einzelne Schulen werden nicht genannt."
    )


def rule_line(has_quartiles: bool) -> str:
    if has_quartiles:
        return _rounding_line("Gezeigt werden Mittelwert, Quartile und Median")
    return _rounding_line("Gezeigt wird nur der Mittelwert (Quartile und Median ab 10 Schulen)")


def _rounding_line(shown: str) -> str:
    return f"{shown}, auf halbe Punkte gerundet, damit sich kein Wert einer einzelnen Schule zurückrechnen lässt."


def waiting_line(minimum: int, schulform: str, round_name: str) -> str:
    return (
        f"Ein Vergleich erscheint, sobald mindestens {minimum} andere Schulen der Schulform {schulform} in dieser "
        f"Installation von selfeval ihre Bewertung in der Runde {round_name} abgeschlossen haben; bisher sind es "
        "weniger. So lässt sich aus dem Vergleich keine einzelne Schule erkennen."
    )


def previous_note(data: ReportData) -> str:
    if data.has_previous:
        return f"Vorjahr: die abgeschlossene Bewertung der Runde {data.previous_round_name}."
    return "Aus der vorigen Runde liegt keine abgeschlossene Bewertung vor; eine Veränderung lässt sich noch nicht zeigen."


def method_note(data: ReportData) -> str:
    return (
        f"Jeder Indikator wird auf einer Skala von {data.scale_min} bis {data.scale_max} bewertet. Der Wert eines "
        "Kriteriums ist der Mittelwert seiner bewerteten Indikatoren, der Gesamtwert der Mittelwert der Kriterien. "
        "Werte sind auf eine Nachkommastelle gerundet. Stärken und Entwicklungsfelder sind die drei am höchsten und "
        "die drei am niedrigsten bewerteten Indikatoren (bei gleichem Wert der zuerst im Leitfaden genannte)."
    )


def no_offers_note() -> str:
    return "Für diesen Indikator sind im Katalog keine Unterstützungsangebote hinterlegt."


PRIVACY_NOTE = (
    "Dieser Bericht enthält die Kommentare des Teams Digitalisierung. Bitte nur an die Schule und die "
    "Beratung weitergeben und nicht länger als nötig aufbewahren."
)
