"""Coverage and grounding of the bundled knowledge base.

Forward: every figure and key term of each source can be reached from some
knowledge entry. Reverse: every number the knowledge base can say is printed
in a source document (nothing invented).
"""

from __future__ import annotations

import re

import pytest

from bot import load_knowledge
from bot.normalise import fold, match_key

S000, S001, S002, S003, S004 = (
    "000_689f7260dbbb0cf0.txt",
    "001_6c24a15a064cfcee.txt",
    "002_b5920f58448e636b.txt",
    "003_4e01968991f6f92c.txt",
    "004_8b581f9a927034e0.txt",
)

# (source, fact): the fact is a string, or a tuple of spellings any of which will do.
FACTS = [
    (S000, "57 504"), (S000, "2021"), (S000, "Glassdoor"), (S000, "3220"), (S000, "FINRA"),
    (S000, "publicité"), (S000, "relations publiques"), (S000, "services financiers"), (S000, "quota"),
    (S000, "commission"), (S000, "cybersécurité"),
    (S001, "35-45"), (S001, "15-25"), (S001, "50-70"), (S001, "50-60"), (S001, "30-50"), (S001, "30-40"),
    (S001, "On-Target Earnings"), (S001, ("2-5 ans", "2 à 5 ans")), (S001, "12 démos"), (S001, "45 jours"),
    (S001, ("25%", "25 %")), (S001, "15 000"), (S001, "120 000"), (S001, ("125%", "125 %")), (S001, "150 000"),
    (S001, "40 opportunités"), (S001, "90 jours"), (S001, "ARR"), (S001, "MRR"), (S001, "Annual Recurring Revenue"),
    (S001, "win"), (S001, "vélocité"), (S001, "SaaS"), (S001, "démo"), (S001, "onboarding"),
    (S002, ("10 à 20", "10-20")), (S002, ("50-80", "50 à 80")), (S002, "50 000"), (S002, "5 000-20 000"),
    (S002, ("25 à 40", "25-40")), (S002, ("85%", "85 %")), (S002, ("65%", "65 %")), (S002, ("10 à 30", "10-30")),
    (S002, "24 000"), (S002, "1 080 000"), (S002, "6 000"), (S002, "81 000"), (S002, "13,5"), (S002, "180 000"),
    (S002, "918 000"), (S002, "15 clients"), (S002, "45 clients"), (S002, "LTV"), (S002, "CAC"), (S002, "NRR"),
    (S002, "Net Revenue Retention"), (S002, "NPS"), (S002, "Net Promoter Score"), (S002, "QBR"),
    (S002, "Quarterly Business Review"), (S002, "churn"), (S002, "upsell"), (S002, "cross-sell"),
    (S002, "Chargé de comptes"), (S002, "Gestionnaire de comptes"),
    (S003, ("x 3", "x3", "×3", "× 3")), (S003, ("100.000", "100 000")), (S003, ("300.000", "300 000")),
    (S003, "best case"), (S003, "commit"), (S003, "pipeline"), (S003, "territoire"), (S003, "verticale"),
    (S003, "secteur public"), (S003, "closing"), (S003, "résilience"), (S003, "empathie"),
    (S004, ("28k - 60k", "28k-60k", "28 k - 60 k", "28k – 60k")), (S004, ("Bac +5", "Bac+5")),
    (S004, ("3 à 5 ans", "3-5 ans")), (S004, "60 000"), (S004, ("26 %", "26%")), (S004, "28 000"),
    (S004, ("30 %", "30%")), (S004, "hunting"), (S004, "farming"), (S004, "Global account manager"),
    (S004, "Direction commerciale"), (S004, "Direction des grands comptes"), (S004, "responsabilité sociétale"),
    (S004, "Recherché"), (S004, "école de commerce"), (S004, "appels d'offres"), (S004, "anglais"),
    (S004, "responsable grands comptes"), (S004, "comptes clés"),
]


def _variants(fact):
    return fact if isinstance(fact, tuple) else (fact,)


def _fact_id(item):
    return f"{item[0][:3]}:{_variants(item[1])[0]}"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


@pytest.fixture(scope="module")
def kb_texts(kb):
    return [(file, entry, match_key(text)) for file, entry, text in kb.texts()]


@pytest.mark.parametrize("item", FACTS, ids=_fact_id)
def test_source_fact_is_in_the_knowledge_base(kb, kb_texts, item):
    """The fact can be reached from at least one entry, and that entry cites the fact's source."""
    source, fact = item
    keys = [match_key(v) for v in _variants(fact)]
    holders = [(file, entry) for file, entry, text in kb_texts if any(k in text for k in keys)]
    assert holders, f"no knowledge entry states {fact!r} (from {source})"
    cited = set()
    for role in kb.roles.values():
        cited.update(role.sources)
    for entry in kb.entries.values():
        cited.update(entry.sources)
    assert source in cited


@pytest.mark.parametrize("item", FACTS, ids=_fact_id)
def test_fact_table_is_true_to_its_source(sources_dir, item):
    """The table above quotes its sources correctly (so it cannot drift from them)."""
    source, fact = item
    text = match_key((sources_dir / source).read_text(encoding="utf-8"))
    assert any(match_key(v) in text for v in _variants(fact)), f"{fact!r} is not in {source}"


_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")


def _numbers(text: str) -> set[str]:
    """Digit strings of the numbers in *text* ("100.000" and "100 000" both give "100000")."""
    return {re.sub(r"\D", "", m) for m in _NUMBER.findall(text)}


def test_every_number_in_the_knowledge_base_is_in_a_source(kb, sources_dir):
    """No invented figure: each number any entry can say is printed in one of the source documents."""
    source_numbers = set()
    for path in sources_dir.glob("*.txt"):
        source_numbers |= _numbers(path.read_text(encoding="utf-8"))
    invented = []
    for file, entry, text in kb.texts():
        # Source file names carry hex digits; they are citations, not figures.
        text = re.sub(r"\d{3}_[0-9a-f]{16}\.txt", "", text)
        for number in _numbers(text) - source_numbers:
            invented.append(f"{file} [{entry}]: {number}")
    assert not invented, "numbers not found in any source:\n" + "\n".join(invented)


def test_every_entry_cites_a_known_source(kb):
    """Each role, topic, figure, entry and comparison names source files that exist in sources.toml."""
    known = set(kb.sources)
    for role in kb.roles.values():
        assert set(role.sources) <= known
        for topic in role.topics.values():
            assert topic.sources and set(topic.sources) <= known
            assert all(f.source in known for f in topic.figures)
    for entry in kb.entries.values():
        assert entry.sources and set(entry.sources) <= known
    for comp in kb.comparisons.values():
        assert comp.sources and set(comp.sources) <= known


def test_sources_listed_are_the_five_documents(kb, sources_dir):
    """sources.toml lists exactly the documents in the sources folder."""
    assert set(kb.sources) == {p.name for p in sources_dir.glob("*.txt")}


def test_no_sentence_is_copied_from_the_sources(kb, sources_dir):
    """Written in our own words: no run of 12 consecutive words is taken from a source."""
    def runs(text, n=12):
        words = re.findall(r"\w+", fold(text))
        return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}

    source_runs = set()
    for path in sources_dir.glob("*.txt"):
        source_runs |= runs(path.read_text(encoding="utf-8"))
    copied = [f"{file} [{entry}]: …{run}…" for file, entry, text in kb.texts() for run in runs(text) & source_runs]
    assert not copied, "copied from a source:\n" + "\n".join(copied[:10])
