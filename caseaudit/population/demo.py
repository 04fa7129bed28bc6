"""A synthetic case population for the demo and the benchmarks. Every child is invented: ids,
names and dates come from a seeded random generator, not from any real record."""

import csv
import io
import random
from datetime import date, timedelta

from caseaudit.population.parsing import COLUMNS

HEADER = list(COLUMNS)
# Proportions close to the seed report's population (202 plans, 34 repeat = 16%) and to
# national patterns: neglect and emotional abuse are the largest categories.
CATEGORIES = [
    ("neglect", 45),
    ("emotional_abuse", 35),
    ("physical_abuse", 8),
    ("sexual_abuse", 4),
    ("multiple", 8),
]
ETHNICITIES = ["White British", "White other", "Mixed", "Asian", "Black", "Other", "Not known"]
TEAMS = ["Assessment North", "Assessment South", "Child Protection 1", "Child Protection 2"]
AGENCIES = ["CSC", "HEALTH", "POLICE", "EDU", "EH", "AMH", "DRUGS", "DA", "HOUSING"]
CHARACTERISTICS = [
    "domestic abuse",
    "parental mental health",
    "substance misuse",
    "neglect of home conditions",
    "young carer",
]
FIRST_NAMES = ["Ari", "Bo", "Cai", "Dee", "Eli", "Fen", "Gil", "Hal", "Ivo", "Jo", "Kit", "Lux"]
SURNAME = "Example"  # obviously invented, so a demo name can never be mistaken for a real one


def demo_population_rows(count: int = 202, *, seed: int = 2137, today: date | None = None):
    """Yields rows (lists of strings) of `count` invented children, about 16% on a repeat plan,
    in sibling groups of one to four. The default seed gives 34 of 202 on a repeat plan (16%),
    as in the seed report."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    today = today or date(2026, 11, 1)
    made = 0
    group = 0
    while made < count:
        group += 1
        size = min(rng.choices([1, 2, 3, 4], weights=[55, 28, 12, 5])[0], count - made)
        category = rng.choices([c for c, _ in CATEGORIES], weights=[w for _, w in CATEGORIES])[0]
        plan_start = today - timedelta(days=rng.randint(10, 700))
        repeat = rng.random() < 0.16
        # Most repeat plans follow the previous one within three years, as in the seed report.
        gap = rng.randint(60, 1090) if rng.random() < 0.8 else rng.randint(1100, 2400)
        previous_end = plan_start - timedelta(days=gap) if repeat else None
        team = rng.choice(TEAMS)
        worker = f"W{rng.randint(100, 160)}"
        characteristics = rng.sample(CHARACTERISTICS, k=rng.randint(0, 2))
        for _ in range(size):
            made += 1
            age_days = rng.randint(30, 17 * 365)
            yield [
                f"D{made:06d}",
                (today - timedelta(days=age_days)).isoformat(),
                rng.choice(["Female", "Male"]),
                rng.choice(ETHNICITIES),
                team,
                worker,
                f"G{group:05d}" if size > 1 else "",
                category,
                plan_start.isoformat(),
                previous_end.isoformat() if previous_end else "",
                str(rng.randint(1, 2)) if repeat else "0",
                ";".join(["CSC", *rng.sample(AGENCIES[1:], k=rng.randint(1, 4))]),
                ";".join(characteristics),
                f"{rng.choice(FIRST_NAMES)} {SURNAME}",
            ]


def demo_population_csv(count: int = 202, *, seed: int = 2137, today: date | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(demo_population_rows(count, seed=seed, today=today))
    return buffer.getvalue().encode()
