"""Field encryption: keyring, envelope keys per data subject, encrypted column type, blind indexes."""

from caseapp.crypto.envelope import DecryptionError
from caseapp.crypto.keyring import Keyring, KeyringError

__all__ = ["DecryptionError", "Keyring", "KeyringError"]
