"""Drawing an audit sample from a population: plain rows in, plain data out, no database.

The rules, in the order they are applied:

1. **Criteria** (plan category, age range, repeat plan only, interval since the previous plan,
   team, characteristics) decide who is eligible.
2. **Recency**: a child whose `child_key` is in `excluded_child_keys` (sampled by another audit of
   the partnership within its recency period; the service works that set out) is left out.
3. **One child per sibling group**: within each group of eligible siblings one child is kept at
   random. This happens before stratification so that large families do not weigh more.
4. **Stratification** (any of gender, category, age band): the sample size is shared across the
   strata in proportion to their size by largest remainders, then children are drawn at random
   inside each stratum. The drawn children are shuffled so that the draw order, and with it the
   pseudonyms, says nothing about gender, category or age.

Everything random comes from one `random.Random(seed)` over the candidates sorted by id, so the
same snapshot, criteria and seed always give the same children in the same order.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import NamedTuple

from caseaudit.population.models import AgeBand
from caseaudit.population.parsing import PLAN_CATEGORIES, PLAN_CATEGORY_LABELS

DAYS_PER_YEAR = 365.25

# Stratification keys as the issue and the command name them, to the candidate's attribute.
STRATIFY_FIELDS = {"gender": "gender", "category": "plan_category", "age_band": "age_band"}
STRATIFY_LABELS = {"gender": "gender", "category": "category", "age_band": "age band"}

# One definition of the age bands: the model's (where age_band_for also lives).
AGE_BANDS = tuple(AgeBand.values)
AGE_BAND_LABELS = dict(AgeBand.choices)


class Candidate(NamedTuple):
    """One child in the population, with only the derived, non-identifying fields. A NamedTuple
    so that 100,000 of them are cheap to build from `values_list` rows."""

    id: int
    child_key: str
    plan_category: str
    gender: str = ""
    age_band: str = "unknown"
    age_years: int | None = None
    team: str = ""
    is_repeat: bool = False
    days_since_previous_plan: int | None = None
    sibling_group: str = ""
    characteristics: Sequence[str] = ()


# The order `Candidate` takes its fields in, for loading rows with `values_list(*FIELDS)`.
CANDIDATE_FIELDS = Candidate._fields
BY_ID = attrgetter("id")


@dataclass(frozen=True)
class Criteria:
    """Who may be sampled. Empty lists and None mean "any"."""

    categories: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    repeat_only: bool = False
    max_interval_years: float | None = None
    teams: tuple[str, ...] = ()
    characteristics: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("categories", "teams", "characteristics"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> Criteria:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        for key in ("categories", "teams", "characteristics"):
            known[key] = tuple(known.get(key) or ())
        return cls(**known)

    def test(self) -> Callable[[Candidate], bool]:
        """A predicate for one candidate, with the lists turned into sets once."""
        categories = set(self.categories)
        teams = {team.casefold() for team in self.teams}
        wanted = {tag.casefold() for tag in self.characteristics}
        min_age, max_age = self.min_age, self.max_age
        max_days = (
            self.max_interval_years * DAYS_PER_YEAR if self.max_interval_years is not None else None
        )
        repeat_only = self.repeat_only

        def admits(case: Candidate) -> bool:
            if categories and case.plan_category not in categories:
                return False
            if min_age is not None or max_age is not None:
                if case.age_years is None:
                    return False
                if min_age is not None and case.age_years < min_age:
                    return False
                if max_age is not None and case.age_years > max_age:
                    return False
            if repeat_only and not case.is_repeat:
                return False
            if max_days is not None and (
                case.days_since_previous_plan is None or case.days_since_previous_plan > max_days
            ):
                return False
            if teams and case.team.casefold() not in teams:
                return False
            return not wanted or any(tag.casefold() in wanted for tag in case.characteristics)

        return admits


@dataclass
class Draw:
    """What `draw` chose and why. `cases` is in draw order (the order pseudonyms follow)."""

    cases: list[Candidate]
    requested: int
    population: int
    eligible: int
    excluded: dict[str, int]
    allocation: list[dict] = field(default_factory=list)
    make_up: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def random_seed() -> int:
    """A fresh seed to offer when the user has none in mind. It is recorded with the sample."""
    return secrets.randbelow(1_000_000)


def stratum_key(stratify: Sequence[str]) -> Callable[[Candidate], tuple]:
    """A function giving a candidate's stratum as a tuple (empty when not stratified)."""
    if not stratify:
        return lambda case: ()
    values = attrgetter(*(STRATIFY_FIELDS[key] for key in stratify))
    if len(stratify) == 1:
        return lambda case: (values(case),)
    return values


def allocate(
    size: int, weights: Mapping[Hashable, int], capacity: Mapping[Hashable, int]
) -> dict[Hashable, int]:
    """Shares `size` across strata in proportion to `weights` by largest remainders (ties to the
    larger stratum, then the smaller key), never giving a stratum more than its `capacity`. A
    stratum's shortfall goes to the others by the same rule, round after round, so the result is
    deterministic. In `draw` the weights are the capacities, so there is never a shortfall there;
    the rule matters when they differ."""
    allocation = dict.fromkeys(weights, 0)
    remaining = min(size, sum(capacity.values()))
    while remaining > 0:
        open_keys = sorted(key for key in weights if allocation[key] < capacity[key])
        shares = {key: weights[key] for key in open_keys}
        if not sum(shares.values()):
            shares = {key: capacity[key] - allocation[key] for key in open_keys}
        total = sum(shares.values())
        quota = {key: remaining * shares[key] // total for key in open_keys}
        left = remaining - sum(quota.values())
        by_remainder = sorted(
            open_keys, key=lambda key: (-(remaining * shares[key] % total), -shares[key], key)
        )
        for key in by_remainder[:left]:
            quota[key] += 1
        for key in open_keys:
            given = min(quota[key], capacity[key] - allocation[key])
            allocation[key] += given
            remaining -= given
    return allocation


def _eligible(
    cases: Iterable[Candidate], criteria: Criteria, excluded_child_keys: set[str] | frozenset[str]
) -> tuple[list[Candidate], int, int]:
    """Cases meeting the criteria and not audited recently, with the two exclusion counts."""
    cases = list(cases)
    meeting = cases if criteria == Criteria() else list(filter(criteria.test(), cases))
    kept = (
        [case for case in meeting if case.child_key not in excluded_child_keys]
        if excluded_child_keys
        else meeting
    )
    return kept, len(meeting), len(meeting) - len(kept)


def draw(
    cases: Sequence[Candidate],
    *,
    size: int,
    seed: int,
    criteria: Criteria | None = None,
    excluded_child_keys: set[str] | frozenset[str] = frozenset(),
    stratify: Sequence[str] = (),
) -> Draw:
    """Draws up to `size` children; fewer, with a warning, when fewer are eligible."""
    if size < 1:
        raise ValueError("size must be 1 or more")
    unknown = [key for key in stratify if key not in STRATIFY_FIELDS]
    if unknown:
        raise ValueError(f"cannot stratify by {', '.join(unknown)}")
    criteria = criteria or Criteria()
    rng = random.Random(seed)  # noqa: S311 - reproducibility is the point; nothing secret here
    population = sorted(cases, key=BY_ID)

    kept, meeting, recent = _eligible(population, criteria, excluded_child_keys)

    pool: list[Candidate] = []
    families: dict[str, list[Candidate]] = defaultdict(list)
    for case in kept:
        if case.sibling_group:
            families[case.sibling_group].append(case)
        else:
            pool.append(case)
    siblings_left_out = 0
    for group in sorted(families):
        members = families[group]
        pool.append(rng.choice(members) if len(members) > 1 else members[0])
        siblings_left_out += len(members) - 1
    pool.sort(key=BY_ID)

    warnings = []
    if len(pool) < size:
        warnings.append(
            f"Only {len(pool)} {_children(len(pool))} can be sampled, fewer than the {size} asked "
            f"for, so the sample has all {len(pool)}"
            if pool
            else "No child meets the criteria, so the sample is empty"
        )

    allocation_rows = []
    if stratify:
        strata: dict[tuple, list[Candidate]] = defaultdict(list)
        key_of = stratum_key(stratify)
        for case in pool:
            strata[key_of(case)].append(case)
        counts = {key: len(members) for key, members in strata.items()}
        allocation = allocate(size, counts, counts)
        chosen: list[Candidate] = []
        for key in sorted(strata):
            chosen.extend(rng.sample(strata[key], allocation[key]))
            allocation_rows.append(
                {
                    "stratum": dict(zip(stratify, key, strict=True)),
                    "eligible": counts[key],
                    "sample": allocation[key],
                }
            )
        rng.shuffle(chosen)
    else:
        chosen = rng.sample(pool, min(size, len(pool)))

    return Draw(
        cases=chosen,
        requested=size,
        population=len(population),
        eligible=len(pool),
        excluded={
            "criteria": len(population) - meeting,
            "recency": recent,
            "sibling_group": siblings_left_out,
        },
        allocation=allocation_rows,
        make_up=make_up(chosen, pool, population),
        warnings=warnings,
    )


def replacement(
    cases: Sequence[Candidate],
    *,
    seed: int,
    swap_number: int,
    criteria: Criteria | None = None,
    excluded_child_keys: set[str] | frozenset[str] = frozenset(),
    stratify: Sequence[str] = (),
    removed: Candidate,
    sample: Sequence[Candidate],
) -> Candidate | None:
    """A child to take the place of `removed` in a locked sample, or None when nobody is left.

    The pool is every eligible child (criteria and recency as for the draw) who is not in the
    sample and has no sibling in it, past or present (the removed child included, since a reason
    such as "moved away" usually holds for the family). A child from the removed child's stratum
    is preferred; when that stratum is used up, anyone in the pool may replace them. The choice
    comes from its own generator seeded by the sample's seed and the swap number, so the same
    swaps in the same order give the same replacements.
    """
    taken_keys = {case.child_key for case in sample} | {removed.child_key}
    taken_groups = {case.sibling_group for case in (*sample, removed) if case.sibling_group}
    population = sorted(cases, key=BY_ID)
    kept, _, _ = _eligible(population, criteria or Criteria(), excluded_child_keys)
    pool = [
        case
        for case in kept
        if case.child_key not in taken_keys and case.sibling_group not in taken_groups
    ]
    if not pool:
        return None
    key_of = stratum_key(stratify)
    wanted = key_of(removed)
    same_stratum = [case for case in pool if key_of(case) == wanted]
    rng = random.Random(f"{seed}:swap:{swap_number}")  # noqa: S311 - reproducible by design
    return rng.choice(same_stratum or pool)


def make_up(
    sample: Sequence[Candidate], eligible: Sequence[Candidate], population: Sequence[Candidate]
) -> dict:
    """Counts and percentages by gender, category and age band for the sample, the eligible
    pool (after criteria, recency and the sibling rule) and the whole snapshot."""
    groups = {"sample": sample, "eligible": eligible, "population": population}
    result: dict = {name: len(cases) for name, cases in groups.items()}
    for key, attribute, order, labels in (
        ("by_gender", "gender", None, {}),
        ("by_category", "plan_category", PLAN_CATEGORIES, PLAN_CATEGORY_LABELS),
        ("by_age_band", "age_band", AGE_BANDS, AGE_BAND_LABELS),
    ):
        value_of = attrgetter(attribute)
        counts = {name: Counter(map(value_of, cases)) for name, cases in groups.items()}
        everyone = counts["population"]
        if order is None:
            values = sorted(everyone, key=lambda value: (-everyone[value], value))
        else:
            values = [value for value in order if everyone[value]]
        result[key] = [
            {
                "value": value,
                "label": labels.get(value, value) or "Not recorded",
                **{
                    name: {
                        "count": counts[name][value],
                        "percent": percentage(counts[name][value], len(groups[name])),
                    }
                    for name in groups
                },
            }
            for value in values
        ]
    return result


def percentage(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def pseudonym_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 27 -> AB: spreadsheet column letters."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def pseudonym(position: int, names: Sequence[str] = (), taken: Container[str] = ()) -> str:
    """The pseudonym of the child drawn at `position` (from 0): the partnership's own changed
    names while they last, then "Child A", "Child B", ..., skipping any already taken."""
    if position < len(names) and names[position] not in taken:
        return names[position]
    index = max(0, position - len(names))
    while (name := f"Child {pseudonym_letters(index)}") in taken:
        index += 1
    return name


def _children(count: int) -> str:
    return "child" if count == 1 else "children"
