"""The starter list of practice themes every partnership begins with, as (key, name)."""

STARTER_THEMES: list[tuple[str, str]] = [
    ("voice-of-child", "Voice of the child"),
    ("lived-experience", "Lived experience"),
    ("child-seen-alone", "Child seen alone"),
    ("management-oversight", "Management oversight and supervision"),
    ("smart-planning", "SMART planning"),
    ("chronology", "Chronology"),
    ("information-sharing", "Information sharing"),
    ("engagement-disguised-compliance", "Engagement and disguised compliance"),
    ("drift-delay", "Drift and delay"),
    ("consistency-of-worker", "Consistency of worker"),
    ("fathers-significant-males", "Fathers and significant males"),
    ("think-family", "Think family"),
    ("domestic-abuse-risk", "Domestic abuse risk assessment"),
    ("neglect-tools", "Neglect tools"),
    ("core-group-attendance", "Core group attendance"),
    ("strengths-based-language", "Strengths-based and restorative language"),
    ("trauma-informed-language", "Trauma-informed language"),
    ("timeliness", "Timeliness"),
]
