"""``careerbot report``: what visitors asked that careerbot could not answer well, worst first.

From the question log, the questions careerbot refused, answered with low
confidence, or whose answer got a 👎 are grouped by similar wording (folded,
then compared with rapidfuzz), each group with its count, why it is listed and
one example; then the topics asked most. It tells a portal's editor which facts
to add to the knowledge base. Pure functions over logged rows, plus three
formatters (Markdown, CSV, HTML).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from .normalise import fold
from .questionlog import LoggedQuestion

__all__ = ["Report", "Group", "build_report", "parse_since", "FORMATS", "LOW_CONFIDENCE", "SIMILARITY"]

LOW_CONFIDENCE = 0.6
"""Answers below this confidence are listed (on the labelled sets, about 2 % of answers)."""
SIMILARITY = 85.0
"""rapidfuzz token-set ratio from which two wordings count as the same question."""
FORMATS = ("md", "csv", "html")

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_REASONS = {"refused": "refusée", "low": "confiance faible", "disliked": "👎"}


def parse_since(text: str) -> timedelta:
    """``7d``, ``24h``, ``30m``, ``2w`` (or a bare number of days) as a duration.

    >>> parse_since("7d"), parse_since("12h")
    (datetime.timedelta(days=7), datetime.timedelta(seconds=43200))
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw]?)\s*", text.lower())
    if not m:
        raise ValueError(f"'{text}' is not a duration; write e.g. 7d, 24h, 30m or 2w")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2) or "d"])


@dataclass
class Group:
    """Questions of similar wording that careerbot answered badly."""

    example: str
    """The most frequent wording."""
    count: int = 0
    refused: int = 0
    low: int = 0
    disliked: int = 0
    wordings: Counter = field(default_factory=Counter)
    comments: list[str] = field(default_factory=list)
    last: datetime | None = None

    @property
    def reasons(self) -> str:
        """Why the group is listed, with counts: ``refusée ×3, 👎 ×1``."""
        parts = [f"{_REASONS[k]} ×{getattr(self, k)}" for k in ("refused", "low", "disliked") if getattr(self, k)]
        return ", ".join(parts)


@dataclass
class Report:
    """A report over the questions asked between *since* and *until*."""

    since: datetime | None
    until: datetime
    total: int
    listed: int
    groups: list[Group]
    topics: list[tuple[str, int]]
    command: str = "careerbot report"


def _key(question: str) -> str:
    return " ".join(re.findall(r"\w+", fold(question)))


def _problems(q: LoggedQuestion, low: float) -> tuple[bool, bool, bool]:
    return q.fallback, (not q.fallback and q.confidence < low), q.useful is False


def group_questions(rows: Iterable[LoggedQuestion], *, low: float = LOW_CONFIDENCE,
                    similarity: float = SIMILARITY) -> list[Group]:
    """The badly answered questions of *rows*, grouped by similar wording, largest groups first."""
    groups: list[Group] = []
    leaders: list[str] = []          # the folded wording each group was started with
    by_key: dict[str, Group] = {}
    for q in rows:
        refused, low_conf, disliked = _problems(q, low)
        if not (refused or low_conf or disliked):
            continue
        key = _key(q.question) or q.question.strip().lower()
        group = by_key.get(key)
        if group is None:
            match = process.extractOne(key, leaders, scorer=fuzz.token_set_ratio, score_cutoff=similarity) \
                if leaders and key else None
            if match is not None:
                group = groups[match[2]]
            else:
                group = Group(example=q.question)
                groups.append(group)
                leaders.append(key)
            by_key[key] = group
        group.count += 1
        group.refused += refused
        group.low += low_conf
        group.disliked += disliked
        group.wordings[q.question.strip()] += 1
        if q.comment:
            group.comments.append(q.comment)
        if group.last is None or q.asked_at > group.last:
            group.last = q.asked_at
    for group in groups:
        group.example = group.wordings.most_common(1)[0][0]
    return sorted(groups, key=lambda g: (-g.count, -g.disliked, g.example))


def topic_counts(rows: Iterable[LoggedQuestion]) -> list[tuple[str, int]]:
    """How often each (role, topic) was asked among answered questions, most asked first."""
    counts: Counter = Counter()
    for q in rows:
        if q.fallback or q.intent in ("smalltalk", "empty"):
            continue
        topic = q.topic or q.intent
        counts[f"{q.role} · {topic}" if q.role else topic] += 1
    return counts.most_common()


def build_report(rows: Sequence[LoggedQuestion], *, since: datetime | None, until: datetime,
                 low: float = LOW_CONFIDENCE, command: str = "careerbot report") -> Report:
    """The report over *rows* (the questions asked from *since* to *until*)."""
    groups = group_questions(rows, low=low)
    return Report(since=since, until=until, total=len(rows), listed=sum(g.count for g in groups), groups=groups,
                  topics=topic_counts(rows), command=command)


# --- formats ----------------------------------------------------------------------------------------------------

def _when(d: datetime | None) -> str:
    return d.strftime("%Y-%m-%d %H:%M") if d else "le début"


def _md_cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").strip()


def format_md(report: Report, *, top: int = 30) -> str:
    """The report as Markdown: a heading, the groups table (worst first), the topics table."""
    lines = [f"# careerbot — questions à traiter ({_when(report.since)} → {_when(report.until)}, UTC)", "",
             f"{report.total} question(s) posée(s) ; {report.listed} refusée(s), peu sûre(s) ou jugée(s) "
             f"inutile(s), en {len(report.groups)} groupe(s).", ""]
    if report.groups:
        lines += ["| # | questions | pourquoi | exemple | formulations |", "|---|---|---|---|---|"]
        for i, g in enumerate(report.groups[:top], 1):
            lines.append(f"| {i} | {g.count} | {g.reasons} | {_md_cell(g.example)} | {len(g.wordings)} |")
        if len(report.groups) > top:
            lines.append(f"\n… et {len(report.groups) - top} autre(s) groupe(s) (--top pour en voir plus).")
    else:
        lines.append("Aucune question refusée, peu sûre ou jugée inutile sur la période.")
    lines += ["", "## Sujets les plus demandés", ""]
    if report.topics:
        lines += ["| sujet | questions |", "|---|---|"]
        lines += [f"| {_md_cell(label)} | {n} |" for label, n in report.topics[:top]]
    else:
        lines.append("Aucune question répondue sur la période.")
    lines += ["", f"Produit par : `{report.command}`"]
    return "\n".join(lines) + "\n"


def format_csv(report: Report, *, top: int | None = None) -> str:
    """The groups as CSV, one row per group (the topics are in the Markdown and HTML reports)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "count", "refused", "low_confidence", "disliked", "example", "wordings",
                     "last_asked", "comments"])
    for i, g in enumerate(report.groups[:top] if top else report.groups, 1):
        writer.writerow([i, g.count, g.refused, g.low, g.disliked, g.example, len(g.wordings),
                         _when(g.last), " | ".join(g.comments[:5])])
    return out.getvalue()


def format_html(report: Report, *, top: int = 30) -> str:
    """The report as one standalone HTML page (every logged text escaped)."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{i}</td><td>{g.count}</td><td>{e(g.reasons)}</td><td>{e(g.example)}</td>"
        f"<td>{len(g.wordings)}</td></tr>" for i, g in enumerate(report.groups[:top], 1))
    topics = "".join(f"<tr><td>{e(label)}</td><td>{n}</td></tr>" for label, n in report.topics[:top])
    title = f"careerbot — questions à traiter ({_when(report.since)} → {_when(report.until)}, UTC)"
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>body{{font:15px/1.45 system-ui,sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#1c2430}}
table{{border-collapse:collapse;width:100%;margin:12px 0}}th,td{{border:1px solid #dbe1ea;padding:6px 8px;
text-align:left;vertical-align:top;overflow-wrap:anywhere}}th{{background:#f0f3f7}}code{{background:#f0f3f7}}</style>
</head><body>
<h1>{e(title)}</h1>
<p>{report.total} question(s) posée(s) ; {report.listed} refusée(s), peu sûre(s) ou jugée(s) inutile(s),
en {len(report.groups)} groupe(s).</p>
<table><thead><tr><th>#</th><th>questions</th><th>pourquoi</th><th>exemple</th><th>formulations</th></tr></thead>
<tbody>{rows or '<tr><td colspan="5">Aucune question à traiter sur la période.</td></tr>'}</tbody></table>
<h2>Sujets les plus demandés</h2>
<table><thead><tr><th>sujet</th><th>questions</th></tr></thead>
<tbody>{topics or '<tr><td colspan="2">Aucune question répondue sur la période.</td></tr>'}</tbody></table>
<p>Produit par : <code>{e(report.command)}</code></p>
</body></html>
"""


FORMATTERS = {"md": format_md, "csv": format_csv, "html": format_html}
