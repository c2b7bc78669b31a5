"""N plausible synthetic career sheets, for the scale section of the benchmark.

    python -m bench.sheets 500 OUT_DIR

Each sheet is a sales job ("Délégué commercial en équipements médicaux",
"Responsable grands comptes logistique"…) in one of the shapes careerbot ingest
reads (fiche métier with a "Le métier en bref" card, Markdown with front
matter, an article with question headings, plain text, HTML), with a
definition, missions, skills, a salary paragraph, studies, a career section
and a "Questions fréquentes" block. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

__all__ = ["sheet_names", "write_sheets"]

HEADS = ["Délégué commercial", "Attaché commercial", "Conseiller commercial", "Chargé d'affaires",
         "Responsable commercial", "Chef des ventes", "Négociateur", "Responsable grands comptes",
         "Commercial sédentaire", "Représentant", "Animateur commercial", "Responsable export"]
SECTORS = ["équipements médicaux", "logiciels RH", "agroalimentaire", "matériaux de construction", "cosmétiques",
           "assurance", "énergie solaire", "pièces automobiles", "mobilier de bureau", "imprimantes 3D",
           "emballages", "vins et spiritueux", "télécoms", "cybersécurité", "produits laitiers", "textile",
           "machines agricoles", "transport frigorifique", "fournitures scolaires", "jouets", "optique",
           "dispositifs dentaires", "robotique industrielle", "location de véhicules", "formation continue",
           "hôtellerie", "tourisme d'affaires", "publicité locale", "produits d'entretien", "bricolage",
           "électroménager", "semences", "presse professionnelle", "événementiel", "sécurité incendie",
           "logistique urbaine", "peintures", "chauffage", "aéronautique", "nutrition animale", "data centers",
           "immobilier d'entreprise", "ascenseurs", "instruments de mesure", "papeterie", "sport", "bijouterie"]
TASKS = ["prospecter les entreprises de son secteur", "présenter les nouveautés du catalogue", "négocier les prix et les délais",
         "suivre les commandes jusqu'à la livraison", "animer les réseaux de revendeurs", "préparer les salons professionnels",
         "rédiger les propositions commerciales", "tenir à jour le CRM", "analyser les ventes de son portefeuille",
         "fidéliser les clients historiques", "répondre aux appels d'offres", "former les clients aux produits"]
SKILLS = ["Sens de la négociation", "Aisance relationnelle", "Rigueur dans le suivi", "Culture technique du produit",
          "Ténacité", "Capacité d'écoute", "Organisation des tournées", "Maîtrise d'un CRM", "Anglais courant"]
STUDIES = ["un BTS NDRC", "un BUT Techniques de commercialisation", "une école de commerce", "une licence professionnelle",
           "un master en marketing", "une école d'ingénieurs"]
NEXT = ["chef des ventes", "directeur commercial", "responsable grands comptes", "directeur régional",
        "responsable export", "key account manager"]


def sheet_names(n: int, seed: int = 11) -> list[str]:
    """*n* distinct job names."""
    rng = random.Random(seed)
    pairs = [(h, s) for h in HEADS for s in SECTORS]
    rng.shuffle(pairs)
    if n > len(pairs):
        raise ValueError(f"at most {len(pairs)} distinct sheets")
    return [f"{h} en {s}" for h, s in pairs[:n]]


def _salary(rng: random.Random) -> tuple[int, int, int]:
    junior = rng.randrange(26, 40) * 1000
    return junior, junior + rng.randrange(8, 16) * 1000, junior + rng.randrange(20, 40) * 1000


def _parts(name: str, rng: random.Random) -> dict[str, object]:
    junior, confirmed, senior = _salary(rng)
    return {
        "definition": f"Le {name.lower()} vend l'offre de son entreprise à des clients professionnels et développe "
                      f"son chiffre d'affaires sur une zone ou un portefeuille. Il connaît son marché et ses concurrents.",
        "missions": rng.sample(TASKS, 5),
        "skills": rng.sample(SKILLS, 4),
        "salary": f"En France, un {name.lower()} débutant gagne environ {junior:,} € bruts par an. Un profil confirmé "
                  f"perçoit {confirmed // 1000} à {senior // 1000} k€ de fixe, et un senior peut dépasser "
                  f"{senior + 10000:,} €.".replace(",", " "),
        "studies": f"Le métier est accessible avec {rng.choice(STUDIES)} ou {rng.choice(STUDIES)}.",
        "career": f"Il peut évoluer vers un poste de {rng.choice(NEXT)} ou de {rng.choice(NEXT)}.",
        "faq": (f"Quel est le quotidien d'un {name.lower()} ?",
                "Entre les rendez-vous clients, les devis et le suivi des commandes, sa semaine est très variée."),
        "card": (f"{junior // 1000}k - {senior // 1000}k €", rng.choice(["Bac +2", "Bac +3", "Bac +5"])),
    }


def _fiche(name: str, p: dict) -> str:
    missions = "\n".join(f"  • {m[0].upper()}{m[1:]}." for m in p["missions"])  # type: ignore[union-attr]
    skills = "\n".join(f"  • {s}." for s in p["skills"])  # type: ignore[union-attr]
    return (f"Métier\n{name}\nLe métier en bref :\nSalaire moyen\n{p['card'][0]}\nNiveau d'études\n{p['card'][1]}\n"  # type: ignore[index]
            f"{p['definition']}\nLes missions du {name.lower()}\nSes missions principales :\n{missions}\n"
            f"Quelles compétences pour ce métier ?\n{skills}\nQuel est le salaire d'un {name.lower()} ?\n{p['salary']}\n"
            f"Quelles études pour devenir {name.lower()} ?\n{p['studies']}\nCarrière et évolution professionnelle\n"
            f"{p['career']}\nQuestions fréquentes\n{p['faq'][0]}\n{p['faq'][1]}\nTermes connexes\nProspection\nDevis\n")  # type: ignore[index]


def _markdown(name: str, p: dict) -> str:
    missions = "\n".join(f"- {m[0].upper()}{m[1:]}." for m in p["missions"])  # type: ignore[union-attr]
    skills = "\n".join(f"- {s}" for s in p["skills"])  # type: ignore[union-attr]
    return (f"---\ntitle: {name}\ndescription: {p['definition']}\n---\n\n# {name}\n\n{p['definition']}\n\n"
            f"## Missions\n\n{missions}\n\n## Compétences\n\n{skills}\n\n## Salaire\n\n{p['salary']}\n\n"
            f"## Formation\n\n{p['studies']}\n\n## Évolution\n\n{p['career']}\n\n## Questions fréquentes\n\n"
            f"### {p['faq'][0]}\n\n{p['faq'][1]}\n")  # type: ignore[index]


def _html(name: str, p: dict) -> str:
    missions = "".join(f"<li>{m[0].upper()}{m[1:]}.</li>" for m in p["missions"])  # type: ignore[union-attr]
    skills = "".join(f"<li>{s}</li>" for s in p["skills"])  # type: ignore[union-attr]
    return (f"<!DOCTYPE html><html><head><title>{name} | Métiers</title></head><body><nav><a href='/'>Accueil</a></nav>"
            f"<h1>{name}</h1><p>{p['definition']}</p><h2>Ses missions</h2><ul>{missions}</ul>"
            f"<h2>Les qualités recherchées</h2><ul>{skills}</ul><h2>Salaire</h2><p>{p['salary']}</p>"
            f"<h2>Quelle formation ?</h2><p>{p['studies']}</p><h2>Carrière</h2><p>{p['career']}</p>"
            f"<footer>© Métiers</footer></body></html>")


def write_sheets(n: int, into: str | Path, seed: int = 11) -> list[Path]:
    """Write *n* sheets into *into* (created), cycling through the shapes; returns their paths."""
    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    shapes = ((_fiche, ".txt"), (_markdown, ".md"), (_html, ".html"))
    for i, name in enumerate(sheet_names(n, seed)):
        write, suffix = shapes[i % len(shapes)]
        path = into / f"s{i:04d}{suffix}"
        path.write_text(write(name, _parts(name, rng)), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    count, out = int(sys.argv[1]), sys.argv[2]
    print(f"{len(write_sheets(count, out))} sheets written to {out}")
