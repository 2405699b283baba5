#!/usr/bin/env python3
"""Writes the synthetic example portfolio (deterministic; rerun to regenerate the same bytes).

One contributor selling on Adobe Stock from October 2024 to December 2025 and on Freepik from
October to December 2025, with the same works on both under the same original file names:
enough history for every report section (the previous quarter, the same quarter a year earlier,
new work, concentration, two marketplaces in two currencies). Nothing here is a real export.
"""
import csv
import datetime as dt
import os
import random

rng = random.Random(20251231)
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "portfolio")

SUBJECTS = [
    ("Coffee cup on wooden table, morning light", "photos"),
    ("Aerial view of a winding mountain road", "videos"),
    ("Watercolor lemons, summer pattern, seamless", "illustrations"),
    ("Line icons set: delivery, editable stroke", "vectors"),
    ("Business team meeting in a bright office", "photos"),
    ("Autumn forest path with fallen leaves", "photos"),
    ("Abstract blue waves background", "illustrations"),
    ("Fresh vegetables on a market stall", "photos"),
    ("Snowy village at night, festive lights", "photos"),
    ("Flat vector map of Europe", "vectors"),
    ("Ocean waves at sunset, slow motion", "videos"),
    ("Hands typing on a laptop keyboard", "photos"),
    ("Christmas cookies on a baking tray", "photos"),
    ("Minimal geometric pattern, pastel", "vectors"),
    ("Portrait of a smiling senior woman", "photos"),
    ("City skyline timelapse, night to day", "videos"),
]
EXT = {"photos": ".jpg", "videos": ".mp4", "illustrations": ".jpg", "vectors": ".eps"}
PRICE = {  # (license, amount, weight)
    "photos": [("subscription", 0.33, 60), ("subscription", 0.38, 20), ("custom", 0.99, 12), ("extended", 26.40, 1)],
    "illustrations": [("subscription", 0.33, 55), ("subscription", 0.38, 25), ("custom", 0.99, 10)],
    "vectors": [("subscription", 0.33, 55), ("subscription", 0.46, 25), ("custom", 0.99, 10), ("extended", 26.40, 1)],
    "videos": [("subscription", 7.80, 50), ("custom", 12.50, 10), ("custom", 24.00, 4), ("extended", 84.00, 1)],
}

# 64 works uploaded from January 2024 to November 2025; Adobe ids grow with upload time.
works = []
upload = dt.date(2024, 1, 10)
asset_id = 560_000_000
for n in range(64):
    title, media = SUBJECTS[n % len(SUBJECTS)]
    if n >= len(SUBJECTS):
        title = f"{title} #{n // len(SUBJECTS) + 1}"
    upload += dt.timedelta(days=rng.randint(5, 16))
    asset_id += rng.randint(150_000, 900_000)
    name = f"SL_{n + 1:04d}{EXT[media]}"
    # A few stars, many modest sellers, some that never sell.
    appeal = rng.choice([0.0, 0.2, 0.4, 0.6, 1.0, 1.0, 1.5, 2.5]) * (6.0 if n in (4, 21) else 1.0)
    works.append(dict(id=asset_id, title=title, media=media, name=name, upload=upload, appeal=appeal))

def season(day):
    return {11: 1.25, 12: 1.45, 1: 0.8, 7: 0.85, 8: 0.8}.get(day.month, 1.0)

rows = []
day = dt.date(2024, 10, 1)
while day <= dt.date(2025, 12, 31):
    for work in works:
        if work["upload"] > day or work["appeal"] == 0:
            continue
        age = (day - work["upload"]).days
        fresh = 1.6 if age < 90 else 1.0
        p = 0.045 * work["appeal"] * fresh * season(day) * (1.0 + (day - dt.date(2024, 10, 1)).days / 900)
        while p > 0:
            if rng.random() < min(p, 1.0):
                options = PRICE[work["media"]]
                license_, amount, _ = rng.choices(options, weights=[o[2] for o in options])[0]
                stamp = dt.datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
                rows.append((stamp, work, license_, amount))
            p -= 1.0
    day += dt.timedelta(days=1)
rows.sort(key=lambda r: r[0], reverse=True)  # Adobe lists the newest first

with open(os.path.join(here, "adobe-stock-activity-2024-10-to-2025-12.csv"), "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out, lineterminator="\n")
    for stamp, work, license_, amount in rows:
        writer.writerow([stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00"), work["id"], work["title"], license_,
                         f"${amount:.2f}", work["media"], work["name"], "Jane Doe",
                         "HD1080" if work["media"] == "videos" else "XXL"])

# Freepik: 40 of the same works (and 4 of its own), monthly, in euros.
FREEPIK_TYPE = {"photos": ("photo", "free-photo"), "illustrations": ("photo", "free-photo"),
                "vectors": ("vector", "free-vector"), "videos": ("video", "free-video")}
on_freepik = works[:40]
for month in (10, 11, 12):
    path = os.path.join(here, f"assets_report_{month:02d}_2025.csv")
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["Asset type", "File name", "Description", "Asset public URL", "Freepik Asset ID",
                         "Freepik Downloads", "Freepik Earnings EUR"])
        for n, work in enumerate(on_freepik):
            if work["upload"] > dt.date(2025, month, 1) or work["appeal"] == 0:
                continue
            downloads = int(rng.random() * 30 * work["appeal"] * season(dt.date(2025, month, 1)))
            if downloads == 0:
                continue
            earnings = downloads * rng.uniform(0.03, 0.09)
            kind, folder = FREEPIK_TYPE[work["media"]]
            fid = 40_000_000 + n * 7919
            writer.writerow([kind, work["name"], work["title"], f"https://www.freepik.com/{folder}/e_{fid}.htm",
                             fid, downloads, f"{earnings:.4f}"])
        for k in range(4):
            fid = 41_000_000 + k * 101
            writer.writerow(["vector", f"fp_only_{k + 1}.eps", f"Freepik-only pattern {k + 1}",
                             f"https://www.freepik.com/free-vector/e_{fid}.htm", fid, 5 + k * month % 7,
                             f"{(5 + k * month % 7) * 0.05:.4f}"])
