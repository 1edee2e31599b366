"""YAML that remembers where things were, so pack errors can say ``file:line``.

PyYAML's composed nodes carry start marks; mappings and sequences built here keep the line of
every key and item. Duplicate keys are refused (PyYAML would silently keep the last one,
and a rule written twice with different values is exactly the mistake to catch).
"""

from __future__ import annotations

from typing import Any

import yaml

from kiosk.eligibility.errors import PackError, Problem

__all__ = ["LineDict", "LineList", "load_yaml"]


class LineDict(dict[Any, Any]):
    """A mapping plus the line of itself (``line``) and of each key (``lines``)."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line) if hasattr(self, "lines") else self.line


class LineList(list[Any]):
    """A sequence plus the line of itself and of each item."""

    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[index] if index < len(lines) else self.line


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


# libyaml's parser when present (about 5x faster); construction stays in Python either way.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        try:
            hash(key)
        except TypeError:
            raise _DuplicateKey(None, None, "a mapping key must be a plain value",
                                key_node.start_mark) from None
        if key in result:
            raise _DuplicateKey(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True)  # type: ignore[no-untyped-call]
                      for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(text: str, filename: str) -> Any:
    """One YAML document with line information; :class:`PackError` naming file and line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problem_line = exc.problem_mark.line + 1 if exc.problem_mark else None
        context_line = exc.context_mark.line + 1 if exc.context_mark else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        # an unclosed quote or bracket is found at the end of the file; its start is the
        # line to fix
        line: int | None = problem_line
        if context_line and (problem_line is None or "end of stream" in message):
            line = context_line
        elif context_line and context_line != problem_line:
            message += f" (started at line {context_line})"
        raise PackError([Problem(filename, line, f"YAML: {message or 'cannot parse'}")]) \
            from None
    except yaml.YAMLError as exc:
        raise PackError([Problem(filename, None, f"YAML: {exc}")]) from None
