"""reportlab drawings of the area report's charts: the box plots and the trend line, from the charts' geometry.

The same geometry draws the SVG on the web page, so the PDF and the page show the same picture.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ..charts import BoxPlotGeometry, HistoryGeometry
from ..charts.boxplot import BOX_FILL, BOX_STROKE, MEAN_FILL
from ..charts.history import LINE
from ..charts.style import BACKGROUND_COLOR, GRID_COLOR, TEXT_COLOR
from ..display import format_score
from .fonts import REGULAR


class _Scaled(Flowable):
    """A chart geometry (origin top left, y down, own units) drawn `width` points wide."""

    def __init__(self, geometry_width: float, geometry_height: float, width: float):
        super().__init__()
        self.scale = width / geometry_width
        self.width, self.height = width, geometry_height * self.scale

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, self.height - y * self.scale

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.canv.line(*self.xy(x1, y1), *self.xy(x2, y2))

    def text(self, x: float, y: float, value: str, size: float, anchor: str = "start") -> None:
        self.canv.setFont(REGULAR, size * self.scale)
        px, py = self.xy(x, y)
        draw = {"start": self.canv.drawString, "end": self.canv.drawRightString, "middle": self.canv.drawCentredString}
        draw[anchor](px, py, value)


    def start_grid(self) -> None:
        """Saves the canvas state (the caller restores it) and sets the pen for the grid lines."""
        self.canv.saveState()
        self.canv.setStrokeColor(HexColor(GRID_COLOR))
        self.canv.setLineWidth(0.5)


class BoxPlotChart(_Scaled):
    def __init__(self, geometry: BoxPlotGeometry, width: float):
        super().__init__(geometry.width, geometry.height, width)
        self.geometry = geometry

    def draw(self) -> None:
        g, canvas = self.geometry, self.canv
        self.start_grid()
        for x, _ in g.ticks:
            self.line(x, 12, x, g.axis_y)
        canvas.setFillColor(HexColor(TEXT_COLOR))
        for x, label in g.ticks:
            self.text(x, g.axis_y + 18, label, 13, "middle")
        for row in g.rows:
            self._row(row)
        canvas.restoreState()

    def _row(self, row) -> None:
        canvas = self.canv
        lines = row.label_lines
        first_y = row.center_y - (len(lines) - 1) * 13 * 0.6 + 13 * 0.35
        canvas.setFillColor(HexColor(TEXT_COLOR))
        for index, line in enumerate(lines):
            self.text(row.label_x, first_y + index * 13 * 1.2, line, 13, "end")
        if row.box is None and row.mean_x is None:
            self.text(row.label_x + 20, row.center_y + 13 * 0.35, row.stats.note or "keine abgeschlossenen Bewertungen", 12)
            return
        if row.box is not None and row.median_x is not None:
            x, y, width, height = row.box
            canvas.setStrokeColor(HexColor(BOX_STROKE))
            canvas.setFillColor(HexColor(BOX_FILL))
            canvas.setLineWidth(1.2 * self.scale)
            left, top = self.xy(x, y)
            canvas.rect(left, top - height * self.scale, max(width, 1.5) * self.scale, height * self.scale, stroke=1, fill=1)
            canvas.setLineWidth(2.5 * self.scale)
            self.line(row.median_x, y, row.median_x, y + height)
        if row.mean_x is not None:
            canvas.setFillColor(HexColor(MEAN_FILL))
            canvas.setStrokeColor(HexColor(BACKGROUND_COLOR))
            canvas.setLineWidth(0.8 * self.scale)
            m, c = row.mean_x, row.center_y
            path = canvas.beginPath()
            path.moveTo(*self.xy(m, c - 6))
            for point in ((m + 6, c), (m, c + 6), (m - 6, c)):
                path.lineTo(*self.xy(*point))
            path.close()
            canvas.drawPath(path, stroke=1, fill=1)


class TrendChart(_Scaled):
    def __init__(self, geometry: HistoryGeometry, width: float):
        super().__init__(geometry.width, geometry.height, width)
        self.geometry = geometry

    def draw(self) -> None:
        g, canvas = self.geometry, self.canv
        self.start_grid()
        for y, _ in g.ticks:
            self.line(g.plot_left, y, g.plot_right, y)
        canvas.setFillColor(HexColor(TEXT_COLOR))
        for y, label in g.ticks:
            self.text(g.plot_left - 6, y + 4, label, 11, "end")
        for index in g.labelled_years:
            self.text(g.points[index].x, g.plot_bottom + 20, g.points[index].year, 11, "middle")
        canvas.setStrokeColor(HexColor(LINE.stroke))
        canvas.setLineWidth(LINE.stroke_width * self.scale)
        for run in g.runs:
            for a, b in zip(run, run[1:], strict=False):
                first, second = g.points[a], g.points[b]
                if first.y is not None and second.y is not None:
                    self.line(first.x, first.y, second.x, second.y)
        canvas.setFillColor(HexColor(LINE.stroke))
        for point in g.points:
            if point.y is not None:
                canvas.circle(*self.xy(point.x, point.y), 3.5 * self.scale, stroke=0, fill=1)
        canvas.setFillColor(HexColor(TEXT_COLOR))
        for point in g.points:
            if point.y is not None:
                self.text(point.x, point.y - 9, format_score(point.value), 11, "middle")
        canvas.restoreState()
