"""The report's German wording, shared by the PDF and the HTML twin so that both say the same."""

from __future__ import annotations

from collections.abc import Sequence

from ..catalog import SupportOffer
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
        return f"{group_line(c.size, c.schulform, data.round_name)} {_rounding_line('Gezeigt wird ihr Mittelwert')}"
    return waiting_line(c.minimum, c.schulform, data.round_name)


# The comparison group, said the same way on the results page, in the report and its HTML twin. It is the other
# schools of the Schulform on this installation of selfeval (not all of NRW), without the school itself.


def group_line(size: int, schulform: str, round_name: str) -> str:
    return (
        f"Vergleichsgruppe: die {size} anderen Schulen der Schulform {schulform}, die {_finished_here(round_name)}. "
        "Ihre eigene Schule zählt nicht mit; einzelne Schulen werden nicht genannt."
    )


def rule_line(has_quartiles: bool) -> str:
    if has_quartiles:
        return _rounding_line("Gezeigt werden Mittelwert, Quartile und Median")
    return _rounding_line("Gezeigt wird nur der Mittelwert (Quartile und Median ab 10 Schulen)")


def _rounding_line(shown: str) -> str:
    return f"{shown}, auf halbe Punkte gerundet, damit sich kein Wert einer einzelnen Schule zurückrechnen lässt."


def waiting_line(minimum: int, schulform: str, round_name: str) -> str:
    return (
        f"Ein Vergleich erscheint, sobald mindestens {minimum} andere Schulen der Schulform {schulform} "
        f"{_finished_here(round_name)}; bisher sind es weniger. So lässt sich aus dem Vergleich keine einzelne Schule "
        "erkennen."
    )


def _finished_here(round_name: str) -> str:
    """Who counts for the comparison: schools that submitted in this round on this installation."""
    return f"in dieser Installation von selfeval ihre Bewertung in der Runde {round_name} abgeschlossen haben"


def previous_note(data: ReportData) -> str:
    if data.has_previous:
        return f"Vorjahr: die abgeschlossene Bewertung der Runde {data.previous_round_name}."
    return "Aus der vorigen Runde liegt keine abgeschlossene Bewertung vor; eine Veränderung lässt sich noch nicht zeigen."


def method_note(data: ReportData) -> str:
    return (
        f"Jeder Indikator wird auf einer Skala von {data.scale_min} bis {data.scale_max} bewertet. Der Wert eines "
        "Kriteriums ist der Mittelwert seiner bewerteten Indikatoren, der Gesamtwert der Mittelwert der Kriterien. "
        "Werte sind auf eine Nachkommastelle gerundet. Stärken sind die drei am höchsten bewerteten Indikatoren "
        "(bei gleichem Wert der zuerst im Leitfaden genannte). Entwicklungsfelder sind die am niedrigsten bewerteten: "
        "mindestens drei, dazu jeder, der mit dem dritten gleichauf liegt. Damit der Bericht lesbar bleibt, führt er "
        "höchstens sechs aus; würde ein gleicher Wert mehr ergeben, nennt er diese Indikatoren gemeinsam, statt "
        "willkürlich einzelne auszuwählen. Unterstützungsangebote: landesweite und die für Schulen des Kreises "
        "bzw. der kreisfreien Stadt und der Schulform."
    )


AREAS_HEADING = "Entwicklungsfelder: die am niedrigsten bewerteten Indikatoren"


def tied_note(data: ReportData) -> str:
    """The indicators that tie with the last Entwicklungsfeld but would make too many to work out, all named."""
    tied = data.tied_areas
    if not tied:
        return ""
    labels = ", ".join(item.indicator.label for item in tied)
    also = "Ebenfalls" if data.development_areas else "Gleichauf"
    return (
        f"{also} mit dem Wert {tied[0].indicator.score} bewertet sind {len(tied)} Indikatoren: {labels}. Sie liegen "
        "gleichauf; damit der Bericht lesbar bleibt, führt er sie nicht einzeln aus. Wählen Sie im Team, womit Sie "
        "beginnen – die Texte stehen unter „Ergebnisse je Kriterium“."
    )


SUGGESTIONS_HEADING = "Vorschläge für Entwicklungsschwerpunkte"
#: Where no indicator is rated yet, or every lowest one is only named (tied_note says which).
NO_SUGGESTIONS = "Sobald Indikatoren bewertet sind, stehen hier Vorschläge zu den Entwicklungsfeldern."


def suggestions_intro(data: ReportData) -> str:
    """What the suggestions are: derived from the lowest ratings, for the team to decide on."""
    school = data.school
    where = f" ({school.kreis})" if school.kreis else ""
    return (
        "Dies sind Vorschläge, keine Festlegungen: Sie ergeben sich aus den am niedrigsten bewerteten Indikatoren "
        "(den Entwicklungsfeldern). Welche davon die Schule zu ihren Entwicklungsschwerpunkten macht, entscheidet "
        "das Team. Zu jedem Feld stehen Beispiele aus dem Leitfaden und Unterstützungsangebote, die zur Schule "
        f"passen: landesweite und solche für den Kreis bzw. die kreisfreie Stadt{where} und die Schulform "
        f"({school.schulform})."
    )


def more_offers_note(data: ReportData, titles: Sequence[str]) -> str:
    """After the offers shown in full: the other fitting ones by title, and where to ask about them."""
    kreis = data.school.kreis
    where = f" {kreis}" if kreis else " Ihres Kreises bzw. Ihrer kreisfreien Stadt"
    return f"Weitere Angebote: {'; '.join(titles)} – Auskunft gibt die Medienberatung{where}."


def offer_line(offer: SupportOffer) -> str:
    """One line per offer in the suggestions: who offers it and whom to contact (the target group, description and
    source stay in the catalogue: six tied Entwicklungsfelder must fit on two pages)."""
    parts = [offer.provider]
    if offer.contact:
        parts.append(f"Kontakt: {offer.contact}")
    return " · ".join(parts)


def offer_details(offer: SupportOffer) -> str:
    """The small line under an offer: who it is for and where it is named."""
    parts = [f"Zielgruppe: {', '.join(offer.target_groups)}"] if offer.target_groups else []
    if offer.contact:
        parts.append(f"Kontakt: {offer.contact}")
    parts.append(f"Quelle: {offer.source}")
    return " · ".join(parts)


def no_offers_note(data: ReportData) -> str:
    kreis = data.school.kreis
    where = f" ({kreis})" if kreis else ""
    return (
        "Zu diesem Indikator ist im Katalog kein Unterstützungsangebot hinterlegt, das zu Ihrer Schule passt. "
        f"Ansprechpartner ist die Medienberatung Ihres Kreises bzw. Ihrer kreisfreien Stadt{where}: die "
        "Medienberater:innen und das Kommunale Medienzentrum."
    )


PRIVACY_NOTE = (
    "Dieser Bericht enthält die Kommentare des Teams Digitalisierung. Bitte nur an die Schule und die "
    "Beratung weitergeben und nicht länger als nötig aufbewahren."
)


SPREAD_HEADING = "Wo wir uns einig und uneinig waren"
SPREAD_INTRO = (
    "Vor der gemeinsamen Bewertung hat jedes Mitglied des Teams für sich bewertet. Hier stehen diese Einzelwerte je "
    "Indikator, ohne Namen, mit Median und Spannweite. Eine Spannweite von 4 Punkten oder mehr gilt als starke "
    "Uneinigkeit. Die Werte im übrigen Bericht sind die gemeinsam festgelegten."
)


def spread_values(values: tuple[int, ...]) -> str:
    return ", ".join(str(value) for value in values) if values else "keine"


def spread_range(low: int | None, high: int | None, disagreement: bool) -> str:
    if low is None or high is None:
        return "–"
    return f"{low} bis {high}" + (" (stark uneinig)" if disagreement else "")

#: Where the team did not release its Belege/Anmerkungen to the reader (supervision, Schulträger): one calm sentence.
TEXTS_WITHHELD = "Die Anmerkungen des Teams sind nicht enthalten, weil die Schule sie nicht freigegeben hat."
#: A draft, for everyone outside the team: only how far it got.
DRAFT_WITHHELD = (
    "Die Bewertung ist noch nicht abgeschlossen. Ein Entwurf gehört dem Team: Werte und Anmerkungen "
    "sind erst nach dem Abschluss sichtbar."
)
