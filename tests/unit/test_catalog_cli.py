"""`selfeval catalog check`: summary lines, problem lines, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from selfeval.cli import cli
from selfeval.paths import CRITERIA_DIR

DORTMUND = str(CRITERIA_DIR / "dortmund-leitfaden.yaml")
MINI = """\
id: mini
version: 1
title: Mini
scale: {min: 0, max: 10}
criteria:
  - id: k1
    title: Eins
    indicators:
      - {id: k1a, text: A, extra: x}
"""


@pytest.fixture
def files(tmp_path) -> dict[str, str]:
    contents = {
        "mini.yaml": MINI.encode(),
        "dupe.yaml": MINI.replace("      - {id: k1a, text: A, extra: x}\n", "      - {id: k1, text: A}\n").encode(),
        "latin1.yaml": "title: Schulträger\n".encode("latin-1"),
        "bomb.yaml": ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
        )).encode(),
        "python.yaml": b"id: !!python/object/apply:os.getcwd []\n",
        "broken.yaml": b"id: [\n",
        "empty.yaml": b"",
        "list.yaml": b"- 1\n",
    }
    paths = {}
    for name, raw in contents.items():
        (tmp_path / name).write_bytes(raw)
        paths[name] = str(tmp_path / name)
    return paths


def run(*args: str):
    return CliRunner().invoke(cli, ["catalog", "check", *args], catch_exceptions=False)


def test_valid_file_prints_one_summary_line_and_exits_0():
    result = run(DORTMUND)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"{DORTMUND}: ok: dortmund-leitfaden version 4, 6 criteria, 23 indicators, 65 examples, 0 warnings\n",
        "",
    )


def test_warnings_are_listed_and_counted(files):
    result = run(files["mini.yaml"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f'{files["mini.yaml"]}: criteria[0].indicators[0].extra: warning: unknown key "extra" is ignored '
        "(known keys: examples, id, offers, text) (line 9)",
        f"{files['mini.yaml']}: ok: mini version 1, 1 criteria, 1 indicators, 0 examples, 1 warning",
    ]


def test_invalid_file_prints_one_line_per_problem_and_exits_1(files):
    result = run(DORTMUND, files["dupe.yaml"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{DORTMUND}: ok: dortmund-leitfaden version 4, 6 criteria, 23 indicators, 65 examples, 0 warnings",
        f'{files["dupe.yaml"]}: criteria[0].indicators[0].id: duplicate id "k1" (already used at criteria[0].id, '
        "line 6); ids must be unique in the catalogue (line 9)",
    ]


def test_json_prints_the_normalized_catalogue():
    result = run("--json", DORTMUND)
    assert (result.exit_code, result.stderr) == (0, "")
    document = json.loads(result.stdout)
    assert list(document) == [
        "id", "version", "title", "description", "source", "scale", "criteria", "offers", "offers_note", "offers_note_kreise",
    ]  # fmt: skip
    assert (document["id"], document["version"], document["scale"]) == (
        "dortmund-leitfaden",
        "4",
        {"min": 0, "max": 10, "labels": {}},
    )
    assert [len(c["indicators"]) for c in document["criteria"]] == [4, 4, 3, 4, 4, 4]
    assert sum(len(i["examples"]) for c in document["criteria"] for i in c["indicators"]) == 65
    assert list(document["criteria"][0]) == ["id", "title", "description", "indicators", "offers"]
    assert list(document["criteria"][0]["indicators"][0]) == ["id", "text", "examples", "offers"]
    assert len(document["offers"]) == 41
    # Who an offer is for appears only where it limits: a state-wide offer keeps the keys it always had.
    by_id = {offer["id"]: offer for offer in document["offers"]}
    assert list(by_id["mz-verleih"]) == ["id", "title", "provider", "description", "source", "url"]
    assert (by_id["do-medienkonzept"]["kreise"], by_id["medienscouts-nrw"]["schulstufen"]) == (
        ["05913"],
        ["sekundarstufe-1", "foerderschule"],
    )


def test_json_keeps_stdout_clean_and_reports_problems_on_stderr(files):
    result = run("--json", files["mini.yaml"], files["list.yaml"])
    assert result.exit_code == 1
    assert [doc["id"] for doc in json.loads(result.stdout)] == ["mini"]
    assert result.stderr.splitlines() == [
        f'{files["mini.yaml"]}: criteria[0].indicators[0].extra: warning: unknown key "extra" is ignored '
        "(known keys: examples, id, offers, text) (line 9)",
        f"{files['list.yaml']}: the top level must be a mapping with id, version, title, scale and criteria, "
        "not a list (line 1)",
    ]


def test_console_script_never_prints_a_traceback(files, tmp_path):
    """The real command, in a subprocess, over every kind of bad file at once."""
    bad = [path for name, path in files.items() if name != "mini.yaml"] + [str(tmp_path / "missing.yaml")]
    script = Path(sys.executable).with_name("selfeval")
    result = subprocess.run([str(script), "catalog", "check", *bad], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert [line.split(": ", 1)[0] for line in result.stdout.splitlines()] == [
        files["dupe.yaml"],
        files["latin1.yaml"],
        files["bomb.yaml"],
        files["python.yaml"],
        files["broken.yaml"],
        files["empty.yaml"],
        files["list.yaml"],
        str(tmp_path / "missing.yaml"),
    ]
