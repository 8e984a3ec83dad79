"""What the forms of every subdomain share: a text field that keeps line endings plain, and a
form's errors in one line."""

from django import forms


def errors_text(form: forms.Form) -> str:
    """Every error of a form in one line, for a message where the form is not shown again."""
    return " ".join(error for errors in form.errors.values() for error in errors)


class TextField(forms.CharField):
    """Keeps the text as typed, but with the line endings browsers send (CRLF) made plain,
    so that a save changes only what the person changed."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")
