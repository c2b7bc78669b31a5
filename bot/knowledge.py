"""Load and validate the knowledge base (``knowledge/*.toml``) into immutable objects.

Files are read here and nowhere else in the engine. Any problem raises one
:class:`~bot.errors.KnowledgeError` naming the file, the entry and the fix, and
nothing is returned half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .errors import KnowledgeError
from .paths import bundled
from .tomlfile import Table as _Table
from .tomlfile import read_toml as _read_toml

__all__ = [
    "Source",
    "Fact",
    "Example",
    "SalaryFigure",
    "Topic",
    "Role",
    "Entry",
    "Comparison",
    "Knowledge",
    "Folder",
    "load_knowledge",
    "default_knowledge_dir",
    "say",
    "sentences",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIGURE_AMOUNTS = ("fixed", "variable", "variable_share", "ote", "total")
# A figure's amounts, period and year keep the sources' writing ("35-45K€", "57 504 $");
# one written with words ("60 000 € bruts par an") needs its English twin too.
_WORDS = re.compile(r"[^\W\d_]{2,}")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÝÉ«(•])")


def say(obj, name: str, lang: str) -> str:
    """The text field *name* of *obj* in *lang*: its English twin ``<name>_en`` when asked for and written.

    Examples
    --------
    >>> say(Fact("Le KAM gère des comptes clés.", "004", text_en="The KAM manages key accounts."), "text", "en")
    'The KAM manages key accounts.'
    """
    if lang == "en":
        return getattr(obj, f"{name}_en", "") or getattr(obj, name)
    return getattr(obj, name)


def sentences(text: str) -> list[str]:
    """The sentences and list items of a text, in order (how glossary entries are cut into facts)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.extend(x.strip() for x in _SENTENCE.split(line) if x.strip())
    return out


def default_knowledge_dir() -> Path:
    """The knowledge base bundled with careerbot (inside the package once installed)."""
    return bundled("knowledge", "sources.toml")


@dataclass(frozen=True)
class Source:
    """One source document the knowledge base was written from."""

    file: str
    """File name, e.g. ``004_8b581f9a927034e0.txt``."""
    title: str
    """Human title of the document."""
    scope: str = ""
    """What its figures apply to (country, sector)."""


@dataclass(frozen=True)
class SalaryFigure:
    """One salary figure with the scope it applies to; amounts are kept as written."""

    scope: str
    source: str
    country: str = ""
    seniority: str = ""
    fixed: str = ""
    variable: str = ""
    variable_share: str = ""
    ote: str = ""
    total: str = ""
    period: str = ""
    year: str = ""
    note: str = ""
    on_request: bool = False
    """Shown only to a question that names its country (another document's figure, e.g. the US one of 000)."""
    scope_en: str = ""
    country_en: str = ""
    fixed_en: str = ""
    variable_en: str = ""
    variable_share_en: str = ""
    ote_en: str = ""
    total_en: str = ""
    period_en: str = ""
    year_en: str = ""
    note_en: str = ""
    """English twins of the fields above (``say(figure, "scope", "en")``); empty when the French needs none."""


@dataclass(frozen=True)
class Fact:
    """One claim of the sources, in the knowledge base's own words, with the document it comes from."""

    text: str
    source: str
    bullet: bool = False
    """Shown as a list item when its section is shown whole."""
    paragraph: bool = False
    """Starts a new paragraph when its section is shown whole."""
    keywords: tuple[str, ...] = ()
    """Words people use for this fact that its text does not contain ("préavis", "notice")."""
    id: str = ""
    """``role.topic#n`` or ``entry#n``: where the fact sits, for citing it in an answer."""
    text_en: str = ""
    """The same claim in English, with the same figures."""

    @property
    def has_figure(self) -> bool:
        """Whether the fact states a number (an amount, a share, a duration, a count)."""
        return any(map(str.isdigit, self.text))


def render(facts: tuple[Fact, ...], intro: str = "", lang: str = "fr") -> str:
    """A section as a reader sees it: the intro, prose facts run together, list items one a line."""
    lines: list[str] = [intro] if intro else []
    for fact in facts:
        text = say(fact, "text", lang)
        if fact.bullet:
            lines.append(f"• {text}")
        elif lines and not fact.paragraph and not lines[-1].startswith("•") and lines[-1] != intro:
            lines[-1] += f" {text}"
        else:
            lines.append(text)
    return "\n".join(lines)


@dataclass(frozen=True)
class Topic:
    """What the sources say about one topic (salary, skills…) of one role: its facts, in order."""

    id: str
    facts: tuple[Fact, ...]
    sources: tuple[str, ...]
    questions: tuple[str, ...] = ()
    figures: tuple[SalaryFigure, ...] = ()
    intro: str = ""
    """A lead-in line shown before the facts when the section is shown whole (not a fact)."""
    intro_en: str = ""

    @property
    def answer(self) -> str:
        """The whole section as text (French)."""
        return render(self.facts, self.intro)

    def answer_in(self, lang: str) -> str:
        """The whole section as text in *lang*."""
        return render(self.facts, say(self, "intro", lang), lang)


@dataclass(frozen=True)
class Example:
    """A worked example of the sources (Alice's quarter, the agency's account managers) people name."""

    id: str
    name: str
    role: str
    """The role whose ``example`` topic holds the example's facts."""
    aliases: tuple[str, ...]
    source: str
    figures: tuple[tuple[str, str, str], ...] = ()
    """``(id, label, value)`` of the example's figures, as the source writes them, for computations."""
    file: str = ""
    name_en: str = ""
    labels_en: tuple[str, ...] = ()
    """The figures' labels in English, in the order of ``figures``."""


@dataclass(frozen=True)
class Role:
    """A sales role: names, a one-line summary and the topics the sources cover."""

    id: str
    name: str
    short: str
    aliases: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    related: tuple[str, ...]
    topics: Mapping[str, Topic]
    note: str = ""
    """A remark shown with the definition (and when the sources lack what was asked)."""
    caveat: str = ""
    """A warning shown with every answer about the role (a term with two senses, sources that disagree)."""
    file: str = ""
    ingested: bool = False
    """Made from a career sheet by ``careerbot ingest`` (``bot/sheets.py``): a curated role of the same name wins."""
    read_as: str = ""
    """Another role whose sheet counts this role's name among its own names (the AM sheet, 002, for "Customer
    Success Manager"): a topic this role lacks is answered from that role's, saying so."""
    read_as_source: str = ""
    """The source that makes this role's name one of :attr:`read_as`'s names."""
    summary_en: str = ""
    note_en: str = ""
    caveat_en: str = ""
    name_en: str = ""
    """The role's name in English answers when it differs ("Salesperson" for "Commercial")."""

    @property
    def label(self) -> str:
        """``Key Account Manager (KAM)``, or the name alone when it has no abbreviation."""
        return self.label_in("fr")

    def label_in(self, lang: str) -> str:
        """:attr:`label` in *lang*."""
        name = say(self, "name", lang)
        if self.short and self.short.lower() != name.lower():
            return f"{name} ({self.short})"
        return name


@dataclass(frozen=True)
class Entry:
    """A glossary term or a practice, with the ways people ask about it."""

    id: str
    kind: str
    """``glossary``, ``practice`` or ``extracted`` (made by ``careerbot ingest``)."""
    title: str
    answer: str
    sources: tuple[str, ...]
    questions: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    factor: float | None = None
    """A multiplier the source gives as a rule (pipe coverage: 3 × the quota), for computed answers."""
    topic: str | None = None
    """The role topic the term belongs to (NRR: ``kpi``): "et pour un AE ?" after it asks for the AE's."""
    file: str = ""
    title_en: str = ""
    answer_en: str = ""
    """The answer in English: as many sentences as ``answer``, each saying the same (extracted entries have none)."""


_SAME = frozenset({"", "no", "partly"})
"""The verdicts ``comparisons.toml`` may give to "are the two the same job?"."""


@dataclass(frozen=True)
class Comparison:
    """A comparison of two roles that the sources make themselves."""

    roles: tuple[str, str]
    answer: str
    sources: tuple[str, ...]
    file: str = ""
    answer_en: str = ""
    same: str = ""
    """Whether the sources make the two one job, for "c'est pareil ?": ``no`` (two jobs), ``partly`` (one source
    makes them one, another two, or the names overlap); empty: no verdict."""


@dataclass(frozen=True)
class Knowledge:
    """The whole validated knowledge base."""

    sources: Mapping[str, Source]
    roles: Mapping[str, Role]
    entries: Mapping[str, Entry]
    comparisons: Mapping[frozenset, Comparison] = field(default_factory=lambda: MappingProxyType({}))
    examples: Mapping[str, Example] = field(default_factory=lambda: MappingProxyType({}))

    def comparison(self, a: str, b: str) -> Comparison | None:
        """The sources' own comparison of roles *a* and *b*, if there is one."""
        return self.comparisons.get(frozenset((a, b)))

    def texts(self) -> Iterator[tuple[str, str, str]]:
        """Every text careerbot can say, in French then in English, as ``(file, entry, text)``."""
        yield from self.texts_in("fr")
        for file, entry, text in self.texts_in("en"):
            yield file, f"{entry} (en)", text

    def texts_in(self, lang: str) -> Iterator[tuple[str, str, str]]:
        """Every text careerbot can say in *lang*, as ``(file, entry, text)``."""
        for role in self.roles.values():
            yield role.file, role.id, say(role, "summary", lang)
            if role.note:
                yield role.file, f"{role.id}.note", say(role, "note", lang)
            if role.caveat:
                yield role.file, f"{role.id}.caveat", say(role, "caveat", lang)
            for topic in role.topics.values():
                if topic.intro:
                    yield role.file, f"{role.id}.{topic.id}.intro", say(topic, "intro", lang)
                for fact in topic.facts:
                    yield role.file, fact.id, say(fact, "text", lang)
                for i, fig in enumerate(topic.figures):
                    for name in ("scope", "country", "seniority", *_FIGURE_AMOUNTS, "period", "year", "note"):
                        value = say(fig, name, lang) if hasattr(fig, f"{name}_en") else getattr(fig, name)
                        if value:
                            yield role.file, f"{role.id}.{topic.id}.figures[{i}].{name}", value
        for entry in self.entries.values():
            yield entry.file, entry.id, f"{say(entry, 'title', lang)}\n{say(entry, 'answer', lang)}"
        for comp in self.comparisons.values():
            yield comp.file, " vs ".join(comp.roles), say(comp, "answer", lang)
        for example in self.examples.values():
            labels = example.labels_en if lang == "en" and example.labels_en else [f[1] for f in example.figures]
            for (fid, _, value), label in zip(example.figures, labels):
                yield example.file, fid, f"{label} : {value}"


@dataclass(frozen=True)
class Folder:
    """What one knowledge folder holds, as loaded and checked (before folders are merged)."""

    sources: tuple[Source, ...]
    roles: tuple[Role, ...]
    """In file-name order."""
    entries: tuple[Entry, ...]
    """Glossary, then practices, then extracted pairs, each in file order."""
    examples: tuple[Example, ...]
    comparisons: tuple[Comparison, ...]


class _Loader:
    def __init__(self, topic_ids):
        self.root = Path(".")
        self.topic_ids = frozenset(topic_ids) if topic_ids is not None else None
        self.sources: dict[str, Source] = {}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def check_sources(self, t: _Table, files) -> tuple[str, ...]:
        for name in files:
            if name not in self.sources:
                raise t.error(f"unknown source file '{name}'",
                              f"use one of {', '.join(sorted(self.sources))} or add it to sources.toml")
        return tuple(files)

    @staticmethod
    def check_sentences(t: _Table, answer: str, answer_en: str) -> None:
        """An entry's English answer says the same sentence for sentence: a precise answer picks one by its rank."""
        fr, en = len(sentences(answer)), len(sentences(answer_en))
        if fr != en:
            raise t.error(f"'answer_en' has {en} sentence(s) and 'answer' {fr}",
                          "write one English sentence (or list item) for each French one, in the same order")

    def load_sources(self) -> None:
        path = self.root / "sources.toml"
        doc = _Table(_read_toml(path), self.rel(path), None)
        listed = 0
        for i, raw in enumerate(doc.tables("source")):
            listed += 1
            t = _Table(raw, self.rel(path), f"source #{i + 1}")
            src = Source(file=t.str("file"), title=t.str("title"), scope=t.str("scope", required=False))
            t.done()
            if src.file in self.sources:
                raise t.error(f"duplicate source '{src.file}'", "list each source file once")
            self.sources[src.file] = src
        doc.done()
        if not listed:
            raise KnowledgeError(self.rel(path), None, "no [[source]] listed", "list the source documents")

    def load_role(self, path: Path) -> Role:
        file = self.rel(path)
        data = _read_toml(path)
        # A role ingested from a sheet is in the sheet's language only (answered in it whatever the question's).
        one_language = isinstance(data, dict) and data.get("ingested") is True
        t = _Table(data, file, None, monolingual=one_language)
        role_id = t.str("id")
        t.entry = f"role '{role_id}'"
        if not _ID.match(role_id):
            raise t.error(f"invalid id '{role_id}'", "use lower-case letters, digits and '-' only")
        topics = {}
        for topic_id, raw in t.table("topics").items():
            topics[topic_id] = self.load_topic(raw, file, role_id, topic_id, monolingual=one_language)
        summary, summary_en = t.twin("summary")
        note, note_en = t.twin("note", required=False)
        caveat, caveat_en = t.twin("caveat", required=False)
        role = Role(
            id=role_id,
            name=t.str("name"),
            name_en=t.str("name_en", required=False),
            short=t.str("short", required=False),
            aliases=t.strs("aliases", min_items=1),
            summary=summary,
            summary_en=summary_en,
            note_en=note_en,
            caveat_en=caveat_en,
            sources=self.check_sources(t, t.strs("sources", min_items=1)),
            related=t.strs("related"),
            note=note,
            caveat=caveat,
            topics=MappingProxyType(topics),
            file=file,
            ingested=t.bool("ingested"),
            read_as=t.str("read_as", required=False),
            read_as_source=t.str("read_as_source", required=False),
        )
        if bool(role.read_as) != bool(role.read_as_source):
            raise t.error("'read_as' and 'read_as_source' go together",
                          "name the other role and the source that gives this role's name as one of its names")
        if role.read_as_source:
            self.check_sources(t, [role.read_as_source])
        t.done()
        return role

    def check_topic(self, t: _Table, topic_id: str) -> str:
        """*topic_id*, when it is a topic of ``intents/topics.toml`` (or topics are not checked)."""
        if self.topic_ids is not None and topic_id not in self.topic_ids:
            raise t.error(f"unknown topic '{topic_id}'",
                          f"use one of {', '.join(sorted(self.topic_ids))} (defined in intents/topics.toml)")
        return topic_id

    def load_topic(self, raw, file: str, role_id: str, topic_id: str, *, monolingual: bool = False) -> Topic:
        t = _Table(raw, file, f"role '{role_id}', topic '{topic_id}'", monolingual=monolingual)
        if self.topic_ids is not None and topic_id not in self.topic_ids:
            raise t.error(f"unknown topic '{topic_id}'",
                          f"use one of {', '.join(sorted(self.topic_ids))} (defined in intents/topics.toml)")
        figures = []
        for i, fraw in enumerate(t.tables("figures")):
            ft = _Table(fraw, file, f"role '{role_id}', topic '{topic_id}', figure #{i + 1}", monolingual=monolingual)
            scope, scope_en = ft.twin("scope")
            note, note_en = ft.twin("note", required=False)
            written = {}
            for k in (*_FIGURE_AMOUNTS, "period", "year"):
                value, value_en = ft.str(k, required=False), ft.str(f"{k}_en", required=False)
                if _WORDS.search(value) and not value_en and not monolingual:
                    raise ft.error(f"'{k}' is written with words and has no English twin '{k}_en'",
                                   f"add {k}_en = \"…\" on the line after {k}, with the same figures")
                written[k], written[f"{k}_en"] = value, value_en
            fig = SalaryFigure(
                scope=scope, scope_en=scope_en, note=note, note_en=note_en,
                source=ft.str("source"),
                country=ft.str("country", required=False), country_en=ft.str("country_en", required=False),
                seniority=ft.str("seniority", required=False),
                **written,
                on_request=ft.bool("on_request"),
            )
            if not any(getattr(fig, k) for k in _FIGURE_AMOUNTS):
                raise ft.error("figure has no amount", f"give at least one of {', '.join(_FIGURE_AMOUNTS)}")
            self.check_sources(ft, (fig.source,))
            ft.done()
            figures.append(fig)
        facts = []
        for i, fraw in enumerate(t.tables("facts")):
            ft = _Table(fraw, file, f"role '{role_id}', topic '{topic_id}', fact #{i + 1}", monolingual=monolingual)
            text, text_en = ft.twin("text")
            fact = Fact(text=text, text_en=text_en, source=ft.str("source"), bullet=ft.bool("bullet"),
                        paragraph=ft.bool("paragraph"), keywords=ft.strs("keywords"),
                        id=f"{role_id}.{topic_id}#{i + 1}")
            self.check_sources(ft, (fact.source,))
            ft.done()
            facts.append(fact)
        if "answer" in t.data:
            raise t.error("'answer' is no longer a topic field", "split it into [[topics.<topic>.facts]] tables")
        if not facts and not figures:
            raise t.error("topic has no facts", "add [[topics.<topic>.facts]] tables with text and source")
        intro, intro_en = t.twin("intro", required=False)
        topic = Topic(
            id=topic_id,
            facts=tuple(facts),
            intro=intro,
            intro_en=intro_en,
            sources=self.check_sources(t, t.strs("sources", min_items=1)),
            questions=t.strs("questions"),
            figures=tuple(figures),
        )
        t.done()
        return topic

    def load_entries(self, name: str, kind: str) -> list[Entry]:
        path = self.root / name
        if not path.exists():
            return []
        file = self.rel(path)
        doc = _Table(_read_toml(path), file, None)
        entries = []
        for i, raw in enumerate(doc.tables("entry")):
            t = _Table(raw, file, f"entry #{i + 1}")
            entry_id = t.str("id")
            t.entry = f"entry '{entry_id}'"
            if not _ID.match(entry_id):
                raise t.error(f"invalid id '{entry_id}'", "use lower-case letters, digits and '-' only")
            if kind == "extracted":  # made by careerbot ingest from one document, in its language
                (title, title_en), (answer, answer_en) = (t.str("title"), ""), (t.str("answer"), "")
            else:
                (title, title_en), (answer, answer_en) = t.twin("title"), t.twin("answer")
                self.check_sentences(t, answer, answer_en)
            entries.append(Entry(
                id=entry_id,
                kind=kind,
                title=title,
                title_en=title_en,
                answer=answer,
                answer_en=answer_en,
                sources=self.check_sources(t, t.strs("sources", min_items=1)),
                questions=t.strs("questions", min_items=1 if kind == "extracted" else 3),
                keywords=t.strs("keywords"),
                roles=t.strs("roles"),
                factor=t.number("factor"),
                topic=self.check_topic(t, t.str("topic")) if "topic" in t.data else None,
                file=file,
            ))
            t.done()
        doc.done()
        return entries

    def load_comparisons(self) -> list[Comparison]:
        path = self.root / "comparisons.toml"
        if not path.exists():
            return []
        file = self.rel(path)
        doc = _Table(_read_toml(path), file, None)
        comps = []
        for i, raw in enumerate(doc.tables("comparison")):
            t = _Table(raw, file, f"comparison #{i + 1}")
            roles = t.strs("roles", min_items=2)
            t.entry = f"comparison #{i + 1} ({' vs '.join(roles)})"
            if len(roles) != 2 or roles[0] == roles[1]:
                raise t.error("'roles' must name exactly two different roles", "write roles = [\"ae\", \"sdr\"]")
            answer, answer_en = t.twin("answer")
            same = t.str("same", required=False)
            if same not in _SAME:
                raise t.error(f"'same' must be one of {', '.join(sorted(_SAME - {''}))}, got '{same}'",
                              'write same = "no" (two jobs) or same = "partly" (the sources disagree)')
            comps.append(Comparison(roles=(roles[0], roles[1]), answer=answer, answer_en=answer_en, same=same,
                                    sources=self.check_sources(t, t.strs("sources", min_items=1)), file=file))
            t.done()
        doc.done()
        return comps

    def load_examples(self) -> list[Example]:
        path = self.root / "examples.toml"
        if not path.exists():
            return []
        file = self.rel(path)
        doc = _Table(_read_toml(path), file, None)
        examples = []
        for i, raw in enumerate(doc.tables("example")):
            t = _Table(raw, file, f"example #{i + 1}")
            example_id = t.str("id")
            t.entry = f"example '{example_id}'"
            if not _ID.match(example_id):
                raise t.error(f"invalid id '{example_id}'", "use lower-case letters, digits and '-' only")
            figures, labels_en = [], []
            for j, fraw in enumerate(t.tables("figures")):
                ft = _Table(fraw, file, f"example '{example_id}', figure #{j + 1}")
                label, label_en = ft.twin("label")
                figures.append((ft.str("id"), label, ft.str("value")))
                labels_en.append(label_en)
                ft.done()
            name, name_en = t.twin("name")
            example = Example(id=example_id, name=name, name_en=name_en, labels_en=tuple(labels_en), role=t.str("role"),
                              aliases=t.strs("aliases", min_items=1), source=t.str("source"),
                              figures=tuple(figures), file=file)
            self.check_sources(t, (example.source,))
            t.done()
            examples.append(example)
        doc.done()
        return examples

    def load_folder(self) -> Folder:
        """Read and check the folder :attr:`root` (its sources join :attr:`sources`)."""
        known = set(self.sources)
        self.load_sources()
        return Folder(
            sources=tuple(s for name, s in self.sources.items() if name not in known),
            roles=tuple(self.load_role(path) for path in sorted((self.root / "roles").glob("*.toml"))),
            entries=tuple(entry for name, kind in (("glossary.toml", "glossary"), ("practices.toml", "practice"),
                                                   ("extracted.toml", "extracted"))
                          for entry in self.load_entries(name, kind)),
            examples=tuple(self.load_examples()),
            comparisons=tuple(self.load_comparisons()),
        )

    def load(self, roots: list[Path], cache_dir: Path | None = None) -> Knowledge:
        from .kbcache import FolderCache

        cache = FolderCache(cache_dir)
        examples: dict[str, Example] = {}
        roles: dict[str, Role] = {}
        entries: dict[str, Entry] = {}
        comparisons: dict[frozenset, Comparison] = {}
        for root in roots:
            self.root = root
            if not root.is_dir():
                raise KnowledgeError(root, None, "knowledge directory not found",
                                     "give the path of a folder holding sources.toml (and roles/)")
            known = tuple(self.sources)
            folder = cache(root, self.topic_ids, known, self.load_folder)
            self.sources.update((s.file, s) for s in folder.sources)
            for role in folder.roles:
                if role.id in roles and role.ingested != roles[role.id].ingested:
                    if role.ingested:
                        continue            # a curated role of the same id wins
                elif role.id in roles:
                    raise KnowledgeError(role.file, f"role '{role.id}'",
                                         f"duplicate role id (also in {roles[role.id].file})",
                                         "give each role its own id")
                roles[role.id] = role
            for entry in folder.entries:
                if entry.id in entries or entry.id in roles:
                    raise KnowledgeError(entry.file, f"entry '{entry.id}'", "duplicate id",
                                         "give each entry its own id")
                entries[entry.id] = entry
            for example in folder.examples:
                if example.id in examples:
                    raise KnowledgeError(example.file, f"example '{example.id}'", "duplicate id",
                                         "give each example its own id")
                examples[example.id] = example
            for comp in folder.comparisons:
                key = frozenset(comp.roles)
                if key in comparisons:
                    raise KnowledgeError(comp.file, " vs ".join(comp.roles), "duplicate comparison",
                                         "merge the two comparisons into one")
                comparisons[key] = comp
        dropped = _curated_wins(roles)
        for entry_id, entry in list(entries.items()):
            if set(entry.roles) & dropped:
                entries[entry_id] = replace(entry, roles=tuple(r for r in entry.roles if r not in dropped))
        if not roles and not entries:
            raise KnowledgeError(roots[0], None, "no role and no entry found",
                                 "add roles/<id>.toml files (or glossary.toml / extracted.toml entries)")
        self.check_aliases(roles)
        self.check_references(roles, entries, comparisons)
        for example in examples.values():
            if "example" not in getattr(roles.get(example.role), "topics", {}):
                raise KnowledgeError(example.file, f"example '{example.id}'",
                                     f"role '{example.role}' has no [topics.example] to hold its facts",
                                     f"use one of {', '.join(r for r in roles if 'example' in roles[r].topics)}")
        return Knowledge(
            examples=MappingProxyType(examples),
            sources=MappingProxyType(dict(self.sources)),
            roles=MappingProxyType(roles),
            entries=MappingProxyType(entries),
            comparisons=MappingProxyType(comparisons),
        )

    @staticmethod
    def check_aliases(roles: Mapping[str, Role]) -> None:
        from .normalise import fold

        owner: dict[str, str] = {}
        for role in roles.values():
            for alias in role.aliases:
                key = fold(alias)
                if key in owner and owner[key] != role.id:
                    raise KnowledgeError(role.file, f"role '{role.id}'",
                                         f"alias '{alias}' is also an alias of role '{owner[key]}'",
                                         "an alias may belong to one role only; remove it from one of them")
                owner[key] = role.id

    @staticmethod
    def check_references(roles, entries, comparisons) -> None:
        def check(file, entry, ids):
            for rid in ids:
                if rid not in roles:
                    raise KnowledgeError(file, entry, f"unknown role '{rid}'",
                                         f"use one of {', '.join(sorted(roles))}")

        for role in roles.values():
            check(role.file, f"role '{role.id}' (related)", role.related)
            check(role.file, f"role '{role.id}' (read_as)", (role.read_as,) if role.read_as else ())
        for entry in entries.values():
            check(entry.file, f"entry '{entry.id}' (roles)", entry.roles)
        for comp in comparisons.values():
            check(comp.file, " vs ".join(comp.roles), comp.roles)


def _curated_wins(roles: dict[str, Role]) -> set[str]:
    """Drop, in place, each ingested role a curated role already is (same id or name); returns their ids.

    An ingested role keeps its other names, less those a curated role has.
    """
    from .normalise import fold

    curated = {fold(name).strip() for r in roles.values() if not r.ingested for name in (r.id, r.name, *r.aliases)}
    curated_ids = {r.id for r in roles.values() if not r.ingested}
    dropped = set()
    for rid, role in list(roles.items()):
        if not role.ingested or not curated:
            continue
        if fold(role.name).strip() in curated or (role.short and fold(role.short).strip() in curated):
            del roles[rid]
            dropped.add(rid)
            continue
        aliases = tuple(a for a in role.aliases if fold(a).strip() not in curated)
        if aliases != role.aliases:
            roles[rid] = replace(role, aliases=aliases or (role.name,))
    for rid, role in list(roles.items()):
        if role.ingested and set(role.related) & (dropped - curated_ids):
            roles[rid] = replace(role, related=tuple(r for r in role.related if r not in dropped))
    return dropped


def load_knowledge(path: str | Path | None = None, *, extra=(), topic_ids=None, curated: bool = True,
                   cache_dir: str | Path | None = None) -> Knowledge:
    """Load and validate the knowledge base in *path* (default: the bundled one), plus *extra* folders.

    Parameters
    ----------
    path : str or Path, optional
        A folder holding ``sources.toml``, ``roles/`` and optionally
        ``glossary.toml``, ``practices.toml`` and ``comparisons.toml``.
    extra : iterable of str or Path, keyword-only
        More folders, e.g. question/answer pairs made by ``careerbot ingest``
        (``sources.toml`` and ``extracted.toml``); loaded after *path*.
    topic_ids : iterable of str, keyword-only, optional
        The role topics allowed (from ``intents/topics.toml``); unchecked when omitted.
    curated : bool, keyword-only
        False: load the *extra* folders alone, without *path* nor the bundled base
        (e.g. to measure how sheets ingested by ``careerbot ingest`` are answered on their own).
    cache_dir : str or Path, keyword-only, optional
        A folder for a checked copy of each knowledge folder (:mod:`bot.kbcache`): later loads of an
        unchanged folder skip its TOML. None: every file is read.

    Raises
    ------
    KnowledgeError
        On the first problem found, naming the file, the entry and the fix.

    Examples
    --------
    >>> kb = load_knowledge()
    >>> kb.roles["kam"].short
    'KAM'
    """
    root = Path(path) if path is not None else default_knowledge_dir()
    roots = [root, *(Path(p) for p in extra)] if curated else [Path(p) for p in extra]
    if not roots:
        raise KnowledgeError("(no folder)", None, "no knowledge folder to load without the curated base",
                             "give the folder 'careerbot ingest' wrote (--knowledge DIR)")
    return _Loader(topic_ids).load(roots, Path(cache_dir) if cache_dir is not None else None)
