"""What the Partnership's parts register with the layers below them, called once from
``PartnershipConfig.ready``: its kinds of entry with the review layer's registry (workplans,
review reports, events, projects) and its sources with the matching engine. Each part adds its
own line here."""


def register_all():
    from mercuryhub.partnership import work_registrations

    work_registrations.register()
