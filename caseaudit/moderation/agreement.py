"""Agreement between auditors' and moderators' grades: plain arithmetic, no database.

A pair is (auditor's grade, moderated grade) as positions on an ordered scale of `categories`
grades, 0 the best. docs/moderation.md explains the figures."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    n: int
    agreed: int
    moved_up: int  # the moderator gave a better grade than the auditor
    moved_down: int  # the moderator gave a worse grade
    raw: float | None  # share of pairs agreed, 0 to 1
    kappa: float | None  # linearly weighted Cohen's kappa


def weighted_kappa(pairs: Sequence[tuple[int, int]], categories: int) -> float | None:
    """Cohen's kappa with linear weights w(i, j) = 1 - |i - j| / (categories - 1).

    kappa = (p_o - p_e) / (1 - p_e), where p_o is the mean weight of the observed pairs and p_e
    the weight expected if the two graders chose independently with their own observed
    frequencies. None when there is no pair, when the scale has fewer than two grades, or when
    agreement by chance is already total (p_e = 1: every grade the same), where kappa is
    undefined."""
    n = len(pairs)
    if n == 0 or categories < 2:
        return None
    span = categories - 1

    def weight(i: int, j: int) -> float:
        return 1 - abs(i - j) / span

    observed = sum(weight(i, j) for i, j in pairs) / n
    rows = Counter(i for i, _ in pairs)
    columns = Counter(j for _, j in pairs)
    expected = sum(weight(i, j) * rows[i] * columns[j] for i in rows for j in columns) / n / n
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement(pairs: Sequence[tuple[int, int]], categories: int) -> Agreement:
    n = len(pairs)
    agreed = sum(1 for i, j in pairs if i == j)
    return Agreement(
        n=n,
        agreed=agreed,
        moved_up=sum(1 for i, j in pairs if j < i),
        moved_down=sum(1 for i, j in pairs if j > i),
        raw=agreed / n if n else None,
        kappa=weighted_kappa(pairs, categories),
    )
