"""The area report on the supervision blueprint: an accessible web page and the same report as PDF."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from ..charts import boxplot_geometry, history_geometry, render_boxplot_svg, render_history_svg
from ..reports.area import needs_intro, needs_left_out
from ..reports.area_pdf import has_spread, render_area_pdf, short_note
from ..services.area_report import area_filename
from ..services.area_report import area_report as build_report
from ..services.rounds import all_rounds
from .downloads import pdf_response
from .selection_query import requested_round, selection_from_query, selection_query
from .supervision import blueprint


@blueprint.get("/gebietsbericht")
def area_report():
    if not all_rounds():
        return render_template("supervision/area_report.html", report=None)
    round_ = requested_round()
    selection, ignored = selection_from_query()
    report = build_report(current_user, round_, selection)
    return render_template(
        "supervision/area_report.html",
        report=report,
        round=round_,
        ignored=ignored,
        pdf_url=_pdf_url(round_, selection),
        distribution=_distribution_svg(report),
        trend=_trend_svg(report),
        has_spread=has_spread,
        short_note=short_note,
        needs_intro=needs_intro(report),
        needs_left_out=needs_left_out(report),
    )


@blueprint.get("/gebietsbericht.pdf")
def area_report_pdf():
    round_ = requested_round()
    selection, _ignored = selection_from_query()
    report = build_report(current_user, round_, selection)
    return pdf_response(render_area_pdf(report), area_filename(round_, selection, "pdf"))


def _pdf_url(round_, selection) -> str:
    return url_for("supervision.area_report_pdf", runde=round_.slug, **selection_query(selection))


def _distribution_svg(report) -> str:
    geometry = boxplot_geometry(report.boxes(), scale_min=report.scale_min, scale_max=report.scale_max)
    return render_boxplot_svg(
        geometry,
        title="Verteilung des Gesamtwerts und der Kriterienwerte",
        description="Je Zeile: Mittelwert als Raute; ab 10 Schulen Kasten von unterem bis oberem Quartil mit Median.",
        id_prefix="gebiet-verteilung",
    )


def _trend_svg(report) -> str:
    points = report.trend
    span = report.scale_max - report.scale_min
    geometry = history_geometry(
        [p.round_name for p in points], [p.overall for p in points],
        scale_min=report.scale_min, scale_max=report.scale_max, tick_step=2 if span == 10 else 1,
    )  # fmt: skip
    return render_history_svg(
        geometry,
        title="Mittelwert des Gesamtwerts je Schuljahr",
        description="Ein Punkt je Schuljahr mit mindestens 5 abgeschlossenen Bewertungen; die Werte stehen auch in der Tabelle.",
        id_prefix="gebiet-trend",
    )
