"""The figures the computation tests run on, copied from the sources: salary figures and worked examples.

Module-level data, not fixtures, so that parametrised tables and property
tests can use it; :func:`ask` is :func:`bot.calc_plan.plan` with all of it.
"""

from __future__ import annotations

from bot.calc_plan import plan
from bot.compute_intents import load_compute_intents
from bot.intents import load_intents

S000 = "000_689f7260dbbb0cf0.txt"
S001 = "001_6c24a15a064cfcee.txt"
S002 = "002_b5920f58448e636b.txt"
S003 = "003_4e01968991f6f92c.txt"
S004 = "004_8b581f9a927034e0.txt"

# The rows of [[topics.salary.figures]] in knowledge/roles/*.toml, with their role.
FIGURES = [
    {"role": "ae", "scope": "France, AE junior", "country": "France", "seniority": "junior",
     "fixed": "35-45K€", "variable": "15-25K€", "ote": "50-70K€", "source": S001},
    {"role": "ae", "scope": "France, AE confirmé", "country": "France", "seniority": "confirmé",
     "fixed": "50-60K€", "variable": "30-50K€", "source": S001},
    {"role": "ae", "scope": "France, SaaS/tech", "country": "France", "variable_share": "souvent 30-40 % de l'OTE",
     "source": S001},
    {"role": "am", "scope": "Account Manager (la source ne donne aucun montant de fixe)",
     "variable_share": "10 à 30 % du salaire fixe", "source": S002},
    {"role": "kam", "scope": "France, moyenne", "country": "France", "seniority": "moyenne", "total": "60 000 €",
     "variable_share": "26 % (moyenne)", "period": "annuel, brut", "source": S004},
    {"role": "kam", "scope": "France, début de carrière", "country": "France", "seniority": "début de carrière",
     "total": "28 000 €", "period": "brut", "source": S004},
    {"role": "kam", "scope": "France, senior très expérimenté qui dirige une équipe", "country": "France",
     "seniority": "senior", "total": "peut largement dépasser 60 k€", "variable_share": "peut dépasser 30 %",
     "source": S004},
    {"role": "kam", "scope": "Encadré « Le métier en bref » de la fiche",
     "seniority": "fourchette présentée comme « salaire moyen »", "total": "28k - 60k €", "source": S004},
    {"role": "responsable-compte", "scope": "États-Unis, salaire de base moyen (Glassdoor)", "country": "États-Unis",
     "seniority": "moyenne", "fixed": "57 504 $", "year": "mai 2021", "source": S000},
]

# The worked examples of sources 001 (Alice, an AE) and 002 (a digital agency).
EXAMPLES = [
    {"id": "alice.demos_per_week", "label": "démos d'Alice par semaine", "value": "12 démos par semaine", "source": S001, "example": "alice"},
    {"id": "alice.conversion", "label": "taux de conversion démo → client", "value": "25%", "source": S001, "example": "alice"},
    {"id": "alice.basket", "label": "panier moyen d'Alice", "value": "15 000€", "source": S001, "example": "alice"},
    {"id": "alice.signed", "label": "contrats signés par trimestre", "value": "150 000€", "source": S001, "example": "alice"},
    {"id": "alice.quota", "label": "quota trimestriel d'Alice", "value": "120 000€", "source": S001, "example": "alice"},
    {"id": "alice.attainment", "label": "quota atteint par Alice", "value": "125%", "source": S001, "example": "alice"},
    {"id": "team.aes", "label": "Account Executives", "value": "5", "source": S001, "example": "alice"},
    {"id": "team.opportunities", "label": "opportunités par AE et par trimestre", "value": "40", "source": S001, "example": "alice"},
    {"id": "agency.ams", "label": "Account Managers", "value": "3", "source": S002, "example": "agency"},
    {"id": "agency.clients_per_am", "label": "clients par Account Manager", "value": "15", "source": S002, "example": "agency"},
    {"id": "agency.clients", "label": "clients", "value": "45", "source": S002, "example": "agency"},
    {"id": "agency.basket", "label": "panier moyen annuel", "value": "24 000€", "source": S002, "example": "agency"},
    {"id": "agency.revenue", "label": "chiffre d'affaires total", "value": "1 080 000€", "source": S002, "example": "agency"},
    {"id": "agency.retention", "label": "taux de rétention", "value": "85%", "source": S002, "example": "agency"},
    {"id": "agency.retention_without", "label": "rétention sans Account Manager dédié", "value": "65%", "source": S002, "example": "agency"},
    {"id": "agency.upsell_rate", "label": "comptes avec upsell", "value": "30%", "source": S002, "example": "agency"},
    {"id": "agency.upsell_basket", "label": "hausse du panier par client", "value": "6 000€", "source": S002, "example": "agency"},
    {"id": "agency.upsell", "label": "revenu additionnel d'upsell", "value": "81 000€", "source": S002, "example": "agency"},
    {"id": "agency.ltv_uplift", "label": "hausse de la LTV par un bon AM", "value": "25-40%", "source": S002,
     "example": "agency"},
    {"id": "agency.midmarket_accounts", "label": "comptes mid-market par AM", "value": "50-80", "source": S002,
     "example": "agency"},
    {"id": "agency.midmarket_basket", "label": "revenu d'un compte mid-market", "value": "5 000-20 000€",
     "source": S002, "example": "agency"},
    {"id": "agency.cost", "label": "coût des 3 Account Managers", "value": "180 000€", "source": S002, "example": "agency"},
    {"id": "agency.cost_ams", "label": "Account Managers que couvre ce coût", "value": "3", "source": S002,
     "example": "agency"},
    {"id": "agency.protected", "label": "revenu récurrent protégé", "value": "918 000€", "source": S002, "example": "agency"},
]

ALIASES = {
    "ae": ["account executive", "ae", "account exec", "aes"],
    "am": ["account manager", "am", "gestionnaire de comptes"],
    "kam": ["key account manager", "kam", "responsable grands comptes", "responsable comptes clés"],
    "responsable-compte": ["responsable de compte", "chargé de compte", "directeur de compte"],
    "sdr": ["sdr", "sales development representative"],
}
NAMES = {"ae": "AE", "am": "AM", "kam": "KAM", "responsable-compte": "responsable de compte", "sdr": "SDR"}

INTENTS = load_compute_intents()
_LEXICON = load_intents().lexicon
LEVELS = _LEXICON.seniority
REWRITES = _LEXICON.rewrites


def ask(text, **kwargs):
    """plan() on *text* with the sources' figures, role names and the bundled seniority words and rewrites."""
    options = {"figures": FIGURES, "examples": EXAMPLES, "aliases": ALIASES, "names": NAMES, "levels": LEVELS,
                   "rewrites": REWRITES}
    options.update(kwargs)
    return plan(text, INTENTS, **options)
