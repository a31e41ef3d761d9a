"""reportlab drawing pieces of the report: the radar chart, score bars and the page frame."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..charts import SERIES_STYLES, RadarGeometry
from ..charts.style import BACKGROUND_COLOR, DRAWING_ORDER, GRID_COLOR, TEXT_COLOR
from .chart import PRINT_MARKS, PrintMark
from .fonts import REGULAR

LEGEND_ROW = 16.0  # points per legend row


class RadarChart(Flowable):
    """Draws a RadarGeometry (y down, own units) scaled to `width` points, with a legend below it."""

    def __init__(self, geometry: RadarGeometry, width: float):
        super().__init__()
        self.geometry = geometry
        self.scale = width / geometry.width
        self.width = width
        self.chart_height = geometry.height * self.scale
        self.height = self.chart_height + 8 + LEGEND_ROW * len(geometry.legend)

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def _xy(self, point: tuple[float, float]) -> tuple[float, float]:
        """Geometry coordinates (origin top left, y down) to the flowable's (origin bottom left, y up)."""
        return point[0] * self.scale, self.height - point[1] * self.scale

    def _polygon(self, points, *, stroke: bool, fill: bool) -> None:
        path = self.canv.beginPath()
        path.moveTo(*self._xy(points[0]))
        for point in points[1:]:
            path.lineTo(*self._xy(point))
        path.close()
        self.canv.drawPath(path, stroke=1 if stroke else 0, fill=1 if fill else 0)

    def _polyline(self, points) -> None:
        if len(points) < 2:
            return
        path = self.canv.beginPath()
        path.moveTo(*self._xy(points[0]))
        for point in points[1:]:
            path.lineTo(*self._xy(point))
        self.canv.drawPath(path, stroke=1, fill=0)

    def draw(self) -> None:
        canvas, g = self.canv, self.geometry
        canvas.saveState()
        canvas.setStrokeColor(HexColor(GRID_COLOR))
        canvas.setLineWidth(0.6)
        for ring in g.rings:
            self._polygon(ring.points, stroke=True, fill=False)
        centre = self._xy(g.centre)
        for axis in g.axes:
            canvas.line(*centre, *self._xy(axis.end))
        for series in sorted(g.series, key=lambda s: DRAWING_ORDER[s.style]):
            self._draw_series(series)
        self._draw_ring_labels()
        self._draw_axis_labels()
        self._draw_legend()
        canvas.restoreState()

    def _draw_series(self, series) -> None:
        canvas, style, mark = self.canv, SERIES_STYLES[series.style], PRINT_MARKS[series.style]
        canvas.setStrokeColor(HexColor(style.stroke))
        canvas.setLineWidth(mark.line_width * self.scale)
        canvas.setDash([d * self.scale for d in mark.dash] if mark.dash else [])
        canvas.setLineJoin(1)
        if series.is_closed:
            if style.fill:
                canvas.setFillColor(HexColor(style.fill), alpha=style.fill_opacity)
            self._polygon(series.points, stroke=True, fill=bool(style.fill))
        else:  # an unrated criterion is a gap in the outline, never a point at 0
            for run in series.runs:
                self._polyline([series.points[i] for i in run])
        canvas.setDash([])
        for index, point in enumerate(series.points):
            if index not in series.missing:
                draw_marker(canvas, mark, style.stroke, *self._xy(point), mark.marker_size * self.scale)

    def _draw_ring_labels(self) -> None:
        canvas, g = self.canv, self.geometry
        size = g.ring_font_size * self.scale
        canvas.setFont(REGULAR, size)
        for ring in g.rings:
            x, y = self._xy(ring.label_position)
            width = stringWidth(ring.label, REGULAR, size)
            canvas.setFillColor(HexColor(BACKGROUND_COLOR))
            canvas.rect(x - 1, y - 0.25 * size, width + 2, size, stroke=0, fill=1)
            canvas.setFillColor(HexColor(TEXT_COLOR))
            canvas.drawString(x, y, ring.label)

    def _draw_axis_labels(self) -> None:
        canvas, g = self.canv, self.geometry
        canvas.setFont(REGULAR, g.font_size * self.scale)
        canvas.setFillColor(HexColor(TEXT_COLOR))
        draw = {"start": canvas.drawString, "middle": canvas.drawCentredString, "end": canvas.drawRightString}
        for axis in g.axes:
            for line, position in zip(axis.label_lines, axis.line_positions, strict=True):
                draw[axis.text_anchor](*self._xy(position), line)

    def _draw_legend(self) -> None:
        canvas = self.canv
        y = LEGEND_ROW * len(self.geometry.legend) - LEGEND_ROW + 4
        x = self.width / 2 - 110
        canvas.setFont(REGULAR, 9)
        for label, style_name in self.geometry.legend:
            style, mark = SERIES_STYLES[style_name], PRINT_MARKS[style_name]
            canvas.setStrokeColor(HexColor(style.stroke))
            canvas.setLineWidth(mark.line_width * 0.8)
            canvas.setDash(list(mark.dash) if mark.dash else [])
            canvas.line(x, y + 3, x + 28, y + 3)
            canvas.setDash([])
            draw_marker(canvas, mark, style.stroke, x + 14, y + 3, mark.marker_size * 0.9)
            canvas.setFillColor(HexColor(TEXT_COLOR))
            canvas.drawString(x + 36, y, label)
            y -= LEGEND_ROW


def draw_marker(canvas, mark: PrintMark, colour: str, x: float, y: float, size: float) -> None:
    """A series' marker at (x, y): a filled circle or square, or an open triangle (white inside, outlined)."""
    canvas.setFillColor(HexColor(colour))
    if mark.marker == "circle":
        canvas.circle(x, y, size, stroke=0, fill=1)
    elif mark.marker == "square":
        side = size * 1.6
        canvas.rect(x - side / 2, y - side / 2, side, side, stroke=0, fill=1)
    else:
        canvas.setFillColor(HexColor(BACKGROUND_COLOR))
        canvas.setLineWidth(1.1)
        path = canvas.beginPath()
        path.moveTo(x, y + size)
        path.lineTo(x - size * 0.866, y - size / 2)
        path.lineTo(x + size * 0.866, y - size / 2)
        path.close()
        canvas.drawPath(path, stroke=1, fill=1)


class ScoreBar(Flowable):
    """A small horizontal bar: the track is the whole scale, the filled part the score."""

    def __init__(self, score: float | None, scale_min: int, scale_max: int, width: float = 70, height: float = 7):
        super().__init__()
        self.score, self.scale_min, self.scale_max = score, scale_min, scale_max
        self.width, self.height = width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(HexColor("#6b7885"))
        canvas.setLineWidth(0.5)
        canvas.setFillColor(HexColor("#eef1f4"))
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        if self.score is not None:
            fraction = (self.score - self.scale_min) / (self.scale_max - self.scale_min)
            canvas.setFillColor(HexColor(SERIES_STYLES["primary"].stroke))
            canvas.rect(0, 0, self.width * min(1.0, max(0.0, fraction)), self.height, stroke=0, fill=1)


PageDecorator = Callable[[Canvas, int, int], None]


def numbered_canvas(decorate: PageDecorator) -> type[Canvas]:
    """A canvas class that knows the page count when it draws each page's header and footer ("Seite x von y")."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = REGULAR  # otherwise every page names Helvetica, which is never embedded
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                decorate(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis if it would be wider than `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


__all__ = ["RadarChart", "ScoreBar", "draw_marker", "fit_text", "numbered_canvas"]
