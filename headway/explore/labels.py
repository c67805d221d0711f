"""The words people see for the aggregate table's codes: groups, metrics, subjects, grades."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from headway.data.core.aggregates import ALL

GROUP_TYPES: dict[str, Promise] = {
    ALL: _("All students"),
    "race_ethnicity": _("Race and ethnicity"),
    "sex": _("Sex"),
    "econ_disadvantaged": _("Economically disadvantaged"),
    "disability": _("Students with disabilities"),
    "english_learner": _("English learners"),
    "homeless": _("Homeless"),
    "foster_care": _("Foster care"),
    "military_connected": _("Military-connected"),
    "migrant": _("Migrant"),
    "gifted": _("Gifted and talented"),
    "combo": _("Combined groups"),
}

# (in the group, not in the group) for the yes/no student groups
FLAG_VALUES: dict[str, tuple[Promise, Promise]] = {
    "econ_disadvantaged": (_("Economically disadvantaged"), _("Not economically disadvantaged")),
    "disability": (_("Students with disabilities"), _("Students without disabilities")),
    "english_learner": (_("English learners"), _("Not English learners")),
    "homeless": (_("Homeless"), _("Not homeless")),
    "foster_care": (_("In foster care"), _("Not in foster care")),
    "military_connected": (_("Military-connected"), _("Not military-connected")),
    "migrant": (_("Migrant"), _("Not migrant")),
    "gifted": (_("Gifted and talented"), _("Not gifted and talented")),
}

VALUES: dict[str, dict[str, Promise]] = {
    "race_ethnicity": {
        "HI": _("Hispanic or Latino"),
        "AM": _("American Indian or Alaska Native"),
        "AS": _("Asian"),
        "BL": _("Black or African American"),
        "PI": _("Native Hawaiian or Other Pacific Islander"),
        "WH": _("White"),
        "MU": _("Two or more races"),
    },
    "sex": {"F": _("Female"), "M": _("Male"), "X": _("Another sex or nonbinary")},
}

METRICS: dict[str, Promise] = {
    "proficiency_rate": _("Proficient"),
    "mean_scale_score": _("Average scale score"),
    "participation_rate": _("Tested"),
    "chronic_absence_rate": _("Chronically absent"),
    "suspension_rate": _("Suspended at least once"),
}
ASSESSMENT_METRICS = ("proficiency_rate", "mean_scale_score", "participation_rate")
LEVEL_PREFIX = "level_share:"

SUBJECTS: dict[str, Promise] = {
    "ela": _("English language arts"),
    "math": _("Mathematics"),
    "science": _("Science"),
    "social_studies": _("Social studies"),
    "other": _("Other subjects"),
    ALL: _("All subjects"),
}


def group(group_type: str, value: str) -> str:
    """A student group's name, e.g. ("english_learner", "false") → "Not English learners"."""
    if group_type == ALL:
        return str(GROUP_TYPES[ALL])
    if group_type in FLAG_VALUES:
        yes, no = FLAG_VALUES[group_type]
        return str(yes if value == "true" else no)
    return str(VALUES.get(group_type, {}).get(value, value))


def grade(code: str) -> str:
    if code == ALL:
        return str(_("All grades"))
    if code == "KG":
        return str(_("Kindergarten"))
    if code.isdigit():
        return str(_("Grade %(g)s") % {"g": int(code)})
    return code


def subject(code: str) -> str:
    return str(SUBJECTS.get(code, code))


def metric(code: str) -> str:
    if code.startswith(LEVEL_PREFIX):
        return code.removeprefix(LEVEL_PREFIX)
    return str(METRICS.get(code, code))
