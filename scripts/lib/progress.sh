# shellcheck shell=bash disable=SC2034  # a library: its variables are for the scripts that source it
# What the long entry points (scripts/bench, test, fuzz, deps) show while they run: one line per
# unit of work (a build, a tree, a fuzz run) and phase, with [n/N] and an ETA; a bar redrawn in
# place where stderr is a terminal, plain lines otherwise (CI, pipes). Each phase's raw output
# (cmake, ninja, Google Benchmark, CTest, libFuzzer) goes to a log file; MTLS_VERBOSE=1
# (--verbose) streams it as well. Sourced by common.sh.

# Verbose only when set to 1 (--verbose): MTLS_VERBOSE=0 is quiet.
[[ ${MTLS_VERBOSE:-} == 1 ]] || MTLS_VERBOSE=""
# Where phases outside a script's own log folder log (apt-get): each script points it at its own.
MTLS_LOG_DIR=${MTLS_LOG_DIR:-$MTLS_REPO/out/logs}
# Lines of a failed phase's log printed: CI keeps only what was printed.
MTLS_LOG_TAIL=${MTLS_LOG_TAIL:-60}

# No run of units until mtls_progress_start.
MTLS_PROGRESS_TOTAL=0 MTLS_PROGRESS_N=0 MTLS_PROGRESS_FINISHED=0 MTLS_PROGRESS_FINISHED_S=0
MTLS_PROGRESS_PHASES=()

mtls_progress_tty() { [[ -t 2 && -z $MTLS_VERBOSE && ${TERM:-dumb} != dumb ]]; }

# A duration as a clock, "1:05" or "1:02:03".
mtls_clock() {
  local s=$1
  if ((s >= 3600)); then
    printf '%d:%02d:%02d' $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
  else
    printf '%d:%02d' $((s / 60)) $((s % 60))
  fi
}

# An estimate, rounded: "<1 min", "~4 min", "~1 h 05 min".
mtls_about() {
  local s=$1 m=$((($1 + 30) / 60))
  if ((s < 60)); then
    printf '<1 min'
  elif ((m < 60)); then
    printf '~%d min' "$m"
  else
    printf '~%d h %02d min' $((m / 60)) $((m % 60))
  fi
}

# mtls_progress_start TOTAL [TITLE]: a run of TOTAL units of work (TITLE prefixes its lines).
mtls_progress_start() {
  printf -v MTLS_PROGRESS_T0 '%(%s)T' -1
  MTLS_PROGRESS_TOTAL=$1 MTLS_PROGRESS_TITLE=${2:-} MTLS_PROGRESS_N=0 MTLS_PROGRESS_FINISHED=0
  MTLS_PROGRESS_FINISHED_S=0 MTLS_PROGRESS_UNIT_START=$MTLS_PROGRESS_T0 MTLS_PROGRESS_LABEL=""
  MTLS_PROGRESS_PHASES=()
}

# mtls_progress_unit LABEL: the next unit begins (the one before it, if open, is done).
mtls_progress_unit() {
  ((MTLS_PROGRESS_FINISHED == MTLS_PROGRESS_N)) || mtls_progress_close
  MTLS_PROGRESS_N=$((MTLS_PROGRESS_N + 1)) MTLS_PROGRESS_LABEL=$1 MTLS_PROGRESS_PHASES=()
  printf -v MTLS_PROGRESS_UNIT_START '%(%s)T' -1
}

# The open unit is finished: its time counts towards the ETA.
mtls_progress_close() {
  local now
  printf -v now '%(%s)T' -1
  MTLS_PROGRESS_FINISHED_S=$((MTLS_PROGRESS_FINISHED_S + now - MTLS_PROGRESS_UNIT_START))
  MTLS_PROGRESS_FINISHED=$MTLS_PROGRESS_N
}

# mtls_progress_done [RESULT]: the unit is done. With RESULT (a tree's test counts, a fuzz run's
# verdict) one line says it, everywhere; without, a terminal keeps one line with its phases'
# times (their bar is gone; plain output has had a line per phase already).
mtls_progress_done() {
  mtls_progress_close
  if [[ -n ${1:-} ]]; then
    mtls_log "$(mtls_progress_prefix)$1"
  elif mtls_progress_tty && [[ ${#MTLS_PROGRESS_PHASES[@]} -gt 0 ]]; then
    local phases
    phases=$(printf ', %s' "${MTLS_PROGRESS_PHASES[@]}")
    mtls_log "$(mtls_progress_prefix)${phases:2}"
  fi
}

# "deps [2/5] openssl-3.5: " — nothing outside a run of units.
mtls_progress_prefix() {
  ((${MTLS_PROGRESS_TOTAL:-0} > 0)) || return 0
  printf '%s[%d/%d] %s: ' "${MTLS_PROGRESS_TITLE:+$MTLS_PROGRESS_TITLE }" "$MTLS_PROGRESS_N" \
    "$MTLS_PROGRESS_TOTAL" "$MTLS_PROGRESS_LABEL"
}

# Seconds left: the mean time of the finished units × the units left, less the open unit's time
# so far; nothing before a unit has finished.
mtls_progress_left() {
  local now left
  ((MTLS_PROGRESS_TOTAL > 0 && MTLS_PROGRESS_FINISHED > 0)) || return 0
  printf -v now '%(%s)T' -1
  left=$((MTLS_PROGRESS_FINISHED_S * (MTLS_PROGRESS_TOTAL - MTLS_PROGRESS_FINISHED) / MTLS_PROGRESS_FINISHED))
  ((MTLS_PROGRESS_FINISHED < MTLS_PROGRESS_N)) && left=$((left - (now - MTLS_PROGRESS_UNIT_START)))
  echo $((left > 0 ? left : 0))
}

# " (3:10 elapsed, ETA ~6 min)": where the run stands.
mtls_progress_status() {
  ((${MTLS_PROGRESS_TOTAL:-0} > 0)) || return 0
  local now left
  printf -v now '%(%s)T' -1
  left=$(mtls_progress_left)
  printf ' (%s elapsed%s)' "$(mtls_clock $((now - MTLS_PROGRESS_T0)))" "${left:+, ETA $(mtls_about "$left")}"
}

# The bar of a terminal: "[3/10] [#####-----] label: TEXT 0:42, ETA ~4 min | last log line",
# cut to the terminal's width, redrawn over itself.
mtls_progress_draw() {
  local text=$1 start=$2 log=$3 now cols=80 bar="" line detail filled=0 left size
  printf -v now '%(%s)T' -1
  size=$(stty size <&2 2>/dev/null) && cols=${size#* }
  ((cols >= 20)) || cols=80  # a terminal that does not say
  if ((${MTLS_PROGRESS_TOTAL:-0} > 0)); then
    filled=$((20 * MTLS_PROGRESS_FINISHED / MTLS_PROGRESS_TOTAL))
    bar=$(printf '%*s' "$filled" "" | tr ' ' '#')$(printf '%*s' $((20 - filled)) "" | tr ' ' '-')
    bar="[$bar] "
  fi
  left=$(mtls_progress_left)
  # The newest line of the log says what the tool is at (ninja's [n/N], CTest's n/N Test).
  detail=$(tail -c 2000 "$log" 2>/dev/null | tr '\r' '\n' | grep -v '^[[:space:]]*$' | tail -n 1 |
    tr -cd '[:print:]' || true)
  line="${MTLS_PROGRESS_TITLE:+$MTLS_PROGRESS_TITLE }"
  ((${MTLS_PROGRESS_TOTAL:-0} > 0)) && line+="[$MTLS_PROGRESS_N/$MTLS_PROGRESS_TOTAL] $bar$MTLS_PROGRESS_LABEL: "
  line+="$text $(mtls_clock $((now - start)))${left:+, ETA $(mtls_about "$left")}${detail:+ | $detail}"
  printf '\r\033[K%s' "${line:0:cols-1}" >&2
}

# mtls_phase LOG TEXT COMMAND...: one phase of the open unit ("building", "benchmarking"). Runs
# COMMAND in a subshell (an mtls_die in it ends only the phase; errexit is off in it, as in an
# `||` list: functions check their steps) with its output in LOG (truncated first), or also on
# stderr with MTLS_VERBOSE. Shows the phase as a bar on a terminal, as one line otherwise. On
# failure prints LOG's last lines and its path and returns COMMAND's status. Inside, MTLS_PHASE_LOG
# names the log (mtls_logged writes there).
mtls_phase() {
  local log=$1 text=$2 status=0 start end ticker
  shift 2
  { mkdir -p "$(dirname "$log")" && : >"$log"; } 2>/dev/null || mtls_die "$log: cannot write"
  printf -v start '%(%s)T' -1
  if [[ -n $MTLS_VERBOSE ]]; then
    mtls_log "$(mtls_progress_prefix)$text$(mtls_progress_status) (log: $log)"
    # The command's own status, whether or not the caller set pipefail.
    if (MTLS_PHASE_LOG=$log "$@") 2>&1 | tee "$log" >&2; then
      status=${PIPESTATUS[0]}
    else
      status=${PIPESTATUS[0]}
    fi
  elif mtls_progress_tty; then
    # The ticker redraws each second and stops by itself should this shell die (Ctrl-C).
    (while kill -0 $$ 2>/dev/null; do mtls_progress_draw "$text" "$start" "$log"; sleep 1; done) &
    ticker=$!
    (MTLS_PHASE_LOG=$log "$@") >"$log" 2>&1 || status=$?
    { kill "$ticker" && wait "$ticker"; } 2>/dev/null || true
    printf '\r\033[K' >&2
  else
    mtls_log "$(mtls_progress_prefix)$text$(mtls_progress_status)"
    (MTLS_PHASE_LOG=$log "$@") >"$log" 2>&1 || status=$?
  fi
  printf -v end '%(%s)T' -1
  MTLS_PROGRESS_PHASES+=("$text $(mtls_clock $((end - start)))")
  if ((status != 0)); then
    mtls_log "$(mtls_progress_prefix)$text FAILED (exit status $status, after $(mtls_clock $((end - start))))"
    [[ -n $MTLS_VERBOSE ]] || mtls_log_tail "$log"
  fi
  return "$status"
}

# The last MTLS_LOG_TAIL lines of a log, indented, and its path (none with MTLS_LOG_TAIL=0: a caller
# that reports the failure itself).
mtls_log_tail() {
  ((MTLS_LOG_TAIL > 0)) || return 0
  local errors='^FAILED:|error:|CMake Error'
  # A compiler's first error can lie far above the tail (notes, other jobs finishing after it).
  if grep -qE "$errors" "$1" 2>/dev/null; then
    mtls_log "  ---- first errors in $1:"
    grep -m 20 -E "$errors" "$1" | sed 's/^/  | /' >&2
  fi
  mtls_log "  ---- last lines of $1:"
  tail -n "$MTLS_LOG_TAIL" "$1" | sed 's/^/  | /' >&2
  mtls_log "  ---- log: $1"
}

# mtls_logged FILE COMMAND...: COMMAND's output into FILE, or, inside mtls_phase, into the phase's
# log; outside a phase a failure prints FILE's last lines. For steps that log on their own.
mtls_logged() {
  local file=$1 status=0
  shift
  if [[ -n ${MTLS_PHASE_LOG:-} ]]; then
    "$@" 2>&1
    return
  fi
  "$@" >"$file" 2>&1 || status=$?
  ((status == 0)) || mtls_log_tail "$file"
  return "$status"
}

# mtls_progress_add N: N more units (or fewer: N < 0) than the run was started with.
mtls_progress_add() { MTLS_PROGRESS_TOTAL=$((MTLS_PROGRESS_TOTAL + $1)); }

# The units are over (the open one is done): later phases show no [n/N].
mtls_progress_stop() {
  ((MTLS_PROGRESS_FINISHED == MTLS_PROGRESS_N)) || mtls_progress_done ""
  MTLS_PROGRESS_TOTAL=0
}

# The script's last line: how long it took.
mtls_progress_end() { mtls_log "done in $(mtls_clock "$SECONDS")"; }

# CTest's log (ctest --output-on-failure): its counts, and the output of one failing test.
# "57 passed (3 skipped), 2 failed", from the "NN% tests passed, F tests failed out of T" line.
mtls_ctest_counts() {
  local summary total failed skipped
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1)
  [[ -n $summary ]] || { echo "no test summary (see the log)"; return; }
  failed=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$summary")
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  skipped=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*\*\*\*Skipped' "$1" || true)
  local text="$((total - failed)) passed" names
  if ((skipped > 0)); then  # named: a skipped self-test must not pass for a run one
    names=$(sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) .*\*\*\*Skipped.*/\1/p' "$1" |
      head -n 5 | paste -sd, - | sed 's/,/, /g')
    ((skipped <= 5)) || names+=", …"
    text+=" ($skipped skipped: $names)"
  fi
  echo "$text, $failed failed"
}

# The failing tests' names, from CTest's "The following tests FAILED:" list.
mtls_ctest_failed() {
  sed -n '/^The following tests FAILED:/,/^$/p' "$1" | sed -nE 's/^\s+[0-9]+ - (.+) \([^)]*\)\s*$/\1/p'
}

# What CTest printed for test NAME: its result line and its output (up to the next test's line).
mtls_ctest_output() {
  awk -v name="$2" '
    /^ *[0-9]+\/[0-9]+ Test +#[0-9]+: / {
      rest = $0
      sub(/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: /, "", rest)
      on = substr(rest, 1, length(name) + 1) == name " "
      if (on) print
      next
    }
    /^ *Start +[0-9]+: / || /^[0-9]+% tests passed/ { on = 0; next }
    on { print }
  ' "$1"
}
