"""A message that asks two or three things gets each answered: the first as the message reads, the others as
follow-ups of it (bot.engine: Bot._other_parts)."""

from __future__ import annotations

import pytest

from bot.clauses import QuestionSplitter


@pytest.mark.parametrize("question, heads", [
    # A role topic, then another topic of the same role.
    ("c'est quoi un KAM exactement ? et ça gagne combien ?",
     ("Key Account Manager (KAM) — la définition du métier :", "Key Account Manager (KAM) — le salaire :")),
    # A topic of one role, then a comparison the second sentence asks.
    ("wat does a CSM actually do?? is it the same thing as an account manager?",
     ("Customer Success Manager (CSM) — the missions:",)),
    # A pay check, then the pay at the next level.
    ("Je suis AE junior à Paris depuis 1 an dans un SaaS, mon package c'est 40K fixe + 15K variable. C'est normal ? "
     "Et je toucherai combien une fois confirmé ?", ("France, AE confirmé : fixe 50-60K€",)),
    # A question joined to the first by "et" and a question word, in one sentence or after the last "?".
    ("Bonjour, je vais passer des entretiens pour du Account Executive. Quelles études il faut avoir fait pour ce "
     "poste, et combien d'années d'expérience demandent les recruteurs ?",
     ("2-5 ans d'expérience", "Les sources ne donnent pas ce renseignement (les études)")),
    ("quelles compétences faut il pour etre gestionnaire de comptes ? et est ce qu'on a des objectifs chiffrés ou pas",
     ("Account Manager (AM) — les compétences :", "Account Manager (AM) — les objectifs :")),
    ("Le KAM c'est un métier qui recrute ? et faut combien d'années d'xp pour y prétendre",
     ("3 à 5 ans d'expérience", "Métier « recherché »")),
    # each part the sources lack is said, a caveat the first answer gave not repeated
    ("Chargé de compte en prime brokerage pour des hedge funds, faut quel diplôme et cmb d'années d'xp ?",
     ("(l'expérience demandée) pour le rôle de Responsable de compte", "(les études) pour le rôle de Responsable de "
      "compte")),
    ("Une élève me demande vers quoi évolue un key account manager et si le métier va changer dans les années à "
     "venir. Que puis-je lui dire ?", ("— l'évolution de carrière :", "— l'avenir du métier :")),
])
def test_each_question_of_a_message_is_answered(bot, question, heads):
    text = bot.ask(question).text
    for head in heads:
        assert head in text


@pytest.mark.parametrize("question, absent", [
    # A sentence that leans on the one before it ("110 % c'est bien ?") is no question of its own.
    ("C'est quoi un bon NRR pour une équipe d'AM en SaaS ? 110 % c'est bien ?", "le salaire"),
    # A calculation the answer made already, as a step of its own, is not made again.
    ("un AE junior avec 40k de fixe et 20k de variable ca fait quel OTE ? c dans la fourchette normale ?", None),
    # Studies asked beside a guidance request: the guidance answer states them itself.
    ("Ma fille est en 1ère, elle veut faire KAM plus tard. Quelles études doit-elle faire ? Et au passage, c'est "
     "bien payé ?", "KAM — les études"),
])
def test_a_question_answered_already_is_not_answered_twice(bot, question, absent):
    text = bot.ask(question).text
    assert text.count("Données :") <= 1
    assert len(text.split("\n")) == len(set(text.split("\n")))
    if absent:
        assert absent not in text


def test_a_message_of_one_question_gets_one_answer(bot):
    one = bot.ask("c'est quoi un KAM exactement ?")
    assert "le salaire" not in one.text


def test_the_conversation_remembers_the_first_question(bot):
    """The further questions are answered beside the first; the conversation follows the first one."""
    session = bot.new_session()
    bot.ask("c'est quoi un KAM exactement ? et ça gagne combien ?", session)
    assert bot.ask("et ses missions ?", session).role == "kam"


def test_a_verb_after_y_is_how_the_question_asks_not_a_missing_detail(bot):
    """« pour y prétendre »: an infinitive after a clitic names no detail the sources lack."""
    text = bot.ask("faut combien d'années d'xp pour y prétendre, au poste de KAM ?").text
    assert "prétendre" not in text and "3 à 5 ans" in text


SPLITTER = QuestionSplitter(["et", "and", "+"], ["combien", "quelles", "est ce", "c est quoi", "faut", "si", "cmb",
                                                 "what"])


@pytest.mark.parametrize("text, pieces", [
    ("c'est quoi un KAM ? et cmb il gagne ?", [("c'est quoi un KAM ?", False), ("et cmb il gagne ?", True)]),
    # Joined in one sentence by "et" and a question word.
    ("Quelles études, et combien d'années ?", [("Quelles études", False), ("et combien d'années ?", True)]),
    # The rest after the last "?" is a question of its own when a joining word and an opener start it.
    ("quelles compétences ? et est-ce qu'on a des objectifs", [("quelles compétences ?", False),
                                                              ("et est-ce qu'on a des objectifs", True)]),
    ("The pay of an AE and what KPIs?", [("The pay of an AE", False), ("and what KPIs?", True)]),
    # "et" between two roles, or before a word that opens nothing, cuts nothing.
    ("différence entre un AE et un KAM ?", [("différence entre un AE et un KAM ?", False)]),
    ("salaire et études d'un KAM ?", [("salaire et études d'un KAM ?", False)]),
    # "+" is no word: it never cuts.
    ("fixe + combien de variable ?", [("fixe + combien de variable ?", False)]),
    # Pieces of fewer than two words are left out.
    ("KAM ? ?", []),
    ("", []),
])
def test_the_splitter_cuts_a_message_into_its_questions(text, pieces):
    assert [(p.text, p.opened) for p in SPLITTER.split(text)] == pieces


def test_a_splitter_with_no_joining_word_cuts_at_question_marks_only():
    pieces = QuestionSplitter([], ["combien"]).split("a b et combien c ? d e ? f g")
    assert [(p.text, p.opened, p.cut) for p in pieces] == [("a b et combien c ?", False, False), ("d e ?", False, False)]
    # nor does one asked not to cut
    assert [p.text for p in SPLITTER.split("Quelles études, et combien d'années ?", cut=False)] == [
        "Quelles études, et combien d'années ?"]


@pytest.mark.parametrize("text, pieces", [
    # after the last "?", words that open no joined question tell the asker's story
    ("y a t il un age max pour devenir SDR ? jai 47 ans", [("y a t il un age max pour devenir SDR ?", False)]),
    # a message with no "?" at all is its own question
    ("quelles compétences pour un AM et combien il gagne", [("quelles compétences pour un AM", False),
                                                            ("et combien il gagne", True)]),
])
def test_the_rest_after_the_last_question_mark_is_a_question_only_when_joined(text, pieces):
    assert [(p.text, p.opened) for p in SPLITTER.split(text)] == pieces


@pytest.mark.parametrize("question, absent", [
    # a part read into a topic it does not name, which the sources lack, adds no "the sources do not give" line
    ("y a t il un age max pour devenir SDR ? jai 47 ans", "les compétences"),
    ("et si finalement je préfère chasser ? genre aller chercher de nouveaux clients", "New business"),
    # a part the whole message's answer covers already is not answered again
    ("AM : combien de comptes et quels objectifs ?", "Comptes mid-market (5 000"),
    ("what's her quarterly quota and how much does she actually sign?", "what the job is"),
    # a calculation answers the pay it computes: no salary section after it
    ("AE junior, OTE 60k, 35 % de variable : ça fait quel fixe et quel variable ?", "AE — le salaire"),
])
def test_a_further_part_says_nothing_the_question_did_not_ask(bot, question, absent):
    assert absent not in bot.ask(question).text


BOTH = QuestionSplitter(["et", "and"], ["combien", "what"], ["combien", "quelle", "quoi", "jusqu ou", "how"])


@pytest.mark.parametrize("text, pieces", [
    # A joining word with a question word on either side: two questions, each marked as asking a detail of its own.
    ("elle fait combien de démos et son cycle dure combien de temps ?",
     [("elle fait combien de démos", False, True), ("et son cycle dure combien de temps ?", True, True)]),
    ("c'est laquelle, quelle règle, et elle interdit quoi ?",
     [("c'est laquelle, quelle règle", False, True), ("et elle interdit quoi ?", True, True)]),
    # Accents and capitals do not hide a question word; the pieces keep the text as typed.
    ("Quelle Règle et elle INTERDIT Quoi ?", [("Quelle Règle", False, True), ("et elle INTERDIT Quoi ?", True, True)]),
    # A question word on one side only: no cut.
    ("salaire et études, combien ?", [("salaire et études, combien ?", False, False)]),
    ("combien pour un AE et un KAM ?", [("combien pour un AE et un KAM ?", False, False)]),
    # After the last "?", a sentence opened by a joining word that holds a question word is a question.
    ("il commence à combien ? et ça monte jusqu'où en gros",
     [("il commence à combien ?", False, False), ("et ça monte jusqu'où en gros", True, True)]),
    ("il commence à combien ? et ça monte vite", [("il commence à combien ?", False, False)]),
])
def test_two_question_words_either_side_of_a_joining_word_make_two_questions(text, pieces):
    assert [(p.text, p.opened, p.asks_both) for p in BOTH.split(text)] == pieces


def test_the_cut_between_question_words_can_be_asked_for_alone():
    text = "elle fait combien de démos et son cycle dure combien de temps ?"
    assert len(BOTH.split(text, cut=False)) == 1
    assert [p.text for p in BOTH.split(text, cut=False, between=True)] == [
        "elle fait combien de démos", "et son cycle dure combien de temps ?"]


@pytest.mark.parametrize("question, facts", [
    # two details of one worked example, asked in one sentence
    ("Dans l'exemple d'Alice, elle fait combien de démos par semaine et son cycle de vente dure combien de temps ?",
     ["12 démos", "45 jours"]),
    # a term, and what it does: the rest of the entry's paragraph
    ("la règle FINRA dont parle l'article sur les chargés de compte, c'est laquelle et elle interdit quoi exactement ?",
     ["3220", "cadeaux et gratifications qu'ils peuvent verser"]),
    # where the pay starts, and how far it goes
    ("un key account manager il commence a combien en sortie d'ecole ? et ca monte jusqu'ou en gros",
     ["28 000", "60 000"]),
])
def test_each_detail_asked_in_one_sentence_is_answered(bot, question, facts):
    answer = bot.ask(question)
    assert all(f in answer.text for f in facts), answer.text
    assert "Répondez « oui »" not in answer.text  # nothing asked is left behind an offer


@pytest.mark.parametrize("question, present, absent", [
    # "attendu", "demandé" ask; they name no fact ("l'entreprise attend aussi…" is no study level)
    ("Pour une élève qui vise le métier de KAM : quel niveau d'études est attendu, et combien d'années d'expérience ?",
     ["Bac +5", "3 à 5 ans"], ["qualités relationnelles"]),
    # a second question of the same topic, opened by "and what", adds its own facts
    ("How many years of experience should I ask for when hiring an AE, and what soft skills matter most?",
     ["2-5", "resilience"], ["do not give this detail"]),
    # a clause of time after the question sets the scene: no missing detail in it
    ("Combien de clients max par account manager avant que ça parte en vrille ?", ["50-80"], ["vrille"]),
    # how long a promotion takes: the sources are silent, said first
    ("How long does it usually take to get promoted from SDR to Account Executive?",
     ["The sources do not give any information on how long it takes"], []),
])
def test_what_is_asked_is_answered_and_the_way_of_asking_is_no_detail(bot, question, present, absent):
    text = bot.ask(question).text
    assert all(p in text for p in present), text
    assert not any(a in text for a in absent), text


def test_a_level_alone_after_an_answer_is_that_answer_for_the_level(bot):
    """« et en début de carrière ? » names a seniority, whose words hold « carrière »: the pay at the start, not the
    career section."""
    session = bot.new_session()
    bot.ask("un KAM moyen gagne combien par mois ?", session)
    answer = bot.ask("et en début de carrière ?", session)
    assert answer.intent != "career" and "28 000" in answer.text, answer.text



@pytest.mark.parametrize("question, present, absent", [
    # a time told in a job is the asker's story, even in a short message: its words are no missing detail
    ("KAM depuis 7 ans dans l'agro. Et après, je peux évoluer vers quoi ?", ["la direction commerciale"],
     ["ne donnent pas ce détail"]),
    # "quelles options ?" of a career changer asks the roles, not the school subjects
    ("Ingénieur mécanique, 7 ans en bureau d'études. J'ai envie de passer côté business. Quelles options ?",
     ["Key Account Manager"], ["lycée"]),
])
def test_the_story_told_around_a_question_names_no_detail(bot, question, present, absent):
    text = bot.ask(question).text
    assert all(p in text for p in present), text
    assert not any(a in text for a in absent), text


def test_a_level_named_once_holds_for_each_question_of_the_sentence(bot):
    """« AE junior c'est combien de fixe et combien de variable ? »: the junior figures, not the confirmed ones too."""
    text = bot.ask("AE junior c'est combien de fixe et combien de variable ?").text
    assert "15-25K€" in text and "AE confirmé" not in text, text


@pytest.mark.parametrize("question, present, absent", [
    # the verb of a question by inversion, or after "ça" / "me", is how the question is put
    ("Une élève m'a parlé d'une règle 3220 pour les chargés de compte. De quoi s'agit-il exactement ?",
     ["cadeaux et gratifications"], ["ne donnent pas ce détail"]),
    ("Dans les KPIs des account managers je vois « QBR », ça correspond à quoi ?", ["QBR"],
     ["ne donnent pas ce détail"]),
    # … but in a yes/no question by inversion, the verb is what is asked: no verdict from a neighbouring fact
    ("Dans l'exemple de l'agence, l'upsell suffit-il à payer le coût des 3 account managers ?", [], ["Oui :"]),
])
def test_how_a_question_is_put_names_no_missing_detail(bot, question, present, absent):
    text = bot.ask(question).text
    assert all(p in text for p in present), text
    assert not any(a in text for a in absent), text


@pytest.mark.parametrize("question, present", [
    # a question of its own that names its topic is told the sources lack it, beside the other part's answer
    ("on évolue vers quoi après AE ? Et un AE confirmé, ça gagne combien en France ?",
     ["50-60K€", "ne donnent pas ce renseignement (l'évolution de carrière)"]),
    ("Bonjour, j'ai 27 ans, je suis AE depuis 3 ans. J'adore mon job mais je me pose des questions : on évolue vers "
     "quoi après AE ? Et un AE confirmé, ça gagne combien en France, histoire de savoir si je suis bien payé ?",
     ["50-60K€", "l'évolution de carrière"]),
    # after the last "?", « et c bien payé ou pas » (SMS « c » for « c'est ») is a question too
    ("jsuis en terminale, cmb d'années d'etudes pr etre kam ?? et c bien payé ou pas", ["Bac +5", "60 000 €"]),
    # a further part asked in a clause of its own gets the fact that clause asks, not its whole section
    ("Recruiter here, filling a Key Account Manager seat. What level of experience should I screen for, and which "
     "languages are expected?", ["3-5", "Professional English, or even other languages."]),
    # a short question after a story clause takes that clause along: the term named there is what is asked
    ("jai lu qu'un bon account manager pouvait faire grimper la LTV, mais de combien en gros ?", ["25 à 40 %"]),
    # "in the States" is the United States
    ("Quick one: what's the average base pay for an account executive in the States?", ["57 504 $"]),
    # "background" asks the whole profile, as "profil" does
    ("I'm a recruiter looking for a Key Account Manager. What skills and what kind of background/education should I "
     "be looking for?", ["Bac +5", "3-5"]),
])
def test_what_each_question_asks_is_answered_whatever_is_around_it(bot, question, present):
    text = bot.ask(question).text
    assert all(p in text for p in present), text
    # (no word of the asker's way of talking said missing, no section that was not asked)
    assert "« histoire »" not in text and "pouvait" not in text and "portefeuille" not in text
    assert "Soft skills" not in text or "background" in question


def test_the_same_operation_on_other_figures_is_computed_again(bot):
    """« ça fait combien par mois ? Et au salaire moyen, ce serait combien par mois ? »: two monthly figures."""
    text = bot.ask("Ma fille est KAM, elle débute autour de 28 000 euros bruts par an. Concrètement ça fait combien "
                   "par mois ? Et si un jour elle arrive au salaire moyen du métier, ce serait combien par mois ?").text
    assert "28 000 € / 12 ≈ 2 333 €" in text and "60 000 € / 12 = 5 000 €" in text
    # the same calculation reached twice is shown once
    assert text.count("/ 12") == 2


def test_no_heading_is_left_without_its_lines(bot):
    text = bot.ask("j'ai fait 6 ans dans la grande distribution et on me parle de postes de responsable grands "
                   "comptes. J'aimerais savoir combien d'années d'expérience on demande en général, et si sans "
                   "bac+5 c'est mort ?").text
    assert "3-5" in text and "Bac +5" in text
    assert not any(line.rstrip().endswith(":") for line in text.splitlines()[-2:])
