"""Distinct synthetic articles for batch tests: seeded word salad from wordfreq's English list.

Each article has a title line, a byline and a date, so cleaning finds all three. Two articles
with different seeds share almost no word 5-grams, so they are never near-duplicates.
"""
from __future__ import annotations

import random

from wordfreq import top_n_list

WORDS = [w for w in top_n_list("en", 3000) if w.isalpha() and len(w) > 2]


def article_body(seed: int, *, paragraphs: int = 4) -> list[str]:
    rng = random.Random(seed)
    result = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(3, 4)):
            words = rng.sample(WORDS, rng.randint(12, 20))
            sentences.append(" ".join(words).capitalize() + ".")
        result.append(" ".join(sentences))
    return result


def article_text(seed: int) -> str:
    """A plain-text page: title, byline, date, then paragraphs separated by blank lines."""
    return "\n\n".join([f"Report number {seed} on the city budget", f"By Writer {chr(65 + seed % 26)}. Smith",
                        "March 3, 2021", *article_body(seed)]) + "\n"


def article_html(seed: int) -> str:
    """The same kind of article as an HTML page with navigation and a footer."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article_body(seed))
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Report number {seed} on the city budget</title>"
            f"<meta name=\"author\" content=\"Writer {chr(65 + seed % 26)}. Smith\">"
            f"<meta name=\"date\" content=\"2021-03-03\"></head><body>"
            f"<nav><a href=\"/\">Home</a> <a href=\"/opinion\">Opinion</a></nav><article>"
            f"<h1>Report number {seed} on the city budget</h1>\n{paragraphs}\n</article>"
            f"<footer>Copyright 2021 Example Review. All rights reserved.</footer></body></html>\n")
