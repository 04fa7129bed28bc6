"""Sampling: the pure draw (criteria, recency, one child per sibling group, proportional
stratification, a recorded seed) and the services that store, lock and swap a sample."""

import random
import time
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseaudit.audits.models import Sample, SampledCase, Status, StatusChange
from caseaudit.audits.sample_services import (
    months_before,
    sample_draw,
    sample_lock,
    sample_preview,
    sample_swap,
)
from caseaudit.audits.sampling import (
    Candidate,
    Criteria,
    allocate,
    draw,
    pseudonym,
    pseudonym_letters,
    replacement,
)
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import

TODAY = date(2026, 11, 22)
HEADER = (
    "child_id,date_of_birth,gender,team,sibling_group,plan_category,plan_start,"
    "previous_plan_end,previous_plans,agencies,characteristics,name\n"
)


def child(
    number: int,
    *,
    gender: str = "Female",
    category: str = "neglect",
    born: str = "2015-01-01",
    team: str = "Team A",
    siblings: str = "",
    previous_end: str = "",
    characteristics: str = "",
) -> str:
    return (
        f"C{number:05d},{born},{gender},{team},{siblings},{category},2026-01-10,{previous_end},"
        f",CSC,{characteristics},Synthetic Child {number}"
    )


def import_population(partnership, rows: list[str]):
    content = (HEADER + "".join(row + "\n" for row in rows)).encode()
    return population_import(
        partnership=partnership, content=content, file_name="cases.csv", today=TODAY
    )


def candidates(count: int, **fields) -> list[Candidate]:
    return [
        Candidate(number, f"key{number}", "neglect", **fields) for number in range(1, count + 1)
    ]


def ids(cases) -> list[int]:
    return [case.id for case in cases]


class TestDraw:
    def test_the_same_seed_gives_the_same_sample_in_the_same_order(self):
        population = candidates(200)
        first = draw(population, size=15, seed=42)
        again = draw(population, size=15, seed=42)
        assert ids(first.cases) == ids(again.cases)
        assert len(first.cases) == 15

    def test_a_different_seed_gives_a_different_sample(self):
        population = candidates(200)
        assert ids(draw(population, size=15, seed=42).cases) != ids(
            draw(population, size=15, seed=43).cases
        )

    def test_the_order_of_the_rows_does_not_matter(self):
        population = [
            Candidate(
                n, f"key{n}", "neglect", "Female" if n % 3 else "Male", sibling_group=f"S{n // 4}"
            )
            for n in range(1, 300)
        ]
        shuffled = population[:]
        random.Random(7).shuffle(shuffled)
        first = draw(population, size=20, seed=5, stratify=["gender"])
        second = draw(shuffled, size=20, seed=5, stratify=["gender"])
        assert ids(first.cases) == ids(second.cases)

    def test_it_keeps_one_child_per_sibling_group(self):
        population = [
            Candidate(n, f"key{n}", "neglect", sibling_group=f"S{n // 3}") for n in range(90)
        ]
        result = draw(population, size=100, seed=1)
        groups = [case.sibling_group for case in result.cases]
        assert len(groups) == len(set(groups)) == 30
        assert result.excluded["sibling_group"] == 60

    def test_the_kept_sibling_meets_the_criteria(self):
        population = [
            Candidate(1, "k1", "neglect", sibling_group="S1"),
            Candidate(2, "k2", "sexual_abuse", sibling_group="S1"),
            Candidate(3, "k3", "neglect", sibling_group="S1"),
        ]
        for seed in range(20):
            result = draw(
                population, size=5, seed=seed, criteria=Criteria(categories=("sexual_abuse",))
            )
            assert ids(result.cases) == [2]

    def test_the_sibling_kept_is_chosen_by_the_seed(self):
        population = [Candidate(n, f"k{n}", "neglect", sibling_group="S1") for n in range(1, 6)]
        kept = {draw(population, size=1, seed=seed).cases[0].id for seed in range(30)}
        assert len(kept) > 1

    def test_it_leaves_out_children_audited_recently(self):
        population = candidates(10)
        result = draw(population, size=10, seed=1, excluded_child_keys={"key3", "key4"})
        assert sorted(ids(result.cases)) == [1, 2, 5, 6, 7, 8, 9, 10]
        assert result.excluded["recency"] == 2

    def test_recency_is_applied_before_the_sibling_rule(self):
        population = [
            Candidate(1, "k1", "neglect", sibling_group="S1"),
            Candidate(2, "k2", "neglect", sibling_group="S1"),
        ]
        for seed in range(10):
            assert ids(draw(population, size=1, seed=seed, excluded_child_keys={"k1"}).cases) == [2]

    def test_criteria(self):
        population = [
            Candidate(
                1, "k1", "neglect", "Female", "5-9", 7, "Team A", True, 300, "", ("Domestic abuse",)
            ),
            Candidate(2, "k2", "neglect", "Male", "10-15", 12, "Team B", True, 1095, "", ()),
            Candidate(3, "k3", "physical_abuse", "Male", "10-15", 11, "team a", True, 1096, "", ()),
            Candidate(
                4,
                "k4",
                "multiple",
                "Female",
                "0-4",
                2,
                "Team A",
                False,
                None,
                "",
                ("substance misuse",),
            ),
            Candidate(5, "k5", "neglect", "Female", "unknown", None, "Team C", True, None, "", ()),
        ]

        def chosen(**criteria) -> list[int]:
            result = draw(population, size=10, seed=1, criteria=Criteria(**criteria))
            assert result.excluded["criteria"] == 5 - len(result.cases)
            return sorted(ids(result.cases))

        assert chosen(categories=("neglect", "multiple")) == [1, 2, 4, 5]
        assert chosen(min_age=5, max_age=11) == [1, 3]
        assert chosen(max_age=4) == [4]
        assert chosen(repeat_only=True) == [1, 2, 3, 5]
        # 3 years is 1,095.75 days; a repeat plan with no end date recorded has no interval.
        assert chosen(max_interval_years=3) == [1, 2]
        assert chosen(teams=("TEAM A",)) == [1, 3, 4]
        assert chosen(characteristics=("domestic abuse", "Substance misuse")) == [1, 4]
        assert chosen(categories=("neglect",), repeat_only=True, teams=("Team A",)) == [1]

    def test_stratification_is_proportional(self):
        population = [
            Candidate(n, f"k{n}", "neglect", "Female" if n <= 60 else "Male") for n in range(1, 101)
        ]
        result = draw(population, size=10, seed=3, stratify=["gender"])
        genders = [case.gender for case in result.cases]
        assert genders.count("Female") == 6
        assert genders.count("Male") == 4
        assert result.allocation == [
            {"stratum": {"gender": "Female"}, "eligible": 60, "sample": 6},
            {"stratum": {"gender": "Male"}, "eligible": 40, "sample": 4},
        ]

    def test_stratification_by_two_keys_uses_largest_remainders(self):
        # 50 female neglect, 30 male neglect, 20 male physical abuse: 7 shares as 3.5, 2.1, 1.4
        # so 3, 2, 1 and the one left goes to the largest remainder (female neglect).
        population = (
            [Candidate(n, f"k{n}", "neglect", "Female") for n in range(50)]
            + [Candidate(n, f"k{n}", "neglect", "Male") for n in range(50, 80)]
            + [Candidate(n, f"k{n}", "physical_abuse", "Male") for n in range(80, 100)]
        )
        result = draw(population, size=7, seed=9, stratify=["gender", "category"])
        made = [(case.gender, case.plan_category) for case in result.cases]
        assert made.count(("Female", "neglect")) == 4
        assert made.count(("Male", "neglect")) == 2
        assert made.count(("Male", "physical_abuse")) == 1

    def test_the_draw_order_does_not_group_a_stratum(self):
        population = [
            Candidate(n, f"k{n}", "neglect", "Female" if n % 2 else "Male") for n in range(400)
        ]
        orders = {
            tuple(
                case.gender
                for case in draw(population, size=10, seed=seed, stratify=["gender"]).cases
            )
            for seed in range(10)
        }
        assert len(orders) > 1

    def test_a_shortfall_goes_to_the_other_strata(self):
        # Target 50/30/20 of 10, but the first stratum has only 2 children.
        allocation = allocate(10, {"a": 50, "b": 30, "c": 20}, {"a": 2, "b": 30, "c": 20})
        assert allocation == {"a": 2, "b": 5, "c": 3}
        assert sum(allocation.values()) == 10
        assert allocate(10, {"a": 1, "b": 1}, {"a": 0, "b": 3}) == {"a": 0, "b": 3}

    def test_largest_remainder_ties_go_to_the_larger_stratum_then_the_first(self):
        assert allocate(1, {"a": 1, "b": 1}, {"a": 1, "b": 1}) == {"a": 1, "b": 0}
        assert allocate(3, {"a": 2, "b": 4, "c": 4}, {"a": 2, "b": 4, "c": 4}) == {
            "a": 1,
            "b": 1,
            "c": 1,
        }

    def test_fewer_eligible_than_asked_draws_all_with_a_warning(self):
        result = draw(candidates(4), size=10, seed=1)
        assert sorted(ids(result.cases)) == [1, 2, 3, 4]
        assert result.warnings == [
            "Only 4 children can be sampled, fewer than the 10 asked for, so the sample has all 4"
        ]
        assert draw([], size=3, seed=1).warnings == [
            "No child meets the criteria, so the sample is empty"
        ]

    def test_the_make_up_compares_sample_eligible_and_population(self):
        population = [Candidate(n, f"k{n}", "neglect", "Female", "5-9") for n in range(6)] + [
            Candidate(n, f"k{n}", "sexual_abuse", "Male", "10-15") for n in range(6, 10)
        ]
        result = draw(population, size=5, seed=1, criteria=Criteria(categories=("neglect",)))
        make_up = result.make_up
        assert (make_up["sample"], make_up["eligible"], make_up["population"]) == (5, 6, 10)
        female = next(row for row in make_up["by_gender"] if row["value"] == "Female")
        assert female["sample"] == {"count": 5, "percent": 100.0}
        assert female["population"] == {"count": 6, "percent": 60.0}
        assert [row["label"] for row in make_up["by_category"]] == ["Neglect", "Sexual abuse"]
        assert [row["value"] for row in make_up["by_age_band"]] == ["5-9", "10-15"]

    def test_it_refuses_an_unknown_stratification(self):
        with pytest.raises(ValueError, match="colour"):
            draw(candidates(3), size=1, seed=1, stratify=["colour"])

    def test_it_draws_from_100000_children_in_well_under_a_second(self):
        rng = random.Random(1)
        population = [
            Candidate(
                n,
                f"key{n}",
                rng.choice(["neglect", "emotional_abuse", "physical_abuse", "multiple"]),
                rng.choice(["Female", "Male"]),
                rng.choice(["0-4", "5-9", "10-15", "16+"]),
                rng.randint(0, 17),
                "Team A",
                n % 6 == 0,
                rng.randint(30, 3000) if n % 6 == 0 else None,
                f"S{n // 3}" if n % 2 else "",
            )
            for n in range(100_000)
        ]
        started = time.perf_counter()
        result = draw(population, size=15, seed=2024, stratify=["gender", "category", "age_band"])
        assert time.perf_counter() - started < 1
        assert len(result.cases) == 15


class TestPseudonyms:
    def test_letters_run_like_spreadsheet_columns(self):
        assert [pseudonym_letters(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
            "A",
            "B",
            "Z",
            "AA",
            "AB",
            "AZ",
            "BA",
            "ZZ",
            "AAA",
        ]

    def test_a_partnerships_own_names_come_first(self):
        names = ["Amy", "Ben"]
        assert [pseudonym(n, names) for n in range(4)] == ["Amy", "Ben", "Child A", "Child B"]
        assert pseudonym(2, names, taken={"Child A"}) == "Child B"


class TestReplacement:
    def test_it_prefers_the_removed_childs_stratum_and_avoids_their_family(self):
        population = [
            Candidate(1, "k1", "neglect", "Female", sibling_group="S1"),
            Candidate(2, "k2", "neglect", "Female", sibling_group="S1"),
            Candidate(3, "k3", "neglect", "Male"),
            Candidate(4, "k4", "neglect", "Female"),
            Candidate(5, "k5", "neglect", "Male"),
        ]
        removed = population[0]
        for number in range(1, 10):
            chosen = replacement(
                population,
                seed=1,
                swap_number=number,
                stratify=["gender"],
                removed=removed,
                sample=[removed, population[2]],
            )
            assert chosen == population[3]

    def test_it_falls_back_to_anyone_eligible_and_else_none(self):
        population = candidates(3)
        removed = population[0]
        chosen = replacement(
            population, seed=1, swap_number=1, stratify=[], removed=removed, sample=population[:2]
        )
        assert chosen == population[2]
        assert (
            replacement(population, seed=1, swap_number=1, removed=removed, sample=population)
            is None
        )


def test_months_before_keeps_the_day_or_takes_the_last_of_the_month():
    moment = timezone.now().replace(year=2026, month=5, day=31)
    assert months_before(moment, 3).date() == date(2026, 2, 28)
    assert months_before(moment, 12).date() == date(2025, 5, 31)
    assert months_before(moment, 17).date() == date(2024, 12, 31)


@pytest.fixture
def north_population(world):
    """60 girls and 40 boys: 10 families of 3 (6 of girls, 4 of boys) and 70 children without
    siblings, so that after the sibling rule the split is still 60/40 (48 and 32)."""
    rows = []
    for number in range(1, 101):
        rows.append(
            child(
                number,
                gender="Female" if number <= 60 else "Male",
                category="neglect" if number % 2 else "emotional abuse",
                siblings=f"S{(number - 1) // 3}" if number <= 18 or 61 <= number <= 72 else "",
                previous_end="2024-01-01" if number % 5 == 0 else "",
            )
        )
    return import_population(world.north, rows)


def new_audit(world, partnership=None, title="Repeat Child Protection Plans"):
    return audit_create(partnership=partnership or world.north, title=title, user=world.lena)


def draw_for(audit, snapshot, user=None, **options):
    options = {"size": 10, "seed": 42, **options}
    return sample_draw(audit=audit, snapshot=snapshot, user=user, **options)


def pseudonyms_of(sample) -> list[str]:
    return list(sample.cases.order_by("order").values_list("pseudonym", flat=True))


class TestSampleDraw:
    def test_it_stores_the_sample_with_pseudonyms_in_draw_order(self, world, north_population):
        audit = new_audit(world)
        sample = draw_for(audit, north_population, user=world.lena, stratify=["gender"])
        assert sample.seed == 42
        assert sample.size == 10
        assert sample.drawn_by == world.lena
        assert sample.criteria["stratify"] == ["gender"]
        assert pseudonyms_of(sample) == [f"Child {letter}" for letter in "ABCDEFGHIJ"]
        assert [case.case_id for case in sample.cases.order_by("order")] == ids(sample.draw.cases)
        genders = list(sample.cases.values_list("case__gender", flat=True))
        assert genders.count("Female") == 6

    def test_drawing_moves_the_audit_from_planning_to_sampling(self, world, north_population):
        audit = new_audit(world)
        draw_for(audit, north_population, user=world.lena)
        audit.refresh_from_db()
        assert audit.status == Status.SAMPLING
        move = StatusChange.objects.filter(audit=audit).last()
        assert (move.from_status, move.to_status, move.changed_by) == (
            Status.PLANNING,
            Status.SAMPLING,
            world.lena,
        )
        draw_for(audit, north_population, seed=43)
        assert StatusChange.objects.filter(audit=audit).count() == 2

    def test_the_same_seed_gives_the_same_children(self, world, north_population):
        audit = new_audit(world)
        first = [case.case_id for case in draw_for(audit, north_population).cases.all()]
        second = [case.case_id for case in draw_for(audit, north_population).cases.all()]
        third = [case.case_id for case in draw_for(audit, north_population, seed=7).cases.all()]
        assert first == second
        assert first != third
        assert Sample.objects.filter(audit=audit).count() == 1

    def test_drawing_again_is_refused_once_locked(self, world, north_population):
        audit = new_audit(world)
        sample = draw_for(audit, north_population)
        sample_lock(sample=sample, user=world.lena)
        with pytest.raises(ValidationError) as caught:
            draw_for(audit, north_population, seed=9)
        assert caught.value.message_dict == {
            "sample": ["The sample is locked and cannot be drawn again. Swap a child instead"]
        }
        assert Sample.objects.get(audit=audit).seed == 42

    def test_it_keeps_one_child_per_sibling_group(self, world, north_population):
        sample = draw_for(new_audit(world), north_population, size=100)
        groups = [
            group for group in sample.cases.values_list("case__sibling_group", flat=True) if group
        ]
        assert len(groups) == len(set(groups))
        assert sample.draw.excluded["sibling_group"] == 20
        assert sample.cases.count() == 80
        assert "fewer than the 100 asked for" in sample.draw.warnings[0]

    def test_criteria_are_recorded_and_applied(self, world, north_population):
        sample = draw_for(
            new_audit(world),
            north_population,
            size=50,
            criteria={
                "categories": ["Emotional abuse"],
                "repeat_only": True,
                "max_interval_years": 3,
            },
        )
        assert sample.criteria["categories"] == ["emotional_abuse"]
        cases = sample.cases.values_list("case__plan_category", "case__days_since_previous_plan")
        assert cases
        assert all(category == "emotional_abuse" and days <= 1096 for category, days in cases)

    def test_characteristics_are_read_only_when_a_criterion_needs_them(self, world):
        snapshot = import_population(
            world.north,
            [
                child(1, characteristics="domestic abuse;parental mental health"),
                child(2, characteristics="substance misuse"),
                child(3),
            ],
        )
        sample = draw_for(
            new_audit(world), snapshot, criteria={"characteristics": ["Domestic abuse"]}
        )
        assert list(sample.cases.values_list("case__row_number", flat=True)) == [2]

    def test_it_reads_no_identifying_details(self, world, north_population):
        audit = new_audit(world)
        with mock.patch("caseaudit.fields.decrypt_text", side_effect=AssertionError("decrypted")):
            draw_for(audit, north_population, stratify="gender,category,age_band")
            sample_preview(audit=audit, snapshot=north_population, size=5, seed=1)

    def test_the_partnerships_own_names_are_used(self, world, north_population):
        world.north.pseudonym_names = ["Ash", "Birch", "Cedar"]
        world.north.save()
        sample = draw_for(new_audit(world), north_population, size=5)
        assert pseudonyms_of(sample) == ["Ash", "Birch", "Cedar", "Child A", "Child B"]

    def test_pseudonyms_go_on_past_z(self, world, north_population):
        sample = draw_for(new_audit(world), north_population, size=28)
        assert pseudonyms_of(sample)[24:] == ["Child Y", "Child Z", "Child AA", "Child AB"]

    @pytest.mark.parametrize(
        ("options", "errors"),
        [
            ({"size": 0}, {"size": ["The sample size must be 1 or more"]}),
            ({"size": "ten"}, {"size": ["Enter the sample size as a number"]}),
            ({"seed": "abc"}, {"seed": ["Enter the random seed as a number"]}),
            ({"seed": 2.5}, {"seed": ["Enter the random seed as a number"]}),
            ({"seed": -1}, {"seed": ["The random seed must be between 0 and 9223372036854775807"]}),
            (
                {"stratify": ["gender", "colour"]},
                {"stratify": ["Stratify by gender, category or age_band (found 'colour')"]},
            ),
            (
                {"criteria": {"categories": ["bullying"]}},
                {
                    "categories": [
                        (
                            "Plan categories must be neglect, emotional abuse, physical abuse, "
                            "sexual abuse or multiple (found 'bullying')"
                        )
                    ]
                },
            ),
            (
                {"criteria": {"min_age": 10, "max_age": 4}},
                {"max_age": ["The oldest age must be the same as or more than the youngest"]},
            ),
            (
                {"criteria": {"max_interval_years": "soon"}},
                {
                    "max_interval_years": [
                        (
                            "Enter the longest interval since the previous plan as a number of "
                            "years, for example 3"
                        )
                    ]
                },
            ),
        ],
    )
    def test_it_refuses_bad_input_and_stores_nothing(
        self, world, north_population, options, errors
    ):
        audit = new_audit(world)
        with pytest.raises(ValidationError) as caught:
            draw_for(audit, north_population, **options)
        assert caught.value.message_dict == errors
        assert not Sample.objects.exists()
        audit.refresh_from_db()
        assert audit.status == Status.PLANNING

    def test_it_refuses_a_snapshot_from_another_partnership(self, world):
        south = import_population(world.south, [child(1)])
        with pytest.raises(ValidationError) as caught:
            draw_for(new_audit(world), south)
        assert caught.value.message_dict == {
            "snapshot": ["Select a population snapshot from this partnership"]
        }


class TestRecency:
    def sampled_months_ago(self, world, snapshot, months, partnership=None):
        """Samples every child of the snapshot for another audit, drawn `months` ago."""
        other = new_audit(world, partnership=partnership, title="Earlier audit")
        sample = draw_for(other, snapshot, size=1000)
        Sample.objects.filter(pk=sample.pk).update(
            drawn_at=timezone.now() - timedelta(days=round(months * 30.5))
        )
        return sample

    def test_a_child_sampled_three_months_ago_is_left_out(self, world):
        earlier = import_population(world.north, [child(1), child(2)])
        self.sampled_months_ago(world, earlier, 3)
        latest = import_population(world.north, [child(1), child(2), child(3)])
        sample = draw_for(new_audit(world), latest)
        assert list(sample.cases.values_list("case__child_key", flat=True)) == list(
            latest.cases.filter(row_number=4).values_list("child_key", flat=True)
        )
        assert sample.draw.excluded["recency"] == 2

    def test_a_child_sampled_thirteen_months_ago_may_be_sampled_again(self, world):
        snapshot = import_population(world.north, [child(1), child(2)])
        self.sampled_months_ago(world, snapshot, 13)
        sample = draw_for(new_audit(world), snapshot)
        assert sample.cases.count() == 2
        assert sample.draw.excluded["recency"] == 0

    def test_the_recency_period_is_the_partnerships(self, world):
        world.north.recency_months = 2
        world.north.save()
        snapshot = import_population(world.north, [child(1), child(2)])
        self.sampled_months_ago(world, snapshot, 3)
        assert draw_for(new_audit(world), snapshot).cases.count() == 2

    def test_another_partnerships_sample_does_not_count(self, world):
        south = import_population(world.south, [child(1), child(2)])
        self.sampled_months_ago(world, south, 1, partnership=world.south)
        north = import_population(world.north, [child(1), child(2)])
        assert draw_for(new_audit(world), north).cases.count() == 2

    def test_a_child_swapped_out_was_not_audited(self, world):
        snapshot = import_population(world.north, [child(1), child(2)])
        earlier = self.sampled_months_ago(world, snapshot, 1)
        SampledCase.objects.filter(sample=earlier, case__row_number=2).update(
            removed_at=timezone.now(), removal_reason="Moved away"
        )
        sample = draw_for(new_audit(world), snapshot)
        assert list(sample.cases.values_list("case__row_number", flat=True)) == [2]


class TestLockAndSwap:
    def test_locking_records_who_and_when(self, world, north_population):
        sample = draw_for(new_audit(world), north_population)
        sample_lock(sample=sample, user=world.lena)
        sample.refresh_from_db()
        assert sample.is_locked
        assert sample.locked_by == world.lena
        with pytest.raises(ValidationError, match="already locked"):
            sample_lock(sample=sample, user=world.lena)

    def test_a_swap_before_locking_is_refused(self, world, north_population):
        sample = draw_for(new_audit(world), north_population)
        with pytest.raises(ValidationError) as caught:
            sample_swap(sampled_case=sample.cases.first(), reason="Moved away", user=world.lena)
        assert caught.value.message_dict == {
            "sampled_case": ["Lock the sample before swapping a child. Until then, draw again"]
        }

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_swap_needs_a_reason(self, world, north_population, reason):
        sample = draw_for(new_audit(world), north_population)
        sample_lock(sample=sample, user=world.lena)
        with pytest.raises(ValidationError) as caught:
            sample_swap(sampled_case=sample.cases.first(), reason=reason, user=world.lena)
        assert caught.value.message_dict == {"reason": ["Enter the reason for swapping this child"]}
        assert not sample.cases.exclude(removed_at=None).exists()

    def test_a_swap_records_the_reason_and_draws_a_replacement(self, world, north_population):
        sample = draw_for(new_audit(world), north_population, stratify=["gender"])
        sample_lock(sample=sample, user=world.lena)
        old = sample.cases.get(pseudonym="Child C")
        new = sample_swap(
            sampled_case=old, reason="  Case closed  before the audit ", user=world.lena
        )
        old.refresh_from_db()
        assert old.removed_by == world.lena
        assert old.removed_at is not None
        assert old.removal_reason == "Case closed before the audit"
        assert new.replaces == old
        assert new.pseudonym == "Child K"
        assert new.order == 11
        assert new.case.gender == old.case.gender
        assert new.case_id not in [case.case_id for case in sample.cases.exclude(pk=new.pk)]
        assert sample.cases.filter(removed_at=None).count() == 10
        with pytest.raises(ValidationError, match="already been swapped"):
            sample_swap(sampled_case=old, reason="Again", user=world.lena)
        second = sample_swap(sampled_case=new, reason="Moved away", user=world.lena)
        assert second.pseudonym == "Child L"

    def test_the_replacement_is_deterministic(self, world, north_population):
        world.north.recency_months = 0  # so that the two audits may sample the same children
        world.north.save()
        replacements = []
        for title in ("First", "Second"):
            sample = draw_for(new_audit(world, title=title), north_population, stratify=["gender"])
            sample_lock(sample=sample, user=world.lena)
            first = sample_swap(
                sampled_case=sample.cases.get(pseudonym="Child B"), reason="Moved", user=world.lena
            )
            second = sample_swap(
                sampled_case=sample.cases.get(pseudonym="Child E"), reason="Moved", user=world.lena
            )
            replacements.append((first.case_id, second.case_id))
        assert replacements[0] == replacements[1]

    def test_a_swap_with_nobody_left_is_refused(self, world):
        snapshot = import_population(world.north, [child(1), child(2)])
        sample = draw_for(new_audit(world), snapshot)
        sample_lock(sample=sample, user=world.lena)
        with pytest.raises(ValidationError, match="No other child meets"):
            sample_swap(sampled_case=sample.cases.first(), reason="Moved", user=world.lena)
        assert not sample.cases.exclude(removed_at=None).exists()
