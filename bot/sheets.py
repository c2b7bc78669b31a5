"""A career sheet becomes a role (``careerbot ingest``): names, aliases, topics of facts, salary figures.

:func:`read_sheet` reads one sheet (``.txt``, ``.md``, ``.html``) through
:func:`~bot.ingest.extract_pairs` and turns its sections into a role table in
the format of ``knowledge/roles/*.toml``: each section placed in a topic by
its heading, else by its content (the cues are data, ``intents/ingest.toml``),
its text cut into facts (one sentence or list item each) citing the sheet,
salary sentences parsed into figures, "Questions fréquentes" pairs placed in
their topic or kept as question/answer entries. :func:`write_roles` merges
sheets into a knowledge folder (``sources.toml``, ``roles/<id>.toml``,
``extracted.toml``) that ``Bot.load(extra=[folder])`` answers from like the
curated roles. Pure but for :func:`write_roles`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from .errors import BatchFileError, KnowledgeError
from .ingest import IngestRules, Pair, _slug, _write_file, extract_pairs, load_ingest_rules, make_folder
from .normalise import fold
from .tomlfile import _value, read_toml, to_toml

__all__ = ["Section", "Sheet", "read_sheet", "classify", "place_fact", "parse_figures", "split_facts", "write_roles",
           "format_sheets_report", "curated_names", "role_to_toml"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ«\"“(0-9])")
_NUM = r"\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?![\d])|\d+(?:[.,]\d+)?"
_MONEY = re.compile(
    rf"(?<![\w])(?P<c0>\$\s?)?(?P<a>{_NUM})\s?(?P<ka>[kK](?![a-zA-Z]))?"
    rf"(?:\s*(?:-|–|—|à|a|et)\s*(?P<c1>\$\s?)?(?P<b>{_NUM})\s?(?P<kb>[kK](?![a-zA-Z]))?)?"
    rf"\s?(?P<cur>k€|K€|k\$|€|euros?\b|\$|dollars?\b|USD\b|EUR\b)?")
_PERCENT = re.compile(r"(?<![\w])(?P<a>\d+(?:[.,]\d+)?)\s?(?:(?:-|–|à|a|et)\s?(?P<b>\d+(?:[.,]\d+)?)\s?)?%")
_CLAUSE = re.compile(r"\s*(?:;|\.\s|, et |, mais | tandis qu| alors qu|,\s(?=(?:un|une|le|la|les|l'|l’|en|pour|au|aux)\s))\s*")
_YEAR = re.compile(r"\b(20\d\d)\b")
_PAREN = re.compile(r"\(([^)]{2,60})\)")
_ABBREV = re.compile(r"\b[A-Z][A-Za-z]{0,1}[A-Z]{1,4}s?\b")
_SMALL = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "et", "en", "a", "aux", "au"})
_SLOTS = ("fixed", "variable", "ote", "total")
_LEVELS = ("junior", "confirme", "senior", "moyenne")
_LEVEL_NAMES = {"junior": "junior", "confirme": "confirmé", "senior": "senior", "moyenne": "moyenne"}


# ====================================================================== what a sheet gives
@dataclass(frozen=True)
class Section:
    """One section of a sheet and where it went."""

    heading: str
    topic: str | None
    """The role topic it was placed in; None when it could not be placed (kept as a question/answer pair)."""
    how: str
    """Why: ``heading 'salaire'``, ``content (3 cues)``, ``title``, ``card``, ``faq``…"""
    faq: bool = False


@dataclass(frozen=True)
class Sheet:
    """What :func:`read_sheet` made of one sheet."""

    name: str
    """The sheet's file name: every fact cites it."""
    title: str
    role: Mapping[str, Any]
    """The role table, as ``knowledge/roles/<id>.toml`` holds it (``ingested = true``)."""
    entries: tuple[Mapping[str, Any], ...]
    """Question/answer pairs kept as they are (FAQ questions and sections no topic takes), citing the sheet."""
    sections: tuple[Section, ...]
    skipped: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    """What was dropped on the way (an alias a curated role has, a role a curated one already is)."""

    @property
    def role_id(self) -> str:
        return str(self.role["id"])

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(self.role["aliases"])

    @property
    def unplaced(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.topic is None)


# ====================================================================== classification
def _has(text: str, cue: str) -> bool:
    """Whether folded *cue* occurs in folded *text* on word boundaries."""
    if not cue:
        return False
    i = text.find(cue)
    while i >= 0:
        before = text[i - 1] if i else " "
        j = i + len(cue)
        after = text[j] if j < len(text) else " "
        if not before.isalnum() and (not after.isalnum() or not cue[-1].isalnum()):
            return True
        i = text.find(cue, i + 1)
    return False


def classify(heading: str, text: str, rules: IngestRules) -> tuple[str | None, str]:
    """The topic a section goes to, and why: by the cues of its heading, else of its text.

    A heading cue of several words weighs its word count, so "évolution du métier" (outlook)
    beats "évolution" (career). Without a heading cue, the topic whose content cues the
    text holds most wins, if it holds at least ``content_min`` distinct ones.

    Examples
    --------
    >>> rules = load_ingest_rules()
    >>> classify("Quel salaire pour un Sales Ops ?", "", rules)
    ('salary', "heading 'salaire'")
    >>> classify("Évolution du métier : à quoi s'attendre ?", "", rules)[0]
    'outlook'
    """
    head = f" {fold(heading)} "
    best: tuple[float, str | None, str] = (0.0, None, "")
    for n, topic in enumerate(rules.topics):
        for cue in topic.heading:
            if _has(head, cue):
                weight = len(cue.split()) + len(cue) / 100 - n / 1000
                if weight > best[0]:
                    best = (weight, topic.id, cue)
    if best[1]:
        return best[1], f"heading '{best[2]}'"
    body = f" {fold(text)} "
    counts = []
    for n, topic in enumerate(rules.topics):
        hits = sum(1 for cue in topic.content if _has(body, cue) or (not cue[-1].isalnum() and cue in body))
        counts.append((hits, -n, topic.id))
    hits, _, topic_id = max(counts) if counts else (0, 0, "")
    if hits >= rules.content_min:
        return topic_id, f"content ({hits} cues)"
    return None, "no heading or content cue"


def place_fact(text: str, rules: IngestRules) -> str | None:
    """The topic one fact of a summary goes to: the most cues (a fact cue counts twice), None without any.

    Examples
    --------
    >>> rules = load_ingest_rules()
    >>> place_fact("La rémunération comprend un salaire de base et des primes.", rules)
    'salary'
    >>> place_fact("On les trouve surtout dans la publicité et la finance.", rules)
    'workplace'
    >>> place_fact("Un métier passionnant.", rules) is None
    True
    """
    body = f" {fold(text)} "
    best: tuple[int, int, str | None] = (0, 0, None)
    for n, topic in enumerate(rules.topics):
        hits = sum(2 for cue in topic.facts if _has(body, cue)) + sum(
            1 for cue in {*topic.content, *topic.heading} - set(topic.facts) if _has(body, cue))
        if (hits, -n) > best[:2]:
            best = (hits, -n, topic.id)
    return best[2] if best[0] else None


def _off_topic_paragraphs(facts: Sequence[dict[str, Any]], topic_id: str, rules: IngestRules) -> tuple[
        list[dict[str, Any]], dict[str, int]]:
    """The facts a section keeps, and per other topic the number of paragraphs that belong there instead.

    A paragraph (with the list under it) leaves the section's topic when each of its facts holds a
    fact cue of one same other topic and none holds a cue of the section's own topic: an "Où les
    trouver" section that goes on about pay and then lists skills. The section's first paragraph
    always stays. The paragraphs left out are still copied to their topic by its fact cues.
    """
    own = next((t for t in rules.topics if t.id == topic_id), None)
    if own is None:
        return list(facts), {}
    own_cues = {*own.heading, *own.content, *own.facts}
    paragraphs: list[list[dict[str, Any]]] = []
    previous: Mapping[str, Any] = {}
    for fact in facts:
        # A list goes with the sentence that introduces it ("… les suivantes :"), else it is a paragraph of its own.
        if not paragraphs or fact.get("paragraph") or (fact.get("bullet") and not previous.get("bullet")
                                                         and not previous["text"].endswith(":")):
            paragraphs.append([])
        paragraphs[-1].append(fact)
        previous = fact
    kept: list[dict[str, Any]] = list(paragraphs[0]) if paragraphs else []
    moved: dict[str, int] = {}
    for paragraph in paragraphs[1:]:
        texts = [f" {fold(f['text'])} " for f in paragraph]
        others = [{t.id for t in rules.topics if t.id != topic_id and any(_has(text, c) for c in t.facts)}
                  for text in texts]
        common = set.intersection(*others) if others else set()
        if common and not any(_has(text, c) for text in texts for c in own_cues):
            other = next(t.id for t in rules.topics if t.id in common)
            moved[other] = moved.get(other, 0) + 1
        else:
            kept.extend(paragraph)
    return kept, moved


def _place_summary(body: str, source: str, rules: IngestRules) -> tuple[dict[str, list[dict[str, Any]]],
                                                                       list[dict[str, Any]]]:
    """The facts of a summary section by topic (:func:`place_fact`), and those no topic takes."""
    placed: dict[str, list[dict[str, Any]]] = {}
    left = []
    for fact in split_facts(body, source):
        fact = {k: v for k, v in fact.items() if k != "paragraph"}
        topic_id = place_fact(fact["text"], rules)
        if topic_id is None:
            left.append(fact)
        else:
            placed.setdefault(topic_id, []).append(fact)
    return placed, left


# ====================================================================== salary figures
def _amount(number: str, k: object) -> float:
    digits = re.sub(r"[ \u00a0\u202f]", "", number)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits):
        digits = re.sub(r"[.,]", "", digits)
    value = float(digits.replace(",", "."))
    return value * 1000 if k else value


def _nearest(text: str, end: int, cues: Mapping[str, tuple[str, ...]], keys: Sequence[str]) -> str | None:
    """The key whose cue ends closest before position *end* of folded *text*."""
    found: tuple[int, str | None] = (-1, None)
    for key in keys:
        for cue in cues.get(key, ()):
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(cue)}(?![a-z0-9])", text[:end]):
                if m.end() > found[0]:
                    found = (m.end(), key)
    return found[1]


def _following(text: str, cues: Mapping[str, tuple[str, ...]], keys: Sequence[str]) -> str | None:
    """The key of a cue right after an amount ("35-45 k€ de fixe")."""
    for key in keys:
        for cue in cues.get(key, ()):
            if re.match(rf"\s*(?:de\s+|d'\s*|en\s+)?(?:la\s+|part\s+)?{re.escape(cue)}(?![a-z0-9])", text):
                return key
    return None


def parse_figures(sentence: str, source: str, rules: IngestRules) -> list[dict[str, Any]]:
    """The salary figures of one sentence, as ``[[topics.salary.figures]]`` tables.

    Each amount (or range: "35 à 45 k€", "28k - 60k €", "$57,504") with a currency
    becomes one slot — fixed, variable, OTE or total, by the nearest cue word before
    it in its clause —; a percentage after a variable cue is the variable share.
    Amounts of one clause with the same level share a figure; the level (junior…),
    country, year and pay basis (brut / net, per year / month) come from the clause,
    else from the sentence. Amounts are kept as written.

    Examples
    --------
    >>> rules = load_ingest_rules()
    >>> [(f["seniority"], f.get("fixed"), f.get("variable")) for f in parse_figures(
    ...     "Un junior touche 35-45 k€ de fixe et 10 k€ de variable.", "s.md", rules)]
    [('junior', '35-45 k€', '10 k€')]
    """
    cues = rules.figure_cues
    folded_sentence = fold(sentence)
    figures: list[dict[str, Any]] = []
    for clause in _CLAUSE.split(sentence):
        text = fold(clause)
        slots: dict[str, str] = {}
        for m in _MONEY.finditer(clause):
            currency = m.group("cur") or ("$" if m.group("c0") or m.group("c1") else "")
            if not currency:
                continue
            lo = _amount(m.group("a"), m.group("ka") or (m.group("kb") if m.group("b") else None)
                         or (currency.lower().startswith("k") and "k"))
            if lo < 100 and not (m.group("ka") or m.group("kb") or currency.lower().startswith("k")):
                continue            # "5 €" of something else: not a salary
            written = m.group(0).strip()
            slot = (_following(fold(clause[m.end():m.end() + 25]), cues, ("fixed", "variable", "ote"))
                    or _nearest(text, len(fold(clause[:m.start()])) + 1, cues, _SLOTS) or "total")
            slots.setdefault(slot, written)
        for m in _PERCENT.finditer(clause):
            if _following(fold(clause[m.end():m.end() + 25]), cues, ("variable",)) or _nearest(
                    text, len(fold(clause[:m.start()])) + 1, cues, ("variable",)):
                slots.setdefault("variable_share", m.group(0).strip())
        if not slots:
            continue
        level = _nearest(text, len(text), cues, _LEVELS) or _nearest(folded_sentence, len(folded_sentence),
                                                                      cues, _LEVELS) or ""
        country = next((c for w, c in rules.countries.items() if _has(f" {text} ", w)), "") or next(
            (c for w, c in rules.countries.items() if _has(f" {folded_sentence} ", w)), "")
        if not country and any("$" in v or "dollar" in v for v in slots.values()):
            country = "États-Unis"
        basis = [x for x, key in (("brut", "gross"), ("net", "net")) if any(
            _has(f" {folded_sentence} ", w) for w in cues.get(key, ()))]
        period = [x for x, key in (("mensuel", "monthly"), ("annuel", "yearly")) if any(
            _has(f" {folded_sentence} ", w) for w in cues.get(key, ()))]
        year = _YEAR.search(clause) or _YEAR.search(sentence)
        seniority = _LEVEL_NAMES.get(level, "")
        figure: dict[str, Any] = {
            "scope": ", ".join(x for x in (country, seniority or "tous niveaux") if x),
            "country": country,
            "seniority": seniority,
            **slots,
            "period": ", ".join([*period[:1], *basis[:1]]),
            "year": year.group(1) if year else "",
            "source": source,
        }
        same = next((f for f in figures if f["seniority"] == seniority and f["country"] == country
                     and not set(slots) & set(f) & {*_SLOTS, "variable_share"}), None)
        if same is not None:
            same.update(slots)
        else:
            figures.append(figure)
    return [{k: v for k, v in f.items() if v != ""} for f in figures]


# ====================================================================== facts
def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _is_label(line: str) -> bool:
    """A short line that labels the list under it ("Hard skills", "Activités marketing :")."""
    words = line.split()
    return 0 < len(words) <= 6 and (line.endswith(":") or line[-1] not in ".!?…;,")


def split_facts(answer: str, source: str) -> list[dict[str, Any]]:
    """The facts of a section's text (one paragraph or ``- item`` per line), as fact tables.

    Prose is cut into sentences (the first of each paragraph starts a paragraph);
    list items stay items; a nested list goes with its parent ("Marketing : a ; b");
    a short label over a list prefixes its items ("Soft skills : écoute").

    Examples
    --------
    >>> [f["text"] for f in split_facts("Il vend. Il suit.\\nSoft skills\\n- Écoute\\n- Rigueur", "s.md")]
    ['Il vend.', 'Il suit.', 'Soft skills : Écoute', 'Soft skills : Rigueur']
    """
    lines = answer.split("\n")
    facts: list[dict[str, Any]] = []
    label = ""
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        i += 1
        if not stripped:
            continue
        if stripped.startswith("- "):
            text = stripped[2:].strip()
            indent = len(raw) - len(raw.lstrip())
            children = []
            while i < len(lines) and lines[i].strip().startswith("- ") and \
                    len(lines[i]) - len(lines[i].lstrip()) > indent:
                children.append(lines[i].strip()[2:].strip().rstrip(" ;.,"))
                i += 1
            if children:
                text = f"{text.rstrip(' :')} : {' ; '.join(children)}."
            if label:
                text = f"{label} : {text}"
            facts.append({"text": text, "source": source, "bullet": True})
            continue
        nxt = lines[i].strip() if i < len(lines) else ""
        if _is_label(stripped) and nxt.startswith("- "):
            label = stripped.rstrip(" :")
            continue
        label = ""
        for n, sentence in enumerate(_sentences(stripped)):
            fact: dict[str, Any] = {"text": sentence, "source": source}
            if n == 0 and facts:
                fact["paragraph"] = True
            facts.append(fact)
    return facts


# ====================================================================== names
def _clean_name(title: str) -> str:
    """The role's name from a sheet's title ("Fiche métier : Business Developer (H/F) – salaire" → "Business Developer")."""
    name = re.split(r"\s+[|–—]\s+|\s+-\s+|\s*:\s+(?=[a-zéè])", title)[0]
    name = re.sub(r"^\s*(?:fiche\s+m[ée]tier|m[ée]tier|devenir|le\s+m[ée]tier\s+de|le\s+m[ée]tier\s+d['’])\s*[:—–-]?\s*",
                  "", name, flags=re.I)
    name = re.sub(r"\s*\((?:h\s*/\s*f|f\s*/\s*h)\)", "", name, flags=re.I)
    name = re.sub(r"\s*[:—–-]\s*(?:d[ée]finition|fiche m[ée]tier).*$", "", name, flags=re.I)
    name = _PAREN.sub("", name)
    name = re.sub(r"^\s*(?:(?:le|la|les|un|une)\s+|l['’])", "", name, flags=re.I).strip(" :-—–")
    return name[:1].upper() + name[1:] if name else name


def _split_names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|/|\bou\b|\bet\b)\s*", text)
    out = []
    for part in parts:
        part = re.sub(r"^(?:(?:le|la|les|un|une)\s+|l['’])", "", part.strip(" .:«»\"'’"), flags=re.I).strip()
        if part and len(part) <= 50 and len(part.split()) <= 6:
            out.append(part)
    return out


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-’']+", name) if w and fold(w) not in _SMALL]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 else ""


def _known_by_initials(name: str, initials: str, rules: IngestRules) -> bool:
    """Whether *name* is an English job title of two words or more ending in a head noun ("Account Manager").

    Examples
    --------
    >>> rules = load_ingest_rules()
    >>> _known_by_initials("Account Manager", "AM", rules), _known_by_initials("Sales Ops", "SO", rules)
    (True, False)
    """
    words = re.findall(r"[^\s\-’']+", name)
    return (len(initials) >= 2 and len(words) == len(initials) and all(w.isascii() and w.isalpha() for w in words)
            and fold(words[-1]) in rules.abbreviated_heads and fold(initials) not in rules.not_abbreviations)


def _head_variants(aliases: Sequence[str], pairs: Sequence[Pair], rules: IngestRules) -> list[str]:
    """Other job heads before an alias's complement in the definition ("directeur de compte" beside "responsable de compte").

    Only the title, description and definition sections count: elsewhere "directeur de …" is
    as likely a step up the career as another name of the job.

    Examples
    --------
    >>> pair = Pair("Qu'est-ce qu'un chef de secteur ?", "Le chef de secteur, ou responsable de secteurs, visite les magasins.",
    ...             "heading")
    >>> _head_variants(["chef de secteur"], [pair], load_ingest_rules())
    ['responsable de secteurs']
    """
    if not rules.alias_heads:
        return []
    heads = "|".join(re.escape(h) for h in rules.alias_heads)
    complements = set()
    for alias in aliases:
        m = re.fullmatch(rf"(?:{heads})s?\s+((?:de|des|du|d')\s*[a-z'\s-]+)", fold(alias).strip())
        if m:
            complements.add(re.sub(r"(?<=\w)[sx]\b", "", m.group(1)))
    if not complements:
        return []
    known = {fold(a).strip() for a in aliases}
    found = []
    for pair in pairs:
        if pair.heading_kind not in ("title", "description") and classify(pair.title, "", rules)[0] != "definition":
            continue
        for line in pair.answer.split("\n"):
            folded = fold(line)
            for m in re.finditer(rf"(?<![\w-])(?:{heads})s?\s+(?:de|des|du|d')\s*[a-z'-]+(?:\s+[a-z'-]+)?", folded):
                words = m.group(0).split()
                for n in (n for n in (len(words), len(words) - 1) if n >= 2):
                    phrase = " ".join(words[:n])
                    if phrase not in known and re.sub(r"(?<=\w)[sx]\b", "", phrase.split(maxsplit=1)[1]) in complements:
                        same = len(folded) == len(line)
                        found.append(line[m.start():m.start() + len(phrase)] if same else phrase)
                        break
    return found


def _names(title: str, name: str, pairs: Sequence[Pair], meta_aliases: Sequence[str],
           rules: IngestRules) -> tuple[str, list[str], list[str]]:
    """``(short, aliases, alias lines)``: abbreviation, every name of the role, and the lines that gave them."""
    aliases: list[str] = [name]
    alias_lines: list[str] = []
    for inner in _PAREN.findall(title):
        if not re.fullmatch(r"\s*(?:h\s*/\s*f|f\s*/\s*h)\s*", inner, re.I):
            aliases.extend(_split_names(inner))
    aliases.extend(meta_aliases)
    text_lines: list[str] = []
    for pair in pairs:
        lines = pair.answer.split("\n")
        text_lines.extend(lines)
        for n, line in enumerate(lines):
            key = fold(line.strip())
            if not key.startswith(rules.alias_lines):
                if pair.heading_kind in ("title", "description", "heading", "question") and len(key) == len(line.strip()):
                    for cue in rules.alias_inline:
                        at = key.find(cue)
                        if at >= 0:
                            rest = re.split(r"[,.;:)]", line.strip()[at + len(cue):], maxsplit=1)[0]
                            aliases.extend(a for a in _split_names(rest) if len(a.split()) <= 5)
                continue
            alias_lines.append(line)
            head, sep, tail = line.partition(":")
            # A Markdown paragraph may run on into the next sentence: the names stop there.
            tail = re.split(r"\.\s|\s(?=(?:Il|Elle|Le|La|Les|Un|Une|On|Ce|Cette|Son|Sa|Ses)\s)", tail)[0]
            if tail.strip():
                aliases.extend(_split_names(tail))
            elif sep:
                # "Autres appellations du KAM :" then a list.
                for item in lines[n + 1:]:
                    if not item.strip().startswith("- "):
                        break
                    aliases.extend(_split_names(item.strip()[2:]))
                    alias_lines.append(item)
    name_words = {w for w in re.findall(r"[a-z0-9]+", fold(name)) if w not in _SMALL}
    for pair in pairs:
        head = fold(pair.title)
        for start in rules.alias_headings:
            if head.startswith(start):
                rest = re.split(r"\s+et\s+|\s*[?:(]", pair.title[len(start):].strip(" '’"))[0]
                for candidate in re.split(r"\s+ou\s+", rest):
                    candidate = candidate.strip(" .'’")
                    words = set(re.findall(r"[a-z0-9]+", fold(candidate)))
                    if candidate and len(words) <= 5 and (words & name_words or candidate.isupper()):
                        aliases.append(candidate)
                break
    aliases.extend(_head_variants(aliases, pairs, rules))
    text = "\n".join([title, *text_lines])
    short = ""
    # "Sales Development Representative (SDR)": an abbreviation in brackets after the name.
    m = re.search(rf"{re.escape(name)}\s*\(([A-Z][A-Za-z]{{1,5}})\)", text, re.I)
    if m and m.group(1)[1:].upper() == m.group(1)[1:]:
        short = m.group(1)
    initials = _initials(name)
    if not short and initials and re.search(rf"\b{initials}s?\b", text):
        short = initials
    if not short:
        short = next((a for a in aliases if re.fullmatch(r"[A-Z][A-Za-z]?[A-Z]{1,4}", a)), "")
    if short:
        aliases.append(short)
    elif _known_by_initials(name, initials, rules):
        # "Account Manager" is "AM" on every careers site, written on the sheet or not: an alias, never the id.
        aliases.append(initials)
    seen: dict[str, str] = {}
    for alias in aliases:
        key = fold(alias).strip()
        if key and key not in seen and len(key) >= 2:
            seen[key] = alias
    return short, list(seen.values()), alias_lines


def curated_names(roles: Iterable[Any]) -> dict[str, str]:
    """Folded names, abbreviations and aliases of curated (not ingested) roles -> role id."""
    names: dict[str, str] = {}
    for role in roles:
        if getattr(role, "ingested", False):
            continue
        for alias in (role.id, role.name, role.short, *role.aliases):
            if alias:
                names.setdefault(fold(alias).strip(), role.id)
    return names


# ====================================================================== one sheet
def read_sheet(text: str, name: str, *, rules: IngestRules | None = None,
               curated: Mapping[str, str] | None = None) -> Sheet:
    """One career sheet as a role.

    Parameters
    ----------
    text : str
        The sheet (Markdown with or without front matter, plain text, or HTML).
    name : str
        Its file name: the source every fact cites.
    rules : IngestRules, keyword-only, optional
        The cues of ``intents/ingest.toml`` (default: the bundled file).
    curated : mapping, keyword-only, optional
        Folded names of curated roles -> their id (:func:`curated_names`): a sheet
        whose role name is one of them gives no role (the curated one wins, the
        note says so), and aliases a curated role has are left out.

    Examples
    --------
    >>> sheet = read_sheet("# Sales Ops\\nLe Sales Ops outille l'équipe.\\n## Quel salaire ?\\n"
    ...                    "Environ 40 000 € bruts par an.", "sales-ops.md")
    >>> sheet.role["name"], [s.topic for s in sheet.sections]
    ('Sales Ops', ['definition', 'salary'])
    >>> sheet.role["topics"]["salary"]["figures"][0]["total"]
    '40 000 €'
    """
    rules = rules or load_ingest_rules()
    extraction = extract_pairs(text, name, rules=rules)
    meta_aliases: list[str] = []
    for line in text.split("\n")[:30]:
        key, sep, value = line.partition(":")
        if sep and fold(key).strip() in ("aliases", "alias", "appellations", "synonymes") and value.strip():
            meta_aliases.extend(_split_names(value.strip(" []")))
    role_name = _clean_name(extraction.title) or extraction.title
    if role_name.isupper() and len(role_name) > 5:
        role_name = role_name.capitalize()
    short, aliases, alias_lines = _names(extraction.title, role_name, extraction.pairs, meta_aliases, rules)
    notes: list[str] = []
    curated = curated or {}
    clash = next((curated[fold(a).strip()] for a in (role_name, short) if a and fold(a).strip() in curated), None)
    if clash:
        notes.append(f"no role written: the curated role '{clash}' is already \"{role_name}\" (the curated role wins)")
    kept_aliases = []
    for alias in aliases:
        owner = curated.get(fold(alias).strip())
        if owner and not clash:
            notes.append(f"alias \"{alias}\" left out: it names the curated role '{owner}'")
        elif not owner:
            kept_aliases.append(alias)
    if short and fold(short).strip() in curated:
        short = ""
    skip_lines = {line.strip() for line in alias_lines}

    topics: dict[str, dict[str, Any]] = {}
    sections: list[Section] = []
    entries: list[dict[str, Any]] = []

    def add(topic_id: str, facts: list[dict[str, Any]], figures: list[dict[str, Any]], question: str = "") -> None:
        topic = topics.setdefault(topic_id, {"sources": [name], "facts": [], "figures": []})
        known = {f["text"] for f in topic["facts"]}
        for fact in facts:
            if fact["text"] not in known:
                topic["facts"].append(fact)
                known.add(fact["text"])
        topic["figures"].extend(figures)

    for pair in extraction.pairs:
        topic_id: str | None
        body = "\n".join(line for line in pair.answer.split("\n") if line.strip() not in skip_lines)
        if pair.heading_kind in ("heading", "question") and fold(pair.title).strip(" :?").startswith(
                rules.summary_headings or ("\0",)):
            # "Points clés": one item on pay, one on employers… each fact goes where its own cues say.
            placed, left = _place_summary(body, name, rules)
            for tid, facts in placed.items():
                many = len(facts) > 1
                sections.append(Section(pair.title, tid, f"summary: {len(facts)} fact{'s' if many else ''} placed by "
                                        f"{'their' if many else 'its'} cues", pair.faq))
                add(tid, facts, [fig for f in facts for fig in parse_figures(f["text"], name, rules)]
                    if tid == "salary" else [])
            if left or not placed:
                sections.append(Section(pair.title, None, "summary: no cue" if not placed else
                                        f"summary: {len(left)} fact{'s' if len(left) > 1 else ''} with no cue", pair.faq))
                answer = "\n".join(("- " if f.get("bullet") else "") + f["text"] for f in left) if placed else pair.answer
                entries.append({"title": pair.title, "questions": list(pair.questions), "answer": answer,
                                "sources": [name]})
            continue
        if pair.heading_kind in ("title", "description"):
            topic_id, how = "definition", pair.heading_kind
        elif pair.heading_kind == "card":
            topic_id, how = classify(pair.title, "", rules)
            how = f"card, {how}"
            body = f"{pair.title} : {pair.answer}"
        else:
            topic_id, how = classify(pair.title, body, rules)
            if pair.faq:
                how = f"faq, {how}"
        if topic_id is None or (pair.faq and _compares(pair.title, rules)):
            sections.append(Section(pair.title, None, how, pair.faq))
            entries.append({"title": pair.title, "questions": list(pair.questions), "answer": pair.answer,
                            "sources": [name]})
            continue
        facts = split_facts(body, name)
        kept, moved = facts, dict[str, int]()
        if "heading '" in how and topic_id != "definition" and topic_id not in rules.illustrative_topics:
            kept, moved = _off_topic_paragraphs(facts, topic_id, rules)
        figures = []
        if topic_id == "salary":
            for fact in kept:
                figures.extend(parse_figures(fact["text"], name, rules))
        if not facts and not figures:
            sections.append(Section(pair.title, None, "no text left", pair.faq))
            continue
        sections.append(Section(pair.title, topic_id, how, pair.faq))
        sections.extend(Section(pair.title, other, f"{n} paragraph{'s' if n > 1 else ''} moved by {'their' if n > 1 else 'its'}"
                                " fact cues", pair.faq) for other, n in moved.items())
        add(topic_id, kept, figures)
        folded = [f" {fold(f['text'])} " for f in facts]     # once per fact, not once per cue
        for cues in rules.topics:
            if cues.id == topic_id or not cues.facts or topic_id in rules.illustrative_topics:
                continue
            copied = [f for f, text in zip(facts, folded) if any(_has(text, c) for c in cues.facts)]
            if copied:
                copied = [{k: v for k, v in f.items() if k != "paragraph"} for f in copied]
                found = [fig for f in copied for fig in parse_figures(f["text"], name, rules)] if cues.id == "salary" else []
                add(cues.id, copied, found)

    salary = topics.get("salary", {}).get("figures", [])
    countries = {f["country"] for f in salary if f.get("country")}
    if len(countries) == 1:
        # The sheet names one country for its pay: the figures that name none are for it too.
        country = next(iter(countries))
        for fig in salary:
            if not fig.get("country"):
                fig["country"] = country
                fig["scope"] = f"{country}, {fig['scope']}"
    definition: list[dict[str, Any]] = topics.get("definition", {}).get("facts") or next(
        (t["facts"] for t in topics.values() if t["facts"]), [])
    summary = definition[0]["text"] if definition else f"Métier décrit par la fiche « {extraction.title} »."
    role_id = _role_id(role_name, short)
    role: dict[str, Any] = {
        "id": role_id,
        "name": role_name,
        "short": short,
        "aliases": kept_aliases or [role_name],
        "summary": summary,
        "sources": [name],
        "related": [],
        "ingested": True,
        "topics": {tid: _topic_table(t) for tid, t in topics.items() if t["facts"] or t["figures"]},
    }
    if clash:
        role = {}
    for entry in entries:
        entry["roles"] = [role_id] if role else []
    return Sheet(name, extraction.title, role, tuple(entries), tuple(sections), extraction.skipped, tuple(notes))


def _compares(question: str, rules: IngestRules) -> bool:
    """A FAQ question comparing two jobs ("quelle différence entre…") stays a question/answer pair."""
    folded = f" {fold(question)} "
    return any(_has(folded, w) for w in ("difference", "differences", "versus", "vs", "comparer", "ou bien"))


def _role_id(name: str, short: str) -> str:
    for candidate in (short, name):
        slug = _slug(candidate, 40)
        if slug and _ID.match(slug) and len(slug) >= 2:
            return slug
    return "role"


def _topic_table(topic: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"sources": list(dict.fromkeys(topic["sources"]))}
    if topic["facts"]:
        out["facts"] = list(topic["facts"])
    if topic["figures"]:
        out["figures"] = list(topic["figures"])
    return out


# ====================================================================== TOML
_ROLE_KEYS = ("id", "name", "short", "aliases", "summary", "sources", "related", "note", "caveat", "ingested")
_FACT_KEYS = ("text", "source", "paragraph", "bullet", "keywords")
_FIGURE_KEYS = ("scope", "country", "seniority", "fixed", "variable", "variable_share", "ote", "total", "period",
                "year", "source", "note", "on_request")


def role_to_toml(role: Mapping[str, Any], header: str = "") -> str:
    """The text of a role file (``knowledge/roles/<id>.toml`` format) for a role table."""
    lines = [header.rstrip("\n")] if header else []
    for key in _ROLE_KEYS:
        if key in role and role[key] not in ("", None):
            lines.append(f"{key} = {_value(role[key])}")
    for topic_id, topic in role.get("topics", {}).items():
        lines.append(f"\n[topics.{topic_id}]")
        for key in ("sources", "questions", "intro"):
            if topic.get(key):
                lines.append(f"{key} = {_value(topic[key])}")
        for kind, keys in (("facts", _FACT_KEYS), ("figures", _FIGURE_KEYS)):
            for row in topic.get(kind, ()):
                lines.append(f"\n[[topics.{topic_id}.{kind}]]")
                lines.extend(f"{k} = {_value(row[k])}" for k in keys if k in row and row[k] not in ("", None, False))
    text = "\n".join(lines) + "\n"
    if _strip(tomllib.loads(text)) != _strip(dict(role)):
        raise BatchFileError(f"role '{role.get('id')}': the TOML written does not read back as written (a careerbot bug)")
    return text


def _strip(value: Any) -> Any:
    """*value* without empty strings, False and empty lists (what the writer leaves out)."""
    if isinstance(value, Mapping):
        return {k: _strip(v) for k, v in value.items() if v not in ("", None, False, [], (), {})}
    if isinstance(value, (list, tuple)):
        return [_strip(v) for v in value]
    return value


# ====================================================================== the folder
_HEADER = ("# Written by `careerbot ingest` from {what}.\n"
           "# Re-ingesting a sheet replaces what it gave here; hand edits to it are then lost.\n")


def _merge(into: dict[str, Any], role: Mapping[str, Any]) -> None:
    """Add *role*'s names, sources and facts to *into* (the same role from another sheet)."""
    for key in ("aliases", "sources"):
        into[key] = list(dict.fromkeys([*into[key], *role[key]]))
    into["short"] = into.get("short") or role.get("short", "")
    for topic_id, topic in role["topics"].items():
        mine = into["topics"].setdefault(topic_id, {"sources": []})
        mine["sources"] = list(dict.fromkeys([*mine["sources"], *topic["sources"]]))
        for kind in ("facts", "figures"):
            if topic.get(kind):
                mine[kind] = [*mine.get(kind, []), *topic[kind]]


def _without(role: dict[str, Any], names: set[str]) -> dict[str, Any] | None:
    """*role* without what the sheets *names* gave it; None when nothing is left."""
    topics = {}
    for topic_id, topic in role.get("topics", {}).items():
        kept = {kind: [row for row in topic.get(kind, []) if row.get("source") not in names]
                for kind in ("facts", "figures")}
        if kept["facts"] or kept["figures"]:
            topics[topic_id] = {**topic, "sources": [s for s in topic["sources"] if s not in names] or
                                [next(r["source"] for r in (*kept["facts"], *kept["figures"]))],
                                **{k: v for k, v in kept.items() if v}}
            for kind in ("facts", "figures"):
                if not kept[kind]:
                    topics[topic_id].pop(kind, None)
    sources = [s for s in role.get("sources", []) if s not in names]
    if not topics or not sources:
        return None
    return {**role, "sources": sources, "topics": topics}


def write_roles(sheets: Sequence[Sheet], into: str | Path, *, check: Callable[[Path], object] | None = None,
                titles: Mapping[str, str] | None = None) -> list[str]:
    """Merge *sheets* into the knowledge folder *into*; returns notes on aliases given up between sheets.

    The folder holds ``sources.toml``, ``roles/<id>.toml`` (one per role, ``ingested = true``)
    and ``extracted.toml`` (the question/answer pairs kept). A sheet ingested again
    replaces what it gave; what other sheets gave is kept; two sheets naming the same
    role (same id) give one role with both sheets' facts. An alias two roles share
    stays with the role that had it first. The merged folder is staged and passed to
    *check* (e.g. a loader) before it replaces the old files.

    Raises
    ------
    BatchFileError
        When *into* is a curated knowledge folder or cannot be written.
    KnowledgeError
        When the files already in *into* cannot be read.
    """
    into = Path(into)
    if any((into / n).exists() for n in ("glossary.toml", "practices.toml", "comparisons.toml")) or any(
            not _is_ingested(p) for p in (into / "roles").glob("*.toml")):
        raise BatchFileError(f"{into}: holds curated roles or terms, so it is a curated knowledge folder; "
                             "write the ingested sheets to a folder of their own")
    make_folder(into)
    names = {s.name for s in sheets}
    old_sources = read_toml(into / "sources.toml").get("source", []) if (into / "sources.toml").is_file() else []
    old_entries = read_toml(into / "extracted.toml").get("entry", []) if (into / "extracted.toml").is_file() else []
    roles: dict[str, dict[str, Any]] = {}
    for path in sorted((into / "roles").glob("*.toml")):
        kept = _without(read_toml(path), names)
        if kept is not None:
            roles[kept["id"]] = kept
    sources = {s["file"]: s for s in old_sources if isinstance(s, dict) and s.get("file") not in names}
    entries = [e for e in old_entries if isinstance(e, dict) and not set(e.get("sources", ())) & names]
    notes: list[str] = []
    owner = {fold(a).strip(): rid for rid, r in roles.items() for a in (r["name"], *r["aliases"])}
    for sheet in sheets:
        sources[sheet.name] = {"file": sheet.name, "title": (titles or {}).get(sheet.name, sheet.title)}
        if sheet.role:
            role = {**sheet.role, "aliases": list(sheet.role["aliases"])}
            rid = role["id"]
            # The same name as another ingested role: the same role (001 and 003 both describe the AE).
            same = owner.get(fold(role["name"]).strip())
            if same and same != rid:
                rid = role["id"] = same
            for alias in list(role["aliases"]):
                other = owner.get(fold(alias).strip())
                if other and other != rid:
                    role["aliases"].remove(alias)
                    notes.append(f"{sheet.name}: alias \"{alias}\" left to role '{other}', which has it already")
            if not role["aliases"]:
                role["aliases"] = [role["name"]]
            if rid in roles:
                _merge(roles[rid], role)
            else:
                roles[rid] = role
            for alias in (role["name"], *role["aliases"]):
                owner.setdefault(fold(alias).strip(), rid)
        for n, entry in enumerate(sheet.entries, 1):
            entry_roles = [owner.get(fold(sheet.role["name"]).strip(), sheet.role_id)] if sheet.role else []
            entries.append({"id": f"x-{_slug(Path(sheet.name).stem, 50)}-{n:02d}-{_slug(entry['title'], 30) or 'pair'}",
                            **{k: v for k, v in entry.items() if k != "roles"}, "roles": entry_roles})
    used = set(sources)
    for entry in entries:
        entry["roles"] = [r for r in entry.get("roles", []) if r in roles]
    stage = Path(tempfile.mkdtemp(prefix=".ingest-", dir=into))
    try:
        texts = {rid: role_to_toml(role, _HEADER.format(what=", ".join(role["sources"]))) for rid, role in roles.items()}
        (stage / "roles").mkdir()
        for rid, text in texts.items():
            (stage / "roles" / f"{rid}.toml").write_text(text, encoding="utf-8")
        ordered = [sources[n] for n in sorted(used)]
        sources_text = to_toml({"source": ordered}, header=_HEADER.format(what="the sheets listed here"))
        entries_text = to_toml({"entry": entries}, header=_HEADER.format(what="the sheets' questions and answers"))
        (stage / "sources.toml").write_text(sources_text, encoding="utf-8")
        if entries:
            (stage / "extracted.toml").write_text(entries_text, encoding="utf-8")
        if check is not None and ordered:
            check(stage)
        (into / "roles").mkdir(exist_ok=True)
        # Sources first (a superset while roles change), then roles and pairs, then the final sources.
        union = sorted({*used, *(s.get("file", "") for s in old_sources if isinstance(s, dict))} - {""})
        everything = {**{s["file"]: s for s in old_sources if isinstance(s, dict) and "file" in s}, **sources}
        if ordered:
            _write_file(into / "sources.toml", to_toml({"source": [everything[n] for n in union]},
                                                      header=_HEADER.format(what="the sheets listed here")))
        for rid, text in texts.items():
            _write_file(into / "roles" / f"{rid}.toml", text)
        for path in (into / "roles").glob("*.toml"):
            if path.stem not in texts:
                path.unlink()
        if entries:
            _write_file(into / "extracted.toml", entries_text)
        else:
            (into / "extracted.toml").unlink(missing_ok=True)
        if ordered:
            _write_file(into / "sources.toml", sources_text)
        else:
            (into / "sources.toml").unlink(missing_ok=True)
    except OSError as exc:
        raise BatchFileError(f"{into}: cannot write the roles ({exc.strerror})") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return notes


def _is_ingested(path: Path) -> bool:
    try:
        return bool(read_toml(path).get("ingested"))
    except KnowledgeError:
        return False


# ====================================================================== report
def format_sheets_report(sheets: Sequence[Sheet], into: str | Path | None = None, notes: Sequence[str] = (),
                         *, dry_run: bool = False) -> str:
    """Per sheet: the role, its aliases, each section's topic (or that it was not placed) and what was skipped.

    Examples
    --------
    >>> print(format_sheets_report([read_sheet("# Sales Ops\\nIl outille l'équipe.\\n## Termes connexes\\n- CRM", "s.md")]))
    s.md: role 'sales-ops' "Sales Ops" (aliases: Sales Ops)
      definition   <- "Sales Ops" (title)
      skipped "Termes connexes": page furniture: related-terms links (with the 1 line under it)
    1 role from 1 sheet.
    """
    lines = []
    for sheet in sheets:
        if sheet.role:
            lines.append(f"{sheet.name}: role '{sheet.role_id}' \"{sheet.role['name']}\" "
                         f"(aliases: {', '.join(sheet.aliases)})")
        else:
            lines.append(f"{sheet.name}: no role")
        for section in sheet.sections:
            where = section.topic or "NOT PLACED"
            kept = " — kept as a question/answer pair" if section.topic is None else ""
            lines.append(f"  {where:<12} <- \"{section.heading}\" ({section.how}){kept}")
        for heading, reason in sheet.skipped:
            shown = heading if len(heading) <= 70 else heading[:67].rstrip() + "…"
            lines.append(f'  skipped "{shown}": {reason}')
        lines.extend(f"  note: {note}" for note in sheet.notes)
    lines.extend(f"note: {note}" for note in notes)
    n_roles = len({s.role_id for s in sheets if s.role})
    summary = f"{n_roles} role{'s' if n_roles != 1 else ''} from {len(sheets)} sheet{'s' if len(sheets) != 1 else ''}"
    if dry_run:
        lines.append(f"{summary}; dry run: nothing written.")
    elif into is not None:
        lines.append(f"{summary}, written to {into}.")
    else:
        lines.append(f"{summary}.")
    return "\n".join(lines)


