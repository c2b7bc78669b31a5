"""Turn career sheets (``.txt``, ``.md``) into question/answer pairs in the knowledge format (``careerbot ingest``).

:func:`extract_pairs` reads the text of one document and returns its pairs and
what it left out, without touching files; :func:`write_pairs` merges pairs
into a knowledge folder (``sources.toml`` + ``extracted.toml``) that
``Bot.load(extra=[folder])`` answers from.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from .errors import BatchFileError, KnowledgeError
from .htmltext import html_to_markdown, looks_like_html
from .normalise import fold
from .paths import bundled
from .tomlfile import Table, read_toml, to_toml

__all__ = [
    "Pair",
    "Extraction",
    "IngestRules",
    "load_ingest_rules",
    "DOCUMENT_SUFFIXES",
    "extract_pairs",
    "collect_documents",
    "read_document",
    "write_pairs",
    "format_report",
    "to_toml",
]

DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm")

# ---------------------------------------------------------------------- what is not content
@dataclass(frozen=True)
class IngestRules:
    """The word lists that tell content from page furniture (``intents/ingest.toml``)."""

    furniture: tuple[tuple[str, str], ...]
    """``(folded line prefix, reason)``: such a line and the text under it are dropped."""
    category_labels: frozenset[str]
    """Lone category labels above a sheet's title ("Métier")."""
    definition_lines: tuple[str, ...]
    """Starts of lines that belong to the definition ("Aussi appelé")."""
    card_questions: dict
    """Folded header-card label -> the question it answers."""
    faq_labels: tuple[str, ...] = ()
    summary_headings: tuple[str, ...] = ()
    """Folded starts of headings over a summary ("Points clés"): each of its facts is placed by its own cues."""
    """Folded headings that open a block of questions and answers ("Questions fréquentes")."""
    alias_lines: tuple[str, ...] = ()
    """Folded starts of lines that give other names of the role ("Aussi appelé")."""
    alias_inline: tuple[str, ...] = ()
    """Folded phrases inside a sentence after which other names of the role follow ("aussi appelé")."""
    alias_headings: tuple[str, ...] = ()
    alias_heads: tuple[str, ...] = ()
    """Folded job nouns that head a French job title ("responsable", "directeur"): another head before an
    alias's complement, in the definition, is another name of the role ("directeur de compte")."""
    """Folded starts of definition headings whose rest names the role ("qu'est-ce qu'un")."""
    card_headings: tuple[str, ...] = ()
    illustrative_topics: frozenset[str] = frozenset()
    """Topics whose facts tell one case ("example"): never copied to another topic by its fact cues."""
    """Folded headings of a job card ("Le métier en bref"): a label, not a section."""
    topics: tuple[TopicCues, ...] = ()
    """How a section is placed in a role topic, in ``intents/ingest.toml`` order."""
    content_min: int = 2
    """Distinct content cues a section needs to be placed without a heading cue."""
    figure_cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Salary sentences: folded words naming an amount's slot (``fixed``…), level (``junior``…), pay basis."""
    countries: Mapping[str, str] = field(default_factory=dict)
    """Folded place words -> the country a salary figure is for."""
    abbreviated_heads: tuple[str, ...] = ()
    """Folded last words of English job titles known by their initials ("manager": Account Manager -> AM)."""
    not_abbreviations: frozenset[str] = frozenset()
    """Folded ordinary words that initials must not spell ("is", "on")."""


@dataclass(frozen=True)
class TopicCues:
    """The folded cues that place a sheet's section in one role topic."""

    id: str
    heading: tuple[str, ...]
    content: tuple[str, ...]
    facts: tuple[str, ...] = ()
    """A fact holding one of these is also copied to this topic."""


def load_ingest_rules(path: str | Path | None = None) -> IngestRules:
    """Read *path* (default: the bundled ``intents/ingest.toml``).

    Raises
    ------
    KnowledgeError
        When the file is missing or malformed, naming the entry and the fix.
    """
    path = Path(path) if path is not None else bundled("intents", "topics.toml") / "ingest.toml"
    doc = Table(read_toml(path), path, None)
    furniture = []
    for i, raw in enumerate(doc.tables("furniture")):
        t = Table(raw, path, f"furniture #{i + 1}")
        furniture.append((fold(t.str("prefix")), t.str("reason")))
        t.done()
    cards = doc.table("card_questions")
    for label, question in cards.items():
        if not isinstance(question, str) or not question.strip():
            raise KnowledgeError(path, f"card_questions.{label}", "a card question must be a non-empty string",
                                 f'write "{label}" = "Quelle … ?"')
    topics = []
    for i, raw in enumerate(doc.tables("topic")):
        t = Table(raw, path, f"topic #{i + 1}")
        topics.append(TopicCues(t.str("id"), tuple(fold(x) for x in t.strs("heading_cues", min_items=1)),
                                tuple(fold(x) for x in t.strs("content_cues")),
                                tuple(fold(x) for x in t.strs("fact_cues"))))
        t.done()
    content_min = doc.number("content_min")
    figure_cues = {}
    for key, words in doc.table("figures").items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise KnowledgeError(path, f"figures.{key}", "must be a list of words", f'write {key} = ["…"]')
        figure_cues[key] = tuple(fold(w).strip() for w in words)
    countries = doc.table("countries")
    for word, country in countries.items():
        if not isinstance(country, str) or not country.strip():
            raise KnowledgeError(path, f"countries.{word}", "a country must be a non-empty string",
                                 f'write "{word}" = "France"')
    abbreviation = Table(doc.table("abbreviation"), path, "abbreviation")
    heads, ordinary = abbreviation.strs("heads"), abbreviation.strs("ordinary_words")
    abbreviation.done()
    rules = IngestRules(
        furniture=tuple(furniture),
        category_labels=frozenset(fold(x) for x in doc.strs("category_labels")),
        definition_lines=tuple(fold(x) for x in doc.strs("definition_lines")),
        card_questions={fold(k).strip(): v.strip() for k, v in cards.items()},
        faq_labels=tuple(fold(x) for x in doc.strs("faq_labels")),
        summary_headings=tuple(fold(x) for x in doc.strs("summary_headings")),
        alias_lines=tuple(fold(x) for x in doc.strs("alias_lines")),
        card_headings=tuple(fold(x) for x in doc.strs("card_headings")),
        illustrative_topics=frozenset(doc.strs("illustrative_topics")),
        alias_headings=tuple(fold(x) for x in doc.strs("alias_headings")),
        alias_inline=tuple(fold(x) for x in doc.strs("alias_inline")),
        alias_heads=tuple(fold(x) for x in doc.strs("alias_heads")),
        topics=tuple(topics),
        content_min=int(content_min) if content_min else 2,
        figure_cues=figure_cues,
        countries={fold(k).strip(): v.strip() for k, v in countries.items()},
        abbreviated_heads=tuple(fold(x).strip() for x in heads),
        not_abbreviations=frozenset(fold(x).strip() for x in ordinary),
    )
    doc.done()
    return rules


# ---------------------------------------------------------------------- line shapes
_BULLET = re.compile(r"^([•·▪◦‣●○■□➢➤►–—*+-]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BOLD_LINE = re.compile(r"^(\*\*|__)(.+?)\1:?$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]+")
_TERMINAL = ".,;:!…"
# A bullet whose bold title was glued to its text when the page was saved:
# "TerritoiresL'Account Executive travaille…". Only a few French sentence openings
# count, so that brand names (PowerPoint, LinkedIn) are left alone.
_GLUED = re.compile(r"^(.{3,80}?[a-zà-ÿ])((?:[LD]['’]|(?:La|Le|Les|Un|Une|Des|Il|Elle|Ils|Sa|Son|Ses|Ce|Cet|Cette) )\S)")
_TITLE_NOISE = (re.compile(r"\s*\([^)]*\)"),
                re.compile(r"\s*[:—–-]\s*(d[ée]finition|fiche m[ée]tier)\s*$", re.I),
                re.compile(r"^\s*fiche m[ée]tier\s*[:—–-]\s*", re.I),
                re.compile(r"^\s*(?:(?:le|la|les|un|une)\s+)?(?:m[ée]tier|poste|fonction)\s+(?:de\s+|d['’])", re.I),
                re.compile(r"^\s*(?:(?:le|la|les|un|une)\s+|l['’])", re.I))

_MAX_HEADING_WORDS = 10
_MAX_HEADING_CHARS = 80
_MAX_QUESTION_WORDS = 30


@dataclass(frozen=True)
class Pair:
    """One question/answer pair taken from a document."""

    question: str
    """The question as the document asks it, or one built from a heading or card label."""
    answer: str
    """The text under the heading, one paragraph or bullet per line."""
    heading_kind: str
    """``question`` (a heading that is a question), ``heading`` (a section title),
    ``title`` (the document's title and the text under it), ``description`` (front
    matter) or ``card`` (a header card such as "Salaire moyen")."""
    heading: str = ""
    """The heading as written (the entry's title); the question when empty."""
    variants: tuple[str, ...] = ()
    """Other phrasings: the heading itself when the question was built, the heading with the document's subject."""
    faq: bool = False
    """A question of a "Questions fréquentes" block (not a section heading of the sheet)."""

    @property
    def title(self) -> str:
        """The heading as written."""
        return self.heading or self.question

    @property
    def questions(self) -> tuple[str, ...]:
        """The question and its variants, without repeats."""
        return tuple(dict.fromkeys((self.question, *self.variants)))


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract_pairs` found in one document."""

    name: str
    """The document's file name (``005_sales_ops.md``); pairs cite it as their source."""
    title: str
    """The document's title (front matter, first line or file name)."""
    pairs: tuple[Pair, ...]
    skipped: tuple[tuple[str, str], ...]
    """``(heading or line, reason)`` for every heading and line left out."""


@dataclass
class _Unit:
    """A paragraph, bullet or heading of the document, cleaned of markup."""

    text: str
    indent: int = 0
    bullet: bool = False
    level: int = 0          # markdown heading level, 0 if none
    card: str = ""          # "label" / "value" once recognised as a header card


# ====================================================================== reading text
def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---``-delimited front matter (``key: value`` lines) from the body."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep and key.strip() and not key.startswith((" ", "\t")):
                    meta[key.strip().lower()] = value.strip().strip("'\"").strip()
            return meta, "\n".join(lines[end + 1:])
    return {}, text


def _clean_inline(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _HTML_TAG.sub("", text)
    text = text.replace("`", "")
    return _SPACES.sub(" ", text).strip()


def _units(body: str, markdown: bool) -> list[_Unit]:
    """Cut *body* into units: one per line in plain text, one per paragraph in Markdown."""
    units: list[_Unit] = []
    joinable = False        # Markdown: the previous line may continue on this one
    for raw in body.split("\n"):
        raw = raw.rstrip()
        stripped = raw.lstrip()
        indent = len(raw) - len(stripped)
        if markdown and stripped.startswith(">"):
            stripped = stripped.lstrip("> ").strip()
        if not stripped:
            joinable = False
            continue
        level = 0
        bullet = False
        if markdown and (m := _MD_HEADING.match(stripped)):
            level, stripped = len(m.group(1)), m.group(2)
        elif markdown and (m := _MD_BOLD_LINE.match(stripped)):
            level, stripped = 6, m.group(2)
        elif m := _BULLET.match(stripped):
            bullet, stripped = True, stripped[m.end():]
        text = _clean_inline(stripped)
        if not text:
            joinable = False
            continue
        if markdown and joinable and not level and not bullet:
            units[-1].text += " " + text
            continue
        units.append(_Unit(text, indent, bullet, level))
        joinable = markdown and not level
    return units


# ====================================================================== line classification
def _words(text: str) -> int:
    return len(text.split())


def _furniture(unit: _Unit, rules: IngestRules) -> str | None:
    key = fold(unit.text)
    for prefix, reason in rules.furniture:
        if key.startswith(prefix):
            return reason
    return None


def _is_category(unit: _Unit, rules: IngestRules) -> bool:
    return fold(unit.text).strip(" :") in rules.category_labels


def _is_question(unit: _Unit) -> bool:
    text = unit.text
    return (text.endswith("?") and _words(text) <= _MAX_QUESTION_WORDS
            and (text[0].isupper() or text[0].isdigit() or unit.level > 0))


def _is_short_title(unit: _Unit, rules: IngestRules) -> bool:
    """A line that could be a section title: short, capitalised, no closing punctuation, no "label : value"."""
    text = unit.text
    return (not unit.bullet and unit.indent == 0 and text[0].isupper()
            and _words(text) <= _MAX_HEADING_WORDS and len(text) <= _MAX_HEADING_CHARS
            and text[-1] not in _TERMINAL + "?" and " : " not in text
            and not fold(text).startswith(rules.definition_lines))


def _is_card_label(unit: _Unit) -> bool:
    text = unit.text
    return (not unit.bullet and not unit.level and text[0].isupper() and _words(text) <= 5
            and len(text) <= 40 and text[-1] not in _TERMINAL + "?")


def _is_card_value(unit: _Unit) -> bool:
    text = unit.text
    return not unit.bullet and not unit.level and len(text) <= 25 and _words(text) <= 4 and text[-1] not in ".?:"


def _mark_cards(units: list[_Unit], rules: IngestRules) -> None:
    """Mark header cards: two or more label/value lines in a row, or one after a "… :" line."""
    i = 0
    while i < len(units) - 1:
        j = i
        while j + 1 < len(units) and _is_card_label(units[j]) and _is_card_value(units[j + 1]) \
                and not _furniture(units[j], rules) and not _is_category(units[j], rules):
            j += 2
        run = (j - i) // 2
        if run >= 2 or (run == 1 and i > 0 and units[i - 1].text.endswith(":")):
            for k in range(i, j, 2):
                units[k].card, units[k + 1].card = "label", "value"
            i = j
        else:
            i += 1


def _subject(title: str) -> str:
    """What a document is about, from its title.

    "Account Executive (Responsable de Comptes) : Définition" → "Account Executive".
    """
    for pattern in _TITLE_NOISE:
        title = pattern.sub("", title)
    return title.strip(" :-—–")


def _stem_title(name: str) -> str:
    """A title from a file name: "sales_ops-fiche.md" → "sales ops fiche"."""
    return re.sub(r"[_\-\s]+", " ", Path(name).stem).strip() or name


def _unglue(text: str) -> str:
    return _GLUED.sub(r"\1 : \2", text, count=1)


# ====================================================================== sections
class _Section:
    def __init__(self, heading: str, kind: str):
        self.heading = heading
        self.kind = kind
        self.lines: list[_Unit] = []


class _Extractor:
    """Walks a document's units once, building sections and pairs."""

    def __init__(self, name: str, meta: dict[str, str], units: list[_Unit], markdown: bool, rules: IngestRules):
        self.rules = rules
        self.name = name
        self.meta = meta
        self.units = units
        self.markdown = markdown
        self.pairs: list[Pair] = []
        self.skipped: list[tuple[str, str]] = []
        self.title = meta.get("title", "")
        self.subject = ""
        self.current: _Section | None = None
        self.in_furniture = False
        self.furniture_at = 0       # index in skipped of the furniture heading being dropped
        self.dropped = 0            # lines dropped under it so far
        self.in_faq = False         # inside a "Questions fréquentes" block

    # -- what kind of unit is this
    def heading_kind(self, i: int) -> str | None:
        """``question`` / ``heading`` when unit *i* starts a section, ``empty`` when it titles nothing, else None."""
        unit = self.units[i]
        nxt = self.units[i + 1] if i + 1 < len(self.units) else None
        if unit.bullet and not _is_question(unit):
            return None
        if _is_question(unit):
            return "question"
        if unit.level:
            return "heading"
        if self.markdown or not _is_short_title(unit, self.rules):
            return None
        if nxt is None or nxt.card or self.starts_section(i + 1):
            return "empty"
        if nxt.bullet or not (nxt.text[0].isupper() or nxt.text[0].isdigit() or nxt.text[0] in "«\"'’("):
            # A label over a list ("Hard skills…") or a line that goes on below: part of the text.
            return None
        return "heading"

    def starts_section(self, i: int) -> bool:
        unit = self.units[i]
        return bool(_furniture(unit, self.rules)) or _is_question(unit) or unit.level > 0

    # -- walking
    def run(self) -> Extraction:
        _mark_cards(self.units, self.rules)
        first = True
        for i, unit in enumerate(self.units):
            reason = _furniture(unit, self.rules)
            if self.in_furniture and not self.ends_furniture(i) and not (reason and _is_short_title(unit, self.rules)):
                self.dropped += 1           # the links or advert text under a furniture heading
                continue
            if reason:
                self.close()
                self.end_furniture()
                self.skipped.append((unit.text, reason))
                self.in_furniture, self.furniture_at = True, len(self.skipped) - 1
                continue
            if _is_category(unit, self.rules) and _words(unit.text) <= 2:
                self.skipped.append((unit.text, "category label"))
                continue
            if unit.card == "label":
                self.card(unit.text, self.units[i + 1].text)
                continue
            if unit.card == "value":
                continue
            if unit.text.endswith(":") and i + 1 < len(self.units) and self.units[i + 1].card:
                self.skipped.append((unit.text, "label of the header cards"))
                continue
            if first:
                first = False
                if self.is_title(unit):
                    self.open(unit.text, "title")
                    continue
            kind = self.heading_kind(i)
            if kind == "empty":
                self.close()
                self.in_faq = fold(unit.text).strip(" :?").startswith(self.rules.faq_labels or ("questions frequentes",))
                follows = i + 1 < len(self.units) and _is_question(self.units[i + 1])
                self.skipped.append((unit.text, "section label: the questions under it are extracted one by one"
                                     if follows else "empty heading: no text under it"))
                continue
            if kind is not None:
                self.open(unit.text, kind)
                continue
            if self.current is None:
                # Text before any heading: the definition of whatever the document is about.
                self.open(self.title or _stem_title(self.name), "title")
            assert self.current is not None  # opened just above
            self.current.lines.append(unit)
        self.close()
        self.end_furniture()
        if not self.title:
            self.title = _stem_title(self.name)
        if self.meta.get("description") and not any(p.heading_kind in ("title", "description") for p in self.pairs):
            # Front matter with no title heading: its description still defines the subject.
            self.subject = self.subject or _subject(self.title)
            self.pairs.insert(0, self.pair(self.title, "description", self.meta["description"]))
        return Extraction(self.name, self.title, tuple(self.pairs), tuple(self.skipped))

    def is_title(self, unit: _Unit) -> bool:
        """The document's first heading or line is its title (and what follows, its definition)."""
        if _is_question(unit):
            return False
        if self.markdown:
            if unit.level != 1:
                return False
        elif unit.bullet or _words(unit.text) > 12 or len(unit.text) > 100 or unit.text[-1] in ".?!":
            return False
        if not self.title:
            self.title = unit.text
        self.subject = self.subject or _subject(self.title)
        return True

    def ends_furniture(self, i: int) -> bool:
        """Whether unit *i* is a real heading after furniture (related-term links are short title-like lines)."""
        unit = self.units[i]
        if _is_question(unit) or unit.level:
            return True
        nxt = self.units[i + 1] if i + 1 < len(self.units) else None
        return self.heading_kind(i) == "heading" and nxt is not None and _words(nxt.text) >= 8

    def end_furniture(self) -> None:
        if self.in_furniture and self.dropped:
            heading, reason = self.skipped[self.furniture_at]
            lines = f"{self.dropped} line{'s' if self.dropped != 1 else ''}"
            self.skipped[self.furniture_at] = (heading, f"{reason} (with the {lines} under it)")
        self.in_furniture, self.dropped = False, 0

    def open(self, heading: str, kind: str) -> None:
        self.close()
        self.end_furniture()
        if fold(heading).strip(" :?").startswith(self.rules.faq_labels or ("questions frequentes",)):
            self.in_faq = True
        elif kind != "question":
            self.in_faq = False
        if not self.subject:
            self.subject = _subject(self.title or _stem_title(self.name))
        self.current = _Section(heading, kind)

    def close(self) -> None:
        section, self.current = self.current, None
        if section is None:
            return
        lines = section.lines
        # "The courses that lead there are:" with the list cut off: an advert's remains.
        while lines and not lines[-1].bullet and lines[-1].text.endswith(":"):
            self.skipped.append((lines.pop().text, "list introduction with no list after it"))
        answer = self.answer(lines)
        kind = section.kind
        if not answer and kind == "title" and self.meta.get("description"):
            answer, kind = self.meta["description"], "description"
        if not answer:
            self.skipped.append((section.heading, "empty heading: no text under it"))
            return
        self.pairs.append(self.pair(section.heading, kind, answer))

    @staticmethod
    def answer(lines: Sequence[_Unit]) -> str:
        out = []
        indents: list[int] = []
        for unit in lines:
            if unit.bullet:
                while indents and unit.indent < indents[-1]:
                    indents.pop()
                if not indents or unit.indent > indents[-1]:
                    indents.append(unit.indent)
                out.append(f"{'  ' * (len(indents) - 1)}- {_unglue(unit.text)}")
            elif indents and unit.indent > indents[0]:
                # An indented paragraph under a bullet goes on with that bullet.
                out.append(f"{'  ' * len(indents)}{unit.text}")
            else:
                indents.clear()
                out.append(unit.text)
        return "\n".join(out)

    def with_subject(self, text: str) -> tuple[str, ...]:
        if self.subject and fold(self.subject) not in fold(text):
            return (f"{self.subject} : {text}",)
        return ()

    def pair(self, heading: str, kind: str, answer: str) -> Pair:
        if kind == "question":
            return Pair(heading, answer, kind, heading, self.with_subject(heading), faq=self.in_faq)
        if kind in ("title", "description"):
            subject = self.subject or _subject(heading)
            return Pair(f"Qu'est-ce qu'un {subject} ?", answer, kind, heading,
                        (heading, f"{subject} : définition"))
        return Pair(heading, answer, kind, heading, self.with_subject(heading))

    def card(self, label: str, value: str) -> None:
        question = self.rules.card_questions.get(fold(label).strip(), f"{label} ?")
        self.pairs.append(Pair(question, value, "card", label, (label, *self.with_subject(label))))


def extract_pairs(text: str, name: str, *, rules: IngestRules | None = None) -> Extraction:
    """The question/answer pairs of one career sheet, and what was left out.

    Parameters
    ----------
    text : str
        The document: Markdown (front matter, ``#`` headings) or plain text whose
        headings are questions or short title lines.
    name : str
        Its file name, cited as the source of every pair.
    rules : IngestRules, keyword-only, optional
        What counts as furniture, category labels and cards (default: ``intents/ingest.toml``).

    Returns
    -------
    Extraction
        Pairs in document order: the title and its definition, header cards,
        then one pair per heading (the text under it, up to the next heading or
        question); ``skipped`` says which headings and lines were left out and why.

    Examples
    --------
    >>> sheet = "Sales Ops\\nLe Sales Ops outille l'équipe commerciale.\\nQuelles sont ses missions ?\\nLe CRM."
    >>> [(p.question, p.answer) for p in extract_pairs(sheet, "sales-ops.txt").pairs]
    [("Qu'est-ce qu'un Sales Ops ?", "Le Sales Ops outille l'équipe commerciale."), ('Quelles sont ses missions ?', 'Le CRM.')]
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if name.lower().endswith((".html", ".htm")) or looks_like_html(text):
        text = html_to_markdown(text)
    text = html.unescape(_INVISIBLE.sub("", text))
    meta, body = _front_matter(text)
    markdown = bool(meta) or name.lower().endswith(".md") or any(
        _MD_HEADING.match(line.lstrip()) for line in body.split("\n"))
    meta = {k: _clean_inline(v) for k, v in meta.items()}
    return _Extractor(name, meta, _units(body, markdown), markdown, rules or load_ingest_rules()).run()


# ====================================================================== files
def collect_documents(paths: Iterable[str | Path]) -> list[Path]:
    """The documents to ingest: each file given, and the ``.txt`` / ``.md`` files of each folder given.

    Raises
    ------
    BatchFileError
        For a path that does not exist, a file of another type, or two documents with the same name.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
            if not inside:
                raise BatchFileError(f"{path}: no .txt, .md or .html document in this folder")
            found.extend(inside)
        elif not path.exists():
            raise BatchFileError(f"{path}: file not found")
        elif path.suffix.lower() not in DOCUMENT_SUFFIXES:
            raise BatchFileError(f"{path}: only .txt, .md and .html documents can be ingested")
        else:
            found.append(path)
    seen: dict[str, Path] = {}
    for path in found:
        other = seen.setdefault(path.name, path)
        if other != path:
            raise BatchFileError(f"{path}: another document has the same name ({other}); "
                                 "pairs cite their source by file name, so rename one of them")
    return found


def read_document(path: str | Path) -> str:
    """The text of a document (UTF-8, with or without a BOM).

    Raises
    ------
    BatchFileError
        When the file cannot be read or is not UTF-8 text.
    """
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BatchFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise BatchFileError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise BatchFileError(f"{path}: cannot be read ({exc.strerror})") from None


# ---------------------------------------------------------------------- the extracted folder
_HEADER = ("# Written by `careerbot ingest`: {what}.\n"
           "# Re-ingesting a document replaces its pairs here; hand edits to them are then lost.\n")


def make_folder(into: Path) -> None:
    """Create the folder ingested knowledge is written to (and its parents), or say why it cannot be."""
    try:
        into.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchFileError(f"{into}: cannot create the folder ({exc.strerror})") from None


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-")


def _entries(extraction: Extraction, prefix: str) -> list[dict]:
    rows = []
    for n, pair in enumerate(extraction.pairs, 1):
        rows.append({
            "id": f"{prefix}-{n:02d}-{_slug(pair.title, 30) or 'pair'}",
            "title": pair.title,
            "questions": list(pair.questions),
            "answer": pair.answer,
            "sources": [extraction.name],
        })
    return rows


def _read_existing(into: Path) -> tuple[list[dict], list[dict]]:
    sources = read_toml(into / "sources.toml").get("source", []) if (into / "sources.toml").is_file() else []
    entries = read_toml(into / "extracted.toml").get("entry", []) if (into / "extracted.toml").is_file() else []
    for what, rows in (("sources.toml", sources), ("extracted.toml", entries)):
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise KnowledgeError(into / what, None, "not an array of tables",
                                 "restore the file careerbot ingest wrote, or delete it and ingest again")
    return sources, entries


def _write_file(path: Path, text: str) -> None:
    """Write *text* to a temporary file beside *path*, then rename it over *path*."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private; give it the permissions an ordinary file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _render(name: str, rows: list[dict], what: str) -> str:
    try:
        text = to_toml({name: rows}, header=_HEADER.format(what=what))
    except TypeError as exc:    # a hand-edited file holding a table or a date
        raise BatchFileError(f"{name}: {exc}; restore the file careerbot ingest wrote, or delete it") from None
    # A writer bug must not reach the bot: read the text back before it is used.
    if tomllib.loads(text).get(name, []) != rows:
        raise BatchFileError(f"{name}: the TOML written does not read back as written (a careerbot bug)")
    return text


def write_pairs(extractions: Sequence[Extraction], into: str | Path, *,
                check: Callable[[Path], object] | None = None) -> Path:
    """Merge the pairs of *extractions* into the knowledge folder *into*; returns the folder.

    Pairs already in the folder from other documents are kept; a document ingested
    again has its pairs replaced (and a document with no pair is removed). The
    folder's ``sources.toml`` and ``extracted.toml`` are replaced by renames, in an
    order that leaves a loadable folder at every moment.

    Parameters
    ----------
    extractions : sequence of Extraction
    into : str or Path
        Created if needed.
    check : callable, keyword-only, optional
        Called with a folder holding the merged files before they replace the
        old ones (e.g. a loader); an exception it raises leaves *into* untouched.

    Raises
    ------
    KnowledgeError
        When the files already in *into* cannot be read.
    BatchFileError
        When two documents would give the same entry ids, or *into* cannot be written.
    """
    into = Path(into)
    curated = [name for name in ("roles", "glossary.toml", "practices.toml", "comparisons.toml") if (into / name).exists()]
    if curated:
        raise BatchFileError(f"{into}: holds {curated[0]}, so it is a curated knowledge folder; "
                             "write the extracted pairs to a folder of their own")
    make_folder(into)
    old_sources, old_entries = _read_existing(into)
    replaced = {e.name for e in extractions}
    sources: dict[Any, dict] = {s.get("file"): s for s in old_sources if s.get("file") not in replaced}
    kept = [e for e in old_entries if not set(e.get("sources", ())) & replaced]
    new_entries: list[dict] = []
    stems = [_slug(Path(name).stem, 60) for name in (*sources, *replaced)]
    for extraction in extractions:
        if not extraction.pairs:
            continue
        sources[extraction.name] = {"file": extraction.name, "title": extraction.title}
        stem = _slug(Path(extraction.name).stem, 60)
        # Two documents "a.txt" and "a.md" would share a prefix: use the whole name then.
        prefix = "x-" + (stem if stems.count(stem) == 1 else _slug(extraction.name, 60))
        new_entries.extend(_entries(extraction, prefix))
    entries = kept + new_entries
    ids: dict[Any, str] = {}
    for entry in entries:
        source = (entry.get("sources") or ["?"])[0]
        if ids.setdefault(entry.get("id"), source) != source:
            raise BatchFileError(f"{into}: entry id '{entry.get('id')}' would come from both "
                                 f"{ids[entry.get('id')]} and {source}; rename one of the documents")
    ordered = [sources[name] for name in sorted(sources)]
    union = [*ordered, *(s for s in old_sources if s.get("file") not in sources)]
    union.sort(key=lambda s: s.get("file", ""))

    stage = Path(tempfile.mkdtemp(prefix=".ingest-", dir=into))
    try:
        if ordered:
            sources_text = _render("source", ordered, "the documents the pairs below were extracted from")
            entries_text = _render("entry", entries, "question/answer pairs extracted from career sheets")
            (stage / "sources.toml").write_text(sources_text, encoding="utf-8")
            (stage / "extracted.toml").write_text(entries_text, encoding="utf-8")
            if check is not None:
                check(stage)
            # sources ⊇ everything cited at each step: old and new sources, new entries, new sources.
            _write_file(into / "sources.toml", _render("source", union, "the documents the pairs below were extracted from"))
            _write_file(into / "extracted.toml", entries_text)
            _write_file(into / "sources.toml", sources_text)
        else:
            # Nothing left: the folder stops being a knowledge folder.
            (into / "sources.toml").unlink(missing_ok=True)
            (into / "extracted.toml").unlink(missing_ok=True)
    except OSError as exc:
        raise BatchFileError(f"{into}: cannot write the pairs ({exc.strerror})") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return into


def format_report(extractions: Sequence[Extraction], into: str | Path | None = None) -> str:
    """A per-document report: how many pairs, and which headings were skipped and why.

    Examples
    --------
    >>> print(format_report([extract_pairs("Sales Ops\\nOutille les ventes.\\nTermes connexes", "s.txt")]))
    s.txt (Sales Ops): 1 pair
      skipped "Termes connexes": page furniture: related-terms links
    1 pair from 1 document.
    """
    lines = []
    total = 0
    for ex in extractions:
        n = len(ex.pairs)
        total += n
        lines.append(f"{ex.name} ({ex.title}): {n} pair{'s' if n != 1 else ''}")
        for heading, reason in ex.skipped:
            shown = heading if len(heading) <= 70 else heading[:67].rstrip() + "…"
            lines.append(f'  skipped "{shown}": {reason}')
    docs = len(extractions)
    summary = f"{total} pair{'s' if total != 1 else ''} from {docs} document{'s' if docs != 1 else ''}"
    lines.append(f"{summary}, written to {into}." if into is not None else f"{summary}.")
    return "\n".join(lines)
