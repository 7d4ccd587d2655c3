"""Read the text of the library's files left waiting or half-read, when the process that was
reading them in the background stopped (a restart during an upload)."""

from django.core.management.base import BaseCommand

from mercuryhub.library.actions import do_extract_waiting_documents


class Command(BaseCommand):
    help = "Read the text of uploaded library files still waiting to be read."

    def handle(self, *args, **options):
        count = do_extract_waiting_documents(
            progress=lambda done: self.stdout.write(f"{done} read")
        )
        self.stdout.write(self.style.SUCCESS(f"{count} files read"))
