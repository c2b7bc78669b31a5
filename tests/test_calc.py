"""bot.calc, bot.calc_plan and intents/compute.toml: computations on the sources' figures, each with its checkable line."""

from __future__ import annotations

import re
import textwrap

import pytest
from compute_fixtures import EXAMPLES, INTENTS, S001, S002, S003, S004, ask
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.amounts import Amount
from bot.calc import (
    MONTHS,
    Computation,
    Operand,
    Pay,
    add,
    compare_pay,
    coverage,
    per_head,
    percent_of,
    pipeline_needed,
    product,
    ratio,
    share,
    subtract,
)
from bot.calc_plan import RuleQuestion, compute_example, plan
from bot.compute_intents import OPERATIONS, load_compute_intents
from bot.errors import KnowledgeError
from bot.messages import load_messages
from bot.said import Said

MESSAGES = load_messages()


def fr(text) -> str:
    """A label, caveat or missing figure of the calculator written out in French (as French answers show it)."""
    return MESSAGES.write(text, "fr")

# (question, every operation line in order, verdict). Figures from the five sources; typos on purpose.
# The agency's return on what its AMs add, shown after its return on all the revenue they protect.
RETURN_ADDED = ["85 % × 1 080 000 € = 918 000 €", "65 % × 1 080 000 € = 702 000 €", "918 000 € − 702 000 € = 216 000 €",
                "216 000 € + 81 000 € = 297 000 €", "297 000 € / 180 000 € = 1,65"]


QUESTIONS = [
    # pay: fixed + variable, variable in euros, share of variable
    ("AE junior : fixe + variable, ça fait combien au total ?", ["35–45 k€ + 15–25 k€ = 50–70 k€"], ""),
    ("ae junior fixe+variable ca fait cmb au total", ["35–45 k€ + 15–25 k€ = 50–70 k€"], ""),
    ("AE junior: fixe + variable = ?", ["35–45 k€ + 15–25 k€ = 50–70 k€"], ""),
    ("AE junior fixed plus variable in total?", ["35–45 k€ + 15–25 k€ = 50–70 k€"], ""),
    ("combien gagne au total un account executive débutant ?", ["35–45 k€ + 15–25 k€ = 50–70 k€"], ""),
    ("un AE confirmé gagne combien au total ?", ["50–60 k€ + 30–50 k€ = 80–110 k€"], ""),
    ("AE confirme : fixe + variable ?", ["50–60 k€ + 30–50 k€ = 80–110 k€"], ""),
    ("Un AE confirmé, fixe plus variable, ça peut monter jusqu'à combien ?", ["50–60 k€ + 30–50 k€ = 80–110 k€"], ""),
    # the fixed pay from a total and its variable share; a total from a fixed pay and a share of it
    ("60 k€ bruts dont 26 % de variable, il a combien de fixe ?", ["26 % × 60 k€ = 15,6 k€", "60 k€ − 15,6 k€ = 44,4 k€"], ""),
    ("I'm an AE with a 100k€ OTE and 35% variable. What's my base?", ["35 % × 100 k€ = 35 k€", "100 k€ − 35 k€ = 65 k€"], ""),
    ("Account manager à 40k de fixe avec 20 % de variable, ça fait combien au total ?",
     ["20 % × 40 k€ = 8 k€", "40 k€ + 8 k€ = 48 k€"], ""),
    ("Mon fixe d'account manager serait de 45 000 €, mon variable irait de combien à combien ?",
     ["10–30 % × 45 000 € = 4 500–13 500 €"], ""),
    # per month, and a rise in %
    ("57 504 $ par an pour un chargé de compte américain, ça fait combien par mois ?", ["57 504 $ / 12 = 4 792 $"], ""),
    ("combien gagne un KAM débutant par mois ?", ["28 000 € / 12 ≈ 2 333 €"], ""),
    ("de 28 000 € à 60 000 €, ça fait quelle augmentation en pourcentage ?",
     ["60 000 € − 28 000 € = 32 000 €", "32 000 € / 28 000 € ≈ 114,3 %"], ""),
    ("total pay for an experienced account executive?", ["50–60 k€ + 30–50 k€ = 80–110 k€"], ""),
    ("un KAM à 60k avec 26 % de variable, ça fait combien en euros ?", ["26 % × 60 k€ = 15,6 k€"], ""),
    ("un kam a 60k avec 26% de variabel ca fait combien en euro", ["26 % × 60 k€ = 15,6 k€"], ""),
    ("KAM : 26 % de 60 000 € en euros ?", ["26 % × 60 000 € = 15 600 €"], ""),
    ("combien de variable pour un KAM ?", ["26 % × 60 000 € ≈ 15 600 €"], ""),
    ("combien de varible pour un kam", ["26 % × 60 000 € ≈ 15 600 €"], ""),
    ("KAM: le variable en euros ?", ["26 % × 60 000 € ≈ 15 600 €"], ""),
    ("un AM avec un fixe de 40k, combien de variable en euros ?", ["10–30 % × 40 k€ = 4–12 k€"], ""),
    ("what share of an experienced AE's OTE is variable?",
     ["50–60 k€ + 30–50 k€ = 80–110 k€", "30–50 k€ / 80–110 k€ ≈ 37,5–45,5 %"], ""),
    # the printed OTE is the sum of the printed parts: bounds paired (15/50 to 25/70)
    ("quelle part de l'OTE d'un AE junior est variable ?", ["15–25 k€ / 50–70 k€ ≈ 30–35,7 %"], ""),
    ("quelle part du fixe représente le variable d'un AE junior ?", ["15–25 k€ / 35–45 k€ ≈ 33,3–71,4 %"], ""),
    ("fixe 45k variable 25k, quelle part de variable ?", ["45 k€ + 25 k€ = 70 k€", "25 k€ / 70 k€ ≈ 35,7 %"], ""),
    # who earns more
    ("entre un AE et un KAM, lequel est le mieux payé ?", ["50–70 k€ − 28 000 € = 22 000–42 000 €"], "higher"),
    ("who earns more, an AE or a KAM?", ["50–70 k€ − 28 000 € = 22 000–42 000 €"], "higher"),
    ("AE junior ou KAM débutant, qui gagne le plus ?", ["50–70 k€ − 28 000 € = 22 000–42 000 €"], "higher"),
    # the better paid first, whatever the order named: the difference reads as how much more
    ("qui gagne plus entre un kam et un ae junior", ["50–70 k€ − 28 000 € = 22 000–42 000 €"], "higher"),
    ("KAM ou AE confirmé, lequel est le mieux payé ?",
     ["50–60 k€ + 30–50 k€ = 80–110 k€", "80–110 k€ − 60 000 € = 20 000–50 000 €"], "higher"),
    # pipe coverage, either order, any spelling
    ("J'ai 400 k€ de pipe et 120 k€ de quota : suis-je couvert ?", ["400 k€ / 120 k€ ≈ 3,33"], "enough"),
    ("jai 400k de pipe pour 120k de quota suis je couvret ?", ["400 k€ / 120 k€ ≈ 3,33"], "enough"),
    ("quota 80k, pipe 150k, ça passe ?", ["150 k€ / 80 k€ ≈ 1,88", "3 × 80 k€ = 240 k€", "240 k€ − 150 k€ = 90 k€"],
     "short"),
    ("jai 90k de quota et 200k de pipe, ca passe?",
     ["200 k€ / 90 k€ ≈ 2,22", "3 × 90 k€ = 270 k€", "270 k€ − 200 k€ = 70 k€"], "short"),
    ("I have $300k pipeline for a $100k quota, am I covered?", ["300 k$ / 100 k$ = 3"], "enough"),
    ("pipe de 300.000 euros pour un quota de 100.000 euros, c'est suffisant ?", ["300 000 € / 100 000 € = 3"],
     "enough"),
    ("pipeline 1,2 M€ pour un quota de 400 k€, suis-je couvert ?", ["1,2 M€ / 400 k€ = 3"], "enough"),
    ("quota 0,1 M€ et pipeline 250 k€, ça passe ?",
     ["250 k€ / 0,1 M€ = 2,5", "3 × 0,1 M€ = 0,3 M€", "0,3 M€ − 250 k€ = 50 000 €"], "short"),
    ("mon quota c 120000 et g 250000 de pipe, je suis couvert ?",
     ["250 000 € / 120 000 € ≈ 2,08", "3 × 120 000 € = 360 000 €", "360 000 € − 250 000 € = 110 000 €"], "short"),
    ("combien de pipe pour 250k ?", ["3 × 250 k€ = 750 k€"], ""),
    ("quel pipeline pour un quota de 100 000 € ?", ["3 × 100 000 € = 300 000 €"], ""),
    ("how much pipeline do I need for a 90k quota?", ["3 × 90 k€ = 270 k€"], ""),
    ("combien de pipe pour un quota de 80 mille ?", ["3 × 80 k€ = 240 k€"], ""),
    ("quel pipe pour un objectif de 150 000 € par trimestre ?", ["3 × 150 000 € = 450 000 €"], ""),
    # the worked examples: Alice (001), the agency (002)
    ("combien de clients Alice signe par semaine ?", ["25 % × 12 = 3"], ""),
    ("alice: combien de démos converties par semaine ?", ["25 % × 12 = 3"], ""),
    ("Alice signe combien de deals par trimestre ?", ["150 000 € / 15 000 € = 10"], ""),
    ("how many deals does Alice close per quarter?", ["150 000 € / 15 000 € = 10"], ""),
    ("Alice atteint son quota à combien ?", ["150 000 € / 120 000 € = 125 %"], "quota_reached"),
    ("what is Alice's quota attainment?", ["150 000 € / 120 000 € = 125 %"], "quota_reached"),
    ("de combien Alice dépasse son quota ?", ["150 000 € − 120 000 € = 30 000 €"], ""),
    ("combien de pipe pour Alice ?", ["3 × 120 000 € = 360 000 €"], ""),
    ("combien d'opportunités pour l'équipe de la scale-up ?", ["5 × 40 = 200"], ""),
    ("chiffre d'affaires de l'agence ?", ["45 × 24 000 € = 1 080 000 €"], ""),
    ("agency revenue?", ["45 × 24 000 € = 1 080 000 €"], ""),
    ("combien de clients a l'agence ?", ["3 × 15 = 45"], ""),
    ("how many customers does the agency have?", ["3 × 15 = 45"], ""),
    ("combien coûte chaque account manager de l'agence ?", ["180 000 € / 3 = 60 000 €"], ""),
    ("cost per account manager at the agency?", ["180 000 € / 3 = 60 000 €"], ""),
    ("Sans account manager dédié, combien de revenu l'agence garderait-elle ?", ["65 % × 1 080 000 € = 702 000 €"], ""),
    ("Combien de revenu en plus les AM de l'agence sauvent par rapport à une rétention de 65 % ?",
     ["85 % × 1 080 000 € = 918 000 €", "65 % × 1 080 000 € = 702 000 €", "918 000 € − 702 000 € = 216 000 €"], ""),
    ("l agence : pour 1 € depense en account managers, ca rapporte combien ?",
     ["918 000 € + 81 000 € = 999 000 €", "999 000 € / 180 000 € = 5,55", *RETURN_ADDED], "return_above"),
    ("combien rapporte l'upsell dans l'exemple de l'agence ?", ["30 % × 45 = 13,5", "13,5 × 6 000 € = 81 000 €"], ""),
    ("combien de comptes concernés par l'upsell à l'agence ?", ["30 % × 45 = 13,5"], ""),
    ("revenu protégé par les AM de l'agence ?", ["85 % × 1 080 000 € = 918 000 €"], ""),
    ("gain de rétention de l'agence ?", ["85 % − 65 % = 20 %"], ""),
    ("quel est le ROI des 3 account managers de l'agence ?",
     ["918 000 € + 81 000 € = 999 000 €", "999 000 € / 180 000 € = 5,55", *RETURN_ADDED], "return_above"),
    ("is the agency's account manager team worth it? ROI?",
     ["918 000 € + 81 000 € = 999 000 €", "999 000 € / 180 000 € = 5,55", *RETURN_ADDED], "return_above"),
    # plain arithmetic on the question's own amounts
    ("26 % de 60 000 €, ça fait combien ?", ["26 % × 60 000 € = 15 600 €"], ""),
    ("30% of 45k?", ["30 % × 45 k€ = 13,5 k€"], ""),
    ("10 % de 40k ça fait combien ?", ["10 % × 40 k€ = 4 k€"], ""),
    ("180 000 € / 3", ["180 000 € / 3 = 60 000 €"], ""),
    ("180 000 € pour 3 personnes, ça fait combien par personne ?", ["180 000 € / 3 = 60 000 €"], ""),
    ("45 × 24 000 € ?", ["45 × 24 000 € = 1 080 000 €"], ""),
    ("13,5 x 6 000 € ?", ["13,5 × 6 000 € = 81 000 €"], ""),
    ("12 × 15 000 € ?", ["12 × 15 000 € = 180 000 €"], ""),
    ("35k + 20k ça fait combien ?", ["35 k€ + 20 k€ = 55 k€"], ""),
    ("918 000 € + 81 000 €, ça fait combien au total ?", ["918 000 € + 81 000 € = 999 000 €"], ""),
    ("écart entre 70k et 45k ?", ["70 k€ − 45 k€ = 25 k€"], ""),
    ("how much more is 60k than 45k?", ["60 k€ − 45 k€ = 15 k€"], ""),
    ("70k - 45k", ["70 k€ − 45 k€ = 25 k€"], ""),
    ("150 000 € sur un quota de 120 000 €, quel pourcentage ?", ["150 000 € / 120 000 € = 125 %"], ""),
    ("400k c'est combien de fois 120k ?", ["400 k€ / 120 k€ ≈ 3,33"], ""),
    ("ratio 150k / 80k ?", ["150 k€ / 80 k€ ≈ 1,88"], ""),
    # the worked examples: a figure's origin, deals for the quota, revenue per AM, value against cost
    ("D'où sort le chiffre de 918 000 € dans l'exemple de l'agence ?", ["85 % × 1 080 000 € = 918 000 €"], ""),
    ("Alice : combien de deals à 15 000 € lui faut-il pour faire son quota ?", ["120 000 € / 15 000 € = 8"], ""),
    ("Using the x3 rule, how much pipeline should Alice carry for her quota?", ["3 × 120 000 € = 360 000 €"], ""),
    ("Chaque AM de l'agence gère combien de CA ?", ["15 × 24 000 € = 360 000 €"], ""),
    ("Total value created by the agency's AMs (protected + upsell) compared to their cost?",
     ["918 000 € + 81 000 € = 999 000 €", "999 000 € / 180 000 € = 5,55", *RETURN_ADDED], "return_above"),
    ("How many upsold clients are there in the agency example?", ["30 % × 45 = 13,5"], ""),
    # a share of variable checked against the sheet's, and the parts of a pay
    ("Si je mets 20 % de variable sur un fixe de 45k à un account manager, je suis dans les clous ?",
     ["20 % × 45 k€ = 9 k€", "10 % ≤ 20 % ≤ 30 %"], "within"),
    ("AM with a 50k base: what's the max variable according to your sources?", ["10–30 % × 50 k€ = 5–15 k€"], ""),
    ("AE confirmé : OTE min et max ?", ["50–60 k€ + 30–50 k€ = 80–110 k€"], ""),
    # a pay the asker gives, checked against the role's figure
    ("si je suis AE junior avec 40k de fixe et 20k de variable je suis dans la moyenne ?",
     ["40 k€ + 20 k€ = 60 k€", "50 k€ ≤ 60 k€ ≤ 70 k€"], "within"),
    ("On m'offre 55k de fixe comme AE confirmé, c'est correct ?", ["50 k€ ≤ 55 k€ ≤ 60 k€"], "within"),
    # below or above: by how much, from the nearest end; under a single figure (an average) is no "no"
    ("un KAM débutant à 25k c'est normal ?", ["25 k€ < 28 000 €", "28 000 € − 25 k€ = 3 000 €"], "below_point"),
    ("Is 80k a fair OTE for a junior AE?", ["80 k€ > 70 k€", "80 k€ − 70 k€ = 10 k€"], "above"),
    ("AE junior, 30k fixe et 10k variable, je suis sous paye ?", ["30 k€ + 10 k€ = 40 k€", "40 k€ < 50 k€",
                                                                  "50 k€ − 40 k€ = 10 k€"], "below"),
    # the whole within its range, a part outside its own: partly in line, the part said
    ("une startup SaaS me propose AE junior à 38k fixe + 12k variable. C dans les clous ?",
     ["38 k€ + 12 k€ = 50 k€", "50 k€ ≤ 50 k€ ≤ 70 k€"], "parts_outside"),
    # each role at the level written next to it
    ("Qui gagne le plus : un AE confirmé ou un KAM moyen ?",
     ["50–60 k€ + 30–50 k€ = 80–110 k€", "80–110 k€ − 60 000 € = 20 000–50 000 €"], "higher"),
    ("Which pays more on average: a key account manager, or a junior AE?",
     ["60 000 € − 50–70 k€ = −10 000 à 10 000 €"], "overlap"),
    ("ok et un AE junior il touche plus ou moins qu'un KAM qui commence ?",
     ["50–70 k€ − 28 000 € = 22 000–42 000 €"], "higher"),
    # the role's share of a fixed pay the asker gives, then the whole pay
    ("If I pay an account manager 45k fixed, what's the total?",
     ["10–30 % × 45 k€ = 4,5–13,5 k€", "45 k€ + 4,5–13,5 k€ = 49,5–58,5 k€"], ""),
    ("Alice made 150k against a 120k quota — what's that as a percentage?", ["150 k€ / 120 k€ = 125 %"], ""),
    # a calculation written out, done step by step and checked against the amount it should give
    ("Alice : 40 opps × 25% × 15 000 €, ça donne bien ses 150 000 € ?",
     ["25 % × 40 = 10", "10 × 15 000 € = 150 000 €"], "match"),
    ("does 45 x 24 000 € give 1 000 000 €?", ["45 × 24 000 € = 1 080 000 €"], "differs"),
    # the agency's figures, net of the AMs' cost, and with the retention it would have without them
    ("Au total dans l'agence, upsell + revenu protégé ça fait combien ? et si on enlève le coût des AM ?",
     ["918 000 € + 81 000 € = 999 000 €", "999 000 € − 180 000 € = 819 000 €"], ""),
    ("Dans l'agence, si la rétention retombait à 65%, combien de CA serait protégé ?", ["65 % × 1 080 000 € = 702 000 €"], ""),
    # the asker's own count with the example's way of counting: their figures, the share of the count then priced
    ("J'ai 20 clients. Comme dans l'exemple de l'agence, upsell sur 30 % des comptes à 6000€ chacun : ça rapporte combien ?",
     ["30 % × 20 = 6", "6 × 6 000 € = 36 000 €"], ""),
    # a coverage given as a ratio, set against the rule
    ("un pipe coverage de 2,5 c'est grave ?", ["2,5 < 3"], "short"),
    ("my coverage is 4, am I fine?", ["4 ≥ 3"], "enough"),
    # a quota changed, the same sales: the example computed again with the question's quota
    ("Alice elle a fait 150k pour un quota de 120k. si son quota passait à 180k avec les mêmes ventes elle serait à "
     "combien de % ?", ["150 000 € / 180 k€ ≈ 83,3 %"], "quota_missed"),
    # a whole pay "dont" a share: the fixed pay asked
    ("je suis KAM à 60k dont 26% de variable, mon fixe c'est donc combien ?",
     ["26 % × 60 k€ = 15,6 k€", "60 k€ − 15,6 k€ = 44,4 k€"], ""),
    # both parts named at the top of their range: each part's top (« max »)
    ("AE confirmé, fixe max + variable max ça monte à combien ?", ["60 k€ + 50 k€ = 110 k€"], ""),
    # both ends named ask the whole range
    ("AE confirmé : OTE min et max ?", ["50–60 k€ + 30–50 k€ = 80–110 k€"], ""),
    # a rate times the periods it is counted over
    ("Alice fait 12 démos par semaine, ça fait combien sur un trimestre de 13 semaines ?", ["13 × 12 = 156"], ""),
    ("3 deals per month, how many over 12 months?", ["12 × 3 = 36"], ""),
    ("24 000 € x 15 clients / 3 AM, ça fait combien ?", ["15 × 24 000 € = 360 000 €", "360 000 € / 3 = 120 000 €"], ""),
    # an example's rate over the number of periods the question gives
    ("combien de démos alice fait sur un trimestre de 13 semaines ?", ["13 × 12 = 156"], ""),
    ("how many demos does Alice run in 10 weeks?", ["10 × 12 = 120"], ""),
    # two questions in one: the computation resting on the other shows both; two apart, one after the other
    ("dans l'exemple de l'agence, ils ont combien de clients en tout et ça fait quel CA ?",
     ["3 × 15 = 45", "45 × 24 000 € = 1 080 000 €"], ""),
    ("In the agency example, how much does each account manager cost, and what do they bring in total?",
     ["180 000 € / 3 = 60 000 €", "918 000 € + 81 000 € = 999 000 €"], ""),
    ("les 5 AE de la scale-up, combien d'opportunités par trimestre au total ? et combien de CA s'ils font tous "
     "comme Alice ?", ["5 × 40 = 200", "5 × 150 000 € = 750 000 €"], ""),
    ("In the digital agency example, how many clients does each account manager handle, and how many in total?",
     ["3 × 15 = 45"], ""),
    # a figure's origin, then a second question after it
    ("dans l'exemple de l'agence les 918 000 € de revenu protégé ça sort d'où ? et avec 65% de rétention sans AM ça "
     "ferait combien ?", ["85 % × 1 080 000 € = 918 000 €", "65 % × 1 080 000 € = 702 000 €"], ""),
    # each level word goes to the role named just before it in its part of the sentence
    ("je compare 2 pistes : KAM au salaire moyen ou AE junior au top de son OTE, lequel gagne le plus et de combien ?",
     ["70 k€ − 60 000 € = 10 000 €"], "higher"),
    # the most specific cue wins (« combien de pipeline pour son quota » is no « de combien » overshoot)
    ("Avec la règle du pipe x3, Alice aurait besoin de combien de pipeline pour son quota ?",
     ["3 × 120 000 € = 360 000 €"], ""),
    ("In the Alice example, if her demo-to-customer rate went from 25% to 30%, where would she land vs her quota?",
     ["30 % × 40 = 12", "12 × 15 000 € = 180 000 €", "180 000 € / 120 000 € = 150 %"], "quota_reached"),
    ("Dans l'exemple de l'agence marketing, l'upsell représente quel pourcentage du chiffre d'affaires total ?",
     ["81 000 € / 1 080 000 € = 7,5 %"], ""),
    # the example's own « without » figure named: quoted, not a what-if; the difference asked after it
    ("dans le cas de l'agence, sans account manager dédié (65% de rétention) ils garderaient combien de CA ? ça fait "
     "quelle différence avec les 85% ?", ["85 % × 1 080 000 € = 918 000 €", "65 % × 1 080 000 € = 702 000 €",
                                          "918 000 € − 702 000 € = 216 000 €"], ""),
    # the sheet's share applied to the pay the question gives
    ("On veut recruter un account manager à 42 000 € de fixe. D'après vos sources, le variable devrait être entre "
     "combien et combien ?", ["10–30 % × 42 000 € = 4 200–12 600 €"], ""),
    ("pour un AE à 70k d'OTE dans le saas, la part variable c'est combien en gros ?", ["30–40 % × 70 k€ ≈ 21–28 k€"], ""),
    ("What's the upsell revenue in the agency example, and what share of total revenue is it?",
     ["30 % × 45 = 13,5", "13,5 × 6 000 € = 81 000 €", "45 × 24 000 € = 1 080 000 €", "81 000 € / 1 080 000 € = 7,5 %"],
     ""),
    # the cue that says more than « combien » wins: the upsell, not the euros kept
    ("l'agence : combien d'euros d'upsell en tout ?", ["30 % × 45 = 13,5", "13,5 × 6 000 € = 81 000 €"], ""),
    # the quota's period is the one in its part of the sentence (« quota annuel de 400k, par trimestre… »)
    ("et si on me donne un quota annuel de 400k, par trimestre je dois viser quel pipe ?",
     ["400 k€ / 4 = 100 k€", "3 × 100 k€ = 300 k€"], ""),
    # a figure quoted the English way (918,000) is found for its origin
    ("In the agency example, where does the 918,000 figure come from?", ["85 % × 1 080 000 € = 918 000 €"], ""),
    # the pipeline asked for two periods: each one, the quota turned into the second
    ("Quota annuel de 1,2 M€ : quel pipe il faut sur l'année, et par trimestre ?",
     ["3 × 1,2 M€ = 3,6 M€", "1,2 M€ / 4 = 0,3 M€", "3 × 0,3 M€ = 0,9 M€"], ""),
    ("quota annuel 600k : combien de pipe par trimestre et par mois ?",
     ["600 k€ / 4 = 150 k€", "3 × 150 k€ = 450 k€", "600 k€ / 12 = 50 k€", "3 × 50 k€ = 150 k€"], ""),
    # the ×3 rule asked as a guarantee, with figures that meet it: still no
    ("la regle du x3 c'est garanti ? si j'ai 300k de pipe pour 100k de quota je suis sur de faire mon quota ?",
     ["300 k€ / 100 k€ = 3"], "not_guaranteed"),
    ("si alice convertissait qu'a 20%, elle ferait son quota ?",
     ["20 % × 40 = 8", "8 × 15 000 € = 120 000 €", "120 000 € / 120 000 € = 100 %"], "quota_reached"),
    ("dans l'agence, combien de clients sont gardés avec 85% de rétention ?", ["85 % × 45 = 38,25"], ""),
    ("le cout des 3 AM ca represente quel pourcentage du CA de l'agence ?", ["180 000 € / 1 080 000 € ≈ 16,7 %"], ""),
    ("If my OTE as an AE in SaaS is 90k, how much of it would typically be variable?", ["30–40 % × 90 k€ ≈ 27–36 k€"], ""),
    ("on me propose un poste de KAM a 50k fixe + 10k de variable, c'est mieux que la moyenne ?",
     ["50 k€ + 10 k€ = 60 k€", "60 000 € ≤ 60 k€ ≤ 60 000 €"], "within"),
    ("c koi l'OTE d'un AE junior si on additionne fixe et variable ?", ["35–45 k€ + 15–25 k€ = 50–70 k€"], ""),
    # a team all doing as Alice does: her customers of the quarter once per AE
    ("si la boîte avait 5 AE qui performent comme Alice, ça ferait combien de contrats signés par trimestre ?",
     ["25 % × 40 = 10", "5 × 10 = 50"], ""),
    # a figure changed to a value the example states for another one (65 % is the rate without AMs)
    ("dans l'exemple de l'agence, si le taux de rétention tombait à 65 %, ils protégeraient combien ?",
     ["65 % × 1 080 000 € = 702 000 €"], ""),
    # a result put in the period the question names: a year's pay per quarter, Alice's quarter over a year
    ("Average KAM: 60k with 26% variable. How much variable is that per quarter?",
     ["26 % × 60 k€ = 15,6 k€", "15,6 k€ / 4 = 3,9 k€"], ""),
    ("si Alice garde ce rythme toute l'année, elle signe combien ?",
     ["25 % × 40 = 10", "10 × 15 000 € = 150 000 €", "4 × 150 000 € = 600 000 €"], ""),
    ("dans l'exemple de l'agence, l'upsell ça fait combien par account manager ?", ["81 000 € / 3 = 27 000 €"], ""),
    ("How much is the average KAM salary per month in France?", ["60 000 € / 12 = 5 000 €"], ""),
    ("D'après la règle du x3, est-ce qu'Alice a assez de pipe pour son quota ?",
     ["40 × 15 000 € = 600 000 €", "600 000 € / 120 000 € = 5"], "enough"),
    # from an amount to a role's pay at the level named last
    ("Ma fille vise KAM. Si elle démarre à 28 000 € et arrive à la moyenne, son salaire aura augmenté de combien en % ?",
     ["60 000 € − 28 000 € = 32 000 €", "32 000 € / 28 000 € ≈ 114,3 %"], ""),
    # the return of the upsell alone on the AMs' cost: under one euro per euro
    ("les 3 AM coûtent 180k et font 81k d'upsell, c rentable juste avec l'upsell ?",
     ["81 000 € / 180 000 € = 0,45"], "return_below"),
    # the asker's own pay against a role's, at the end of its range named
    ("Je suis commercial terrain à 42k fixe + 8k de primes. Si je deviens AE confirmé au bas de la fourchette, je gagne "
     "combien de plus par an ?", ["50 k€ + 30 k€ = 80 k€", "42 k€ + 8 k€ = 50 k€", "80 k€ − 50 k€ = 30 k€"], "higher"),
    # two counts: the one named after « par » / « per » shares the amount
    ("nos 3 commerciaux coûtent 150k pour 30 clients, ça fait combien par client ?", ["150 k€ / 30 = 5 k€"], ""),
    ("Our agency has 3 account managers costing 180k in total for 45 clients. What's the cost per client?",
     ["180 000 € / 45 = 4 000 €"], ""),
    # « 52 000 brut de fixe »: "brut" says what kind of fixed pay, the amount is the fixed one
    ("Je suis KAM avec 52 000 brut de fixe. Si j'avais la part variable moyenne de 26% en plus de mon fixe, ça ferait "
     "combien ?", ["26 % × 52 000 € ≈ 13 520 €", "52 000 € + 13 520 € ≈ 65 520 €"], ""),
    # two offers, each written fixed + variable with no pay word: the asker's figures, not the sources' ranges
    ("On me propose 2 postes : KAM à 48k fixe + 12k variable, ou AE confirmé à 55k + 35k. Lequel paie le plus à "
     "objectifs atteints ?", ["55 k€ + 35 k€ = 90 k€", "48 k€ + 12 k€ = 60 k€", "90 k€ − 60 k€ = 30 k€"], "higher"),
    # the variable part named while the fixed pay is asked: the fixed pay, not the share
    ("un KAM payé dans la moyenne, ca fait combien de fixe une fois qu'on enleve la part variable ?",
     ["26 % × 60 000 € ≈ 15 600 €", "60 000 € − 15 600 € ≈ 44 400 €"], ""),
    # « de combien à combien » of the variable, with a fixed pay given: the variable's range on it
    ("je passe account manager avec 42k de fixe, la part variable elle peut aller de combien a combien ?",
     ["10–30 % × 42 k€ = 4,2–12,6 k€"], ""),
    # « pèse combien en % » of the asker's own variable and total
    ("AE confirmé : 50 k€ de fixe et 30 k€ de variable, donc 80 k€ d'OTE. Le variable pèse combien en % ?",
     ["30 k€ / 80 k€ = 37,5 %"], ""),
    # a raise from the asker's fixed pay to the same part of the next level, at the end of its range named
    ("Je suis AE junior à 38k de fixe. Si je passe confirmé au bas de la fourchette, ça fait quelle augmentation, en € "
     "et en % ?", ["50 k€ − 38 k€ = 12 k€", "12 k€ / 38 k€ ≈ 31,6 %"], ""),
    # a share of the OTE the sheet gives, at the end of its range the question names: the base left
    ("Hiring a junior AE in France. If I put OTE at the top of the usual range and make variable 35% of OTE, what "
     "base does that leave?", ["35 % × 70 k€ = 24,5 k€", "70 k€ − 24,5 k€ = 45,5 k€"], ""),
    # the best-paid sales job, no role named: the roles whose sheets give a whole pay in euros, like with like
    ("quel est le métier de la vente le mieux payé ?", ["50–70 k€ − 28 000 € = 22 000–42 000 €"], "higher"),
    ("which sales job pays the most?", ["50–70 k€ − 28 000 € = 22 000–42 000 €"], "higher"),
    # « ça vaut le coup niveau salaire ? » of a move: the asker's pay against the role's, at the same level
    ("AE confirmé (6 ans, SaaS), je suis à 55k fixe + 40k variable. passer KAM ça vaut le coup niveau salaire ?",
     ["55 k€ + 40 k€ = 95 k€"], "overlap"),
    # an amount raised by the rate a sheet states (002: a good AM grows the LTV by 25 to 40 %)
    ("Notre LTV client moyenne est à 80 000 €. Si on recrute un account manager dédié, on peut espérer monter à "
     "combien ?", ["25–40 % × 80 000 € ≈ 20 000–32 000 €", "80 000 € + 20 000–32 000 € ≈ 100 000–112 000 €"], ""),
    # a capital M stuck to a number is millions, whatever word follows (« a 1.2M annual quota »)
    ("I'm giving my first AE a 1.2M annual quota. How much pipeline does he need under the 3x rule?",
     ["3 × 1,2 M€ = 3,6 M€"], ""),
    # the pipeline the rule asks, and whether it guarantees the quota: no
    ("si mon pipe fait bien 3 fois mon quota de 100k, donc 300k, je suis assuré de faire mes 100k ou pas ?",
     ["3 × 100 k€ = 300 k€"], "not_guaranteed"),
    # the sheet's rate quoted by the question is the sheet's
    ("Ma LTV moyenne tourne autour de 10 000 €. Un account manager, qui augmente la LTV de 25 à 40 %, elle passerait à "
     "combien ?", ["25–40 % × 10 000 € ≈ 2 500–4 000 €", "10 000 € + 2 500–4 000 € ≈ 12 500–14 000 €"], ""),
    # how much of an OTE the question gives is variable: the sheet's share of it, no range check
    ("If I set an AE's OTE at 60k€, how much of that should be variable based on the usual SaaS split?",
     ["30–40 % × 60 k€ ≈ 18–24 k€"], ""),
    # « le + » in SMS is « le plus »
    ("qui gagne le + entre un AE junior et un KAM ?? et de combien", ["50–70 k€ − 28 000 € = 22 000–42 000 €"],
     "higher"),
]


@pytest.mark.parametrize("question, lines, verdict", QUESTIONS, ids=[q for q, _, _ in QUESTIONS])
def test_computation_questions_give_the_expected_lines(question, lines, verdict):
    """Each question gives its result with every operation line, in order, and the expected verdict."""
    done = ask(question)
    assert isinstance(done, Computation), done
    assert list(done.lines) == lines
    assert done.verdict == verdict
    # A floor (« plus de 60 k€ ») gives an order but no difference to compute.
    assert done.operation in done.lines if done.ok else verdict == "overlap"


def test_the_table_is_large_and_bilingual():
    """At least 60 computation questions, French and English."""
    assert len(QUESTIONS) >= 60
    assert sum(1 for q, _, _ in QUESTIONS if re.search(r"\b(?:how|what|who|is|per|of)\b", q)) >= 10


def _numbers(line: str) -> list[float]:
    return [float(n.replace(" ", "").replace(",", ".")) for n in re.findall(r"\d+(?:[  ]\d{3})*(?:,\d+)?", line)]


@pytest.mark.parametrize("question, lines, verdict", QUESTIONS[:30], ids=[q for q, _, _ in QUESTIONS[:30]])
def test_every_operand_comes_from_a_source_or_the_question(question, lines, verdict):
    """Each operand names its origin: a source file, the question, or no origin when an earlier step computed it."""
    done = ask(question)
    every = list(done.operands) + [o for s in done.steps + done.then for o in s.operands]
    computed = {s.result for s in done.steps + done.then}
    for operand in every:
        assert operand.origin in ("question", S001, S002, S003, S004) or operand.origin.endswith(".txt") or (
            operand.origin == "" and (operand.amount in computed or operand == MONTHS))


# --- verdicts and what the sources lack ------------------------------------------------------------------------------

def test_who_earns_more_compares_like_with_like_and_says_so():
    """AE against KAM: same level (junior), the AE's OTE is higher; the caveats name the two sheets and the OTE."""
    done = ask("entre un AE et un KAM, lequel est le mieux payé ?")
    assert fr(done.winner) == "AE junior"
    assert any("niveau junior" in fr(c) for c in done.caveats)
    assert any("fiches différentes" in fr(c) for c in done.caveats)
    assert any("OTE" in fr(c) for c in done.caveats)
    assert set(done.sources) == {S001, S004}


def test_the_account_manager_has_no_fixed_salary_to_compare():
    """AM against KAM: the AM sheet gives no fixed amount, so no verdict, and the missing figure is named."""
    done = ask("account manager or key account manager, who earns more?")
    assert done.result is None and done.verdict == "not_comparable"
    assert tuple(map(fr, done.missing)) == ("le salaire fixe ou total (AM)",)


def test_dollars_and_euros_are_not_compared():
    """AE (France, €) against responsable de compte (US, $, 2021): not comparable, and every reason is said."""
    done = ask("AE ou responsable de compte, qui gagne le plus ?")
    assert done.verdict == "not_comparable" and done.result is None
    text = " ".join(map(fr, done.caveats))
    for reason in ("dollars", "pays", "2021", "fiches différentes"):
        assert reason in text


def test_a_floor_gives_way_to_the_roles_average_and_is_said():
    """« KAM senior : peut largement dépasser 60 k€ » is no amount: against an AE confirmé (80–110 k€) the KAM's
    average (60 000 €) is compared, and the floor is said beside the verdict."""
    done = ask("KAM ou AE confirmé, lequel est le mieux payé ?")
    assert done.verdict == "higher" and "AE" in fr(done.winner)
    assert any("plancher" in fr(c) and "moyenne du métier" in fr(c) for c in done.caveats)


def test_a_role_without_salary_figures_is_named():
    """The sources give no SDR salary: the comparison says so instead of guessing."""
    done = ask("AM ou SDR, qui gagne le plus ?")
    assert done.result is None and tuple(map(fr, done.missing)) == ("un chiffre de salaire pour SDR",)


def test_the_am_variable_without_a_fixed_salary():
    """The AM's variable is 10–30 % of a fixed salary the sources do not give: no amount is computed; the share
    is read as the sheet states it (a figure, answered by the salary facts), and with the asker's fixed it is computed."""
    done = ask("combien de variable pour un AM ?")
    assert done.kind == "figure" and str(done.result) == "10–30 %" and not done.operation
    done = ask("combien de variable pour un AM avec 40k de fixe ?")
    assert done.operation == "10–30 % × 40 k€ = 4–12 k€"


@pytest.mark.parametrize("question, text", [
    ("how much variable should I budget for an experienced AE?", "30–50 k€"),
    ("how much variable for a junior AE?", "15–25 k€"),
    ("quelle part du variable pour un KAM ?", "26 %"),
])
def test_figures_printed_in_a_source_are_read_not_computed(question, text):
    """A figure the source prints is given as such: kind ``figure``, no operation line, its source named."""
    done = ask(question)
    assert done.kind == "figure" and done.operation == "" and done.lines == ()
    assert str(done.result) == text and done.sources


@pytest.mark.parametrize("question", [
    "le x3, ça garantit d'atteindre son quota ?",
    "est-ce que la règle des 3 fois le quota garantit de l'atteindre ?",
    "does the x3 rule guarantee I hit my quota?",
    "le pipe coverage x3 c'est vraiment fiable ?",
])
def test_questions_about_the_rule_itself_are_not_computed(question):
    """« Does ×3 guarantee the quota? » is answered from 003's text: plan says so and computes nothing."""
    assert ask(question) == RuleQuestion("pipe-coverage", S003)


@pytest.mark.parametrize("question", [
    "combien gagne un KAM ?", "c'est quoi le pipe coverage ?", "bonjour", "", "   ", "quelles études pour devenir AE ?",
    "combien de pipe faut-il par rapport au quota ?",
    # a price each told in a story, or judged, is no product to compute
    "I handle 15 clients worth around €25k a year each, and I'd like to grow into key accounts.",
    "on me confie 120 comptes à 8 000 € chacun, c'est normal ?",
])
def test_questions_that_ask_for_no_computation_give_none(question):
    """Questions without a computation are left to the rest of careerbot."""
    assert ask(question) is None


def test_follow_ups_take_the_missing_operand_from_the_previous_computation():
    """« et pour un quota de 200k ? » keeps the pipeline; « et si j'ai 300k de pipe ? » keeps the quota."""
    first = ask("quota 80k, pipe 150k, ça passe ?")
    again = ask("et pour un quota de 200k ?", previous=first)
    assert again.operation == "150 k€ / 200 k€ = 0,75" and again.verdict == "short"
    assert ask("et si j'ai 300k de pipe ?", previous=first).operation == "300 k€ / 80 k€ = 3,75"
    assert ask("et pour 100k ?", previous=ask("combien de pipe pour 250k ?")).operation == "3 × 100 k€ = 300 k€"


def test_a_missing_example_figure_is_named_not_invented():
    """Without the agency's figures, its revenue is not computed and the lacking figure is named."""
    done = ask("chiffre d'affaires de l'agence ?", examples=[])
    assert done.result is None and done.operation == ""
    assert any("agency.clients" in fr(m) for m in done.missing)


# --- edge cases of every operation -----------------------------------------------------------------------------------

def _e(value: float, unit="€", scale="") -> Amount:
    return Amount(value, value, unit, scale=scale)


def op(label: str, value: float, unit="€", origin="question") -> Operand:
    return Operand(label, _e(value, unit), origin)


EDGE = [
    (lambda: add(op("a", 1), None), None, "le second montant"),
    (lambda: add(op("a", 1), op("b", 1, "$")), None, "dollars"),
    (lambda: add(op("fixe", 4000, "€"), Operand("variable", Amount(5e4, 5e4, period="an"))), "4 000 € + 50 000 € = 54 000 €",
     None),
    (lambda: add(Operand("fixe", Amount(4e3, 4e3, period="mois")), Operand("var", Amount(5e4, 5e4, period="an"))),
     None, "par mois"),
    (lambda: subtract(None, op("b", 1)), None, "le premier montant"),
    (lambda: subtract(op("a", 1e15), op("b", 1)), None, "faute de frappe"),
    (lambda: percent_of(op("p", 26), op("s", 60000)), None, "n'est pas un pourcentage"),
    (lambda: percent_of(op("p", 26, "%"), op("s", -60000)), None, "négatif"),
    (lambda: share(op("a", 5), op("b", 0)), None, "zéro"),
    (lambda: share(op("a", 5, "%"), op("b", 50)), None, "même unité"),
    (lambda: ratio(op("a", 5), op("b", 0)), None, "zéro"),
    (lambda: ratio(op("a", 0), op("b", 5)), "0 € / 5 € = 0", None),
    (lambda: per_head(op("coût", 180000), op("n", 0, "")), None, "zéro"),
    (lambda: per_head(op("coût", 180000), op("n", 3)), None, "nombre de personnes"),
    (lambda: product(op("n", 45, ""), None), None, "le montant"),
    (lambda: product(op("n", 45, ""), op("x", 2e11)), "45 × 200 000 000 000 € = 9 000 000 000 000 €", None),
    (lambda: pipeline_needed(op("quota", 0)), None, "quota de 0"),
    (lambda: pipeline_needed(None), None, "le montant"),
    (lambda: pipeline_needed(op("quota", 1e15)), None, "faute de frappe"),
    (lambda: coverage(op("pipeline", 1e5), op("quota", 0)), None, "quota de 0"),
    (lambda: coverage(None, op("quota", 1e5)), None, "le premier montant"),
    (lambda: coverage(op("pipeline", 3e5), op("quota", 1e5, "$")), None, "dollars"),
    (lambda: coverage(op("pipeline", 0), op("quota", 1e5)), "0 € / 100 000 € = 0", None),
    (lambda: compare_pay(None, Pay("KAM", S004, total=_e(6e4))), None, "l'un des deux"),
    (lambda: compare_pay(Pay("X", "a", total=Amount(5e4, 7e4, scale="k")), Pay("Y", "a", total=_e(6e4))),
     "50–70 k€ − 60 000 € = −10 000 à 10 000 €", None),
]


@pytest.mark.parametrize("run, line, reason", EDGE, ids=[f"edge{i}" for i in range(len(EDGE))])
def test_edge_cases_give_a_reason_never_an_exception(run, line, reason):
    """Missing operands, zero divisors, absurd or negative amounts, mismatched units: a reason, no result."""
    done = run()
    if line is None:
        assert done.result is None and done.operation == ""
        assert reason in " ".join(map(fr, done.missing + done.caveats))
    else:
        assert done.operation == line


def test_coverage_verdicts_and_gap():
    """Exactly ×3 is enough; below is short with the gap; a range across ×3 is partly covered."""
    quota = op("quota", 1e5)
    assert coverage(op("pipeline", 3e5), quota).verdict == "enough"
    short = coverage(op("pipeline", 2e5), quota)
    assert short.verdict == "short" and short.gap == _e(1e5)
    across = coverage(Operand("pipeline", Amount(2e5, 4e5)), quota)
    assert across.verdict == "partly"


def test_the_factor_comes_from_the_rule_and_is_cited():
    """The ×3 operand is attributed to source 003, and another factor can be given."""
    done = pipeline_needed(op("quota", 1e5), factor=4, rule_source=S003)
    assert done.operation == "4 × 100 000 € = 400 000 €" and done.sources == (S003,)


def test_equal_pay_and_averages():
    """Two equal single figures are ``equal``; an average is said to be one."""
    a = Pay("A", "x", total=Amount(6e4, 6e4, approx=True))
    done = compare_pay(a, Pay("B", "x", total=_e(6e4)))
    assert done.verdict == "equal" and any("moyenne" in fr(c) for c in done.caveats)


def test_to_dict_is_json_ready():
    """to_dict writes amounts as text and keeps every line."""
    import json

    data = ask("quota 80k, pipe 150k, ça passe ?").to_dict()
    assert json.loads(json.dumps(data))["lines"][-1] == "240 k€ − 150 k€ = 90 k€"


# --- the data file ---------------------------------------------------------------------------------------------------

def test_every_operation_is_known_and_has_a_handler():
    """compute.toml lists only operations plan() can run, each once."""
    ids = [o.id for o in INTENTS.operations]
    assert sorted(ids) == sorted(OPERATIONS)


@pytest.mark.parametrize("operation", INTENTS.operations, ids=lambda o: o.id)
def test_each_operation_s_examples_are_computations(operation):
    """The examples written under each operation are computed (or point to the figures they lack)."""
    for example in operation.examples:
        done = ask(example)
        assert isinstance(done, Computation), example
        assert done.ok or done.missing, example


@pytest.mark.parametrize("recipe", INTENTS.examples, ids=lambda r: r.id)
def test_each_worked_example_computation_runs_on_the_source_figures(recipe):
    """Every worked-example computation finds its figures (and the periods a question gives) and gives a result
    with its line; without the periods it needs, it names what it lacks."""
    periods = {ref[1:]: Amount(13, 13, "") for ref in recipe.operands if ref.startswith("?")}
    done = compute_example(recipe.id, INTENTS, examples=EXAMPLES, spans=periods)
    assert done.ok and done.lines, recipe.id
    if periods:
        assert not compute_example(recipe.id, INTENTS, examples=EXAMPLES).ok


def test_an_unknown_worked_example_is_named():
    """Asking for a worked example that compute.toml lacks gives a result-less Computation naming it."""
    assert compute_example("nope", INTENTS, examples=EXAMPLES).missing[0] == Said.of("calc_missing_example", id="nope")


BAD = [
    ("[[operation]]\nid = 'guess'\ncues = ['x']\n", "operation 'guess'", "unknown operation id"),
    ("[[operation]]\nid = 'sum'\ncues = ['x']\n[[operation]]\nid = 'sum'\ncues = ['y']\n", "operation 'sum'",
     "duplicate"),
    ("[[operation]]\nid = 'sum'\ncues = []\n", "operation #1", "at least 1"),
    ("[[operation]]\nid = 'sum'\ncues = ['x']\nslots = ['salary']\n", "operation 'sum'", "unknown slot"),
    ("[[operation]]\nid = 'sum'\ncue = ['x']\n", "operation #1", "missing required field 'cues'"),
    (("[[operation]]\nid = 'sum'\ncues = ['x']\n[[example]]\nid = 'e'\nsubject = ['a']\ncues = ['b']\n"
     "operation = 'ratio'\noperands = ['a.b']\n"), "example 'e'", "takes 2 operand"),
    (("[[operation]]\nid = 'sum'\ncues = ['x']\n[[example]]\nid = 'e'\nsubject = ['a']\ncues = ['b']\n"
     "operation = 'sum'\noperands = ['@later', 'a.b']\n"), "example 'e'", "no earlier example"),
    (("[[operation]]\nid = 'sum'\ncues = ['x']\n[[example]]\nid = 'e'\nsubject = ['a']\ncues = ['b']\n"
     "operation = 'guess'\noperands = ['a.b']\n"), "example 'e'", "unknown operation"),
    (("[[operation]]\nid = 'sum'\ncues = ['x']\n[[example]]\nid = 'd'\nsubject = ['a']\ncues = ['c']\n"
      "operation = 'sum'\noperands = ['a.b', 'a.c']\n[[example]]\nid = 'e'\nsubject = ['a']\ncues = ['b']\n"
      "operation = 'sum'\noperands = ['@d', 'a.b']\n"), "example 'e'", "has no label"),
    ("", None, "no [[operation]]"),
]

_HEAD = textwrap.dedent("""
    [rule]
    topic = "pipe-coverage"
    source = "003.txt"
    words = ["x3"]
    cues = ["garantit"]
    [slots]
    quota = ["quota"]
    [operators]
    sum = ["+"]
""")


@pytest.mark.parametrize("body, entry, problem", BAD, ids=[p for _, _, p in BAD])
def test_bad_compute_files_are_refused_with_file_entry_and_fix(tmp_path, body, entry, problem):
    """A broken compute.toml stops start-up with a KnowledgeError naming the file, the entry and a fix."""
    path = tmp_path / "compute.toml"
    path.write_text(_HEAD + body, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=re.escape(problem)) as info:
        load_compute_intents(path)
    assert info.value.file == str(path) and info.value.entry == entry and info.value.fix


def test_bad_slot_and_operator_tables_are_refused(tmp_path):
    """A slot that is not a list of words, or an operator for an unknown operation, is refused."""
    path = tmp_path / "compute.toml"
    path.write_text(_HEAD.replace('quota = ["quota"]', 'quota = "quota"'), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"slots\.quota"):
        load_compute_intents(path)
    path.write_text(_HEAD.replace('sum = ["+"]', 'add = ["+"]'), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown operation 'add'"):
        load_compute_intents(path)


# --- properties ------------------------------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_a_computation_a_rule_question_or_none(text):
    """plan never raises; a computed result always comes with its operation line."""
    done = ask(text)
    assert done is None or isinstance(done, (Computation, RuleQuestion))
    if isinstance(done, Computation) and done.ok and done.kind != "figure":
        assert done.operation and done.lines


_AMOUNT_TEXT = st.builds(lambda n, u: f"{n}{u}", st.integers(0, 10**7), st.sampled_from(["", "k", " €", "k€", " %", "$"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_AMOUNT_TEXT, st.sampled_from(["quota", "pipe", "fixe", "variable", "+", "x", "/", "AE",
                                                          "KAM", "combien", "ça passe ?", "au total", "de", "et"])),
                max_size=8))
def test_questions_built_from_amounts_and_cue_words_never_raise(words):
    """Random mixes of amounts and cue words give a computation or None, never an exception."""
    done = ask(" ".join(words))
    if isinstance(done, Computation) and done.result is not None:
        assert done.result.low <= done.result.high


_RANGE = st.tuples(st.floats(0, 1e9), st.floats(0, 1e9)).map(lambda t: Amount(min(t), max(t)))


@given(_RANGE, _RANGE)
def test_sums_of_ranges_go_up_and_add_bound_by_bound(a, b):
    """low ≤ high for every sum, and the bounds are the sums of the bounds."""
    done = add(Operand("a", a), Operand("b", b))
    assert done.result.low <= done.result.high
    assert done.result.low == pytest.approx(a.low + b.low) and done.result.high == pytest.approx(a.high + b.high)


@given(_RANGE, _RANGE)
def test_differences_and_ratios_of_ranges_stay_ordered(a, b):
    """Whatever the ranges, results keep low ≤ high (or give a reason)."""
    for done in (subtract(Operand("a", a), Operand("b", b)), ratio(Operand("a", a), Operand("b", b)),
                 share(Operand("a", a), Operand("b", b)), coverage(Operand("p", a), Operand("q", b))):
        assert done.result is None or done.result.low <= done.result.high
        assert done.result is not None or done.caveats or done.missing


@given(_RANGE, _RANGE, st.floats(0, 1), st.floats(0, 1))
def test_a_difference_or_ratio_of_ranges_holds_every_value_the_ranges_allow(a, b, s, t):
    """35–45 − 10–20 is 15–35, not 25 (low with low): any x of the first range and y of the second give
    an x − y and an x / y inside the result, so no computed bound is narrower than the sources allow."""
    x, y = a.low + s * (a.high - a.low), b.low + t * (b.high - b.low)
    diff = subtract(Operand("a", a), Operand("b", b))
    if diff.result is not None:
        assert diff.result.low - 1e-6 * abs(x) - 1 <= x - y <= diff.result.high + 1e-6 * abs(x) + 1
    quotient = ratio(Operand("a", a), Operand("b", b))
    if quotient.result is not None and y > 0:
        assert quotient.result.low * (1 - 1e-9) - 1e-12 <= x / y <= quotient.result.high * (1 + 1e-9) + 1e-12


def test_a_return_verdict_is_only_for_a_ratio(tmp_path):
    """verdict = "return" says whether a gain beats a cost: on anything but a ratio it is refused."""
    from bot.compute_intents import default_compute_file

    text = default_compute_file().read_text(encoding="utf-8").replace('id = "agency-upsell"\n', 'id = "agency-upsell"\nverdict = "return"\n', 1)
    path = tmp_path / "compute.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"example 'agency-upsell': unknown verdict 'return' for a product"):
        load_compute_intents(path)


def test_the_agency_return_says_whether_it_pays():
    done = compute_example("agency-return", INTENTS, examples=EXAMPLES)
    assert done.verdict == "return_above" and done.operation == "999 000 € / 180 000 € = 5,55"


def test_who_has_more_fixed_or_variable_compares_that_part():
    """« qui touche le plus de fixe ? » compares fixed pay; a whole pay below the other's fixed alone still
    gives the order (said so); a part a sheet does not give in euros is named, not guessed."""
    from bot.calc import compare_part

    ae = Pay("AE junior", "001", "junior", fixed=Amount(35e3, 45e3, scale="k"), variable=Amount(15e3, 25e3, scale="k"))
    kam = Pay("KAM début", "004", "junior", total=Amount(28e3, 28e3))
    am = Pay("AM", "002", variable_share=Amount(10, 30, "%"), share_of="fixe")
    fixed = compare_part(ae, kam, "fixed")
    assert (fixed.operation, fixed.verdict, fixed.winner) == ("35–45 k€ − 28 000 € = 7 000–17 000 €", "higher", "AE junior")
    variable = compare_part(ae, am, "variable")
    assert variable.result is None and variable.verdict == "not_comparable" and variable.missing
    both = compare_part(ae, Pay("AE confirmé", "001", "senior", fixed=Amount(5e4, 6e4, scale="k")), "fixed")
    assert both.verdict == "lower"



class _NoScan(dict):
    """Role names that must not be read: a question naming no role is never matched against every role's names
    (with hundreds of ingested roles that scan cost seconds a question)."""

    def __getitem__(self, key):
        raise AssertionError("role names scanned")

    def get(self, key, default=None):
        raise AssertionError("role names scanned")

    def items(self):
        raise AssertionError("role names scanned")


def test_a_question_naming_no_role_is_not_matched_against_every_role_name():
    done = plan("quota 75 000€ -> pipe coverage ?", INTENTS, roles=(), aliases=_NoScan())
    assert done is not None and "225 000" in done.operation


def test_pay_compared_on_overlapping_figures_shows_them_before_saying_so(bot):
    """A KAM on average (60 000 €) against a junior AE (OTE 50–70 k€): the figures, the difference, then no winner."""
    answer = bot.ask("Entre un KAM en moyenne et un AE junior, lequel paie le mieux en France ?")
    assert "60 000 € − 50–70 k€" in answer.text and "se recouvrent" in answer.text


@pytest.mark.parametrize("question, line", [
    ("If I pay an account manager a 45k base, what's the variable range according to your sources?",
     "10–30 % × 45 k€ = 4.5–13.5 k€"),
    ("Entre un AE junior et un KAM débutant, lequel paie le plus au début et de combien ?", "− 28 000 €"),
])
def test_new_ways_of_asking_for_pay_arithmetic(bot, question, line):
    assert line in bot.ask(question).text


@pytest.mark.parametrize("question, line", [
    # the quota a pipeline covers, asked in English; the revenue lost between the two retention rates
    ("We've got €1.2M of open pipeline this quarter. With the 3x coverage rule, what's the biggest quota that's "
     "realistically covered?", "1.2 M€ / 3 = 0.4 M€"),
    ("In the agency example, how much revenue would they lose each year without dedicated account managers, going "
     "from 85% to 65% retention?", "918 000 € − 702 000 € = 216 000 €"),
    ("In the agency example, what does each AM cost?", "180 000 € / 3 = 60 000 €"),
    ("In the agency example, what's the revenue per head?", "15 × 24 000 € = 360 000 €"),
])
def test_worked_example_questions_asked_new_ways(bot, question, line):
    assert line in bot.ask(question).text


def test_clients_per_account_manager_is_the_examples_figure_not_a_cost(bot):
    answer = bot.ask("In the digital agency example, how many clients does each account manager look after?")
    assert "15 customers" in answer.text and "180 000" not in answer.text


# --- worked examples with a figure changed ----------------------------------------------------------------------------

WHAT_IF = [
    # the asker changes one figure: everything resting on it is computed again, the rest is the example's
    ("et si le taux de conversion d'Alice passe à 30 % ?",
     ["30 % × 40 = 12", "12 × 15 000 € = 180 000 €", "180 000 € / 120 000 € = 150 %"], "quota_reached"),
    ("si le quota d'Alice était de 160 000 €, elle l'atteindrait ?", ["150 000 € / 160 000 € ≈ 93,8 %"], "quota_missed"),
    ("Dans l'exemple de l'agence, et avec 20 clients chacun ?", ["3 × 20 = 60", "60 × 24 000 € = 1 440 000 €"], ""),
    ("In the agency example, what if upsell landed on 40% of the accounts instead of 30%?",
     ["40 % × 45 = 18", "18 × 6 000 € = 108 000 €"], ""),
    ("Dans l'exemple de l'agence, si les 3 AM coûtaient 300 000 €, ce serait rentable ?",
     ["918 000 € + 81 000 € = 999 000 €", "999 000 € / 300 000 € = 3,33", *RETURN_ADDED[:-1],
      "297 000 € / 300 000 € = 0,99"], "return_above"),
    # two things asked: the computation that rests on the other shows both
    ("Dans l'exemple de l'agence, avec 4 account managers au lieu de 3, combien de clients et de CA ?",
     ["4 × 15 = 60", "60 × 24 000 € = 1 440 000 €"], ""),
    # a cue still says which computation: the deals of the quarter at the new rate
    ("combien de deals ferait Alice avec un taux de conversion de 20 % ?",
     ["20 % × 40 = 8", "8 × 15 000 € = 120 000 €", "120 000 € / 15 000 € = 8"], ""),
]


@pytest.mark.parametrize("question, lines, verdict", WHAT_IF, ids=[q for q, _, _ in WHAT_IF])
def test_a_changed_figure_of_a_worked_example_is_computed_again(question, lines, verdict):
    done = ask(question)
    assert isinstance(done, Computation), done
    assert list(done.lines) == lines and done.verdict == verdict
    # the answer keeps which figure was changed, to say it and to carry it into the next question
    assert done.changed and all(Said("calc_changed") == Said(c.key) for c in done.caveats[:len(done.changed)])


@pytest.mark.parametrize("question", [
    "Combien de revenu en plus les AM de l'agence sauvent par rapport à une rétention de 65 % ?",  # a rate quoted
    "dans l'exemple de l'agence, 45 clients à 24 000 €, ça fait bien 1 080 000 € ?",  # the example's own figures
    "Alice atteint son quota à combien ?",
])
def test_figures_quoted_from_a_worked_example_change_nothing(question):
    done = ask(question)
    assert isinstance(done, Computation) and not done.changed


def test_figures_changed_earlier_are_kept_by_a_question_that_changes_another_or_says_so():
    earlier = (("alice.conversion", Amount(30, 30, "%")),)
    done = ask("et avec un panier moyen de 20 000 € pour Alice ?", changed=earlier)
    assert done.lines[-1] == "240 000 € / 120 000 € = 200 %" and dict(done.changed).keys() == {"alice.conversion",
                                                                                                 "alice.basket"}
    kept = ask("dans ce cas, combien de deals pour Alice ?", changed=earlier)
    assert kept.lines[-1] == "180 000 € / 15 000 € = 12"
    # without a word that keeps them, a question about the example is about the example as the source gives it
    assert ask("combien de deals pour Alice ?", changed=earlier).lines == ("150 000 € / 15 000 € = 10",)


def test_a_what_if_table_works_on_hand_built_figures(tmp_path):
    """A small compute.toml: a shop sells units at a price; changing the price changes the revenue."""
    path = tmp_path / "compute.toml"
    path.write_text(_HEAD + textwrap.dedent("""
        [[operation]]
        id = "sum"
        cues = ["plus"]
        slots = []
        examples = []
        [[example]]
        id = "shop-revenue"
        gives = "shop.revenue"
        subject = ["boutique"]
        cues = ["chiffre d affaires"]
        operation = "product"
        operands = ["shop.units", "shop.price"]
        [[example]]
        id = "shop-share"
        subject = ["boutique"]
        cues = ["part de l objectif"]
        operation = "share"
        operands = ["shop.revenue", "shop.goal"]
        [[whatif]]
        example = "shop"
        subject = ["boutique"]
        shows = ["shop-share"]
        [[whatif.change]]
        figure = "shop.price"
        names = ["prix"]
    """), encoding="utf-8")
    intents = load_compute_intents(path)
    figures = [{"id": "shop.units", "label": "unités", "value": "10", "source": "s", "example": "shop"},
               {"id": "shop.price", "label": "prix", "value": "5 €", "source": "s", "example": "shop"},
               {"id": "shop.revenue", "label": "chiffre d'affaires", "value": "50 €", "source": "s", "example": "shop"},
               {"id": "shop.goal", "label": "objectif", "value": "100 €", "source": "s", "example": "shop"}]
    done = plan("et si la boutique passait son prix à 8 € ?", intents, examples=figures)
    assert isinstance(done, Computation)
    assert done.lines == ("10 × 8 € = 80 €", "80 € / 100 € = 80 %")
    assert done.changed == (("shop.price", Amount(8, 8, "€")),)
    # given by id (as the understanding gives them, made once), the same
    assert plan("et si la boutique passait son prix à 8 € ?", intents, examples={f["id"]: f for f in figures}) == done
    # unchanged, the figure the source states is used as it is
    assert plan("dans la boutique, quelle part de l'objectif ?", intents, examples=figures).lines == ("50 € / 100 € = 50 %",)


@pytest.mark.parametrize("edit, problem", [
    (('id = "alice-won"\n', 'id = "alice-won"\ngives = "team.opportunities"\n'), "rests on it"),
    (('gives = "agency.upsell"\n', 'gives = "agency.revenue"\n'), "given by two computations"),
    (('figure = "agency.cost"', 'figure = "agency.nothing"'), "is used by no example computation"),
    (('shows = ["alice-attainment"]', 'shows = ["alice-nope"]'), "which is no example computation"),
])
def test_bad_what_if_tables_are_refused(tmp_path, edit, problem):
    from bot.compute_intents import default_compute_file

    text = default_compute_file().read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / "compute.toml"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=re.escape(problem)):
        load_compute_intents(path)


def test_a_conversation_changes_alices_figures_one_after_the_other(bot):
    session = bot.new_session()
    bot.ask("Parle-moi de l'exemple d'Alice", session)
    first = bot.ask("et si son taux de conversion passe à 30% ?", session).text
    assert "180 000 € / 120 000 € = 150 %" in first and "30 % au lieu de 25 %" in first
    second = bot.ask("et avec un panier moyen de 20 000 € (toujours 30%) ?", session).text
    assert "12 × 20 000 € = 240 000 €" in second
    third = bot.ask("et si on lui monte son quota à 200 000 € ?", session).text
    assert "240 000 € / 200 000 € = 120 %" in third and third.count("au lieu de") == 3
    # another subject ends the thread: the example as the source gives it again
    bot.ask("c'est quoi un KAM ?", session)
    assert "150 000 € / 120 000 € = 125 %" in bot.ask("Alice atteint son quota à combien ?", session).text


# --- a quota per person or per period; the asker's amounts carried into the next question ---------------------------

@pytest.mark.parametrize("question, lines", [
    # a quota "each" times the headcount, then the rule
    ("j'ai 5 AE avec 100k de quota chacun, combien de pipe il faut pour l'équipe ?",
     ["5 × 100 k€ = 500 k€", "3 × 500 k€ = 1 500 k€"]),
    ("a team of 4 reps with a 150k quota each: how much pipeline do we need?", ["4 × 150 k€ = 600 k€", "3 × 600 k€ = 1 800 k€"]),
    # a quota that is the team's already is not multiplied
    ("mon équipe de 5 AE a un quota de 500k, combien de pipe ?", ["3 × 500 k€ = 1 500 k€"]),
    # a yearly quota and a pipeline asked per quarter; a quarterly quota against a pipeline for the year
    ("quota annuel de 480k, combien de pipe par trimestre ?", ["480 k€ / 4 = 120 k€", "3 × 120 k€ = 360 k€"]),
    ("mon quota trimestriel est de 90k, j'ai 700k de pipe sur l'année, ça va ?",
     ["4 × 90 k€ = 360 k€", "700 k€ / 360 k€ ≈ 1,94", "3 × 360 k€ = 1 080 k€", "1 080 k€ − 700 k€ = 380 k€"]),
    # one period only: nothing to turn
    ("My AEs each carry a 150k quarterly quota. How much pipeline should each of them have?", ["3 × 150 k€ = 450 k€"]),
])
def test_a_quota_is_made_the_teams_or_the_pipelines_period_first(question, lines):
    done = ask(question)
    assert isinstance(done, Computation) and list(done.lines) == lines


@pytest.mark.parametrize("question, lines, verdict", [
    # deals named one by one are the pipeline, set against the quota named
    ("ok so I've got four deals open this quarter: 45k, 60k, 30k and 95k. quota is 80k. am i at 3x coverage or not??",
     ["45 k€ + 60 k€ + 30 k€ + 95 k€ = 230 k€", "230 k€ / 80 k€ ≈ 2,88", "3 × 80 k€ = 240 k€", "240 k€ − 230 k€ = 10 k€"],
     "short"),
    ("3 deals en cours : 100k, 150k et 200k, pour un quota de 120k, je suis couvert ?",
     ["100 k€ + 150 k€ + 200 k€ = 450 k€", "450 k€ / 120 k€ = 3,75"], "enough"),
    # one pipeline and the rule: the quota it supports, not a pipeline three times itself
    ("J'ai 0,45 M€ d'opportunités signables ce trimestre. Avec la couverture x3, je peux accepter un quota jusqu'à "
     "combien ?", ["0,45 M€ / 3 = 0,15 M€"], ""),
])
def test_the_pipeline_is_what_the_question_says_it_is(question, lines, verdict):
    done = ask(question)
    assert isinstance(done, Computation) and list(done.lines) == lines and done.verdict == verdict


@pytest.mark.parametrize("question, kind", [
    # an « unless » phrase taken back by a negator does not hold the operation back
    ("un kam il touche cmb de variable sur son salaire moyen ? en euros pas en %", "variable_amount"),
    ("how much variable does a KAM get, in euros not in percent?", "variable_amount"),
    # and one not taken back still does
    ("un KAM touche combien de variable, en % ?", None),
    # "how much of that is fixed salary?": the fixed part
    ("Say a KAM in France is on the average package, 60k gross with the average variable share. How much of that is "
     "actually fixed salary?", "fixed_amount"),
    # who starts higher is who earns more at the start
    ("quick one: who starts higher, a junior AE on fixed pay or a KAM right at the beginning of their career?",
     "compare_pay"),
])
def test_a_negated_unless_phrase_is_no_unless(question, kind):
    done = ask(question, roles=None if "AE" in question else ["kam"], aliases={"ae": ["ae"], "kam": ["kam"]})
    assert (done.kind if isinstance(done, Computation) else None) == kind


@pytest.mark.parametrize("question, lines", [
    # « brut » says gross: the part named beside the amount names it
    ("Je recrute un gestionnaire de comptes, fixe prévu 45 k€ brut. Quelle enveloppe de variable prévoir, et ça fait "
     "quel total ?", ["10–30 % × 45 k€ = 4,5–13,5 k€", "45 k€ + 4,5–13,5 k€ = 49,5–58,5 k€"]),
    # a pipeline and another amount: the other is the quota
    ("là j'ai 480k de pipe pour ces 200k, il me manque combien ?",
     ["480 k€ / 200 k€ = 2,4", "3 × 200 k€ = 600 k€", "600 k€ − 480 k€ = 120 k€"]),
    # customers at an amount each are a product, not a pay total
    ("un account manager peut il gérer 60 clients à 12 000 €/an chacun ? et ça représente quel CA en tout ?",
     ["60 × 12 000 € = 720 000 €"]),
    # the result in the period the amounts are given in, then in the other one asked
    ("If a French key account manager averages €60k a year and 26% of that is variable, what's the fixed part per "
     "month?", ["26 % × 60 k€ = 15,6 k€", "60 k€ − 15,6 k€ = 44,4 k€", "44,4 k€ / 12 = 3,7 k€"]),
    # a split of an OTE by the sector's usual share
    ("On ouvre un poste d'Account Executive dans notre SaaS, OTE visé 90 k€. Si on suit la proportion de variable "
     "habituelle du secteur, ça donne quel split fixe / variable ?", ["30–40 % × 90 k€ ≈ 27–36 k€",
                                                                   "90 k€ − 27–36 k€ ≈ 54–63 k€"]),
    # a check the sheet cannot feed (no AM fixed pay) gives way to the variable asked beside it
    ("je recrute mon premier account manager, je pensais mettre 45 000 € de fixe. le variable je le mets a combien "
     "pour etre dans les clous ? et au max ca fait combien en tout",
     ["10–30 % × 45 000 € = 4 500–13 500 €", "45 000 € + 4 500–13 500 € = 49 500–58 500 €"]),
    # "over by how much, in percent": the attainment, not the difference in euros
    ("Dans l'exemple avec Alice, elle dépasse son objectif de combien en pourcentage ?",
     ["150 000 € / 120 000 € = 125 %"]),
    # a yearly pay per month, asked of a figure the sheet gives too: the division, not a check
    ("Ma fille débute autour de 28 000 euros brut par an comme KAM. Ça représente combien par mois, en brut ?",
     ["28 000 € / 12 ≈ 2 333 €"]),
    # "60k€ average": the whole pay; its base per month
    ("Quick one: KAM in France, 60k€ average with 26% variable. What's the base salary per month, before any bonus?",
     ["26 % × 60 k€ = 15,6 k€", "60 k€ − 15,6 k€ = 44,4 k€", "44,4 k€ / 12 = 3,7 k€"]),
    # « brut… variable compris » is a whole pay, not a variable (« brut » alone is weak, « variable compris » is not)
    ("Je suis KAM dans l'agroalimentaire, 52 mille brut/an variable compris. Je suis en dessous de la moyenne du métier ? "
     "de combien ?", ["52 k€ < 60 000 €", "60 000 € − 52 k€ = 8 000 €"]),
    # a quota written in words
    ("mon manager m'a fixé cent vingt mille euros de quota pour le trimestre, il me faut combien de pipe ?",
     ["3 × 120 k€ = 360 k€"]),
])
def test_each_amount_is_read_as_what_it_is(question, lines):
    roles = ["am"] if "compte" in question or "account manager" in question else ["ae"] \
        if "Account Executive" in question else ["kam"] if "KAM" in question else None
    done = ask(question, roles=roles)
    assert isinstance(done, Computation) and list(done.lines) == lines


@pytest.mark.parametrize("question, last", [
    # what the words after a colon ask, not what the description of the example before it names
    ("l'exemple de l'agence qui a 45 clients au total : l'upsell rapporte combien sur l'année ?",
     "13,5 × 6 000 € = 81 000 €"),
    # the revenue kept had the retention stayed at 65 %
    ("Dans l'exemple de l'agence digitale, si la rétention était restée à 65 % comme sans personne dédiée, ça ferait "
     "combien de CA conservé sur le 1 080 000 € ?", "65 % × 1 080 000 € = 702 000 €"),
    # "does Alice respect the ×3 rule?": her pipeline valued at her basket (an assumption, said) against her quota
    ("Est-ce qu'Alice, dans l'exemple, respecte la règle du pipe x3 ?", "600 000 € / 120 000 € = 5"),
    # "a ratio of what they bring in to what they cost": the return
    ("Pour l'agence de l'exemple, ce que rapportent les account managers au total comparé à ce qu'ils coûtent, ça fait "
     "un rapport de combien ?", "297 000 € / 180 000 € = 1,65"),
    # "what revenue does each carry": the revenue per AM, after the cost per AM
    ("Dans l'exemple de l'agence marketing avec 3 account managers : combien coûte chaque AM (salaire + charges) et "
     "quel chiffre d'affaires il porte chacun ?", "15 × 24 000 € = 360 000 €"),
    # two of the example's rates set side by side are quoted, not one changed into the other
    ("agency example: how much more revenue stays with 85% retention compared to 65% without a dedicated AM?",
     "918 000 € − 702 000 € = 216 000 €"),
])
def test_the_worked_example_computation_asked_is_the_one_done(question, last):
    done = ask(question)
    assert isinstance(done, Computation) and done.lines[-1] == last


@pytest.mark.parametrize("turns", [
    # a pipeline after the pipeline a quota needs is set against that quota, named as pipe ('dans le crm')…
    ["Mon quota c'est 150k ce trimestre, je dois avoir combien en pipe ?", "et pour un quota de 200k ?",
     "ok mais là j'ai 500k pile dans le crm, il me manque cmb ?"],
    # … or said as had ("et si j'ai que 500k ?")
    ["Mon quota est de 200k ce trimestre, combien de pipe ?", "et si j'ai que 500k ?"],
    # … or alone, when the coverage is asked
    ["Quota de 150 mille € sur le trimestre : combien de pipe il me faut ?", "et pour un quota de 200k ?",
     "j'en ai 500k en ce moment, il me manque combien ?"],
])
def test_a_pipeline_after_the_pipeline_needed_is_set_against_that_quota(bot, turns):
    session = bot.new_session()
    for question in turns:
        answer = bot.ask(question, session)
    assert "500 k€ / 200 k€ = 2,5" in answer.text and "600 k€ − 500 k€ = 100 k€" in answer.text


def test_amounts_given_before_fill_a_follow_up(tmp_path):
    """The asker's own amounts of the last computation, with their slots, fill the slots a follow-up leaves empty."""
    quota = (("quota", Amount(150_000, 150_000, "€", scale="k")),)
    team = ask("and for a team of 4 with the same quota each?", given=quota, previous_kind="pipeline_needed")
    assert team.lines == ("4 × 150 k€ = 600 k€", "3 × 600 k€ = 1 800 k€")
    # a new operation named by the follow-up is done on them ("what coverage is that?")
    covered = ask("we have 1.2M in the team pipe. what coverage is that?", given=(("quota", Amount(6e5, 6e5, "€", scale="k")),),
                  previous_kind="pipeline_needed")
    assert covered.verdict == "short" and covered.operation == "1,2 M€ / 600 k€ = 2"
    fixed = (("fixed", Amount(42_000, 42_000, "€")),)
    total = ask("donc au max je suis à combien au total ?", given=fixed, previous_kind="variable_amount", roles=["am"])
    assert total.lines[-1] == "42 000 € + 4 200–12 600 € = 46 200–54 600 €"
    again = ask("et si je négocie 50k de fixe ?", given=fixed, previous_kind="variable_amount", roles=["am"])
    assert again.operation == "10–30 % × 50 k€ = 5–15 k€"
    # a question with no amount that asks for no number is no computation on the earlier amounts
    assert ask("c'est quoi le best case ?", given=quota, previous_kind="pipeline_needed") is None


def test_a_conversation_carries_the_askers_amounts(bot):
    session = bot.new_session()
    bot.ask("je suis account manager avec 42 000 € de fixe, je peux espérer combien de variable ?", session)
    assert "46 200–54 600 €" in bot.ask("donc au max je suis à combien au total ?", session).text
    assert "55–65 k€" in bot.ask("et si je négocie 50k de fixe ?", session).text
    other = bot.new_session()
    bot.ask("Sales manager here. My AEs each carry a 150k quarterly quota. How much pipeline should each of them have?",
            other)
    assert "3 × 600 k€ = 1 800 k€" in bot.ask("and for a team of 4 with the same quota each?", other).text
    last = bot.ask("we currently have 1.2M in the team pipe. what coverage is that?", other).text
    assert "1.2 M€ / 600 k€ = 2" in last and last.count("No:") == 1


@pytest.mark.parametrize("question, line, winner", [
    # the end of its range the question puts a role at, the role named just before the words
    ("Who earns more: a KAM on the average French salary or a junior AE at the top of his OTE range?",
     "70 k€ − 60 000 € = 10 000 €", "AE"),
    ("entre un AE junior au minimum et un KAM débutant, qui gagne le plus ?", "50 k€ − 28 000 € = 22 000 €", "AE"),
])
def test_a_pay_is_compared_at_the_end_of_its_range_the_question_names(question, line, winner):
    done = ask(question)
    assert done.operation == line and winner in str(done.winner)


def test_one_role_is_compared_with_itself_at_two_levels():
    done = ask("un AE confirmé gagne combien de plus qu'un AE junior ?")
    # higher at both ends: bottom against bottom, top against top (80 − 50, 110 − 70)
    assert done.lines == ("50–60 k€ + 30–50 k€ = 80–110 k€", "80–110 k€ − 50–70 k€ = 30–40 k€")
    assert done.verdict == "higher" and Said("calc_ote_vs_other") not in done.caveats


def test_a_level_without_an_ote_shows_the_sum_of_its_parts(bot):
    text = bot.ask("salaire d'un AE confirmé ?").text
    assert "fixe + variable (calcul) : 50–60 k€ + 30–50 k€ = 80–110 k€" in text
    session = bot.new_session()
    bot.ask("and for an experienced AE? what would the OTE be?", session)
    assert "30–40 k€" in bot.ask("so how much more is that than a junior, roughly?", session).text


def test_the_agency_roi_says_the_sheet_gives_none_and_shows_two_readings():
    done = ask("L'exemple de l'agence dit que le ROI est « largement positif » mais c'est combien exactement ?")
    assert done.operation == "999 000 € / 180 000 € = 5,55" and done.then[0].operation == "297 000 € / 180 000 € = 1,65"
    assert Said("calc_roi_not_given") in done.caveats


def test_a_then_naming_no_computation_is_refused(tmp_path):
    from bot.compute_intents import default_compute_file

    text = default_compute_file().read_text(encoding="utf-8").replace('then = ["agency-return-added"]',
                                                                       'then = ["agency-nope"]', 1)
    path = tmp_path / "compute.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="then names 'agency-nope'"):
        load_compute_intents(path)


@pytest.mark.parametrize("question, lines, verdict, winner", [
    # the asker's figures for each role, the variable as a share of the fixed
    ("Qui gagne le plus : un account manager à 50k de fixe avec 30% de variable, ou un AE junior à 60k d'OTE ?",
     ["30 % × 50 k€ = 15 k€", "50 k€ + 15 k€ = 65 k€", "65 k€ − 60 k€ = 5 k€"], "higher", "AM (votre question)"),
    # one role told, the other from the sources
    ("AM à 45k de fixe ou KAM débutant, qui gagne le plus ?", ["45 k€ − 28 000 € = 17 000 €"], "higher",
     "AM (votre question)"),
    # dollars against euros: no verdict (« gagne-t-il » read as « gagne il »)
    ("Un chargé de compte aux US à 57 504 $ gagne-t-il plus qu'un KAM français à 60 000 € ?", [], "not_comparable",
     None),
])
def test_a_pay_comparison_takes_the_askers_figures_for_a_role(question, lines, verdict, winner):
    done = ask(question)
    assert list(done.lines) == lines and done.verdict == verdict
    assert (fr(done.winner) if done.winner else None) == winner
    assert not any("fiches différentes" in fr(c) for c in done.caveats)


def test_the_amount_after_instead_of_is_the_examples_own_and_no_assumption():
    """« un upsell de 8 000 € au lieu de 6 000 »: 6 000 is the figure replaced, not a new basket of 6 000."""
    done = ask("si l'agence avait un upsell de 8 000 € par client au lieu de 6 000, ça ferait combien de revenu "
               "additionnel ?")
    assert done.lines == ("30 % × 45 = 13,5", "13,5 × 8 000 € = 108 000 €")
    assert [dict(done.changed)] == [{"agency.upsell_basket": Amount(8000, 8000, "€")}]


def test_the_gap_after_a_what_if_sets_the_example_against_the_assumption(bot):
    """« donc l'écart c'est combien ? » after « et si la rétention tombait à 65 % ? »: 918 000 − 702 000; a figure
    kept from the what-if that the next computation does not use is not said as its assumption."""
    session = bot.new_session()
    bot.ask("dans l'exemple de l'agence avec les 3 account managers, ça fait quel CA ?", session)
    assert "65 % × 1 080 000 € = 702 000 €" in bot.ask(
        "et si le taux de rétention tombait à 65%, ils protégeraient combien ?", session).text
    assert "918 000 € − 702 000 € = 216 000 €" in bot.ask("donc l'écart c'est combien ?", session).text
    text = bot.ask("et avec un panier moyen à 30k au lieu de 24k, le CA total ?", session).text
    assert "45 × 30 k€ = 1 350 k€" in text and "rétention" not in text


def test_a_short_follow_up_asks_the_last_computation_again(bot):
    """« et de combien ? » after « lequel gagne le plus ? »; « et s'ils étaient 5 ? » after the cost of each AM does
    not share the 3 AMs' cost among 5 (the sheet's 180 000 € is what the 3 cost: a 5th AM costs more, not less)."""
    session = bot.new_session()
    for question in ("combien gagne un AE junior ?", "et un KAM ?", "lequel gagne le plus ?"):
        bot.ask(question, session)
    assert "50–70 k€ − 28 000 € = 22 000–42 000 €" in bot.ask("et de combien ?", session).text
    other = bot.new_session()
    bot.ask("parle moi de l'exemple de l'agence", other)
    bot.ask("combien coûte chaque AM ?", other)
    assert "180 000 € / 5" not in bot.ask("et s'ils étaient 5 ?", other).text
    after_a_fourth = bot.new_session()
    bot.ask("et s'ils embauchaient un 4e AM avec 15 clients de plus dans l'exemple de l'agence ?", after_a_fourth)
    assert "180 000 € / 3 = 60 000 €" in bot.ask("et chaque AM coûte combien à l'agence ?", after_a_fourth).text


@pytest.mark.parametrize("turns, line", [
    # amounts alone after a computation about a role: computed, not read as a role's salary section
    (("c koi un kam exactement ?", "et son salaire ?", "ça fait combien de variable en euros du coup",
      "et pour un senior a 75k avec 30% de variable ?"), "30 % × 75 k€ = 22,5 k€"),
    # the operation asked by name does not take the amount it computes from the question before
    (("ok my quota this quarter is 250k, how much pipe do I need?",
      "and if I've only got 600k in pipe, what quota does that actually cover?"), "600 k€ / 3 = 200 k€"),
    # "on top" of a base: the role's variable share of it
    (("what does an account manager do?", "so on a 45k base, what's the most I could get on top?"),
     "10–30 % × 45 k€ = 4.5–13.5 k€"),
    # "in euros" asks an amount, though "part variable" names the share; a level without it takes the average
    (("et le salaire d'un kam ?", "et au tout début de carrière ?", "la part variable ça fait combien en euros du coup ?"),
     "26 % × 60 000 € ≈ 15 600 €"),
    # one more AM hired (an ordinal), then the upsell « dans ce cas »
    (("dans l'exemple de l'agence marketing, les 3 account managers coutent combien au total ?",
      "si j'en embauche un 4eme au meme cout avec 15 clients de plus au meme panier, le CA passe a combien ?",
      "et l'upsell avec le meme taux de 30 % ?"), "18 × 6 000 € = 108 000 €"),
    # a new operation on pay after a pipe calculation takes none of its amounts; one on the pipe takes the quota
    (("If my quota is 500k a year, how much pipe do I need per quarter?", "my OTE is 90k with 40% variable, what's my base?"),
     "90 k€ − 36 k€ = 54 k€"),
    (("ok my quota this quarter is 250k, how much pipe do I need?", "I have 600k pipe, what coverage is that?"),
     "600 k€ / 250 k€ = 2.4"),
    # a what-if kept by « le même taux »: the changed clients still count
    (("Dans votre exemple de l'agence avec les 3 account managers, combien coûte chacun en moyenne ?",
      "et si chacun passait à 20 clients au lieu de 15, le CA total ça donnerait quoi ?",
      "avec le même taux de rétention de 85%, ça protège combien ?"), "85 % × 1 440 000 € = 1 224 000 €"),
    # a what-if goes on: the figure just changed picks what is shown, then the gap, the share per head, per month
    (("Alice, l'AE de l'exemple, elle signe combien de deals par trimestre en fait ?", "et avec 30 % de conversion ?",
      "et si en plus son quota passait a 200k ?"), "180 000 € / 200 k€ = 90 %"),
    (("Alice, l'AE de l'exemple, elle signe combien de deals par trimestre en fait ?", "et avec 30 % de conversion ?",
      "et si en plus son quota passait a 200k ?", "donc il lui manquerait combien pour l'atteindre ?"),
     "200 k€ − 180 000 € = 20 000 €"),
    (("dans l'exemple de l'agence, les 3 account managers coutent combien chacun ?",
      "et s'ils étaient 4 avec 15 clients chacun ?", "et l'upsell par AM ?"), "108 000 € / 4 = 27 000 €"),
    (("dans l'exemple de l'agence, les 3 account managers coutent combien chacun ?",
      "et s'ils étaient 4 avec 15 clients chacun ?", "et l'upsell par AM ?", "et le CA par mois du coup ?"),
     "1 440 000 € / 12 = 120 000 €"),
    (("In the agency example, how much revenue is kept with 85% retention compared with 65%?", "so what's the gap?",
      "and if they got retention up to 90%?"), "90 % × 1 080 000 € = 972 000 €"),
    # the result of the last computation per month; the fixed part the sheet leaves to compute
    (("What's the average salary of a key account manager in France, and how much of it is variable in euros?",
      "so what's the fixed part then?", "and per month?"), "44 400 € / 12 = 3 700 €"),
    # another offer after an offer checked: checked too; the level of a comparison kept for « combien de plus ? »
    (("on me propose 48k fixe + 12k variable comme AE junior, c'est bien ?", "et si c'etait 40k + 20k ?"),
     "40 k€ + 20 k€ = 60 k€"),
    (("qui gagne le plus, un AE confirmé ou un KAM ? c pour ma fille qui hesite", "combien de plus ?"),
     "80–110 k€ − 60 000 € = 20 000–50 000 €"),
    # a fixed pay given for a role whose sheet gives the variable as a share of the fixed: the whole pay
    (("what does an account manager do?", "is there a bonus?", "with a 50k base that's how much?"),
     "50 k€ + 5–15 k€ = 55–65 k€"),
    (("un AM avec 50k de fixe, ça fait combien ?",), "50 k€ + 5–15 k€ = 55–65 k€"),
    # the top of the range named after a pay answer: the whole pay at that end
    (("Hi, what does a junior AE earn in France?",
      "so if I start at the top of that range and hit 100% of my variable, what's my total?"), "45 k€ + 25 k€ = 70 k€"),
    # a level alone after a pay computation asks it again at that level
    (("combien gagne un AE junior ?", "et un KAM ?", "lequel gagne le plus ?", "et en senior ?"),
     "80–110 k€ − 60 000 € = 20 000–50 000 €"),
    (("AE junior : fixe + variable, ça fait combien au total ?", "et en confirmé ?"), "50–60 k€ + 30–50 k€ = 80–110 k€"),
    # the asker's own team after Alice's example: their figures, not a what-if of hers
    (("Alice fait combien de démos par semaine ?",
      "mon équipe de 3 AE a chacun 90k de quota trimestriel, combien de pipe pour l'équipe ?"), "3 × 270 k€ = 810 k€"),
    # Alice's demos a week changed
    (("Alice, si elle faisait 15 démos par semaine, combien de clients par semaine ?",), "25 % × 15 = 3,75"),
    # "lui" is the role at the level the conversation was on, across a calculation
    (("Ça gagne combien un AE junior ?", "et en confirmé ?", "ça fait combien au total avec le variable ?",
      "lequel gagne le plus, lui ou un KAM ?"), "80–110 k€ − 60 000 € = 20 000–50 000 €"),
    # a what-if kept by a conditional (« aurait », « quand même »): the changed rate, not the example's
    (("Dans l'exemple d'Alice, si son taux de conversion tombait à 20%, ça donnerait quoi ?",
      "elle aurait quand même atteint son quota ?"), "120 000 € / 120 000 € = 100 %"),
    # a new rate for a figure the last computation rests on through another one (the rate behind what Alice signs)
    (("Dans l'exemple d'Alice, si son taux de conversion tombait à 20%, ça donnerait quoi ?",
      "elle aurait atteint son quota ?", "et à 15 % ?"), "90 000 € / 120 000 € = 75 %"),
    # two things asked of Alice at once: what she signs and its share of her quota
    (("Dans l'exemple d'Alice, elle signe combien par trimestre et ça fait quel % de son quota ?",),
     "150 000 € / 120 000 € = 125 %"),
    # the last result, a year's pay, in the period asked, at the end of its range named
    (("combien gagne un AE junior au max, fixe + variable ?", "et en confirmé ?", "ça fait combien par trimestre au max ?"),
     "110 k€ / 4 = 27,5 k€"),
    # the last result of a quarter over a full year; "conv" for the conversion rate, "ferait encore son quota"
    (("Alice elle signe combien de clients par trimestre dans l'exemple ?",
      "et sur une année complète ça ferait combien d'ARR ?"), "4 × 150 000 € = 600 000 €"),
    (("Alice elle signe combien de clients par trimestre dans l'exemple ?",
      "si son taux de conv tombait a 20%, elle ferait encore son quota ?"), "120 000 € / 120 000 € = 100 %"),
    # a bound of the range ("au max") opens the calculator with no figure written
    (("combien gagne un AE junior au max, fixe + variable ?",), "45 k€ + 25 k€ = 70 k€"),
    # a level alone after a pay per month: that level's pay per month
    (("How much is the average KAM salary per month in France?", "and for a beginner?"), "28 000 € / 12 ≈ 2 333 €"),
    # a pay answer (not a computation) followed up with a period or a currency: that pay, computed
    (("What's the average pay of a KAM?", "and per month?"), "60 000 € / 12 = 5 000 €"),
    (("un chargé de compte aux USA ça touche combien ?", "per month?"), "57 504 $ / 12 = 4 792 $"),
    (("un chargé de compte aux USA ça touche combien ?", "et en euros ?"), "aucun taux de change"),
    # a topic word after a role's answer is that role's topic, not small talk
    (("What does an account manager actually do day to day?", "what about their bonus?"), "10 to 30 %"),
])
def test_computations_follow_the_conversation(bot, turns, line):
    session = bot.new_session()
    for question in turns[:-1]:
        bot.ask(question, session)
    assert line in bot.ask(turns[-1], session).text


def test_a_figure_asked_per_person_is_not_the_teams(bot):
    """« combien d'opportunités gère chaque AE de la scale-up ? »: the sheet's 40 per AE, not 5 × 40."""
    text = bot.ask("combien d'opportunités gère chaque AE de la scale-up ?").text
    assert "40 opportunités" in text and "5 × 40" not in text


def test_two_levels_compare_the_part_named_and_give_the_gap_in_percent_when_asked():
    """"the gap in base salary, in euros and in percent": the fixed pay at both levels, end with end, then the gap
    as a share of the lower pay; no caveat that the levels differ (they are meant to)."""
    done = ask("what's the gap between a junior and a confirmed AE's base salary, in euros and in percent?")
    assert done.lines == ("50–60 k€ − 35–45 k€ = 15 k€", "15 k€ / 35–45 k€ ≈ 33,3–42,9 %")
    assert done.verdict == "higher"
    assert not any(getattr(k, "key", "") == "calc_other_level" for k in done.caveats)


def test_a_name_inside_a_longer_one_is_that_ones():
    """« base salary » names the fixed pay, not the whole pay (« salary » alone would)."""
    from bot.calc_plan import _plain, _word_spans
    from bot.compute_intents import load_compute_intents
    slots = load_compute_intents().slots
    text = _plain("the gap in base salary")
    assert [(text[s:e], k) for s, e, k in _word_spans(text, slots)] == [("base salary", "fixed")]


def test_a_monthly_quota_is_turned_into_the_quarter_the_pipeline_is_asked_for():
    """The quota's own period word (« par mois ») is not the pipeline's, however near the pipe word it stands."""
    done = ask("Mon quota est de 50 000 € par mois. Combien de pipe je dois avoir pour le trimestre ?")
    assert done.lines == ("3 × 50 000 € = 150 000 €", "3 × 150 000 € = 450 000 €")


@pytest.mark.parametrize("question, lines", [
    # a pay figure read off a sheet, put in the period asked
    ("Je suis AE junior, mon variable est versé chaque trimestre. Dans la fourchette habituelle, ça représente "
     "combien par trimestre ?", ("15–25 k€ / 4 = 3,75–6,25 k€",)),
    # the part named, over twelve months
    ("le variable d'un AE junior, ça fait combien par mois ?", ("15–25 k€ / 12 ≈ 1,25–2,08 k€",)),
    # « en net » asks the pay: computed gross (the composer says no source gives net)
    ("mon fils est KAM, il est dans la moyenne. ça lui fait combien en NET par mois ?", ("60 000 € / 12 = 5 000 €",)),
    # a whole pay and a share given: the variable, then the fixed
    ("recruter un KAM au salaire moyen avec 26% de variable : combien en fixe et combien en variable ?",
     ("26 % × 60 000 € ≈ 15 600 €", "60 000 € − 15 600 € ≈ 44 400 €")),
    # the AM's variable is a share of the fixed: checked against that share of the asker's fixed
    ("Account manager : on m'offre 40k de fixe et 14k de variable. Le variable est-il dans la norme ?",
     ("10–30 % × 40 k€ = 4–12 k€", "14 k€ > 12 k€", "14 k€ − 12 k€ = 2 k€")),
    ("on me propose AE confirmé 55k fixe + 35k de variable c bien ou pas ??",
     ("50–60 k€ + 30–50 k€ = 80–110 k€", "55 k€ + 35 k€ = 90 k€", "80 k€ ≤ 90 k€ ≤ 110 k€")),
])
def test_pay_questions_people_ask_are_computed(question, lines):
    done = ask(question)
    assert isinstance(done, Computation), done
    assert done.lines[:len(lines)] == lines


@pytest.mark.parametrize("question, lines", [
    # two questions about the agency: each part's own computation, in the order asked
    ("Dans l'exemple de l'agence avec 3 account managers : combien de chiffre d'affaires gère chaque AM, et combien "
     "coûtent les AM par client géré ?", ("15 × 24 000 € = 360 000 €", "180 000 € / 45 = 4 000 €")),
    # revenue lost to churn, with the AMs and without them
    ("In the digital agency example, how much revenue is lost each year to churn with 85% retention, and how much "
     "would be lost without dedicated account managers?",
     ("45 × 24 000 € = 1 080 000 €", "85 % × 1 080 000 € = 918 000 €", "1 080 000 € − 918 000 € = 162 000 €",
      "65 % × 1 080 000 € = 702 000 €", "1 080 000 € − 702 000 € = 378 000 €")),
    # an upsold customer's basket, then the revenue with the upsell (two questions, two "?")
    ("Dans l'exemple de l'agence, un client qui accepte l'upsell passe à quel panier annuel ? Et le chiffre d'affaires "
     "total une fois l'upsell ajouté ?", ("24 000 € + 6 000 € = 30 000 €", "1 080 000 € + 81 000 € = 1 161 000 €")),
])
def test_two_questions_about_a_worked_example_get_both_computations(question, lines):
    done = ask(question)
    assert isinstance(done, Computation), done
    assert set(lines) <= set(done.lines)


def test_the_verdict_of_a_computation_drawn_after_the_first_is_said(bot):
    """« quel pipe lui faudrait-il ? Et son pipeline de 40 opportunités le couvre-t-il ? »: the pipeline needed, then
    her coverage with its verdict and the assumption it rests on."""
    text = bot.ask("Dans l'exemple de l'AE Alice, quel pipe coverage lui faudrait-il pour son quota trimestriel ? Et son "
                   "pipeline de 40 opportunités le couvre-t-il ?").text
    assert "3 × 120 000 € = 360 000 €" in text and "600 000 € / 120 000 € = 5" in text
    assert "Oui : c'est au moins 3 fois le quota" in text and "panier moyen d'Alice" in text


@pytest.mark.parametrize("question", [
    "The US average base salary for an account manager is $57,504 per your sources — how much is that in euros?",
    "les 57 504 $ du chargé de compte américain, ça fait combien en euros ?",
])
def test_a_currency_asked_for_is_not_converted(question):
    """No source gives an exchange rate: the amount is shown and no conversion is made."""
    done = ask(question)
    assert done.result is None and done.verdict == "not_comparable"
    assert [getattr(k, "key", "") for k in done.caveats] == ["calc_no_conversion"]


def test_one_role_in_the_us_against_france_shows_both_figures_and_no_verdict():
    """« an AE in the US or a junior AE in France? »: 000's dollar figure against 001's euros, not comparable."""
    done = ask("Who makes more: an account executive in the US or a junior AE in France?")
    assert done.kind == "compare_pay" and done.verdict == "not_comparable"
    assert {o.amount.unit for o in done.operands} == {"$", "€"}


def test_what_a_customer_pays_is_never_taken_for_a_salary():
    """« nos clients existants (paniers 8 000-15 000 €/an) … quel variable ? »: the baskets are no fixed pay to take
    the AM's 10–30 % of."""
    done = ask("Je veux recruter un Account Manager pour nos clients existants (paniers 8 000-15 000€/an). Quel "
               "variable lui donner ?")
    assert not any(o.amount.low == 8000 for step in (done, *done.steps) for o in step.operands)


@pytest.mark.parametrize("question, lines", [
    # each part named at both levels
    ("Je suis AE junior. Quand je passerai confirmé, je gagnerai combien de plus en fixe et en variable ?",
     ("50–60 k€ − 35–45 k€ = 15 k€", "30–50 k€ − 15–25 k€ = 15–25 k€")),
    # a yearly quota against a quarter's pipeline: the quarter's share of the quota first
    ("Mon quota est annuel : 400 000 €. Ce trimestre j'ai 300 000 € de pipe. Je suis à x3 ou pas ?",
     ("400 000 € / 4 = 100 000 €", "300 000 € / 100 000 € = 3")),
    # the asker's own pay against the role's
    ("Dev fullstack depuis 5 ans, je suis à 48k. Si je passe AE, je gagnerais plus dès le début ?",
     ("50–70 k€ − 48 k€ = 2–22 k€",)),
    ("jhesite entre ae et kam pour debuter, lequel paye le mieux au debut ?", ("50–70 k€ − 28 000 € = 22 000–42 000 €",)),
    # « l'exemple des 3 AM » is the sources' example ; « 3 » is a figure it starts from, no result quoted
    ("Dans l'exemple des 3 Account Managers : ce qu'ils rapportent en plus par rapport à une agence sans AM plus "
     "l'upsell, est-ce que ça couvre leur coût ?", ("216 000 € + 81 000 € = 297 000 €", "297 000 € / 180 000 € = 1,65")),
    ("lexemple de lagence avec 3 account managers, le 1 080 000 il sort dou ?", ("45 × 24 000 € = 1 080 000 €",)),
    # a part left out is not asked about; the KAM's fixed pay is what its average leaves after its share
    ("Fixe contre fixe, sans le variable : qui a le plus gros fixe, un AE junior ou un KAM dans la moyenne ?",
     ("26 % × 60 000 € ≈ 15 600 €", "60 000 € − 15 600 € ≈ 44 400 €", "35–45 k€ − 44 400 € ≈ −9 400 à 600 €")),
    # an OTE given with the variable and the base asked: the variable, then the base that is the rest
    ("They quote me an OTE of 90K as an AE in SaaS. Roughly how much of that should be variable vs base?",
     ("30–40 % × 90 k€ ≈ 27–36 k€", "90 k€ − 27–36 k€ ≈ 54–63 k€")),
    # « écart » between two levels of one role
    ("un kam qui debute vs la moyenne des kam, ya combien d ecart ?", ("60 000 € − 28 000 € = 32 000 €",)),
    # English thousands: 150,000 euros is no 150 €
    ("My quota is 150,000 euros for the quarter, how much pipe do I need?", ("3 × 150 000 € = 450 000 €",)),
    # a figure quoted, then what rests on it
    ("In the Alice example, how do you get from her 40 opportunities to about 150k signed, and what does that mean "
     "against her quota?", ("10 × 15 000 € = 150 000 €", "150 000 € / 120 000 € = 125 %")),
])
def test_each_computation_a_question_asks_is_shown(question, lines):
    """Phrasings from the blind sets' reviews (compute23, compute25): every operation line expected is there."""
    done = ask(question)
    assert isinstance(done, Computation), done
    assert set(lines) <= set(done.lines), done.lines


def test_a_share_of_a_yearly_quota_says_it_assumes_an_even_spread():
    done = ask("Mon quota est annuel : 400 000 €. Ce trimestre j'ai 300 000 € de pipe. Je suis à x3 ou pas ?")
    assert any(getattr(k, "key", "") == "calc_even_split" for step in done.steps for k in step.caveats)


def test_who_earns_more_between_two_offers_is_computed_even_in_a_story(bot):
    """A parent's story weighing two offers, « lequel paie le mieux au départ ? »: the comparison, not guidance."""
    answer = bot.ask("Mon fils sort d'école de commerce et hésite entre deux offres : Account Executive junior dans une "
                     "start-up SaaS ou key account manager en début de carrière. Lequel paie le mieux au départ ?")
    assert answer.intent == "compute" and "AE junior gagne davantage" in answer.text


def test_a_turnover_is_no_part_of_a_pay():
    """« 2 comptes qui pèsent 40 M€ de CA. Je suis à 78k€ fixe + variable »: the 40 M€ is what customers pay."""
    done = ask("je gère 2 comptes GMS qui pèsent 40 M€ de CA. Je suis à 78k€ fixe + variable. Est-ce que je suis bien "
               "payé ?")
    assert done is None or not any(o.amount.low == 40e6 for step in (done, *done.steps) for o in step.operands)


@pytest.mark.parametrize("question, line", [
    # « juste le fixe » makes the fixed pay the part compared, though « gagne » speaks of pay as a whole.
    ("Qui démarre mieux payé : un KAM en début de carrière ou un AE junior (juste le fixe) ? Et quel écart ?",
     "35–45 k€ − 28 000 € = 7 000–17 000 €"),
    ("Who earns more at the start, a junior KAM or a junior AE? just the base for the AE",
     "35–45 k€ − 28 000 € = 7 000–17 000 €"),
    ("Qui gagne le plus en fixe : un AE confirmé ou un KAM qui débute ?", "50–60 k€ − 28 000 € = 22 000–32 000 €"),
    # « tout en bas des fourchettes » puts the AE's pay at the bottom of its range.
    ("Mon pote est AE junior, fixe et variable tout en bas des fourchettes. Moi je suis KAM payé la moyenne. "
     "Qui gagne le plus et de combien ?", "60 000 € − 50 k€ = 10 000 €"),
])
def test_the_part_or_end_of_a_pay_the_question_names_is_the_one_compared(question, line):
    assert line in ask(question).lines


@pytest.mark.parametrize("question, lines, winner", [
    # a whole pay the asker gives is split by the share the role's sheet gives (the KAM's 26 %, the AE's 30-40 % of OTE)
    ("Lequel a le plus gros variable : un KAM à 60k ou un AE avec 60k d'OTE ?",
     ["30–40 % × 60 k€ ≈ 18–24 k€"], "AE"),
    # the share the asker gives is the one used; a pay not given is the sheet's, at the end of its range asked
    ("Would a KAM on a 60k package with 30% variable get more variable than a junior AE at the top of his variable?",
     ["30 % × 60 k€ = 18 k€", "25 k€ − 18 k€ = 7 k€"], "AE"),
])
def test_the_part_asked_of_pays_the_asker_gives_is_computed_then_compared(question, lines, winner):
    done = ask(question)
    assert all(line in done.lines for line in lines), done.lines
    assert done.verdict == "higher" and winner in str(done.winner)


@pytest.mark.parametrize("question, line", [
    # a part asked in euros of a whole pay offered is that part, not the offer checked against the range
    ("On m'offre 90k d'OTE comme AE en SaaS, mon variable devrait être entre combien et combien ?",
     "30–40 % × 90 k€ ≈ 27–36 k€"),
    ("Le salaire moyen d'un KAM avec sa part variable moyenne, ça fait combien d'euros de variable ?",
     "26 % × 60 000 € ≈ 15 600 €"),
    # a figure of the example the question quotes picks the computation resting on it (per AM, not the agency)
    ("Dans l'agence, chaque account manager porte combien de CA avec ses 15 clients ?", "15 × 24 000 € = 360 000 €"),
    # the example's own 125 % is no figure of the asker's
    ("Alice fait 125 % de son quota : ça fait combien d'euros au-dessus ?", "150 000 € − 120 000 € = 30 000 €"),
    ("If the five AEs of the scale-up all did like Alice, what would the team bring in?", "5 × 150 000 € = 750 000 €"),
    # a headcount hired: one person's pay, then the team's
    ("Je veux recruter 3 AE juniors, quel budget fixe + variable pour les 3 ?", "3 × 50–70 k€ = 150–210 k€"),
    ("I'm hiring 2 junior AEs, what OTE budget in total?", "2 × 50–70 k€ = 100–140 k€"),
    # "beat" her quota; "niveau fixe" names the part compared
    ("By how much did Alice beat her quota, in euros?", "150 000 € − 120 000 € = 30 000 €"),
    ("niveau fixe, un AE junior gagne combien de plus qu'un KAM qui débute ?", "35–45 k€ − 28 000 € = 7 000–17 000 €"),
])
def test_computations_people_ask_in_their_own_words(question, line):
    assert line in ask(question).lines


def test_a_time_in_a_job_is_no_number_of_periods():
    """« SDR depuis 18 mois, je book 15 rdv par mois »: the 18 months are the asker's tenure, nothing to multiply."""
    done = ask("Je suis SDR depuis 18 mois, je book environ 15 rdv qualifiés par mois, je passerais à combien en AE ?")
    assert done is None or done.kind != "over_period"
    assert ask("12 démos par semaine, ça fait combien sur 13 semaines ?").lines[-1] == "13 × 12 = 156"


def test_an_amount_paid_by_each_is_not_shared_out():
    """« 12 clients qui paient chacun 20-30k€ » is a price each: no division of it by the 12."""
    done = ask("J'ai 12 clients qui paient chacun autour de 20-30k€ par an, c'est un portefeuille normal ?")
    assert done is None or done.kind != "per_head"


def test_an_amount_takes_the_name_in_its_own_sentence_before_one_across_a_full_stop():
    """« My fixed salary … is €40k. Using the usual variable range… »: the 40k is the fixed pay (not the variable
    named nearer, after the full stop), and the AM's variable is the sheet's share of it."""
    done = ask("My fixed salary as an account manager is €40k. Using the usual variable range for that job, "
               "what's the min and max variable I can expect?")
    assert done.lines == ("10–30 % × 40 k€ = 4–12 k€",)


def test_a_share_alone_checked_against_a_pay_is_no_pay_check():
    """« ça colle avec les 30-40 % ? » gives no pay of its own: nothing to check, and nothing raised."""
    done = ask("ça colle avec les 30-40% ?", roles=("ae",))
    assert done is None or done.kind != "check_pay"


def test_the_us_pay_asked_is_the_sources_dollar_figure():
    """« the US account executive base salary (Glassdoor, May 2021), per month? »: the American article's figure,
    not the French grid of the AE, and « May 2021 » is no amount."""
    assert ask("Quick one: the US account executive base salary you quote (Glassdoor, May 2021) — what is that per "
               "month?").lines == ("57 504 $ / 12 = 4 792 $",)


def test_three_times_the_quota_asked_about_is_a_question_on_the_rule():
    assert isinstance(ask("If my pipeline is three times my quota, am I guaranteed to hit my number?"), RuleQuestion)


def test_which_role_costs_more_is_a_pay_comparison():
    """A founder asking which hire « coûte le plus cher »: the two whole pays compared, the higher first."""
    done = ask("Je recrute pour ma startup : un AE confirmé ou un KAM, en rémunération totale, lequel coûte le plus "
               "cher et de combien par rapport au salaire moyen du KAM ?")
    assert "80–110 k€ − 60 000 € = 20 000–50 000 €" in done.lines


@pytest.mark.parametrize("question, line", [
    # Both ends asked: the whole range, not its top.
    ("What's the total package for an experienced Account Executive in France if you add base and variable? give me "
     "the low and high end", "50–60 k€ + 30–50 k€ = 80–110 k€"),
    # What Alice would sign over a year: her quarter, four times.
    ("Sur un an, Alice signerait combien si elle garde ce rythme ?", "4 × 150 000 € = 600 000 €"),
    ("If Alice keeps the same pace all year, how much new ARR does she sign over 12 months?",
     "4 × 150 000 € = 600 000 €"),
])
def test_ranges_and_periods_asked_in_other_words(question, line):
    assert line in ask(question).lines


def test_the_middle_of_a_pay_range_is_computed_from_its_two_ends():
    """« le milieu des fourchettes » : the sum of the ranges, then the middle of it, each operation shown."""
    done = ask("hello, si je prends le milieu des fourchettes pour un AE junior (fixe + variable), j'arrive a combien "
               "par an ?")
    assert done.lines == ("35–45 k€ + 15–25 k€ = 50–70 k€", "50 k€ + 70 k€ = 120 k€", "120 k€ / 2 = 60 k€")


def test_operation_cues_hold_every_operations_cues():
    # plan looks each operation's cues up only when the question holds one of these: none may be missing.
    intents = load_compute_intents()
    union = intents.operation_cues
    for op in intents.operations:
        assert set(op.cues) <= set(union)
        assert {p.tokens for p in op.cues if p.tokens} <= union.words
        assert {p.text.replace(" ", "") for p in op.cues if not p.tokens} <= set(union.compact)


def test_a_months_pay_is_not_spread_over_twelve_months():
    """« je suis serveur à 1800 net… ça gagne combien par mois un SDR ? »: 1 800 is the asker's month, not a year."""
    done = ask("je suis serveur a 1800 net, je pense a devenir SDR. ca gagne combien par mois un SDR fixe + variable ?")
    assert done is None or done.kind != "per_month" or not done.lines


def test_a_quota_and_a_pipeline_joined_by_et_are_two_amounts():
    done = ask("Un de mes AE a un objectif trimestriel de 120 000 € et 270 000 € de pipeline qualifié. Combien lui "
               "manque-t-il pour être à la couverture recommandée ?")
    assert "360 000 € − 270 000 € = 90 000 €" in done.lines



@pytest.mark.parametrize("question, origin", [
    # a share the question quotes from the one role's sheet is that sheet's, with its source
    ("un KAM à 60k avec 26 % de variable, ça fait combien en euros ?", S004),
    # the asker's own pay stays theirs, though the sheet prints the same figures
    ("je suis KAM à 60k dont 26 % de variable, mon fixe c'est donc combien ?", "question"),
])
def test_a_figure_the_question_quotes_from_the_sheet_is_the_sheets(question, origin):
    done = ask(question, roles=["kam"])
    assert isinstance(done, Computation)
    shares = [o for step in (done, *done.steps) for o in step.operands if o.amount.unit == "%"]
    assert shares and all(o.origin == origin for o in shares)


def test_a_story_with_a_percentage_asks_no_percentage_of_its_numbers():
    """« trois gros clients font 70 % de notre CA… un KAM, c'est pour nous ? »: no « 70 % × 60 »."""
    assert ask("On est une PME industrielle de 60 salariés, trois gros clients font 70 % de notre CA. Est-ce qu'un key "
               "account manager, c'est pour nous, ou c'est un truc réservé aux grands groupes ?") is None
