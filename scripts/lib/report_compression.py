"""Certificate compression (RFC 8879) in the report: each compressed TLS 1.3 handshake beside its
uncompressed twin on the same build (the handshake/ rows that differ only in cert_compression):
bytes each way and what compression saves, CPU per side, and the time to authenticate it saves on
the slow links. Runs without compressed rows leave the section out (and their reports as they
were)."""
from __future__ import annotations

from typing import Optional

from report_doc import Section, Table
from report_dtls import total_bytes
from results import HEADLINE, Fields, Run

NONE = "none"
# The links where a few hundred bytes show in the time to authenticate: (profile, label).
LINKS = (("nb-iot", "NB-IoT"), ("lte-m", "LTE-M"), ("6lowpan", "6LoWPAN"))
# Fields a case label names when they differ from the headline case's.
LABEL_FIELDS = ("auth", "version", "group", "resumption", "contexts")


def algorithm(fields: Fields) -> str:
    return str(fields.get("cert_compression", NONE))


def is_compressed(fields: Fields) -> bool:
    return fields.get("suite") == "handshake" and algorithm(fields) != NONE


def twin(run: Run, case: str) -> Optional[str]:
    """The case with the same fields as the compressed `case` but no certificate compression."""
    return run.find(**{**run.fields[case], "cert_compression": NONE})


def case_label(fields: Fields) -> str:
    extra = [str(fields[k]) for k in LABEL_FIELDS if k in fields and fields[k] != HEADLINE.get(k)]
    return " ".join([f"{fields['scheme']} depth {fields['depth']}", *extra])


def bytes_saved(run: Run, plain: str, compressed: str) -> str:
    """Both directions together: absolute and as a share of the uncompressed handshake's bytes."""
    before, after = total_bytes(run, plain), total_bytes(run, compressed)
    if before is None or after is None or not before:
        return "–"
    return f"{before - after:,.0f} ({(before - after) / before:.1%})"


def pair(run: Run, plain: str, compressed: str, counter: str, divisor: float = 1,
         digits: int = 0, ratio: bool = False) -> str:
    """"uncompressed → compressed", with their ratio where the figure is noisy (CPU)."""
    before, after = run.value(plain, counter), run.value(compressed, counter)
    if before is None or after is None:
        return "–"
    text = f"{before / divisor:,.{digits}f} → {after / divisor:,.{digits}f}"
    return f"{text} ({after / before:.2f}×)" if ratio and before else text


def ms_saved(run: Run, plain: str, compressed: str, link: str) -> str:
    before, after = run.value(plain, f"tta_ms_{link}"), run.value(compressed, f"tta_ms_{link}")
    return "–" if before is None or after is None else f"{before - after:,.1f}"


def without_compression(runs: list[Run]) -> list[str]:
    """Builds with TLS 1.3 handshakes but no compressed figures, each with the reason its run
    gives (an error row's message) or the lack of rows (mtls-bench leaves out a case its build
    does not support and says why on stderr)."""
    missing = []
    for run in runs:
        if run.select(is_compressed) or not run.select(
                lambda f: f.get("suite") == "handshake" and f.get("version") == "TLSv1.3"):
            continue
        reasons = list(dict.fromkeys(run.errors[case] for case in
                                     run.select(is_compressed, with_errors=True)))
        missing.append(f"{run.backend} {run.arch} ({'; '.join(reasons) or 'no compressed cases'})")
    return missing


def loaded(runs: list[Run]) -> list[str]:
    """Host runs whose machine was busier than its cores when they started: their CPU drifts
    between cases by more than compression costs."""
    busy = []
    for run in runs:
        load, cpus = run.context.get("load_avg") or [0], run.context.get("num_cpus") or 0
        if not run.emulated and cpus and load[0] > cpus:
            busy.append(f"{run.backend} {run.arch} (load {load[0]:.1f} on {cpus} CPUs)")
    return busy


def compression_section(runs: list[Run]) -> Section:
    section = Section(
        "Certificate compression",
        "Each TLS 1.3 handshake with its certificates compressed (RFC 8879) beside the same"
        " handshake uncompressed on the same build: bytes each way (uncompressed → compressed),"
        " the bytes saved both ways, CPU per side (executed instructions where the run counted"
        " them for both cases, else CPU time; compressed / uncompressed in brackets) and the"
        " modelled time to authenticate saved on the slow links. A server compresses once per"
        " context and reuses the result (OpenSSL's SSL_CTX_compress_certs; the BoringSSL adapter's"
        " copy), so its added CPU is mostly the decompression of the client's certificate; an"
        " OpenSSL client compresses its own at every handshake (OpenSSL keeps a server's only)."
        " Where only the server's certificate is compressed (BoringSSL: manifest row"
        " cert-compression:client-certificate), client → server grows by the offer's few bytes."
        " Higher savings are better.")
    rows: list[list[str]] = []
    units: set[str] = set()
    timed: list[Run] = []  # the runs whose rows compare CPU times
    for run in runs:
        for case in run.select(is_compressed):
            plain = twin(run, case)
            if plain is None:
                continue
            # Instructions are exact on any machine; times only on an idle one.
            counted = all(run.value(c, f"{side}_instructions") is not None
                          for c in (plain, case) for side in ("client", "server"))
            metric, scale, digits = ("instructions", 1e6, 2) if counted else ("cpu_us", 1, 0)
            units.add("M insn" if counted else "µs")
            if not counted and run not in timed:
                timed.append(run)
            rows.append([f"{run.backend} {run.arch}", case_label(run.fields[case]),
                         algorithm(run.fields[case]),
                         pair(run, plain, case, "bytes_c2s"), pair(run, plain, case, "bytes_s2c"),
                         bytes_saved(run, plain, case),
                         pair(run, plain, case, f"client_{metric}", scale, digits, ratio=True),
                         pair(run, plain, case, f"server_{metric}", scale, digits, ratio=True),
                         *[ms_saved(run, plain, case, link) for link, _ in LINKS]])
    if not rows:
        return section
    unit = "(µs or M insn)" if len(units) > 1 else units.pop()
    section.blocks.append(Table(
        ["build", "case", "algorithm", "bytes c2s", "bytes s2c", "bytes saved (share)",
         f"client {unit}", f"server {unit}", *[f"{label} ms saved" for _, label in LINKS]],
        rows, [False] * 3 + [True] * (5 + len(LINKS))))
    busy = loaded(timed)
    if busy:
        section.blocks.append(f"Ran on a loaded machine, so its CPU ratios are noise (the bytes"
                              f" are not): {', '.join(busy)}.")
    missing = without_compression(runs)
    if missing:
        section.blocks.append(f"Without certificate compression: {', '.join(missing)}.")
    return section
