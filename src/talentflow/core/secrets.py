"""Secrets generated on first use and kept in the data directory.

A fresh checkout must run without configuration, yet a restart must not invalidate sessions or
make encrypted identity numbers unreadable. So when the environment gives no key, one is made
once, written atomically with owner-only permissions, and read back on every later start.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path


class FileSecrets:
    FILE_NAME = "secrets.json"

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / self.FILE_NAME

    @staticmethod
    def django_key() -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*(-_=+)"
        return "".join(secrets.choice(alphabet) for _ in range(64))

    @staticmethod
    def fernet_key() -> str:
        from cryptography.fernet import Fernet

        return Fernet.generate_key().decode("ascii")

    def _read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get(self, name: str, make: Callable[[], str]) -> str:
        values = self._read()
        if name in values:
            return values[name]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Server workers start together; the lock makes exactly one of them create each key.
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            values = self._read()
            if name not in values:
                values[name] = make()
                self._write(values)
            return values[name]

    def _write(self, values: dict[str, str]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".secrets-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(values, handle, indent=2)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
