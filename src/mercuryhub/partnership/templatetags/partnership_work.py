"""``{% group_work group as work %}``: a working group's workplans and review reports as the
reader may see them, for the group's page (``partnership/_group_work.html``)."""

from django import template

from mercuryhub.accounts.queries import is_reviewer, organizations_editable_by
from mercuryhub.partnership.work_queries import group_work as read_group_work
from mercuryhub.partnership.work_queries import leading_organizations

register = template.Library()


@register.simple_tag(takes_context=True)
def group_work(context, group):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    work = read_group_work(user, group)
    work["may_draft"] = user.is_authenticated and (
        is_reviewer(user)
        or organizations_editable_by(user).filter(pk__in=leading_organizations(group)).exists()
    )
    return work


@register.filter
def group_url(group) -> str:
    """The group's page; "" until the working groups' pages are served."""
    from django.urls import NoReverseMatch

    try:
        return group.get_absolute_url()
    except NoReverseMatch:
        return ""
