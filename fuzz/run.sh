#!/usr/bin/env bash
# Runs each fuzz target for a set time, seeded from ../shared/corpus.
#   fuzz/run.sh [SECONDS] [TARGET...]     (default 900 s each, every target)
# Targets run one after another (JOBS=N runs N at once). Needs cargo-fuzz
# (`cargo install cargo-fuzz`) and a nightly toolchain, or stable with
# RUSTC_BOOTSTRAP=1, which this script sets when no nightly is installed.
# Findings land in fuzz/artifacts/TARGET/; each becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-900}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(dump feed html extract layout query)
shared=../../shared/corpus
[ -d "$shared" ] || { echo "fuzz/run.sh: $shared is missing: no seeds" >&2; exit 1; }

if rustup toolchain list 2>/dev/null | grep -q nightly; then
    cargo=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    cargo=(cargo fuzz)
fi
# Build once, then run the binaries: parallel `cargo fuzz run`s each try to
# rebuild and wait on one another's locks. SKIP_BUILD=1 reuses the binaries.
[ "${SKIP_BUILD:-0}" = 1 ] || "${cargo[@]}" build -O
bin=target/x86_64-unknown-linux-gnu/release

seed() {
    local t=$1 dir=corpus/$1
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return
    case $t in
        dump) cp "$shared"/seed/* "$dir"/ ;;
        feed) find "$shared"/feed-rs "$shared"/chardet-cyrillic "$shared"/newsboat -type f \( -name '*.xml' -o -name '*.rss' -o -name '*.atom' -o -name '*.json' \) -size -64k | head -400 | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done ;;
        html) find "$shared"/readability -name source.html -size -64k | head -100 | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done ;;
        extract) find "$shared"/readability "$shared"/newspaper4k -type f -name '*.html' -size -128k | head -150 | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done || true
                 find "$shared"/wceb-2026/html -name '*.html.gz' -size -48k | head -100 | while read -r f; do zcat "$f" > "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done || true ;;
        layout) cp "$shared"/seed/* "$dir"/; head -c 20000 "$shared"/hyph-ru/hyph-ru.hyp.txt > "$dir/hyph" 2>/dev/null || true ;;
        query) printf '%s' 'Газпром "пенсионные отчисления" -Шымкент site:караван after:2024-01-01' > "$dir/q1"
               printf '%s' 'is:unread tag:kz Токаев* before:вчера' > "$dir/q2" ;;
    esac
}

run() {
    local t=$1
    seed "$t"
    mkdir -p "artifacts/$t" logs
    # -rss_limit_mb and -timeout turn memory blow-ups and hangs into findings.
    "$bin/$t" "corpus/$t" -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 \
        -max_len=262144 -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"logs/$t.log" 2>&1 || true
    local execs
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo '?')
    echo "$t: ${secs}s, $execs executions, $(ls "artifacts/$t" | wc -l) findings (log: fuzz/logs/$t.log)"
}

jobs=${JOBS:-1}
for t in "${targets[@]}"; do
    run "$t" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
done
wait
