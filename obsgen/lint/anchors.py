"""Markdown headings and links, and the anchors GitHub gives headings.

The slug rules are github-slugger's (what github.com renders), written here rather than
taken from obsgen.compile.links, so the handbook compiler's anchors are checked, not
trusted.
"""

from __future__ import annotations

import re
import unicodedata

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
HTML_ANCHOR = re.compile(r"""<a\s[^>]*?\b(?:name|id)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
INLINE_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK_TEXT = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAGS = re.compile(r"<[^>]+>")


def slug(heading: str) -> str:
    """github-slugger: lower case, punctuation dropped, spaces to hyphens."""
    text = _TAGS.sub("", _LINK_TEXT.sub(r"\1", heading)).lower()
    text = "".join(ch for ch in text if ch.isalnum() or ch in "_- " or _is_mark(ch))
    return text.replace(" ", "-")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _lines_outside_code(text: str):
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def headings(text: str) -> list[tuple[int, str]]:
    """(line, text) of every ATX and setext heading outside code blocks."""
    found: list[tuple[int, str]] = []
    previous: tuple[int, str] | None = None
    for number, line in _lines_outside_code(text):
        atx = ATX_HEADING.match(line)
        if atx:
            found.append((number, atx.group(2)))
            previous = None
            continue
        if previous and SETEXT_UNDERLINE.match(line) and previous[1].strip() and not previous[1].lstrip().startswith(("|", "-", "*", ">")):
            found.append(previous)
            previous = None
            continue
        previous = (number, line)
    return found


def anchors(text: str) -> set[str]:
    """Every anchor a link may name: heading slugs (repeats get -1, -2, ...) and <a name/id>."""
    seen: dict[str, int] = {}
    result: set[str] = set()
    for _, heading in headings(text):
        base = slug(heading)
        candidate = base
        while candidate in seen:
            seen[base] += 1
            candidate = f"{base}-{seen[base]}"
        seen.setdefault(candidate, 0)
        result.add(candidate)
    result.update(HTML_ANCHOR.findall(text))
    return result


def links(text: str) -> list[tuple[int, str]]:
    """(line, target) of every inline link and image outside code blocks."""
    found = []
    for number, line in _lines_outside_code(text):
        stripped = re.sub(r"`[^`]*`", "", line)
        found += [(number, m.group(2)) for m in INLINE_LINK.finditer(stripped) if m.group(2)]
    return found
