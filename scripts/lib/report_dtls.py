"""DTLS in the report: each DTLS handshake beside its TLS twin on the same build (the handshake/
rows that differ only in the version field), and the dtls-link/ rows: time to authenticate on
each link profile with 0, 1 and 5 % of the datagrams lost."""
from __future__ import annotations

from typing import Optional

import report_charts as charts
from report_doc import Chart, Section, Table
from results import Run

HANDSHAKE_SUITE = "handshake"
LINK_SUITE = "dtls-link"
LOSS_RATES = (0, 1, 5)


def fmt(value: Optional[float], digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def is_dtls(fields: dict) -> bool:
    return str(fields.get("version", "")).startswith("DTLS")


def tls_twin(run: Run, case: str) -> Optional[str]:
    """The TLS case named as the DTLS `case` but for its version (DTLSv1.2 -> TLSv1.2)."""
    fields = dict(run.fields[case])
    fields["version"] = fields["version"][1:]
    return run.find(**fields)


def total_bytes(run: Run, case: str) -> Optional[float]:
    c2s, s2c = run.value(case, "bytes_c2s"), run.value(case, "bytes_s2c")
    return None if c2s is None or s2c is None else c2s + s2c


def case_label(fields: dict) -> str:
    return f"{fields['auth']} {fields['scheme']} {fields['version']}"


def versus_tls(runs: list[Run]) -> Section:
    section = Section(
        "DTLS against TLS",
        "Each DTLS handshake (lossless in-memory datagram link) beside the TLS handshake of the"
        " same build, scheme and mode: CPU per side (instructions on emulated CPUs), bytes both"
        " ways with each protocol's record overhead, datagrams (DTLS) and flights, and the"
        " modelled time to authenticate on NB-IoT and 6LoWPAN. Lower is better.")
    rows = []
    for run in runs:
        metric, scale, digits = (("instructions", 1e6, 2) if run.emulated else ("cpu_us", 1, 0))
        for case in run.select(lambda f: f.get("suite") == HANDSHAKE_SUITE and is_dtls(f)):
            twin = tls_twin(run, case)
            if twin is None:
                continue

            def pair(counter: str, divisor: float = 1, places: int = 0) -> str:
                tls, dtls = run.value(twin, counter), run.value(case, counter)
                return (f"{fmt(None if tls is None else tls / divisor, places)} / "
                        f"{fmt(None if dtls is None else dtls / divisor, places)}")

            dtls_bytes, tls_bytes = total_bytes(run, case), total_bytes(run, twin)
            overhead = ("–" if dtls_bytes is None or not tls_bytes
                        else f"{dtls_bytes / tls_bytes - 1:+.1%}")
            datagrams = (f"{fmt(run.value(case, 'datagrams_c2s'))} / "
                         f"{fmt(run.value(case, 'datagrams_s2c'))}")
            rows.append([f"{run.backend} {run.arch}", case_label(run.fields[case]),
                         pair(f"client_{metric}", scale, digits),
                         pair(f"server_{metric}", scale, digits),
                         pair("bytes_c2s"), pair("bytes_s2c"), overhead, datagrams,
                         pair("flights"), pair("tta_ms_nb-iot", 1, 1),
                         pair("tta_ms_6lowpan", 1, 1)])
    if rows:
        unit = "(µs or M insn)"
        section.blocks.append(Table(
            ["build", "case", f"client TLS / DTLS {unit}", f"server TLS / DTLS {unit}",
             "bytes c2s TLS / DTLS", "bytes s2c TLS / DTLS", "DTLS bytes over TLS",
             "datagrams c2s / s2c", "flights TLS / DTLS", "NB-IoT ms TLS / DTLS",
             "6LoWPAN ms TLS / DTLS"], rows, [False, False] + [True] * 9))
    return section


def lossy_links(runs: list[Run]) -> Section:
    section = Section(
        "DTLS on lossy links",
        "Mean time to authenticate a mutual DTLS handshake over each link profile (bandwidth,"
        " latency and framing of bench/link_profiles.json, path MTU 1232 bytes) when 0, 1 or 5 %"
        " of the datagrams are lost, over 100 handshakes with fixed loss patterns: the link's"
        " time in virtual time, including the libraries' own retransmission timers, plus the"
        " measured CPU of both sides. Lower is better; the last column is the datagrams resent"
        " per handshake at 5 % loss.")
    rows = []
    series: list[tuple[str, dict[str, float]]] = []
    links: list[str] = []
    for run in runs:
        cases = run.select(lambda f: f.get("suite") == LINK_SUITE)
        grouped: dict[tuple[str, str], dict[int, str]] = {}
        for case in cases:
            fields = run.fields[case]
            key = (case_label(fields), str(fields["link"]))
            grouped.setdefault(key, {})[int(fields["loss_percent"])] = case
            if fields["link"] not in links:
                links.append(str(fields["link"]))
        for (label, link), by_loss in grouped.items():
            values = [run.value(by_loss.get(loss), "tta_ms") for loss in LOSS_RATES]
            rows.append([f"{run.backend} {run.arch}", label, link,
                         *[fmt(v, 1) for v in values],
                         fmt(run.value(by_loss.get(5), "retransmissions"), 2)])
        at_five = {link: value for (label, link), by_loss in grouped.items()
                   if label.startswith("mtls ecdsa-p256 DTLSv1.2")
                   and (value := run.value(by_loss.get(5), "tta_ms")) is not None}
        if at_five:
            series.append((f"{run.backend} {run.arch}", at_five))
    if rows:
        section.blocks.append(Table(
            ["build", "case", "link"] + [f"{loss} % loss ms" for loss in LOSS_RATES]
            + ["resent at 5 %"], rows, [False] * 3 + [True] * (len(LOSS_RATES) + 1)))
    if series:
        section.blocks.append(Chart(
            "dtls-lossy-links", "DTLS 1.2 ECDSA P-256 mTLS at 5 % loss per link",
            charts.grouped_bars("DTLS 1.2 ECDSA P-256 mTLS: time to authenticate at 5 % loss",
                                "ms", links, series)))
    return section


def dtls_sections(runs: list[Run]) -> list[Section]:
    return [versus_tls(runs), lossy_links(runs)]
