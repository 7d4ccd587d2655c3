from django.core.management.base import BaseCommand

from mercuryhub.forms.builtin_forms import write_builtin_xlsforms


class Command(BaseCommand):
    help = (
        "Write the built-in XLSForms (the WMA needs questionnaire, the ASGM mining-site "
        "baseline) from forms/builtin_forms.py into forms/data/builtin/, to be committed."
    )

    def handle(self, *args, **options):
        for path in write_builtin_xlsforms():
            self.stdout.write(f"Written {path}")
