"""Report batches on Celery workers: N reports through 1, 2 and 4 worker processes of this machine.

Each run starts that many `selfeval worker --concurrency 1` processes (each a main process and one child that renders),
starts one batch of all N schools as the app does (report_jobs.start_job, one task per part of PART_SIZE schools),
waits until the ZIP is assembled and reads from the database: the wall time from the commit to the finished job,
the ZIP's assembly (from the last part's end to the job's end), and each rendering child's peak memory (VmHWM).
PostgreSQL is the shared state, Redis the broker, a temporary folder the shared storage.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess  # nosec B404 - starts our own worker processes with fixed arguments
import sys
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from selfeval.extensions import catalogs, db
from selfeval.jobs import report_jobs
from selfeval.models import ReportJobPart, ReportJobRow, Round
from selfeval.services.accounts import create_user
from selfeval.services.reports import ReportSelection, batch_schools

from .synthetic import STATUS_SHARES, fill

CHECKOUT = Path(__file__).resolve().parents[1]
GIVE_UP_AFTER = 3600


@dataclass(frozen=True)
class DistributedRun:
    workers: int
    reports: int
    seconds: float
    assembly_seconds: float
    zip_megabytes: float
    worker_peak_mb: list[float]  # per rendering child
    cpu_seconds: float  # CPU time of all rendering children together (user + system)
    load_before: float  # the machine's 1-minute load average when the run started
    killed: bool = False  # one worker was SIGKILLed mid-batch
    complete: bool | None = None  # with a kill: the ZIP holds every school's report exactly once

    @property
    def per_second(self) -> float:
        return self.reports / self.seconds

    @property
    def per_cpu_second(self) -> float:
        """Reports per second of CPU the workers got: what a core yields, whatever else the machine does."""
        return self.reports / self.cpu_seconds if self.cpu_seconds else float("nan")


def run(app, schools: int, worker_counts: list[int], files: Path, echo: Callable[[str], None], kill_after: float | None = None):
    """Fill the database, then one batch of `schools` reports per worker count (the app is configured for the broker)."""
    with app.app_context():
        total = round(schools * 100 / STATUS_SHARES["submitted"] * 1.06) + 25
        echo(f"filling {total} schools …")
        filled = fill(catalogs.active, total, 1)
        db.session.commit()
        round_ = db.session.scalars(select(Round).filter_by(slug=filled.rounds[-1])).one()
        submitted = batch_schools(None, round_)
        if len(submitted) < schools:
            raise RuntimeError(f"only {len(submitted)} schools submitted; raise the fill")
        kreise = _kreise_for(submitted, schools)
        chosen = len(batch_schools(None, round_, ReportSelection(kreise=kreise)))
    env = _environment(app.config, files)
    runs = []
    for count in worker_counts:
        echo(f"{chosen} reports through {count} worker process(es) …")
        kill = kill_after if count > 1 else None
        runs.append(_one_run(app, count, round_.id, kreise, env, files, echo, kill))
    return chosen, runs


def _kreise_for(submitted, schools: int) -> tuple[str, ...]:
    """Whole Kreise, in order, until at least `schools` submitted schools are covered (a Bezirk-like selection)."""
    counts: dict[str, int] = {}
    for school in submitted:
        counts[school.kreis] = counts.get(school.kreis, 0) + 1
    chosen, covered = [], 0
    for kreis, count in sorted(counts.items()):
        if covered >= schools:
            break
        chosen.append(kreis)
        covered += count
    return tuple(chosen)


def _one_run(
    app, count: int, round_id: int, kreise, env: dict[str, str], files: Path, echo, kill_after: float | None
) -> DistributedRun:
    workers = [_start_worker(env, files / f"worker-{count}-{n}.log") for n in range(count)]
    killed = False
    try:
        load_before = os.getloadavg()[0]
        with app.test_request_context():
            user = create_user(f"bench-{uuid.uuid4().hex[:8]}@land.test", "Bench", "admin", None)
            db.session.flush()
            job = report_jobs.start_job(user, db.session.get_one(Round, round_id), ReportSelection(kreise=kreise))
            db.session.commit()  # the parts go to the broker now
            started = time.perf_counter()
            while True:
                db.session.expire_all()
                row = db.session.get_one(ReportJobRow, job.id)
                if row.state in ("done", "failed"):
                    break
                if kill_after is not None and not killed and time.perf_counter() - started > kill_after:
                    os.killpg(workers[0].pid, signal.SIGKILL)  # the whole worker, as a machine that vanished
                    killed = True
                    echo(f"  killed worker 1 of {count} after {kill_after:.0f} s")
                if time.perf_counter() - started > GIVE_UP_AFTER:
                    raise RuntimeError(f"the batch did not finish within {GIVE_UP_AFTER} s; see the workers' logs in {files}")
                time.sleep(0.1)
            seconds = time.perf_counter() - started
            last_part = db.session.scalar(select(func.max(ReportJobPart.beat_at)).where(ReportJobPart.job_id == job.id))
            assembly = (row.finished_at - last_part).total_seconds() if row.finished_at and last_part else float("nan")
            zip_size = report_jobs.storage().size(row.archive_key) / 1e6 if row.archive_key else 0.0
            peaks = [_peak_rss_mb(worker) for worker in workers]
            cpu = sum(_cpu_seconds(child) for worker in workers for child in _children(worker.pid))
            complete = _every_school_once(row.archive_key, job.total) if killed else None
            echo(f"  {seconds:.1f} s, {job.total / seconds:.1f} reports/s, ZIP assembled in {assembly:.2f} s")
            flat = [peak for each in peaks for peak in each]
            return DistributedRun(count, job.total, seconds, assembly, zip_size, flat, cpu, load_before, killed, complete)
    finally:
        for worker in workers:
            _stop(worker)


def _every_school_once(archive_key: str | None, total: int) -> bool:
    """The finished ZIP holds `total` reports, each under its own name (no part lost, none rendered into it twice)."""
    if archive_key is None:
        return False
    with report_jobs.storage().reading(archive_key) as file, zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        names = archive.namelist()
    return len(names) == len(set(names)) == total


def _environment(config, files: Path) -> dict[str, str]:
    """The workers' environment: the app's database, broker, queue, storage and part size."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("SELFEVAL_")}
    names = (
        "SELFEVAL_BROKER_URL",
        "SELFEVAL_BROKER_QUEUE",
        "SELFEVAL_STORAGE",
        "SELFEVAL_REPORT_PART_SIZE",
        "SELFEVAL_BROKER_VISIBILITY_TIMEOUT",  # the workers restore a vanished worker's task after it
    )
    return (
        inherited
        | {name: str(config[name]) for name in names}
        | {
            "SELFEVAL_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
            "SELFEVAL_INSTANCE_PATH": str(files),
        }
    )


def _start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-c",
        "from selfeval.cli import main; main()",
        "worker",
        "--concurrency",
        "1",
        "--loglevel",
        "WARNING",
    ]
    with log_path.open("a", encoding="utf-8") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments  # nosec B603
            command, env=env, cwd=CHECKOUT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 90
    while not _children(process.pid):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not start:\n{log_path.read_text('utf-8', errors='replace')}")
        time.sleep(0.2)
    time.sleep(1.0)  # connected and consuming
    return process


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _peak_rss_mb(worker: subprocess.Popen) -> list[float]:
    """The peak resident memory (VmHWM) of each rendering child of the worker."""
    peaks = []
    for child in _children(worker.pid):
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "")
        if line:
            peaks.append(int(line.split()[1]) / 1024)
    return peaks


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process so far (/proc/PID/stat, fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stop(worker: subprocess.Popen) -> None:
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)


def report(chosen: int, runs: list[DistributedRun], database: str, part_size: int) -> str:
    base = runs[0].per_second if runs else 1.0
    lines = [
        f"Distributed report batches: {chosen} reports, parts of {part_size} schools; {database}, Redis broker, "
        f"{os.cpu_count()} CPU cores",
        "",
        "| worker processes | wall time | reports per second | speed-up vs 1 | CPU seconds (workers) | reports per "
        "CPU second | CPU the workers got | ZIP assembly | ZIP size | peak RSS per worker | load before | one worker killed |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for each in runs:
        peaks = ", ".join(f"{peak:.0f}" for peak in each.worker_peak_mb) or "–"
        lines.append(
            f"| {each.workers} | {each.seconds:.1f} s | {each.per_second:.1f} | {each.per_second / base:.2f}× | "
            f"{each.cpu_seconds:.1f} s | {each.per_cpu_second:.1f} | {each.cpu_seconds / each.seconds:.2f} cores | "
            f"{each.assembly_seconds:.2f} s | {each.zip_megabytes:.1f} MB | {peaks} MB | {each.load_before:.1f} | "
            f"{_killed(each)} |"
        )
    return "\n".join(lines)


def _killed(each: DistributedRun) -> str:
    if not each.killed:
        return "no"
    return "yes: every school once in the ZIP" if each.complete else "yes: REPORTS MISSING OR TWICE"
