"""Synthetic results for the scripts' tests: the description block mtls-bench writes into its
JSON (a few schemes and the counters the tests use), and rows with their case fields."""
from __future__ import annotations

from typing import Any


def counter(name: str, unit: str, clock: bool, better: str = "lower",
            description: str = "") -> dict[str, Any]:
    return {"name": name, "unit": unit, "better": better, "clock": clock, "source": "test",
            "description": description or name}


COUNTERS = [
    counter("client_cpu_us", "us", True, description="client CPU"),
    counter("server_cpu_us", "us", True, description="server CPU"),
    counter("client_instructions", "instructions", False, description="client instructions"),
    counter("server_instructions", "instructions", False, description="server instructions"),
    counter("bytes_c2s", "bytes", False, description="bytes client → server"),
    counter("bytes_s2c", "bytes", False, description="bytes server → client"),
    counter("flights", "count", False, description="flights (direction changes)"),
    counter("client_heap_peak", "bytes", False, description="client heap peak"),
    counter("server_heap_peak", "bytes", False, description="server heap peak"),
    counter("conn_retained_bytes", "bytes", False,
            description="memory per established connection (server)"),
    counter("handshake_floor_ratio", "ratio", True,
            description="CPU / public-key floor (both sides)"),
    counter("mutual_auth_verified", "flag", False, better="higher"),
    counter("items_per_second", "1/s", True, better="higher"),
    counter("cpu_time", "time_unit", True),
    counter("real_time", "time_unit", True),
    counter("tta_ms_nb-iot", "ms", True),
    counter("tta_ms_6lowpan", "ms", True),
    counter("harness_per_bare", "ratio", True, better="higher"),
]
HANDSHAKE: dict[str, Any] = {"suite": "handshake", "auth": "mtls", "scheme": "ecdsa-p256",
                             "depth": 1, "version": "TLSv1.3", "group": "X25519",
                             "resumption": "full", "contexts": "shared-ctx"}


def description(cases: dict[str, Any]) -> dict[str, Any]:
    return {"certificate_schemes": ["ecdsa-p256", "ed25519"],
            "case_fields": list(HANDSHAKE), "counters": COUNTERS, "cases": cases}


def results(context: dict[str, Any], rows: list[tuple[str, dict[str, Any], dict[str, Any]]]
            ) -> dict[str, Any]:
    """A results file: (name, case fields, figures) per row, in order."""
    benchmarks = [{"name": name, "run_name": name, "run_type": "iteration", **figures}
                  for name, _, figures in rows]
    return {"context": context, "benchmarks": benchmarks,
            "description": description({name: fields for name, fields, _ in rows})}
