import pytest

from caseaudit.moderation.agreement import agreement, weighted_kappa


def test_weighted_kappa_against_a_hand_worked_example():
    """Four grades, 0 Outstanding, 1 Good, 2 Requires improvement, 3 Inadequate, so the linear
    weights are w = 1 - |i - j| / 3: 1 on the diagonal, 2/3 one step apart, 1/3 two apart.

    Five cases (auditor, moderator): (G, G), (RI, RI), (RI, I), (I, RI), (G, RI)
    = (1, 1), (2, 2), (2, 3), (3, 2), (1, 2).

    Observed: p_o = (1 + 1 + 2/3 + 2/3 + 2/3) / 5 = 4 / 5 = 60/75.

    Marginals: auditor 1: 2, 2: 2, 3: 1; moderator 1: 1, 2: 3, 3: 1.
    Expected, the sum of w(i, j) * auditor_i * moderator_j over n^2 = 25:
      i = 1 (2 cases): 1*2*1 + (2/3)*2*3 + (1/3)*2*1 = 2 + 4 + 2/3     = 20/3
      i = 2 (2 cases): (2/3)*2*1 + 1*2*3 + (2/3)*2*1 = 4/3 + 6 + 4/3   = 26/3
      i = 3 (1 case):  (1/3)*1*1 + (2/3)*1*3 + 1*1*1 = 1/3 + 2 + 1     = 10/3
      total 56/3, so p_e = 56/75.
    kappa = (60/75 - 56/75) / (1 - 56/75) = (4/75) / (19/75) = 4/19 = 0.2105...

    Raw agreement 2 of 5 (40%); one grade moved up (I to RI), two moved down."""
    pairs = [(1, 1), (2, 2), (2, 3), (3, 2), (1, 2)]
    assert weighted_kappa(pairs, 4) == pytest.approx(4 / 19)
    result = agreement(pairs, 4)
    assert (result.n, result.agreed, result.moved_up, result.moved_down) == (5, 2, 1, 2)
    assert result.raw == pytest.approx(0.4)
    assert result.kappa == pytest.approx(4 / 19)


def test_full_agreement_is_one_and_near_misses_count_for_part():
    assert weighted_kappa([(0, 0), (1, 1), (2, 2)], 4) == pytest.approx(1)
    # The same disagreement one step apart scores higher than three steps apart.
    near = weighted_kappa([(0, 0), (3, 3), (1, 2), (2, 1)], 4)
    far = weighted_kappa([(0, 0), (3, 3), (0, 3), (3, 0)], 4)
    assert near > far


def test_kappa_is_undefined_without_pairs_or_when_everything_is_one_grade():
    assert weighted_kappa([], 4) is None
    assert weighted_kappa([(2, 2), (2, 2)], 4) is None
    assert weighted_kappa([(0, 1)], 1) is None
    assert agreement([], 4).raw is None
