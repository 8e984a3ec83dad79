"""A file e-mail backend that takes its time, so that a test can stop a worker mid-batch."""

import time

from django.core.mail.backends.filebased import EmailBackend


class Backend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(0.15)
        return super().send_messages(email_messages)
