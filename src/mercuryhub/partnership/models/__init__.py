"""The Partnership's models, one module per part: working groups and their work
(``groups``), events (``events``), projects (``projects``) and the partners' digest
(``digests``)."""

from mercuryhub.partnership.models.digests import DigestPreference, PartnerDigest
from mercuryhub.partnership.models.events import Event, Registration
from mercuryhub.partnership.models.groups import (
    Endorsement,
    GroupMembership,
    Leadership,
    ReviewReport,
    WorkingGroup,
    Workplan,
    WorkplanActivity,
)
from mercuryhub.partnership.models.projects import Project

__all__ = [
    "DigestPreference",
    "Endorsement",
    "Event",
    "GroupMembership",
    "Leadership",
    "PartnerDigest",
    "Project",
    "Registration",
    "ReviewReport",
    "Workplan",
    "WorkplanActivity",
    "WorkingGroup",
]
