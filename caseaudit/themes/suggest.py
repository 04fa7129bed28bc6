"""Suggest practice themes for an auditor's comment.

Two parts, both local and pure Python (nothing is downloaded at run time):

1. Phrase rules: a curated list of phrases per theme (`PHRASES`). A phrase found in the
   lower-cased comment suggests its theme.
2. A classifier: one-vs-rest multinomial naive Bayes over word unigrams and bigrams, trained on
   the labelled comments shipped in `caseaudit/themes/data/train.csv`. A theme is suggested when
   its posterior probability passes `THRESHOLD`.

A theme is suggested when either part suggests it. Retrain by editing train.csv: the model is
built from it on first use in each process (it takes milliseconds)."""

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path

TRAIN_FILE = Path(__file__).parent / "data" / "train.csv"
THRESHOLD = 0.6

PHRASES: dict[str, list[str]] = {
    "voice-of-child": [
        "voice of the child",
        "wishes and feelings",
        "child's views",
        "child's own words",
        "own words",
        "views of the child",
        "direct work",
    ],
    "lived-experience": [
        "lived experience",
        "daily life",
        "day-to-day",
        "typical day",
    ],
    "child-seen-alone": [
        "seen alone",
        "on their own",
        "on his own",
        "on her own",
    ],
    "management-oversight": [
        "management oversight",
        "supervision",
        "team manager",
        "manager's",
        "oversight",
    ],
    "smart-planning": [
        "smart",
        "timescales or named",
        "measurable",
        "outcomes",
    ],
    "chronology": ["chronology"],
    "information-sharing": [
        "information sharing",
        "not shared",
        "did not share",
        "shared with",
    ],
    "engagement-disguised-compliance": [
        "disguised compliance",
        "engage",
        "cancelled most appointments",
    ],
    "drift-delay": [
        "drift",
        "delay",
    ],
    "consistency-of-worker": [
        "social workers",
        "changes of worker",
        "changes of social worker",
        "same worker",
        "change of worker",
    ],
    "fathers-significant-males": [
        "father",
        "dad",
        "partner",
        "significant male",
        "stepfather",
    ],
    "think-family": [
        "think family",
        "adult services",
        "adult mental health",
        "whole-family",
        "whole family",
        "adult team",
        "adult drug",
    ],
    "domestic-abuse-risk": [
        "dash",
        "marac",
        "domestic abuse",
        "domestic violence",
    ],
    "neglect-tools": [
        "graded care profile",
        "gcp",
        "neglect tool",
        "neglect toolkit",
    ],
    "core-group-attendance": ["core group"],
    "strengths-based-language": [
        "strengths",
        "restorative",
        "blaming",
        "judgemental",
        "uncooperative",
        "jargon",
        "labels",
    ],
    "trauma-informed-language": [
        "trauma",
        "attention seeking",
        "putting herself at risk",
        "putting himself at risk",
    ],
    "timeliness": [
        "timescale",
        "late",
    ],
}

_WORD = re.compile(r"[a-z0-9']+")


def features(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass
class NaiveBayes:
    """One-vs-rest multinomial naive Bayes with Laplace smoothing."""

    themes: list[str]
    vocabulary: set[str] = field(default_factory=set)
    prior: dict[str, float] = field(default_factory=dict)
    counts: dict[tuple[str, bool], Counter] = field(default_factory=dict)
    totals: dict[tuple[str, bool], int] = field(default_factory=dict)

    def fit(self, examples: list[tuple[str, set[str]]]) -> "NaiveBayes":
        bags = [(Counter(features(text)), labels) for text, labels in examples]
        for bag, _ in bags:
            self.vocabulary.update(bag)
        for theme in self.themes:
            positives = sum(1 for _, labels in bags if theme in labels)
            self.prior[theme] = (positives + 1) / (len(bags) + 2)
            for side in (True, False):
                counter: Counter = Counter()
                for bag, labels in bags:
                    if (theme in labels) == side:
                        counter.update(bag)
                self.counts[theme, side] = counter
                self.totals[theme, side] = sum(counter.values())
        return self

    def probabilities(self, text: str) -> dict[str, float]:
        bag = [f for f in features(text) if f in self.vocabulary]
        size = len(self.vocabulary) or 1
        result = {}
        for theme in self.themes:
            logs = {}
            for side in (True, False):
                prior = self.prior[theme] if side else 1 - self.prior[theme]
                counter, total = self.counts[theme, side], self.totals[theme, side]
                logs[side] = math.log(prior) + sum(
                    math.log((counter[f] + 1) / (total + size)) for f in bag
                )
            top = max(logs.values())
            yes, no = math.exp(logs[True] - top), math.exp(logs[False] - top)
            result[theme] = yes / (yes + no)
        return result


def read_labelled(path: Path) -> list[tuple[str, set[str]]]:
    """Rows of a labelled CSV file with columns `text` and `themes` (keys joined by commas)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            (row["text"], {key.strip() for key in row["themes"].split(",") if key.strip()})
            for row in csv.DictReader(handle)
        ]


@cache
def model() -> NaiveBayes:
    return NaiveBayes(themes=list(PHRASES)).fit(read_labelled(TRAIN_FILE))


def phrase_themes(text: str) -> set[str]:
    lowered = text.lower()
    return {theme for theme, phrases in PHRASES.items() if any(p in lowered for p in phrases)}


def suggest(text: str) -> set[str]:
    """The theme keys suggested for one comment."""
    if not text.strip():
        return set()
    probabilities = model().probabilities(text)
    learned = {theme for theme, p in probabilities.items() if p >= THRESHOLD}
    return phrase_themes(text) | learned
