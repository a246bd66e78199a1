"""OpenCV's SLIC (ximgproc) over images, as the baseline for scripts/benchSlic.ts.

usage: /usr/bin/python3 scripts/opencvSlic.py OUT_DIR K M IMAGE...
Writes OUT_DIR/<stem>.png (16-bit label map) per image and prints '<image>: <count> superpixels, <ms> ms'
(ms = SLIC on the Lab image: create, iterate(10), enforceLabelConnectivity()). Single-threaded on purpose:
the benchmark compares one core against one core.
"""
import math
import os
import sys
import time

import cv2

cv2.setNumThreads(1)


def main(argv):
    out_dir, k, m, images = argv[0], int(argv[1]), float(argv[2]), argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    for path in images:
        bgr = cv2.imread(path, cv2.IMREAD_COLOR)
        if bgr is None:
            print(f"{path}: not a readable image", file=sys.stderr)
            continue
        start = time.perf_counter()
        lab = cv2.cvtColor(bgr, cv2.COLOR_BGR2LAB)
        region = round(math.sqrt(lab.shape[0] * lab.shape[1] / k))
        sp = cv2.ximgproc.createSuperpixelSLIC(lab, algorithm=cv2.ximgproc.SLIC, region_size=region, ruler=m)
        sp.iterate(10)
        sp.enforceLabelConnectivity()
        labels = sp.getLabels()
        ms = (time.perf_counter() - start) * 1000
        stem = os.path.splitext(os.path.basename(path))[0]
        cv2.imwrite(os.path.join(out_dir, stem + ".png"), labels.astype("uint16"))
        print(f"{path}: {sp.getNumberOfSuperpixels()} superpixels, {ms:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
