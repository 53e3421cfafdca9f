"""A small document model rendered both as Markdown and as a self-contained HTML page.

A report is a list of blocks (headings, paragraphs, tables, figures, bullet lists,
preformatted text). :func:`to_markdown` links figures by relative path;
:func:`to_html` embeds them as base64 ``data:`` URIs, so the page needs no other file.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Union

__all__ = ["Heading", "Paragraph", "Table", "Figure", "BulletList", "Preformatted", "Block", "to_markdown", "to_html"]


@dataclass(frozen=True)
class Heading:
    """A section title (level 1-4)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Text with Markdown ``**bold**`` and ```code``` spans."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table of strings (the first row is the header)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """A PNG figure with a caption; ``path`` is relative to the report's directory."""

    path: str
    caption: str


@dataclass(frozen=True)
class BulletList:
    """Items of a bullet list (inline Markdown as in :class:`Paragraph`)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Preformatted:
    """Verbatim text (a command, a file excerpt)."""

    text: str


Block = Union[Heading, Paragraph, Table, Figure, BulletList, Preformatted]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: list[Block]) -> str:
    """The report as GitHub-flavoured Markdown."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append("#" * b.level + " " + b.text)
        elif isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
            out.append("|" + "|".join("---" for _ in b.header) + "|")
            out.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows)
        elif isinstance(b, Figure):
            out.append(f"![{b.caption}]({b.path})")
            out.append("")
            out.append(f"*{b.caption}*")
        elif isinstance(b, BulletList):
            out.extend(f"- {item}" for item in b.items)
        elif isinstance(b, Preformatted):
            out.append("```\n" + b.text.rstrip("\n") + "\n```")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _inline(text: str) -> str:
    """Escape HTML and turn ``**bold**`` and ```code``` into tags."""
    parts = re.split(r"(`[^`]+`)", text)
    out = []
    for p in parts:
        if len(p) > 1 and p.startswith("`") and p.endswith("`"):
            out.append(f"<code>{html.escape(p[1:-1])}</code>")
        else:
            e = html.escape(p)
            out.append(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", e))
    return "".join(out)


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{border-bottom:2px solid #444;padding-bottom:.2em}h2{border-bottom:1px solid #bbb;margin-top:1.8em}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#555}
code,pre{background:#f4f4f4;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
pre{padding:.6em;overflow-x:auto}code{padding:0 .2em}
""".strip()


def to_html(blocks: list[Block], directory: Path, title: str) -> str:
    """The report as one HTML page, figures embedded as base64 PNG data URIs.

    Args:
        blocks: The report.
        directory: The report's directory (figure paths are relative to it).
        title: Page title.
    """
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            body.append(f"<h{b.level}>{_inline(b.text)}</h{b.level}>")
        elif isinstance(b, Paragraph):
            body.append(f"<p>{_inline(b.text)}</p>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{_inline(h)}</th>" for h in b.header)
            rows = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in b.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(b, Figure):
            data = base64.b64encode((directory / b.path).read_bytes()).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(b.caption)}" src="data:image/png;base64,{data}">'
                        f"<figcaption>{_inline(b.caption)}</figcaption></figure>")
        elif isinstance(b, BulletList):
            body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Preformatted):
            body.append(f"<pre>{html.escape(b.text)}</pre>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
