"""What the OneRoster 1.1 and 1.2(.1) CSV bindings require, as data (standards §2.1).

Column lists are the exact headers in order; a trailing ``*`` marks a column that must not be
blank. 1.2 is the 1.2.1 binding (docs/oneroster-1.2.1-tables.json); 1.1 differs in categories,
lineItems, results and users (standards §2.1.3).
"""

from __future__ import annotations

from dataclasses import dataclass

VERSIONS = ("1.1", "1.2")
MODES = ("absent", "bulk", "delta")
STATUSES = ("active", "tobedeleted")
ID_PATTERN = r"^[0-9A-Za-z._/@-]{1,255}$"  # GUID: < 256 characters from this set (rule 11)
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$"

_SHARED = {
    "academicSessions": "sourcedId* status dateLastModified title* type* startDate* endDate* "
    "parentSourcedId schoolYear*",
    "classes": "sourcedId* status dateLastModified title* grades courseSourcedId* classCode "
    "classType* location schoolSourcedId* termSourcedIds* subjects subjectCodes periods",
    "classResources": "sourcedId* status dateLastModified title classSourcedId* resourceSourcedId*",
    "courses": "sourcedId* status dateLastModified schoolYearSourcedId title* courseCode grades "
    "orgSourcedId* subjects subjectCodes",
    "courseResources": "sourcedId* status dateLastModified title courseSourcedId* "
    "resourceSourcedId*",
    "demographics": "sourcedId* status dateLastModified birthDate sex americanIndianOrAlaskaNative "
    "asian blackOrAfricanAmerican nativeHawaiianOrOtherPacificIslander white "
    "demographicRaceTwoOrMoreRaces hispanicOrLatinoEthnicity countryOfBirthCode "
    "stateOfBirthAbbreviation cityOfBirth publicSchoolResidenceStatus",
    "enrollments": "sourcedId* status dateLastModified classSourcedId* schoolSourcedId* "
    "userSourcedId* role* primary beginDate endDate",
    "orgs": "sourcedId* status dateLastModified name* type* identifier parentSourcedId",
    "resources": "sourcedId* status dateLastModified vendorResourceId* title roles importance "
    "vendorId applicationId",
}

_V11 = {
    **_SHARED,
    "categories": "sourcedId* status dateLastModified title*",
    "lineItems": "sourcedId* status dateLastModified title* description assignDate* dueDate* "
    "classSourcedId* categorySourcedId* gradingPeriodSourcedId* resultValueMin* resultValueMax*",
    "results": "sourcedId* status dateLastModified lineItemSourcedId* studentSourcedId* "
    "scoreStatus* score* scoreDate* comment",
    "users": "sourcedId* status dateLastModified enabledUser* orgSourcedIds* role* username* "
    "userIds givenName* familyName* middleName identifier email sms phone agentSourcedIds "
    "grades password",
}

_V12 = {
    **_SHARED,
    "categories": "sourcedId* status dateLastModified title* weight",
    "lineItemLearningObjectiveIds": "sourcedId* status dateLastModified lineItemSourcedId* "
    "source* learningObjectiveId*",
    "lineItems": "sourcedId* status dateLastModified title* description assignDate* dueDate* "
    "classSourcedId* categorySourcedId* academicSessionSourcedId* resultValueMin "
    "resultValueMax schoolSourcedId*",
    "lineItemScoreScales": "sourcedId* status dateLastModified title lineItemSourcedId* "
    "scoreScaleSourcedId*",
    "resultLearningObjectiveIds": "sourcedId* status dateLastModified resultSourcedId* source* "
    "learningObjectiveId* score textScore",
    "results": "sourcedId* status dateLastModified lineItemSourcedId* studentSourcedId* "
    "scoreStatus* score scoreDate* comment textScore classSourcedId inProgress incomplete "
    "late missing",
    "resultScoreScales": "sourcedId* status dateLastModified title resultSourcedId* "
    "scoreScaleSourcedId*",
    "roles": "sourcedId* status dateLastModified userSourcedId* roleType* role* beginDate "
    "endDate orgSourcedId* userProfileSourcedId",
    "scoreScales": "sourcedId* status dateLastModified title* type* orgSourcedId* "
    "courseSourcedId* classSourcedId* scoreScaleValue*",
    "userProfiles": "sourcedId* status dateLastModified userSourcedId* profileType* vendorId* "
    "applicationId description credentialType* username* password",
    "userResources": "sourcedId* status dateLastModified userSourcedId* orgSourcedId "
    "classSourcedId resourceSourcedId*",
    "users": "sourcedId* status dateLastModified enabledUser* username* userIds givenName* "
    "familyName* middleName identifier email sms phone agentSourcedIds grades password "
    "userMasterIdentifier preferredGivenName preferredMiddleName preferredFamilyName "
    "primaryOrgSourcedId pronouns",
}


def _columns(spec: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {file: tuple(c.rstrip("*") for c in cols.split()) for file, cols in sorted(spec.items())}


def _required(spec: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {
        file: tuple(c[:-1] for c in cols.split() if c.endswith("*")) for file, cols in spec.items()
    }


# version -> file stem -> exact header, in order; the file stems are the version's data files
COLUMNS = {"1.1": _columns(_V11), "1.2": _columns(_V12)}
REQUIRED = {"1.1": _required(_V11), "1.2": _required(_V12)}


@dataclass(frozen=True)
class Vocabulary:
    """An enumerated column: its values, whether ``ext:`` extensions are allowed, and values
    accepted with a warning (from another OneRoster version)."""

    label: str
    values: tuple[str, ...]
    extensible: bool = True
    tolerated: tuple[str, ...] = ()


BOOLEAN = Vocabulary("true/false value", ("true", "false"), extensible=False)
RACE_COLUMNS = (
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
)
ORG_TYPES = Vocabulary(
    "org type", ("department", "school", "district", "local", "state", "national")
)
_COMMON = {
    ("orgs", "type"): ORG_TYPES,
    ("enrollments", "role"): Vocabulary(
        "enrollment role", ("administrator", "proctor", "student", "teacher")
    ),
    ("academicSessions", "type"): Vocabulary(
        "academic session type", ("gradingPeriod", "semester", "schoolYear", "term")
    ),
    **{
        ("demographics", c): BOOLEAN
        for c in (*RACE_COLUMNS, "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity")
    },
}
VOCABULARIES: dict[str, dict[tuple[str, str], Vocabulary]] = {
    "1.1": {
        **_COMMON,
        ("users", "role"): Vocabulary(
            "user role",
            (
                "administrator",
                "aide",
                "guardian",
                "parent",
                "proctor",
                "relative",
                "student",
                "teacher",
            ),
        ),
        ("demographics", "sex"): Vocabulary(
            "sex (OneRoster 1.1)", ("male", "female"), tolerated=("other", "unspecified")
        ),
    },
    "1.2": {
        **_COMMON,
        ("roles", "role"): Vocabulary(
            "role",
            (
                "aide",
                "counselor",
                "districtAdministrator",
                "guardian",
                "parent",
                "principal",
                "proctor",
                "relative",
                "siteAdministrator",
                "student",
                "systemAdministrator",
                "teacher",
            ),
        ),
        ("roles", "roleType"): Vocabulary("role type", ("primary", "secondary"), extensible=False),
        ("demographics", "sex"): Vocabulary("sex", ("male", "female", "unspecified", "other")),
    },
}
STATUS = Vocabulary(
    "status", STATUSES, extensible=False, tolerated=("inactive",)
)  # OneRoster 1.0's "inactive" is still sent by old feeds (rule 14)


@dataclass(frozen=True)
class Reference:
    """A column holding sourcedIds of another file (standards §2.1.2)."""

    file: str
    column: str
    target: str
    many: bool = False  # a comma-separated list
    versions: tuple[str, ...] = VERSIONS


_ONLY_11 = ("1.1",)
_ONLY_12 = ("1.2",)
REFERENCES = (
    Reference("orgs", "parentSourcedId", "orgs"),
    Reference("academicSessions", "parentSourcedId", "academicSessions"),
    Reference("courses", "schoolYearSourcedId", "academicSessions"),
    Reference("courses", "orgSourcedId", "orgs"),
    Reference("classes", "courseSourcedId", "courses"),
    Reference("classes", "schoolSourcedId", "orgs"),
    Reference("classes", "termSourcedIds", "academicSessions", many=True),
    Reference("enrollments", "classSourcedId", "classes"),
    Reference("enrollments", "schoolSourcedId", "orgs"),
    Reference("enrollments", "userSourcedId", "users"),
    Reference("users", "orgSourcedIds", "orgs", many=True, versions=_ONLY_11),
    Reference("users", "primaryOrgSourcedId", "orgs", versions=_ONLY_12),
    Reference("users", "agentSourcedIds", "users", many=True),
    Reference("roles", "userSourcedId", "users", versions=_ONLY_12),
    Reference("roles", "orgSourcedId", "orgs", versions=_ONLY_12),
    Reference("roles", "userProfileSourcedId", "userProfiles", versions=_ONLY_12),
    Reference("userProfiles", "userSourcedId", "users", versions=_ONLY_12),
    Reference("demographics", "sourcedId", "users"),
    Reference("lineItems", "classSourcedId", "classes"),
    Reference("lineItems", "categorySourcedId", "categories"),
    Reference("lineItems", "gradingPeriodSourcedId", "academicSessions", versions=_ONLY_11),
    Reference("lineItems", "academicSessionSourcedId", "academicSessions", versions=_ONLY_12),
    Reference("lineItems", "schoolSourcedId", "orgs", versions=_ONLY_12),
    Reference("results", "lineItemSourcedId", "lineItems"),
    Reference("results", "studentSourcedId", "users"),
    Reference("results", "classSourcedId", "classes", versions=_ONLY_12),
    Reference("classResources", "classSourcedId", "classes"),
    Reference("classResources", "resourceSourcedId", "resources"),
    Reference("courseResources", "courseSourcedId", "courses"),
    Reference("courseResources", "resourceSourcedId", "resources"),
    Reference("userResources", "userSourcedId", "users", versions=_ONLY_12),
    Reference("userResources", "orgSourcedId", "orgs", versions=_ONLY_12),
    Reference("userResources", "classSourcedId", "classes", versions=_ONLY_12),
    Reference("userResources", "resourceSourcedId", "resources", versions=_ONLY_12),
    Reference("scoreScales", "orgSourcedId", "orgs", versions=_ONLY_12),
    Reference("scoreScales", "courseSourcedId", "courses", versions=_ONLY_12),
    Reference("scoreScales", "classSourcedId", "classes", versions=_ONLY_12),
    Reference("lineItemScoreScales", "lineItemSourcedId", "lineItems", versions=_ONLY_12),
    Reference("lineItemScoreScales", "scoreScaleSourcedId", "scoreScales", versions=_ONLY_12),
    Reference("resultScoreScales", "resultSourcedId", "results", versions=_ONLY_12),
    Reference("resultScoreScales", "scoreScaleSourcedId", "scoreScales", versions=_ONLY_12),
    Reference("lineItemLearningObjectiveIds", "lineItemSourcedId", "lineItems", versions=_ONLY_12),
    Reference("resultLearningObjectiveIds", "resultSourcedId", "results", versions=_ONLY_12),
)
