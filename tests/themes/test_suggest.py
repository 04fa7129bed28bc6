"""The suggester against the held-out labelled comments in tests/themes/heldout.csv (never used
for training: the classifier learns from caseaudit/themes/data/train.csv only)."""

from pathlib import Path

from caseaudit.themes.starter import STARTER_THEMES
from caseaudit.themes.suggest import PHRASES, TRAIN_FILE, read_labelled, suggest

HELDOUT = Path(__file__).parent / "heldout.csv"

# Set from the measurement recorded in docs/performance.md (micro precision 0.90, recall 0.79
# on 2026-12-03), a little below it so that ordinary retraining does not trip it.
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.75


def per_theme(rows):
    counts = {key: {"tp": 0, "fp": 0, "fn": 0} for key, _ in STARTER_THEMES}
    for text, labels in rows:
        predicted = suggest(text)
        for key in predicted | labels:
            if key in predicted and key in labels:
                counts[key]["tp"] += 1
            elif key in predicted:
                counts[key]["fp"] += 1
            else:
                counts[key]["fn"] += 1
    return counts


def test_the_held_out_set_has_at_least_100_comments_none_in_training():
    held_out = read_labelled(HELDOUT)
    training = {text for text, _ in read_labelled(TRAIN_FILE)}
    assert len(held_out) >= 100
    assert not training & {text for text, _ in held_out}
    assert len(training) + len(held_out) >= 150


def test_every_label_is_a_starter_theme():
    keys = {key for key, _ in STARTER_THEMES}
    assert set(PHRASES) == keys
    for text, labels in read_labelled(HELDOUT) + read_labelled(TRAIN_FILE):
        assert labels, text
        assert labels <= keys, text


def test_micro_precision_and_recall_on_held_out_set_reach_the_floor():
    counts = per_theme(read_labelled(HELDOUT))
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    assert tp / (tp + fp) >= PRECISION_FLOOR
    assert tp / (tp + fn) >= RECALL_FLOOR


def test_a_phrase_suggests_its_theme():
    assert "domestic-abuse-risk" in suggest("There was no MARAC referral.")
    assert "chronology" in suggest("The chronology was missing.")


def test_an_empty_comment_gets_nothing():
    assert suggest("   ") == set()
