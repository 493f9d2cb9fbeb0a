"""Gunicorn, started in-process: the production WSGI server behind ``talentflow serve``."""

from __future__ import annotations

import multiprocessing

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from talentflow.wsgi import application

        return application


def default_workers() -> int:
    return min(4, multiprocessing.cpu_count() * 2 + 1)


def serve(*, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None) -> None:
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers or default_workers(),
            "timeout": 120,
            "accesslog": "-",
            "errorlog": "-",
            "forwarded_allow_ips": "127.0.0.1",
            "proc_name": "talentflow",
        }
    ).run()
