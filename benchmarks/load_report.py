"""Figures and the printed table of `python -m benchmarks load`."""

from __future__ import annotations

import os
import statistics
from importlib.metadata import version
from typing import Any

from .analytics import machine
from .load_driver import BURST_READ, BURST_SAVE, CEILING, FLOOR_SAVE, PAGE, READ, SAVE, SAVE_ONLY

TARGET_SAVE_P95_MS = 150.0
LABELS = {
    READ: "read assessment (API GET)",
    SAVE: "save rating (API PUT)",
    PAGE: "read page (HTML)",
    BURST_READ: "burst: read (API GET)",
    BURST_SAVE: "burst: save (API PUT)",
    CEILING: "ceiling: GET /ping",
    SAVE_ONLY: "app: save rating (API PUT)",
    FLOOR_SAVE: "floor: the save in raw psycopg",
}
MAX_LISTED = 20
BURST_KINDS = (BURST_READ, BURST_SAVE)


def figures(latencies: list[float], errors: int, conflicts: int, elapsed: float) -> dict[str, Any]:
    """Count (errors included), requests per second, p50/p95/p99 in ms of the answered ones."""
    count = len(latencies) + errors
    result = {"count": count, "rps": count / elapsed if elapsed else 0.0, "conflicts": conflicts, "errors": errors}
    if len(latencies) >= 2:
        cuts = statistics.quantiles([seconds * 1000 for seconds in latencies], n=100, method="inclusive")
        return result | {"p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98]}
    single = latencies[0] * 1000 if latencies else None
    return result | {"p50_ms": single, "p95_ms": single, "p99_ms": single}


def summarize(raw: dict[str, Any]) -> dict[str, Any]:
    """The driver's raw latencies as figures per kind of request, and for the teams' (or ceiling's) requests together.

    Requests per second count over the phase, those of the burst over the burst's own span.
    """
    kinds = raw["requests"]
    steady = {kind: data for kind, data in kinds.items() if kind not in BURST_KINDS}

    def window(kind: str) -> float:
        return raw["burst_seconds"] if kind in BURST_KINDS else raw["elapsed"]

    return {
        "elapsed": raw["elapsed"],
        "clock_seconds": raw["clock_seconds"],
        "requests": {
            kind: figures(data["latencies"], data["errors"], data["conflicts"], window(kind))
            for kind, data in sorted(kinds.items(), key=lambda item: list(LABELS).index(item[0]))
        },
        "all": figures(
            [seconds for data in steady.values() for seconds in data["latencies"]],
            sum(data["errors"] for data in steady.values()),
            sum(data["conflicts"] for data in steady.values()),
            raw["elapsed"],
        ),
        "total_count": sum(len(data["latencies"]) + data["errors"] for data in kinds.values()),
        "error_samples": raw["error_samples"],
    }


def error_count(result: dict[str, Any]) -> int:
    """Errors of every kind of request in every phase."""
    return sum(figures["errors"] for phase in result["phases"].values() for figures in phase["requests"].values())


def ceiling_ratio(result: dict[str, Any]) -> float | None:
    """Requests per second of the app without think time over those of the ceiling app."""
    phases = result["phases"]
    app = phases.get("saturated") or phases["teams"]
    ceiling = phases["ceiling"]["all"]["rps"]
    return app["all"]["rps"] / ceiling if ceiling else None


def target(result: dict[str, Any]) -> tuple[bool, str]:
    """The issue's target, judged on the teams phase."""
    save = result["phases"]["teams"]["requests"].get(SAVE, {}).get("p95_ms")
    misses = []
    if save is None or save > TARGET_SAVE_P95_MS:
        misses.append("no saves" if save is None else f"save p95 {save:.0f} ms")
    if error_count(result):
        misses.append(f"{error_count(result)} errors")
    if not result["consistency"]["ok"]:
        misses.append("inconsistent data")
    return not misses, ", ".join(misses)


def report(result: dict[str, Any]) -> str:
    """A Markdown table and a few lines, as docs/BENCHMARKS.md records them."""
    options, phases = result["parameters"], result["phases"]
    before, after = (" ".join(f"{v:.2f}" for v in result["load_average"][when]) for when in ("before", "after"))
    lines = [
        f"Machine: {machine()}; load average before {before}, after {after}",
        f"Database: {result['database']}; gunicorn {version('gunicorn')}, {options['workers']} sync workers on 127.0.0.1",
        f"Teams: {options['teams']}, think time {options['think']:g} s ±50 %, a page every {options['page_every']} rounds; "
        f"burst: {options['burst_writers']} writers × {options['burst_writes']} writes; {options['duration']} s per phase; "
        f"{options['schools']} background schools",
        "",
        "| phase | requests | count | per second | p50 ms | p95 ms | p99 ms | conflicts (412) | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, phase in phases.items():
        rows = [(LABELS[kind], numbers) for kind, numbers in phase["requests"].items()]
        if len(rows) > 1:
            rows.append(("all but the burst" if BURST_SAVE in phase["requests"] else "all", phase["all"]))
        lines += [f"| {name} | {label} | {_row(numbers)} |" for label, numbers in rows]
    lines += ["", "CPU time during each phase (gunicorn workers + PostgreSQL backends + driver), per request answered:"]
    lines += [f"- {name}: {_cpu(phase)}" for name, phase in phases.items()]
    return "\n".join(lines + [""] + _verdict(result))


def _verdict(result: dict[str, Any]) -> list[str]:
    consistency, burst, phases = result["consistency"], result["burst"], result["phases"]
    ratio = ceiling_ratio(result)
    app = phases.get("saturated") or phases["teams"]
    met, misses = target(result)
    ceiling_rps = phases["ceiling"]["all"]["rps"]
    lines = floor_comparison(result) + [
        f"Ceiling: app {app['all']['rps']:.0f} requests/s without think time, minimal Flask app {ceiling_rps:.0f} requests/s: "
        f"ratio {ratio:.2f}"
        if ratio is not None
        else "Ceiling: no requests answered",
        _burst(burst, phases["teams"]),
        f"Consistency: {consistency['writes']} accepted writes on {consistency['assessments']} assessments; "
        f"lost updates: {len(consistency['lost'])}; other problems: {len(consistency['problems'])}",
    ]
    lines += [f"  {line}" for line in (consistency["lost"] + consistency["problems"])[:MAX_LISTED]]
    samples = [sample for phase in phases.values() for sample in phase["error_samples"]]
    lines += [f"Errors: {error_count(result)}"] + [f"  {sample}" for sample in samples[:MAX_LISTED]]
    verdict = "met" if met else f"NOT met ({misses})"
    lines.append(f"Target (teams phase: save p95 ≤ {TARGET_SAVE_P95_MS:.0f} ms, zero errors, zero lost updates): {verdict}")
    return lines


def floor_comparison(result: dict[str, Any]) -> list[str]:
    """The app's saves against the floor's: CPU per save (workers + PostgreSQL), saves per second, latency."""
    phases = result["phases"]
    if "floor" not in phases or "app saves" not in phases:
        return []
    rows = []
    for name in ("app saves", "floor"):
        phase = phases[name]
        count, cpu = phase["total_count"], phase["cpu_seconds"]
        server, database = (1000 * cpu[side] / count if count else 0.0 for side in ("server", "database"))
        rows.append((name, server, database, phase["all"]))
    (_, app_server, app_db, app), (_, floor_server, floor_db, floor) = rows
    cpu_ratio = (app_server + app_db) / (floor_server + floor_db) if floor_server + floor_db else float("nan")
    rps_ratio = app["rps"] / floor["rps"] if floor["rps"] else float("nan")
    lines = [
        "Floor (saves only, no think time; CPU per save = gunicorn workers + PostgreSQL backends):",
        "| | CPU ms per save (workers + PostgreSQL) | saves/s | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, server, database, numbers in rows:
        lines.append(
            f"| {name} | {server:.2f} + {database:.2f} = {server + database:.2f} | {numbers['rps']:.1f} | "
            f"{numbers['p50_ms']:.1f} | {numbers['p95_ms']:.1f} | {numbers['errors']} |"
        )
    lines.append(f"Ratio app/floor: {cpu_ratio:.2f}× the CPU per save, {rps_ratio:.2f}× the saves per second")
    return lines


def _burst(burst: dict[str, Any], phase: dict[str, Any]) -> str:
    if not burst["writers"]:
        return "Burst: none"
    conflicts = phase["requests"].get(BURST_SAVE, {}).get("conflicts", 0)
    return (
        f"Burst on school {burst['school']}: {burst['writers']} writers at once, {burst['accepted']} of {burst['planned']} "
        f"writes accepted in {burst['seconds']:.1f} s, {conflicts} conflicts (412) retried"
    )


def _cpu(phase: dict[str, Any]) -> str:
    """Where the CPU went, and what that allows at most on this machine's cores if nothing else ran."""
    cpu, count, cores = phase["cpu_seconds"], phase["total_count"], os.cpu_count() or 1
    spent = f"{cpu['server']:.1f} + {cpu['database']:.1f} + {cpu['driver']:.1f} s in {phase['clock_seconds']:.1f} s"
    if not count:
        return spent
    per_request = [1000 * cpu[side] / count for side in ("server", "database", "driver")]
    total = sum(per_request)
    shares = " + ".join(f"{ms:.1f}" for ms in per_request)
    return f"{spent}; {shares} = {total:.1f} ms per request, so at most {cores * 1000 / total:.0f} requests/s on {cores} cores"


def _row(numbers: dict[str, Any]) -> str:
    def ms(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    return (
        f"{numbers['count']:,} | {numbers['rps']:.1f} | {ms(numbers['p50_ms'])} | {ms(numbers['p95_ms'])} | "
        f"{ms(numbers['p99_ms'])} | {numbers['conflicts']:,} | {numbers['errors']:,}"
    )
