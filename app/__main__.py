"""`python -m app`: the desktop window where there is a display, else the web app.

python -m app                          desktop window (web server on a headless machine)
python -m app --web --port 8550        serve to a browser, fully offline (no CDN)
python -m app --server http://127.0.0.1:8000   pre-fill the backend address (the demo does)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

import flet as ft

from app.main import AppConfig, make_main

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Duka point of sale")
    parser.add_argument("--web", action="store_true", help="serve the app to a browser")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (web)")
    parser.add_argument("--port", type=int, default=8550, help="port to serve on (web)")
    parser.add_argument("--server", default="", help="backend address shown on sign-in")
    parser.add_argument("--language", choices=["en", "sw"], default="", help="start language")
    parser.add_argument(
        "--no-remember",
        action="store_true",
        help="keep the session in memory only (kiosks, tests)",
    )
    return parser


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    # Warnings and errors (an exception in a handler, a lost stream) reach the console; view-models
    # never log secrets, and the backend client masks them.
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = AppConfig(server=args.server, language=args.language, remember=not args.no_remember)
    web = args.web or not _has_display()
    if web:
        # Say where to look: on a headless machine this is the only sign the app is up.
        print(f"Duka is serving on http://{args.host}:{args.port}", flush=True)
    ft.run(
        make_main(config),
        view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
        host=args.host if web else None,
        port=args.port if web else 0,
        assets_dir=ASSETS,
        no_cdn=True,
    )


if __name__ == "__main__":
    main()
