"""A publication-day read spike: anonymous visitors on the public pages, the API and the open
data CSV. Driven by bench/capacity.py against a server on this machine's loopback only."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
CODES: list[str] = PLAN["pemda_codes"]
YEAR: int = PLAN["year"]
THINK = [float(x) for x in os.environ.get("LOAD_THINK", "2,8").split(",")]


# geventhttpclient's client, not requests': the load generator shares the server's two cores, and
# with requests' client 100 visitors arriving a second kept locust's one process busy enough to
# add a third of a second to the answers it timed while the server's own log showed 5 to 30 ms.
class Visitor(FastHttpUser):
    # Someone reading the news of the publication: a page, a look, the next page.
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        self.rng = random.Random()

    @task(3)
    def front_door(self) -> None:
        self.client.get("/", name="front door")

    @task(4)
    def ranking(self) -> None:
        self.client.get(f"/publik/mcp/{YEAR}/", name="national ranking")

    @task(4)
    def pemda(self) -> None:
        self.client.get(f"/publik/pemda/{self.rng.choice(CODES)}/", name="Pemda page")

    @task(2)
    def profile(self) -> None:
        self.client.get(f"/publik/pemda/{self.rng.choice(CODES)}/profil/", name="profile")

    @task(2)
    def api(self) -> None:
        self.client.get(f"/api/v1/scores/{YEAR}/", name="API scores")

    @task(1)
    def api_profiles(self) -> None:
        self.client.get("/api/v1/profiles/", name="API profiles")

    @task(1)
    def csv(self) -> None:
        self.client.get(f"/publik/mcp/{YEAR}/peringkat.csv", name="ranking CSV")
