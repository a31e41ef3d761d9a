"""The client of `python -m benchmarks load`: its own process, so that it does not share the server's interpreter.

    python -m benchmarks.load_driver PLAN.json RESULT.json

Mode "app": every team (one school, one account) logs in through the real form once and does one
untimed warm-up round; then, with the clock running, it loops
until the deadline: read its assessment through the API (ETag), save one rating with If-Match
(a 412 is a conflict: read again and retry), every few rounds read an HTML page with its session
cookie, then pause for the think time. Midway a burst of writers starts at once on one other
assessment; each keeps re-reading after a 412 until its writes are accepted. Mode "ceiling": the
same number of clients call the ceiling app's one endpoint. The result holds every latency per
kind of request, the errors (5xx, connection failures, any unexpected status) and every accepted
write, for the consistency check.

One thread per client with the standard library's http.client: on two cores the client shares the
CPU with the server, and http.client costs about 0.3 ms of CPU per request where httpx's async
client cost 2 ms (measured on this machine), which would have made the driver the bottleneck.
"""

from __future__ import annotations

import http.client
import json
import random
import resource
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from .cpu_time import cpu_seconds, cpu_spent, database_backends

TIMEOUT_SECONDS = 60.0
MAX_ERROR_SAMPLES = 20
#: A burst writer may go on this long after the deadline to get its writes accepted.
BURST_GRACE_SECONDS = 60.0
#: Kinds of request, as the result and the report name them.
READ, SAVE, PAGE, BURST_READ, BURST_SAVE, CEILING = "read", "save", "page", "burst read", "burst save", "ceiling"
#: Saves alone, no think time: the app's API PUT and the floor's raw-psycopg save (load_floor), side by side.
SAVE_ONLY, FLOOR_SAVE = "save only", "floor save"
CSRF_META = '<meta name="csrf-token" content="'


class DriverError(Exception):
    """The run cannot start (e.g. a log-in failed); the message says why."""


@dataclass(frozen=True)
class Answer:
    """A response, read completely."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class Client:
    """One user agent: a new connection per request (gunicorn's sync workers close it anyway), its own cookies."""

    host: str
    port: int
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    @classmethod
    def to(cls, base_url: str, token: str | None = None) -> Client:
        """A client of the server at `base_url`, with a Bearer token if given."""
        address = urlsplit(base_url)
        return cls(address.hostname or "127.0.0.1", address.port or 80, {"Authorization": f"Bearer {token}"} if token else {})

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        """One request on a new connection; cookies the answer sets are kept."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        try:
            sent = {**self.headers, **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return answer


@dataclass
class Recorder:
    """Latencies, errors, conflicts and accepted writes of all client threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    conflicts: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    writes: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, kind: str, client: Client, method: str, path: str, *, expected=(200,), **options) -> Answer | None:
        """One timed request; None if it failed or answered a status not in `expected` (an error)."""
        start = time.perf_counter()
        try:
            answer = client.request(method, path, **options)
        except (OSError, http.client.HTTPException) as exc:
            self._error(kind, f"{method} {path}: {type(exc).__name__} {exc}")
            return None
        elapsed = time.perf_counter() - start
        if answer.status not in expected:
            self._error(kind, f"{method} {path}: {answer.status} {answer.body[:200]!r}")
            return None
        with self.lock:
            self.latencies[kind].append(elapsed)
            if answer.status == 412:
                self.conflicts[kind] += 1
        return answer

    def accepted(self, write: dict[str, Any]) -> None:
        """Record a write the server answered with 200."""
        with self.lock:
            self.writes.append(write)

    def _error(self, kind: str, message: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.error_samples) < MAX_ERROR_SAMPLES:
                self.error_samples.append(f"{kind}: {message}")

    def result(self, elapsed: float, cpu: dict[str, float]) -> dict[str, Any]:
        """Everything recorded, as plain data for the result file."""
        kinds = sorted(set(self.latencies) | set(self.errors))
        return {
            "elapsed": elapsed,
            "cpu_seconds": cpu,
            "requests": {
                kind: {"latencies": self.latencies[kind], "errors": self.errors[kind], "conflicts": self.conflicts[kind]}
                for kind in kinds
            },
            "error_samples": self.error_samples,
            "writes": self.writes,
        }


@dataclass(frozen=True)
class Writer:
    """One client that saves ratings on one school's assessment."""

    school: str
    client: Client
    path: str  # the assessment in the API

    def save(self, recorder: Recorder, kinds: tuple[str, str], indicator: str, score: int, comment: str) -> int | None:
        """Read the assessment, then save one rating on its version; the status, or None after an error."""
        read = recorder.send(kinds[0], self.client, "GET", self.path)
        if read is None:
            return None
        change = {"score": score, "comment": comment}
        body = json.dumps({"ratings": {indicator: change}}).encode()
        headers = {"If-Match": read.headers.get("ETag", ""), "Content-Type": "application/json"}
        saved = recorder.send(kinds[1], self.client, "PUT", self.path, body=body, headers=headers, expected=(200, 412))
        if saved is None:
            return None
        if saved.status == 200:
            state = saved.json()
            recorder.accepted(
                {"school": self.school, "indicator": indicator, "score": score, "comment": comment,
                 "version": state["version"], "echoed": state["ratings"].get(indicator) == change}
            )  # fmt: skip
        return saved.status

    def save_until_accepted(
        self, recorder: Recorder, kinds: tuple[str, str], indicator: str, score: int, comment: str, give_up: float
    ) -> None:
        """On a conflict read again and retry, as a person would after seeing the colleague's change (until `give_up`)."""
        while self.save(recorder, kinds, indicator, score, comment) == 412 and time.perf_counter() < give_up:
            pass


def log_in(browser: Client, email: str, password: str) -> None:
    """The real log-in form: its CSRF token from the page, then the POST; the session stays in the client's cookies."""
    page = browser.request("GET", "/anmelden")
    text = page.body.decode("utf-8", errors="replace")
    if page.status != 200 or CSRF_META not in text:
        raise DriverError(f"GET /anmelden answered {page.status} without a CSRF token")
    token = text.split(CSRF_META, 1)[1].split('"', 1)[0]
    form = urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    answer = browser.request("POST", "/anmelden", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    if answer.status != 302:
        raise DriverError(f"the log-in of {email} answered {answer.status}, not a redirect")


def pause(think: float, chance: random.Random, deadline: float) -> None:
    """The think time, ±50 % so that teams do not march in step; never past the deadline."""
    if think > 0:
        time.sleep(max(0.0, min(think * chance.uniform(0.5, 1.5), deadline - time.perf_counter())))


def spread_start(plan: dict, chance: random.Random) -> None:
    """Spread the clients' starts over one think time (at most half the phase)."""
    time.sleep(chance.uniform(0, min(plan["think"], plan["duration"] / 2)))


def team_loop(plan: dict, writer: Writer, browser: Client, number: int, deadline: float, recorder: Recorder) -> None:
    """Every team does at least one round, and reads a page in it."""
    chance = random.Random(plan["seed"] * 1000 + number)  # noqa: S311 - load pattern, not security  # nosec B311
    indicators, (low, high) = plan["indicators"], plan["scale"]
    spread_start(plan, chance)
    step = 0
    while True:
        step += 1
        indicator, criterion = indicators[(number + step) % len(indicators)]
        comment = f"{plan['phase']}: team {writer.school}, write {step}"  # unique, so every save changes something
        writer.save_until_accepted(recorder, (READ, SAVE), indicator, chance.randint(low, high), comment, deadline)
        if (step - 1) % plan["page_every"] == 0:  # rounds 1, 1 + n, 1 + 2n …: the criterion page, then the overview
            assessment = f"/schulen/{writer.school}/{plan['round']}/"
            page = assessment if (step - 1) // plan["page_every"] % 2 else f"{assessment}kriterien/{criterion}"
            recorder.send(PAGE, browser, "GET", page)
        pause(plan["think"], chance, deadline)
        if time.perf_counter() >= deadline:
            return


def burst_writer(plan: dict, writer: Writer, number: int, start: float, deadline: float, recorder: Recorder) -> float:
    """One of the writers that start at the same moment on the same assessment; when it was done."""
    indicators, (low, high) = plan["indicators"], plan["scale"]
    time.sleep(max(0.0, start - time.perf_counter()))
    indicator = indicators[number % len(indicators)][0]
    for count in range(plan["burst"]["writes"]):
        score = low + (number + count) % (high - low + 1)
        comment = f"{plan['phase']}: burst writer {number + 1}, write {count + 1}"
        writer.save_until_accepted(recorder, (BURST_READ, BURST_SAVE), indicator, score, comment, deadline + BURST_GRACE_SECONDS)
    return time.perf_counter()


def ceiling_loop(plan: dict, client: Client, number: int, deadline: float, recorder: Recorder) -> None:
    """One client of the ceiling app, until the deadline."""
    chance = random.Random(plan["seed"] * 1000 + number)  # noqa: S311 - load pattern, not security  # nosec B311
    spread_start(plan, chance)
    while time.perf_counter() < deadline:
        recorder.send(CEILING, client, "GET", plan["ceiling_path"])
        pause(plan["think"], chance, deadline)


def saves_loop(plan: dict, client: Client, team: dict[str, str], number: int, deadline: float, recorder: Recorder) -> None:
    """Save one rating after another with the version the last answer named (a 412 names the current one)."""
    chance = random.Random(plan["seed"] * 1000 + number)  # noqa: S311 - load pattern, not security  # nosec B311
    indicators, (low, high) = plan["indicators"], plan["scale"]
    path = plan["save_path"].format(schulnummer=team["schulnummer"], round_slug=plan["round"])
    spread_start(plan, chance)
    version, step = team.get("version", 0), 0
    while time.perf_counter() < deadline:
        step += 1
        indicator = indicators[(number + step) % len(indicators)][0]
        change = {"score": chance.randint(low, high), "comment": f"{plan['phase']}: team {team['schulnummer']}, write {step}"}
        headers = {"If-Match": f'"{version}"', "Content-Type": "application/json"}
        body = json.dumps({"ratings": {indicator: change}}).encode()
        answer = recorder.send(plan["kind"], client, "PUT", path, body=body, headers=headers, expected=(200, 412))
        if answer is None:
            continue
        state = answer.json()
        if answer.status == 412:
            version = state["error"]["current"]["version"]
            continue
        version = state["version"]
        if plan["record_writes"]:
            recorder.accepted(
                {"school": team["schulnummer"], "indicator": indicator, "score": change["score"],
                 "comment": change["comment"], "version": version, "echoed": state["ratings"].get(indicator) == change}
            )  # fmt: skip


class CpuClock:
    """CPU seconds of the server's processes, its database's backends and this driver while the clock runs."""

    def __init__(self, plan: dict):
        self.server_pids, self.database = plan["watch"]["server"], plan["watch"]["database"]

    def start(self) -> float:
        """Take the first sample; the moment the clock starts."""
        self.before = self._sample()
        return time.perf_counter()

    def stop(self) -> dict[str, float]:
        """CPU seconds per side since start()."""
        after = self._sample()
        return {side: cpu_spent(self.before[side], after[side]) for side in after}

    def _sample(self) -> dict[str, dict[int, float]]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "server": cpu_seconds(self.server_pids),
            "database": cpu_seconds(database_backends(self.database)),
            "driver": {0: usage.ru_utime + usage.ru_stime},
        }


def drive(plan: dict) -> dict[str, Any]:
    """Run the plan, one thread per client; log-ins happen before the clock starts."""
    recorder, clock, base = Recorder(), CpuClock(plan), plan["base_url"]
    if plan["mode"] == "ceiling":
        clients = [Client.to(base) for _ in range(plan["clients"])]
        for client in clients:  # untimed, as the app's warm-up round
            client.request("GET", plan["ceiling_path"])
        tasks = [(ceiling_loop, client, number) for number, client in enumerate(clients)]
    elif plan["mode"] == "saves":
        tasks = [(saves_loop, Client.to(base, team["token"]), team, number) for number, team in enumerate(plan["teams"])]
    else:
        warm_up = Recorder()
        with ThreadPoolExecutor(max_workers=4) as pool:  # log-ins check scrypt hashes: a few at a time
            clients = list(pool.map(lambda team: team_clients(plan, team, warm_up), plan["teams"]))
        if warm_up.errors:
            raise DriverError(f"the warm-up failed: {warm_up.error_samples[0]}")
        recorder.writes += warm_up.writes
        tasks = [(team_loop, writer, browser, number) for number, (writer, browser) in enumerate(clients)]
    burst = plan.get("burst")
    if burst:
        path = f"/api/v1/schools/{burst['schulnummer']}/assessments/{plan['round']}"
        writers = [Writer(burst["schulnummer"], Client.to(base, token), path) for token in burst["tokens"]]
    with ThreadPoolExecutor(max_workers=len(tasks) + (len(writers) if burst else 0)) as pool:
        start = clock.start()
        deadline = start + plan["duration"]
        futures = [pool.submit(task, plan, *arguments, deadline, recorder) for task, *arguments in tasks]
        at = start + plan["duration"] * burst["at"] if burst else start
        bursting = [pool.submit(burst_writer, plan, w, n, at, deadline, recorder) for n, w in enumerate(writers)] if burst else []
        for future in futures:
            future.result()  # a bug in a client thread ends the run with its traceback
        elapsed = time.perf_counter() - start  # the phase proper: until the last team's round
        burst_seconds = max(future.result() for future in bursting) - at if bursting else None
        clock_seconds = time.perf_counter() - start  # a burst may take longer than the teams
        return recorder.result(elapsed, clock.stop()) | {"burst_seconds": burst_seconds, "clock_seconds": clock_seconds}


def team_clients(plan: dict, team: dict[str, str], warm_up: Recorder) -> tuple[Writer, Client]:
    """The team's API client (its token) and its browser, logged in through the form, after one untimed round.

    The warm-up round lets the workers compile their queries and templates before the clock starts,
    as a server that has run for a while has; its write counts for the consistency check.
    """
    school = team["schulnummer"]
    browser = Client.to(plan["base_url"])
    log_in(browser, team["email"], team["password"])
    writer = Writer(school, Client.to(plan["base_url"], team["token"]), f"/api/v1/schools/{school}/assessments/{plan['round']}")
    indicator, criterion = plan["indicators"][0]
    comment = f"{plan['phase']}: team {school}, warm-up"
    writer.save_until_accepted(warm_up, (READ, SAVE), indicator, plan["scale"][0], comment, time.perf_counter() + 60)
    warm_up.send(PAGE, browser, "GET", f"/schulen/{school}/{plan['round']}/kriterien/{criterion}")
    return writer, browser


def main(argv: list[str]) -> int:
    """Read the plan, run it, write the result; exit 2 with a message if the run cannot start."""
    if len(argv) != 2:
        print("usage: python -m benchmarks.load_driver PLAN.json RESULT.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        plan = json.load(handle)
    try:
        result = drive(plan)
    except DriverError as exc:
        print(f"load driver: {exc}", file=sys.stderr)
        return 2
    with open(argv[1], "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
