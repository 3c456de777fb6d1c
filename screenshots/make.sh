#!/usr/bin/env bash
# Makes the README screenshots from the real binary in a real terminal:
# svodka runs in a tmux pane, the pane is captured with its colours
# (capture-pane -e) and drawn to PNG with DejaVu Sans Mono (ansi2png.py).
#
# usage: screenshots/make.sh        (re-runnable; writes screenshots/*.png)
# needs: tmux, python3 with Pillow (python3-pil), fonts-dejavu-core. As root
# on Debian/Ubuntu it installs what is missing with apt-get; otherwise it
# says what is missing and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

# A Python with Pillow: the PATH's, else Debian's own.
py=python3
$py -c 'import PIL' 2>/dev/null || { [ -x /usr/bin/python3 ] && py=/usr/bin/python3; }
missing=()
command -v tmux >/dev/null || missing+=(tmux)
$py -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y "${missing[@]}"
    py=/usr/bin/python3
  else
    echo "make.sh: missing: ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

cargo build --release --quiet
bin=$PWD/target/release/svodka
work=$(mktemp -d)
sock=svodka-shots-$$
export LC_CTYPE=C.UTF-8
t() { tmux -u -L "$sock" -f /dev/null "$@"; }
server_pid=
trap 't kill-server 2>/dev/null; [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

wait_for() {
  for _ in $(seq 1 200); do
    t capture-pane -p -t s | grep -q -- "$1" && return 0
    sleep 0.05
  done
  echo "make.sh: '$1' never appeared on screen" >&2
  t capture-pane -p -t s >&2
  exit 1
}

# The feeds view needs subscriptions: the bundled feeds (data/feeds/) served
# on 127.0.0.1, subscribed and fetched into an archive of their own (one that
# has articles imports no sample), and a feed that is gone (HTTP 404).
subscribe() {
  local port db=$work/home/archive.db
  port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  $py -m http.server "$port" --bind 127.0.0.1 --directory data/feeds >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 1 50); do
    $py -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/NOTICE.md')" 2>/dev/null && break
    sleep 0.1
  done
  for f in newsru.com aif.ru.health money.rin.ru; do
    "$bin" --db "$db" add --tag новости "http://127.0.0.1:$port/$f.xml" >/dev/null
  done
  "$bin" --db "$db" add --tag блоги "http://127.0.0.1:$port/kapranoff.ru.xml" >/dev/null
  "$bin" --db "$db" add --no-check --tag блоги --title "Закрытый блог" "http://127.0.0.1:$port/gone.xml" >/dev/null
  "$bin" --db "$db" fetch >/dev/null 2>&1 || true
}

# start COLS ROWS [feeds]: a fresh archive (the bundled one is imported on
# start), or with "feeds" the subscribed one above.
start() {
  cols=$1 rows=$2
  t kill-server 2>/dev/null || true
  rm -rf "$work/home"
  mkdir -p "$work/home"
  [ "${3:-}" = feeds ] && subscribe
  t new-session -d -s s -x "$cols" -y "$rows" \
    "env HOME=$work/home XDG_CONFIG_HOME=$work/home/config XDG_STATE_HOME=$work/home/state LANG=ru_RU.UTF-8 \
     $bin --db $work/home/archive.db; sleep 60"
  t set-option -t s status off >/dev/null
  wait_for "●"
}

shot() {
  sleep 0.3
  t capture-pane -e -p -t s > "$work/$1.ansi"
  $py screenshots/ansi2png.py "$work/$1.ansi" "screenshots/$1.png" "$cols" "$rows"
  echo "screenshots/$1.png"
}

start 120 32
# The first screen as it opens: the seed article selected and in the
# reading pane, its «В тренде» block below the headlines.
wait_for "Караван · 14"
shot reader
t send-keys -t s /
t send-keys -t s -l 'женщина'
wait_for "найдено"
t send-keys -t s Enter
sleep 0.3
t send-keys -t s Enter
wait_for "Караван · 14"
t send-keys -t s n
shot search
t send-keys -t s Escape
sleep 0.3
t send-keys -t s Escape
wait_for " Новости"
t send-keys -t s t
wait_for "Медицина"
# The last topics are the computed ones («↗», with their article counts).
t send-keys -t s End
wait_for "↗Украина"
shot trending
# Esc and ? apart: together the terminal would read them as Alt-?.
t send-keys -t s Escape
sleep 0.3
t send-keys -t s '?'
wait_for "Клавиши"
shot help

# The feeds view (L), then A on a feed: the bulk mark and its undo hint.
start 120 32 feeds
t send-keys -t s L
wait_for "HTTP 404"
shot feeds
t send-keys -t s j j j j
sleep 0.3
t send-keys -t s A
wait_for "отмечено прочитанными"
shot marks

start 60 24
# The seed article is selected on opening: Enter opens it.
t send-keys -t s Enter
wait_for "Караван · 14"
shot narrow
