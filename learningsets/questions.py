"""Open questions, not advice in disguise: the one place that knows what a question starting like advice looks like.

A set helps its presenter by asking questions that open their thinking ("What would a good shift look like to
you?"), not by steering them to the asker's answer ("Have you tried a rota swap?"). The meeting page shows a short
guide, and when a question starts like advice the form gives a gentle hint and lets the asker rephrase it or ask
it as it is: the hint never refuses a question.
"""

from __future__ import annotations

import re

# How questions that are really advice tend to start. Lower case, apostrophes straight; matched at the start.
ADVICE_OPENINGS: tuple[str, ...] = (
    "have you tried",
    "have you thought about",
    "have you considered",
    "why don't you",
    "why not",
    "you should",
    "you could",
    "you need to",
    "you must",
    "could you not",
    "couldn't you",
    "shouldn't you",
    "wouldn't it be better",
    "if i were you",
    "what you need to do",
    "i would",
    "i'd",
)

# Open questions that do the same work, offered with the hint.
OPEN_ALTERNATIVES: tuple[str, ...] = (
    "What have you tried so far?",
    "What would help most right now?",
    "What options can you see?",
    "What's stopping you?",
)

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_PATTERN = re.compile(r"^(?:" + "|".join(re.escape(opening) for opening in ADVICE_OPENINGS) + r")\b")


def sounds_like_advice(question: str) -> bool:
    """Whether `question` starts the way advice does ("Have you tried…", "Why don't you…", "You should…")."""
    text = " ".join(question.translate(_QUOTES).lower().split())
    text = text.lstrip("\"'“”«(-–— ")
    return bool(_PATTERN.match(text))
