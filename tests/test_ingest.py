"""careerbot ingest: career sheets become question/answer pairs in the knowledge format, answered beside the curated base.

Everything extracted is written under pytest's tmp_path; nothing extracted is committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import BatchFileError, Bot, KnowledgeError, load_knowledge
from bot.cli import EXIT_ERROR, EXIT_OK, main
from bot.ingest import extract_pairs, format_report, to_toml, write_pairs
from bot.normalise import fold

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from conftest import ROOT

# Every heading of each source document, as written and in document order: the pairs
# extracted must be exactly these (header cards of 004 included, furniture excluded).
SEED_HEADINGS = {
    "000_689f7260dbbb0cf0.txt": [
        "Compte executif",                      # title; its answer is the front matter's description
        "Qu'est-ce qu'un responsable de compte ?",
        "Comprendre le chargé de compte",
        "La réglementation s'applique",
        "Responsabilités du responsable de compte",
        "Où les trouver",
        "Points forts",
    ],
    "001_6c24a15a064cfcee.txt": [
        "Account Executive (Responsable de Comptes) : Définition",
        "Qu'est-ce que l'Account Executive et pourquoi est-ce important ?",
        "Exemple concret",
        "Quelle est la différence entre un Account Executive et un SDR ?",
        "Quels sont les KPIs clés d'un Account Executive ?",
        "Comment mesurer la performance d'un Account Executive ?",
        "Quel profil recruter pour un poste d'Account Executive ?",
        "Quelle rémunération pour un Account Executive ?",
    ],
    "002_b5920f58448e636b.txt": [
        "Account Manager (Responsable de Comptes) : Définition",
        "Qu'est-ce que l'Account Manager et pourquoi est-ce important ?",
        "Exemple concret",
        "Quelle est la différence entre Account Manager et Commercial ?",
        "Combien de comptes un Account Manager peut-il gérer ?",
        "Quelles compétences sont essentielles pour un Account Manager ?",
        "Comment mesurer la performance d'un Account Manager ?",
        "L'Account Manager doit-il avoir des objectifs de vente ?",
    ],
    "003_4e01968991f6f92c.txt": [
        "Qu’est-ce qu’un Account Executive ou AE ?",
        "Quel est le rôle de l’Account Executive ?",
        "Quelles sont ses missions ?",
        "Quelles sont les compétences requises ?",
    ],
    "004_8b581f9a927034e0.txt": [
        "Salaire moyen",                        # the four header cards
        "Niveau d'études",
        "Météo de l'emploi",
        "Années d'experience",
        "Key account manager",                  # title and definition
        "Les missions du key account manager",
        "Quelles études pour devenir key account manager ?",
        "Quelles sont les compétences requises pour être key account manager ?",
        "Évolution du métier de key account manager : à quoi s’attendre à l’avenir ?",
        "Où travaille un key account manager ?",
        "Quel est le salaire d’un key account manager ?",
        "Carrière et évolution professionnelle du key account manager",
    ],
}

# Page furniture of the seeds: none of it may reach a pair.
FURNITURE = [
    "Termes connexes",
    "Besoin d'aide pour comprendre vos métriques",
    "On peut vous accompagner",
    "Besoin de financement pour votre formation",
    "KEDGE",                                   # the school advert of 004, a list introduction with its list cut off
    "Questions fréquentes",
    "Le métier en bref",
]

# The same heading in two documents is asked with its document's subject.
ASK_AS = {
    ("001_6c24a15a064cfcee.txt", "Exemple concret"): "Exemple concret d'Account Executive",
    ("002_b5920f58448e636b.txt", "Exemple concret"): "Exemple concret d'Account Manager",
}

# Questions in other words than the headings', with the document that answers them.
PARAPHRASES = [
    ("combien de comptes peut gérer un account manager", "002_b5920f58448e636b.txt"),
    ("quel est le salaire moyen", "004_8b581f9a927034e0.txt"),
    ("quel niveau d'études", "004_8b581f9a927034e0.txt"),
    ("quelles sont les missions d'un account executive", "003_4e01968991f6f92c.txt"),
    ("différence account manager commercial", "002_b5920f58448e636b.txt"),
    ("c'est quoi la réglementation", "000_689f7260dbbb0cf0.txt"),
]

# A sheet for a role the curated base does not have, shaped like the seeds: front matter with
# an HTML entity, question headings, a bulleted list, furniture.
NEW_SHEET_NAME = "sales-ops.md"
NEW_SHEET = """\
---
title: Sales Ops
description: Le Sales Ops (Sales Operations) fait tourner la machine commerciale : outils, données et processus de l&#39;équipe de vente.
---

# Sales Ops

## Que fait un Sales Ops au quotidien ?

Il administre le CRM, construit les tableaux de bord de l'équipe commerciale et prépare le forecast avec les managers.

## Quelles études pour devenir Sales Ops ?

Un bac +5 en école de commerce ou en gestion, avec un goût marqué pour les données :

- école de commerce ;
- master en systèmes d'information.

## Quel salaire pour un Sales Ops ?

Un Sales Ops débutant gagne environ 40 000 € bruts par an ; un profil senior dépasse 60 000 €.

## Termes connexes

- CRM
- Forecast

## Besoin de financement pour votre formation ?

Découvrez nos solutions de financement.
"""
NEW_SHEET_QUESTIONS = [
    "Qu'est-ce qu'un Sales Ops ?",
    "Que fait un Sales Ops au quotidien ?",
    "Quelles études pour devenir Sales Ops ?",
    "Quel salaire pour un Sales Ops ?",
    "c'est quoi un sales ops",
]

# Curated answers that must read the same once the new sheet is ingested.
CURATED_QUESTIONS = [
    "combien gagne un KAM ?",
    "c'est quoi un account executive ?",
    "différence entre AE et SDR",
    "c'est quoi l'OTE ?",
    "quel est le salaire d'un SDR ?",
    "quels KPI pour un account manager ?",
    "j'ai un quota de 100k, il me faut combien de pipe ?",
    "quelles études pour devenir key account manager ?",
    "combien de comptes gère un account manager ?",
    "bonjour",
]


# ---------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def seed_extractions(sources_dir):
    """The five seeds, extracted, by file name."""
    return {path.name: extract_pairs(path.read_text(encoding="utf-8"), path.name)
            for path in sorted(sources_dir.glob("*.txt"))}


@pytest.fixture(scope="module")
def seed_folder(seed_extractions, tmp_path_factory):
    """A folder holding only the seeds' extracted pairs (sources.toml + extracted.toml)."""
    return write_pairs(list(seed_extractions.values()), tmp_path_factory.mktemp("seeds-extracted"))


@pytest.fixture(scope="module")
def extracted_only_bot(seed_folder):
    """A bot whose whole knowledge is the seeds' extracted pairs: no curated role, term or comparison."""
    return Bot.load(seed_folder, cache_dir=None)


@pytest.fixture(scope="module")
def new_sheet_folder(tmp_path_factory):
    """The new sheet's pairs, written to a folder of their own."""
    return write_pairs([extract_pairs(NEW_SHEET, NEW_SHEET_NAME)], tmp_path_factory.mktemp("sheet-extracted"))


@pytest.fixture(scope="module")
def bot_with_sheet(new_sheet_folder):
    """The bundled knowledge plus the new sheet's pairs."""
    return Bot.load(extra=[new_sheet_folder], cache_dir=None)


def _seed_cases():
    return [pytest.param(name, heading, id=f"{name[:3]}-{heading[:40]}")
            for name, headings in SEED_HEADINGS.items() for heading in headings]


# ---------------------------------------------------------------------------------------- the seeds
def test_the_seeds_are_the_five_listed(seed_extractions):
    """The heading lists below cover every seed document, and only those."""
    assert sorted(seed_extractions) == sorted(SEED_HEADINGS)


@pytest.mark.parametrize("name", sorted(SEED_HEADINGS))
def test_every_heading_of_a_seed_is_extracted_and_nothing_else(seed_extractions, name):
    """Each seed gives one pair per heading, in document order: no heading missed, no furniture kept."""
    assert [pair.title for pair in seed_extractions[name].pairs] == SEED_HEADINGS[name]


@pytest.mark.parametrize("name", sorted(SEED_HEADINGS))
def test_no_furniture_reaches_a_pair(seed_extractions, name):
    """Adverts, related-terms links, financing call-outs and block labels appear in no question or answer."""
    for pair in seed_extractions[name].pairs:
        text = fold(" ".join((pair.title, *pair.questions, pair.answer)))
        for furniture in FURNITURE:
            assert fold(furniture) not in text, (pair.title, furniture)


def test_skipped_headings_are_reported_with_a_reason(seed_extractions):
    """Furniture, category labels, empty headings and section labels are listed as skipped, with why."""
    skipped = {(name, heading): reason for name, ex in seed_extractions.items() for heading, reason in ex.skipped}
    assert "related-terms" in skipped[("001_6c24a15a064cfcee.txt", "Termes connexes")]
    assert "advert" in skipped[("002_b5920f58448e636b.txt", "Besoin d'aide pour comprendre vos métriques ?")]
    assert "financing" in skipped[("003_4e01968991f6f92c.txt", "Besoin de financement pour votre formation ?")]
    assert "category" in skipped[("003_4e01968991f6f92c.txt", "Métier")]
    assert "category" in skipped[("004_8b581f9a927034e0.txt", "Commerce")]
    assert "empty heading" in skipped[("003_4e01968991f6f92c.txt", "Account Executive")]
    assert "questions" in skipped[("001_6c24a15a064cfcee.txt", "Questions fréquentes")]
    report = format_report(list(seed_extractions.values()))
    assert "004_8b581f9a927034e0.txt (Key account manager): 12 pairs" in report
    assert 'skipped "Termes connexes": page furniture' in report


def test_answers_run_to_the_next_heading(seed_extractions):
    """An answer is the whole text under its heading: paragraphs, sub-lists and their labels."""
    pairs = {(name, p.title): p for name, ex in seed_extractions.items() for p in ex.pairs}
    skills = pairs[("004_8b581f9a927034e0.txt", "Quelles sont les compétences requises pour être key account manager ?")]
    assert "Hard skills" in skills.answer and "Soft skills" in skills.answer
    assert skills.answer.endswith("- Capacité d’écoute.")
    missions = pairs[("003_4e01968991f6f92c.txt", "Quelles sont ses missions ?")].answer
    assert "- Territoires : L’Account Executive travaille" in missions      # a bold title glued to its text
    assert "Besoin de financement" not in missions
    definition = pairs[("001_6c24a15a064cfcee.txt", "Account Executive (Responsable de Comptes) : Définition")]
    assert definition.answer.startswith("Aussi appelé : AE")                 # "Aussi appelé" belongs to the definition
    assert definition.question == "Qu'est-ce qu'un Account Executive ?"
    assert pairs[("004_8b581f9a927034e0.txt", "Salaire moyen")].answer == "28k - 60k €"
    assert pairs[("004_8b581f9a927034e0.txt", "Salaire moyen")].question == "Quel est le salaire moyen ?"
    description = pairs[("000_689f7260dbbb0cf0.txt", "Compte executif")].answer
    assert "d'un compte d'entreprise" in description and "&#39;" not in description
    assert "[" not in pairs[("000_689f7260dbbb0cf0.txt", "La réglementation s'applique")].answer   # links unwrapped


def test_written_pairs_load_as_extracted_entries(seed_folder, seed_extractions):
    """The folder loads on its own: one 'extracted' entry per pair, citing its own document."""
    kb = load_knowledge(seed_folder)
    assert not kb.roles
    assert sorted(kb.sources) == sorted(seed_extractions)
    assert len(kb.entries) == sum(len(ex.pairs) for ex in seed_extractions.values())
    for entry in kb.entries.values():
        assert entry.kind == "extracted"
        assert entry.id.startswith("x-")
        assert len(entry.sources) == 1 and entry.id.startswith(f"x-{entry.sources[0][:3]}-")
    assert kb.sources["004_8b581f9a927034e0.txt"].title == "Key account manager"


@pytest.mark.parametrize("name, heading", _seed_cases())
def test_extracted_only_bot_answers_each_heading_from_its_document(extracted_only_bot, seed_extractions, name, heading):
    """Asked a document's own question, a bot with only extracted pairs answers from that document."""
    pair = next(p for p in seed_extractions[name].pairs if p.title == heading)
    answer = extracted_only_bot.ask(ASK_AS.get((name, heading), pair.question))
    assert answer.intent == "extracted"
    assert answer.sources == (name,)
    assert pair.answer in answer.text
    assert not answer.fallback


@pytest.mark.parametrize("question, name", PARAPHRASES)
def test_extracted_only_bot_answers_paraphrases(extracted_only_bot, question, name):
    """Questions worded differently from the headings still reach the right document."""
    answer = extracted_only_bot.ask(question)
    assert (answer.intent, answer.sources) == ("extracted", (name,))


def test_extracted_only_bot_still_refuses_other_jobs(extracted_only_bot):
    """A question about another profession is refused, not answered from a sheet."""
    assert extracted_only_bot.ask("combien gagne un plombier ?").fallback


# ---------------------------------------------------------------------------------------- a new sheet
def test_new_sheet_is_extracted_without_its_furniture():
    """The new sheet gives its definition and three question pairs; related terms and the call-out are skipped."""
    ex = extract_pairs(NEW_SHEET, NEW_SHEET_NAME)
    assert ex.title == "Sales Ops"
    assert [p.question for p in ex.pairs] == NEW_SHEET_QUESTIONS[:4]
    assert ex.pairs[0].heading_kind == "description"
    assert "de l'équipe de vente" in ex.pairs[0].answer
    assert ex.pairs[2].answer.endswith("- master en systèmes d'information.")
    assert [h for h, _ in ex.skipped] == ["Termes connexes", "Besoin de financement pour votre formation ?"]
    assert not any("- CRM" in p.answer or "Découvrez" in p.answer for p in ex.pairs)


@pytest.mark.parametrize("question", NEW_SHEET_QUESTIONS)
def test_new_sheet_is_answered_beside_the_curated_base(bot_with_sheet, question):
    """The sheet's questions, which the curated base cannot answer, are answered from the sheet."""
    answer = bot_with_sheet.ask(question)
    assert (answer.intent, answer.sources) == ("extracted", (NEW_SHEET_NAME,))
    assert "extrait automatiquement" in answer.text


@pytest.mark.parametrize("question", CURATED_QUESTIONS)
def test_curated_answers_are_unchanged_by_the_new_sheet(bot, bot_with_sheet, question):
    """Curated answers read exactly the same once a sheet is ingested."""
    assert bot_with_sheet.ask(question).to_dict() == bot.ask(question).to_dict()


def test_curated_salary_still_wins(bot_with_sheet):
    """"combien gagne un KAM ?" is still the curated salary of the KAM, not the sheet's salary pair."""
    answer = bot_with_sheet.ask("combien gagne un KAM ?")
    assert (answer.intent, answer.role) == ("salary", "kam")


@pytest.mark.parametrize("question", ["quel salaire pour un plombier ?", "quelles études pour devenir médecin ?"])
def test_other_jobs_are_still_refused_with_a_sheet(bot_with_sheet, question):
    """A profession careerbot does not cover is refused even though a sheet has a salary or studies pair."""
    assert bot_with_sheet.ask(question).fallback


# ---------------------------------------------------------------------------------------- extraction rules
def test_plain_text_shapes():
    """Title line, "Aussi appelé", question headings, a FAQ block, a list label, a line that goes on below."""
    text = textwrap.dedent("""\
        Métier
        Growth Marketer : Définition
        Aussi appelé : Growth Hacker
        Le Growth Marketer fait croître l'audience d'un produit.
        Exemple concret
        Une start-up double ses inscriptions en un trimestre.
        Questions fréquentes
        Quels outils utilise-t-il ?
        Des outils d'analyse
        et d'automatisation.
        Qualités attendues
          • Curiosité.
          • Rigueur.
        Termes connexes
        Besoin d'aide pour comprendre vos métriques ?
        On peut vous accompagner dans l'analyse de vos données.
        """)
    ex = extract_pairs(text, "growth.txt")
    assert [(p.title, p.heading_kind) for p in ex.pairs] == [
        ("Growth Marketer : Définition", "title"),
        ("Exemple concret", "heading"),
        ("Quels outils utilise-t-il ?", "question"),
    ]
    assert ex.pairs[0].answer.splitlines()[0] == "Aussi appelé : Growth Hacker"
    # "Qualités attendues" labels a list: it stays in the answer above it, as does the continued line.
    assert ex.pairs[2].answer == "Des outils d'analyse\net d'automatisation.\nQualités attendues\n- Curiosité.\n- Rigueur."
    assert "Growth Marketer : Quels outils utilise-t-il ?" in ex.pairs[2].questions
    assert ex.skipped == (
        ("Métier", "category label"),
        ("Questions fréquentes", "section label: the questions under it are extracted one by one"),
        ("Termes connexes", "page furniture: related-terms links"),
        ("Besoin d'aide pour comprendre vos métriques ?", "page furniture: site advert (with the 1 line under it)"),
    )


def test_furniture_hides_its_links_until_a_real_heading():
    """Short related-term lines under "Termes connexes" are dropped, not taken for headings; a real section ends them."""
    text = "Fiche X\nLe X vend.\nTermes connexes\nCRM\nForecast\nLes missions du X\nIl administre le CRM et construit les tableaux de bord.\n"
    ex = extract_pairs(text, "x.txt")
    assert [p.title for p in ex.pairs] == ["Fiche X", "Les missions du X"]
    assert ex.skipped == (("Termes connexes", "page furniture: related-terms links (with the 2 lines under it)"),)


def test_header_cards_need_a_run_or_a_label():
    """A lone short line under a heading is text; two label/value lines in a row are cards."""
    lone = extract_pairs("Fiche\nDurée\n3 ans\nLe métier s'apprend vite.", "a.txt")
    assert all(p.heading_kind != "card" for p in lone.pairs)
    cards = extract_pairs("Fiche\nSalaire moyen\n30k €\nNiveau d'études\nBac +3\nLe métier s'apprend vite.", "b.txt")
    assert [(p.question, p.answer) for p in cards.pairs if p.heading_kind == "card"] == [
        ("Quel est le salaire moyen ?", "30k €"), ("Quel niveau d'études faut-il ?", "Bac +3")]


def test_markdown_shapes():
    """Front matter, entities, links, emphasis, hard-wrapped paragraphs and empty headings."""
    text = textwrap.dedent("""\
        ---
        title: "Inside Sales"
        description: L&#39;Inside Sales vend à distance.
        ---
        # Inside Sales
        ## Où **travaille**-t-il ?
        Dans un [plateau](/plateau) de vente,
        souvent en open space.

        ## Vide
        ## Points forts
        - Pas de déplacements
        """)
    ex = extract_pairs(text, "inside.md")
    assert ex.title == "Inside Sales"
    assert [(p.title, p.answer) for p in ex.pairs] == [
        ("Inside Sales", "L'Inside Sales vend à distance."),
        ("Où travaille-t-il ?", "Dans un plateau de vente, souvent en open space."),
        ("Points forts", "- Pas de déplacements"),
    ]
    assert ("Vide", "empty heading: no text under it") in ex.skipped


@given(st.text(min_size=0, max_size=400))
@settings(max_examples=200, deadline=None)
def test_extraction_never_fails_and_never_gives_empty_pairs(text):
    """Any text gives an Extraction; every pair has a question and an answer."""
    ex = extract_pairs(text, "any.txt")
    for pair in ex.pairs:
        assert pair.question.strip() and pair.answer.strip() and pair.title.strip()


# ---------------------------------------------------------------------------------------- TOML writing
@given(st.text(), st.lists(st.text(), max_size=3))
@settings(max_examples=300, deadline=None)
def test_toml_writer_round_trips_any_text(text, items):
    """Whatever the characters (quotes, backslashes, newlines, controls), tomllib reads back what was written."""
    rows = [{"answer": text, "questions": items, "title": text.replace("\n", " ")}]
    assert tomllib.loads(to_toml({"entry": rows}))["entry"] == rows


@pytest.mark.parametrize("text", ['"""', 'a "quoted" \\ back\\slash', "line\r\nbreak\ttab\x00\x1f\x7f", "ends with \"", "\n"])
def test_toml_writer_escapes_the_hard_cases(text):
    """Triple quotes, a trailing quote, CR LF and control characters survive the round trip."""
    rows = [{"answer": text}]
    assert tomllib.loads(to_toml({"entry": rows}))["entry"] == rows


# ---------------------------------------------------------------------------------------- the folder
def _sheet(title: str, answer: str) -> str:
    return f"{title}\nLe {title} travaille en équipe.\nQuelles sont ses missions ?\n{answer}\n"


def test_ingesting_again_replaces_a_documents_pairs_and_keeps_the_others(tmp_path):
    """Pairs merge per document: B is kept when A is ingested again, and A's old answer is gone."""
    write_pairs([extract_pairs(_sheet("Alpha Ops", "Ancienne réponse."), "a.txt")], tmp_path)
    write_pairs([extract_pairs(_sheet("Beta Ops", "Réponse B."), "b.txt")], tmp_path)
    write_pairs([extract_pairs(_sheet("Alpha Ops", "Nouvelle réponse."), "a.txt")], tmp_path)
    kb = load_knowledge(tmp_path)
    assert sorted(kb.sources) == ["a.txt", "b.txt"]
    answers = {e.sources[0]: e.answer for e in kb.entries.values() if e.title == "Quelles sont ses missions ?"}
    assert answers == {"a.txt": "Nouvelle réponse.", "b.txt": "Réponse B."}
    assert len(kb.entries) == 4
    assert not list(tmp_path.glob(".*"))          # no temporary file or folder left behind


def test_a_document_with_no_pair_left_is_removed(tmp_path):
    """Ingesting a document that now gives nothing removes its old pairs and its source."""
    write_pairs([extract_pairs(_sheet("Alpha Ops", "A."), "a.txt"), extract_pairs(_sheet("Beta Ops", "B."), "b.txt")],
                tmp_path)
    write_pairs([extract_pairs("Termes connexes\n", "a.txt")], tmp_path)
    kb = load_knowledge(tmp_path)
    assert list(kb.sources) == ["b.txt"]
    assert {e.sources for e in kb.entries.values()} == {("b.txt",)}


def test_same_stem_two_extensions_get_distinct_ids(tmp_path):
    """a.txt and a.md both load: their entry ids do not collide."""
    pairs = [extract_pairs(_sheet("Alpha Ops", "A."), "a.txt"), extract_pairs("# Alpha Ops\nLe Alpha Ops.\n", "a.md")]
    write_pairs(pairs, tmp_path)
    entries = load_knowledge(tmp_path).entries
    assert len(entries) == 3
    assert {e.sources for e in entries.values()} == {("a.txt",), ("a.md",)}


def test_a_failed_check_leaves_the_folder_untouched(tmp_path):
    """When the check of the merged folder fails, the files in place are not replaced."""
    write_pairs([extract_pairs(_sheet("Alpha Ops", "A."), "a.txt")], tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def reject(folder):
        raise KnowledgeError(folder / "extracted.toml", None, "rejected", "nothing")

    with pytest.raises(KnowledgeError):
        write_pairs([extract_pairs(_sheet("Beta Ops", "B."), "b.txt")], tmp_path, check=reject)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_curated_folder_is_never_written_to(tmp_path):
    """Ingesting into a folder that holds roles or a glossary is refused before anything is written."""
    (tmp_path / "roles").mkdir()
    with pytest.raises(BatchFileError, match="curated knowledge folder"):
        write_pairs([extract_pairs(_sheet("Alpha Ops", "A."), "a.txt")], tmp_path)
    assert not (tmp_path / "extracted.toml").exists()


# ---------------------------------------------------------------------------------------- command line
def _run(args, home, *, check=True):
    env = {**os.environ, "CAREERBOT_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", check=check)


@pytest.mark.slow
def test_cli_ingest_then_ask(tmp_path):
    """`ingest FILE --into DIR` prints the report; `--knowledge DIR ask` answers from the sheet's role, citing it."""
    sheet = tmp_path / NEW_SHEET_NAME
    sheet.write_text(NEW_SHEET, encoding="utf-8")
    into = tmp_path / "pairs"
    out = _run(["ingest", str(sheet), "--into", str(into)], tmp_path / "home")
    assert f"{NEW_SHEET_NAME}: role 'sales-ops' \"Sales Ops\"" in out.stdout
    assert 'skipped "Termes connexes"' in out.stdout
    assert (into / "roles" / "sales-ops.toml").is_file() and (into / "sources.toml").is_file()
    answer = _run(["--knowledge", str(into), "ask", "Que fait un Sales Ops au quotidien ?"], tmp_path / "home")
    assert "administre le CRM" in answer.stdout and NEW_SHEET_NAME in answer.stdout
    curated = _run(["--knowledge", str(into), "ask", "--json", "combien gagne un KAM ?"], tmp_path / "home")
    assert '"role": "kam"' in curated.stdout and '"intent": "salary"' in curated.stdout


@pytest.mark.slow
def test_cli_ingest_default_folder_is_loaded_at_start_up(tmp_path):
    """Without --into the pairs go to <data dir>/extracted, which `ask` loads without --knowledge."""
    sheet = tmp_path / NEW_SHEET_NAME
    sheet.write_text(NEW_SHEET, encoding="utf-8")
    home = tmp_path / "home"
    _run(["ingest", str(sheet)], home)
    assert (home / "extracted" / "roles" / "sales-ops.toml").is_file()
    answer = _run(["ask", "Quel salaire pour un Sales Ops ?"], home)
    assert "40 000 €" in answer.stdout


@pytest.mark.parametrize("name, content, message", [
    ("absent.txt", None, "file not found"),
    ("sheet.pdf", b"%PDF-1.4", "only .txt, .md and .html"),
    ("latin1.txt", "Fiche\nRémunération élevée.".encode("latin-1"), "not UTF-8"),
    ("004_8b581f9a927034e0.txt", b"Fiche\nTexte.", "already a source of the curated knowledge"),
])
def test_cli_ingest_errors_are_one_line(tmp_path, monkeypatch, capsys, name, content, message):
    """A document that cannot be ingested gives one line on standard error and exit code 1; nothing is written."""
    monkeypatch.setenv("CAREERBOT_HOME", str(tmp_path / "home"))
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["ingest", str(path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("careerbot: error: ") and message in err
    assert not (tmp_path / "home" / "extracted").exists()


def test_cli_ingest_in_process_reports_per_document(tmp_path, monkeypatch, capsys):
    """`main(["ingest", ...])` writes the report to standard output and exits 0."""
    monkeypatch.setenv("CAREERBOT_HOME", str(tmp_path / "home"))
    sheet = tmp_path / NEW_SHEET_NAME
    sheet.write_text(NEW_SHEET, encoding="utf-8")
    assert main(["ingest", str(sheet), "--into", str(tmp_path / "pairs")]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"1 role from 1 sheet, written to {tmp_path / 'pairs'}."


def test_furniture_rules_are_data(tmp_path):
    """What counts as furniture comes from intents/ingest.toml: a new prefix drops a new kind of call-out."""
    from bot.ingest import load_ingest_rules

    sheet = "Sales Ops\nLe Sales Ops outille l'équipe.\nAbonnez-vous à la lettre\nRecevez nos offres.\n"
    rules_file = tmp_path / "ingest.toml"
    bundled_rules = (ROOT / "intents" / "ingest.toml").read_text(encoding="utf-8")
    rules_file.write_text(bundled_rules + '\n[[furniture]]\nprefix = "abonnez-vous"\nreason = "newsletter"\n',
                          encoding="utf-8")
    before = extract_pairs(sheet, "s.txt")
    after = extract_pairs(sheet, "s.txt", rules=load_ingest_rules(rules_file))
    assert any("Abonnez-vous" in p.title or "Recevez" in p.answer for p in before.pairs)
    assert not any("Abonnez-vous" in p.title or "Recevez" in p.answer for p in after.pairs)
    assert ("Abonnez-vous à la lettre", "newsletter") in [(h, r.split(" (")[0]) for h, r in after.skipped]


def test_a_broken_rules_file_is_a_clear_error(tmp_path):
    """A malformed intents/ingest.toml names the file, the entry and the fix."""
    from bot.ingest import load_ingest_rules

    rules_file = tmp_path / "ingest.toml"
    rules_file.write_text('[[furniture]]\nprefix = "x"\n', encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"furniture #1: missing required field 'reason'"):
        load_ingest_rules(rules_file)
