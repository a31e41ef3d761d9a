"""Charts for the pages: the catalogue and scores become a radar chart (SVG markup)."""

from __future__ import annotations

from markupsafe import Markup

from ..charts import RadarSeries, radar_geometry, render_svg
from ..services.assessments import AssessmentState


def results_chart(state: AssessmentState, previous: AssessmentState | None) -> Markup:
    """This round (and the previous one, if rated) on the fixed scale of the catalogue."""
    catalog = state.catalog
    series = [_series(state, f"{state.round_name}", "primary")]
    if previous is not None:
        series.append(_series(previous, f"Vorjahr {previous.round_name}", "secondary"))
    geometry = radar_geometry(
        [criterion.title for criterion in catalog.criteria],
        series,
        scale_min=catalog.scale.min,
        scale_max=catalog.scale.max,
        ring_step=_ring_step(catalog.scale.max - catalog.scale.min),
    )
    names = " und ".join(s.label for s in series)
    description = f"Netzdiagramm der Kriterienwerte ({names}) auf der Skala {catalog.scale.min} bis {catalog.scale.max}."
    # render_svg escapes every text it writes, so the markup is safe to embed.
    return Markup(render_svg(geometry, title="Ergebnis je Kriterium", description=description, id_prefix="ergebnis"))  # noqa: S704


def _series(state: AssessmentState, label: str, style: str) -> RadarSeries:
    criteria = state.scores.criteria
    return RadarSeries(label, tuple(criteria[c.id] for c in state.catalog.criteria), style)


def _ring_step(span: int) -> int:
    return 2 if span == 10 else max(1, span // 5)
