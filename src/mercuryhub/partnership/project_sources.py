"""Projects as a source of the matching engine: a need is offered the published projects that
dealt with its wastes, in its country, or whose texts hold its words, each with its reasons."""

from django.utils.translation import gettext as _

from mercuryhub.exchange.matching import Source, Tagging
from mercuryhub.partnership.models import Project


def _published():
    return Project.objects.filter(published=True)


PROJECTS = Source(
    "project",
    Project,
    _published,
    taggings=(Tagging("waste_categories", "waste_categories", lambda: _("project on %(term)s")),),
    countries_served="countries",
    served_reason=lambda: _("a project in %(country)s"),
    served_regions=True,
)
