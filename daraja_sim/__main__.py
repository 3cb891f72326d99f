"""`python -m daraja_sim`: run the simulator and print where its pages are."""

from __future__ import annotations

import argparse

import uvicorn

from daraja_sim.app import create_app
from daraja_sim.config import SimConfig
from daraja_sim.customers import SCRIPTED


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line (defaults are SimConfig's documented ones)."""
    defaults = SimConfig()
    parser = argparse.ArgumentParser(prog="python -m daraja_sim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--consumer-key", default=defaults.consumer_key)
    parser.add_argument("--consumer-secret", default=defaults.consumer_secret)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--callback-delay", type=float, default=defaults.callback_delay_seconds, metavar="SECONDS"
    )
    parser.add_argument(
        "--prompt-timeout", type=float, default=defaults.prompt_timeout_seconds, metavar="SECONDS"
    )
    parser.add_argument("--public-name", default=defaults.public_name)
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Start the simulator on `--host:--port` and block until interrupted."""
    args = parse_args(argv)
    config = SimConfig(
        consumer_key=args.consumer_key,
        consumer_secret=args.consumer_secret,
        seed=args.seed,
        callback_delay_seconds=args.callback_delay,
        prompt_timeout_seconds=args.prompt_timeout,
        public_name=args.public_name,
    )
    base = f"http://{args.host}:{args.port}"
    print(f"Daraja simulator on {base}  (consumer key {config.consumer_key!r})", flush=True)
    print(f"  customer phones:  {base}/phone  (e.g. {base}/phone/254712345678)", flush=True)
    print(f"  control API docs: {base}/__sim__/", flush=True)
    print(f"  initiator cert:   {base}/__sim__/cert.pem", flush=True)
    print(f"  scripted test numbers: {', '.join(sorted(SCRIPTED))}", flush=True)
    uvicorn.run(
        create_app(config),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        http="httptools",
        loop="uvloop",
    )


if __name__ == "__main__":
    main()
