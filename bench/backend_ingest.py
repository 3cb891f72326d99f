"""Benchmark the backend's callback ingest: sustained STK callbacks/s, zero loss, zero doubles.

Seeds N pending STK payments, then fires their callbacks (plus a share of exact duplicates, as
Daraja may send) over keep-alive connections at a backend subprocess, on SQLite and, when the
server is reachable, PostgreSQL. Afterwards it checks every payment is paid exactly once and the
day's takings equal N x amount. Prints JSON; never fails on time.

    python bench/backend_ingest.py [--callbacks 3000] [--connections 32] [--duplicates 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from backend_support import (
    PG_URL,
    SECRET,
    RawHttp,
    backend_env,
    free_port,
    login,
    prepare,
    running_backend,
    seed_pending,
    stk_callback,
)


async def fire(port: int, bodies: list[bytes], connections: int) -> tuple[float, int]:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    failures = 0

    async def worker() -> None:
        nonlocal failures
        http = await RawHttp(port).open()
        try:
            while not queue.empty():
                body = queue.get_nowait()
                if await http.post(f"/callbacks/{SECRET}/stk", body) != 200:
                    failures += 1
        finally:
            await http.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return time.perf_counter() - started, failures


def takings(url: str, token: str) -> dict[str, Any]:
    import urllib.request  # noqa: PLC0415

    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{url}/v1/takings", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
        return json.loads(answer.read())


def run_one(database: str, url_for_db: str, schema: str | None, args: argparse.Namespace) -> dict:
    prepare(url_for_db, schema)
    ids = asyncio.run(seed_pending(url_for_db, args.callbacks, schema, amount=10))
    bodies = [stk_callback(c, f"R{i:09d}") for i, c in enumerate(ids)]
    dupes = random.Random(1).sample(bodies, int(len(bodies) * args.duplicates))
    load = bodies + dupes
    random.Random(2).shuffle(load)
    port = free_port()
    with running_backend(backend_env(url_for_db, port, schema), port) as url:
        token = login(url)
        seconds, failures = asyncio.run(fire(port, load, args.connections))
        day = takings(url, token)
    return {
        "database": database,
        "callbacks_sent": len(load),
        "unique_payments": len(bodies),
        "duplicates_sent": len(dupes),
        "seconds": round(seconds, 3),
        "callbacks_per_s": round(len(load) / seconds, 1),
        "non_200_answers": failures,
        "takings_total": day["total"],
        "takings_expected": 10 * len(bodies),
        "paid_count": day["count"],
        "lost": len(bodies) - day["count"] if day["count"] <= len(bodies) else 0,
        "double_counted": max(0, day["count"] - len(bodies)),
        "connections": args.connections,
    }


async def make_schema() -> str | None:
    import asyncpg  # noqa: PLC0415

    try:
        conn = await asyncpg.connect(PG_URL.replace("+asyncpg", ""), timeout=3)
    except (OSError, asyncpg.PostgresError):
        return None
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    await conn.close()
    return schema


async def drop_schema(schema: str) -> None:
    import asyncpg  # noqa: PLC0415

    conn = await asyncpg.connect(PG_URL.replace("+asyncpg", ""))
    await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--callbacks", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duplicates", type=float, default=0.1)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        results.append(run_one("sqlite", url, None, args))
    if not args.skip_postgres:
        schema = asyncio.run(make_schema())
        if schema is None:
            results.append({"database": "postgresql", "skipped": "server not reachable"})
        else:
            try:
                results.append(run_one("postgresql", PG_URL, schema, args))
            finally:
                asyncio.run(drop_schema(schema))
    print(json.dumps({"benchmark": "backend_callback_ingest", "results": results}, indent=2))


if __name__ == "__main__":
    main()
