from django.core.management.base import BaseCommand

from groups import demo as groups_demo
from public import pdfs
from recommendations import demo as recommendations_demo
from timeline import demo as timeline_demo


class Command(BaseCommand):
    help = (
        "Load the reference case (the Wikimedia movement strategy process 2018-20) and "
        "fictional demo accounts for every role. Safe to run again."
    )

    def handle(self, *args, **options):
        # The iterations' PDFs are checked once each at the end, ready when the demo starts,
        # not once for every publication the demo makes.
        with pdfs.checks_deferred():
            accounts = groups_demo.load()
            recommendations_demo.load()
            timeline_demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        width = max(len(username) for username, _, _ in accounts)
        for username, password, what in accounts:
            self.stdout.write(f"  {username.ljust(width)}  password: {password}  ({what})")
        self.stdout.write(
            "Sign in by user name or e-mail address (<name>@example.org). To try joining, "
            "open /accounts/signup/: the verification e-mail, with its link, is printed here."
        )
