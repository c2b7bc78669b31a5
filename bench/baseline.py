"""The plain baseline careerbot is measured against: the afternoon version of a FAQ bot.

Every question the knowledge base can answer is listed with its answer
(role-topic phrasings with the role's name filled in, glossary questions);
a user question is matched by scikit-learn TF-IDF cosine plus rapidfuzz
``token_set_ratio``, and the best match wins. No roles, no context, no fallback
beyond a fixed score cut-off.

Run it like careerbot: ``python -m bench.baseline ask "question"`` or
``python -m bench.baseline batch FILE.txt``.
"""

from __future__ import annotations

import json
import sys

from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from bot.intents import load_intents
from bot.knowledge import load_knowledge

__all__ = ["Baseline"]

CUTOFF = 0.25


class Baseline:
    """TF-IDF cosine + token_set_ratio over the knowledge base's questions."""

    def __init__(self, knowledge_dir=None):
        intents = load_intents()
        kb = load_knowledge(knowledge_dir, topic_ids=intents.topics.keys())
        questions, answers = [], []
        for role in kb.roles.values():
            for topic in role.topics.values():
                text = topic.answer or role.summary
                for example in intents.topics[topic.id].examples:
                    questions.append(example.replace("{role}", role.name))
                    answers.append(text)
                for q in topic.questions:
                    questions.append(q)
                    answers.append(text)
        for entry in kb.entries.values():
            for q in entry.questions:
                questions.append(q)
                answers.append(entry.answer)
        self.questions, self.answers = questions, answers
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True)
        self.matrix = self.vectorizer.fit_transform(questions)

    def ask(self, text: str) -> str:
        cos = linear_kernel(self.vectorizer.transform([text]), self.matrix).ravel()
        fuzzy = process.cdist([text], self.questions, scorer=fuzz.token_set_ratio, dtype=None)[0] / 100.0
        score = 0.5 * cos + 0.5 * fuzzy
        best = int(score.argmax())
        if score[best] < CUTOFF:
            return "Je n'ai pas compris."
        return self.answers[best]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    bot = Baseline()
    if argv[:1] == ["ask"]:
        print(bot.ask(" ".join(argv[1:])))
    elif argv[:1] == ["batch"]:
        with open(argv[1], encoding="utf-8") as fh:
            out = sys.stdout
            for n, line in enumerate(fh, 1):
                if line.strip():
                    out.write(json.dumps({"id": n, "question": line.strip(), "answer": bot.ask(line.strip())},
                                         ensure_ascii=False) + "\n")
    else:
        print("usage: python -m bench.baseline ask QUESTION | batch FILE.txt", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
