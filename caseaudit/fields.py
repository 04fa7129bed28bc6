from django.db import models

from caseaudit.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database and clear in Python. Cannot be searched or ordered
    on; use a derived, non-identifying field (or crypto.child_key) for that."""

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else ""
