#!/usr/bin/env python3
"""Render a tmux `capture-pane -e` dump (text + SGR colour codes) to a PNG.

usage: ansi2png.py IN.ansi OUT.png COLS ROWS

Drawn cell by cell with DejaVu Sans Mono (Debian: fonts-dejavu-core) through
Pillow (python3-pil): wide characters take two cells, as in the terminal.
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SIZE = 16
BG, FG = (0x1D, 0x1F, 0x21), (0xD4, 0xD4, 0xD4)
PALETTE = [
    (0x1D, 0x1F, 0x21), (0xCC, 0x66, 0x66), (0xB5, 0xBD, 0x68), (0xF0, 0xC6, 0x74),
    (0x81, 0xA2, 0xBE), (0xB2, 0x94, 0xBB), (0x8A, 0xBE, 0xB7), (0xA0, 0xA4, 0xA8),
    (0x66, 0x69, 0x6E), (0xEF, 0x7A, 0x7A), (0xD1, 0xDB, 0x7A), (0xFF, 0xDA, 0x8A),
    (0x9C, 0xC0, 0xE0), (0xD0, 0xB0, 0xDC), (0xA0, 0xE0, 0xD6), (0xF0, 0xF0, 0xF0),
]


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def cell_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text, cols, rows):
    grid = [[(" ", None, None, set()) for _ in range(cols)] for _ in range(rows)]
    fg, bg, attrs = None, None, set()
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for tok in re.split(r"(\x1b\[[0-9;:]*m)", line):
            if tok.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in re.split("[;:]", tok[2:-1])] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, attrs = None, None, set()
                    elif c in (1, 2, 3, 4, 7):
                        attrs.add(c)
                    elif c in (22, 23, 24, 27):
                        attrs.discard({22: 1, 23: 3, 24: 4, 27: 7}[c])
                        if c == 22:
                            attrs.discard(2)
                    elif 30 <= c <= 37:
                        fg = PALETTE[c - 30]
                    elif 90 <= c <= 97:
                        fg = PALETTE[c - 90 + 8]
                    elif 40 <= c <= 47:
                        bg = PALETTE[c - 40]
                    elif 100 <= c <= 107:
                        bg = PALETTE[c - 100 + 8]
                    elif c == 39:
                        fg = None
                    elif c == 49:
                        bg = None
                    elif c in (38, 48) and i + 1 < len(codes):
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            col = xterm256(codes[i + 2])
                            i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            col = tuple(codes[i + 2:i + 5])
                            i += 4
                        else:
                            col = None
                        if c == 38:
                            fg = col
                        else:
                            bg = col
                    i += 1
                continue
            for ch in tok:
                w = cell_width(ch)
                if w == 0:
                    if x > 0:
                        p = grid[y][x - 1]
                        grid[y][x - 1] = (p[0] + ch, p[1], p[2], p[3])
                    continue
                if x + w > cols:
                    break
                grid[y][x] = (ch, fg, bg, set(attrs))
                if w == 2:
                    grid[y][x + 1] = ("", fg, bg, set(attrs))
                x += w
        # tmux does not repeat trailing blanks: the rest keeps the colours.
    return grid


def main():
    src, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    fonts = {
        (False, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", SIZE),
        (True, False): ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", SIZE),
    }
    for key, name in (((False, True), "DejaVuSansMono-Oblique.ttf"), ((True, True), "DejaVuSansMono-BoldOblique.ttf")):
        try:
            fonts[key] = ImageFont.truetype(FONT_DIR + name, SIZE)
        except OSError:
            fonts[key] = fonts[(key[0], False)]
    cw = round(fonts[(False, False)].getlength("M"))
    ascent, descent = fonts[(False, False)].getmetrics()
    ch_ = ascent + descent + 2
    pad = 12
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch_ + 2 * pad), BG)
    draw = ImageDraw.Draw(img)
    with open(src, encoding="utf-8", errors="replace") as fh:
        grid = parse(fh.read(), cols, rows)
    for y, row in enumerate(grid):
        for x, (text, fg, bg, attrs) in enumerate(row):
            f, b = fg or FG, bg or BG
            if 7 in attrs:
                f, b = b, f
            if 2 in attrs:
                f = tuple((a + c) // 2 for a, c in zip(f, b))
            px, py = pad + x * cw, pad + y * ch_
            wide = 2 if text and cell_width(text[0]) == 2 else 1
            if b != BG:
                draw.rectangle([px, py, px + cw * wide - 1, py + ch_ - 1], fill=b)
            if text.strip():
                draw.text((px, py + 1), text, font=fonts[(1 in attrs, 3 in attrs)], fill=f)
            if 4 in attrs and text:
                draw.line([px, py + ascent + 2, px + cw * wide - 1, py + ascent + 2], fill=f)
    img.save(out)


if __name__ == "__main__":
    main()
