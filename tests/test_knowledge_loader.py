"""The loader accepts a valid base and rejects each kind of broken file with file, entry and fix."""

from __future__ import annotations

import codecs

import pytest
from conftest import MINI_KB, write_kb

from bot import KnowledgeError, load_knowledge

ONE_MB = "x" * 2**20


def test_minimal_base_loads_into_immutable_objects(tmp_path):
    """A valid base loads; its mappings cannot be changed afterwards."""
    kb = load_knowledge(write_kb(tmp_path, {}))
    assert kb.roles["ae"].topics["definition"].answer == "Il conduit le cycle de vente."
    assert kb.entries["ote"].kind == "glossary"
    with pytest.raises(TypeError):
        kb.roles["x"] = kb.roles["ae"]
    with pytest.raises(AttributeError):
        kb.roles["ae"].name = "other"


BROKEN = [
    pytest.param({"roles/ae.toml": 'id = "ae"\nname = "AE\n'}, "roles/ae.toml", "not valid TOML", id="malformed"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('summary = "Commercial qui signe de nouveaux clients."', "")},
                 "role 'ae'", "missing required field 'summary'", id="missing-field"),
    pytest.param({"roles/ae2.toml": MINI_KB["roles/ae.toml"].replace('aliases = ["account executive", "ae"]', 'aliases = ["x"]')},
                 "role 'ae'", "duplicate role id", id="duplicate-role"),
    pytest.param({"glossary.toml": MINI_KB["glossary.toml"] + MINI_KB["glossary.toml"]},
                 "entry 'ote'", "duplicate id", id="duplicate-entry"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace("related = []", 'related = ["kam"]')},
                 "role 'ae' (related)", "unknown role 'kam'", id="unknown-role"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('sources = ["001_x.txt"]\n        related', 'sources = ["009_y.txt"]\n        related')},
                 "role 'ae'", "unknown source file '009_y.txt'", id="unknown-source"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('text = "Il conduit le cycle de vente."', 'text = "  "')},
                 "fact #1", "field 'text' is empty", id="empty-fact"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('source = "001_x.txt"', 'source = "002_z.txt"')},
                 "fact #1", "unknown source file '002_z.txt'", id="fact-unknown-source"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('text = "Il conduit le cycle de vente."', 'txt = "Il conduit le cycle de vente."')},
                 "fact #1", "rename 'txt' to 'text'", id="fact-misspelt-field"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('source = "001_x.txt"\n', 'source = "001_x.txt"\n        bullet = "yes"\n')},
                 "fact #1", "must be true or false", id="fact-bad-bool"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('[[topics.definition.facts]]', 'answer = "Il conduit."\n\n        [[topics.definition.facts]]')},
                 "topic 'definition'", "'answer' is no longer a topic field", id="legacy-answer"),
    pytest.param({"examples.toml": '[[example]]\nid = "alice"\nname = "Alice"\nname_en = "Alice"\nrole = "ae"\naliases = ["alice"]\nsource = "001_x.txt"\n'},
                 "example 'alice'", "has no [topics.example]", id="example-without-topic"),
    pytest.param({"glossary.toml": MINI_KB["glossary.toml"].replace('"que veut dire ote"', '')},
                 "entry 'ote'", "at least 3", id="too-few-phrasings"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"] + 'colour = "blue"\n'},
                 "role 'ae'", "unknown field(s) colour", id="unknown-field"),
    pytest.param({"roles/kam.toml": MINI_KB["roles/ae.toml"].replace('id = "ae"', 'id = "kam"').replace(
                      'aliases = ["account executive", "ae"]', 'aliases = ["kam"]'),
                  "comparisons.toml": '[[comparison]]\nroles = ["ae", "kam"]\nanswer = "Deux métiers."\n'
                                      'answer_en = "Two jobs."\nsources = ["001_x.txt"]\nsame = "maybe"\n'},
                 "comparison #1 (ae vs kam)", "'same' must be one of no, partly", id="bad-sameness-verdict"),
    pytest.param({"sources.toml": None}, "sources.toml", "file not found", id="missing-sources"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace("[topics.definition]", "[topics.horoscope]")},
                 "topic 'horoscope'", "unknown topic", id="unknown-topic"),
    pytest.param({"glossary.toml": MINI_KB["glossary.toml"].replace("Fixe plus variable à objectif atteint.", ONE_MB)},
                 "entry 'ote'", "field 'answer' is 1,048,576 characters long, more than the 20,000 allowed — fix: "
                 "shorten it, or split it into several entries", id="megabyte-answer"),
    pytest.param({"glossary.toml": MINI_KB["glossary.toml"].replace('"ote définition"', f'"{ONE_MB[:20_001]}"')},
                 "entry 'ote'", "field 'questions' is 20,001 characters long", id="huge-phrasing"),
]


@pytest.mark.parametrize("files, where, problem", BROKEN)
def test_broken_base_is_one_clear_error(tmp_path, files, where, problem):
    """Each broken file gives one KnowledgeError naming the file, the entry, the problem and a fix."""
    root = write_kb(tmp_path, files)
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root, topic_ids={"definition", "salary"})
    message = str(info.value)
    assert where in message
    assert problem in message
    assert "fix:" in message and info.value.fix


def test_alias_shared_by_two_roles_is_rejected(tmp_path):
    """An alias may point to one role only, otherwise 'combien gagne un X' would be ambiguous."""
    other = MINI_KB["roles/ae.toml"].replace('id = "ae"', 'id = "am"').replace('"account executive", "ae"', '"am", "AE"')
    with pytest.raises(KnowledgeError, match="alias 'AE' is also an alias of role 'ae'"):
        load_knowledge(write_kb(tmp_path, {"roles/am.toml": other}))


def test_missing_directory_is_a_clear_error(tmp_path):
    """A knowledge folder that does not exist is reported as such."""
    with pytest.raises(KnowledgeError, match="knowledge directory not found"):
        load_knowledge(tmp_path / "nope")


def test_a_broken_intent_file_is_one_clear_error(tmp_path):
    """Intent files are checked like knowledge files: a wrong value names the file, the key and the fix."""
    import shutil

    from conftest import ROOT

    from bot.intents import load_intents

    intents = tmp_path / "intents"
    shutil.copytree(ROOT / "intents", intents)
    lexicon = intents / "lexicon.toml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace("premier = 0", 'premier = "x"'), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"lexicon\.toml, ordinal_refs\.premier: must be a whole number"):
        load_intents(intents)


def test_a_bundle_of_unknown_topics_is_refused(tmp_path):
    """A bundle word ("profil") must point at topics of topics.toml."""
    import shutil

    from conftest import ROOT

    from bot.intents import load_intents

    intents = tmp_path / "intents"
    shutil.copytree(ROOT / "intents", intents)
    lexicon = intents / "lexicon.toml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace(
        'profil = ["skills", "experience", "studies"]', 'profil = ["skills", "hobbies"]'), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"lexicon\.toml, bundles\.profil: unknown topic 'hobbies'.*fix: use topic ids"):
        load_intents(intents)


@pytest.mark.parametrize("topic", ["definition", "salary"])
def test_a_topic_the_code_needs_is_checked_at_load(tmp_path, topic):
    """topics.toml without a topic careerbot's code refers to stops start-up, naming the file, the id and the fix."""
    import re
    import shutil

    from conftest import ROOT

    from bot.intents import load_intents

    intents = tmp_path / "intents"
    shutil.copytree(ROOT / "intents", intents)
    path = intents / "topics.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf'(\nid = ")({topic})(")', r"\1\2-renamed\3", text), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=rf"topics\.toml: topic\(s\) '{topic}' missing.*fix: add a \[\[topic\]\] "
                                             rf'with id = "{topic}"'):
        load_intents(intents)
def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    """A file saved by a Windows editor starts with a BOM: it loads as if it did not."""
    root = write_kb(tmp_path, {})
    path = root / "roles" / "ae.toml"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    assert load_knowledge(root).roles["ae"].name == "Account Executive"


def test_a_symlink_loop_is_named_as_such(tmp_path):
    """A link pointing to itself is "symlink loop", not a permissions problem."""
    root = write_kb(tmp_path, {})
    loop = root / "roles" / "loop.toml"
    loop.symlink_to(loop)
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    assert info.value.file.endswith("loop.toml")
    assert info.value.problem == "symlink loop"
    assert "permissions" not in info.value.fix and "link" in info.value.fix
