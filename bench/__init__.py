"""careerbot's benchmark against a plain TF-IDF + fuzzy baseline (see bench/run.py)."""
