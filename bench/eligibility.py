"""Benchmark: deciding the whole rule pack for one resident (target p95 <= 5 ms).

Residents are varied on purpose (random mixes of known, null and unknown facts, seeded so
runs compare), because unknown facts take the slower three-valued paths. Prints details,
then one JSON object on the last line: {"policies", "p95_ms", ...}.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.eligibility import evaluate, load_pack, next_question
from kiosk.eligibility.facts import DIFFICULTY_CATEGORIES, FACTS, FactType
from kiosk.paths import resource

ON = date(2026, 11, 26)
RESIDENTS = 500
ROUNDS = 6  # evaluations per resident after warm-up


def _value(rng: random.Random, name: str, ftype: FactType, policy_ids: list[str]) -> Any:
    if rng.random() < 0.1:
        return None
    if ftype.kind == "bool":
        return rng.random() < 0.5
    if ftype.kind == "int":
        return rng.randint(ftype.minimum or 0, ftype.maximum or 120)
    if ftype.kind == "date":
        if name == "birth_date":
            return (ON - timedelta(days=rng.randint(14 * 365, 70 * 365))).isoformat()
        return (ON - timedelta(days=rng.randint(-400, 6 * 365))).isoformat()
    if ftype.kind == "list":
        pool = policy_ids if name == "received" else list(DIFFICULTY_CATEGORIES)
        return rng.sample(pool, rng.randint(0, 2))
    if ftype.allowed:
        return rng.choice(sorted(ftype.allowed))
    return "x"


def resident(rng: random.Random, policy_ids: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    known = rng.uniform(0.4, 1.0)  # share of facts the kiosk knows
    facts: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, ftype in FACTS.items():
        if name in ("id_number", "name", "card_address", "hukou_region_code"):
            continue
        if name in ("gender", "birth_date", "card_type") or rng.random() < known:
            facts[name] = _value(rng, name, ftype, policy_ids)
            sources[name] = rng.choice(("central", "central", "declared"))
    return facts, sources


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    started = time.perf_counter()
    pack = load_pack(resource("policies"))
    load_ms = (time.perf_counter() - started) * 1000
    policy_ids = list(pack.policy_ids)
    rng = random.Random(20261126)
    people = [resident(rng, policy_ids) for _ in range(RESIDENTS)]

    for facts, sources in people[:50]:  # warm-up
        evaluate(pack, facts, sources, ON)
    samples: list[float] = []
    for _ in range(ROUNDS):
        for facts, sources in people:
            t0 = time.perf_counter()
            evaluate(pack, facts, sources, ON)
            samples.append((time.perf_counter() - t0) * 1000)

    question_samples: list[float] = []
    for facts, sources in people[:100]:
        t0 = time.perf_counter()
        next_question(pack, facts, sources, ON)
        question_samples.append((time.perf_counter() - t0) * 1000)

    p50, p95, p99 = (percentile(samples, q) for q in (0.5, 0.95, 0.99))
    q95 = percentile(question_samples, 0.95)
    print(f"rule pack {pack.version}: {len(pack.policies)} policies, load {load_ms:.1f} ms")
    print(f"{len(samples)} evaluations of {RESIDENTS} varied residents "
          f"(mean {statistics.fmean(samples):.3f} ms)")
    print(f"whole pack, one resident: p50 {p50:.3f} ms  p95 {p95:.3f} ms  p99 {p99:.3f} ms "
          f"(target p95 <= 5 ms)")
    print(f"next_question (planner): p95 {q95:.2f} ms over 100 residents")
    print(json.dumps({"policies": len(pack.policies), "p95_ms": round(p95, 4),
                      "p50_ms": round(p50, 4), "next_question_p95_ms": round(q95, 3),
                      "load_ms": round(load_ms, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
