"""Turn catalogue bytes into plain Python data, safely, remembering the line of every value.

Only the safe YAML subset is accepted. Before anything is constructed the node graph is
checked: aliases are counted as if expanded (without expanding them), so an alias bomb
("billion laughs") is rejected in microseconds; cycles, very deep nesting and duplicate
keys are reported too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import Problem

#: A catalogue of a few hundred indicators has a few thousand nodes; this leaves
#: ample room while making an alias bomb fail long before it could hurt.
MAX_EXPANDED_NODES = 100_000
MAX_DEPTH = 40
#: Python refuses to print whole numbers of more than 4,300 digits, and hexadecimal or binary YAML numbers get
#: there from far fewer characters; no catalogue needs a number of even 100.
MAX_NUMBER_LENGTH = 100
INT_TAG = "tag:yaml.org,2002:int"

Path = tuple[str | int, ...]


@dataclass
class YamlDocument:
    data: Any
    lines: dict[Path, int]  # path of a value -> 1-based line where it starts


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def read_yaml(raw: bytes) -> YamlDocument:
    """Decode and parse one YAML document; raise YamlProblems with everything that is wrong."""
    text = _decode(raw)
    node = _compose(text)
    problems = _check_graph(node)
    if problems:
        raise YamlProblems(problems)
    data = _construct(text, node)
    lines: dict[Path, int] = {}
    _record_lines(node, (), lines, 0)
    return YamlDocument(data=data, lines=lines)


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise YamlProblems([Problem("", "the file is empty")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        message = f"the file is not UTF-8 text (byte 0x{byte} at offset {exc.start}); save it as UTF-8"
        raise YamlProblems([Problem("", message, line)]) from None


def _compose(text: str) -> Node:
    try:
        loader = yaml.SafeLoader(text)  # checks every character at once: YAML allows no control characters
    except yaml.reader.ReaderError as exc:
        raise YamlProblems([_character_problem(text, exc)]) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise YamlProblems([_syntax_problem(exc)]) from None
    except yaml.YAMLError as exc:
        raise YamlProblems([Problem("", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise YamlProblems([Problem("", "the document is nested too deeply")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblems([Problem("", "the file contains no YAML data (only comments or blank lines)")])
    return node


def _character_problem(text: str, exc: yaml.reader.ReaderError) -> Problem:
    line = text.count("\n", 0, exc.position) + 1
    return Problem("", f"the file contains the character U+{exc.character:04X}, which YAML does not allow; remove it", line)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    parts = [part for part in (exc.context, exc.problem) if part]
    message = "YAML syntax error: " + ", ".join(parts)
    if mark is not None:
        return Problem("", message, mark.line + 1, column=mark.column + 1)
    return Problem("", message)


def _construct(text: str, node: Node) -> Any:
    loader = yaml.SafeLoader(text)
    try:
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # Unknown tags such as !!python/object land here: the safe loader never runs them.
        raise YamlProblems([_syntax_problem(exc)]) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise YamlProblems([Problem("", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()


def _check_graph(root: Node) -> list[Problem]:
    """Size as if aliases were expanded, cycles, depth and duplicate keys; nothing is expanded."""
    problems: list[Problem] = []
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise YamlProblems([Problem("", "an alias refers to itself (recursive structure)", _line(node))])
        if depth > MAX_DEPTH:
            raise YamlProblems([Problem("", f"the document is nested more than {MAX_DEPTH} levels deep", _line(node))])
        if isinstance(node, ScalarNode) and node.tag == INT_TAG and len(node.value) > MAX_NUMBER_LENGTH:
            message = f"a number of {len(node.value):,} characters; a number may have at most {MAX_NUMBER_LENGTH}"
            problems.append(Problem("", message, _line(node)))
        in_progress.add(key)
        total = 1
        for child in _children(node):
            total += size(child, depth + 1)
            if total > MAX_EXPANDED_NODES:
                message = (
                    f"the document would expand to more than {MAX_EXPANDED_NODES:,} values "
                    "(aliases referring to aliases: an alias bomb?)"
                )
                raise YamlProblems([Problem("", message, _line(node))])
        in_progress.discard(key)
        if isinstance(node, MappingNode):
            problems.extend(_duplicate_keys(node))
        sizes[key] = total
        return total

    size(root, 0)
    return problems


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _duplicate_keys(node: MappingNode) -> list[Problem]:
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for key_node, _ in node.value:
        if not isinstance(key_node, ScalarNode):
            continue
        key = (key_node.tag, key_node.value)
        line = _line(key_node)
        if key in seen:
            message = f'duplicate key "{key_node.value}" (first at line {seen[key]}); one of them would be lost'
            problems.append(Problem("", message, line))
        else:
            seen[key] = line
    return problems


def _record_lines(node: Node, path: Path, lines: dict[Path, int], depth: int) -> None:
    lines.setdefault(path, _line(node))
    if depth > MAX_DEPTH:
        return
    if isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            _record_lines(child, (*path, index), lines, depth + 1)
    elif isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                _record_lines(value_node, (*path, key_node.value), lines, depth + 1)


def _line(node: Node) -> int:
    return node.start_mark.line + 1
