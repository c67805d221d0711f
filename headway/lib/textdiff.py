"""Word-level differences between two versions of a text, field by field.

Readers compare versions of a document (a charter, an agreement) in prose, so changes
are shown as whole words removed and inserted rather than as changed lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "inserted", "removed"]

# Words and the runs of whitespace between them, so joining the tokens gives the text back.
_TOKENS = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def diff_words(old: str, new: str) -> list[Segment]:
    """The segments that turn ``old`` into ``new``: equal, removed and inserted words."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    opcodes = SequenceMatcher(str.isspace, a, b, autojunk=False).get_opcodes()
    segments: list[Segment] = []
    removed: list[str] = []
    inserted: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between_changes and "".join(a[i1:i2]).isspace()):
            _flush(segments, removed, inserted)
            _append(segments, "equal", "".join(a[i1:i2]))
        else:
            # A lone space between two changes reads better as part of one change.
            removed += a[i1:i2]
            inserted += b[j1:j2]
    _flush(segments, removed, inserted)
    return segments


def diff_fields(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, list[Segment]]:
    """``diff_words`` for every field of ``new`` (a field missing from ``old`` is empty there)."""
    return {name: diff_words(old.get(name, ""), text) for name, text in new.items()}


def is_changed(segments: list[Segment]) -> bool:
    return any(segment.op != "equal" for segment in segments)


def _flush(segments: list[Segment], removed: list[str], inserted: list[str]) -> None:
    old, new = "".join(removed), "".join(inserted)
    if (old + new).isspace():
        # Changed spacing alone is invisible to a reader: not worth flagging.
        _append(segments, "equal", new)
    else:
        _append(segments, "removed", old)
        _append(segments, "inserted", new)
    removed.clear()
    inserted.clear()


def _append(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))
