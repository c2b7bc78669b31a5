"""Load the intent definitions (``intents/*.toml``): topics, small talk, comparisons, out-of-scope cues, lexicon."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .errors import KnowledgeError
from .messages import Messages, load_messages
from .normalise import fold
from .paths import bundled
from .profile import ProfileCues, load_profile_cues
from .tomlfile import ParsedCache, Table, read_toml

__all__ = ["TopicIntent", "SmallTalk", "Lexicon", "DetailCues", "TaskIntent", "Intents", "load_intents", "default_intents_dir",
           "DEFINITION", "REQUIRED_TOPICS"]

DEFINITION = "definition"
"""The topic a role named alone is about ("c'est quoi un KAM ?", "KAM ?")."""

REQUIRED_TOPICS = (DEFINITION, "salary", "experience", "studies", "skills")
"""Topic ids careerbot's code refers to (understanding and the composed profiles);
``intents/topics.toml`` must define each of them."""


def default_intents_dir() -> Path:
    """The intent definitions bundled with careerbot."""
    return bundled("intents", "topics.toml")


@dataclass(frozen=True)
class TopicIntent:
    """A topic people ask about a role (salary, skills…), with its phrasings."""

    id: str
    label: str
    suggest: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    label_en: str = ""
    """``label`` in English ("the salary"); empty: the French one is used."""
    suggest_en: str = ""
    """``suggest`` in English ("How much does a {role} earn?")."""
    beside_guidance: bool = False
    """Asked beside a guidance request ("je suis prof… l'AE, il fait quoi au quotidien ?"), the topic is answered
    first, then the guidance; a topic the guidance answer covers itself (studies, experience, career) is not."""
    computation_covers: bool = False
    """A calculation on pay states this topic's figures itself: a further question of the same message about it is
    not answered again after one ("… quel fixe et quel variable ?")."""
    guidance_covers: bool = False
    """A guidance answer states what the sources say of this topic itself (entry requirements, the way there): a
    further question of the same message about it ("… quel poste ? faut-il un bac+5 ?") is not answered again."""


@dataclass(frozen=True)
class SmallTalk:
    """A small-talk exchange (greeting, thanks…) and careerbot's reply."""

    id: str
    answer: str
    examples: tuple[str, ...]
    answer_en: str = ""
    """``answer`` in English; empty: the French one is used."""
    cues: tuple[str, ...] = ()
    """Words that make a short message addressed to careerbot this small talk, whatever else it holds
    ("vous êtes un vrai conseiller ou un **bot** ?"), folded."""


@dataclass(frozen=True)
class Lexicon:
    """Word-level knowledge: rewrites, stop words, follow-up cues, role-name guards."""

    rewrites: Mapping[str, str]
    stopwords: frozenset[str]
    followup_cues: frozenset[str]
    filler: frozenset[str]
    not_roles: tuple[str, ...]
    determiners: frozenset[str]
    weak_aliases: frozenset[str]
    blocked_before: Mapping[str, frozenset[str]]
    seniority: Mapping[str, tuple[str, ...]]
    """Level (``junior``…) -> words that name it, for ordering salary figures."""
    ordinal_refs: Mapping[str, int]
    """Words that point back at a role of the previous question, with its position."""
    places: Mapping[str, str]
    """Folded place words -> country name, for salary questions about a country."""
    net_words: tuple[str, ...]
    """Words asking for net pay (the sources give gross amounts)."""
    home_place: str = ""
    """The country the sources' figures are for: named beside another ("the same in Belgium as in France?"),
    the other one is the place asked about."""
    story_determiners: frozenset[str] = frozenset()
    """Indefinite articles and possessives: a worked example's name right after one ("une agence", "my agency")
    tells the asker's story; it names no example."""
    example_words: frozenset[str] = frozenset()
    own_possessives: frozenset[str] = frozenset()
    """Possessives of the asker's own ("mon équipe"): figures said with one are the asker's, not an example's."""
    conjunctions: tuple[str, ...] = ()
    """Words that join the parts of a question asking for several topics ("salaire et études", "pay and KPIs")."""
    bundles: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """A word that asks for several topics at once ("profil": skills, experience, studies) -> those topic ids."""
    blocked_after: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    """Alias -> words after which it is no role name ("am I covered?")."""
    real_words: frozenset[str] = frozenset()
    """Everyday words close to a topic keyword that are no misspelling of it ("missing" is not "missions")."""


@dataclass(frozen=True)
class DetailCues:
    """Words that tell a precise question from a broad one and a missing detail from a known one (details.toml)."""

    precise: tuple[str, ...] = ()
    yesno: tuple[str, ...] = ()
    figure: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    restrictive: tuple[str, ...] = ()
    """Words of a yes/no question that ask "only…?" ("que dans les grands groupes ?", "only", "forcément")."""
    additive: tuple[str, ...] = ()
    """Words of a fact that widen it ("aussi", "également", "too"): to an "only…?" question, the answer is no."""
    generic: tuple[str, ...] = ()
    story: tuple[str, ...] = ()
    question_words: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    explain: tuple[str, ...] = ()
    verb_endings: tuple[str, ...] = ()
    """Endings of verb forms: an unknown word ending so asks, it names no detail."""
    infinitive_endings: tuple[str, ...] = ()
    """Endings of infinitives, which count only after a word of :attr:`before_infinitive`."""
    before_infinitive: tuple[str, ...] = ()
    form_endings: tuple[str, ...] = ()
    """Endings of adjectives, adverbs, participles and plural verbs ("principales", "expected", "emploient"): such
    a word that the role's facts do not use qualifies or asks; it is not a detail the sources lack."""
    subject_pronouns: tuple[str, ...] = ()
    """Pronouns a verb follows ("ils sortent", "on touche"): the word after one is how the question asks."""
    per_anyone: tuple[str, ...] = ()
    """Words after a per word that count per head, as the facts' "par AM" do ("per person", "par tête")."""
    origin_cues: tuple[str, ...] = ()
    """Words after which a word says where the asker comes from ("I am a student from Brazil"), no detail asked."""
    referring: tuple[str, ...] = ()
    """Words pointing back ("ce", "these"): the noun after one names what the question already named."""
    scene_openers: tuple[str, ...] = ()
    """After a question word, words opening the question's scene ("quand", "when"): no detail asked."""
    per_words: tuple[str, ...] = ()
    """Words of a rate ("par deal", "chaque client", "per week"): a figure asked per something the role's
    facts never count per is a detail the sources do not give."""
    wh_words: tuple[str, ...] = ()
    """Question words asking for more than yes or no ("combien", "quelles", "how many")."""
    yesno_verbs: tuple[str, ...] = ()
    """Verbs a yes/no question asked as a statement holds ("Un AE bosse … ?")."""
    focus_words: tuple[str, ...] = ()
    """Question words whose following words are what is asked ("… à quel % de variable")."""
    head_words: tuple[str, ...] = ()
    """Question words whose next detail words name what is asked ("quel **quota trimestriel**")."""
    noun_before: tuple[str, ...] = ()
    """Words after which a three-letter word is a noun ("a company car"): checked as it is, not as a typo."""
    head_links: tuple[str, ...] = ()
    """Words that may link the detail words of what is asked ("la durée **de la** période **d'**essai")."""
    statement_openers: tuple[str, ...] = ()
    """Words that open a statement, not a noun phrase ("le x3, ça garantit … ?")."""
    duration: tuple[str, ...] = ()
    """Words that ask for a duration ("combien de temps", "how long")."""
    truth_checks: tuple[str, ...] = ()
    """Ways of asking whether a claim told before is true ("c'est vrai ?"): a negative claim turns the yes or no."""
    tenure_before: tuple[str, ...] = ()
    """Words before a number of years that make it a time told in a job ("depuis 9 ans"): its unit asks no topic."""
    not_part_openers: tuple[str, ...] = ()
    """Question words that open no other question after a joining word ("… et où", "or"; "je me demande" tells a
    question reported in a story)."""
    part_openers: tuple[str, ...] = ()
    """Besides the question words and yes/no openers, words that open another question after a joining word
    ("…, et faut combien d'années ?", "… and do they…"): the message is answered part by part."""
    split_words: tuple[str, ...] = ()
    """Question words that, standing on both sides of a joining word, make it two questions ("elle fait combien de
    démos et son cycle dure combien de temps ?"): each side is answered."""
    duration_units: tuple[str, ...] = ()
    """Words of a duration after a number ("ans", "mois", "weeks"): a fact with one states a time."""


@dataclass(frozen=True)
class TaskIntent:
    """A request careerbot declines even when it names a role (write a CV, translate, step outside the sources)."""

    id: str
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    phrases: tuple[str, ...]
    answer: str
    """The short decline; ``{facts}`` is replaced by what careerbot can give instead."""
    anywhere: bool = False
    """Recognised anywhere in a message (an injection); other tasks only in its question, not in the asker's story."""
    answer_en: str = ""
    """``answer`` in English; empty: the French one is used."""


@dataclass(frozen=True)
class Intents:
    """Everything in ``intents/``."""

    topics: Mapping[str, TopicIntent]
    smalltalk: Mapping[str, SmallTalk]
    compare_cues: frozenset[str]
    compare_examples: tuple[str, ...]
    professions: tuple[str, ...]
    title_heads: frozenset[str]
    off_topic_words: frozenset[str]
    out_of_scope_examples: tuple[str, ...]
    lexicon: Lexicon
    details: DetailCues = DetailCues()
    same_cues: tuple[str, ...] = ()
    """Words asking whether two roles are the same job ("c'est pareil ?"): the comparison opens on its verdict."""
    tasks: Mapping[str, TaskIntent] = field(default_factory=lambda: MappingProxyType({}))
    profile: ProfileCues | None = None
    """How people describe their situation and ask for guidance (``profile.toml``); None: no guidance."""
    messages: Messages = field(default_factory=load_messages)
    """The sentences careerbot writes around the facts, in both languages (``messages.toml``)."""
    addressed: frozenset[str] = frozenset()
    """Words of a message addressed to careerbot ("tu", "vous", "you"): with a small-talk cue, small talk."""


def _folded(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(i).strip() for i in items if i.strip()))


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_words(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def load_intents(path: str | Path | None = None, *, cache: ParsedCache | None = None) -> Intents:
    """Load and validate the intent files in *path* (default: the bundled ``intents/``); *cache* keeps what
    their TOML parses to between start-ups (see :class:`~bot.tomlfile.ParsedCache`).

    Raises
    ------
    KnowledgeError
        On the first problem found, naming the file, the entry and the fix.
    """
    root = Path(path) if path is not None else default_intents_dir()
    if not root.is_dir():
        raise KnowledgeError(root, None, "intents directory not found",
                             "give the path of a folder holding topics.toml")

    def doc(name: str) -> Table:
        path = root / name
        return Table(read_toml(path, cache), path, None)

    t = doc("topics.toml")
    topics = {}
    for i, raw in enumerate(t.tables("topic")):
        e = Table(raw, t.file, f"topic #{i + 1}")
        e.entry = f"topic '{e.str('id')}'"
        label, label_en = e.twin("label")
        suggest, suggest_en = e.twin("suggest")
        topic = TopicIntent(
            id=e.str("id"), label=label, suggest=suggest, label_en=label_en, suggest_en=suggest_en,
            keywords=_folded(e.strs("keywords", min_items=1)), examples=e.strs("examples", min_items=3),
            beside_guidance=e.bool("beside_guidance"), guidance_covers=e.bool("guidance_covers"),
            computation_covers=e.bool("computation_covers"),
        )
        if topic.id in topics:
            raise e.error("duplicate topic id", "give each topic its own id")
        if "{role}" not in topic.suggest or "{role}" not in topic.suggest_en:
            raise e.error("'suggest' has no {role} placeholder", "write it like \"Combien gagne un {role} ?\"")
        e.done()
        topics[topic.id] = topic
    missing = [tid for tid in REQUIRED_TOPICS if tid not in topics]
    if missing:
        raise KnowledgeError(t.file, None, f"topic(s) {', '.join(map(repr, missing))} missing; careerbot's code "
                             f"needs every one of {', '.join(REQUIRED_TOPICS)}",
                             f'add a [[topic]] with id = "{missing[0]}", a label, a suggest line, keywords and examples')
    t.done()

    t = doc("smalltalk.toml")
    smalltalk = {}
    for i, raw in enumerate(t.tables("smalltalk")):
        e = Table(raw, t.file, f"smalltalk #{i + 1}")
        e.entry = f"smalltalk '{e.str('id')}'"
        answer, answer_en = e.twin("answer")
        item = SmallTalk(id=e.str("id"), answer=answer, answer_en=answer_en, examples=e.strs("examples", min_items=1),
                         cues=_folded(e.strs("cues")))
        if item.id in smalltalk:
            raise e.error(f"duplicate small-talk id '{item.id}'", "give each one its own id")
        e.done()
        smalltalk[item.id] = item
    addressed = frozenset(_folded(t.strs("addressed")))
    t.done()

    t = doc("compare.toml")
    compare_cues = frozenset(_folded(t.strs("cues", min_items=1)))
    same_cues = _folded(t.strs("same_cues"))
    compare_examples = t.strs("examples", min_items=1)
    t.done()

    t = doc("out_of_scope.toml")
    professions = _folded(t.strs("professions", min_items=1))
    title_heads = frozenset(_folded(t.strs("title_heads")))
    off_topic = frozenset(_folded(t.strs("off_topic_words")))
    oos_examples = t.strs("examples", min_items=1)
    t.done()

    t = doc("lexicon.toml")
    rewrites = t.mapping("rewrites", _is_text, "a rewrite must be a non-empty string", 'write {key} = "words"')
    seniority = t.mapping("seniority", _is_words, "must be a list of words", 'write {key} = ["…", "…"] under [seniority]')
    ordinal_refs = t.mapping("ordinal_refs", lambda v: isinstance(v, int) and not isinstance(v, bool),
                            "must be a whole number (0 first, -1 last)", "write {key} = 0 under [ordinal_refs]")
    places = t.mapping("places", _is_text, "must be a country name", 'write "{key}" = "Pays" under [places]')
    bundles = t.mapping("bundles", _is_words, "must be a list of topic ids",
                        'write {key} = ["skills", "experience"] under [bundles]') if "bundles" in t.data else {}
    for word, ids in bundles.items():
        unknown = [i for i in ids if i not in topics]
        if unknown:
            raise KnowledgeError(t.file, f"bundles.{word}", f"unknown topic '{unknown[0]}'",
                                 f"use topic ids of topics.toml: {', '.join(topics)}")
    blocked = t.mapping("blocked_before", _is_words, "must be a list of words",
                       'write {key} = ["i"] inside blocked_before = {{ … }}')
    blocked_after = t.mapping("blocked_after", _is_words, "must be a list of words",
                             'write {key} = ["i"] inside blocked_after = {{ … }}') if "blocked_after" in t.data else {}
    lexicon = Lexicon(
        rewrites=MappingProxyType({fold(k): fold(v) for k, v in rewrites.items()}),
        stopwords=frozenset(_folded(t.strs("stopwords"))),
        followup_cues=frozenset(_folded(t.strs("followup_cues"))),
        filler=frozenset(_folded(t.strs("filler"))),
        not_roles=_folded(t.strs("not_roles")),
        determiners=frozenset(_folded(t.strs("determiners"))),
        weak_aliases=frozenset(_folded(t.strs("weak_aliases"))),
        blocked_before=MappingProxyType({fold(k): frozenset(_folded(v)) for k, v in blocked.items()}),
        blocked_after=MappingProxyType({fold(k): frozenset(_folded(v)) for k, v in blocked_after.items()}),
        seniority=MappingProxyType({k: _folded(v) for k, v in seniority.items()}),
        ordinal_refs=MappingProxyType({fold(k): int(v) for k, v in ordinal_refs.items()}),
        places=MappingProxyType({fold(k): v.strip() for k, v in places.items()}),
        home_place=t.str("home_place") if "home_place" in t.data else "",
        net_words=_folded(t.strs("net_words")),
        real_words=frozenset(_folded(t.strs("real_words"))),
        conjunctions=_folded(t.strs("conjunctions")),
        story_determiners=frozenset(_folded(t.strs("story_determiners"))),
        example_words=frozenset(_folded(t.strs("example_words"))),
        own_possessives=frozenset(_folded(t.strs("own_possessives"))),
        bundles=MappingProxyType({fold(k): tuple(v) for k, v in bundles.items()}),
    )
    t.done()

    details = DetailCues()
    if (root / "details.toml").exists():
        t = doc("details.toml")
        details = DetailCues(
            precise=_folded(t.strs("precise_cues", min_items=1)), yesno=_folded(t.strs("yesno_cues", min_items=1)),
            figure=_folded(t.strs("figure_cues", min_items=1)), negations=_folded(t.strs("negations")),
            restrictive=_folded(t.strs("restrictive")), additive=_folded(t.strs("additive")),
            generic=_folded(t.strs("generic")), story=_folded(t.strs("story_cues")),
            question_words=_folded(t.strs("question_words", min_items=1)),
            accept=_folded(t.strs("accept_cues")),
            explain=_folded(t.strs("explain_cues")),
            verb_endings=_folded(t.strs("verb_endings")),
            infinitive_endings=_folded(t.strs("infinitive_endings")),
            before_infinitive=_folded(t.strs("before_infinitive")),
            form_endings=_folded(t.strs("form_endings")),
            subject_pronouns=_folded(t.strs("subject_pronouns")),
            per_words=_folded(t.strs("per_words")),
            wh_words=_folded(t.strs("wh_words")), yesno_verbs=_folded(t.strs("yesno_verbs")),
            statement_openers=_folded(t.strs("statement_openers")), focus_words=_folded(t.strs("focus_words")),
            head_words=_folded(t.strs("head_words")), head_links=_folded(t.strs("head_links")),
            noun_before=_folded(t.strs("noun_before")), per_anyone=_folded(t.strs("per_anyone")),
            origin_cues=_folded(t.strs("origin_cues")),
            referring=_folded(t.strs("referring")),
            scene_openers=_folded(t.strs("scene_openers")),
            duration=_folded(t.strs("duration_cues")),
            part_openers=_folded(t.strs("part_openers")),
            not_part_openers=_folded(t.strs("not_part_openers")),
            split_words=_folded(t.strs("split_words")),
            tenure_before=_folded(t.strs("tenure_before")),
            truth_checks=_folded(t.strs("truth_checks")),
            duration_units=_folded(t.strs("duration_units")),
        )
        t.done()

    tasks: dict[str, TaskIntent] = {}
    if (root / "tasks.toml").exists():
        t = doc("tasks.toml")
        for i, raw in enumerate(t.tables("task")):
            e = Table(raw, t.file, f"task #{i + 1}")
            e.entry = f"task '{e.str('id')}'"
            answer, answer_en = e.twin("answer")
            task = TaskIntent(id=e.str("id"), verbs=_folded(e.strs("verbs")), objects=_folded(e.strs("objects")),
                              phrases=_folded(e.strs("phrases")), answer=answer, answer_en=answer_en,
                              anywhere=e.bool("anywhere") if "anywhere" in e.data else False)
            if task.id in tasks:
                raise e.error("duplicate task id", "give each task its own id")
            if not task.phrases and not (task.verbs and task.objects):
                raise e.error("the task can never be recognised",
                              "give it phrases, or both verbs and objects")
            if "{facts}" not in task.answer or "{facts}" not in task.answer_en:
                raise e.error("'answer' has no {facts} placeholder",
                              "end it with \"Je peux vous donner {facts}.\"")
            e.done()
            tasks[task.id] = task
        t.done()

    messages = load_messages(root / "messages.toml" if (root / "messages.toml").exists() else None, cache=cache)
    return Intents(
        profile=load_profile_cues(root / "profile.toml", cache=cache) if (root / "profile.toml").exists() else None,
        messages=messages,
        details=details,
        tasks=MappingProxyType(tasks),
        topics=MappingProxyType(topics),
        smalltalk=MappingProxyType(smalltalk),
        addressed=addressed,
        compare_cues=compare_cues, same_cues=same_cues,
        compare_examples=compare_examples,
        professions=professions,
        title_heads=title_heads,
        off_topic_words=off_topic,
        out_of_scope_examples=oos_examples,
        lexicon=lexicon,
    )
