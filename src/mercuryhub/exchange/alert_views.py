"""A partner's alert: which new needs reach them by e-mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mercuryhub.exchange import actions, queries
from mercuryhub.exchange.models import NeedAlert
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.taxonomy.queries import regions, term_tree

_LEGENDS = {
    "waste_categories": gettext_lazy("Waste categories"),
    "phases": gettext_lazy("Management phases"),
}


@login_required
def need_alerts(request):
    if not request.user.memberships.exists():
        raise PermissionDenied(_("Alerts are for partners."))
    alert = NeedAlert.objects.filter(user=request.user).first()
    errors, status = {}, 200
    if request.method == "POST":
        if request.POST.get("stop"):
            actions.do_delete_need_alert(request.user)
            messages.success(request, _("Your alerts are stopped."))
            return redirect("exchange-alerts")
        chosen = {name: request.POST.getlist(name) for name in (*_LEGENDS, "regions")}
        try:
            actions.do_save_need_alert(request.user, chosen)
        except InvalidInputError as error:
            errors, status = error.errors, 400
        else:
            messages.success(
                request, _("Your alert is saved: new needs that fit it will reach you by e-mail.")
            )
            return redirect("exchange-alerts")
    elif alert is not None:
        chosen = {
            "waste_categories": [t.code for t in alert.waste_categories.all()],
            "phases": [t.code for t in alert.phases.all()],
            "regions": alert.regions,
        }
    else:
        chosen = queries.alert_suggestion(request.user)
    vocabularies = {"waste_categories": "waste_categories", "phases": "management_phases"}
    return render(
        request,
        "exchange/alerts.html",
        {
            "alert": alert,
            "errors": errors,
            "term_groups": [
                {
                    "name": name,
                    "legend": legend,
                    "terms": [
                        (term, depth, term.code in chosen[name])
                        for term, depth in term_tree(vocabularies[name])
                    ],
                }
                for name, legend in _LEGENDS.items()
            ],
            "regions": [
                (name, name in chosen["regions"])
                for region in regions()
                for name in (region["name"], *region["subregions"])
            ],
        },
        status=status,
    )
