"""The text of a career sheet saved from a browser (``.html``), as Markdown the sheet reader understands.

Standard library only (:mod:`html.parser`): headings become ``#`` lines, list
items ``-`` lines, paragraphs and table rows their own lines; scripts, styles,
navigation, footers, side bars and forms are left out. The page's ``<title>``
(or its first ``<h1>``) and its meta description become front matter.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_markdown", "looks_like_html"]

_SKIP = frozenset({"script", "style", "noscript", "nav", "footer", "aside", "form", "svg", "button", "iframe",
                   "template", "select", "head"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "br", "tr", "table", "ul", "ol", "dl",
                    "blockquote", "figure", "figcaption", "dt", "dd", "hr"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr"})
_TITLE_TAIL = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title = ""
        self.description = ""
        self.h1 = ""
        self.heading = 0
        self.buffer: list[str] = []
        self.lists = 0
        self.prefix = ""

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
        self.buffer = []
        prefix, self.prefix = self.prefix, ""
        if not text:
            return
        text = prefix + text
        if self.heading:
            if self.heading == 1 and not self.h1:
                self.h1 = text
            self.out.append(f"\n{'#' * self.heading} {text}\n")
        else:
            self.out.append(text)

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            values = dict(attrs)
            if (values.get("name") or values.get("property") or "").lower() in ("description", "og:description"):
                self.description = self.description or (values.get("content") or "").strip()
            return
        if tag == "title":
            self.in_title = True
            return
        if tag in _SKIP and tag not in _VOID:
            self.skip += 1
            return
        if self.skip:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.flush()
            self.heading = int(tag[1])
        elif tag == "li":
            self.flush()
            self.prefix = "  " * max(self.lists - 1, 0) + "- "
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists += 1
        elif tag in _BLOCK:
            self.flush()
            if tag in ("p", "div", "section", "article", "table") and self.out and self.out[-1] != "":
                self.out.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            return
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.flush()
            self.heading = 0
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists = max(0, self.lists - 1)
            self.out.append("")
        elif tag in _BLOCK or tag == "li":
            self.flush()
            if tag in ("p", "table"):
                self.out.append("")
        elif tag in ("td", "th"):
            self.buffer.append(" ")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skip:
            self.buffer.append(data)


def looks_like_html(text: str) -> bool:
    """Whether *text* is an HTML page rather than plain text or Markdown."""
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def html_to_markdown(text: str) -> str:
    """The page's readable text as Markdown with front matter (``title``, ``description``).

    Examples
    --------
    >>> print(html_to_markdown("<html><head><title>Sales Ops | Site</title></head><body><nav>Menu</nav>"
    ...                        "<h1>Sales Ops</h1><p>Il outille l'équipe.</p><ul><li>CRM</li></ul></body></html>"))
    ---
    title: Sales Ops
    ---
    <BLANKLINE>
    # Sales Ops
    <BLANKLINE>
    Il outille l'équipe.
    <BLANKLINE>
    - CRM
    """
    parser = _Text()
    parser.feed(text)
    parser.close()
    parser.flush()
    title = parser.h1 or _TITLE_TAIL.sub("", re.sub(r"\s+", " ", parser.title).strip())
    meta = [f"title: {title}"] if title else []
    if parser.description:
        meta.append(f"description: {parser.description}")
    body = "\n".join(parser.out)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    front = "---\n" + "\n".join(meta) + "\n---\n\n" if meta else ""
    return front + body
