#!/usr/bin/env bash
# A newsboat user's first ten minutes with svodka, replayed in tmux against a
# feed served on 127.0.0.1 (python3 -m http.server on a temporary directory):
# start on a fresh archive, add a feed with `:add`, open the feeds view,
# read an article, pipe it to a command, mark everything read, star one,
# open the starred view, search, quit. The screen is captured after every
# step into a transcript.
#
#   scripts/newsboat_user.sh [TRANSCRIPT]    (default /tmp/svodka_newsboat_user.txt)
#
# Needs tmux and python3; uses $SVODKA or target/debug/svodka (built if absent).
# Nothing outside the temporary directory is read or written, except the
# transcript; the network is 127.0.0.1 only.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/svodka_newsboat_user.txt}
bin=${SVODKA:-$root/target/debug/svodka}
if [[ ! -x $bin ]]; then
    (cd "$root" && cargo build --quiet)
fi
command -v tmux >/dev/null || { echo "tmux is needed (apt-get install tmux)" >&2; exit 2; }

tmp=$(mktemp -d)
sock="svodka-newsboat-$$"
server_pid=
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null || true
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# The feed: five dated items, one about the flood the search looks for.
mkdir -p "$tmp/www" "$tmp/home"
now=$(date -u +%s)
item() { # guid hours-ago title text
    local d
    d=$(date -u -R -d "@$((now - $2 * 3600))")
    printf '<item><guid>%s</guid><title>%s</title><link>http://127.0.0.1/item/%s</link><pubDate>%s</pubDate><description>%s</description></item>\n' \
        "$1" "$3" "$1" "$d" "$4"
}
{
    echo '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Степные вести</title><ttl>30</ttl>'
    item 1 1 "Паводок в Актобе: вода отступает" "Уровень воды в реке Илек снизился за ночь на полметра. Спасатели продолжают дежурить у дамб."
    item 2 2 "В Алматы открыли новую ветку метро" "Две станции приняли первых пассажиров. Интервал движения — восемь минут."
    item 3 3 "Тенге укрепился к доллару" "На утренних торгах курс опустился ниже 470 тенге."
    item 4 5 "Фермеры начали весенний сев" "В северных областях засеяно около трёх процентов площадей."
    item 5 7 "Сборная сыграет товарищеский матч" "Игра пройдёт в Астане в конце месяца."
    echo '</channel></rss>'
} >"$tmp/www/feed.rss"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/http.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/feed.rss')" 2>/dev/null && break
    sleep 0.1
done
feed="http://127.0.0.1:$port/feed.rss"

cat >"$tmp/config.toml" <<'EOF'
language = "ru"
timezone = "UTC"
# `|` sends the open article here: a stand-in for a translator.
pipe_to = "wc -w"
EOF

t() { tmux -u -L "$sock" -f /dev/null "$@"; }
t new-session -d -s s -x 120 -y 30 \
    "env HOME=$tmp/home XDG_CONFIG_HOME=$tmp/xdg XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state LANG=C.UTF-8 \
     $bin --db $tmp/archive.db --config $tmp/config.toml; echo SVODKA_EXIT=\$?; sleep 30"

: >"$out"
step=0
screen() { t capture-pane -p -t s; }
# wait_for TEXT: until the screen shows it (10 s at most; the transcript says if not).
wait_for() {
    for _ in $(seq 100); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    echo "!! «$1» did not appear" >>"$out"
}
# wait_gone TEXT: until the screen no longer shows it.
wait_gone() {
    for _ in $(seq 100); do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
    done
    echo "!! «$1» did not go" >>"$out"
}
capture() { # what was done
    step=$((step + 1))
    {
        printf '=== %02d. %s ===\n' "$step" "$1"
        screen | sed 's/[[:space:]]*$//' | sed "s/$port/PORT/g"
        echo
    } >>"$out"
}
keys() { t send-keys -t s "$@"; }
type_text() { t send-keys -t s -l -- "$1"; }

wait_for "В тренде"
capture "svodka on a fresh archive: the sample opens, its seed article selected"

keys ':'
type_text "add $feed newsboat"
capture "':' opens the command line; :add URL TAG"
keys Enter
wait_for "ленты обновлены"
capture ":add subscribed and fetched the feed"

keys L
wait_for "Степные вести"
capture "L: the feeds view (unread/total, tag, state)"

keys j
keys Enter
wait_for "Степные вести"
capture "Enter on the feed: its articles only"

keys Enter
sleep 0.5
capture "Enter: the article in the reading pane"

keys J
sleep 0.3
capture "J: scroll the article"

keys '|'
wait_for "wc: готово"
capture "|: the article's text piped to pipe_to (wc -w); the status bar says how it ended"

keys Escape
keys Escape
sleep 0.3
keys C
wait_for "отмечено прочитанными"
capture "C: everything marked read (U undoes)"

keys s
sleep 0.3
capture "s: star the selected article"

keys S
sleep 0.5
capture "S: the starred view"

keys S
sleep 0.3
keys /
type_text "паводок"
wait_for "Актобе"
wait_gone "ищу…"
capture "/паводок: search the archive (every form of the word)"
keys Enter
sleep 0.3

keys Escape
keys ':'
type_text "q"
capture ":q"
keys Enter
wait_for "SVODKA_EXIT="
capture "quit: the terminal is back, the exit status 0"

echo "transcript: $out ($step screens)"
