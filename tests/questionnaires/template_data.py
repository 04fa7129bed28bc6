"""A small, valid template file as a dict, for tests to load as it is or break in one place."""

import copy
import re

GOOD = {
    "name": "Synthetic audit",
    "description": "Made up for tests.",
    "sections": [
        {
            "title": "Seeing the child",
            "questions": [
                {"key": "seen_alone", "text": "Was the child seen alone?", "type": "yes_no_na"},
                {
                    "key": "why_not",
                    "text": "Why not?",
                    "type": "text",
                    "show_if": {"question": "seen_alone", "options": ["no"]},
                },
                {
                    "key": "visits",
                    "text": "How many visits?",
                    "type": "number",
                    "min": 0,
                    "max": 50,
                },
            ],
        },
        {
            "title": "Overall",
            "description": "The auditor's view.",
            "questions": [
                {
                    "key": "grade",
                    "text": "Overall grade",
                    "type": "grade",
                    "comment": True,
                    "comment_label": "Why this grade?",
                },
                {
                    "key": "contacted",
                    "text": "Who was contacted?",
                    "type": "multiple_choice",
                    "help": "Tick all that apply.",
                    "options": [
                        {"key": "mother", "label": "Mother", "meaning": "positive"},
                        {"key": "father", "label": "Father", "meaning": "positive"},
                        {"key": "nobody", "label": "Nobody", "meaning": "negative"},
                    ],
                },
                {
                    "key": "review_date",
                    "text": "Date of the last review",
                    "type": "date",
                    "required": False,
                },
            ],
        },
    ],
}

_PART = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def good() -> dict:
    return copy.deepcopy(GOOD)


def _parts(path: str) -> list:
    return [int(index) if index else name for name, index in _PART.findall(path)]


def changed(path: str, value, data: dict | None = None) -> dict:
    """A copy of the good template with the value at `path` (as in an error path) set."""
    data = good() if data is None else data
    *parents, last = _parts(path)
    target = data
    for part in parents:
        target = target[part]
    target[last] = value
    return data


def without(path: str) -> dict:
    """A copy of the good template with the field at `path` removed."""
    data = good()
    *parents, last = _parts(path)
    target = data
    for part in parents:
        target = target[part]
    del target[last]
    return data
