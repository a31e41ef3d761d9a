"""Support offers a Medienberatung maintains for the schools of its Kreis (the page /angebote), and the offer
list that reports draw from them beside the catalogue's state-wide offers and the offer files.

Who maintains what (permissions.offer_kreise): an administrator every Kreis, a Medienberatung (role adviser)
the Kreise of its scope. Every change is audited; a save names the version it saw, so that of two advisers
editing one offer the later one is told instead of silently overwriting the other's change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..catalog import Catalog, OfferList, RegionalOffer, SupportOffer
from ..catalog.validate_offers import URL
from ..extensions import db
from ..limits import CONTROL_CHARACTERS
from ..models import KreisOffer, User
from ..reference import SCHULFORMEN, SCHULSTUFEN, kreis_name, kreise
from . import audit
from .errors import InvalidInput, NotFound, ServiceError

#: The id of the offer list that reports build from the database rows, and the prefix of its offers' ids.
DATABASE_LIST_ID = "medienberatung"
OFFER_ID_PREFIX = "kreis-offer-"
LIMITS = {"title": 200, "provider": 200, "description": 2000, "contact": 300, "url": 500}
MAX_TARGET_GROUPS = 10
TARGET_GROUP_LIMIT = 80


class OfferConflict(ServiceError):
    """Someone else changed or deleted the offer since the editor loaded it; `current` is what is stored now."""

    def __init__(self, current: KreisOffer | None):
        self.current = current
        super().__init__(
            "Dieses Angebot wurde inzwischen gelöscht."
            if current is None
            else "Dieses Angebot wurde inzwischen von jemand anderem geändert."
        )


@dataclass(frozen=True)
class OfferValues:
    """What an editor entered; `check_offer_values` says what is wrong with it."""

    kreis: str
    title: str
    provider: str
    description: str
    contact: str = ""
    url: str = ""
    schulformen: tuple[str, ...] = ()
    schulstufen: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    fits: tuple[str, ...] = ()


def offer_values(offer: KreisOffer) -> OfferValues:
    return OfferValues(
        kreis=offer.kreis,
        title=offer.title,
        provider=offer.provider,
        description=offer.description,
        contact=offer.contact,
        url=offer.url,
        schulformen=tuple(offer.schulformen),
        schulstufen=tuple(offer.schulstufen),
        target_groups=tuple(offer.target_groups),
        fits=tuple(offer.fits),
    )


def normalized(values: OfferValues) -> OfferValues:
    """Whitespace trimmed, lists without empty entries or repeats."""
    return OfferValues(
        kreis=values.kreis.strip(),
        title=" ".join(values.title.split()),
        provider=" ".join(values.provider.split()),
        description=values.description.strip(),
        contact=" ".join(values.contact.split()),
        url=values.url.strip(),
        schulformen=_unique(values.schulformen),
        schulstufen=_unique(values.schulstufen),
        target_groups=_unique(" ".join(group.split()) for group in values.target_groups),
        fits=_unique(values.fits),
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


def check_offer_values(values: OfferValues, catalog: Catalog, allowed_kreise: Iterable[str] | None) -> dict[str, str]:
    """field -> German message for every wrong value; `allowed_kreise` None: every Kreis of NRW."""
    problems: dict[str, str] = {}
    if not values.kreis:
        problems["kreis"] = "Bitte wählen Sie den Kreis oder die kreisfreie Stadt."
    elif values.kreis not in kreise():
        problems["kreis"] = "Bitte wählen Sie einen Kreis aus der Liste."
    elif allowed_kreise is not None and values.kreis not in set(allowed_kreise):
        problems["kreis"] = f"Für {kreis_name(values.kreis)} pflegen Sie keine Angebote; bitte wählen Sie einen Ihrer Kreise."
    required = {"title": "den Titel", "provider": "den Anbieter", "description": "eine Beschreibung"}
    for field, what in required.items():
        if not getattr(values, field):
            problems[field] = f"Bitte geben Sie {what} an."
    for field, limit in LIMITS.items():
        value = getattr(values, field)
        if len(value) > limit:
            problems[field] = f"Hier sind höchstens {limit} Zeichen möglich (jetzt {len(value)})."
        elif CONTROL_CHARACTERS.search(value):
            problems[field] = "Der Text enthält Steuerzeichen; bitte tippen Sie ihn neu ein."
    if values.url and "url" not in problems and not URL.fullmatch(values.url):
        problems["url"] = "Bitte geben Sie eine vollständige Webadresse an, die mit https:// oder http:// beginnt."
    if any(code not in SCHULFORMEN for code in values.schulformen):
        problems["schulformen"] = "Bitte wählen Sie nur Schulformen aus der Liste."
    if any(stufe not in SCHULSTUFEN for stufe in values.schulstufen):
        problems["schulstufen"] = "Bitte wählen Sie nur Schulstufen aus der Liste."
    problems.update(_target_group_problems(values.target_groups))
    targets = {criterion.id for criterion in catalog.criteria} | {indicator.id for indicator in catalog.indicators}
    if not values.fits:
        problems["fits"] = "Bitte wählen Sie mindestens einen Indikator oder ein Kriterium, zu dem das Angebot passt."
    elif any(target not in targets for target in values.fits):
        problems["fits"] = "Bitte wählen Sie nur Indikatoren und Kriterien aus der Liste."
    return problems


def _target_group_problems(groups: tuple[str, ...]) -> dict[str, str]:
    if len(groups) > MAX_TARGET_GROUPS:
        return {"target_groups": f"Bitte nennen Sie höchstens {MAX_TARGET_GROUPS} Zielgruppen (jetzt {len(groups)})."}
    too_long = [group for group in groups if len(group) > TARGET_GROUP_LIMIT]
    if too_long:
        return {"target_groups": f"Eine Zielgruppe hat höchstens {TARGET_GROUP_LIMIT} Zeichen: „{too_long[0][:40]}…“."}
    if any(CONTROL_CHARACTERS.search(group) for group in groups):
        return {"target_groups": "Der Text enthält Steuerzeichen; bitte tippen Sie ihn neu ein."}
    return {}


def maintained_offers(allowed_kreise: Iterable[str] | None) -> list[KreisOffer]:
    """The offers of these Kreise (None: all), by Kreis name and title."""
    query = select(KreisOffer)
    if allowed_kreise is not None:
        query = query.where(KreisOffer.kreis.in_(list(allowed_kreise)))
    found = list(db.session.scalars(query))
    return sorted(found, key=lambda offer: (kreis_name(offer.kreis).casefold(), offer.title.casefold(), offer.id))


def get_offer(offer_id: int) -> KreisOffer:
    found = db.session.get(KreisOffer, offer_id)
    if found is None:
        raise NotFound(f"Es gibt kein Angebot mit der Nummer {offer_id}.")
    return found


def create_offer(
    values: OfferValues, *, actor: User | None, catalog: Catalog, allowed_kreise: Iterable[str] | None
) -> KreisOffer:
    """A new offer; InvalidInput names every wrong value."""
    values = normalized(values)
    problems = check_offer_values(values, catalog, allowed_kreise)
    if problems:
        raise InvalidInput(problems)
    offer = KreisOffer(**_columns(values))
    db.session.add(offer)
    db.session.flush()
    audit.record("offer.created", actor=actor, subject=_subject(offer), changes=audit.diff({}, _audited(values)))
    return offer


def update_offer(
    offer: KreisOffer,
    values: OfferValues,
    *,
    expected_version: int,
    actor: User | None,
    catalog: Catalog,
    allowed_kreise: Iterable[str] | None,
) -> bool:
    """Change an offer the editor saw in `expected_version`; True if anything changed.

    OfferConflict when the offer changed since (also when a concurrent save wins the race between this check
    and the UPDATE: the ORM updates only the row version it read); InvalidInput names every wrong value.
    """
    if offer.version != expected_version:
        raise OfferConflict(offer)
    values = normalized(values)
    problems = check_offer_values(values, catalog, allowed_kreise)
    if problems:
        raise InvalidInput(problems)
    before = _audited(offer_values(offer))
    changes = audit.diff(before, _audited(values))
    if not changes:
        return False
    for column, value in _columns(values).items():
        setattr(offer, column, value)
    _flush_or_conflict(offer)
    audit.record("offer.updated", actor=actor, subject=_subject(offer), changes=changes)
    return True


def delete_offer(offer: KreisOffer, *, expected_version: int, actor: User | None) -> None:
    """Remove an offer the editor saw in `expected_version`; OfferConflict if it changed since."""
    if offer.version != expected_version:
        raise OfferConflict(offer)
    subject, before = _subject(offer), _audited(offer_values(offer))
    db.session.delete(offer)
    _flush_or_conflict(None)
    audit.record("offer.deleted", actor=actor, subject=subject, changes=audit.diff(before, dict.fromkeys(before)))


def _flush_or_conflict(offer: KreisOffer | None) -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise OfferConflict(offer) from None


def _columns(values: OfferValues) -> dict:
    data = asdict(values)
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def _audited(values: OfferValues) -> dict:
    """The values as the audit trail keeps them: lists as comma-separated text, so that a change reads plainly."""
    return {key: ", ".join(value) if isinstance(value, tuple) else value for key, value in asdict(values).items()}


def _subject(offer: KreisOffer) -> str:
    return f"{offer.title} ({kreis_name(offer.kreis)})"[:300]


def database_offer_list(catalog_id: str) -> OfferList:
    """Every offer of the database as one offer list; each is limited to its Kreis, so a report keeps only its own."""
    rows = db.session.scalars(select(KreisOffer).order_by(KreisOffer.id))
    regional = tuple(RegionalOffer(support_offer(row), tuple(row.fits)) for row in rows)
    used = tuple(sorted({entry.offer.kreise[0] for entry in regional}))
    return OfferList(DATABASE_LIST_ID, "Angebote der Medienberatungen", "selfeval", catalog_id, used, regional)


def support_offer(row: KreisOffer) -> SupportOffer:
    return SupportOffer(
        id=f"{OFFER_ID_PREFIX}{row.id}",
        title=row.title,
        provider=row.provider,
        description=row.description,
        source=f"Angebotsliste der Medienberatung {kreis_name(row.kreis)}",
        url=row.url,
        kreise=(row.kreis,),
        schulformen=tuple(row.schulformen),
        schulstufen=tuple(row.schulstufen),
        target_groups=tuple(row.target_groups),
        contact=row.contact,
    )
