"""Measures the theme suggester on the held-out labelled comments (tests/themes/heldout.csv) and
appends per-theme precision, recall and support with micro and macro averages to
docs/performance.md.

    .venv/bin/python bench/themes_eval.py            # append to docs/performance.md
    .venv/bin/python bench/themes_eval.py --print    # print only"""

import datetime
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from caseaudit.themes.starter import STARTER_THEMES  # noqa: E402
from caseaudit.themes.suggest import TRAIN_FILE, read_labelled, suggest  # noqa: E402

HELDOUT = ROOT / "tests" / "themes" / "heldout.csv"


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def measure() -> str:
    rows = read_labelled(HELDOUT)
    counts = {key: {"tp": 0, "fp": 0, "fn": 0} for key, _ in STARTER_THEMES}
    for text, labels in rows:
        predicted = suggest(text)
        for key in predicted | labels:
            outcome = (
                "tp" if key in predicted and key in labels else "fp" if key in predicted else "fn"
            )
            counts[key][outcome] += 1
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    lines = [
        "",
        f"## Theme suggester on the held-out set ({today})",
        "",
        (
            f"Machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}. Trained on {len(read_labelled(TRAIN_FILE))} comments "
            f"(caseaudit/themes/data/train.csv), measured on {len(rows)} held-out comments "
            "(tests/themes/heldout.csv). Written by `bench/themes_eval.py`."
        ),
        "",
        "| theme | precision | recall | support |",
        "|---|---|---|---|",
    ]
    precisions, recalls = [], []
    for key, name in STARTER_THEMES:
        c = counts[key]
        support = c["tp"] + c["fn"]
        p, r = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], support)
        precisions.append(p)
        recalls.append(r)
        lines.append(f"| {name} | {p:.2f} | {r:.2f} | {support} |")
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    lines.append(
        f"| **micro average** | {ratio(tp, tp + fp):.2f} | {ratio(tp, tp + fn):.2f} | {tp + fn} |"
    )
    lines.append(
        f"| **macro average** | {sum(precisions) / len(precisions):.2f} | "
        f"{sum(recalls) / len(recalls):.2f} | {tp + fn} |"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    report = measure()
    print(report)
    if "--print" not in sys.argv:
        with (ROOT / "docs" / "performance.md").open("a", encoding="utf-8") as handle:
            handle.write(report)
