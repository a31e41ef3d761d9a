"""The report's German wording, shared by the PDF and the HTML twin so that both say the same."""

from __future__ import annotations

from ..display import format_date, format_score
from ..vocabulary import state_text
from .model import CriterionLine, ReportData

TITLE = "Bericht zur Selbstevaluation Digitale Schulentwicklung"
#: On every page of a report that is not submitted (PDF header band, HTML banner on screen and on each printed page).
DRAFT_MARK = "Entwurf – nicht abgeschlossen"


def comment_cut_note(left_out: int) -> str:
    """After a comment the report prints only in part (one stored before comments had a line limit)."""
    if left_out == 1:
        return "… (1 weitere Zeile des Kommentars ist hier nicht abgedruckt.)"
    return f"… ({left_out} weitere Zeilen des Kommentars sind hier nicht abgedruckt.)"


def status_line(data: ReportData) -> str:
    status = "submitted" if data.is_submitted else "draft"
    when = format_date(data.submitted_on) if data.is_submitted else ""
    return state_text(status, data.rated, data.total, when)


def basis_note(rated: int, total: int) -> str:
    """What a score of an incomplete assessment rests on; empty once every indicator is rated."""
    if rated >= total:
        return ""
    return f"vorläufig, beruht auf {rated} von {total} Indikatoren"


def overall_text(overall: float | None, scale_max: int, rated: int, total: int) -> str:
    """ "Gesamtwert 9,0 von 10", and for an incomplete assessment what that rests on (results page and reports)."""
    line = f"Gesamtwert {format_score(overall)} von {scale_max}"
    note = basis_note(rated, total)
    return f"{line} – {note}" if note else line


def overall_line(data: ReportData) -> str:
    return overall_text(data.overall, data.scale_max, data.rated, data.total)


def rated_of(rated: int, total: int) -> str:
    """ "2 von 4 bewertet" while a criterion is incomplete, else empty."""
    return f"{rated} von {total} bewertet" if rated < total else ""


def criterion_basis(criterion: CriterionLine) -> str:
    return rated_of(criterion.rated, len(criterion.indicators))


def comparison_note(data: ReportData) -> str:
    c = data.comparison
    if c.is_shown:
        return (
            f"Vergleichsgruppe: {c.size} Schulen der Schulform {c.schulform} in Nordrhein-Westfalen, die ihre Bewertung "
            f"in der Runde {data.round_name} abgeschlossen haben. Einzelne Schulen werden nicht genannt."
        )
    return (
        f"Ein Vergleich erscheint, sobald mindestens {c.minimum} Schulen der Schulform {c.schulform} ihre Bewertung in der "
        f"Runde {data.round_name} abgeschlossen haben; bisher sind es weniger. So lässt sich aus dem Vergleich keine "
        "einzelne Schule erkennen."
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
