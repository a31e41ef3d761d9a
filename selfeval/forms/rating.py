"""The rating form of one criterion, built from the catalogue: a fresh class per request."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import FormField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Regexp

from ..catalog import Criterion, Indicator, Scale, indicator_letter
from ..limits import MAX_COMMENT_LENGTH
from ..services.rating_input import normalize_line_breaks
from . import GermanForm

NOT_RATED = ""
_RELOAD = "Die Seite ist unvollständig übertragen worden. Bitte laden Sie sie neu."


class _IndicatorBase(wtforms.Form):
    class Meta:
        locales = ["de_DE", "de"]


def make_rating_form(criterion: Criterion, number: int, scale: Scale) -> type[GermanForm]:
    """A form class with one sub-form per indicator, named by the indicator's id."""
    fields: dict[str, object] = {
        "base_version": HiddenField(
            "Version",
            validators=[
                InputRequired(message=_RELOAD),
                Regexp(r"^[0-9]{1,9}$", message=_RELOAD),
            ],
        ),
    }
    for position, indicator in enumerate(criterion.indicators):
        label = f"Indikator {number}{indicator_letter(position)})"
        fields[indicator.id] = FormField(_make_indicator_form(indicator, scale), label=label)
    return type("RatingForm", (GermanForm,), fields)


def _make_indicator_form(indicator: Indicator, scale: Scale) -> type[wtforms.Form]:
    choices = [SelectChoice(str(point), str(point)) for point in scale.points] + [SelectChoice(NOT_RATED, "keine Angabe")]
    return type(
        f"IndicatorForm_{indicator.id}",
        (_IndicatorBase,),
        {
            "score": RadioField("Bewertung", choices=choices, default=NOT_RATED),
            # No length rule here: services.rating_input checks comments for form and API alike, after
            # line breaks are normalised (a browser sends CRLF, which a character count here saw as two).
            "comment": TextAreaField("Belege/Anmerkungen"),
            # What the page showed when it was loaded: tells which fields this user changed.
            "seen_score": HiddenField(default=NOT_RATED),
            "seen_comment": HiddenField(default=""),
        },
    )


def fill_indicator(subform: wtforms.Form, score: int | None, comment: str, *, keep_input: bool = False) -> None:
    """Show the stored values; with keep_input only the 'seen' values move (the user's input stays)."""
    shown = NOT_RATED if score is None else str(score)
    subform.seen_score.data, subform.seen_comment.data = shown, comment
    if not keep_input:
        subform.score.data, subform.comment.data = shown, comment


def changed_ratings(form: GermanForm, criterion: Criterion) -> dict[str, dict]:
    """The user's changes as API-shaped data: only fields that differ from what the page showed."""
    changes: dict[str, dict] = {}
    for indicator in criterion.indicators:
        sub = form[indicator.id].form
        change: dict[str, object] = {}
        score = sub.score.data or NOT_RATED
        if score != (sub.seen_score.data or NOT_RATED):
            change["score"] = None if score == NOT_RATED else int(score)
        comment = _normalize(sub.comment.data)
        if comment != _normalize(sub.seen_comment.data):
            change["comment"] = comment
        if change:
            changes[indicator.id] = change
    return changes


def _normalize(text: str | None) -> str:
    return normalize_line_breaks(text or "")


_VERSION = re.compile(r"^[0-9]{1,9}$")
_PER_INDICATOR = ("score", "comment", "seen_score", "seen_comment")


def posted_input(criterion: Criterion, scale: Scale, formdata: Mapping[str, str]) -> dict[str, Any] | None:
    """The rating fields of a posted form, checked like the form would, to be kept across a log-in.

    Only this criterion's indicator fields and the base version are taken; None when anything is out of
    bounds (a score off the scale, an over-long comment, no version): such a request came from no page of ours.
    """
    version = formdata.get("base_version", "")
    if not _VERSION.match(version):
        return None
    allowed_scores = {NOT_RATED, *(str(point) for point in scale.points)}
    fields: dict[str, str] = {}
    for indicator in criterion.indicators:
        for part in _PER_INDICATOR:
            name = f"{indicator.id}-{part}"
            if name not in formdata:
                continue
            value = formdata[name]
            if part.endswith("score") and value not in allowed_scores:
                return None
            if part.endswith("comment"):
                value = _normalize(value)
                if len(value) > MAX_COMMENT_LENGTH:
                    return None
            fields[name] = value
    return {"base_version": version, "fields": fields} if fields else None


def form_with_input(form_class: type[GermanForm], payload: dict[str, Any]) -> GermanForm:
    """The rating form showing kept input exactly as it was sent: the values, what the page had shown, its version."""
    data = MultiDict({"base_version": payload["base_version"], **payload["fields"]})
    return form_class(formdata=data)
