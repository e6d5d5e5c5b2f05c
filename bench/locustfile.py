"""A deadline surge: operators save answers and upload 1-5 MB evidence while verifiers work the
queue. Driven by bench/loadtest.py against a server on this machine's loopback only."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
ACKED = Path(os.environ["LOAD_ACKED"])
# Where acknowledged answers are listed too, when a fault scenario (faults/run.py) checks them.
ACKED_ANSWERS = os.environ.get("LOAD_ACKED_ANSWERS", "")
THINK = [float(x) for x in os.environ.get("LOAD_THINK", "5,15").split(",")]
_operators = iter(PLAN["operators"])
_verifiers = iter(PLAN["verifiers"] * 50)


def pdf_of(size: int, rng: random.Random) -> bytes:
    """A valid PDF of about `size` bytes: hex comment lines carry the bulk."""
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    line = (rng.randbytes(48).hex() + "\n").encode()
    body = b"% " + line * (size // (len(line) + 2))
    return head + body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


class SignedIn(HttpUser):
    abstract = True
    # A person reads the page, finds the file, types the value: seconds between actions, not
    # the sub-second loop of a script.
    wait_time = between(THINK[0], THINK[1])
    account: dict[str, Any]

    def sign_in(self) -> None:
        """Takes the session bench/loadtest.py opened for this account (people sign in before
        the surge; the surge measures their work)."""
        self.client.cookies.set("sessionid", self.account["session"])

    def csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken") or "")


class Operator(SignedIn):
    weight = 9

    def on_start(self) -> None:
        self.account = next(_operators)
        self.rng = random.Random(self.account["email"])
        self.versions: dict[int, int] = {}
        self.sign_in()
        self.work_page()  # also gives the CSRF cookie the posts need

    @task(3)
    def work_page(self) -> None:
        self.client.get("/mcp/lapor/", name="work page")

    def open_item(self, sub: int) -> None:
        """Opens an item on the work page (its forms load then, from the page's own address
        with `?buka=`, as the row's htmx does), and reads it before acting."""
        self.client.get(
            f"/mcp/lapor/?buka={sub}",
            headers={"HX-Request": "true"},
            name="open item",
        )
        self.wait()

    @task(4)
    def save_answer(self) -> None:
        sub = self.rng.choice(self.account["answerable"])
        self.open_item(sub)
        version = self.versions.get(sub, 0)
        with self.client.post(
            f"/mcp/lapor/{self.account['pemda']}/{sub}/jawab/",
            {"value": "1", "version": version, "csrfmiddlewaretoken": self.csrf()},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf()},
            name="save answer",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "Jawaban disimpan" in response.text:
                self.versions[sub] = version + 1
                if ACKED_ANSWERS:
                    with Path(ACKED_ANSWERS).open("a") as acked:
                        acked.write(f"{self.account['pemda']} {sub} {version + 1}\n")
                response.success()
            elif response.status_code == 200:
                response.success()  # a clear message (stale form, submitted): not an error
                match = re.search(r'name="version" value="(\d+)"', response.text)
                if match:
                    self.versions[sub] = int(match.group(1))

    @task(2)
    def upload(self) -> None:
        sub = self.rng.choice(self.account["documents"])
        self.open_item(sub)
        data = pdf_of(self.rng.randint(1, 5) * 1024 * 1024, self.rng)
        with self.client.post(
            f"/mcp/lapor/{self.account['pemda']}/{sub}/bukti/",
            data={"effective_date": "2025-10-01", "csrfmiddlewaretoken": self.csrf()},
            files={"file": (f"bukti-{sub}.pdf", data, "application/pdf")},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf()},
            name="upload evidence",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "diunggah" in response.text:
                with ACKED.open("a") as acked:
                    acked.write(f"{self.account['pemda']} {hashlib.sha256(data).hexdigest()}\n")
                response.success()
            elif response.status_code == 200:
                response.failure("upload not acknowledged: " + response.text[:200])


class Verifier(SignedIn):
    weight = 1

    def on_start(self) -> None:
        self.account = next(_verifiers)
        self.sign_in()

    @task(3)
    def queue(self) -> None:
        page = self.client.get("/mcp/verifikasi/", name="verifier queue")
        ids = re.findall(r'href="/mcp/verifikasi/(\d+)/"', page.text)
        if ids:
            item = random.choice(ids)
            self.client.get(f"/mcp/verifikasi/{item}/", name="verify item")
            self.client.post(
                f"/mcp/verifikasi/{item}/",
                {"decision_form": "1", "decision": "approve", "csrfmiddlewaretoken": self.csrf()},
                headers={"X-CSRFToken": self.csrf()},
                name="approve",
            )


@events.quitting.add_listener
def _done(environment: Any, **_kwargs: Any) -> None:
    environment.process_exit_code = 0  # the orchestrator judges the run from the figures
