"""The privacy check run before anything is published (docs/privacy-check.md).

`find_identifying_details` scans texts, given as (location, text) pairs, for two things:

- the identifying details the system holds for the audit's sample: each child's name (the full
  name, and the first and last names on their own when they are distinctive), date of birth in
  the ways people write dates, and case-system id. These hits name the child by pseudonym;
- patterns that identify anyone, known to the system or not: NHS numbers (with a valid
  modulus-11 check digit), dates labelled as dates of birth, UK postcodes, UK phone numbers and
  email addresses.

The sample's details are decrypted here, in the server, for the length of one call: they are
never logged, and a hit carries only the text that was already in the document.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.crypto import salted_hmac


class HitKind(models.TextChoices):
    NAME = "name", "Child's name"
    DATE_OF_BIRTH = "date_of_birth", "Child's date of birth"
    CHILD_ID = "child_id", "Child's case-system id"
    NHS_NUMBER = "nhs_number", "NHS number"
    POSSIBLE_DATE_OF_BIRTH = "possible_date_of_birth", "Date given as a date of birth"
    POSTCODE = "postcode", "Postcode"
    PHONE_NUMBER = "phone_number", "Phone number"
    EMAIL_ADDRESS = "email_address", "Email address"


# Kinds that come from the sample's own details (they carry the child's pseudonym).
KNOWN_KINDS = frozenset({HitKind.NAME, HitKind.DATE_OF_BIRTH, HitKind.CHILD_ID})


@dataclass(frozen=True, order=True)
class Hit:
    """One identifying detail found. `position` is the character offset of `text` in the text
    of its `location`; `case` is the pseudonym (or pseudonyms, comma-separated) of the child
    whose recorded detail it matches, empty for a pattern hit."""

    position: int
    text: str
    kind: str
    location: str = ""
    file: str = ""
    case: str = ""

    def as_dict(self) -> dict:
        row = {
            "file": self.file,
            "location": self.location,
            "text": self.text,
            "kind": str(self.kind),
            "position": self.position,
        }
        if self.case:
            row["case"] = self.case
        return row

    @property
    def end(self) -> int:
        return self.position + len(self.text)


# Names that are also ordinary English words, and words every audit report uses (the demo's
# children are all called "... Example"). On its own such a first or last name would flag half
# the document, so it is matched only as part of the full name. Lower case; extend it when a
# partnership meets another.
COMMON_WORDS = frozenset(
    """
    able acre angel apple april archer art arrow ash aster august autumn baker ball bank banks
    barber barley bay beach bean bear bell berry best bill birch bird bishop black bliss bloom
    blue bond boon bower bowman brand brave bridge bright brook brooke brooks brown bud bunny
    bush butler butcher cage cake call camp candy cane cannon card care carpenter carter case
    cash castle chance chapel charity chase cherry chess child church clay clear cliff close
    coal cole cook cooper coral corner cotton court cox crane cross crow crown crystal dale
    dance dare dart dash dawn day deacon dean dear diamond dove drake draper drew duke dusty
    early east eden ember english faith fair fall farmer father field fields finch fisher flint
    flower ford forest fortune foster fox frank free friend frost gale game gardener garden
    gay gem gift ginger glass glen glory gold golden good goodman grace grant gray green grey
    grove guy hail hale hall hammer hand harbour hardy harmony harper haven hawk hay hazel head
    heart heath heather hedge heron hill hills holly home honey honour hope hunt hunter iris
    ivory ivy jack jade jay jewel joy judge june just justice keen kind king knight lace lake
    lamb lane lark law lawyer lead leaf lee legend liberty light lily lime little lock long
    lord love lucky lux major march mark marsh mason may meadow melody mercy merry might mill
    miller mint mist moon moor more moss mother music nash navy needle new noble north oak
    ocean olive page palmer paris park parker parson pat patience peace pearl penny pepper
    person petal piper plan plum poppy porter pound power precious price pride prince princess
    prudence quail rain raven ray reed rich ridge river robin rock rose ross rowan ruby rush
    sage sailor saint salt sandy savage school scott sea shade sharp shepherd shore short
    silver sky skye slater small smart snow solomon south sparrow spring squire star steel
    stone storm strong summer sunny sweet swift tailor taylor temple thorn tiger trust turner
    unity vale valentine verity violet wade walker wall ward warren water waters way weaver
    webb well wells west white wild will willow win winter wise wolf wood woods worth wren
    wright young
    agency audit baby boy brother conference daughter example family girl health meeting
    parent police report review sister social son support team worker
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# A first or last name shorter than this is matched only inside the full name.
MIN_NAME_TOKEN = 3
# A case-system id with fewer letters and digits than this is not searched for (it would match
# ordinary numbers such as page numbers).
MIN_CHILD_ID = 4


def fold(text: str) -> str:
    """The text with accents taken off and curly quotes made straight, one character for one
    so that offsets in the result are offsets in `text`."""
    out = []
    for char in text:
        if char in "\u2018\u2019\u02bc":
            out.append("'")
            continue
        if char.isascii():
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base[0] if base else char)
    return "".join(out)


def _squash(text: str) -> str:
    return " ".join(fold(text).casefold().split())


# --- Dates -----------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    # 03/04/2015, 3.4.15, 3-4-2015 (day first, as written in the UK; one separator throughout)
    re.compile(r"(?<![\d.\-/])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d]|[.\-/]\d)"),
    # 2015-04-03, 2015/4/3
    re.compile(r"(?<![\d.\-/])(?P<y>\d{4})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d]|[.\-/]\d)"),
    # 3 April 2015, 3rd of April, 2015, 03-Apr-2015
    re.compile(
        rf"(?<![\w])(?P<d>\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s\-/]+(?P<mn>{_MONTH})\.?,?[\s\-/]+(?P<y>\d{{4}}|'\d{{2}})(?![\w])",
        re.IGNORECASE,
    ),
    # April 3rd 2015, Apr 3, 2015
    re.compile(
        rf"(?<![\w])(?P<mn>{_MONTH})\.?[\s\-]+(?P<d>\d{{1,2}}){_ORDINAL},?[\s\-]+(?P<y>\d{{4}}|'\d{{2}})(?![\w])",
        re.IGNORECASE,
    ),
]  # fmt: skip

# Words that say the date that follows is a date of birth ("DOB: 3.4.15", "born on 3 April").
_BIRTH_LABEL = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth|\bbirth\s?date|\bbirthday|\bborn)"
    r"[\s:;=\-\u2013(]*(?:(?:is|was|on)\s+)*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateFound:
    start: int
    end: int
    dates: frozenset[datetime.date]  # every reading of it (a two-digit year has two)


def _years(raw: str) -> list[int]:
    raw = raw.lstrip("'")
    if len(raw) == 4:
        return [int(raw)]
    short = int(raw)
    return [1900 + short, 2000 + short]


def _readings(match: re.Match, *, either_order: bool) -> frozenset[datetime.date]:
    parts = match.groupdict()
    day = int(parts["d"])
    month = _MONTHS[parts["mn"].lower()] if parts.get("mn") else int(parts["m"])
    orders = [(month, day), (day, month)] if either_order else [(month, day)]
    readings = set()
    for year in _years(parts["y"]):
        for m, d in orders:
            with contextlib.suppress(ValueError):
                readings.add(datetime.date(year, m, d))
    return frozenset(readings)


def find_dates(text: str) -> list[DateFound]:
    """Every date written in one of the usual ways, with each date it could mean."""
    found: dict[tuple[int, int], DateFound] = {}
    for index, pattern in enumerate(_DATE_PATTERNS):
        for match in pattern.finditer(text):
            # 03/04/2015 is 3 April here, but a date of birth written the American way (4 March)
            # must not slip through.
            readings = _readings(match, either_order=index == 0)
            if readings:
                key = (match.start(), match.end())
                found.setdefault(key, DateFound(match.start(), match.end(), readings))
    return sorted(found.values(), key=lambda f: (f.start, -f.end))


def _labelled_as_birth(text: str, start: int) -> bool:
    return bool(_BIRTH_LABEL.search(text[max(0, start - 40) : start]))


# --- Patterns ----------------------------------------------------------------------------------

_NHS_NUMBER = re.compile(r"(?<![\d+])(?<!\d[ \-])(\d{3})([ \-]?)(\d{3})\2(\d{4})(?![ \-]?\d)")


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS modulus-11 check: weights 10 to 2 on the first nine digits; 11 minus the
    remainder is the check digit (11 counts as 0; 10 means the number cannot be valid)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# The postcode pattern of the UK Government Data Standards Catalogue (BS 7666), with GIR 0AA:
# outward code A9, A99, AA9, AA99, A9A or AA9A with the letters each position allows, then an
# optional space and the inward code 9AA.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# A UK number: +44 / 0044 (with an optional "(0)") or a leading 0, then digits in groups.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44[ \-]?(?:\(0\)[ \-]?)?|\(?0)"
    r"\d(?:[ \-]?\)?[ \-]?\d){8,9}(?![\w]|[ \-]?\d)"
)
_PHONE_NATIONAL = re.compile(r"0(?:7\d{9}|[12]\d{8,9}|3\d{9}|8\d{8,9}|9\d{9})")

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w\-])"
)


def phone_national_digits(text: str) -> str:
    """The number as dialled inside the UK: 0 and then 9 or 10 digits."""
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and text.lstrip().startswith("+"):
        digits = "0" + digits[2:]
    return digits


def _pattern_hits(text: str) -> list[tuple[int, str, str]]:
    hits = []
    for match in _NHS_NUMBER.finditer(text):
        if nhs_number_is_valid("".join(match.group(1, 3, 4))):
            hits.append((match.start(), match.group(), HitKind.NHS_NUMBER))
    for match in _POSTCODE.finditer(text):
        hits.append((match.start(), match.group(), HitKind.POSTCODE))
    for match in _PHONE.finditer(text):
        if _PHONE_NATIONAL.fullmatch(phone_national_digits(match.group())):
            hits.append((match.start(), match.group(), HitKind.PHONE_NUMBER))
    for match in _EMAIL.finditer(text):
        hits.append((match.start(), match.group(), HitKind.EMAIL_ADDRESS))
    return hits


# --- The sample's own details ------------------------------------------------------------------


@dataclass(repr=False)
class KnownDetails:
    """What the system holds for one audit's sample, ready to search for. Build it with
    `KnownDetails.for_audit` (or from plain values in `add`). Its repr gives counts only, so
    that no error report or debugger shows the details."""

    # normalised text -> pseudonyms, one dictionary per kind
    names: dict[str, set[str]] = field(default_factory=dict)
    name_tokens: dict[str, set[str]] = field(default_factory=dict)
    child_ids: dict[str, set[str]] = field(default_factory=dict)
    dates_of_birth: dict[datetime.date, set[str]] = field(default_factory=dict)
    _pseudonym_words: set[str] = field(default_factory=set, init=False)
    _patterns: tuple[re.Pattern | None, re.Pattern | None] | None = field(default=None, init=False)

    def __repr__(self) -> str:
        return (
            f"<KnownDetails: {len(self.names)} name forms, {len(self.name_tokens)} names alone, "
            f"{len(self.child_ids)} ids, {len(self.dates_of_birth)} dates of birth>"
        )

    @classmethod
    def for_audit(cls, audit) -> KnownDetails:
        """Every child ever in the audit's sample (a child swapped out is still a real child),
        with the identifying details not yet erased."""
        from caseaudit.audits.models import SampledCase

        details = cls()
        cases = (
            SampledCase.objects.filter(sample__audit=audit)
            .select_related("case")
            .only("pseudonym", "case__name", "case__date_of_birth", "case__child_id")
            .order_by("order")
        )
        rows = [
            (case.pseudonym, case.case.name, case.case.date_of_birth, case.case.child_id)
            for case in cases
        ]
        for pseudonym, *_ in rows:
            details._pseudonym_words.update(_squash(pseudonym).split())
        for pseudonym, name, date_of_birth, child_id in rows:
            details.add(pseudonym, name=name, date_of_birth=date_of_birth, child_id=child_id)
        return details

    def add(self, pseudonym: str, *, name: str = "", date_of_birth: str = "", child_id: str = ""):
        self._patterns = None
        folded = fold(name).casefold()
        if "," in folded:
            # "Surname, Forenames", as case systems often export names
            family, _, given = folded.partition(",")
        else:
            given, family = folded, ""
        given_names = [t for t in re.split(r"[\s,]+", given.strip(" .")) if t.strip(".")]
        family_names = [t for t in re.split(r"[\s,]+", family.strip(" .")) if t.strip(".")]
        if not family_names and len(given_names) >= 2:
            given_names, family_names = given_names[:-1], given_names[-1:]
        if given_names and family_names:
            first, last = given_names[0], family_names[-1]
            forms = [given_names + family_names, [first, last]]  # Marigold (Anne) Tenterden
            if family or self._distinctive(last):
                # Tenterden, Marigold (Anne); not for a surname that is a word ("for example,
                # Dee" is not "Dee Example")
                forms += [family_names + given_names, [last, first]]
            for form in forms:
                self.names.setdefault(" ".join(form), set()).add(pseudonym)
            ends = [first, last]
        else:
            ends = given_names + family_names
        for token in ends:
            if self._distinctive(token):
                self.name_tokens.setdefault(token, set()).add(pseudonym)
        key = _id_key(child_id)
        if len(key) >= MIN_CHILD_ID:
            self.child_ids.setdefault(key, set()).add(pseudonym)
        if date_of_birth:
            try:
                born = datetime.date.fromisoformat(date_of_birth)
            except ValueError:
                born = None
            if born:
                self.dates_of_birth.setdefault(born, set()).add(pseudonym)

    def _distinctive(self, token: str) -> bool:
        letters = re.sub(r"[^\w]", "", token)
        return (
            len(letters) >= MIN_NAME_TOKEN
            and not letters.isdigit()
            and token not in COMMON_WORDS
            and letters not in COMMON_WORDS
            and token not in self._pseudonym_words
        )

    def __bool__(self) -> bool:
        return bool(self.names or self.name_tokens or self.child_ids or self.dates_of_birth)

    def _compiled(self) -> tuple[re.Pattern | None, re.Pattern | None]:
        if self._patterns is None:
            words = [
                r",?[\s*_]+".join(re.escape(part) for part in form.split())
                for form in sorted({*self.names, *self.name_tokens}, key=len, reverse=True)
            ]
            names = (
                re.compile(rf"(?<!\w)(?<!\w-)(?:{'|'.join(words)})(?!\w|-\w)", re.IGNORECASE)
                if words
                else None
            )
            ids = [
                r"[\s\-_/.]?".join(re.escape(c) for c in key)
                for key in sorted(self.child_ids, key=len, reverse=True)
            ]
            child_ids = (
                re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(ids)})(?![A-Za-z0-9])", re.IGNORECASE)
                if ids
                else None
            )
            self._patterns = (names, child_ids)
        return self._patterns

    def hits(self, text: str, folded: str) -> list[tuple[int, str, str, str]]:
        names, child_ids = self._compiled()
        hits = []
        if names is not None:
            for match in names.finditer(folded):
                key = _squash(re.sub(r"[,*_]", " ", match.group()))
                cases = self.names.get(key) or self.name_tokens.get(key, set())
                start, end = match.span()
                hits.append((start, text[start:end], HitKind.NAME, _cases(cases)))
        if child_ids is not None:
            for match in child_ids.finditer(folded):
                cases = self.child_ids.get(_id_key(match.group()), set())
                hits.append(
                    (
                        match.start(),
                        text[match.start() : match.end()],
                        HitKind.CHILD_ID,
                        _cases(cases),
                    )
                )
        return hits


def _id_key(child_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", child_id or "").upper()


def _cases(pseudonyms: Iterable[str]) -> str:
    return ", ".join(sorted(pseudonyms))


# --- The check ---------------------------------------------------------------------------------


def find_identifying_details(
    texts: Iterable[tuple[str, str]],
    *,
    audit=None,
    file: str = "",
    known: KnownDetails | None = None,
) -> list[Hit]:
    """Every identifying detail in `texts`, (location, text) pairs, in the order found.

    With `audit`, the names, dates of birth and case-system ids of its sample are searched for
    as well as the patterns (`known` may be given instead, built once for many calls). A text
    whose location is "" is taken as a whole file: each hit's location is then its line
    ("line 3"). `file` is copied into every hit.
    """
    if known is None:
        known = KnownDetails.for_audit(audit) if audit is not None else KnownDetails()
    found: list[Hit] = []
    for location, text in texts:
        if not text:
            continue
        folded = fold(text)
        raw: list[tuple[int, str, str, str]] = []
        if known:
            raw.extend(known.hits(text, folded))
        for date in find_dates(folded):
            matched = text[date.start : date.end]
            pseudonyms = set()
            for reading in date.dates:
                pseudonyms |= known.dates_of_birth.get(reading, set())
            if pseudonyms:
                raw.append((date.start, matched, HitKind.DATE_OF_BIRTH, _cases(pseudonyms)))
            elif _labelled_as_birth(folded, date.start):
                raw.append((date.start, matched, HitKind.POSSIBLE_DATE_OF_BIRTH, ""))
        raw.extend(
            (start, text[start : start + len(m)], kind, "")
            for start, m, kind in _pattern_hits(folded)
        )
        for start, matched, kind, cases in _without_overlaps(raw):
            where = location or f"line {text.count(chr(10), 0, start) + 1}"
            found.append(Hit(start, matched, kind, where, file, cases))
    return found


def _without_overlaps(raw: list[tuple[int, str, str, str]]) -> list[tuple[int, str, str, str]]:
    """Sorted by position; a hit lying inside a longer one of the same kind is dropped ("Jasper"
    inside "Jasper Quillfeather"), and a date inside a known date of birth."""
    raw = sorted(set(raw), key=lambda h: (h[0], -len(h[1])))
    kept: list[tuple[int, str, str, str]] = []
    for hit in raw:
        start, end = hit[0], hit[0] + len(hit[1])
        if any(
            k[0] <= start and end <= k[0] + len(k[1]) and _same_family(k[2], hit[2]) for k in kept
        ):
            continue
        kept.append(hit)
    return kept


_DATE_KINDS = {HitKind.DATE_OF_BIRTH, HitKind.POSSIBLE_DATE_OF_BIRTH}


def _same_family(a: str, b: str) -> bool:
    return a == b or (a in _DATE_KINDS and b in _DATE_KINDS)


# --- Fingerprints (for accepted hits) ------------------------------------------------------------


def normalised_text(kind: str, text: str) -> str:
    """The text of a hit written one way, so that "SW1A 1AA" and "sw1a1aa" are one postcode."""
    if kind == HitKind.NHS_NUMBER:
        return re.sub(r"\D", "", text)
    if kind == HitKind.PHONE_NUMBER:
        return phone_national_digits(text)
    if kind in (HitKind.POSTCODE, HitKind.CHILD_ID):
        return _id_key(text)
    return _squash(text)


def hit_fingerprint(hit: Hit) -> str:
    """A keyed digest of the hit's kind, normalised text and location: the same detail in the
    same place gives the same fingerprint, and the stored fingerprint does not reveal it."""
    message = "\x1f".join([str(hit.kind), normalised_text(hit.kind, hit.text), hit.location])
    return salted_hmac("caseaudit.publications.privacy", message, algorithm="sha256").hexdigest()
