"""format=svg on the histogram and trends routes, drawn by headless Chromium: each chart's screenshot is
not blank and shows as many bars as the route's own JSON has non-empty bins (or editions, or years).
Usage: check_charts.py BASE_URL API_KEY PARTNER_ID. CHROMIUM=path overrides the browser."""

import json
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.request
import zlib

BAR = (0x2B, 0x6C, 0xB0)  # the bars' fill, #2b6cb0


def get(url, key):
    request = urllib.request.Request(url, headers={"X-API-Key": key})
    with urllib.request.urlopen(request, timeout=60) as reply:
        return reply.headers.get("Content-Type", ""), reply.read()


def read_png(data):
    """Rows of (r, g, b) from an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            a = cur[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                cur[i] = (cur[i] + a) & 0xFF
            elif kind == 2:
                cur[i] = (cur[i] + b) & 0xFF
            elif kind == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append([tuple(cur[x * channels:x * channels + 3]) for x in range(width)])
        previous = cur
    return rows


def is_bar(pixel):
    return all(abs(p - q) <= 12 for p, q in zip(pixel, BAR))


def bars_seen(rows):
    """The most separate runs of bar colour on any one row: every bar crosses the row just above the axis."""
    best = 0
    for row in rows:
        runs, inside = 0, False
        for pixel in row:
            bar = is_bar(pixel)
            runs += bar and not inside
            inside = bar
        best = max(best, runs)
    return best


def screenshot(svg, work):
    browser = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium not found (scripts/web-deps installs it)"
    source, image = work / "chart.svg", work / "chart.png"
    source.write_bytes(svg)
    image.unlink(missing_ok=True)
    subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-dev-shm-usage",
                    "--no-first-run", f"--user-data-dir={work / 'profile'}", "--window-size=800,440",
                    f"--screenshot={image}", source.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return read_png(image.read_bytes())


def check(name, svg, expected_bars, work):
    text = svg.decode()
    assert text.count('<rect class="bar"') >= expected_bars, name
    assert 'role="img"' in text and "<title" in text and "<desc" in text, f"{name}: not labelled for screen readers"
    rows = screenshot(svg, work)
    pixels = [p for row in rows for p in row]
    ink = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
    assert ink > 0.02, f"{name}: the screenshot is blank ({ink:.1%} ink)"
    seen = bars_seen(rows)
    assert seen == expected_bars, f"{name}: {seen} bars drawn, {expected_bars} expected"
    print(f"{name}: {seen} bars, {ink:.1%} of the pixels inked")


def main():
    base, key, partner = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    prefix = f"{base}/api/v1/partners/{partner}"
    work = pathlib.Path(tempfile.mkdtemp(prefix="racetiming-charts."))
    try:
        races = json.loads(get(f"{prefix}/races?limit=100", key)[1])["data"]
        for race in races[:2]:
            target = f"{prefix}/analytics/performance?race_id={race['race_id']}"
            report = json.loads(get(target, key)[1])
            content_type, svg = get(target + "&format=svg", key)
            assert content_type.startswith("image/svg+xml"), content_type
            check(f"histogram of race {race['race_id']}", svg, sum(1 for b in report["histogram"] if b["finishers"] > 0), work)
        target = f"{prefix}/analytics/trends?event_name=Big%20River%20Marathon"
        editions = json.loads(get(target, key)[1])["editions"]
        check("trend of editions", get(target + "&format=svg", key)[1], len(editions), work)
        check("median time per edition", get(target + "&format=svg&measure=median_time", key)[1], len(editions), work)
        years = json.loads(get(f"{prefix}/analytics/trends", key)[1])["years"]
        check("trend of years", get(f"{prefix}/analytics/trends?format=svg&measure=finish_rate", key)[1], len(years), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("charts: all drawn")


if __name__ == "__main__":
    main()
