"""The users of the load benchmark (benchmarks/load.py), for locust: the counter's day in one
mix. Each simulated user sends its next request as soon as the previous one is answered (no
pause: 50 users are 50 requests always in flight, which measures what the server can do),
picking:

- deposit (3): a clerk deposits a form through the API (`POST /api/v1/forms`, bearer token);
- queue (3): a validator opens the validation queue of the annex (`GET /forms/`, logged in);
- dashboard (2): a supervisor opens the dashboard of the province (`GET /`, logged in);
- status (2): a citizen looks a file up (`GET /api/v1/status/RECEIPT?id=CIN`, no login),
  from an address of its own that the reverse proxy names in X-Forwarded-For.

What it needs (tokens, session cookies, receipts) is prepared by load.py and read from the
JSON file named by SIJILL_LOAD_PLAN. Sessions are shared by the users of a role: a login
costs a password hash, which is not what is measured.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["SIJILL_LOAD_PLAN"]).read_text())


def _cookies(role: str) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in PLAN["cookies"][role].items())}


class CounterDay(FastHttpUser):
    wait_time = constant(0)

    @task(3)
    def deposit(self) -> None:
        clerk = random.choice(PLAN["clerks"])
        body = {"kind": "other", "annex_code": clerk["annex"], "payload": {}}
        headers = {"Authorization": f"Bearer {clerk['token']}"}
        self.client.post("/api/v1/forms", json=body, headers=headers, name="deposit")

    @task(3)
    def queue(self) -> None:
        self.client.get("/forms/", headers=_cookies("validator"), name="queue")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/", headers=_cookies("supervisor"), name="dashboard")

    @task(2)
    def status(self) -> None:
        receipt, citizen = random.choice(PLAN["lookups"])
        # The reverse proxy names the citizen's address (SIJILL_PROXIES=1): one of 16 million.
        where = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"
        headers = {"X-Forwarded-For": where}
        self.client.get(f"/api/v1/status/{receipt}?id={citizen}", headers=headers, name="status")
