"""The audit dashboard's figures, worked out from audit_statistics (no query of its own beyond
the tracker counts), so they always agree with the statistics page."""

from caseaudit.analysis.statistics import is_small, percent, wilson_interval
from caseaudit.questionnaires.models import QuestionType

HOW_MANY_WORST = 5


def _share(question: dict, meaning: str) -> dict | None:
    """How many returns chose an option with this meaning, out of those whose answer was not
    "not applicable" or "not known". For a multiple-choice question a return choosing two such
    options counts twice, so it is left out (the share would not be of returns)."""
    if question["type"] == QuestionType.MULTIPLE_CHOICE or not question["n_excluding_na"]:
        return None
    count = sum(o["count"] for o in question["options"] if o["meaning"] == meaning)
    n = question["n_excluding_na"]
    low, high = wilson_interval(count, n)
    return {
        "key": question["key"],
        "text": question["text"],
        "section": question["section"],
        "count": count,
        "n": n,
        "percent": percent(count, n),
        "ci_low": low,
        "ci_high": high,
        "small_n": is_small(n),
    }


def headline_figures(statistics: dict) -> list[dict]:
    """For every single-choice, yes / no and grade question: the share of positive answers,
    leaving out not applicable and not known."""
    return [
        share
        for question in statistics["questions"]
        if question["options"] and (share := _share(question, "positive")) is not None
    ]


def most_negative(statistics: dict, how_many: int = HOW_MANY_WORST) -> list[dict]:
    """The questions with the largest share of negative answers (ties by the larger count),
    leaving out questions nobody answered negatively."""
    shares = [
        share
        for question in statistics["questions"]
        if question["options"] and (share := _share(question, "negative")) and share["count"]
    ]
    shares.sort(key=lambda share: (-share["percent"], -share["count"], share["key"]))
    return shares[:how_many]


def grade_questions(statistics: dict) -> list[dict]:
    return [q for q in statistics["questions"] if q["type"] == QuestionType.GRADE]
