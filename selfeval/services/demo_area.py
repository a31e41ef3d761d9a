"""The demo's other schools: several Kreise and Schulformen, three school years, so that the
supervision overview, the heatmap, the comparison groups and the change over the years show
something meaningful.

Scores are invented but plausible: each school has a level, each criterion a typical offset (the
Leitfaden's schools tend to be further along with equipment than with cooperation), plus noise;
each year before is a little lower. Fixed seeds make every demo database the same.
"""

from __future__ import annotations

import random

from ..catalog import Catalog
from ..models import Round, User
from . import assessments
from .accounts import create_user
from .offers import OfferValues, create_offer
from .rating_input import parse_rating_changes
from .schools import TraegerFields, add_school

#: (Schulnummer, name, Schulform, Kreisschlüssel, Ort, level, what it has done: "both" the last
#: two rounds submitted (and the one before, 2023/24), "current" only, "draft", or "none")
AREA_SCHOOLS = (
    ("199003", "Demo-Gesamtschule Bochum-Wattenscheid", "15", "05911", "Bochum", 6.2, "both"),
    ("199004", "Demo-Gesamtschule Hagen-Haspe", "15", "05914", "Hagen", 4.1, "both"),
    ("199005", "Demo-Gesamtschule Unna-Königsborn", "15", "05978", "Unna", 5.4, "current"),
    ("199006", "Demo-Gesamtschule Dortmund-Scharnhorst", "15", "05913", "Dortmund", 3.6, "both"),
    ("199007", "Demo-Gesamtschule Hamm-Heessen", "15", "05915", "Hamm", 6.8, "current"),
    ("199008", "Demo-Gesamtschule Witten", "15", "05954", "Witten", 4.9, "draft"),
    ("199010", "Demo-Gymnasium Dortmund-Hörde", "20", "05913", "Dortmund", 7.1, "both"),
    ("199011", "Demo-Gymnasium Bochum-Langendreer", "20", "05911", "Bochum", 5.8, "both"),
    ("199012", "Demo-Gymnasium Hagen-Mitte", "20", "05914", "Hagen", 4.6, "current"),
    ("199013", "Demo-Gymnasium Iserlohn", "20", "05962", "Iserlohn", 6.4, "both"),
    ("199014", "Demo-Gymnasium Schwerte", "20", "05978", "Schwerte", 5.1, "current"),
    ("199015", "Demo-Gymnasium Hamm-Bockum-Hövel", "20", "05915", "Hamm", 3.9, "both"),
    ("199016", "Demo-Gymnasium Dortmund-Brackel", "20", "05913", "Dortmund", 6.0, "none"),
    ("199020", "Demo-Grundschule Dortmund-Eving", "02", "05913", "Dortmund", 3.2, "both"),
    ("199021", "Demo-Grundschule Dortmund-Hombruch", "02", "05913", "Dortmund", 5.5, "both"),
    ("199022", "Demo-Grundschule Bochum-Linden", "02", "05911", "Bochum", 4.4, "current"),
    ("199023", "Demo-Grundschule Hagen-Vorhalle", "02", "05914", "Hagen", 2.7, "both"),
    ("199024", "Demo-Grundschule Kamen-Methler", "02", "05978", "Kamen", 4.9, "current"),
    ("199025", "Demo-Grundschule Lünen-Brambauer", "02", "05978", "Lünen", 6.1, "both"),
    ("199026", "Demo-Grundschule Gelsenkirchen-Şehitlik", "02", "05513", "Gelsenkirchen", 3.8, "current"),
    ("199027", "Demo-Grundschule Recklinghausen-Süd", "02", "05562", "Recklinghausen", 5.0, "draft"),
    ("199028", "Demo-Grundschule Dortmund-Aplerbeck", "02", "05913", "Dortmund", 4.0, "none"),
    ("199030", "Demo-Realschule Dortmund-Huckarde", "10", "05913", "Dortmund", 4.3, "both"),
    ("199031", "Demo-Realschule Bochum-Gerthe", "10", "05911", "Bochum", 5.2, "current"),
    ("199032", "Demo-Realschule Lüdenscheid", "10", "05962", "Lüdenscheid", 3.5, "draft"),
    ("199040", "Demo-Hauptschule Dortmund-Westerfilde", "04", "05913", "Dortmund", 3.0, "current"),
    ("199041", "Demo-Förderschule Dortmund-Marten", "08", "05913", "Dortmund", 4.7, "both"),
    ("199042", "Demo-Förderschule Hattingen", "08", "05954", "Hattingen", 3.3, "none"),
    ("199050", "Demo-Berufskolleg Dortmund-Mitte", "30", "05913", "Dortmund", 6.6, "both"),
    ("199051", "Demo-Berufskolleg Bochum", "30", "05911", "Bochum", 5.6, "current"),
    # A kreisangehörige Gemeinde with several schools under one Schulträger (Stadt Unna, Kreis Unna), for the area
    # report: five schools with three school years, so that its figures and its trend are shown (n = 5 to 9).
    ("199060", "Demo-Grundschule Unna-Massen", "02", "05978", "Unna", 4.2, "both"),
    ("199061", "Demo-Grundschule Unna-Hemmerde", "02", "05978", "Unna", 3.4, "both"),
    ("199062", "Demo-Grundschule Unna-Mitte", "02", "05978", "Unna", 5.6, "both"),
    ("199063", "Demo-Gymnasium Unna", "20", "05978", "Unna", 5.0, "both"),
    ("199064", "Demo-Realschule Unna", "10", "05978", "Unna", 3.8, "both"),
    ("199065", "Demo-Hauptschule Unna-Königsborn", "04", "05978", "Unna", 3.1, "none"),
)
#: Offers the demo's Medienberatung keeps for Bochum on the page /angebote (invented, like the schools).
KREIS_OFFERS = (
    OfferValues(
        kreis="05911",
        title="Demo-Netzwerk Medienbildung Bochum",
        provider="Demo-Medienzentrum Bochum",
        description=(
            "Schulen aller Schulformen treffen sich viermal im Jahr, um Kooperationen mit außerschulischen Partnern "
            "anzubahnen und Erfahrungen mit dem Medienkonzept auszutauschen."
        ),
        contact="Medienberatung Bochum, medienberatung@demo.selfeval.de",
        url="https://demo.selfeval.de/bochum/netzwerk",
        target_groups=("Medienkoordinator:innen", "Schulleitungen"),
        fits=("k1", "k5"),
    ),
    OfferValues(
        kreis="05911",
        title="Demo-Sprechstunde Grundschule digital",
        provider="Demo-Medienzentrum Bochum",
        description="Monatliche Sprechstunde für Grundschulen: Medienkompetenzrahmen in der Primarstufe, Tablets im Unterricht.",
        contact="Medienberatung Bochum",
        schulstufen=("primarstufe",),
        target_groups=("Lehrkräfte",),
        fits=("k2", "k3", "k4", "k5"),
    ),
)

#: The real Gemeindeschlüssel (AGS) of each demo place.
GEMEINDEN = {
    "Dortmund": "05913000", "Bochum": "05911000", "Hagen": "05914000", "Hamm": "05915000", "Gelsenkirchen": "05513000",
    "Unna": "05978036", "Kamen": "05978020", "Lünen": "05978024", "Schwerte": "05978028", "Witten": "05954036",
    "Hattingen": "05954016", "Iserlohn": "05962024", "Lüdenscheid": "05962032", "Recklinghausen": "05562032",
}  # fmt: skip
#: The Kreise that run Förderschulen in their towns (elsewhere the town runs its schools).
KREIS_TRAEGER = {
    "05954": "Ennepe-Ruhr-Kreis", "05978": "Kreis Unna", "05962": "Märkischer Kreis", "05562": "Kreis Recklinghausen",
}  # fmt: skip
#: The demo's one private school and its Schulträger.
PRIVATE = {"199016": ("9913001", "Demo-Schulwerk Dortmund e. V.")}
#: Per criterion: how far schools typically are above or below their level.
CRITERION_OFFSET = (0.4, -0.3, 0.2, 0.6, -1.2, 0.9)
LAST_YEAR_GAIN = 0.8


def add_area_schools(catalog: Catalog, earlier: Round, last_year: Round, this_year: Round) -> None:
    chance = random.Random(20251122)  # noqa: S311 - demo data, not security  # nosec B311
    # A separate sequence for 2023/24, so that the two later years keep the scores they always had.
    earlier_chance = random.Random(20231122)  # noqa: S311 - demo data, not security  # nosec B311
    for number, name, schulform, kreis_key, ort, level, done in AREA_SCHOOLS:
        school = add_school(number, name, schulform, kreis_key, ort, **traeger_of(number, schulform, ort))
        email, display_name = f"team-{number}@demo.selfeval.de", f"Team {name.removeprefix('Demo-')}"
        member = create_user(email, display_name, "team", _password(chance), school=school, is_leadership=True)
        if done == "both":
            _rate_and_submit(school, earlier, member, _scores(catalog, level - 2 * LAST_YEAR_GAIN, earlier_chance))
            _rate_and_submit(school, last_year, member, _scores(catalog, level - LAST_YEAR_GAIN, chance))
        if done in ("both", "current"):
            _rate_and_submit(school, this_year, member, _scores(catalog, level, chance))
        if done == "draft":
            scores = _scores(catalog, level, chance)
            _save(school, this_year, member, dict(list(scores.items())[: len(scores) // 2]))


def traeger_of(schulnummer: str, schulform: str, ort: str) -> TraegerFields:
    """The school's Gemeindeschlüssel, Schulträger and Rechtsform.

    The Trägernummern are invented (the Träger's AGS; the directory's real numbers differ): demo data only.
    """
    gemeinde = GEMEINDEN[ort]
    if schulnummer in PRIVATE:
        nummer, name = PRIVATE[schulnummer]
        return {"gemeindeschluessel": gemeinde, "traeger_nummer": nummer, "traeger_name": name, "rechtsform": "2"}
    if schulform == "08" and gemeinde[:5] in KREIS_TRAEGER:
        nummer, name = gemeinde[:5] + "000", KREIS_TRAEGER[gemeinde[:5]]
    else:
        nummer, name = gemeinde, f"Stadt {ort}"
    return {"gemeindeschluessel": gemeinde, "traeger_nummer": nummer, "traeger_name": name, "rechtsform": "1"}


def _password(chance: random.Random) -> str:
    """Area teams cannot log in: their password is random and printed nowhere."""
    return "".join(chance.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(24))


def _scores(catalog: Catalog, level: float, chance: random.Random) -> dict[str, int]:
    scale = catalog.scale
    scores = {}
    for position, criterion in enumerate(catalog.criteria):
        offset = CRITERION_OFFSET[position % len(CRITERION_OFFSET)]
        for indicator in criterion.indicators:
            value = round(level + offset + chance.gauss(0, 1.1))
            scores[indicator.id] = min(max(value, scale.min), scale.max)
    return scores


def _save(school, round_: Round, user, scores: dict[str, int]) -> None:
    state = assessments.load_state(school, round_)
    raw = {key: {"score": value} for key, value in scores.items()}
    assessments.save_ratings(school, round_, user, state.version, parse_rating_changes(state.catalog, raw))


def _rate_and_submit(school, round_: Round, user, scores: dict[str, int]) -> None:
    was_open = round_.is_open
    round_.is_open = True  # last year's round is closed after the fact, as in real life
    _save(school, round_, user, scores)
    assessments.submit(school, round_, user, assessments.load_state(school, round_).version)
    round_.is_open = was_open


def add_kreis_offers(catalog: Catalog, adviser: User) -> None:
    """The Medienberatung's own offers, made as on its page: by its account, audited, within its Kreise."""
    kreise = [scope.value for scope in adviser.scopes if scope.kind == "kreis"]
    for values in KREIS_OFFERS:
        create_offer(values, actor=adviser, catalog=catalog, allowed_kreise=kreise)
